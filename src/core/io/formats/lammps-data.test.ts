import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import { MemorySource, StringSink, memorySourceFromText } from '../source.js';
import { cellParameters, invert3 } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';
import { lammpsDataFormat, restrictedBox } from './lammps-data.js';
import { lammpsDumpFormat } from './lammps-dump.js';

/** Core may not import src/node (layering lint), so tests read corpus files into memory. */
function openCorpus(...parts: string[]): { s: Structure; warnings: string[] } {
  const path = corpusPath(...parts);
  const r = lammpsDataFormat.open(new MemorySource(path, readFileSync(path)));
  expect(r.frameCount).toBe(1);
  return { s: r.readFrame(0), warnings: r.warnings };
}

function readText(text: string, name = 'fixture.data'): Structure {
  return lammpsDataFormat.open(memorySourceFromText(name, text)).readFrame(0);
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

/** Positions of an ASE extxyz file written beside the data file (species x y z ...). */
function extxyzPositions(path: string): number[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(2);
  return lines.flatMap((l) => l.trim().split(/\s+/).slice(1, 4).map(Number));
}

describe('lammps-data: 02_eam (write_data-style files, atom_style atomic)', () => {
  const ref = reference('02_eam');
  for (const sys of Object.values(ref.systems as Record<string, { a0_A: number; structures: object }>)) {
    for (const [name, st] of Object.entries(sys.structures as Record<string, Record<string, unknown>>)) {
      it(`${name}: atoms, box 4 a0, Cu from the mass, positions as in the extxyz`, () => {
        const { s, warnings } = openCorpus('02_eam', st.data_file as string);
        expect(s.numbers.length).toBe(st.natoms);
        const l = 4 * sys.a0_A;
        expect(maxAbsDiff(s.cell!, [l, 0, 0, 0, l, 0, 0, 0, l])).toBeLessThan(1e-12);
        expect(s.info.cellOrigin).toEqual([0, 0, 0]);
        expect(s.info.atomStyle).toBe('atomic');
        expect(s.numbers.every((z) => z === 29)).toBe(true);
        expect(warnings.join()).toContain('type 1 -> Cu (mass 63.546)');
        expect((s.arrays.mass as Float64Array).every((m) => m === 63.546)).toBe(true);
        expect(Array.from((s.arrays.id as Int32Array).slice(0, 3))).toEqual([1, 2, 3]);
        const xyz = extxyzPositions(corpusPath('02_eam', st.extxyz_file as string));
        expect(maxAbsDiff(s.positions, xyz)).toBeLessThan(5e-9); // ASE writes %16.8f
        if (name.endsWith('_perfect')) {
          expect(Array.from(s.positions.slice(3, 6))).toEqual([0, sys.a0_A / 2, sys.a0_A / 2].map((v) => v));
        }
        if (st.removed_atom_position_A) {
          const [x, y, z] = st.removed_atom_position_A as number[];
          for (let i = 0; i < s.numbers.length; i++) {
            const d = Math.hypot(s.positions[3 * i]! - x!, s.positions[3 * i + 1]! - y!, s.positions[3 * i + 2]! - z!);
            expect(d).toBeGreaterThan(1);
          }
        }
      });
    }
  }
});

describe('lammps-data: 03_adatom final (write_data: unsorted ids, two types, images, Velocities)', () => {
  const { s, warnings } = openCorpus('03_adatom', 'adatom_Cu100_final.data');
  const text = readFileSync(corpusPath('03_adatom', 'adatom_Cu100_final.data'), 'utf8');

  it('sorts atoms by id and reads the header, box and step', () => {
    expect(s.numbers.length).toBe(1537);
    const ids = s.arrays.id as Int32Array;
    expect(ids.every((id, i) => id === i + 1)).toBe(true);
    expect((s.arrays.type as Int32Array)[1536]).toBe(2);
    expect((s.arrays.type as Int32Array)[0]).toBe(1);
    expect(s.numbers.every((z) => z === 29)).toBe(true);
    expect(warnings.join()).toContain('type 1 -> Cu (mass 63.55), type 2 -> Cu (mass 63.55)');
    expect(s.info.step).toBe(10000);
    expect(s.info.cellOrigin).toEqual([0, 0, -0.0030719]);
    expect(maxAbsDiff(s.cell!, [28.912, 0, 0, 0, 28.912, 0, 0, 0, 22.136233195343724 + 0.0030719])).toBeLessThan(1e-12);
    // Atom 261 is line 21 of the file: the 5th atom line, not the 261st.
    expect(Array.from(s.positions.slice(3 * 260, 3 * 261))).toEqual([
      3.437871317341379, 0.0006846041502939215, 3.565594641348086,
    ]);
    expect(s.arrayWidths).toEqual({ image: 3 });
    expect(Array.from((s.arrays.image as Int32Array).slice(3 * 288, 3 * 289))).toEqual([-1, 0, 0]);
  });

  it('matches velocities by id with the file text', () => {
    for (const id of [1, 261, 1309, 1534, 1536, 1537]) {
      const line = text
        .split('\nVelocities\n')[1]!
        .split('\n')
        .find((l) => l.startsWith(`${id} `))!;
      expect(Array.from(s.velocities!.slice(3 * (id - 1), 3 * id))).toEqual(
        line.trim().split(/\s+/).slice(1).map(Number),
      );
    }
  });

  it('x + image * L equals the unwrapped positions of the last slab dump frame (step 10000)', () => {
    const path = corpusPath('03_adatom', 'adatom_Cu100_slab_every1000.lammpstrj');
    const dump = lammpsDumpFormat.open(new MemorySource(path, readFileSync(path)));
    const last = dump.readFrame(dump.frameCount - 1);
    expect(last.info.step).toBe(10000);
    const image = s.arrays.image as Int32Array;
    const unwrapped = s.positions.map((x, k) => x + image[k]! * s.cell![4 * (k % 3)]!);
    expect(maxAbsDiff(unwrapped, last.positions)).toBeLessThanOrEqual(5e-7 + 1e-12); // dump %.6f
  });
});

describe('lammps-data: styles, labels and comments', () => {
  const box = '0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n';

  it('reads full style with images, Masses comments, Bonds and a triclinic box', () => {
    const s = readText(
      `title\n\n3 atoms\n2 bonds\n2 atom types\n1 bond types\n\n${box}1.5 -0.5 0.25 xy xz yz\n\n` +
        'Masses\n\n1 15.9994 # O\n2 1.008 # H\n\nPair Coeffs # lj/cut\n\n1 0.1 3.1\n2 0 0\n\n' +
        'Atoms # full\n\n2 7 2 0.4238 1 0 0 0 0 0\n1 7 1 -0.8476 0 0 0 1 -1 0\n3 7 2 0.4238 0 1 0 0 0 2\n\n' +
        'Bonds\n\n1 1 1 2\n2 1 1 3\n',
    );
    expect(Array.from(s.numbers)).toEqual([8, 1, 1]);
    expect(Array.from(s.arrays.charge as Float64Array)).toEqual([-0.8476, 0.4238, 0.4238]);
    expect(Array.from(s.arrays.mol as Int32Array)).toEqual([7, 7, 7]);
    expect(Array.from(s.arrays.image as Int32Array)).toEqual([1, -1, 0, 0, 0, 0, 0, 0, 2]);
    expect(Array.from(s.cell!)).toEqual([10, 0, 0, 1.5, 10, 0, -0.5, 0.25, 10]);
    expect(Array.from(s.bonds!)).toEqual([0, 1, 0, 2]);
    expect(Array.from(s.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('infers atomic, charge, full and molecular from the column count', () => {
    const atoms = (lines: string): Structure =>
      readText(`t\n\n2 atoms\n2 atom types\n\n${box}\nMasses\n\n1 12.011\n2 1.008\n\nAtoms\n\n${lines}`);
    expect(atoms('1 1 0 0 0\n2 2 1 1 1\n').info.atomStyle).toBe('atomic');
    const charge = atoms('1 1 -0.5 0 0 0\n2 2 0.5 1 1 1\n');
    expect(charge.info.atomStyle).toBe('charge');
    expect(Array.from(charge.arrays.charge as Float64Array)).toEqual([-0.5, 0.5]);
    expect(atoms('1 4 1 -0.5 0 0 0\n2 4 2 0.5 1 1 1\n').info.atomStyle).toBe('full');
    expect(atoms('1 3 1 0 0 0\n2 4 2 1 1 1\n').info.atomStyle).toBe('molecular');
    expect(atoms('1 1 0 0 0 0 0 0\n2 2 1 1 1 0 0 1\n').arrays.image).toBeInstanceOf(Int32Array);
    expect(Array.from(atoms('1 1 0 0 0\n2 2 1 1 1\n').numbers)).toEqual([6, 1]);
  });

  it('uses Atom Type Labels for elements and label-typed Atoms lines', () => {
    const s = readText(
      `t\n\n2 atoms\n2 atom types\n\n${box}\nAtom Type Labels\n\n1 Cu\n2 O\n\nMasses\n\nCu 63.546\nO 15.999\n\n` +
        'Atoms # atomic\n\n1 O 0 0 0\n2 Cu 1 1 1\n',
    );
    expect(Array.from(s.arrays.type as Int32Array)).toEqual([2, 1]);
    expect(Array.from(s.numbers)).toEqual([8, 29]);
    expect(Array.from(s.arrays.mass as Float64Array)).toEqual([15.999, 63.546]);
  });

  it('sniffs the atoms line near the top', () => {
    const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
    expect(lammpsDataFormat.sniff!(enc('LAMMPS data\n\n  864 atoms\n1 atom types\n'))).toBe(true);
    expect(lammpsDataFormat.sniff!(enc('title\r\n\r\n12 atoms\r\n'))).toBe(true);
    expect(lammpsDataFormat.sniff!(enc('3\n\nC 0 0 0\n'))).toBe(false);
  });
});

describe('lammps-data: bad input', () => {
  const head = 't\n\n2 atoms\n1 atom types\n\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\n';

  it('names the line of a non-numeric coordinate', () => {
    const e = caught(() => readText(`${head}Atoms # atomic\n\n1 1 0 0 0\n2 1 0 abc 0\n`, 'bad.data'));
    expect(e.location).toEqual({ line: 13 });
    expect(e.message).toContain('bad.data');
    expect(e.message).toContain("'abc'");
  });

  it('names where a short Atoms section ends', () => {
    const e = caught(() => readText(`${head}Atoms # atomic\n\n1 1 0 0 0\n\nVelocities\n\n1 0 0 0\n2 0 0 0\n`));
    expect(e.message).toContain("Atoms: expected 2 lines, found 'Velocities' after 1");
    expect(e.location.line).toBe(14);
    expect(caught(() => readText(`${head}Atoms # atomic\n\n1 1 0 0 0\n`)).message).toContain('unexpected end of file');
  });

  it('refuses header counts the file cannot hold, before allocating', () => {
    const e = caught(() => readText(head.replace('2 atoms', '2000000000 atoms')));
    expect(e.message).toContain('2000000000 atoms');
  });

  it('refuses a missing box, an unknown header line, types out of range and an empty file', () => {
    expect(caught(() => readText('t\n\n1 atoms\n\nAtoms\n\n1 1 0 0 0\n')).message).toContain('no box');
    expect(caught(() => readText('t\n\n1 atoms\n1 2 3 4\n')).location).toEqual({ line: 4 });
    expect(caught(() => readText(`${head}Atoms # atomic\n\n1 1 0 0 0\n2 3 0 0 0\n`)).message).toContain('type 3');
    expect(caught(() => readText('', 'empty.data')).message).toContain('empty file');
    expect(
      caught(() => readText(`${head}Atoms # atomic\n\n1 1 0 0 0\n2 1 0 0 0\n\nVelocities\n\n9 0 0 0\n2 0 0 0\n`))
        .message,
    ).toContain('no atom with id 9');
  });
});

// ---------------------------------------------------------------------------------------
// Writer

function writeText(s: Structure): string {
  const sink = new StringSink();
  lammpsDataFormat.write!([s], sink);
  return sink.toString();
}

const finite = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Random structures: restricted-triclinic cells within LAMMPS's tilt limits, a few elements. */
const structures = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    lengths: fc.tuple(finite(2, 50), finite(2, 50), finite(2, 50)),
    tilts: fc.tuple(finite(-0.5, 0.5), finite(-0.5, 0.5), finite(-0.5, 0.5)),
    origin: fc.tuple(finite(-10, 10), finite(-10, 10), finite(-10, 10)),
    style: fc.constantFrom('atomic', 'charge', 'full'),
    withVelocities: fc.boolean(),
    seed: fc.array(finite(-1, 2), { minLength: 60, maxLength: 60 }),
  })
  .map(({ n, lengths: [lx, ly, lz], tilts: [fxy, fxz, fyz], origin, style, withVelocities, seed }) => {
    const cell = Float64Array.of(lx, 0, 0, fxy * lx, ly, 0, fxz * lx, fyz * ly, lz);
    const at = (k: number): number => seed[k % seed.length]! * (1 + k / 1000);
    const zs = [29, 8, 1, 26];
    const s: Structure = {
      numbers: Uint8Array.from({ length: n }, (_, i) => zs[Math.floor(Math.abs(at(i)) * 7) % zs.length]!),
      positions: Float64Array.from({ length: 3 * n }, (_, k) => origin[k % 3]! + at(k) * 10),
      cell,
      pbc: [true, true, true],
      arrays: {},
      info: { cellOrigin: [...origin] },
    };
    if (style !== 'atomic') s.arrays.charge = Float64Array.from({ length: n }, (_, i) => at(i + 7) - 0.5);
    if (style === 'full') s.arrays.mol = Int32Array.from({ length: n }, (_, i) => 1 + (i % 3));
    if (withVelocities) s.velocities = Float64Array.from({ length: 3 * n }, (_, k) => at(k + 11) * 3);
    return s;
  });

describe('lammps-data writer', () => {
  it('round-trips atomic, charge and full structures (property test)', () => {
    fc.assert(
      fc.property(structures, (s) => {
        const back = readText(writeText(s));
        const style = s.arrays.mol ? 'full' : s.arrays.charge ? 'charge' : 'atomic';
        expect(back.info.atomStyle).toBe(style);
        expect(Array.from(back.numbers)).toEqual(Array.from(s.numbers));
        expect(maxAbsDiff(back.positions, s.positions)).toBeLessThanOrEqual(1e-12 * 100);
        expect(maxAbsDiff(back.cell!, s.cell!)).toBeLessThanOrEqual(1e-12 * 100);
        expect(maxAbsDiff(back.info.cellOrigin as number[], s.info.cellOrigin as number[])).toBe(0);
        // Exact, up to -0 written as 0.
        if (s.arrays.charge)
          expect(maxAbsDiff(back.arrays.charge as Float64Array, s.arrays.charge as Float64Array)).toBe(0);
        if (s.arrays.mol) expect(back.arrays.mol).toEqual(s.arrays.mol);
        if (s.velocities) expect(maxAbsDiff(back.velocities!, s.velocities)).toBe(0);
        else expect(back.velocities).toBeUndefined();
        expect(Array.from(back.arrays.id as Int32Array)).toEqual(
          Array.from({ length: s.numbers.length }, (_, i) => i + 1),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('rotates a general cell into lower-triangular form, keeping lattice, fractions and distances', () => {
    const rotationOf = (t: number): Float64Array => {
      const [c, s] = [Math.cos(t), Math.sin(t)];
      // Rotation about (1, 1, 1)/sqrt(3) by t (Rodrigues), as a row-vector map.
      const u = 1 / Math.sqrt(3);
      const k = 1 - c;
      return Float64Array.of(
        c + u * u * k, u * u * k + u * s, u * u * k - u * s,
        u * u * k - u * s, c + u * u * k, u * u * k + u * s,
        u * u * k + u * s, u * u * k - u * s, c + u * u * k,
      ); // prettier-ignore
    };
    fc.assert(
      fc.property(structures, finite(0.1, 3), (s, angle) => {
        const m = rotationOf(angle);
        const turn = (v: Float64Array): Float64Array =>
          Float64Array.from(v, (_, k) => {
            const b = k - (k % 3);
            const j = k % 3;
            return v[b]! * m[j]! + v[b + 1]! * m[3 + j]! + v[b + 2]! * m[6 + j]!;
          });
        const rotated: Structure = { ...s, cell: turn(s.cell!), positions: turn(s.positions), info: {} };
        if (s.velocities) rotated.velocities = turn(s.velocities);
        const back = readText(writeText(rotated));
        const [p, q] = [cellParameters(back.cell!), cellParameters(rotated.cell!)];
        expect(maxAbsDiff(p, q)).toBeLessThan(1e-9);
        const frac = (x: Float64Array, cell: Float64Array): number[] => {
          const inv = invert3(cell);
          return Array.from(x, (_, k) => {
            const b = k - (k % 3);
            const j = k % 3;
            return x[b]! * inv[j]! + x[b + 1]! * inv[3 + j]! + x[b + 2]! * inv[6 + j]!;
          });
        };
        expect(maxAbsDiff(frac(back.positions, back.cell!), frac(rotated.positions, rotated.cell!))).toBeLessThan(1e-9);
        if (s.velocities) {
          const speed = (v: Float64Array, i: number): number => Math.hypot(v[3 * i]!, v[3 * i + 1]!, v[3 * i + 2]!);
          for (let i = 0; i < s.numbers.length; i++) {
            expect(Math.abs(speed(back.velocities!, i) - speed(rotated.velocities!, i))).toBeLessThan(1e-9);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('writes LAMMPS-style text: counts, box, tilt, Masses with symbols, style comment, images', () => {
    const s = readText(readFileSync(corpusPath('03_adatom', 'adatom_Cu100_final.data'), 'utf8'));
    const text = writeText(s);
    expect(text).toMatch(
      /^LAMMPS data file via write_data, version 29 Sep 2021, timestep = 10000\n\n1537 atoms\n2 atom types\n/,
    );
    expect(text).toContain('\n0 28.912 xlo xhi\n');
    expect(text).toContain('\n-0.0030719 22.136233195343724 zlo zhi\n');
    expect(text).toContain('\nMasses\n\n1 63.55 # Cu\n2 63.55 # Cu\n\nAtoms # atomic\n\n1 1 0 0 0 0 0 0\n');
    expect(text).toContain('\n289 1 28.8118214908625 3.421670870957118 3.775249117200261 -1 0 0\n');
    expect(text).toContain('\nVelocities\n\n1 0 0 0\n');
    expect(text).not.toContain('xy xz yz');
    const back = readText(text);
    expect(back.positions).toEqual(s.positions);
    expect(back.velocities).toEqual(s.velocities);
    expect(back.arrays.image).toEqual(s.arrays.image);
    expect(back.arrays.type).toEqual(s.arrays.type);
  });

  it('reduces tilts beyond half a box length to an equivalent lattice and drops image flags', () => {
    const box = restrictedBox(Float64Array.of(10, 0, 0, 7, 10, 0, -8, 6, 10));
    expect(Array.from(box.cell)).toEqual([10, 0, 0, -3, 10, 0, -5, -4, 10]);
    expect(box.latticeChanged).toBe(true);
    expect(box.rotation).toBeNull();
    const s: Structure = {
      numbers: Uint8Array.of(29),
      positions: Float64Array.of(1, 2, 3),
      cell: Float64Array.of(10, 0, 0, 7, 10, 0, -8, 6, 10),
      pbc: [true, true, true],
      arrays: { image: Int32Array.of(1, 0, 0) },
      arrayWidths: { image: 3 },
      info: {},
    };
    const text = writeText(s);
    expect(text).toContain('\n-3 -5 -4 xy xz yz\n');
    expect(text).toContain('\n1 1 1 2 3\n');
    // A left-handed cell becomes right-handed by flipping c.
    expect(Array.from(restrictedBox(Float64Array.of(5, 0, 0, 0, 5, 0, 0, 0, -5)).cell)).toEqual([
      5, 0, 0, 0, 5, 0, 0, 0, 5,
    ]);
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
