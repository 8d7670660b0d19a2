/**
 * Bonds from interatomic distances, for display (the file's own bond table wins when it has one).
 *
 * Rule (Jmol's): atoms i and j are bonded when
 *
 *     MIN_BOND_LENGTH < d_ij < r_i + r_j + tolerance,   tolerance = 0.45 Å by default,
 *
 * with r the Cordero 2008 covalent radii of the element table (as ASE's natural cutoffs use).
 * 0.45 Å is Jmol's default `bondTolerance` and 0.4 Å its `minBondDistance`; VMD's rule
 * (0.6 x the sum of vdW radii) gives the same bonds for organic molecules. Atoms of unknown
 * element (Z = 0, e.g. a coordinate-only trajectory without its topology) get no bonds.
 *
 * Search: a linked-cell list in fractional coordinates, O(N) for a fixed cutoff. Bins are at
 * least the largest possible cutoff (2 r_max + tolerance) wide perpendicular to their faces,
 * so every partner of an atom lies in the 27 bins around its own, in any (triclinic) cell.
 * Along periodic axes the bin stencil wraps, and the image of the partner is the one of the
 * stencil offset, so every periodic image within the cutoff is found (not only the rounded
 * "minimum image"). A pair is listed once even when several of its images are within the
 * cutoff (cells narrower than two cutoffs); a renderer draws it to the nearest image.
 * Non-periodic axes (no cell, or pbc false) bin over the atoms' extent.
 */
import { covalentRadii, ELEMENT_COUNT } from './elements.js';

/** Bond tolerance added to the sum of covalent radii (Å): Jmol's `bondTolerance`. */
export const BOND_TOLERANCE = 0.45;
/** Pairs closer than this (Å) are overlapping atoms, not bonds: Jmol's `minBondDistance`. */
export const MIN_BOND_LENGTH = 0.4;

export interface BondOptions {
  /** Added to r_i + r_j (Å); default BOND_TOLERANCE. */
  tolerance?: number;
  /** Radius (Å) by atomic number; default the covalent radii of the element table. */
  radii?: ArrayLike<number>;
  /** Pairs closer than this are not bonds (Å); default MIN_BOND_LENGTH. */
  minLength?: number;
}

/** A growable list of uint32 pairs. */
class PairList {
  data = new Uint32Array(1024);
  length = 0;
  push(i: number, j: number): void {
    if (this.length + 2 > this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = i;
    this.data[this.length++] = j;
  }
  result(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

function invert(m: ArrayLike<number>): Float64Array | null {
  const [a, b, c, d, e, f, g, h, i] = Array.from({ length: 9 }, (_, k) => m[k]!) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  return Float64Array.of(
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  );
}

/** Distance between the planes of a unit fraction along each axis (perpendicular widths). */
function perpendicularWidths(h: Float64Array): [number, number, number] {
  const row = (k: number): [number, number, number] => [h[3 * k]!, h[3 * k + 1]!, h[3 * k + 2]!];
  const cross = (u: number[], v: number[]): number[] => [
    u[1]! * v[2]! - u[2]! * v[1]!,
    u[2]! * v[0]! - u[0]! * v[2]!,
    u[0]! * v[1]! - u[1]! * v[0]!,
  ];
  const [a, b, c] = [row(0), row(1), row(2)];
  const bc = cross(b, c);
  const volume = Math.abs(a[0] * bc[0]! + a[1] * bc[1]! + a[2] * bc[2]!);
  const w = (u: number[]): number => volume / Math.hypot(u[0]!, u[1]!, u[2]!);
  return [w(bc), w(cross(a, c)), w(cross(a, b))];
}

/**
 * Bonds of a structure as pairs (i < j) of 0-based atom indices, length 2 x bonds, sorted by
 * i then j. `cell`: rows a, b, c (Å, row-major 3x3) or null; `pbc` says which axes wrap.
 */
export function computeBonds(
  numbers: ArrayLike<number>,
  positions: ArrayLike<number>,
  cell: ArrayLike<number> | null,
  pbc: readonly boolean[],
  options: BondOptions = {},
): Uint32Array {
  const n = numbers.length;
  const tol = options.tolerance ?? BOND_TOLERANCE;
  const table = options.radii ?? covalentRadii;
  const minLength = options.minLength ?? MIN_BOND_LENGTH;
  const min2 = minLength * minLength;

  // Bondable atoms and their radii.
  const radius = new Float64Array(n);
  let rmax = 0;
  let bondable = 0;
  for (let i = 0; i < n; i++) {
    const z = numbers[i]!;
    const r = z > 0 && z < ELEMENT_COUNT ? table[z]! : NaN;
    radius[i] = Number.isFinite(r) && r > 0 ? r : NaN;
    if (radius[i]! > 0) {
      bondable++;
      if (r > rmax) rmax = r;
    }
  }
  if (bondable < 2) return new Uint32Array(0);
  const cutoff = 2 * rmax + tol;

  // Frame: the cell when usable, else Cartesian axes (fractional = Cartesian).
  let h: Float64Array = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  let inv: Float64Array = h;
  const periodic = [false, false, false];
  if (cell && cell.length >= 9) {
    const candidate = Float64Array.from({ length: 9 }, (_, k) => cell[k]!);
    const candidateInv = invert(candidate);
    if (candidateInv) {
      h = candidate;
      inv = candidateInv;
      for (let k = 0; k < 3; k++) periodic[k] = pbc[k] === true;
    }
  }
  const widths = perpendicularWidths(h);

  // Fractional coordinates (periodic axes wrapped into [0, 1)).
  const s = new Float64Array(3 * n);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    if (!(radius[i]! > 0)) continue;
    const x = positions[3 * i]!;
    const y = positions[3 * i + 1]!;
    const zc = positions[3 * i + 2]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(zc)) {
      radius[i] = NaN;
      continue;
    }
    for (let k = 0; k < 3; k++) {
      let f = x * inv[k]! + y * inv[3 + k]! + zc * inv[6 + k]!;
      if (periodic[k]) f -= Math.floor(f);
      s[3 * i + k] = f;
      if (f < lo[k]!) lo[k] = f;
      if (f > hi[k]!) hi[k] = f;
    }
  }

  // Bins per axis: at least `cutoff` wide; at most about 2 per atom in all.
  const span = [1, 1, 1];
  const nb = [1, 1, 1];
  for (let k = 0; k < 3; k++) {
    if (periodic[k]) {
      lo[k] = 0;
      span[k] = 1;
    } else {
      span[k] = Math.max(hi[k]! - lo[k]!, 1e-9);
    }
    nb[k] = Math.max(1, Math.floor((widths[k]! * span[k]!) / cutoff));
  }
  const limit = Math.max(8, 2 * bondable);
  while (nb[0]! * nb[1]! * nb[2]! > limit) {
    const f = Math.cbrt(limit / (nb[0]! * nb[1]! * nb[2]!));
    for (let k = 0; k < 3; k++) nb[k] = Math.max(1, Math.floor(nb[k]! * f));
  }
  const [nx, ny, nz] = nb as [number, number, number];

  // Counting sort of the bondable atoms into bins.
  const binOf = new Int32Array(n).fill(-1);
  const count = new Int32Array(nx * ny * nz + 1);
  const axisBin = (i: number, k: number): number =>
    Math.min(nb[k]! - 1, Math.max(0, Math.floor(((s[3 * i + k]! - lo[k]!) / span[k]!) * nb[k]!)));
  for (let i = 0; i < n; i++) {
    if (!(radius[i]! > 0)) continue;
    const b = (axisBin(i, 0) * ny + axisBin(i, 1)) * nz + axisBin(i, 2);
    binOf[i] = b;
    count[b + 1]!++;
  }
  for (let b = 0; b < nx * ny * nz; b++) count[b + 1]! += count[b]!;
  const order = new Int32Array(bondable);
  const fill = count.slice(0, nx * ny * nz);
  for (let i = 0; i < n; i++) if (binOf[i]! >= 0) order[fill[binOf[i]!]!++] = i;

  // Per axis and bin: the (neighbour bin, image shift) pairs to visit.
  const stencil = (k: number): Int32Array[] => {
    const m = nb[k]!;
    const out: Int32Array[] = [];
    for (let b = 0; b < m; b++) {
      const list: number[] = [];
      if (periodic[k] && m < 3) {
        for (let bb = 0; bb < m; bb++) for (let shift = -1; shift <= 1; shift++) list.push(bb, shift);
      } else {
        for (let o = -1; o <= 1; o++) {
          let bb = b + o;
          let shift = 0;
          if (bb < 0 || bb >= m) {
            if (!periodic[k]) continue;
            shift = bb < 0 ? -1 : 1;
            bb = (bb + m) % m;
          }
          list.push(bb, shift);
        }
      }
      out.push(Int32Array.from(list));
    }
    return out;
  };
  const sx = stencil(0);
  const sy = stencil(1);
  const sz = stencil(2);

  const bx = (i: number): number => Math.floor(binOf[i]! / (ny * nz));
  const by = (i: number): number => Math.floor(binOf[i]! / nz) % ny;
  const bz = (i: number): number => binOf[i]! % nz;

  const pairs = new PairList();
  const seen = new Int32Array(n).fill(-1);
  const partners: number[] = [];
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = h as unknown as number[];
  for (let i = 0; i < n; i++) {
    if (binOf[i]! < 0) continue;
    const ri = radius[i]! + tol;
    const six = s[3 * i]!;
    const siy = s[3 * i + 1]!;
    const siz = s[3 * i + 2]!;
    partners.length = 0;
    const lx = sx[bx(i)]!;
    const ly = sy[by(i)]!;
    const lz = sz[bz(i)]!;
    for (let a = 0; a < lx.length; a += 2) {
      const fx = lx[a + 1]! - six;
      const rowX = lx[a]! * ny;
      for (let b = 0; b < ly.length; b += 2) {
        const fy = ly[b + 1]! - siy;
        const rowY = (rowX + ly[b]!) * nz;
        for (let c = 0; c < lz.length; c += 2) {
          const fz = lz[c + 1]! - siz;
          const bin = rowY + lz[c]!;
          for (let q = count[bin]!; q < count[bin + 1]!; q++) {
            const j = order[q]!;
            if (j <= i || seen[j] === i) continue;
            const dx = s[3 * j]! + fx;
            const dy = s[3 * j + 1]! + fy;
            const dz = s[3 * j + 2]! + fz;
            const x = dx * h0! + dy * h3! + dz * h6!;
            const y = dx * h1! + dy * h4! + dz * h7!;
            const z = dx * h2! + dy * h5! + dz * h8!;
            const d2 = x * x + y * y + z * z;
            const rc = ri + radius[j]!;
            if (d2 < rc * rc && d2 > min2) {
              seen[j] = i;
              partners.push(j);
            }
          }
        }
      }
    }
    if (partners.length > 1) partners.sort((p, q) => p - q);
    for (const j of partners) pairs.push(i, j);
  }
  return pairs.result();
}

/** Number of bonds of each atom. */
export function bondCounts(bonds: ArrayLike<number>, atoms: number): Uint32Array {
  const out = new Uint32Array(atoms);
  for (let k = 0; k + 1 < bonds.length; k += 2) {
    const i = bonds[k]!;
    const j = bonds[k + 1]!;
    if (i < atoms) out[i]!++;
    if (j < atoms) out[j]!++;
  }
  return out;
}
