// α2 and the self van Hove function: zero and Gaussian for a Gaussian random walk, the same
// MSD as the FFT method, normalised distributions; liquid argon's α2 is positive (Rahman).
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { iterateFrames } from '../io/frames';
import { nonGaussian, vanHoveSelf } from './displacement';
import { msdAllOrigins } from './msd';
import { collectSeries } from './series';

function gaussianWalk(frames: number, atoms: number, sigma: number, seed: number): Float64Array {
  let s = seed;
  const uniform = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const width = 3 * atoms;
  const x = new Float64Array(frames * width);
  for (let k = 1; k < frames; k++)
    for (let c = 0; c < width; c++) x[k * width + c] = x[(k - 1) * width + c]! + sigma * normal();
  return x;
}

describe('non-Gaussian parameter and van Hove self function', () => {
  const frames = 60;
  const atoms = 2000;
  const sigma = 0.3;
  const x = gaussianWalk(frames, atoms, sigma, 12345);

  it('α2 ≈ 0 for Gaussian displacements, and its MSD is the FFT MSD', () => {
    const ng = nonGaussian(x, frames, atoms, { originStride: 1 });
    expect(ng.originStride).toBe(1);
    for (const m of [1, 5, 20]) expect(Math.abs(ng.alpha2[m]!)).toBeLessThan(0.02);
    const msd = msdAllOrigins(x.slice(), frames, atoms);
    for (let m = 1; m < frames; m++) expect(ng.msd[m]).toBeCloseTo(msd[m]!, 9);
    expect(ng.msd[10]! / (3 * 10 * sigma * sigma)).toBeCloseTo(1, 1);
  });

  it('G_s(r, t) is normalised and Gaussian for a random walk', () => {
    const m = 10;
    const vh = vanHoveSelf(x, frames, atoms, [m], { rmax: 6, bins: 120 });
    const dr = 6 / 120;
    let integral = 0;
    const var1 = m * sigma * sigma; // per component
    vh.g[0]!.forEach((g, b) => {
      const r = vh.r[b]!;
      integral += 4 * Math.PI * r * r * g * dr;
      const exact = Math.exp((-r * r) / (2 * var1)) / (2 * Math.PI * var1) ** 1.5;
      if (r > 0.5 && r < 2.5) expect(Math.abs(g / exact - 1)).toBeLessThan(0.08);
    });
    expect(integral).toBeCloseTo(1, 3);
    expect(() => vanHoveSelf(x, frames, atoms, [frames], { rmax: 6, bins: 10 })).toThrow(/lag/);
  });

  it('liquid argon: α2 > 0 at short times, the signature Rahman found', () => {
    const { reader } = openTrajectory(corpusPath('01_lj_argon', 'argon_public_prod.xtc'));
    const s = collectSeries(iterateFrames(reader, { stop: 150 }), 'positions');
    const ng = nonGaussian(s.data, s.frames, s.atoms, { maxLag: 100 });
    let peak = 0;
    for (let m = 1; m <= 100; m++) peak = Math.max(peak, ng.alpha2[m]!);
    // Rahman 1964: α2 rises to about 0.1–0.2 near 1–2 ps and decays afterwards.
    expect(peak).toBeGreaterThan(0.05);
    expect(peak).toBeLessThan(0.4);
  });
});
