/**
 * MDL SDF / MOL (V2000) reader and writer.
 *
 * A record is: title line, program line, comment line, counts line, atom block, bond block,
 * property lines up to `M  END`, then data items (`> <NAME>` + value lines + blank line) and
 * `$$$$`. Each record is a frame (atom counts differ between molecules); a .mol file is one
 * record without `$$$$`. Columns are fixed (x y z are %10.4f in columns 1-30), so fields are
 * sliced, not split. V3000 records are refused with a ParseError rather than misread.
 */
import { ParseError } from '../errors.js';
import { AbortError, isUsableIndex } from '../format.js';
import type { FormatSpec, FrameIndex, OpenOptions, TrajectoryReader, WriteOptions } from '../format.js';
import type { ByteSink, ByteSource } from '../source.js';
import { LineReader, headText } from '../text.js';
import { atomicNumber, elementSymbol } from '../../model/elements.js';
import type { InfoValue, Structure } from '../../model/structure.js';

const FORMAT = 'sdf';
const decoder = new TextDecoder('utf-8');

// ---------------------------------------------------------------------------------------
// Counts line and fixed columns
// ---------------------------------------------------------------------------------------

interface Counts {
  atoms: number;
  bonds: number;
  version: 'V2000' | 'V3000';
}

/** Counts line `aaabbblll...vvvvvv`; a string explains what is wrong. */
function parseCounts(line: string): Counts | string {
  const version = line.slice(33, 39).trim().toUpperCase();
  if (version === 'V3000') return { atoms: 0, bonds: 0, version: 'V3000' };
  const atoms = fixedInt(line, 0, 3);
  const bonds = fixedInt(line, 3, 6);
  if (!(atoms >= 0) || !(bonds >= 0))
    return `counts line: expected atom and bond counts in columns 1-6, found '${line}'`;
  if (version !== '' && version !== 'V2000') return `counts line: unknown version '${version}'`;
  return { atoms, bonds, version: 'V2000' };
}

function fixedInt(line: string, from: number, to: number): number {
  const t = line.slice(from, to).trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
}

function fixedFloat(line: string, from: number, to: number): number {
  const t = line.slice(from, to).trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
}

/** Atom-block charge code (columns 37-39) -> formal charge; 4 is a doublet radical. */
const CHARGE_CODES: Record<number, number> = { 0: 0, 1: 3, 2: 2, 3: 1, 4: 0, 5: -1, 6: -2, 7: -3 };

function chargeCode(q: number): number {
  return q === 0 ? 0 : q >= 1 && q <= 3 ? 4 - q : q <= -1 && q >= -3 ? 4 - q : 0;
}

// ---------------------------------------------------------------------------------------
// Index: one entry per record
// ---------------------------------------------------------------------------------------

const PROGRESS_EVERY = 1024;

function buildIndex(source: ByteSource, options: OpenOptions): FrameIndex {
  const file = source.name;
  if (source.size === 0) throw new ParseError(file, FORMAT, 'empty file', { line: 1 });
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  let end = 0;
  for (let frame = 0; ; frame++) {
    if (frame % PROGRESS_EVERY === 0) progress(options, lr.offset / source.size);
    const title = lr.next();
    if (title === null) break;
    const start = lr.lineOffset;
    const firstLine = lr.lineNumber;
    if (title.trim().length === 0 && restIsBlank(lr, firstLine)) break;
    const result = skipRecord(lr, file, frame, firstLine);
    if (result !== 'ok') {
      if (frame === 0)
        throw new ParseError(file, FORMAT, `file ends inside molecule 0 (${result})`, { frame, line: lr.lineNumber });
      warnings.push(
        `file is truncated: molecule ${frame} (line ${firstLine}, byte ${start}) is incomplete (${result}); ` +
          `kept the ${frame} complete molecules`,
      );
      break;
    }
    offsets.push(start);
    lines.push(firstLine);
    end = lr.offset;
  }
  if (offsets.length === 0) throw new ParseError(file, FORMAT, 'no molecule', { line: 1 });
  offsets.push(end);
  progress(options, 1);
  return { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings };
}

/** Walks one record after its title line; returns 'ok' or why the file ended inside it. */
function skipRecord(lr: LineReader, file: string, frame: number, firstLine: number): string {
  if (lr.skip(2) < 2) return 'no counts line';
  const countsText = lr.next();
  if (countsText === null) return 'no counts line';
  const counts = parseCounts(countsText);
  if (typeof counts === 'string') throw new ParseError(file, FORMAT, counts, { frame, line: lr.lineNumber });
  if (counts.version === 'V3000') {
    throw new ParseError(
      file,
      FORMAT,
      `molecule ${frame} (line ${firstLine}) is a V3000 molfile, which is not supported: convert it to V2000 ` +
        `(e.g. obabel in.sdf -O out.sdf)`,
      { frame, line: lr.lineNumber },
    );
  }
  const block = counts.atoms + counts.bonds;
  if (lr.skip(block) < block) return `it declares ${counts.atoms} atoms and ${counts.bonds} bonds, fewer lines follow`;
  let sawEnd = false;
  for (let line = lr.next(); line !== null; line = lr.next()) {
    if (line.startsWith('$$$$')) return 'ok';
    if (line.startsWith('M  END')) sawEnd = true;
  }
  // A .mol file (or the last record of an SDF) may end without $$$$, but not before M  END.
  return sawEnd ? 'ok' : 'no M  END line';
}

function restIsBlank(lr: LineReader, line: number): boolean {
  const resume = lr.offset;
  for (let l = lr.next(); l !== null; l = lr.next()) {
    if (l.trim().length > 0) {
      lr.seek(resume, line + 1);
      return false;
    }
  }
  return true;
}

function progress(options: OpenOptions, fraction: number): void {
  if (options.isCancelled?.()) throw new AbortError();
  options.onProgress?.(Math.min(1, fraction), 'indexing SDF molecules');
}

// ---------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------

type Fail = (reason: string, lineInRecord: number) => never;

class SdfReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions,
  ) {
    this.index =
      isUsableIndex(options.index, source.size) && options.index.offsets.length >= 2
        ? options.index
        : buildIndex(source, options);
    this.frameCount = this.index.offsets.length - 1;
    this.warnings = [...this.index.warnings];
    const lr = new LineReader(source, this.index.offsets[0]!, 1);
    lr.skip(3);
    const counts = parseCounts(lr.next() ?? '');
    this.atomCount = typeof counts === 'string' ? 0 : counts.atoms;
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  readFrame(i: number): Structure {
    if (!(Number.isInteger(i) && i >= 0 && i < this.frameCount)) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const start = this.index.offsets[i]!;
    const text = decoder.decode(this.source.read(start, this.index.offsets[i + 1]! - start));
    const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const first = this.index.lines?.[i];
    const fail: Fail = (reason, lineInRecord) => {
      const where = first !== undefined ? { frame: i, line: first + lineInRecord } : { frame: i, offset: start };
      throw new ParseError(this.source.name, FORMAT, reason, where);
    };
    return parseRecord(lines, fail);
  }

  close(): void {
    this.source.close?.();
  }
}

function parseRecord(lines: string[], fail: Fail): Structure {
  const counts = parseCounts(lines[3] ?? '');
  if (typeof counts === 'string') return fail(counts, 3);
  const n = counts.atoms;
  const s: Structure = {
    numbers: new Uint8Array(n),
    positions: new Float64Array(3 * n),
    cell: null,
    pbc: [false, false, false],
    arrays: {},
    info: {},
  };
  const charges = new Int32Array(n);
  const labels = parseAtoms(lines, n, s, charges, fail);
  parseBonds(lines, 4 + n, counts.bonds, n, s, fail);
  const end = parseProperties(lines, 4 + n + counts.bonds, charges, fail);
  if (charges.some((q) => q !== 0)) s.arrays.formal_charge = charges;
  if (labels) s.arrays.element = labels;
  const name = lines[0]!.trim();
  if (name) s.info.name = name;
  const comment = (lines[2] ?? '').trim();
  if (comment) s.info.comment = comment;
  Object.assign(s.info, parseDataItems(lines, end));
  return s;
}

/** Atom block; returns the written symbols when some are not elements (R#, A, *, ...). */
function parseAtoms(lines: string[], n: number, s: Structure, charges: Int32Array, fail: Fail): string[] | null {
  let labels: string[] | null = null;
  for (let k = 0; k < n; k++) {
    const at = 4 + k;
    const line = lines[at] ?? '';
    if (line.length < 34) fail(`atom ${k + 1}: line too short for x y z and symbol (${line.length} columns)`, at);
    for (let d = 0; d < 3; d++) {
      const v = fixedFloat(line, 10 * d, 10 * d + 10);
      if (!Number.isFinite(v)) {
        fail(
          `atom ${k + 1}: ${'xyz'[d]} (columns ${10 * d + 1}-${10 * d + 10}): '${line.slice(10 * d, 10 * d + 10)}' is not a number`,
          at,
        );
      }
      s.positions[3 * k + d] = v;
    }
    const symbol = line.slice(31, 34).trim();
    // Deuterium and tritium are hydrogen.
    const z = symbol === 'D' || symbol === 'T' ? 1 : atomicNumber(symbol);
    s.numbers[k] = z;
    if (z === 0 || labels) {
      labels ??= Array.from(s.numbers.subarray(0, k), elementSymbol);
      labels[k] = symbol;
    }
    const code = fixedInt(line, 36, 39);
    charges[k] = Number.isFinite(code) ? (CHARGE_CODES[code] ?? 0) : 0;
  }
  return labels;
}

function parseBonds(lines: string[], from: number, count: number, n: number, s: Structure, fail: Fail): void {
  const bonds = new Uint32Array(2 * count);
  const orders = new Uint8Array(count);
  for (let b = 0; b < count; b++) {
    const at = from + b;
    const line = lines[at] ?? '';
    const i = fixedInt(line, 0, 3);
    const j = fixedInt(line, 3, 6);
    const type = fixedInt(line, 6, 9);
    if (!(i >= 1 && i <= n && j >= 1 && j <= n)) {
      fail(`bond ${b + 1}: atoms '${line.slice(0, 6)}' are not two of the ${n} atoms`, at);
    }
    if (!(type >= 1 && type <= 8)) fail(`bond ${b + 1}: bond type '${line.slice(6, 9)}' is not 1-8`, at);
    bonds[2 * b] = i - 1;
    bonds[2 * b + 1] = j - 1;
    orders[b] = type;
  }
  s.bonds = bonds;
  s.bondOrders = orders;
}

/**
 * Property lines up to `M  END`. `M  CHG` replaces every charge of the atom block (as the
 * spec says). Returns the index of the line after `M  END`.
 */
function parseProperties(lines: string[], from: number, charges: Int32Array, fail: Fail): number {
  let chgSeen = false;
  for (let at = from; at < lines.length; at++) {
    const line = lines[at]!;
    if (line.startsWith('M  END')) return at + 1;
    if (line.startsWith('$$$$')) break;
    if (!line.startsWith('M  CHG')) continue;
    if (!chgSeen) charges.fill(0);
    chgSeen = true;
    const entries = fixedInt(line, 6, 9);
    for (let e = 0; e < entries; e++) {
      const atom = fixedInt(line, 10 + 8 * e, 13 + 8 * e);
      const q = fixedInt(line, 14 + 8 * e, 17 + 8 * e);
      if (!(atom >= 1 && atom <= charges.length) || !Number.isFinite(q)) fail(`M  CHG entry ${e + 1} is malformed`, at);
      charges[atom - 1] = q;
    }
  }
  return fail('no M  END line', from);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `> <NAME>` data items up to `$$$$`: values as numbers when they are one, else text. */
function parseDataItems(lines: string[], from: number): Record<string, InfoValue> {
  const info: Record<string, InfoValue> = {};
  for (let at = from; at < lines.length; at++) {
    const header = lines[at]!;
    if (header.startsWith('$$$$')) break;
    const m = /^>.*?<([^>]*)>/.exec(header);
    if (!m) continue;
    const value: string[] = [];
    for (at++; at < lines.length && lines[at]!.trim() !== '' && !lines[at]!.startsWith('$$$$'); at++) {
      value.push(lines[at]!);
    }
    const text = value.join('\n');
    const t = text.trim();
    // Identifiers with leading zeros (00123) stay text: their zeros matter.
    info[m[1]!] = NUMBER.test(t) && !/^[+-]?0\d/.test(t) ? Number(t) : text;
  }
  return info;
}

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

function f104(v: number): string {
  let t = v.toFixed(4);
  if (t === '-0.0000') t = '0.0000';
  if (t.length > 10 || !Number.isFinite(v)) throw new Error(`SDF: coordinate ${v} does not fit %10.4f`);
  return t.padStart(10);
}

const i3 = (v: number): string => String(v).padStart(3);

function writeRecord(s: Structure, sink: ByteSink, options: WriteOptions): void {
  const n = s.numbers.length;
  const nb = s.bonds ? s.bonds.length / 2 : 0;
  if (n > 999 || nb > 999) throw new Error(`SDF V2000 holds at most 999 atoms and bonds (got ${n} atoms, ${nb} bonds)`);
  const name = typeof s.info.name === 'string' ? s.info.name : (options.title ?? '');
  const comment = typeof s.info.comment === 'string' ? s.info.comment : '';
  const labels = Array.isArray(s.arrays.element) ? s.arrays.element : null;
  const q = s.arrays.formal_charge;
  const charge = (i: number): number => (q && !Array.isArray(q) ? (q[i] ?? 0) : 0);
  const out: string[] = [
    name.replace(/[\r\n]+/g, ' ').slice(0, 80),
    '  Atomscop          3D',
    comment.replace(/[\r\n]+/g, ' ').slice(0, 80),
    `${i3(n)}${i3(nb)}  0  0  0  0  0  0  0  0999 V2000`,
  ];
  for (let i = 0; i < n; i++) {
    const z = s.numbers[i]!;
    const sym = (z > 0 ? elementSymbol(z) : (labels?.[i] ?? '*')).slice(0, 3).padEnd(3);
    const xyz = `${f104(s.positions[3 * i]!)}${f104(s.positions[3 * i + 1]!)}${f104(s.positions[3 * i + 2]!)}`;
    out.push(`${xyz} ${sym} 0${i3(chargeCode(charge(i)))}  0  0  0  0  0  0  0  0  0  0`);
  }
  for (let b = 0; b < nb; b++) {
    const order = s.bondOrders?.[b] || 1;
    out.push(`${i3(s.bonds![2 * b]! + 1)}${i3(s.bonds![2 * b + 1]! + 1)}${i3(order)}  0`);
  }
  const charged = Array.from({ length: n }, (_, i) => i).filter((i) => charge(i) !== 0);
  for (let k = 0; k < charged.length; k += 8) {
    const chunk = charged.slice(k, k + 8);
    out.push(`M  CHG${i3(chunk.length)}${chunk.map((i) => ` ${i3(i + 1)} ${i3(charge(i))}`).join('')}`);
  }
  out.push('M  END');
  for (const [key, value] of Object.entries(s.info)) {
    if (key === 'name' || key === 'comment' || /[<>\r\n]/.test(key)) continue;
    out.push(`>  <${key}>`, dataText(value), '');
  }
  out.push('$$$$');
  sink.write(out.join('\n') + '\n');
}

/** Data item text; never empty or containing a blank line (either would end the item early). */
function dataText(v: InfoValue): string {
  const scalar = (x: number | string | boolean): string =>
    typeof x === 'boolean' ? (x ? 'T' : 'F') : Object.is(x, -0) ? '-0' : String(x);
  const text = Array.isArray(v) ? (v as (number | string | boolean)[]).map(scalar).join(' ') : scalar(v);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length > 0 ? lines.join('\n') : ' ';
}

function writeSdf(frames: Iterable<Structure>, sink: ByteSink, options: WriteOptions = {}): void {
  for (const s of frames) writeRecord(s, sink, options);
}

// ---------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------

/** The fourth line is a counts line ending in V2000 or V3000. */
function sniffSdf(head: Uint8Array): boolean {
  const lines = headText(head).split('\n', 5);
  return /^[\s\d]{6}.*V[23]000\s*$/.test(lines[3]?.replace(/\r$/, '') ?? '');
}

export const sdfFormat: FormatSpec = {
  id: 'sdf',
  label: 'MDL SDF / MOL (V2000)',
  extensions: ['sdf', 'mol', 'sd'],
  sniff: sniffSdf,
  binary: false,
  multiFrame: true,
  open: (source, options = {}) => new SdfReader(source, options),
  write: writeSdf,
};
