/**
 * The analyses as compute-host jobs: 'analysis.rdf', 'analysis.msd', 'analysis.vacf',
 * 'analysis.rmsd', 'analysis.rmsf' and 'analysis.thermo' run the same pipelines as the
 * `atomscope` commands (core/analysis/pipeline.ts, thermo.ts) over the frames of a file,
 * reporting progress frame by frame and stopping at the next frame once cancelled; they
 * answer an AnalysisResult (typed arrays). 'analysis.figure' draws results as SVG, PNG or
 * CSV (node/figures: ECharts server-side rendering and resvg).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AnalysisError } from '../../core/analysis/errors.js';
import {
  msdRun,
  rdfRun,
  rmsdRun,
  rmsdSelection,
  rmsfRun,
  vacfRun,
  type TimeAxisFor,
} from '../../core/analysis/pipeline.js';
import { uniformStep } from '../../core/analysis/series.js';
import { framesThermo, parseLammpsLog, parseXvg, selectRuns, type ThermoSeries } from '../../core/analysis/thermo.js';
import { parseFrameSelection, selectedIndices, type FrameSelection } from '../../core/io/frames.js';
import { applyTopology, checkPairing } from '../../core/io/pairing.js';
import type { Structure } from '../../core/model/structure.js';
import {
  msdResult,
  rdfResult,
  renderPng,
  renderSvg,
  resultsCsv,
  resultsFigure,
  rmsdResult,
  rmsfResult,
  thermoResult,
  vacfResult,
} from '../../node/figures/index.js';
import { lammpsLogsBeside, lammpsLogTimestep } from '../../node/lammps-log.js';
import type { AnalysisResult, ExportedFigure } from '../../shared/types.js';
import type { JobContext, JobTable } from '../jobs.js';
import { optionalStringParam, stringParam } from './params.js';
import { ReaderCache } from './reader-cache.js';

// One cache per worker thread, apart from the viewer's (jobs/structure.ts): an analysis
// walking every frame does not evict the reader the viewer scrubs with.
const readers = new ReaderCache(4);

type Params = Record<string, unknown>;

function record(params: unknown, job: string): Params {
  if (typeof params !== 'object' || params === null) throw new TypeError(`${job}: parameters must be an object`);
  return params as Params;
}

function num(p: Params, key: string, job: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${job}: "${key}" must be a finite number`);
  return v;
}

function text(p: Params, key: string, job: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new TypeError(`${job}: "${key}" must be a string`);
  return v;
}

/** An opened input: the reader, the selected frame indices, the topology-applied first frame. */
interface Input {
  path: string;
  source: string;
  indices: number[];
  first: Structure;
  read(i: number): Structure;
}

function openInput(params: Params, job: string, ctx: JobContext): Input {
  const file = stringParam(params, 'path', job);
  const topology = optionalStringParam(params, 'topology', job);
  const { reader } = readers.open(file, {
    onProgress: (fraction, message) => ctx.progress(0.05 * fraction, message),
    isCancelled: () => ctx.isCancelled(),
  });
  let transform = (s: Structure): Structure => s;
  if (topology) {
    const top = readers.open(topology);
    checkPairing(topology, top.reader.atomCount, file, reader.atomCount);
    const topFrame = readers.firstFrame(topology);
    transform = (s) => applyTopology(s, topFrame);
  }
  let selection: FrameSelection = {};
  const framesText = text(params, 'frames', job)?.trim();
  if (framesText) {
    try {
      selection = parseFrameSelection(framesText);
    } catch (e) {
      throw new AnalysisError((e as Error).message);
    }
  }
  const indices = selectedIndices(reader.frameCount, selection);
  if (indices.length === 0)
    throw new AnalysisError(`frames ${framesText ?? ''} select no frame of ${reader.frameCount}`);
  return {
    path: file,
    source: text(params, 'name', job) ?? path.basename(file),
    indices,
    first: transform(reader.readFrame(indices[0]!)),
    read: (i) => transform(reader.readFrame(i)),
  };
}

/** The selected frames, one at a time, with progress and a cancellation check per frame. */
function* tracked(input: Input, ctx: JobContext, label: string, from = 0.05, to = 0.95): Generator<Structure> {
  const n = input.indices.length;
  for (let k = 0; k < n; k++) {
    ctx.throwIfCancelled();
    ctx.progress(from + ((to - from) * k) / n, `${label}: frame ${k + 1} of ${n}`);
    yield input.read(input.indices[k]!);
  }
  ctx.progress(to, `${label}: ${n} frames read`);
}

/** The frame interval: dt given, else the frames' times, else steps × the LAMMPS log's timestep. */
function timeAxis(input: Input, dt: number | undefined): TimeAxisFor {
  return (times, steps) => {
    if (dt !== undefined) {
      if (!(dt > 0)) throw new AnalysisError('dt must be positive (ps between frames)');
      return { dt, source: 'dt given' };
    }
    if (times) return { dt: uniformStep(times), source: 'frame times' };
    const log = steps ? lammpsLogTimestep(input.path) : null;
    if (log && steps) {
      return {
        dt: uniformStep(Float64Array.from(steps, (s) => s * log.timestep)),
        source: `steps × timestep ${log.timestep} ps from ${log.file}`,
      };
    }
    throw new AnalysisError(
      `the frames carry no times${steps ? ' (steps only, and no LAMMPS log beside the file)' : ''}; give dt (ps between frames)`,
    );
  };
}

function finish(result: AnalysisResult, ctx: JobContext, params: Params): AnalysisResult {
  ctx.progress(1, 'done');
  const frames = typeof params['frames'] === 'string' ? params['frames'] : '';
  return { ...result, params: { ...result.params, frames } };
}

function rdf(params: unknown, ctx: JobContext): AnalysisResult {
  const p = record(params, 'analysis.rdf');
  const input = openInput(p, 'analysis.rdf', ctx);
  const run = rdfRun(input.first, tracked(input, ctx, 'g(r)'), {
    rmax: num(p, 'rmax', 'analysis.rdf'),
    bins: num(p, 'bins', 'analysis.rdf'),
    pair: text(p, 'pair', 'analysis.rdf') ?? null,
  });
  return finish(rdfResult(run, input.source), ctx, p);
}

function msd(params: unknown, ctx: JobContext): AnalysisResult {
  const p = record(params, 'analysis.msd');
  const input = openInput(p, 'analysis.msd', ctx);
  const unwrap = text(p, 'unwrap', 'analysis.msd') ?? 'auto';
  if (unwrap !== 'auto' && unwrap !== 'none') throw new TypeError('analysis.msd: "unwrap" must be auto or none');
  const run = msdRun(
    input.first,
    tracked(input, ctx, 'MSD', 0.05, 0.85),
    input.indices.length,
    {
      select: text(p, 'select', 'analysis.msd') ?? null,
      unwrap,
      fitStart: num(p, 'fitStart', 'analysis.msd'),
      fitEnd: num(p, 'fitEnd', 'analysis.msd'),
      alpha2: p['alpha2'] === true,
    },
    timeAxis(input, num(p, 'dt', 'analysis.msd')),
  );
  return finish(msdResult(run, input.source, input.indices), ctx, p);
}

function vacf(params: unknown, ctx: JobContext): AnalysisResult {
  const p = record(params, 'analysis.vacf');
  const input = openInput(p, 'analysis.vacf', ctx);
  const origins = text(p, 'origins', 'analysis.vacf') ?? 'first';
  if (origins !== 'first' && origins !== 'all') throw new TypeError('analysis.vacf: "origins" must be first or all');
  const run = vacfRun(
    input.first,
    tracked(input, ctx, 'VACF', 0.05, 0.85),
    input.indices.length,
    { origins, select: text(p, 'select', 'analysis.vacf') ?? null },
    timeAxis(input, num(p, 'dt', 'analysis.vacf')),
  );
  return finish(vacfResult(run, input.source, input.indices), ctx, p);
}

function referenceIndex(input: Input, ref: number | undefined, frameCount: number): number {
  const r = ref ?? 0;
  const i = r < 0 ? frameCount + r : r;
  if (!Number.isInteger(i) || i < 0 || i >= frameCount) {
    throw new AnalysisError(`reference frame ${r} does not exist (the file has ${frameCount} frames)`);
  }
  return i;
}

function rmsd(params: unknown, ctx: JobContext): AnalysisResult {
  const job = 'analysis.rmsd';
  const p = record(params, job);
  const input = openInput(p, job, ctx);
  const sel = rmsdSelection(input.first, {
    fit: text(p, 'fit', job),
    measure: text(p, 'measure', job),
    massWeighted: p['massWeighted'] === true,
  });
  const count = readers.open(input.path).reader.frameCount;
  const reference = input.read(referenceIndex(input, num(p, 'ref', job), count)).positions;
  const run = rmsdRun(reference, sel, tracked(input, ctx, 'RMSD'), input.indices.length);
  const result = rmsdResult(run, input.source, input.indices);
  return finish({ ...result, params: { ...result.params, ref: num(p, 'ref', job) ?? 0 } }, ctx, p);
}

function rmsf(params: unknown, ctx: JobContext): AnalysisResult {
  const job = 'analysis.rmsf';
  const p = record(params, job);
  const input = openInput(p, job, ctx);
  const sel = rmsdSelection(input.first, {
    fit: text(p, 'fit', job),
    measure: text(p, 'measure', job),
    massWeighted: p['massWeighted'] === true,
  });
  const count = readers.open(input.path).reader.frameCount;
  const reference = input.read(referenceIndex(input, num(p, 'ref', job), count)).positions;
  const run = rmsfRun(input.first, reference, sel, tracked(input, ctx, 'RMSF'));
  return finish(rmsfResult(run, input.source), ctx, p);
}

/** GROMACS energy files beside a trajectory: *.xvg with "energ" in the name, the closest name first. */
function xvgBeside(file: string): string[] {
  const dir = path.dirname(file);
  const stem = path
    .basename(file)
    .replace(/\.[^.]+$/, '')
    .toLowerCase();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /energ.*\.xvg$/i.test(n));
  } catch {
    return [];
  }
  const common = (n: string): number => {
    let i = 0;
    const a = n.toLowerCase();
    while (i < a.length && i < stem.length && a[i] === stem[i]) i++;
    return i;
  };
  return names.sort((a, b) => common(b) - common(a)).map((n) => path.join(dir, n));
}

/**
 * The thermo series of a file: a LAMMPS log or .xvg given as `path` directly; for a
 * trajectory, `source` 'frames' (its per-frame keys), 'log' (the LAMMPS log or GROMACS energy
 * .xvg beside it), or 'auto' (the file beside it when there is one, else the frames).
 */
function thermo(params: unknown, ctx: JobContext): AnalysisResult {
  const job = 'analysis.thermo';
  const p = record(params, job);
  const file = stringParam(p, 'path', job);
  const mode = text(p, 'source', job) ?? 'auto';
  if (!['auto', 'frames', 'log'].includes(mode)) throw new TypeError(`${job}: "source" must be auto, frames or log`);
  const name = path.basename(file).toLowerCase();
  let series: ThermoSeries;
  let from: string;
  let linked = false;
  const readText = (f: string): string => {
    ctx.throwIfCancelled();
    ctx.progress(0.1, `reading ${path.basename(f)}`);
    return readFileSync(f, 'utf8');
  };
  if (name.endsWith('.xvg')) {
    series = parseXvg(readText(file));
    from = path.basename(file);
  } else if (/(^log\.|\.log$|\.log\.|lammps\.log)/.test(name)) {
    series = parseLammpsLog(readText(file));
    from = path.basename(file);
  } else {
    const beside =
      mode === 'frames' ? [] : [...lammpsLogsBeside(file), ...xvgBeside(file)].filter((f) => existsSync(f));
    if (mode === 'log' && beside.length === 0) {
      throw new AnalysisError(`no LAMMPS log or GROMACS energy .xvg beside ${path.basename(file)}`);
    }
    const other = beside[0];
    if (other && statSync(other).size < 512 * 2 ** 20) {
      series = other.endsWith('.xvg') ? parseXvg(readText(other)) : parseLammpsLog(readText(other));
      from = path.basename(other);
    } else {
      const input = openInput(p, job, ctx);
      series = framesThermo(tracked(input, ctx, 'per-frame keys'), input.indices);
      from = `${input.source} (per-frame keys)`;
      linked = true;
    }
  }
  const runsText = text(p, 'runs', job)?.trim();
  if (runsText) {
    const picked = selectedIndices(series.runs.length, parseFrameSelection(runsText));
    series = selectRuns(series, picked);
  }
  const result = thermoResult(series, text(p, 'name', job) ?? path.basename(file));
  ctx.progress(1, 'done');
  return {
    ...result,
    frame: linked ? result.frame : null,
    summary: { ...result.summary, thermo_source: from },
    params: { ...result.params, source: mode, runs: runsText ?? '' },
  };
}

/** Draws results (one curve per result) as 'svg' | 'png' | 'csv' bytes. */
async function figure(params: unknown, ctx: JobContext): Promise<ExportedFigure> {
  const job = 'analysis.figure';
  const p = record(params, job);
  const results = p['results'];
  if (!Array.isArray(results) || results.length === 0)
    throw new TypeError(`${job}: "results" must be a non-empty array`);
  const format = text(p, 'format', job) ?? 'svg';
  const stem = (text(p, 'fileName', job) ?? 'figure').replace(/[^\w.-]+/g, '_');
  ctx.progress(0.1, `drawing ${format.toUpperCase()}`);
  const typed = results as AnalysisResult[];
  if (format === 'csv') {
    return { fileName: `${stem}.csv`, mime: 'text/csv', bytes: new TextEncoder().encode(resultsCsv(typed)) };
  }
  const y = Array.isArray(p['y']) ? (p['y'] as unknown[]).filter((v): v is string => typeof v === 'string') : undefined;
  const width = num(p, 'width', job);
  const height = num(p, 'height', job);
  const transparent = p['transparent'] === true;
  const spec = resultsFigure(typed, {
    ...(y && y.length > 0 ? { y } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    transparent,
  });
  if (format === 'svg') {
    return { fileName: `${stem}.svg`, mime: 'image/svg+xml', bytes: new TextEncoder().encode(await renderSvg(spec)) };
  }
  if (format === 'png') {
    const bytes = await renderPng(spec, { scale: num(p, 'scale', job) ?? 2, transparent });
    return { fileName: `${stem}.png`, mime: 'image/png', bytes };
  }
  throw new TypeError(`${job}: "format" must be svg, png or csv`);
}

export const analysisJobs: JobTable = {
  'analysis.rdf': rdf,
  'analysis.msd': msd,
  'analysis.vacf': vacf,
  'analysis.rmsd': rmsd,
  'analysis.rmsf': rmsf,
  'analysis.thermo': thermo,
  'analysis.figure': figure,
};
