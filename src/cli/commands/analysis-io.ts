// What the analysis commands (rdf, msd, vacf, rmsd, rmsf) share: opening the input (with an
// optional --top topology), the frame selection, the time axis, turning analysis errors into
// one-line messages that name the file, and --json / --csv / text output.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AnalysisError } from '../../core/analysis/errors.js';
import { SelectionError } from '../../core/analysis/selection.js';
import { type FrameSelection, iterateFrames, parseFrameSelection, selectedIndices } from '../../core/io/frames.js';
import { applyTopology, checkPairing } from '../../core/io/pairing.js';
import type { Structure } from '../../core/model/structure.js';
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

/** Timestep in ps from the LAMMPS log beside `file` sharing the longest name prefix, if any. */
function lammpsLogTimestep(file: string): { timestep: number; file: string } | null {
  const dir = path.dirname(file);
  const base = path.basename(file).toLowerCase();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /(^log\.lammps|\.log\.lammps$|^log\..*\.lammps$|\.lammps\.log$)/i.test(n));
  } catch {
    return null;
  }
  const prefix = (n: string): number => {
    const a = n.toLowerCase();
    let i = 0;
    while (i < a.length && i < base.length && a[i] === base[i]) i++;
    return i;
  };
  names.sort((a, b) => prefix(b) - prefix(a));
  const name = names[0];
  if (!name) return null;
  const text = readFileSync(path.join(dir, name), 'utf8');
  // LAMMPS echoes each input line; the variable-substituted echo follows the raw one, so the
  // last numeric `timestep` line is the one in force for the last run.
  let timestep: number | null = null;
  let units = 'lj';
  for (const line of text.split('\n')) {
    const t = /^\s*timestep\s+([-+0-9.eE]+)\s*(#.*)?$/.exec(line);
    if (t) timestep = Number(t[1]);
    const u = /^\s*units\s+(\w+)/.exec(line);
    if (u) units = u[1]!;
  }
  const toPs: Record<string, number> = {
    metal: 1,
    real: 1e-3,
    electron: 1e-3,
    si: 1e12,
    cgs: 1e12,
    micro: 1e6,
    nano: 1e3,
  };
  const scale = toPs[units];
  if (timestep === null || !Number.isFinite(timestep) || scale === undefined) return null;
  return { timestep: timestep * scale, file: name };
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
