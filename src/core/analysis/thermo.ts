/**
 * Thermodynamic time series: energy, temperature, pressure... against time, from
 *  - LAMMPS logs: every thermo block (a header line "Step Temp E_pair ..." up to "Loop time";
 *    `thermo_style multi` blocks too), several runs one after another, the row repeated at a
 *    run boundary dropped once;
 *  - GROMACS .xvg (gmx energy and friends): column names from the "@ sN legend" lines;
 *  - the per-frame keys of a trajectory (extXYZ info keys such as energy, time, step).
 * The result is columnar: one Float64Array per column (NaN where a run lacks the column),
 * the run of each row, and a time axis in ps where one can be made.
 */
import type { Structure } from '../model/structure.js';
import { AnalysisError } from './errors.js';

export type ThermoFormat = 'lammps-log' | 'xvg' | 'frames';

export interface ThermoRun {
  /** 0-based, in the order of the source (a LAMMPS `run`, an xvg data set). */
  index: number;
  /** First row of this run in the merged columns, and how many rows it has there. */
  firstRow: number;
  rows: number;
  columns: string[];
}

export interface ThermoSeries {
  format: ThermoFormat;
  /** Column names as the source spells them, in order of first appearance. */
  columns: string[];
  /** One array per column, all of the same length; NaN where a row's run lacks the column. */
  data: Record<string, Float64Array>;
  /** Units of the columns where known (LAMMPS `units` style, xvg axis labels). */
  units: Record<string, string>;
  /** Run index of each row. */
  run: Int32Array;
  runs: ThermoRun[];
  /** Time of each row in ps, or null when the source gives no way to make one. */
  t: Float64Array | null;
  /** How `t` was made ("Time column", "Step × timestep 0.002 ps", ...). */
  timeSource: string | null;
  warnings: string[];
}

export interface ThermoStats {
  n: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  min: number;
  max: number;
  first: number;
  last: number;
}

// ---- shared ---------------------------------------------------------------------------

function parseNumber(token: string): number {
  const n = Number(token);
  if (!Number.isNaN(n)) return n;
  const t = token.toLowerCase().replace(/^[+-]/, '');
  if (t === 'nan') return NaN;
  if (t === 'inf' || t === 'infinity') return token.startsWith('-') ? -Infinity : Infinity;
  return Number.NaN;
}

function isNumberToken(token: string): boolean {
  return !Number.isNaN(Number(token)) || /^[+-]?(nan|inf|infinity)$/i.test(token);
}

interface Block {
  columns: string[];
  rows: number[][];
  units?: string;
  /** ps per time unit of the block's units style (for the Time column and Step × timestep). */
  timeScale?: number;
  timestep?: number | null;
}

/** Merges blocks into one columnar series; `dropRepeat` tells whether a block's first row repeats the previous last. */
function merge(
  format: ThermoFormat,
  blocks: Block[],
  dropRepeat: (prev: Block, next: Block) => boolean,
): Omit<ThermoSeries, 't' | 'timeSource' | 'units' | 'warnings'> {
  const columns: string[] = [];
  for (const b of blocks) for (const c of b.columns) if (!columns.includes(c)) columns.push(c);
  const kept: { block: Block; from: number }[] = [];
  let total = 0;
  blocks.forEach((b, i) => {
    const from = i > 0 && b.rows.length > 0 && dropRepeat(blocks[i - 1]!, b) ? 1 : 0;
    kept.push({ block: b, from });
    total += b.rows.length - from;
  });
  const data: Record<string, Float64Array> = {};
  for (const c of columns) data[c] = new Float64Array(total).fill(NaN);
  const run = new Int32Array(total);
  const runs: ThermoRun[] = [];
  let row = 0;
  kept.forEach(({ block, from }, index) => {
    const firstRow = row;
    const targets = block.columns.map((c) => data[c]!);
    for (let r = from; r < block.rows.length; r++) {
      const values = block.rows[r]!;
      for (let c = 0; c < targets.length; c++) targets[c]![row] = values[c]!;
      run[row] = index;
      row++;
    }
    runs.push({ index, firstRow, rows: row - firstRow, columns: block.columns.slice() });
  });
  return { format, columns, data, run, runs };
}

// ---- LAMMPS log -----------------------------------------------------------------------

/** ps per unit of time of each LAMMPS units style. */
const LAMMPS_TIME_PS: Record<string, number> = {
  lj: NaN,
  metal: 1,
  real: 1e-3,
  electron: 1e-3,
  si: 1e12,
  cgs: 1e12,
  micro: 1e6,
  nano: 1e3,
};

const LAMMPS_UNITS: Record<string, Record<string, string>> = {
  metal: { energy: 'eV', temperature: 'K', pressure: 'bar', time: 'ps', distance: 'Å', volume: 'Å³', density: 'g/cm³' },
  real: {
    energy: 'kcal/mol',
    temperature: 'K',
    pressure: 'atm',
    time: 'fs',
    distance: 'Å',
    volume: 'Å³',
    density: 'g/cm³',
  },
  electron: { energy: 'Ha', temperature: 'K', pressure: 'Pa', time: 'fs', distance: 'bohr', volume: 'bohr³' },
  si: { energy: 'J', temperature: 'K', pressure: 'Pa', time: 's', distance: 'm', volume: 'm³', density: 'kg/m³' },
  cgs: {
    energy: 'erg',
    temperature: 'K',
    pressure: 'dyne/cm²',
    time: 's',
    distance: 'cm',
    volume: 'cm³',
    density: 'g/cm³',
  },
  micro: { energy: 'pg·µm²/µs²', temperature: 'K', pressure: 'pg/(µm·µs²)', time: 'µs', distance: 'µm' },
  nano: { energy: 'ag·nm²/ns²', temperature: 'K', pressure: 'ag/(nm·ns²)', time: 'ns', distance: 'nm' },
};

/** The physical quantity of a LAMMPS thermo keyword, where it is a standard one. */
function lammpsQuantity(column: string): string | null {
  if (column === 'Time' || column === 'Dt' || column === 'Elapsed') return column === 'Elapsed' ? null : 'time';
  if (/^(Temp|c_thermo_temp)$/.test(column)) return 'temperature';
  if (/^(PotEng|KinEng|TotEng|Enthalpy|Ecouple|Econserve|E_\w+|c_thermo_pe)$/.test(column)) return 'energy';
  if (/^(Press|P[xyz]{2}|c_thermo_press)$/.test(column)) return 'pressure';
  if (column === 'Volume') return 'volume';
  if (column === 'Density') return 'density';
  if (/^(L[xyz]|[XYZ](lo|hi)|Xy|Xz|Yz|Cella|Cellb|Cellc)$/.test(column)) return 'distance';
  return null;
}

/** Whether a log's text looks like a LAMMPS log (first non-blank line "LAMMPS (version)"). */
export function looksLikeLammpsLog(head: string): boolean {
  return /^\s*LAMMPS \(/.test(head) || /^\s*Step\s+\S+/m.test(head.slice(0, 20_000));
}

/**
 * The timestep in ps in force for the last run of a LAMMPS log (LAMMPS echoes each input
 * line, the variable-substituted echo after the raw one, so the last numeric `timestep`
 * line counts), or null when there is none or the units have no time in ps (lj).
 */
export function lammpsLogTimestep(text: string): { timestep: number; units: string } | null {
  let timestep: number | null = null;
  let units = 'lj';
  for (const line of text.split('\n')) {
    const t = /^\s*timestep\s+([-+0-9.eE]+)\s*(#.*)?$/.exec(line);
    if (t) timestep = Number(t[1]);
    const u = /^\s*units\s+(\w+)/.exec(line);
    if (u) units = u[1]!;
  }
  const scale = LAMMPS_TIME_PS[units];
  if (timestep === null || !Number.isFinite(timestep) || scale === undefined || !Number.isFinite(scale)) return null;
  return { timestep: timestep * scale, units };
}

/** Default timestep of each units style (LAMMPS docs), in that style's time unit. */
const LAMMPS_DEFAULT_TIMESTEP: Record<string, number> = {
  lj: 0.005,
  metal: 0.001,
  real: 1,
  electron: 0.001,
  si: 1e-8,
  cgs: 1e-8,
  micro: 2,
  nano: 0.00045,
};

/** Reads every thermo block of a LAMMPS log. */
export function parseLammpsLog(text: string): ThermoSeries {
  const lines = text.split(/\r?\n/);
  const blocks: Block[] = [];
  const warnings: string[] = [];
  let units = 'lj';
  let timestep: number | null = null;
  let current: Block | null = null;
  let multi: { block: Block; row: Map<string, number> | null } | null = null;

  const finishMulti = (): void => {
    if (!multi) return;
    const m = multi;
    if (m.row) pushMultiRow(m);
    multi = null;
  };
  const pushMultiRow = (m: { block: Block; row: Map<string, number> | null }): void => {
    const row = m.row!;
    for (const k of row.keys()) if (!m.block.columns.includes(k)) m.block.columns.push(k);
    m.block.rows.push(m.block.columns.map((c) => row.get(c) ?? NaN));
    m.row = null;
  };
  const newBlock = (columns: string[]): Block => {
    const b: Block = { columns, rows: [], units, timeScale: LAMMPS_TIME_PS[units] ?? NaN, timestep };
    blocks.push(b);
    return b;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (/^Loop time of /.test(trimmed)) {
      current = null;
      finishMulti();
      continue;
    }
    const multiHead = /^-+\s*Step\s+(\S+)\s*-+/.exec(trimmed);
    if (multiHead) {
      current = null;
      if (multi) {
        if (multi.row) pushMultiRow(multi);
      } else multi = { block: newBlock([]), row: null };
      multi.row = new Map([['Step', parseNumber(multiHead[1]!)]]);
      const cpu = /CPU\s*=\s*(\S+)/.exec(trimmed);
      if (cpu) multi.row.set('CPU', parseNumber(cpu[1]!));
      continue;
    }
    if (multi?.row && /^\w[\w[\]]*\s*=\s*\S+/.test(trimmed)) {
      for (const m of trimmed.matchAll(/(\S+)\s*=\s*(\S+)/g)) multi.row.set(m[1]!, parseNumber(m[2]!));
      continue;
    }
    const tokens = trimmed.split(/\s+/);
    if (current) {
      if (tokens.length === current.columns.length && tokens.every(isNumberToken)) {
        current.rows.push(tokens.map(parseNumber));
        continue;
      }
      // WARNING lines and the like inside a block; a new header ends it below.
      if (tokens[0] !== 'Step') continue;
    }
    if (tokens[0] === 'Step' && tokens.length >= 1) {
      // A header only when the next non-blank line is a row of as many numbers.
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      const next = (lines[j] ?? '').trim().split(/\s+/);
      if (next.length === tokens.length && next.every(isNumberToken)) {
        finishMulti();
        current = newBlock(tokens);
        continue;
      }
    }
    const u = /^units\s+(\w+)/.exec(trimmed);
    if (u) units = u[1]!;
    const t = /^timestep\s+([-+0-9.eE]+)\s*(#.*)?$/.exec(trimmed);
    if (t && Number.isFinite(Number(t[1]))) timestep = Number(t[1]);
  }
  const unfinished = current !== null || multi !== null;
  finishMulti();
  const nonEmpty = blocks.filter((b) => b.rows.length > 0);
  if (nonEmpty.length === 0) throw new AnalysisError('no thermo output found (no "Step ..." header followed by rows)');
  if (unfinished) warnings.push('the last run has no "Loop time" line: the log may be cut short');

  const same = (a: number[], b: number[], ca: string[], cb: string[], col: string): boolean => {
    const ia = ca.indexOf(col);
    const ib = cb.indexOf(col);
    return ia < 0 || ib < 0 || a[ia] === b[ib];
  };
  const merged = merge('lammps-log', nonEmpty, (prev, next) => {
    const a = prev.rows[prev.rows.length - 1];
    const b = next.rows[0]!;
    if (!a || !prev.columns.includes('Step') || !next.columns.includes('Step')) return false;
    return same(a, b, prev.columns, next.columns, 'Step') && same(a, b, prev.columns, next.columns, 'Time');
  });

  // Units: those of the style in force at the first block (a log rarely changes them).
  const style = nonEmpty[0]!.units ?? 'lj';
  const table = LAMMPS_UNITS[style];
  const unitsOut: Record<string, string> = {};
  if (table) {
    for (const c of merged.columns) {
      const q = lammpsQuantity(c);
      if (q && table[q]) unitsOut[c] = table[q];
    }
  }

  // Time axis: the Time column in ps, else Step × timestep, per run.
  const n = merged.run.length;
  let t: Float64Array | null = new Float64Array(n);
  let timeSource: string | null = null;
  const sources = new Set<string>();
  for (const r of merged.runs) {
    const block = nonEmpty[r.index]!;
    const scale = block.timeScale ?? NaN;
    const time = merged.data['Time'];
    const step = merged.data['Step'];
    if (block.columns.includes('Time') && time && Number.isFinite(scale)) {
      for (let k = r.firstRow; k < r.firstRow + r.rows; k++) t[k] = time[k]! * scale;
      sources.add(scale === 1 ? 'Time column' : `Time column × ${scale} ps`);
    } else if (block.columns.includes('Step') && step && Number.isFinite(scale)) {
      const dt = (block.timestep ?? LAMMPS_DEFAULT_TIMESTEP[block.units ?? 'lj'] ?? NaN) * scale;
      if (!Number.isFinite(dt)) {
        t = null;
        break;
      }
      for (let k = r.firstRow; k < r.firstRow + r.rows; k++) t[k] = step[k]! * dt;
      sources.add(`Step × timestep ${dt} ps${block.timestep === null ? ' (the units default)' : ''}`);
    } else {
      t = null;
      break;
    }
  }
  if (t) timeSource = [...sources].join('; ');
  return { ...merged, units: unitsOut, t, timeSource, warnings };
}

// ---- GROMACS xvg ----------------------------------------------------------------------

/** "Time (ps)" -> { name: "Time", unit: "ps" }. */
function labelParts(label: string): { name: string; unit: string | null } {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(label.trim());
  if (m && m[1]!.trim() !== '') return { name: m[1]!.trim(), unit: m[2]!.trim() };
  if (m) return { name: '', unit: m[2]!.trim() };
  return { name: label.trim(), unit: null };
}

/** Units of gmx energy terms by name (the y axis label lists units, not one per column). */
function gromacsUnit(name: string, axisUnits: string[]): string | null {
  if (axisUnits.length === 1) return axisUnits[0]!;
  if (/temperature/i.test(name)) return 'K';
  if (/^pres|pressure/i.test(name)) return 'bar';
  if (/volume/i.test(name)) return 'nm³';
  if (/density/i.test(name)) return 'kg/m³';
  if (/^box/i.test(name)) return 'nm';
  if (/energy|potential|kinetic|enthalpy|^lj|coulomb|bond|angle|dih|conserved|disper|^u-b|position rest/i.test(name)) {
    return axisUnits.find((u) => /J\/mol|kcal/.test(u)) ?? null;
  }
  return null;
}

export function parseXvg(text: string): ThermoSeries {
  const legends = new Map<number, string>();
  let xLabel = '';
  let yLabel = '';
  const blocks: Block[] = [];
  let rows: number[][] = [];
  let width = -1;
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  const endSet = (): void => {
    if (rows.length > 0) blocks.push({ columns: [], rows });
    rows = [];
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('@')) {
      const legend = /^@\s*s(\d+)\s+legend\s+"(.*)"\s*$/.exec(line);
      if (legend) legends.set(Number(legend[1]), legend[2]!);
      const axis = /^@\s*([xy])axis\s+label\s+"(.*)"\s*$/.exec(line);
      if (axis) {
        if (axis[1] === 'x') xLabel = axis[2]!;
        else yLabel = axis[2]!;
      }
      return;
    }
    if (line === '&') {
      endSet();
      return;
    }
    const tokens = line.split(/\s+/);
    if (!tokens.every(isNumberToken)) {
      warnings.push(`line ${i + 1}: not a row of numbers, skipped`);
      return;
    }
    if (width < 0) width = tokens.length;
    if (tokens.length !== width) {
      warnings.push(`line ${i + 1}: ${tokens.length} values where the rows have ${width}, skipped`);
      return;
    }
    rows.push(tokens.map(parseNumber));
  });
  endSet();
  if (blocks.length === 0) throw new AnalysisError('no data rows in the .xvg file');
  const x = labelParts(xLabel || 'x');
  const xName = x.name || 'x';
  const axisUnits = [...yLabel.matchAll(/\(([^()]*)\)/g)].map((m) => m[1]!.trim());
  const yParts = labelParts(yLabel);
  const names: string[] = [xName];
  for (let c = 1; c < width; c++) {
    let name = legends.get(c - 1) ?? (width === 2 && yParts.name ? yParts.name : `y${c}`);
    while (names.includes(name)) name += "'";
    names.push(name);
  }
  for (const b of blocks) b.columns = names;
  const merged = merge('xvg', blocks, () => false);
  const units: Record<string, string> = {};
  if (x.unit) units[xName] = x.unit;
  for (const name of names.slice(1)) {
    const u = width === 2 && yParts.unit ? yParts.unit : gromacsUnit(name, axisUnits);
    if (u) units[name] = u;
  }
  const xs = merged.data[xName]!;
  const scale = x.unit === 'ps' ? 1 : x.unit === 'ns' ? 1000 : x.unit === 'fs' ? 1e-3 : NaN;
  const isTime = /time/i.test(xName) && Number.isFinite(scale);
  return {
    ...merged,
    units,
    t: isTime ? xs.map((v) => v * scale) : null,
    timeSource: isTime ? `${xName} column` : null,
    warnings,
  };
}

// ---- per-frame keys -------------------------------------------------------------------

/**
 * The numeric per-frame keys of a stream of frames (extXYZ info, LAMMPS dump step, XTC time
 * and step): one column per key, plus `frame`, the index in the stream.
 */
export function framesThermo(frames: Iterable<Structure>, frameIndices?: ArrayLike<number>): ThermoSeries {
  const columns: string[] = ['frame'];
  const values = new Map<string, number[]>([['frame', []]]);
  let n = 0;
  for (const f of frames) {
    values.get('frame')!.push(frameIndices ? frameIndices[n]! : n);
    for (const [k, v] of Object.entries(f.info)) {
      const num = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null;
      if (num === null) continue;
      let col = values.get(k);
      if (!col) {
        col = new Array<number>(n).fill(NaN);
        values.set(k, col);
        columns.push(k);
      }
      col.push(num);
    }
    n++;
    for (const col of values.values()) if (col.length < n) col.push(NaN);
  }
  if (n === 0) throw new AnalysisError('no frames');
  const data: Record<string, Float64Array> = {};
  for (const c of columns) data[c] = Float64Array.from(values.get(c)!);
  const units: Record<string, string> = {};
  if (data['time']) units['time'] = 'ps';
  if (data['time_fs']) units['time_fs'] = 'fs';
  if (data['time_ps']) units['time_ps'] = 'ps';
  if (data['energy']) units['energy'] = 'eV';
  let t: Float64Array | null = null;
  let timeSource: string | null = null;
  const complete = (a: Float64Array | undefined): a is Float64Array => !!a && a.every(Number.isFinite);
  if (complete(data['time'])) {
    t = data['time'].slice();
    timeSource = 'frame times';
  } else if (complete(data['time_ps'])) {
    t = data['time_ps'].slice();
    timeSource = 'time_ps key';
  } else if (complete(data['time_fs'])) {
    t = data['time_fs'].map((v) => v * 1e-3);
    timeSource = 'time_fs key';
  }
  return {
    format: 'frames',
    columns,
    data,
    units,
    run: new Int32Array(n),
    runs: [{ index: 0, firstRow: 0, rows: n, columns: columns.slice() }],
    t,
    timeSource,
    warnings: [],
  };
}

// ---- selection and statistics ---------------------------------------------------------

/** Keeps the runs whose indices are in `indices` (in that order), rows re-numbered. */
export function selectRuns(series: ThermoSeries, indices: number[]): ThermoSeries {
  const picked = indices.map((i) => series.runs[i]).filter((r): r is ThermoRun => r !== undefined);
  if (picked.length === 0) throw new AnalysisError(`no run selected (the file has ${series.runs.length})`);
  const total = picked.reduce((s, r) => s + r.rows, 0);
  const columns = series.columns.filter((c) => picked.some((r) => r.columns.includes(c)));
  const data: Record<string, Float64Array> = {};
  for (const c of columns) data[c] = new Float64Array(total);
  const run = new Int32Array(total);
  const t = series.t ? new Float64Array(total) : null;
  const runs: ThermoRun[] = [];
  let row = 0;
  for (const r of picked) {
    for (const c of columns) data[c]!.set(series.data[c]!.subarray(r.firstRow, r.firstRow + r.rows), row);
    run.fill(r.index, row, row + r.rows);
    t?.set(series.t!.subarray(r.firstRow, r.firstRow + r.rows), row);
    runs.push({ ...r, firstRow: row });
    row += r.rows;
  }
  const units = Object.fromEntries(Object.entries(series.units).filter(([k]) => columns.includes(k)));
  return { ...series, columns, data, units, run, runs, t };
}

/** Mean, population standard deviation, extremes, first and last of the finite values. */
export function thermoStats(values: ArrayLike<number>): ThermoStats {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let first = NaN;
  let last = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (n === 0) first = v;
    last = v;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return {
    n,
    mean,
    std: n > 0 ? Math.sqrt(ss / n) : NaN,
    min: n > 0 ? min : NaN,
    max: n > 0 ? max : NaN,
    first,
    last,
  };
}

/** The column to show first: temperature when there is one, else the first that is not time or step. */
export function defaultThermoColumn(series: ThermoSeries): string | null {
  const skip = /^(step|time|frame|time_fs|time_ps|elapsed|cpu|dt)$/i;
  return (
    series.columns.find((c) => /^(temp|temperature|c_thermo_temp)$/i.test(c)) ??
    series.columns.find((c) => !skip.test(c) && !/^time\b/i.test(c)) ??
    null
  );
}
