/**
 * Displacement statistics beyond the MSD, from unwrapped positions (frame-major series):
 * the non-Gaussian parameter α2(t) = 3<Δr⁴>/(5<Δr²>²) - 1 (Rahman 1964: zero for Gaussian,
 * i.e. Brownian, displacements) and the self part of the van Hove function G_s(r, t), the
 * distribution of |Δr| after a lag t, normalised so that ∫ 4πr² G_s dr = 1.
 *
 * <Δr⁴> has no FFT shortcut, so origins are taken every `originStride` frames; by default the
 * stride keeps the work near 2·10⁸ atom-displacements.
 */
import { AnalysisError } from './errors.js';

const WORK_BUDGET = 2e8;

function defaultStride(frames: number, atoms: number, lags: number): number {
  const work = frames * lags * atoms;
  return Math.max(1, Math.ceil(work / WORK_BUDGET));
}

export interface NonGaussian {
  /** Lag in frames, 0..maxLag. */
  lag: Int32Array;
  msd: Float64Array;
  /** <Δr⁴> (Å⁴) */
  r4: Float64Array;
  alpha2: Float64Array;
  originStride: number;
}

export function nonGaussian(
  positions: Float64Array,
  frames: number,
  atoms: number,
  options: { originStride?: number; maxLag?: number } = {},
): NonGaussian {
  const maxLag = Math.min(frames - 1, options.maxLag ?? frames - 1);
  const stride = options.originStride ?? defaultStride(frames, atoms, maxLag);
  const width = 3 * atoms;
  const lag = new Int32Array(maxLag + 1);
  const msd = new Float64Array(maxLag + 1);
  const r4 = new Float64Array(maxLag + 1);
  const alpha2 = new Float64Array(maxLag + 1);
  for (let m = 1; m <= maxLag; m++) {
    let s2 = 0;
    let s4 = 0;
    let count = 0;
    for (let k = 0; k + m < frames; k += stride) {
      const a = k * width;
      const b = (k + m) * width;
      for (let c = 0; c < width; c += 3) {
        const dx = positions[b + c]! - positions[a + c]!;
        const dy = positions[b + c + 1]! - positions[a + c + 1]!;
        const dz = positions[b + c + 2]! - positions[a + c + 2]!;
        const d2 = dx * dx + dy * dy + dz * dz;
        s2 += d2;
        s4 += d2 * d2;
      }
      count += atoms;
    }
    lag[m] = m;
    msd[m] = s2 / count;
    r4[m] = s4 / count;
    alpha2[m] = msd[m]! > 0 ? (3 * r4[m]!) / (5 * msd[m]! * msd[m]!) - 1 : 0;
  }
  return { lag, msd, r4, alpha2, originStride: stride };
}

export interface VanHoveSelf {
  /** Bin centres (Å). */
  r: Float64Array;
  /** Lags in frames, as asked. */
  lags: number[];
  /** G_s(r, t) for each lag (Å⁻³). */
  g: Float64Array[];
  originStride: number;
}

export function vanHoveSelf(
  positions: Float64Array,
  frames: number,
  atoms: number,
  lags: number[],
  options: { rmax: number; bins: number; originStride?: number },
): VanHoveSelf {
  const { rmax, bins } = options;
  if (!(rmax > 0) || !(bins >= 1)) throw new AnalysisError('van Hove: rmax and bins must be positive');
  for (const m of lags) {
    if (!Number.isInteger(m) || m < 1 || m >= frames)
      throw new AnalysisError(`van Hove: lag ${m} frames is not in 1..${frames - 1}`);
  }
  const stride = options.originStride ?? defaultStride(frames, atoms, lags.length);
  const width = 3 * atoms;
  const dr = rmax / bins;
  const r = Float64Array.from({ length: bins }, (_, b) => (b + 0.5) * dr);
  const g = lags.map((m) => {
    const hist = new Float64Array(bins);
    let count = 0;
    for (let k = 0; k + m < frames; k += stride) {
      const a = k * width;
      const b = (k + m) * width;
      for (let c = 0; c < width; c += 3) {
        const dx = positions[b + c]! - positions[a + c]!;
        const dy = positions[b + c + 1]! - positions[a + c + 1]!;
        const dz = positions[b + c + 2]! - positions[a + c + 2]!;
        const bin = (Math.sqrt(dx * dx + dy * dy + dz * dz) / dr) | 0;
        if (bin < bins) hist[bin] = hist[bin]! + 1;
      }
      count += atoms;
    }
    for (let bin = 0; bin < bins; bin++) {
      const lo = bin * dr;
      const hi = lo + dr;
      hist[bin] = hist[bin]! / (count * ((4 * Math.PI) / 3) * (hi * hi * hi - lo * lo * lo));
    }
    return hist;
  });
  return { r, lags, g, originStride: stride };
}
