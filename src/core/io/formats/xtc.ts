/**
 * GROMACS XTC reader: big-endian XDR frames of lossy-compressed coordinates in nm.
 *
 * Frame layout: magic 1995, natoms, step, time (float), box (3x3 floats, row vectors), natoms
 * again, then either 3*natoms raw floats (natoms <= 9) or precision, minint[3], maxint[3],
 * smallidx, a byte count and that many packed bytes padded to 4. The packed bits follow
 * xdr3dfcoord from GROMACS' libxdrf (mirrored in the xdrfile.c that MDAnalysis and mdtraj
 * ship). The decoder reproduces its float32 arithmetic, so positions are GROMACS' float32 nm
 * values exactly, then scaled to Å in double precision.
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

const FORMAT = 'xtc';
const XTC_MAGIC = 1995;
/** GROMACS 2023+ writes this magic (64-bit byte counts) for systems too big for 1995 (~300 M atoms). */
const XTC_MAGIC_64 = 2023;
const NM_TO_ANGSTROM = 10;
/** magic, natoms, step, time, box[9], natoms: every frame starts with these 14 words. */
const HEADER_BYTES = 56;
/** Plus precision, minint[3], maxint[3], smallidx and the byte count of compressed frames. */
const PACKED_HEADER_BYTES = 92;
/** Up to this many atoms GROMACS writes plain floats instead of compressing. */
const MAX_UNCOMPRESSED_ATOMS = 9;
/**
 * A packed atom takes at least 2 bits (a 1-bit coordinate triple plus the run flag), so a
 * header claiming more than 4 atoms per packed byte is lying; checked before any allocation.
 */
const MAX_ATOMS_PER_PACKED_BYTE = 4;
/** Zero bytes after the packed data so the bit reader may look ahead without bounds checks. */
const BIT_READER_SLACK = 128;
/** Header reads while indexing come from blocks of this size (fewer syscalls on small frames). */
const INDEX_BLOCK = 1 << 18;
const PROGRESS_EVERY_FRAMES = 64;

/** Table of xdr3dfcoord: magicints[i]^3 fits in i bits; small deltas are coded in magicints[smallidx]. */
// prettier-ignore
const MAGICINTS = Int32Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406, 512,
  645, 812, 1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642, 26007, 32768,
  41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280, 416127, 524287, 660561, 832255,
  1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607, 10568983, 13316085,
  16777216,
);
const FIRSTIDX = 9;
const LASTIDX = MAGICINTS.length;

export const xtcFormat: FormatSpec = {
  id: FORMAT,
  label: 'GROMACS XTC trajectory',
  extensions: ['xtc'],
  binary: true,
  multiFrame: true,
  sniff: sniffXtc,
  open: (source, options) => new XtcReader(source, options),
};

/** Magic 1995 (or the 64-bit 2023, so that open() can explain it) and natoms repeated at word 13. */
export function sniffXtc(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const view = viewOf(head);
  const magic = view.getInt32(0);
  if (magic !== XTC_MAGIC && magic !== XTC_MAGIC_64) return false;
  const natoms = view.getInt32(4);
  if (natoms < 0) return false;
  return head.length < HEADER_BYTES || view.getInt32(52) === natoms;
}

class XtcReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;
  private readonly unpacker = new Unpacker();

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
    const head = source.read(0, HEADER_BYTES);
    const fail = failer(source.name, 0, 0);
    if (head.length < HEADER_BYTES) fail('file too short for an XTC header');
    this.atomCount = checkHeader(viewOf(head), fail);
  }

  readFrame(i: number): Structure {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const start = this.index.offsets[i]!;
    const length = this.index.offsets[i + 1]! - start;
    const bytes = this.source.read(start, length);
    const fail = failer(this.source.name, i, start);
    if (bytes.length < length) fail('file is shorter than its frame index (changed since it was indexed?)');
    if (length < HEADER_BYTES) fail('frame index does not fit this file');
    const view = viewOf(bytes);
    const natoms = checkHeader(view, fail);
    if (natoms !== this.atomCount) fail(`frame has ${natoms} atoms, frame 0 has ${this.atomCount}`);
    if (frameBytes(view, fail) !== length) fail('frame size differs from the index (file changed?)');
    const positions = new Float64Array(3 * natoms);
    const info: Structure['info'] = { time: view.getFloat32(12), step: view.getInt32(8) };
    if (natoms <= MAX_UNCOMPRESSED_ATOMS) {
      for (let k = 0; k < 3 * natoms; k++) positions[k] = view.getFloat32(HEADER_BYTES + 4 * k) * NM_TO_ANGSTROM;
    } else {
      info.precision = this.unpacker.unpack(bytes, natoms, positions, fail);
    }
    const cell = readBox(view);
    return {
      numbers: new Uint8Array(natoms),
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

/** Box rows in Å, or null when GROMACS wrote an all-zero box (no periodicity). */
function readBox(view: DataView): Float64Array | null {
  const cell = new Float64Array(9);
  let any = false;
  for (let k = 0; k < 9; k++) {
    cell[k] = view.getFloat32(16 + 4 * k) * NM_TO_ANGSTROM;
    if (cell[k] !== 0) any = true;
  }
  return any ? cell : null;
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

/** Validates magic and the two natoms words of a header (>= 56 bytes); returns natoms. */
function checkHeader(view: DataView, fail: Fail): number {
  const magic = view.getInt32(0);
  if (magic === XTC_MAGIC_64) {
    fail(
      'this is a 64-bit XTC (magic 2023, written by GROMACS 2023+ for very large systems); ' +
        'it is not supported yet: convert it with gmx trjconv to TRR or a smaller selection',
    );
  }
  if (magic !== XTC_MAGIC) fail(`bad magic ${magic}, expected ${XTC_MAGIC}: not an XTC frame`);
  const natoms = view.getInt32(4);
  if (natoms < 0) fail(`negative atom count ${natoms}`);
  const again = view.getInt32(52);
  if (again !== natoms) fail(`atom count ${natoms} in the header but ${again} before the coordinates`);
  return natoms;
}

/**
 * Bytes the frame occupies, from its header (56 bytes when uncompressed, else 92), or -1 when
 * `view` is too short to tell. Rejects counts that cannot fit the data they describe.
 */
function frameBytes(view: DataView, fail: Fail): number {
  const natoms = view.getInt32(4);
  if (natoms <= MAX_UNCOMPRESSED_ATOMS) return HEADER_BYTES + 12 * natoms;
  if (view.byteLength < PACKED_HEADER_BYTES) return -1;
  const byteCount = view.getInt32(88);
  if (byteCount < 0) fail(`negative compressed byte count ${byteCount}`);
  if (natoms > MAX_ATOMS_PER_PACKED_BYTE * byteCount) {
    fail(`header claims ${natoms} atoms in ${byteCount} compressed bytes, which cannot hold them`);
  }
  return PACKED_HEADER_BYTES + roundUp4(byteCount);
}

function roundUp4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

/**
 * One pass over the headers, reading only header words and byte counts (no decompression).
 * A frame running past the end of the file ends the index with a warning; so does a corrupt
 * header after at least one good frame, so that the good part of a damaged file stays usable.
 */
function buildIndex(source: ByteSource, options: OpenOptions): FrameIndex {
  const name = source.name;
  if (source.size === 0) throw new ParseError(name, FORMAT, 'empty file', { offset: 0 });
  const blocks = new BlockReader(source);
  const offsets: number[] = [0];
  const warnings: string[] = [];
  let natoms0 = -1;
  let offset = 0;
  for (let frame = 0; offset < source.size; frame++) {
    if (frame % PROGRESS_EVERY_FRAMES === 0) reportProgress(options, offset, source.size, frame);
    const fail = failer(name, frame, offset);
    const head = blocks.read(offset, PACKED_HEADER_BYTES);
    let size = -1;
    try {
      if (head.length >= HEADER_BYTES) {
        const view = viewOf(head);
        const natoms = checkHeader(view, fail);
        if (natoms0 >= 0 && natoms !== natoms0) fail(`frame has ${natoms} atoms, frame 0 has ${natoms0}`);
        natoms0 = natoms;
        size = frameBytes(view, fail);
      } else if (head.length >= 4) {
        checkMagicOnly(viewOf(head), fail);
      }
    } catch (e) {
      if (frame === 0 || !(e instanceof ParseError)) throw e;
      warnings.push(`${e.message}; the file is damaged from here, ${frame} complete frames kept`);
      break;
    }
    if (size < 0 || offset + size > source.size) {
      const reason = `truncated in frame ${frame} at byte ${offset} (file size ${source.size})`;
      if (frame === 0) fail(`${reason}: no complete frame`);
      warnings.push(`${name}: ${reason}; ${frame} complete frames kept`);
      break;
    }
    offset += size;
    offsets.push(offset);
  }
  options.onProgress?.(1, `indexed ${offsets.length - 1} frames`);
  return { offsets: Float64Array.from(offsets), warnings };
}

function checkMagicOnly(view: DataView, fail: Fail): void {
  const magic = view.getInt32(0);
  if (magic !== XTC_MAGIC && magic !== XTC_MAGIC_64) fail(`bad magic ${magic}, expected ${XTC_MAGIC}`);
}

function reportProgress(options: OpenOptions, offset: number, size: number, frame: number): void {
  if (options.isCancelled?.()) throw new AbortError();
  options.onProgress?.(offset / size, `indexing frame ${frame}`);
}

/**
 * Hands out header bytes from large blocks so that indexing a file of small frames costs one
 * read per block, while a file of big frames costs one small read per frame.
 */
class BlockReader {
  private block: Uint8Array = new Uint8Array(0);
  private start = 0;
  private lastOffset = 0;

  constructor(private readonly source: ByteSource) {}

  read(offset: number, length: number): Uint8Array {
    const stride = offset - this.lastOffset;
    this.lastOffset = offset;
    const end = offset + length;
    if (offset >= this.start && end <= this.start + this.block.length) {
      return this.block.subarray(offset - this.start, end - this.start);
    }
    // Read ahead only when several frames fit in a block; big frames get just their header.
    const want = stride > 0 && stride * 4 <= INDEX_BLOCK ? INDEX_BLOCK : length;
    this.block = this.source.read(offset, want);
    this.start = offset;
    return this.block.subarray(0, Math.min(length, this.block.length));
  }
}

/** The words between the frame header and the packed bytes, checked. */
interface PackedHeader {
  precision: number;
  min0: number;
  min1: number;
  min2: number;
  size0: number;
  size1: number;
  size2: number;
  /** Bits of a packed large triple, or 0 when each coordinate has its own width (bits0..2). */
  bitsize: number;
  bits0: number;
  bits1: number;
  bits2: number;
  smallidx: number;
  byteCount: number;
}

function readPackedHeader(view: DataView, fail: Fail): PackedHeader {
  const precision = view.getFloat32(56);
  if (!(precision > 0) || !Number.isFinite(precision)) fail(`invalid precision ${precision}`);
  const min0 = view.getInt32(60);
  const min1 = view.getInt32(64);
  const min2 = view.getInt32(68);
  const size0 = view.getInt32(72) - min0 + 1;
  const size1 = view.getInt32(76) - min1 + 1;
  const size2 = view.getInt32(80) - min2 + 1;
  for (const s of [size0, size1, size2]) if (s < 1 || s > 2 ** 31) fail(`invalid coordinate range (size ${s})`);
  const smallidx = view.getInt32(84);
  if (smallidx < FIRSTIDX || smallidx >= LASTIDX) fail(`invalid small-integer index ${smallidx}`);
  // Ranges past 2^24 are packed one coordinate at a time, else the triple as one number.
  const separate = Math.max(size0, size1, size2) > 0xffffff;
  return {
    precision,
    min0,
    min1,
    min2,
    size0,
    size1,
    size2,
    bitsize: separate ? 0 : bitLength(BigInt(size0) * BigInt(size1) * BigInt(size2)),
    bits0: bitLength(BigInt(size0)),
    bits1: bitLength(BigInt(size1)),
    bits2: bitLength(BigInt(size2)),
    smallidx,
    byteCount: view.getInt32(88),
  };
}

/**
 * The xdr3dfcoord decoder. Keeps its zero-padded copy of the packed bytes between frames so
 * that reading a trajectory allocates only the output arrays.
 */
class Unpacker {
  private cursor = new BitReader(new Uint8Array(BIT_READER_SLACK));

  /** Decodes the packed coordinates of a frame into `out` (Å); returns the frame's precision. */
  unpack(frame: Uint8Array, natoms: number, out: Float64Array, fail: Fail): number {
    const header = readPackedHeader(viewOf(frame), fail);
    const packed = frame.subarray(PACKED_HEADER_BYTES, PACKED_HEADER_BYTES + header.byteCount);
    if (this.cursor.data.length < packed.length + BIT_READER_SLACK) {
      this.cursor = new BitReader(new Uint8Array(packed.length + (packed.length >> 2) + BIT_READER_SLACK));
    }
    const data = this.cursor.data;
    data.set(packed, 0);
    data.fill(0, packed.length, packed.length + BIT_READER_SLACK);
    decodeAtoms(data, header, natoms, out, fail, this.cursor);
    return header.precision;
  }
}

/**
 * The decoding loop. The bit cursor lives in three locals (pos, acc, count) that V8 keeps in
 * registers, which makes this 1.5x faster than calling a reader object; so the common reads
 * (a large triple in <= 48 bits, a small triple in <= 24 bits, the run flag) are written out
 * in place with the refill idiom `while (count < n) acc = (acc << 8) | data[pos++]`. Wider
 * reads (only with unusual ranges or precisions) hand the cursor to a BitReader and take it
 * back. `data` has BIT_READER_SLACK zero bytes after the packed ones, and the position is
 * checked once per large atom, so a corrupt stream stops with a ParseError, never reads
 * out of bounds and never loops: every iteration consumes at least one atom.
 */
function decodeAtoms(
  data: Uint8Array,
  h: PackedHeader,
  natoms: number,
  out: Float64Array,
  fail: Fail,
  cursor: BitReader,
): void {
  const { byteCount, min0, min1, min2, size0, size1, size2, bitsize } = h;
  const largeInPlace = bitsize > 0 && bitsize <= 48;
  const lowBits = Math.min(bitsize, 24);
  const highBits = bitsize - lowBits;
  // The float32 product GROMACS computes (int * (float)(1/precision)), widened afterwards.
  const inv = Math.fround(1 / h.precision);
  const triple = cursor.triple;
  let pos = 0;
  let acc = 0;
  let count = 0;
  let smallidx = h.smallidx;
  let sizesmall = MAGICINTS[smallidx]!;
  let smallnum = sizesmall >> 1;
  let run = 0;
  let i = 0;
  let o = 0;
  while (i < natoms) {
    if (pos > byteCount) fail(`compressed data runs past its ${byteCount} bytes at atom ${i}`);
    let x: number;
    let y: number;
    let z: number;
    if (largeInPlace) {
      while (count < lowBits) {
        acc = (acc << 8) | data[pos++]!;
        count += 8;
      }
      count -= lowBits;
      const low = (acc >>> count) & ((1 << lowBits) - 1);
      // Three whole chunks (the usual case) reverse as bytes.
      let n = lowBits === 24 ? (low >>> 16) | (low & 0xff00) | ((low & 0xff) << 16) : fromChunks(low, lowBits);
      if (highBits > 0) {
        while (count < highBits) {
          acc = (acc << 8) | data[pos++]!;
          count += 8;
        }
        count -= highBits;
        n += fromChunks((acc >>> count) & ((1 << highBits) - 1), highBits) * 0x1000000;
      }
      const q = Math.floor(n / size2); // exact: n < 2^48
      z = n - q * size2;
      x = Math.floor(q / size1);
      y = q - x * size1;
      if (x >= size0) fail(`corrupt compressed coordinates at atom ${i}`);
    } else {
      cursor.seek(pos, acc, count);
      if (!cursor.largeTriple(h, triple)) fail(`corrupt compressed coordinates at atom ${i}`);
      pos = cursor.pos;
      acc = cursor.acc;
      count = cursor.count;
      x = triple[0]!;
      y = triple[1]!;
      z = triple[2]!;
    }
    x += min0;
    y += min1;
    z += min2;
    i++;
    // A set flag announces a new run length (5 bits: 3 * atoms + 1 + change of smallidx);
    // a clear one repeats the previous run length.
    let isSmaller = 0;
    if (count < 1) {
      acc = (acc << 8) | data[pos++]!;
      count += 8;
    }
    count -= 1;
    if (((acc >>> count) & 1) === 1) {
      while (count < 5) {
        acc = (acc << 8) | data[pos++]!;
        count += 8;
      }
      count -= 5;
      run = (acc >>> count) & 31;
      isSmaller = run % 3;
      run -= isSmaller;
      isSmaller--;
    }
    if (run > 0) {
      if (i + run / 3 > natoms) fail(`compressed run of ${run / 3} atoms passes atom count ${natoms}`);
      for (let k = 0; k < run; k += 3) {
        // Small atoms are deltas from the previous atom, offset by half their range.
        let dx: number;
        let dy: number;
        let dz: number;
        if (smallidx <= 24) {
          while (count < smallidx) {
            acc = (acc << 8) | data[pos++]!;
            count += 8;
          }
          count -= smallidx;
          const n = fromChunks((acc >>> count) & ((1 << smallidx) - 1), smallidx);
          const q = Math.floor(n / sizesmall);
          dz = n - q * sizesmall;
          dx = Math.floor(q / sizesmall);
          dy = q - dx * sizesmall;
        } else {
          cursor.seek(pos, acc, count);
          cursor.ints3(smallidx, 2 ** 32, sizesmall, sizesmall, triple);
          pos = cursor.pos;
          acc = cursor.acc;
          count = cursor.count;
          dx = triple[0]!;
          dy = triple[1]!;
          dz = triple[2]!;
        }
        const sx = x + dx - smallnum;
        const sy = y + dy - smallnum;
        const sz = z + dz - smallnum;
        out[o++] = Math.fround(sx * inv) * NM_TO_ANGSTROM;
        out[o++] = Math.fround(sy * inv) * NM_TO_ANGSTROM;
        out[o++] = Math.fround(sz * inv) * NM_TO_ANGSTROM;
        if (k === 0) {
          // The writer swapped the first two atoms of a run (for water, H before O packs
          // better): the large atom comes out second.
          out[o++] = Math.fround(x * inv) * NM_TO_ANGSTROM;
          out[o++] = Math.fround(y * inv) * NM_TO_ANGSTROM;
          out[o++] = Math.fround(z * inv) * NM_TO_ANGSTROM;
        }
        x = sx;
        y = sy;
        z = sz;
        i++;
      }
    } else {
      out[o++] = Math.fround(x * inv) * NM_TO_ANGSTROM;
      out[o++] = Math.fround(y * inv) * NM_TO_ANGSTROM;
      out[o++] = Math.fround(z * inv) * NM_TO_ANGSTROM;
    }
    // The small-delta width follows the data up and down, never below the 9th magic integer.
    smallidx += isSmaller;
    if (smallidx < FIRSTIDX || smallidx >= LASTIDX) fail(`small-integer index ${smallidx} out of range at atom ${i}`);
    sizesmall = MAGICINTS[smallidx]!;
    smallnum = sizesmall >> 1;
  }
  if (pos > byteCount) fail(`compressed data runs past its ${byteCount} bytes`);
}

/**
 * A number packed as 8-bit chunks, least significant chunk first, the last chunk holding the
 * remaining n % 8 bits (receiveints' order), from its n <= 24 bits read in stream order.
 */
function fromChunks(v: number, n: number): number {
  if (n <= 8) return v;
  const rest = n - 8;
  const low = v >>> rest;
  if (n <= 16) return low | ((v & ((1 << rest) - 1)) << 8);
  const top = n - 16;
  return low | (((v >>> top) & 255) << 8) | ((v & ((1 << top) - 1)) << 16);
}

/** Number of bits needed to write `n` (sizeofint / sizeofints of xdr3dfcoord). */
function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Most-significant-bit-first reader over the packed bytes (receivebits of xdr3dfcoord), for
 * the wide reads that decodeAtoms does not write out in place.
 */
class BitReader {
  /** Index of the next byte to load into the accumulator. */
  pos = 0;
  /** The last bytes loaded; its low `count` bits are not yet consumed. */
  acc = 0;
  count = 0;
  /** Output of largeTriple (reused: no per-atom allocation). */
  readonly triple = new Float64Array(3);
  /** Little-endian bytes of a packed number past 2^52. */
  private readonly big = new Float64Array(16);

  constructor(readonly data: Uint8Array) {}

  seek(pos: number, acc: number, count: number): void {
    this.pos = pos;
    this.acc = acc;
    this.count = count;
  }

  /** Next n bits as an unsigned integer, 0 < n <= 24. */
  bits(n: number): number {
    while (this.count < n) {
      this.acc = (this.acc << 8) | this.data[this.pos++]!;
      this.count += 8;
    }
    this.count -= n;
    return (this.acc >>> this.count) & ((1 << n) - 1);
  }

  /** Next n bits, 0 < n <= 32. */
  private wide(n: number): number {
    if (n <= 24) return this.bits(n);
    const high = this.bits(n - 16);
    return high * 65536 + this.bits(16);
  }

  /** A large triple of any width; false when a value exceeds its range (corrupt data). */
  largeTriple(h: PackedHeader, out: Float64Array): boolean {
    if (h.bitsize === 0) {
      out[0] = this.wide(h.bits0);
      out[1] = this.wide(h.bits1);
      out[2] = this.wide(h.bits2);
      return out[0] < h.size0 && out[1] < h.size1 && out[2] < h.size2;
    }
    return this.ints3(h.bitsize, h.size0, h.size1, h.size2, out);
  }

  /**
   * Three integers packed in n bits as one number (x * size1 + y) * size2 + z, written in 8-bit
   * chunks, least significant first (receiveints). False when x exceeds its range (corrupt).
   */
  ints3(n: number, size0: number, size1: number, size2: number, out: Float64Array): boolean {
    const bytes = this.big;
    let count = 0;
    for (let left = n; left > 0; left -= 8) bytes[count++] = this.bits(Math.min(8, left));
    if (n <= 52) {
      // Exact in a double: divide as numbers.
      let value = 0;
      for (let j = count - 1; j >= 0; j--) value = value * 256 + bytes[j]!;
      const q = Math.floor(value / size2);
      out[2] = value - q * size2;
      out[0] = Math.floor(q / size1);
      out[1] = q - out[0] * size1;
    } else {
      // Up to 72 bits: long division byte by byte, as GROMACS does.
      out[2] = divideInPlace(bytes, count, size2);
      out[1] = divideInPlace(bytes, count, size1);
      let x = 0;
      for (let j = count - 1; j >= 0; j--) x = x * 256 + bytes[j]!;
      out[0] = x;
    }
    return out[0]! < size0;
  }
}

/** Divides a little-endian byte number by `divisor` in place; returns the remainder. */
function divideInPlace(bytes: Float64Array, count: number, divisor: number): number {
  let rest = 0;
  for (let j = count - 1; j >= 0; j--) {
    const num = rest * 256 + bytes[j]!;
    const q = Math.floor(num / divisor);
    bytes[j] = q;
    rest = num - q * divisor;
  }
  return rest;
}
