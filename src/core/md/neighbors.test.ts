import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pbc } from '../model/structure.js';
import { NeighborList, planeSpacings } from './neighbors.js';

/** Every (i, j, image) pair within rc by brute force over enough images: sorted "i j d" keys. */
function brutePairs(x: Float64Array, cell: Float64Array | null, pbc: Pbc, rc: number, half: boolean): string[] {
  const n = x.length / 3;
  const h = cell ?? Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const spacing = planeSpacings(h);
  const reach = [0, 1, 2].map((d) => (pbc[d] ? Math.ceil(rc / spacing[d]!) + 1 : 0));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let a = -reach[0]!; a <= reach[0]!; a++) {
        for (let b = -reach[1]!; b <= reach[1]!; b++) {
          for (let c = -reach[2]!; c <= reach[2]!; c++) {
            if (i === j && a === 0 && b === 0 && c === 0) continue;
            const s = [0, 1, 2].map((k) => a * h[k]! + b * h[3 + k]! + c * h[6 + k]!);
            const d = Math.hypot(
              x[3 * j]! + s[0]! - x[3 * i]!,
              x[3 * j + 1]! + s[1]! - x[3 * i + 1]!,
              x[3 * j + 2]! + s[2]! - x[3 * i + 2]!,
            );
            if (d >= rc) continue;
            if (half && (j < i || (i === j && [a, b, c].find((v) => v !== 0)! < 0))) continue;
            out.push(`${i} ${j} ${d.toFixed(9)}`);
          }
        }
      }
    }
  }
  return out.sort();
}

/** The list's pairs within rc, as brutePairs writes them (pairs kept from the smaller index). */
function listPairs(list: NeighborList, rc: number, half: boolean): string[] {
  const out: string[] = [];
  const { xe, owner, start, neighbors } = list;
  for (let i = 0; i < list.n; i++) {
    for (let q = start[i]!; q < start[i + 1]!; q++) {
      const k = neighbors[q]!;
      const d = Math.hypot(xe[3 * k]! - xe[3 * i]!, xe[3 * k + 1]! - xe[3 * i + 1]!, xe[3 * k + 2]! - xe[3 * i + 2]!);
      if (d >= rc) continue;
      const j = owner[k]!;
      // A half list may hold (i, j) from the larger index; normalise to brute's orientation.
      out.push(half && j < i ? `${j} ${i} ${d.toFixed(9)}` : `${i} ${j} ${d.toFixed(9)}`);
    }
  }
  return out.sort();
}

/** Random positions in (and a little outside) a cell. */
function randomSystem(seed: number, n: number, cell: Float64Array): Float64Array {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const x = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const f = [rand() * 1.4 - 0.2, rand() * 1.4 - 0.2, rand() * 1.4 - 0.2];
    for (let d = 0; d < 3; d++) x[3 * i + d] = f[0]! * cell[d]! + f[1]! * cell[3 + d]! + f[2]! * cell[6 + d]!;
  }
  return x;
}

describe('NeighborList', () => {
  const cases: { name: string; cell: Float64Array | null; pbc: Pbc; n: number; rc: number }[] = [
    {
      name: 'orthogonal periodic',
      cell: Float64Array.of(12, 0, 0, 0, 11, 0, 0, 0, 13),
      pbc: [true, true, true],
      n: 120,
      rc: 4,
    },
    {
      name: 'triclinic periodic',
      cell: Float64Array.of(10, 0, 0, 3, 9, 0, -2.5, 2, 11),
      pbc: [true, true, true],
      n: 100,
      rc: 3.7,
    },
    {
      name: 'cell smaller than the cutoff',
      cell: Float64Array.of(3, 0, 0, 1, 2.8, 0, 0.5, -0.7, 3.2),
      pbc: [true, true, true],
      n: 5,
      rc: 6.5,
    },
    {
      name: 'slab: open along z',
      cell: Float64Array.of(8, 0, 0, 0, 8, 0, 0, 0, 9),
      pbc: [true, true, false],
      n: 70,
      rc: 4.5,
    },
    {
      name: 'wire: periodic along x only, triclinic',
      cell: Float64Array.of(7, 0, 0, 1, 6, 0, 1, 1, 8),
      pbc: [true, false, false],
      n: 50,
      rc: 5,
    },
    { name: 'no cell', cell: null, pbc: [false, false, false], n: 60, rc: 3 },
  ];
  for (const c of cases) {
    for (const full of [false, true]) {
      it(`finds exactly the brute-force pairs: ${c.name}, ${full ? 'full' : 'half'} list`, () => {
        const box = c.cell ?? Float64Array.of(10, 0, 0, 0, 10, 0, 0, 0, 10);
        const x = randomSystem(7 + c.n, c.n, box);
        const list = new NeighborList({ cutoff: c.rc, skin: 0.8, full });
        list.build({ positions: x, cell: c.cell, pbc: c.pbc });
        const want = brutePairs(x, c.cell, c.pbc, c.rc, !full);
        expect(want.length).toBeGreaterThan(0);
        expect(listPairs(list, c.rc, !full)).toEqual(want);
      });
    }
  }

  it('matches brute force for random triclinic cells and open directions (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: 3, max: 9, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 1.5, max: 7, noNaN: true }),
        (tilt, len, pbc, n, rc) => {
          const cell = Float64Array.of(
            len[0]!,
            0,
            0,
            tilt[0]! * len[1]!,
            len[1]!,
            0,
            tilt[1]! * len[2]!,
            tilt[2]! * len[2]!,
            len[2]!,
          );
          const x = randomSystem(n * 31 + 1, n, cell);
          const list = new NeighborList({ cutoff: rc, skin: 0.5 });
          list.build({ positions: x, cell, pbc });
          expect(listPairs(list, rc, true)).toEqual(brutePairs(x, cell, pbc, rc, true));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('accepts a degenerate vector in an open direction (slab with zero c, cluster with a zero cell)', () => {
    const slab = Float64Array.of(9, 0, 0, 2, 8, 0, 0, 0, 0);
    const full = Float64Array.of(9, 0, 0, 2, 8, 0, 0, 0, 6); // same periodic rows
    const x = randomSystem(5, 40, full);
    const list = new NeighborList({ cutoff: 4, skin: 0.5 });
    list.build({ positions: x, cell: slab, pbc: [true, true, false] });
    expect(listPairs(list, 4, true)).toEqual(brutePairs(x, full, [true, true, false], 4, true));
    list.build({ positions: x, cell: new Float64Array(9), pbc: [false, false, false] });
    expect(listPairs(list, 4, true)).toEqual(brutePairs(x, null, [false, false, false], 4, true));
  });

  it('keeps the list while atoms move less than skin/2 and stays complete; rebuilds past it', () => {
    const cell = Float64Array.of(10, 0, 0, 2, 10, 0, 0, 0, 10);
    const x = randomSystem(99, 80, cell);
    const rc = 3.5;
    const list = new NeighborList({ cutoff: rc, skin: 1.0 });
    const system = { positions: x, cell, pbc: [true, true, true] as Pbc };
    expect(list.update(system)).toBe(true);
    // Move every atom by 0.45 Å (< skin/2) in a random direction, including across faces.
    const moved = x.slice();
    for (let i = 0; i < 80; i++) {
      const t = i * 2.399;
      const dir = [Math.cos(t) * Math.sin(i), Math.sin(t) * Math.sin(i), Math.cos(i)];
      for (let d = 0; d < 3; d++) moved[3 * i + d]! += 0.45 * dir[d]!;
    }
    system.positions = moved;
    expect(list.update(system)).toBe(false);
    expect(list.builds).toBe(1);
    expect(listPairs(list, rc, true)).toEqual(brutePairs(moved, cell, [true, true, true], rc, true));
    moved[2]! += 0.1; // atom 0 moved along z: now 0.55 Å > skin / 2
    expect(list.update(system)).toBe(true);
    expect(list.builds).toBe(2);
    // A changed cell always rebuilds.
    system.cell = Float64Array.from(cell, (v) => v * 1.001);
    expect(list.update(system)).toBe(true);
  });

  it('grows linearly: pairs and ghosts per atom stay constant as the system grows', () => {
    const perAtom: number[] = [];
    for (const k of [4, 8, 16]) {
      const L = 2.5 * k;
      const n = k * k * k;
      const x = new Float64Array(3 * n);
      let w = 0;
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) for (let c = 0; c < k; c++) x.set([a * 2.5, b * 2.5, c * 2.5], 3 * w++);
      const list = new NeighborList({ cutoff: 3.0, skin: 0.6 });
      list.build({ positions: x, cell: Float64Array.of(L, 0, 0, 0, L, 0, 0, 0, L), pbc: [true, true, true] });
      perAtom.push(list.pairCount / n);
      // Simple cubic at 2.5 Å within 3.6 Å: 6 + 12 neighbors, 9 per atom in a half list.
      expect(list.pairCount).toBe(9 * n);
    }
    expect(new Set(perAtom).size).toBe(1);
  });
});
