import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { ParseError } from '../errors.js';
import { MemorySource, StringSink, memorySourceFromText } from '../source.js';
import { LineReader } from '../text.js';
import { detectFormat } from '../registry.js';
import type { Structure } from '../../model/structure.js';
import { elementSymbol } from '../../model/elements.js';
import { parseExtxyzComment, parseFloatBytes, parseIntBytes, scanDecimal, xyzFormat } from './xyz.js';

const formats = reference('05_formats');
const bad = reference('bad');

/** Core may not import src/node (layering lint), so tests read corpus files into memory. */
function fileSource(file: string): MemorySource {
  return new MemorySource(file, readFileSync(file));
}

function open(...parts: string[]): TrajectoryReader {
  return xyzFormat.open(fileSource(corpusPath(...parts)));
}

function openText(text: string, name = 'mem.xyz'): TrajectoryReader {
  return xyzFormat.open(memorySourceFromText(name, text));
}

function atomXyz(s: Structure, i: number): number[] {
  const k = i < 0 ? s.numbers.length + i : i;
  return Array.from(s.positions.subarray(3 * k, 3 * k + 3));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(tol);
}

/** The ParseError a thunk throws (fails the test when it throws something else or nothing). */
function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('parseFloatBytes', () => {
  const parse = (t: string): number => parseFloatBytes(encode(t), 0, t.length);

  it('equals Number() for the shapes files contain', () => {
    for (const t of ['0', '-0.00000000', '1.27632774', '6.6319934785854535', '-1.9009479214635104e-15', '1e5', '.5']) {
      expect(Object.is(parse(t), Number(t))).toBe(true);
    }
    expect(parse('2.')).toBe(2);
    expect(parse('+3.25')).toBe(3.25);
    expect(parse('1.5D-3')).toBe(1.5e-3);
    expect(parse('123456789012345678901234567890')).toBe(1.2345678901234568e29);
  });

  it('rejects what is not a plain decimal', () => {
    for (const t of ['abc', 'nan', 'inf', '1.2.3', '0x10', '1e', '-', '.', '1e+', '--1', '1,5']) {
      expect(parse(t)).toBeNaN();
    }
  });

  it('matches Number() on random doubles in every notation', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 12 }), (v, d) => {
        for (const t of [String(v), v.toFixed(d), v.toExponential(d)]) {
          if (!/^-?[\d.]+(e[+-]?\d+)?$/.test(t)) continue; // toFixed of huge values
          expect(Object.is(parse(t), Number(t))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('parses integers strictly', () => {
    const p = (t: string): number => parseIntBytes(encode(t), 0, t.length);
    expect(p('42')).toBe(42);
    expect(p('-7')).toBe(-7);
    expect(p('4.0')).toBeNaN();
    expect(p('')).toBeNaN();
  });
});

/** Index of the first element where a and b are not the same double (Object.is), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return k;
  return -1;
}

const digitRun = (max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { maxLength: max }).map((d) => d.join(''));

/** Decimal-looking tokens, valid or not: sign, leading zeros, up to 20+20 digits, exponents. */
const decimalArb = fc
  .record({
    sign: fc.constantFrom('', '', '-', '+'),
    zeros: fc.nat(3).map((k) => '0'.repeat(k)),
    int: digitRun(20),
    dot: fc.boolean(),
    frac: digitRun(20),
    exp: fc.option(
      fc.tuple(
        fc.constantFrom('e', 'E'),
        fc.constantFrom('', '-', '+'),
        fc.oneof(fc.integer({ min: 0, max: 30 }).map(String), digitRun(4)),
      ),
    ),
  })
  .map((t) => ({
    ...t,
    text: t.sign + t.zeros + t.int + (t.dot ? '.' + t.frac : '') + (t.exp ? t.exp.join('') : ''),
  }))
  .filter((t) => t.text.length > 0); // a token has at least one byte (and Number('') is 0)

describe('scanDecimal (the one-pass path for real columns)', () => {
  // The reader guarantees a newline after every token (withFinalNewline): so do the tests.
  const scan = (t: string): number => scanDecimal(encode(t + '\n'), 0);

  it('takes plain decimals as Number() reads them, up to the whitespace that ends them', () => {
    for (const t of ['-1.23456789', '1.2e-3', '0.03455842', '29.44563885', '+.5', '2.', '1E5', '1e+05', '007']) {
      for (const end of [' ', '\t', '\r', '\n']) expect(Object.is(scan(t + end), Number(t)), t).toBe(true);
    }
    expect(Object.is(scan('-0.00000000'), -0)).toBe(true);
    expect(scan('1e22')).toBe(1e22);
    expect(scan('123456789012345e-22')).toBe(123456789012345e-22);
  });

  it('leaves everything else to the exact path (NaN)', () => {
    const slow = ['1.0D0', '1.5d-3', 'nan', '-inf', '1.5x', '1,5', '1.2.3', '1e', '1e+', '-', '.', 'e5', '0x10'];
    const inexact = ['12345678901234567', '0.12345678901234567', '1e23', '1e-23', '1e400', '1.5e-400'];
    for (const t of [...slow, ...inexact]) expect(scan(t), t).toBeNaN();
  });

  it('is bit-identical to Number() wherever it answers, and answers inside the exact fast path', () => {
    fc.assert(
      fc.property(decimalArb, fc.constantFrom('', ' ', '\t', '\r', '\n', 'x', '.', 'd', '5'), (t, after) => {
        const bytes = encode(t.text + after + '\n');
        const v = scanDecimal(bytes, 0);
        const delimited = after === '' || /\s/.test(after);
        const token = delimited ? t.text : t.text + after;
        const expected = Number(token);
        if (Number.isNaN(expected)) {
          expect(v, token).toBeNaN(); // not a number: the caller reports it
          return;
        }
        if (!Number.isNaN(v)) expect(Object.is(v, expected), token).toBe(true);
        // The exact path agrees too (it is what the reader falls back to).
        expect(Object.is(parseFloatBytes(bytes, 0, token.length), expected), token).toBe(true);
        // Under 2^53 (15 significant digits are) and within 1e22 the fast path must answer.
        const significant = (t.zeros + t.int + (t.dot ? t.frac : '')).replace(/^0+/, '').length;
        const exp10 = (t.exp ? Number(t.exp[1] + t.exp[2]) : 0) - (t.dot ? t.frac.length : 0);
        if (delimited && significant <= 15 && Math.abs(exp10) <= 22) expect(v, token).not.toBeNaN();
      }),
      { numRuns: 10000 },
    );
  });
});

/** Decimal tokens the reader must take, some with Fortran D exponents (which read as e). */
const realTokenArb = fc
  .tuple(decimalArb, fc.constantFrom('e', 'd', 'D'))
  .map(([t, e]) => (t.exp && e !== 'e' ? t.text.replace(/[eE]/, e) : t.text))
  .filter((t) => !Number.isNaN(Number(t.replace(/[dD]/, 'e'))));
const blanks = fc.array(fc.constantFrom(' ', ' ', '\t'), { minLength: 1, maxLength: 6 }).map((b) => b.join(''));

/** The R columns of every frame read the slow way: split on whitespace, Number() per token. */
function slowReals(text: string): Map<string, number[]>[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const frames: Map<string, number[]>[] = [];
  for (let at = 0; at < lines.length && lines[at]!.trim() !== '';) {
    const n = Number(lines[at]!.trim());
    const props = parseExtxyzComment(lines[at + 1]!)?.get('Properties');
    const f = (typeof props === 'string' ? props : 'species:S:1:pos:R:3').split(':');
    const reals = new Map<string, number[]>();
    for (let k = 0; k < n; k++) {
      const tokens = lines[at + 2 + k]!.trim().split(/\s+/);
      let col = 0;
      for (let c = 0; c < f.length; c += 3) {
        const width = Number(f[c + 2]);
        if (f[c + 1] === 'R') {
          const values = reals.get(f[c]!) ?? [];
          for (let w = 0; w < width; w++) values.push(Number(tokens[col + w]!.replace(/[dD]/, 'e')));
          reals.set(f[c]!, values);
        }
        col += width;
      }
    }
    frames.push(reals);
    at += n + 2;
  }
  return frames;
}

/** The array the reader puts an R column in. */
function realColumn(s: Structure, name: string): ArrayLike<number> {
  if (name === 'pos') return s.positions;
  if (name === 'forces' && s.forces) return s.forces;
  if (['velocities', 'vel', 'velo'].includes(name) && s.velocities) return s.velocities;
  return s.arrays[name] as Float64Array;
}

/** Every R value the reader gives equals the slow way's, bit for bit. */
function expectSlowPathValues(r: TrajectoryReader, text: string, label: string): number {
  const expected = slowReals(text);
  expect(r.frameCount, label).toBe(expected.length);
  let count = 0;
  expected.forEach((columns, i) => {
    const s = r.readFrame(i);
    for (const [name, values] of columns) {
      const got = realColumn(s, name);
      const k = firstDifference(got, values);
      expect(k, `${label} frame ${i} ${name}[${k}]: ${got[k]} vs ${values[k]}`).toBe(-1);
      count += values.length;
    }
  });
  return count;
}

describe('real columns are read exactly', () => {
  it('gives every token the value Number() gives it, one-pass path or not', () => {
    const line = fc.tuple(fc.array(realTokenArb, { minLength: 4, maxLength: 4 }), fc.array(blanks, { minLength: 5 }));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (atoms, eol, finalEol) => {
          const body = atoms.map(([t, b]) => `${b[0]}H${b[1]}${t[0]}${b[2]}${t[1]}${b[3]}${t[2]}${b[4]}${t[3]}`);
          const text = `${atoms.length}${eol}Properties=species:S:1:pos:R:3:q:R:1${eol}${body.join(eol)}${finalEol ? eol : ''}`;
          expectSlowPathValues(openText(text), text, JSON.stringify(text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads every number of every corpus XYZ file as the slow way does', () => {
    let files = 0;
    let numbers = 0;
    for (const dir of ['02_eam', '05_formats', '07_rmsd']) {
      for (const file of readdirSync(corpusPath(dir)).filter((f) => /\.(ext)?xyz$/.test(f))) {
        const bytes = readFileSync(corpusPath(dir, file));
        const r = xyzFormat.open(new MemorySource(file, bytes));
        numbers += expectSlowPathValues(r, new TextDecoder().decode(bytes), file);
        files++;
      }
    }
    expect(files).toBeGreaterThanOrEqual(15);
    expect(numbers).toBeGreaterThan(10000);
  });
});

describe('LineReader.skip', () => {
  /** What next() and skip() must report, from splitting the text. */
  function lineTable(text: string): { starts: number[]; size: number } {
    const bytes = encode(text);
    const starts: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (i === 0 || bytes[i - 1] === 10) starts.push(i);
    return { starts, size: bytes.length };
  }

  /** A MemorySource whose bytes start `pad` bytes into their buffer (any alignment). */
  function padded(text: string, pad: number): MemorySource {
    const bytes = encode(text);
    const buf = new Uint8Array(pad + bytes.length);
    buf.set(bytes, pad);
    return new MemorySource('lines.txt', buf.subarray(pad));
  }

  /** Replays next() (op -1) and skip(op) calls, checking each against the line table. */
  function replay(text: string, pad: number, ops: number[]): void {
    const { starts, size } = lineTable(text);
    const bytes = encode(text);
    const lr = new LineReader(padded(text, pad), 0, 1);
    let line = 0; // lines consumed
    for (const op of ops) {
      if (op < 0) {
        const got = lr.next();
        if (line >= starts.length) {
          expect(got).toBeNull();
          continue;
        }
        const end = line + 1 < starts.length ? starts[line + 1]! : size;
        const expected = new TextDecoder().decode(bytes.subarray(starts[line], end)).replace(/\r?\n$|\r$/, '');
        expect(got).toBe(expected);
        line++;
      } else {
        const k = Math.min(op, starts.length - line);
        expect(lr.skip(op)).toBe(k);
        line += k;
        if (k === 0) continue;
      }
      expect(lr.lineNumber).toBe(line);
      expect(lr.lineOffset).toBe(starts[line - 1]);
      expect(lr.offset).toBe(line < starts.length ? starts[line] : size);
    }
  }

  it('lands where next() would, whatever the line lengths, endings and alignment', () => {
    const lineArb = fc.tuple(
      fc.array(fc.constantFrom('a', ' ', '\t', '\r', 'é'), { maxLength: 40 }).map((c) => c.join('')),
      fc.constantFrom('\n', '\r\n'),
    );
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 60 }),
        fc.boolean(),
        fc.nat(3),
        fc.array(fc.integer({ min: -1, max: 20 }), { maxLength: 30 }),
        (lines, finalEol, pad, ops) => {
          let text = lines.map(([l, e]) => l + e).join('');
          if (!finalEol && lines.length > 0) text = text.slice(0, -lines.at(-1)![1].length);
          replay(text, pad, ops);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('counts across chunk refills and lines longer than a chunk', () => {
    const random = (() => {
      let a = 7;
      return (): number => (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32;
    })();
    const parts: string[] = [];
    for (let k = 0; k < 90_000; k++)
      parts.push('x'.repeat(Math.floor(random() * 120)) + (random() < 0.2 ? '\r\n' : '\n'));
    parts.splice(40_000, 0, 'y'.repeat(5 << 20) + '\n'); // longer than the 4 MiB read size
    const text = parts.join('');
    const ops: number[] = [];
    for (let k = 0; k < 3000; k++) ops.push(random() < 0.1 ? -1 : Math.floor(random() * 200));
    replay(text, 1, ops);
  });
});

describe('extended XYZ comment line', () => {
  it('infers int -> float -> bool -> string', () => {
    const kv = parseExtxyzComment('a=1 b=2.5 c=T d=false e=hello f=1e-3 g=TRUE h=nan');
    expect(Object.fromEntries(kv!)).toEqual({ a: 1, b: 2.5, c: true, d: false, e: 'hello', f: 0.001, g: true, h: NaN });
  });

  it('reads quoted values with escapes and old-style arrays', () => {
    const kv = parseExtxyzComment(
      String.raw`Lattice="1 0 0 0 2 0 0 0 3" pbc="T T F" title="say \"hi\" now" path="C:\\tmp" src="LAMMPS eam Cu.eam"`,
    )!;
    expect(kv.get('Lattice')).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3]);
    expect(kv.get('pbc')).toEqual([true, true, false]);
    expect(kv.get('title')).toBe('say "hi" now');
    expect(kv.get('path')).toBe('C:\\tmp');
    expect(kv.get('src')).toBe('LAMMPS eam Cu.eam');
  });

  it('reads new-style [..] arrays, nested ones flattened', () => {
    const kv = parseExtxyzComment('v=[1, 2, 3] s=[[1,2],[3,4.5]] b=[T, F] names=["a b", "c"] m=[1, x]')!;
    expect(kv.get('v')).toEqual([1, 2, 3]);
    expect(kv.get('s')).toEqual([1, 2, 3, 4.5]);
    expect(kv.get('b')).toEqual([true, false]);
    expect(kv.get('names')).toEqual(['a b', 'c']);
    expect(kv.get('m')).toEqual(['1', 'x']);
  });

  it('takes bare keys as true, old-style {..} and spaces around =', () => {
    const kv = parseExtxyzComment('relaxed virial={1 2 3 4 5 6 7 8 9} t = 10.5')!;
    expect(kv.get('relaxed')).toBe(true);
    expect(kv.get('virial')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(kv.get('t')).toBe(10.5);
  });

  it('returns null for lines that are not key=value syntax', () => {
    expect(parseExtxyzComment('a="unclosed')).toBeNull();
    expect(parseExtxyzComment('=3')).toBeNull();
    expect(parseExtxyzComment('v=[1, 2')).toBeNull();
  });
});

describe('XYZ reader on the corpus (05_formats)', () => {
  it('reads Cu111_slab.extxyz (ASE): cell, pbc, energies, forces, positions within 1e-8', () => {
    const r = open('05_formats', 'Cu111_slab.extxyz');
    expect(r.format).toBe('extxyz');
    expect(r.frameCount).toBe(formats.n_frames);
    expect(r.atomCount).toBe(formats.natoms);
    expect(r.warnings).toEqual([]);
    const first = r.readFrame(0);
    const last = r.readFrame(r.frameCount - 1);
    expectClose(first.cell!, formats.cell_A.flat(), 1e-12);
    expect(first.pbc).toEqual(formats.pbc);
    expect(Array.from(first.numbers).every((z) => z === 29)).toBe(true);
    const ref = formats.positions_A_atoms_0_1_last;
    const fref = formats.forces_eV_A_atoms_0_1_last;
    for (const [s, p, f] of [
      [first, ref.first_frame, fref.first_frame],
      [last, ref.last_frame, fref.last_frame],
    ] as const) {
      [0, 1, -1].forEach((atom, k) => {
        expectClose(atomXyz(s, atom), p[k], 1e-8);
        const i = atom < 0 ? 26 : atom;
        expectClose(Array.from(s.forces!.subarray(3 * i, 3 * i + 3)), f[k], 1e-8);
      });
    }
    for (let i = 0; i < r.frameCount; i++) {
      const s = r.readFrame(i);
      expect(s.info.energy).toBeCloseTo(formats.frame_energies_eV[i], 12);
      expect(s.info.step).toBe(10 * i);
      expect(s.numbers.length).toBe(27);
    }
    expect(first.info.time_fs).toBe(0);
    expect(first.info).not.toHaveProperty('Lattice');
    expect(first.info).not.toHaveProperty('pbc');
  });

  it('reads the ASE plain XYZ: no cell, no pbc, positions within 1e-8', () => {
    const r = open('05_formats', 'Cu111_slab_ase_plain.xyz');
    expect(r.format).toBe('xyz');
    expect(r.frameCount).toBe(8);
    const first = r.readFrame(0);
    const last = r.readFrame(7);
    expect(first.cell).toBeNull();
    expect(first.pbc).toEqual([false, false, false]);
    expect(first.forces).toBeUndefined();
    const ref = formats.positions_A_atoms_0_1_last;
    [0, 1, -1].forEach((atom, k) => {
      expectClose(atomXyz(first, atom), ref.first_frame[k], 1e-8);
      expectClose(atomXyz(last, atom), ref.last_frame[k], 1e-8);
    });
  });

  it('reads the MDAnalysis XYZ (%8.5f, comment kept) within 1e-5', () => {
    const r = open('05_formats', 'Cu111_slab_mda.xyz');
    expect(r.frameCount).toBe(8);
    const last = r.readFrame(7);
    expect(last.info.comment).toBe('frame 7 | Written by MDAnalysis XYZWriter (release 2.4.2)');
    const ref = formats.positions_A_atoms_0_1_last;
    [0, 1, -1].forEach((atom, k) => expectClose(atomXyz(last, atom), ref.last_frame[k], 1e-5));
  });

  it('reads the Open Babel multi-molecule XYZ with differing atom counts', () => {
    const r = open('05_formats', 'molecules_public_obabel.xyz');
    const mols = formats.files['molecules_public_rdkit.sdf'].molecules;
    expect(r.frameCount).toBe(mols.length);
    expect(r.atomCount).toBe(mols[0].natoms);
    mols.forEach(
      (
        m: { name: string; natoms: number; formula: string; atom0_xyz_A: number[]; last_atom_xyz_A: number[] },
        i: number,
      ) => {
        const s = r.readFrame(i);
        expect(s.numbers.length).toBe(m.natoms);
        expect(s.info.comment).toBe(m.name);
        expectClose(atomXyz(s, 0), m.atom0_xyz_A, 1e-4);
        expectClose(atomXyz(s, -1), m.last_atom_xyz_A, 1e-4);
        expect(formula(s)).toBe(m.formula);
      },
    );
  });
});

/** Hill formula (C first, H second, then alphabetical). */
function formula(s: Structure): string {
  const counts = new Map<string, number>();
  for (const z of s.numbers) counts.set(elementSymbol(z), (counts.get(elementSymbol(z)) ?? 0) + 1);
  const order = [...counts.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return order.map((e) => `${e}${counts.get(e) === 1 ? '' : counts.get(e)}`).join('');
}
const rank = (e: string): number => (e === 'C' ? 0 : e === 'H' ? 1 : 2);

describe('XYZ reader on other corpus items', () => {
  it('reads every 07_rmsd pair file as two frames of natoms', () => {
    const rmsd = reference('07_rmsd');
    for (const [file, pair] of Object.entries(rmsd.pairs) as [string, { natoms: number }][]) {
      const r = open('07_rmsd', file);
      expect(r.frameCount, file).toBe(2);
      const a = r.readFrame(0);
      const b = r.readFrame(1);
      expect(a.numbers.length, file).toBe(pair.natoms);
      expect(b.numbers.length, file).toBe(pair.natoms);
      expect(
        Array.from(a.numbers).every((z) => z > 0),
        file,
      ).toBe(true);
    }
  });

  it('reads the 02_eam extxyz: energy, forces and the per-atom energies column', () => {
    const eam = reference('02_eam');
    for (const [pot, sys] of Object.entries(eam.systems) as [string, { structures: Record<string, EamRef> }][]) {
      for (const [name, st] of Object.entries(sys.structures)) {
        const s = open('02_eam', `${name}.extxyz`).readFrame(0);
        expect(s.numbers.length, name).toBe(st.natoms);
        expect(s.info.energy, name).toBeCloseTo(st.total_energy_eV, 9);
        expect(String(s.info.source), name).toContain(pot === 'Cu_u3' ? 'Cu_u3.eam' : 'Cu_mishin1.eam.alloy');
        expectClose(Array.from(s.forces!.subarray(0, 3)), st.atom1_force, 1e-8);
        const pe = s.arrays.energies;
        expect(pe).toBeInstanceOf(Float64Array);
        expect((pe as Float64Array)[0]).toBeCloseTo(st.atom1_pe_eV, 7);
        expect(s.pbc).toEqual([true, true, true]);
      }
    }
  });
});

interface EamRef {
  natoms: number;
  total_energy_eV: number;
  atom1_force: number[];
  atom1_pe_eV: number;
}

describe('XYZ reader on bad input (corpus bad/)', () => {
  it('empty.xyz: "empty file" naming the file', () => {
    expect(bad.files['empty.xyz']).toBeDefined();
    const e = parseErrorOf(() => open('bad', 'empty.xyz'));
    expect(e.message).toContain('empty.xyz');
    expect(e.reason).toBe('empty file');
  });

  it('a file of blank lines is empty too', () => {
    expect(parseErrorOf(() => openText('\n\n  \n')).reason).toBe('no complete frame');
  });

  it('zero_atoms.xyz: "frame 0 has no atoms" naming the file', () => {
    const e = parseErrorOf(() => open('bad', 'zero_atoms.xyz'));
    expect(e.message).toContain('zero_atoms.xyz');
    expect(e.reason).toContain('frame 0 has no atoms');
    expect(e.location.frame).toBe(0);
  });

  it('zero-atom frames among others are kept as empty frames', () => {
    const r = openText('0\nnothing\n1\n\nH 0 0 0\n');
    expect(r.frameCount).toBe(2);
    expect(r.readFrame(0).numbers.length).toBe(0);
    expect(r.readFrame(1).numbers.length).toBe(1);
  });

  it('slab_count_mismatch.xyz: names frame 0 and line 30 where the next count line sits', () => {
    expect(bad.files['slab_count_mismatch.xyz'].mutation).toContain('28 atoms');
    const e = parseErrorOf(() => open('bad', 'slab_count_mismatch.xyz'));
    expect(e.message).toContain('slab_count_mismatch.xyz');
    expect(e.location).toEqual({ frame: 0, line: 30 });
    expect(e.reason).toContain('declares 28 atoms');
  });

  it('a count that is too small is caught at the next count line', () => {
    const e = parseErrorOf(() => openText('1\n\nH 0 0 0\nH 1 0 0\n1\n\nH 0 0 0\n'));
    expect(e.location).toEqual({ frame: 1, line: 4 });
    expect(e.reason).toContain("found 'H 1 0 0'");
  });

  it('slab_nonnumeric.xyz: names line 7 and the token', () => {
    const r = open('bad', 'slab_nonnumeric.xyz');
    const e = parseErrorOf(() => r.readFrame(0));
    expect(e.message).toContain('slab_nonnumeric.xyz');
    expect(e.location.line).toBe(bad.files['slab_nonnumeric.xyz'].bad_line);
    expect(e.location.frame).toBe(0);
    expect(e.reason).toContain("'abc'");
    expect(r.readFrame(1).numbers.length).toBe(27); // other frames stay readable
  });

  it('slab_nan.extxyz: non-finite coordinate naming line 6, frame 0, atom 3', () => {
    const r = open('bad', 'slab_nan.extxyz');
    const e = parseErrorOf(() => r.readFrame(0));
    expect(e.message).toContain('slab_nan.extxyz');
    expect(e.location).toEqual({ frame: 0, line: bad.files['slab_nan.extxyz'].bad_line });
    expect(e.reason).toContain('non-finite');
    expect(e.reason).toContain('atom 3');
    expect(e.reason).toContain("'nan'");
  });

  it('a count line that is not an integer', () => {
    const e = parseErrorOf(() => openText('two\n\nH 0 0 0\n'));
    expect(e.location).toEqual({ frame: 0, line: 1 });
    expect(e.reason).toContain("'two'");
  });

  it('a header count larger than the file is refused before any allocation', () => {
    const e = parseErrorOf(() => openText('999999999999\n\nH 0 0 0\n'));
    expect(e.reason).toContain('declares 999999999999 atoms');
  });

  it('too few columns in an extxyz atom line', () => {
    const r = openText('1\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 1 2\n');
    const e = parseErrorOf(() => r.readFrame(0));
    expect(e.location).toEqual({ frame: 0, line: 3 });
    expect(e.reason).toContain('has 6 columns');
  });

  it('a malformed Lattice or Properties names the comment line', () => {
    expect(parseErrorOf(() => openText('1\nLattice="1 2 3"\nH 0 0 0\n').readFrame(0)).location).toEqual({
      frame: 0,
      line: 2,
    });
    expect(parseErrorOf(() => openText('1\nProperties=species:S:1:pos:Q:3\nH 0 0 0\n').readFrame(0)).reason).toContain(
      "type 'Q'",
    );
  });
});

describe('XYZ reader behaviour', () => {
  const slab = readFileSync(corpusPath('05_formats', 'Cu111_slab.extxyz'));

  it('keeps the complete frames of a truncated file and warns with frame and byte', () => {
    const r0 = open('05_formats', 'Cu111_slab.extxyz');
    const frame5 = r0.frameIndex!().offsets[5]!;
    const cut = frame5 + 1000; // inside frame 5
    const r = xyzFormat.open(new MemorySource('cut.extxyz', slab.subarray(0, cut)));
    expect(r.frameCount).toBe(5);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('frame 5');
    expect(r.warnings[0]).toContain(`byte ${frame5}`);
    expect(r.readFrame(4).numbers.length).toBe(27);
  });

  it('treats a last line cut mid-way as truncation, not as bad data', () => {
    const text = '2\n\nH 0 0 0\nH 1 0 0\n2\n\nH 0 0 0\nH 1 0';
    const r = openText(text);
    expect(r.frameCount).toBe(1);
    expect(r.warnings[0]).toContain('frame 1');
  });

  it('reuses a frame index, reports progress and can be cancelled', () => {
    const r0 = open('05_formats', 'Cu111_slab.extxyz');
    const index = r0.frameIndex!();
    expect(index.offsets.length).toBe(9);
    expect(Array.from(index.lines!)).toEqual([1, 30, 59, 88, 117, 146, 175, 204]);
    const progress: number[] = [];
    const src = new MemorySource('reuse.extxyz', slab);
    let reads = 0;
    const counting = { name: src.name, size: src.size, read: (o: number, l: number) => (reads++, src.read(o, l)) };
    const r = xyzFormat.open(counting, { index, onProgress: (f) => progress.push(f) });
    expect(reads).toBeLessThanOrEqual(1); // the first frame's header, not an indexing pass
    expect(progress).toEqual([]);
    expect(r.format).toBe('extxyz');
    expect(r.frameCount).toBe(8);
    expect(r.readFrame(3).positions).toEqual(r0.readFrame(3).positions);

    xyzFormat.open(new MemorySource('p.extxyz', slab), { onProgress: (f) => progress.push(f) });
    expect(progress.at(-1)).toBe(1);
    expect(() => xyzFormat.open(new MemorySource('c.extxyz', slab), { isCancelled: () => true })).toThrow(AbortError);
  });

  it('reads index-less byte offsets into errors when the index has no line numbers', () => {
    const r0 = open('bad', 'slab_nonnumeric.xyz');
    const { offsets, warnings } = r0.frameIndex!();
    const r = xyzFormat.open(fileSource(corpusPath('bad', 'slab_nonnumeric.xyz')), {
      index: { offsets, warnings },
    });
    const e = parseErrorOf(() => r.readFrame(0));
    expect(e.location.frame).toBe(0);
    expect(e.location.offset).toBeGreaterThan(0);
  });

  it('accepts species as Z, any case, CRLF line ends and tabs', () => {
    const r = openText('3\r\ncomment\r\n29\t0 0 0\r\ncu 1 0 0\r\nCU 2 0 0 extra columns ignored\r\n');
    const s = r.readFrame(0);
    expect(Array.from(s.numbers)).toEqual([29, 29, 29]);
    expect(s.info.comment).toBe('comment');
    expect(Array.from(s.positions)).toEqual([0, 0, 0, 1, 0, 0, 2, 0, 0]);
  });

  it('keeps labels that are not elements under arrays.element', () => {
    const s = openText('2\n\nH 0 0 0\nDummy 1 1 1\n').readFrame(0);
    expect(Array.from(s.numbers)).toEqual([1, 0]);
    expect(s.arrays.element).toEqual(['H', 'Dummy']);
  });

  it('maps Properties columns: Z, velocities, I/L/S/R extras with widths; pbc defaults and overrides', () => {
    const text =
      '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=Z:I:1:pos:R:3:vel:R:3:id:I:1:fixed:L:1:tag:S:1:dipole:R:2 ' +
      'energy=-1.5 config_type=bulk\n' +
      '8 0 0 0 0.1 0.2 0.3 7 T a 1 2\n' +
      '1 1 1 1 -0.1 -0.2 -0.3 9 F b 3 4\n';
    const s = openText(text).readFrame(0);
    expect(Array.from(s.numbers)).toEqual([8, 1]);
    expect(Array.from(s.velocities!)).toEqual([0.1, 0.2, 0.3, -0.1, -0.2, -0.3]);
    expect(s.arrays.id).toEqual(Int32Array.of(7, 9));
    expect(s.arrays.fixed).toEqual(Uint8Array.of(1, 0));
    expect(s.arrays.tag).toEqual(['a', 'b']);
    expect(s.arrays.dipole).toEqual(Float64Array.of(1, 2, 3, 4));
    expect(s.arrayWidths).toEqual({ dipole: 2 });
    expect(s.pbc).toEqual([true, true, true]); // Lattice without pbc
    expect(s.info).toEqual({ energy: -1.5, config_type: 'bulk' });
    const noLattice = openText('1\nProperties=species:S:1:pos:R:3\nH 0 0 0\n');
    expect(noLattice.format).toBe('extxyz');
    expect(noLattice.readFrame(0).pbc).toEqual([false, false, false]);
    const explicit = openText('1\nLattice="5 0 0 0 5 0 0 0 5" pbc="F T F"\nH 0 0 0\n').readFrame(0);
    expect(explicit.pbc).toEqual([false, true, false]);
    expect(explicit.cell).toEqual(Float64Array.of(5, 0, 0, 0, 5, 0, 0, 0, 5));
  });

  it('parses key=value comments without Lattice/Properties into info but stays plain xyz', () => {
    const r = openText('1\nenergy=-3.5 step=4\nH 0 0 0\n');
    expect(r.format).toBe('xyz');
    expect(r.readFrame(0).info).toEqual({ energy: -3.5, step: 4 });
  });

  it('rejects extra columns when Properties declares the layout', () => {
    const r = openText('1\nProperties=species:S:1:pos:R:3\nH 0 0 0 9\n');
    expect(parseErrorOf(() => r.readFrame(0)).reason).toContain('Properties declares 4');
  });
});

describe('detection', () => {
  const head = (file: string): Uint8Array => readFileSync(corpusPath(...file.split('/'))).subarray(0, 4096);

  it('sniffs XYZ and extXYZ heads, not other text', () => {
    expect(xyzFormat.sniff!(head('05_formats/Cu111_slab.extxyz'))).toBe(true);
    expect(xyzFormat.sniff!(head('05_formats/Cu111_slab_mda.xyz'))).toBe(true);
    expect(xyzFormat.sniff!(head('05_formats/molecules_public_obabel.xyz'))).toBe(true);
    expect(xyzFormat.sniff!(head('05_formats/Cu111_slab_mda.pdb'))).toBe(false);
    expect(xyzFormat.sniff!(head('05_formats/Cu111_slab_frame0_mda.gro'))).toBe(false);
    expect(xyzFormat.sniff!(encode('12\nsome title\n1 2 3\n'))).toBe(false);
  });

  it('is what the registry picks for .xyz and .extxyz', () => {
    expect(detectFormat('a/Cu111_slab.extxyz', head('05_formats/Cu111_slab.extxyz'))?.id).toBe('xyz');
    expect(detectFormat('x.xyz', head('05_formats/Cu111_slab_mda.xyz'))?.id).toBe('xyz');
    expect(detectFormat('noext', head('05_formats/Cu111_slab_ase_plain.xyz'))?.id).toBe('xyz');
  });
});

// ---------------------------------------------------------------------------------------
// Writer round trips
// ---------------------------------------------------------------------------------------

function writeText(frames: Structure[], title?: string): string {
  const sink = new StringSink();
  xyzFormat.write!(frames, sink, title === undefined ? {} : { title });
  return sink.toString();
}

function readAll(text: string): Structure[] {
  const r = openText(text, 'roundtrip.extxyz');
  return Array.from({ length: r.frameCount }, (_, i) => r.readFrame(i));
}

const coord = fc.double({ min: -1000, max: 1000, noNaN: true });
const name = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,7}$/)
  .filter((s) => !['species', 'pos', 'Z', 'element', 'velocities', 'forces'].includes(s));

/** Random structures: plain ones, and ones with cell, pbc, forces, velocities, extra columns, info. */
const structureArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    numbers: fc.array(fc.integer({ min: 1, max: 118 }), { minLength: n, maxLength: n }),
    positions: fc.array(coord, { minLength: 3 * n, maxLength: 3 * n }),
    cell: fc.option(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 9, maxLength: 9 })),
    pbc: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
    forces: fc.option(fc.array(coord, { minLength: 3 * n, maxLength: 3 * n })),
    velocities: fc.option(fc.array(coord, { minLength: 3 * n, maxLength: 3 * n })),
    ints: fc.option(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n })),
    flags: fc.option(fc.array(fc.boolean(), { minLength: n, maxLength: n })),
    labels: fc.option(fc.array(name, { minLength: n, maxLength: n })),
    energy: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    tag: fc.option(name.filter((s) => !/^(t|f|true|false|nan|inf|infinity)$/i.test(s))),
    stress: fc.option(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 6, maxLength: 6 })),
  }),
);

function toStructure(r: RandomStructure): Structure {
  const s: Structure = {
    numbers: Uint8Array.from(r.numbers),
    positions: Float64Array.from(r.positions),
    cell: r.cell ? Float64Array.from(r.cell) : null,
    pbc: r.pbc,
    arrays: {},
    info: {},
  };
  if (r.forces) s.forces = Float64Array.from(r.forces);
  if (r.velocities) s.velocities = Float64Array.from(r.velocities);
  if (r.ints) s.arrays.id = Int32Array.from(r.ints);
  if (r.flags) s.arrays.fixed = Uint8Array.from(r.flags, Number);
  if (r.labels) s.arrays.label = r.labels;
  if (r.energy !== null) s.info.energy = r.energy;
  if (r.tag !== null) s.info.config_type = r.tag;
  if (r.stress) s.info.stress = r.stress;
  return s;
}
type RandomStructure = typeof structureArb extends fc.Arbitrary<infer T> ? T : never;

describe('XYZ writer', () => {
  it('round-trips random structures (positions, forces, velocities to 5e-9; everything else exactly)', () => {
    fc.assert(
      fc.property(fc.array(structureArb, { minLength: 1, maxLength: 3 }), (raw) => {
        const frames = raw.map(toStructure);
        const back = readAll(writeText(frames));
        expect(back).toHaveLength(frames.length);
        frames.forEach((f, i) => {
          const b = back[i]!;
          expect(b.numbers).toEqual(f.numbers);
          expectClose(b.positions, f.positions, 5.1e-9);
          if (f.forces) expectClose(b.forces!, f.forces, 5.1e-9);
          else expect(b.forces).toBeUndefined();
          if (f.velocities) expectClose(b.velocities!, f.velocities, 5.1e-9);
          expect(b.cell).toEqual(f.cell);
          expect(b.pbc).toEqual(f.pbc);
          expect(b.arrays).toEqual(f.arrays);
          expect(b.info).toEqual(f.info);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('writes plain XYZ with the title option when there is nothing extended', () => {
    const s: Structure = {
      numbers: Uint8Array.of(8, 1),
      positions: Float64Array.of(0, 0, 0, 0.9572, 0, 0),
      cell: null,
      pbc: [false, false, false],
      arrays: {},
      info: {},
    };
    const text = writeText([s], 'water');
    expect(text).toBe(
      '2\nwater\nO       0.00000000      0.00000000      0.00000000\nH       0.95720000      0.00000000      0.00000000\n',
    );
    const r = openText(text);
    expect(r.format).toBe('xyz');
    expect(r.readFrame(0).info.comment).toBe('water');
  });

  it('re-writes the ASE extxyz so that ASE-style readers get the same Lattice, Properties and pbc', () => {
    const r = open('05_formats', 'Cu111_slab.extxyz');
    const frames = [r.readFrame(0), r.readFrame(7)];
    const text = writeText(frames);
    const comment = text.split('\n')[1]!;
    expect(comment).toContain(
      'Lattice="7.65796644025031 0 0 3.828983220125155 6.6319934785854535 0 0 0 16.168468943549097"',
    );
    expect(comment).toContain('Properties=species:S:1:pos:R:3:forces:R:3');
    expect(comment).toContain('pbc="T T F"');
    const back = readAll(text);
    expect(back[1]!.info.energy).toBe(formats.frame_energies_eV[7]);
    expect(back[1]!.positions).toEqual(frames[1]!.positions); // 8 decimals in, 8 decimals out
  });

  it('puts non-element labels back in the species column', () => {
    const s = openText('2\n\nH 0 0 0\nDummy 1 1 1\n').readFrame(0);
    const text = writeText([s]);
    expect(text).toContain('Dummy ');
    expect(readAll(text)[0]!.arrays.element).toEqual(['H', 'Dummy']);
  });
});
