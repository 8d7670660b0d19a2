// The --potential argument of the simulation commands: an EAM file (kind by extension or
// content), "voter-chen:Ni", or a Lennard-Jones spec ("lj:epsilon=..,sigma=..,cutoff=.."), and the mapping
// of a structure's atoms onto the potential's species.
import { readFileSync } from 'node:fs';
import { elementSymbol } from '../../core/model/elements.js';
import type { Structure } from '../../core/model/structure.js';
import { parseEamFile, type EamFile } from '../../core/md/potentials/eam-file.js';
import { EamPotential } from '../../core/md/potentials/eam.js';
import { isLjSpec, ljFromSpec, LjSpecError } from '../../core/md/potentials/lj-spec.js';
import { voterChenElements, voterChenSetfl } from '../../core/md/potentials/voter-chen.js';
import type { Potential } from '../../core/md/types.js';
import { UsageError } from '../args.js';

const VOTER = /^voter(-chen)?:/i;

/**
 * An EAM potential: a file read from disk (errors name the file), or "voter-chen:Ni[,Al]",
 * the analytic Voter–Chen potential of the seed tabulated on the fly.
 */
export function readEamPotential(path: string): { file: EamFile; potential: EamPotential } {
  if (VOTER.test(path)) {
    const symbols = path
      .replace(VOTER, '')
      .split(',')
      .map((s) => s.trim());
    let file: EamFile;
    try {
      file = voterChenSetfl(voterChenElements(symbols));
    } catch (e) {
      throw new UsageError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { file, potential: EamPotential.fromFile(file) };
  }
  const text = readFileSync(path, 'utf8');
  const file = parseEamFile(path, text);
  return { file, potential: EamPotential.fromFile(file) };
}

/**
 * The species name of every atom: `--elements` maps LAMMPS types 1..n to names (like
 * `pair_coeff * * file Cu Ni`); without it, or when the file has no types, the atoms'
 * elements (or, with `typeNames`, the type numbers as written).
 */
export function atomSpeciesNames(
  structure: Structure,
  elements: string[] | undefined,
  file: string,
  typeNames = false,
): string[] {
  const n = structure.numbers.length;
  const types = structure.arrays['type'];
  // Lennard-Jones pairs may be named by LAMMPS type number ("1-2:eps=...").
  if (typeNames && !elements && types && !Array.isArray(types)) return Array.from(types, (t) => String(t));
  if (elements && types && !Array.isArray(types)) {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const t = types[i]!;
      const name = elements[t - 1];
      if (name === undefined) {
        throw new UsageError(`${file}: atom ${i + 1} has type ${t} but --elements names ${elements.length} type(s)`);
      }
      out[i] = name;
    }
    return out;
  }
  return Array.from(structure.numbers, (z) => elementSymbol(z));
}

export interface LoadedPotential {
  potential: Potential;
  species: Int32Array;
}

/** The potential of `spec` with every atom's species index into it. */
export function loadPotential(spec: string, names: string[]): LoadedPotential {
  if (isLjSpec(spec)) {
    // One LJ species per distinct name, in order of appearance.
    const distinct = [...new Set(names)];
    try {
      const potential = ljFromSpec(spec, distinct);
      return { potential, species: Int32Array.from(names, (s) => distinct.indexOf(s)) };
    } catch (e) {
      if (e instanceof LjSpecError) throw new UsageError(e.message);
      throw e;
    }
  }
  const { potential } = readEamPotential(spec);
  const index = new Map(potential.species.map((s, i) => [s, i]));
  const species = new Int32Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const k = index.get(names[i]!);
    if (k === undefined) {
      throw new UsageError(
        `${spec}: the potential has no element ${names[i]} (atom ${i + 1}); it has ${potential.species.join(', ')}` +
          (names[i] === 'X' ? '; name the types with --elements' : ''),
      );
    }
    species[i] = k;
  }
  return { potential, species };
}
