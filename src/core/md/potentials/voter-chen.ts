/**
 * The Voter–Chen analytic EAM (Voter 1994, seeds/eam-voter-1994.txt and
 * eam-voter-parameters.md):
 *
 *   pair     phi(r) = D [1 - exp(-alpha (r - R))]^2 - D                 (Morse)
 *   density  rho(r) = r^6 [exp(-beta r) + 2^9 exp(-2 beta r)]           (hydrogenic 4s)
 *   both smoothed to zero at rc: h_s(r) = h(r) - h(rc) + (rc/m)[1 - (r/rc)^m] h'(rc), m = 20
 *   embedding F(rho): chosen so that the fcc crystal follows Rose's universal equation of
 *   state E(a) = -Ecoh (1 + a* + 0.05 a*^3) exp(-a*), a* = (a/a0 - 1) / sqrt(Ecoh / (9 B Omega)):
 *   F(rho_bar(a)) = E(a) - 1/2 sum_j phi(r_j(a)).
 *
 * F is not analytic, so the potential is tabulated into a setfl (as a setfl writer would)
 * and evaluated by the same code as any eam/alloy file; `writeSetfl` gives the file LAMMPS
 * reads. F(0) = 0 (an isolated atom has zero energy); the Rose construction fills every
 * other grid point. Because Rose's E(a) is not zero where the first neighbor shell reaches
 * rc, F jumps between rho = 0 and the first grid point: only a nearly isolated atom (all
 * neighbors within a hair of rc) sees it.
 *
 * Alloys need a cross pair fitted separately (Voter's Table 5, not in the seed); pass it as
 * `cross` Morse parameters. Same-element properties do not depend on it.
 */
import type { EamElementInfo, SetflFile } from './eam-file.js';
import { EV_PER_A3_IN_GPA } from '../units.js';

export interface MorseParams {
  /** Well depth D_M (eV). */
  D: number;
  /** Equilibrium distance R_M (Å). */
  R: number;
  /** alpha_M (1/Å). */
  alpha: number;
  /** Smooth cutoff (Å). */
  rcut: number;
}

export interface VoterChenElement extends MorseParams {
  symbol: string;
  z: number;
  mass: number;
  /** Density decay beta (1/Å). */
  beta: number;
  /** fcc lattice constant (Å), cohesive energy (eV), bulk modulus (GPa) the embedding reproduces. */
  a0: number;
  Ecoh: number;
  B: number;
}

/** The seed's parameters (Voter 1994, Table 2). */
export const VOTER_CHEN: Readonly<Record<'Ni' | 'Al', VoterChenElement>> = {
  Ni: {
    symbol: 'Ni',
    z: 28,
    mass: 58.6934,
    D: 1.5335,
    R: 2.2053,
    alpha: 1.7728,
    beta: 3.6408,
    rcut: 4.7895,
    a0: 3.52,
    Ecoh: 4.45,
    B: 180.4,
  },
  Al: {
    symbol: 'Al',
    z: 13,
    mass: 26.9815385,
    D: 3.776,
    R: 2.1176,
    alpha: 1.4859,
    beta: 3.3232,
    rcut: 5.555,
    a0: 4.05,
    Ecoh: 3.36,
    B: 79.0,
  },
};

const M_SMOOTH = 20;

/** h_s(r) of the seed: h shifted and tilted so value and slope vanish at rc. */
function smoothed(h: (r: number) => number, dh: (r: number) => number, rc: number): (r: number) => number {
  const hc = h(rc);
  const dhc = dh(rc);
  return (r) => (r >= rc ? 0 : h(r) - hc + (rc / M_SMOOTH) * (1 - Math.pow(r / rc, M_SMOOTH)) * dhc);
}

export function morsePair(p: MorseParams): (r: number) => number {
  const h = (r: number): number => {
    const e = 1 - Math.exp(-p.alpha * (r - p.R));
    return p.D * e * e - p.D;
  };
  const dh = (r: number): number => {
    const x = Math.exp(-p.alpha * (r - p.R));
    return 2 * p.D * (1 - x) * p.alpha * x;
  };
  return smoothed(h, dh, p.rcut);
}

export function hydrogenicDensity(beta: number, rcut: number): (r: number) => number {
  const c = Math.pow(2, 9);
  const h = (r: number): number => Math.pow(r, 6) * (Math.exp(-beta * r) + c * Math.exp(-2 * beta * r));
  const dh = (r: number): number =>
    6 * Math.pow(r, 5) * (Math.exp(-beta * r) + c * Math.exp(-2 * beta * r)) -
    Math.pow(r, 6) * (beta * Math.exp(-beta * r) + 2 * beta * c * Math.exp(-2 * beta * r));
  return smoothed(h, dh, rcut);
}

/** Rose's universal binding curve of the seed, energy per atom at lattice constant a. */
export function roseEnergy(el: VoterChenElement, a: number): number {
  const omega = (el.a0 * el.a0 * el.a0) / 4;
  const B = el.B / EV_PER_A3_IN_GPA;
  const astar = (a / el.a0 - 1) / Math.sqrt(el.Ecoh / (9 * B * omega));
  return -el.Ecoh * (1 + astar + 0.05 * astar * astar * astar) * Math.exp(-astar);
}

/** Neighbor shells of fcc within `reach` (in units of a): distances and counts. */
function fccShells(reach: number): { d: number[]; count: number[] } {
  const byD2 = new Map<number, number>();
  const n = Math.ceil(reach) + 1;
  // Sites of fcc are half-integer triples with an even sum of doubled coordinates.
  for (let i = -2 * n; i <= 2 * n; i++) {
    for (let j = -2 * n; j <= 2 * n; j++) {
      for (let k = -2 * n; k <= 2 * n; k++) {
        if ((i + j + k) % 2 !== 0 || (i === 0 && j === 0 && k === 0)) continue;
        const d2 = i * i + j * j + k * k; // (2 d)^2
        if (d2 > 4 * reach * reach) continue;
        byD2.set(d2, (byD2.get(d2) ?? 0) + 1);
      }
    }
  }
  const keys = [...byD2.keys()].sort((x, y) => x - y);
  return { d: keys.map((k) => Math.sqrt(k) / 2), count: keys.map((k) => byD2.get(k)!) };
}

export interface VoterChenGrid {
  nr?: number;
  nrho?: number;
  /**
   * Smallest lattice constant the embedding table covers, as a fraction of a0 (default 0.7;
   * below about 0.65 the first shell passes the maximum of r^6 exp(-beta r) and rho_bar(a)
   * stops being monotonic).
   */
  aMinFraction?: number;
}

/** The Voter–Chen potential of `elements` as a setfl table. */
export function voterChenSetfl(
  elements: readonly VoterChenElement[],
  cross: Readonly<Record<string, MorseParams>> = {},
  grid: VoterChenGrid = {},
): SetflFile {
  const nr = grid.nr ?? 5000;
  const nrho = grid.nrho ?? 5000;
  const cut = Math.max(...elements.map((e) => e.rcut));
  const dr = cut / (nr - 1);
  const pairs: ((r: number) => number)[][] = elements.map(() => []);
  for (let i = 0; i < elements.length; i++) {
    for (let j = 0; j <= i; j++) {
      const a = elements[i]!;
      const b = elements[j]!;
      const p = i === j ? a : (cross[`${a.symbol}-${b.symbol}`] ?? cross[`${b.symbol}-${a.symbol}`]);
      if (!p) throw new Error(`Voter–Chen ${a.symbol}-${b.symbol}: the cross pair needs its Morse parameters`);
      pairs[i]![j] = morsePair(p);
    }
  }
  const densities = elements.map((e) => hydrogenicDensity(e.beta, e.rcut));

  // Embedding: one table per element on a common rho grid wide enough for all of them.
  const aMin = grid.aMinFraction ?? 0.7;
  const rhoBar = elements.map((e, k) => {
    const shells = fccShells(e.rcut / (aMin * e.a0));
    const rho = densities[k]!;
    const phi = pairs[k]![k]!;
    return {
      rho: (a: number): number => shells.d.reduce((s, d, q) => s + shells.count[q]! * rho(a * d), 0),
      pair: (a: number): number => shells.d.reduce((s, d, q) => s + shells.count[q]! * phi(a * d), 0),
    };
  });
  const rhoMax = Math.max(...elements.map((e, k) => rhoBar[k]!.rho(aMin * e.a0)));
  const drho = rhoMax / (nrho - 1);
  const frho = elements.map((e, k) => {
    const { rho, pair } = rhoBar[k]!;
    const F = new Float64Array(nrho);
    // rho_bar(a) falls monotonically from a_min to the a where the first shell reaches rc.
    const aHi = e.rcut * Math.SQRT2;
    const top = rho(aMin * e.a0);
    for (let g = 1; g < nrho; g++) {
      const target = g * drho;
      let a: number;
      if (target >= top) {
        a = aMin * e.a0;
      } else {
        let lo = aMin * e.a0;
        let hi = aHi;
        for (let it = 0; it < 200 && hi - lo > 1e-14 * hi; it++) {
          const mid = 0.5 * (lo + hi);
          if (rho(mid) > target) lo = mid;
          else hi = mid;
        }
        a = 0.5 * (lo + hi);
      }
      F[g] = roseEnergy(e, a) - 0.5 * pair(a);
      // Past the densest crystal tabulated, continue F linearly (any density beyond is rare).
      if (target > top && g > 1) F[g] = 2 * F[g - 1]! - F[g - 2]!;
    }
    return F;
  });

  const tab = (f: (r: number) => number, times: boolean): Float64Array => {
    const out = new Float64Array(nr);
    for (let m = 0; m < nr; m++) {
      const r = m * dr;
      out[m] = times ? r * f(r) : f(r);
    }
    return out;
  };
  const info: EamElementInfo[] = elements.map((e) => ({
    symbol: e.symbol,
    z: e.z,
    mass: e.mass,
    a0: e.a0,
    lattice: 'FCC',
  }));
  const z2r: Float64Array[] = [];
  for (let i = 0; i < elements.length; i++) for (let j = 0; j <= i; j++) z2r.push(tab(pairs[i]![j]!, true));
  return {
    kind: 'setfl',
    name: `voter-chen ${elements.map((e) => e.symbol).join('-')}`,
    comments: [
      'Voter-Chen EAM (Voter 1994): Morse pair, hydrogenic 4s density, Rose embedding',
      `tabulated by Atomscope: ${elements.map((e) => `${e.symbol} D=${e.D} R=${e.R} alpha=${e.alpha} beta=${e.beta} rc=${e.rcut}`).join('; ')}`,
      '',
    ],
    elements: info,
    nrho,
    drho,
    nr,
    dr,
    cut,
    frho,
    rhor: densities.map((f) => tab(f, false)),
    z2r,
    warnings: [],
  };
}

/** Voter–Chen for the seed's elements by symbol ("Ni", "Al"); alloys need `cross`. */
export function voterChenElements(symbols: readonly string[]): VoterChenElement[] {
  return symbols.map((s) => {
    const e = (VOTER_CHEN as Record<string, VoterChenElement | undefined>)[s];
    if (!e) throw new Error(`Voter–Chen parameters exist for ${Object.keys(VOTER_CHEN).join(', ')}, not ${s}`);
    return e;
  });
}
