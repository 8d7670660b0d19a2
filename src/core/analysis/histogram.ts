/**
 * Distributions of any per-atom or per-frame quantity: a histogram (counts or density) and a
 * Gaussian kernel density estimate with Scott's bandwidth (scipy.stats.gaussian_kde's
 * default, σ n^(-1/5)). Large samples are binned linearly on a fine grid before the kernel
 * sum, so a KDE of 10⁷ velocity components costs O(n + grid · nodes) rather than O(n · grid).
 */
import { AnalysisError } from './errors.js';

export interface Histogram {
  /** Bin edges, length bins + 1. */
  edges: Float64Array;
  centres: Float64Array;
  counts: Float64Array;
  /** counts / (n · width): integrates to the fraction of values inside the range. */
  density: Float64Array;
  /** Values that fell outside the range. */
  outside: number;
}

export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) throw new AnalysisError('no finite values');
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

export function histogram(values: ArrayLike<number>, bins: number, range?: [number, number]): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new AnalysisError(`bins must be a positive integer, got ${bins}`);
  const [lo, hi] = range ?? valueRange(values);
  if (!(hi > lo)) throw new AnalysisError(`histogram range [${lo}, ${hi}] is empty`);
  const width = (hi - lo) / bins;
  const counts = new Float64Array(bins);
  let outside = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    // The last edge belongs to the last bin, as in numpy.histogram.
    const b = v === hi ? bins - 1 : Math.floor((v - lo) / width);
    if (b < 0 || b >= bins) outside++;
    else counts[b] = counts[b]! + 1;
  }
  const edges = Float64Array.from({ length: bins + 1 }, (_, b) => lo + b * width);
  const centres = Float64Array.from({ length: bins }, (_, b) => lo + (b + 0.5) * width);
  const density = counts.map((c) => (n ? c / (n * width) : 0));
  return { edges, centres, counts, density, outside };
}

export function scottBandwidth(values: ArrayLike<number>): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  if (n < 2) throw new AnalysisError('a KDE needs at least two values');
  // scipy uses the unbiased (ddof = 1) standard deviation.
  return Math.sqrt(m2 / (n - 1)) * Math.pow(n, -0.2);
}

/** Gaussian KDE evaluated at `grid`; bandwidth defaults to Scott's rule. */
export function gaussianKde(values: ArrayLike<number>, grid: ArrayLike<number>, bandwidth?: number): Float64Array {
  const h = bandwidth ?? scottBandwidth(values);
  if (!(h > 0)) throw new AnalysisError('KDE bandwidth must be positive (are all values equal?)');
  const out = new Float64Array(grid.length);
  const norm = 1 / (Math.sqrt(2 * Math.PI) * h);
  const exact = values.length <= 20000;
  // Either the values themselves (weight 1) or a fine grid (spacing h/50) carrying each value
  // split linearly between its two nearest nodes, which keeps the mean of every value and so
  // moves the estimate only at second order, ~(1/50)²/2 of its curvature.
  let points: ArrayLike<number> = values;
  let weights: Float64Array | null = null;
  let n = 0;
  if (!exact) {
    const [lo, hi] = valueRange(values);
    const cells = Math.min(1 << 16, Math.max(1, Math.ceil((hi - lo) / (h / 50))));
    const step = (hi - lo) / cells;
    weights = new Float64Array(cells + 1);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      const t = (v - lo) / step;
      const j = Math.min(cells - 1, Math.floor(t));
      const f = t - j;
      weights[j] = weights[j]! + (1 - f);
      weights[j + 1] = weights[j + 1]! + f;
    }
    points = Float64Array.from({ length: cells + 1 }, (_, j) => lo + j * step);
  }
  for (let i = 0; i < points.length; i++) if (Number.isFinite(points[i]!)) n += weights ? weights[i]! : 1;
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g]!;
    let s = 0;
    for (let i = 0; i < points.length; i++) {
      const w = weights ? weights[i]! : 1;
      const p = points[i]!;
      if (w === 0 || !Number.isFinite(p)) continue;
      const u = (x - p) / h;
      if (u > 8 || u < -8) continue; // exp(-32) is below double-precision relevance
      s += w * Math.exp(-0.5 * u * u);
    }
    out[g] = (s * norm) / n;
  }
  return out;
}
