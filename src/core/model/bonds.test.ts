import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { MemorySource } from '../io/source.js';
import { sdfFormat } from '../io/formats/sdf.js';
import { BOND_TOLERANCE, bondCounts, computeBonds } from './bonds.js';
import { covalentRadii } from './elements.js';

const NONE = [false, false, false];
const ALL = [true, true, true];

/** Pairs as "i-j" strings (i < j), for set comparisons. */
function pairSet(bonds: ArrayLike<number>): Set<string> {
  const out = new Set<string>();
  for (let k = 0; k < bonds.length; k += 2) {
    const [i, j] = [bonds[k]!, bonds[k + 1]!];
    out.add(i < j ? `${i}-${j}` : `${j}-${i}`);
  }
  return out;
}

/** O(N^2) reference: bonded when any periodic image (-1..1 per periodic axis) is within the cutoff. */
function bruteForce(numbers: number[], pos: number[], cell: number[] | null, pbc: boolean[]): Set<string> {
  const out = new Set<string>();
  const n = numbers.length;
  const shifts: number[][] = [];
  for (let a = -1; a <= 1; a++)
    for (let b = -1; b <= 1; b++)
      for (let c = -1; c <= 1; c++) {
        if (!cell && (a || b || c)) continue;
        if ((a && !pbc[0]) || (b && !pbc[1]) || (c && !pbc[2])) continue;
        shifts.push([a, b, c]);
      }
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const rc = covalentRadii[numbers[i]!]! + covalentRadii[numbers[j]!]! + BOND_TOLERANCE;
      for (const [a, b, c] of shifts) {
        const t = [0, 1, 2].map((k) => (cell ? a! * cell[k]! + b! * cell[3 + k]! + c! * cell[6 + k]! : 0));
        const d = Math.hypot(
          pos[3 * j]! + t[0]! - pos[3 * i]!,
          pos[3 * j + 1]! + t[1]! - pos[3 * i + 1]!,
          pos[3 * j + 2]! + t[2]! - pos[3 * i + 2]!,
        );
        if (d < rc && d > 0.4) {
          out.add(`${i}-${j}`);
          break;
        }
      }
    }
  return out;
}

/** An FCC copper supercell (a = 3.615 Å) of m x m x m conventional cells. */
function fcc(m: number): { numbers: Uint8Array; positions: Float64Array; cell: number[] } {
  const a = 3.615;
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const pos: number[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++)
      for (let k = 0; k < m; k++) for (const [u, v, w] of basis) pos.push((i + u!) * a, (j + v!) * a, (k + w!) * a);
  return {
    numbers: new Uint8Array(pos.length / 3).fill(29),
    positions: Float64Array.from(pos),
    cell: [m * a, 0, 0, 0, m * a, 0, 0, 0, m * a],
  };
}

describe('computeBonds', () => {
  test('water: two O-H bonds, no H-H bond', () => {
    const bonds = computeBonds([8, 1, 1], [0, 0, 0, 0.9572, 0, 0, -0.24, 0.9266, 0], null, NONE);
    expect(Array.from(bonds)).toEqual([0, 1, 0, 2]);
  });

  test('overlapping atoms (closer than 0.4 Å) and unknown elements are not bonded', () => {
    expect(computeBonds([6, 6], [0, 0, 0, 0.2, 0, 0], null, NONE).length).toBe(0);
    expect(computeBonds([0, 0], [0, 0, 0, 0.6, 0, 0], null, NONE).length).toBe(0);
    expect(computeBonds([6], [0, 0, 0], null, NONE).length).toBe(0);
  });

  test('the tolerance is 0.45 Å over the sum of covalent radii (C-C: 1.97 Å)', () => {
    const cc = 2 * covalentRadii[6]! + BOND_TOLERANCE;
    expect(computeBonds([6, 6], [0, 0, 0, cc - 0.01, 0, 0], null, NONE).length).toBe(2);
    expect(computeBonds([6, 6], [0, 0, 0, cc + 0.01, 0, 0], null, NONE).length).toBe(0);
    expect(computeBonds([6, 6], [0, 0, 0, cc + 0.01, 0, 0], null, NONE, { tolerance: 0.5 }).length).toBe(2);
  });

  test('a bond across a periodic boundary is found only when that axis is periodic', () => {
    const cell = [10, 0, 0, 0, 10, 0, 0, 0, 10];
    const pos = [0.3, 5, 5, 9.7, 5, 5]; // 0.6 Å apart through the x face
    expect(Array.from(computeBonds([1, 1], pos, cell, ALL))).toEqual([0, 1]);
    expect(computeBonds([1, 1], pos, cell, [false, true, true]).length).toBe(0);
    expect(computeBonds([1, 1], pos, null, ALL).length).toBe(0);
  });

  test.each([2, 3, 4])('FCC Cu %i^3 supercell, periodic: 12 neighbours per atom', (m) => {
    const { numbers, positions, cell } = fcc(m);
    const bonds = computeBonds(numbers, positions, cell, ALL);
    expect(bonds.length / 2).toBe(6 * numbers.length);
    expect(Array.from(bondCounts(bonds, numbers.length)).every((c) => c === 12)).toBe(true);
  });

  test('FCC Cu 3^3 without periodicity: corner atoms have 3 neighbours, bulk 12', () => {
    const { numbers, positions } = fcc(3);
    const counts = bondCounts(computeBonds(numbers, positions, null, NONE), numbers.length);
    expect(counts[0]).toBe(3);
    expect(Math.max(...counts)).toBe(12);
  });

  test('pairs are sorted, i < j, each listed once', () => {
    const { numbers, positions, cell } = fcc(2); // narrow cell: several images within the cutoff
    const b = computeBonds(numbers, positions, cell, ALL);
    const keys: string[] = [];
    for (let k = 0; k < b.length; k += 2) {
      expect(b[k]!).toBeLessThan(b[k + 1]!);
      if (k > 0) expect(b[k - 2]! < b[k]! || (b[k - 2] === b[k] && b[k - 1]! < b[k + 1]!)).toBe(true);
      keys.push(`${b[k]}-${b[k + 1]}`);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('matches the bond table of every molecule in the RDKit SDF of the corpus', () => {
    const file = corpusPath('05_formats', 'molecules_public_rdkit.sdf');
    const reader = sdfFormat.open(new MemorySource(file, readFileSync(file)));
    expect(reader.frameCount).toBeGreaterThan(0);
    for (let f = 0; f < reader.frameCount; f++) {
      const s = reader.readFrame(f);
      const computed = computeBonds(s.numbers, s.positions, null, NONE);
      expect(pairSet(computed), `molecule ${f}`).toEqual(pairSet(s.bonds!));
    }
  });

  test('agrees with an O(N^2) search over periodic images in random triclinic cells', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1e9 }),
          n: fc.integer({ min: 2, max: 60 }),
          skew: fc.double({ min: -0.4, max: 0.4, noNaN: true }),
          size: fc.double({ min: 3, max: 14, noNaN: true }),
          pbc: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
        }),
        ({ seed, n, skew, size, pbc }) => {
          let state = seed;
          const rand = (): number => {
            state = (state * 1103515245 + 12345) % 2147483648;
            return state / 2147483648;
          };
          const cell = [size, 0, 0, skew * size, size * 0.9, 0, 0.2 * size, -skew * size, size * 1.1];
          const zs = [1, 6, 7, 8, 29];
          const numbers = Array.from({ length: n }, () => zs[Math.floor(rand() * zs.length)]!);
          const pos: number[] = [];
          for (let i = 0; i < n; i++) {
            const [u, v, w] = [rand() * 1.2 - 0.1, rand(), rand()];
            for (let k = 0; k < 3; k++) pos.push(u * cell[k]! + v * cell[3 + k]! + w * cell[6 + k]!);
          }
          const got = pairSet(computeBonds(numbers, pos, cell, pbc));
          expect(got).toEqual(bruteForce(numbers, pos, cell, pbc));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('100k atoms (FCC Cu) in a fraction of a second (3 s bound for slow CI)', () => {
    const { numbers, positions, cell } = fcc(29); // 97 556 atoms
    const t0 = performance.now();
    const bonds = computeBonds(numbers, positions, cell, ALL);
    const ms = performance.now() - t0;
    expect(bonds.length / 2).toBe(6 * numbers.length);
    expect(ms).toBeLessThan(3000);
  });
});
