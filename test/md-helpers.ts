// Shared pieces of the simulation-engine tests: reading LAMMPS outputs, fixtures, and a
// finite-difference check of forces.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Calculator } from '../src/core/md/calculator.js';
import type { MdSystem, Potential } from '../src/core/md/types.js';
import type { Structure } from '../src/core/model/structure.js';
import { openTrajectory } from '../src/node/open.js';

export const MD_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/md');

export function mdFixture(name: string): string {
  return path.join(MD_FIXTURES, name);
}

export interface LammpsCase {
  data: string;
  pair: string;
  energy_eV: number;
  pressure_bar: number[];
  per_atom_eV: number[];
  forces_eV_A: number[][];
}

export interface LammpsReference {
  energies: Record<string, LammpsCase>;
  surfaces: Record<string, { Esurf100_J_m2: number; Esurf111_J_m2: number }>;
}

export function lammpsReference(): LammpsReference {
  return JSON.parse(readFileSync(mdFixture('lammps_reference.json'), 'utf8')) as LammpsReference;
}

export function readStructure(file: string): Structure {
  const opened = openTrajectory(file);
  try {
    return opened.reader.readFrame(0);
  } finally {
    opened.reader.close();
    opened.source.close?.();
  }
}

/** Forces and c_pea of a LAMMPS dump, sorted by atom id. */
export function readForcesDump(file: string): { forces: number[][]; perAtom: number[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
  const cols = lines[at]!.trim().split(/\s+/).slice(2);
  const col = (c: string): number => cols.indexOf(c);
  const rows = lines
    .slice(at + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .sort((a, b) => a[col('id')]! - b[col('id')]!);
  return {
    forces: rows.map((r) => [r[col('fx')]!, r[col('fy')]!, r[col('fz')]!]),
    perAtom: rows.map((r) => r[col('c_pea')]!),
  };
}

/** System of a structure whose LAMMPS types 1..n are species 0..n-1 (or a given map). */
export function systemOf(s: Structure, typeToSpecies: (type: number) => number = (t) => t - 1): MdSystem {
  const types = s.arrays['type'];
  const n = s.numbers.length;
  const species = new Int32Array(n);
  if (types && !Array.isArray(types)) for (let i = 0; i < n; i++) species[i] = typeToSpecies(types[i]!);
  return { positions: s.positions.slice(), cell: s.cell, pbc: s.pbc, species };
}

/** Largest |F_analytic - F_central-difference| over the first `atoms` atoms (eV/Å). */
export function finiteDifferenceError(
  potential: Potential,
  system: MdSystem,
  atoms = 12,
  h = 1e-5,
): { error: number; scale: number } {
  const calc = new Calculator(potential, { skin: 1.0 });
  const forces = calc.evaluate(system).forces.slice();
  let error = 0;
  let scale = 0;
  const x = system.positions;
  for (let i = 0; i < Math.min(atoms, x.length / 3); i++) {
    for (let d = 0; d < 3; d++) {
      const k = 3 * i + d;
      const x0 = x[k]!;
      x[k] = x0 + h;
      const ep = calc.evaluate(system).energy;
      x[k] = x0 - h;
      const em = calc.evaluate(system).energy;
      x[k] = x0;
      const fd = -(ep - em) / (2 * h);
      error = Math.max(error, Math.abs(fd - forces[k]!));
      scale = Math.max(scale, Math.abs(forces[k]!));
    }
  }
  return { error, scale };
}

/** Largest absolute difference between two equally long lists of numbers (or of triples). */
export function maxDiff(a: ArrayLike<number> | number[][], b: ArrayLike<number> | number[][]): number {
  const flat = (v: ArrayLike<number> | number[][]): number[] =>
    Array.isArray(v) && Array.isArray(v[0]) ? (v as number[][]).flat() : Array.from(v as ArrayLike<number>);
  const x = flat(a);
  const y = flat(b);
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]! - y[k]!));
  return m;
}
