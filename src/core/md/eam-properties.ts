/**
 * The standard property table of a metal potential, computed the way the corpus's LAMMPS
 * scripts compute it (02_eam/reference_values.json):
 *
 * - a0: zero hydrostatic pressure of the perfect crystal (LAMMPS: box/relax iso 0 + CG).
 * - Ecoh = E(isolated atom) - E(crystal)/N, the isolated atom being one atom alone in space.
 * - C11, C12 from pxx, pyy of a 4x4x4 cell stretched along x by 1 ± 1e-3; C44 from pyz of
 *   the cell tilted by yz = ± 1e-3 · lz; ions relaxed at fixed cell each time;
 *   C = -(P(+d) - P(-d)) / 2d. B = (C11 + 2 C12) / 3.
 * - Evac = E(N-1, relaxed at fixed cell) - (N-1)/N E(N) in a 6x6x6 cell (864 sites).
 * - Surface energies of (100) and (111): (E(slab, relaxed) - N e_bulk) / 2A of a 12-layer
 *   slab, open (no periodicity) along the normal.
 *
 * Works for any Potential of a cubic element (fcc by default).
 */
import { cellVolume } from '../model/cell.js';
import { Calculator } from './calculator.js';
import { relaxIsotropic } from './cell-relax.js';
import { cubicCrystal, type CubicLattice } from './lattice.js';
import { minimizeCG } from './minimize.js';
import type { MdSystem, Potential } from './types.js';
import { EV_PER_A2_IN_J_PER_M2, EV_PER_A3_IN_GPA } from './units.js';

export interface CrystalProperties {
  a0_A: number;
  Ecoh_eV: number;
  B_GPa: number;
  C11_GPa: number;
  C12_GPa: number;
  C44_GPa: number;
  Evac_eV: number;
  Esurf100_J_m2: number;
  Esurf111_J_m2: number;
}

export interface PropertyOptions {
  lattice?: CubicLattice;
  /** Starting lattice constant (Å), e.g. from the potential file; scanned for when absent. */
  a0Guess?: number;
  /** Strain of the elastic finite differences. Default 1e-3. */
  strain?: number;
  /** Force tolerance of the ionic relaxations (eV/Å). Default 1e-6. */
  fmax?: number;
  onProgress?: (fraction: number, message: string) => void;
}

/** One species crystal as an MdSystem. */
function crystalSystem(
  lattice: CubicLattice,
  a: number,
  repeat: [number, number, number],
  species: number,
  orient?: [number, number, number][],
): MdSystem {
  const c = cubicCrystal(lattice, a, repeat, orient);
  return {
    positions: c.positions,
    cell: c.cell,
    pbc: [true, true, true],
    species: new Int32Array(c.positions.length / 3).fill(species),
  };
}

/** CG relaxation of the ions of `system` at fixed cell; returns the energy. */
export function relaxIons(calc: Calculator, system: MdSystem, fmax: number): number {
  return minimizeCG(
    {
      x: system.positions,
      evaluate: (g) => {
        const r = calc.evaluate(system);
        const f = r.forces;
        for (let k = 0; k < g.length; k++) g[k] = -f[k]!;
        return r.energy;
      },
    },
    { fmax, maxIterations: 20000 },
  ).energy;
}

/** Energy of one atom of `species` alone in space. */
export function isolatedAtomEnergy(potential: Potential, species: number): number {
  const calc = new Calculator(potential);
  return calc.evaluate({
    positions: new Float64Array(3),
    cell: null,
    pbc: [false, false, false],
    species: Int32Array.of(species),
  }).energy;
}

/** Lattice constant at zero pressure: a scan of E(a) when no guess is given, then P(a) = 0. */
export function equilibriumLatticeConstant(
  potential: Potential,
  species: number,
  lattice: CubicLattice = 'fcc',
  guess?: number,
): { a0: number; energyPerAtom: number } {
  const calc = new Calculator(potential);
  let a = guess;
  if (a === undefined || !(a > 0)) {
    let best = Infinity;
    for (let t = 1.5; t <= 8; t += 0.02) {
      const e = calc.evaluate(crystalSystem(lattice, t, [1, 1, 1], species)).energy;
      if (e < best) {
        best = e;
        a = t;
      }
    }
  }
  const system = crystalSystem(lattice, a!, [1, 1, 1], species);
  const relaxed = relaxIsotropic(calc, system, { tolerance: 1e-13 });
  const n = system.species.length;
  return { a0: a! * relaxed.scale, energyPerAtom: relaxed.energy / n };
}

/** Pressure tensor (eV/Å³) of `system` after relaxing its ions. */
function relaxedPressure(calc: Calculator, system: MdSystem, fmax: number): Float64Array {
  relaxIons(calc, system, fmax);
  const r = calc.evaluate(system);
  const v = cellVolume(system.cell!);
  return r.virial.map((w) => w / v);
}

/** C11, C12, C44 (GPa) by central differences of the stress, as LAMMPS's change_box script. */
export function elasticConstants(
  potential: Potential,
  species: number,
  a0: number,
  options: { lattice?: CubicLattice; strain?: number; fmax?: number } = {},
): { C11: number; C12: number; C44: number } {
  const lattice = options.lattice ?? 'fcc';
  const d = options.strain ?? 1e-3;
  const fmax = options.fmax ?? 1e-10;
  const calc = new Calculator(potential);
  const stretched = (sign: number): Float64Array => {
    const s = crystalSystem(lattice, a0, [4, 4, 4], species);
    const f = 1 + sign * d;
    s.cell![0]! *= f;
    for (let k = 0; k < s.positions.length; k += 3) s.positions[k]! *= f;
    return relaxedPressure(calc, s, fmax);
  };
  const tilted = (sign: number): Float64Array => {
    const s = crystalSystem(lattice, a0, [4, 4, 4], species);
    const lz = s.cell![8]!;
    s.cell![7] = sign * d * lz;
    // change_box yz ... remap x: y shifts by the tilt times z / lz (the cell starts at z = 0).
    for (let k = 0; k < s.positions.length; k += 3) s.positions[k + 1]! += sign * d * s.positions[k + 2]!;
    return relaxedPressure(calc, s, fmax);
  };
  const xp = stretched(+1);
  const xm = stretched(-1);
  const yp = tilted(+1);
  const ym = tilted(-1);
  const c = (p: number, m: number): number => (-(p - m) / (2 * d)) * EV_PER_A3_IN_GPA;
  return { C11: c(xp[0]!, xm[0]!), C12: c(xp[1]!, xm[1]!), C44: c(yp[5]!, ym[5]!) };
}

/** Relaxed vacancy formation energy in an n x n x n supercell at fixed cell (eV). */
export function vacancyFormationEnergy(
  potential: Potential,
  species: number,
  a0: number,
  options: { lattice?: CubicLattice; size?: number; fmax?: number } = {},
): number {
  const lattice = options.lattice ?? 'fcc';
  const size = options.size ?? 6;
  const calc = new Calculator(potential);
  const perfect = crystalSystem(lattice, a0, [size, size, size], species);
  const n = perfect.species.length;
  const ePerfect = calc.evaluate(perfect).energy;
  // Remove atom 0 (at the origin; every site is equivalent).
  const vac: MdSystem = {
    positions: perfect.positions.slice(3),
    cell: perfect.cell,
    pbc: perfect.pbc,
    species: perfect.species.slice(1),
  };
  const eVac = relaxIons(new Calculator(potential), vac, options.fmax ?? 1e-6);
  return eVac - ((n - 1) / n) * ePerfect;
}

/** Relaxed surface energy (J/m²) of a slab with the given orientation (z = surface normal). */
export function surfaceEnergy(
  potential: Potential,
  species: number,
  a0: number,
  energyPerAtom: number,
  orient: [number, number, number][],
  repeat: [number, number, number],
  options: { lattice?: CubicLattice; fmax?: number } = {},
): number {
  const slab = crystalSystem(options.lattice ?? 'fcc', a0, repeat, species, orient);
  slab.pbc = [true, true, false];
  const calc = new Calculator(potential);
  const e = relaxIons(calc, slab, options.fmax ?? 1e-6);
  const cell = slab.cell!;
  const area = cell[0]! * cell[4]! - cell[1]! * cell[3]!;
  return ((e - slab.species.length * energyPerAtom) / (2 * area)) * EV_PER_A2_IN_J_PER_M2;
}

/** Orientations and repeats of the 12-layer slabs. */
export const SLABS = {
  '100': {
    orient: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ] as [number, number, number][],
    repeat: [3, 3, 6] as [number, number, number],
  },
  '111': {
    orient: [
      [1, -1, 0],
      [1, 1, -2],
      [1, 1, 1],
    ] as [number, number, number][],
    repeat: [3, 2, 4] as [number, number, number],
  },
};

export function crystalProperties(
  potential: Potential,
  species: number,
  options: PropertyOptions = {},
): CrystalProperties {
  const lattice = options.lattice ?? 'fcc';
  const fmax = options.fmax ?? 1e-6;
  const progress = options.onProgress ?? (() => {});
  progress(0, 'lattice constant');
  const { a0, energyPerAtom } = equilibriumLatticeConstant(potential, species, lattice, options.a0Guess);
  const eIso = isolatedAtomEnergy(potential, species);
  progress(0.1, 'elastic constants');
  const el = elasticConstants(potential, species, a0, { lattice, strain: options.strain ?? 1e-3 });
  progress(0.3, 'vacancy');
  const evac = vacancyFormationEnergy(potential, species, a0, { lattice, size: 6, fmax });
  progress(0.7, 'surfaces');
  const s100 = surfaceEnergy(potential, species, a0, energyPerAtom, SLABS['100'].orient, SLABS['100'].repeat, {
    lattice,
    fmax,
  });
  const s111 = surfaceEnergy(potential, species, a0, energyPerAtom, SLABS['111'].orient, SLABS['111'].repeat, {
    lattice,
    fmax,
  });
  progress(1, 'done');
  return {
    a0_A: a0,
    Ecoh_eV: eIso - energyPerAtom,
    B_GPa: (el.C11 + 2 * el.C12) / 3,
    C11_GPa: el.C11,
    C12_GPa: el.C12,
    C44_GPa: el.C44,
    Evac_eV: evac,
    Esurf100_J_m2: s100,
    Esurf111_J_m2: s111,
  };
}
