import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { angle, chainMeasurements, dihedral, distance, type Point } from './measure';

describe('measure', () => {
  test('distance', () => {
    expect(distance([0, 0, 0], [3, 4, 0])).toBe(5);
  });

  test('angles: right, straight, the tetrahedral angle, water', () => {
    expect(angle([1, 0, 0], [0, 0, 0], [0, 1, 0])).toBeCloseTo(90, 10);
    expect(angle([1, 0, 0], [0, 0, 0], [-2, 0, 0])).toBeCloseTo(180, 10);
    expect(angle([1, 1, 1], [0, 0, 0], [-1, -1, 1])).toBeCloseTo((Math.acos(-1 / 3) * 180) / Math.PI, 10);
    // TIP3P-like water: O-H 0.9572 Å, H-O-H 104.52 degrees.
    const t = (104.52 * Math.PI) / 180;
    const h2: Point = [0.9572 * Math.cos(t), 0.9572 * Math.sin(t), 0];
    expect(angle([0.9572, 0, 0], [0, 0, 0], h2)).toBeCloseTo(104.52, 8);
    expect(angle([0, 0, 0], [0, 0, 0], [1, 0, 0])).toBeNaN();
  });

  test('dihedrals: cis 0, trans 180, gauche +-60 with the IUPAC sign', () => {
    const b: Point = [0, 0, 0];
    const c: Point = [0, 0, 1.5];
    const a: Point = [1, 0, 0];
    expect(dihedral(a, b, c, [1, 0, 1.5])).toBeCloseTo(0, 10);
    expect(dihedral(a, b, c, [-1, 0, 1.5])).toBeCloseTo(180, 10);
    const g = (60 * Math.PI) / 180;
    // Looking from b to c (along +z, so the xy plane appears mirrored), d at +60 degrees
    // (counterclockwise seen from +z) is clockwise from a: +60.
    expect(dihedral(a, b, c, [Math.cos(g), Math.sin(g), 1.5])).toBeCloseTo(60, 10);
    expect(dihedral(a, b, c, [Math.cos(-g), Math.sin(-g), 1.5])).toBeCloseTo(-60, 10);
    expect(dihedral(a, b, [2, 0, 0], [3, 1, 0])).toBeNaN();
  });

  test('angles and dihedrals do not change under rotation and translation', () => {
    const coord = fc.double({ min: -5, max: 5, noNaN: true });
    const point = fc.tuple(coord, coord, coord);
    fc.assert(
      fc.property(fc.tuple(point, point, point, point), fc.double({ min: 0, max: 6.28, noNaN: true }), (pts, th) => {
        const move = (p: Point): Point => [
          Math.cos(th) * p[0] - Math.sin(th) * p[1] + 1,
          Math.sin(th) * p[0] + Math.cos(th) * p[1] - 2,
          p[2] + 3,
        ];
        const [a, b, c, d] = pts as unknown as Point[];
        const m = [a!, b!, c!, d!].map(move) as Point[];
        const before = dihedral(a!, b!, c!, d!);
        // Skip near-collinear chains, where the dihedral is ill-conditioned.
        const bend = (x: number): boolean => Number.isNaN(x) || x < 1 || x > 179;
        const short = distance(a!, b!) < 0.05 || distance(b!, c!) < 0.05 || distance(c!, d!) < 0.05;
        if (short || Number.isNaN(before) || bend(angle(a!, b!, c!)) || bend(angle(b!, c!, d!))) return;
        const after = dihedral(m[0]!, m[1]!, m[2]!, m[3]!);
        const diff = Math.abs(((after - before + 540) % 360) - 180);
        expect(diff).toBeLessThan(1e-6);
        const ang = angle(a!, b!, c!);
        if (!Number.isNaN(ang)) expect(angle(m[0]!, m[1]!, m[2]!)).toBeCloseTo(ang, 6);
      }),
    );
  });

  test('a chain of four picks gives 3 distances, 2 angles and 1 dihedral', () => {
    const m = chainMeasurements([
      [1, 0, 0],
      [0, 0, 0],
      [0, 0, 1.5],
      [-1, 0, 1.5],
    ]);
    expect(m.map((x) => x.kind)).toEqual(['distance', 'distance', 'distance', 'angle', 'angle', 'dihedral']);
    expect(m[1]!.value).toBe(1.5);
    expect(m[3]!.value).toBeCloseTo(90, 10);
    expect(m[5]!.value).toBeCloseTo(180, 10);
    expect(chainMeasurements([[0, 0, 0]])).toEqual([]);
  });
});
