// `atomscope msd FILE [--fit-start ps] [--fit-end ps] [--select SEL] [--frames a:b:s] [--alpha2]
//   [--dt ps | --timestep ps] [--unwrap auto|none] --json|--csv`
// MSD over all time origins (FFT) and D = slope/6 of a least-squares line over the lag
// window -> {"t_ps":[],"msd_A2":[],"D_cm2_s","D_err_cm2_s", ...}.
import { nonGaussian } from '../../core/analysis/displacement.js';
import { diffusionCoefficient, msdAllOrigins } from '../../core/analysis/msd.js';
import { selectAtoms } from '../../core/analysis/selection.js';
import { collectSeries, uniformStep } from '../../core/analysis/series.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import { emit, fileArgument, finite, list, naming, openInput, timeAxis } from './analysis-io.js';

const USAGE =
  'atomscope msd FILE [--fit-start ps] [--fit-end ps] [--select SEL] [--frames a:b:s] [--alpha2] [--dt ps | --timestep ps] [--json|--csv]';

export function msdCommand(args: ParsedArgs): number {
  const file = fileArgument(args, USAGE);
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const sel = optionString(args, 'select');
      const atoms = sel ? selectAtoms(input.first, sel) : null;
      if (atoms && atoms.length === 0) throw new UsageError(`${file}: --select "${sel}" matches no atom`);
      const unwrap = optionString(args, 'unwrap') ?? 'auto';
      if (unwrap !== 'auto' && unwrap !== 'none') throw new UsageError('--unwrap expects auto or none');
      const series = collectSeries(input.frames(), 'positions', {
        atoms,
        expectedFrames: input.indices.length,
        unwrap,
      });
      if (series.frames < 3)
        throw new UsageError(`${file}: an MSD needs at least 3 frames, the selection has ${series.frames}`);
      const axis = timeAxis(file, args, series.times, series.steps, uniformStep);
      const t = Float64Array.from({ length: series.frames }, (_, m) => m * axis.dt);
      const tmax = t[t.length - 1]!;
      // Default window: past the ballistic start, before the last half where few origins remain.
      const from = optionNumber(args, 'fit-start') ?? 0.1 * tmax;
      const to = optionNumber(args, 'fit-end') ?? 0.5 * tmax;
      const alpha2 = args.options.has('alpha2') ? nonGaussian(series.data, series.frames, series.atoms) : null;
      const msd = msdAllOrigins(series.data, series.frames, series.atoms);
      const d = diffusionCoefficient(t, msd, from, to);
      const json: Record<string, unknown> = {
        t_ps: list(t),
        msd_A2: list(msd),
        D_cm2_s: finite(d.D_cm2_s),
        D_err_cm2_s: finite(d.DErr_cm2_s),
        fit_window_ps: [from, to],
        fit_points: d.fit.n,
        atoms: series.atoms,
        frames: series.frames,
        dt_ps: axis.dt,
        time_source: axis.source,
      };
      const columns: Record<string, ArrayLike<number>> = { t_ps: t, msd_A2: msd };
      if (alpha2) {
        json['alpha2'] = list(alpha2.alpha2);
        json['alpha2_origin_stride'] = alpha2.originStride;
        columns['alpha2'] = alpha2.alpha2;
      }
      emit(
        args,
        json,
        columns,
        `${file}: MSD of ${series.atoms} atoms over ${series.frames} frames (dt ${axis.dt} ps, ${axis.source}), all origins\n` +
          `D = ${d.D_cm2_s.toExponential(4)} ± ${d.DErr_cm2_s.toExponential(2)} cm²/s (fit ${from}..${to} ps, ${d.fit.n} points)`,
      );
      return 0;
    });
  } finally {
    input.close();
  }
}
