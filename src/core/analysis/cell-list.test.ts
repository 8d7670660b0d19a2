// The cell-list pair search finds exactly the minimum-image pairs a brute-force O(N²) search
// finds, in random triclinic cells, small ones (one or two cells per axis) and open axes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invert3 } from '../model/cell';
import type { Pbc } from '../model/structure';
import { CellList, maxCutoff, perpendicularWidths } from './cell-list';

/** Minimum-image distances by rounding fractional differences (exact for r < w_min/2). */
function bruteForce(pos: Float64Array, cell: Float64Array, pbc: Pbc, rmax: number): Map<string, number> {
  const inv = invert3(cell);
  const n = pos.length / 3;
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = [pos[3 * j]! - pos[3 * i]!, pos[3 * j + 1]! - pos[3 * i + 1]!, pos[3 * j + 2]! - pos[3 * i + 2]!];
      const s = [0, 1, 2].map((k) => d[0]! * inv[k]! + d[1]! * inv[3 + k]! + d[2]! * inv[6 + k]!);
      for (let k = 0; k < 3; k++) if (pbc[k]) s[k] = s[k]! - Math.round(s[k]!);
      const x = [0, 1, 2].map((c) => s[0]! * cell[c]! + s[1]! * cell[3 + c]! + s[2]! * cell[6 + c]!);
      const r2 = x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2;
      if (r2 < rmax * rmax) out.set(`${i},${j}`, r2);
    }
  }
  return out;
}

function cellPairs(pos: Float64Array, cell: Float64Array, pbc: Pbc, rmax: number, reach: 1 | 2): Map<string, number> {
  const cl = new CellList(reach);
  cl.build(pos, null, cell, pbc, rmax);
  const out = new Map<string, number>();
  cl.forEachPair(rmax, (i, j, r2) => {
    const key = i < j ? `${i},${j}` : `${j},${i}`;
    expect(out.has(key), `pair ${key} visited twice`).toBe(false);
    out.set(key, r2);
  });
  return out;
}

const triclinic = fc
  .record({
    a: fc.double({ min: 6, max: 20, noNaN: true }),
    b: fc.double({ min: 6, max: 20, noNaN: true }),
    c: fc.double({ min: 6, max: 20, noNaN: true }),
    xy: fc.double({ min: -0.45, max: 0.45, noNaN: true }),
    xz: fc.double({ min: -0.45, max: 0.45, noNaN: true }),
    yz: fc.double({ min: -0.45, max: 0.45, noNaN: true }),
  })
  // LAMMPS-style tilts as fractions of the lengths: a along x, b in xy.
  .map(({ a, b, c, xy, xz, yz }) => Float64Array.of(a, 0, 0, xy * a, b, 0, xz * a, yz * b, c));

const atoms = (count: number) =>
  fc.array(
    fc.tuple(
      fc.double({ min: -1, max: 2, noNaN: true }),
      fc.double({ min: -1, max: 2, noNaN: true }),
      fc.double({ min: -1, max: 2, noNaN: true }),
    ),
    {
      minLength: 2,
      maxLength: count,
    },
  );

function place(frac: [number, number, number][], cell: Float64Array): Float64Array {
  // Fractional coordinates in [-1, 2): atoms outside the box exercise the wrapping.
  const out = new Float64Array(3 * frac.length);
  frac.forEach(([u, v, w], i) => {
    for (let c = 0; c < 3; c++) out[3 * i + c] = u * cell[c]! + v * cell[3 + c]! + w * cell[6 + c]!;
  });
  return out;
}

function samePairs(a: Map<string, number>, b: Map<string, number>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, v] of a) expect(Math.abs(b.get(k)! - v)).toBeLessThan(1e-9 * Math.max(1, v));
}

describe('CellList', () => {
  it('finds the brute-force minimum-image pairs in random triclinic cells', () => {
    fc.assert(
      fc.property(
        triclinic,
        atoms(120),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        fc.constantFrom<1 | 2>(1, 2),
        (cell, frac, f, reach) => {
          const pbc: Pbc = [true, true, true];
          const rmax = f * maxCutoff(cell, pbc);
          const pos = place(frac, cell);
          samePairs(cellPairs(pos, cell, pbc, rmax, reach), bruteForce(pos, cell, pbc, rmax));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles open axes (slabs, clusters) without images across them', () => {
    fc.assert(
      fc.property(
        triclinic,
        atoms(80),
        fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        (cell, frac, pbc, f) => {
          const rmax = f * Math.min(...perpendicularWidths(cell)) * 0.5;
          const pos = place(frac, cell);
          samePairs(cellPairs(pos, cell, pbc, rmax, 1), bruteForce(pos, cell, pbc, rmax));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('widths and the largest cutoff of a sheared cell', () => {
    const cell = Float64Array.of(10, 0, 0, 5, 10, 0, 0, 0, 10);
    const w = perpendicularWidths(cell);
    expect(w[0]).toBeCloseTo(10 / Math.hypot(1, 0.5), 12); // the b tilt narrows the a-faces
    expect(w[1]).toBeCloseTo(10, 12);
    expect(w[2]).toBeCloseTo(10, 12);
    expect(maxCutoff(cell, [true, true, true])).toBeCloseTo(w[0] / 2, 12);
    expect(maxCutoff(cell, [false, true, true])).toBeCloseTo(5, 12);
  });
});
