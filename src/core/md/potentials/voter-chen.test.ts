import { describe, expect, it } from 'vitest';
import { finiteDifferenceError } from '../../../../test/md-helpers.js';
import { Calculator } from '../calculator.js';
import { elasticConstants, equilibriumLatticeConstant } from '../eam-properties.js';
import { cubicCrystal } from '../lattice.js';
import { parseEamFile } from './eam-file.js';
import { EamPotential } from './eam.js';
import { writeSetfl } from './eam-write.js';
import {
  hydrogenicDensity,
  morsePair,
  roseEnergy,
  VOTER_CHEN,
  voterChenElements,
  voterChenSetfl,
} from './voter-chen.js';

describe('Voter–Chen analytic EAM (seed eam-voter-parameters.md)', () => {
  for (const symbol of ['Ni', 'Al'] as const) {
    const el = VOTER_CHEN[symbol];
    const pot = EamPotential.fromFile(voterChenSetfl([el]));

    it(`${symbol}: the fcc crystal has the seed's a0, Ecoh and B by construction`, () => {
      const { a0, energyPerAtom } = equilibriumLatticeConstant(pot, 0, 'fcc', el.a0 * 1.01);
      expect(Math.abs(a0 / el.a0 - 1)).toBeLessThan(1e-8);
      expect(energyPerAtom).toBeCloseTo(-el.Ecoh, 9);
      const c = elasticConstants(pot, 0, a0);
      const B = (c.C11 + 2 * c.C12) / 3;
      expect(Math.abs(B / el.B - 1)).toBeLessThan(1e-4);
      // Cubic stability and a positive Cauchy pressure, as EAM gives metals.
      expect(c.C11 - c.C12).toBeGreaterThan(0);
      expect(c.C44).toBeGreaterThan(0);
      expect(c.C12 - c.C44).toBeGreaterThan(0);
    });

    it(`${symbol}: E(a) of the crystal follows Rose's equation of state`, () => {
      for (const f of [0.85, 0.95, 1.05, 1.2]) {
        const a = el.a0 * f;
        const c = cubicCrystal('fcc', a);
        const e =
          new Calculator(pot).evaluate({
            positions: c.positions,
            cell: c.cell,
            pbc: [true, true, true],
            species: new Int32Array(4),
          }).energy / 4;
        expect(e).toBeCloseTo(roseEnergy(el, a), 6);
      }
    });

    it(`${symbol}: pair and density vanish smoothly at rc; forces are the energy gradient`, () => {
      const phi = morsePair(el);
      const rho = hydrogenicDensity(el.beta, el.rcut);
      const h = 1e-6;
      for (const f of [phi, rho]) {
        expect(Math.abs(f(el.rcut - h))).toBeLessThan(1e-9);
        expect(Math.abs((f(el.rcut - h) - f(el.rcut - 2 * h)) / h)).toBeLessThan(1e-4);
        expect(f(el.rcut + 0.1)).toBe(0);
      }
      const c = cubicCrystal('fcc', el.a0, [2, 2, 2]);
      for (let k = 0; k < c.positions.length; k++) c.positions[k]! += 0.1 * Math.sin(7.1 * k);
      const { error, scale } = finiteDifferenceError(pot, {
        positions: c.positions,
        cell: c.cell,
        pbc: [true, true, true],
        species: new Int32Array(32),
      });
      expect(scale).toBeGreaterThan(0.1);
      expect(error).toBeLessThan(1e-6);
    });
  }

  it('writes a setfl LAMMPS reads, which gives back the same energies', () => {
    const file = voterChenSetfl(voterChenElements(['Ni']), {}, { nr: 2000, nrho: 2000 });
    const back = EamPotential.fromFile(parseEamFile('Ni_voter.eam.alloy', writeSetfl(file)));
    const c = cubicCrystal('fcc', 3.5, [2, 2, 2]);
    for (let k = 0; k < c.positions.length; k++) c.positions[k]! += 0.05 * Math.cos(3.3 * k);
    const system = {
      positions: c.positions,
      cell: c.cell,
      pbc: [true, true, true] as [boolean, boolean, boolean],
      species: new Int32Array(32),
    };
    const e1 = new Calculator(EamPotential.fromFile(file)).evaluate(system).energy;
    const e2 = new Calculator(back).evaluate(system).energy;
    expect(Math.abs(e2 - e1)).toBeLessThan(1e-12 * Math.abs(e1));
  });

  it('alloys need the fitted cross pair; unknown elements are refused', () => {
    expect(() => voterChenSetfl(voterChenElements(['Ni', 'Al']))).toThrow(
      /Al-Ni: the cross pair needs its Morse parameters/,
    );
    expect(() => voterChenElements(['Cu'])).toThrow(/not Cu/);
    const alloy = voterChenSetfl(
      voterChenElements(['Ni', 'Al']),
      { 'Ni-Al': { D: 3.0, R: 2.0, alpha: 1.6, rcut: 5.0 } },
      { nr: 500, nrho: 500 },
    );
    expect(alloy.z2r).toHaveLength(3);
    expect(alloy.cut).toBe(5.555);
  });
});
