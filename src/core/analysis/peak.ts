/**
 * Peak of a sampled curve: the parabola through the highest sample and its two neighbours
 * (the convention of the corpus references: first_peak_r_A_parabolic). At an edge, or when
 * the three points are collinear, the highest sample itself.
 */
export interface Peak {
  x: number;
  y: number;
  /** Index of the highest sample. */
  index: number;
}

export function parabolicPeak(x: ArrayLike<number>, y: ArrayLike<number>): Peak {
  let best = 0;
  for (let i = 1; i < y.length; i++) if (y[i]! > y[best]!) best = i;
  const y1 = y[best] ?? NaN;
  const x1 = x[best] ?? NaN;
  if (best === 0 || best === y.length - 1) return { x: x1, y: y1, index: best };
  const y0 = y[best - 1]!;
  const y2 = y[best + 1]!;
  const curvature = y0 - 2 * y1 + y2;
  if (curvature >= 0) return { x: x1, y: y1, index: best };
  // Uniform spacing is assumed around the peak (bins, sample grids): h from the right neighbour.
  const h = x[best + 1]! - x1;
  return {
    x: x1 + (h * (y0 - y2)) / (2 * curvature),
    y: y1 - ((y0 - y2) * (y0 - y2)) / (8 * curvature),
    index: best,
  };
}
