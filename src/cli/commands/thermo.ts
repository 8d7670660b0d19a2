// `atomscope thermo FILE... [--runs a:b:s] [--columns A,B,...] [--frames a:b:s]
//   --json|--csv|--out fig.svg|fig.png`
// Thermodynamic series (energy, temperature, pressure...) from LAMMPS logs (every thermo
// block, runs one after another), GROMACS .xvg, or the per-frame keys of a trajectory
// (extXYZ energy=, time=...). JSON, one object per file (an array for several):
//   {"file","format","columns":[names],"units":{name:unit},"data":{name:[values]},
//    "t_ps":[]|null,"time_source","run":[run of each row],
//    "runs":[{"index","first_row","rows","columns"}],"stats":{name:{n,mean,std,min,max,first,last}},
//    "warnings":[]}
// null in data where a row's run lacks the column; std is the population standard deviation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  framesThermo,
  looksLikeLammpsLog,
  parseLammpsLog,
  parseXvg,
  selectRuns,
  thermoStats,
  type ThermoSeries,
} from '../../core/analysis/thermo.js';
import { parseFrameSelection, selectedIndices } from '../../core/io/frames.js';
import { thermoResult } from '../../node/figures/index.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';
import { emitAll, fileArguments, type FileOutput, finite, list, naming, openInput } from './analysis-io.js';

const USAGE =
  'atomscope thermo FILE... [--runs a:b:s] [--columns A,B] [--frames a:b:s] [--json|--csv|--out fig.svg|fig.png]';

/** Reads a thermo series from a LAMMPS log, an .xvg file, or a trajectory's per-frame keys. */
export function readThermo(file: string, args: ParsedArgs): ThermoSeries {
  const name = path.basename(file).toLowerCase();
  if (name.endsWith('.xvg')) return parseXvg(readFileSync(file, 'utf8'));
  if (/(^log\.|\.log$|\.log\.|lammps\.log|log\.lammps)/.test(name)) {
    return parseLammpsLog(readFileSync(file, 'utf8'));
  }
  const head = readFileSync(file, { encoding: 'latin1' }).slice(0, 4096);
  if (/^\s*LAMMPS \(/.test(head) && looksLikeLammpsLog(head)) return parseLammpsLog(readFileSync(file, 'utf8'));
  const input = openInput(file, args);
  try {
    return framesThermo(input.frames(), input.indices);
  } finally {
    input.close();
  }
}

export async function thermoCommand(args: ParsedArgs): Promise<number> {
  const files = fileArguments(args, USAGE);
  const runsText = optionString(args, 'runs');
  const runSel = runsText === undefined ? null : parseRuns(runsText);
  const columnsText = optionString(args, 'columns');
  const wanted = columnsText
    ?.split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  await emitAll(
    args,
    files.map((file) => thermoOne(file, args, runSel, wanted)),
  );
  return 0;
}

function parseRuns(text: string): ReturnType<typeof parseFrameSelection> {
  try {
    return parseFrameSelection(text);
  } catch {
    throw new UsageError(`--runs "${text}": expected start:stop:step with integers (0 is the first run)`);
  }
}

function thermoOne(
  file: string,
  args: ParsedArgs,
  runSel: ReturnType<typeof parseFrameSelection> | null,
  wanted: string[] | undefined,
): FileOutput {
  return naming(file, () => {
    let series = readThermo(file, args);
    if (runSel) {
      const picked = selectedIndices(series.runs.length, runSel);
      if (picked.length === 0) {
        throw new UsageError(`${file}: --runs selects no run (the file has ${series.runs.length})`);
      }
      series = selectRuns(series, picked);
    }
    if (wanted) {
      const missing = wanted.filter((c) => !series.columns.includes(c));
      if (missing.length > 0) {
        throw new UsageError(`${file}: no column ${missing.join(', ')} (columns: ${series.columns.join(', ')})`);
      }
    }
    const shown = wanted ?? series.columns;
    const data: Record<string, (number | null)[]> = {};
    const stats: Record<string, unknown> = {};
    for (const c of shown) {
      data[c] = list(series.data[c]!);
      const s = thermoStats(series.data[c]!);
      stats[c] = {
        n: s.n,
        mean: finite(s.mean),
        std: finite(s.std),
        min: finite(s.min),
        max: finite(s.max),
        first: finite(s.first),
        last: finite(s.last),
      };
    }
    const json = {
      file: path.basename(file),
      format: series.format,
      columns: shown,
      units: Object.fromEntries(shown.filter((c) => series.units[c]).map((c) => [c, series.units[c]])),
      data,
      t_ps: series.t ? list(series.t) : null,
      time_source: series.timeSource,
      run: Array.from(series.run),
      runs: series.runs.map((r) => ({
        index: r.index,
        first_row: r.firstRow,
        rows: r.rows,
        columns: r.columns.filter((c) => shown.includes(c)),
      })),
      stats,
      warnings: series.warnings,
    };
    const result = thermoResult(series, file, wanted);
    const keep = new Set(['t_ps', 'run', ...shown]);
    const columns: Record<string, ArrayLike<number>> = {};
    for (const c of result.columns) {
      if (keep.has(c.name) && !Array.isArray(c.values)) columns[c.name] = c.values as Float64Array;
    }
    const lines = [
      `${file}: ${series.format}, ${series.run.length} rows in ${series.runs.length} run${series.runs.length === 1 ? '' : 's'}` +
        (series.timeSource ? `, time from ${series.timeSource}` : ', no time axis'),
    ];
    const width = Math.max(6, ...shown.map((c) => c.length));
    lines.push(
      `${'column'.padEnd(width)}  ${'unit'.padEnd(9)} ${'mean'.padStart(14)} ${'std'.padStart(12)} ${'min'.padStart(14)} ${'max'.padStart(14)}`,
    );
    for (const c of shown) {
      const s = thermoStats(series.data[c]!);
      const f = (v: number, w: number): string => (Number.isFinite(v) ? v.toPrecision(8) : '-').padStart(w);
      lines.push(
        `${c.padEnd(width)}  ${(series.units[c] ?? '').padEnd(9)} ${f(s.mean, 14)} ${f(s.std, 12)} ${f(s.min, 14)} ${f(s.max, 14)}`,
      );
    }
    for (const w of series.warnings) lines.push(`warning: ${w}`);
    return { file, json, columns, text: lines.join('\n'), result, ...(wanted ? { y: wanted } : {}) };
  });
}
