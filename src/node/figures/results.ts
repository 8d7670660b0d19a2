/**
 * Analysis runs (core/analysis/pipeline.ts, thermo.ts) as plot data (AnalysisResult): the
 * columns in the order `atomscope <kind> --csv` prints them, the default plotted columns,
 * headline numbers and guides; and a figure made of several results (one curve per file).
 * The compute host's jobs and the CLI's --out both go through here.
 */
import type { MsdRun, RdfRun, RmsdRun, RmsfRun, VacfRun } from '../../core/analysis/pipeline.js';
import { defaultThermoColumn, thermoStats, type ThermoSeries } from '../../core/analysis/thermo.js';
import type { AnalysisColumn, AnalysisResult } from '../../shared/types.js';
import type { Curve, FigureSpec, Panel } from './figure.js';

function column(name: string, label: string, values: ArrayLike<number> | string[]): AnalysisColumn {
  return {
    name,
    label,
    values: Array.isArray(values) ? values : values instanceof Float64Array ? values : Float64Array.from(values),
  };
}

function finiteOrNull(v: number | null | undefined): number | null {
  return v !== null && v !== undefined && Number.isFinite(v) ? v : null;
}

function base(kind: AnalysisResult['kind'], source: string): Omit<AnalysisResult, 'columns' | 'x' | 'y'> {
  return { kind, source, frame: null, summary: {}, marks: [], overlays: [], params: {}, warnings: [] };
}

export function rdfResult(run: RdfRun, source: string): AnalysisResult {
  return {
    ...base('rdf', source),
    columns: [
      column('r_A', 'r (Å)', run.r),
      column('g_r', run.pair ? `g(r) ${run.pair}` : 'g(r)', run.g),
      column('coord_r', 'n(r)', run.coordination),
    ],
    x: 'r_A',
    y: ['g_r'],
    summary: {
      peak_r_A: finiteOrNull(run.peak.r),
      peak_g: finiteOrNull(run.peak.g),
      frames: run.frames,
      density_A3: finiteOrNull(run.density),
    },
    marks: Number.isFinite(run.peak.r) ? [{ x: run.peak.r, label: `peak ${run.peak.r.toFixed(3)} Å` }] : [],
    params: { rmax: run.rmax, bins: run.bins, pair: run.pair },
  };
}

/** Frame index of each lag / frame of a time series: the analysed frames, in order. */
function frameColumn(indices: ArrayLike<number> | null, n: number): Int32Array | null {
  if (!indices || indices.length < n) return null;
  return Int32Array.from({ length: n }, (_, k) => indices[k]!);
}

export function msdResult(run: MsdRun, source: string, frames: ArrayLike<number> | null): AnalysisResult {
  const columns = [column('t_ps', 't (ps)', run.t), column('msd_A2', 'MSD (Å²)', run.msd)];
  if (run.alpha2) columns.push(column('alpha2', 'α₂(t)', run.alpha2.values));
  const [from, to] = run.fitWindow;
  const fitX = Float64Array.of(from, to);
  return {
    ...base('msd', source),
    columns,
    x: 't_ps',
    y: ['msd_A2'],
    frame: frameColumn(frames, run.t.length),
    summary: {
      D_cm2_s: finiteOrNull(run.D_cm2_s),
      D_err_cm2_s: finiteOrNull(run.D_err_cm2_s),
      fit_start_ps: from,
      fit_end_ps: to,
      fit_points: run.fitPoints,
      atoms: run.atoms,
      frames: run.frames,
      dt_ps: run.dt,
      time_source: run.timeSource,
    },
    marks: [
      { x: from, label: 'fit start' },
      { x: to, label: 'fit end' },
    ],
    overlays: [{ name: 'fit', x: fitX, y: fitX.map((t) => run.intercept + run.slope * t) }],
    params: { fitStart: from, fitEnd: to },
  };
}

export function vacfResult(run: VacfRun, source: string, frames: ArrayLike<number> | null): AnalysisResult {
  return {
    ...base('vacf', source),
    columns: [
      column('t_ps', 't (ps)', run.t),
      column('vacf', 'C(t)/C(0)', run.vacf),
      column('vacf_raw_A2ps2', 'C(t) (Å²/ps²)', run.raw),
    ],
    x: 't_ps',
    y: ['vacf'],
    frame: frameColumn(frames, run.t.length),
    summary: {
      first_min_t_ps: finiteOrNull(run.firstMin?.t),
      first_min_value: finiteOrNull(run.firstMin?.value),
      first_zero_ps: finiteOrNull(run.firstZero),
      c0_A2ps2: finiteOrNull(run.raw[0]),
      origins: run.origins,
      atoms: run.atoms,
      frames: run.frames,
      dt_ps: run.dt,
      time_source: run.timeSource,
    },
    marks: run.firstMin ? [{ x: run.firstMin.t, label: `min ${run.firstMin.value.toFixed(3)}` }] : [],
    params: { origins: run.origins },
  };
}

/** The VACF's spectrum as its own result (`vacf --spectrum`). */
export function vacfSpectrumResult(run: VacfRun, source: string): AnalysisResult {
  return {
    ...base('vacf', source),
    columns: [
      column('nu_THz', 'ν (THz)', run.spectrum.nu),
      column('wavenumber_cm1', 'wavenumber (cm⁻¹)', run.spectrum.wavenumber),
      column('intensity_ps', 'intensity (ps)', run.spectrum.intensity),
    ],
    x: 'nu_THz',
    y: ['intensity_ps'],
    params: { origins: run.origins, spectrum: true },
  };
}

export function rmsdResult(run: RmsdRun, source: string, frames: ArrayLike<number>): AnalysisResult {
  const idx = Float64Array.from(frames);
  const columns = [column('frame', 'frame', idx), column('rmsd_A', 'RMSD (Å)', run.rmsd)];
  if (run.times) columns.push(column('t_ps', 't (ps)', run.times));
  let max = -Infinity;
  for (const v of run.rmsd) if (v > max) max = v;
  return {
    ...base('rmsd', source),
    columns,
    x: run.times ? 't_ps' : 'frame',
    y: ['rmsd_A'],
    frame: Int32Array.from(frames),
    summary: {
      last_A: finiteOrNull(run.rmsd[run.rmsd.length - 1]),
      max_A: finiteOrNull(max),
      fit_atoms: run.fitAtoms,
      measure_atoms: run.measureAtoms,
      frames: run.rmsd.length,
    },
  };
}

export function rmsfResult(run: RmsfRun, source: string): AnalysisResult {
  const columns = [column('atom', 'atom', Float64Array.from(run.atoms)), column('element', 'element', run.elements)];
  if (run.names) columns.push(column('name', 'name', run.names));
  columns.push(column('rmsf_A', 'RMSF (Å)', run.rmsf));
  let sum = 0;
  let max = -Infinity;
  for (const v of run.rmsf) {
    sum += v;
    if (v > max) max = v;
  }
  return {
    ...base('rmsf', source),
    columns,
    x: 'atom',
    y: ['rmsf_A'],
    summary: { mean_A: finiteOrNull(sum / run.rmsf.length), max_A: finiteOrNull(max), frames: run.frames },
  };
}

/** An axis title from a column name and its unit. */
function titled(name: string, unit: string | undefined): string {
  return unit ? `${name} (${unit})` : name;
}

/**
 * A thermo series as a result: `t_ps` first when there is a time axis, then every column; the
 * plotted columns are `show` (default: temperature, else the first quantity that is not time).
 */
export function thermoResult(series: ThermoSeries, source: string, show?: string[]): AnalysisResult {
  const columns: AnalysisColumn[] = [];
  if (series.t) columns.push(column('t_ps', 't (ps)', series.t));
  if (series.runs.length > 1) columns.push(column('run', 'run', Float64Array.from(series.run)));
  for (const c of series.columns) columns.push(column(c, titled(c, series.units[c]), series.data[c]!));
  const x = series.t ? 't_ps' : series.columns.includes('Step') ? 'Step' : series.columns[0]!;
  const fallback = defaultThermoColumn(series);
  const y = show && show.length > 0 ? show : fallback ? [fallback] : [];
  const summary: Record<string, number | string | null> = {
    rows: series.run.length,
    runs: series.runs.length,
    format: series.format,
    time_source: series.timeSource,
  };
  for (const c of series.columns) {
    const s = thermoStats(series.data[c]!);
    summary[`${c} mean`] = finiteOrNull(s.mean);
    summary[`${c} std`] = finiteOrNull(s.std);
  }
  const frameCol = series.format === 'frames' ? series.data['frame'] : undefined;
  return {
    ...base('thermo', source),
    columns,
    x,
    y,
    frame: frameCol ? Int32Array.from(frameCol) : null,
    summary,
    params: { runs: series.runs.map((r) => r.index) },
    warnings: series.warnings.slice(),
  };
}

// ---- figures from results ---------------------------------------------------------------

function numeric(r: AnalysisResult, name: string): Float64Array | null {
  const c = r.columns.find((k) => k.name === name);
  return c && !Array.isArray(c.values) ? (c.values as Float64Array) : null;
}

function labelOf(r: AnalysisResult, name: string): string {
  return r.columns.find((k) => k.name === name)?.label ?? name;
}

export interface ResultFigureOptions {
  /** Columns to plot instead of each result's default `y`. */
  y?: string[];
  title?: string;
  width?: number;
  height?: number;
  transparent?: boolean;
  theme?: 'light' | 'dark';
  /** Draw the guides (peak, fit window) and overlays (fit line); default only for one result. */
  guides?: boolean;
}

/**
 * One figure of several results of one kind: a curve per file (legend = file names), one
 * panel per plotted column when they are thermo quantities of different kinds, else one panel.
 */
export function resultsFigure(results: AnalysisResult[], options: ResultFigureOptions = {}): FigureSpec {
  if (results.length === 0) throw new Error('no results to draw');
  const first = results[0]!;
  const ys = options.y && options.y.length > 0 ? options.y : first.y;
  const guides = options.guides ?? results.length === 1;
  const multiFile = results.length > 1;
  const panelPerColumn = first.kind === 'thermo' && ys.length > 1;
  const panels: Panel[] = [];
  const curveOf = (r: AnalysisResult, y: string, colour: number): Curve | null => {
    const xs = numeric(r, r.x);
    const vs = numeric(r, y);
    if (!xs || !vs) return null;
    const name = panelPerColumn || ys.length === 1 ? r.source : multiFile ? `${r.source}: ${y}` : y;
    return { name, x: xs, y: vs, colour };
  };
  if (panelPerColumn) {
    for (const y of ys) {
      const curves = results.map((r, i) => curveOf(r, y, i)).filter((c): c is Curve => c !== null);
      if (curves.length > 0) panels.push({ yLabel: labelOf(first, y), curves });
    }
  } else {
    const curves: Curve[] = [];
    let colour = 0;
    for (const r of results) {
      for (const y of ys) {
        const c = curveOf(r, y, colour++);
        if (c) curves.push(c);
      }
    }
    if (guides) {
      for (const r of results) {
        for (const o of r.overlays) curves.push({ name: o.name, x: o.x, y: o.y, dashed: true, colour: 8 });
      }
    }
    const yLabel = ys.length === 1 ? labelOf(first, ys[0]!) : ys.map((y) => labelOf(first, y)).join(', ');
    panels.push({ yLabel, curves, marks: guides ? first.marks : [] });
  }
  if (panels.every((p) => p.curves.length === 0)) {
    throw new Error(`nothing to draw: no numeric column ${ys.join(', ')} in the results`);
  }
  return {
    xLabel: labelOf(first, first.x),
    panels: panels.filter((p) => p.curves.length > 0),
    legend: multiFile || (ys.length > 1 && !panelPerColumn),
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
    ...(options.transparent !== undefined ? { transparent: options.transparent } : {}),
    ...(options.theme !== undefined ? { theme: options.theme } : {}),
  };
}
