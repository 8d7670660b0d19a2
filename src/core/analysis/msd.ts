/**
 * Mean-square displacement over all time origins by the FFT method (Kneller et al. 1995;
 * Calandrini et al. 2011, as in MDAnalysis EinsteinMSD(fft=True) and tidynamics):
 *
 *   MSD(m) = 1/(N(T-m)) Σ_c Σ_{k=0}^{T-1-m} (x_c(k+m) - x_c(k))²
 *          = 1/(N(T-m)) [ Σ_{k<T-m} D(k) + Σ_{k≥m} D(k) - 2 Σ_c A_c(m) ]
 *
 * with D(k) = Σ_c x_c(k)² and A_c the autocorrelation of column c. O(N T log T) instead of
 * O(N T²). Positions must be unwrapped (see unwrap.ts); columns are centred on their time
 * mean first, which leaves every displacement unchanged but keeps the squares small, so
 * the subtraction loses no digits for atoms far from the origin.
 *
 * The diffusion coefficient D = slope/6 of a least-squares line through MSD(t) over a lag
 * window (Einstein relation in 3D); 1 Å²/ps = 1e-4 cm²/s.
 */
import { AnalysisError } from './errors.js';
import { autocorrelationSum } from './fft.js';
import { linearFit, type LinearFit } from './linear-fit.js';

export const A2_PER_PS_TO_CM2_PER_S = 1e-4;

/**
 * MSD(m), m = 0..frames-1, averaged over atoms and all origins (Å²). Centres each column of
 * `positions` on its time mean in place (displacements, and so every MSD, are unchanged).
 */
export function msdAllOrigins(positions: Float64Array, frames: number, atoms: number): Float64Array {
  const width = 3 * atoms;
  if (positions.length < frames * width) throw new AnalysisError('position series shorter than frames × atoms');
  // In place: the series is the one whole-trajectory array, and a copy would double it.
  const centred = positions;
  const mean = new Float64Array(width);
  for (let k = 0; k < frames; k++) for (let c = 0; c < width; c++) mean[c] = mean[c]! + positions[k * width + c]!;
  for (let c = 0; c < width; c++) mean[c] = mean[c]! / frames;
  for (let k = 0; k < frames; k++)
    for (let c = 0; c < width; c++) centred[k * width + c] = centred[k * width + c]! - mean[c]!;
  const squares = new Float64Array(frames);
  for (let k = 0; k < frames; k++) {
    let s = 0;
    const base = k * width;
    for (let c = 0; c < width; c++) s += centred[base + c]! * centred[base + c]!;
    squares[k] = s;
  }
  const acf = autocorrelationSum(centred, frames, width);
  const msd = new Float64Array(frames);
  let q = 0;
  for (let k = 0; k < frames; k++) q += 2 * squares[k]!;
  for (let m = 0; m < frames; m++) {
    if (m > 0) q -= squares[m - 1]! + squares[frames - m]!;
    // Clamp the O(ε) negative that the subtraction can leave at m = 0.
    msd[m] = Math.max(0, (q - 2 * acf[m]!) / ((frames - m) * atoms));
  }
  msd[0] = 0;
  return msd;
}

/** MSD(m) from the first frame only (what LAMMPS compute msd reports). */
export function msdSingleOrigin(positions: Float64Array, frames: number, atoms: number): Float64Array {
  const width = 3 * atoms;
  const msd = new Float64Array(frames);
  for (let k = 0; k < frames; k++) {
    let s = 0;
    const base = k * width;
    for (let c = 0; c < width; c++) {
      const d = positions[base + c]! - positions[c]!;
      s += d * d;
    }
    msd[k] = s / atoms;
  }
  return msd;
}

export interface Diffusion {
  /** Å²/ps */
  D: number;
  DErr: number;
  /** cm²/s */
  D_cm2_s: number;
  DErr_cm2_s: number;
  fit: LinearFit;
}

/** D = slope/(2·dimensions) of MSD(t) over lags in [from, to] ps. */
export function diffusionCoefficient(
  t: ArrayLike<number>,
  msd: ArrayLike<number>,
  from: number,
  to: number,
  dimensions = 3,
): Diffusion {
  if (!(to > from)) throw new AnalysisError(`fit window end ${to} ps must come after its start ${from} ps`);
  const fit = linearFit(t, msd, from, to);
  const D = fit.slope / (2 * dimensions);
  const DErr = fit.slopeStdErr / (2 * dimensions);
  return { D, DErr, D_cm2_s: D * A2_PER_PS_TO_CM2_PER_S, DErr_cm2_s: DErr * A2_PER_PS_TO_CM2_PER_S, fit };
}
