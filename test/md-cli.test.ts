// `atomscope energy` and `atomscope eam-props`: JSON shapes the conformance script and other
// tools depend on, LAMMPS's numbers, and exit 2 with a message naming the file on bad input.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from './corpus';
import { lammpsReference, maxDiff, mdFixture } from './md-helpers';

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/atomscope.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function json(...args: string[]): Record<string, unknown> {
  const r = cli(...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

const eam = reference('02_eam');

describe('atomscope energy', () => {
  it('gives energy_eV, per_atom_eV and forces_eV_A equal to LAMMPS (funcfl)', () => {
    const s = eam.systems.Cu_u3.structures.Cu_u3_thermal_disp;
    const d = json(
      'energy',
      corpusPath('02_eam', s.data_file),
      '--potential',
      corpusPath('02_eam', 'Cu_u3.eam'),
      '--elements',
      'Cu',
      '--json',
    );
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['energy_eV', 'per_atom_eV', 'forces_eV_A']));
    expect(Math.abs((d['energy_eV'] as number) / s.total_energy_eV - 1)).toBeLessThan(1e-12);
    const f = d['forces_eV_A'] as number[][];
    expect(f).toHaveLength(256);
    expect(f[0]).toHaveLength(3);
    expect(maxDiff(f[0]!, s.atom1_force)).toBeLessThan(1e-10);
    expect((d['per_atom_eV'] as number[])[0]).toBeCloseTo(s.atom1_pe_eV, 10);
  });

  it('maps LAMMPS types to elements with --elements (setfl, Finnis–Sinclair, two elements)', () => {
    const ref = lammpsReference().energies;
    const cases: [string, string, string][] = [
      ['synth_CuNi.eam.alloy', 'Cu,Ni', 'alloy_tri/synth_CuNi.eam.alloy'],
      ['synth_CuNi.eam.fs', 'Ni,Cu', 'alloy_tri/synth_CuNi.eam.fs:NiCu'],
    ];
    for (const [pot, els, key] of cases) {
      const d = json('energy', mdFixture('alloy_tri.data'), '--potential', mdFixture(pot), '--elements', els, '--json');
      expect(Math.abs((d['energy_eV'] as number) / ref[key]!.energy_eV - 1)).toBeLessThan(1e-12);
      expect(maxDiff(d['forces_eV_A'] as number[][], ref[key]!.forces_eV_A)).toBeLessThan(1e-10);
      expect(maxDiff(d['pressure_bar'] as number[], ref[key]!.pressure_bar)).toBeLessThan(1);
    }
  });

  it('takes a Lennard-Jones spec with pairs named by type', () => {
    const want = lammpsReference().energies['lj_tri/lj-shift']!;
    const spec = 'lj:1-1:eps=0.0103408,sigma=3.4,rc=8.5;2-2:eps=0.0140,sigma=3.6,rc=7.5;shift=yes';
    const d = json('energy', mdFixture('lj_tri.data'), '--potential', spec, '--json');
    expect(Math.abs((d['energy_eV'] as number) / want.energy_eV - 1)).toBeLessThan(1e-12);
    expect(maxDiff(d['per_atom_eV'] as number[], want.per_atom_eV)).toBeLessThan(1e-13);
  });

  it('exits 2 with a message naming the file for a truncated potential, a missing element, a bad spec', () => {
    const data = corpusPath('02_eam', 'Cu_mishin1_perfect.data');
    const bad = corpusPath('bad', 'Cu_mishin1_cut.eam.alloy');
    let r = cli('energy', data, '--potential', bad, '--elements', 'Cu', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain(bad);
    expect(r.err).toMatch(/premature end of file in element 1 \(Cu\) density rho\(r\): read 7981 of 10001 values/);
    expect(r.err).not.toMatch(/\n\s+at /);
    r = cli('energy', data, '--potential', corpusPath('02_eam', 'Cu_u3.eam'), '--elements', 'Ni');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Cu_u3\.eam: the potential has no element Ni/);
    r = cli('energy', data, '--potential', 'lj:eps=1,sigma=1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs epsilon, sigma and cutoff/);
    r = cli('energy', data, '--potential', '/nonexistent/Cu.eam');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\/nonexistent\/Cu\.eam: no such file/);
  });
});

describe('atomscope eam-props', () => {
  it('prints the documented keys, LAMMPS figures well within 0.5 %', () => {
    const meta = eam.systems.Cu_mishin1;
    const d = json('eam-props', corpusPath('02_eam', 'Cu_mishin1.eam.alloy'), '--element', 'Cu', '--json');
    for (const k of [
      'a0_A',
      'Ecoh_eV',
      'B_GPa',
      'C11_GPa',
      'C12_GPa',
      'C44_GPa',
      'Evac_eV',
      'Esurf100_J_m2',
      'Esurf111_J_m2',
    ]) {
      expect(typeof d[k], k).toBe('number');
    }
    expect(Math.abs((d['a0_A'] as number) / meta.a0_A - 1)).toBeLessThan(1e-8);
    expect(Math.abs((d['C44_GPa'] as number) / meta.elastic_GPa.C44 - 1)).toBeLessThan(1e-6);
    expect(Math.abs((d['Evac_eV'] as number) - meta.vacancy_formation['6x6x6'].Ef_relaxed_eV)).toBeLessThan(1e-6);
  });

  it('computes the analytic Voter–Chen potential of the seed', () => {
    const d = json('eam-props', 'voter-chen:Ni', '--json');
    expect(d['a0_A']).toBeCloseTo(3.52, 7);
    expect(d['Ecoh_eV']).toBeCloseTo(4.45, 7);
    expect(Math.abs((d['B_GPa'] as number) / 180.4 - 1)).toBeLessThan(1e-4);
  });

  it('exits 2 naming the file for a truncated potential and an element it lacks', () => {
    const bad = corpusPath('bad', 'Cu_mishin1_cut.eam.alloy');
    let r = cli('eam-props', bad, '--element', 'Cu', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain(bad);
    expect(r.err).toMatch(/read 7981 of 10001 values/);
    r = cli('eam-props', corpusPath('02_eam', 'Cu_u3.eam'), '--element', 'Al');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Cu_u3\.eam: no element Al in the potential \(it has Cu\)/);
  });
});
