/**
 * Energy minimisation at fixed cell: Polak–Ribière conjugate gradient with a line search on
 * the directional derivative, and FIRE (Bitzek et al. 2006, with the FIRE 2.0 step-back of
 * Guénolé et al. 2020).
 *
 * Both work in place on `problem.x` and call `problem.evaluate(g)`, which must return the
 * energy at the current x and write the gradient (minus the forces) into g. Convergence is
 * judged on forces, not on energy changes: near a minimum of a system of 10^3 atoms, energy
 * differences fall below the round-off of a total of 10^3 eV long before the forces vanish,
 * which is why the line search steers by slopes and only uses energies as a guard.
 */

export interface MinimizeProblem {
  /** The coordinates, changed in place. */
  x: Float64Array;
  /** Energy at the current x; writes dE/dx into `gradient`. */
  evaluate(gradient: Float64Array): number;
  /** Coordinates that must not move (1 = frozen), same length as x. */
  frozen?: Uint8Array;
}

export interface MinimizeOptions {
  /** Stop when the largest force component is below this (eV/Å). Default 1e-8. */
  fmax?: number;
  /** Stop after this many iterations. Default 10000. */
  maxIterations?: number;
  /** Largest move of any coordinate in one step (Å). Default 0.2. */
  maxStep?: number;
}

export interface MinimizeResult {
  energy: number;
  /** Largest force component at the end (eV/Å). */
  fmax: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) {
    const v = Math.abs(a[k]!);
    if (v > m) m = v;
  }
  return m;
}

/** Evaluates with frozen coordinates' gradient zeroed, so they never move. */
function evaluator(problem: MinimizeProblem): (g: Float64Array) => number {
  const frozen = problem.frozen;
  if (!frozen) return (g) => problem.evaluate(g);
  return (g) => {
    const e = problem.evaluate(g);
    for (let k = 0; k < g.length; k++) if (frozen[k]) g[k] = 0;
    return e;
  };
}

/**
 * Polak–Ribière (PR+) conjugate gradient. Each line search brackets the zero of the slope
 * g·d along d and closes in on it by secant steps (with bisection as a safeguard); the
 * direction restarts along the force when PR's beta turns negative or d stops going downhill.
 */
export function minimizeCG(problem: MinimizeProblem, options: MinimizeOptions = {}): MinimizeResult {
  const fmaxTol = options.fmax ?? 1e-8;
  const maxIterations = options.maxIterations ?? 10000;
  const maxStep = options.maxStep ?? 0.2;
  const evaluate = evaluator(problem);
  const x = problem.x;
  const n = x.length;
  const g = new Float64Array(n);
  const gPrev = new Float64Array(n);
  const d = new Float64Array(n);
  const x0 = new Float64Array(n);
  let evaluations = 1;
  let energy = evaluate(g);
  for (let k = 0; k < n; k++) d[k] = -g[k]!;
  let alphaGuess = 0;
  let iterations = 0;
  while (iterations < maxIterations) {
    if (maxAbs(g) < fmaxTol) return { energy, fmax: maxAbs(g), iterations, evaluations, converged: true };
    iterations++;
    let slope0 = dot(g, d);
    if (!(slope0 < 0)) {
      for (let k = 0; k < n; k++) d[k] = -g[k]!;
      slope0 = dot(g, d);
    }
    const dmax = maxAbs(d);
    // First trial: the last accepted step length, capped so no coordinate moves more than maxStep.
    const alphaCap = maxStep / dmax;
    let alpha = Math.min(alphaGuess > 0 ? alphaGuess : alphaCap * 0.1, alphaCap);
    x0.set(x);
    gPrev.set(g);
    const e0 = energy;
    const search = lineSearch(x, x0, d, g, evaluate, e0, slope0, alpha, alphaCap);
    evaluations += search.evaluations;
    if (!search.ok) {
      // No progress along d: back to the start point, and if d was already the steepest
      // descent the minimum is as good as round-off allows.
      x.set(x0);
      g.set(gPrev);
      energy = e0;
      const steepest = Math.abs(slope0 + dot(g, g)) <= 1e-12 * Math.abs(slope0);
      if (steepest) return { energy, fmax: maxAbs(g), iterations, evaluations, converged: maxAbs(g) < fmaxTol };
      for (let k = 0; k < n; k++) d[k] = -g[k]!;
      alphaGuess = 0;
      continue;
    }
    energy = search.energy;
    alpha = search.alpha;
    alphaGuess = alpha;
    // PR+: beta = max(0, g·(g - gPrev) / gPrev·gPrev).
    let num = 0;
    let den = 0;
    for (let k = 0; k < n; k++) {
      num += g[k]! * (g[k]! - gPrev[k]!);
      den += gPrev[k]! * gPrev[k]!;
    }
    const beta = den > 0 ? Math.max(0, num / den) : 0;
    for (let k = 0; k < n; k++) d[k] = -g[k]! + beta * d[k]!;
    if (iterations % Math.max(50, n) === 0) for (let k = 0; k < n; k++) d[k] = -g[k]!;
  }
  return { energy, fmax: maxAbs(g), iterations, evaluations, converged: maxAbs(g) < fmaxTol };
}

interface SearchResult {
  ok: boolean;
  energy: number;
  alpha: number;
  evaluations: number;
}

/**
 * Finds alpha with |g(x0 + alpha d)·d| <= 0.1 |g(x0)·d| and an energy not above the start
 * (within round-off). Leaves x and g at the accepted point.
 */
function lineSearch(
  x: Float64Array,
  x0: Float64Array,
  d: Float64Array,
  g: Float64Array,
  evaluate: (g: Float64Array) => number,
  e0: number,
  slope0: number,
  alphaStart: number,
  alphaCap: number,
): SearchResult {
  const n = x.length;
  const roundoff = 1e-12 * Math.max(1, Math.abs(e0));
  let evaluations = 0;
  let lo = 0;
  let slopeLo = slope0;
  let hi = Infinity;
  let slopeHi = 0;
  let alpha = alphaStart;
  let best = { alpha: 0, energy: e0 };
  for (let trial = 0; trial < 40; trial++) {
    for (let k = 0; k < n; k++) x[k] = x0[k]! + alpha * d[k]!;
    const e = evaluate(g);
    evaluations++;
    const slope = dot(g, d);
    const downhill = e <= e0 + roundoff;
    if (downhill && Math.abs(slope) <= 0.1 * Math.abs(slope0)) {
      return { ok: true, energy: e, alpha, evaluations };
    }
    if (downhill && e < best.energy) best = { alpha, energy: e };
    if (slope > 0 || !downhill) {
      hi = alpha;
      slopeHi = slope > 0 ? slope : Math.abs(slope0);
    } else {
      lo = alpha;
      slopeLo = slope;
    }
    if (hi === Infinity) {
      if (alpha >= alphaCap) break;
      // Extrapolate by the secant of the slope, at most 4x, never past the step cap.
      const grow = slope < slopeLo || lo === 0 ? 4 : Math.min(4, Math.max(1.5, slope0 / (slope0 - slope)));
      alpha = Math.min(alpha * grow, alphaCap);
    } else {
      // Secant between the bracket ends, kept inside the bracket's middle 80 %.
      let next = lo - (slopeLo * (hi - lo)) / (slopeHi - slopeLo);
      const w = hi - lo;
      if (!(next > lo + 0.1 * w && next < hi - 0.1 * w)) next = 0.5 * (lo + hi);
      alpha = next;
      if (w <= 1e-14 * Math.max(1, hi)) break;
    }
  }
  // Take the best downhill point found, if any.
  if (best.alpha > 0) {
    for (let k = 0; k < n; k++) x[k] = x0[k]! + best.alpha * d[k]!;
    const e = evaluate(g);
    return { ok: true, energy: e, alpha: best.alpha, evaluations: evaluations + 1 };
  }
  return { ok: false, energy: e0, alpha: 0, evaluations };
}

export interface FireOptions extends MinimizeOptions {
  /** Initial time step (mass 1 per coordinate; Å and eV make the unit ~10 fs for Cu). Default 0.1. */
  dt?: number;
  /** Largest time step. Default 1.0. */
  dtMax?: number;
}

/** FIRE with unit masses: MD with velocity mixing towards the force, reset on uphill motion. */
export function minimizeFIRE(problem: MinimizeProblem, options: FireOptions = {}): MinimizeResult {
  const fmaxTol = options.fmax ?? 1e-8;
  const maxIterations = options.maxIterations ?? 100000;
  const maxStep = options.maxStep ?? 0.2;
  const dtMax = options.dtMax ?? 1.0;
  const nMin = 5;
  const fInc = 1.1;
  const fDec = 0.5;
  const alphaStart = 0.1;
  const fAlpha = 0.99;
  const evaluate = evaluator(problem);
  const x = problem.x;
  const n = x.length;
  const g = new Float64Array(n);
  const v = new Float64Array(n);
  let dt = options.dt ?? 0.1;
  let alpha = alphaStart;
  let positive = 0;
  let energy = evaluate(g);
  let evaluations = 1;
  let iterations = 0;
  while (iterations < maxIterations) {
    const fm = maxAbs(g);
    if (fm < fmaxTol) return { energy, fmax: fm, iterations, evaluations, converged: true };
    iterations++;
    // P = F·v, with F = -g.
    let power = 0;
    let ff = 0;
    for (let k = 0; k < n; k++) {
      power -= g[k]! * v[k]!;
      ff += g[k]! * g[k]!;
    }
    if (power > 0) {
      positive++;
      if (positive > nMin) {
        dt = Math.min(dt * fInc, dtMax);
        alpha *= fAlpha;
      }
    } else {
      positive = 0;
      dt *= fDec;
      alpha = alphaStart;
      // FIRE 2.0: step half back and stop.
      for (let k = 0; k < n; k++) {
        x[k]! -= 0.5 * dt * v[k]!;
        v[k] = 0;
      }
    }
    // Semi-implicit Euler: v += dt F, then the FIRE mixing v <- (1 - a) v + a |v| F/|F|.
    let vv = 0;
    for (let k = 0; k < n; k++) {
      const vk = v[k]! - dt * g[k]!;
      v[k] = vk;
      vv += vk * vk;
    }
    const scale = ff > 0 ? (alpha * Math.sqrt(vv)) / Math.sqrt(ff) : 0;
    let stepMax = 0;
    for (let k = 0; k < n; k++) {
      const vk = (1 - alpha) * v[k]! - scale * g[k]!;
      v[k] = vk;
      stepMax = Math.max(stepMax, Math.abs(dt * vk));
    }
    // A capped step caps the velocity too, so a too-large dt cannot pump energy into v.
    const shrink = stepMax > maxStep ? maxStep / stepMax : 1;
    for (let k = 0; k < n; k++) {
      v[k]! *= shrink;
      x[k]! += dt * v[k]!;
    }
    energy = evaluate(g);
    evaluations++;
  }
  return { energy, fmax: maxAbs(g), iterations, evaluations, converged: maxAbs(g) < fmaxTol };
}
