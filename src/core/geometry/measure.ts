/**
 * Distances, angles and dihedrals between points (Å, degrees), as a viewer's measurements
 * show them. Points are [x, y, z] triples; nothing here knows about cells (measure the
 * positions as drawn, or unwrap first).
 */

export type Point = readonly [number, number, number];

function sub(a: Point, b: Point): [number, number, number] {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function dot(a: Point, b: Point): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function cross(a: Point, b: Point): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Angle a-b-c at b in degrees [0, 180]; NaN when a or c coincides with b. */
export function angle(a: Point, b: Point, c: Point): number {
  const u = sub(a, b);
  const v = sub(c, b);
  // atan2 of |u x v| and u.v: accurate near 0 and 180 degrees, unlike acos.
  const s = Math.hypot(...cross(u, v));
  const d = dot(u, v);
  if (s === 0 && d === 0) return NaN;
  return (Math.atan2(s, d) * 180) / Math.PI;
}

/**
 * Dihedral a-b-c-d in degrees (-180, 180], IUPAC sign convention (positive when, looking from
 * b to c, the bond b-a turns clockwise onto c-d); NaN when three points are collinear.
 */
export function dihedral(a: Point, b: Point, c: Point, d: Point): number {
  const b1 = sub(b, a);
  const b2 = sub(c, b);
  const b3 = sub(d, c);
  const n1 = cross(b1, b2);
  const n2 = cross(b2, b3);
  const len2 = Math.hypot(...b2);
  if (len2 === 0 || Math.hypot(...n1) === 0 || Math.hypot(...n2) === 0) return NaN;
  // atan2(|b2| b1.(b2 x b3), (b1 x b2).(b2 x b3)) (Blondel and Karplus 1996), as MDAnalysis.
  const deg = (Math.atan2(len2 * dot(b1, n2), dot(n1, n2)) * 180) / Math.PI;
  return deg === -180 ? 180 : deg;
}

export interface Measurement {
  kind: 'distance' | 'angle' | 'dihedral';
  /** Indices into the picked list (not atom indices). */
  members: number[];
  /** Å for distances, degrees otherwise. */
  value: number;
}

/**
 * The measurements of a chain of picked points p0, p1, ...: distances between neighbours,
 * angles of consecutive triples, dihedrals of consecutive quadruples.
 */
export function chainMeasurements(points: readonly Point[]): Measurement[] {
  const out: Measurement[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    out.push({ kind: 'distance', members: [k, k + 1], value: distance(points[k]!, points[k + 1]!) });
  }
  for (let k = 0; k + 2 < points.length; k++) {
    out.push({ kind: 'angle', members: [k, k + 1, k + 2], value: angle(points[k]!, points[k + 1]!, points[k + 2]!) });
  }
  for (let k = 0; k + 3 < points.length; k++) {
    out.push({
      kind: 'dihedral',
      members: [k, k + 1, k + 2, k + 3],
      value: dihedral(points[k]!, points[k + 1]!, points[k + 2]!, points[k + 3]!),
    });
  }
  return out;
}
