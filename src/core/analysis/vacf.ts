/**
 * Velocity autocorrelation C(t) = <v_i(t0 + t) · v_i(t0)>, averaged over atoms and either all
 * time origins (FFT, as for the MSD) or the first frame only (LAMMPS compute vacf), its
 * normalised form C(t)/C(0), the first minimum (Rahman's cage-effect dip) and the vibrational
 * spectrum by the cosine transform.
 */
import { AnalysisError } from './errors.js';
import { autocorrelationSum } from './fft.js';

/** C(m) in Å²/ps², m = 0..frames-1, over all origins. */
export function vacfAllOrigins(velocities: Float64Array, frames: number, atoms: number): Float64Array {
  const c = autocorrelationSum(velocities, frames, 3 * atoms);
  for (let m = 0; m < frames; m++) c[m] = c[m]! / ((frames - m) * atoms);
  return c;
}

/** C(m) in Å²/ps² from the first frame as the only origin. */
export function vacfSingleOrigin(velocities: Float64Array, frames: number, atoms: number): Float64Array {
  const width = 3 * atoms;
  const c = new Float64Array(frames);
  for (let k = 0; k < frames; k++) {
    let s = 0;
    const base = k * width;
    for (let q = 0; q < width; q++) s += velocities[base + q]! * velocities[q]!;
    c[k] = s / atoms;
  }
  return c;
}

export function normalise(c: Float64Array): Float64Array {
  const c0 = c[0]!;
  if (!(c0 > 0)) throw new AnalysisError('C(0) is zero: the atoms do not move');
  return c.map((v) => v / c0);
}

/** First local minimum on the sample grid (no interpolation), or null if the curve never turns up. */
export function firstMinimum(
  t: ArrayLike<number>,
  c: ArrayLike<number>,
): { t: number; value: number; index: number } | null {
  for (let i = 1; i + 1 < c.length; i++) {
    if (c[i]! < c[i - 1]! && c[i]! <= c[i + 1]!) return { t: t[i]!, value: c[i]!, index: i };
  }
  return null;
}

/** First time the curve crosses zero, linearly interpolated, or null. */
export function firstZeroCrossing(t: ArrayLike<number>, c: ArrayLike<number>): number | null {
  for (let i = 1; i < c.length; i++) {
    const a = c[i - 1]!;
    const b = c[i]!;
    if (a > 0 && b <= 0) return t[i - 1]! + ((t[i]! - t[i - 1]!) * a) / (a - b);
  }
  return null;
}

export interface Spectrum {
  /** Frequency (THz = 1/ps). */
  nu: Float64Array;
  /** Wave number (cm⁻¹), ν/c. */
  wavenumber: Float64Array;
  /** 4 ∫₀^tmax C(t) cos(2πνt) dt (ps for normalised C): its integral over ν ≥ 0 is C(0) as tmax → ∞. */
  intensity: Float64Array;
}

/** Speed of light in cm/ps: ν (THz = ps⁻¹) / c gives cm⁻¹ (1 THz = 33.356 cm⁻¹). */
const CM_PER_PS = 2.99792458e-2;

/**
 * Cosine transform of C(t) on a uniform grid (trapezoid rule), at `count` frequencies up to
 * the Nyquist frequency 1/(2 dt). Truncation at tmax convolves the spectrum with a sinc of
 * width 1/tmax; long enough runs (C(tmax) ≈ 0) make that negligible.
 */
export function vacfSpectrum(c: ArrayLike<number>, dt: number, count = 0): Spectrum {
  const n = c.length;
  const m = count > 0 ? count : n;
  const nuMax = 1 / (2 * dt);
  const nu = new Float64Array(m);
  const wavenumber = new Float64Array(m);
  const intensity = new Float64Array(m);
  for (let q = 0; q < m; q++) {
    const f = (nuMax * q) / Math.max(1, m - 1);
    nu[q] = f;
    wavenumber[q] = f / CM_PER_PS;
    let s = 0;
    for (let k = 0; k < n; k++) {
      const w = k === 0 || k === n - 1 ? 0.5 : 1;
      s += w * c[k]! * Math.cos(2 * Math.PI * f * k * dt);
    }
    intensity[q] = 4 * s * dt;
  }
  return { nu, wavenumber, intensity };
}
