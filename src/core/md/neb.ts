/**
 * Nudged elastic band with a climbing image (Henkelman, Uberuaga and Jónsson 2000), on any
 * energy surface given as a function of a flat coordinate vector.
 *
 * A chain of images between two fixed end points relaxes under
 *
 *   F_i = −∇V(R_i)⊥ + k (|R_{i+1} − R_i| − |R_i − R_{i−1}|) τ_i
 *
 * (true force perpendicular to the path, springs only along it), with the tangent τ_i of
 * Henkelman and Jónsson's improved estimate (2000): the segment towards the higher
 * neighbour, energy-weighted mixing at extrema, which keeps the band from kinking on curved
 * paths such as Müller–Brown's. Once the band has settled, the highest image climbs:
 * F = −∇V + 2(∇V·τ)τ, uphill along the path and downhill across it, so it converges onto
 * the saddle point itself. The images are moved by FIRE (minimize.ts) on −F, which needs
 * forces only.
 */
import { minimizeFIRE } from './minimize.js';

/** Energy at x; writes ∇V into `gradient`. */
export type EnergyGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface NebOptions {
  /** Movable images between the end points (default 15). */
  images?: number;
  /** Spring constant (energy / length², default 1). */
  spring?: number;
  /** Let the highest image climb to the saddle (default true). */
  climb?: boolean;
  /** Converged when the largest NEB force component is below this (default 1e-3). */
  fmax?: number;
  /** The climbing image is switched on once the band is at this force (default 10 × fmax). */
  climbAfter?: number;
  maxIterations?: number;
  /** FIRE time step, its maximum, and the largest move of one coordinate per step. */
  dt?: number;
  dtMax?: number;
  maxStep?: number;
  /** Starting images (without the end points); default the straight line. */
  initial?: Float64Array[];
}

export interface NebResult {
  /** All images including both end points. */
  path: Float64Array[];
  energies: Float64Array;
  /** Cumulative distance along the path (same length units as x). */
  arc: Float64Array;
  /** Index into `path` of the climbing image (the saddle estimate), or -1 without climbing. */
  climbing: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Largest NEB force component at the end. */
  fmax: number;
}

export function neb(f: EnergyGradient, start: Float64Array, end: Float64Array, options: NebOptions = {}): NebResult {
  const d = start.length;
  if (end.length !== d) throw new Error(`NEB end points differ in dimension (${d} and ${end.length})`);
  const m = options.images ?? 15;
  if (!Number.isInteger(m) || m < 1) throw new Error(`NEB needs at least one movable image, got ${m}`);
  const k = options.spring ?? 1;
  const fmax = options.fmax ?? 1e-3;
  const climbAfter = options.climbAfter ?? 10 * fmax;
  const climbWanted = options.climb ?? true;
  const x = new Float64Array(m * d);
  if (options.initial) {
    if (options.initial.length !== m)
      throw new Error(`NEB initial path has ${options.initial.length} images, expected ${m}`);
    options.initial.forEach((img, i) => x.set(img, i * d));
  } else {
    for (let i = 0; i < m; i++) {
      const t = (i + 1) / (m + 1);
      for (let c = 0; c < d; c++) x[i * d + c] = (1 - t) * start[c]! + t * end[c]!;
    }
  }
  const energies = new Float64Array(m + 2);
  const grads = new Float64Array(m * d);
  const scratch = new Float64Array(d);
  energies[0] = f(start, scratch);
  energies[m + 1] = f(end, scratch);
  const image = (i: number): Float64Array => (i === 0 ? start : i === m + 1 ? end : x.subarray((i - 1) * d, i * d));
  let climbing = -1;
  let climbOn = false;
  let evaluations = 2;
  const tangent = new Float64Array(d);
  const tp = new Float64Array(d);
  const tm = new Float64Array(d);

  /** −(NEB force) of every movable image into g; returns the highest image energy. */
  const evaluate = (g: Float64Array): number => {
    for (let i = 1; i <= m; i++) {
      energies[i] = f(image(i), grads.subarray((i - 1) * d, i * d));
      evaluations++;
    }
    let top = 1;
    for (let i = 2; i <= m; i++) if (energies[i]! > energies[top]!) top = i;
    climbing = climbOn ? top : -1;
    for (let i = 1; i <= m; i++) {
      const r = image(i);
      const rp = image(i + 1);
      const rm = image(i - 1);
      let lp = 0;
      let lm = 0;
      for (let c = 0; c < d; c++) {
        tp[c] = rp[c]! - r[c]!;
        tm[c] = r[c]! - rm[c]!;
        lp += tp[c]! * tp[c]!;
        lm += tm[c]! * tm[c]!;
      }
      lp = Math.sqrt(lp);
      lm = Math.sqrt(lm);
      const e = energies[i]!;
      const ep = energies[i + 1]!;
      const em = energies[i - 1]!;
      // Improved tangent (Henkelman and Jónsson 2000, eqs. 8-11).
      if (ep > e && e > em) tangent.set(tp);
      else if (ep < e && e < em) tangent.set(tm);
      else {
        const vmax = Math.max(Math.abs(ep - e), Math.abs(em - e));
        const vmin = Math.min(Math.abs(ep - e), Math.abs(em - e));
        const [wp, wm] = ep > em ? [vmax, vmin] : [vmin, vmax];
        for (let c = 0; c < d; c++) tangent[c] = wp * tp[c]! + wm * tm[c]!;
      }
      let norm = 0;
      for (let c = 0; c < d; c++) norm += tangent[c]! * tangent[c]!;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let c = 0; c < d; c++) tangent[c]! /= norm;
      const gi = grads.subarray((i - 1) * d, i * d);
      let gt = 0;
      for (let c = 0; c < d; c++) gt += gi[c]! * tangent[c]!;
      const out = g.subarray((i - 1) * d, i * d);
      if (i === climbing) {
        // −F = ∇V − 2(∇V·τ)τ: climb along τ, descend across it; no springs.
        for (let c = 0; c < d; c++) out[c] = gi[c]! - 2 * gt * tangent[c]!;
      } else {
        const spring = k * (lp - lm);
        // −F = ∇V⊥ − spring τ.
        for (let c = 0; c < d; c++) out[c] = gi[c]! - gt * tangent[c]! - spring * tangent[c]!;
      }
    }
    return energies[top]!;
  };

  const fire = {
    dt: options.dt ?? 0.01,
    dtMax: options.dtMax ?? 0.1,
    maxStep: options.maxStep ?? 0.05,
  };
  const maxIterations = options.maxIterations ?? 20000;
  const problem = { x, evaluate };
  // First the plain band, then (if wanted) the same band with its highest image climbing.
  let last = minimizeFIRE(problem, { ...fire, fmax: climbWanted ? Math.max(climbAfter, fmax) : fmax, maxIterations });
  let iterations = last.iterations;
  if (climbWanted) {
    climbOn = true;
    last = minimizeFIRE(problem, { ...fire, fmax, maxIterations: Math.max(1, maxIterations - iterations) });
    iterations += last.iterations;
  }
  const converged = last.converged;
  // Energies (and the climbing index) of the final images.
  evaluate(new Float64Array(m * d));
  const path = Array.from({ length: m + 2 }, (_, i) => image(i).slice());
  const arc = new Float64Array(m + 2);
  for (let i = 1; i < m + 2; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += (path[i]![c]! - path[i - 1]![c]!) ** 2;
    arc[i] = arc[i - 1]! + Math.sqrt(s);
  }
  return {
    path,
    energies: energies.slice(),
    arc,
    climbing,
    iterations,
    evaluations,
    converged,
    fmax: last.fmax,
  };
}
