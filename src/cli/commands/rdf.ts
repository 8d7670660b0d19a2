// `atomscope rdf FILE [--rmax Å] [--bins N] [--pair A-B] [--frames a:b:s] [--sk] --json|--csv`
// g(r) averaged over the selected frames -> {"r":[],"g":[],"peak":{"r","g"}, ...}.
import { maxCutoff } from '../../core/analysis/cell-list.js';
import { RdfAccumulator } from '../../core/analysis/rdf.js';
import { parsePair, speciesAtoms } from '../../core/analysis/selection.js';
import { structureFactor } from '../../core/analysis/structure-factor.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import { emit, fileArgument, list, naming, openInput } from './analysis-io.js';

const USAGE = 'atomscope rdf FILE [--rmax Å] [--bins N] [--pair A-B] [--frames a:b:s] [--sk] [--json|--csv]';

/** Default bin width (Å) when --bins is not given: LAMMPS-like resolution for liquids. */
const DEFAULT_BIN_WIDTH = 0.05;

export function rdfCommand(args: ParsedArgs): number {
  const file = fileArgument(args, USAGE);
  const input = openInput(file, args);
  try {
    return naming(file, () => {
      const first = input.first;
      if (!first.cell) throw new UsageError(`${file}: g(r) needs a periodic cell and the file has none`);
      const limit = maxCutoff(first.cell, first.pbc);
      const rmax = optionNumber(args, 'rmax') ?? limit;
      if (!(rmax > 0)) throw new UsageError('--rmax must be positive (Å)');
      const bins = optionNumber(args, 'bins', true) ?? Math.max(1, Math.round(rmax / DEFAULT_BIN_WIDTH));
      if (bins < 1) throw new UsageError('--bins must be at least 1');
      const pairText = optionString(args, 'pair');
      const pair = pairText ? parsePair(pairText) : null;
      const groups = pair ? { groupA: speciesAtoms(first, pair[0]), groupB: speciesAtoms(first, pair[1]) } : {};
      if (pair && (groups.groupA!.length === 0 || groups.groupB!.length === 0)) {
        throw new UsageError(
          `${file}: pair ${pairText} matches no atom of ${groups.groupA!.length ? pair[1] : pair[0]}`,
        );
      }
      const acc = new RdfAccumulator({ rmax, bins, ...groups });
      for (const frame of input.frames()) acc.add(frame);
      const res = acc.result();
      const json: Record<string, unknown> = {
        r: list(res.r),
        g: list(res.g),
        peak: { r: res.peak.x, g: res.peak.y },
        coordination: list(res.coordination),
        pair: pairText ?? null,
        frames: res.frames,
        density_A3: res.density,
      };
      let columns: Record<string, ArrayLike<number>> = { r_A: res.r, g_r: res.g, coord_r: res.coordination };
      if (args.options.has('sk')) {
        const sk = structureFactor(res.r, res.g, res.density);
        json['sk'] = { k: list(sk.k), s: list(sk.s) };
        columns = { k_invA: sk.k, s_k: sk.s };
      }
      emit(
        args,
        json,
        columns,
        `${file}: g(r) over ${res.frames} frames, ${bins} bins to ${rmax} Å${pairText ? `, pair ${pairText}` : ''}\n` +
          `first peak r = ${res.peak.x.toFixed(4)} Å, g = ${res.peak.y.toFixed(4)}`,
      );
      return 0;
    });
  } finally {
    input.close();
  }
}
