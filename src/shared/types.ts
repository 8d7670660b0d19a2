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
  /**
   * Bonds as pairs of 0-based atom indices (length 2 x bonds): the file's own table (SDF,
   * PDB CONECT, a paired topology), else computed once per file from covalent radii
   * (core/model/bonds.ts). Absent when there are none.
   */
  bonds?: Uint32Array;
  /** Per-atom numeric columns (charge, resid, speed, force magnitude, ...), for colouring and picking. */
  atomProperties?: Record<string, Float32Array>;
  /** Per-atom text columns (name, resname, chain, ...), dictionary-coded: atom i is labels[codes[i]]. */
  atomLabels?: Record<string, { labels: string[]; codes: Uint32Array }>;
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

// ---- analyses (issue 5) -----------------------------------------------------------------

export type AnalysisKind = 'rdf' | 'msd' | 'vacf' | 'rmsd' | 'rmsf' | 'thermo';

/** One column of an analysis result: numbers (NaN where a row has no value) or labels. */
export interface AnalysisColumn {
  /** CSV header, as `atomscope <kind> --csv` prints it (r_A, g_r, t_ps, msd_A2, ...). */
  name: string;
  /** Axis title ("r (Å)", "MSD (Å²)"). */
  label: string;
  values: Float64Array | string[];
}

/**
 * An analysis of one file as plot data: the columns (in CSV order), which of them the plot
 * shows, headline numbers and guides. Typed arrays cross the process boundaries as bytes.
 */
export interface AnalysisResult {
  kind: AnalysisKind;
  /** The input as the user knows it (file name), the legend entry of its curves. */
  source: string;
  columns: AnalysisColumn[];
  /** Name of the x column, and the y columns plotted by default. */
  x: string;
  y: string[];
  /** Trajectory frame index of each row (time series the viewer can jump along), else null. */
  frame: Int32Array | null;
  /** Headline numbers: peak position and height, D ± error, first minimum... */
  summary: Record<string, number | string | null>;
  /** Vertical guides at x (peak, fit window edges). */
  marks: { x: number; label: string }[];
  /** Extra curves drawn dashed (the MSD fit line). */
  overlays: { name: string; x: Float64Array; y: Float64Array }[];
  /** Parameters as used, defaults filled in. */
  params: Record<string, unknown>;
  warnings: string[];
}

/** What `analysis.run` answers: the result, and whether it came from the cache. */
export interface AnalysisRunOutput {
  result: AnalysisResult;
  cached: boolean;
  /** Milliseconds the computation took (0 when cached). */
  ms: number;
}

/** A figure or table made from analysis results (`analysis.exportFigure`). */
export interface ExportedFigure {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}
