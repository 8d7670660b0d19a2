/**
 * What a user first wants to know about a file: counts, elements, cell, time span and
 * columns. Reads at most three frames (first, second, last), whatever the file size.
 */
import { elementSymbol } from '../model/elements.js';
import { cellRows } from '../model/cell.js';
import type { Pbc, Structure } from '../model/structure.js';
import type { TrajectoryReader } from './format.js';

export interface TrajectorySummary {
  format: string;
  atoms: number;
  frames: number;
  elements: Record<string, number>;
  cell: number[][] | null;
  pbc: Pbc;
  time: { start: number; end: number; step: number } | null;
  columns: string[];
  warnings: string[];
}

/**
 * `transform` lets a caller see frames as they will be used (e.g. with a topology's
 * elements applied to a coordinate-only trajectory).
 */
export function summarize(reader: TrajectoryReader, transform?: (s: Structure) => Structure): TrajectorySummary {
  const warnings = [...reader.warnings];
  if (reader.frameCount === 0) {
    return {
      format: reader.format,
      atoms: 0,
      frames: 0,
      elements: {},
      cell: null,
      pbc: [false, false, false],
      time: null,
      columns: [],
      warnings: warnings.length ? warnings : ['the file holds no frames'],
    };
  }
  const raw = reader.readFrame(0);
  const first = transform ? transform(raw) : raw;
  return {
    format: reader.format,
    atoms: first.numbers.length,
    frames: reader.frameCount,
    elements: countElements(first.numbers),
    cell: cellRows(first.cell),
    pbc: first.pbc,
    time: timeSpan(reader, first),
    columns: columnsOf(first),
    warnings,
  };
}

export function countElements(numbers: Uint8Array): Record<string, number> {
  const counts = new Float64Array(256);
  for (let i = 0; i < numbers.length; i++) counts[numbers[i]!]!++;
  const out: Record<string, number> = {};
  for (let z = 0; z < 256; z++) if (counts[z]! > 0) out[elementSymbol(z)] = counts[z]!;
  return out;
}

function timeSpan(reader: TrajectoryReader, first: Structure): TrajectorySummary['time'] {
  const t0 = first.info['time'];
  if (typeof t0 !== 'number') return null;
  if (reader.frameCount === 1) return { start: t0, end: t0, step: 0 };
  const t1 = reader.readFrame(1).info['time'];
  const tn = reader.readFrame(reader.frameCount - 1).info['time'];
  if (typeof t1 !== 'number' || typeof tn !== 'number') return null;
  return { start: t0, end: tn, step: t1 - t0 };
}

/** Names of the data a frame carries beyond element and position. */
export function columnsOf(s: Structure): string[] {
  const cols: string[] = [];
  if (s.velocities) cols.push('velocities');
  if (s.forces) cols.push('forces');
  cols.push(...Object.keys(s.arrays));
  return cols;
}
