import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import {
  eigenvalues2,
  MB_STATIONARY,
  mullerBrown,
  mullerBrownEnergy,
  mullerBrownHessian,
  MullerBrownField,
} from './muller-brown.js';

describe('Müller–Brown surface', () => {
  it('has analytic gradients and Hessians equal to central differences', () => {
    const rng = new Random(1);
    const h = 1e-6;
    for (let t = 0; t < 200; t++) {
      const x = -1.5 + 2.7 * rng.uniform();
      const y = -0.5 + 2.5 * rng.uniform();
      const v = mullerBrown(x, y);
      expect(v.energy).toBe(mullerBrownEnergy(x, y));
      const gx = (mullerBrownEnergy(x + h, y) - mullerBrownEnergy(x - h, y)) / (2 * h);
      const gy = (mullerBrownEnergy(x, y + h) - mullerBrownEnergy(x, y - h)) / (2 * h);
      const scale = Math.max(1, Math.hypot(v.gx, v.gy));
      expect(Math.abs(v.gx - gx) / scale).toBeLessThan(1e-6);
      expect(Math.abs(v.gy - gy) / scale).toBeLessThan(1e-6);
      const [hxx, hxy, hyy] = mullerBrownHessian(x, y);
      const dgx = (mullerBrown(x + h, y).gx - mullerBrown(x - h, y).gx) / (2 * h);
      const dgxy = (mullerBrown(x, y + h).gx - mullerBrown(x, y - h).gx) / (2 * h);
      const dgy = (mullerBrown(x, y + h).gy - mullerBrown(x, y - h).gy) / (2 * h);
      const hs = Math.max(1, Math.abs(hxx) + Math.abs(hyy));
      expect(Math.abs(hxx - dgx) / hs).toBeLessThan(1e-6);
      expect(Math.abs(hxy - dgxy) / hs).toBeLessThan(1e-6);
      expect(Math.abs(hyy - dgy) / hs).toBeLessThan(1e-6);
    }
  });

  it("is stationary near the seed's points with the seed's energies, and of the right kind", () => {
    for (const p of MB_STATIONARY) {
      expect(mullerBrownEnergy(p.x, p.y)).toBeCloseTo(p.energy, 0);
      const ev = eigenvalues2(mullerBrownHessian(p.x, p.y));
      if (p.kind === 'minimum') expect(ev[0]).toBeGreaterThan(0);
      else expect(ev[0] * ev[1]).toBeLessThan(0);
    }
  });

  it('acts on every atom as a field on (x, y): forces = -gradient, energy = sum', () => {
    const field = new MullerBrownField();
    const positions = Float64Array.of(-0.5, 1.4, 3, 0.6, 0.0, -2);
    const r = field.evaluate({ positions, cell: null, pbc: [false, false, false], species: new Int32Array(2) });
    const a = mullerBrown(-0.5, 1.4);
    const b = mullerBrown(0.6, 0);
    expect(r.energy).toBeCloseTo(a.energy + b.energy, 12);
    expect(Array.from(r.forces)).toEqual([-a.gx, -a.gy, 0, -b.gx, -b.gy, 0]);
    expect(Array.from(r.perAtom)).toEqual([a.energy, b.energy]);
  });

  it('grows without bound away from the wells (the Boltzmann distribution is normalisable)', () => {
    for (const [x, y] of [
      [3, 3],
      [-4, 1],
      [2, -3],
      [-3, -3],
    ] as const) {
      expect(mullerBrownEnergy(x, y)).toBeGreaterThan(1e3);
    }
  });
});
