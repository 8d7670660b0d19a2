/**
 * Per-atom columns of a structure in the compact form a viewer needs for colouring and
 * picking: numeric columns as float32 (plus `speed` from velocities and `force` magnitude
 * from forces), text columns dictionary-coded (a chain or residue name column of 10^5 atoms
 * is a few distinct strings and one index array). Multi-component columns (other than
 * velocities and forces) are left out. Encoding a text column is cached per array, so the
 * topology columns a trajectory shares across frames are encoded once.
 */
import type { AtomArray, Structure } from './structure.js';

export interface LabelColumn {
  /** Distinct values in order of first appearance. */
  labels: string[];
  /** Atom i has labels[codes[i]]. */
  codes: Uint32Array;
}

export interface AtomColumns {
  atomProperties: Record<string, Float32Array>;
  atomLabels: Record<string, LabelColumn>;
}

const labelCache = new WeakMap<string[], LabelColumn>();

export function encodeLabels(values: string[]): LabelColumn {
  const hit = labelCache.get(values);
  if (hit) return hit;
  const index = new Map<string, number>();
  const labels: string[] = [];
  const codes = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? '';
    let k = index.get(v);
    if (k === undefined) {
      k = labels.length;
      labels.push(v);
      index.set(v, k);
    }
    codes[i] = k;
  }
  const out = { labels, codes };
  labelCache.set(values, out);
  return out;
}

function magnitudes(v: Float64Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.hypot(v[3 * i]!, v[3 * i + 1]!, v[3 * i + 2]!);
  return out;
}

/** The per-atom columns of `s` (only columns of exactly one value per atom). */
export function atomColumns(s: Structure): AtomColumns {
  const n = s.numbers.length;
  const atomProperties: Record<string, Float32Array> = {};
  const atomLabels: Record<string, LabelColumn> = {};
  for (const [key, col] of Object.entries(s.arrays) as [string, AtomArray][]) {
    if ((s.arrayWidths?.[key] ?? 1) !== 1 || col.length !== n) continue;
    if (Array.isArray(col)) atomLabels[key] = encodeLabels(col);
    else atomProperties[key] = Float32Array.from(col);
  }
  if (s.velocities && s.velocities.length === 3 * n && !('speed' in atomProperties)) {
    atomProperties['speed'] = magnitudes(s.velocities, n);
  }
  if (s.forces && s.forces.length === 3 * n && !('force' in atomProperties)) {
    atomProperties['force'] = magnitudes(s.forces, n);
  }
  return { atomProperties, atomLabels };
}
