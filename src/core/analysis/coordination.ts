/**
 * Per-atom coordination numbers: how many B atoms lie within `cutoff` of each A atom, in one
 * periodic frame, through the cell list (O(N)). The running coordination number n(r) from
 * g(r) is RdfResult.coordination.
 */
import type { Structure } from '../model/structure.js';
import { CellList, maxCutoff } from './cell-list.js';
import { AnalysisError } from './errors.js';

/** Counts per atom of `groupA` (same order); groups default to all atoms. */
export function coordinationNumbers(
  frame: Structure,
  cutoff: number,
  groupA: Int32Array | null = null,
  groupB: Int32Array | null = null,
): Int32Array {
  const cell = frame.cell;
  if (!cell) throw new AnalysisError('coordination numbers need a periodic cell');
  if (cutoff > maxCutoff(cell, frame.pbc) * (1 + 1e-12)) {
    throw new AnalysisError(`cutoff ${cutoff} Å exceeds half the shortest periodic cell width`);
  }
  const n = frame.numbers.length;
  const a = groupA ?? Int32Array.from({ length: n }, (_, i) => i);
  const b = groupB ?? a;
  const slotA = new Int32Array(n).fill(-1);
  a.forEach((atom, k) => (slotA[atom] = k));
  const inB = new Uint8Array(n);
  for (const atom of b) inB[atom] = 1;
  const union = Int32Array.from(new Set([...a, ...b])).sort();
  const counts = new Int32Array(a.length);
  const cells = new CellList();
  cells.build(frame.positions, union, cell, frame.pbc, cutoff);
  cells.forEachPair(cutoff, (p, q) => {
    const i = union[p]!;
    const j = union[q]!;
    if (slotA[i]! >= 0 && inB[j]) counts[slotA[i]!] = counts[slotA[i]!]! + 1;
    if (slotA[j]! >= 0 && inB[i]) counts[slotA[j]!] = counts[slotA[j]!]! + 1;
  });
  return counts;
}
