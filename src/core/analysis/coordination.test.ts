// Coordination numbers: 12 in a perfect fcc crystal, and the mean over argon atoms equals the
// running coordination number of g(r) from the same frame.
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { coordinationNumbers } from './coordination';
import { computeRdf } from './rdf';

describe('coordinationNumbers', () => {
  it('12 nearest neighbours in perfect fcc Cu, 18 out to the second shell', () => {
    const frame = openTrajectory(corpusPath('02_eam', 'Cu_u3_perfect.extxyz')).reader.readFrame(0);
    const a0 = reference('02_eam').systems.Cu_u3.a0_A as number;
    const first = coordinationNumbers(frame, 0.85 * a0);
    expect(first.length).toBe(frame.numbers.length);
    for (const n of first) expect(n).toBe(12);
    for (const n of coordinationNumbers(frame, 1.1 * a0)) expect(n).toBe(18);
  });

  it('its mean is the g(r) running coordination number of the same frame', () => {
    const frame = openTrajectory(corpusPath('01_lj_argon', 'argon_public_prod.xtc')).reader.readFrame(7);
    const rdf = computeRdf([frame], { rmax: 5, bins: 100 });
    const cn = coordinationNumbers(frame, 5);
    const mean = cn.reduce((s, v) => s + v, 0) / cn.length;
    expect(mean).toBeCloseTo(rdf.coordination[99]!, 9);
    const a = Int32Array.from({ length: 300 }, (_, i) => i);
    const b = Int32Array.from({ length: 564 }, (_, i) => 300 + i);
    const ab = coordinationNumbers(frame, 5, a, b);
    const ba = coordinationNumbers(frame, 5, b, a);
    expect(ab.reduce((s, v) => s + v, 0)).toBe(ba.reduce((s, v) => s + v, 0));
  });
});
