/**
 * The one in-memory shape of a structure (one frame). Units: Å, ps, eV, amu, e.
 * Per-atom data lives in typed arrays only (no per-atom objects), so a frame of 10^6 atoms
 * is a handful of allocations.
 */

/** A per-atom column: numbers (float or int), booleans (0/1 in a Uint8Array) or strings. */
export type AtomArray = Float64Array | Int32Array | Uint8Array | string[];

/** A per-frame value (energy, stress, free keys of an extXYZ comment line, ...). */
export type InfoValue = number | string | boolean | number[] | string[] | boolean[];

export type Pbc = [boolean, boolean, boolean];

export interface Structure {
  /** Atomic numbers (0 = unknown element / dummy). */
  numbers: Uint8Array;
  /** Cartesian positions in Å, xyz interleaved, length 3N. */
  positions: Float64Array;
  /** Cell as three row vectors a, b, c in Å (row-major, length 9), or null when there is none. */
  cell: Float64Array | null;
  pbc: Pbc;
  /** Velocities in Å/ps, length 3N. */
  velocities?: Float64Array;
  /** Forces in eV/Å, length 3N. */
  forces?: Float64Array;
  /**
   * Other per-atom columns, keyed by the name the scientist knows them by:
   * `id`, `type`, `charge`, `mass`, `name` (atom name), `resname`, `resid`, `chain`,
   * `element` (as written), and any extXYZ / dump column under its own name. Multi-component
   * columns are interleaved (length k*N) and their width is in `arrayWidths`.
   */
  arrays: Record<string, AtomArray>;
  /** Width of multi-component columns in `arrays` (absent means 1). */
  arrayWidths?: Record<string, number>;
  /** Per-frame values. Reserved keys: `time` (ps), `step` (integer), `energy` (eV). */
  info: Record<string, InfoValue>;
  /** Bonds as pairs of 0-based atom indices, length 2*nbonds; `bondOrders` aligned with pairs. */
  bonds?: Uint32Array;
  bondOrders?: Uint8Array;
}

export function atomCount(s: Structure): number {
  return s.numbers.length;
}

export function emptyStructure(n: number): Structure {
  return {
    numbers: new Uint8Array(n),
    positions: new Float64Array(3 * n),
    cell: null,
    pbc: [false, false, false],
    arrays: {},
    info: {},
  };
}
