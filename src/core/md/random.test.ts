import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

const N = 200_000;

function moments(xs: Float64Array): { mean: number; variance: number; skew: number; kurtosis: number } {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= xs.length;
  m3 /= xs.length;
  m4 /= xs.length;
  return { mean: m, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/** Kolmogorov–Smirnov distance between a sample and a CDF. */
function ksDistance(xs: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs(f - (i + 1) / s.length));
  }
  return d;
}

// KS critical value at 99.9 %: 1.95 / sqrt(n).
const KS_CRIT = 1.95 / Math.sqrt(N);

function sample(f: () => number, n = N): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is only 1e-7; a series / continued fraction is overkill for KS at 4e-3.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

describe('Random (xoshiro128**)', () => {
  it('produces the reference xoshiro128** sequence from state (1, 2, 3, 4)', () => {
    // Reference outputs of Vigna's xoshiro128starstar.c (also the rand_xoshiro crate's test).
    const r = new Random(0);
    r.restore({ s: [1, 2, 3, 4], spareGaussian: null });
    const want = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    expect(want.map(() => r.nextUint32())).toEqual(want);
  });

  it('is reproducible for a seed, differs between seeds, and resumes from a saved state', () => {
    const a = sample(() => new Random(4928459).uniform(), 1);
    const b = new Random(4928459);
    const c = new Random(4928460);
    expect(b.uniform()).toBe(a[0]);
    const s1 = sample(() => b.gaussian(), 1000);
    const s2 = sample(() => c.gaussian(), 1000);
    expect(s1).not.toEqual(s2);
    // Save mid-pair (a Box–Muller partner pending) and resume: the same continuation.
    const r = new Random(12345);
    r.gaussian();
    const saved = r.state();
    const next = sample(() => r.gaussian(), 5);
    const q = new Random(1);
    q.restore(JSON.parse(JSON.stringify(saved)));
    expect(sample(() => q.gaussian(), 5)).toEqual(next);
    // Seeds above 2^32 are not folded onto small ones.
    expect(new Random(2 ** 40 + 7).uniform()).not.toBe(new Random(7).uniform());
    expect(() => new Random(1.5)).toThrow(/integer/);
  });

  it('uniform: [0, 1), mean 1/2, variance 1/12, flat (KS)', () => {
    const r = new Random(1);
    const u = sample(() => r.uniform());
    expect(u.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(u.reduce((a, b) => Math.max(a, b))).toBeLessThan(1);
    const m = moments(u);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(0.002);
    expect(ksDistance(u, (x) => x)).toBeLessThan(KS_CRIT);
    // integer(n): every value equally likely.
    const counts = new Float64Array(7);
    for (let i = 0; i < 70_000; i++) counts[r.integer(7)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(5 * 100);
  });

  it('gaussian: mean 0, variance 1, skewness 0, kurtosis 3, normal CDF (KS)', () => {
    const r = new Random(2);
    const g = sample(() => r.gaussian());
    const m = moments(g);
    expect(Math.abs(m.mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m.variance - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m.skew)).toBeLessThan(4 * Math.sqrt(6 / N));
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(4 * Math.sqrt(24 / N));
    expect(ksDistance(g, (x) => 0.5 * (1 + erf(x / Math.SQRT2)))).toBeLessThan(KS_CRIT + 1e-6);
  });

  for (const [name, method] of [
    ['inverse transform', 'exponential'],
    ["von Neumann's comparison method", 'exponentialVonNeumann'],
  ] as const) {
    it(`exponential by ${name}: mean 1, variance 1, skewness 2, CDF 1 - e^-x (KS)`, () => {
      const r = new Random(3);
      const x = sample(() => r[method]());
      const m = moments(x);
      expect(x.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
      expect(Math.abs(m.mean - 1)).toBeLessThan(4 / Math.sqrt(N));
      expect(Math.abs(m.variance - 1)).toBeLessThan(4 * Math.sqrt(8 / N));
      expect(Math.abs(m.skew - 2)).toBeLessThan(0.1);
      expect(ksDistance(x, (v) => 1 - Math.exp(-v))).toBeLessThan(KS_CRIT);
    });
  }

  it("von Neumann's method: e²/(e - 1) ≈ 4.30 uniforms per variate, geometric integer part (the seed's claims)", () => {
    const r = new Random(4);
    const before = r.uniformDraws;
    const x = sample(() => r.exponentialVonNeumann());
    const perSample = (r.uniformDraws - before) / N;
    const e = Math.E;
    expect(perSample).toBeCloseTo((e * e) / (e - 1), 1); // 4.30
    // The integer part k is geometric: P(k) = (1 - 1/e) e^-k; a trial is rejected with probability 1/e.
    const counts = new Float64Array(6);
    for (const v of x) if (v < 6) counts[Math.floor(v)]!++;
    for (let k = 0; k < 4; k++) {
      const p = (1 - 1 / e) * Math.exp(-k);
      expect(Math.abs(counts[k]! / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
    // The inverse transform costs exactly one uniform.
    const q = new Random(5);
    sample(() => q.exponential(), 1000);
    expect(q.uniformDraws).toBe(1000);
  });
});
