import { describe, expect, it } from 'vitest';
import {
  finiteDifferenceError,
  lammpsReference,
  maxDiff,
  mdFixture,
  readStructure,
  systemOf,
} from '../../../../test/md-helpers.js';
import { cellVolume } from '../../model/cell.js';
import { Calculator } from '../calculator.js';
import { EV_PER_A3_IN_GPA, GPA_IN_BAR } from '../units.js';
import { LennardJones, mixLj } from './lj.js';
import { ljFromSpec, LjSpecError } from './lj-spec.js';

// LAMMPS: pair_style lj/cut 8.5; pair_coeff 1 1 0.0103408 3.4; pair_coeff 2 2 0.0140 3.6 7.5;
// 1-2 mixed geometrically (LAMMPS's default), also the cutoff: sqrt(8.5 * 7.5).
const SPEC = 'lj:1-1:eps=0.0103408,sigma=3.4,rc=8.5;2-2:eps=0.0140,sigma=3.6,rc=7.5';

describe('Lennard-Jones equals LAMMPS lj/cut (two types, triclinic, test/fixtures/md)', () => {
  const ref = lammpsReference().energies;
  const st = readStructure(mdFixture('lj_tri.data'));
  const system = systemOf(st);
  const volume = cellVolume(st.cell!);
  for (const [key, spec] of [
    ['lj_tri/lj', SPEC],
    ['lj_tri/lj-shift', SPEC + ';shift=yes'],
  ] as const) {
    it(key, () => {
      const want = ref[key]!;
      const pot = ljFromSpec(spec, ['1', '2']);
      const r = new Calculator(pot).evaluate(system);
      expect(Math.abs(r.energy / want.energy_eV - 1)).toBeLessThan(1e-12);
      expect(maxDiff(r.perAtom, want.per_atom_eV)).toBeLessThan(1e-13);
      expect(maxDiff(Array.from(r.forces), want.forces_eV_A.flat())).toBeLessThan(1e-12);
      const p = Array.from(r.virial, (w) => (w / volume) * EV_PER_A3_IN_GPA * GPA_IN_BAR);
      expect(maxDiff(p, want.pressure_bar)).toBeLessThan(1e-6 * Math.abs(want.pressure_bar[0]!));
    });
  }

  it('forces are the gradient of the energy (central differences)', () => {
    const { error, scale } = finiteDifferenceError(ljFromSpec(SPEC, ['1', '2']), systemOf(st), 20);
    expect(scale).toBeGreaterThan(0.01);
    expect(error).toBeLessThan(1e-8);
  });

  it('shifting changes energies by the pair offsets only', () => {
    const plain = LennardJones.single({ epsilon: 1, sigma: 1, cutoff: 2.5 });
    const shifted = LennardJones.single({ epsilon: 1, sigma: 1, cutoff: 2.5 }, true);
    const dimer = {
      positions: Float64Array.of(0, 0, 0, 1.5, 0, 0),
      cell: null,
      pbc: [false, false, false] as [boolean, boolean, boolean],
      species: new Int32Array(2),
    };
    const e0 = new Calculator(plain).evaluate(dimer).energy;
    const e1 = new Calculator(shifted).evaluate(dimer).energy;
    const offset = 4 * (Math.pow(2.5, -12) - Math.pow(2.5, -6));
    expect(e0).toBeCloseTo(4 * (Math.pow(1.5, -12) - Math.pow(1.5, -6)), 14);
    expect(e1 - e0).toBeCloseTo(-offset, 14);
    // At the minimum 2^(1/6) σ the force vanishes and E = -ε.
    dimer.positions[3] = Math.pow(2, 1 / 6);
    const r = new Calculator(plain).evaluate(dimer);
    expect(r.energy).toBeCloseTo(-1, 14);
    expect(Math.abs(r.forces[0]!)).toBeLessThan(1e-13);
  });

  it('mixing rules and spec errors', () => {
    expect(mixLj({ epsilon: 1, sigma: 2, cutoff: 4 }, { epsilon: 4, sigma: 8, cutoff: 9 })).toEqual({
      epsilon: 2,
      sigma: 4,
      cutoff: 6,
    });
    expect(mixLj({ epsilon: 1, sigma: 2, cutoff: 4 }, { epsilon: 4, sigma: 8, cutoff: 8 }, 'arithmetic')).toEqual({
      epsilon: 2,
      sigma: 5,
      cutoff: 6,
    });
    expect(() => ljFromSpec('lj:eps=1,sigma=1', ['Ar'])).toThrow(LjSpecError);
    expect(() => ljFromSpec('lj:eps=1,sigma=x,rc=3', ['Ar'])).toThrow(/sigma 'x' is not a number/);
    expect(() => ljFromSpec('lj:eps=1,sigma=1,rc=3,foo=2', ['Ar'])).toThrow(/unknown parameter 'foo=2'/);
    expect(ljFromSpec('lj:epsilon=1,sigma=1,cutoff=3', ['Ar']).cutoff).toBe(3);
  });
});
