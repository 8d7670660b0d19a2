// The analysis commands as scripts call them: JSON shapes of issue 5, CSV columns, the corpus
// numbers through the CLI, and one-line errors naming the file (exit 2, no stack trace).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/atomscope.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json(...args: string[]): any {
  const r = cli(...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
}

function failsNaming(file: string, pattern: RegExp, ...args: string[]): void {
  const r = cli(...args);
  expect(r.code).toBe(2);
  expect(r.err).toContain(file);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

const ar = reference('01_lj_argon');
const xtc = corpusPath('01_lj_argon', 'argon_public_prod.xtc');
const dump = corpusPath('01_lj_argon', 'argon_public_short.lammpstrj');
const pairs = reference('07_rmsd').pairs as Record<string, { rmsd_superposed_A_MDAnalysis: number }>;

describe('atomscope rdf', () => {
  it('prints {"r","g","peak":{"r","g"}} with the reference first peak', () => {
    const d = json('rdf', xtc, '--rmax', '8.5', '--bins', '170', '--json');
    expect(d.r).toHaveLength(170);
    expect(d.g).toHaveLength(170);
    expect(Object.keys(d.peak).sort()).toEqual(['g', 'r']);
    expect(Math.abs(d.peak.r - ar.rdf.first_peak_r_A_parabolic)).toBeLessThan(0.005);
    expect(Math.abs(d.peak.g / ar.rdf.first_peak_g_parabolic - 1)).toBeLessThan(0.002);
    expect(d.frames).toBe(501);
  });

  it('--pair by LAMMPS type equals the total; --frames and --csv', () => {
    const total = json('rdf', dump, '--rmax', '8', '--bins', '40', '--frames', '0:10', '--json');
    const pair = json('rdf', dump, '--rmax', '8', '--bins', '40', '--frames', '0:10', '--pair', '1-1', '--json');
    expect(total.frames).toBe(10);
    pair.g.forEach((g: number, i: number) => expect(g).toBeCloseTo(total.g[i], 12));
    const csv = cli('rdf', dump, '--rmax', '8', '--bins', '40', '--frames', '::10', '--csv').out.trim().split('\n');
    expect(csv[0]).toBe('r_A,g_r,coord_r');
    expect(csv).toHaveLength(41);
    const sk = cli('rdf', dump, '--frames', '::10', '--sk', '--csv').out.trim().split('\n');
    expect(sk[0]).toBe('k_invA,s_k');
  });

  it('exits 2 naming the file: no cell, a pair with no atoms, rmax too large', () => {
    const slab = corpusPath('07_rmsd', 'pair_slab_public_extxyz_frame0_vs_last.xyz');
    failsNaming(slab, /periodic cell/, 'rdf', slab, '--json');
    failsNaming(xtc, /matches no atom/, 'rdf', xtc, '--pair', 'Ar-Ar', '--json');
    failsNaming(xtc, /half the shortest/, 'rdf', xtc, '--rmax', '20', '--frames', '0:2', '--json');
    failsNaming(xtc, /pair "Ar"/, 'rdf', xtc, '--pair', 'Ar', '--json');
  });
});

describe('atomscope msd', () => {
  it('prints {"t_ps","msd_A2","D_cm2_s","D_err_cm2_s"} with D of MDAnalysis', () => {
    const d = json('msd', xtc, '--fit-start', '2', '--fit-end', '10', '--json');
    expect(d.t_ps).toHaveLength(501);
    expect(d.msd_A2).toHaveLength(501);
    expect(d.t_ps[1]).toBeCloseTo(0.04, 9);
    const want = ar.msd.D_cm2_per_s_multi_origin_mdanalysis_EinsteinMSD_lag_2ps_to_half;
    expect(Math.abs(d.D_cm2_s / want - 1)).toBeLessThan(1e-6);
    expect(d.D_err_cm2_s).toBeGreaterThan(0);
    expect(d.fit_window_ps).toEqual([2, 10]);
  });

  it('--csv, --select, --alpha2; times from the LAMMPS log beside a dump', () => {
    const csv = cli('msd', xtc, '--frames', ':50', '--csv', '--alpha2').out.trim().split('\n');
    expect(csv[0]).toBe('t_ps,msd_A2,alpha2');
    expect(csv).toHaveLength(51);
    const some = json('msd', xtc, '--frames', ':50', '--select', 'index 0:100', '--json');
    expect(some.atoms).toBe(100);
    const d = json('msd', dump, '--json');
    expect(d.dt_ps).toBeCloseTo(0.02, 12);
    expect(d.time_source).toMatch(/argon_public\.log\.lammps/);
    expect(json('msd', dump, '--timestep', '0.001', '--json').dt_ps).toBeCloseTo(0.01, 12);
    expect(json('msd', dump, '--dt', '0.5', '--json').dt_ps).toBe(0.5);
  });

  it('exits 2 naming the file on a bad window or selection', () => {
    failsNaming(xtc, /fit window/, 'msd', xtc, '--fit-start', '30', '--fit-end', '40', '--json');
    failsNaming(xtc, /selection "nonsense"/, 'msd', xtc, '--select', 'nonsense', '--json');
  });
});

describe('atomscope vacf', () => {
  it('prints {"t_ps","vacf","first_min":{"t_ps","value"}}; by default the LAMMPS (single-origin) reference minimum', () => {
    const d = json('vacf', dump, '--origins', 'all', '--json');
    expect(d.t_ps).toHaveLength(51);
    expect(d.vacf[0]).toBe(1);
    expect(Object.keys(d.first_min).sort()).toEqual(['t_ps', 'value']);
    expect(d.origins).toBe('all');
    const first = json('vacf', dump, '--json');
    expect(first.origins).toBe('first');
    expect(Math.abs(first.first_min.t_ps - ar.vacf.first_minimum_t_ps_sample_grid)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(first.first_min.value - ar.vacf.first_minimum_value)).toBeLessThan(0.005);
    expect(first.vacf_raw_A2ps2[0]).toBeCloseTo(ar.vacf.vacf0_A2ps2, 6);
    const spectrum = cli('vacf', dump, '--spectrum', '--csv').out.trim().split('\n');
    expect(spectrum[0]).toBe('nu_THz,wavenumber_cm1,intensity_ps');
  });

  it('exits 2 naming the file when there are no velocities', () => {
    failsNaming(xtc, /no velocities/, 'vacf', xtc, '--json');
  });
});

describe('atomscope rmsd / rmsf', () => {
  it('equals MDAnalysis on every corpus pair (mirror included): {"rmsd_A":[]}', () => {
    for (const [name, ref] of Object.entries(pairs)) {
      const d = json('rmsd', corpusPath('07_rmsd', name), '--ref', '0', '--json');
      expect(d.rmsd_A).toHaveLength(2);
      expect(d.rmsd_A[0]).toBeLessThan(1e-9);
      expect(Math.abs(d.rmsd_A[1] - ref.rmsd_superposed_A_MDAnalysis)).toBeLessThan(1e-6);
    }
  });

  it('fit and measure by name through --top; against a second file; --matrix', () => {
    const pep = corpusPath('04_gromacs', 'peptide_public.xtc');
    const pdb = corpusPath('04_gromacs', 'peptide_public_xtc_frame0_protein.pdb');
    const d = json('rmsd', pep, '--top', pdb, '--fit', 'name N CA C', '--json');
    expect(d.rmsd_A).toHaveLength(251);
    expect(d.fit_atoms).toBe(15);
    expect(d.t_ps[250]).toBeCloseTo(5, 4);
    // Against the PDB of frame 0 as a second file: the same series within the PDB's 0.001 Å.
    const two = json('rmsd', pep, pdb, '--top', pdb, '--fit', 'name N CA C', '--json');
    two.rmsd_A.forEach((v: number, i: number) => expect(Math.abs(v - d.rmsd_A[i])).toBeLessThan(2e-3));
    const ligand = json('rmsd', pep, '--top', pdb, '--fit', 'name N CA C', '--measure', 'resname PHE', '--json');
    expect(ligand.measure_atoms).toBe(20);
    const m = json('rmsd', pep, '--frames', '::50', '--matrix', '--json');
    expect(m.rmsd_matrix_A).toHaveLength(6);
    expect(m.rmsd_matrix_A[0][0]).toBe(0);
    const f = json('rmsf', pep, '--top', pdb, '--measure', 'name CA', '--json');
    expect(f.atom).toHaveLength(5);
    expect(f.rmsf_A).toHaveLength(5);
    expect(f.name).toEqual(['CA', 'CA', 'CA', 'CA', 'CA']);
    expect(cli('rmsf', pep, '--csv').out.split('\n')[0]).toBe('atom,element,rmsf_A');
  });

  it('exits 2 naming the file: atom-count mismatch, missing reference frame, empty selection', () => {
    const pep = corpusPath('04_gromacs', 'peptide_public.xtc');
    failsNaming(xtc, /atoms/, 'rmsd', pep, xtc, '--json');
    failsNaming(pep, /--ref 999 does not exist/, 'rmsd', pep, '--ref', '999', '--json');
    failsNaming(pep, /matches no atom/, 'rmsd', pep, '--fit', 'element Cu', '--json');
  });
});
