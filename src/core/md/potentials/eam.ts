/**
 * Embedded-atom method: E = sum_i F_i(rho_i) + 1/2 sum_ij phi_ij(r_ij), rho_i = sum_j rho_j(r_ij),
 * evaluated on LAMMPS's spline tables (eam-tables.ts) with pair_eam's three passes: densities,
 * embedding energies and their derivatives, then forces. Per-atom energies follow LAMMPS
 * (embedding to the atom, each pair energy half to each partner); the virial is the pair sum
 * of r_ij ⊗ f_ij that LAMMPS's pressure tensor uses.
 */
import type { NeighborList } from '../neighbors.js';
import type { ComputeFlags, ForceResult, MdSystem, Potential } from '../types.js';
import { foldGhosts, virialFdotr } from './lj.js';
import { eamElements, EAM_STYLE, type EamFile } from './eam-file.js';
import { eamTables, embeddingEnergy, type EamTables } from './eam-tables.js';

export class EamPotential implements Potential {
  readonly label: string;
  readonly species: readonly string[];
  readonly cutoff: number;
  readonly tables: EamTables;
  private rho = new Float64Array(0);
  private fp = new Float64Array(0);
  private fe = new Float64Array(0);
  private ee = new Float64Array(0);
  private spe = new Int32Array(0);
  private lastN = 0;
  /**
   * Pairs within the cutoff found by pass 1 (neighbor slot and distance), per atom from
   * pairStart[i]: pass 3 walks only these, with no distance test and no second square
   * root. With a 1 Å skin about 40 % of the listed pairs are beyond the cutoff, and
   * skipping them again costs as much as the work on the others.
   */
  private pairK = new Int32Array(0);
  private pairR = new Float64Array(0);
  private pairStart = new Int32Array(0);

  /** Host densities rho_i of the last `compute` (a view; valid until the next call). */
  get densities(): Float64Array {
    return this.rho.subarray(0, this.lastN);
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

  compute(system: MdSystem, list: NeighborList, out: ForceResult, flags: ComputeFlags = {}): void {
    const t = this.tables;
    const n = list.n;
    const nExt = list.nExt;
    const perAtom = flags.perAtom ?? true;
    this.lastN = n;
    // Densities, F'(rho), forces and energies live on extended atoms (locals then ghosts),
    // as in LAMMPS: pair loops write to the neighbor's own slot, ghosts are folded onto
    // their owners after pass 1 and 3, and F' is copied out to ghosts after pass 2.
    if (this.rho.length < nExt) {
      this.rho = new Float64Array(nExt);
      this.fp = new Float64Array(nExt);
      this.fe = new Float64Array(3 * nExt);
      this.ee = new Float64Array(nExt);
      this.spe = new Int32Array(nExt);
    }
    const { rho, fp, fe, ee, spe } = this;
    const { owner } = list;
    const sp = system.species;
    for (let k = 0; k < nExt; k++) spe[k] = sp[owner[k]!]!;
    rho.fill(0, 0, nExt);
    fe.fill(0, 0, 3 * nExt);
    if (perAtom) ee.fill(0, 0, nExt);
    const single = t.species.length === 1;

    // Pass 1: densities. rho_i gets neighbor j's density at i: table type2rhor[j][i].
    if (single) this.densitiesSingle(list);
    else this.densitiesGeneral(list);
    for (let k = n; k < nExt; k++) rho[owner[k]!]! += rho[k]!;

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
      const c = frhoSpline[type2frho[spe[i]!]!]!;
      const o = 7 * m;
      const dF = (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
      let F = ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
      if (r > rhomax) F += dF * (r - rhomax);
      fp[i] = dF;
      if (perAtom) ee[i] = F;
      energy += F;
    }
    for (let k = n; k < nExt; k++) fp[k] = fp[owner[k]!]!;

    // Pass 3: pair energies and forces. d/dr of the embedding terms of both atoms plus phi'.
    energy += single ? this.forcesSingle(list, perAtom) : this.forcesGeneral(list, perAtom);
    foldGhosts(list, fe, out.forces, perAtom ? ee : null, out.perAtom);
    if (flags.virial ?? true) virialFdotr(list, fe, out.virial);
    out.energy = energy;
  }

  /** One species: rho_i(r) = rho_j(r), one spline evaluation serves both atoms. */
  private densitiesSingle(list: NeighborList): void {
    const t = this.tables;
    const { xe, start, neighbors } = list;
    const rho = this.rho;
    const { rdr, cutforcesq } = t;
    const c = t.rhorSpline[t.type2rhor[0]!]!;
    const nrm1 = t.nr - 1;
    if (this.pairK.length < list.pairCount) {
      this.pairK = new Int32Array(Math.ceil(list.pairCount * 1.2));
      this.pairR = new Float64Array(this.pairK.length);
    }
    if (this.pairStart.length < list.n + 1) this.pairStart = new Int32Array(list.n + 1);
    const { pairK, pairR, pairStart } = this;
    let len = 0;
    for (let i = 0; i < list.n; i++) {
      pairStart[i] = len;
      const xi = xe[3 * i]!;
      const yi = xe[3 * i + 1]!;
      const zi = xe[3 * i + 2]!;
      let rhoi = 0;
      const end = start[i + 1]!;
      for (let q = start[i]!; q < end; q++) {
        const k = neighbors[q]!;
        const dx = xi - xe[3 * k]!;
        const dy = yi - xe[3 * k + 1]!;
        const dz = zi - xe[3 * k + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        if (rsq >= cutforcesq) continue;
        const r = Math.sqrt(rsq);
        pairK[len] = k;
        pairR[len] = r;
        len++;
        let p = r * rdr + 1.0;
        let m = Math.trunc(p);
        if (m > nrm1) m = nrm1;
        p -= m;
        if (p > 1.0) p = 1.0;
        const o = 7 * m;
        const v = ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
        rhoi += v;
        rho[k]! += v;
      }
      rho[i]! += rhoi;
    }
    pairStart[list.n] = len;
  }

  private densitiesGeneral(list: NeighborList): void {
    const t = this.tables;
    const { xe, start, neighbors } = list;
    const { rho, spe } = this;
    const ns = t.species.length;
    const { rdr, cutforcesq, type2rhor, rhorSpline } = t;
    const nrm1 = t.nr - 1;
    for (let i = 0; i < list.n; i++) {
      const xi = xe[3 * i]!;
      const yi = xe[3 * i + 1]!;
      const zi = xe[3 * i + 2]!;
      const si = spe[i]!;
      let rhoi = 0;
      const end = start[i + 1]!;
      for (let q = start[i]!; q < end; q++) {
        const k = neighbors[q]!;
        const dx = xi - xe[3 * k]!;
        const dy = yi - xe[3 * k + 1]!;
        const dz = zi - xe[3 * k + 2]!;
        const rsq = dx * dx + dy * dy + dz * dz;
        if (rsq >= cutforcesq) continue;
        const sj = spe[k]!;
        let p = Math.sqrt(rsq) * rdr + 1.0;
        let m = Math.trunc(p);
        if (m > nrm1) m = nrm1;
        p -= m;
        if (p > 1.0) p = 1.0;
        const o = 7 * m;
        let c = rhorSpline[type2rhor[sj * ns + si]!]!;
        rhoi += ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
        c = rhorSpline[type2rhor[si * ns + sj]!]!;
        rho[k]! += ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
      }
      rho[i]! += rhoi;
    }
  }

  /** Pass 3 for one species (rho' is the same function for both atoms of a pair). */
  private forcesSingle(list: NeighborList, perAtom: boolean): number {
    const t = this.tables;
    const xe = list.xe;
    const { fp, fe, ee, pairK, pairR, pairStart } = this;
    const rdr = t.rdr;
    const cr = t.rhorSpline[t.type2rhor[0]!]!;
    const cz = t.z2rSpline[t.type2z2r[0]!]!;
    const nrm1 = t.nr - 1;
    let energy = 0;
    for (let i = 0; i < list.n; i++) {
      const i3 = 3 * i;
      const xi = xe[i3]!;
      const yi = xe[i3 + 1]!;
      const zi = xe[i3 + 2]!;
      const fpi = fp[i]!;
      let fxi = 0;
      let fyi = 0;
      let fzi = 0;
      let ei = 0;
      const end = pairStart[i + 1]!;
      for (let q = pairStart[i]!; q < end; q++) {
        const k = pairK[q]!;
        const k3 = 3 * k;
        const dx = xi - xe[k3]!;
        const dy = yi - xe[k3 + 1]!;
        const dz = zi - xe[k3 + 2]!;
        const r = pairR[q]!;
        let p = r * rdr + 1.0;
        let m = Math.trunc(p);
        if (m > nrm1) m = nrm1;
        p -= m;
        if (p > 1.0) p = 1.0;
        const o = 7 * m;
        const rhop = (cr[o]! * p + cr[o + 1]!) * p + cr[o + 2]!;
        const z2p = (cz[o]! * p + cz[o + 1]!) * p + cz[o + 2]!;
        const z2 = ((cz[o + 3]! * p + cz[o + 4]!) * p + cz[o + 5]!) * p + cz[o + 6]!;
        const recip = 1.0 / r;
        const phi = z2 * recip;
        const phip = z2p * recip - phi * recip;
        const psip = (fpi + fp[k]!) * rhop + phip;
        const fpair = -psip * recip;
        fxi += dx * fpair;
        fyi += dy * fpair;
        fzi += dz * fpair;
        fe[k3]! -= dx * fpair;
        fe[k3 + 1]! -= dy * fpair;
        fe[k3 + 2]! -= dz * fpair;
        energy += phi;
        if (perAtom) {
          ei += 0.5 * phi;
          ee[k]! += 0.5 * phi;
        }
      }
      fe[i3]! += fxi;
      fe[i3 + 1]! += fyi;
      fe[i3 + 2]! += fzi;
      if (perAtom) ee[i]! += ei;
    }
    return energy;
  }

  private forcesGeneral(list: NeighborList, perAtom: boolean): number {
    const t = this.tables;
    const { xe, start, neighbors } = list;
    const { fp, fe, ee, spe } = this;
    const ns = t.species.length;
    const { rdr, cutforcesq, type2rhor, type2z2r, rhorSpline, z2rSpline } = t;
    const nrm1 = t.nr - 1;
    let energy = 0;
    for (let i = 0; i < list.n; i++) {
      const i3 = 3 * i;
      const xi = xe[i3]!;
      const yi = xe[i3 + 1]!;
      const zi = xe[i3 + 2]!;
      const si = spe[i]!;
      const fpi = fp[i]!;
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
        if (rsq >= cutforcesq) continue;
        const sj = spe[k]!;
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
        const psip = fpi * rhojp + fp[k]! * rhoip + phip;
        const fpair = -psip * recip;
        fxi += dx * fpair;
        fyi += dy * fpair;
        fzi += dz * fpair;
        fe[k3]! -= dx * fpair;
        fe[k3 + 1]! -= dy * fpair;
        fe[k3 + 2]! -= dz * fpair;
        energy += phi;
        if (perAtom) {
          ei += 0.5 * phi;
          ee[k]! += 0.5 * phi;
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
