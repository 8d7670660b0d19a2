/**
 * Topology + trajectory pairing: coordinate-only trajectories (XTC, TRR, DCD, LAMMPS dump)
 * take elements, names, residues and bonds from a structure file of the same system
 * (GRO, PDB, LAMMPS data, ...), after an atom-count check.
 */
import type { Structure } from '../model/structure.js';

/** Formats that hold coordinates over time but little or no chemistry. */
export const COORDINATE_TRAJECTORIES = new Set(['xtc', 'trr', 'dcd', 'lammps-dump']);
/** Formats that name atoms (elements, residues) and so can serve as a topology. */
export const TOPOLOGY_FORMATS = new Set(['gro', 'pdb', 'lammps-data', 'sdf', 'cif', 'vasp', 'xyz', 'extxyz']);

/** Per-atom columns a topology contributes when the frame lacks them. */
const TOPOLOGY_COLUMNS = ['name', 'resname', 'resid', 'chain', 'element', 'mass', 'charge', 'type', 'mol'];

export class PairingError extends Error {
  override readonly name = 'PairingError';
}

export function checkPairing(topologyName: string, topologyAtoms: number, trajName: string, trajAtoms: number): void {
  if (topologyAtoms !== trajAtoms) {
    throw new PairingError(
      `${trajName} has ${trajAtoms} atoms but its topology ${topologyName} has ${topologyAtoms}; they do not describe the same system`,
    );
  }
}

/** The frame with the topology's chemistry filled in (elements where the frame has none). */
export function applyTopology(frame: Structure, topology: Structure): Structure {
  const n = frame.numbers.length;
  if (topology.numbers.length !== n) {
    throw new PairingError(`frame has ${n} atoms, topology ${topology.numbers.length}`);
  }
  let numbers = frame.numbers;
  if (numbers.some((z) => z === 0)) {
    numbers = Uint8Array.from(frame.numbers, (z, i) => (z === 0 ? topology.numbers[i]! : z));
  }
  const arrays = { ...frame.arrays };
  const arrayWidths = { ...(frame.arrayWidths ?? {}) };
  for (const key of TOPOLOGY_COLUMNS) {
    const col = topology.arrays[key];
    if (col && !(key in arrays)) {
      arrays[key] = col;
      const w = topology.arrayWidths?.[key];
      if (w) arrayWidths[key] = w;
    }
  }
  const out: Structure = { ...frame, numbers, arrays, arrayWidths };
  if (!frame.bonds && topology.bonds) {
    out.bonds = topology.bonds;
    if (topology.bondOrders) out.bondOrders = topology.bondOrders;
  }
  return out;
}

function stem(name: string): string {
  const base = name.replace(/^.*[/\\]/, '').replace(/\.(gz|zst)$/i, '');
  return base.replace(/\.[^.]+$/, '').toLowerCase();
}

export interface PairCandidate {
  key: string;
  name: string;
  format: string;
  atoms: number;
}

/**
 * For each coordinate trajectory among `files`, the topology to pair it with: same atom
 * count, preferring the longest common file-name prefix (md.xtc pairs with md.gro before
 * em.gro), then the file opened last. Returns trajectory key -> topology key.
 */
export function pairFiles(files: PairCandidate[]): Map<string, string> {
  const pairs = new Map<string, string>();
  const topologies = files.filter((f) => TOPOLOGY_FORMATS.has(f.format));
  for (const traj of files.filter((f) => COORDINATE_TRAJECTORIES.has(f.format))) {
    let best: PairCandidate | undefined;
    let bestScore = -1;
    for (const top of topologies) {
      if (top.atoms !== traj.atoms || top.key === traj.key) continue;
      const score = commonPrefix(stem(top.name), stem(traj.name));
      // Ties go to the later file: the one opened most recently, usually together with it.
      if (score >= bestScore) {
        best = top;
        bestScore = score;
      }
    }
    if (best) pairs.set(traj.key, best.key);
  }
  return pairs;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
