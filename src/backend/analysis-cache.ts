/**
 * Results of analyses, kept so that reopening a dashboard (or exporting the figure of what
 * is on screen) is instant. Keyed by the inputs' identity and the parameters: for now the
 * identity of a file is its path, size and modification time (not a hash of its content: a
 * file rewritten in place with the same size within the clock's resolution would be taken
 * for the old one). Least recently used out past a byte budget.
 */
import { stat } from 'node:fs/promises';
import type { AnalysisResult } from '../shared/types.js';

/** JSON with object keys sorted, so equal parameters give one key whatever their order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** Identity of a file for the cache: path, size and mtime (see the module comment). */
export async function fileStamp(path: string): Promise<string> {
  const st = await stat(path);
  return `${path}\u0000${st.size}\u0000${st.mtimeMs}`;
}

export function analysisKey(kind: string, stamps: string[], params: Record<string, unknown>): string {
  return canonical({ kind, inputs: stamps, params });
}

/** Rough bytes held by a result: its typed arrays plus a little per string. */
export function resultBytes(r: AnalysisResult): number {
  let n = 1024;
  for (const c of r.columns) n += Array.isArray(c.values) ? c.values.length * 16 : c.values.byteLength;
  for (const o of r.overlays) n += o.x.byteLength + o.y.byteLength;
  if (r.frame) n += r.frame.byteLength;
  return n;
}

export class AnalysisCache {
  private readonly entries = new Map<string, { result: AnalysisResult; bytes: number }>();
  private total = 0;

  constructor(private readonly budget = 256 * 2 ** 20) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  get(key: string): AnalysisResult | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.result;
  }

  set(key: string, result: AnalysisResult): void {
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.bytes;
      this.entries.delete(key);
    }
    const bytes = resultBytes(result);
    if (bytes > this.budget) return;
    this.entries.set(key, { result, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.budget) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }
}
