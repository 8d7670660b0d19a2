/**
 * LAMMPS data files (read_data / write_data): reader and writer.
 *
 * Reading: header counts and box (xlo xhi, ..., xy xz yz, or the general-triclinic avec /
 * bvec / cvec / abc origin), then sections. Masses give each type a mass and, when no
 * `Atom Type Labels` or `# Symbol` comment names it, an element guessed from the nearest
 * standard mass (reported in `warnings`). The Atoms style comes from the `Atoms # style`
 * comment or, failing that, from the column count. Atoms are sorted by id; Velocities and
 * Bonds are matched by id. Units are whatever the run used (metal: Å, Å/ps), kept as written.
 *
 * Writing: style full when the structure has charges and molecule ids, charge when it has
 * charges, else atomic. The cell is rotated into LAMMPS's lower-triangular form when it is
 * not already (positions and velocities rotated with it), made right-handed by flipping c
 * and its tilts reduced to |tilt| <= half the box length when needed (both give the same
 * lattice; image flags are dropped then, since they would no longer match).
 */
import { ParseError } from '../errors.js';
import type { FormatSpec, TrajectoryReader, WriteOptions } from '../format.js';
import type { ByteSink, ByteSource } from '../source.js';
import { LineReader, headText, splitFields } from '../text.js';
import { atomicNumber, elementByMass, elementSymbol, masses as standardMasses } from '../../model/elements.js';
import { invert3 } from '../../model/cell.js';
import type { AtomArray, InfoValue, Structure } from '../../model/structure.js';
import { lammpsBox, permute, sortOrderById, type LammpsBox } from './lammps-dump.js';

const FORMAT = 'lammps-data';

// ---------------------------------------------------------------------------------------
// Atom styles

/** Columns of the Atoms section per atom style (before the optional three image flags). */
const STYLES: Record<string, readonly string[]> = {
  atomic: ['id', 'type', 'x', 'y', 'z'],
  charge: ['id', 'type', 'q', 'x', 'y', 'z'],
  full: ['id', 'mol', 'type', 'q', 'x', 'y', 'z'],
  molecular: ['id', 'mol', 'type', 'x', 'y', 'z'],
  bond: ['id', 'mol', 'type', 'x', 'y', 'z'],
  angle: ['id', 'mol', 'type', 'x', 'y', 'z'],
  sphere: ['id', 'type', 'diameter', 'density', 'x', 'y', 'z'],
  dipole: ['id', 'type', 'q', 'x', 'y', 'z', 'mux', 'muy', 'muz'],
  dpd: ['id', 'type', 'theta', 'x', 'y', 'z'],
  ellipsoid: ['id', 'type', 'ellipsoidflag', 'density', 'x', 'y', 'z'],
};

/** LAMMPS column -> Atomscope array name; columns not listed keep their LAMMPS name. */
const RENAMED: Record<string, string> = { q: 'charge' };
const INT_COLUMNS = new Set(['id', 'type', 'mol', 'ellipsoidflag']);

// ---------------------------------------------------------------------------------------
// Reading

interface Header {
  counts: Map<string, number>;
  lo: [number, number, number];
  hi: [number, number, number];
  tilt: [number, number, number];
  /** General triclinic box (avec/bvec/cvec/abc origin), when given. */
  general?: { a: number[]; b: number[]; c: number[]; origin: number[] };
}

/** A line source that can hand one line back, for sections whose end is the next keyword. */
class Lines {
  private pending: string | null = null;
  private pendingNumber = 0;
  constructor(
    private readonly lr: LineReader,
    readonly file: string,
  ) {}
  /** Line number of the line returned last. */
  number = 0;
  next(): string | null {
    if (this.pending !== null) {
      const line = this.pending;
      this.pending = null;
      this.number = this.pendingNumber;
      return line;
    }
    const line = this.lr.next();
    this.number = this.lr.lineNumber;
    return line;
  }
  unread(line: string): void {
    this.pending = line;
    this.pendingNumber = this.number;
  }
  fail(reason: string, line = this.number): never {
    throw new ParseError(this.file, FORMAT, reason, { line });
  }
}

/** The text of a line before any `#` comment, trimmed. */
function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash >= 0 ? line.slice(0, hash) : line).trim();
}

function commentOf(line: string): string {
  const hash = line.indexOf('#');
  return hash >= 0 ? line.slice(hash + 1).trim() : '';
}

/** Section keywords start with a letter; data lines start with a number. */
function isKeyword(text: string): boolean {
  return /^[A-Za-z]/.test(text);
}

function number(lines: Lines, token: string | undefined, what: string): number {
  const v = token === undefined || token === '' ? NaN : Number(token);
  if (!Number.isFinite(v)) lines.fail(`${what}: '${token ?? ''}' is not a number`);
  return v;
}

/** Header lines up to the first section keyword, which is handed back. */
function readHeader(lines: Lines): Header {
  const header: Header = { counts: new Map(), lo: [0, 0, 0], hi: [0, 0, 0], tilt: [0, 0, 0] };
  const general: Partial<Record<'a' | 'b' | 'c' | 'origin', number[]>> = {};
  let sawBox = false;
  for (let line = lines.next(); line !== null; line = lines.next()) {
    const text = stripComment(line);
    if (text === '') continue;
    if (isKeyword(text)) {
      lines.unread(line);
      break;
    }
    const f = splitFields(text);
    const words = f.filter((t) => /^[a-z]/.test(t)).join(' ');
    const values = f.filter((t) => !/^[a-z]/.test(t));
    const axis = ['xlo xhi', 'ylo yhi', 'zlo zhi'].indexOf(words);
    if (axis >= 0 && values.length === 2) {
      header.lo[axis] = number(lines, values[0], words);
      header.hi[axis] = number(lines, values[1], words);
      sawBox = true;
    } else if (words === 'xy xz yz' && values.length === 3) {
      header.tilt = [0, 1, 2].map((k) => number(lines, values[k], words)) as [number, number, number];
    } else if (/^(avec|bvec|cvec|abc origin)$/.test(words) && values.length === 3) {
      const key = words === 'avec' ? 'a' : words === 'bvec' ? 'b' : words === 'cvec' ? 'c' : 'origin';
      general[key] = values.map((v) => number(lines, v, words));
    } else if (values.length === 1 && /^\d+$/.test(values[0]!) && words.length > 0) {
      // "256 atoms", "2 atom types", "1 extra bond per atom", ...
      header.counts.set(words, Number(values[0]));
    } else {
      lines.fail(`unrecognised header line '${text}'`);
    }
  }
  if (general.a && general.b && general.c) {
    header.general = { a: general.a, b: general.b, c: general.c, origin: general.origin ?? [0, 0, 0] };
  } else if (!sawBox) {
    lines.fail('no box (xlo xhi, ylo yhi, zlo zhi) in the header');
  }
  return header;
}

function boxOf(header: Header): LammpsBox {
  const g = header.general;
  if (g) {
    return {
      cell: Float64Array.of(...(g.a as [number, number, number]), ...g.b, ...g.c),
      origin: [g.origin[0]!, g.origin[1]!, g.origin[2]!],
    };
  }
  return lammpsBox(header.lo, header.hi, header.tilt);
}

/** Skips the blank lines after a section keyword and returns the section's data lines one by one. */
function* sectionLines(lines: Lines, count: number, name: string): Generator<string> {
  for (let k = 0; k < count;) {
    const line = lines.next();
    if (line === null) lines.fail(`unexpected end of file in ${name}: ${k} of ${count} lines read`, lines.number + 1);
    const text = stripComment(line);
    if (text === '') continue;
    if (isKeyword(text)) lines.fail(`${name}: expected ${count} lines, found '${text}' after ${k}`);
    k++;
    yield text;
  }
}

/** Sections Atomscope does not read (coefficients, angles, ...) end at the next keyword. */
function skipSection(lines: Lines): void {
  for (let line = lines.next(); line !== null; line = lines.next()) {
    const text = stripComment(line);
    if (text !== '' && isKeyword(text)) {
      lines.unread(line);
      return;
    }
  }
}

interface TypeInfo {
  masses: Map<number, number>;
  /** Element per type from Atom Type Labels or a `# Symbol` comment on the Masses line. */
  named: Map<number, number>;
  /** Type labels as written, for label-typed Atoms lines. */
  labels: Map<string, number>;
}

function readMasses(lines: Lines, count: number, types: TypeInfo): void {
  for (let k = 0; k < count;) {
    const line = lines.next();
    if (line === null) lines.fail(`unexpected end of file in Masses`, lines.number + 1);
    const text = stripComment(line);
    if (text === '') continue;
    const [typeToken, massToken] = splitFields(text);
    // With type labels, Masses lines may start with a label rather than a number.
    if (isKeyword(text) && !types.labels.has(typeToken ?? '')) {
      lines.fail(`Masses: expected ${count} lines, found '${text}' after ${k}`);
    }
    k++;
    const type =
      typeToken !== undefined && types.labels.has(typeToken)
        ? types.labels.get(typeToken)!
        : number(lines, typeToken, 'Masses type');
    types.masses.set(type, number(lines, massToken, 'mass'));
    const z = atomicNumber(commentOf(line).split(/\s+/)[0] ?? '');
    if (z > 0 && !types.named.has(type)) types.named.set(type, z);
  }
}

function readTypeLabels(lines: Lines, count: number, types: TypeInfo): void {
  for (const text of sectionLines(lines, count, 'Atom Type Labels')) {
    const [typeToken, label] = splitFields(text);
    const type = number(lines, typeToken, 'type');
    if (label === undefined) lines.fail(`Atom Type Labels: no label for type ${type}`);
    types.labels.set(label, type);
    const z = atomicNumber(label);
    if (z > 0) types.named.set(type, z);
  }
}

/** Atoms section as a row-major numeric matrix (type labels already mapped to numbers). */
interface AtomTable {
  columns: number;
  values: Float64Array;
  firstLine: number;
}

function readAtomTable(lines: Lines, n: number, types: TypeInfo, typeColumn: (columns: number) => number): AtomTable {
  let table: AtomTable | undefined;
  let atom = 0;
  for (const text of sectionLines(lines, n, 'Atoms')) {
    const f = splitFields(text);
    if (!table) table = { columns: f.length, values: new Float64Array(n * f.length), firstLine: lines.number };
    if (f.length !== table.columns) {
      lines.fail(`Atoms: line has ${f.length} fields where the first atom line has ${table.columns}`);
    }
    const row = atom * table.columns;
    for (let j = 0; j < f.length; j++) {
      const token = f[j]!;
      let v = Number(token);
      if (!Number.isFinite(v)) {
        const label = j === typeColumn(f.length) ? types.labels.get(token) : undefined;
        if (label === undefined) lines.fail(`Atoms: '${token}' is not a finite number`);
        v = label;
      }
      table.values[row + j] = v;
    }
    atom++;
  }
  return table ?? { columns: 5, values: new Float64Array(0), firstLine: lines.number };
}

/**
 * The style of an Atoms section without a `# style` comment, from its column count:
 * 5/8 atomic, 6/9 charge or molecular, 7/10 full. Six columns are `id type q x y z` unless
 * the third column is whole numbers and the second exceeds the type count (a molecule id).
 */
function inferStyle(table: AtomTable, typeCount: number): string {
  const n = table.values.length / table.columns;
  const base = table.columns > 7 ? table.columns - 3 : table.columns;
  if (base === 5) return 'atomic';
  if (base === 7) return 'full';
  if (base === 6) {
    let wholeThird = true;
    let secondAboveTypes = false;
    for (let i = 0; i < n; i++) {
      wholeThird &&= Number.isInteger(table.values[i * table.columns + 2]!);
      secondAboveTypes ||= table.values[i * table.columns + 1]! > typeCount;
    }
    return wholeThird && secondAboveTypes ? 'molecular' : 'charge';
  }
  return 'unknown';
}

function styleColumns(style: string, table: AtomTable, lines: Lines): { columns: readonly string[]; images: boolean } {
  const columns = STYLES[style];
  if (style.startsWith('hybrid') && table.columns >= 5) return { columns: STYLES.atomic!, images: false };
  if (!columns) {
    lines.fail(`Atoms: atom style '${style}' with ${table.columns} columns is not supported`, table.firstLine);
  }
  if (table.columns === columns.length) return { columns, images: false };
  if (table.columns === columns.length + 3) return { columns, images: true };
  lines.fail(
    `Atoms: style ${style} has ${columns.length} columns (+3 image flags), the line has ${table.columns}`,
    table.firstLine,
  );
}

function column(table: AtomTable, j: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = table.values[i * table.columns + j]!;
  return out;
}

function toInt32(values: Float64Array, name: string, lines: Lines, line: number): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || Math.abs(v) > 0x7fffffff) lines.fail(`Atoms: ${name} '${v}' is not an integer`, line);
    out[i] = v;
  }
  return out;
}

/** Index of each id once the atoms are sorted (ids 1..N in order map directly). */
function idLookup(ids: Int32Array): (id: number) => number | undefined {
  if (ids.every((id, i) => id === i + 1)) return (id) => (id >= 1 && id <= ids.length ? id - 1 : undefined);
  const map = new Map<number, number>();
  ids.forEach((id, i) => map.set(id, i));
  return (id) => map.get(id);
}

function readData(source: ByteSource): { structure: Structure; warnings: string[] } {
  if (source.size === 0) throw new ParseError(source.name, FORMAT, 'empty file', { line: 1 });
  const lines = new Lines(new LineReader(source), source.name);
  const title = lines.next() ?? '';
  const header = readHeader(lines);
  const warnings: string[] = [];
  const n = header.counts.get('atoms') ?? lines.fail('no "N atoms" line in the header');
  const typeCount = header.counts.get('atom types') ?? 0;
  const bondCount = header.counts.get('bonds') ?? 0;
  // Each atom line takes at least ten bytes ("1 1 0 0 0\n"): refuse counts the file cannot hold.
  if (n * 10 > source.size || bondCount * 8 > source.size || typeCount * 4 > source.size) {
    lines.fail(
      `header counts (${n} atoms, ${bondCount} bonds, ${typeCount} types) exceed what ${source.size} bytes can hold`,
      1,
    );
  }
  const types: TypeInfo = { masses: new Map(), named: new Map(), labels: new Map() };
  let atoms: { table: AtomTable; style: string } | undefined;
  let velocityLines: { id: number; v: number[]; line: number }[] | undefined;
  let bondPairs: number[] | undefined;
  for (let line = lines.next(); line !== null; line = lines.next()) {
    const keyword = stripComment(line);
    if (keyword === '') continue;
    if (keyword === 'Masses') readMasses(lines, typeCount, types);
    else if (keyword === 'Atom Type Labels') readTypeLabels(lines, typeCount, types);
    else if (keyword === 'Atoms') {
      const declared = commentOf(line).split(/\s+/)[0] ?? '';
      const typeColumn = (cols: number): number => {
        const style = declared || (cols === 7 || cols === 10 ? 'full' : 'atomic');
        return (STYLES[style] ?? STYLES.atomic!).indexOf('type');
      };
      const table = readAtomTable(lines, n, types, typeColumn);
      atoms = { table, style: declared || inferStyle(table, typeCount) };
      if (!declared && n > 0) warnings.push(`Atoms section has no '# style' comment: read as ${atoms.style}`);
    } else if (keyword === 'Velocities') {
      velocityLines = [];
      for (const text of sectionLines(lines, n, 'Velocities')) {
        const f = splitFields(text);
        if (f.length < 4) lines.fail(`Velocities: expected 'id vx vy vz', found '${text}'`);
        const v = [1, 2, 3].map((k) => number(lines, f[k], 'velocity'));
        velocityLines.push({ id: number(lines, f[0], 'atom id'), v, line: lines.number });
      }
    } else if (keyword === 'Bonds') {
      bondPairs = [];
      for (const text of sectionLines(lines, bondCount, 'Bonds')) {
        const f = splitFields(text);
        if (f.length < 4) lines.fail(`Bonds: expected 'id type atom1 atom2', found '${text}'`);
        bondPairs.push(number(lines, f[2], 'bond atom'), number(lines, f[3], 'bond atom'), lines.number);
      }
    } else if (isKeyword(keyword)) {
      skipSection(lines);
    } else {
      lines.fail(`expected a section keyword (Masses, Atoms, Velocities, ...), found '${keyword}'`);
    }
  }
  if (!atoms && n > 0) lines.fail(`no Atoms section for the ${n} atoms of the header`);
  const table = atoms?.table ?? { columns: 5, values: new Float64Array(0), firstLine: 1 };
  const style = atoms?.style ?? 'atomic';
  const { columns, images } = styleColumns(style, table, lines);

  // Per-atom columns in file order, then sorted by id.
  const positions = new Float64Array(3 * n);
  const ix = columns.indexOf('x');
  for (let i = 0; i < n; i++) {
    const row = i * table.columns + ix;
    positions[3 * i] = table.values[row]!;
    positions[3 * i + 1] = table.values[row + 1]!;
    positions[3 * i + 2] = table.values[row + 2]!;
  }
  const arrays: Record<string, AtomArray> = {};
  const arrayWidths: Record<string, number> = {};
  columns.forEach((name, j) => {
    if (name === 'x' || name === 'y' || name === 'z') return;
    const values = column(table, j, n);
    arrays[RENAMED[name] ?? name] = INT_COLUMNS.has(name) ? toInt32(values, name, lines, table.firstLine) : values;
  });
  if (images) {
    const image = new Int32Array(3 * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) image[3 * i + k] = table.values[i * table.columns + columns.length + k]!;
    }
    arrays.image = image;
    arrayWidths.image = 3;
  }
  const ids = arrays.id as Int32Array;
  const order = sortOrderById(ids);
  const sorted = <T extends Float64Array | Int32Array | Uint8Array | string[]>(data: T, width: number): T =>
    order ? permute(data, order, width) : data;
  for (const name of Object.keys(arrays)) arrays[name] = sorted(arrays[name] as Float64Array, arrayWidths[name] ?? 1);
  const sortedIds = arrays.id as Int32Array;
  const indexOf = idLookup(sortedIds);

  const structure: Structure = {
    numbers: new Uint8Array(n),
    positions: sorted(positions, 3),
    cell: null,
    pbc: [true, true, true],
    arrays,
    info: infoOf(title, style),
  };
  const box = boxOf(header);
  structure.cell = box.cell;
  structure.info.cellOrigin = [...box.origin];
  if (Object.keys(arrayWidths).length > 0) structure.arrayWidths = arrayWidths;
  assignElements(structure, typeCount, types, warnings, lines, table.firstLine);
  if (velocityLines) structure.velocities = placeVelocities(velocityLines, indexOf, n, lines);
  if (bondPairs) structure.bonds = placeBonds(bondPairs, indexOf, lines);
  return { structure, warnings };
}

function infoOf(title: string, style: string): Record<string, InfoValue> {
  const info: Record<string, InfoValue> = { title: title.trim(), atomStyle: style };
  // write_data titles end with "timestep = N".
  const step = /timestep\s*=\s*(\d+)/.exec(title);
  if (step) info.step = Number(step[1]);
  return info;
}

/** numbers and per-atom masses from the types: named elements first, else the nearest mass. */
function assignElements(
  s: Structure,
  typeCount: number,
  types: TypeInfo,
  warnings: string[],
  lines: Lines,
  line: number,
): void {
  const typeArray = s.arrays.type as Int32Array;
  const zOfType = new Uint8Array(typeCount + 1);
  const guessed: string[] = [];
  for (let t = 1; t <= typeCount; t++) {
    const mass = types.masses.get(t);
    const named = types.named.get(t);
    if (named !== undefined) zOfType[t] = named;
    else if (mass !== undefined) {
      const z = elementByMass(mass);
      zOfType[t] = z;
      guessed.push(`${t} -> ${z > 0 ? elementSymbol(z) : 'unknown'} (mass ${mass})`);
    }
  }
  if (guessed.length > 0) warnings.push(`elements guessed from Masses: type ${guessed.join(', type ')}`);
  const hasMasses = types.masses.size > 0;
  const mass = new Float64Array(typeArray.length);
  for (let i = 0; i < typeArray.length; i++) {
    const t = typeArray[i]!;
    if (t < 1 || (typeCount > 0 && t > typeCount)) {
      lines.fail(`Atoms: atom ${String((s.arrays.id as Int32Array)[i])} has type ${t}, outside 1..${typeCount}`, line);
    }
    s.numbers[i] = zOfType[t] ?? 0;
    mass[i] = types.masses.get(t) ?? NaN;
  }
  if (hasMasses) s.arrays.mass = mass;
}

function placeVelocities(
  rows: { id: number; v: number[]; line: number }[],
  indexOf: (id: number) => number | undefined,
  n: number,
  lines: Lines,
): Float64Array {
  const velocities = new Float64Array(3 * n);
  for (const { id, v, line } of rows) {
    const i = indexOf(id);
    if (i === undefined) lines.fail(`Velocities: no atom with id ${id}`, line);
    velocities.set(v, 3 * i);
  }
  return velocities;
}

function placeBonds(pairs: number[], indexOf: (id: number) => number | undefined, lines: Lines): Uint32Array {
  const bonds = new Uint32Array((pairs.length / 3) * 2);
  for (let k = 0; k < pairs.length; k += 3) {
    for (let e = 0; e < 2; e++) {
      const i = indexOf(pairs[k + e]!);
      if (i === undefined) lines.fail(`Bonds: no atom with id ${pairs[k + e]}`, pairs[k + 2]!);
      bonds[(k / 3) * 2 + e] = i;
    }
  }
  return bonds;
}

class LammpsDataReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount = 1;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly structure: Structure;

  constructor(private readonly source: ByteSource) {
    const { structure, warnings } = readData(source);
    this.structure = structure;
    this.warnings = warnings;
    this.atomCount = structure.numbers.length;
  }

  readFrame(i: number): Structure {
    if (i !== 0) throw new RangeError(`${this.source.name}: frame ${i} out of range (a data file has one frame)`);
    return this.structure;
  }

  close(): void {
    this.source.close?.();
  }
}

// ---------------------------------------------------------------------------------------
// Writing

/** The cell in LAMMPS's restricted form and the map that takes old Cartesian vectors to it. */
export interface RestrictedBox {
  /** Rows a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz). */
  cell: Float64Array;
  /** Row-vector map old -> new (r' = r · M), or null when the cell was already restricted. */
  rotation: Float64Array | null;
  /** True when c was flipped or tilts reduced: same lattice, other cell vectors. */
  latticeChanged: boolean;
}

const dot = (u: ArrayLike<number>, i: number, v: ArrayLike<number>, j: number): number =>
  u[i]! * v[j]! + u[i + 1]! * v[j + 1]! + u[i + 2]! * v[j + 2]!;

function determinant(m: Float64Array): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

function multiply3(p: Float64Array, q: Float64Array): Float64Array {
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++)
      out[3 * i + j] = p[3 * i]! * q[j]! + p[3 * i + 1]! * q[3 + j]! + p[3 * i + 2]! * q[6 + j]!;
  }
  return out;
}

/**
 * LAMMPS needs a along x, b in the xy plane, a right-handed cell, and (LAMMPS 2021)
 * |xy|, |xz| <= lx/2 and |yz| <= ly/2.
 */
export function restrictedBox(cell: Float64Array): RestrictedBox {
  const h = Float64Array.from(cell);
  let latticeChanged = false;
  if (determinant(h) < 0) {
    // -c spans the same lattice and makes the cell right-handed.
    for (let k = 6; k < 9; k++) h[k] = 0 - h[k]!; // 0 - x: no -0 in the written box
    latticeChanged = true;
  }
  const lx = Math.sqrt(dot(h, 0, h, 0));
  const xy = dot(h, 0, h, 3) / lx;
  const ly = Math.sqrt(Math.max(0, dot(h, 3, h, 3) - xy * xy));
  const xz = dot(h, 0, h, 6) / lx;
  const yz = (dot(h, 3, h, 6) - xy * xz) / ly;
  const lz = Math.sqrt(Math.max(0, dot(h, 6, h, 6) - xz * xz - yz * yz));
  const rotated = Float64Array.of(lx, 0, 0, xy, ly, 0, xz, yz, lz);
  const already = h[1] === 0 && h[2] === 0 && h[5] === 0 && h[0]! > 0 && h[4]! > 0 && h[8]! > 0;
  const rotation = already ? null : multiply3(invert3(h), rotated);
  const out = already ? h : rotated;
  latticeChanged = reduceTilts(out) || latticeChanged;
  return { cell: out, rotation, latticeChanged };
}

/** Adds lattice vectors to b and c until every tilt is within half a box length. */
function reduceTilts(h: Float64Array): boolean {
  const slack = 1 + 1e-10;
  let changed = false;
  const [lx, ly] = [h[0]!, h[4]!];
  if (Math.abs(h[7]!) > 0.5 * ly * slack) {
    const p = Math.round(h[7]! / ly);
    h[6] = h[6]! - p * h[3]!;
    h[7] = h[7]! - p * ly;
    changed = true;
  }
  if (Math.abs(h[6]!) > 0.5 * lx * slack) {
    h[6] = h[6]! - Math.round(h[6]! / lx) * lx;
    changed = true;
  }
  if (Math.abs(h[3]!) > 0.5 * lx * slack) {
    h[3] = h[3]! - Math.round(h[3]! / lx) * lx;
    changed = true;
  }
  return changed;
}

function numericArray(s: Structure, name: string): Float64Array | Int32Array | undefined {
  const a = s.arrays[name];
  return a instanceof Float64Array || a instanceof Int32Array ? a : undefined;
}

/** Types and their masses/elements: the structure's own `type` column, else one type per element. */
function typesForWriting(s: Structure): { types: Int32Array; masses: number[]; symbols: string[] } {
  const n = s.numbers.length;
  const given = numericArray(s, 'type');
  const perAtomMass = numericArray(s, 'mass');
  const types = new Int32Array(n);
  if (given && given.every((t) => Number.isInteger(t) && t >= 1)) {
    types.set(given);
  } else {
    const typeOfZ = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const z = s.numbers[i]!;
      if (!typeOfZ.has(z)) typeOfZ.set(z, typeOfZ.size + 1);
      types[i] = typeOfZ.get(z)!;
    }
  }
  const count = types.reduce((m, t) => Math.max(m, t), 0);
  const masses = new Array<number>(count).fill(NaN);
  const symbols = new Array<string>(count).fill('');
  for (let i = 0; i < n; i++) {
    const t = types[i]! - 1;
    if (!Number.isNaN(masses[t]!)) continue;
    const z = s.numbers[i]!;
    const m = perAtomMass?.[i];
    masses[t] = m !== undefined && m > 0 ? m : z > 0 ? standardMasses[z]! : 1;
    symbols[t] = z > 0 ? elementSymbol(z) : '';
  }
  // Types with no atoms still need a positive mass for LAMMPS.
  return { types, masses: masses.map((m) => (Number.isNaN(m) ? 1 : m)), symbols };
}

function chooseStyle(s: Structure): {
  style: 'atomic' | 'charge' | 'full';
  charge?: ArrayLike<number>;
  mol?: ArrayLike<number>;
} {
  const charge = numericArray(s, 'charge');
  const mol = numericArray(s, 'mol') ?? numericArray(s, 'resid');
  if (charge && mol) return { style: 'full', charge, mol };
  if (charge) return { style: 'charge', charge };
  return { style: 'atomic' };
}

function originOf(s: Structure): [number, number, number] {
  const o = s.info.cellOrigin;
  if (Array.isArray(o) && o.length === 3 && o.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [o[0] as number, o[1] as number, o[2] as number];
  }
  return [0, 0, 0];
}

/** Shortest text that reads back as the same double. */
const fmt = (v: number): string => (Object.is(v, -0) ? '0' : String(v));

const CHUNK_ATOMS = 65536;

function writeData(s: Structure, sink: ByteSink, options: WriteOptions): void {
  const n = s.numbers.length;
  if (!s.cell) throw new Error('LAMMPS data needs a cell: the structure has none (set a box first)');
  const box = restrictedBox(s.cell);
  const origin = originOf(s);
  const { types, masses, symbols } = typesForWriting(s);
  const { style, charge, mol } = chooseStyle(s);
  const ids = numericArray(s, 'id');
  const idOf = (i: number): number => (ids ? ids[i]! : i + 1);
  const image = s.arrays.image instanceof Int32Array && !box.latticeChanged ? s.arrays.image : undefined;
  const positions = box.rotation ? transform(s.positions, box.rotation, origin) : s.positions;
  const velocities = s.velocities && box.rotation ? transform(s.velocities, box.rotation, null) : s.velocities;

  const title = (options.title ?? (typeof s.info.title === 'string' ? s.info.title : '') ?? '').replace(
    /[\r\n]+/g,
    ' ',
  );
  const h = box.cell;
  const head = [
    title || 'LAMMPS data file written by Atomscope',
    '',
    `${n} atoms`,
    `${masses.length} atom types`,
    '',
    `${fmt(origin[0])} ${fmt(origin[0] + h[0]!)} xlo xhi`,
    `${fmt(origin[1])} ${fmt(origin[1] + h[4]!)} ylo yhi`,
    `${fmt(origin[2])} ${fmt(origin[2] + h[8]!)} zlo zhi`,
  ];
  if (h[3] !== 0 || h[6] !== 0 || h[7] !== 0) head.push(`${fmt(h[3]!)} ${fmt(h[6]!)} ${fmt(h[7]!)} xy xz yz`);
  head.push('', 'Masses', '');
  masses.forEach((m, t) => head.push(`${t + 1} ${fmt(m)}${symbols[t] ? ` # ${symbols[t]}` : ''}`));
  head.push('', `Atoms # ${style}`, '', '');
  sink.write(head.join('\n'));

  writeRows(sink, n, (i) => {
    const parts = [String(idOf(i))];
    if (style === 'full') parts.push(fmt(mol![i]!));
    parts.push(String(types[i]));
    if (charge) parts.push(fmt(charge[i]!));
    parts.push(fmt(positions[3 * i]!), fmt(positions[3 * i + 1]!), fmt(positions[3 * i + 2]!));
    if (image) parts.push(String(image[3 * i]), String(image[3 * i + 1]), String(image[3 * i + 2]));
    return parts.join(' ');
  });
  if (velocities) {
    sink.write('\nVelocities\n\n');
    writeRows(
      sink,
      n,
      (i) => `${idOf(i)} ${fmt(velocities[3 * i]!)} ${fmt(velocities[3 * i + 1]!)} ${fmt(velocities[3 * i + 2]!)}`,
    );
  }
}

function writeRows(sink: ByteSink, n: number, row: (i: number) => string): void {
  for (let start = 0; start < n; start += CHUNK_ATOMS) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + CHUNK_ATOMS); i++) lines.push(row(i));
    sink.write(lines.join('\n') + '\n');
  }
}

/** v' = (v - origin) · M + origin (origin null for velocities). */
function transform(v: Float64Array, m: Float64Array, origin: [number, number, number] | null): Float64Array {
  const out = new Float64Array(v.length);
  const [ox, oy, oz] = origin ?? [0, 0, 0];
  for (let k = 0; k < v.length; k += 3) {
    const x = v[k]! - ox;
    const y = v[k + 1]! - oy;
    const z = v[k + 2]! - oz;
    out[k] = ox + x * m[0]! + y * m[3]! + z * m[6]!;
    out[k + 1] = oy + x * m[1]! + y * m[4]! + z * m[7]!;
    out[k + 2] = oz + x * m[2]! + y * m[5]! + z * m[8]!;
  }
  return out;
}

// ---------------------------------------------------------------------------------------

/** "N atoms" on its own line among the first lines (line 1 is a free title). */
function sniff(head: Uint8Array): boolean {
  const lines = headText(head.subarray(0, 4096)).split('\n').slice(1, 40);
  return lines.some((l) => /^\s*\d+\s+atoms\s*(#.*)?\r?$/.test(l));
}

export const lammpsDataFormat: FormatSpec = {
  id: FORMAT,
  label: 'LAMMPS data',
  extensions: ['data', 'lmp'],
  sniff,
  binary: false,
  multiFrame: false,
  open: (source) => new LammpsDataReader(source),
  write: (frames, sink, options = {}) => {
    for (const s of frames) {
      writeData(s, sink, options);
      return;
    }
    throw new Error('LAMMPS data: nothing to write (no frames)');
  },
};
