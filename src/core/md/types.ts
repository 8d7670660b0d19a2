/**
 * Shapes shared by the simulation engine: the system a potential sees, what an evaluation
 * returns, and the contract every potential fulfils. Typed arrays only, so a system of
 * 10^6 atoms is a handful of allocations and the inner loops stay monomorphic.
 */
import type { Pbc } from '../model/structure.js';
import type { NeighborList } from './neighbors.js';

/** Positions (Å, xyz interleaved), cell rows (Å) or null, periodicity and per-atom species. */
export interface MdSystem {
  positions: Float64Array;
  cell: Float64Array | null;
  pbc: Pbc;
  /** Species index of each atom into the potential's species list (0-based). */
  species: Int32Array;
}

/** One evaluation. Energies in eV, forces in eV/Å, virial in eV (W = sum over pairs r ⊗ f). */
export interface ForceResult {
  energy: number;
  /** Per-atom energy, LAMMPS's convention (pair energy split half and half). */
  perAtom: Float64Array;
  forces: Float64Array;
  /** Virial xx, yy, zz, xy, xz, yz: pressure tensor P = W / V (LAMMPS's sign: positive = compressed). */
  virial: Float64Array;
}

export function newForceResult(n: number): ForceResult {
  return {
    energy: 0,
    perAtom: new Float64Array(n),
    forces: new Float64Array(3 * n),
    virial: new Float64Array(6),
  };
}

/**
 * What an evaluation must produce beyond total energy and forces (LAMMPS's eflag_atom and
 * vflag). MD steps that write no thermo skip per-atom energies, as LAMMPS does: they cost a
 * scattered store per pair. Absent flags mean everything.
 */
export interface ComputeFlags {
  /** Compute the total `energy` (default true). When false it is unspecified. */
  energy?: boolean;
  /** Fill `perAtom` (default true). When false its contents are unspecified. */
  perAtom?: boolean;
  /** Fill `virial` (default true). */
  virial?: boolean;
}

export interface Potential {
  /** Human-readable id ("eam/alloy Cu_mishin1.eam.alloy", "lj/cut"). */
  readonly label: string;
  /** Species names in index order (element symbols for EAM files). */
  readonly species: readonly string[];
  /** Interaction range in Å: pairs farther apart never contribute. */
  readonly cutoff: number;
  /**
   * Energies, forces and virial of `system` using `list`, a half list built with at least
   * `cutoff` (plus skin) on the same positions. Overwrites every field of `out` that
   * `flags` asks for (all by default).
   */
  compute(system: MdSystem, list: NeighborList, out: ForceResult, flags?: ComputeFlags): void;
}
