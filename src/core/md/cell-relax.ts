/**
 * Zero-pressure cell relaxation by uniform scaling (the `fix box/relax iso 0.0` of a cubic
 * crystal): the cell and the positions are scaled together by s until the hydrostatic
 * pressure of the virial vanishes, found by bracketing and Brent's method on P(s). Ions can
 * be relaxed at each trial cell (`relaxIons`); a perfect cubic crystal needs none.
 */
import { cellVolume } from '../model/cell.js';
import type { Calculator } from './calculator.js';
import { minimizeCG } from './minimize.js';
import type { MdSystem } from './types.js';

export interface IsoRelaxOptions {
  /** Relative tolerance on the scale factor. Default 1e-12. */
  tolerance?: number;
  /** Relax the ions at every trial cell (CG to this force, eV/Å); off when undefined. */
  relaxIons?: number;
}

export interface IsoRelaxResult {
  /** Factor the cell was scaled by. */
  scale: number;
  /** Hydrostatic pressure left (eV/Å³). */
  pressure: number;
  energy: number;
  evaluations: number;
}

/** Hydrostatic pressure (eV/Å³) from a virial: trace / (3 V). */
export function hydrostaticPressure(virial: Float64Array, volume: number): number {
  return (virial[0]! + virial[1]! + virial[2]!) / (3 * volume);
}

/** Scales `system` in place to zero pressure. */
export function relaxIsotropic(calc: Calculator, system: MdSystem, options: IsoRelaxOptions = {}): IsoRelaxResult {
  const cell = system.cell;
  if (!cell) throw new Error('cell relaxation needs a periodic cell');
  const tol = options.tolerance ?? 1e-12;
  const cell0 = cell.slice();
  const x0 = system.positions.slice();
  let evaluations = 0;
  let energy = 0;
  const pressureAt = (s: number): number => {
    for (let k = 0; k < 9; k++) cell[k] = cell0[k]! * s;
    for (let k = 0; k < x0.length; k++) system.positions[k] = x0[k]! * s;
    if (options.relaxIons !== undefined) {
      minimizeCG(
        {
          x: system.positions,
          evaluate: (g) => {
            const r = calc.evaluate(system);
            for (let k = 0; k < g.length; k++) g[k] = -r.forces[k]!;
            return r.energy;
          },
        },
        { fmax: options.relaxIons },
      );
    }
    const r = calc.evaluate(system);
    evaluations++;
    energy = r.energy;
    return hydrostaticPressure(r.virial, cellVolume(cell));
  };

  // Bracket: compressed (P > 0) wants to grow, stretched (P < 0) to shrink.
  let a = 1;
  let fa = pressureAt(a);
  let step = 0.01;
  let b = a;
  let fb = fa;
  for (let k = 0; k < 60 && Math.sign(fb) === Math.sign(fa) && fa !== 0; k++) {
    b = fa > 0 ? b * (1 + step) : b / (1 + step);
    fb = pressureAt(b);
    if (Math.sign(fb) === Math.sign(fa)) {
      a = b;
      fa = fb;
      step = Math.min(step * 1.5, 0.1);
    }
  }
  if (fa !== 0 && Math.sign(fb) === Math.sign(fa)) throw new Error('no zero-pressure cell found within a factor of 2');
  const s = fa === 0 ? a : brent(pressureAt, a, fa, b, fb, tol);
  const pressure = pressureAt(s);
  return { scale: s, pressure, energy, evaluations };
}

/** Brent's root finder on [a, b] with f(a), f(b) of opposite signs. */
export function brent(
  f: (x: number) => number,
  a0: number,
  fa0: number,
  b0: number,
  fb0: number,
  tol: number,
  maxIterations = 200,
): number {
  let a = a0;
  let b = b0;
  let fa = fa0;
  let fb = fb0;
  if (Math.abs(fa) < Math.abs(fb)) {
    [a, b, fa, fb] = [b, a, fb, fa];
  }
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let it = 0; it < maxIterations; it++) {
    if (fb === 0) return b;
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const t = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol * Math.abs(b);
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= t) return b;
    if (Math.abs(e) >= t && Math.abs(fa) > Math.abs(fb)) {
      // Inverse quadratic interpolation, or secant when only two points differ.
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(t * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > t ? d : m > 0 ? t : -t;
    fb = f(b);
  }
  return b;
}
