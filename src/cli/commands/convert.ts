// `atomscope convert IN OUT [--frames start:stop:step]`: formats picked by extension.
import { closeSync, openSync, writeSync } from 'node:fs';
import { iterateFrames, parseFrameSelection } from '../../core/io/frames.js';
import { formatForWriting } from '../../core/io/registry.js';
import { openTrajectory } from '../../node/open.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';

export function convertCommand(args: ParsedArgs): number {
  const [input, output] = args.positionals;
  if (!input || !output) throw new UsageError('usage: atomscope convert IN OUT [--frames start:stop:step]');
  const target = formatForWriting(output);
  if (!target?.write) throw new UsageError(`${output}: no writer for this file name (by extension)`);
  const frames = optionString(args, 'frames');
  let selection;
  try {
    selection = frames ? parseFrameSelection(frames) : {};
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const opened = openTrajectory(input, { format: optionString(args, 'format') });
  const fd = openSync(output, 'w');
  let count = 0;
  try {
    const counted = (function* () {
      for (const f of iterateFrames(opened.reader, selection)) {
        count++;
        yield f;
      }
    })();
    target.write(counted, {
      write: (chunk) => void (typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk)),
    });
  } finally {
    closeSync(fd);
    opened.reader.close();
    opened.source.close?.();
  }
  process.stderr.write(`wrote ${count} frame(s) as ${target.id} to ${output}\n`);
  return 0;
}
