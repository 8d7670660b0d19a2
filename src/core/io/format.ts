/**
 * The contract every format module fulfils (one file per format in ./formats/, registered
 * in ./registry.ts with one line each).
 */
import type { Structure } from '../model/structure.js';
import type { ByteSink, ByteSource } from './source.js';

export interface OpenOptions {
  /** A frame index from an earlier open of the same bytes (see TrajectoryReader.frameIndex). */
  index?: FrameIndex;
  /** Called while the index is built: fraction in [0, 1]. */
  onProgress?: (fraction: number, message: string) => void;
  /** Checked between chunks while indexing; when it returns true, open throws AbortError. */
  isCancelled?: () => boolean;
}

/** Byte offsets of frame starts (plus the end of the last complete frame) and any cut warning. */
export interface FrameIndex {
  offsets: Float64Array; // length frameCount + 1
  /** Line number of each frame's first line, for text formats (length frameCount). */
  lines?: Float64Array;
  warnings: string[];
}

/**
 * Whether an index handed to open() (from the on-disk cache or the caller) can describe a
 * source of `size` bytes: offsets non-decreasing and inside the source, one line number
 * per frame when lines are given. A reader that gets false indexes the file itself.
 */
export function isUsableIndex(index: FrameIndex | undefined, size: number): index is FrameIndex {
  if (!index || index.offsets.length < 1) return false;
  const o = index.offsets;
  if (index.lines && index.lines.length !== o.length - 1) return false;
  for (let k = 1; k < o.length; k++) if (!(o[k]! >= o[k - 1]!)) return false;
  return o[0]! >= 0 && o[o.length - 1]! <= size;
}

export interface TrajectoryReader {
  readonly format: string;
  readonly frameCount: number;
  /** Atom count of the first frame (frames of PDB/SDF files may differ). */
  readonly atomCount: number;
  /** Non-fatal problems (a truncated last frame, a guessed element, ...). */
  readonly warnings: string[];
  /** Frame i (0-based); throws ParseError naming the frame and line/offset when it is bad. */
  readFrame(i: number): Structure;
  /** The index this reader built or was given, to cache for the next open. */
  frameIndex?(): FrameIndex;
  close(): void;
}

export interface FormatSpec {
  /** Short id used on the command line and in JSON (`xyz`, `extxyz`, `xtc`, `lammps-dump`...). */
  id: string;
  label: string;
  /** Lower-case extensions without the dot, most specific first (`lammpstrj`, `dump`). */
  extensions: string[];
  /** File-name patterns matched before anything else (POSCAR, CONTCAR, XDATCAR have no extension). */
  globs?: RegExp[];
  /** True when the first bytes certainly belong to this format. */
  sniff?(head: Uint8Array): boolean;
  binary: boolean;
  multiFrame: boolean;
  open(source: ByteSource, options?: OpenOptions): TrajectoryReader;
  /** Writes frames; formats that hold one frame write the first and ignore the rest. */
  write?(frames: Iterable<Structure>, sink: ByteSink, options?: WriteOptions): void;
}

export interface WriteOptions {
  /** Name to put in title/comment lines. */
  title?: string;
}

export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'cancelled') {
    super(message);
  }
}
