/**
 * CHARMM/NAMD/X-PLOR DCD reader: Fortran unformatted records (a byte-count marker before and
 * after each record; 4-byte markers, or 8-byte ones from old gfortran), in either endianness.
 *
 * Records: header (84 bytes: 'CORD' and 20 ints: NSET, ISTART, NSAVC, ..., NAMNF at 8, DELTA
 * at 9, unit-cell flag at 10, 4D flag at 11, CHARMM version at 19), titles (NTITLE then
 * NTITLE x 80 characters), natoms; then per frame an optional unit-cell record (6 doubles)
 * and the X, Y and Z records (float32, Å). Every frame has the same size, so the frame index
 * is arithmetic and opening costs three small reads.
 *
 * DCD carries no elements: atomic numbers are 0 until a topology is paired with it.
 */
import { cellFromParameters } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';
import { ParseError } from '../errors.js';
import { AbortError, type FormatSpec, type FrameIndex, type OpenOptions, type TrajectoryReader } from '../format.js';
import type { ByteSource } from '../source.js';

const FORMAT = 'dcd';
const HEADER_RECORD_BYTES = 84;
const CELL_RECORD_BYTES = 48;
/** One AKMA time unit (CHARMM's DELTA) in ps. */
const AKMA_TIME_PS = 0.04888821;

export const dcdFormat: FormatSpec = {
  id: FORMAT,
  label: 'CHARMM/NAMD DCD trajectory',
  extensions: ['dcd'],
  binary: true,
  multiFrame: true,
  sniff: sniffDcd,
  open: (source, options) => new DcdReader(source, options),
};

/** Byte order and record-marker width, read off the first record. */
interface Layout {
  littleEndian: boolean;
  /** 4, or 8 for 64-bit record markers. */
  marker: number;
}

/** A first record of 84 bytes starting with 'CORD', with 4- or 8-byte markers of either byte order. */
export function sniffDcd(head: Uint8Array): boolean {
  return detectLayout(head) !== null;
}

function detectLayout(head: Uint8Array): Layout | null {
  const view = viewOf(head);
  for (const marker of [4, 8]) {
    if (head.length < marker + 4 || !isCord(head, marker)) continue;
    for (const littleEndian of [true, false]) {
      if (readMarker(view, 0, { littleEndian, marker }) === HEADER_RECORD_BYTES) return { littleEndian, marker };
    }
  }
  return null;
}

function isCord(head: Uint8Array, at: number): boolean {
  return head[at] === 0x43 && head[at + 1] === 0x4f && head[at + 2] === 0x52 && head[at + 3] === 0x44;
}

/** A record marker as a number (8-byte markers are read as two 32-bit halves). */
function readMarker(view: DataView, at: number, layout: Layout): number {
  if (layout.marker === 4) return view.getInt32(at, layout.littleEndian);
  const first = view.getUint32(at, layout.littleEndian);
  const second = view.getInt32(at + 4, layout.littleEndian);
  return layout.littleEndian ? second * 2 ** 32 + first : first * 2 ** 32 + (second >>> 0);
}

/** What the header records say, and where frames live. */
interface DcdHeader {
  layout: Layout;
  natoms: number;
  /** Frame count the header claims (NSET); the file size decides. */
  nset: number;
  istart: number;
  nsavc: number;
  /** Time step in ps (DELTA in AKMA units), or NaN when the header has none. */
  deltaPs: number;
  hasCell: boolean;
  has4D: boolean;
  firstFrame: number;
  frameBytes: number;
}

class DcdReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly header: DcdHeader;
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions = {},
  ) {
    if (options.isCancelled?.()) throw new AbortError();
    this.header = readHeader(source);
    this.index = fitsHeader(options.index, this.header, source) ? options.index : frameIndex(source, this.header);
    options.onProgress?.(1, `indexed ${this.index.offsets.length - 1} frames`);
    this.frameCount = this.index.offsets.length - 1;
    this.atomCount = this.header.natoms;
    this.warnings = [...this.index.warnings];
  }

  readFrame(i: number): Structure {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const h = this.header;
    const start = this.index.offsets[i]!;
    const bytes = this.source.read(start, h.frameBytes);
    const fail = (reason: string, at: number): never => {
      throw new ParseError(this.source.name, FORMAT, reason, { frame: i, offset: start + at });
    };
    if (bytes.length < h.frameBytes) fail('file is shorter than its frame index (changed since it was indexed?)', 0);
    const view = viewOf(bytes);
    const m = h.layout.marker;
    const le = h.layout.littleEndian;
    let at = 0;
    const record = (length: number, what: string): number => {
      const begin = readMarker(view, at, h.layout);
      const end = readMarker(view, at + m + length, h.layout);
      if (begin !== length || end !== length) fail(`${what} record is ${begin}/${end} bytes, expected ${length}`, at);
      const body = at + m;
      at += length + 2 * m;
      return body;
    };
    let cell: Float64Array | null = null;
    if (h.hasCell) cell = unitCell(view, record(CELL_RECORD_BYTES, 'unit-cell'), le);
    const n = h.natoms;
    const positions = new Float64Array(3 * n);
    for (let d = 0; d < 3; d++) {
      const body = record(4 * n, 'XYZ'[d]!);
      for (let k = 0; k < n; k++) positions[3 * k + d] = view.getFloat32(body + 4 * k, le);
    }
    const step = h.istart + i * h.nsavc;
    const info: Structure['info'] = { step };
    if (Number.isFinite(h.deltaPs)) info.time = step * h.deltaPs;
    return {
      numbers: new Uint8Array(n),
      positions,
      cell,
      pbc: cell ? [true, true, true] : [false, false, false],
      arrays: {},
      info,
    };
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  close(): void {
    this.source.close?.();
  }
}

/**
 * The unit-cell record: a, gamma, b, beta, alpha, c. Angles come in degrees, or (CHARMM, NAMD
 * >= 2.5, mdtraj) as cosines: when all three lie in [-1, 1] they are taken as cosines.
 */
function unitCell(view: DataView, at: number, le: boolean): Float64Array | null {
  const value = (k: number): number => view.getFloat64(at + 8 * k, le);
  const a = value(0);
  const gamma = value(1);
  const b = value(2);
  const beta = value(3);
  const alpha = value(4);
  const c = value(5);
  if (a === 0 && b === 0 && c === 0) return null;
  const cosines = [alpha, beta, gamma].every((v) => v >= -1 && v <= 1);
  const degrees = (v: number): number => (!cosines ? v : v === 0 ? 90 : (Math.acos(v) * 180) / Math.PI);
  return cellFromParameters(a, b, c, degrees(alpha), degrees(beta), degrees(gamma));
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads the header, title and natoms records; every count is checked against the file size. */
function readHeader(source: ByteSource): DcdHeader {
  const fail = (reason: string, offset: number): never => {
    throw new ParseError(source.name, FORMAT, reason, { offset });
  };
  if (source.size === 0) fail('empty file', 0);
  const layout = detectLayout(source.read(0, 12)) ?? fail("not a DCD file: no 84-byte 'CORD' record at the start", 0);
  const m = layout.marker;
  const le = layout.littleEndian;
  // Reads one record at `offset`: its body, after checking both markers.
  const record = (offset: number, what: string, expected?: number): { body: DataView; next: number } => {
    const head = viewOf(source.read(offset, m));
    if (head.byteLength < m) fail(`file ends before the ${what} record`, offset);
    const length = readMarker(head, 0, layout);
    if (length < 0 || offset + length + 2 * m > source.size)
      fail(`${what} record of ${length} bytes passes the end`, offset);
    if (expected !== undefined && length !== expected)
      fail(`${what} record is ${length} bytes, expected ${expected}`, offset);
    const bytes = source.read(offset, length + 2 * m);
    const view = viewOf(bytes);
    if (readMarker(view, m + length, layout) !== length) fail(`${what} record markers disagree`, offset);
    return { body: new DataView(bytes.buffer, bytes.byteOffset + m, length), next: offset + length + 2 * m };
  };
  const hdr = record(0, 'header', HEADER_RECORD_BYTES);
  const icntrl = (k: number): number => hdr.body.getInt32(4 + 4 * k, le);
  const charmm = icntrl(19) !== 0;
  const titles = record(hdr.next, 'title');
  const atoms = record(titles.next, 'atom count', 4);
  const natoms = atoms.body.getInt32(0, le);
  if (natoms <= 0 || natoms * 12 > source.size) fail(`implausible atom count ${natoms}`, titles.next);
  const namnf = icntrl(8);
  if (namnf !== 0) {
    fail(`fixed atoms (NAMNF = ${namnf}) are not supported: write the DCD without fixed atoms`, m + 4 + 4 * 8);
  }
  const hasCell = charmm && icntrl(10) !== 0;
  const has4D = charmm && icntrl(11) !== 0;
  // CHARMM stores DELTA as a float in word 9, X-PLOR as a double in words 9-10.
  const delta = charmm ? hdr.body.getFloat32(4 + 4 * 9, le) : hdr.body.getFloat64(4 + 4 * 9, le);
  const coordinateRecord = 4 * natoms + 2 * m;
  return {
    layout,
    natoms,
    nset: icntrl(0),
    istart: icntrl(1),
    nsavc: icntrl(2) || 1,
    deltaPs: delta > 0 && Number.isFinite(delta) ? delta * AKMA_TIME_PS : NaN,
    hasCell,
    has4D,
    firstFrame: atoms.next,
    frameBytes: (hasCell ? CELL_RECORD_BYTES + 2 * m : 0) + (has4D ? 4 : 3) * coordinateRecord,
  };
}

/** Frames are all the same size: the index is arithmetic. A partial last frame is a cut. */
function frameIndex(source: ByteSource, h: DcdHeader): FrameIndex {
  const name = source.name;
  const room = source.size - h.firstFrame;
  const count = Math.floor(room / h.frameBytes);
  const partial = room - count * h.frameBytes;
  const warnings: string[] = [];
  const cutAt = h.firstFrame + count * h.frameBytes;
  const cut = `truncated in frame ${count} at byte ${cutAt} (file size ${source.size})`;
  if (count === 0) {
    throw new ParseError(name, FORMAT, partial > 0 ? `${cut}: no complete frame` : 'no frames after the header', {
      frame: 0,
      offset: cutAt,
    });
  }
  if (partial > 0) warnings.push(`${name}: ${cut}; ${count} complete frames kept`);
  else if (h.nset > count) warnings.push(`${name}: header promises ${h.nset} frames, the file holds ${count}`);
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i <= count; i++) offsets[i] = h.firstFrame + i * h.frameBytes;
  return { offsets, warnings };
}

/** A given index is used only when it is exactly the arithmetic one for this header and size. */
function fitsHeader(index: FrameIndex | undefined, h: DcdHeader, source: ByteSource): index is FrameIndex {
  if (!index || index.offsets.length < 2) return false;
  const o = index.offsets;
  const last = o[o.length - 1]!;
  return o[0] === h.firstFrame && last <= source.size && o.every((v, i) => v === h.firstFrame + i * h.frameBytes);
}
