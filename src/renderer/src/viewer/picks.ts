/**
 * Picked atoms as plain data for the UI (the viewer stays outside Vue): what the info panel
 * lists, refreshed from the viewer whenever a new frame moves the atoms.
 */
import { elementSymbol } from '../../../core/model/elements';

export interface PickedAtom {
  index: number;
  symbol: string;
  position: [number, number, number];
  labels: Record<string, string>;
  properties: Record<string, number>;
}

/** Most atoms in a picked chain (enough for a dihedral). */
export const MAX_PICKS = 4;

export interface AtomInfoSource {
  atomInfo(i: number): {
    index: number;
    z: number;
    position: [number, number, number];
    labels: Record<string, string>;
    properties: Record<string, number>;
  } | null;
}

export function pickedAtom(source: AtomInfoSource, i: number): PickedAtom | null {
  const info = source.atomInfo(i);
  if (!info) return null;
  return { ...info, symbol: info.z > 0 ? elementSymbol(info.z) : '?' };
}

/**
 * The picked list after a click: a plain click replaces it with the atom (or clears it on
 * empty space); an extending click (shift/ctrl) appends, dropping the oldest past MAX_PICKS,
 * and removes the atom when it was the last one picked.
 */
export function nextPicks(current: readonly number[], atom: number | null, extend: boolean): number[] {
  if (atom === null) return extend ? [...current] : [];
  if (!extend) return [atom];
  if (current[current.length - 1] === atom) return current.slice(0, -1);
  return [...current, atom].slice(-MAX_PICKS);
}
