import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import {
  finiteDifferenceError,
  lammpsReference,
  maxDiff,
  mdFixture,
  readForcesDump,
  readStructure,
  systemOf,
} from '../../../../test/md-helpers.js';
import { cellVolume } from '../../model/cell.js';
import { Calculator } from '../calculator.js';
import { EV_PER_A3_IN_GPA, GPA_IN_BAR } from '../units.js';
import { parseEamFile, type FuncflFile } from './eam-file.js';
import { embeddingEnergy, funcflTables, radialValue } from './eam-tables.js';
import { EamPotential } from './eam.js';

function potential(file: string): EamPotential {
  return EamPotential.fromFile(parseEamFile(file, readFileSync(file, 'utf8')));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('EAM energies and forces equal LAMMPS (corpus, 02_eam)', () => {
  const ref = reference('02_eam');
  for (const [sys, meta] of Object.entries<Json>(ref.systems)) {
    const pot = potential(corpusPath('02_eam', meta.potential_file));
    for (const [name, s] of Object.entries<Json>(meta.structures)) {
      it(`${sys}: ${name} (${s.natoms} atoms)`, () => {
        const st = readStructure(corpusPath('02_eam', s.data_file));
        const r = new Calculator(pot).evaluate(systemOf(st));
        const lmp = readForcesDump(corpusPath('02_eam', s.forces_dump));
        // MANIFEST tolerance is 1e-6 relative; the tables are LAMMPS's, so agreement is to round-off.
        expect(Math.abs(r.energy / s.total_energy_eV - 1)).toBeLessThan(1e-12);
        expect(maxDiff(r.perAtom, lmp.perAtom)).toBeLessThan(1e-10);
        expect(maxDiff(Array.from(r.forces), lmp.forces.flat())).toBeLessThan(1e-10);
        expect(r.perAtom[0]).toBeCloseTo(s.atom1_pe_eV, 10);
      });
    }
  }
});

describe('EAM equals LAMMPS on a triclinic Cu/Ni configuration (test/fixtures/md)', () => {
  const ref = lammpsReference().energies;
  const st = readStructure(mdFixture('alloy_tri.data'));
  const volume = cellVolume(st.cell!);
  const cases: { key: string; make: () => EamPotential; typeToSpecies: (t: number) => number }[] = [
    {
      key: 'alloy_tri/synth_CuNi.eam.alloy',
      make: () => potential(mdFixture('synth_CuNi.eam.alloy')),
      typeToSpecies: (t) => t - 1,
    },
    {
      key: 'alloy_tri/synth_CuNi.eam.fs',
      make: () => potential(mdFixture('synth_CuNi.eam.fs')),
      typeToSpecies: (t) => t - 1,
    },
    // pair_coeff * * file Ni Cu: type 1 is Ni (species 1), type 2 is Cu (species 0).
    {
      key: 'alloy_tri/synth_CuNi.eam.fs:NiCu',
      make: () => potential(mdFixture('synth_CuNi.eam.fs')),
      typeToSpecies: (t) => 2 - t,
    },
    {
      key: 'alloy_tri/Cu_u3.eam+Ni_u3.eam',
      make: () => {
        const read = (p: string): FuncflFile => parseEamFile(p, readFileSync(p, 'utf8')) as FuncflFile;
        return new EamPotential(funcflTables([read(corpusPath('02_eam', 'Cu_u3.eam')), read(mdFixture('Ni_u3.eam'))]));
      },
      typeToSpecies: (t) => t - 1,
    },
    {
      key: 'alloy_tri/Cu_mishin1.eam.alloy',
      make: () => potential(corpusPath('02_eam', 'Cu_mishin1.eam.alloy')),
      typeToSpecies: () => 0,
    },
  ];
  for (const c of cases) {
    it(c.key, () => {
      const want = ref[c.key]!;
      const r = new Calculator(c.make()).evaluate(systemOf(st, c.typeToSpecies));
      expect(Math.abs(r.energy / want.energy_eV - 1)).toBeLessThan(1e-12);
      expect(maxDiff(r.perAtom, want.per_atom_eV)).toBeLessThan(1e-10);
      expect(maxDiff(Array.from(r.forces), want.forces_eV_A.flat())).toBeLessThan(1e-10);
      // Virial pressure tensor; LAMMPS's metal nktv2p (1.6021765e6) differs from CODATA by 1e-7.
      const p = Array.from(r.virial, (w) => (w / volume) * EV_PER_A3_IN_GPA * GPA_IN_BAR);
      for (let k = 0; k < 6; k++)
        expect(Math.abs(p[k]! - want.pressure_bar[k]!)).toBeLessThan(1e-6 * Math.abs(want.pressure_bar[0]!));
    });
  }
});

describe('EAM forces are the gradient of the energy (central differences, h = 1e-5 Å)', () => {
  const st = readStructure(mdFixture('alloy_tri.data'));
  const cases: [string, () => EamPotential, (t: number) => number][] = [
    ['funcfl Cu_u3', () => potential(corpusPath('02_eam', 'Cu_u3.eam')), () => 0],
    ['setfl Cu_mishin1', () => potential(corpusPath('02_eam', 'Cu_mishin1.eam.alloy')), () => 0],
    ['setfl two elements', () => potential(mdFixture('synth_CuNi.eam.alloy')), (t) => t - 1],
    ['Finnis–Sinclair two elements', () => potential(mdFixture('synth_CuNi.eam.fs')), (t) => t - 1],
  ];
  for (const [name, make, map] of cases) {
    it(name, () => {
      const { error, scale } = finiteDifferenceError(make(), systemOf(st, map), 16);
      expect(scale).toBeGreaterThan(0.1);
      // Measured ~5e-8 eV/Å: round-off of E / h plus the spline's O(h²) term.
      expect(error).toBeLessThan(2e-7);
    });
  }
});

describe('EAM file problems', () => {
  it('past the density table, F continues linearly (energy still conserved)', () => {
    const pot = potential(corpusPath('02_eam', 'Cu_u3.eam'));
    // Two atoms squeezed to 0.9 Å in a tiny box: density far past rhomax.
    const system = {
      positions: Float64Array.of(0, 0, 0, 0.9, 0, 0),
      cell: Float64Array.of(2.2, 0, 0, 0, 2.2, 0, 0, 0, 2.2),
      pbc: [true, true, true] as [boolean, boolean, boolean],
      species: new Int32Array(2),
    };
    new Calculator(pot).evaluate(system);
    expect(pot.densities[0]).toBeGreaterThan(1.5 * pot.tables.rhomax);
    const { error } = finiteDifferenceError(pot, system, 2);
    expect(error).toBeLessThan(2e-6);
  });

  it('the curve helpers (for plots) give what the kernel uses: a dimer is phi(r) + 2 F(rho(r))', () => {
    const pot = potential(corpusPath('02_eam', 'Cu_mishin1.eam.alloy'));
    const t = pot.tables;
    const r = 2.3;
    const dimer = {
      positions: Float64Array.of(0, 0, 0, r, 0, 0),
      cell: null,
      pbc: [false, false, false] as [boolean, boolean, boolean],
      species: new Int32Array(2),
    };
    const e = new Calculator(pot).evaluate(dimer).energy;
    const phi = radialValue(t.z2rSpline[0]!, t, r).v / r;
    const rho = radialValue(t.rhorSpline[0]!, t, r).v;
    expect(e).toBeCloseTo(phi + 2 * embeddingEnergy(t, 0, rho).F, 12);
    expect(pot.isolatedAtomEnergy(0)).toBe(embeddingEnergy(t, 0, 0).F);
  });
});
