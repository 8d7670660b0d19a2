// The analysis commands' figures and multi-file mode: --out fig.svg|fig.png|data.csv with
// --scale and --transparent, several FILEs (a JSON array of the one-file objects, CSV with a
// file column, one curve per file with the file names as legend), and `atomscope thermo`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { curvePaths, decodePng } from '../../../test/png';

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

const dir = mkdtempSync(path.join(tmpdir(), 'atomscope-fig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = (name: string): string => path.join(dir, name);

const ar = reference('01_lj_argon');
const gmx = reference('04_gromacs').systems;
const xtc = corpusPath('01_lj_argon', 'argon_public_prod.xtc');
const dump = corpusPath('01_lj_argon', 'argon_public_short.lammpstrj');
const log = corpusPath('01_lj_argon', 'argon_public.log.lammps');
const waterXvg = corpusPath('04_gromacs', 'water_public_energy.xvg');
const peptideXvg = corpusPath('04_gromacs', 'peptide_public_energy.xvg');

describe('several FILEs', () => {
  it('rdf: one file prints the object; two print an array of the same objects', () => {
    const one = json('rdf', dump, '--rmax', '8', '--bins', '40', '--json');
    expect(Array.isArray(one)).toBe(false);
    const two = json('rdf', dump, xtc, '--rmax', '8', '--bins', '40', '--frames', '0:5', '--json');
    expect(two).toHaveLength(2);
    for (const d of two) {
      expect(Object.keys(d)).toEqual(Object.keys(one));
      expect(d.r).toHaveLength(40);
    }
    expect(two[0].frames).toBe(5);
  });

  it('--csv: a leading file column, every row of every file', () => {
    const rows = cli('rdf', dump, xtc, '--rmax', '8', '--bins', '40', '--frames', '0:3', '--csv')
      .out.trim()
      .split('\n');
    expect(rows[0]).toBe('file,r_A,g_r,coord_r');
    expect(rows).toHaveLength(1 + 2 * 40);
    expect(rows[1]!.startsWith('argon_public_short.lammpstrj,0.1,')).toBe(true);
    expect(rows[41]!.startsWith('argon_public_prod.xtc,0.1,')).toBe(true);
  });

  it('rmsd --each: each file against its own reference frame; rmsf of several files', () => {
    const d = json('rmsd', '--each', xtc, dump, '--frames', '0:4', '--json');
    expect(d).toHaveLength(2);
    expect(d[0].rmsd_A[0]).toBeLessThan(1e-9);
    expect(d[1].reference.file).toBe(dump);
    expect(cli('rmsd', xtc, dump, xtc, '--json').err).toMatch(/--each/);
    const f = json('rmsf', xtc, dump, '--frames', '0:3', '--measure', 'index 0:5', '--json');
    expect(f.map((x: { atom: number[] }) => x.atom.length)).toEqual([5, 5]);
  });
});

describe('--out figures', () => {
  it('SVG of two files: the axis titles, a legend entry per file, one path per curve', () => {
    const file = out('rdf.svg');
    const r = cli('rdf', dump, xtc, '--rmax', '8', '--bins', '80', '--frames', '0:5', '--out', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${file}`);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toContain('r (Å)');
    expect(svg).toContain('g(r)');
    expect(svg).toContain('argon_public_short.lammpstrj');
    expect(svg).toContain('argon_public_prod.xtc');
    expect(curvePaths(svg)).toHaveLength(2);
  });

  it('PNG: the size asked (--scale, --width) and not blank; --transparent has alpha', () => {
    const file = out('msd.png');
    expect(cli('msd', xtc, '--frames', '::10', '--out', file, '--scale', '1.5').code).toBe(0);
    const png = decodePng(readFileSync(file));
    expect([png.width, png.height]).toEqual([960, 600]);
    const ch = png.colourType === 6 ? 4 : 3;
    let ink = 0;
    for (let i = 0; i < png.pixels.length; i += ch) if (png.pixels[i]! < 128) ink++;
    expect(ink).toBeGreaterThan(2000);
    const clear = out('vacf.png');
    expect(cli('vacf', dump, '--out', clear, '--scale', '1', '--width', '800', '--transparent').code).toBe(0);
    const t = decodePng(readFileSync(clear));
    expect([t.width, t.height]).toEqual([800, 400]);
    expect(t.colourType).toBe(6);
    expect(t.pixels[3]).toBe(0);
  });

  it('--out data.csv writes the curves; --json and --out together do both', () => {
    const file = out('rmsd.csv');
    const d = json('rmsd', xtc, '--frames', '0:4', '--out', file, '--json');
    expect(d.rmsd_A).toHaveLength(4);
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('frame,rmsd_A,t_ps');
    expect(rows).toHaveLength(5);
  });

  it('refuses an output type it cannot write, and a silly scale, with exit 2', () => {
    const bad = cli('rdf', dump, '--frames', '0:2', '--out', out('x.txt'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\.svg, \.png or \.csv/);
    const scale = cli('rdf', dump, '--frames', '0:2', '--out', out('x.png'), '--scale', '0');
    expect(scale.code).toBe(2);
    expect(scale.err).toMatch(/--scale/);
  });
});

describe('atomscope thermo', () => {
  it('LAMMPS log, production runs: the reference mean temperature, pressure and energy drift', () => {
    const d = json('thermo', log, '--runs', '1:', '--json');
    expect(d.format).toBe('lammps-log');
    expect(d.columns).toEqual(['Step', 'Time', 'Temp', 'PotEng', 'KinEng', 'TotEng', 'Press', 'c_msd[4]']);
    expect(d.data.Temp).toHaveLength(201);
    expect(d.t_ps).toHaveLength(201);
    expect(d.runs.map((r: { index: number; rows: number }) => [r.index, r.rows])).toEqual([
      [1, 11],
      [2, 190],
    ]);
    expect(Math.abs(d.stats.Temp.mean / ar.mean_temperature_K_production - 1)).toBeLessThan(1e-9);
    expect(Math.abs(d.stats.Temp.std / ar.std_temperature_K_production - 1)).toBeLessThan(1e-9);
    expect(Math.abs(d.stats.Press.mean / ar.mean_pressure_bar_production - 1)).toBeLessThan(1e-9);
    expect(d.stats.TotEng.last - d.stats.TotEng.first).toBeCloseTo(ar.etotal_drift_eV_production, 9);
    expect(d.units).toMatchObject({ Temp: 'K', TotEng: 'eV', Press: 'bar' });
  });

  it('the whole log: null where a run lacks a column; --columns; --csv', () => {
    const d = json('thermo', log, '--json');
    expect(d.runs).toHaveLength(3);
    expect(d.run.slice(9, 13)).toEqual([0, 0, 1, 1]);
    expect(d.data.Volume[11]).toBeNull();
    const some = json('thermo', log, '--columns', 'Temp,Press', '--json');
    expect(some.columns).toEqual(['Temp', 'Press']);
    expect(Object.keys(some.data)).toEqual(['Temp', 'Press']);
    const rows = cli('thermo', log, '--runs', '1:', '--columns', 'Temp', '--csv').out.trim().split('\n');
    expect(rows[0]).toBe('t_ps,run,Temp');
    expect(rows).toHaveLength(202);
    expect(rows[1]).toBe('10,1,92.80103634');
    const missing = cli('thermo', log, '--columns', 'Nope', '--json');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no column Nope \(columns: Step, Time/);
  });

  it('GROMACS .xvg: the gmx energy means; two files give an array', () => {
    const [w, p] = json('thermo', waterXvg, peptideXvg, '--json');
    expect(w.format).toBe('xvg');
    expect(w.data.Temperature).toHaveLength(gmx.water.energy_xvg.n_rows);
    expect(Math.abs(w.stats.Temperature.mean / gmx.water.energy_xvg.mean.Temperature - 1)).toBeLessThan(1e-9);
    expect(Math.abs(p.stats.Potential.mean / gmx.peptide.energy_xvg.mean.Potential - 1)).toBeLessThan(1e-9);
    expect(w.units.Potential).toBe('kJ/mol');
  });

  it('extXYZ per-frame keys: energy and step per frame, time from time_fs', () => {
    const d = json('thermo', corpusPath('05_formats', 'Cu111_slab.extxyz'), '--json');
    expect(d.format).toBe('frames');
    expect(d.columns).toEqual(expect.arrayContaining(['frame', 'step', 'time_fs', 'energy']));
    expect(d.data.energy[0]).toBeCloseTo(6.420863543569039, 12);
    expect(d.t_ps[1]).toBeCloseTo(d.data.time_fs[1] / 1000, 12);
  });

  it('--out: one panel per column over time, one curve per file', () => {
    const file = out('thermo.svg');
    const r = cli('thermo', waterXvg, peptideXvg, '--columns', 'Temperature,Pressure', '--out', file);
    expect(r.code, r.err).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toContain('Temperature (K)');
    expect(svg).toContain('Pressure (bar)');
    expect(svg).toContain('t (ps)');
    expect(curvePaths(svg)).toHaveLength(4);
  });
});
