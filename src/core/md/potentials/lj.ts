/**
 * Lennard-Jones 12-6 as LAMMPS's lj/cut: E = 4ε[(σ/r)^12 - (σ/r)^6] for r < rc per species
 * pair, optionally shifted to zero at rc (pair_modify shift yes). Force per pair
 * F·r / r² = r^-6 (48εσ^12 r^-6 - 24εσ^6) / r², the same arithmetic LAMMPS uses.
 */
import type { NeighborList } from '../neighbors.js';
import type { ComputeFlags, ForceResult, MdSystem, Potential } from '../types.js';

export interface LjPair {
  /** Well depth ε in eV. */
  epsilon: number;
  /** σ in Å. */
  sigma: number;
  /** Cutoff rc in Å (0 turns the pair off). */
  cutoff: number;
}

export interface LjOptions {
  /** Species names; species i of the system is species[i]. */
  species: readonly string[];
  /** Parameters of pair (i, j) (called for i <= j; the matrix is symmetric). */
  pair: (i: number, j: number) => LjPair;
  /** Shift each pair energy to zero at its cutoff. */
  shift?: boolean;
}

export type LjMixing = 'geometric' | 'arithmetic';

/**
 * Pair parameters from per-species ones with LAMMPS's mixing rules (pair_modify mix):
 * geometric (LAMMPS's default for lj/cut) mixes ε, σ and rc as geometric means; arithmetic
 * (Lorentz–Berthelot) uses arithmetic means for σ and rc.
 */
export function mixLj(a: LjPair, b: LjPair, rule: LjMixing = 'geometric'): LjPair {
  const epsilon = Math.sqrt(a.epsilon * b.epsilon);
  if (rule === 'geometric') {
    return { epsilon, sigma: Math.sqrt(a.sigma * b.sigma), cutoff: Math.sqrt(a.cutoff * b.cutoff) };
  }
  return { epsilon, sigma: 0.5 * (a.sigma + b.sigma), cutoff: 0.5 * (a.cutoff + b.cutoff) };
}

export class LennardJones implements Potential {
  readonly label: string;
  readonly species: readonly string[];
  readonly cutoff: number;
  readonly shift: boolean;
  private readonly ns: number;
  // Per species pair (row-major, symmetric): lj1 = 48εσ^12, lj2 = 24εσ^6, lj3 = 4εσ^12, lj4 = 4εσ^6.
  private readonly cutsq: Float64Array;
  private readonly lj1: Float64Array;
  private readonly lj2: Float64Array;
  private readonly lj3: Float64Array;
  private readonly lj4: Float64Array;
  private readonly offset: Float64Array;

  constructor(options: LjOptions) {
    const ns = options.species.length;
    if (ns === 0) throw new Error('Lennard-Jones needs at least one species');
    this.ns = ns;
    this.species = options.species;
    this.shift = options.shift ?? false;
    this.cutsq = new Float64Array(ns * ns);
    this.lj1 = new Float64Array(ns * ns);
    this.lj2 = new Float64Array(ns * ns);
    this.lj3 = new Float64Array(ns * ns);
    this.lj4 = new Float64Array(ns * ns);
    this.offset = new Float64Array(ns * ns);
    let cutoff = 0;
    for (let i = 0; i < ns; i++) {
      for (let j = i; j < ns; j++) {
        const { epsilon: e, sigma: s, cutoff: rc } = options.pair(i, j);
        if (!(e >= 0) || !(s > 0) || !(rc >= 0)) {
          throw new Error(`Lennard-Jones ${options.species[i]}-${options.species[j]}: need ε >= 0, σ > 0, rc >= 0`);
        }
        const s6 = Math.pow(s, 6);
        const s12 = Math.pow(s, 12);
        const ratio = s / rc;
        const off = this.shift && rc > 0 ? 4.0 * e * (Math.pow(ratio, 12.0) - Math.pow(ratio, 6.0)) : 0;
        for (const [a, b] of [
          [i, j],
          [j, i],
        ] as const) {
          const k = a * ns + b;
          this.cutsq[k] = rc * rc;
          this.lj1[k] = 48.0 * e * s12;
          this.lj2[k] = 24.0 * e * s6;
          this.lj3[k] = 4.0 * e * s12;
          this.lj4[k] = 4.0 * e * s6;
          this.offset[k] = off;
        }
        cutoff = Math.max(cutoff, rc);
      }
    }
    if (!(cutoff > 0)) throw new Error('Lennard-Jones: every cutoff is zero');
    this.cutoff = cutoff;
    this.label = `lj/cut${this.shift ? ' (shifted)' : ''}`;
  }

  /** One species, one parameter set. */
  static single(pair: LjPair, shift = false, species = 'X'): LennardJones {
    return new LennardJones({ species: [species], pair: () => pair, shift });
  }

  // Per extended atom (locals then ghosts): forces and energies accumulate here and are
  // folded onto the owners afterwards (LAMMPS's reverse communication). The pair loop then
  // writes to the neighbor's own slot, with no owner lookup in its dependency chain, and the
  // virial comes from Σ x ⊗ f over extended atoms (LAMMPS's virial_fdotr_compute) instead
  // of six sums per pair. Both roughly halve the cost of a step.
  private fe = new Float64Array(0);
  private ee = new Float64Array(0);
  private spe = new Int32Array(0);

  compute(system: MdSystem, list: NeighborList, out: ForceResult, flags: ComputeFlags = {}): void {
    const nExt = list.nExt;
    const perAtom = flags.perAtom ?? true;
    if (this.fe.length < 3 * nExt) {
      this.fe = new Float64Array(3 * nExt);
      this.ee = new Float64Array(nExt);
      this.spe = new Int32Array(nExt);
    }
    const fe = this.fe;
    fe.fill(0, 0, 3 * nExt);
    let energy: number;
    if (this.ns === 1 && !perAtom) {
      energy = (flags.energy ?? true) ? this.pairsSingle(list) : this.pairsSingleForces(list);
    } else {
      const spe = this.spe;
      const sp = system.species;
      const owner = list.owner;
      for (let k = 0; k < nExt; k++) spe[k] = sp[owner[k]!]!;
      this.ee.fill(0, 0, nExt);
      energy = this.pairsGeneral(list, perAtom);
    }
    foldGhosts(list, fe, out.forces, perAtom ? this.ee : null, out.perAtom);
    out.energy = energy;
    if (flags.virial ?? true) virialFdotr(list, fe, out.virial);
  }

  /** One species, no per-atom energies: the MD hot path. */
  private pairsSingle(list: NeighborList): number {
    const n = list.n;
    const { xe, start, neighbors } = list;
    const fe = this.fe;
    const cutsq = this.cutsq[0]!;
    const lj1 = this.lj1[0]!;
    const lj2 = this.lj2[0]!;
    const lj3 = this.lj3[0]!;
    const lj4 = this.lj4[0]!;
    const offset = this.offset[0]!;
    let energy = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const i3 = 3 * i;
      const xi = xe[i3]!;
      const yi = xe[i3 + 1]!;
      const zi = xe[i3 + 2]!;
      let fxi = 0;
      let fyi = 0;
      let fzi = 0;
      const end = start[i + 1]!;
      for (let q = start[i]!; q < end; q++) {
        const k3 = 3 * neighbors[q]!;
        const dx = xi - xe[k3]!;
        const dy = yi - xe[k3 + 1]!;
        const dz = zi - xe[k3 + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        if (rsq < cutsq) {
          const r2inv = 1.0 / rsq;
          const r6inv = r2inv * r2inv * r2inv;
          const fpair = r6inv * (lj1 * r6inv - lj2) * r2inv;
          fxi += dx * fpair;
          fyi += dy * fpair;
          fzi += dz * fpair;
          fe[k3]! -= dx * fpair;
          fe[k3 + 1]! -= dy * fpair;
          fe[k3 + 2]! -= dz * fpair;
          energy += r6inv * (lj3 * r6inv - lj4);
          count++;
        }
      }
      fe[i3]! += fxi;
      fe[i3 + 1]! += fyi;
      fe[i3 + 2]! += fzi;
    }
    return energy - count * offset;
  }

  /**
   * pairsSingle without the energy: most MD steps write no thermo, and the two extra
   * multiplies and the sum per pair are 10-15 % of the step (LAMMPS skips them too).
   * Kept as a separate loop so the hot path has no test of a flag. Returns NaN.
   */
  private pairsSingleForces(list: NeighborList): number {
    const n = list.n;
    const { xe, start, neighbors } = list;
    const fe = this.fe;
    const cutsq = this.cutsq[0]!;
    const lj1 = this.lj1[0]!;
    const lj2 = this.lj2[0]!;
    for (let i = 0; i < n; i++) {
      const i3 = 3 * i;
      const xi = xe[i3]!;
      const yi = xe[i3 + 1]!;
      const zi = xe[i3 + 2]!;
      let fxi = 0;
      let fyi = 0;
      let fzi = 0;
      const end = start[i + 1]!;
      for (let q = start[i]!; q < end; q++) {
        const k3 = 3 * neighbors[q]!;
        const dx = xi - xe[k3]!;
        const dy = yi - xe[k3 + 1]!;
        const dz = zi - xe[k3 + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        if (rsq < cutsq) {
          const r2inv = 1.0 / rsq;
          const r6inv = r2inv * r2inv * r2inv;
          const fpair = r6inv * (lj1 * r6inv - lj2) * r2inv;
          fxi += dx * fpair;
          fyi += dy * fpair;
          fzi += dz * fpair;
          fe[k3]! -= dx * fpair;
          fe[k3 + 1]! -= dy * fpair;
          fe[k3 + 2]! -= dz * fpair;
        }
      }
      fe[i3]! += fxi;
      fe[i3 + 1]! += fyi;
      fe[i3 + 2]! += fzi;
    }
    return NaN;
  }

  /** Any number of species, per-atom energies on request. */
  private pairsGeneral(list: NeighborList, perAtom: boolean): number {
    const n = list.n;
    const { xe, start, neighbors } = list;
    const { fe, ee, spe, ns, cutsq, lj1, lj2, lj3, lj4, offset } = this;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const i3 = 3 * i;
      const xi = xe[i3]!;
      const yi = xe[i3 + 1]!;
      const zi = xe[i3 + 2]!;
      const row = spe[i]! * ns;
      let fxi = 0;
      let fyi = 0;
      let fzi = 0;
      let ei = 0;
      const end = start[i + 1]!;
      for (let q = start[i]!; q < end; q++) {
        const k = neighbors[q]!;
        const k3 = 3 * k;
        const dx = xi - xe[k3]!;
        const dy = yi - xe[k3 + 1]!;
        const dz = zi - xe[k3 + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        const t = row + spe[k]!;
        if (rsq >= cutsq[t]!) continue;
        const r2inv = 1.0 / rsq;
        const r6inv = r2inv * r2inv * r2inv;
        const forcelj = r6inv * (lj1[t]! * r6inv - lj2[t]!);
        const fpair = forcelj * r2inv;
        fxi += dx * fpair;
        fyi += dy * fpair;
        fzi += dz * fpair;
        fe[k3]! -= dx * fpair;
        fe[k3 + 1]! -= dy * fpair;
        fe[k3 + 2]! -= dz * fpair;
        const e = r6inv * (lj3[t]! * r6inv - lj4[t]!) - offset[t]!;
        energy += e;
        if (perAtom) {
          ei += 0.5 * e;
          ee[k]! += 0.5 * e;
        }
      }
      fe[i3]! += fxi;
      fe[i3 + 1]! += fyi;
      fe[i3 + 2]! += fzi;
      if (perAtom) ee[i]! += ei;
    }
    return energy;
  }
}

/**
 * Owners' forces (and per-atom energies) from the extended arrays: locals' own entries plus
 * those of their ghost images. Shared by the pair potentials.
 */
export function foldGhosts(
  list: NeighborList,
  fe: Float64Array,
  forces: Float64Array,
  ee: Float64Array | null,
  perAtom: Float64Array,
): void {
  const n = list.n;
  const nExt = list.nExt;
  const owner = list.owner;
  forces.set(fe.subarray(0, 3 * n));
  for (let k = n; k < nExt; k++) {
    const o3 = 3 * owner[k]!;
    const k3 = 3 * k;
    forces[o3]! += fe[k3]!;
    forces[o3 + 1]! += fe[k3 + 1]!;
    forces[o3 + 2]! += fe[k3 + 2]!;
  }
  if (!ee) return;
  perAtom.set(ee.subarray(0, n));
  for (let k = n; k < nExt; k++) perAtom[owner[k]!]! += ee[k]!;
}

/**
 * Virial W = Σ_pairs r_ij ⊗ f_ij as Σ over extended atoms of x_k ⊗ f_k (the forces each
 * extended atom received): equal for pair forces, and O(N) instead of six sums per pair.
 */
export function virialFdotr(list: NeighborList, fe: Float64Array, virial: Float64Array): void {
  const xe = list.xe;
  let vxx = 0;
  let vyy = 0;
  let vzz = 0;
  let vxy = 0;
  let vxz = 0;
  let vyz = 0;
  for (let k = 0; k < list.nExt; k++) {
    const k3 = 3 * k;
    const x = xe[k3]!;
    const y = xe[k3 + 1]!;
    const z = xe[k3 + 2]!;
    const fx = fe[k3]!;
    const fy = fe[k3 + 1]!;
    const fz = fe[k3 + 2]!;
    vxx += x * fx;
    vyy += y * fy;
    vzz += z * fz;
    vxy += x * fy;
    vxz += x * fz;
    vyz += y * fz;
  }
  virial[0] = vxx;
  virial[1] = vyy;
  virial[2] = vzz;
  virial[3] = vxy;
  virial[4] = vxz;
  virial[5] = vyz;
}
