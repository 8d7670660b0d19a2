/** Output types of the API (what crosses a process boundary; typed arrays allowed). */

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser';
  versions: Record<string, string>;
  /** Files to open when the window first loads (command line, or the bundled example). */
  initialFiles: string[];
  /** Formats the backend reads, for the Open dialog and drop hints. */
  formats: { id: string; label: string; extensions: string[] }[];
}

export interface TimeRange {
  start: number;
  end: number;
  step: number;
}

/** What the project panel and `atomscope info` show about an open file. */
export interface FileSummary {
  format: string;
  atoms: number;
  frames: number;
  elements: Record<string, number>;
  cell: number[][] | null;
  pbc: [boolean, boolean, boolean];
  time: TimeRange | null;
  columns: string[];
  warnings: string[];
  size: number;
}

export interface OpenFile extends FileSummary {
  id: string;
  name: string;
  path: string;
  /** The structure file this coordinate trajectory takes its elements and names from. */
  topology?: { id: string; name: string };
}

/** One frame for display: positions in Å as float32 (enough for pixels, half the bytes). */
export interface FrameData {
  index: number;
  numbers: Uint8Array;
  positions: Float32Array;
  cell: number[] | null;
  time?: number;
  step?: number;
}

export type ApiErrorCode =
  | 'invalid-input'
  | 'unknown-method'
  | 'not-found'
  | 'parse-error'
  | 'cancelled'
  | 'job-failed'
  | 'worker-exited'
  | 'host-crashed'
  | 'forbidden'
  | 'internal';

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

/** Push events, all through one channel. */
export type AppEvent =
  | { type: 'job.progress'; jobId: string; fraction: number; message: string }
  | { type: 'files.changed' }
  | { type: 'files.openRequested'; paths: string[] }
  | { type: 'menu'; command: 'open' | 'export-figure' | 'about' };
