// `atomscope check FILE [--frames a:b:s] [--json]`: reads every selected frame once (streaming,
// O(one frame) memory) and reports problems per frame: non-finite coordinates, atom counts.
import { iterateFrames, parseFrameSelection, selectedIndices } from '../../core/io/frames.js';
import { openTrajectory } from '../../node/open.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';

export function checkCommand(args: ParsedArgs): number {
  const file = args.positionals[0];
  if (!file) throw new UsageError('usage: atomscope check FILE [--frames a:b:s] [--json]');
  const frames = optionString(args, 'frames');
  const selection = frames ? parseFrameSelection(frames) : {};
  const t0 = performance.now();
  const opened = openTrajectory(file, { format: optionString(args, 'format') });
  const indexed = performance.now();
  const problems: string[] = [];
  let read = 0;
  let atoms = 0;
  try {
    const picked = selectedIndices(opened.reader.frameCount, selection);
    let i = 0;
    for (const s of iterateFrames(opened.reader, selection)) {
      const p = s.positions;
      for (let k = 0; k < p.length; k++) {
        if (!Number.isFinite(p[k]!)) {
          problems.push(`frame ${picked[i]}: atom ${Math.floor(k / 3)} has a non-finite coordinate`);
          break;
        }
      }
      atoms += s.numbers.length;
      read++;
      i++;
    }
  } finally {
    opened.reader.close();
    opened.source.close?.();
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = {
    format: opened.format.id,
    frames: read,
    atoms_total: atoms,
    index_s: (indexed - t0) / 1000,
    seconds,
    frames_per_s: read / Math.max(seconds, 1e-9),
    warnings: opened.reader.warnings,
    problems,
  };
  if (args.options.has('json')) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    process.stdout.write(
      `${file}: ${read} frames read in ${seconds.toFixed(3)} s (${result.frames_per_s.toFixed(1)} frames/s)\n` +
        [...result.warnings.map((w) => `warning: ${w}`), ...problems].map((l) => l + '\n').join(''),
    );
  }
  return problems.length ? 1 : 0;
}
