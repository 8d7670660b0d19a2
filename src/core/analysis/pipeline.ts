/**
 * The analyses as whole runs over a stream of frames: options with their defaults, the core
 * computations in order, and one result object of typed arrays. The `atomscope` commands and
 * the compute-host jobs both call these, so a figure made in the GUI and one made by a script
 * come from the same numbers. Progress and cancellation belong to the caller: it wraps the
 * frame iterable (every analysis reads each frame once, in order).
 */
import { elementSymbol, masses as elementMasses } from '../model/elements.js';
import type { Structure } from '../model/structure.js';
import { maxCutoff } from './cell-list.js';
import { nonGaussian } from './displacement.js';
import { AnalysisError } from './errors.js';
import { diffusionCoefficient, msdAllOrigins } from './msd.js';
import { RdfAccumulator } from './rdf.js';
import { RmsdToReference, RmsfAccumulator, type RmsdSelection } from './rmsd.js';
import { parsePair, selectAtoms, speciesAtoms } from './selection.js';
import { collectSeries } from './series.js';
import {
  firstMinimum,
  firstZeroCrossing,
  normalise,
  vacfAllOrigins,
  vacfSingleOrigin,
  vacfSpectrum,
  type Spectrum,
} from './vacf.js';

/** Default g(r) bin width (Å) when no bin count is given: LAMMPS-like resolution for liquids. */
export const RDF_DEFAULT_BIN_WIDTH = 0.05;

/** The sampling interval of the analysed frames and where it came from. */
export interface TimeAxis {
  dt: number;
  source: string;
}

/** Decides the interval from the frames' own times and steps (either may be missing). */
export type TimeAxisFor = (times: Float64Array | null, steps: Float64Array | null) => TimeAxis;

// ---- g(r) ---------------------------------------------------------------------------------

export interface RdfParams {
  /** Å; default the largest the cell allows (half the shortest perpendicular width). */
  rmax?: number | undefined;
  /** Default rmax / 0.05 Å. */
  bins?: number | undefined;
  /** Species pair "A-B" (element symbols or LAMMPS types); null for all atoms. */
  pair?: string | null | undefined;
}

export interface RdfRun {
  r: Float64Array;
  g: Float64Array;
  coordination: Float64Array;
  /** Parabola through the highest bin and its two neighbours. */
  peak: { r: number; g: number };
  frames: number;
  density: number;
  rmax: number;
  bins: number;
  pair: string | null;
}

export function rdfRun(first: Structure, frames: Iterable<Structure>, p: RdfParams = {}): RdfRun {
  if (!first.cell) throw new AnalysisError('g(r) needs a periodic cell and the file has none');
  const rmax = p.rmax ?? maxCutoff(first.cell, first.pbc);
  if (!(rmax > 0)) throw new AnalysisError(`r max must be positive (Å), got ${rmax}`);
  const bins = p.bins ?? Math.max(1, Math.round(rmax / RDF_DEFAULT_BIN_WIDTH));
  const pairText = p.pair?.trim() ? p.pair.trim() : null;
  const pair = pairText ? parsePair(pairText) : null;
  const groups = pair ? { groupA: speciesAtoms(first, pair[0]), groupB: speciesAtoms(first, pair[1]) } : {};
  if (pair && (groups.groupA!.length === 0 || groups.groupB!.length === 0)) {
    throw new AnalysisError(`pair ${pairText} matches no atom of ${groups.groupA!.length ? pair[1] : pair[0]}`);
  }
  const acc = new RdfAccumulator({ rmax, bins, ...groups });
  for (const frame of frames) acc.add(frame);
  if (acc.frameCount === 0) throw new AnalysisError('no frames to average');
  const res = acc.result();
  return {
    r: res.r,
    g: res.g,
    coordination: res.coordination,
    peak: { r: res.peak.x, g: res.peak.y },
    frames: res.frames,
    density: res.density,
    rmax,
    bins,
    pair: pairText,
  };
}

// ---- MSD ----------------------------------------------------------------------------------

export interface MsdParams {
  /** Atom selection (selection.ts syntax); null for all atoms. */
  select?: string | null | undefined;
  unwrap?: 'auto' | 'none' | undefined;
  /** Fit window (ps of lag); default 10 % .. 50 % of the longest lag. */
  fitStart?: number | undefined;
  fitEnd?: number | undefined;
  /** Also the non-Gaussian parameter α2(t). */
  alpha2?: boolean | undefined;
}

export interface MsdRun {
  /** Lag times (ps). */
  t: Float64Array;
  msd: Float64Array;
  D_cm2_s: number;
  D_err_cm2_s: number;
  /** The least-squares line MSD = intercept + slope t over the window (Å², Å²/ps). */
  slope: number;
  intercept: number;
  fitWindow: [number, number];
  fitPoints: number;
  atoms: number;
  frames: number;
  dt: number;
  timeSource: string;
  alpha2: { values: Float64Array; originStride: number } | null;
}

function selected(first: Structure, select: string | null | undefined): Int32Array | null {
  const text = select?.trim();
  if (!text) return null;
  const atoms = selectAtoms(first, text);
  if (atoms.length === 0) throw new AnalysisError(`selection "${text}" matches no atom`);
  return atoms;
}

export function msdRun(
  first: Structure,
  frames: Iterable<Structure>,
  expectedFrames: number,
  p: MsdParams,
  timeAxis: TimeAxisFor,
): MsdRun {
  const atoms = selected(first, p.select);
  const series = collectSeries(frames, 'positions', { atoms, expectedFrames, unwrap: p.unwrap ?? 'auto' });
  if (series.frames < 3) throw new AnalysisError(`an MSD needs at least 3 frames, the selection has ${series.frames}`);
  const axis = timeAxis(series.times, series.steps);
  const t = Float64Array.from({ length: series.frames }, (_, m) => m * axis.dt);
  const tmax = t[t.length - 1]!;
  // Default window: past the ballistic start, before the last half where few origins remain.
  const from = p.fitStart ?? 0.1 * tmax;
  const to = p.fitEnd ?? 0.5 * tmax;
  const alpha2 = p.alpha2 ? nonGaussian(series.data, series.frames, series.atoms) : null;
  const msd = msdAllOrigins(series.data, series.frames, series.atoms);
  const d = diffusionCoefficient(t, msd, from, to);
  return {
    t,
    msd,
    D_cm2_s: d.D_cm2_s,
    D_err_cm2_s: d.DErr_cm2_s,
    slope: d.fit.slope,
    intercept: d.fit.intercept,
    fitWindow: [from, to],
    fitPoints: d.fit.n,
    atoms: series.atoms,
    frames: series.frames,
    dt: axis.dt,
    timeSource: axis.source,
    alpha2: alpha2 ? { values: alpha2.alpha2, originStride: alpha2.originStride } : null,
  };
}

// ---- VACF ---------------------------------------------------------------------------------

export interface VacfParams {
  /** 'first' (LAMMPS compute vacf, the default) or 'all' time origins. */
  origins?: 'first' | 'all' | undefined;
  select?: string | null | undefined;
}

export interface VacfRun {
  t: Float64Array;
  /** Normalised, C(0) = 1. */
  vacf: Float64Array;
  /** Å²/ps². */
  raw: Float64Array;
  firstMin: { t: number; value: number } | null;
  firstZero: number | null;
  origins: 'first' | 'all';
  atoms: number;
  frames: number;
  dt: number;
  timeSource: string;
  spectrum: Spectrum;
}

export function vacfRun(
  first: Structure,
  frames: Iterable<Structure>,
  expectedFrames: number,
  p: VacfParams,
  timeAxis: TimeAxisFor,
): VacfRun {
  const origins = p.origins ?? 'first';
  const atoms = selected(first, p.select);
  if (!first.velocities) {
    throw new AnalysisError('no velocities in the file (a VACF needs vx vy vz: LAMMPS dump, TRR, extXYZ)');
  }
  const series = collectSeries(frames, 'velocities', { atoms, expectedFrames });
  if (series.frames < 2) throw new AnalysisError('a VACF needs at least 2 frames');
  const axis = timeAxis(series.times, series.steps);
  const raw =
    origins === 'all'
      ? vacfAllOrigins(series.data, series.frames, series.atoms)
      : vacfSingleOrigin(series.data, series.frames, series.atoms);
  const c = normalise(raw);
  const t = Float64Array.from({ length: series.frames }, (_, m) => m * axis.dt);
  const min = firstMinimum(t, c);
  return {
    t,
    vacf: c,
    raw,
    firstMin: min ? { t: min.t, value: min.value } : null,
    firstZero: firstZeroCrossing(t, c),
    origins,
    atoms: series.atoms,
    frames: series.frames,
    dt: axis.dt,
    timeSource: axis.source,
    spectrum: vacfSpectrum(c, axis.dt),
  };
}

// ---- RMSD / RMSF --------------------------------------------------------------------------

export interface RmsdParams {
  /** Fit selection; "none" = no superposition. Fit and measure default to each other, both to all. */
  fit?: string | null | undefined;
  measure?: string | null | undefined;
  massWeighted?: boolean | undefined;
}

/** Fit and measure selections: each defaults to the other, both to all atoms; fit "none" = no superposition. */
export function rmsdSelection(topology: Structure, p: RmsdParams): RmsdSelection {
  const fitText = p.fit?.trim() || undefined;
  const measureText = p.measure?.trim() || undefined;
  const noFit = fitText?.toLowerCase() === 'none';
  const measure = selectAtoms(topology, measureText ?? (noFit ? 'all' : (fitText ?? 'all')));
  const fit = noFit ? null : selectAtoms(topology, fitText ?? measureText ?? 'all');
  if (measure.length === 0) throw new AnalysisError(`measure selection "${measureText}" matches no atom`);
  if (fit && fit.length === 0) throw new AnalysisError(`fit selection "${fitText}" matches no atom`);
  let weights: Float64Array | null = null;
  if (p.massWeighted) {
    const m = topology.arrays['mass'];
    weights =
      m && !Array.isArray(m)
        ? Float64Array.from(m as ArrayLike<number>)
        : Float64Array.from(topology.numbers, (z) => elementMasses[z]!);
  }
  return { fit, measure, weights };
}

export interface RmsdRun {
  rmsd: Float64Array;
  /** Frame times (ps) when every frame has one. */
  times: Float64Array | null;
  fitAtoms: number;
  measureAtoms: number;
}

/** RMSD of every frame against `reference` (positions, Å) after superposition on the fit atoms. */
export function rmsdRun(
  reference: Float64Array,
  sel: RmsdSelection,
  frames: Iterable<Structure>,
  expectedFrames: number,
): RmsdRun {
  const rmsd = new RmsdToReference(reference, sel);
  let values = new Float64Array(Math.max(1, expectedFrames));
  const times: number[] = [];
  let k = 0;
  for (const frame of frames) {
    if (k === values.length) {
      const grown = new Float64Array(2 * values.length);
      grown.set(values);
      values = grown;
    }
    values[k++] = rmsd.measure(frame.positions);
    if (typeof frame.info['time'] === 'number') times.push(frame.info['time']);
  }
  if (k === 0) throw new AnalysisError('no frames');
  return {
    rmsd: k === values.length ? values : values.slice(0, k),
    times: times.length === k ? Float64Array.from(times) : null,
    fitAtoms: sel.fit?.length ?? 0,
    measureAtoms: sel.measure.length,
  };
}

export interface RmsfRun {
  atoms: Int32Array;
  elements: string[];
  /** Atom names when the file (or topology) has them. */
  names: string[] | null;
  rmsf: Float64Array;
  frames: number;
}

export function rmsfRun(
  first: Structure,
  reference: Float64Array,
  sel: RmsdSelection,
  frames: Iterable<Structure>,
): RmsfRun {
  const acc = new RmsfAccumulator(reference, sel);
  let n = 0;
  for (const frame of frames) {
    acc.add(frame.positions);
    n++;
  }
  if (n === 0) throw new AnalysisError('no frames');
  const atoms = Int32Array.from(sel.measure);
  const names = first.arrays['name'];
  return {
    atoms,
    elements: Array.from(atoms, (a) => elementSymbol(first.numbers[a]!)),
    names: Array.isArray(names) ? Array.from(atoms, (a) => String(names[a] ?? '')) : null,
    rmsf: acc.result(),
    frames: n,
  };
}
