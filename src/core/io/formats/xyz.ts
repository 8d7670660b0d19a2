/**
 * XYZ and extended XYZ (one reader, one writer).
 *
 * A frame is: atom count line, comment line, one line per atom. Extended XYZ puts
 * key=value pairs on the comment line (Lattice, Properties, pbc, energy, free keys); the
 * Properties key says which columns the atom lines hold. Plain XYZ is `symbol x y z`, with
 * any further columns ignored.
 *
 * open() walks the file once to find frame starts (count line, then skip N+1 lines), checking
 * only the first and last atom line of each frame so a wrong count is caught where it is;
 * readFrame(i) reads that frame's bytes and parses numbers straight from them (no string per
 * token, one pass over each number's bytes), which is what makes large trajectories fast.
 */
import { ParseError } from '../errors.js';
import { AbortError } from '../format.js';
import type { FormatSpec, FrameIndex, OpenOptions, TrajectoryReader, WriteOptions } from '../format.js';
import type { ByteSink, ByteSource } from '../source.js';
import { LineReader, headText, parseIntStrict } from '../text.js';
import type { AtomArray, InfoValue, Pbc, Structure } from '../../model/structure.js';
import { atomicNumber, elementSymbol } from '../../model/elements.js';

// ---------------------------------------------------------------------------------------
// Numbers straight from bytes
// ---------------------------------------------------------------------------------------

const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const TWO53 = 2 ** 53;
const latin1 = new TextDecoder('latin1');

/**
 * Parses buf[start, end) as a decimal number (`-1.5`, `2.`, `.5`, `1e-3`, Fortran `1.0D0`).
 * Returns NaN when the token is not such a number (including `nan`/`inf`, which callers
 * classify themselves). The result equals Number(token): with a mantissa below 2^53 and a
 * power of ten up to 22, both operands are exact doubles and one correctly rounded multiply
 * or divide gives the correctly rounded result (Clinger's fast path); anything else is
 * handed to Number().
 */
export function parseFloatBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  const first = buf[i];
  if (first === 45) {
    neg = true;
    i++;
  } else if (first === 43) i++;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    digits++;
  }
  if (i < end && buf[i] === 46) {
    for (i++; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      digits++;
      scale--;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    const c = buf[i]! | 32; // lower case
    if (c !== 101 && c !== 100) return NaN; // e or d
    i++;
    let eneg = false;
    if (buf[i] === 45) {
      eneg = true;
      i++;
    } else if (buf[i] === 43) i++;
    let e = 0;
    let ed = 0;
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return NaN;
      e = e * 10 + d;
      ed++;
    }
    if (ed === 0) return NaN;
    scale += eneg ? -e : e;
  }
  // mant only grows as digits are appended, so a lost bit shows up as mant >= 2^53 here.
  if (mant >= TWO53 || scale < -22 || scale > 22) {
    return fortranNumber(latin1.decode(buf.subarray(start, end)));
  }
  const v = scale < 0 ? mant / POW10[-scale]! : mant * POW10[scale]!;
  return neg ? -v : v;
}

/** Number() of a decimal token, reading a Fortran D exponent as e (a regex call only then). */
function fortranNumber(token: string): number {
  return Number(token.includes('d') || token.includes('D') ? token.replace(/[dD]/, 'e') : token);
}

/** Parses buf[start, end) as a signed decimal integer; NaN otherwise. */
export function parseIntBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  } else if (buf[i] === 43) i++;
  if (i >= end) return NaN;
  let v = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  if (!Number.isSafeInteger(v)) return NaN;
  return neg ? -v : v;
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** The value of a nan/inf token (as Fortran, C and numpy print them). */
function nonFiniteValue(token: string): number {
  const t = token.toLowerCase();
  if (t.includes('nan')) return NaN;
  return t.startsWith('-') ? -Infinity : Infinity;
}

// ---------------------------------------------------------------------------------------
// The extended XYZ comment line
// ---------------------------------------------------------------------------------------

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
const BOOLS: Record<string, boolean> = {
  T: true,
  F: false,
  true: true,
  false: false,
  TRUE: true,
  FALSE: false,
  True: true,
  False: false,
};

type Scalar = number | boolean | string;

/** Type inference of one token: int -> float -> bool -> string. */
function inferScalar(token: string): Scalar {
  if (INT_RE.test(token)) return Number(token);
  if (FLOAT_RE.test(token)) return fortranNumber(token);
  if (NON_FINITE.test(token)) return nonFiniteValue(token);
  const b = BOOLS[token];
  return b === undefined ? token : b;
}

/** A homogeneous list of numbers or booleans, or null when the tokens are mixed. */
function inferList(tokens: string[]): number[] | boolean[] | null {
  const values = tokens.map(inferScalar);
  if (values.every((v) => typeof v === 'number')) return values as number[];
  if (values.every((v) => typeof v === 'boolean')) return values as boolean[];
  return null;
}

/** Old-style value ("..." or {...}): whitespace-separated numbers/bools become arrays. */
function inferQuoted(text: string): InfoValue {
  const tokens = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (tokens.length === 1) {
    const v = inferScalar(tokens[0]!);
    return typeof v === 'string' ? text : v;
  }
  if (tokens.length === 0) return text;
  return inferList(tokens) ?? text;
}

const SPACE_RE = /\s/;

/** /\s/.test(c) for one character, without a regex call for ASCII (comment lines test each). */
function isSpace(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : SPACE_RE.test(c);
}

class CommentScanner {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  skipSpace(): void {
    while (this.i < this.s.length && isSpace(this.s[this.i]!)) this.i++;
  }
  /** A "..." string with backslash escapes; the opening quote is at i. Null when unclosed. */
  quoted(): string | null {
    let out = '';
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s[this.i]!;
      if (c === '\\') {
        const n = this.s[++this.i];
        if (n === undefined) return null;
        out += n === 'n' ? '\n' : n;
      } else if (c === '"') {
        this.i++;
        return out;
      } else out += c;
    }
    return null;
  }
  /** Characters up to whitespace or (when stopAtEquals) '='. */
  bare(stopAtEquals: boolean): string {
    const start = this.i;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (isSpace(c) || (stopAtEquals && c === '=')) break;
      this.i++;
    }
    return this.s.slice(start, this.i);
  }
}

/** A new-style [..] array (nested arrays are flattened row-major). Null on a syntax error. */
function scanArray(sc: CommentScanner): InfoValue | null {
  const items: { text: string; quoted: boolean }[] = [];
  let depth = 0;
  let token = '';
  const flush = (): void => {
    if (token.length > 0) items.push({ text: token, quoted: false });
    token = '';
  };
  for (; sc.i < sc.s.length;) {
    const c = sc.s[sc.i]!;
    if (c === '[') {
      depth++;
      sc.i++;
    } else if (c === ']') {
      flush();
      depth--;
      sc.i++;
      if (depth === 0) return arrayValue(items);
    } else if (c === '"') {
      flush();
      const q = sc.quoted();
      if (q === null) return null;
      items.push({ text: q, quoted: true });
    } else if (c === ',' || isSpace(c)) {
      flush();
      sc.i++;
    } else {
      token += c;
      sc.i++;
    }
  }
  return null;
}

function arrayValue(items: { text: string; quoted: boolean }[]): InfoValue {
  if (items.length > 0 && items.every((x) => !x.quoted)) {
    const list = inferList(items.map((x) => x.text));
    if (list) return list;
  }
  return items.map((x) => x.text);
}

/**
 * Parses an extended XYZ comment line into key/value pairs, in order. Keys without '=' are
 * boolean true (as ASE reads them). Returns null when the line is not key=value syntax
 * (an unclosed quote or bracket, an empty key), so callers can treat it as a plain title.
 */
export function parseExtxyzComment(line: string): Map<string, InfoValue> | null {
  const sc = new CommentScanner(line);
  const out = new Map<string, InfoValue>();
  for (;;) {
    sc.skipSpace();
    if (sc.done) return out;
    const key = sc.peek() === '"' ? sc.quoted() : sc.bare(true);
    if (key === null || key.length === 0) return null;
    const save = sc.i;
    sc.skipSpace();
    if (sc.peek() !== '=') {
      sc.i = save;
      out.set(key, true);
      continue;
    }
    sc.i++;
    sc.skipSpace();
    const value = scanValue(sc);
    if (value === null) return null;
    out.set(key, value);
  }
}

function scanValue(sc: CommentScanner): InfoValue | null {
  const c = sc.peek();
  if (c === '"') {
    const q = sc.quoted();
    return q === null ? null : inferQuoted(q);
  }
  if (c === '{') {
    const close = sc.s.indexOf('}', sc.i);
    if (close < 0) return null;
    const text = sc.s.slice(sc.i + 1, close);
    sc.i = close + 1;
    return inferQuoted(text);
  }
  if (c === '[') return scanArray(sc);
  if (c === '') return '';
  return inferScalar(sc.bare(false));
}

// ---------------------------------------------------------------------------------------
// Properties and the per-frame column layout
// ---------------------------------------------------------------------------------------

type ColumnType = 'S' | 'I' | 'R' | 'L';

interface ColumnSpec {
  name: string;
  type: ColumnType;
  width: number;
}

const PLAIN_COLUMNS: ColumnSpec[] = [
  { name: 'species', type: 'S', width: 1 },
  { name: 'pos', type: 'R', width: 3 },
];

/** Parses `name:T:m:name:T:m...`; returns an error message instead when it is malformed. */
function parseProperties(value: string): ColumnSpec[] | string {
  const f = value.split(':');
  if (f.length % 3 !== 0 || f.length === 0) return `Properties '${value}' is not a list of name:type:count triples`;
  const cols: ColumnSpec[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < f.length; k += 3) {
    const name = f[k]!;
    const type = f[k + 1]!;
    const width = parseIntStrict(f[k + 2]);
    if (!name) return `Properties '${value}': empty column name`;
    if (type !== 'S' && type !== 'I' && type !== 'R' && type !== 'L') {
      return `Properties '${value}': column ${name} has type '${type}' (expected S, I, R or L)`;
    }
    if (!(width >= 1)) return `Properties '${value}': column ${name} has count '${f[k + 2]}'`;
    if (seen.has(name)) return `Properties '${value}': column ${name} appears twice`;
    seen.add(name);
    cols.push({ name, type, width });
  }
  return cols;
}

/** What a frame's comment line says about the frame. */
interface FrameHeader {
  extended: boolean;
  columns: ColumnSpec[];
  /** True when Properties was given: atom lines must have exactly its column count. */
  strictColumns: boolean;
  cell: Float64Array | null;
  pbc: Pbc;
  info: Record<string, InfoValue>;
}

const RESERVED_KEYS = new Set(['Lattice', 'Properties', 'pbc']);

/** Interprets a comment line; `fail` turns a message into a ParseError for that line. */
function parseHeader(comment: string, fail: (reason: string) => never): FrameHeader {
  const kv = /=/.test(comment) ? parseExtxyzComment(comment) : null;
  const header: FrameHeader = {
    extended: false,
    columns: PLAIN_COLUMNS,
    strictColumns: false,
    cell: null,
    pbc: [false, false, false],
    info: {},
  };
  if (!kv) {
    if (comment.trim().length > 0) header.info.comment = comment.trim();
    return header;
  }
  header.extended = kv.has('Lattice') || kv.has('Properties');
  const lattice = kv.get('Lattice');
  if (lattice !== undefined) {
    if (!Array.isArray(lattice) || lattice.length !== 9 || !lattice.every((v) => typeof v === 'number')) {
      fail(`Lattice must be 9 numbers (three cell vectors), found '${String(lattice)}'`);
    }
    const cell = Float64Array.from(lattice as number[]);
    if (!cell.every(Number.isFinite)) fail('Lattice has a non-finite value');
    header.cell = cell;
    header.pbc = [true, true, true];
  }
  const pbc = kv.get('pbc');
  if (pbc !== undefined) header.pbc = parsePbc(pbc, fail);
  const props = kv.get('Properties');
  if (props !== undefined) {
    const cols = typeof props === 'string' ? parseProperties(props) : `Properties '${String(props)}' is not a string`;
    if (typeof cols === 'string') fail(cols);
    header.columns = cols;
    header.strictColumns = true;
  }
  for (const [k, v] of kv) if (!RESERVED_KEYS.has(k)) header.info[k] = v;
  return header;
}

function parsePbc(v: InfoValue, fail: (reason: string) => never): Pbc {
  if (typeof v === 'boolean') return [v, v, v];
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'boolean')) return [v[0], v[1], v[2]] as Pbc;
  return fail(`pbc must be three of T/F, found '${String(v)}'`);
}

// ---------------------------------------------------------------------------------------
// Atom lines
// ---------------------------------------------------------------------------------------

const enum Kind {
  Species,
  AtomicNumber,
  FiniteReal, // positions, velocities, forces: NaN there would poison every analysis
  Real,
  Int,
  Bool,
  Str,
}

/** Where one token of an atom line goes. */
interface Sink {
  kind: Kind;
  column: ColumnSpec;
  component: number;
  real?: Float64Array;
  str?: string[];
  bool?: Uint8Array;
}

interface FrameArrays {
  numbers: Uint8Array;
  positions: Float64Array;
  velocities?: Float64Array;
  forces?: Float64Array;
  arrays: Record<string, AtomArray>;
  arrayWidths: Record<string, number>;
  /** Symbols as written, created only when some species is not an element. */
  element: string[] | null;
}

function vectorTarget(name: string): 'positions' | 'velocities' | 'forces' | null {
  if (name === 'pos') return 'positions';
  if (name === 'velocities' || name === 'vel' || name === 'velo') return 'velocities';
  if (name === 'forces') return 'forces';
  return null;
}

/** Allocates the frame's arrays and one Sink per token of an atom line. */
/** No per-atom property has more components than this (a 3x3 tensor has 9). */
const MAX_COLUMN_WIDTH = 64;

function planColumns(
  columns: ColumnSpec[],
  n: number,
  fail: (r: string) => never,
): { out: FrameArrays; sinks: Sink[] } {
  const out: FrameArrays = {
    numbers: new Uint8Array(n),
    positions: new Float64Array(0),
    arrays: {},
    arrayWidths: {},
    element: null,
  };
  const sinks: Sink[] = [];
  let hasPos = false;
  // Widths come from the file: bound them before they size any allocation.
  for (const col of columns) {
    if (!Number.isInteger(col.width) || col.width < 1 || col.width > MAX_COLUMN_WIDTH) {
      fail(`Properties column "${col.name}" has width ${col.width} (expected 1..${MAX_COLUMN_WIDTH})`);
    }
  }
  const hasZ = columns.some((c) => c.name === 'Z' && c.type === 'I' && c.width === 1);
  for (const col of columns) {
    const vec = vectorTarget(col.name);
    if (vec && col.type === 'R' && col.width === 3) {
      const arr = new Float64Array(3 * n);
      out[vec] = arr;
      if (vec === 'positions') hasPos = true;
      for (let k = 0; k < 3; k++) sinks.push({ kind: Kind.FiniteReal, column: col, component: k, real: arr });
      continue;
    }
    if (col.name === 'species' && col.width === 1 && !hasZ) {
      sinks.push({ kind: col.type === 'I' ? Kind.AtomicNumber : Kind.Species, column: col, component: 0 });
      continue;
    }
    if (col.name === 'Z' && hasZ) {
      sinks.push({ kind: Kind.AtomicNumber, column: col, component: 0 });
      continue;
    }
    if (col.width > 1) out.arrayWidths[col.name] = col.width;
    const len = n * col.width;
    for (let k = 0; k < col.width; k++) {
      if (col.type === 'R' || col.type === 'I') {
        // Integers are collected as doubles, then narrowed to Int32Array when they fit.
        const real = k === 0 ? new Float64Array(len) : sinks[sinks.length - 1]!.real!;
        if (k === 0) out.arrays[col.name] = real;
        sinks.push({ kind: col.type === 'R' ? Kind.Real : Kind.Int, column: col, component: k, real });
      } else if (col.type === 'L') {
        const bool = k === 0 ? new Uint8Array(len) : sinks[sinks.length - 1]!.bool!;
        if (k === 0) out.arrays[col.name] = bool;
        sinks.push({ kind: Kind.Bool, column: col, component: k, bool });
      } else {
        const str = k === 0 ? new Array<string>(len).fill('') : sinks[sinks.length - 1]!.str!;
        if (k === 0) out.arrays[col.name] = str;
        sinks.push({ kind: Kind.Str, column: col, component: k, str });
      }
    }
  }
  if (!hasPos) fail('Properties has no pos:R:3 column');
  if (!columns.some((c) => c.name === 'species' || c.name === 'Z')) fail('Properties has no species or Z column');
  return { out, sinks };
}

/** Reports a bad token of atom `atom` on the line that starts at byte `lineStart` of the frame. */
type TokenFail = (atom: number, lineStart: number, reason: string) => never;

/**
 * Parses n atom lines from buf[pos, end); returns the position after the last one.
 * Species tokens of up to three bytes are looked up in a small cache keyed by their bytes,
 * so a million-atom frame creates no per-atom strings.
 *
 * buf must hold a newline at end - 1 or at end (see withFinalNewline): every scan within a
 * line stops at it, so the per-byte loops need no bounds checks (about 10% of the parse time).
 */
function parseAtomLines(
  buf: Uint8Array,
  pos: number,
  end: number,
  n: number,
  sinks: Sink[],
  out: FrameArrays,
  strict: boolean,
  fail: TokenFail,
): number {
  const speciesCache = new Map<number, number>();
  const nsinks = sinks.length;
  // Parallel plain arrays instead of Sink objects in the hot loop keep property loads
  // monomorphic: this loop runs once per number in the file.
  const kinds = Int32Array.from(sinks, (s) => s.kind);
  const strides = Int32Array.from(sinks, (s) => s.column.width);
  const comps = Int32Array.from(sinks, (s) => s.component);
  const reals = sinks.map((s) => s.real ?? EMPTY);
  const words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const size = buf.length;
  let p = pos;
  for (let atom = 0; atom < n; atom++) {
    const lineStart = p;
    if (p >= end) fail(atom, p, `unexpected end of file: expected ${n} atom lines, found ${atom}`);
    for (let c = 0; c < nsinks; c++) {
      let b = buf[p]!;
      if (b === 32) {
        // Column-aligned writers (ASE: %16.8f) pad with runs of spaces: four at a time.
        while (p + 4 <= size && words.getInt32(p) === 0x20202020) p += 4;
        b = buf[p]!;
      }
      while (b === 32 || b === 9 || b === 13) b = buf[++p]!;
      if (b === 10) {
        const found = tokenCount(buf, lineStart);
        fail(atom, lineStart, `atom line has ${found} columns, expected ${nsinks}${describeColumns(sinks)}`);
      }
      const t0 = p;
      const kind = kinds[c]!;
      if (kind === Kind.FiniteReal || kind === Kind.Real) {
        // Parsed while scanning; anything the fast path does not take is parsed again, exactly.
        let v = scanDecimal(buf, p);
        if (v === v) p = scanEnd;
        else {
          p = tokenEnd(buf, p);
          v = parseFloatBytes(buf, t0, p);
          if (v !== v) v = classifyBadReal(buf, t0, p, sinks[c]!, atom, lineStart, fail);
        }
        reals[c]![atom * strides[c]! + comps[c]!] = v;
      } else {
        p = tokenEnd(buf, p);
        if (kind === Kind.Species) storeSpecies(buf, t0, p, atom, out, speciesCache);
        else storeOther(buf, t0, p, sinks[c]!, atom, out, (reason) => fail(atom, lineStart, reason));
      }
    }
    let b = buf[p];
    while (b === 32 || b === 9 || b === 13) b = buf[++p];
    if (p < end && b !== 10) {
      if (strict) {
        const found = tokenCount(buf, lineStart);
        fail(atom, lineStart, `atom line has ${found} columns, Properties declares ${nsinks}${describeColumns(sinks)}`);
      }
      while (p < end && buf[p] !== 10) p++; // plain XYZ: extra columns are ignored
    }
    p++; // the newline
  }
  return p;
}

/** Index of the first whitespace byte at or after p (there is a newline further on). */
function tokenEnd(buf: Uint8Array, p: number): number {
  for (let b = buf[p]; b !== 32 && b !== 10 && b !== 9 && b !== 13; b = buf[++p]);
  return p;
}

/**
 * Where the token taken by the last successful scanDecimal() ends: a module variable rather
 * than a returned object, as it is set once per number in the file.
 */
let scanEnd = 0;

/**
 * The fast path of reading a real token: parses the plain decimal that starts at buf[p]
 * (`-1.5`, `2.`, `.5`, `1e-3`) in the same pass that finds its end, which it leaves in
 * scanEnd. Returns NaN, for the caller to parse the token with parseFloatBytes, whenever the
 * token is anything else (Fortran D exponents, nan, bad bytes) or is outside Clinger's fast
 * path (mantissa of 2^53 or more, power of ten beyond 1e22): within it the result is exact,
 * i.e. equals Number(token), for the reason given at parseFloatBytes. buf must hold a
 * newline after p, which ends every scan (without one, a token that ends the buffer reads
 * undefined there and gets NaN).
 */
export function scanDecimal(buf: Uint8Array, p: number): number {
  let b = buf[p]!;
  const neg = b === 45;
  if (neg || b === 43) b = buf[++p]!;
  const m0 = p;
  let mant = 0;
  let d = b - 48;
  while (d >= 0 && d <= 9) {
    mant = mant * 10 + d;
    d = (b = buf[++p]!) - 48;
  }
  let digits = p - m0;
  let scale = 0;
  if (b === 46) {
    const f0 = p + 1;
    d = (b = buf[++p]!) - 48;
    while (d >= 0 && d <= 9) {
      mant = mant * 10 + d;
      d = (b = buf[++p]!) - 48;
    }
    scale = f0 - p;
    digits -= scale;
  }
  if (digits === 0) return NaN;
  if ((b | 32) === 101) {
    // e or E
    const e = scanExponent(buf, p + 1);
    if (e !== e) return NaN;
    scale += e;
    p = scanEnd;
  } else if (b !== 32 && b !== 10 && b !== 9 && b !== 13) return NaN; // the token goes on: not plain
  // As in parseFloatBytes, a lost bit shows up as mant >= 2^53.
  if (mant >= TWO53 || scale < -22 || scale > 22) return NaN;
  scanEnd = p;
  const v = scale < 0 ? mant / POW10[-scale]! : mant * POW10[scale]!;
  return neg ? -v : v;
}

/**
 * The signed exponent that starts at buf[p] and ends the token (then leaves its end in
 * scanEnd), NaN otherwise. Kept out of scanDecimal so that stays small enough to be inlined.
 */
function scanExponent(buf: Uint8Array, p: number): number {
  let b = buf[p]!;
  const neg = b === 45;
  if (neg || b === 43) b = buf[++p]!;
  const e0 = p;
  let e = 0;
  for (let d = b - 48; d >= 0 && d <= 9; d = (b = buf[++p]!) - 48) e = e * 10 + d;
  if (p === e0 || (b !== 32 && b !== 10 && b !== 9 && b !== 13)) return NaN;
  scanEnd = p;
  return neg ? -e : e;
}

const EMPTY = new Float64Array(0);
const isBlank = (b: number | undefined): boolean => b === 32 || b === 9 || b === 13;

/** Integer, boolean, string and atomic-number tokens (rare enough to leave the hot loop). */
function storeOther(
  buf: Uint8Array,
  t0: number,
  t1: number,
  sink: Sink,
  atom: number,
  out: FrameArrays,
  fail: (reason: string) => never,
): void {
  const at = atom * sink.column.width + sink.component;
  switch (sink.kind) {
    case Kind.Int: {
      const v = parseIntBytes(buf, t0, t1);
      if (v !== v) fail(`${describeSink(sink)}: '${tokenText(buf, t0, t1)}' is not an integer`);
      sink.real![at] = v;
      break;
    }
    case Kind.Bool: {
      const b = BOOLS[tokenText(buf, t0, t1)];
      if (b === undefined) fail(`${describeSink(sink)}: '${tokenText(buf, t0, t1)}' is not T or F`);
      sink.bool![at] = b ? 1 : 0;
      break;
    }
    case Kind.Str:
      sink.str![at] = tokenText(buf, t0, t1);
      break;
    case Kind.AtomicNumber: {
      const z = parseIntBytes(buf, t0, t1);
      if (!(z >= 0 && z <= 118)) fail(`${describeSink(sink)}: '${tokenText(buf, t0, t1)}' is not an atomic number`);
      out.numbers[atom] = z;
      break;
    }
    default:
      break;
  }
}

/** A species token: an element symbol in any case, or an atomic number. */
function storeSpecies(
  buf: Uint8Array,
  t0: number,
  t1: number,
  atom: number,
  out: FrameArrays,
  cache: Map<number, number>,
): void {
  const len = t1 - t0;
  const key = len <= 3 ? (len << 24) | (buf[t0]! << 16) | ((buf[t0 + 1] ?? 0) << 8) | (buf[t0 + 2] ?? 0) : -1;
  let z = key >= 0 ? cache.get(key) : undefined;
  if (z === undefined) {
    const text = tokenText(buf, t0, t1);
    const asNumber = parseIntBytes(buf, t0, t1);
    z = asNumber >= 1 && asNumber <= 118 ? asNumber : atomicNumber(text);
    if (key >= 0) cache.set(key, z);
  }
  out.numbers[atom] = z;
  if (z === 0) {
    // Not an element: keep what was written so the label is not lost (and the writer can
    // put it back). Earlier atoms were elements, so their symbols are their elements.
    if (!out.element) out.element = Array.from(out.numbers.subarray(0, out.numbers.length), elementSymbol);
    out.element[atom] = tokenText(buf, t0, t1);
  } else if (out.element) out.element[atom] = elementSymbol(z);
}

function classifyBadReal(
  buf: Uint8Array,
  t0: number,
  t1: number,
  sink: Sink,
  atom: number,
  lineStart: number,
  fail: TokenFail,
): number {
  const text = tokenText(buf, t0, t1);
  if (!NON_FINITE.test(text)) fail(atom, lineStart, `${describeSink(sink)}: '${text}' is not a number`);
  if (sink.kind === Kind.FiniteReal) {
    fail(atom, lineStart, `non-finite ${describeSink(sink)} '${text}' (atom ${atom}, 0-based)`);
  }
  // Extra columns may legitimately hold nan for "no value" (ASE writes them so).
  return nonFiniteValue(text);
}

function describeSink(sink: Sink): string {
  const axis = sink.column.width === 3 ? 'xyz'[sink.component] : String(sink.component);
  return sink.column.width > 1 ? `${sink.column.name}[${axis}]` : sink.column.name;
}

function describeColumns(sinks: Sink[]): string {
  const names = [...new Set(sinks.map((s) => s.column))].map((c) => `${c.name}:${c.type}:${c.width}`);
  return ` (${names.join(':')})`;
}

function tokenText(buf: Uint8Array, t0: number, t1: number): string {
  return latin1.decode(buf.subarray(t0, t1));
}

function tokenCount(buf: Uint8Array, lineStart: number): number {
  let n = 0;
  let p = lineStart;
  while (p < buf.length && buf[p] !== 10) {
    while (isBlank(buf[p])) p++;
    if (p >= buf.length || buf[p] === 10) break;
    n++;
    while (p < buf.length && buf[p] !== 10 && !isBlank(buf[p])) p++;
  }
  return n;
}

/** Integer columns become Int32Array when every value fits (ids, types), else stay doubles. */
function narrowIntegers(out: FrameArrays, columns: ColumnSpec[]): void {
  for (const col of columns) {
    const arr = out.arrays[col.name];
    if (col.type !== 'I' || !(arr instanceof Float64Array)) continue;
    if (arr.every((v) => v >= -2147483648 && v <= 2147483647)) out.arrays[col.name] = Int32Array.from(arr);
  }
}

// ---------------------------------------------------------------------------------------
// The frame index
// ---------------------------------------------------------------------------------------

/** Smallest plausible atom line ("H 0 0 0\n" less the symbol): bounds a count against the size. */
const MIN_ATOM_LINE_BYTES = 6;
const PROGRESS_EVERY = 1024;

function countTokens(line: string): number {
  const t = line.trim();
  return t.length === 0 ? 0 : t.split(/\s+/).length;
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

interface IndexResult {
  index: FrameIndex;
  firstComment: string;
  firstCount: number;
}

/** One pass over the file: frame start offsets and line numbers, truncation warnings. */
function buildIndex(source: ByteSource, options: OpenOptions): IndexResult {
  const file = source.name;
  if (source.size === 0) throw new ParseError(file, 'xyz', 'empty file', { line: 1 });
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  let firstComment = '';
  let firstCount = 0;
  let anyAtoms = false;
  let endOffset = 0;
  const fail = (reason: string, frame: number, line: number): never => {
    throw new ParseError(file, 'xyz', reason, { frame, line });
  };
  const truncated = (frame: number, offset: number, line: number, detail: string): void => {
    if (frame === 0) fail(`file ends inside frame 0: ${detail}`, 0, line);
    warnings.push(
      `file is truncated: frame ${frame} (line ${line}, byte ${offset}) is incomplete (${detail}); ` +
        `kept the ${frame} complete frames`,
    );
  };

  for (let frame = 0; ; frame++) {
    if (frame % PROGRESS_EVERY === 0) reportProgress(options, lr.offset / source.size);
    const countLine = lr.next();
    if (countLine === null) break;
    const start = lr.lineOffset;
    const line = lr.lineNumber;
    if (countLine.trim().length === 0) {
      if (restIsBlank(lr)) break;
      fail(`expected the atom count of frame ${frame}, found an empty line`, frame, line);
    }
    const n = parseIntStrict(countLine);
    if (!(n >= 0)) {
      const hint =
        frame > 0 ? ` (the atom count of frame ${frame - 1}, line ${lines[frame - 1]}, may be too small)` : '';
      fail(`expected the atom count of frame ${frame}, found '${clip(countLine.trim())}'${hint}`, frame, line);
    }
    if (n * MIN_ATOM_LINE_BYTES > source.size - lr.offset) {
      truncated(frame, start, line, `it declares ${n} atoms but only ${source.size - lr.offset} bytes follow`);
      break;
    }
    const comment = lr.next();
    if (comment === null) {
      truncated(frame, start, line, 'no comment line');
      break;
    }
    if (frame === 0) {
      firstComment = comment;
      firstCount = n;
    }
    const problem = checkAtomLines(lr, n, source);
    if (problem === 'truncated') {
      truncated(frame, start, line, `it declares ${n} atoms, fewer lines follow`);
      break;
    }
    if (problem) {
      fail(
        `frame ${frame} declares ${n} atoms (line ${line}) but line ${problem.line} is not an atom line: ` +
          `'${clip(problem.text)}' (wrong atom count or missing atom lines)`,
        frame,
        problem.line,
      );
    }
    if (n > 0) anyAtoms = true;
    offsets.push(start);
    lines.push(line);
    endOffset = lr.offset;
    if (options.isCancelled?.()) throw new AbortError();
  }
  if (offsets.length === 0) fail('no complete frame', 0, 1);
  if (!anyAtoms) fail('frame 0 has no atoms (no frame in the file has any)', 0, 1);
  offsets.push(endOffset);
  reportProgress(options, 1);
  return {
    index: { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings },
    firstComment,
    firstCount,
  };
}

function reportProgress(options: OpenOptions, fraction: number): void {
  if (options.isCancelled?.()) throw new AbortError();
  options.onProgress?.(Math.min(1, fraction), 'indexing XYZ frames');
}

/**
 * Skips a frame's n atom lines, comparing the last with the first: a wrong count lands the
 * last line on a count or comment line, which has fewer columns. Null when they look right.
 */
function checkAtomLines(
  lr: LineReader,
  n: number,
  source: ByteSource,
): null | 'truncated' | { line: number; text: string } {
  if (n === 0) return null;
  const first = lr.next();
  if (first === null) return 'truncated';
  let last = first;
  if (n >= 2) {
    if (lr.skip(n - 2) < n - 2) return 'truncated';
    const l = lr.next();
    if (l === null) return 'truncated';
    last = l;
  }
  const atEof = lr.offset >= source.size;
  const cutMidLine = atEof && source.read(source.size - 1, 1)[0] !== 10;
  if (countTokens(last) < countTokens(first) || countTokens(first) === 0) {
    return cutMidLine ? 'truncated' : { line: lr.lineNumber, text: last };
  }
  return null;
}

function restIsBlank(lr: LineReader): boolean {
  for (let l = lr.next(); l !== null; l = lr.next()) if (l.trim().length > 0) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------

const decoder = new TextDecoder('utf-8');

class XyzReader implements TrajectoryReader {
  readonly format: string;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions,
  ) {
    const given = options.index;
    if (given && given.offsets.length >= 2) {
      this.index = given;
      const lr = new LineReader(source, given.offsets[0]!, given.lines?.[0] ?? 1);
      this.atomCount = parseIntStrict(lr.next() ?? '');
      this.format = isExtendedComment(lr.next() ?? '') ? 'extxyz' : 'xyz';
    } else {
      const built = buildIndex(source, options);
      this.index = built.index;
      this.atomCount = built.firstCount;
      this.format = isExtendedComment(built.firstComment) ? 'extxyz' : 'xyz';
    }
    this.frameCount = this.index.offsets.length - 1;
    this.warnings = [...this.index.warnings];
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  readFrame(i: number): Structure {
    if (!(i >= 0 && i < this.frameCount && Number.isInteger(i))) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const start = this.index.offsets[i]!;
    const buf = this.source.read(start, this.index.offsets[i + 1]! - start);
    const firstLine = this.index.lines?.[i];
    // Line numbers when the index has them, byte offsets otherwise.
    const where = (lineInFrame: number, byteInFrame: number): { frame: number; line?: number; offset?: number } =>
      firstLine !== undefined ? { frame: i, line: firstLine + lineInFrame } : { frame: i, offset: start + byteInFrame };
    const fmt = this.format;
    const file = this.source.name;

    const nl1 = buf.indexOf(10);
    const countEnd = nl1 < 0 ? buf.length : nl1;
    const n = parseIntStrict(latin1.decode(buf.subarray(0, countEnd)));
    if (!(n >= 0)) throw new ParseError(file, fmt, 'bad atom count line (stale frame index?)', where(0, 0));
    const nl2 = buf.indexOf(10, countEnd + 1);
    const commentEnd = nl2 < 0 ? buf.length : nl2;
    let comment = decoder.decode(buf.subarray(countEnd + 1, commentEnd));
    if (comment.endsWith('\r')) comment = comment.slice(0, -1);
    const header = parseHeader(comment, (reason) => {
      throw new ParseError(file, fmt, reason, where(1, countEnd + 1));
    });
    const { out, sinks } = planColumns(header.columns, n, (reason) => {
      throw new ParseError(file, fmt, reason, where(1, countEnd + 1));
    });
    // Atom k is on line 2 + k of the frame (after the count and comment lines).
    const body = withFinalNewline(buf);
    parseAtomLines(body, commentEnd + 1, buf.length, n, sinks, out, header.strictColumns, (atom, lineStart, reason) => {
      throw new ParseError(file, fmt, reason, where(2 + atom, lineStart));
    });
    narrowIntegers(out, header.columns);
    return toStructure(out, header);
  }

  close(): void {
    this.source.close?.();
  }
}

/**
 * The frame's bytes with a newline at the end: as they are, unless the file ends without
 * one (the last frame only), then a copy with one appended, past the bytes parsed.
 */
function withFinalNewline(buf: Uint8Array): Uint8Array {
  if (buf[buf.length - 1] === 10) return buf;
  const out = new Uint8Array(buf.length + 1);
  out.set(buf);
  out[buf.length] = 10;
  return out;
}

function isExtendedComment(comment: string): boolean {
  if (!/\b(Lattice|Properties)\s*=/.test(comment)) return false;
  const kv = parseExtxyzComment(comment);
  return kv !== null && (kv.has('Lattice') || kv.has('Properties'));
}

function toStructure(out: FrameArrays, header: FrameHeader): Structure {
  const s: Structure = {
    numbers: out.numbers,
    positions: out.positions,
    cell: header.cell,
    pbc: header.pbc,
    arrays: out.arrays,
    info: header.info,
  };
  if (out.velocities) s.velocities = out.velocities;
  if (out.forces) s.forces = out.forces;
  if (out.element) s.arrays.element = out.element;
  if (Object.keys(out.arrayWidths).length > 0) s.arrayWidths = out.arrayWidths;
  return s;
}

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

/**
 * Fixed decimals as ASE writes them (%16.8f): exact to 5e-9 and column-aligned. Every
 * column after the species starts with a space, so wide values never run together.
 */
function fixed(v: number): string {
  if (!Number.isFinite(v)) return ' ' + (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf').padStart(15);
  return ' ' + v.toFixed(8).padStart(15);
}

function symbolOf(s: Structure, i: number): string {
  const z = s.numbers[i]!;
  if (z !== 0) return elementSymbol(z);
  const written = s.arrays.element;
  const label = Array.isArray(written) ? written[i] : undefined;
  return label ? safeToken(label) : 'X';
}

/** Per-atom strings cannot hold whitespace in XYZ: it is replaced by '_' (empty becomes '_'). */
function safeToken(s: string): string {
  const t = s.replace(/\s+/g, '_');
  return t.length > 0 ? t : '_';
}

/** True when a frame carries anything plain XYZ cannot hold. */
function needsExtended(s: Structure): boolean {
  return (
    s.cell !== null ||
    s.pbc.some(Boolean) ||
    s.velocities !== undefined ||
    s.forces !== undefined ||
    Object.keys(s.arrays).some((k) => k !== 'element') ||
    Object.keys(s.info).some((k) => k !== 'comment')
  );
}

const SKIPPED_ARRAYS = new Set(['element', 'species', 'pos', 'Z', 'velocities', 'forces']);

interface OutColumn {
  spec: ColumnSpec;
  format: (i: number, k: number) => string;
}

function extendedColumns(s: Structure): OutColumn[] {
  const cols: OutColumn[] = [
    { spec: { name: 'species', type: 'S', width: 1 }, format: (i) => symbolOf(s, i).padEnd(2) },
    { spec: { name: 'pos', type: 'R', width: 3 }, format: (i, k) => fixed(s.positions[3 * i + k]!) },
  ];
  const vel = s.velocities;
  if (vel) cols.push({ spec: { name: 'velocities', type: 'R', width: 3 }, format: (i, k) => fixed(vel[3 * i + k]!) });
  const forces = s.forces;
  if (forces) cols.push({ spec: { name: 'forces', type: 'R', width: 3 }, format: (i, k) => fixed(forces[3 * i + k]!) });
  const n = s.numbers.length;
  for (const [name, arr] of Object.entries(s.arrays)) {
    if (SKIPPED_ARRAYS.has(name) || /[\s:="]/.test(name)) continue;
    const width = s.arrayWidths?.[name] ?? 1;
    if (arr.length !== n * width) continue; // malformed column: better dropped than misaligned
    const at = (i: number, k: number): number => i * width + k;
    if (arr instanceof Float64Array) {
      cols.push({ spec: { name, type: 'R', width }, format: (i, k) => fixed(arr[at(i, k)]!) });
    } else if (arr instanceof Int32Array) {
      cols.push({ spec: { name, type: 'I', width }, format: (i, k) => ' ' + String(arr[at(i, k)]!).padStart(7) });
    } else if (arr instanceof Uint8Array) {
      cols.push({ spec: { name, type: 'L', width }, format: (i, k) => (arr[at(i, k)] ? ' T' : ' F') });
    } else {
      cols.push({ spec: { name, type: 'S', width }, format: (i, k) => ' ' + safeToken(arr[at(i, k)] ?? '') });
    }
  }
  return cols;
}

const NEEDS_QUOTES = /[\s"'=[\]{}\\,]/;

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function keyText(k: string): string {
  return k.length === 0 || NEEDS_QUOTES.test(k) ? quote(k) : k;
}

function numberText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v); // shortest representation that reads back to the same double
}

function infoText(v: InfoValue): string {
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'string') return v.length === 0 || NEEDS_QUOTES.test(v) ? quote(v) : v;
  if (v.length === 0) return '[]';
  if (v.every((x) => typeof x === 'number')) return quote((v as number[]).map(numberText).join(' '));
  if (v.every((x) => typeof x === 'boolean')) return quote((v as boolean[]).map((b) => (b ? 'T' : 'F')).join(' '));
  return `[${(v as string[]).map((x) => quote(String(x))).join(', ')}]`;
}

function extendedComment(s: Structure, cols: OutColumn[]): string {
  const parts: string[] = [];
  if (s.cell) parts.push(`Lattice=${quote(Array.from(s.cell, numberText).join(' '))}`);
  parts.push(`Properties=${cols.map((c) => `${c.spec.name}:${c.spec.type}:${c.spec.width}`).join(':')}`);
  for (const [k, v] of Object.entries(s.info)) {
    if (!RESERVED_KEYS.has(k)) parts.push(`${keyText(k)}=${infoText(v)}`);
  }
  parts.push(`pbc=${quote(s.pbc.map((b) => (b ? 'T' : 'F')).join(' '))}`);
  return parts.join(' ');
}

const CHUNK_ATOMS = 8192;

function writeFrame(s: Structure, sink: ByteSink, options: WriteOptions): void {
  const n = s.numbers.length;
  let cols: OutColumn[];
  let comment: string;
  if (needsExtended(s)) {
    cols = extendedColumns(s);
    comment = extendedComment(s, cols);
  } else {
    cols = extendedColumns(s); // species + pos only, since nothing else is present
    const fromInfo = typeof s.info.comment === 'string' ? s.info.comment : '';
    comment = (options.title ?? fromInfo).replace(/[\r\n]+/g, ' ');
  }
  sink.write(`${n}\n${comment}\n`);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    let line = '';
    for (const c of cols) for (let k = 0; k < c.spec.width; k++) line += c.format(i, k);
    lines.push(line);
    if (lines.length === CHUNK_ATOMS) {
      sink.write(lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length > 0) sink.write(lines.join('\n') + '\n');
}

function writeXyz(frames: Iterable<Structure>, sink: ByteSink, options: WriteOptions = {}): void {
  for (const s of frames) writeFrame(s, sink, options);
}

// ---------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------

/**
 * First line a bare non-negative integer, and either an extended XYZ comment or a third line
 * that starts like `symbol x y z`. (Plain-XYZ look-alikes with an integer first line exist,
 * so this only claims files whose atom lines look right.)
 */
function sniffXyz(head: Uint8Array): boolean {
  const lines = headText(head).split('\n', 4);
  if (!/^\s*\d+\s*$/.test(lines[0] ?? '')) return false;
  const comment = lines[1];
  if (comment === undefined) return true;
  if (/\b(Lattice|Properties)\s*=/.test(comment)) return true;
  const atom = lines[2];
  if (atom === undefined || (lines.length === 3 && atom.trim() === '')) return true;
  const f = atom.trim().split(/\s+/);
  return f.length >= 4 && f.slice(1, 4).every((t) => FLOAT_RE.test(t));
}

export const xyzFormat: FormatSpec = {
  id: 'xyz',
  label: 'XYZ / extended XYZ',
  extensions: ['xyz', 'extxyz'],
  sniff: sniffXyz,
  binary: false,
  multiFrame: true,
  open: (source, options = {}) => new XyzReader(source, options),
  write: writeXyz,
};
