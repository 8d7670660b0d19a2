/**
 * Optimal superposition of one point set onto another (Kabsch 1976/1978): the proper rotation
 * R (det R = +1) and translation minimising Σ w_i |R (b_i - b̄) - (a_i - ā)|².
 *
 * Solved in the quaternion form (Horn 1987; Theobald's QCP, which MDAnalysis uses, solves
 * the same 4×4 eigenproblem): the rotation is the unit quaternion of the largest eigenvalue
 * of a symmetric 4×4 matrix built from the covariance. A unit quaternion is always a proper
 * rotation, so the det = +1 guard of the SVD form (flip the last singular vector when
 * det(V Uᵀ) < 0) is built in: a mirror image gets the best proper rotation, never the
 * reflection. The eigenproblem is solved by cyclic Jacobi rotations, accurate to rounding
 * for any spectrum (degenerate ones included, where the SVD form needs care).
 *
 * The RMSD is measured by applying R to the points, not from the eigenvalue, so values
 * near zero keep their digits.
 */

export interface Superposition {
  /** Row-major 3×3 rotation taking centred mobile points onto centred reference points. */
  rotation: Float64Array;
  /** Weighted RMSD after superposition (Å). */
  rmsd: number;
}

/** Weighted centroid of the listed points (all when `atoms` is null) into out[0..2]. */
export function centroid(
  coords: Float64Array,
  atoms: Int32Array | null,
  weights: Float64Array | null,
  out = new Float64Array(3),
): Float64Array {
  const n = atoms ? atoms.length : coords.length / 3;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  let sw = 0;
  for (let q = 0; q < n; q++) {
    const a = atoms ? atoms[q]! : q;
    const w = weights ? weights[q]! : 1;
    sx += w * coords[3 * a]!;
    sy += w * coords[3 * a + 1]!;
    sz += w * coords[3 * a + 2]!;
    sw += w;
  }
  out[0] = sx / sw;
  out[1] = sy / sw;
  out[2] = sz / sw;
  return out;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, destroyed) by cyclic Jacobi:
 * eigenvalues into `values`, eigenvectors as the columns of `vectors`.
 */
export function jacobiEigen(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void {
  vectors.fill(0);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      scale += a[i * n + i]! * a[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    }
    if (off === 0 || off <= 1e-32 * scale) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // Rotation angle that zeroes a[p][q] (Numerical Recipes' stable form).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vectors[k * n + p]!;
          const vkq = vectors[k * n + q]!;
          vectors[k * n + p] = c * vkp - s * vkq;
          vectors[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
}

/** Row-major rotation matrix of the unit quaternion (w, x, y, z). */
export function quaternionToMatrix(
  w: number,
  x: number,
  y: number,
  z: number,
  out = new Float64Array(9),
): Float64Array {
  out[0] = w * w + x * x - y * y - z * z;
  out[1] = 2 * (x * y - w * z);
  out[2] = 2 * (x * z + w * y);
  out[3] = 2 * (x * y + w * z);
  out[4] = w * w - x * x + y * y - z * z;
  out[5] = 2 * (y * z - w * x);
  out[6] = 2 * (x * z - w * y);
  out[7] = 2 * (y * z + w * x);
  out[8] = w * w - x * x - y * y + z * z;
  return out;
}

export function determinant3(m: Float64Array): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

/**
 * Reusable solver: scratch arrays allocated once, so superposing frame after frame allocates
 * nothing.
 */
export class Superposer {
  private readonly k = new Float64Array(16);
  private readonly values = new Float64Array(4);
  private readonly vectors = new Float64Array(16);
  readonly rotation = new Float64Array(9);

  /**
   * Rotation taking `mobile` onto `reference`, both already centred, n points each
   * (3n coordinates, same order), optional weights. Returns the rotation (this.rotation).
   */
  rotationFor(reference: Float64Array, mobile: Float64Array, n: number, weights: Float64Array | null): Float64Array {
    // Covariance S_xy = Σ w b_x a_y (b mobile, a reference).
    let sxx = 0,
      sxy = 0,
      sxz = 0,
      syx = 0,
      syy = 0,
      syz = 0,
      szx = 0,
      szy = 0,
      szz = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      const bx = w * mobile[3 * i]!;
      const by = w * mobile[3 * i + 1]!;
      const bz = w * mobile[3 * i + 2]!;
      const ax = reference[3 * i]!;
      const ay = reference[3 * i + 1]!;
      const az = reference[3 * i + 2]!;
      sxx += bx * ax;
      sxy += bx * ay;
      sxz += bx * az;
      syx += by * ax;
      syy += by * ay;
      syz += by * az;
      szx += bz * ax;
      szy += bz * ay;
      szz += bz * az;
    }
    const k = this.k;
    k[0] = sxx + syy + szz;
    k[1] = k[4] = syz - szy;
    k[2] = k[8] = szx - sxz;
    k[3] = k[12] = sxy - syx;
    k[5] = sxx - syy - szz;
    k[6] = k[9] = sxy + syx;
    k[7] = k[13] = szx + sxz;
    k[10] = -sxx + syy - szz;
    k[11] = k[14] = syz + szy;
    k[15] = -sxx - syy + szz;
    jacobiEigen(k, 4, this.values, this.vectors);
    let best = 0;
    for (let i = 1; i < 4; i++) if (this.values[i]! > this.values[best]!) best = i;
    const v = this.vectors;
    let w = v[best]!;
    let x = v[4 + best]!;
    let y = v[8 + best]!;
    let z = v[12 + best]!;
    const norm = Math.hypot(w, x, y, z);
    w /= norm;
    x /= norm;
    y /= norm;
    z /= norm;
    return quaternionToMatrix(w, x, y, z, this.rotation);
  }
}

/** Weighted RMSD between R·mobile and reference (both centred, 3n coordinates). */
export function rotatedRmsd(
  reference: Float64Array,
  mobile: Float64Array,
  n: number,
  rotation: Float64Array,
  weights: Float64Array | null,
): number {
  const r = rotation;
  let sum = 0;
  let sw = 0;
  for (let i = 0; i < n; i++) {
    const bx = mobile[3 * i]!;
    const by = mobile[3 * i + 1]!;
    const bz = mobile[3 * i + 2]!;
    const dx = r[0]! * bx + r[1]! * by + r[2]! * bz - reference[3 * i]!;
    const dy = r[3]! * bx + r[4]! * by + r[5]! * bz - reference[3 * i + 1]!;
    const dz = r[6]! * bx + r[7]! * by + r[8]! * bz - reference[3 * i + 2]!;
    const w = weights ? weights[i]! : 1;
    sum += w * (dx * dx + dy * dy + dz * dz);
    sw += w;
  }
  return Math.sqrt(sum / sw);
}

/**
 * Superposes `mobile` onto `reference` (3n coordinates each, any placement): centres both on
 * their weighted centroids, finds the optimal proper rotation, returns it with the RMSD.
 */
export function superpose(
  reference: Float64Array,
  mobile: Float64Array,
  weights: Float64Array | null = null,
): Superposition {
  const n = reference.length / 3;
  if (mobile.length !== reference.length) throw new Error(`superpose: ${mobile.length / 3} vs ${n} points`);
  const ca = centroid(reference, null, weights);
  const cb = centroid(mobile, null, weights);
  const a = new Float64Array(3 * n);
  const b = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 3; d++) {
      a[3 * i + d] = reference[3 * i + d]! - ca[d]!;
      b[3 * i + d] = mobile[3 * i + d]! - cb[d]!;
    }
  }
  const solver = new Superposer();
  const rotation = Float64Array.from(solver.rotationFor(a, b, n, weights));
  return { rotation, rmsd: rotatedRmsd(a, b, n, rotation, weights) };
}
