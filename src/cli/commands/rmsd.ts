// `atomscope rmsd FILE [FILE2] [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s]
//   [--mass-weighted] [--matrix] --json|--csv` -> {"rmsd_A":[]}: one value per selected frame
// of FILE, superposed on frame --ref of FILE (or of FILE2).
// `atomscope rmsf FILE [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s] --json|--csv`
// -> {"atom":[],"rmsf_A":[]}.
import { collectSeries } from '../../core/analysis/series.js';
import { pairwiseRmsd, RmsdToReference, RmsfAccumulator, type RmsdSelection } from '../../core/analysis/rmsd.js';
import { selectAtoms } from '../../core/analysis/selection.js';
import { elementSymbol, masses as elementMasses } from '../../core/model/elements.js';
import type { Structure } from '../../core/model/structure.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import { type AnalysisInput, emit, fileArgument, list, naming, openInput } from './analysis-io.js';

const RMSD_USAGE =
  'atomscope rmsd FILE [FILE2] [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s] [--mass-weighted] [--matrix] [--json|--csv]';
const RMSF_USAGE = 'atomscope rmsf FILE [--ref i] [--fit SEL|none] [--measure SEL] [--frames a:b:s] [--json|--csv]';

/** Fit and measure selections: each defaults to the other, both to all atoms; --fit none = no superposition. */
function selections(args: ParsedArgs, topology: Structure, file: string): RmsdSelection {
  const fitText = optionString(args, 'fit');
  const measureText = optionString(args, 'measure');
  const noFit = fitText?.trim().toLowerCase() === 'none';
  const measure = selectAtoms(topology, measureText ?? (noFit ? 'all' : (fitText ?? 'all')));
  const fit = noFit ? null : selectAtoms(topology, fitText ?? measureText ?? 'all');
  if (measure.length === 0) throw new UsageError(`${file}: --measure "${measureText}" matches no atom`);
  if (fit && fit.length === 0) throw new UsageError(`${file}: --fit "${fitText}" matches no atom`);
  let weights: Float64Array | null = null;
  if (args.options.has('mass-weighted')) {
    const m = topology.arrays['mass'];
    weights =
      m && !Array.isArray(m)
        ? Float64Array.from(m as ArrayLike<number>)
        : Float64Array.from(topology.numbers, (z) => elementMasses[z]!);
  }
  return { fit, measure, weights };
}

/** Reads frame `index` (negative counts from the end) of an opened input. */
function referenceFrame(input: AnalysisInput, index: number): Float64Array {
  const n = input.opened.reader.frameCount;
  const i = index < 0 ? n + index : index;
  if (i < 0 || i >= n) throw new UsageError(`${input.file}: --ref ${index} does not exist (the file has ${n} frames)`);
  return input.opened.reader.readFrame(i).positions;
}

export function rmsdCommand(args: ParsedArgs): number {
  const file = fileArgument(args, RMSD_USAGE);
  const file2 = args.positionals[1];
  const input = openInput(file, args);
  const other = file2 ? openInput(file2, args, '') : null;
  try {
    return naming(file, () => {
      const sel = selections(args, input.first, file);
      const refIndex = optionNumber(args, 'ref', true) ?? 0;
      const reference = referenceFrame(other ?? input, refIndex);
      if (reference.length !== input.first.positions.length) {
        throw new UsageError(
          `${file2 ?? file}: the reference has ${reference.length / 3} atoms, ${file} has ${input.first.positions.length / 3}`,
        );
      }
      if (args.options.has('matrix')) return matrix(args, input, sel);
      const rmsd = new RmsdToReference(reference, sel);
      const values = new Float64Array(input.indices.length);
      const times: number[] = [];
      let k = 0;
      for (const frame of input.frames()) {
        values[k++] = rmsd.measure(frame.positions);
        if (typeof frame.info['time'] === 'number') times.push(frame.info['time']);
      }
      const hasTimes = times.length === values.length;
      const json: Record<string, unknown> = {
        rmsd_A: list(values),
        frames: input.indices,
        t_ps: hasTimes ? times : null,
        reference: { file: file2 ?? file, frame: refIndex },
        fit_atoms: sel.fit?.length ?? 0,
        measure_atoms: sel.measure.length,
      };
      const columns: Record<string, ArrayLike<number>> = { frame: input.indices, rmsd_A: values };
      if (hasTimes) columns['t_ps'] = times;
      const last = values[values.length - 1]!;
      emit(
        args,
        json,
        columns,
        `${file}: RMSD of ${sel.measure.length} atoms (fit on ${sel.fit ? sel.fit.length : 'no'} atoms) against frame ${refIndex} of ${file2 ?? file}\n` +
          `${values.length} frames; last ${last.toFixed(6)} Å; max ${Math.max(...values).toFixed(6)} Å`,
      );
      return 0;
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

export function rmsfCommand(args: ParsedArgs): number {
  const file = fileArgument(args, RMSF_USAGE);
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const sel = selections(args, input.first, file);
      const refIndex = optionNumber(args, 'ref', true) ?? 0;
      const acc = new RmsfAccumulator(referenceFrame(input, refIndex), sel);
      for (const frame of input.frames()) acc.add(frame.positions);
      const rmsf = acc.result();
      const atoms = Array.from(sel.measure);
      const elements = atoms.map((a) => elementSymbol(input.first.numbers[a]!));
      const names = input.first.arrays['name'];
      const json: Record<string, unknown> = {
        atom: atoms,
        element: elements,
        rmsf_A: list(rmsf),
        frames: input.indices.length,
      };
      const columns: Record<string, ArrayLike<number | string>> = { atom: atoms, element: elements };
      if (Array.isArray(names)) {
        json['name'] = atoms.map((a) => names[a] ?? '');
        columns['name'] = json['name'] as string[];
      }
      columns['rmsf_A'] = rmsf;
      emit(
        args,
        json,
        columns,
        `${file}: RMSF of ${atoms.length} atoms over ${input.indices.length} frames (fit on ${sel.fit ? sel.fit.length : 'no'} atoms, reference frame ${refIndex})\n` +
          `mean ${(rmsf.reduce((s, v) => s + v, 0) / rmsf.length).toFixed(6)} Å; max ${Math.max(...rmsf).toFixed(6)} Å`,
      );
      return 0;
    });
  } finally {
    input.close();
  }
}
