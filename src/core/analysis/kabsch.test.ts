// Kabsch superposition: MDAnalysis's RMSD on every corpus pair (the mirror image included),
// and the properties that make it a superposition: rigid motions of either set change
// nothing, a rigidly moved copy superposes to zero, and the rotation is never a reflection.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { determinant3, jacobiEigen, quaternionToMatrix, superpose } from './kabsch';

interface PairRef {
  rmsd_superposed_A_MDAnalysis: number;
  rmsd_if_reflection_allowed_A: number;
  optimal_orthogonal_matrix_det_without_guard: number;
}
const pairs = reference('07_rmsd').pairs as Record<string, PairRef>;

function readPair(name: string): [Float64Array, Float64Array] {
  const { reader } = openTrajectory(corpusPath('07_rmsd', name));
  return [reader.readFrame(0).positions, reader.readFrame(1).positions];
}

describe('RMSD on the corpus pairs equals MDAnalysis (QCP) to 1e-6 Å', () => {
  for (const [name, ref] of Object.entries(pairs)) {
    it(name, () => {
      const [a, b] = readPair(name);
      const s = superpose(a, b);
      // Observed |Δ| ≤ 2.3e-13 Å on all five pairs.
      expect(Math.abs(s.rmsd - ref.rmsd_superposed_A_MDAnalysis)).toBeLessThan(1e-6);
      expect(determinant3(s.rotation)).toBeCloseTo(1, 12);
      // Either direction gives the same RMSD.
      expect(Math.abs(superpose(b, a).rmsd - ref.rmsd_superposed_A_MDAnalysis)).toBeLessThan(1e-6);
    });
  }

  it('the mirror image gets the proper-rotation value, not the reflection value', () => {
    const ref = pairs['pair_peptide_public_frame0_vs_mirror.xyz']!;
    expect(ref.optimal_orthogonal_matrix_det_without_guard).toBeLessThan(0);
    const [a, b] = readPair('pair_peptide_public_frame0_vs_mirror.xyz');
    const s = superpose(a, b);
    expect(ref.rmsd_if_reflection_allowed_A).toBeLessThan(1e-9);
    expect(s.rmsd).toBeCloseTo(ref.rmsd_superposed_A_MDAnalysis, 9); // 2.5781306538692 Å
  });
});

// --- property tests -------------------------------------------------------------------

const vec = fc.tuple(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.double({ min: -10, max: 10, noNaN: true }),
);
const points = fc.array(vec, { minLength: 4, maxLength: 40 }).map((ps) => Float64Array.from(ps.flat()));
/** A uniform-ish random rotation from a random quaternion. */
const rotation = fc
  .tuple(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
  )
  .filter(([w, x, y, z]) => Math.hypot(w, x, y, z) > 0.1)
  .map(([w, x, y, z]) => {
    const n = Math.hypot(w, x, y, z);
    return quaternionToMatrix(w / n, x / n, y / n, z / n);
  });

function move(p: Float64Array, r: Float64Array, t: [number, number, number]): Float64Array {
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    for (let c = 0; c < 3; c++)
      out[i + c] = r[3 * c]! * p[i]! + r[3 * c + 1]! * p[i + 1]! + r[3 * c + 2]! * p[i + 2]! + t[c]!;
  }
  return out;
}

function mirror(p: Float64Array): Float64Array {
  return p.map((v, i) => (i % 3 === 0 ? -v : v));
}

describe('Kabsch properties', () => {
  it('a rotated and translated copy superposes to zero', () => {
    fc.assert(
      fc.property(points, rotation, vec, (p, r, t) => {
        const s = superpose(p, move(p, r, t));
        // Near-collinear sets leave the spin about their axis ill-conditioned: the error is
        // then ~ the off-axis extent (1e-9 Å for a 1.3e-9 Å offset), still far below any noise.
        expect(s.rmsd).toBeLessThan(1e-8);
        expect(determinant3(s.rotation)).toBeCloseTo(1, 10);
      }),
    );
  });

  it('RMSD is invariant under rigid motions of either set', () => {
    fc.assert(
      fc.property(points, points, rotation, vec, rotation, vec, (p, q0, r1, t1, r2, t2) => {
        const n = Math.min(p.length, q0.length);
        const a = p.subarray(0, n);
        const b = q0.subarray(0, n);
        const base = superpose(a, b).rmsd;
        expect(superpose(move(a, r1, t1), b).rmsd).toBeCloseTo(base, 8);
        expect(superpose(a, move(b, r2, t2)).rmsd).toBeCloseTo(base, 8);
      }),
    );
  });

  it('is never a reflection: det R = +1, and the RMSD never beats the best proper rotation', () => {
    fc.assert(
      fc.property(points, rotation, vec, (p, r, t) => {
        // The mirror image of a rotated copy: a reflection would fit it exactly.
        const s = superpose(p, mirror(move(p, r, t)));
        expect(determinant3(s.rotation)).toBeCloseTo(1, 10);
        // Best proper rotation by brute force over a coarse grid can only be worse or equal.
        const centred = (x: Float64Array): Float64Array => {
          const c = [0, 1, 2].map((k) => x.filter((_, i) => i % 3 === k).reduce((u, v) => u + v, 0) / (x.length / 3));
          return x.map((v, i) => v - c[i % 3]!);
        };
        const a = centred(p);
        const b = centred(mirror(move(p, r, t)));
        for (let trial = 0; trial < 5; trial++) {
          const q = quaternionToMatrix(Math.cos(trial), Math.sin(trial), 0.3, -0.2 * trial).map(
            (v, _, m) => v / (m[0]! ** 2 + m[3]! ** 2 + m[6]! ** 2) ** 0.5,
          );
          let sum = 0;
          for (let i = 0; i < a.length; i += 3) {
            for (let c = 0; c < 3; c++) {
              const y = q[3 * c]! * b[i]! + q[3 * c + 1]! * b[i + 1]! + q[3 * c + 2]! * b[i + 2]!;
              sum += (y - a[i + c]!) ** 2;
            }
          }
          expect(s.rmsd).toBeLessThanOrEqual(Math.sqrt(sum / (a.length / 3)) + 1e-9);
        }
      }),
    );
  });

  it('weights: integer weights equal repeating the points', () => {
    fc.assert(
      fc.property(
        points,
        points,
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 40 }),
        (p, q0, w) => {
          const n = Math.min(p.length, q0.length) / 3;
          const a = p.subarray(0, 3 * n);
          const b = q0.subarray(0, 3 * n);
          const weights = Float64Array.from(w.slice(0, n));
          const ra: number[] = [];
          const rb: number[] = [];
          for (let i = 0; i < n; i++) {
            for (let k = 0; k < weights[i]!; k++) {
              ra.push(...a.subarray(3 * i, 3 * i + 3));
              rb.push(...b.subarray(3 * i, 3 * i + 3));
            }
          }
          expect(superpose(a, b, weights).rmsd).toBeCloseTo(
            superpose(Float64Array.from(ra), Float64Array.from(rb)).rmsd,
            8,
          );
        },
      ),
    );
  });

  it('Jacobi eigenvectors diagonalise a symmetric matrix', () => {
    const m = Float64Array.of(4, 1, -2, 0.5, 1, 3, 0, 1, -2, 0, 5, 2, 0.5, 1, 2, -1);
    const a = m.slice();
    const values = new Float64Array(4);
    const v = new Float64Array(16);
    jacobiEigen(a, 4, values, v);
    for (let k = 0; k < 4; k++) {
      for (let i = 0; i < 4; i++) {
        let mv = 0;
        for (let j = 0; j < 4; j++) mv += m[4 * i + j]! * v[4 * j + k]!;
        expect(mv).toBeCloseTo(values[k]! * v[4 * i + k]!, 12);
      }
    }
  });
});
