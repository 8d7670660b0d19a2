// What the analysis commands (rdf, msd, vacf, rmsd, rmsf) share: opening the input (with an
// optional --top topology), the frame selection, the time axis, turning analysis errors into
// one-line messages that name the file, and --json / --csv / --out figure / text output, for
// one FILE or several (one curve per file, one JSON object per file).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AnalysisError } from '../../core/analysis/errors.js';
import type { TimeAxisFor } from '../../core/analysis/pipeline.js';
import { SelectionError } from '../../core/analysis/selection.js';
import { columnsCsv, renderPng, renderSvg, resultsCsv, resultsFigure, MAX_SCALE } from '../../node/figures/index.js';
import type { AnalysisResult } from '../../shared/types.js';
import { type FrameSelection, iterateFrames, parseFrameSelection, selectedIndices } from '../../core/io/frames.js';
import { applyTopology, checkPairing } from '../../core/io/pairing.js';
import type { Structure } from '../../core/model/structure.js';
import { lammpsLogTimestep } from '../../node/lammps-log.js';
import { openTrajectory, type OpenedFile } from '../../node/open.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';

/** Options the analysis commands take a value for (registered in src/cli/index.ts). */
export const ANALYSIS_VALUED = [
  'rmax',
  'bins',
  'pair',
  'fit-start',
  'fit-end',
  'ref',
  'fit',
  'measure',
  'select',
  'dt',
  'timestep',
  'origins',
  'top',
  'unwrap',
  'out',
  'scale',
  'width',
  'height',
  'runs',
  'columns',
];

export interface AnalysisInput {
  file: string;
  opened: OpenedFile;
  /** Frame indices picked by --frames. */
  indices: number[];
  selection: FrameSelection;
  /** The first selected frame, topology applied: what selections are evaluated on. */
  first: Structure;
  frames(): Iterable<Structure>;
  close(): void;
}

/** Opens FILE with --format, --frames and --top (a structure file lending elements and names). */
export function openInput(file: string, args: ParsedArgs, frames = optionString(args, 'frames')): AnalysisInput {
  const selection = frames ? parseFrameSelection(frames) : {};
  const opened = openTrajectory(file, { format: optionString(args, 'format') });
  try {
    const indices = selectedIndices(opened.reader.frameCount, selection);
    if (indices.length === 0) throw new UsageError(`${file}: --frames ${frames ?? ''} selects no frame`);
    let top: Structure | null = null;
    const topFile = optionString(args, 'top');
    if (topFile) {
      const t = openTrajectory(topFile);
      try {
        top = t.reader.readFrame(0);
      } finally {
        t.reader.close();
        t.source.close?.();
      }
      checkPairing(topFile, top.numbers.length, file, opened.reader.atomCount);
    }
    const withTop = (s: Structure): Structure => (top ? applyTopology(s, top) : s);
    const first = withTop(opened.reader.readFrame(indices[0]!));
    return {
      file,
      opened,
      indices,
      selection,
      first,
      frames: function* () {
        for (const s of iterateFrames(opened.reader, selection)) yield withTop(s);
      },
      close: () => {
        opened.reader.close();
        opened.source.close?.();
      },
    };
  } catch (e) {
    opened.reader.close();
    opened.source.close?.();
    throw e;
  }
}

/** Runs `body`, turning analysis and selection errors into one-line messages naming `file`. */
export function naming<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof AnalysisError || e instanceof SelectionError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

export interface TimeAxis {
  /** Sampling interval (ps). */
  dt: number;
  /** Where the interval came from, for the output. */
  source: string;
}

/**
 * The interval between the analysed frames: --dt, else the frames' own times, else
 * step × --timestep, else step × the `timestep` of a LAMMPS log beside the file (LAMMPS dumps
 * carry steps but not times).
 */
export function timeAxis(
  file: string,
  args: ParsedArgs,
  times: Float64Array | null,
  steps: Float64Array | null,
  uniform: (t: ArrayLike<number>) => number,
): TimeAxis {
  const dt = optionNumber(args, 'dt');
  if (dt !== undefined) {
    if (!(dt > 0)) throw new UsageError('--dt must be positive (ps between frames)');
    return { dt, source: '--dt' };
  }
  if (times) return { dt: uniform(times), source: 'frame times' };
  let timestep = optionNumber(args, 'timestep');
  let source = '--timestep';
  if (timestep === undefined && steps) {
    const log = lammpsLogTimestep(file);
    if (log) {
      timestep = log.timestep;
      source = `timestep ${log.timestep} ps from ${path.basename(log.file)}`;
    }
  }
  if (timestep !== undefined && steps) {
    if (!(timestep > 0)) throw new UsageError('--timestep must be positive (ps per MD step)');
    return { dt: uniform(Float64Array.from(steps, (s) => s * timestep)), source: `steps × ${source}` };
  }
  throw new UsageError(
    `${file}: the frames carry no times${steps ? ' (steps only, and no LAMMPS log beside the file)' : ''}; give --dt (ps between frames) or --timestep (ps per step)`,
  );
}

/** Plain arrays for JSON (typed arrays serialise as objects); NaN and ±∞ become null. */
export function list(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? v : null));
}

export function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export type Columns = Record<string, ArrayLike<number | string>>;

/** CSV: a header row, then one row per index of the (equal-length) columns. */
export function toCsv(columns: Columns): string {
  const names = Object.keys(columns);
  const n = Math.max(0, ...names.map((k) => columns[k]!.length));
  const lines = [names.join(',')];
  for (let i = 0; i < n; i++) lines.push(names.map((k) => String(columns[k]![i] ?? '')).join(','));
  return lines.join('\n') + '\n';
}

/** Writes --json, --csv or the text summary. */
export function emit(args: ParsedArgs, json: object, columns: Columns, text: string): void {
  if (args.options.has('json')) process.stdout.write(JSON.stringify(json) + '\n');
  else if (args.options.has('csv')) process.stdout.write(toCsv(columns));
  else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** A single-valued positional FILE or a usage error. */
export function fileArgument(args: ParsedArgs, usage: string): string {
  const file = args.positionals[0];
  if (!file) throw new UsageError(`usage: ${usage}`);
  return file;
}

/** Every positional FILE (at least one) or a usage error. */
export function fileArguments(args: ParsedArgs, usage: string): string[] {
  if (args.positionals.length === 0) throw new UsageError(`usage: ${usage}`);
  return args.positionals.slice();
}

/** timeAxis() as the analysis pipelines take it. */
export function timeAxisFor(file: string, args: ParsedArgs, uniform: (t: ArrayLike<number>) => number): TimeAxisFor {
  return (times, steps) => timeAxis(file, args, times, steps, uniform);
}

/** What an analysis of one file prints: its JSON object, CSV columns, text summary and plot data. */
export interface FileOutput {
  file: string;
  json: object;
  columns: Columns;
  text: string;
  /** The plot data for --out (absent when the mode has no figure). */
  result?: AnalysisResult;
  /** Columns plotted instead of the result's default ones. */
  y?: string[];
}

/** The legend name of a file: its base name, with the folder when two files share one. */
function sourceNames(files: string[]): string[] {
  const base = files.map((f) => path.basename(f));
  return base.map((b, i) => (base.indexOf(b) !== base.lastIndexOf(b) ? files[i]! : b));
}

/**
 * Writes --out (an .svg or .png figure, or .csv of the curves), then --json (one object for
 * one file, an array of the objects for several), --csv (one file: its columns; several: the
 * same columns after a leading `file` column) or the text summaries.
 */
export async function emitAll(args: ParsedArgs, outputs: FileOutput[]): Promise<void> {
  const out = optionString(args, 'out');
  if (out) await writeFigure(args, out, outputs);
  if (outputs.length === 1) {
    const o = outputs[0]!;
    if (out && !args.options.has('json') && !args.options.has('csv')) {
      process.stdout.write(`${o.text.replace(/\n$/, '')}\nwrote ${out}\n`);
      return;
    }
    emit(args, o.json, o.columns, o.text);
    return;
  }
  if (args.options.has('json')) {
    process.stdout.write(JSON.stringify(outputs.map((o) => o.json)) + '\n');
  } else if (args.options.has('csv')) {
    const names = sourceNames(outputs.map((o) => o.file));
    let csv = '';
    outputs.forEach((o, i) => {
      const cols = Object.entries(o.columns).map(([name, values]) => ({ name, values: Array.from(values) }));
      const text = columnsCsv(cols, { name: 'file', value: names[i]! });
      csv += i === 0 ? text : text.slice(text.indexOf('\n') + 1);
    });
    process.stdout.write(csv);
  } else {
    const text = outputs.map((o) => o.text.replace(/\n$/, '')).join('\n');
    process.stdout.write(`${text}\n${out ? `wrote ${out}\n` : ''}`);
  }
}

async function writeFigure(args: ParsedArgs, out: string, outputs: FileOutput[]): Promise<void> {
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.svg' && ext !== '.png' && ext !== '.csv') {
    throw new UsageError(`--out ${out}: the figure is written as .svg, .png or .csv (by the file's extension)`);
  }
  const names = sourceNames(outputs.map((o) => o.file));
  const results = outputs.map((o, i) => {
    if (!o.result) throw new UsageError(`--out: this mode of the command has no figure; use --json or --csv`);
    return { ...o.result, source: names[i]! };
  });
  if (ext === '.csv') {
    writeFileSync(out, resultsCsv(results));
    return;
  }
  const width = optionNumber(args, 'width');
  const height = optionNumber(args, 'height');
  for (const [k, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (v !== undefined && !(v >= 100 && v <= 8000)) throw new UsageError(`--${k} must be 100..8000 pixels`);
  }
  const spec = resultsFigure(results, {
    ...(outputs[0]!.y ? { y: outputs[0]!.y } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    transparent: args.options.has('transparent'),
  });
  if (ext === '.svg') {
    writeFileSync(out, await renderSvg(spec));
    return;
  }
  const scale = optionNumber(args, 'scale') ?? 2;
  if (!(scale > 0 && scale <= MAX_SCALE)) throw new UsageError(`--scale must be in (0, ${MAX_SCALE}]`);
  writeFileSync(out, await renderPng(spec, { scale, transparent: args.options.has('transparent') }));
}
