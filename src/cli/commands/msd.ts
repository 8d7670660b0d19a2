// `atomscope msd FILE... [--fit-start ps] [--fit-end ps] [--select SEL] [--frames a:b:s] [--alpha2]
//   [--dt ps | --timestep ps] [--unwrap auto|none] --json|--csv|--out fig.svg|fig.png`
// MSD over all time origins (FFT) and D = slope/6 of a least-squares line over the lag
// window -> {"t_ps":[],"msd_A2":[],"D_cm2_s","D_err_cm2_s", ...}; several FILEs: an array.
import { msdRun } from '../../core/analysis/pipeline.js';
import { uniformStep } from '../../core/analysis/series.js';
import { msdResult } from '../../node/figures/index.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import {
  emitAll,
  fileArguments,
  type FileOutput,
  finite,
  list,
  naming,
  openInput,
  timeAxisFor,
} from './analysis-io.js';

const USAGE =
  'atomscope msd FILE... [--fit-start ps] [--fit-end ps] [--select SEL] [--frames a:b:s] [--alpha2] [--dt ps | --timestep ps] [--json|--csv|--out fig.svg|fig.png]';

export async function msdCommand(args: ParsedArgs): Promise<number> {
  const files = fileArguments(args, USAGE);
  const unwrap = optionString(args, 'unwrap') ?? 'auto';
  if (unwrap !== 'auto' && unwrap !== 'none') throw new UsageError('--unwrap expects auto or none');
  await emitAll(
    args,
    files.map((file) => msdOne(file, args, unwrap)),
  );
  return 0;
}

function msdOne(file: string, args: ParsedArgs, unwrap: 'auto' | 'none'): FileOutput {
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const run = msdRun(
        input.first,
        input.frames(),
        input.indices.length,
        {
          select: optionString(args, 'select') ?? null,
          unwrap,
          fitStart: optionNumber(args, 'fit-start'),
          fitEnd: optionNumber(args, 'fit-end'),
          alpha2: args.options.has('alpha2'),
        },
        timeAxisFor(file, args, uniformStep),
      );
      const [from, to] = run.fitWindow;
      const json: Record<string, unknown> = {
        t_ps: list(run.t),
        msd_A2: list(run.msd),
        D_cm2_s: finite(run.D_cm2_s),
        D_err_cm2_s: finite(run.D_err_cm2_s),
        fit_window_ps: [from, to],
        fit_points: run.fitPoints,
        atoms: run.atoms,
        frames: run.frames,
        dt_ps: run.dt,
        time_source: run.timeSource,
      };
      const columns: Record<string, ArrayLike<number>> = { t_ps: run.t, msd_A2: run.msd };
      if (run.alpha2) {
        json['alpha2'] = list(run.alpha2.values);
        json['alpha2_origin_stride'] = run.alpha2.originStride;
        columns['alpha2'] = run.alpha2.values;
      }
      const text =
        `${file}: MSD of ${run.atoms} atoms over ${run.frames} frames (dt ${run.dt} ps, ${run.timeSource}), all origins\n` +
        `D = ${run.D_cm2_s.toExponential(4)} ± ${run.D_err_cm2_s.toExponential(2)} cm²/s (fit ${from}..${to} ps, ${run.fitPoints} points)`;
      return { file, json, columns, text, result: msdResult(run, file, input.indices) };
    });
  } finally {
    input.close();
  }
}
