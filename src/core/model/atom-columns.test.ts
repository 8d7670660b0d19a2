import { describe, expect, test } from 'vitest';
import { atomColumns, encodeLabels } from './atom-columns.js';
import { emptyStructure } from './structure.js';

describe('atomColumns', () => {
  test('numeric columns as float32, text columns dictionary-coded, vectors as magnitudes', () => {
    const s = emptyStructure(3);
    s.arrays['charge'] = Float64Array.of(-0.8, 0.4, 0.4);
    s.arrays['resid'] = Int32Array.of(1, 1, 2);
    s.arrays['resname'] = ['SOL', 'SOL', 'NA'];
    s.arrays['dipole'] = new Float64Array(9);
    s.arrayWidths = { dipole: 3 };
    s.velocities = Float64Array.of(3, 4, 0, 0, 0, 0, 1, 2, 2);
    s.forces = Float64Array.of(0, 0, 1, 0, 0, 0, 0, 0, 0);
    const { atomProperties, atomLabels } = atomColumns(s);
    expect(Object.keys(atomProperties).sort()).toEqual(['charge', 'force', 'resid', 'speed']);
    expect(atomProperties['charge']).toBeInstanceOf(Float32Array);
    expect(Array.from(atomProperties['resid']!)).toEqual([1, 1, 2]);
    expect(Array.from(atomProperties['speed']!)).toEqual([5, 0, 3]);
    expect(Array.from(atomProperties['force']!)).toEqual([1, 0, 0]);
    expect(atomLabels['resname']!.labels).toEqual(['SOL', 'NA']);
    expect(Array.from(atomLabels['resname']!.codes)).toEqual([0, 0, 1]);
  });

  test('the encoding of a shared column is computed once', () => {
    const names = ['OW', 'HW1', 'HW2', 'OW'];
    expect(encodeLabels(names)).toBe(encodeLabels(names));
    expect(encodeLabels(names).labels).toEqual(['OW', 'HW1', 'HW2']);
  });
});
