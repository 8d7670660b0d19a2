import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource, StringSink, memorySourceFromText } from '../source.js';
import { elementSymbol } from '../../model/elements.js';
import type { Structure } from '../../model/structure.js';
import { sdfFormat } from './sdf.js';

const formats = reference('05_formats');
const molecules: MoleculeRef[] = formats.files['molecules_public_rdkit.sdf'].molecules;

interface MoleculeRef {
  name: string;
  smiles: string;
  natoms: number;
  nbonds: number;
  formula: string;
  atom0_xyz_A: number[];
  last_atom_xyz_A: number[];
}

/** Core may not import src/node (layering lint), so tests read corpus files into memory. */
function open(...parts: string[]): TrajectoryReader {
  const file = corpusPath(...parts);
  return sdfFormat.open(new MemorySource(file, readFileSync(file)));
}

const openText = (text: string): TrajectoryReader => sdfFormat.open(memorySourceFromText('mem.sdf', text));

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

/** Hill formula: C, H, then the rest alphabetically. */
function formula(s: Structure): string {
  const counts = new Map<string, number>();
  for (const z of s.numbers) counts.set(elementSymbol(z), (counts.get(elementSymbol(z)) ?? 0) + 1);
  const rank = (e: string): number => (e === 'C' ? 0 : e === 'H' ? 1 : 2);
  const order = [...counts.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return order.map((e) => `${e}${counts.get(e) === 1 ? '' : counts.get(e)}`).join('');
}

/** A minimal V2000 record. */
function record(
  name: string,
  atoms: [string, number, number, number, number?][],
  bonds: [number, number, number][],
  tail: string[] = [],
): string {
  const f = (v: number): string => v.toFixed(4).padStart(10);
  const i3 = (v: number): string => String(v).padStart(3);
  return [
    name,
    '  test',
    '',
    `${i3(atoms.length)}${i3(bonds.length)}  0  0  0  0  0  0  0  0999 V2000`,
    ...atoms.map(
      ([sym, x, y, z, code]) =>
        `${f(x)}${f(y)}${f(z)} ${sym.padEnd(3)} 0${i3(code ?? 0)}  0  0  0  0  0  0  0  0  0  0`,
    ),
    ...bonds.map(([i, j, o]) => `${i3(i)}${i3(j)}${i3(o)}  0`),
    ...tail,
    'M  END',
    '$$$$',
    '',
  ].join('\n');
}

describe('SDF reader on the corpus', () => {
  for (const file of ['molecules_public_rdkit.sdf', 'molecules_public_obabel.sdf']) {
    it(`reads ${file}: every molecule's name, atoms, bonds, formula, first/last atom within 1e-4 A`, () => {
      const r = open('05_formats', file);
      expect(r.format).toBe('sdf');
      expect(r.frameCount).toBe(molecules.length);
      expect(r.atomCount).toBe(molecules[0]!.natoms);
      expect(r.warnings).toEqual([]);
      molecules.forEach((m, i) => {
        const s = r.readFrame(i);
        expect(s.info.name).toBe(m.name);
        expect(s.info.SMILES).toBe(m.smiles);
        expect(s.numbers.length).toBe(m.natoms);
        expect(s.bonds!.length / 2).toBe(m.nbonds);
        expect(s.bondOrders!.length).toBe(m.nbonds);
        expect(formula(s)).toBe(m.formula);
        expectClose(atomXyz(s, 0), m.atom0_xyz_A, 1e-4);
        expectClose(atomXyz(s, -1), m.last_atom_xyz_A, 1e-4);
        expect(s.cell).toBeNull();
        expect(s.arrays.formal_charge).toBeUndefined();
      });
    });
  }

  it('keeps bond orders (benzene: 3 double bonds in the RDKit Kekule form; ethanol all single)', () => {
    const r = open('05_formats', 'molecules_public_rdkit.sdf');
    const ethanol = r.readFrame(0);
    expect(Array.from(ethanol.bonds!.subarray(0, 4))).toEqual([0, 1, 1, 2]);
    expect(Array.from(ethanol.bondOrders!).every((o) => o === 1)).toBe(true);
    const benzene = r.readFrame(1);
    expect(Array.from(benzene.bondOrders!).filter((o) => o === 2)).toHaveLength(3);
    const caffeine = r.readFrame(4);
    expect(Array.from(caffeine.bondOrders!).filter((o) => o === 2).length).toBeGreaterThanOrEqual(2);
  });
});

describe('SDF reader on the alkane conformers (06_alkanes)', () => {
  it('reads 10 isomers x 50 conformers, each C(n)H(2n+2) with n+3n+1 bonds', () => {
    const alkanes = reference('06_alkanes');
    const r = open('06_alkanes', 'alkanes_public_conformers.sdf');
    expect(r.frameCount).toBe(alkanes.n_isomers * alkanes.n_conformers_per_isomer);
    alkanes.isomers.forEach((iso: { smiles: string }, k: number) => {
      const s = r.readFrame(k * alkanes.n_conformers_per_isomer + 7);
      const n = iso.smiles.replace(/[^C]/g, '').length;
      expect(formula(s)).toBe(`C${n}H${2 * n + 2}`);
      expect(s.bonds!.length / 2).toBe(3 * n + 1);
      expect(s.info.name).toBe(iso.smiles);
    });
  });
});

describe('SDF details', () => {
  it('reads charges from the atom block and lets M  CHG replace them', () => {
    const atoms: [string, number, number, number, number?][] = [
      ['N', 0, 0, 0, 3],
      ['O', 1, 0, 0, 5],
    ];
    const s1 = openText(record('zwitter', atoms, [[1, 2, 1]])).readFrame(0);
    expect(s1.arrays.formal_charge).toEqual(Int32Array.of(1, -1));
    const s2 = openText(record('chg', atoms, [[1, 2, 1]], ['M  CHG  1   2  -2'])).readFrame(0);
    expect(s2.arrays.formal_charge).toEqual(Int32Array.of(0, -2));
  });

  it('reads a .mol file without $$$$ and keeps non-element symbols', () => {
    const mol = record(
      'mol',
      [
        ['C', 0, 0, 0],
        ['R#', 1, 0, 0],
        ['D', 2, 0, 0],
      ],
      [[1, 2, 1]],
    ).replace('$$$$\n', '');
    const s = openText(mol).readFrame(0);
    expect(Array.from(s.numbers)).toEqual([6, 0, 1]);
    expect(s.arrays.element).toEqual(['C', 'R#', 'D']);
  });

  it('reads data items as numbers or text', () => {
    const tail = ['M  END', '> <energy>', '-12.5', '', '> 25 <ID>', '00123', '', '>  <note>', 'two', 'lines', ''];
    const text = record('d', [['C', 0, 0, 0]], []).replace('M  END\n', tail.join('\n') + '\n');
    const s = openText(text).readFrame(0);
    expect(s.info).toEqual({ name: 'd', energy: -12.5, ID: '00123', note: 'two\nlines' });
  });

  it('accepts an empty title line', () => {
    const r = openText(record('', [['C', 0, 0, 0]], []) + record('', [['O', 0, 0, 0]], []));
    expect(r.frameCount).toBe(2);
    expect(r.readFrame(1).numbers[0]).toBe(8);
    expect(r.readFrame(1).info.name).toBeUndefined();
  });

  it('refuses V3000 with a clear error', () => {
    const v3000 = [
      'x',
      '  test',
      '',
      '  0  0  0     0  0            999 V3000',
      'M  V30 BEGIN CTAB',
      'M  END',
      '$$$$',
      '',
    ].join('\n');
    const e = parseErrorOf(() => openText(v3000));
    expect(e.reason).toContain('V3000');
    expect(e.location).toEqual({ frame: 0, line: 4 });
  });

  it('names line and columns of a bad coordinate, a bad bond, a bad counts line', () => {
    const good = record(
      'm',
      [
        ['C', 0, 0, 0],
        ['O', 1.2, 0, 0],
      ],
      [[1, 2, 2]],
    );
    const badX = good.replace('    0.0000    0.0000    0.0000 C', '    0.0abc    0.0000    0.0000 C');
    const e = parseErrorOf(() => openText(badX).readFrame(0));
    expect(e.location).toEqual({ frame: 0, line: 5 });
    expect(e.reason).toContain('columns 1-10');
    const badBond = good.replace('  1  2  2  0', '  1  9  2  0');
    expect(parseErrorOf(() => openText(badBond).readFrame(0)).location).toEqual({ frame: 0, line: 7 });
    expect(parseErrorOf(() => openText(good.replace('  2  1  0', ' xx  1  0'))).location).toEqual({
      frame: 0,
      line: 4,
    });
    expect(parseErrorOf(() => openText('')).reason).toBe('empty file');
  });

  it('keeps complete molecules of a truncated file and warns', () => {
    const text = readFileSync(corpusPath('05_formats', 'molecules_public_rdkit.sdf'), 'utf8');
    const cut = text.slice(0, text.indexOf('glycine') + 200);
    const r = openText(cut);
    expect(r.frameCount).toBe(2);
    expect(r.warnings[0]).toContain('molecule 2');
  });

  it('reuses an index, reports progress, can be cancelled; sniffs V2000 heads', () => {
    const bytes = readFileSync(corpusPath('05_formats', 'molecules_public_rdkit.sdf'));
    const r0 = sdfFormat.open(new MemorySource('m.sdf', bytes));
    const r = sdfFormat.open(new MemorySource('m.sdf', bytes), { index: r0.frameIndex!() });
    expect(r.readFrame(4).positions).toEqual(r0.readFrame(4).positions);
    const progress: number[] = [];
    sdfFormat.open(new MemorySource('m.sdf', bytes), { onProgress: (f) => progress.push(f) });
    expect(progress.at(-1)).toBe(1);
    expect(() => sdfFormat.open(new MemorySource('m.sdf', bytes), { isCancelled: () => true })).toThrow(AbortError);
    expect(sdfFormat.sniff!(bytes.subarray(0, 4096))).toBe(true);
    expect(
      sdfFormat.sniff!(readFileSync(corpusPath('05_formats', 'molecules_public_obabel.sdf')).subarray(0, 4096)),
    ).toBe(true);
    expect(
      sdfFormat.sniff!(readFileSync(corpusPath('05_formats', 'molecules_public_obabel.xyz')).subarray(0, 4096)),
    ).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

function write(frames: Structure[]): string {
  const sink = new StringSink();
  sdfFormat.write!(frames, sink, {});
  return sink.toString();
}

const molArb = fc.integer({ min: 1, max: 20 }).chain((n) =>
  fc.record({
    numbers: fc.array(fc.constantFrom(1, 6, 7, 8, 9, 15, 16, 17, 35, 53), { minLength: n, maxLength: n }),
    positions: fc.array(fc.double({ min: -9999, max: 9999, noNaN: true }), { minLength: 3 * n, maxLength: 3 * n }),
    charges: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
    bonds: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 4 })), { maxLength: 25 }),
    name: fc.stringMatching(/^[A-Za-z0-9_ -]{0,30}$/),
    energy: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    smiles: fc.option(fc.stringMatching(/^[A-Za-z()=#[\]@+0-9]{1,40}$/)),
  }),
);

describe('SDF writer', () => {
  it('round-trips random molecules: elements, positions to 5e-5 A, bonds, orders, charges, name, data', () => {
    fc.assert(
      fc.property(fc.array(molArb, { minLength: 1, maxLength: 4 }), (raw) => {
        const frames: Structure[] = raw.map((r) => {
          const s: Structure = {
            numbers: Uint8Array.from(r.numbers),
            positions: Float64Array.from(r.positions),
            cell: null,
            pbc: [false, false, false],
            arrays: {},
            info: {},
            bonds: Uint32Array.from(r.bonds.flatMap(([i, j]) => [i, j])),
            bondOrders: Uint8Array.from(r.bonds.map(([, , o]) => o)),
          };
          if (r.charges.some((q) => q !== 0)) s.arrays.formal_charge = Int32Array.from(r.charges);
          if (r.name.trim()) s.info.name = r.name.trim();
          if (r.energy !== null) s.info.energy = r.energy;
          if (r.smiles !== null && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(r.smiles)) s.info.SMILES = r.smiles;
          return s;
        });
        const back = openText(write(frames));
        expect(back.frameCount).toBe(frames.length);
        frames.forEach((f, i) => {
          const b = back.readFrame(i);
          expect(b.numbers).toEqual(f.numbers);
          expectClose(b.positions, f.positions, 5e-5 + 1e-9);
          expect(b.bonds).toEqual(f.bonds);
          expect(b.bondOrders).toEqual(f.bondOrders);
          expect(b.arrays).toEqual(f.arrays);
          expect(b.info).toEqual(f.info);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('re-writes the RDKit file with the same atom and bond blocks', () => {
    const original = readFileSync(corpusPath('05_formats', 'molecules_public_rdkit.sdf'), 'utf8').split('\n');
    const r = open('05_formats', 'molecules_public_rdkit.sdf');
    const text = write(Array.from({ length: r.frameCount }, (_, i) => r.readFrame(i))).split('\n');
    // Counts line and the atom block are column-identical to RDKit's (ethanol: lines 4-13).
    expect(text.slice(3, 13)).toEqual(original.slice(3, 13));
    expect(text.slice(13, 21).map((l) => l.slice(0, 9))).toEqual(original.slice(13, 21).map((l) => l.slice(0, 9)));
  });

  it('refuses more than 999 atoms', () => {
    const n = 1000;
    const s: Structure = {
      numbers: new Uint8Array(n).fill(6),
      positions: new Float64Array(3 * n),
      cell: null,
      pbc: [false, false, false],
      arrays: {},
      info: {},
    };
    expect(() => write([s])).toThrow(/999/);
  });
});
