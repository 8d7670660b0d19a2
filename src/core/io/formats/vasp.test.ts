import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import type { TrajectoryReader } from '../format.js';
import { MemorySource, StringSink, memorySourceFromText } from '../source.js';
import { cellVolume } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';
import { groupByElement, vaspFormat } from './vasp.js';

function openText(text: string, name = 'POSCAR'): TrajectoryReader {
  return vaspFormat.open(memorySourceFromText(name, text));
}

function caught(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

function maxAbsDiff(p: ArrayLike<number>, q: ArrayLike<number>): number {
  expect(p.length).toBe(q.length);
  let m = 0;
  for (let k = 0; k < p.length; k++) m = Math.max(m, Math.abs(p[k]! - q[k]!));
  return m;
}

const CUBIC = '1.0\n4 0 0\n0 4 0\n0 0 4\n';

describe('vasp: corpus POSCAR (ASE, VASP 5, Direct)', () => {
  const ref = reference('05_formats');
  const path = corpusPath('05_formats', 'Cu111_slab_frame0.POSCAR');
  const reader = vaspFormat.open(new MemorySource(path, readFileSync(path)));
  const s = reader.readFrame(0);

  it('reads the counts, elements, title and cell', () => {
    expect(reader.frameCount).toBe(1);
    expect(reader.atomCount).toBe(ref.natoms);
    expect(reader.warnings).toEqual([]);
    expect(s.numbers.every((z) => z === 29)).toBe(true);
    expect(s.info.title).toBe('Cu111_slab');
    expect(maxAbsDiff(s.cell!, (ref.cell_A as number[][]).flat())).toBeLessThan(1e-12);
  });

  it('puts atoms 0, 1 and the last where the reference has them (tolerance 1e-8 Å)', () => {
    const [p0, p1, pl] = ref.positions_A_atoms_0_1_last.first_frame as number[][];
    expect(maxAbsDiff(s.positions.slice(0, 3), p0!)).toBeLessThan(1e-8);
    expect(maxAbsDiff(s.positions.slice(3, 6), p1!)).toBeLessThan(1e-8);
    expect(maxAbsDiff(s.positions.slice(-3), pl!)).toBeLessThan(1e-8);
  });

  it('agrees with the first frame of the extxyz for every atom (ASE %16.8f)', () => {
    const lines = readFileSync(corpusPath('05_formats', 'Cu111_slab.extxyz'), 'utf8').split('\n').slice(2, 29);
    const xyz = lines.flatMap((l) => l.trim().split(/\s+/).slice(1, 4).map(Number));
    expect(maxAbsDiff(s.positions, xyz)).toBeLessThan(5e-9 + 1e-12);
  });

  it('is claimed by the POSCAR/CONTCAR/XDATCAR names and its extensions', () => {
    const byGlob = (name: string): boolean => vaspFormat.globs!.some((g) => g.test(name));
    expect(byGlob('POSCAR')).toBe(true);
    expect(byGlob('CONTCAR_relaxed')).toBe(true);
    expect(byGlob('XDATCAR')).toBe(true);
    expect(byGlob('poscar.bak')).toBe(true);
    expect(byGlob('slab.xyz')).toBe(false);
    expect(vaspFormat.extensions).toEqual(['poscar', 'vasp']);
  });
});

describe('vasp: POSCAR variants', () => {
  it('reads VASP 4 files: elements from the title, else unknown with a warning', () => {
    const named = openText(`Fe Al\n${CUBIC}1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n`);
    expect(Array.from(named.readFrame(0).numbers)).toEqual([26, 13]);
    const unnamed = openText(`bcc test\n${CUBIC}1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n`);
    expect(Array.from(unnamed.readFrame(0).numbers)).toEqual([0, 0]);
    expect(unnamed.warnings[0]).toContain('VASP 4');
  });

  it('scales Cartesian coordinates and the lattice by the scale factor', () => {
    const s = openText(`t\n2.0\n1 0 0\n0 1 0\n0 0 1\nSi\n2\nCartesian\n0 0 0\n0.25 0.25 0.25\n`).readFrame(0);
    expect(Array.from(s.cell!)).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect(Array.from(s.positions)).toEqual([0, 0, 0, 0.5, 0.5, 0.5]);
  });

  it('reads a negative scale as the target volume, and three scale factors per component', () => {
    const s = openText(`t\n-64\n1 0 0\n0 2 0\n0 0 4\nSi\n1\nDirect\n0.5 0.5 0.5\n`).readFrame(0);
    expect(cellVolume(s.cell!)).toBeCloseTo(64, 10);
    expect(maxAbsDiff(s.cell!, [2, 0, 0, 0, 4, 0, 0, 0, 8])).toBeLessThan(1e-12);
    expect(maxAbsDiff(s.positions, [1, 2, 4])).toBeLessThan(1e-12);
    const t = openText(`t\n1 2 3\n1 1 0\n0 1 0\n0 0 1\nSi\n1\nCartesian\n1 1 1\n`).readFrame(0);
    expect(Array.from(t.cell!)).toEqual([1, 2, 0, 0, 2, 0, 0, 0, 3]);
    expect(Array.from(t.positions)).toEqual([1, 2, 3]);
  });

  it('keeps selective dynamics flags and reads POTCAR-suffixed symbols', () => {
    const s = openText(
      `t\n${CUBIC}Cu_pv O/5dcbc2b2\n1 1\nSelective dynamics\nDirect\n0 0 0 F F F\n0.5 0.5 0.5 T T f Cu\n`,
    ).readFrame(0);
    expect(Array.from(s.numbers)).toEqual([29, 8]);
    expect(Array.from(s.arrays.selective as Uint8Array)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(s.arrayWidths).toEqual({ selective: 3 });
  });

  it('reads CONTCAR velocities (Å/fs -> Å/ps) and handles a triclinic Direct cell', () => {
    const text = `t\n1.0\n3 0 0\n1 3 0\n0 1 3\nH\n2\nDirect\n0.5 0 0\n0 0.5 1\n\n 0.001 0 0\n 0 -0.002 0.003\n`;
    const s = openText(text, 'CONTCAR').readFrame(0);
    expect(Array.from(s.positions)).toEqual([1.5, 0, 0, 0.5, 2.5, 3]);
    expect(maxAbsDiff(s.velocities!, [1, 0, 0, 0, -2, 3])).toBeLessThan(1e-12);
  });
});

describe('vasp: XDATCAR', () => {
  const header = `Si MD\n   1.0\n 5.43 0 0\n 0 5.43 0\n 0 0 5.43\n   Si\n   2\n`;
  const config = (k: number, x: number): string => `Direct configuration=     ${k}\n ${x} 0 0\n 0.25 0.25 0.25\n`;

  it('reads constant-cell frames with the configuration number as the step', () => {
    const r = openText(header + config(1, 0) + config(2, 0.1) + config(3, 0.2), 'XDATCAR');
    expect(r.frameCount).toBe(3);
    expect(r.atomCount).toBe(2);
    expect(r.warnings).toEqual([]);
    const s = r.readFrame(2);
    expect(s.info.step).toBe(3);
    expect(maxAbsDiff(s.positions, [0.2 * 5.43, 0, 0, 1.3575, 1.3575, 1.3575])).toBeLessThan(1e-12);
    const again = vaspFormat.open(
      memorySourceFromText('XDATCAR', header + config(1, 0) + config(2, 0.1) + config(3, 0.2)),
      {
        index: r.frameIndex!(),
      },
    );
    expect(again.readFrame(1).positions).toEqual(r.readFrame(1).positions);
  });

  it('reads a header per frame when the cell changes (NPT)', () => {
    const bigger = header.replace(/5\.43/g, '6');
    const r = openText(header + config(1, 0) + bigger + config(2, 0.5), 'XDATCAR');
    expect(r.frameCount).toBe(2);
    expect(r.readFrame(0).cell![0]).toBe(5.43);
    expect(r.readFrame(1).cell![0]).toBe(6);
    expect(r.readFrame(1).positions[0]).toBe(3);
    expect(r.readFrame(1).info.step).toBe(2);
  });

  it('keeps the complete frames of a truncated XDATCAR and says where the cut is', () => {
    const full = header + config(1, 0) + config(2, 0.1) + config(3, 0.2);
    const cutAt = full.lastIndexOf('Direct configuration');
    const r = openText(full.slice(0, cutAt + 40), 'XDATCAR');
    expect(r.frameCount).toBe(2);
    expect(r.warnings[0]).toContain(`truncated in frame 2 (frame starts at byte ${cutAt}`);
    // A cut inside the last number (the file then lacks its final newline).
    const r2 = openText(full.slice(0, -3), 'XDATCAR');
    expect(r2.frameCount).toBe(2);
  });
});

describe('vasp: bad input', () => {
  it('names the line of a non-numeric coordinate', () => {
    const e = caught(() => openText(`t\n${CUBIC}Si\n2\nDirect\n0 0 0\n0.5 abc 0.5\n`, 'bad/POSCAR'));
    expect(e.location).toEqual({ line: 10 });
    expect(e.message).toContain('bad/POSCAR');
    expect(e.message).toContain("'abc'");
  });

  it('names where a file with too few coordinate lines ends', () => {
    const e = caught(() => openText(`t\n${CUBIC}Si\n3\nDirect\n0 0 0\n0.5 0.5 0.5\n`));
    expect(e.message).toContain('coordinates of atom 3 of 3');
    expect(e.location).toEqual({ line: 11 });
  });

  it('refuses counts the file cannot hold, bad lattice lines, mismatched symbols and empty files', () => {
    expect(caught(() => openText(`t\n${CUBIC}Si\n2000000000\nDirect\n0 0 0\n`)).message).toContain('cannot fit');
    expect(caught(() => openText(`t\n1.0\n4 0 0\n0 x 0\n0 0 4\nSi\n1\nDirect\n0 0 0\n`)).location).toEqual({ line: 4 });
    expect(caught(() => openText(`t\n${CUBIC}Si O\n1\nDirect\n0 0 0\n`)).message).toContain(
      '2 element symbols but 1 counts',
    );
    expect(caught(() => openText('', 'POSCAR')).message).toContain('empty file');
    expect(caught(() => openText(`t\n0\n1 0 0\n0 1 0\n0 0 1\nSi\n1\nDirect\n0 0 0\n`)).message).toContain('zero');
  });
});

// ---------------------------------------------------------------------------------------
// Writer

function writeText(s: Structure): string {
  const sink = new StringSink();
  vaspFormat.write!([s], sink);
  return sink.toString();
}

const finite = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Well-conditioned general cells (not lower-triangular) and interleaved elements. */
const structures = fc
  .record({
    n: fc.integer({ min: 1, max: 15 }),
    cell: fc.array(finite(-3, 3), { minLength: 9, maxLength: 9 }),
    diag: fc.tuple(finite(3, 20), finite(3, 20), finite(3, 20)),
    frac: fc.array(finite(-0.2, 1.2), { minLength: 45, maxLength: 45 }),
    picks: fc.array(fc.constantFrom(29, 8, 1, 79), { minLength: 15, maxLength: 15 }),
    selective: fc.option(fc.array(fc.boolean(), { minLength: 45, maxLength: 45 }), { nil: undefined }),
  })
  .map(({ n, cell, diag, frac, picks, selective }) => {
    const h = Float64Array.from(cell);
    h[0] = h[0]! + diag[0];
    h[4] = h[4]! + diag[1];
    h[8] = h[8]! + diag[2];
    const positions = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) {
        positions[3 * i + k] = frac[3 * i]! * h[k]! + frac[3 * i + 1]! * h[3 + k]! + frac[3 * i + 2]! * h[6 + k]!;
      }
    }
    const s: Structure = {
      numbers: Uint8Array.from(picks.slice(0, n)),
      positions,
      cell: h,
      pbc: [true, true, true],
      arrays: {},
      info: { title: 'round trip' },
    };
    if (selective) {
      s.arrays.selective = Uint8Array.from(selective.slice(0, 3 * n), Number);
      s.arrayWidths = { selective: 3 };
    }
    return s;
  });

describe('vasp writer (POSCAR, VASP 5, Direct)', () => {
  it('round-trips structures, grouping atoms by element in order of first appearance (property test)', () => {
    fc.assert(
      fc.property(structures, (s) => {
        // Nearly flat cells amplify the rounding of Direct coordinates without bound.
        const c = s.cell!;
        const len = (i: number): number => Math.hypot(c[3 * i]!, c[3 * i + 1]!, c[3 * i + 2]!);
        fc.pre(cellVolume(c) > 0.2 * len(0) * len(1) * len(2));
        const text = writeText(s);
        const back = openText(text).readFrame(0);
        const { order } = groupByElement(s.numbers);
        const n = s.numbers.length;
        expect(Array.from(back.numbers)).toEqual(Array.from(order, (i) => s.numbers[i]!));
        const expected = new Float64Array(3 * n);
        order.forEach((i, j) => expected.set(s.positions.subarray(3 * i, 3 * i + 3), 3 * j));
        expect(maxAbsDiff(back.positions, expected)).toBeLessThan(1e-12 * 100);
        expect(maxAbsDiff(back.cell!, s.cell!)).toBeLessThan(1e-13 * 100);
        const sel = s.arrays.selective as Uint8Array | undefined;
        if (sel) {
          const want = Array.from(order).flatMap((i) => [sel[3 * i]!, sel[3 * i + 1]!, sel[3 * i + 2]!]);
          expect(Array.from(back.arrays.selective as Uint8Array)).toEqual(want);
        } else expect(back.arrays.selective).toBeUndefined();
        expect(back.info.title).toBe('round trip');
      }),
      { numRuns: 200 },
    );
  });

  it('writes the symbols and counts lines in first-appearance order', () => {
    const s: Structure = {
      numbers: Uint8Array.of(8, 29, 8, 1),
      positions: new Float64Array(12),
      cell: Float64Array.of(2, 0, 0, 0, 2, 0, 0, 0, 2),
      pbc: [true, true, true],
      arrays: {},
      info: {},
    };
    const lines = writeText(s).split('\n');
    expect(lines[0]).toBe('O Cu H');
    expect(lines[1]).toBe('1.0');
    expect(lines[5]!.trim().split(/\s+/)).toEqual(['O', 'Cu', 'H']);
    expect(lines[6]!.trim().split(/\s+/)).toEqual(['2', '1', '1']);
    expect(lines[7]).toBe('Direct');
    expect(lines[2]).toBe('    2.0000000000000000    0.0000000000000000    0.0000000000000000');
  });

  it('round-trips the corpus POSCAR exactly in its digits', () => {
    const path = corpusPath('05_formats', 'Cu111_slab_frame0.POSCAR');
    const s = vaspFormat.open(new MemorySource(path, readFileSync(path))).readFrame(0);
    const back = openText(writeText(s)).readFrame(0);
    expect(maxAbsDiff(back.positions, s.positions)).toBeLessThan(1e-13);
    expect(back.cell).toEqual(s.cell);
  });

  it('refuses a structure without a cell', () => {
    const s: Structure = {
      numbers: Uint8Array.of(1),
      positions: new Float64Array(3),
      cell: null,
      pbc: [false, false, false],
      arrays: {},
      info: {},
    };
    expect(() => writeText(s)).toThrow(/needs a cell/);
  });
});
