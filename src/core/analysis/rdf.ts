/**
 * Radial distribution function g(r), total or for one species pair A-B, averaged over frames
 * and normalised as LAMMPS `compute rdf` does (and MDAnalysis InterRDF up to its N² vs
 * N(N-1)): the histogram of ordered pairs (i in A, j in B) divided, frame by frame, by the
 * ideal-gas count N_A (N_B - N_AB/N_A) 4π(r₊³ - r₋³)/(3V), where N_AB counts atoms in both A
 * and B (so a same-species g(r) uses N(N-1), not N²). The running coordination number is
 * LAMMPS's third column.
 *
 * Streaming: one frame at a time through a cell list; memory is O(atoms + bins).
 */
import { cellVolume } from '../model/cell.js';
import type { Structure } from '../model/structure.js';
import { CellList, maxCutoff } from './cell-list.js';
import { AnalysisError } from './errors.js';
import { parabolicPeak, type Peak } from './peak.js';

export interface RdfOptions {
  rmax: number;
  bins: number;
  /** Atoms of species A and B (indices into the frame); both absent means all atoms. */
  groupA?: Int32Array;
  groupB?: Int32Array;
}

export interface RdfResult {
  /** Bin centres (Å). */
  r: Float64Array;
  g: Float64Array;
  /** Running coordination number: mean count of B within r of an A atom. */
  coordination: Float64Array;
  peak: Peak;
  frames: number;
  /** Mean number density of B seen from A, (N_B - N_AB/N_A)/V (Å⁻³). */
  density: number;
}

export class RdfAccumulator {
  readonly rmax: number;
  readonly bins: number;
  private readonly dr: number;
  private readonly hist: Float64Array;
  private readonly cells = new CellList();
  /** Union of A and B (indices into the frame), null for all atoms. */
  private readonly atoms: Int32Array | null;
  /** Per entry of `atoms`: bit 1 = in A, bit 2 = in B. */
  private readonly membership: Uint8Array | null;
  private readonly nA: number;
  private readonly nB: number;
  private readonly nAB: number;
  private frames = 0;
  private densitySum = 0;
  private weight = 0;
  private atomCount = -1;
  private readonly visit: (i: number, j: number, r2: number) => void;

  constructor(options: RdfOptions) {
    const { rmax, bins } = options;
    if (!(rmax > 0) || !Number.isFinite(rmax)) throw new AnalysisError(`rmax must be a positive length, got ${rmax}`);
    if (!Number.isInteger(bins) || bins < 1) throw new AnalysisError(`bins must be a positive integer, got ${bins}`);
    this.rmax = rmax;
    this.bins = bins;
    this.dr = rmax / bins;
    this.hist = new Float64Array(bins);
    const inv = 1 / this.dr;
    const hist = this.hist;
    if (!options.groupA && !options.groupB) {
      this.atoms = null;
      this.membership = null;
      this.nA = this.nB = this.nAB = -1; // set from the first frame
      // Every unordered pair is two ordered pairs (i, j) and (j, i).
      this.visit = (_i, _j, r2) => {
        const b = (Math.sqrt(r2) * inv) | 0;
        if (b < bins) hist[b] = hist[b]! + 2 * this.weight;
      };
      return;
    }
    const a = options.groupA ?? options.groupB!;
    const b = options.groupB ?? options.groupA!;
    const union = Int32Array.from(new Set([...a, ...b])).sort();
    const slot = new Map<number, number>();
    union.forEach((atom, k) => slot.set(atom, k));
    const membership = new Uint8Array(union.length);
    for (const atom of a) membership[slot.get(atom)!]! |= 1;
    for (const atom of b) membership[slot.get(atom)!]! |= 2;
    let both = 0;
    for (let k = 0; k < membership.length; k++) if (membership[k] === 3) both++;
    this.atoms = union;
    this.membership = membership;
    this.nA = a.length;
    this.nB = b.length;
    this.nAB = both;
    this.visit = (i, j, r2) => {
      const mi = membership[i]!;
      const mj = membership[j]!;
      // Ordered pairs: (i in A, j in B) and (j in A, i in B).
      const n = (mi & 1 && mj & 2 ? 1 : 0) + (mj & 1 && mi & 2 ? 1 : 0);
      if (n === 0) return;
      const bin = (Math.sqrt(r2) * inv) | 0;
      if (bin < bins) hist[bin] = hist[bin]! + n * this.weight;
    };
  }

  /** Adds one frame. Needs a cell; rmax must not exceed half its shortest periodic width. */
  add(frame: Structure): void {
    const n = frame.numbers.length;
    if (this.atomCount < 0) this.atomCount = n;
    else if (n !== this.atomCount) {
      throw new AnalysisError(`frame has ${n} atoms, earlier frames ${this.atomCount}: g(r) needs a fixed atom count`);
    }
    const cell = frame.cell;
    if (!cell) throw new AnalysisError('g(r) needs a periodic cell and this frame has none');
    const limit = maxCutoff(cell, frame.pbc);
    if (this.rmax > limit * (1 + 1e-12)) {
      throw new AnalysisError(
        `rmax ${this.rmax} Å exceeds half the shortest periodic cell width (${limit.toFixed(4)} Å): the minimum image would miss pairs`,
      );
    }
    const volume = cellVolume(cell);
    const nA = this.atoms ? this.nA : n;
    const nB = this.atoms ? this.nB : n;
    const nAB = this.atoms ? this.nAB : n;
    const normfac = nA > 0 ? nB - nAB / nA : 0;
    // Frame weight V / (N_A * normfac): each histogram entry becomes a g(r) contribution once
    // divided by the shell volume and the frame count.
    this.weight = nA > 0 && normfac > 0 ? volume / (nA * normfac) : 0;
    this.densitySum += normfac / volume;
    this.cells.build(frame.positions, this.atoms, cell, frame.pbc, this.rmax);
    this.cells.forEachPair(this.rmax, this.visit);
    this.frames++;
  }

  get frameCount(): number {
    return this.frames;
  }

  result(): RdfResult {
    const { bins, dr } = this;
    const r = new Float64Array(bins);
    const g = new Float64Array(bins);
    const coordination = new Float64Array(bins);
    const density = this.frames ? this.densitySum / this.frames : 0;
    let running = 0;
    for (let b = 0; b < bins; b++) {
      const lo = b * dr;
      const hi = (b + 1) * dr;
      const shell = ((4 * Math.PI) / 3) * (hi * hi * hi - lo * lo * lo);
      r[b] = (b + 0.5) * dr;
      g[b] = this.frames ? this.hist[b]! / (this.frames * shell) : 0;
      running += g[b]! * shell * density;
      coordination[b] = running;
    }
    return { r, g, coordination, peak: parabolicPeak(r, g), frames: this.frames, density };
  }
}

/** g(r) of a stream of frames (see RdfAccumulator). */
export function computeRdf(frames: Iterable<Structure>, options: RdfOptions): RdfResult {
  const acc = new RdfAccumulator(options);
  for (const f of frames) acc.add(f);
  if (acc.frameCount === 0) throw new AnalysisError('no frames to average');
  return acc.result();
}
