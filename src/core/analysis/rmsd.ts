/**
 * RMSD after optimal superposition (kabsch.ts) against a reference frame, with separate fit
 * and measure selections (fit on the backbone, measure a ligand), the pairwise RMSD matrix,
 * and RMSF about the mean aligned structure.
 *
 * Conventions (MDAnalysis rms.RMSD / rms.rmsd): both frames are centred on the centroid of
 * their fit atoms (weighted when weights are given), the mobile frame is rotated onto the
 * reference, and the RMSD is taken over the measure atoms in that superposed placement.
 * With fit = null there is no centring and no rotation (raw RMSD).
 */
import { AnalysisError } from './errors.js';
import { centroid, rotatedRmsd, Superposer } from './kabsch.js';

export interface RmsdSelection {
  /** Atoms whose superposition defines the rotation; null = no fit at all. */
  fit: Int32Array | null;
  /** Atoms the RMSD is measured over. */
  measure: Int32Array;
  /** Per-atom weights (indexed by atom, e.g. masses), or null for unweighted. */
  weights?: Float64Array | null;
}

function gather(positions: Float64Array, atoms: Int32Array, shift: Float64Array | null, out: Float64Array): void {
  const sx = shift ? shift[0]! : 0;
  const sy = shift ? shift[1]! : 0;
  const sz = shift ? shift[2]! : 0;
  for (let q = 0; q < atoms.length; q++) {
    const a = 3 * atoms[q]!;
    out[3 * q] = positions[a]! - sx;
    out[3 * q + 1] = positions[a + 1]! - sy;
    out[3 * q + 2] = positions[a + 2]! - sz;
  }
}

function pick(weights: Float64Array | null | undefined, atoms: Int32Array): Float64Array | null {
  return weights ? Float64Array.from(atoms, (a) => weights[a]!) : null;
}

/** RMSD of frame after frame against one reference; buffers are allocated once. */
export class RmsdToReference {
  private readonly sel: RmsdSelection;
  private readonly refFit: Float64Array;
  private readonly refMeasure: Float64Array;
  private readonly fitWeights: Float64Array | null;
  private readonly measureWeights: Float64Array | null;
  private readonly mobileFit: Float64Array;
  private readonly mobileMeasure: Float64Array;
  private readonly centre = new Float64Array(3);
  private readonly solver = new Superposer();
  private readonly atomCount: number;
  private static readonly IDENTITY = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);

  constructor(reference: Float64Array, selection: RmsdSelection) {
    if (selection.measure.length === 0) throw new AnalysisError('the measure selection is empty');
    if (selection.fit && selection.fit.length === 0) throw new AnalysisError('the fit selection is empty');
    this.sel = selection;
    this.atomCount = reference.length / 3;
    this.fitWeights = selection.fit ? pick(selection.weights, selection.fit) : null;
    this.measureWeights = pick(selection.weights, selection.measure);
    const c = selection.fit ? centroid(reference, selection.fit, this.fitWeights) : null;
    this.refFit = new Float64Array(3 * (selection.fit?.length ?? 0));
    if (selection.fit) gather(reference, selection.fit, c, this.refFit);
    this.refMeasure = new Float64Array(3 * selection.measure.length);
    gather(reference, selection.measure, c, this.refMeasure);
    this.mobileFit = new Float64Array(this.refFit.length);
    this.mobileMeasure = new Float64Array(this.refMeasure.length);
  }

  /** RMSD (Å) of `positions` (a whole frame, 3N) against the reference. */
  measure(positions: Float64Array): number {
    if (positions.length !== 3 * this.atomCount) {
      throw new AnalysisError(`frame has ${positions.length / 3} atoms, the reference ${this.atomCount}`);
    }
    const { fit, measure } = this.sel;
    let rotation: Float64Array = RmsdToReference.IDENTITY;
    let c: Float64Array | null = null;
    if (fit) {
      c = centroid(positions, fit, this.fitWeights, this.centre);
      gather(positions, fit, c, this.mobileFit);
      rotation = this.solver.rotationFor(this.refFit, this.mobileFit, fit.length, this.fitWeights);
    }
    gather(positions, measure, c, this.mobileMeasure);
    return rotatedRmsd(this.refMeasure, this.mobileMeasure, measure.length, rotation, this.measureWeights);
  }
}

/**
 * Pairwise RMSD matrix (frames × frames, symmetric, zero diagonal) of a frame-major series
 * of the fit atoms (data[k*3n ..]), each pair superposed. Frames are centred once; per pair
 * RMSD² = (G_a + G_b - 2 Σ w a·Rb)/W with the inner products G precomputed, one pass over
 * the atoms for the covariance and one for the cross term.
 */
export function pairwiseRmsd(
  data: Float64Array,
  frames: number,
  atoms: number,
  weights: Float64Array | null = null,
): Float64Array {
  const width = 3 * atoms;
  const centred = new Float64Array(frames * width);
  const inner = new Float64Array(frames);
  let wsum = 0;
  for (let q = 0; q < atoms; q++) wsum += weights ? weights[q]! : 1;
  const c = new Float64Array(3);
  for (let k = 0; k < frames; k++) {
    const frame = data.subarray(k * width, (k + 1) * width);
    centroid(frame, null, weights, c);
    let g = 0;
    for (let q = 0; q < atoms; q++) {
      const w = weights ? weights[q]! : 1;
      for (let d = 0; d < 3; d++) {
        const v = frame[3 * q + d]! - c[d]!;
        centred[k * width + 3 * q + d] = v;
        g += w * v * v;
      }
    }
    inner[k] = g;
  }
  const out = new Float64Array(frames * frames);
  const solver = new Superposer();
  for (let i = 0; i < frames; i++) {
    const a = centred.subarray(i * width, (i + 1) * width);
    for (let j = i + 1; j < frames; j++) {
      const b = centred.subarray(j * width, (j + 1) * width);
      const rotation = solver.rotationFor(a, b, atoms, weights);
      let trace = 0;
      for (let q = 0; q < atoms; q++) {
        const w = weights ? weights[q]! : 1;
        const bx = b[3 * q]!;
        const by = b[3 * q + 1]!;
        const bz = b[3 * q + 2]!;
        trace +=
          w *
          (a[3 * q]! * (rotation[0]! * bx + rotation[1]! * by + rotation[2]! * bz) +
            a[3 * q + 1]! * (rotation[3]! * bx + rotation[4]! * by + rotation[5]! * bz) +
            a[3 * q + 2]! * (rotation[6]! * bx + rotation[7]! * by + rotation[8]! * bz));
      }
      const rmsd = Math.sqrt(Math.max(0, (inner[i]! + inner[j]! - 2 * trace) / wsum));
      out[i * frames + j] = rmsd;
      out[j * frames + i] = rmsd;
    }
  }
  return out;
}

/**
 * Root-mean-square fluctuation per measured atom about its mean position, every frame
 * superposed on the reference by the fit atoms first (GROMACS gmx rmsf; MDAnalysis RMSF on
 * an aligned trajectory). Streaming: sums of displacements from the reference, so memory is
 * O(atoms) and the variance does not lose digits to large coordinates.
 */
export class RmsfAccumulator {
  private readonly sel: RmsdSelection;
  private readonly fitWeights: Float64Array | null;
  private readonly refCentre: Float64Array;
  private readonly refFit: Float64Array;
  private readonly reference: Float64Array;
  private readonly mobileFit: Float64Array;
  private readonly centre = new Float64Array(3);
  private readonly solver = new Superposer();
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;
  private frames = 0;

  constructor(reference: Float64Array, selection: RmsdSelection) {
    if (selection.measure.length === 0) throw new AnalysisError('the measure selection is empty');
    this.sel = selection;
    this.reference = reference;
    this.fitWeights = selection.fit ? pick(selection.weights, selection.fit) : null;
    this.refCentre = selection.fit ? centroid(reference, selection.fit, this.fitWeights) : new Float64Array(3);
    this.refFit = new Float64Array(3 * (selection.fit?.length ?? 0));
    if (selection.fit) gather(reference, selection.fit, this.refCentre, this.refFit);
    this.mobileFit = new Float64Array(this.refFit.length);
    this.sum = new Float64Array(3 * selection.measure.length);
    this.sumSq = new Float64Array(selection.measure.length);
  }

  add(positions: Float64Array): void {
    if (positions.length !== this.reference.length) {
      throw new AnalysisError(`frame has ${positions.length / 3} atoms, the reference ${this.reference.length / 3}`);
    }
    const { fit, measure } = this.sel;
    let r: Float64Array | null = null;
    const c = this.centre;
    if (fit) {
      centroid(positions, fit, this.fitWeights, c);
      gather(positions, fit, c, this.mobileFit);
      r = this.solver.rotationFor(this.refFit, this.mobileFit, fit.length, this.fitWeights);
    } else c.fill(0);
    const rc = this.refCentre;
    for (let q = 0; q < measure.length; q++) {
      const a = 3 * measure[q]!;
      const x = positions[a]! - c[0]!;
      const y = positions[a + 1]! - c[1]!;
      const z = positions[a + 2]! - c[2]!;
      // Aligned position minus the reference position of the same atom.
      const dx = (r ? r[0]! * x + r[1]! * y + r[2]! * z : x) + rc[0]! - this.reference[a]!;
      const dy = (r ? r[3]! * x + r[4]! * y + r[5]! * z : y) + rc[1]! - this.reference[a + 1]!;
      const dz = (r ? r[6]! * x + r[7]! * y + r[8]! * z : z) + rc[2]! - this.reference[a + 2]!;
      this.sum[3 * q] = this.sum[3 * q]! + dx;
      this.sum[3 * q + 1] = this.sum[3 * q + 1]! + dy;
      this.sum[3 * q + 2] = this.sum[3 * q + 2]! + dz;
      this.sumSq[q] = this.sumSq[q]! + dx * dx + dy * dy + dz * dz;
    }
    this.frames++;
  }

  /** RMSF (Å) per measured atom. */
  result(): Float64Array {
    if (this.frames === 0) throw new AnalysisError('no frames');
    const n = this.frames;
    return Float64Array.from(this.sumSq, (s, q) => {
      const mx = this.sum[3 * q]! / n;
      const my = this.sum[3 * q + 1]! / n;
      const mz = this.sum[3 * q + 2]! / n;
      return Math.sqrt(Math.max(0, s / n - (mx * mx + my * my + mz * mz)));
    });
  }
}
