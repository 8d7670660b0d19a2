/**
 * Linked-cell pair search in a periodic (possibly triclinic) cell: O(N) per frame for a fixed
 * cutoff. Cells are boxes in fractional space whose perpendicular width is at least
 * cutoff/reach, so every pair within the cutoff lies at most `reach` cells apart along each
 * axis (|Δs_k| ≤ rmax / w_k ≤ reach/n_k). Each unordered pair is visited once: the forward
 * half of the neighbour offsets plus j > i inside a cell.
 *
 * Periodic images come from the shift of the stencil offset, not from rounding per pair.
 * With rmax ≤ half the shortest perpendicular width at most one image of any atom lies within
 * rmax, so the stencil stays correct even with fewer cells along an axis than it spans
 * (offsets of +1 and -1 then reach the same cell through different images; each (cell,
 * image) pair still comes from exactly one offset, and at most one image counts).
 *
 * Buffers are kept between frames: building and visiting allocate nothing once sized.
 */
import { cellVolume, invert3 } from '../model/cell.js';
import type { Pbc } from '../model/structure.js';

/** Called once per unordered pair closer than the cutoff; i, j are indices into the input. */
export type PairVisitor = (i: number, j: number, r2: number) => void;

/** Perpendicular widths of a cell (Å): the distance between opposite faces. */
export function perpendicularWidths(cell: Float64Array): [number, number, number] {
  const v = cellVolume(cell);
  const cross = (i: number, j: number): number => {
    const ax = cell[3 * i]!;
    const ay = cell[3 * i + 1]!;
    const az = cell[3 * i + 2]!;
    const bx = cell[3 * j]!;
    const by = cell[3 * j + 1]!;
    const bz = cell[3 * j + 2]!;
    return Math.hypot(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx);
  };
  return [v / cross(1, 2), v / cross(0, 2), v / cross(0, 1)];
}

/** Largest cutoff the minimum-image pair search supports in this cell: half the shortest periodic width. */
export function maxCutoff(cell: Float64Array, pbc: Pbc): number {
  const w = perpendicularWidths(cell);
  let m = Infinity;
  for (let k = 0; k < 3; k++) if (pbc[k]) m = Math.min(m, w[k]! / 2);
  return m;
}

/** The forward half (lexicographically positive offsets) of the (2·reach+1)³ - 1 neighbours. */
function forwardOffsets(reach: number): Int32Array {
  const out: number[] = [];
  for (let a = -reach; a <= reach; a++) {
    for (let b = -reach; b <= reach; b++) {
      for (let c = -reach; c <= reach; c++) {
        if (a > 0 || (a === 0 && (b > 0 || (b === 0 && c > 0)))) out.push(a, b, c);
      }
    }
  }
  return Int32Array.from(out);
}
const FORWARD = [forwardOffsets(1), forwardOffsets(2)] as const;

export class CellList {
  private n = [1, 1, 1];
  private count = 0;
  private cellOf = new Int32Array(0);
  private start = new Int32Array(0);
  private order = new Int32Array(0);
  /** Wrapped Cartesian coordinates in cell order (contiguous per cell for cache locality). */
  private xs = new Float64Array(0);
  /** The other coordinate buffer: build() fills it and swaps it with xs. */
  private scratch = new Float64Array(0);
  private readonly cell = new Float64Array(9);
  private pbc: Pbc = [true, true, true];
  private readonly reach: 1 | 2;

  /**
   * reach 1 (default): cells of the cutoff and the classic 3×3×3 stencil; reach 2: cells of
   * half the cutoff and 5×5×5, which tests ~1.7× fewer candidate pairs but pays more per cell
   * and measured slower on liquid argon (864 atoms, 8.5 Å).
   */
  constructor(reach: 1 | 2 = 1) {
    this.reach = reach;
  }

  /**
   * Bins `count` atoms: atom k is positions[3*atoms[k]..] (or k itself when `atoms` is null).
   * Visitors receive k, the position in `atoms`, so callers index their own per-atom data.
   */
  build(positions: Float64Array, atoms: Int32Array | null, cell: Float64Array, pbc: Pbc, rmax: number): void {
    const count = atoms ? atoms.length : positions.length / 3;
    this.count = count;
    this.cell.set(cell);
    this.pbc = pbc;
    const inv = invert3(cell);
    const w = perpendicularWidths(cell);
    if (this.cellOf.length < count) {
      this.cellOf = new Int32Array(count);
      this.order = new Int32Array(count);
      this.xs = new Float64Array(3 * count);
    }
    // Fractional coordinates: wrapped on periodic axes; range-scaled on open ones.
    const lo = [0, 0, 0];
    const span = [1, 1, 1];
    for (let k = 0; k < 3; k++) {
      if (pbc[k]) continue;
      let min = Infinity;
      let max = -Infinity;
      for (let q = 0; q < count; q++) {
        const p = 3 * (atoms ? atoms[q]! : q);
        const s = positions[p]! * inv[k]! + positions[p + 1]! * inv[3 + k]! + positions[p + 2]! * inv[6 + k]!;
        if (s < min) min = s;
        if (s > max) max = s;
      }
      lo[k] = count ? min : 0;
      span[k] = count ? Math.max(max - min, 1e-12) : 1;
    }
    // Cells of width ≥ rmax/reach: pairs within rmax are at most `reach` cells apart.
    const reach = this.reach;
    const n = [1, 1, 1];
    for (let k = 0; k < 3; k++) n[k] = Math.max(1, Math.floor((reach * span[k]! * w[k]!) / rmax));
    // Never more cells than about 2 per atom: empty cells cost time and memory.
    while (n[0]! * n[1]! * n[2]! > Math.max(27, 2 * count)) {
      const k = n[0]! >= n[1]! && n[0]! >= n[2]! ? 0 : n[1]! >= n[2]! ? 1 : 2;
      n[k] = n[k]! - 1;
    }
    this.n = n;
    const cells = n[0]! * n[1]! * n[2]!;
    if (this.start.length < cells + 1) this.start = new Int32Array(cells + 1);
    const start = this.start;
    start.fill(0, 0, cells + 1);
    const xs = this.xs;
    for (let q = 0; q < count; q++) {
      const p = 3 * (atoms ? atoms[q]! : q);
      const x = positions[p]!;
      const y = positions[p + 1]!;
      const z = positions[p + 2]!;
      let index = 0;
      for (let k = 0; k < 3; k++) {
        let s = x * inv[k]! + y * inv[3 + k]! + z * inv[6 + k]!;
        if (pbc[k]) {
          s -= Math.floor(s);
          if (s >= 1) s = 0; // -1e-17 - floor(-1e-17) rounds to 1
        } else s = (s - lo[k]!) / span[k]!;
        const c = Math.min(n[k]! - 1, Math.max(0, Math.floor(s * n[k]!)));
        index = index * n[k]! + c;
        // Keep the wrapped fractional coordinate for the Cartesian below (xs as scratch).
        xs[3 * q + k] = pbc[k] ? s : s * span[k]! + lo[k]!;
      }
      this.cellOf[q] = index;
      start[index + 1] = start[index + 1]! + 1;
    }
    for (let c = 0; c < cells; c++) start[c + 1] = start[c + 1]! + start[c]!;
    // Counting sort into cell order: placing advances start[c] to the next cell's start, so
    // shifting it back by one cell afterwards restores the starts.
    const order = this.order;
    for (let q = 0; q < count; q++) {
      const c = this.cellOf[q]!;
      order[start[c]!] = q;
      start[c] = start[c]! + 1;
    }
    for (let c = cells; c > 0; c--) start[c] = start[c - 1]!;
    start[0] = 0;
    this.fillSorted(cell);
  }

  /** Cartesian coordinates s·H in cell order, from the fractional scratch in input order. */
  private fillSorted(cell: Float64Array): void {
    const count = this.count;
    const xs = this.xs;
    const order = this.order;
    // Convert in place to Cartesian (input order), then permute into cell order via a scratch.
    for (let q = 0; q < count; q++) {
      const u = xs[3 * q]!;
      const v = xs[3 * q + 1]!;
      const t = xs[3 * q + 2]!;
      xs[3 * q] = u * cell[0]! + v * cell[3]! + t * cell[6]!;
      xs[3 * q + 1] = u * cell[1]! + v * cell[4]! + t * cell[7]!;
      xs[3 * q + 2] = u * cell[2]! + v * cell[5]! + t * cell[8]!;
    }
    if (this.scratch.length < 3 * count) this.scratch = new Float64Array(3 * count);
    const scratch = this.scratch;
    for (let slot = 0; slot < count; slot++) {
      const q = order[slot]!;
      scratch[3 * slot] = xs[3 * q]!;
      scratch[3 * slot + 1] = xs[3 * q + 1]!;
      scratch[3 * slot + 2] = xs[3 * q + 2]!;
    }
    this.xs = scratch;
    this.scratch = xs;
  }

  /** Visits every unordered pair closer than rmax (strictly) once, with its squared distance. */
  forEachPair(rmax: number, visit: PairVisitor): void {
    const [na, nb, nc] = this.n as [number, number, number];
    const xs = this.xs;
    const order = this.order;
    const start = this.start;
    const cell = this.cell;
    const pbc = this.pbc;
    const r2max = rmax * rmax;
    const forward = FORWARD[this.reach - 1]!;
    for (let ca = 0; ca < na; ca++) {
      for (let cb = 0; cb < nb; cb++) {
        for (let cc = 0; cc < nc; cc++) {
          const c = (ca * nb + cb) * nc + cc;
          const s0 = start[c]!;
          const s1 = start[c + 1]!;
          if (s0 === s1) continue;
          // Pairs inside the cell, j after i.
          for (let p = s0; p < s1; p++) {
            const xi = xs[3 * p]!;
            const yi = xs[3 * p + 1]!;
            const zi = xs[3 * p + 2]!;
            for (let q = p + 1; q < s1; q++) {
              const dx = xs[3 * q]! - xi;
              const dy = xs[3 * q + 1]! - yi;
              const dz = xs[3 * q + 2]! - zi;
              const r2 = dx * dx + dy * dy + dz * dz;
              if (r2 < r2max) visit(order[p]!, order[q]!, r2);
            }
          }
          for (let o = 0; o < forward.length; o += 3) {
            let ja = ca + forward[o]!;
            let jb = cb + forward[o + 1]!;
            let jc = cc + forward[o + 2]!;
            // Image count along each axis: the neighbour cell index wrapped, and the lattice
            // shift that brings its atoms next to this cell (more than one box when a small
            // cell has fewer cells than the stencil reaches; such images are out of range).
            let ka = 0;
            let kb = 0;
            let kc = 0;
            if (ja < 0 || ja >= na) {
              if (!pbc[0]) continue;
              ka = Math.floor(ja / na);
              ja -= ka * na;
            }
            if (jb < 0 || jb >= nb) {
              if (!pbc[1]) continue;
              kb = Math.floor(jb / nb);
              jb -= kb * nb;
            }
            if (jc < 0 || jc >= nc) {
              if (!pbc[2]) continue;
              kc = Math.floor(jc / nc);
              jc -= kc * nc;
            }
            const shx = ka * cell[0]! + kb * cell[3]! + kc * cell[6]!;
            const shy = ka * cell[1]! + kb * cell[4]! + kc * cell[7]!;
            const shz = ka * cell[2]! + kb * cell[5]! + kc * cell[8]!;
            const d = (ja * nb + jb) * nc + jc;
            const t0 = start[d]!;
            const t1 = start[d + 1]!;
            for (let p = s0; p < s1; p++) {
              const xi = xs[3 * p]! - shx;
              const yi = xs[3 * p + 1]! - shy;
              const zi = xs[3 * p + 2]! - shz;
              for (let q = t0; q < t1; q++) {
                const dx = xs[3 * q]! - xi;
                const dy = xs[3 * q + 1]! - yi;
                const dz = xs[3 * q + 2]! - zi;
                const r2 = dx * dx + dy * dy + dz * dz;
                if (r2 < r2max) visit(order[p]!, order[q]!, r2);
              }
            }
          }
        }
      }
    }
  }
}
