/**
 * Per-atom time series gathered from a stream of frames into one frame-major Float64Array
 * (data[k*3n + 3q + d]): the only whole-trajectory memory the all-origin analyses keep, and
 * only for the selected atoms. Also the time axis and its sampling step.
 */
import type { Structure } from '../model/structure.js';
import { AnalysisError } from './errors.js';
import { Unwrapper, type UnwrapMode } from './unwrap.js';

export interface Series {
  /** Frame-major values, length frames * 3 * atoms. */
  data: Float64Array;
  frames: number;
  atoms: number;
  /** Frame times (ps) when every frame has one, else null. */
  times: Float64Array | null;
  /** Frame steps when every frame has one, else null. */
  steps: Float64Array | null;
}

export interface CollectOptions {
  /** Selected atoms (indices into each frame), null for all. */
  atoms?: Int32Array | null;
  /** How many frames the stream yields (to size the array once); grown when exceeded. */
  expectedFrames?: number;
  /** For positions: unwrap across periodic boundaries (default 'auto'). */
  unwrap?: UnwrapMode;
}

/** Collects unwrapped positions (Å) or velocities (Å/ps) of the selected atoms. */
export function collectSeries(
  frames: Iterable<Structure>,
  what: 'positions' | 'velocities',
  options: CollectOptions = {},
): Series {
  const atoms = options.atoms ?? null;
  const unwrapper = what === 'positions' ? new Unwrapper(atoms, options.unwrap ?? 'auto') : null;
  let width = -1;
  let capacity = Math.max(1, options.expectedFrames ?? 16);
  let data = new Float64Array(0);
  let times: number[] | null = [];
  let steps: number[] | null = [];
  let count = 0;
  let frameAtoms = -1;
  for (const frame of frames) {
    if (frameAtoms < 0) frameAtoms = frame.numbers.length;
    else if (frame.numbers.length !== frameAtoms) {
      throw new AnalysisError(`frame ${count} has ${frame.numbers.length} atoms, the first ${frameAtoms}`);
    }
    let values: Float64Array;
    if (unwrapper) values = unwrapper.next(frame);
    else {
      const v = frame.velocities;
      if (!v) throw new AnalysisError(`frame ${count} has no velocities (the file must carry vx vy vz)`);
      values = v;
    }
    if (width < 0) {
      width = unwrapper ? values.length : 3 * (atoms ? atoms.length : frameAtoms);
      data = new Float64Array(capacity * width);
    }
    if (count === capacity) {
      capacity *= 2;
      const grown = new Float64Array(capacity * width);
      grown.set(data);
      data = grown;
    }
    const base = count * width;
    if (unwrapper || !atoms) data.set(values.subarray(0, width), base);
    else {
      for (let q = 0; q < atoms.length; q++) {
        const a = 3 * atoms[q]!;
        data[base + 3 * q] = values[a]!;
        data[base + 3 * q + 1] = values[a + 1]!;
        data[base + 3 * q + 2] = values[a + 2]!;
      }
    }
    const t = frame.info['time'];
    if (times && typeof t === 'number') times.push(t);
    else times = null;
    const s = frame.info['step'];
    if (steps && typeof s === 'number') steps.push(s);
    else steps = null;
    count++;
  }
  if (count === 0) throw new AnalysisError('no frames');
  return {
    data: capacity === count ? data : data.slice(0, count * width),
    frames: count,
    atoms: width / 3,
    times: times ? Float64Array.from(times) : null,
    steps: steps ? Float64Array.from(steps) : null,
  };
}

/**
 * The sampling interval of a time axis, checked uniform: all-origin correlations average
 * over pairs of frames a fixed lag apart, which only means something on a uniform grid.
 * XTC stores times as float32, so uniformity is checked to 1e-3 of a step plus float32 rounding.
 */
export function uniformStep(times: ArrayLike<number>): number {
  const n = times.length;
  if (n < 2) return 0;
  const step = (times[n - 1]! - times[0]!) / (n - 1);
  if (!(step > 0)) throw new AnalysisError(`frame times do not increase (${times[0]} .. ${times[n - 1]} ps)`);
  for (let k = 1; k < n; k++) {
    const d = times[k]! - times[k - 1]!;
    const float32 = 2.5e-7 * Math.max(Math.abs(times[k]!), Math.abs(times[k - 1]!));
    if (Math.abs(d - step) > 1e-3 * step + float32) {
      throw new AnalysisError(
        `frames ${k - 1} and ${k} are ${d} ps apart but the mean interval is ${step} ps: time correlations need evenly spaced frames`,
      );
    }
  }
  return step;
}
