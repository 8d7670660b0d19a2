import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource, StringSink, memorySourceFromText } from '../source.js';
import { cellFromParameters } from '../../model/cell.js';
import { masses } from '../../model/elements.js';
import type { Structure } from '../../model/structure.js';
import { groFormat, guessGroElement } from './gro.js';

const formats = reference('05_formats');
const gmx = reference('04_gromacs');
const bad = reference('bad');

/** Core may not import src/node (layering lint), so tests read corpus files into memory. */
function open(...parts: string[]): TrajectoryReader {
  const file = corpusPath(...parts);
  return groFormat.open(new MemorySource(file, readFileSync(file)));
}

const openText = (text: string): TrajectoryReader => groFormat.open(memorySourceFromText('mem.gro', text));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(tol);
}

function atomXyz(v: Float64Array, i: number): number[] {
  const k = i < 0 ? v.length / 3 + i : i;
  return Array.from(v.subarray(3 * k, 3 * k + 3));
}

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

const totalMass = (s: Structure): number => s.numbers.reduce((m, z) => m + masses[z]!, 0);

describe('GRO reader on the corpus', () => {
  it('reads the MDAnalysis slab: 27 Cu, triclinic box in Å, positions within 0.001 nm', () => {
    const r = open('05_formats', 'Cu111_slab_frame0_mda.gro');
    expect(r.format).toBe('gro');
    expect(r.frameCount).toBe(1);
    expect(r.atomCount).toBe(formats.natoms);
    const s = r.readFrame(0);
    expect(Array.from(s.numbers).every((z) => z === 29)).toBe(true);
    expectClose(s.cell!, formats.cell_A.flat(), 5e-5 * 10 + 1e-12);
    expect(s.pbc).toEqual([true, true, true]);
    const ref = formats.positions_A_atoms_0_1_last.first_frame;
    [0, 1, -1].forEach((i, k) => expectClose(atomXyz(s.positions, i), ref[k], 0.0005 * 10 + 1e-12));
    expect(s.velocities).toBeUndefined();
    expect(s.info.title).toBe('Written by MDAnalysis');
  });

  for (const [system, file] of [
    ['water', 'water_public_start.gro'],
    ['water', 'water_public_final.gro'],
    ['water', 'water_public_solvated.gro'],
    ['peptide', 'peptide_public_start.gro'],
    ['peptide', 'peptide_public_final.gro'],
  ] as const) {
    it(`reads ${file}: atom count, box, elements whose masses add up to the tpr mass`, () => {
      const sys = gmx.systems[system];
      const r = open('04_gromacs', file);
      const s = r.readFrame(0);
      expect(s.numbers.length).toBe(sys.tpr_natoms);
      expect(s.numbers.every((z) => z > 0)).toBe(true);
      // Element guessing checked by mass: GROMACS and IUPAC masses differ by < 1e-4 relative.
      expect(Math.abs(totalMass(s) - sys.tpr_total_mass_amu) / sys.tpr_total_mass_amu).toBeLessThan(1e-4);
      const resid = s.arrays.resid as Int32Array;
      expect(new Set(resid).size).toBe(sys.tpr_n_residues);
      if (file.endsWith('final.gro')) {
        expectClose(
          [s.cell![0]!, s.cell![4]!, s.cell![8]!],
          sys.final_gro.box_nm.map((x: number) => 10 * x),
          1e-9,
        );
        expect(s.info.title).toBe(sys.final_gro.title);
        expect(s.numbers.length).toBe(sys.final_gro.natoms);
      }
    });
  }

  it('reads velocities (nm/ps -> Å/ps) and keeps names, residues and numbers as written', () => {
    const s = open('04_gromacs', 'peptide_public_final.gro').readFrame(0);
    expectClose(atomXyz(s.velocities!, 0), [4.39, 5.601, 0.944], 1e-9);
    expectClose(atomXyz(s.positions, 0), [23.83, 20.85, 19.63], 1e-9);
    expect((s.arrays.name as string[]).slice(0, 2)).toEqual(['N', 'H1']);
    expect((s.arrays.resname as string[])[0]).toBe('TYR');
    expect((s.arrays.resid as Int32Array)[0]).toBe(1);
    expect((s.arrays.id as Int32Array)[4]).toBe(5);
    const names = s.arrays.name as string[];
    expect(s.numbers[names.indexOf('CA')]).toBe(6); // C-alpha, not calcium
    expect(s.numbers[names.indexOf('SD')]).toBe(16);
    expect(s.numbers[names.indexOf('OW')]).toBe(8);
    expect(s.numbers[names.indexOf('HW1')]).toBe(1);
  });
});

describe('GRO reader on bad input', () => {
  it('water_wrong_count.gro: names the box line (1533) read where atom 1531 is expected', () => {
    expect(bad.files['water_wrong_count.gro'].mutation).toContain('1533');
    const e = parseErrorOf(() => open('bad', 'water_wrong_count.gro'));
    expect(e.message).toContain('water_wrong_count.gro');
    expect(e.location.line).toBe(1533);
    expect(e.reason).toContain('line 1533 is the box line, read where atom 1531 is expected');
  });

  it('a count too small lands an atom line where the box line should be', () => {
    const text = readFileSync(corpusPath('04_gromacs', 'water_public_start.gro'), 'utf8').replace(' 1530\n', ' 1529\n');
    const e = parseErrorOf(() => openText(text));
    expect(e.location.line).toBe(1532);
    expect(e.reason).toContain('expected the box line');
  });

  it('a non-numeric coordinate names line and columns; an empty file and a bad count line fail clearly', () => {
    const text = 'x\n1\n    1SOL     OW    1   0.255   a.646   0.062\n   1.0 1.0 1.0\n';
    const e = parseErrorOf(() => openText(text).readFrame(0));
    expect(e.location).toEqual({ frame: 0, line: 3 });
    expect(e.reason).toContain('columns 29-36');
    expect(parseErrorOf(() => openText('')).reason).toBe('empty file');
    expect(parseErrorOf(() => openText('t\nmany\n')).location).toEqual({ frame: 0, line: 2 });
  });

  it('a truncated last frame keeps the complete frames and warns', () => {
    const one = readFileSync(corpusPath('05_formats', 'Cu111_slab_frame0_mda.gro'), 'utf8');
    const r = openText(one + one + one.slice(0, 300));
    expect(r.frameCount).toBe(2);
    expect(r.warnings[0]).toContain('frame 2');
    expect(r.warnings[0]).toContain(`byte ${2 * one.length}`);
  });
});

describe('GRO details', () => {
  it('reads concatenated frames with time and step from the title', () => {
    const frame = (t: number, x: string): string =>
      `Protein in water t= ${t.toFixed(5)} step= ${t * 500}\n    1\n    1SOL     OW    1${x}   0.000   0.000\n   1.00000   1.00000   1.00000\n`;
    const r = openText(frame(0, '   0.100') + frame(2, '   0.200'));
    expect(r.frameCount).toBe(2);
    const s = r.readFrame(1);
    expect(s.info.time).toBe(2);
    expect(s.info.step).toBe(1000);
    expect(s.positions[0]).toBeCloseTo(2, 12);
  });

  it('infers wider fields from the decimal points and slices numbers that run together', () => {
    const line = '99999LONGRLONGA99999-123.45678-200.00000 300.12345 -1.234567-2.000000 3.000000';
    const r = openText(`hi-res\n1\n${line}\n  10.0 10.0 10.0\n`);
    const s = r.readFrame(0);
    expectClose(s.positions, [-1234.5678, -2000, 3001.2345], 1e-9);
    expectClose(s.velocities!, [-12.34567, -20, 30], 1e-9);
    expect((s.arrays.resid as Int32Array)[0]).toBe(99999);
    expect((s.arrays.resname as string[])[0]).toBe('LONGR');
    expect((s.arrays.name as string[])[0]).toBe('LONGA');
  });

  it('reads a 9-value box as a triclinic cell and an all-zero box as none', () => {
    const atom = '    1SOL     OW    1   0.000   0.000   0.000\n';
    const tri = openText(`t\n1\n${atom}   1.0 2.0 3.0 0.0 0.0 0.5 0.0 0.7 0.8\n`).readFrame(0);
    expect(Array.from(tri.cell!)).toEqual([10, 0, 0, 5, 20, 0, 7, 8, 30]);
    const none = openText(`t\n1\n${atom}   0.0 0.0 0.0\n`).readFrame(0);
    expect(none.cell).toBeNull();
    expect(none.pbc).toEqual([false, false, false]);
  });

  it('guesses ion elements from the residue and keeps virtual sites unknown', () => {
    expect(guessGroElement('NA', 'NA')).toBe(11);
    expect(guessGroElement('CL', 'CL')).toBe(17);
    expect(guessGroElement('SOD', 'SOD')).toBe(11);
    expect(guessGroElement('CA', 'CA')).toBe(20);
    expect(guessGroElement('CA', 'ALA')).toBe(6);
    expect(guessGroElement('Cu', 'SLB')).toBe(29);
    expect(guessGroElement('MW', 'SOL')).toBe(0);
    expect(guessGroElement('1HB', 'ALA')).toBe(1);
  });

  it('reuses an index, reports progress and can be cancelled', () => {
    const bytes = readFileSync(corpusPath('04_gromacs', 'water_public_start.gro'));
    const r0 = groFormat.open(new MemorySource('w.gro', bytes));
    const r = groFormat.open(new MemorySource('w.gro', bytes), { index: r0.frameIndex!() });
    expect(r.readFrame(0).positions).toEqual(r0.readFrame(0).positions);
    const progress: number[] = [];
    groFormat.open(new MemorySource('w.gro', bytes), { onProgress: (f) => progress.push(f) });
    expect(progress.at(-1)).toBe(1);
    expect(() => groFormat.open(new MemorySource('w.gro', bytes), { isCancelled: () => true })).toThrow(AbortError);
  });

  it('sniffs GRO heads only', () => {
    const head = (f: string): Uint8Array => readFileSync(corpusPath(...f.split('/'))).subarray(0, 4096);
    expect(groFormat.sniff!(head('04_gromacs/water_public_start.gro'))).toBe(true);
    expect(groFormat.sniff!(head('05_formats/Cu111_slab_frame0_mda.gro'))).toBe(true);
    expect(groFormat.sniff!(head('05_formats/Cu111_slab_mda.xyz'))).toBe(false);
    expect(groFormat.sniff!(head('05_formats/Cu111_slab_mda.pdb'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

function write(frames: Structure[], title?: string): string {
  const sink = new StringSink();
  groFormat.write!(frames, sink, title ? { title } : {});
  return sink.toString();
}

const coordA = fc.double({ min: -9000, max: 90000, noNaN: true }); // Å; %8.3f nm holds -999.999..9999.999
const velA = fc.double({ min: -900, max: 900, noNaN: true });

const frameArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    numbers: fc.array(fc.constantFrom(1, 6, 7, 8, 16, 29), { minLength: n, maxLength: n }),
    positions: fc.array(coordA, { minLength: 3 * n, maxLength: 3 * n }),
    velocities: fc.option(fc.array(velA, { minLength: 3 * n, maxLength: 3 * n })),
    box: fc.option(
      fc.tuple(
        fc.double({ min: 5, max: 90, noNaN: true }),
        fc.double({ min: 5, max: 90, noNaN: true }),
        fc.double({ min: 5, max: 90, noNaN: true }),
        fc.double({ min: 75, max: 105, noNaN: true }),
        fc.double({ min: 75, max: 105, noNaN: true }),
        fc.double({ min: 75, max: 105, noNaN: true }),
      ),
    ),
    time: fc.option(fc.integer({ min: 0, max: 100000 })),
  }),
);

describe('GRO writer', () => {
  it('round-trips random frames: positions to 0.0005 nm, velocities to 0.00005 nm/ps, box to 1e-5 nm', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 3 }), (raw) => {
        const frames: Structure[] = raw.map((r) => {
          const s: Structure = {
            numbers: Uint8Array.from(r.numbers),
            positions: Float64Array.from(r.positions),
            cell: r.box ? cellFromParameters(...r.box) : null,
            pbc: r.box ? [true, true, true] : [false, false, false],
            arrays: {},
            info: r.time === null ? {} : { time: r.time / 100 },
          };
          if (r.velocities) s.velocities = Float64Array.from(r.velocities);
          return s;
        });
        const back = openText(write(frames));
        expect(back.frameCount).toBe(frames.length);
        frames.forEach((f, i) => {
          const b = back.readFrame(i);
          expect(b.numbers).toEqual(f.numbers);
          expectClose(b.positions, f.positions, 0.005 + 1e-9);
          if (f.velocities) expectClose(b.velocities!, f.velocities, 0.0005 + 1e-9);
          else expect(b.velocities).toBeUndefined();
          if (f.cell) expectClose(b.cell!, f.cell, 5e-5 + 1e-9);
          else expect(b.cell).toBeNull();
          if (f.info.time !== undefined) expect(b.info.time).toBeCloseTo(f.info.time as number, 9);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('re-writes the GROMACS water box column for column', () => {
    const original = readFileSync(corpusPath('04_gromacs', 'water_public_start.gro'), 'utf8');
    const s = open('04_gromacs', 'water_public_start.gro').readFrame(0);
    const text = write([s], 'spce water box 2.5 nm');
    expect(text.split('\n').slice(0, 1532)).toEqual(original.split('\n').slice(0, 1532));
    expect(text.split('\n')[1532]).toBe('   2.50000   2.50000   2.50000');
  });

  it('wraps residue and atom numbers at 100000', () => {
    const n = 100001;
    const s: Structure = {
      numbers: new Uint8Array(n).fill(8),
      positions: new Float64Array(3 * n),
      cell: null,
      pbc: [false, false, false],
      arrays: { resid: Int32Array.from({ length: n }, (_, i) => i + 1) },
      info: {},
    };
    const lines = write([s]).split('\n');
    expect(lines[2 + 99998]!.slice(0, 20)).toBe('99999MOL      O99999');
    expect(lines[2 + 99999]!.slice(0, 20)).toBe('    0MOL      O    0');
    expect(openText(lines.join('\n')).readFrame(0).numbers.length).toBe(n);
  });

  it('rotates a cell into the lower-triangular box GROMACS requires', () => {
    const s: Structure = {
      numbers: Uint8Array.of(8),
      positions: Float64Array.of(1, 2, 3),
      cell: Float64Array.of(0, 20, 0, -20, 0, 0, 0, 0, 30),
      pbc: [true, true, true],
      arrays: {},
      info: {},
    };
    const b = openText(write([s])).readFrame(0);
    expectClose(b.cell!, [20, 0, 0, 0, 20, 0, 0, 0, 30], 1e-9);
    expectClose(b.positions, [2, -1, 3], 0.005);
  });
});
