/**
 * Lennard-Jones 12-6 as LAMMPS's lj/cut: E = 4ε[(σ/r)^12 - (σ/r)^6] for r < rc per species
 * pair, optionally shifted to zero at rc (pair_modify shift yes). Force per pair
 * F·r / r² = r^-6 (48εσ^12 r^-6 - 24εσ^6) / r², the same arithmetic LAMMPS uses.
 */
import type { NeighborList } from '../neighbors.js';
import type { ForceResult, MdSystem, Potential } from '../types.js';

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

  compute(system: MdSystem, list: NeighborList, out: ForceResult): void {
    const n = list.n;
    const { xe, owner, start, neighbors } = list;
    const sp = system.species;
    const ns = this.ns;
    const { cutsq, lj1, lj2, lj3, lj4, offset } = this;
    const eatom = out.perAtom;
    const f = out.forces;
    eatom.fill(0);
    f.fill(0);
    let energy = 0;
    let vxx = 0;
    let vyy = 0;
    let vzz = 0;
    let vxy = 0;
    let vxz = 0;
    let vyz = 0;
    for (let i = 0; i < n; i++) {
      const xi = xe[3 * i]!;
      const yi = xe[3 * i + 1]!;
      const zi = xe[3 * i + 2]!;
      const row = sp[i]! * ns;
      let fxi = 0;
      let fyi = 0;
      let fzi = 0;
      let ei = 0;
      for (let q = start[i]!; q < start[i + 1]!; q++) {
        const k = neighbors[q]!;
        const dx = xi - xe[3 * k]!;
        const dy = yi - xe[3 * k + 1]!;
        const dz = zi - xe[3 * k + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        const j = owner[k]!;
        const t = row + sp[j]!;
        if (rsq >= cutsq[t]!) continue;
        const r2inv = 1.0 / rsq;
        const r6inv = r2inv * r2inv * r2inv;
        const forcelj = r6inv * (lj1[t]! * r6inv - lj2[t]!);
        const fpair = forcelj * r2inv;
        fxi += dx * fpair;
        fyi += dy * fpair;
        fzi += dz * fpair;
        f[3 * j]! -= dx * fpair;
        f[3 * j + 1]! -= dy * fpair;
        f[3 * j + 2]! -= dz * fpair;
        const e = r6inv * (lj3[t]! * r6inv - lj4[t]!) - offset[t]!;
        energy += e;
        ei += 0.5 * e;
        eatom[j]! += 0.5 * e;
        vxx += dx * dx * fpair;
        vyy += dy * dy * fpair;
        vzz += dz * dz * fpair;
        vxy += dx * dy * fpair;
        vxz += dx * dz * fpair;
        vyz += dy * dz * fpair;
      }
      f[3 * i]! += fxi;
      f[3 * i + 1]! += fyi;
      f[3 * i + 2]! += fzi;
      eatom[i]! += ei;
    }
    out.energy = energy;
    out.virial.set([vxx, vyy, vzz, vxy, vxz, vyz]);
  }
}
