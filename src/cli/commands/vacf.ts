// `atomscope vacf FILE... [--origins first|all] [--select SEL] [--frames a:b:s] [--spectrum]
//   [--dt ps | --timestep ps] --json|--csv|--out fig.svg|fig.png`
// Normalised velocity autocorrelation -> {"t_ps":[],"vacf":[],"first_min":{"t_ps","value"}, ...};
// several FILEs: an array of those objects.
import { vacfRun } from '../../core/analysis/pipeline.js';
import { uniformStep } from '../../core/analysis/series.js';
import { vacfResult, vacfSpectrumResult } from '../../node/figures/index.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';
import {
  type Columns,
  emitAll,
  fileArguments,
  type FileOutput,
  list,
  naming,
  openInput,
  timeAxisFor,
} from './analysis-io.js';

const USAGE =
  'atomscope vacf FILE... [--origins first|all] [--select SEL] [--frames a:b:s] [--spectrum] [--dt ps | --timestep ps] [--json|--csv|--out fig.svg|fig.png]';

export async function vacfCommand(args: ParsedArgs): Promise<number> {
  const files = fileArguments(args, USAGE);
  // Single origin by default, as LAMMPS compute vacf (the reference users compare with);
  // `--origins all` averages over every origin for better statistics.
  const origins = optionString(args, 'origins') ?? 'first';
  if (origins !== 'all' && origins !== 'first') throw new UsageError('--origins expects all or first');
  await emitAll(
    args,
    files.map((file) => vacfOne(file, args, origins)),
  );
  return 0;
}

function vacfOne(file: string, args: ParsedArgs, origins: 'all' | 'first'): FileOutput {
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const run = vacfRun(
        input.first,
        input.frames(),
        input.indices.length,
        { origins, select: optionString(args, 'select') ?? null },
        timeAxisFor(file, args, uniformStep),
      );
      const { spectrum, firstMin: min, firstZero: zero } = run;
      const json = {
        t_ps: list(run.t),
        vacf: list(run.vacf),
        first_min: min ? { t_ps: min.t, value: min.value } : null,
        vacf_raw_A2ps2: list(run.raw),
        first_zero_ps: zero,
        origins,
        atoms: run.atoms,
        frames: run.frames,
        dt_ps: run.dt,
        time_source: run.timeSource,
        spectrum: {
          nu_THz: list(spectrum.nu),
          wavenumber_cm1: list(spectrum.wavenumber),
          intensity: list(spectrum.intensity),
        },
      };
      const showSpectrum = args.options.has('spectrum');
      const columns: Columns = showSpectrum
        ? { nu_THz: spectrum.nu, wavenumber_cm1: spectrum.wavenumber, intensity_ps: spectrum.intensity }
        : { t_ps: run.t, vacf: run.vacf, vacf_raw_A2ps2: run.raw };
      const text =
        `${file}: VACF of ${run.atoms} atoms over ${run.frames} frames (dt ${run.dt} ps, ${run.timeSource}), ${origins === 'all' ? 'all origins' : 'first frame as origin'}\n` +
        `C(0) = ${run.raw[0]!.toFixed(6)} Å²/ps²; first zero ${zero === null ? 'none' : `${zero.toFixed(4)} ps`}; ` +
        `first minimum ${min ? `${min.value.toFixed(4)} at ${min.t.toFixed(4)} ps` : 'none'}`;
      const result = showSpectrum ? vacfSpectrumResult(run, file) : vacfResult(run, file, input.indices);
      return { file, json, columns, text, result };
    });
  } finally {
    input.close();
  }
}
