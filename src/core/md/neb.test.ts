import { describe, expect, it } from 'vitest';
import { neb, type EnergyGradient } from './neb.js';
import { MB_STATIONARY, mullerBrown } from './potentials/muller-brown.js';
import { descend } from './presets/muller-brown.js';

const mb: EnergyGradient = (x, g) => {
  const v = mullerBrown(x[0]!, x[1]!);
  g[0] = v.gx;
  g[1] = v.gy;
  return v.energy;
};

const seed = (name: string): (typeof MB_STATIONARY)[number] => MB_STATIONARY.find((p) => p.name === name)!;

describe('climbing-image NEB on Müller–Brown', () => {
  const MA = descend(-0.5, 1.5);
  const MB = descend(0.6, 0.0);
  const MC = descend(0.0, 0.5);

  it("finds the minima of the seed's table by descent (0.01 in x, y; 0.1 in energy)", () => {
    for (const [p, name] of [
      [MA, 'MA'],
      [MB, 'MB'],
      [MC, 'MC'],
    ] as const) {
      const s = seed(name);
      expect(Math.abs(p[0]! - s.x)).toBeLessThan(0.01);
      expect(Math.abs(p[1]! - s.y)).toBeLessThan(0.01);
      expect(Math.abs(mullerBrown(p[0]!, p[1]!).energy - s.energy)).toBeLessThan(0.1);
    }
  });

  for (const [from, to, name] of [
    ['MA', 'MC', 'S1'],
    ['MC', 'MB', 'S2'],
  ] as const) {
    it(`climbs to ${name} between ${from} and ${to} (the seed's saddle to 0.01 in x, y and 0.1 in energy)`, () => {
      const ends = { MA, MB, MC };
      const r = neb(mb, ends[from], ends[to], {
        images: 11,
        spring: 10,
        fmax: 1e-4,
        dt: 0.001,
        dtMax: 0.01,
        maxStep: 0.02,
      });
      expect(r.converged).toBe(true);
      expect(r.climbing).toBeGreaterThan(0);
      const c = r.path[r.climbing]!;
      const s = seed(name);
      expect(Math.abs(c[0]! - s.x)).toBeLessThan(0.01);
      expect(Math.abs(c[1]! - s.y)).toBeLessThan(0.01);
      expect(Math.abs(r.energies[r.climbing]! - s.energy)).toBeLessThan(0.1);
      // The climbing image sits on the saddle: the gradient vanishes there.
      const v = mullerBrown(c[0]!, c[1]!);
      expect(Math.hypot(v.gx, v.gy)).toBeLessThan(1e-3);
      // The band runs downhill from the saddle to both ends.
      expect(Math.max(...r.energies)).toBe(r.energies[r.climbing]);
      expect(r.arc[r.arc.length - 1]).toBeGreaterThan(
        Math.hypot(ends[to][0]! - ends[from][0]!, ends[to][1]! - ends[from][1]!),
      );
    });
  }

  it('finds S1 as the barrier of the straight MA -> MB band (the curved path through MC), unlike the straight line', () => {
    const r = neb(mb, MA, MB, { images: 15, spring: 10, fmax: 1e-4, dt: 0.001, dtMax: 0.01, maxStep: 0.02 });
    const c = r.path[r.climbing]!;
    expect(Math.abs(c[0]! - seed('S1').x)).toBeLessThan(0.01);
    expect(Math.abs(c[1]! - seed('S1').y)).toBeLessThan(0.01);
    // The straight line climbs far higher (about +13 at its top, per the seed).
    let top = -Infinity;
    for (let t = 0; t <= 1; t += 0.001)
      top = Math.max(top, mullerBrown(MA[0]! + t * (MB[0]! - MA[0]!), MA[1]! + t * (MB[1]! - MA[1]!)).energy);
    expect(top).toBeGreaterThan(0);
    expect(top - r.energies[r.climbing]!).toBeGreaterThan(45);
  });

  it('without climbing, no image sits on the saddle exactly', () => {
    const r = neb(mb, MA, MC, {
      images: 7,
      spring: 10,
      fmax: 1e-3,
      climb: false,
      dt: 0.001,
      dtMax: 0.01,
      maxStep: 0.02,
    });
    expect(r.climbing).toBe(-1);
    expect(r.converged).toBe(true);
    expect(Math.max(...r.energies)).toBeLessThan(seed('S1').energy + 0.01);
  });
});
