// `atomscope vacf FILE [--origins first|all] [--select SEL] [--frames a:b:s] [--spectrum]
//   [--dt ps | --timestep ps] --json|--csv`
// Normalised velocity autocorrelation -> {"t_ps":[],"vacf":[],"first_min":{"t_ps","value"}, ...}.
import { selectAtoms } from '../../core/analysis/selection.js';
import { collectSeries, uniformStep } from '../../core/analysis/series.js';
import {
  firstMinimum,
  firstZeroCrossing,
  normalise,
  vacfAllOrigins,
  vacfSingleOrigin,
  vacfSpectrum,
} from '../../core/analysis/vacf.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';
import { type Columns, emit, fileArgument, list, naming, openInput, timeAxis } from './analysis-io.js';

const USAGE =
  'atomscope vacf FILE [--origins first|all] [--select SEL] [--frames a:b:s] [--spectrum] [--dt ps | --timestep ps] [--json|--csv]';

export function vacfCommand(args: ParsedArgs): number {
  const file = fileArgument(args, USAGE);
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      // Single origin by default, as LAMMPS compute vacf (the reference users compare with);
      // `--origins all` averages over every origin for better statistics.
      const origins = optionString(args, 'origins') ?? 'first';
      if (origins !== 'all' && origins !== 'first') throw new UsageError('--origins expects all or first');
      const sel = optionString(args, 'select');
      const atoms = sel ? selectAtoms(input.first, sel) : null;
      if (atoms && atoms.length === 0) throw new UsageError(`${file}: --select "${sel}" matches no atom`);
      if (!input.first.velocities) {
        throw new UsageError(`${file}: no velocities in the file (a VACF needs vx vy vz: LAMMPS dump, TRR, extXYZ)`);
      }
      const series = collectSeries(input.frames(), 'velocities', { atoms, expectedFrames: input.indices.length });
      if (series.frames < 2) throw new UsageError(`${file}: a VACF needs at least 2 frames`);
      const axis = timeAxis(file, args, series.times, series.steps, uniformStep);
      const raw =
        origins === 'all'
          ? vacfAllOrigins(series.data, series.frames, series.atoms)
          : vacfSingleOrigin(series.data, series.frames, series.atoms);
      const c = normalise(raw);
      const t = Float64Array.from({ length: series.frames }, (_, m) => m * axis.dt);
      const min = firstMinimum(t, c);
      const zero = firstZeroCrossing(t, c);
      const spectrum = vacfSpectrum(c, axis.dt);
      const json = {
        t_ps: list(t),
        vacf: list(c),
        first_min: min ? { t_ps: min.t, value: min.value } : null,
        vacf_raw_A2ps2: list(raw),
        first_zero_ps: zero,
        origins,
        atoms: series.atoms,
        frames: series.frames,
        dt_ps: axis.dt,
        time_source: axis.source,
        spectrum: {
          nu_THz: list(spectrum.nu),
          wavenumber_cm1: list(spectrum.wavenumber),
          intensity: list(spectrum.intensity),
        },
      };
      const columns: Columns = args.options.has('spectrum')
        ? { nu_THz: spectrum.nu, wavenumber_cm1: spectrum.wavenumber, intensity_ps: spectrum.intensity }
        : { t_ps: t, vacf: c, vacf_raw_A2ps2: raw };
      emit(
        args,
        json,
        columns,
        `${file}: VACF of ${series.atoms} atoms over ${series.frames} frames (dt ${axis.dt} ps, ${axis.source}), ${origins === 'all' ? 'all origins' : 'first frame as origin'}\n` +
          `C(0) = ${raw[0]!.toFixed(6)} Å²/ps²; first zero ${zero === null ? 'none' : `${zero.toFixed(4)} ps`}; ` +
          `first minimum ${min ? `${min.value.toFixed(4)} at ${min.t.toFixed(4)} ps` : 'none'}`,
      );
      return 0;
    });
  } finally {
    input.close();
  }
}
