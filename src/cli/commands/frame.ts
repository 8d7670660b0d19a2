// `atomscope frame FILE --index i [--json]`: one frame's numbers and positions (Å).
import { cellRows } from '../../core/model/cell.js';
import { elementSymbol } from '../../core/model/elements.js';
import { openTrajectory } from '../../node/open.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';

function rows(a: Float64Array): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += 3) out.push([a[i]!, a[i + 1]!, a[i + 2]!]);
  return out;
}

export function frameCommand(args: ParsedArgs): number {
  const file = args.positionals[0];
  if (!file) throw new UsageError('usage: atomscope frame FILE --index i [--json]');
  const index = optionNumber(args, 'index', true) ?? 0;
  const opened = openTrajectory(file, { format: optionString(args, 'format') });
  try {
    const n = opened.reader.frameCount;
    const i = index < 0 ? n + index : index;
    if (i < 0 || i >= n) throw new UsageError(`${file}: frame ${index} does not exist (the file has ${n} frames)`);
    const s = opened.reader.readFrame(i);
    const out: Record<string, unknown> = { index: i, numbers: Array.from(s.numbers), positions: rows(s.positions) };
    if (s.cell) out['cell'] = cellRows(s.cell);
    out['pbc'] = s.pbc;
    if (s.velocities) out['velocities'] = rows(s.velocities);
    if (s.forces) out['forces'] = rows(s.forces);
    if (typeof s.info['time'] === 'number') out['time'] = s.info['time'];
    if (typeof s.info['step'] === 'number') out['step'] = s.info['step'];
    if (args.options.has('json')) {
      process.stdout.write(JSON.stringify(out) + '\n');
    } else {
      const p = s.positions;
      const lines = [`frame ${i} of ${file}: ${s.numbers.length} atoms`];
      for (let k = 0; k < s.numbers.length; k++) {
        lines.push(
          `${elementSymbol(s.numbers[k]!).padEnd(3)} ${p[3 * k]!.toFixed(6)} ${p[3 * k + 1]!.toFixed(6)} ${p[3 * k + 2]!.toFixed(6)}`,
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  } finally {
    opened.reader.close();
    opened.source.close?.();
  }
}
