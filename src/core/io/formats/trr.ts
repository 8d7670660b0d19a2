/**
 * GROMACS TRR reader: big-endian XDR frames of full-precision coordinates, velocities and
 * forces (each optional per frame), in float or double.
 *
 * Frame header: magic 1993, the version string ("GMX_trn_file" as an int length + 1 then an
 * XDR string), 13 ints (sizes of ir, e, box, vir, pres, top, sym, x, v, f in bytes, then
 * natoms, step, nre), then t and lambda as reals. Data follows in the order box, vir, pres,
 * x, v, f, each present when its size is non-zero (ir, e, top and sym are never written; like
 * GROMACS we ignore their sizes). The real size is not stored: like GROMACS we take it from the
 * first non-zero of box_size/9, x_size/3N, v_size/3N, f_size/3N.
 */
import type { Structure } from '../../model/structure.js';
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

const FORMAT = 'trr';
const TRR_MAGIC = 1993;
const NM_TO_ANGSTROM = 10;
/** nm/ps -> Å/ps. */
const NM_PER_PS_TO_ANGSTROM_PER_PS = 10;
/** 1 kJ/mol in eV: 1000 J / N_A / e (exact SI constants) = 0.010364269656262174. */
const KJ_PER_MOL_IN_EV = 1000 / (6.02214076e23 * 1.602176634e-19);
/** kJ/mol/nm -> eV/Å (1/nm = 0.1/Å). */
const KJ_PER_MOL_NM_TO_EV_PER_ANGSTROM = KJ_PER_MOL_IN_EV / NM_TO_ANGSTROM;
/** Longest version string we accept (GROMACS writes 12 characters); bounds the header read. */
const MAX_VERSION_LENGTH = 128;
/** Enough for any header: magic, slen, string length, the string, 13 ints, 2 doubles. */
const MAX_HEADER_BYTES = 12 + MAX_VERSION_LENGTH + 13 * 4 + 16;
const PROGRESS_EVERY_FRAMES = 16;

export const trrFormat: FormatSpec = {
  id: FORMAT,
  label: 'GROMACS TRR trajectory',
  extensions: ['trr'],
  binary: true,
  multiFrame: true,
  sniff: sniffTrr,
  open: (source, options) => new TrrReader(source, options),
};

/** Big-endian 1993 followed by a plausible version-string length. */
export function sniffTrr(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const view = viewOf(head);
  const slen = view.getInt32(4);
  return view.getInt32(0) === TRR_MAGIC && slen > 0 && slen <= MAX_VERSION_LENGTH + 1;
}

/** What a frame header says, checked against itself. Sizes in bytes. */
interface TrrHeader {
  headerBytes: number;
  /** 4 (float) or 8 (double). */
  real: number;
  boxSize: number;
  virSize: number;
  presSize: number;
  xSize: number;
  vSize: number;
  fSize: number;
  natoms: number;
  step: number;
  time: number;
  lambda: number;
  frameBytes: number;
}

class TrrReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions = {},
  ) {
    this.index =
      isUsableIndex(options.index, source.size) && options.index.offsets.length >= 2 && options.index.offsets[0] === 0
        ? options.index
        : buildIndex(source, options);
    this.frameCount = this.index.offsets.length - 1;
    this.warnings = [...this.index.warnings];
    // Also checks a reused index against the bytes it is applied to.
    const head = parseHeader(source.read(0, MAX_HEADER_BYTES), source.size, failer(source.name, 0, 0));
    if (!head) throw new ParseError(source.name, FORMAT, 'file too short for a TRR header', { frame: 0, offset: 0 });
    this.atomCount = head.natoms;
  }

  readFrame(i: number): Structure {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const start = this.index.offsets[i]!;
    const length = this.index.offsets[i + 1]! - start;
    const fail: Fail = failer(this.source.name, i, start);
    const bytes = this.source.read(start, length);
    if (bytes.length < length) fail('file is shorter than its frame index (changed since it was indexed?)');
    const h = parseHeader(bytes, this.source.size, fail);
    if (!h || h.frameBytes !== length) fail('frame size differs from the index (file changed?)');
    if (h.natoms !== this.atomCount) fail(`frame has ${h.natoms} atoms, frame 0 has ${this.atomCount}`);
    return frameFrom(viewOf(bytes), h);
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  close(): void {
    this.source.close?.();
  }
}

/** Builds the Structure of a frame whose bytes (header included) are in `view`. */
function frameFrom(view: DataView, h: TrrHeader): Structure {
  const n = h.natoms;
  let at = h.headerBytes;
  const box = h.boxSize ? readReals(view, at, 9, h.real, NM_TO_ANGSTROM) : null;
  at += h.boxSize + h.virSize + h.presSize;
  const info: Structure['info'] = { time: h.time, step: h.step, lambda: h.lambda };
  let positions: Float64Array;
  if (h.xSize) {
    positions = readReals(view, at, 3 * n, h.real, NM_TO_ANGSTROM);
  } else {
    // Velocity- or force-only frame (nstvout/nstfout not a multiple of nstxout): no positions.
    positions = new Float64Array(3 * n).fill(NaN);
    info.has_positions = false;
  }
  at += h.xSize;
  const s: Structure = {
    numbers: new Uint8Array(n),
    positions,
    cell: box && box.some((v) => v !== 0) ? box : null,
    pbc: [false, false, false],
    arrays: {},
    info,
  };
  if (s.cell) s.pbc = [true, true, true];
  if (h.vSize) s.velocities = readReals(view, at, 3 * n, h.real, NM_PER_PS_TO_ANGSTROM_PER_PS);
  at += h.vSize;
  if (h.fSize) s.forces = readReals(view, at, 3 * n, h.real, KJ_PER_MOL_NM_TO_EV_PER_ANGSTROM);
  return s;
}

/** `count` big-endian reals (4 or 8 bytes) from `at`, times `scale`. */
function readReals(view: DataView, at: number, count: number, real: number, scale: number): Float64Array {
  const out = new Float64Array(count);
  if (real === 4) {
    for (let k = 0; k < count; k++) out[k] = view.getFloat32(at + 4 * k) * scale;
  } else {
    for (let k = 0; k < count; k++) out[k] = view.getFloat64(at + 8 * k) * scale;
  }
  return out;
}

type Fail = (reason: string) => never;

function failer(file: string, frame: number, offset: number): Fail {
  return (reason) => {
    throw new ParseError(file, FORMAT, reason, { frame, offset });
  };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses and checks a frame header from the bytes at the frame start; null when `bytes` ends
 * before the header does (a cut file). `fileSize` bounds natoms: a real frame of N atoms
 * needs 12N bytes for any one of x, v, f, so N > size / 12 is a lie even in a frame without them.
 */
function parseHeader(bytes: Uint8Array, fileSize: number, fail: Fail): TrrHeader | null {
  if (bytes.length < 12) {
    if (bytes.length >= 4) checkMagic(viewOf(bytes).getInt32(0), fail);
    return null;
  }
  const view = viewOf(bytes);
  checkMagic(view.getInt32(0), fail);
  const stringLength = view.getInt32(8);
  if (stringLength < 0 || stringLength > MAX_VERSION_LENGTH) fail(`implausible version string length ${stringLength}`);
  const ints = 12 + roundUp4(stringLength);
  if (bytes.length < ints + 13 * 4) return null;
  // Words: ir, e, box, vir, pres, top, sym, x, v, f sizes, natoms, step, nre.
  const word = (k: number): number => view.getInt32(ints + 4 * k);
  const boxSize = word(2);
  const virSize = word(3);
  const presSize = word(4);
  const xSize = word(7);
  const vSize = word(8);
  const fSize = word(9);
  const natoms = word(10);
  const step = word(11);
  if (natoms < 0 || natoms * 12 > fileSize) fail(`implausible atom count ${natoms} for a file of ${fileSize} bytes`);
  const real = realSize(boxSize, xSize, vSize, fSize, natoms, fail);
  const expect = (name: string, size: number, want: number): void => {
    if (size !== 0 && size !== want)
      fail(`${name} size ${size} does not match ${want} (natoms ${natoms}, real ${real})`);
  };
  expect('box', boxSize, 9 * real);
  expect('virial', virSize, 9 * real);
  expect('pressure', presSize, 9 * real);
  expect('x', xSize, 3 * natoms * real);
  expect('v', vSize, 3 * natoms * real);
  expect('f', fSize, 3 * natoms * real);
  const headerBytes = ints + 13 * 4 + 2 * real;
  if (bytes.length < headerBytes) return null;
  const readReal = (at: number): number => (real === 4 ? view.getFloat32(at) : view.getFloat64(at));
  return {
    headerBytes,
    real,
    boxSize,
    virSize,
    presSize,
    xSize,
    vSize,
    fSize,
    natoms,
    step,
    time: readReal(ints + 13 * 4),
    lambda: readReal(ints + 13 * 4 + real),
    frameBytes: headerBytes + boxSize + virSize + presSize + xSize + vSize + fSize,
  };
}

function checkMagic(magic: number, fail: Fail): void {
  if (magic !== TRR_MAGIC) fail(`bad magic ${magic}, expected ${TRR_MAGIC}: not a TRR frame`);
}

/** Float or double, from the first non-zero of box_size/9, x_size/3N, v_size/3N, f_size/3N. */
function realSize(boxSize: number, xSize: number, vSize: number, fSize: number, natoms: number, fail: Fail): number {
  let real: number;
  if (boxSize) real = boxSize / 9;
  else if (xSize) real = xSize / (3 * natoms);
  else if (vSize) real = vSize / (3 * natoms);
  else if (fSize) real = fSize / (3 * natoms);
  else return fail('frame has no box, x, v or f: cannot tell float from double');
  if (real !== 4 && real !== 8) fail(`cannot tell float from double: ${real} bytes per real`);
  return real;
}

function roundUp4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

/**
 * One pass over the frame headers. A frame running past the end of the file ends the index
 * with a warning; so does a corrupt header after at least one good frame.
 */
function buildIndex(source: ByteSource, options: OpenOptions): FrameIndex {
  const name = source.name;
  if (source.size === 0) throw new ParseError(name, FORMAT, 'empty file', { offset: 0 });
  const offsets: number[] = [0];
  const warnings: string[] = [];
  let natoms0 = -1;
  let withoutX = 0;
  let offset = 0;
  for (let frame = 0; offset < source.size; frame++) {
    if (frame % PROGRESS_EVERY_FRAMES === 0) {
      if (options.isCancelled?.()) throw new AbortError();
      options.onProgress?.(offset / source.size, `indexing frame ${frame}`);
    }
    const fail = failer(name, frame, offset);
    let h: TrrHeader | null;
    try {
      h = parseHeader(source.read(offset, MAX_HEADER_BYTES), source.size, fail);
      if (h && natoms0 >= 0 && h.natoms !== natoms0) fail(`frame has ${h.natoms} atoms, frame 0 has ${natoms0}`);
    } catch (e) {
      if (frame === 0 || !(e instanceof ParseError)) throw e;
      warnings.push(`${e.message}; the file is damaged from here, ${frame} complete frames kept`);
      break;
    }
    if (!h || offset + h.frameBytes > source.size) {
      const reason = `truncated in frame ${frame} at byte ${offset} (file size ${source.size})`;
      if (frame === 0) fail(`${reason}: no complete frame`);
      warnings.push(`${name}: ${reason}; ${frame} complete frames kept`);
      break;
    }
    natoms0 = h.natoms;
    if (!h.xSize) withoutX++;
    offset += h.frameBytes;
    offsets.push(offset);
  }
  if (withoutX > 0) {
    warnings.push(`${name}: ${withoutX} of ${offsets.length - 1} frames carry no coordinates; their positions are NaN`);
  }
  options.onProgress?.(1, `indexed ${offsets.length - 1} frames`);
  return { offsets: Float64Array.from(offsets), warnings };
}
