/**
 * The Müller–Brown surface (Müller and Brown 1979; seeds/muller-brown.txt), a 2D test
 * landscape in reduced units:
 *
 *   V(x, y) = Σ_k A_k exp[a_k (x − x_k)² + b_k (x − x_k)(y − y_k) + c_k (y − y_k)²]
 *
 * with the canonical parameters below: three minima (MA, MB, MC) joined by a curved path
 * over two saddles (S1 between MA and MC, S2 between MC and MB). Gradient and Hessian are
 * analytic.
 *
 * `MullerBrownField` applies it to every atom of a system as an external field on (x, y),
 * so non-interacting walkers can be run with the ordinary integrators (dimension 2,
 * reduced units). The fourth term has a positive amplitude and a positive-definite
 * exponent, so V grows without bound far from the wells: the Boltzmann distribution
 * exp(−V/kT) is normalisable and Langevin walkers stay in the usual window.
 */
import type { ComputeFlags, ForceResult, MdSystem } from '../types.js';
import { newForceResult } from '../types.js';

export const MB_A = Float64Array.of(-200, -100, -170, 15);
export const MB_a = Float64Array.of(-1, -1, -6.5, 0.7);
export const MB_b = Float64Array.of(0, 0, 11, 0.6);
export const MB_c = Float64Array.of(-10, -10, -6.5, 0.7);
export const MB_X0 = Float64Array.of(1, 0, -0.5, -1);
export const MB_Y0 = Float64Array.of(0, 0.5, 1.5, 1);

export interface StationaryPoint {
  name: string;
  kind: 'minimum' | 'saddle';
  x: number;
  y: number;
  energy: number;
}

/** The seed's table of stationary points (3 decimals in x, y; 2 in energy). */
export const MB_STATIONARY: readonly StationaryPoint[] = [
  { name: 'MA', kind: 'minimum', x: -0.558, y: 1.442, energy: -146.7 },
  { name: 'MB', kind: 'minimum', x: 0.623, y: 0.028, energy: -108.17 },
  { name: 'MC', kind: 'minimum', x: -0.05, y: 0.467, energy: -80.77 },
  { name: 'S1', kind: 'saddle', x: -0.822, y: 0.624, energy: -40.66 },
  { name: 'S2', kind: 'saddle', x: 0.212, y: 0.293, energy: -72.25 },
];

/** The usual plotting window. */
export const MB_WINDOW = { xmin: -1.5, xmax: 1.2, ymin: -0.5, ymax: 2.0 } as const;

export interface MbValue {
  energy: number;
  /** ∂V/∂x, ∂V/∂y */
  gx: number;
  gy: number;
}

/** V and its gradient at (x, y). */
export function mullerBrown(x: number, y: number): MbValue {
  let energy = 0;
  let gx = 0;
  let gy = 0;
  for (let k = 0; k < 4; k++) {
    const dx = x - MB_X0[k]!;
    const dy = y - MB_Y0[k]!;
    const a = MB_a[k]!;
    const b = MB_b[k]!;
    const c = MB_c[k]!;
    const e = MB_A[k]! * Math.exp(a * dx * dx + b * dx * dy + c * dy * dy);
    energy += e;
    gx += e * (2 * a * dx + b * dy);
    gy += e * (b * dx + 2 * c * dy);
  }
  return { energy, gx, gy };
}

/** V alone (for maps and integrals). */
export function mullerBrownEnergy(x: number, y: number): number {
  let energy = 0;
  for (let k = 0; k < 4; k++) {
    const dx = x - MB_X0[k]!;
    const dy = y - MB_Y0[k]!;
    energy += MB_A[k]! * Math.exp(MB_a[k]! * dx * dx + MB_b[k]! * dx * dy + MB_c[k]! * dy * dy);
  }
  return energy;
}

/** Hessian [Vxx, Vxy, Vyy] at (x, y): classifies stationary points (a saddle has one negative eigenvalue). */
export function mullerBrownHessian(x: number, y: number): [number, number, number] {
  let hxx = 0;
  let hxy = 0;
  let hyy = 0;
  for (let k = 0; k < 4; k++) {
    const dx = x - MB_X0[k]!;
    const dy = y - MB_Y0[k]!;
    const a = MB_a[k]!;
    const b = MB_b[k]!;
    const c = MB_c[k]!;
    const e = MB_A[k]! * Math.exp(a * dx * dx + b * dx * dy + c * dy * dy);
    const px = 2 * a * dx + b * dy;
    const py = b * dx + 2 * c * dy;
    hxx += e * (px * px + 2 * a);
    hxy += e * (px * py + b);
    hyy += e * (py * py + 2 * c);
  }
  return [hxx, hxy, hyy];
}

/** Eigenvalues of a symmetric 2×2 [xx, xy, yy], ascending. */
export function eigenvalues2(h: [number, number, number]): [number, number] {
  const [a, b, c] = h;
  const mean = 0.5 * (a + c);
  const r = Math.hypot(0.5 * (a - c), b);
  return [mean - r, mean + r];
}

/**
 * Every atom feels V(x, y): independent walkers for the integrators. z is ignored (run
 * with dimension 2). No pairs, so no neighbor list and no virial.
 */
export class MullerBrownField {
  private out: ForceResult = newForceResult(0);

  evaluate(system: MdSystem, _flags?: ComputeFlags): ForceResult {
    const x = system.positions;
    const n = x.length / 3;
    if (this.out.perAtom.length !== n) this.out = newForceResult(n);
    const out = this.out;
    const f = out.forces;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = mullerBrown(x[3 * i]!, x[3 * i + 1]!);
      f[3 * i] = -v.gx;
      f[3 * i + 1] = -v.gy;
      f[3 * i + 2] = 0;
      out.perAtom[i] = v.energy;
      total += v.energy;
    }
    out.energy = total;
    out.virial.fill(0);
    return out;
  }
}
