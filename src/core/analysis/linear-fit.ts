/**
 * Ordinary least-squares line y = a + b x over the points whose x lies in [from, to], with
 * the standard error of the slope from the residuals (n - 2 degrees of freedom).
 *
 * For MSD curves the points are strongly correlated (all origins overlap), so this standard
 * error is a lower bound of the true uncertainty; it is what scipy.stats.linregress reports
 * for the same points, which keeps the numbers comparable.
 */
import { AnalysisError } from './errors.js';

export interface LinearFit {
  slope: number;
  intercept: number;
  slopeStdErr: number;
  /** Points used. */
  n: number;
  from: number;
  to: number;
}

export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>, from = -Infinity, to = Infinity): LinearFit {
  // A little slack so that windows given in ps include samples stored as float32 times.
  const span = x.length > 1 ? Math.abs(x[x.length - 1]! - x[0]!) : 0;
  const eps = 1e-9 * Math.max(span, 1);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi < from - eps || xi > to + eps) continue;
    n++;
    sx += xi;
    sy += y[i]!;
  }
  if (n < 2) throw new AnalysisError(`the fit window [${from}, ${to}] holds ${n} point(s); a line needs at least 2`);
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi < from - eps || xi > to + eps) continue;
    sxx += (xi - mx) * (xi - mx);
    sxy += (xi - mx) * (y[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi < from - eps || xi > to + eps) continue;
    const e = y[i]! - intercept - slope * xi;
    ss += e * e;
  }
  const slopeStdErr = n > 2 ? Math.sqrt(ss / (n - 2) / sxx) : NaN;
  return { slope, intercept, slopeStdErr, n, from, to };
}
