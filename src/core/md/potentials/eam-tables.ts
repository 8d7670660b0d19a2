/**
 * EAM files -> the interpolation tables LAMMPS's pair_eam evaluates, built step for step as
 * PairEAM::file2array and PairEAM::array2spline do, so energies and forces agree with LAMMPS
 * to round-off:
 *
 * - funcfl: every active file is moved onto one common grid (the largest drho and dr; the
 *   grid size is int(max / d + 0.5), which is one point less than the file's) with LAMMPS's
 *   4-point Lagrange interpolation, and r·phi = 27.2 · 0.529 · Zi(r) · Zj(r).
 * - setfl / fs: the file's grid as is.
 * - Every table becomes a cubic spline with 7 coefficients per grid point: value and slopes
 *   from LAMMPS's finite-difference formulas (5-point in the interior), then the cubic's
 *   coefficients and their derivatives pre-divided by the spacing.
 *
 * Tables are 1-based like LAMMPS's (entry m is at (m-1)·delta) and flattened: coefficient c
 * of point m is at `7 * m + c`.
 */
import type { EamFile, FuncflFile, SetflFile } from './eam-file.js';

export interface EamTables {
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  rdr: number;
  rdrho: number;
  /** Largest tabulated density; beyond it F is continued linearly (as LAMMPS does). */
  rhomax: number;
  cut: number;
  cutforcesq: number;
  /** Species names, in the order of the `species` indices potentials receive. */
  species: string[];
  frhoSpline: Float64Array[];
  rhorSpline: Float64Array[];
  z2rSpline: Float64Array[];
  /** Which table serves species i: frho[type2frho[i]]. */
  type2frho: Int32Array;
  /** Density at an atom of species j due to a neighbor of species i: rhor[type2rhor[i * ns + j]]. */
  type2rhor: Int32Array;
  /** r·phi between species i and j: z2r[type2z2r[i * ns + j]]. */
  type2z2r: Int32Array;
}

const SIXTH = 1.0 / 6.0;
/** LAMMPS's conversion of Z(r)² from Hartree·Bohr to eV·Å, literally as it writes it. */
const HARTREE_BOHR = 27.2 * 0.529;

/**
 * LAMMPS's interpolation of a funcfl array (1-based `f`, spacing `d`, `n` points) at x:
 * 4-point Lagrange on the points k-1 .. k+2 around x.
 */
function lagrange4(f: Float64Array, n: number, d: number, x: number): number {
  let p = x / d + 1.0;
  let k = Math.trunc(p);
  k = Math.min(k, n - 2);
  k = Math.max(k, 2);
  p -= k;
  p = Math.min(p, 2.0);
  const cof1 = -SIXTH * p * (p - 1.0) * (p - 2.0);
  const cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
  const cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
  const cof4 = SIXTH * p * (p * p - 1.0);
  return cof1 * f[k - 1]! + cof2 * f[k]! + cof3 * f[k + 1]! + cof4 * f[k + 2]!;
}

/** A 0-based file array as LAMMPS's 1-based one (index 0 unused). */
function oneBased(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length + 1);
  out.set(a, 1);
  return out;
}

/**
 * PairEAM::interpolate: spline coefficients of the n values f[1..n] with spacing delta.
 * [6] value, [5] slope·delta, [4], [3] the cubic's higher terms; [2], [1], [0] the
 * derivative's coefficients already divided by delta.
 */
export function interpolate(n: number, delta: number, f: Float64Array): Float64Array {
  const s = new Float64Array(7 * (n + 1));
  const v = (m: number): number => s[7 * m + 6]!;
  for (let m = 1; m <= n; m++) s[7 * m + 6] = f[m]!;
  s[7 * 1 + 5] = v(2) - v(1);
  s[7 * 2 + 5] = 0.5 * (v(3) - v(1));
  s[7 * (n - 1) + 5] = 0.5 * (v(n) - v(n - 2));
  s[7 * n + 5] = v(n) - v(n - 1);
  for (let m = 3; m <= n - 2; m++) {
    s[7 * m + 5] = (v(m - 2) - v(m + 2) + 8.0 * (v(m + 1) - v(m - 1))) / 12.0;
  }
  for (let m = 1; m <= n - 1; m++) {
    s[7 * m + 4] = 3.0 * (v(m + 1) - v(m)) - 2.0 * s[7 * m + 5]! - s[7 * (m + 1) + 5]!;
    s[7 * m + 3] = s[7 * m + 5]! + s[7 * (m + 1) + 5]! - 2.0 * (v(m + 1) - v(m));
  }
  s[7 * n + 4] = 0.0;
  s[7 * n + 3] = 0.0;
  for (let m = 1; m <= n; m++) {
    s[7 * m + 2] = s[7 * m + 5]! / delta;
    s[7 * m + 1] = (2.0 * s[7 * m + 4]!) / delta;
    s[7 * m + 0] = (3.0 * s[7 * m + 3]!) / delta;
  }
  return s;
}

/** Tables of one or more funcfl files, species i = files[i] (PairEAM::file2array, funcfl branch). */
export function funcflTables(files: readonly FuncflFile[]): EamTables {
  if (files.length === 0) throw new Error('no funcfl file');
  let dr = 0;
  let drho = 0;
  let rmax = 0;
  let rhomax = 0;
  for (const f of files) {
    dr = Math.max(dr, f.dr);
    drho = Math.max(drho, f.drho);
    rmax = Math.max(rmax, (f.nr - 1) * f.dr);
    rhomax = Math.max(rhomax, (f.nrho - 1) * f.drho);
  }
  // LAMMPS: "0.5 is for round-off in divide"; this drops the file's last point.
  const nr = Math.trunc(rmax / dr + 0.5);
  const nrho = Math.trunc(rhomax / drho + 0.5);
  const ns = files.length;

  const frho: Float64Array[] = [];
  const rhor: Float64Array[] = [];
  const zr: Float64Array[] = [];
  for (const f of files) {
    const F = oneBased(f.frho);
    const R = oneBased(f.rhor);
    const Z = oneBased(f.zr);
    const fr = new Float64Array(nrho + 1);
    for (let m = 1; m <= nrho; m++) fr[m] = lagrange4(F, f.nrho, f.drho, (m - 1) * drho);
    const rr = new Float64Array(nr + 1);
    const zz = new Float64Array(nr + 1);
    for (let m = 1; m <= nr; m++) {
      rr[m] = lagrange4(R, f.nr, f.dr, (m - 1) * dr);
      zz[m] = lagrange4(Z, f.nr, f.dr, (m - 1) * dr);
    }
    frho.push(fr);
    rhor.push(rr);
    zr.push(zz);
  }
  const z2r: Float64Array[] = [];
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j <= i; j++) {
      const zi = zr[i]!;
      const zj = zr[j]!;
      const t = new Float64Array(nr + 1);
      for (let m = 1; m <= nr; m++) t[m] = HARTREE_BOHR * zi[m]! * zj[m]!;
      z2r.push(t);
    }
  }
  const type2rhor = new Int32Array(ns * ns);
  for (let i = 0; i < ns; i++) for (let j = 0; j < ns; j++) type2rhor[i * ns + j] = i;
  return finish({
    nrho,
    drho,
    nr,
    dr,
    rhomax,
    cut: Math.max(...files.map((f) => f.cut)),
    species: files.map((f) => f.element.symbol),
    frho,
    rhor,
    z2r,
    type2frho: Int32Array.from(files, (_, i) => i),
    type2rhor,
  });
}

/** Tables of a setfl or fs file, species = the file's elements in order. */
export function setflTables(file: SetflFile): EamTables {
  const ns = file.elements.length;
  const type2rhor = new Int32Array(ns * ns);
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j < ns; j++) type2rhor[i * ns + j] = file.kind === 'fs' ? i * ns + j : i;
  }
  return finish({
    nrho: file.nrho,
    drho: file.drho,
    nr: file.nr,
    dr: file.dr,
    rhomax: (file.nrho - 1) * file.drho,
    cut: file.cut,
    species: file.elements.map((e) => e.symbol),
    frho: file.frho.map(oneBased),
    rhor: file.rhor.map(oneBased),
    z2r: file.z2r.map(oneBased),
    type2frho: Int32Array.from(file.elements, (_, i) => i),
    type2rhor,
  });
}

export function eamTables(file: EamFile): EamTables {
  return file.kind === 'funcfl' ? funcflTables([file]) : setflTables(file);
}

interface RawTables {
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  rhomax: number;
  cut: number;
  species: string[];
  frho: Float64Array[];
  rhor: Float64Array[];
  z2r: Float64Array[];
  type2frho: Int32Array;
  type2rhor: Int32Array;
}

/** PairEAM::array2spline plus the pair-table map (lower triangle, row-major). */
function finish(t: RawTables): EamTables {
  const ns = t.species.length;
  const type2z2r = new Int32Array(ns * ns);
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j < ns; j++) {
      const row = Math.max(i, j);
      const col = Math.min(i, j);
      type2z2r[i * ns + j] = (row * (row + 1)) / 2 + col;
    }
  }
  return {
    nrho: t.nrho,
    drho: t.drho,
    nr: t.nr,
    dr: t.dr,
    rdr: 1.0 / t.dr,
    rdrho: 1.0 / t.drho,
    rhomax: t.rhomax,
    cut: t.cut,
    cutforcesq: t.cut * t.cut,
    species: t.species,
    frhoSpline: t.frho.map((f) => interpolate(t.nrho, t.drho, f)),
    rhorSpline: t.rhor.map((f) => interpolate(t.nr, t.dr, f)),
    z2rSpline: t.z2r.map((f) => interpolate(t.nr, t.dr, f)),
    type2frho: t.type2frho,
    type2rhor: t.type2rhor,
    type2z2r,
  };
}

/** F(rho) of species s as pair_eam evaluates it (with the linear continuation past rhomax). */
export function embeddingEnergy(t: EamTables, s: number, rho: number): { F: number; dF: number } {
  let p = rho * t.rdrho + 1.0;
  let m = Math.trunc(p);
  m = Math.max(1, Math.min(m, t.nrho - 1));
  p -= m;
  p = Math.min(p, 1.0);
  const c = t.frhoSpline[t.type2frho[s]!]!;
  const o = 7 * m;
  const dF = (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
  let F = ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
  if (rho > t.rhomax) F += dF * (rho - t.rhomax);
  return { F, dF };
}

/** A radial table (rhor or z2r spline) at r: value and derivative. */
export function radialValue(spline: Float64Array, t: EamTables, r: number): { v: number; dv: number } {
  let p = r * t.rdr + 1.0;
  let m = Math.trunc(p);
  m = Math.min(m, t.nr - 1);
  p -= m;
  p = Math.min(p, 1.0);
  const o = 7 * m;
  return {
    v: ((spline[o + 3]! * p + spline[o + 4]!) * p + spline[o + 5]!) * p + spline[o + 6]!,
    dv: (spline[o]! * p + spline[o + 1]!) * p + spline[o + 2]!,
  };
}
