/** Jobs that read structure and trajectory files: the summary shown on open, and single frames. */
import { applyTopology, checkPairing } from '../../core/io/pairing.js';
import { summarize } from '../../core/io/summary.js';
import { atomColumns } from '../../core/model/atom-columns.js';
import { computeBonds } from '../../core/model/bonds.js';
import type { Structure } from '../../core/model/structure.js';
import type { FileSummary, FrameData } from '../../shared/types.js';
import type { JobContext, JobTable } from '../jobs.js';
import { indexParam, optionalStringParam, stringParam } from './params.js';
import { ReaderCache } from './reader-cache.js';

// One cache per worker thread (module state lives per thread).
const readers = new ReaderCache(8);

/** The topology's first frame, as a function that fills a trajectory frame's chemistry in. */
function topologyFor(path: string, topology: string | undefined): ((s: Structure) => Structure) | undefined {
  if (!topology) return undefined;
  const top = readers.open(topology);
  const traj = readers.open(path);
  checkPairing(topology, top.reader.atomCount, path, traj.reader.atomCount);
  const topFrame = readers.firstFrame(topology);
  return (s) => applyTopology(s, topFrame);
}

/** Computed bonds per file (and topology), made once from the first frame asked for. */
const computedBonds = new Map<string, { numbers: Uint8Array; bonds: Uint32Array }>();

function bondsOf(key: string, s: Structure): Uint32Array {
  if (s.bonds) return s.bonds;
  const hit = computedBonds.get(key);
  if (hit && hit.numbers.length === s.numbers.length && hit.numbers.every((z, i) => z === s.numbers[i])) {
    return hit.bonds;
  }
  const bonds = computeBonds(s.numbers, s.positions, s.cell, s.pbc);
  computedBonds.set(key, { numbers: s.numbers.slice(), bonds });
  if (computedBonds.size > 16) computedBonds.delete(computedBonds.keys().next().value!);
  return bonds;
}

function summary(params: unknown, ctx: JobContext): FileSummary {
  const path = stringParam(params, 'path', 'structure.summary');
  const { source, reader } = readers.open(path, {
    onProgress: (fraction, message) => ctx.progress(fraction, message),
    isCancelled: () => ctx.isCancelled(),
  });
  const transform = topologyFor(path, optionalStringParam(params, 'topology', 'structure.summary'));
  return { ...summarize(reader, transform), size: source.size };
}

function frame(params: unknown): FrameData {
  const path = stringParam(params, 'path', 'structure.frame');
  const index = indexParam(params, 'index', 'structure.frame');
  const { reader } = readers.open(path);
  const topology = optionalStringParam(params, 'topology', 'structure.frame');
  const transform = topologyFor(path, topology);
  if (index >= reader.frameCount) {
    throw new RangeError(`${path} has ${reader.frameCount} frames; frame ${index} does not exist`);
  }
  const raw = reader.readFrame(index);
  const s = transform ? transform(raw) : raw;
  const out: FrameData = {
    index,
    numbers: compact(s.numbers),
    // Display precision: float32 is far below a pixel and halves what crosses two processes.
    positions: Float32Array.from(s.positions),
    cell: s.cell ? Array.from(s.cell) : null,
    ...atomColumns(s),
  };
  const bonds = bondsOf(`${path}\u0000${topology ?? ''}`, s);
  if (bonds.length > 0) out.bonds = bonds;
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
