/**
 * Embedded-atom method: E = sum_i F_i(rho_i) + 1/2 sum_ij phi_ij(r_ij), rho_i = sum_j rho_j(r_ij),
 * evaluated on LAMMPS's spline tables (eam-tables.ts) with pair_eam's three passes: densities,
 * embedding energies and their derivatives, then forces. Per-atom energies follow LAMMPS
 * (embedding to the atom, each pair energy half to each partner); the virial is the pair sum
 * of r_ij ⊗ f_ij that LAMMPS's pressure tensor uses.
 */
import type { NeighborList } from '../neighbors.js';
import type { ForceResult, MdSystem, Potential } from '../types.js';
import { eamElements, EAM_STYLE, type EamFile } from './eam-file.js';
import { eamTables, embeddingEnergy, type EamTables } from './eam-tables.js';

export class EamPotential implements Potential {
  readonly label: string;
  readonly species: readonly string[];
  readonly cutoff: number;
  readonly tables: EamTables;
  private rho = new Float64Array(0);
  private fp = new Float64Array(0);

  /** Host densities rho_i of the last `compute` (a view; valid until the next call). */
  get densities(): Float64Array {
    return this.rho;
  }

  constructor(tables: EamTables, label = 'eam') {
    this.tables = tables;
    this.species = tables.species;
    this.cutoff = tables.cut;
    this.label = label;
  }

  static fromFile(file: EamFile): EamPotential {
    const base = file.name.split(/[\\/]/).pop() ?? file.name;
    return new EamPotential(eamTables(file), `${EAM_STYLE[file.kind]} ${base} (${eamElements(file).join(' ')})`);
  }

  /** Energy of one atom of species s alone in space: F(0), which LAMMPS reports for it. */
  isolatedAtomEnergy(s: number): number {
    return embeddingEnergy(this.tables, s, 0).F;
  }

  compute(system: MdSystem, list: NeighborList, out: ForceResult): void {
    const t = this.tables;
    const n = list.n;
    if (this.rho.length < n) {
      this.rho = new Float64Array(n);
      this.fp = new Float64Array(n);
    }
    const rho = this.rho;
    const fp = this.fp;
    rho.fill(0, 0, n);
    const { xe, owner, start, neighbors } = list;
    const sp = system.species;
    const ns = t.species.length;
    const { rdr, cutforcesq, type2rhor, type2z2r, rhorSpline, z2rSpline } = t;
    const nrm1 = t.nr - 1;
    const eatom = out.perAtom;
    const f = out.forces;
    const vir = out.virial;
    eatom.fill(0);
    f.fill(0);
    vir.fill(0);

    // Pass 1: densities. rho_i gets neighbor j's density at i: table type2rhor[j][i].
    for (let i = 0; i < n; i++) {
      const xi = xe[3 * i]!;
      const yi = xe[3 * i + 1]!;
      const zi = xe[3 * i + 2]!;
      const si = sp[i]!;
      let rhoi = 0;
      for (let q = start[i]!; q < start[i + 1]!; q++) {
        const k = neighbors[q]!;
        const dx = xi - xe[3 * k]!;
        const dy = yi - xe[3 * k + 1]!;
        const dz = zi - xe[3 * k + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        if (rsq >= cutforcesq) continue;
        const j = owner[k]!;
        const sj = sp[j]!;
        let p = Math.sqrt(rsq) * rdr + 1.0;
        let m = Math.trunc(p);
        if (m > nrm1) m = nrm1;
        p -= m;
        if (p > 1.0) p = 1.0;
        const o = 7 * m;
        let c = rhorSpline[type2rhor[sj * ns + si]!]!;
        rhoi += ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
        c = rhorSpline[type2rhor[si * ns + sj]!]!;
        rho[j]! += ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
      }
      rho[i]! += rhoi;
    }

    // Pass 2: embedding energies and F'(rho).
    // Past the table's end F is continued linearly so energy stays conserved (LAMMPS).
    let energy = 0;
    const { rdrho, rhomax, frhoSpline, type2frho } = t;
    const nrhom1 = t.nrho - 1;
    for (let i = 0; i < n; i++) {
      const r = rho[i]!;
      let p = r * rdrho + 1.0;
      let m = Math.trunc(p);
      m = Math.max(1, Math.min(m, nrhom1));
      p -= m;
      if (p > 1.0) p = 1.0;
      const c = frhoSpline[type2frho[sp[i]!]!]!;
      const o = 7 * m;
      const dF = (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
      let F = ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
      if (r > rhomax) F += dF * (r - rhomax);
      fp[i] = dF;
      eatom[i]! += F;
      energy += F;
    }

    // Pass 3: pair energies and forces. d/dr of the embedding terms of both atoms plus phi'.
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
      const si = sp[i]!;
      const fpi = fp[i]!;
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
        if (rsq >= cutforcesq) continue;
        const j = owner[k]!;
        const sj = sp[j]!;
        const r = Math.sqrt(rsq);
        let p = r * rdr + 1.0;
        let m = Math.trunc(p);
        if (m > nrm1) m = nrm1;
        p -= m;
        if (p > 1.0) p = 1.0;
        const o = 7 * m;
        let c = rhorSpline[type2rhor[si * ns + sj]!]!;
        const rhoip = (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
        c = rhorSpline[type2rhor[sj * ns + si]!]!;
        const rhojp = (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
        c = z2rSpline[type2z2r[si * ns + sj]!]!;
        const z2p = (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
        const z2 = ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
        const recip = 1.0 / r;
        const phi = z2 * recip;
        const phip = z2p * recip - phi * recip;
        const psip = fpi * rhojp + fp[j]! * rhoip + phip;
        const fpair = -psip * recip;
        fxi += dx * fpair;
        fyi += dy * fpair;
        fzi += dz * fpair;
        f[3 * j]! -= dx * fpair;
        f[3 * j + 1]! -= dy * fpair;
        f[3 * j + 2]! -= dz * fpair;
        ei += 0.5 * phi;
        eatom[j]! += 0.5 * phi;
        energy += phi;
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
    vir[0] = vxx;
    vir[1] = vyy;
    vir[2] = vzz;
    vir[3] = vxy;
    vir[4] = vxz;
    vir[5] = vyz;
    out.energy = energy;
  }
}
