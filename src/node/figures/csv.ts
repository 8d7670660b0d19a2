/** CSV of analysis results: one file as its columns, several files with a leading `file` column. */
import type { AnalysisResult } from '../../shared/types.js';

/** A CSV field: quoted when it holds a comma, quote or line break; non-finite numbers empty. */
function field(v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Header row plus one row per index of the columns (the longest sets the count). */
export function columnsCsv(
  columns: { name: string; values: ArrayLike<number | string> }[],
  prefix?: { name: string; value: string },
): string {
  const n = Math.max(0, ...columns.map((c) => c.values.length));
  const head = (prefix ? [prefix.name] : []).concat(columns.map((c) => c.name));
  const lines = [head.map((h) => field(h)).join(',')];
  for (let i = 0; i < n; i++) {
    const row = columns.map((c) => field(c.values[i]));
    lines.push((prefix ? [field(prefix.value)] : []).concat(row).join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Every curve of the results as CSV: one result prints its columns exactly as
 * `atomscope <kind> --csv` does; several are stacked under one header with a `file` column
 * naming each row's source (long format, so curves with different x grids fit one table).
 */
export function resultsCsv(results: AnalysisResult[]): string {
  if (results.length === 0) return '';
  if (results.length === 1) return columnsCsv(results[0]!.columns);
  const names = results[0]!.columns.map((c) => c.name);
  let out = '';
  results.forEach((r, i) => {
    const byName = new Map(r.columns.map((c) => [c.name, c]));
    const cols = names.map((name) => byName.get(name) ?? { name, values: [] as string[] });
    const csv = columnsCsv(cols, { name: 'file', value: r.source });
    out += i === 0 ? csv : csv.slice(csv.indexOf('\n') + 1);
  });
  return out;
}
