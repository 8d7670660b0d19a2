/**
 * VASP structure files: POSCAR / CONTCAR (one frame, read and write) and XDATCAR (many).
 *
 * Header: title, scale (one number; negative = target cell volume in Å^3; or three
 * per-Cartesian-component factors), three lattice rows, then VASP 5's element line (POTCAR
 * suffixes such as `Cu_pv` or `Cu/5dcbc2b2` stripped) and the counts. VASP 4 files have no
 * element line: the title gives the elements when it lists one symbol per group (ASE's
 * convention), else they are unknown (0) with a warning. Cartesian coordinates are scaled
 * like the lattice. `Selective dynamics` flags become the width-3 Uint8Array column
 * `selective` (1 = T = free to move). A CONTCAR's Cartesian velocity block (Å/fs) becomes
 * `velocities` in Å/ps.
 *
 * XDATCAR (VASP 5): `Direct configuration= k` blocks after one header, or after a header
 * per frame when the cell changes (NPT). The configuration number is `info.step`.
 *
 * Writing (POSCAR, VASP 5, Direct): atoms are grouped by element in order of first
 * appearance, because VASP needs one contiguous block per element. That reorders atoms whose
 * elements are interleaved; the order within an element is kept.
 */
import { ParseError } from '../errors.js';
import {
  AbortError,
  type FormatSpec,
  type FrameIndex,
  type OpenOptions,
  type TrajectoryReader,
  type WriteOptions,
  isUsableIndex,
} from '../format.js';
import type { ByteSink, ByteSource } from '../source.js';
import { LineReader, splitFields } from '../text.js';
import { atomicNumber, elementSymbol } from '../../model/elements.js';
import { cellVolume, fractionalToCartesian, invert3 } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';

const FORMAT = 'vasp';

/** VASP writes velocities in Å/fs; Atomscope uses Å/ps. */
const FS_TO_PS = 1000;

// ---------------------------------------------------------------------------------------
// Lines with errors that know where they are

/** Raised when the file ends where more lines were needed (a cut in a trajectory). */
class EndOfInput extends Error {}

interface Ctx {
  file: string;
  frame?: number;
}

function fail(ctx: Ctx, line: number, reason: string): never {
  const location = ctx.frame === undefined ? { line } : { frame: ctx.frame, line };
  throw new ParseError(ctx.file, FORMAT, reason, location);
}

function need(lr: LineReader, what: string): string {
  const line = lr.next();
  if (line === null) throw new EndOfInput(`unexpected end of file: expected ${what} at line ${lr.lineNumber + 1}`);
  return line;
}

function numbers(ctx: Ctx, lr: LineReader, line: string, count: number, what: string): number[] {
  const f = splitFields(line);
  if (f.length < count) fail(ctx, lr.lineNumber, `${what}: expected ${count} numbers, found '${line.trim()}'`);
  return f.slice(0, count).map((t) => {
    const v = Number(t);
    if (t === '' || !Number.isFinite(v)) fail(ctx, lr.lineNumber, `${what}: '${t}' is not a finite number`);
    return v;
  });
}

// ---------------------------------------------------------------------------------------
// Header

interface Header {
  title: string;
  cell: Float64Array;
  /** Per-Cartesian-component scale for Cartesian coordinates. */
  scale: [number, number, number];
  symbols: string[];
  counts: number[];
  atoms: number;
  /** Atomic numbers, expanded from symbols and counts. */
  numbers: Uint8Array;
}

function isCount(token: string): boolean {
  return /^\d+$/.test(token);
}

/** A VASP 5 element token without its POTCAR flavour: `Cu_pv` -> Cu, `O/ab12cd` -> O. */
function cleanSymbol(token: string): string {
  return token.split(/[_/.]/)[0] ?? token;
}

function readHeader(lr: LineReader, ctx: Ctx, bytesLeft: () => number, warnings: string[]): Header {
  const title = need(lr, 'the title line').trim();
  const scaleTokens = splitFields(need(lr, 'the scale factor'));
  const scaleLine = lr.lineNumber;
  if (scaleTokens.length !== 1 && scaleTokens.length < 3) {
    fail(ctx, scaleLine, `expected one scale factor or three, found '${scaleTokens.join(' ')}'`);
  }
  const scaleValues = numbers(ctx, lr, scaleTokens.join(' '), scaleTokens.length === 1 ? 1 : 3, 'scale factor');
  const cell = new Float64Array(9);
  for (let r = 0; r < 3; r++)
    cell.set(numbers(ctx, lr, need(lr, `lattice vector ${r + 1}`), 3, 'lattice vector'), 3 * r);
  const scale = scaleOf(scaleValues, cell, ctx, scaleLine);
  for (let k = 0; k < 9; k++) cell[k] = cell[k]! * scale[k % 3]!;

  let tokens = splitFields(need(lr, 'element symbols or counts'));
  let symbols: string[] = [];
  if (!tokens.every(isCount)) {
    symbols = tokens.map(cleanSymbol);
    tokens = splitFields(need(lr, 'atom counts'));
  }
  if (tokens.length === 0 || !tokens.every(isCount))
    fail(ctx, lr.lineNumber, `expected atom counts, found '${tokens.join(' ')}'`);
  const counts = tokens.map(Number);
  if (symbols.length === 0) symbols = symbolsFromTitle(title, counts.length, warnings);
  if (symbols.length !== counts.length) {
    fail(ctx, lr.lineNumber, `${symbols.length} element symbols but ${counts.length} counts`);
  }
  const atoms = counts.reduce((a, b) => a + b, 0);
  // Each coordinate line takes at least six bytes ("0 0 0\n"): refuse counts the file cannot hold.
  if (atoms * 6 > bytesLeft()) fail(ctx, lr.lineNumber, `${atoms} atoms cannot fit in the rest of the file`);
  const z = symbols.map((s) => atomicNumber(s));
  const unknown = symbols.filter((s, k) => z[k] === 0 && s !== 'X');
  if (unknown.length > 0) warnings.push(`unknown element symbol(s) ${unknown.join(', ')}: element set to 0`);
  const numbersOut = new Uint8Array(atoms);
  let at = 0;
  counts.forEach((c, k) => {
    numbersOut.fill(z[k]!, at, at + c);
    at += c;
  });
  return { title, cell, scale, symbols, counts, atoms, numbers: numbersOut };
}

/** Scale factors per Cartesian component; a single negative one is the target volume. */
function scaleOf(values: number[], cell: Float64Array, ctx: Ctx, line: number): [number, number, number] {
  if (values.length === 3) {
    if (values.some((v) => v <= 0)) fail(ctx, line, 'three scale factors must all be positive');
    return values as [number, number, number];
  }
  const s = values[0]!;
  if (s === 0) fail(ctx, line, 'scale factor is zero');
  if (s > 0) return [s, s, s];
  const volume = cellVolume(cell);
  if (volume === 0) fail(ctx, line, 'negative scale (target volume) with a zero-volume lattice');
  const f = Math.cbrt(-s / volume);
  return [f, f, f];
}

/** VASP 4: ASE reads the elements from the title when it lists one symbol per group. */
function symbolsFromTitle(title: string, groups: number, warnings: string[]): string[] {
  const words = splitFields(title).map(cleanSymbol);
  if (words.length >= groups && words.slice(0, groups).every((w) => atomicNumber(w) > 0 && /^[A-Z][a-z]?$/.test(w))) {
    return words.slice(0, groups);
  }
  warnings.push('VASP 4 file without element symbols (none in the title line either): elements are unknown');
  return new Array<string>(groups).fill('X');
}

// ---------------------------------------------------------------------------------------
// Coordinates

/** Reads `n` coordinate lines into Cartesian positions (and selective flags when asked). */
function readCoordinates(
  lr: LineReader,
  ctx: Ctx,
  header: Header,
  cartesian: boolean,
  selective: Uint8Array | null,
): Float64Array {
  const n = header.atoms;
  const coords = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const line = need(lr, `coordinates of atom ${i + 1} of ${n}`);
    const f = splitFields(line);
    if (f.length < 3) fail(ctx, lr.lineNumber, `expected three coordinates, found '${line.trim()}'`);
    for (let k = 0; k < 3; k++) {
      const v = Number(f[k]);
      if (!Number.isFinite(v)) fail(ctx, lr.lineNumber, `coordinate '${f[k]}' is not a finite number`);
      coords[3 * i + k] = v;
    }
    if (selective) {
      for (let k = 0; k < 3; k++) {
        const flag = f[3 + k]?.toUpperCase();
        if (flag !== 'T' && flag !== 'F')
          fail(ctx, lr.lineNumber, `expected selective dynamics flags T/F, found '${line.trim()}'`);
        selective[3 * i + k] = flag === 'T' ? 1 : 0;
      }
    }
  }
  if (!cartesian) return fractionalToCartesian(coords, header.cell, coords);
  for (let k = 0; k < coords.length; k++) coords[k] = coords[k]! * header.scale[k % 3]!;
  return coords;
}

/** `Cartesian`/`Kartesian` (first letter C or K) vs anything else, which VASP reads as Direct. */
function isCartesian(line: string): boolean {
  return /^\s*[CcKk]/.test(line);
}

// ---------------------------------------------------------------------------------------
// POSCAR / CONTCAR

function readPoscar(lr: LineReader, ctx: Ctx, header: Header, warnings: string[]): Structure {
  let mode = need(lr, "'Direct' or 'Cartesian'");
  let selective: Uint8Array | null = null;
  if (/^\s*[Ss]/.test(mode)) {
    selective = new Uint8Array(3 * header.atoms);
    mode = need(lr, "'Direct' or 'Cartesian'");
  }
  const positions = readCoordinates(lr, ctx, header, isCartesian(mode), selective);
  const s: Structure = {
    numbers: header.numbers,
    positions,
    cell: header.cell,
    pbc: [true, true, true],
    arrays: {},
    info: { title: header.title },
  };
  if (selective) {
    s.arrays.selective = selective;
    s.arrayWidths = { selective: 3 };
  }
  const velocities = readVelocities(lr, header, warnings);
  if (velocities) s.velocities = velocities;
  return s;
}

/**
 * A CONTCAR after MD holds a blank line and one velocity per atom (Å/fs, Cartesian unless
 * a `Direct` line says otherwise). Anything else after the positions is left alone.
 */
function readVelocities(lr: LineReader, header: Header, warnings: string[]): Float64Array | null {
  let line = lr.next();
  while (line !== null && line.trim() === '') line = lr.next();
  if (line === null) return null;
  let direct = false;
  if (/^\s*[A-Za-z]/.test(line)) {
    if (/^\s*Lattice velocities/i.test(line)) {
      warnings.push('lattice velocities block not read; atomic velocities skipped');
      return null;
    }
    direct = !isCartesian(line);
    line = lr.next();
  }
  const n = header.atoms;
  const v = new Float64Array(3 * n);
  for (let i = 0; i < n; i++, line = lr.next()) {
    const f = line === null ? [] : splitFields(line);
    const row = f.slice(0, 3).map(Number);
    if (f.length < 3 || !row.every(Number.isFinite)) {
      warnings.push(`text after the positions is not ${n} velocity lines: ignored`);
      return null;
    }
    v.set(row, 3 * i);
  }
  if (direct) fractionalToCartesian(v, header.cell, v);
  for (let k = 0; k < v.length; k++) v[k] = v[k]! * FS_TO_PS;
  return v;
}

class PoscarReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount = 1;
  readonly atomCount: number;
  readonly warnings: string[] = [];
  constructor(
    private readonly source: ByteSource,
    private readonly structure: Structure,
    warnings: string[],
  ) {
    this.atomCount = structure.numbers.length;
    this.warnings.push(...warnings);
  }
  readFrame(i: number): Structure {
    if (i !== 0) throw new RangeError(`${this.source.name}: frame ${i} out of range (a POSCAR has one frame)`);
    return this.structure;
  }
  close(): void {
    this.source.close?.();
  }
}

// ---------------------------------------------------------------------------------------
// XDATCAR

/** `Direct configuration=     1` (VASP 5); the prefix keeps a title line from matching. */
const CONFIGURATION = /^\s*(Direct|Cartesian)\s+configuration\s*=?\s*(\d+)?/i;

function isConfiguration(line: string): boolean {
  return CONFIGURATION.test(line);
}

/** A view of a source that ends early, so a LineReader reads only one frame's bytes. */
function sliceSource(source: ByteSource, end: number): ByteSource {
  return {
    name: source.name,
    size: end,
    read: (offset, length) => source.read(offset, Math.max(0, Math.min(length, end - offset))),
  };
}

const PROGRESS_STEP = 1 << 20;

/**
 * One pass: a frame starts at its configuration line, or at the header before it when the
 * cell changes per frame. Only the header is parsed; coordinate lines are skipped.
 */
function indexXdatcar(
  source: ByteSource,
  first: Header,
  bodyStart: { offset: number; line: number },
  options: OpenOptions,
) {
  const lr = new LineReader(source, bodyStart.offset, bodyStart.line);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  let atoms = first.atoms;
  let lastEnd = bodyStart.offset;
  let nextReport = PROGRESS_STEP;
  const unterminated = source.size > 0 && source.read(source.size - 1, 1)[0] !== 10;
  for (let frame = 0; ; frame++) {
    const ctx = { file: source.name, frame };
    let line = lr.next();
    while (line !== null && line.trim() === '') line = lr.next();
    if (line === null) break;
    const frameOffset = lr.lineOffset;
    const frameLine = lr.lineNumber;
    let cut = false;
    try {
      if (!isConfiguration(line)) {
        // A repeated header (variable cell): re-read it from its title line.
        lr.seek(frameOffset, frameLine);
        atoms = readHeader(lr, ctx, () => source.size - lr.offset, []).atoms;
        const config = need(lr, "'Direct configuration='");
        if (!isConfiguration(config))
          fail(ctx, lr.lineNumber, `expected 'Direct configuration=', found '${config.trim()}'`);
      }
      if (lr.skip(atoms) < atoms) cut = true;
    } catch (e) {
      if (!(e instanceof EndOfInput)) throw e;
      cut = true;
    }
    // Without a final newline the last number may be cut short and still parse.
    if (cut || (unterminated && lr.offset >= source.size)) {
      warnings.push(
        `${source.name}: file is truncated in frame ${frame} (frame starts at byte ${frameOffset}, ` +
          `file size ${source.size}); kept ${frame} complete frame(s)`,
      );
      break;
    }
    offsets.push(frameOffset);
    lines.push(frameLine);
    lastEnd = lr.offset;
    if (lr.offset >= nextReport) {
      nextReport = lr.offset + Math.max(PROGRESS_STEP, source.size / 100);
      if (options.isCancelled?.()) throw new AbortError();
      options.onProgress?.(lr.offset / Math.max(1, source.size), `indexing ${source.name}: ${frame + 1} frames`);
    }
  }
  offsets.push(lastEnd);
  options.onProgress?.(1, `indexed ${source.name}: ${lines.length} frames`);
  return { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings };
}

class XdatcarReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    private readonly header: Header,
    bodyStart: { offset: number; line: number },
    warnings: string[],
    options: OpenOptions,
  ) {
    this.index = isUsableIndex(options.index, source.size)
      ? options.index
      : indexXdatcar(source, header, bodyStart, options);
    this.frameCount = this.index.offsets.length - 1;
    if (this.frameCount === 0) {
      throw new ParseError(source.name, FORMAT, 'XDATCAR has no complete configuration', { line: bodyStart.line });
    }
    this.atomCount = header.atoms;
    this.warnings = [...warnings, ...this.index.warnings];
  }

  readFrame(i: number): Structure {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const end = this.index.offsets[i + 1]!;
    const ctx = { file: this.source.name, frame: i };
    const lr = new LineReader(sliceSource(this.source, end), this.index.offsets[i]!, this.index.lines?.[i] ?? 1);
    try {
      let line = need(lr, "'Direct configuration='");
      let header = this.header;
      if (!isConfiguration(line)) {
        lr.seek(this.index.offsets[i]!, this.index.lines?.[i] ?? 1);
        header = readHeader(lr, ctx, () => end - lr.offset, []);
        line = need(lr, "'Direct configuration='");
        if (!isConfiguration(line))
          fail(ctx, lr.lineNumber, `expected 'Direct configuration=', found '${line.trim()}'`);
      }
      const m = CONFIGURATION.exec(line);
      const cartesian = /^\s*Cartesian/i.test(line);
      const positions = readCoordinates(lr, ctx, header, cartesian, null);
      const s: Structure = {
        numbers: header.numbers,
        positions,
        cell: header.cell,
        pbc: [true, true, true],
        arrays: {},
        info: { title: header.title },
      };
      if (m?.[2] !== undefined) s.info.step = Number(m[2]);
      return s;
    } catch (e) {
      if (e instanceof EndOfInput) fail(ctx, lr.lineNumber, `${e.message} (stale index?)`);
      throw e;
    }
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  close(): void {
    this.source.close?.();
  }
}

// ---------------------------------------------------------------------------------------
// open: POSCAR or XDATCAR, told apart by the line after the counts

function open(source: ByteSource, options: OpenOptions = {}): TrajectoryReader {
  const ctx: Ctx = { file: source.name };
  if (source.size === 0) fail(ctx, 1, 'empty file');
  const lr = new LineReader(source);
  const warnings: string[] = [];
  try {
    const header = readHeader(lr, ctx, () => source.size - lr.offset, warnings);
    const bodyStart = { offset: lr.offset, line: lr.lineNumber + 1 };
    const next = need(lr, "'Direct', 'Cartesian' or 'Selective dynamics'");
    if (isConfiguration(next)) {
      return new XdatcarReader(source, header, bodyStart, warnings, options);
    }
    lr.seek(bodyStart.offset, bodyStart.line);
    return new PoscarReader(source, readPoscar(lr, ctx, header, warnings), warnings);
  } catch (e) {
    if (e instanceof EndOfInput) fail(ctx, lr.lineNumber + 1, e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// Writing

/** Atom indices grouped by element in order of first appearance (stable within a group). */
export function groupByElement(numbers: Uint8Array): { order: Uint32Array; symbols: string[]; counts: number[] } {
  const groups = new Map<number, number[]>();
  numbers.forEach((z, i) => {
    const g = groups.get(z);
    if (g) g.push(i);
    else groups.set(z, [i]);
  });
  const order = new Uint32Array(numbers.length);
  let at = 0;
  for (const g of groups.values()) {
    order.set(g, at);
    at += g.length;
  }
  return {
    order,
    symbols: [...groups.keys()].map((z) => elementSymbol(z)),
    counts: [...groups.values()].map((g) => g.length),
  };
}

const f16 = (v: number): string => (Object.is(v, -0) ? 0 : v).toFixed(16).padStart(22);

function writePoscar(s: Structure, sink: ByteSink, options: WriteOptions): void {
  if (!s.cell) throw new Error('POSCAR needs a cell: the structure has none (set one first)');
  const { order, symbols, counts } = groupByElement(s.numbers);
  const inv = invert3(s.cell);
  const sel =
    s.arrays.selective instanceof Uint8Array && s.arrays.selective.length === 3 * s.numbers.length
      ? s.arrays.selective
      : null;
  const own = typeof s.info.title === 'string' ? s.info.title : '';
  const title = options.title || own || symbols.join(' ');
  const out = [title.replace(/[\r\n]+/g, ' '), '1.0'];
  for (let r = 0; r < 3; r++) out.push([0, 1, 2].map((k) => f16(s.cell![3 * r + k]!)).join(''));
  out.push(symbols.map((x) => x.padStart(5)).join(''), counts.map((c) => String(c).padStart(5)).join(''));
  if (sel) out.push('Selective dynamics');
  out.push('Direct');
  const p = s.positions;
  for (const i of order) {
    const [x, y, z] = [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];
    const frac = [0, 1, 2].map((k) => x * inv[k]! + y * inv[3 + k]! + z * inv[6 + k]!);
    let line = frac.map(f16).join('');
    if (sel) line += [0, 1, 2].map((k) => (sel[3 * i + k] ? '   T' : '   F')).join('');
    out.push(line);
  }
  sink.write(out.join('\n') + '\n');
}

export const vaspFormat: FormatSpec = {
  id: FORMAT,
  label: 'VASP POSCAR / CONTCAR / XDATCAR',
  extensions: ['poscar', 'vasp'],
  globs: [/^(POSCAR|CONTCAR)/i, /^XDATCAR/i],
  binary: false,
  multiFrame: true,
  open,
  write: (frames, sink, options = {}) => {
    for (const s of frames) {
      writePoscar(s, sink, options);
      return;
    }
    throw new Error('POSCAR: nothing to write (no frames)');
  },
};
