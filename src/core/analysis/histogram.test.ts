// Histograms and KDE against numpy.histogram / scipy.stats.gaussian_kde conventions.
import { describe, expect, it } from 'vitest';
import { gaussianKde, histogram, scottBandwidth } from './histogram';

function normals(n: number, seed: number): Float64Array {
  let s = seed;
  const u = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('histogram', () => {
  it('counts like numpy.histogram: last edge inclusive, outside values reported', () => {
    const h = histogram([0, 0.5, 1, 1.5, 2, 2, 3, -1], 4, [0, 2]);
    expect(Array.from(h.counts)).toEqual([1, 1, 1, 3]); // numpy.histogram(x, 4, (0, 2))
    expect(Array.from(h.edges)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(h.outside).toBe(2);
    // density integrates to the fraction inside the range (6 of 8)
    expect(h.density.reduce((s, d) => s + d * 0.5, 0)).toBeCloseTo(6 / 8, 12);
    expect(histogram([1, 2, 3, NaN], 2).counts.reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('Gaussian KDE', () => {
  it("uses Scott's bandwidth and approximates the normal density", () => {
    const x = normals(5000, 11);
    const h = scottBandwidth(x);
    expect(h).toBeCloseTo(Math.pow(5000, -0.2), 1);
    const grid = Float64Array.of(-2, -1, 0, 1, 2);
    const kde = gaussianKde(x, grid);
    grid.forEach((g, i) => {
      // Smoothing by h widens the normal to σ² = 1 + h².
      const s2 = 1 + h * h;
      expect(kde[i]).toBeCloseTo(Math.exp((-g * g) / (2 * s2)) / Math.sqrt(2 * Math.PI * s2), 1);
    });
  });

  it('the binned path for large samples agrees with the exact sum', () => {
    const x = normals(40000, 5);
    const grid = Float64Array.from({ length: 41 }, (_, i) => -4 + 0.2 * i);
    const h = scottBandwidth(x);
    const binned = gaussianKde(x, grid, h);
    // Exact sum over the same points, written out here.
    grid.forEach((g, i) => {
      let s = 0;
      for (const v of x) s += Math.exp(-0.5 * ((g - v) / h) ** 2);
      const exact = s / (x.length * h * Math.sqrt(2 * Math.PI));
      // Linear binning on an h/50 grid: a second-order shift, ~(1/50)²/2 of the curvature.
      expect(Math.abs(binned[i]! - exact)).toBeLessThan(2e-5 * Math.max(exact, 0.05) + 1e-7);
    });
  });
});
