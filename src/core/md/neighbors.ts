/**
 * Cell-list (binned) neighbor lists with a skin, O(N) to build, as LAMMPS builds them.
 *
 * Periodicity is handled with ghost atoms: every atom is wrapped into the cell, and images
 * of atoms within cutoff + skin of a periodic face are appended as ghosts (as many periods
 * as the cutoff needs, so cells smaller than the cutoff work too). A pair loop then reads
 * positions from `xe` (locals then ghosts) and adds forces to `owner[j]`; there is no
 * minimum-image convention anywhere. Binning is done in fractional coordinates, which makes
 * triclinic cells no different from orthogonal ones: two points closer than d differ by at
 * most d / h in each fractional coordinate (h = the spacing of the lattice planes), so bins
 * at least (cutoff + skin) / h wide need only the 27 surrounding bins to be searched.
 * Open directions get no ghosts and are binned over the atoms' extent.
 *
 * The list stays valid while no atom moved more than skin / 2 since it was built; `update`
 * checks that, refreshes the ghost positions, and rebuilds only when needed.
 */
import { invert3 } from '../model/cell.js';
import type { Pbc } from '../model/structure.js';

export interface NeighborOptions {
  /** Interaction cutoff (Å). */
  cutoff: number;
  /** Extra distance kept in the list so it survives small moves (Å); LAMMPS metal default 2.0, we use 1.0. */
  skin?: number;
  /** Full list (every pair twice, i -> j and j -> i) instead of a half list (once). */
  full?: boolean;
  /** `update` considers a rebuild only every this many calls (LAMMPS neigh_modify every; default 1). */
  every?: number;
  /**
   * Rebuild only when an atom moved more than skin / 2 (default true). False rebuilds on
   * every `every`-th call unconditionally, as LAMMPS's `check no` (its in.lj benchmark).
   */
  check?: boolean;
}

export interface NeighborInput {
  positions: Float64Array;
  cell: Float64Array | null;
  pbc: Pbc;
}

/** A growable typed buffer (ghost and pair counts are not known before the build). */
class Grow<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

const ints = (n: number): Int32Array => new Int32Array(n);
const floats = (n: number): Float64Array => new Float64Array(n);

export class NeighborList {
  readonly cutoff: number;
  readonly skin: number;
  readonly full: boolean;
  /** Local atom count. */
  n = 0;
  /** Local + ghost count. */
  nExt = 0;
  /** Positions of locals (wrapped) then ghosts, 3 * nExt. */
  xe: Float64Array = new Float64Array(0);
  /** The local atom each extended atom is a copy of (owner[i] = i for locals). */
  owner: Int32Array = new Int32Array(0);
  /** Neighbors of local atom i are `neighbors[start[i] .. start[i + 1])`, extended indices. */
  start: Int32Array = new Int32Array(1);
  neighbors: Int32Array = new Int32Array(0);
  /** How many times the list was (re)built: a cheap check that the skin does its job. */
  builds = 0;

  /** Cartesian offset of each extended atom from its owner's (unwrapped) position. */
  private shift: Float64Array = new Float64Array(0);
  private x0: Float64Array = new Float64Array(0);
  private cell0: Float64Array | null = null;
  private pbc0: Pbc = [false, false, false];

  readonly every: number;
  readonly check: boolean;
  /** `update` calls since the last build. */
  private sinceBuild = 0;

  constructor(options: NeighborOptions) {
    if (!(options.cutoff > 0)) throw new Error(`neighbor cutoff must be positive, got ${options.cutoff}`);
    this.cutoff = options.cutoff;
    this.skin = options.skin ?? 1.0;
    this.full = options.full ?? false;
    this.every = options.every ?? 1;
    this.check = options.check ?? true;
    if (!Number.isInteger(this.every) || this.every < 1)
      throw new Error(`neighbor every must be a positive integer, got ${this.every}`);
  }

  /** Makes the list valid for `system`: rebuilds when the cell changed or an atom moved > skin/2. */
  update(system: NeighborInput): boolean {
    this.sinceBuild++;
    if (this.needsBuild(system)) {
      this.build(system);
      return true;
    }
    this.refreshGhosts(system.positions);
    return false;
  }

  private needsBuild(system: NeighborInput): boolean {
    const x = system.positions;
    if (this.builds === 0 || x.length !== 3 * this.n) return true;
    if (!sameCell(system.cell, this.cell0)) return true;
    for (let d = 0; d < 3; d++) if (system.pbc[d] !== this.pbc0[d]) return true;
    if (this.sinceBuild % this.every !== 0) return false;
    if (!this.check) return true;
    const limit = 0.25 * this.skin * this.skin;
    const x0 = this.x0;
    for (let k = 0; k < x.length; k += 3) {
      const dx = x[k]! - x0[k]!;
      const dy = x[k + 1]! - x0[k + 1]!;
      const dz = x[k + 2]! - x0[k + 2]!;
      if (dx * dx + dy * dy + dz * dz > limit) return true;
    }
    return false;
  }

  /** Ghost and local positions from the owners' current positions (same shifts as at the build). */
  refreshGhosts(positions: Float64Array): void {
    const { xe, owner, shift } = this;
    for (let k = 0; k < this.nExt; k++) {
      const o = 3 * owner[k]!;
      xe[3 * k] = positions[o]! + shift[3 * k]!;
      xe[3 * k + 1] = positions[o + 1]! + shift[3 * k + 1]!;
      xe[3 * k + 2] = positions[o + 2]! + shift[3 * k + 2]!;
    }
  }

  build(system: NeighborInput): void {
    const { positions: x, cell, pbc } = system;
    const n = x.length / 3;
    if (!cell && (pbc[0] || pbc[1] || pbc[2])) throw new Error('periodic boundaries need a cell');
    const h = binningMatrix(cell, pbc);
    const hinv = invert3(h);
    const reach = this.cutoff + this.skin;
    const spacing = planeSpacings(h);
    // Fractional reach per direction, padded so round-off never drops a needed ghost.
    const margin = spacing.map((s) => reach / s + 1e-9);

    // Fractional coordinates of the locals, wrapped into [0, 1) in periodic directions.
    const u = new Float64Array(3 * n);
    const wrap = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const px = x[3 * i]!;
      const py = x[3 * i + 1]!;
      const pz = x[3 * i + 2]!;
      for (let d = 0; d < 3; d++) {
        let f = px * hinv[d]! + py * hinv[3 + d]! + pz * hinv[6 + d]!;
        if (pbc[d]) {
          let w = Math.floor(f);
          f -= w;
          if (f >= 1) {
            f -= 1;
            w += 1;
          }
          wrap[3 * i + d] = -w;
        }
        u[3 * i + d] = f;
      }
    }

    // Extended atoms: locals, then ghost images near periodic faces.
    const owner = new Grow(new Int32Array(n), ints);
    const img = new Grow(new Float64Array(3 * n), floats); // integer image relative to the wrapped local
    owner.length = n;
    img.length = 3 * n;
    for (let i = 0; i < n; i++) owner.data[i] = i;
    const nImg = [0, 1, 2].map((d) => (pbc[d] ? Math.ceil(margin[d]!) : 0));
    const [na, nb, nc] = nImg as [number, number, number];
    const extentOpen = [1, 1, 1];
    for (let i = 0; i < n; i++) {
      const ua = u[3 * i]!;
      const ub = u[3 * i + 1]!;
      const uc = u[3 * i + 2]!;
      for (let a = -na; a <= na; a++) {
        if (a !== 0 && (ua + a < -margin[0]! || ua + a >= 1 + margin[0]!)) continue;
        for (let b = -nb; b <= nb; b++) {
          if (b !== 0 && (ub + b < -margin[1]! || ub + b >= 1 + margin[1]!)) continue;
          for (let c = -nc; c <= nc; c++) {
            if (a === 0 && b === 0 && c === 0) continue;
            if (c !== 0 && (uc + c < -margin[2]! || uc + c >= 1 + margin[2]!)) continue;
            owner.push(i);
            img.push(a);
            img.push(b);
            img.push(c);
          }
        }
      }
    }
    const nExt = owner.length;
    const own = owner.data.subarray(0, nExt);
    const image = img.data;

    // Shifts (wrap of the owner + ghost image) and extended positions.
    const shift = new Float64Array(3 * nExt);
    for (let k = 0; k < nExt; k++) {
      const o = own[k]!;
      const sa = wrap[3 * o]! + image[3 * k]!;
      const sb = wrap[3 * o + 1]! + image[3 * k + 1]!;
      const sc = wrap[3 * o + 2]! + image[3 * k + 2]!;
      for (let d = 0; d < 3; d++) {
        shift[3 * k + d] = sa * h[d]! + sb * h[3 + d]! + sc * h[6 + d]!;
      }
    }
    this.n = n;
    this.nExt = nExt;
    this.owner = own.slice();
    this.shift = shift;
    this.xe = new Float64Array(3 * nExt);
    this.refreshGhosts(x);

    // Bins. In a periodic direction there are m bins per cell period (m = period / bin size)
    // and a ghost's bin is its owner's plus image × m, computed in integers: bins are then
    // exactly translation-invariant, so a pair and its periodic counterpart (j, image of i)
    // always sit at opposite stencil offsets and a half stencil keeps exactly one of them.
    // Open directions are binned over the atoms' extent. The bin size is half the reach
    // (LAMMPS's default binsize): a 5×5×5 stencil covers 15.6 r³ instead of 27 r³, and
    // the half stencil halves that again, against 4.2 r³ / 2 of pairs actually kept.
    const binSize = 0.5 * reach;
    const m = [1, 1, 1];
    const lo = [0, 0, 0];
    for (let d = 0; d < 3; d++) {
      if (pbc[d]) {
        m[d] = Math.max(1, Math.floor(spacing[d]! / binSize));
      } else {
        let a = n === 0 ? 0 : Infinity;
        let b = n === 0 ? 0 : -Infinity;
        for (let k = 0; k < n; k++) {
          const f = u[3 * k + d]!;
          if (f < a) a = f;
          if (f > b) b = f;
        }
        lo[d] = a;
        // Fractional width per bin; bins span [lo, hi] of the locals (ghosts share their bins here).
        m[d] = Math.max(1, Math.floor(((b - a) * spacing[d]!) / binSize));
        // At least one bin size wide, so a flat or single-atom extent gets a normal stencil.
        extentOpen[d] = Math.max(b - a, binSize / spacing[d]!);
      }
    }
    // A sparse system (a few atoms in a huge open box) must not allocate millions of bins;
    // fewer, wider bins are always correct (the stencil widens to match).
    const maxBins = Math.max(64, 8 * nExt);
    const stencil = [0, 0, 0];
    let dims: number[];
    let qmin: number[];
    const binCoord = new Int32Array(3 * nExt);
    for (;;) {
      for (let d = 0; d < 3; d++) {
        // Bin widths measured across the lattice planes (Å): pairs within reach differ by at
        // most ceil(reach / width) bins. The 1e-9 keeps an exact 2.0 from becoming 3.
        const width = pbc[d] ? spacing[d]! / m[d]! : (extentOpen[d]! * spacing[d]!) / m[d]!;
        stencil[d] = Math.max(1, Math.ceil(reach / width - 1e-9));
      }
      let a0 = [Infinity, Infinity, Infinity];
      let a1 = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < n; i++) {
        for (let d = 0; d < 3; d++) {
          const md = m[d]!;
          let q: number;
          if (pbc[d]) q = Math.floor(u[3 * i + d]! * md);
          else q = Math.floor(((u[3 * i + d]! - lo[d]!) / extentOpen[d]!) * md);
          if (q < 0) q = 0;
          else if (q >= md) q = md - 1;
          binCoord[3 * i + d] = q;
        }
      }
      for (let k = n; k < nExt; k++) {
        const o = own[k]!;
        for (let d = 0; d < 3; d++) binCoord[3 * k + d] = binCoord[3 * o + d]! + image[3 * k + d]! * m[d]!;
      }
      for (let k = 0; k < nExt; k++) {
        for (let d = 0; d < 3; d++) {
          const q = binCoord[3 * k + d]!;
          if (q < a0[d]!) a0[d] = q;
          if (q > a1[d]!) a1[d] = q;
        }
      }
      if (nExt === 0) {
        a0 = [0, 0, 0];
        a1 = [0, 0, 0];
      }
      // Pad by the stencil on both sides so a stencil offset never leaves the grid.
      qmin = [0, 1, 2].map((d) => a0[d]! - stencil[d]!);
      dims = [0, 1, 2].map((d) => a1[d]! - a0[d]! + 1 + 2 * stencil[d]!);
      if (dims[0]! * dims[1]! * dims[2]! <= maxBins || m.every((v) => v === 1)) break;
      for (let d = 0; d < 3; d++) m[d] = Math.max(1, Math.ceil(m[d]! / 2));
    }
    const [cx, cy, cz] = dims as [number, number, number];
    const nBins = cx * cy * cz;
    const binOf = new Int32Array(nExt);
    const binStart = new Int32Array(nBins + 1);
    for (let k = 0; k < nExt; k++) {
      const flat =
        binCoord[3 * k]! - qmin[0]! + cx * (binCoord[3 * k + 1]! - qmin[1]! + cy * (binCoord[3 * k + 2]! - qmin[2]!));
      binOf[k] = flat;
      binStart[flat + 1]!++;
    }
    for (let b = 0; b < nBins; b++) binStart[b + 1]! += binStart[b]!;
    const fill = binStart.slice(0, nBins);
    const binAtoms = new Int32Array(nExt);
    for (let k = 0; k < nExt; k++) binAtoms[fill[binOf[k]!]!++] = k;

    // Stencil as runs of bins: along x the bins of one stencil row are consecutive in the
    // flat order, and so are their atoms in binAtoms, so each row is one contiguous range
    // instead of 2·sx + 1 small loops. A half list takes the "upper" half (rows with
    // z > 0, or z = 0 and y > 0, and the bins x > 0 of the own row) plus the own bin, where
    // keepHalf picks one of each pair.
    const full = this.full;
    const rowFirst: number[] = [];
    const rowLast: number[] = [];
    const [sx, sy, sz] = stencil as [number, number, number];
    for (let c = -sz; c <= sz; c++) {
      for (let b = -sy; b <= sy; b++) {
        const row = cx * (b + cy * c);
        if (c === 0 && b === 0) {
          if (full) {
            rowFirst.push(row - sx);
            rowLast.push(row - 1);
          }
          rowFirst.push(row + 1);
          rowLast.push(row + sx);
        } else if (full || c > 0 || (c === 0 && b > 0)) {
          rowFirst.push(row - sx);
          rowLast.push(row + sx);
        }
      }
    }
    const first = Int32Array.from(rowFirst);
    const last = Int32Array.from(rowLast);
    const rows = first.length;
    // Positions in bin order: the inner loop then reads memory sequentially.
    const xb = new Float64Array(3 * nExt);
    for (let s = 0; s < nExt; s++) {
      const k3 = 3 * binAtoms[s]!;
      xb[3 * s] = this.xe[k3]!;
      xb[3 * s + 1] = this.xe[k3 + 1]!;
      xb[3 * s + 2] = this.xe[k3 + 2]!;
    }

    // Pairs within reach. The list grows by doubling, sized from the last build.
    const r2 = reach * reach;
    const xe = this.xe;
    const start = new Int32Array(n + 1);
    let cap = Math.max(1024, this.neighbors.length > 0 ? Math.ceil(this.neighbors.length * 1.2) : n * 48);
    let list = new Int32Array(cap);
    let len = 0;
    for (let i = 0; i < n; i++) {
      start[i] = len;
      const xi = xe[3 * i]!;
      const yi = xe[3 * i + 1]!;
      const zi = xe[3 * i + 2]!;
      const home = binOf[i]!;
      // Every candidate of this atom fits: no capacity check in the loops below.
      let room = len + (binStart[home + 1]! - binStart[home]!);
      for (let r = 0; r < rows; r++) room += binStart[home + last[r]! + 1]! - binStart[home + first[r]!]!;
      if (room > cap) {
        cap = Math.max(2 * cap, room);
        const bigger = new Int32Array(cap);
        bigger.set(list.subarray(0, len));
        list = bigger;
      }
      // Own bin: each pair once (keepHalf), or every other atom for a full list.
      for (let s = binStart[home]!, e = binStart[home + 1]!; s < e; s++) {
        const k = binAtoms[s]!;
        if (k === i) continue;
        if (!full && !keepHalf(i, k, n, own, image)) continue;
        const dx = xb[3 * s]! - xi;
        const dy = xb[3 * s + 1]! - yi;
        const dz = xb[3 * s + 2]! - zi;
        if (dx * dx + dy * dy + dz * dz < r2) list[len++] = k;
      }
      for (let r = 0; r < rows; r++) {
        const e = binStart[home + last[r]! + 1]!;
        for (let s = binStart[home + first[r]!]!; s < e; s++) {
          const dx = xb[3 * s]! - xi;
          const dy = xb[3 * s + 1]! - yi;
          const dz = xb[3 * s + 2]! - zi;
          // Branch-free append: about one candidate in four is kept, a pattern the branch
          // predictor cannot learn (room for every candidate was made above).
          list[len] = binAtoms[s]!;
          len += +(dx * dx + dy * dy + dz * dz < r2);
        }
      }
    }
    start[n] = len;
    this.start = start;
    this.neighbors = list.subarray(0, len);
    this.x0 = x.slice();
    this.cell0 = cell ? cell.slice() : null;
    this.pbc0 = [pbc[0], pbc[1], pbc[2]];
    this.builds++;
    this.sinceBuild = 0;
  }

  /** Number of (i, j) entries in the list. */
  get pairCount(): number {
    return this.start[this.n] ?? 0;
  }
}

/**
 * Half-list rule: each physical pair once. A pair (i, image S of k) is the same pair as
 * (k, image -S of i), so it is kept from the atom with the smaller index, and a pair of an
 * atom with its own image (cells smaller than the cutoff) is kept for the image whose first
 * non-zero image index is positive.
 */
function keepHalf(i: number, k: number, n: number, owner: Int32Array, image: Float64Array): boolean {
  if (k < n) return k > i;
  const o = owner[k]!;
  if (o !== i) return o > i;
  const a = image[3 * k]!;
  if (a !== 0) return a > 0;
  const b = image[3 * k + 1]!;
  if (b !== 0) return b > 0;
  return image[3 * k + 2]! > 0;
}

/**
 * The matrix atoms are binned in: the cell's rows in periodic directions; in open ones any
 * independent direction does, so a missing or degenerate vector (a slab's zero c, a cluster
 * with no cell) is replaced by a unit vector normal to the others.
 */
export function binningMatrix(cell: Float64Array | null, pbc: Pbc): Float64Array {
  const h = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  if (!cell) return h;
  const periodic = [0, 1, 2].filter((d) => pbc[d]);
  for (const d of periodic) for (let k = 0; k < 3; k++) h[3 * d + k] = cell[3 * d + k]!;
  const row = (d: number): number[] => [h[3 * d]!, h[3 * d + 1]!, h[3 * d + 2]!];
  const cross = (p: number[], q: number[]): number[] => [
    p[1]! * q[2]! - p[2]! * q[1]!,
    p[2]! * q[0]! - p[0]! * q[2]!,
    p[0]! * q[1]! - p[1]! * q[0]!,
  ];
  const unit = (v: number[]): number[] => {
    const l = Math.hypot(v[0]!, v[1]!, v[2]!);
    return v.map((x) => x / l);
  };
  if (periodic.length === 2) {
    const open = [0, 1, 2].find((d) => !pbc[d])!;
    const v = unit(cross(row(periodic[0]!), row(periodic[1]!)));
    h.set(v, 3 * open);
  } else if (periodic.length === 1) {
    const a = unit(row(periodic[0]!));
    // Any vector not parallel to a, made orthogonal to it, then the third by a cross product.
    const trial = Math.abs(a[0]!) < 0.9 ? [1, 0, 0] : [0, 1, 0];
    const b = unit(cross(a, trial));
    const c = cross(a, b);
    const open = [0, 1, 2].filter((d) => !pbc[d]);
    h.set(b, 3 * open[0]!);
    h.set(c, 3 * open[1]!);
  }
  return h;
}

/** Spacing of the lattice planes spanned by the other two cell vectors, per direction. */
export function planeSpacings(h: Float64Array): [number, number, number] {
  const row = (i: number): [number, number, number] => [h[3 * i]!, h[3 * i + 1]!, h[3 * i + 2]!];
  const cross = (p: number[], q: number[]): number[] => [
    p[1]! * q[2]! - p[2]! * q[1]!,
    p[2]! * q[0]! - p[0]! * q[2]!,
    p[0]! * q[1]! - p[1]! * q[0]!,
  ];
  const a = row(0);
  const b = row(1);
  const c = row(2);
  const bc = cross(b, c);
  const volume = Math.abs(a[0] * bc[0]! + a[1] * bc[1]! + a[2] * bc[2]!);
  const spacing = (p: number[]): number => volume / Math.hypot(p[0]!, p[1]!, p[2]!);
  return [spacing(bc), spacing(cross(c, a)), spacing(cross(a, b))];
}

function sameCell(a: Float64Array | null, b: Float64Array | null): boolean {
  if (a === null || b === null) return a === b;
  for (let k = 0; k < 9; k++) if (a[k] !== b[k]) return false;
  return true;
}
