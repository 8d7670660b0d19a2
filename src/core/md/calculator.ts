/**
 * A potential bound to a neighbor list: `evaluate` brings the list up to date (rebuilding
 * only when an atom moved more than skin / 2 or the cell changed) and computes energy,
 * forces and virial into a reused result. Minimisers and property calculators call this in
 * their loops, so it allocates nothing per call once sizes are stable.
 */
import { NeighborList } from './neighbors.js';
import { newForceResult, type ComputeFlags, type ForceResult, type MdSystem, type Potential } from './types.js';

export interface CalculatorOptions {
  /** Neighbor skin in Å (default 1.0). */
  skin?: number;
  /** Consider a rebuild only every this many evaluations (LAMMPS neigh_modify every; default 1). */
  every?: number;
  /** Rebuild only when an atom moved more than skin / 2 (default true); false rebuilds every `every` (LAMMPS check no). */
  check?: boolean;
}

export class Calculator {
  readonly potential: Potential;
  readonly list: NeighborList;
  /** Number of force evaluations so far. */
  evaluations = 0;
  private result: ForceResult = newForceResult(0);

  constructor(potential: Potential, options: CalculatorOptions = {}) {
    this.potential = potential;
    this.list = new NeighborList({
      cutoff: potential.cutoff,
      skin: options.skin ?? 1.0,
      every: options.every,
      check: options.check,
    });
  }

  /** Energy, per-atom energies, forces and virial of `system`. The result is reused by the next call. */
  evaluate(system: MdSystem, flags?: ComputeFlags): ForceResult {
    const n = system.positions.length / 3;
    if (system.species.length !== n) {
      throw new Error(`species has ${system.species.length} entries for ${n} atoms`);
    }
    if (this.result.perAtom.length !== n) this.result = newForceResult(n);
    this.list.update(system);
    this.potential.compute(system, this.list, this.result, flags);
    this.evaluations++;
    return this.result;
  }
}
