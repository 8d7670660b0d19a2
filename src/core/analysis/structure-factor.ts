/**
 * Static structure factor from g(r) by the radial Fourier transform
 *   S(k) = 1 + 4πρ ∫₀^rmax r² (g(r) - 1) sin(kr)/(kr) dr,
 * integrated with the midpoint rule over the g(r) bins. Truncating at rmax rings at small k;
 * the Lorch window sin(πr/rmax)/(πr/rmax) damps that at the cost of peak sharpness.
 */
export interface StructureFactorOptions {
  /** Wave numbers (Å⁻¹); default 0.05..15 Å⁻¹ every 0.05 Å⁻¹ (the liquid range). */
  k?: Float64Array;
  window?: 'none' | 'lorch';
}

export interface StructureFactor {
  k: Float64Array;
  s: Float64Array;
}

/** r: bin centres (uniform), g: g(r), density: number density of the pair partner (Å⁻³). */
export function structureFactor(
  r: Float64Array,
  g: Float64Array,
  density: number,
  options: StructureFactorOptions = {},
): StructureFactor {
  const k = options.k ?? Float64Array.from({ length: 300 }, (_, i) => 0.05 * (i + 1));
  const n = r.length;
  const dr = n > 1 ? r[1]! - r[0]! : 2 * (r[0] ?? 0);
  const rmax = n ? r[n - 1]! + dr / 2 : 0;
  // The k-independent part of the integrand, window included, computed once.
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = r[i]!;
    let w = 1;
    if (options.window === 'lorch' && ri > 0) {
      const x = (Math.PI * ri) / rmax;
      w = Math.sin(x) / x;
    }
    h[i] = ri * (g[i]! - 1) * w * dr;
  }
  const s = new Float64Array(k.length);
  for (let q = 0; q < k.length; q++) {
    const kq = k[q]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += h[i]! * Math.sin(kq * r[i]!);
    // r² sin(kr)/(kr) = r sin(kr)/k
    s[q] = 1 + (4 * Math.PI * density * sum) / kq;
  }
  return { k, s };
}
