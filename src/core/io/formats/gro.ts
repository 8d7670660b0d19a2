/**
 * GROMACS .gro reader and writer.
 *
 * A frame is: title, atom count, one fixed-column line per atom, box line. Atom lines are
 * `%5d%-5s%5s%5d` (residue number, residue name, atom name, atom number) and then positions
 * in nm and optional velocities in nm/ps, each field `ddist` characters wide, where ddist is
 * the distance between the first two decimal points (8 for the usual %8.3f; higher precision
 * files use wider fields). Numbers run together past 99999 and wrap at 100000, so fields are
 * sliced by column and residue/atom numbers are kept as written, never used as keys.
 * Frames are concatenated. Units are converted on the way in and out: nm -> Å, nm/ps -> Å/ps.
 */
import { ParseError } from '../errors.js';
import { AbortError, isUsableIndex } from '../format.js';
import type { FormatSpec, FrameIndex, OpenOptions, TrajectoryReader, WriteOptions } from '../format.js';
import type { ByteSink, ByteSource } from '../source.js';
import { LineReader, headText, parseIntStrict } from '../text.js';
import { cellFromParameters, cellParameters, invert3 } from '../../model/cell.js';
import { atomicNumber, elementSymbol } from '../../model/elements.js';
import type { Structure } from '../../model/structure.js';

const FORMAT = 'gro';
const decoder = new TextDecoder('utf-8');
const NM = 10; // Å per nm

// ---------------------------------------------------------------------------------------
// Elements from atom and residue names
// ---------------------------------------------------------------------------------------

/** Ion residue names (GROMACS, CHARMM, AMBER) and the element they are. */
const ION_RESIDUES: Record<string, number> = {
  NA: 11,
  'NA+': 11,
  SOD: 11,
  CL: 17,
  'CL-': 17,
  CLA: 17,
  K: 19,
  'K+': 19,
  POT: 19,
  MG: 12,
  MG2: 12,
  CA: 20,
  CAL: 20,
  ZN: 30,
  ZN2: 30,
  LI: 3,
  RB: 37,
  CS: 55,
  CES: 55,
  F: 9,
  BR: 35,
  I: 53,
};

/**
 * Guesses an element: a residue that is an ion and whose atom is named like it gives the ion;
 * a mixed-case name (Cu, Fe) is that element; otherwise the first letter (after leading
 * digits), so CA is C-alpha, HW1 hydrogen, OW oxygen, SD sulfur. 0 when nothing fits
 * (virtual sites such as MW).
 */
export function guessGroElement(atomName: string, resname: string): number {
  const name = atomName.trim();
  const res = resname.trim().toUpperCase();
  const ion = ION_RESIDUES[res];
  const bare = name.toUpperCase().replace(/[0-9+-]+$/, '');
  if (ion !== undefined && (bare === res.replace(/[0-9+-]+$/, '') || ION_RESIDUES[bare] === ion)) return ion;
  const letters = /^[0-9]*([A-Za-z]{1,2})/.exec(name)?.[1] ?? '';
  if (letters.length === 0) return 0;
  if (/^[A-Z][a-z]$/.test(letters) && atomicNumber(letters) > 0) return atomicNumber(letters);
  return atomicNumber(letters[0]!.toUpperCase());
}

// ---------------------------------------------------------------------------------------
// Numbers by column
// ---------------------------------------------------------------------------------------

const NUMBER_RE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function fieldNumber(text: string): number {
  return NUMBER_RE.test(text) ? Number(text) : NaN;
}

/** Field width from the distance between the first two decimal points after column 20. */
function fieldWidth(line: string): number {
  const p1 = line.indexOf('.', 20);
  const p2 = p1 < 0 ? -1 : line.indexOf('.', p1 + 1);
  return p2 > p1 ? p2 - p1 : 8;
}

/** Box line -> cell in Å (null for an all-zero box); a string explains what is wrong. */
function parseBox(line: string): Float64Array | null | string {
  const t = line.trim().split(/\s+/);
  const v = t.map(fieldNumber);
  if ((v.length !== 3 && v.length !== 9) || !v.every(Number.isFinite)) {
    return `expected the box line (3 or 9 numbers), found '${clip(line.trim())}'`;
  }
  // v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)
  const [v1x, v2y, v3z, v1y = 0, v1z = 0, v2x = 0, v2z = 0, v3x = 0, v3y = 0] = v as number[];
  const cell = Float64Array.of(v1x!, v1y, v1z, v2x, v2y!, v2z, v3x, v3y, v3z!).map((x) => x * NM);
  return cell.every((x) => x === 0) ? null : cell;
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

// ---------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------

const PROGRESS_EVERY = 256;

function buildIndex(source: ByteSource, options: OpenOptions): FrameIndex {
  const file = source.name;
  if (source.size === 0) throw new ParseError(file, FORMAT, 'empty file', { line: 1 });
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  const fail = (reason: string, frame: number, line: number): never => {
    throw new ParseError(file, FORMAT, reason, { frame, line });
  };
  let end = 0;
  for (let frame = 0; ; frame++) {
    if (frame % PROGRESS_EVERY === 0) progress(options, lr.offset / source.size);
    const title = lr.next();
    if (title === null) break;
    const start = lr.lineOffset;
    const titleLine = lr.lineNumber;
    if (title.trim().length === 0) {
      // Trailing blank lines end the file; an empty title before a frame is allowed.
      const resume = lr.offset;
      if (restIsBlank(lr)) break;
      lr.seek(resume, titleLine + 1);
    }
    const countText = lr.next();
    const n = parseIntStrict(countText ?? '');
    if (countText === null || !(n >= 0)) {
      if (countText === null && frame > 0) {
        truncatedWarning(warnings, frame, start, titleLine, 'no atom count line');
        break;
      }
      fail(
        `expected the atom count on line ${titleLine + 1}, found '${clip((countText ?? '').trim())}'`,
        frame,
        titleLine + 1,
      );
    }
    // No allocation happens here, so a lying count just runs into the end of the file.
    const skipped = lr.skip(n);
    const box = skipped === n ? lr.next() : null;
    if (box === null) {
      if (frame > 0) {
        truncatedWarning(warnings, frame, start, titleLine, `it declares ${n} atoms, fewer lines follow`);
        break;
      }
      return fail(endOfFileReason(source, lr, n, skipped, titleLine + 1), 0, Math.max(lr.lineNumber, titleLine + 1));
    }
    const cell = parseBox(box);
    if (typeof cell === 'string') {
      fail(
        `${cell} after the ${n} atoms of frame ${frame} (is the atom count on line ${titleLine + 1} right?)`,
        frame,
        lr.lineNumber,
      );
    }
    offsets.push(start);
    lines.push(titleLine);
    end = lr.offset;
  }
  if (offsets.length === 0) fail('no frame', 0, 1);
  offsets.push(end);
  progress(options, 1);
  return { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings };
}

/**
 * Why frame 0 ran out of lines. When the last line is a box line, the count is too large:
 * say which atom that box line was taken for.
 */
function endOfFileReason(source: ByteSource, lr: LineReader, n: number, skipped: number, countLine: number): string {
  const base = `unexpected end of file: frame 0 declares ${n} atoms on line ${countLine}`;
  if (skipped === 0) return `${base} but no atom lines follow`;
  let last = decoder.decode(source.read(lr.lineOffset, Math.min(256, source.size - lr.lineOffset)));
  last = last.split('\n', 1)[0]!.replace(/\r$/, '');
  const box = parseBox(last);
  if (typeof box !== 'string') {
    return (
      `${base} but the file has ${skipped - 1} atom lines: line ${lr.lineNumber} is the box line, ` +
      `read where atom ${skipped} is expected`
    );
  }
  return `${base} but only ${skipped} lines follow it (file ends at line ${lr.lineNumber})`;
}

function truncatedWarning(warnings: string[], frame: number, offset: number, line: number, detail: string): void {
  warnings.push(
    `file is truncated: frame ${frame} (line ${line}, byte ${offset}) is incomplete (${detail}); ` +
      `kept the ${frame} complete frames`,
  );
}

function restIsBlank(lr: LineReader): boolean {
  for (let l = lr.next(); l !== null; l = lr.next()) if (l.trim().length > 0) return false;
  return true;
}

function progress(options: OpenOptions, fraction: number): void {
  if (options.isCancelled?.()) throw new AbortError();
  options.onProgress?.(Math.min(1, fraction), 'indexing GRO frames');
}

// ---------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------

class GroReader implements TrajectoryReader {
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
    lr.next();
    this.atomCount = parseIntStrict(lr.next() ?? '');
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
    const fail = (reason: string, lineInFrame: number): never => {
      const where = first !== undefined ? { frame: i, line: first + lineInFrame } : { frame: i, offset: start };
      throw new ParseError(this.source.name, FORMAT, reason, where);
    };
    const n = parseIntStrict(lines[1]);
    if (!(n >= 0) || lines.length < n + 3) fail('frame does not match the index (file changed?)', 0);
    const s = parseAtoms(lines, n, fail);
    const cell = parseBox(lines[n + 2]!);
    if (typeof cell === 'string') fail(cell, n + 2);
    s.cell = cell as Float64Array | null;
    s.pbc = s.cell ? [true, true, true] : [false, false, false];
    Object.assign(s.info, titleInfo(lines[0]!));
    return s;
  }

  close(): void {
    this.source.close?.();
  }
}

/** `t= 10.000 step= 5000` in a GROMACS title: time in ps and the step. */
function titleInfo(title: string): Record<string, number | string> {
  const info: Record<string, number | string> = { title: title.trim() };
  const t = /\bt=\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(title);
  if (t) info.time = Number(t[1]);
  const step = /\bstep=\s*(\d+)/.exec(title);
  if (step) info.step = Number(step[1]);
  return info;
}

function parseAtoms(lines: string[], n: number, fail: (reason: string, lineInFrame: number) => never): Structure {
  const numbers = new Uint8Array(n);
  const positions = new Float64Array(3 * n);
  const resid = new Int32Array(n);
  const id = new Int32Array(n);
  const resname = new Array<string>(n);
  const name = new Array<string>(n);
  const firstAtom = lines[2] ?? '';
  const w = fieldWidth(firstAtom);
  const hasVelocities = n > 0 && firstAtom.slice(20 + 3 * w).trim().length > 0;
  const velocities = hasVelocities ? new Float64Array(3 * n) : undefined;
  const guesses = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const line = lines[k + 2]!;
    const lineInFrame = k + 2;
    if (line.length < 20 + 3 * w) {
      fail(
        `atom ${k + 1} of ${n}: line has ${line.length} columns, expected at least ${20 + 3 * w}: '${clip(line)}'`,
        lineInFrame,
      );
    }
    resid[k] = parseIntStrict(line.slice(0, 5)) || 0;
    resname[k] = line.slice(5, 10).trim();
    name[k] = line.slice(10, 15).trim();
    id[k] = parseIntStrict(line.slice(15, 20)) || 0;
    readVector(line, 20, w, positions, 3 * k, NM, 'position', fail, lineInFrame);
    if (velocities) readVector(line, 20 + 3 * w, w, velocities, 3 * k, NM, 'velocity', fail, lineInFrame);
    const key = `${resname[k]} ${name[k]}`;
    let z = guesses.get(key);
    if (z === undefined) {
      z = guessGroElement(name[k]!, resname[k]!);
      guesses.set(key, z);
    }
    numbers[k] = z;
  }
  const s: Structure = {
    numbers,
    positions,
    cell: null,
    pbc: [false, false, false],
    arrays: { resid, resname, name, id },
    info: {},
  };
  if (velocities) s.velocities = velocities;
  return s;
}

function readVector(
  line: string,
  from: number,
  w: number,
  out: Float64Array,
  at: number,
  scale: number,
  what: string,
  fail: (reason: string, lineInFrame: number) => never,
  lineInFrame: number,
): void {
  for (let d = 0; d < 3; d++) {
    const a = from + d * w;
    const field = line.slice(a, a + w);
    const v = fieldNumber(field);
    if (!Number.isFinite(v)) {
      fail(`${what} ${'xyz'[d]} (columns ${a + 1}-${a + w}): '${field}' is not a number`, lineInFrame);
    }
    out[at + d] = v * scale;
  }
}

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

function fixed(v: number, width: number, decimals: number, what: string): string {
  let t = v.toFixed(decimals);
  if (/^-0\.0+$/.test(t)) t = t.slice(1);
  if (t.length > width || !Number.isFinite(v)) throw new Error(`GRO: ${what} ${v} does not fit %${width}.${decimals}f`);
  return t.padStart(width);
}

/**
 * Positions and cell in the orientation GROMACS requires (box vectors lower triangular:
 * a along x, b in the xy plane), keeping fractional coordinates.
 */
function orient(s: Structure): { positions: Float64Array; velocities?: Float64Array; cell: Float64Array | null } {
  const out: { positions: Float64Array; velocities?: Float64Array; cell: Float64Array | null } = {
    positions: s.positions,
    cell: s.cell,
  };
  if (s.velocities) out.velocities = s.velocities;
  if (!s.cell) return out;
  const c = s.cell;
  if (c[1] === 0 && c[2] === 0 && c[5] === 0) return out;
  const std = cellFromParameters(...cellParameters(c));
  const inv = invert3(c);
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += inv[3 * r + k]! * std[3 * k + col]!;
      m[3 * r + col] = sum;
    }
  }
  const rotate = (v: Float64Array): Float64Array => {
    const o = new Float64Array(v.length);
    for (let i = 0; i < v.length; i += 3) {
      for (let col = 0; col < 3; col++)
        o[i + col] = v[i]! * m[col]! + v[i + 1]! * m[3 + col]! + v[i + 2]! * m[6 + col]!;
    }
    return o;
  };
  out.positions = rotate(s.positions);
  if (s.velocities) out.velocities = rotate(s.velocities);
  out.cell = std;
  return out;
}

function boxLine(cell: Float64Array | null): string {
  if (!cell) return '   0.00000   0.00000   0.00000';
  const v = (k: number): string => fixed(cell[k]! / NM, 10, 5, 'box');
  const diag = `${v(0)}${v(4)}${v(8)}`;
  const off = [1, 2, 3, 5, 6, 7];
  // v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)
  return off.every((k) => cell[k] === 0) ? diag : `${diag}${v(1)}${v(2)}${v(3)}${v(5)}${v(6)}${v(7)}`;
}

function groTitle(s: Structure, options: WriteOptions): string {
  const base = options.title ?? (typeof s.info.title === 'string' ? s.info.title.replace(/\s*\bt=.*$/, '') : '');
  const parts = [base || 'Written by Atomscope'];
  if (typeof s.info.time === 'number') parts.push(`t= ${s.info.time.toFixed(5)}`);
  if (typeof s.info.step === 'number') parts.push(`step= ${s.info.step}`);
  return parts.join(' ').replace(/[\r\n]+/g, ' ');
}

function writeFrame(s: Structure, sink: ByteSink, options: WriteOptions): void {
  const n = s.numbers.length;
  const { positions, velocities, cell } = orient(s);
  const str = (key: string): string[] | null => {
    const v = s.arrays[key];
    return Array.isArray(v) && v.length === n ? v : null;
  };
  const num = (key: string): ArrayLike<number> | null => {
    const v = s.arrays[key];
    return v && !Array.isArray(v) && v.length === n ? v : null;
  };
  const resid = num('resid');
  const resname = str('resname');
  const name = str('name');
  const lines: string[] = [groTitle(s, options), String(n).padStart(5)];
  for (let i = 0; i < n; i++) {
    // Residue and atom numbers wrap at 100000, as GROMACS writes them.
    const rnr = String(Math.abs(resid?.[i] ?? 1) % 100000).padStart(5);
    const rname = (resname?.[i] ?? 'MOL').slice(0, 5).padEnd(5);
    const aname = (name?.[i] || elementSymbol(s.numbers[i]!)).slice(0, 5).padStart(5);
    const anr = String((i + 1) % 100000).padStart(5);
    let line = `${rnr}${rname}${aname}${anr}`;
    for (let d = 0; d < 3; d++) line += fixed(positions[3 * i + d]! / NM, 8, 3, 'position');
    if (velocities) for (let d = 0; d < 3; d++) line += fixed(velocities[3 * i + d]! / NM, 8, 4, 'velocity');
    lines.push(line);
  }
  lines.push(boxLine(cell));
  sink.write(lines.join('\n') + '\n');
}

function writeGro(frames: Iterable<Structure>, sink: ByteSink, options: WriteOptions = {}): void {
  for (const s of frames) writeFrame(s, sink, options);
}

// ---------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------

/** Title, a bare integer, then an atom line with numbers at the fixed columns. */
function sniffGro(head: Uint8Array): boolean {
  const lines = headText(head).split('\n', 4);
  if (!/^\s*\d+\s*$/.test(lines[1] ?? '')) return false;
  const atom = lines[2];
  if (atom === undefined) return false;
  const w = fieldWidth(atom);
  return (
    /^[\s\d]{5}/.test(atom) &&
    [0, 1, 2].every((d) => Number.isFinite(fieldNumber(atom.slice(20 + d * w, 20 + (d + 1) * w)))) &&
    Number.isFinite(fieldNumber(atom.slice(15, 20)))
  );
}

export const groFormat: FormatSpec = {
  id: 'gro',
  label: 'GROMACS structure (.gro)',
  extensions: ['gro'],
  sniff: sniffGro,
  binary: false,
  multiFrame: true,
  open: (source, options = {}) => new GroReader(source, options),
  write: writeGro,
};
