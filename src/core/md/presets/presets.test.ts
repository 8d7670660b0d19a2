import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus';
import { xyzFormat } from '../../io/formats/xyz.js';
import { memorySourceFromText, StringSink } from '../../io/source.js';
import { collectSeries } from '../../analysis/series.js';
import { adatomSlab, countHops, hollowSite } from './adatom.js';
import { ARGON_REFERENCES } from './argon.js';
import { PRESETS, PresetError, resolveSettings, type OutputFile, type PresetIO } from './index.js';

/** Files kept in memory, by name. */
function memoryIO(extra: Partial<PresetIO> = {}): PresetIO & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    open(name: string): OutputFile {
      const sink = new StringSink();
      return {
        write: (c) => sink.write(c),
        close: () => files.set(name, sink.toString()),
      };
    },
    readText: (p) => readFileSync(p, 'utf8'),
    ...extra,
  };
}

function run(
  id: string,
  settings: Record<string, string | number | boolean>,
  io: PresetIO = {},
): Record<string, unknown> {
  const preset = PRESETS[id]!;
  return preset.run(resolveSettings(preset, settings), io) as Record<string, unknown>;
}

describe('preset settings', () => {
  it('resolve defaults, parse --set strings by type, and name the setting that is wrong', () => {
    const argon = PRESETS['argon']!;
    const s = resolveSettings(argon, { nve_steps: '200', temperature: 90 });
    expect(s['nve_steps']).toBe(200);
    expect(s['temperature']).toBe(90);
    expect(s['cells']).toBe(6);
    expect(() => resolveSettings(argon, { nve_step: '1' })).toThrow(/unknown setting "nve_step"/);
    expect(() => resolveSettings(argon, { cells: '2.5' })).toThrow(/setting cells expects an integer/);
    expect(() => resolveSettings(argon, { dt: 'fast' })).toThrow(PresetError);
    expect(() => resolveSettings(argon, { nve_steps: '-3' })).toThrow(/nve_steps must be >= 10/);
    expect(resolveSettings(PRESETS['adatom']!, { minimize: 'yes' })['minimize']).toBe(true);
  });

  it('every preset is listed with a title, a description and typed defaults', () => {
    expect(Object.keys(PRESETS).sort()).toEqual(['adatom', 'argon', 'muller-brown']);
    for (const p of Object.values(PRESETS)) {
      expect(p.title.length).toBeGreaterThan(5);
      expect(p.description.length).toBeGreaterThan(20);
      for (const s of p.settings) expect(['number', 'string', 'boolean']).toContain(typeof s.default);
    }
  });
});

describe('argon preset (Rahman / corpus protocol), short run', () => {
  it("carries the corpus's LAMMPS reference values verbatim", () => {
    const ref = reference('01_lj_argon');
    expect(ARGON_REFERENCES.lammps.D_single_origin_cm2_s).toBe(ref.msd.D_cm2_per_s);
    expect(ARGON_REFERENCES.lammps.D_multi_origin_cm2_s).toBe(
      ref.msd.D_cm2_per_s_multi_origin_mdanalysis_EinsteinMSD_lag_2ps_to_half,
    );
    expect(ARGON_REFERENCES.lammps.rdf_first_peak_r_A).toBe(ref.rdf.first_peak_r_A_parabolic);
    expect(ARGON_REFERENCES.lammps.vacf_first_zero_ps).toBe(ref.vacf.first_zero_crossing_ps_linear_interp);
    expect(ARGON_REFERENCES.lammps.mean_temperature_K).toBe(ref.mean_temperature_K_production);
  });

  const io = memoryIO();
  const settings = { cells: 4, nvt_steps: 400, nve_steps: 600, traj_every: 100, thermo_every: 50, seed: 7 };
  const r = run('argon', settings, io);

  it('builds the corpus state point and reports D, g(r) and the VACF', () => {
    expect(r['natoms']).toBe(256);
    // 256 atoms at 1.374 g/cm³: a = 5.7801503 Å as LAMMPS's lattice command gives.
    expect((r['box_A'] as number[])[0]).toBeCloseTo(4 * 5.78015031386238, 8);
    const prod = r['production'] as Record<string, number>;
    expect(Math.abs(prod['mean_temperature_K']! - 94.4)).toBeLessThan(15);
    // NVE: the total energy holds (unshifted cutoff: small steps from pairs crossing rc).
    expect(Math.abs(prod['etotal_drift_eV']!)).toBeLessThan(0.02);
    const d = r['diffusion'] as Record<string, number>;
    expect(d['D_cm2_s']).toBeGreaterThan(1e-5);
    expect(d['D_cm2_s']).toBeLessThan(4e-5);
    expect(d['D_err_cm2_s']).toBeGreaterThan(0);
    const rdf = r['rdf'] as Record<string, number>;
    expect(rdf['first_peak_r_A']).toBeGreaterThan(3.55);
    expect(rdf['first_peak_r_A']).toBeLessThan(3.9);
    const vacf = r['vacf'] as Record<string, number>;
    expect(vacf['first_zero_ps']).toBeGreaterThan(0.2);
    expect(vacf['first_zero_ps']).toBeLessThan(0.45);
    expect(vacf['first_minimum_value']).toBeLessThan(0);
    const cmp = r['comparison'] as Record<string, unknown>;
    expect(cmp['vacf_negative_near_0p3_ps']).toBe(true);
    expect(typeof cmp['D_within_10pct_of_rahman']).toBe('boolean');
    expect((r['estimate'] as Record<string, unknown>)['error_kind']).toMatch(/atom blocks/);
  });

  it('writes a thermo CSV and an extXYZ trajectory whose image column unwraps to the MSD paths', () => {
    const thermo = io.files.get('thermo.csv')!.trim().split('\n');
    expect(thermo[0]).toBe('step,time_ps,temp_K,pe_eV,ke_eV,etotal_eV,press_bar,conserved_eV,stage');
    expect(thermo).toHaveLength(1 + 1 + (400 + 600) / 50);
    expect(thermo[1]!.startsWith('0,0,94.4,')).toBe(true);
    expect(thermo.at(-1)!.endsWith(',nve')).toBe(true);
    const reader = xyzFormat.open(memorySourceFromText('trajectory.extxyz', io.files.get('trajectory.extxyz')!));
    expect(reader.frameCount).toBe(600 / 100 + 1);
    const f0 = reader.readFrame(0);
    expect(f0.numbers[0]).toBe(18);
    expect(f0.velocities).toBeDefined();
    expect(f0.info['step']).toBe(400);
    // Wrapped into the box...
    const L = f0.cell![0]!;
    for (let q = 0; q < f0.positions.length; q++) {
      expect(f0.positions[q]).toBeGreaterThanOrEqual(0);
      expect(f0.positions[q]).toBeLessThan(L + 1e-6);
    }
    // ...and continuous again with the images: no step between frames longer than a few Å.
    const frames = Array.from({ length: reader.frameCount }, (_, i) => reader.readFrame(i));
    const series = collectSeries(frames, 'positions', { unwrap: 'none' });
    const withImages = frames.map((f) => {
      const img = f.arrays['image'] as Int32Array;
      return f.positions.map((x, q) => x + img[q]! * L);
    });
    let maxStep = 0;
    for (let k = 1; k < withImages.length; k++) {
      for (let q = 0; q < withImages[k]!.length; q++)
        maxStep = Math.max(maxStep, Math.abs(withImages[k]![q]! - withImages[k - 1]![q]!));
    }
    expect(maxStep).toBeLessThan(3);
    expect(series.frames).toBe(7);
    expect(io.files.get('msd.csv')!.split('\n')[0]).toBe('t_ps,msd_all_origins_A2,msd_first_origin_A2');
    expect(io.files.has('rdf.csv') && io.files.has('vacf.csv')).toBe(true);
  });

  it('is reproducible for a seed', () => {
    const again = run('argon', { ...settings, traj_every: 0 });
    expect((again['diffusion'] as Record<string, number>)['D_cm2_s']).toBe(
      (r['diffusion'] as Record<string, number>)['D_cm2_s'],
    );
  });

  it('estimates the error of D from independent replicas when asked', () => {
    const rr = run('argon', { cells: 3, nvt_steps: 200, nve_steps: 300, traj_every: 0, replicas: 3 });
    const rep = rr['replicas'] as Record<string, number[] | number>;
    expect(rep['seeds']).toEqual([4928459, 4928460, 4928461]);
    expect((rep['D_cm2_s'] as number[]).length).toBe(3);
    const est = rr['estimate'] as Record<string, number | string>;
    expect(est['D_err_cm2_s']).toBeCloseTo((rep['D_sd_cm2_s'] as number) / Math.sqrt(3), 15);
    expect(est['error_kind']).toMatch(/3 independent runs/);
  });

  it('stops with AbortError when cancelled', () => {
    let polls = 0;
    expect(() =>
      run('argon', { cells: 3, nvt_steps: 1000, nve_steps: 1000 }, { isCancelled: () => ++polls > 3 }),
    ).toThrow(/cancelled at step 40/);
  });
});

describe('muller-brown preset', () => {
  const io = memoryIO();
  const r = run('muller-brown', { walkers: 100, steps: 3000, equil_steps: 300, basin_grid: 0.05 }, io);

  it("finds the seed's three minima and two saddles (0.01 in x, y; 0.1 in energy)", () => {
    expect(r['all_match_seed']).toBe(true);
    const minima = r['minima'] as Record<string, unknown>[];
    expect(minima.map((m) => m['name']).sort()).toEqual(['MA', 'MB', 'MC']);
    const saddles = r['saddles'] as Record<string, unknown>[];
    expect(saddles.map((s) => s['name'])).toEqual(['S1', 'S2']);
    for (const s of saddles) expect(s['negative_eigenvalues']).toBe(1);
    for (const m of minima) expect(m['negative_eigenvalues']).toBe(0);
  });

  it('samples the Boltzmann distribution with Langevin walkers (histogram, basins, mean energy)', () => {
    const s = r['sampling'] as Record<string, number | number[]>;
    expect(s['total_variation_distance']).toBeLessThan(0.08);
    const got = s['basin_populations'] as number[];
    const want = s['basin_populations_boltzmann'] as number[];
    for (let k = 0; k < 3; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(0.04);
    expect(Math.abs((s['mean_energy'] as number) - (s['mean_energy_boltzmann'] as number))).toBeLessThan(2);
    expect(s['basin_changes']).toBeGreaterThan(0);
  });

  it('writes the NEB path, the basin map and the histogram', () => {
    const path = io.files.get('neb_path.csv')!.trim().split('\n');
    expect(path[0]).toBe('s,x,y,energy,climbing');
    expect(path.filter((l) => l.endsWith(',1'))).toHaveLength(2);
    expect(io.files.get('basins.csv')!.split('\n')[0]).toBe('x,y,basin');
    expect(io.files.get('histogram.csv')!.split('\n')[0]).toBe('x,y,sampled,boltzmann');
    expect(io.files.has('thermo.csv')).toBe(true);
  });
});

describe('adatom preset', () => {
  it('labels hollow sites on fcc(100) as the corpus hops analysis does', () => {
    // Corpus 03_adatom: start (12.498, 12.835) is site (7, 0) with a = 3.614 Å.
    expect(hollowSite(12.49768788, 12.83519089, 3.614)).toEqual([7, 0]);
    // Nearest-neighbour hollow sites are a/√2 apart.
    expect(hollowSite(12.5 + 3.614 / 2, 12.8 + 3.614 / 2, 3.614)).toEqual([8, 0]);
  });

  it('counts hops between sites held long enough, not vibrations across a boundary', () => {
    const a = 3.614;
    const t: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    const put = (u: number, v: number, samples: number, jitter = 0): void => {
      for (let k = 0; k < samples; k++) {
        t.push(t.length * 0.025);
        x.push(((u + v) * a) / 2 + jitter * (k % 2));
        y.push(((u - v) * a) / 2);
      }
    };
    put(7, 0, 20);
    put(7, 1, 3); // a transient visit
    put(7, 0, 10);
    put(7, 1, 12); // a hop
    put(9, 1, 10); // a long jump
    const { events } = countHops(t, x, y, a, 8);
    expect(events.map((e) => [e.from_uv, e.to_uv, e.nearest_neighbour])).toEqual([
      [[7, 0], [7, 1], true],
      [[7, 1], [9, 1], false],
    ]);
    expect(events[0]!.jump_A).toBeCloseTo(a / Math.SQRT2, 10);
  });

  it("builds the corpus deck's slab: 1536 + 1 atoms, 256 frozen, 256 heated", () => {
    const s = adatomSlab(3.614, 8, 6);
    expect(s.positions.length / 3).toBe(1537);
    expect(s.bottom.reduce((a, b) => a + b, 0)).toBe(256);
    expect(s.heat.reduce((a, b) => a + b, 0)).toBe(256);
    expect(s.mobile.reduce((a, b) => a + b, 0)).toBe(1281);
    expect(Array.from(s.positions.subarray(3 * 1536))).toEqual([4 * 3.614, 4 * 3.614, 6 * 3.614]);
  });

  it('runs the corpus protocol (short) with Cu_mishin1: frozen bottom, heated layers, adatom on the surface', () => {
    const io = memoryIO();
    const r = run(
      'adatom',
      {
        potential: corpusPath('02_eam', 'Cu_mishin1.eam.alloy'),
        element: 'Cu',
        nx: 4,
        nz: 3,
        equil_steps: 100,
        steps: 300,
        thermo_every: 50,
        traj_every: 100,
      },
      io,
    );
    expect(r['element']).toBe('Cu');
    expect(r['lattice_A']).toBeCloseTo(3.615, 3); // the setfl header's a0
    const run0 = (r['runs'] as Record<string, unknown>[])[0]!;
    expect(run0['natoms']).toBe(4 * 4 * 3 * 4 + 1);
    // 32 atoms per (100) layer of 4 × 4 cells; two layers frozen, two heated.
    expect(run0['frozen_atoms']).toBe(64);
    expect(run0['heat_atoms']).toBe(64);
    const temps = run0['final_temperatures_K'] as Record<string, number>;
    // temp/rescale every 10 steps with a 20 K window keeps the heat layers near 900 K.
    expect(Math.abs(temps['heat']! - 900)).toBeLessThan(150);
    // D from hops is Γ (a/√2)² / 4 in cm²/s.
    const hops = (run0['highest_atom'] as Record<string, number>)['hops']!;
    expect(run0['D_hops_cm2_s']).toBeCloseTo(
      ((hops * (3.615 ** 2 / 2)) / (4 * (run0['production_ps'] as number))) * 1e-4,
      15,
    );
    const top = run0['highest_atom'] as Record<string, number[]>;
    // The adatom stays above the top layer (z = 2.5 a).
    expect(top['end_xyz_A']![2]).toBeGreaterThan(2.6 * 3.615);
    const thermo = io.files.get('thermo.csv')!.split('\n');
    expect(thermo[0]).toBe(
      'step,time_ps,temp_K,pe_eV,ke_eV,etotal_eV,press_bar,conserved_eV,temp_mobile_K,temp_heat_K,adatom_z_A,stage',
    );
    // LAMMPS's "temp" counts the frozen atoms: at step 0 it is 900 × (3·129 - 3)/(3·193 - 3).
    expect(Number(thermo[1]!.split(',')[2])).toBeCloseTo((900 * (3 * 129 - 3)) / (3 * 193 - 3), 6);
    const frames = xyzFormat.open(memorySourceFromText('t.extxyz', io.files.get('trajectory.extxyz')!));
    const first = frames.readFrame(0);
    const last = frames.readFrame(frames.frameCount - 1);
    // Frozen atoms (the bottom two layers) never move.
    for (let i = 0; i < 193; i++) {
      if (first.positions[3 * i + 2]! < 0.75 * 3.615) {
        for (let d = 0; d < 3; d++) expect(last.positions[3 * i + d]).toBe(first.positions[3 * i + d]);
      }
    }
    expect(io.files.get('adatom.csv')!.split('\n')[0]).toBe(
      't_ps,x_A,y_A,z_A,highest_x_A,highest_y_A,highest_z_A,highest_atom',
    );
  });

  it('runs several temperatures for D(T) with the default Voter–Chen Ni', () => {
    const r = run('adatom', { nx: 4, nz: 2, equil_steps: 50, steps: 100, temperatures: '800,1000', traj_every: 0 });
    const runs = r['runs'] as Record<string, unknown>[];
    expect(runs.map((x) => x['temperature_K'])).toEqual([800, 1000]);
    expect(r['element']).toBe('Ni');
    expect(r['lattice_A']).toBe(3.52);
  });
});
