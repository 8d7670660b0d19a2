// `atomscope info FILE [--json] [--format ID]`
import { statSync } from 'node:fs';
import { summarize } from '../../core/io/summary.js';
import { openTrajectory } from '../../node/open.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';

export function infoCommand(args: ParsedArgs): number {
  const file = args.positionals[0];
  if (!file) throw new UsageError('usage: atomscope info FILE [--json] [--format ID]');
  const opened = openTrajectory(file, { format: optionString(args, 'format') });
  try {
    const s = summarize(opened.reader);
    if (args.options.has('json')) {
      process.stdout.write(JSON.stringify(s) + '\n');
      return 0;
    }
    const lines = [
      `file      ${file} (${statSync(file).size} bytes)`,
      `format    ${s.format}`,
      `atoms     ${s.atoms}`,
      `frames    ${s.frames}`,
      `elements  ${Object.entries(s.elements)
        .map(([e, n]) => `${e}:${n}`)
        .join(' ')}`,
      `cell      ${s.cell ? s.cell.map((r) => `[${r.map((x) => x.toFixed(4)).join(' ')}]`).join(' ') : 'none'}`,
      `pbc       ${s.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}`,
      `time      ${s.time ? `${s.time.start} .. ${s.time.end} ps (every ${s.time.step} ps)` : 'none'}`,
      `columns   ${s.columns.join(' ') || 'none'}`,
      ...s.warnings.map((w) => `warning   ${w}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    opened.reader.close();
    opened.source.close?.();
  }
}
