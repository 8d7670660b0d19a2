/** Cell helpers. A cell is three row vectors a, b, c (Å) in a Float64Array(9). */

const DEG = Math.PI / 180;

/** Cell from lengths (Å) and angles (degrees), a along x, b in the xy plane (the PDB/CIF convention). */
export function cellFromParameters(
  a: number,
  b: number,
  c: number,
  alpha: number,
  beta: number,
  gamma: number,
): Float64Array {
  const cosA = Math.cos(alpha * DEG);
  const cosB = Math.cos(beta * DEG);
  // Exact zeros for right angles so orthorhombic cells stay exactly orthorhombic.
  const cosG = gamma === 90 ? 0 : Math.cos(gamma * DEG);
  const sinG = gamma === 90 ? 1 : Math.sin(gamma * DEG);
  const cx = c * (alpha === 90 && beta === 90 ? 0 : cosB);
  const cy = alpha === 90 && beta === 90 && gamma === 90 ? 0 : (c * (cosA - cosB * cosG)) / sinG;
  const cz = Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy));
  return Float64Array.of(a, 0, 0, b * cosG, b * sinG, 0, cx, cy, cz);
}

/** Lengths (Å) and angles (degrees) of a cell: [a, b, c, alpha, beta, gamma]. */
export function cellParameters(cell: Float64Array): [number, number, number, number, number, number] {
  const len = (i: number): number => Math.hypot(cell[3 * i]!, cell[3 * i + 1]!, cell[3 * i + 2]!);
  const dot = (i: number, j: number): number =>
    cell[3 * i]! * cell[3 * j]! + cell[3 * i + 1]! * cell[3 * j + 1]! + cell[3 * i + 2]! * cell[3 * j + 2]!;
  const a = len(0);
  const b = len(1);
  const c = len(2);
  const ang = (i: number, j: number, li: number, lj: number): number =>
    Math.acos(Math.max(-1, Math.min(1, dot(i, j) / (li * lj)))) / DEG;
  return [a, b, c, ang(1, 2, b, c), ang(0, 2, a, c), ang(0, 1, a, b)];
}

export function cellVolume(cell: Float64Array): number {
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = cell as unknown as number[];
  return Math.abs(ax! * (by! * cz! - bz! * cy!) - ay! * (bx! * cz! - bz! * cx!) + az! * (bx! * cy! - by! * cx!));
}

/** Inverse of the 3x3 row-major matrix; fractional = cartesian · inverse(cell). */
export function invert3(m: Float64Array): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = m as unknown as number[];
  const A = e! * i! - f! * h!;
  const B = -(d! * i! - f! * g!);
  const C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  if (det === 0) throw new Error('singular cell');
  return Float64Array.of(
    A / det,
    -(b! * i! - c! * h!) / det,
    (b! * f! - c! * e!) / det,
    B / det,
    (a! * i! - c! * g!) / det,
    -(a! * f! - c! * d!) / det,
    C / det,
    -(a! * h! - b! * g!) / det,
    (a! * e! - b! * d!) / det,
  );
}

/** Cartesian positions from fractional ones (in place into `out`). */
export function fractionalToCartesian(
  frac: Float64Array,
  cell: Float64Array,
  out = new Float64Array(frac.length),
): Float64Array {
  for (let k = 0; k < frac.length; k += 3) {
    const u = frac[k]!;
    const v = frac[k + 1]!;
    const w = frac[k + 2]!;
    out[k] = u * cell[0]! + v * cell[3]! + w * cell[6]!;
    out[k + 1] = u * cell[1]! + v * cell[4]! + w * cell[7]!;
    out[k + 2] = u * cell[2]! + v * cell[5]! + w * cell[8]!;
  }
  return out;
}

/** Cell as nested rows, for JSON output. */
export function cellRows(cell: Float64Array | null): number[][] | null {
  if (!cell) return null;
  return [
    [cell[0]!, cell[1]!, cell[2]!],
    [cell[3]!, cell[4]!, cell[5]!],
    [cell[6]!, cell[7]!, cell[8]!],
  ];
}
