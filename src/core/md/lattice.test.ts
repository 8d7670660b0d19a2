import { describe, expect, it } from 'vitest';
import { cubicCrystal, latticePeriod } from './lattice.js';

function nearest(p: Float64Array, cell: Float64Array, i: number): number {
  let best = Infinity;
  const n = p.length / 3;
  for (let j = 0; j < n; j++) {
    for (let a = -1; a <= 1; a++) {
      for (let b = -1; b <= 1; b++) {
        for (let c = -1; c <= 1; c++) {
          if (i === j && a === 0 && b === 0 && c === 0) continue;
          const d = [0, 1, 2].map(
            (k) => p[3 * j + k]! + a * cell[k]! + b * cell[3 + k]! + c * cell[6 + k]! - p[3 * i + k]!,
          );
          best = Math.min(best, Math.hypot(d[0]!, d[1]!, d[2]!));
        }
      }
    }
  }
  return best;
}

describe('cubic crystal builder', () => {
  it('fcc in the standard orientation: 4 atoms per cell, atom 0 at the origin', () => {
    const c = cubicCrystal('fcc', 3.6, [2, 3, 4]);
    expect(c.positions.length / 3).toBe(4 * 24);
    expect(Array.from(c.positions.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(c.cell)).toEqual([7.2, 0, 0, 0, 10.8, 0, 0, 0, 14.4]);
    expect(nearest(c.positions, c.cell, 5)).toBeCloseTo(3.6 / Math.SQRT2, 12);
  });

  it('fcc oriented x=[1-10], y=[11-2], z=[111]: 6 atoms per period cell, (111) layers', () => {
    const a = 3.6;
    const c = cubicCrystal(
      'fcc',
      a,
      [1, 1, 1],
      [
        [1, -1, 0],
        [1, 1, -2],
        [1, 1, 1],
      ],
    );
    expect(c.positions.length / 3).toBe(6);
    expect(c.cell[0]).toBeCloseTo(a / Math.SQRT2, 12);
    expect(c.cell[4]).toBeCloseTo((a * Math.sqrt(6)) / 2, 12);
    expect(c.cell[8]).toBeCloseTo(a * Math.sqrt(3), 12);
    const zs = [...new Set(Array.from({ length: 6 }, (_, i) => c.positions[3 * i + 2]!.toFixed(9)))];
    expect(zs).toHaveLength(3);
    for (let i = 0; i < 6; i++) expect(nearest(c.positions, c.cell, i)).toBeCloseTo(a / Math.SQRT2, 12);
  });

  it('bcc and periods', () => {
    const c = cubicCrystal('bcc', 3.0, [2, 2, 2]);
    expect(c.positions.length / 3).toBe(16);
    expect(nearest(c.positions, c.cell, 0)).toBeCloseTo((3.0 * Math.sqrt(3)) / 2, 12);
    expect(latticePeriod('fcc', [1, 1, 0])).toBeCloseTo(Math.SQRT2 / 2, 15);
    expect(latticePeriod('fcc', [1, 1, 1])).toBeCloseTo(Math.sqrt(3), 15);
    expect(latticePeriod('bcc', [1, 1, 1])).toBeCloseTo(Math.sqrt(3) / 2, 15);
    expect(() =>
      cubicCrystal(
        'fcc',
        3,
        [1, 1, 1],
        [
          [1, 0, 0],
          [1, 1, 0],
          [0, 0, 1],
        ],
      ),
    ).toThrow(/not orthogonal/);
  });
});
