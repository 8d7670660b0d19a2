/**
 * Unwrapped positions frame by frame, for displacement analyses (MSD, α2, van Hove).
 *
 * Image columns (LAMMPS ix iy iz → `image`) are applied first; then every displacement
 * between consecutive frames is taken as its minimum image in the current cell, so an atom
 * that left through one face and came back wrapped at the other continues its path. On
 * already unwrapped input (xu, GROMACS XTC made whole) this changes nothing, as long as no
 * atom moves more than half a box between saved frames, which no usable trajectory does.
 */
import { invert3 } from '../model/cell.js';
import type { Structure } from '../model/structure.js';

export type UnwrapMode = 'auto' | 'none';

export class Unwrapper {
  private readonly atoms: Int32Array | null;
  private readonly mode: UnwrapMode;
  private previous: Float64Array | null = null;
  private current: Float64Array | null = null;
  private raw: Float64Array | null = null;

  constructor(atoms: Int32Array | null, mode: UnwrapMode = 'auto') {
    this.atoms = atoms;
    this.mode = mode;
  }

  /** Unwrapped positions (3n, Å) of the selected atoms in this frame; the array is reused. */
  next(frame: Structure): Float64Array {
    const atoms = this.atoms;
    const count = atoms ? atoms.length : frame.numbers.length;
    if (!this.raw || this.raw.length !== 3 * count) {
      this.raw = new Float64Array(3 * count);
      this.current = new Float64Array(3 * count);
      this.previous = null;
    }
    const raw = this.raw;
    const p = frame.positions;
    for (let q = 0; q < count; q++) {
      const a = 3 * (atoms ? atoms[q]! : q);
      raw[3 * q] = p[a]!;
      raw[3 * q + 1] = p[a + 1]!;
      raw[3 * q + 2] = p[a + 2]!;
    }
    const current = this.current!;
    const cell = frame.cell;
    if (this.mode === 'none' || !cell) {
      current.set(raw);
      return current;
    }
    const image = frame.arrays['image'];
    if (image && !Array.isArray(image) && (frame.arrayWidths?.['image'] ?? 1) === 3) {
      for (let q = 0; q < count; q++) {
        const a = 3 * (atoms ? atoms[q]! : q);
        const ix = image[a]!;
        const iy = image[a + 1]!;
        const iz = image[a + 2]!;
        for (let d = 0; d < 3; d++)
          raw[3 * q + d] = raw[3 * q + d]! + ix * cell[d]! + iy * cell[3 + d]! + iz * cell[6 + d]!;
      }
    }
    if (!this.previous) {
      this.previous = new Float64Array(raw);
      current.set(raw);
      return current;
    }
    const prev = this.previous;
    const inv = invert3(cell);
    const pbc = frame.pbc;
    for (let q = 0; q < count; q++) {
      const dx = raw[3 * q]! - prev[3 * q]!;
      const dy = raw[3 * q + 1]! - prev[3 * q + 1]!;
      const dz = raw[3 * q + 2]! - prev[3 * q + 2]!;
      let ex = dx;
      let ey = dy;
      let ez = dz;
      for (let k = 0; k < 3; k++) {
        if (!pbc[k]) continue;
        const s = dx * inv[k]! + dy * inv[3 + k]! + dz * inv[6 + k]!;
        const shift = Math.round(s);
        if (shift !== 0) {
          ex -= shift * cell[3 * k]!;
          ey -= shift * cell[3 * k + 1]!;
          ez -= shift * cell[3 * k + 2]!;
        }
      }
      current[3 * q] = current[3 * q]! + ex;
      current[3 * q + 1] = current[3 * q + 1]! + ey;
      current[3 * q + 2] = current[3 * q + 2]! + ez;
    }
    prev.set(raw);
    return current;
  }
}
