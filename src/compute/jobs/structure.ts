/** Jobs that read structure and trajectory files: the summary shown on open, and single frames. */
import { summarize } from '../../core/io/summary.js';
import type { FileSummary, FrameData } from '../../shared/types.js';
import type { JobContext, JobTable } from '../jobs.js';
import { indexParam, stringParam } from './params.js';
import { ReaderCache } from './reader-cache.js';

// One cache per worker thread (module state lives per thread).
const readers = new ReaderCache(8);

function summary(params: unknown, ctx: JobContext): FileSummary {
  const path = stringParam(params, 'path', 'structure.summary');
  const { source, reader } = readers.open(path, {
    onProgress: (fraction, message) => ctx.progress(fraction, message),
    isCancelled: () => ctx.isCancelled(),
  });
  return { ...summarize(reader), size: source.size };
}

function frame(params: unknown): FrameData {
  const path = stringParam(params, 'path', 'structure.frame');
  const index = indexParam(params, 'index', 'structure.frame');
  const { reader } = readers.open(path);
  if (index >= reader.frameCount) {
    throw new RangeError(`${path} has ${reader.frameCount} frames; frame ${index} does not exist`);
  }
  const s = reader.readFrame(index);
  const out: FrameData = {
    index,
    numbers: compact(s.numbers),
    // Display precision: float32 is far below a pixel and halves what crosses two processes.
    positions: Float32Array.from(s.positions),
    cell: s.cell ? Array.from(s.cell) : null,
  };
  const time = s.info['time'];
  const step = s.info['step'];
  if (typeof time === 'number') out.time = time;
  if (typeof step === 'number') out.step = step;
  return out;
}

/**
 * Structured clone copies a view's whole ArrayBuffer; a reader may hand out views into a
 * larger buffer, so copy those down to their own bytes before they are posted.
 */
function compact(a: Uint8Array): Uint8Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

export const structureJobs: JobTable = {
  'structure.summary': summary,
  'structure.frame': frame,
};
