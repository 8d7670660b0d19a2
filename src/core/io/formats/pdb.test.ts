import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource, StringSink, memorySourceFromText } from '../source.js';
import { cellFromParameters, cellParameters } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';
import { decodeHybrid36, elementFromAtomName, encodeHybrid36, pdbFormat } from './pdb.js';

const formats = reference('05_formats');
const bad = reference('bad');

/** Core may not import src/node (layering lint), so tests read corpus files into memory. */
function open(...parts: string[]): TrajectoryReader {
  const file = corpusPath(...parts);
  return pdbFormat.open(new MemorySource(file, readFileSync(file)));
}

const openText = (text: string): TrajectoryReader => pdbFormat.open(memorySourceFromText('mem.pdb', text));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(tol);
}

function atomXyz(s: Structure, i: number): number[] {
  const k = i < 0 ? s.numbers.length + i : i;
  return Array.from(s.positions.subarray(3 * k, 3 * k + 3));
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

/** 'ATOM' line with the given name (cols 13-16), resname and element columns. */
function atom(serial: number, name: string, resname: string, x: number, y: number, z: number, element = ''): string {
  const f = (v: number): string => v.toFixed(3).padStart(8);
  return (
    `ATOM  ${String(serial).padStart(5)} ${name.padEnd(4)} ${resname.padEnd(3)} A   1    ` +
    `${f(x)}${f(y)}${f(z)}  1.00  0.00          ${element.padStart(2)}`
  );
}

describe('PDB reader on the corpus (05_formats)', () => {
  const ref = formats.positions_A_atoms_0_1_last;
  const cellPar = formats.cellpar_A_deg;

  for (const file of ['Cu111_slab_ase.pdb', 'Cu111_slab_mda.pdb', 'Cu111_slab_mdtraj.pdb']) {
    it(`reads ${file}: 8 models of 27 Cu, CRYST1 cell, positions within 0.001 A`, () => {
      const r = open('05_formats', file);
      expect(r.format).toBe('pdb');
      expect(r.frameCount).toBe(formats.n_frames);
      expect(r.atomCount).toBe(formats.natoms);
      expect(r.warnings).toEqual([]);
      const first = r.readFrame(0);
      const last = r.readFrame(7);
      for (const s of [first, last]) {
        expect(s.numbers.length).toBe(27);
        expect(Array.from(s.numbers).every((z) => z === 29)).toBe(true);
        const [a, b, c, alpha, beta, gamma] = cellParameters(s.cell!);
        expectClose([a, b, c], cellPar.slice(0, 3), 0.001);
        expectClose([alpha, beta, gamma], cellPar.slice(3), 0.01);
        expect(s.pbc).toEqual([true, true, true]);
      }
      // The PDB cell orientation (a along x, b in xy) is the one the reference cell has.
      expectClose(first.cell!, formats.cell_A.flat(), 0.002);
      [0, 1, -1].forEach((i, k) => {
        expectClose(atomXyz(first, i), ref.first_frame[k], 0.0005 + 1e-9);
        expectClose(atomXyz(last, i), ref.last_frame[k], 0.0005 + 1e-9);
      });
      expect(first.arrays.name).toHaveLength(27);
      expect((first.arrays.name as string[])[0]).toBe('Cu');
    });
  }

  it('keeps the per-atom columns', () => {
    const s = open('05_formats', 'Cu111_slab_mda.pdb').readFrame(0);
    expect((s.arrays.resname as string[])[0]).toBe('SLB');
    expect((s.arrays.chain as string[])[0]).toBe('X');
    expect(Array.from(s.arrays.id as Int32Array).slice(0, 3)).toEqual([1, 2, 3]);
    expect((s.arrays.resid as Int32Array)[0]).toBe(1);
    expect((s.arrays.occupancy as Float64Array)[0]).toBe(1);
    expect((s.arrays.bfactor as Float64Array)[0]).toBe(0);
    expect((s.arrays.hetatm as Uint8Array)[0]).toBe(0);
  });
});

describe('PDB reader on the peptide (04_gromacs)', () => {
  it('reads the trjconv frame: 75 protein atoms, elements, cell 37.122 A', () => {
    const gmx = reference('04_gromacs');
    const r = open('04_gromacs', 'peptide_public_xtc_frame0_protein.pdb');
    expect(r.frameCount).toBe(1);
    const s = r.readFrame(0);
    expect(s.numbers.length).toBe(gmx.systems.peptide.peptide.n_protein_atoms);
    const names = s.arrays.name as string[];
    const backbone = names.filter((n) => n === 'N' || n === 'CA' || n === 'C').length;
    expect(backbone).toBe(gmx.systems.peptide.peptide.n_backbone_atoms_N_CA_C);
    expect(cellParameters(s.cell!).slice(0, 3)).toEqual([37.122, 37.122, 37.122]);
    // CA is carbon (alpha), never calcium; H1/HB1... are hydrogens.
    expect(s.numbers[names.indexOf('CA')]).toBe(6);
    expect(new Set(s.numbers)).toEqual(new Set([1, 6, 7, 8, 16]));
  });

  it('reads CONECT records of the RDKit peptide as bonds with orders', () => {
    const s = open('04_gromacs', 'peptide_public_rdkit_input.pdb').readFrame(0);
    expect(s.numbers.length).toBe(40);
    // YGGFM heavy atoms: a connected graph with two rings has atoms + 1 bonds.
    expect(s.bonds!.length / 2).toBe(41);
    const orders = Array.from(s.bondOrders!);
    expect(orders.filter((o) => o === 2).length).toBe(5 + 3 + 3); // 5 C=O + two Kekule rings
    expect(orders.every((o) => o === 1 || o === 2)).toBe(true);
  });
});

describe('PDB reader on bad input', () => {
  it('binary_renamed.pdb: "not a text PDB" naming the file, no atoms', () => {
    expect(bad.files['binary_renamed.pdb']).toBeDefined();
    const e = parseErrorOf(() => open('bad', 'binary_renamed.pdb'));
    expect(e.message).toContain('binary_renamed.pdb');
    expect(e.reason).toContain('not a text PDB');
  });

  it('slab_garbage_columns.pdb: names line 6 and columns 31-38', () => {
    const r = open('bad', 'slab_garbage_columns.pdb');
    const e = parseErrorOf(() => r.readFrame(0));
    expect(e.message).toContain('slab_garbage_columns.pdb');
    expect(e.location).toEqual({ frame: 0, line: bad.files['slab_garbage_columns.pdb'].bad_line });
    expect(e.reason).toContain('columns 31-38');
    expect(e.reason).toContain('x.y.z!');
    expect(r.readFrame(1).numbers.length).toBe(27);
  });

  it('a file without atoms, an empty file, a short ATOM line', () => {
    expect(parseErrorOf(() => openText('REMARK nothing here\nEND\n')).reason).toContain('no ATOM or HETATM');
    expect(parseErrorOf(() => openText('')).reason).toBe('empty file');
    const e = parseErrorOf(() => openText('ATOM      1  C   MOL A   1       1.000   2.0\n').readFrame(0));
    expect(e.location).toEqual({ frame: 0, line: 1 });
  });

  it('a model cut before ENDMDL keeps the complete models and warns', () => {
    const text = readFileSync(corpusPath('05_formats', 'Cu111_slab_mda.pdb'), 'utf8');
    const cut = text.slice(0, text.indexOf('MODEL        3') + 400);
    const r = openText(cut);
    expect(r.frameCount).toBe(2);
    expect(r.warnings[0]).toContain('frame 2');
  });
});

describe('PDB details', () => {
  it('reads touching negative coordinates by column', () => {
    const line = 'ATOM      1  C   MOL A   1    -123.456-100.000  -9.999  1.00  0.00           C';
    expect(Array.from(openText(line + '\n').readFrame(0).positions)).toEqual([-123.456, -100, -9.999]);
  });

  it('treats CRYST1 1 1 1 90 90 90 as no cell', () => {
    const text =
      'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1\n' + atom(1, ' C', 'MOL', 0, 0, 0, 'C');
    const s = openText(text).readFrame(0);
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
  });

  it('reads models with different atom counts and END-separated frames', () => {
    const models = ['MODEL        1', atom(1, ' C', 'MOL', 0, 0, 0), 'ENDMDL', 'MODEL        2'];
    models.push(atom(1, ' C', 'MOL', 1, 0, 0), atom(2, ' O', 'MOL', 2, 0, 0), 'ENDMDL', 'END');
    const r = openText(models.join('\n') + '\n');
    expect(r.frameCount).toBe(2);
    expect(r.readFrame(0).numbers.length).toBe(1);
    expect(Array.from(r.readFrame(1).numbers)).toEqual([6, 8]);
    const ends = [atom(1, ' C', 'MOL', 0, 0, 0), 'END', atom(1, ' N', 'MOL', 0, 0, 0), 'END'].join('\n');
    const r2 = openText(ends + '\n');
    expect(r2.frameCount).toBe(2);
    expect(r2.readFrame(1).numbers[0]).toBe(7);
  });

  it('reads serials past 99999 in hybrid-36 and wrapped ones', () => {
    expect(decodeHybrid36('99999', 5)).toBe(99999);
    expect(decodeHybrid36('A0000', 5)).toBe(100000);
    expect(decodeHybrid36('ZZZZZ', 5)).toBe(100000 + 26 * 36 ** 4 - 1);
    expect(decodeHybrid36('a0000', 5)).toBe(100000 + 26 * 36 ** 4);
    expect(decodeHybrid36('A000', 4)).toBe(10000);
    expect(decodeHybrid36('*****', 5)).toBeNaN();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 + 52 * 36 ** 4 - 1 }), (n) => {
        const t = encodeHybrid36(n, 5);
        expect(t).toHaveLength(5);
        expect(decodeHybrid36(t, 5)).toBe(n);
      }),
    );
    const line = atom(1, ' C', 'MOL', 0, 0, 0, 'C').replace('    1', 'A0001');
    expect((openText(line + '\n').readFrame(0).arrays.id as Int32Array)[0]).toBe(100001);
  });

  it('guesses elements from atom-name alignment when columns 77-78 are blank', () => {
    expect(elementFromAtomName(' CA ', 'ALA')).toBe(6);
    expect(elementFromAtomName('CA  ', 'ALA')).toBe(6); // misaligned C-alpha in a protein
    expect(elementFromAtomName('CA  ', 'CA')).toBe(20); // calcium ion
    expect(elementFromAtomName('FE  ', 'HEM')).toBe(26);
    expect(elementFromAtomName('HG21', 'THR')).toBe(1);
    expect(elementFromAtomName('HG21', 'LIG')).toBe(1);
    expect(elementFromAtomName('1HB ', 'ALA')).toBe(1);
    expect(elementFromAtomName('  Cu', 'MOL')).toBe(29);
    expect(elementFromAtomName('CL  ', 'CL')).toBe(17);
    expect(elementFromAtomName(' OW ', 'SOL')).toBe(8);
    const r = openText(atom(1, ' CA', 'ALA', 0, 0, 0) + '\n');
    expect(r.readFrame(0).numbers[0]).toBe(6);
    expect(r.warnings.join()).toContain('guessed from atom names');
  });

  it('reuses a frame index, reports progress and can be cancelled', () => {
    const bytes = readFileSync(corpusPath('05_formats', 'Cu111_slab_mda.pdb'));
    const r0 = pdbFormat.open(new MemorySource('a.pdb', bytes));
    const progress: number[] = [];
    const r = pdbFormat.open(new MemorySource('a.pdb', bytes), { index: r0.frameIndex!() });
    expect(r.frameCount).toBe(8);
    expect(r.readFrame(5).positions).toEqual(r0.readFrame(5).positions);
    pdbFormat.open(new MemorySource('a.pdb', bytes), { onProgress: (f) => progress.push(f) });
    expect(progress.at(-1)).toBe(1);
    expect(() => pdbFormat.open(new MemorySource('a.pdb', bytes), { isCancelled: () => true })).toThrow(AbortError);
  });

  it('sniffs PDB heads and not XYZ or binary', () => {
    const head = (f: string): Uint8Array => readFileSync(corpusPath(...f.split('/'))).subarray(0, 4096);
    expect(pdbFormat.sniff!(head('05_formats/Cu111_slab_ase.pdb'))).toBe(true);
    expect(pdbFormat.sniff!(head('05_formats/Cu111_slab_mdtraj.pdb'))).toBe(true);
    expect(pdbFormat.sniff!(head('04_gromacs/peptide_public_rdkit_input.pdb'))).toBe(true);
    expect(pdbFormat.sniff!(head('bad/binary_renamed.pdb'))).toBe(false);
    expect(pdbFormat.sniff!(head('05_formats/Cu111_slab.extxyz'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

function write(frames: Structure[], title?: string): string {
  const sink = new StringSink();
  pdbFormat.write!(frames, sink, title ? { title } : {});
  return sink.toString();
}

const coord = fc.double({ min: -999, max: 9999, noNaN: true });
const elements = fc.constantFrom(1, 6, 7, 8, 16, 26, 29, 17, 11, 79);

const frameArb = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    numbers: fc.array(elements, { minLength: n, maxLength: n }),
    positions: fc.array(coord, { minLength: 3 * n, maxLength: 3 * n }),
    cell: fc.option(
      fc.tuple(
        fc.double({ min: 2, max: 99, noNaN: true }),
        fc.double({ min: 2, max: 99, noNaN: true }),
        fc.double({ min: 2, max: 99, noNaN: true }),
        // 75-105 degrees always make a valid (non-degenerate) cell
        fc.double({ min: 75, max: 105, noNaN: true }),
        fc.double({ min: 75, max: 105, noNaN: true }),
        fc.double({ min: 75, max: 105, noNaN: true }),
      ),
    ),
    resid: fc.array(fc.integer({ min: 0, max: 200000 }), { minLength: n, maxLength: n }),
  }),
);

describe('PDB writer', () => {
  it('round-trips random frames: elements, positions to 0.0005 A, cell to 0.001 A / 0.01 deg, resids', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 3 }), (raw) => {
        const frames: Structure[] = raw.map((r) => ({
          numbers: Uint8Array.from(r.numbers),
          positions: Float64Array.from(r.positions),
          // Cells in PDB orientation so positions are not rotated on the way out.
          cell: r.cell ? cellFromParameters(...r.cell) : null,
          pbc: r.cell ? [true, true, true] : [false, false, false],
          arrays: { resid: Int32Array.from(r.resid) },
          info: {},
        }));
        const back = openText(write(frames));
        expect(back.frameCount).toBe(frames.length);
        frames.forEach((f, i) => {
          const b = back.readFrame(i);
          expect(b.numbers).toEqual(f.numbers);
          expectClose(b.positions, f.positions, 0.0005 + 1e-9);
          expect(b.arrays.resid).toEqual(f.arrays.resid);
          if (!f.cell) expect(b.cell).toBeNull();
          else {
            const p = cellParameters(f.cell);
            const q = cellParameters(b.cell!);
            expectClose(q.slice(0, 3), p.slice(0, 3), 0.0005 + 1e-9);
            expectClose(q.slice(3), p.slice(3), 0.005 + 1e-9);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('re-writes the MDAnalysis slab as MODEL/ENDMDL with CRYST1 and the same columns', () => {
    const r = open('05_formats', 'Cu111_slab_mda.pdb');
    const frames = [r.readFrame(0), r.readFrame(1)];
    const text = write(frames, 'slab');
    expect(text.startsWith('TITLE     slab\nCRYST1    7.658    7.658   16.168  90.00  90.00  60.00 P 1')).toBe(true);
    expect(text).toContain(
      'MODEL        1\nATOM      1 Cu   SLB X   1       1.276   0.737   6.000  1.00  0.00          CU',
    );
    expect(text.trimEnd().endsWith('ENDMDL\nEND')).toBe(true);
    const back = openText(text);
    expectClose(back.readFrame(1).positions, frames[1]!.positions, 0); // -0.000 comes back as 0
    expect(back.readFrame(1).arrays.name).toEqual(frames[1]!.arrays.name);
  });

  it('rotates a cell that is not in PDB orientation, keeping fractional coordinates', () => {
    const cell = Float64Array.of(0, 5, 0, -5, 0, 0, 0, 0, 7); // a along y
    const s: Structure = {
      numbers: Uint8Array.of(6),
      positions: Float64Array.of(1, 2, 3), // fractional (0.4, -0.2, 3/7)
      cell,
      pbc: [true, true, true],
      arrays: {},
      info: {},
    };
    const b = openText(write([s])).readFrame(0);
    expectClose(b.cell!, [5, 0, 0, 0, 5, 0, 0, 0, 7], 1e-9);
    expectClose(b.positions, [2, -1, 3], 0.0005);
  });

  it('writes bonds as CONECT records that read back with their orders', () => {
    const s = open('04_gromacs', 'peptide_public_rdkit_input.pdb').readFrame(0);
    const b = openText(write([s])).readFrame(0);
    expect(b.bonds).toEqual(s.bonds);
    expect(b.bondOrders).toEqual(s.bondOrders);
  });

  it('refuses coordinates that do not fit 8.3f', () => {
    const s: Structure = {
      numbers: Uint8Array.of(6),
      positions: Float64Array.of(123456, 0, 0),
      cell: null,
      pbc: [false, false, false],
      arrays: {},
      info: {},
    };
    expect(() => write([s])).toThrow(/8\.3f/);
  });
});
