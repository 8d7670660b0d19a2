/**
 * Protein Data Bank (PDB) reader and writer.
 *
 * Fixed columns, never whitespace splitting: coordinates are 8.3f in columns 31-54 and
 * touch when negative (`-12.345-67.890`). Frames are MODEL..ENDMDL blocks (models may differ
 * in atom count); files without MODEL that repeat END are read as one frame per END.
 * Frame k's bytes run from the end of frame k-1 to its ENDMDL/END, so a CRYST1 written
 * between models belongs to the model that follows it; models without their own CRYST1
 * take the one before the first model.
 */
import { ParseError } from '../errors.js';
import { AbortError, isUsableIndex } from '../format.js';
import type { FormatSpec, FrameIndex, OpenOptions, TrajectoryReader, WriteOptions } from '../format.js';
import type { ByteSink, ByteSource } from '../source.js';
import { LineReader, headText } from '../text.js';
import { cellFromParameters, cellParameters, invert3 } from '../../model/cell.js';
import { atomicNumber, elementSymbol } from '../../model/elements.js';
import type { Structure } from '../../model/structure.js';

const FORMAT = 'pdb';

// ---------------------------------------------------------------------------------------
// Hybrid-36 serials (atom serials past 99999, residue numbers past 9999)
// ---------------------------------------------------------------------------------------

const DIGITS_UPPER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS_LOWER = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Decodes a hybrid-36 field of `width` characters: decimal up to 10^width - 1, then
 * A000..Z (upper case) and a000..z (lower case) base-36 blocks. NaN when it is neither
 * (e.g. `*****` written by programs that overflow instead).
 */
export function decodeHybrid36(field: string, width: number): number {
  const s = field.trim();
  if (s.length === 0) return NaN;
  if (/^-?\d+$/.test(s)) return Number(s);
  if (s.length !== width) return NaN;
  const upper = /^[A-Z][0-9A-Z]*$/.test(s);
  const lower = /^[a-z][0-9a-z]*$/.test(s);
  if (!upper && !lower) return NaN;
  const digits = upper ? DIGITS_UPPER : DIGITS_LOWER;
  let v = 0;
  for (const ch of s) v = v * 36 + digits.indexOf(ch);
  const block = 10 * 36 ** (width - 1); // value of "A000..." in base 36
  const span = 26 * 36 ** (width - 1); // how many numbers each letter case covers
  return v - block + 10 ** width + (lower ? span : 0);
}

/** Encodes n (>= 0) as hybrid-36 in `width` characters, right-justified. */
export function encodeHybrid36(n: number, width: number): string {
  if (n < 10 ** width) return String(n).padStart(width);
  const span = 26 * 36 ** (width - 1);
  let rest = n - 10 ** width;
  let digits = DIGITS_UPPER;
  if (rest >= span) {
    rest -= span;
    digits = DIGITS_LOWER;
    if (rest >= span) throw new Error(`${n} does not fit a hybrid-36 field of width ${width}`);
  }
  let v = rest + 10 * 36 ** (width - 1);
  let out = '';
  while (v > 0) {
    out = digits[v % 36]! + out;
    v = Math.floor(v / 36);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Element from columns 77-78 or from the atom name
// ---------------------------------------------------------------------------------------

/** Residues whose atom names are never two-letter elements ("CA" is C-alpha, "HG1" is H). */
const POLYMER_RESIDUES = new Set(
  (
    'ALA ARG ASN ASP CYS GLN GLU GLY HIS HID HIE HIP HSD HSE HSP ILE LEU LYS MET PHE PRO SER THR TRP TYR VAL ' +
    'ACE NME NH2 CYX ASH GLH LYN A C G U T DA DC DG DT DU RA RC RG RU'
  ).split(' '),
);

/**
 * Guesses the element from the atom name (columns 13-16) by the PDB alignment rule:
 * two-letter elements start in column 13, one-letter elements in column 14. Writers that
 * misalign are caught by falling back to the leading letters of the name. Ions named like
 * their residue (NA/NA, CL/CL, ZN/ZN) are that element.
 */
export function elementFromAtomName(name: string, resname: string): number {
  const trimmed = name.trim();
  const letters = /^[0-9]*([A-Za-z]{1,2})/.exec(trimmed)?.[1] ?? '';
  if (letters.length === 0) return 0;
  if (trimmed.toUpperCase() === resname.trim().toUpperCase() && atomicNumber(trimmed) > 0) return atomicNumber(trimmed);
  // Names are upper case by convention, so "Cu" or "Fe" (however aligned) is that element.
  if (/^[A-Z][a-z]$/.test(letters) && atomicNumber(letters) > 0) return atomicNumber(letters);
  const polymer = POLYMER_RESIDUES.has(resname.trim().toUpperCase());
  // A four-character name starting with H (HB21, HG11) is a hydrogen, not Hg/Hf/Ho.
  const hydrogenName = trimmed.length === 4 && /^H/i.test(trimmed);
  const padded = name.padEnd(4);
  if (!polymer && !hydrogenName && /[A-Za-z]{2}/.test(padded.slice(0, 2))) {
    const z = atomicNumber(padded.slice(0, 2));
    if (z > 0) return z;
  }
  return atomicNumber(letters[0]!);
}

// ---------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------

/** NUL bytes or many control characters: a binary file (an XTC renamed .pdb, say). */
function hasBinaryBytes(head: Uint8Array): boolean {
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return head.length > 0 && control / head.length > 0.1;
}

function recordOf(line: string): string {
  return line.slice(0, 6).trimEnd().toUpperCase();
}

const isAtomRecord = (rec: string): boolean => rec === 'ATOM' || rec === 'HETATM';

/** CRYST1 -> cell (null for the 1 1 1 90 90 90 placeholder that means "no cell"). */
function parseCryst1(line: string, fail: (reason: string) => never): Float64Array | null {
  const fields: [string, number, number][] = [
    ['a', 6, 15],
    ['b', 15, 24],
    ['c', 24, 33],
    ['alpha', 33, 40],
    ['beta', 40, 47],
    ['gamma', 47, 54],
  ];
  const v = fields.map(([label, from, to]) => {
    const x = fixedNumber(line, from, to);
    if (!Number.isFinite(x))
      fail(`CRYST1 ${label} (columns ${from + 1}-${to}): '${line.slice(from, to)}' is not a number`);
    return x;
  });
  const [a, b, c, alpha, beta, gamma] = v as [number, number, number, number, number, number];
  if (a === 1 && b === 1 && c === 1 && alpha === 90 && beta === 90 && gamma === 90) return null;
  if (!(a > 0 && b > 0 && c > 0)) return null;
  return cellFromParameters(a, b, c, alpha, beta, gamma);
}

/** The number in columns [from, to) (0-based, end exclusive); NaN when blank or not a number. */
function fixedNumber(line: string, from: number, to: number): number {
  const t = line.slice(from, to).trim();
  if (t.length === 0 || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

// ---------------------------------------------------------------------------------------
// Index
// ---------------------------------------------------------------------------------------

interface PdbIndex extends FrameIndex {
  lines: Float64Array;
}

interface IndexScan {
  index: PdbIndex;
  /** Byte offset of the first CONECT record (-1 when none). */
  conect: number;
  conectLine: number;
}

const PROGRESS_EVERY = 65536; // lines

function buildIndex(source: ByteSource, options: OpenOptions): IndexScan {
  const file = source.name;
  if (source.size === 0) throw new ParseError(file, FORMAT, 'empty file', { line: 1 });
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  let rangeStart = 0;
  let rangeLine = 1;
  let inFrame = false;
  let frameFromModel = false;
  let frameAtoms = 0;
  let conect = -1;
  let conectLine = 0;
  let lastLine = '';

  const close = (end: number, nextLine: number): void => {
    offsets.push(rangeStart);
    lines.push(rangeLine);
    rangeStart = end;
    rangeLine = nextLine;
    inFrame = false;
    frameAtoms = 0;
  };

  for (let line = lr.next(); line !== null; line = lr.next()) {
    lastLine = line;
    if (lr.lineNumber % PROGRESS_EVERY === 0) progress(options, lr.offset / source.size);
    const rec = recordOf(line);
    if (rec === 'MODEL') {
      if (inFrame) close(lr.lineOffset, lr.lineNumber); // MODEL without ENDMDL before it
      inFrame = true;
      frameFromModel = true;
    } else if (isAtomRecord(rec)) {
      if (!inFrame) {
        inFrame = true;
        frameFromModel = false;
      }
      frameAtoms++;
    } else if (rec === 'ENDMDL' || rec === 'END') {
      if (inFrame && (frameAtoms > 0 || rec === 'ENDMDL')) close(lr.offset, lr.lineNumber + 1);
    } else if (rec === 'CONECT' && conect < 0) {
      conect = lr.lineOffset;
      conectLine = lr.lineNumber;
    }
  }
  if (inFrame && frameAtoms > 0) {
    const cutMidLine =
      source.read(source.size - 1, 1)[0] !== 10 && isAtomRecord(recordOf(lastLine)) && lastLine.length < 54;
    if ((frameFromModel || cutMidLine) && offsets.length > 0) {
      warnings.push(
        `file is truncated: frame ${offsets.length} (line ${rangeLine}, byte ${rangeStart}) has no ENDMDL; ` +
          `kept the ${offsets.length} complete frames`,
      );
    } else close(source.size, lr.lineNumber + 1);
  }
  if (offsets.length === 0) {
    throw new ParseError(file, FORMAT, 'no ATOM or HETATM records: not a PDB file', { line: 1 });
  }
  offsets.push(rangeStart);
  progress(options, 1);
  return {
    index: { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings },
    conect,
    conectLine,
  };
}

function progress(options: OpenOptions, fraction: number): void {
  if (options.isCancelled?.()) throw new AbortError();
  options.onProgress?.(Math.min(1, fraction), 'indexing PDB models');
}

// ---------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------

const decoder = new TextDecoder('utf-8');

interface AtomColumns {
  numbers: Uint8Array;
  positions: Float64Array;
  id: Int32Array;
  name: string[];
  resname: string[];
  resid: Int32Array;
  chain: string[];
  occupancy: Float64Array;
  bfactor: Float64Array;
  hetatm: Uint8Array;
  formalCharge: Int32Array | null;
}

function allocate(n: number): AtomColumns {
  return {
    numbers: new Uint8Array(n),
    positions: new Float64Array(3 * n),
    id: new Int32Array(n),
    name: new Array<string>(n),
    resname: new Array<string>(n),
    resid: new Int32Array(n),
    chain: new Array<string>(n),
    occupancy: new Float64Array(n),
    bfactor: new Float64Array(n),
    hetatm: new Uint8Array(n),
    formalCharge: null,
  };
}

const COORDS: [string, number, number][] = [
  ['x', 30, 38],
  ['y', 38, 46],
  ['z', 46, 54],
];

class PdbReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;
  private readonly headerCell: Float64Array | null;
  private conect: number;
  private conectLine: number;
  private conectPairs: number[] | null = null;
  private guessWarned = false;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions,
  ) {
    const head = source.read(0, 4096);
    if (hasBinaryBytes(head)) {
      throw new ParseError(source.name, FORMAT, 'not a text PDB file (binary content)', { line: 1, offset: 0 });
    }
    if (isUsableIndex(options.index, source.size) && options.index.offsets.length >= 2) {
      this.index = options.index;
      this.conect = -2; // unknown: looked for on first use
      this.conectLine = 0;
    } else {
      const scan = buildIndex(source, options);
      this.index = scan.index;
      this.conect = scan.conect;
      this.conectLine = scan.conectLine;
    }
    this.frameCount = this.index.offsets.length - 1;
    this.warnings = [...this.index.warnings];
    this.headerCell = this.readHeaderCell();
    this.atomCount = this.frameLines(0).filter((l) => isAtomRecord(recordOf(l.text))).length;
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  /** The CRYST1 before the first MODEL/ATOM line: the cell of models without their own. */
  private readHeaderCell(): Float64Array | null {
    let cell: Float64Array | null = null;
    for (const { text, line } of this.frameLines(0)) {
      const rec = recordOf(text);
      if (rec === 'MODEL' || isAtomRecord(rec)) break;
      if (rec === 'CRYST1') cell = parseCryst1(text, (r) => this.fail(r, { frame: 0, line }));
    }
    return cell;
  }

  private frameLines(i: number): { text: string; line: number; offset: number }[] {
    const start = this.index.offsets[i]!;
    const bytes = this.source.read(start, this.index.offsets[i + 1]! - start);
    const first = this.index.lines?.[i] ?? 1;
    const out: { text: string; line: number; offset: number }[] = [];
    let p = 0;
    for (let k = 0; p < bytes.length; k++) {
      let nl = bytes.indexOf(10, p);
      if (nl < 0) nl = bytes.length;
      let text = decoder.decode(bytes.subarray(p, nl));
      if (text.endsWith('\r')) text = text.slice(0, -1);
      out.push({ text, line: first + k, offset: start + p });
      p = nl + 1;
    }
    return out;
  }

  private fail(reason: string, where: { frame?: number; line?: number; offset?: number }): never {
    throw new ParseError(this.source.name, FORMAT, reason, where);
  }

  readFrame(i: number): Structure {
    if (!(Number.isInteger(i) && i >= 0 && i < this.frameCount)) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const lines = this.frameLines(i);
    const hasLines = this.index.lines !== undefined;
    const where = (l: { line: number; offset: number }): { frame: number; line?: number; offset?: number } =>
      hasLines ? { frame: i, line: l.line } : { frame: i, offset: l.offset };
    const atomLines = lines.filter((l) => isAtomRecord(recordOf(l.text)));
    const cols = allocate(atomLines.length);
    let cell = this.headerCell;
    for (const l of lines) {
      if (recordOf(l.text) === 'CRYST1') cell = parseCryst1(l.text, (r) => this.fail(r, where(l)));
    }
    let guessed = 0;
    atomLines.forEach((l, k) => {
      if (!this.parseAtom(l.text, k, cols, (r) => this.fail(r, where(l)))) guessed++;
    });
    if (guessed > 0 && !this.guessWarned) {
      this.guessWarned = true;
      this.warnings.push(
        `element columns 77-78 blank or unknown for ${guessed} atoms of frame ${i}: guessed from atom names`,
      );
    }
    const s = toStructure(cols, cell);
    this.addBonds(s, cols.id);
    return s;
  }

  /** Parses one ATOM/HETATM line into atom k; returns false when the element was guessed. */
  private parseAtom(line: string, k: number, c: AtomColumns, fail: (reason: string) => never): boolean {
    if (line.length < 54) fail(`ATOM/HETATM record too short (${line.length} columns, coordinates need 54)`);
    COORDS.forEach(([axis, from, to], d) => {
      const v = fixedNumber(line, from, to);
      if (!Number.isFinite(v)) {
        fail(`${axis} coordinate (columns ${from + 1}-${to}): '${line.slice(from, to)}' is not a number`);
      }
      c.positions[3 * k + d] = v;
    });
    c.hetatm[k] = recordOf(line) === 'HETATM' ? 1 : 0;
    c.id[k] = decodeHybrid36(line.slice(6, 11), 5) || 0;
    c.name[k] = line.slice(12, 16).trim();
    // Residue names are 3 characters (18-20); CHARMM/GROMACS put a 4th in column 21.
    c.resname[k] = line.slice(17, 21).trim();
    c.chain[k] = line.slice(21, 22).trim();
    c.resid[k] = decodeHybrid36(line.slice(22, 26), 4) || 0;
    c.occupancy[k] = optionalNumber(line, 54, 60, 'occupancy', 1, fail);
    c.bfactor[k] = optionalNumber(line, 60, 66, 'temperature factor', 0, fail);
    const charge = /^([0-9])([+-])$/.exec(line.slice(78, 80).trim());
    if (charge) {
      c.formalCharge ??= new Int32Array(c.numbers.length);
      c.formalCharge[k] = Number(charge[1]) * (charge[2] === '-' ? -1 : 1);
    }
    const fromColumns = atomicNumber(line.slice(76, 78));
    c.numbers[k] = fromColumns || elementFromAtomName(line.slice(12, 16), c.resname[k]!);
    return fromColumns > 0;
  }

  /** CONECT records (after the models) as bonds; repeated entries give the bond order. */
  private addBonds(s: Structure, ids: Int32Array): void {
    const pairs = this.conectRecords();
    if (pairs.length === 0) return;
    const indexOf = new Map<number, number>();
    for (let k = 0; k < ids.length; k++) {
      if (indexOf.has(ids[k]!)) return; // wrapped serials: CONECT would be ambiguous
      indexOf.set(ids[k]!, k);
    }
    // Count each directed pair; a bond listed from both ends keeps the larger count.
    const directed = new Map<string, number>();
    for (let p = 0; p < pairs.length; p += 2) {
      const a = indexOf.get(pairs[p]!);
      const b = indexOf.get(pairs[p + 1]!);
      if (a === undefined || b === undefined || a === b) continue;
      const key = `${a},${b}`;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
    const bonds: number[] = [];
    const orders: number[] = [];
    for (const [key, count] of directed) {
      const [a, b] = key.split(',').map(Number) as [number, number];
      if (a > b && directed.has(`${b},${a}`)) continue;
      bonds.push(Math.min(a, b), Math.max(a, b));
      orders.push(Math.min(3, Math.max(count, directed.get(`${b},${a}`) ?? 0)));
    }
    s.bonds = Uint32Array.from(bonds);
    s.bondOrders = Uint8Array.from(orders);
  }

  /** Serial pairs (from, to) of all CONECT records, read once. */
  private conectRecords(): number[] {
    if (this.conectPairs) return this.conectPairs;
    const pairs: number[] = [];
    if (this.conect === -2) this.findConect();
    if (this.conect >= 0) {
      const lr = new LineReader(this.source, this.conect, this.conectLine);
      for (let line = lr.next(); line !== null; line = lr.next()) {
        if (recordOf(line) !== 'CONECT') continue;
        const from = decodeHybrid36(line.slice(6, 11), 5);
        for (let f = 11; f < 31 && f < line.length; f += 5) {
          const to = decodeHybrid36(line.slice(f, f + 5), 5);
          if (Number.isFinite(from) && Number.isFinite(to)) pairs.push(from, to);
        }
      }
    }
    this.conectPairs = pairs;
    return pairs;
  }

  /** With a cached index the scan did not run: CONECT records follow the last frame. */
  private findConect(): void {
    this.conect = -1;
    const end = this.index.offsets[this.frameCount]!;
    const lr = new LineReader(this.source, end, 1);
    for (let line = lr.next(); line !== null; line = lr.next()) {
      if (recordOf(line) === 'CONECT') {
        this.conect = lr.lineOffset;
        this.conectLine = lr.lineNumber;
        return;
      }
    }
  }

  close(): void {
    this.source.close?.();
  }
}

function optionalNumber(
  line: string,
  from: number,
  to: number,
  label: string,
  dflt: number,
  fail: (reason: string) => never,
): number {
  const raw = line.slice(from, to);
  if (raw.trim().length === 0) return dflt;
  const v = fixedNumber(line, from, to);
  if (!Number.isFinite(v)) fail(`${label} (columns ${from + 1}-${to}): '${raw}' is not a number`);
  return v;
}

function toStructure(c: AtomColumns, cell: Float64Array | null): Structure {
  const s: Structure = {
    numbers: c.numbers,
    positions: c.positions,
    cell,
    pbc: cell ? [true, true, true] : [false, false, false],
    arrays: {
      id: c.id,
      name: c.name,
      resname: c.resname,
      resid: c.resid,
      chain: c.chain,
      occupancy: c.occupancy,
      bfactor: c.bfactor,
      hetatm: c.hetatm,
    },
    info: {},
  };
  if (c.formalCharge) s.arrays.formal_charge = c.formalCharge;
  return s;
}

// ---------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------

function f83(v: number, what: string): string {
  let t = v.toFixed(3);
  if (t === '-0.000') t = '0.000'; // rounding noise of a rotation, not a real sign
  if (t.length > 8 || !Number.isFinite(v)) throw new Error(`PDB: ${what} ${v} does not fit the 8.3f field`);
  return t.padStart(8);
}

function f62(v: number): string {
  const clamped = Math.max(-999.99, Math.min(9999.99, v));
  return clamped.toFixed(2).padStart(6);
}

const NO_CELL = 'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1';

function cryst1(cell: Float64Array): string {
  const [a, b, c, alpha, beta, gamma] = cellParameters(cell);
  const len = (x: number): string => x.toFixed(3).padStart(9);
  const ang = (x: number): string => x.toFixed(2).padStart(7);
  return `CRYST1${len(a)}${len(b)}${len(c)}${ang(alpha)}${ang(beta)}${ang(gamma)} P 1           1`;
}

/**
 * Positions expressed in the PDB cell orientation (a along x, b in the xy plane) that a
 * reader rebuilds from CRYST1: fractional coordinates are kept, the frame is rotated.
 */
function positionsInPdbFrame(s: Structure): Float64Array {
  if (!s.cell) return s.positions;
  const [a, b, c, alpha, beta, gamma] = cellParameters(s.cell);
  const std = cellFromParameters(a, b, c, alpha, beta, gamma);
  if (std.every((v, k) => Math.abs(v - s.cell![k]!) < 1e-9)) return s.positions;
  const inv = invert3(s.cell);
  // r' = r · inv(cell) · std
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += inv[3 * r + k]! * std[3 * k + col]!;
      m[3 * r + col] = sum;
    }
  }
  const out = new Float64Array(s.positions.length);
  for (let i = 0; i < out.length; i += 3) {
    const x = s.positions[i]!;
    const y = s.positions[i + 1]!;
    const z = s.positions[i + 2]!;
    for (let col = 0; col < 3; col++) out[i + col] = x * m[col]! + y * m[3 + col]! + z * m[6 + col]!;
  }
  return out;
}

function strings(s: Structure, key: string): string[] | null {
  const v = s.arrays[key];
  return Array.isArray(v) && v.length === s.numbers.length ? v : null;
}

function numbersOf(s: Structure, key: string): ArrayLike<number> | null {
  const v = s.arrays[key];
  return v && !Array.isArray(v) && v.length === s.numbers.length ? v : null;
}

/** Atom name in columns 13-16, aligned so the element lands in columns 13-14 as the standard says. */
function alignedName(name: string, symbol: string): string {
  const n = name.slice(0, 4);
  if (n.length === 4) return n;
  const oneLetterElement = symbol.length === 1 && n.toUpperCase().startsWith(symbol.toUpperCase());
  return (oneLetterElement ? ` ${n}` : n).padEnd(4);
}

function atomLine(s: Structure, i: number, pos: Float64Array, cols: WriterColumns): string {
  const z = s.numbers[i]!;
  const symbol = z > 0 ? elementSymbol(z) : '';
  const record = cols.hetatm?.[i] ? 'HETATM' : 'ATOM  ';
  const name = alignedName(cols.name?.[i] ?? (symbol || 'X'), symbol);
  const resname = (cols.resname?.[i] ?? 'MOL').slice(0, 4).padEnd(4);
  const chain = (cols.chain?.[i] ?? 'A').slice(0, 1).padEnd(1);
  const resid = encodeHybrid36(Math.max(0, cols.resid?.[i] ?? 1), 4);
  const serial = encodeHybrid36(i + 1, 5);
  const occ = f62(cols.occupancy?.[i] ?? 1);
  const bf = f62(cols.bfactor?.[i] ?? 0);
  const q = cols.charge?.[i] ?? 0;
  const charge = q === 0 ? '  ' : `${Math.abs(q)}${q > 0 ? '+' : '-'}`;
  const xyz = `${f83(pos[3 * i]!, 'x')}${f83(pos[3 * i + 1]!, 'y')}${f83(pos[3 * i + 2]!, 'z')}`;
  return `${record}${serial} ${name} ${resname}${chain}${resid}    ${xyz}${occ}${bf}          ${symbol.toUpperCase().padStart(2)}${charge}`;
}

interface WriterColumns {
  name: string[] | null;
  resname: string[] | null;
  chain: string[] | null;
  resid: ArrayLike<number> | null;
  occupancy: ArrayLike<number> | null;
  bfactor: ArrayLike<number> | null;
  hetatm: ArrayLike<number> | null;
  charge: ArrayLike<number> | null;
}

function writerColumns(s: Structure): WriterColumns {
  return {
    name: strings(s, 'name'),
    resname: strings(s, 'resname'),
    chain: strings(s, 'chain'),
    resid: numbersOf(s, 'resid'),
    occupancy: numbersOf(s, 'occupancy'),
    bfactor: numbersOf(s, 'bfactor'),
    hetatm: numbersOf(s, 'hetatm'),
    charge: numbersOf(s, 'formal_charge'),
  };
}

/** CONECT records for bonds; a bond of order k is listed k times from each end. */
function conectLines(s: Structure): string[] {
  if (!s.bonds || s.bonds.length === 0 || s.numbers.length > 99999) return [];
  const partners: number[][] = Array.from({ length: s.numbers.length }, () => []);
  for (let b = 0; b < s.bonds.length / 2; b++) {
    const i = s.bonds[2 * b]!;
    const j = s.bonds[2 * b + 1]!;
    const order = Math.max(1, Math.min(3, s.bondOrders?.[b] ?? 1));
    for (let k = 0; k < order; k++) {
      partners[i]?.push(j);
      partners[j]?.push(i);
    }
  }
  const out: string[] = [];
  partners.forEach((list, i) => {
    for (let k = 0; k < list.length; k += 4) {
      const rest = list.slice(k, k + 4).map((j) => String(j + 1).padStart(5));
      out.push(`CONECT${String(i + 1).padStart(5)}${rest.join('')}`);
    }
  });
  return out;
}

function writePdb(frames: Iterable<Structure>, sink: ByteSink, options: WriteOptions = {}): void {
  const it = frames[Symbol.iterator]();
  let current = it.next();
  if (current.done) return;
  let next = it.next();
  const multi = !next.done;
  if (options.title) sink.write(`TITLE     ${options.title.replace(/[\r\n]+/g, ' ').slice(0, 70)}\n`);
  let first: Structure | null = null;
  let wroteCell = false;
  for (let model = 1; !current.done; model++) {
    const s = current.value;
    first ??= s;
    const lines: string[] = [];
    if (s.cell) lines.push(cryst1(s.cell));
    // A model without a cell after one with a cell would inherit it: say "no cell" explicitly.
    else if (wroteCell) lines.push(NO_CELL);
    wroteCell ||= s.cell !== null;
    if (multi) lines.push(`MODEL     ${String(model).padStart(4)}`);
    const pos = positionsInPdbFrame(s);
    const cols = writerColumns(s);
    for (let i = 0; i < s.numbers.length; i++) lines.push(atomLine(s, i, pos, cols));
    if (multi) lines.push('ENDMDL');
    sink.write(lines.join('\n') + '\n');
    current = next;
    next = current.done ? current : it.next();
  }
  const tail = first ? conectLines(first) : [];
  sink.write([...tail, 'END'].join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------

const PDB_RECORDS = new Set(
  'HEADER TITLE COMPND REMARK CRYST1 MODEL ATOM HETATM SEQRES AUTHOR EXPDTA SOURCE KEYWDS HELIX SHEET'.split(' '),
);

/** A PDB starts with one of its record names; ATOM lines must have a number at columns 31-38. */
function sniffPdb(head: Uint8Array): boolean {
  if (hasBinaryBytes(head)) return false;
  const lines = headText(head).split('\n').slice(0, 50);
  if (!PDB_RECORDS.has(recordOf(lines[0] ?? ''))) return false;
  const atom = lines.find((l) => isAtomRecord(recordOf(l)));
  return atom === undefined || Number.isFinite(fixedNumber(atom, 30, 38));
}

export const pdbFormat: FormatSpec = {
  id: 'pdb',
  label: 'Protein Data Bank',
  extensions: ['pdb', 'ent'],
  sniff: sniffPdb,
  binary: false,
  multiFrame: true,
  open: (source, options = {}) => new PdbReader(source, options),
  write: writePdb,
};
