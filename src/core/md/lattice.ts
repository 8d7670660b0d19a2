/**
 * Crystal builders for property calculations: cubic lattices in any orthogonal orientation
 * (LAMMPS's `lattice fcc a orient x .. orient y .. orient z ..`), replicated into supercells.
 */

export type CubicLattice = 'fcc' | 'bcc' | 'sc';

/** Basis of the conventional cubic cell, in units of a. */
const BASIS: Record<CubicLattice, readonly (readonly [number, number, number])[]> = {
  sc: [[0, 0, 0]],
  bcc: [
    [0, 0, 0],
    [0.5, 0.5, 0.5],
  ],
  fcc: [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ],
};

export interface Crystal {
  positions: Float64Array;
  /** Orthorhombic cell rows (Å). */
  cell: Float64Array;
}

/**
 * Shortest lattice vector along Miller direction [h k l] in units of a: [hkl]/2 for fcc when
 * h+k+l is even, [hkl]/2 for bcc when h, k, l are all odd, else [hkl].
 */
export function latticePeriod(lattice: CubicLattice, dir: readonly [number, number, number]): number {
  const [h, k, l] = dir;
  const length = Math.hypot(h, k, l);
  if (lattice === 'fcc' && (h + k + l) % 2 === 0) return length / 2;
  if (lattice === 'bcc' && Math.abs(h % 2) === 1 && Math.abs(k % 2) === 1 && Math.abs(l % 2) === 1) return length / 2;
  return length;
}

/**
 * The crystal with x, y, z along the (mutually orthogonal) Miller directions `orient`,
 * repeated `repeat` times: an orthorhombic cell whose edges are the lattice periods along
 * those directions. Sites are found by enumerating conventional cells that overlap the
 * supercell and keeping those inside it, so any orthogonal orientation works.
 */
export function cubicCrystal(
  lattice: CubicLattice,
  a: number,
  repeat: readonly [number, number, number] = [1, 1, 1],
  orient: readonly (readonly [number, number, number])[] = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
): Crystal {
  const dirs = orient.map((d) => {
    const len = Math.hypot(d[0], d[1], d[2]);
    return [d[0] / len, d[1] / len, d[2] / len];
  });
  for (let i = 0; i < 3; i++) {
    for (let j = i + 1; j < 3; j++) {
      const c = dirs[i]![0]! * dirs[j]![0]! + dirs[i]![1]! * dirs[j]![1]! + dirs[i]![2]! * dirs[j]![2]!;
      if (Math.abs(c) > 1e-12) throw new Error(`orientation vectors ${i} and ${j} are not orthogonal`);
    }
  }
  // Periods in units of a; lengths of the unit (one-repeat) cell.
  const period = orient.map((d) => latticePeriod(lattice, d as [number, number, number]));
  // Crystal-frame box of the unit cell: corners sum of 0/1 times period*dir.
  let reach = 0;
  for (let i = 0; i < 3; i++) reach += period[i]!;
  const span = Math.ceil(reach) + 1;
  const unit: number[] = [];
  const eps = 1e-8;
  for (let i = -span; i <= span; i++) {
    for (let j = -span; j <= span; j++) {
      for (let k = -span; k <= span; k++) {
        for (const b of BASIS[lattice]) {
          const p = [i + b[0], j + b[1], k + b[2]];
          // Rotated coordinates in units of a, then as a fraction of the unit cell.
          const f = dirs.map((d, q) => (p[0]! * d[0]! + p[1]! * d[1]! + p[2]! * d[2]!) / period[q]!);
          if (f.every((v) => v >= -eps && v < 1 - eps)) {
            unit.push(...f.map((v) => (Math.abs(v) < eps ? 0 : v)));
          }
        }
      }
    }
  }
  const perUnit = unit.length / 3;
  // Sites per cell = basis size x cell volume / a^3 (the cell is orthogonal).
  const expected = Math.round(BASIS[lattice].length * period[0]! * period[1]! * period[2]!);
  if (perUnit !== expected) {
    throw new Error(`lattice builder found ${perUnit} sites per cell, expected ${expected}`);
  }
  const [nx, ny, nz] = repeat;
  const L = period.map((p) => p * a);
  const positions = new Float64Array(3 * perUnit * nx * ny * nz);
  let w = 0;
  for (let ix = 0; ix < nx; ix++) {
    for (let iy = 0; iy < ny; iy++) {
      for (let iz = 0; iz < nz; iz++) {
        for (let s = 0; s < perUnit; s++) {
          positions[w++] = (unit[3 * s]! + ix) * L[0]!;
          positions[w++] = (unit[3 * s + 1]! + iy) * L[1]!;
          positions[w++] = (unit[3 * s + 2]! + iz) * L[2]!;
        }
      }
    }
  }
  return {
    positions,
    cell: Float64Array.of(nx * L[0]!, 0, 0, 0, ny * L[1]!, 0, 0, 0, nz * L[2]!),
  };
}
