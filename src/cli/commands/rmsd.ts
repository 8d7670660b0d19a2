// `atomscope rmsd FILE [FILE2] [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s]
//   [--mass-weighted] [--matrix] --json|--csv` -> {"rmsd_A":[]}: one value per selected frame
// of FILE, superposed on frame --ref of FILE (or of FILE2).
// `atomscope rmsf FILE [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s] --json|--csv`
// -> {"atom":[],"rmsf_A":[]}.
import { rmsdRun, rmsdSelection, rmsfRun } from '../../core/analysis/pipeline.js';
import { collectSeries } from '../../core/analysis/series.js';
import { pairwiseRmsd, type RmsdSelection } from '../../core/analysis/rmsd.js';
import type { Structure } from '../../core/model/structure.js';
import { rmsdResult, rmsfResult } from '../../node/figures/index.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import {
  type AnalysisInput,
  emit,
  emitAll,
  fileArguments,
  type FileOutput,
  list,
  naming,
  openInput,
} from './analysis-io.js';

const RMSD_USAGE =
  'atomscope rmsd FILE [FILE2] [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s] [--mass-weighted] [--matrix] [--json|--csv|--out fig.svg|fig.png]\n' +
  '       atomscope rmsd --each FILE... [options]   (each file against its own frame --ref, one curve per file)';
const RMSF_USAGE =
  'atomscope rmsf FILE... [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s] [--json|--csv|--out fig.svg|fig.png]';

/** Fit and measure selections: each defaults to the other, both to all atoms; --fit none = no superposition. */
function selections(args: ParsedArgs, topology: Structure): RmsdSelection {
  return rmsdSelection(topology, {
    fit: optionString(args, 'fit'),
    measure: optionString(args, 'measure'),
    massWeighted: args.options.has('mass-weighted'),
  });
}

/** Reads frame `index` (negative counts from the end) of an opened input. */
function referenceFrame(input: AnalysisInput, index: number): Float64Array {
  const n = input.opened.reader.frameCount;
  const i = index < 0 ? n + index : index;
  if (i < 0 || i >= n) throw new UsageError(`${input.file}: --ref ${index} does not exist (the file has ${n} frames)`);
  return input.opened.reader.readFrame(i).positions;
}

export async function rmsdCommand(args: ParsedArgs): Promise<number> {
  const files = fileArguments(args, RMSD_USAGE);
  if (args.options.has('each')) {
    if (args.options.has('matrix')) throw new UsageError('--matrix takes one FILE, not --each');
    await emitAll(
      args,
      files.map((file) => rmsdOne(args, file, undefined)),
    );
    return 0;
  }
  if (files.length > 2) {
    throw new UsageError(
      `rmsd compares FILE with frame --ref of itself or of FILE2; for one curve per file use --each (usage: ${RMSD_USAGE})`,
    );
  }
  const [file, file2] = files as [string, string | undefined];
  if (args.options.has('matrix')) {
    if (args.options.has('out'))
      throw new UsageError('--matrix prints a table (--json or --csv); it has no --out figure');
    const input = openInput(file, args);
    try {
      return naming(file, () => matrix(args, input, selections(args, input.first)));
    } finally {
      input.close();
    }
  }
  await emitAll(args, [rmsdOne(args, file, file2)]);
  return 0;
}

/** RMSD of every selected frame of `file` against frame --ref of `file2` (or of `file`). */
function rmsdOne(args: ParsedArgs, file: string, file2: string | undefined): FileOutput {
  const input = openInput(file, args);
  const other = file2 ? openInput(file2, args, '') : null;
  try {
    return naming(file, () => {
      const sel = selections(args, input.first);
      const refIndex = optionNumber(args, 'ref', true) ?? 0;
      const reference = referenceFrame(other ?? input, refIndex);
      if (reference.length !== input.first.positions.length) {
        throw new UsageError(
          `${file2 ?? file}: the reference has ${reference.length / 3} atoms, ${file} has ${input.first.positions.length / 3}`,
        );
      }
      const run = rmsdRun(reference, sel, input.frames(), input.indices.length);
      const values = run.rmsd;
      const json: Record<string, unknown> = {
        rmsd_A: list(values),
        frames: input.indices,
        t_ps: run.times ? Array.from(run.times) : null,
        reference: { file: file2 ?? file, frame: refIndex },
        fit_atoms: run.fitAtoms,
        measure_atoms: run.measureAtoms,
      };
      const columns: Record<string, ArrayLike<number>> = { frame: input.indices, rmsd_A: values };
      if (run.times) columns['t_ps'] = run.times;
      const last = values[values.length - 1]!;
      const text =
        `${file}: RMSD of ${sel.measure.length} atoms (fit on ${sel.fit ? sel.fit.length : 'no'} atoms) against frame ${refIndex} of ${file2 ?? file}\n` +
        `${values.length} frames; last ${last.toFixed(6)} Å; max ${Math.max(...values).toFixed(6)} Å`;
      return { file, json, columns, text, result: rmsdResult(run, file, input.indices) };
    });
  } finally {
    input.close();
    other?.close();
  }
}

/** --matrix: pairwise RMSD of the selected frames, superposed on the fit atoms. */
function matrix(args: ParsedArgs, input: AnalysisInput, sel: RmsdSelection): number {
  const atoms = sel.fit ?? sel.measure;
  const series = collectSeries(input.frames(), 'positions', {
    atoms,
    expectedFrames: input.indices.length,
    unwrap: 'none',
  });
  const weights = sel.weights ? Float64Array.from(atoms, (a) => sel.weights![a]!) : null;
  const m = pairwiseRmsd(series.data, series.frames, series.atoms, weights);
  const rows: number[][] = [];
  for (let i = 0; i < series.frames; i++) rows.push(Array.from(m.subarray(i * series.frames, (i + 1) * series.frames)));
  const columns: Record<string, ArrayLike<number>> = {};
  input.indices.forEach((f, j) => (columns[`frame_${f}`] = rows.map((r) => r[j]!)));
  emit(
    args,
    { rmsd_matrix_A: rows, frames: input.indices },
    columns,
    `${input.file}: pairwise RMSD of ${series.frames} frames over ${series.atoms} atoms; max ${Math.max(...m).toFixed(6)} Å`,
  );
  return 0;
}

export async function rmsfCommand(args: ParsedArgs): Promise<number> {
  const files = fileArguments(args, RMSF_USAGE);
  await emitAll(
    args,
    files.map((file) => rmsfOne(args, file)),
  );
  return 0;
}

function rmsfOne(args: ParsedArgs, file: string): FileOutput {
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const sel = selections(args, input.first);
      const refIndex = optionNumber(args, 'ref', true) ?? 0;
      const run = rmsfRun(input.first, referenceFrame(input, refIndex), sel, input.frames());
      const atoms = Array.from(run.atoms);
      const rmsf = run.rmsf;
      const json: Record<string, unknown> = {
        atom: atoms,
        element: run.elements,
        rmsf_A: list(rmsf),
        frames: input.indices.length,
      };
      const columns: Record<string, ArrayLike<number | string>> = { atom: atoms, element: run.elements };
      if (run.names) {
        json['name'] = run.names;
        columns['name'] = run.names;
      }
      columns['rmsf_A'] = rmsf;
      const text =
        `${file}: RMSF of ${atoms.length} atoms over ${input.indices.length} frames (fit on ${sel.fit ? sel.fit.length : 'no'} atoms, reference frame ${refIndex})\n` +
        `mean ${(rmsf.reduce((s, v) => s + v, 0) / rmsf.length).toFixed(6)} Å; max ${Math.max(...rmsf).toFixed(6)} Å`;
      return { file, json, columns, text, result: rmsfResult(run, file) };
    });
  } finally {
    input.close();
  }
}
