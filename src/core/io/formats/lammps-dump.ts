/**
 * LAMMPS dump text reader: `dump atom` and `dump custom` (a .gz file arrives here already
 * inflated by the node layer). A frame is a run of ITEM blocks ending with `ITEM: ATOMS`:
 * optional UNITS and TIME (LAMMPS writes them before TIMESTEP), TIMESTEP, NUMBER OF ATOMS,
 * BOX BOUNDS (orthogonal, restricted triclinic `xy xz yz`, or general triclinic `abc origin`)
 * and ATOMS with its column names.
 *
 * Positions come from the first complete coordinate triple in the order x (wrapped), xs
 * (scaled), xu (unwrapped), xsu (scaled unwrapped), as ASE and MDAnalysis choose; the kind
 * is in `info.coordinates` so that MSD code can tell whether positions are unwrapped, and
 * the triples not used stay in `arrays` under their own names. Atoms are sorted by id.
 * Element numbers come from an `element` column when there is one, else 0: the type ->
 * element map belongs to the user or a topology file, so `type` is always kept.
 */
import { ParseError } from '../errors.js';
import {
  AbortError,
  type FormatSpec,
  type FrameIndex,
  type OpenOptions,
  type TrajectoryReader,
  isUsableIndex,
} from '../format.js';
import type { ByteSource } from '../source.js';
import { LineReader, headText, splitFields } from '../text.js';
import { atomicNumber } from '../../model/elements.js';
import type { AtomArray, InfoValue, Pbc, Structure } from '../../model/structure.js';

const FORMAT = 'lammps-dump';

// ---------------------------------------------------------------------------------------
// Boxes

/** A LAMMPS box as a cell (rows a, b, c) plus the corner the cell vectors start from. */
export interface LammpsBox {
  cell: Float64Array;
  origin: [number, number, number];
}

/** The cell of a restricted-triclinic box from its true bounds and tilts (data files, dumps). */
export function lammpsBox(
  lo: readonly [number, number, number],
  hi: readonly [number, number, number],
  tilt: readonly [number, number, number] = [0, 0, 0],
): LammpsBox {
  const [xy, xz, yz] = tilt;
  return {
    cell: Float64Array.of(hi[0] - lo[0], 0, 0, xy, hi[1] - lo[1], 0, xz, yz, hi[2] - lo[2]),
    origin: [lo[0], lo[1], lo[2]],
  };
}

/**
 * A dump's triclinic BOX BOUNDS lines hold the bounding box of the tilted cell, not xlo/xhi:
 * undo LAMMPS's `xlo_bound = xlo + min(0, xy, xz, xy+xz)` (and likewise for the others).
 */
export function boxFromDumpBounds(
  bounds: readonly [number, number, number, number, number, number],
  tilt: readonly [number, number, number],
): LammpsBox {
  const [xloB, xhiB, yloB, yhiB, zlo, zhi] = bounds;
  const [xy, xz, yz] = tilt;
  const xlo = xloB - Math.min(0, xy, xz, xy + xz);
  const xhi = xhiB - Math.max(0, xy, xz, xy + xz);
  const ylo = yloB - Math.min(0, yz);
  const yhi = yhiB - Math.max(0, yz);
  return lammpsBox([xlo, ylo, zlo], [xhi, yhi, zhi], tilt);
}

// ---------------------------------------------------------------------------------------
// Frame headers

interface FrameHeader {
  step?: number;
  time?: number;
  units?: string;
  atoms: number;
  box: LammpsBox;
  pbc: Pbc;
  /** Column names of the ATOMS block; empty for very old `dump atom` files. */
  columns: string[];
}

type HeaderResult =
  { kind: 'header'; header: FrameHeader; startOffset: number; startLine: number } | { kind: 'end' } | { kind: 'cut' };

/** Where errors point: the file name and the frame being read. */
interface Context {
  file: string;
  frame: number;
}

function fail(ctx: Context, line: number, reason: string): never {
  throw new ParseError(ctx.file, FORMAT, reason, { frame: ctx.frame, line });
}

/** Long lines in messages are cut so that an error stays one readable line. */
function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

const BOX_KEYWORDS = new Set(['xy', 'xz', 'yz', 'abc', 'origin']);

/**
 * Reads the ITEM blocks of one frame up to and including the `ITEM: ATOMS` line.
 * Returns 'end' at a clean end of file and 'cut' when the file stops inside the header.
 */
function readHeader(lr: LineReader, ctx: Context): HeaderResult {
  let line = lr.next();
  while (line !== null && line.trim() === '') line = lr.next();
  if (line === null) return { kind: 'end' };
  const startOffset = lr.lineOffset;
  const startLine = lr.lineNumber;
  let step: number | undefined;
  let time: number | undefined;
  let units: string | undefined;
  let atoms: number | undefined;
  let box: { box: LammpsBox; pbc: Pbc } | undefined;
  for (; line !== null; line = lr.next()) {
    const text = line.trim();
    const itemLine = lr.lineNumber;
    if (!text.startsWith('ITEM:')) fail(ctx, itemLine, `expected an 'ITEM:' line, found '${clip(text)}'`);
    const item = text.slice(5).trim();
    if (item === 'TIMESTEP' || item === 'TIME' || item === 'UNITS' || item === 'NUMBER OF ATOMS') {
      if ((item === 'TIMESTEP' && step !== undefined) || (item === 'NUMBER OF ATOMS' && atoms !== undefined)) {
        fail(ctx, itemLine, `expected 'ITEM: ATOMS' before a second '${text}'`);
      }
      const value = lr.next();
      if (value === null) return { kind: 'cut' };
      const v = value.trim();
      if (item === 'UNITS') units = v;
      else if (item === 'TIME') time = parseNumber(v, ctx, lr.lineNumber, 'TIME');
      else if (item === 'TIMESTEP') step = parseCount(v, ctx, lr.lineNumber, 'TIMESTEP');
      else atoms = parseCount(v, ctx, lr.lineNumber, 'NUMBER OF ATOMS');
    } else if (item.startsWith('BOX BOUNDS')) {
      const rows: string[] = [];
      for (let k = 0; k < 3; k++) {
        const row = lr.next();
        if (row === null) return { kind: 'cut' };
        rows.push(row);
      }
      box = parseBox(item, rows, ctx, lr.lineNumber - 2);
    } else if (item === 'ATOMS' || item.startsWith('ATOMS ')) {
      if (atoms === undefined) fail(ctx, itemLine, `expected 'ITEM: NUMBER OF ATOMS', found '${clip(text)}'`);
      if (box === undefined) fail(ctx, itemLine, `expected 'ITEM: BOX BOUNDS', found '${clip(text)}'`);
      const columns = splitFields(item).slice(1);
      const header: FrameHeader = { atoms, box: box.box, pbc: box.pbc, columns };
      if (step !== undefined) header.step = step;
      if (time !== undefined) header.time = time;
      if (units !== undefined) header.units = units;
      return { kind: 'header', header, startOffset, startLine };
    } else {
      // `dump local` (NUMBER OF ENTRIES) and other non-atom dumps end up here.
      fail(ctx, itemLine, `unsupported item '${clip(text)}' (only atom dumps are read)`);
    }
  }
  return { kind: 'cut' };
}

function parseNumber(token: string, ctx: Context, line: number, what: string): number {
  const v = token.length > 0 ? Number(token) : NaN;
  if (!Number.isFinite(v)) fail(ctx, line, `${what}: '${clip(token)}' is not a number`);
  return v;
}

function parseCount(token: string, ctx: Context, line: number, what: string): number {
  if (!/^\d+$/.test(token)) fail(ctx, line, `${what}: '${clip(token)}' is not a non-negative integer`);
  return Number(token);
}

/** BOX BOUNDS [xy xz yz | abc origin] [flags] and its three lines. */
function parseBox(item: string, rows: string[], ctx: Context, firstLine: number): { box: LammpsBox; pbc: Pbc } {
  const words = splitFields(item).slice(2);
  const general = words.includes('abc');
  const tilted = words.includes('xy');
  const flags = words.filter((w) => !BOX_KEYWORDS.has(w));
  // Old dumps have no flags; LAMMPS boxes are periodic unless told otherwise.
  const pbc: Pbc = flags.length === 3 ? [flags[0] === 'pp', flags[1] === 'pp', flags[2] === 'pp'] : [true, true, true];
  const need = general ? 4 : tilted ? 3 : 2;
  const values = rows.map((row, k) => {
    const f = splitFields(row);
    if (f.length < need) fail(ctx, firstLine + k, `box line needs ${need} numbers, found '${clip(row.trim())}'`);
    return f.slice(0, need).map((t) => parseNumber(t, ctx, firstLine + k, 'box bound'));
  }) as [number[], number[], number[]];
  const [r0, r1, r2] = values;
  if (general) {
    // `dump_modify triclinic/general`: rows are the edge vectors A, B, C and the origin.
    return {
      box: {
        cell: Float64Array.of(r0[0]!, r0[1]!, r0[2]!, r1[0]!, r1[1]!, r1[2]!, r2[0]!, r2[1]!, r2[2]!),
        origin: [r0[3]!, r1[3]!, r2[3]!],
      },
      pbc,
    };
  }
  if (tilted) {
    return {
      box: boxFromDumpBounds([r0[0]!, r0[1]!, r1[0]!, r1[1]!, r2[0]!, r2[1]!], [r0[2]!, r1[2]!, r2[2]!]),
      pbc,
    };
  }
  return { box: lammpsBox([r0[0]!, r1[0]!, r2[0]!], [r0[1]!, r1[1]!, r2[1]!]), pbc };
}

/** Very old `dump atom` files name no columns: id type xs ys zs [ix iy iz]. */
function resolveColumns(columns: string[], fieldCount: number): string[] {
  if (columns.length > 0) return columns;
  const base = ['id', 'type', 'xs', 'ys', 'zs'];
  return fieldCount === 8 ? [...base, 'ix', 'iy', 'iz'] : base;
}

// ---------------------------------------------------------------------------------------
// Index: one pass over the file reading only headers and counting atom lines

const PROGRESS_STEP = 1 << 20;

function buildIndex(source: ByteSource, options: OpenOptions): { index: FrameIndex; firstAtoms: number } {
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  let firstAtoms = 0;
  let nextReport = PROGRESS_STEP;
  let lastFrameEnd = 0;
  const size = source.size;
  const unterminated = size > 0 && source.read(size - 1, 1)[0] !== 10;
  for (let frame = 0; ; frame++) {
    const start = lr.offset;
    let result: SkipResult;
    try {
      result = skipFrame(lr, { file: source.name, frame });
    } catch (e) {
      // An error on the very last line of the file is a cut there, not bad content.
      if (!(e instanceof ParseError) || lr.offset < source.size) throw e;
      result = { kind: 'cut' };
    }
    if (result.kind === 'end') break;
    // LAMMPS ends every line with a newline: without one, the last number may be cut short
    // and still parse. Drop such a last frame, unless it is the only one.
    const cutShort = unterminated && lr.offset >= size;
    if (cutShort && frame === 0 && result.kind === 'ok') {
      warnings.push(`${source.name}: file does not end with a newline; the last atom line may be cut`);
    } else if (result.kind === 'cut' || cutShort) {
      warnings.push(
        `${source.name}: file is truncated in frame ${frame} (frame starts at byte ${start}, ` +
          `file size ${source.size}); kept ${frame} complete frame(s)`,
      );
      break;
    }
    if (frame === 0) firstAtoms = result.atoms;
    offsets.push(result.startOffset);
    lines.push(result.startLine);
    lastFrameEnd = lr.offset;
    if (lr.offset >= nextReport) {
      nextReport = lr.offset + Math.max(PROGRESS_STEP, source.size / 100);
      if (options.isCancelled?.()) throw new AbortError();
      options.onProgress?.(lr.offset / Math.max(1, source.size), `indexing ${source.name}: ${frame + 1} frames`);
    }
  }
  // The end of the last complete frame: where a cut frame or trailing blank lines begin.
  offsets.push(lastFrameEnd);
  options.onProgress?.(1, `indexed ${source.name}: ${lines.length} frames`);
  return {
    index: { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings },
    firstAtoms,
  };
}

type SkipResult =
  { kind: 'ok'; atoms: number; startOffset: number; startLine: number } | { kind: 'end' } | { kind: 'cut' };

/**
 * Reads a frame's header and skips its atom lines, checking that the last atom line has
 * every column (a file cut mid-line would otherwise look complete).
 */
function skipFrame(lr: LineReader, ctx: Context): SkipResult {
  const result = readHeader(lr, ctx);
  if (result.kind !== 'header') return result;
  const { atoms, columns } = result.header;
  const ok: SkipResult = { kind: 'ok', atoms, startOffset: result.startOffset, startLine: result.startLine };
  if (atoms === 0) return ok;
  if (lr.skip(atoms - 1) < atoms - 1) return { kind: 'cut' };
  const last = lr.next();
  if (last === null) return { kind: 'cut' };
  const fields = splitFields(last).length;
  const fits = columns.length > 0 ? fields === columns.length : fields === 5 || fields === 8;
  if (!fits || last.startsWith('ITEM:')) {
    fail(
      ctx,
      lr.lineNumber,
      `atom line ${atoms} of ${atoms} has ${fields} fields for ${columns.length || 5} columns ` +
        `(NUMBER OF ATOMS does not match the atom lines?)`,
    );
  }
  return ok;
}

// ---------------------------------------------------------------------------------------
// Frames

/** A view of a source that ends early, so a LineReader reads only one frame's bytes. */
function sliceSource(source: ByteSource, end: number): ByteSource {
  return {
    name: source.name,
    size: end,
    read: (offset, length) => source.read(offset, Math.max(0, Math.min(length, end - offset))),
  };
}

/** How a column's tokens are parsed: any number, a finite number, an integer, or text. */
const FLOAT = 0;
const FINITE = 1;
const INT = 2;
const TEXT = 3;
type Kind = typeof FLOAT | typeof FINITE | typeof INT | typeof TEXT;

interface ColumnPlan {
  kinds: Kind[];
  /** Per column: the buffer it fills, its stride and component. */
  targets: (Float64Array | string[])[];
  strides: number[];
  comps: number[];
  positions: Float64Array;
  coordinates: 'wrapped' | 'scaled' | 'unwrapped' | 'scaled-unwrapped';
  velocities?: Float64Array;
  forces?: Float64Array;
  /** Buffers for `arrays`, by output name; ints are converted at the end. */
  extras: Map<string, { data: Float64Array | string[]; width: number; int: boolean }>;
}

const COORDINATE_SETS: [string, string, string, ColumnPlan['coordinates']][] = [
  ['x', 'y', 'z', 'wrapped'],
  ['xs', 'ys', 'zs', 'scaled'],
  ['xu', 'yu', 'zu', 'unwrapped'],
  ['xsu', 'ysu', 'zsu', 'scaled-unwrapped'],
];

/** Columns LAMMPS defines as integers (kept in Int32Arrays). */
const INT_COLUMNS = new Set(['id', 'type', 'mol', 'proc', 'procp1']);
/** LAMMPS column -> the name the rest of Atomscope uses. */
const RENAMED: Record<string, string> = { q: 'charge' };

function planColumns(columns: string[], n: number, ctx: Context, line: number): ColumnPlan {
  const where = new Map(columns.map((c, j) => [c, j]));
  if (where.size !== columns.length) fail(ctx, line, `repeated column name in 'ITEM: ATOMS ${columns.join(' ')}'`);
  const coords = COORDINATE_SETS.find(([a, b, c]) => where.has(a) && where.has(b) && where.has(c));
  if (!coords) fail(ctx, line, `no coordinate columns (x y z, xs ys zs, xu yu zu or xsu ysu zsu) in the ATOMS line`);
  const plan: ColumnPlan = {
    kinds: [],
    targets: [],
    strides: [],
    comps: [],
    positions: new Float64Array(3 * n),
    coordinates: coords[3],
    extras: new Map(),
  };
  const triples: [string[], Float64Array, Kind][] = [[coords.slice(0, 3) as string[], plan.positions, FINITE]];
  if (where.has('vx') && where.has('vy') && where.has('vz')) {
    plan.velocities = new Float64Array(3 * n);
    triples.push([['vx', 'vy', 'vz'], plan.velocities, FLOAT]);
  }
  if (where.has('fx') && where.has('fy') && where.has('fz')) {
    plan.forces = new Float64Array(3 * n);
    triples.push([['fx', 'fy', 'fz'], plan.forces, FLOAT]);
  }
  if (where.has('ix') && where.has('iy') && where.has('iz')) {
    const image = new Float64Array(3 * n);
    plan.extras.set('image', { data: image, width: 3, int: true });
    triples.push([['ix', 'iy', 'iz'], image, INT]);
  }
  const claimed = new Map<string, [Float64Array, number, Kind]>();
  for (const [names, buffer, kind] of triples) names.forEach((c, k) => claimed.set(c, [buffer, k, kind]));
  for (const name of columns) {
    const triple = claimed.get(name);
    if (triple) {
      plan.kinds.push(triple[2]);
      plan.targets.push(triple[0]);
      plan.strides.push(3);
      plan.comps.push(triple[1]);
      continue;
    }
    const text = name === 'element';
    const int = INT_COLUMNS.has(name);
    const data = text ? new Array<string>(n).fill('') : new Float64Array(n);
    plan.extras.set(RENAMED[name] ?? name, { data, width: 1, int });
    plan.kinds.push(text ? TEXT : int ? INT : FLOAT);
    plan.targets.push(data);
    plan.strides.push(1);
    plan.comps.push(0);
  }
  return plan;
}

/** LAMMPS prints non-finite values as nan, -nan, inf: accepted outside coordinates. */
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function parseAtomLine(fields: string[], atom: number, plan: ColumnPlan, ctx: Context, line: number): void {
  const { kinds, targets, strides, comps } = plan;
  for (let j = 0; j < kinds.length; j++) {
    const token = fields[j]!;
    const kind = kinds[j]!;
    const target = targets[j]!;
    const at = atom * strides[j]! + comps[j]!;
    if (kind === TEXT) {
      (target as string[])[at] = token;
      continue;
    }
    const v = Number(token);
    if (kind === FINITE) {
      if (!Number.isFinite(v)) fail(ctx, line, `coordinate '${clip(token)}' is not a finite number`);
    } else if (kind === INT) {
      if (!Number.isInteger(v) || Math.abs(v) > 0x7fffffff) fail(ctx, line, `'${clip(token)}' is not an integer`);
    } else if (Number.isNaN(v) && !NON_FINITE.test(token)) {
      fail(ctx, line, `'${clip(token)}' is not a number`);
    }
    (target as Float64Array)[at] = v;
  }
}

/** r = origin + s·H for scaled coordinates (xsu = xs + image, so the same map unwraps). */
function unscale(positions: Float64Array, box: LammpsBox): void {
  const h = box.cell;
  const [ox, oy, oz] = box.origin;
  for (let k = 0; k < positions.length; k += 3) {
    const u = positions[k]!;
    const v = positions[k + 1]!;
    const w = positions[k + 2]!;
    positions[k] = ox + u * h[0]! + v * h[3]! + w * h[6]!;
    positions[k + 1] = oy + u * h[1]! + v * h[4]! + w * h[7]!;
    positions[k + 2] = oz + u * h[2]! + v * h[5]! + w * h[8]!;
  }
}

/** Ids in file order -> the permutation that sorts them, or null when already sorted. */
export function sortOrderById(ids: ArrayLike<number>): Uint32Array | null {
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! <= ids[i]!;
  if (sorted) return null;
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => ids[a]! - ids[b]!);
}

/** A per-atom column of the given width reordered by `order` (new index -> old index), same array kind. */
export function permute<T extends Float64Array | Int32Array | Uint8Array | string[]>(
  data: T,
  order: Uint32Array,
  width: number,
): T {
  const out = (
    Array.isArray(data) ? new Array<string>(data.length) : new (data.constructor as new (n: number) => T)(data.length)
  ) as T;
  for (let i = 0; i < order.length; i++) {
    const from = order[i]! * width;
    for (let k = 0; k < width; k++) (out as { [i: number]: unknown })[i * width + k] = data[from + k];
  }
  return out;
}

/** Conversions to Å/ps and eV/Å for the unit styles that use Å; null when the style has none. */
const UNIT_SCALES: Record<string, { time: number; velocity: number; force: number } | undefined> = {
  metal: { time: 1, velocity: 1, force: 1 },
  // real: fs, Å/fs, kcal/mol/Å (1 kcal/mol = 0.0433641043 eV)
  real: { time: 1e-3, velocity: 1e3, force: 0.0433641043 },
};

function buildStructure(header: FrameHeader, plan: ColumnPlan, warn: (message: string) => void): Structure {
  if (plan.coordinates === 'scaled' || plan.coordinates === 'scaled-unwrapped') unscale(plan.positions, header.box);
  const info: Record<string, InfoValue> = { coordinates: plan.coordinates, cellOrigin: [...header.box.origin] };
  if (header.step !== undefined) info.step = header.step;
  const scales = header.units === undefined ? UNIT_SCALES.metal : UNIT_SCALES[header.units];
  if (header.units !== undefined) info.units = header.units;
  if (header.units !== undefined && !scales) {
    warn(`LAMMPS units '${header.units}': times, velocities and forces are kept as written`);
  }
  if (header.time !== undefined) info.time = header.time * (scales?.time ?? 1);
  if (scales && scales.velocity !== 1 && plan.velocities)
    plan.velocities.forEach((v, k, a) => (a[k] = v * scales.velocity));
  if (scales && scales.force !== 1 && plan.forces) plan.forces.forEach((v, k, a) => (a[k] = v * scales.force));

  const n = header.atoms;
  const idBuffer = plan.extras.get('id')?.data;
  const order = idBuffer instanceof Float64Array ? sortOrderById(idBuffer) : null;
  const reorder = <T extends Float64Array | Int32Array | Uint8Array | string[]>(data: T, width: number): T =>
    order ? permute(data, order, width) : data;

  const arrays: Record<string, AtomArray> = {};
  const arrayWidths: Record<string, number> = {};
  for (const [name, { data, width, int }] of plan.extras) {
    arrays[name] = reorder(int && data instanceof Float64Array ? Int32Array.from(data) : data, width);
    if (width !== 1) arrayWidths[name] = width;
  }
  const numbers = new Uint8Array(n);
  const element = arrays.element;
  if (Array.isArray(element)) element.forEach((symbol, i) => (numbers[i] = atomicNumber(symbol)));

  const structure: Structure = {
    numbers,
    positions: reorder(plan.positions, 3),
    cell: header.box.cell,
    pbc: header.pbc,
    arrays,
    info,
  };
  if (Object.keys(arrayWidths).length > 0) structure.arrayWidths = arrayWidths;
  if (plan.velocities) structure.velocities = reorder(plan.velocities, 3);
  if (plan.forces) structure.forces = reorder(plan.forces, 3);
  return structure;
}

function readFrameAt(source: ByteSource, index: FrameIndex, i: number, warn: (message: string) => void): Structure {
  const start = index.offsets[i]!;
  const end = index.offsets[i + 1]!;
  const ctx = { file: source.name, frame: i };
  const lr = new LineReader(sliceSource(source, end), start, index.lines?.[i] ?? 1);
  const result = readHeader(lr, ctx);
  if (result.kind !== 'header') {
    throw new ParseError(source.name, FORMAT, 'unexpected end of frame (stale index?)', { frame: i, offset: start });
  }
  const header = result.header;
  const n = header.atoms;
  // Each atom line takes at least two bytes per column: refuse a count the bytes cannot hold.
  const minBytes = n * 2 * Math.max(1, header.columns.length);
  if (minBytes > end - lr.offset) {
    fail(ctx, lr.lineNumber - 1, `NUMBER OF ATOMS ${n} does not fit in the ${end - lr.offset} bytes of the frame`);
  }
  const atomsLine = lr.lineNumber;
  let plan: ColumnPlan | undefined;
  let columnCount = header.columns.length;
  for (let atom = 0; atom < n; atom++) {
    const line = lr.next();
    if (line === null) fail(ctx, lr.lineNumber + 1, `unexpected end of file after ${atom} of ${n} atom lines`);
    const fields = splitFields(line);
    if (!plan) {
      const columns = resolveColumns(header.columns, fields.length);
      columnCount = columns.length;
      plan = planColumns(columns, n, ctx, atomsLine);
    }
    if (fields.length !== columnCount) {
      fail(
        ctx,
        lr.lineNumber,
        `atom line has ${fields.length} fields, expected ${columnCount}: '${clip(line.trim())}'`,
      );
    }
    parseAtomLine(fields, atom, plan, ctx, lr.lineNumber);
  }
  plan ??= planColumns(resolveColumns(header.columns, 5), 0, ctx, atomsLine);
  return buildStructure(header, plan, warn);
}

// ---------------------------------------------------------------------------------------
// Reader and format

class LammpsDumpReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions,
  ) {
    if (isUsableIndex(options.index, source.size)) {
      this.index = options.index;
      this.frameCount = this.index.offsets.length - 1;
      this.atomCount = this.frameCount > 0 ? this.firstFrameAtoms() : 0;
    } else {
      const built = buildIndex(source, options);
      this.index = built.index;
      this.frameCount = this.index.offsets.length - 1;
      this.atomCount = built.firstAtoms;
    }
    if (this.frameCount === 0) {
      throw new ParseError(source.name, FORMAT, source.size === 0 ? 'empty file' : 'no complete frame', {
        frame: 0,
        line: 1,
      });
    }
    this.warnings = [...this.index.warnings];
  }

  private firstFrameAtoms(): number {
    const lr = new LineReader(this.source, this.index.offsets[0]!, this.index.lines?.[0] ?? 1);
    const result = readHeader(lr, { file: this.source.name, frame: 0 });
    return result.kind === 'header' ? result.header.atoms : 0;
  }

  readFrame(i: number): Structure {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    // Per-frame warnings (units) would repeat for every frame: keep each once.
    return readFrameAt(this.source, this.index, i, (message) => {
      if (!this.warnings.includes(message)) this.warnings.push(message);
    });
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  close(): void {
    this.source.close?.();
  }
}

function sniff(head: Uint8Array): boolean {
  const first = /^\s*([^\r\n]*)/.exec(headText(head.subarray(0, 256)))?.[1]?.trim() ?? '';
  return /^ITEM:\s*(TIMESTEP|UNITS|TIME)$/.test(first);
}

export const lammpsDumpFormat: FormatSpec = {
  id: FORMAT,
  label: 'LAMMPS dump',
  extensions: ['lammpstrj', 'dump'],
  sniff,
  binary: false,
  multiFrame: true,
  open: (source, options = {}) => new LammpsDumpReader(source, options),
};
