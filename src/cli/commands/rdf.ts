// `atomscope rdf FILE... [--rmax Å] [--bins N] [--pair A-B] [--frames a:b:s] [--sk]
//   --json|--csv|--out fig.svg|fig.png`
// g(r) averaged over the selected frames -> {"r":[],"g":[],"peak":{"r","g"}, ...}; several
// FILEs: an array of those objects, and one curve per file in the figure.
import { rdfRun } from '../../core/analysis/pipeline.js';
import { structureFactor } from '../../core/analysis/structure-factor.js';
import { rdfResult } from '../../node/figures/index.js';
import type { AnalysisResult } from '../../shared/types.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import { emitAll, fileArguments, type FileOutput, list, naming, openInput } from './analysis-io.js';

const USAGE =
  'atomscope rdf FILE... [--rmax Å] [--bins N] [--pair A-B] [--frames a:b:s] [--sk] [--json|--csv|--out fig.svg|fig.png]';

export async function rdfCommand(args: ParsedArgs): Promise<number> {
  const files = fileArguments(args, USAGE);
  const rmax = optionNumber(args, 'rmax');
  if (rmax !== undefined && !(rmax > 0)) throw new UsageError('--rmax must be positive (Å)');
  const bins = optionNumber(args, 'bins', true);
  if (bins !== undefined && bins < 1) throw new UsageError('--bins must be at least 1');
  const pairText = optionString(args, 'pair');
  await emitAll(
    args,
    files.map((file) => rdfOne(file, args, rmax, bins, pairText)),
  );
  return 0;
}

function rdfOne(
  file: string,
  args: ParsedArgs,
  rmax: number | undefined,
  bins: number | undefined,
  pairText: string | undefined,
): FileOutput {
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const res = rdfRun(input.first, input.frames(), { rmax, bins, pair: pairText ?? null });
      const json: Record<string, unknown> = {
        r: list(res.r),
        g: list(res.g),
        peak: { r: res.peak.r, g: res.peak.g },
        coordination: list(res.coordination),
        pair: pairText ?? null,
        frames: res.frames,
        density_A3: res.density,
      };
      let columns: Record<string, ArrayLike<number>> = { r_A: res.r, g_r: res.g, coord_r: res.coordination };
      let result: AnalysisResult = rdfResult(res, file);
      if (args.options.has('sk')) {
        const sk = structureFactor(res.r, res.g, res.density);
        json['sk'] = { k: list(sk.k), s: list(sk.s) };
        columns = { k_invA: sk.k, s_k: sk.s };
        result = {
          ...result,
          columns: [
            { name: 'k_invA', label: 'k (Å⁻¹)', values: sk.k },
            { name: 's_k', label: 'S(k)', values: sk.s },
          ],
          x: 'k_invA',
          y: ['s_k'],
          marks: [],
        };
      }
      const text =
        `${file}: g(r) over ${res.frames} frames, ${res.bins} bins to ${res.rmax} Å${pairText ? `, pair ${pairText}` : ''}\n` +
        `first peak r = ${res.peak.r.toFixed(4)} Å, g = ${res.peak.g.toFixed(4)}`;
      return { file, json, columns, text, result };
    });
  } finally {
    input.close();
  }
}
