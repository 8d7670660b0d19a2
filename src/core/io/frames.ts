/** Frame selection as a first-class argument (`start:stop:step`, Python slice semantics). */
import type { Structure } from '../model/structure.js';
import type { TrajectoryReader } from './format.js';

export interface FrameSelection {
  start?: number;
  stop?: number;
  step?: number;
}

/** Parses `start:stop:step` (any part may be empty; negative values count from the end). */
export function parseFrameSelection(text: string): FrameSelection {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p.trim() !== '' && !/^[+-]?\d+$/.test(p.trim()))) {
    throw new Error(`frame selection "${text}": expected start:stop:step with integers`);
  }
  const num = (p: string | undefined): number | undefined =>
    p === undefined || p.trim() === '' ? undefined : Number(p);
  if (parts.length === 1) {
    const i = num(parts[0]);
    return i === undefined ? {} : { start: i, stop: i === -1 ? undefined : i + 1, step: 1 };
  }
  const sel: FrameSelection = {};
  const start = num(parts[0]);
  const stop = num(parts[1]);
  const step = num(parts[2]);
  if (start !== undefined) sel.start = start;
  if (stop !== undefined) sel.stop = stop;
  if (step !== undefined) sel.step = step;
  return sel;
}

/** The frame indices a selection picks out of `count` frames. */
export function selectedIndices(count: number, sel: FrameSelection = {}): number[] {
  const step = sel.step ?? 1;
  if (step === 0) throw new Error('frame step must not be zero');
  const norm = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    return v < 0 ? Math.max(step > 0 ? 0 : -1, count + v) : Math.min(v, step > 0 ? count : count - 1);
  };
  const out: number[] = [];
  if (step > 0) {
    for (let i = norm(sel.start, 0); i < norm(sel.stop, count); i += step) out.push(i);
  } else {
    for (let i = norm(sel.start, count - 1); i > norm(sel.stop, -1); i += step) out.push(i);
  }
  return out;
}

/** Streams the selected frames, one at a time. */
export function* iterateFrames(reader: TrajectoryReader, sel: FrameSelection = {}): Generator<Structure> {
  for (const i of selectedIndices(reader.frameCount, sel)) yield reader.readFrame(i);
}
