// Thermo series against the corpus: LAMMPS logs (argon: equilibration + production in two
// runs; adatom), GROMACS energy .xvg, and the readers' edge cases (warnings inside a block,
// thermo_style multi, a log cut short, xvg data sets).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import {
  defaultThermoColumn,
  framesThermo,
  lammpsLogTimestep,
  parseLammpsLog,
  parseXvg,
  selectRuns,
  thermoStats,
} from './thermo';
import type { Structure } from '../model/structure';

const ar = reference('01_lj_argon');
const argonLog = readFileSync(corpusPath('01_lj_argon', 'argon_public.log.lammps'), 'utf8');
const productionCsv = readFileSync(corpusPath('01_lj_argon', 'argon_public_thermo_production.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('LAMMPS log', () => {
  const log = parseLammpsLog(argonLog);

  it('finds the three runs, their columns, and the union of columns', () => {
    expect(log.format).toBe('lammps-log');
    expect(log.runs.map((r) => r.rows)).toEqual([11, 11, 190]);
    expect(log.columns).toEqual(['Step', 'Time', 'Temp', 'PotEng', 'KinEng', 'TotEng', 'Press', 'Volume', 'c_msd[4]']);
    expect(log.runs[0]!.columns).toContain('Volume');
    expect(log.runs[1]!.columns).not.toContain('Volume');
    // A column a run does not print is NaN in its rows.
    expect(log.data['Volume']![0]).toBeCloseTo(41712.97341, 5);
    expect(Number.isNaN(log.data['Volume']![11]!)).toBe(true);
    expect(Number.isNaN(log.data['c_msd[4]']![10]!)).toBe(true);
    expect(log.units).toMatchObject({ Temp: 'K', PotEng: 'eV', Press: 'bar', Time: 'ps', Volume: 'Å³' });
    expect(log.warnings).toEqual([]);
  });

  it('production (runs 1 and 2, the repeated step-500 row dropped) is the reference CSV row for row', () => {
    const prod = selectRuns(log, [1, 2]);
    expect(prod.run.length).toBe(productionCsv.length);
    productionCsv.forEach(([step, tPs, temp, pe, ke, etot, press], i) => {
      expect(prod.data['Step']![i]).toBe(step);
      expect(prod.data['Temp']![i]).toBe(temp);
      expect(prod.data['PotEng']![i]).toBe(pe);
      expect(prod.data['KinEng']![i]).toBe(ke);
      expect(prod.data['TotEng']![i]).toBe(etot);
      expect(prod.data['Press']![i]).toBe(press);
      // The log's Time continues from the equilibration (10 ps); the CSV counts from production start.
      expect(prod.t![i]! - 10).toBeCloseTo(tPs!, 9);
    });
  });

  it('production statistics equal the corpus reference values', () => {
    const prod = selectRuns(log, [1, 2]);
    const temp = thermoStats(prod.data['Temp']!);
    expect(temp.n).toBe(201);
    expect(rel(temp.mean, ar.mean_temperature_K_production)).toBeLessThan(1e-9);
    expect(rel(temp.std, ar.std_temperature_K_production)).toBeLessThan(1e-9);
    expect(rel(thermoStats(prod.data['Press']!).mean, ar.mean_pressure_bar_production)).toBeLessThan(1e-9);
    const etot = thermoStats(prod.data['TotEng']!);
    expect(etot.last - etot.first).toBeCloseTo(ar.etotal_drift_eV_production, 9);
    expect(rel(etot.std, ar.etotal_rms_fluct_eV_production)).toBeLessThan(1e-9);
  });

  it('time axis: the Time column in ps; the timestep in force', () => {
    expect(log.timeSource).toBe('Time column');
    expect(log.t![0]).toBe(0);
    expect(log.t![log.t!.length - 1]).toBe(30);
    expect(lammpsLogTimestep(argonLog)).toEqual({ timestep: 0.002, units: 'metal' });
    expect(defaultThermoColumn(log)).toBe('Temp');
  });

  it('the adatom log: two runs, the Time column continuing', () => {
    const a = parseLammpsLog(readFileSync(corpusPath('03_adatom', 'adatom_Cu100.log.lammps'), 'utf8'));
    expect(a.runs.map((r) => r.rows)).toEqual([6, 51]);
    expect(a.columns).toEqual(['Step', 'Time', 'Temp', 'c_tmob', 'c_theat', 'PotEng', 'KinEng', 'TotEng']);
    expect(a.t![a.t!.length - 1]).toBe(55);
    expect(a.data['PotEng']![0]).toBe(-5299.649014);
  });

  it('skips WARNING lines inside a block; Step × timestep without a Time column; real units', () => {
    const text = [
      'LAMMPS (29 Sep 2021)',
      'units real',
      'timestep 2.0',
      'Step Temp E_pair TotEng Press',
      '0 300 -10 -5 1.5',
      'WARNING: something happened (src/x.cpp:1)',
      '100 310 -11 -6 2.5',
      'Loop time of 1.0 on 1 procs for 100 steps with 10 atoms',
      '',
    ].join('\n');
    const s = parseLammpsLog(text);
    expect(s.run.length).toBe(2);
    expect(Array.from(s.data['Temp']!)).toEqual([300, 310]);
    expect(Array.from(s.t!)).toEqual([0, 0.2]);
    expect(s.timeSource).toMatch(/Step × timestep 0.002 ps/);
    expect(s.units).toMatchObject({ E_pair: 'kcal/mol', Press: 'atm', Temp: 'K' });
  });

  it('thermo_style multi blocks, and a log cut short warns', () => {
    const text = [
      'LAMMPS (29 Sep 2021)',
      'units metal',
      '---------------- Step        0 ----- CPU =      0.0000 (sec) ----------------',
      'TotEng   =        -1.5000 KinEng   =         0.1000 Temp     =       300.0000 ',
      'PotEng   =        -1.6000 E_bond   =         0.0000 Press    =        10.0000 ',
      '---------------- Step       50 ----- CPU =      0.1000 (sec) ----------------',
      'TotEng   =        -1.5100 KinEng   =         0.1100 Temp     =       310.0000 ',
      'PotEng   =        -1.6200 E_bond   =         0.0000 Press    =        12.0000 ',
    ].join('\n');
    const s = parseLammpsLog(text);
    expect(s.columns.slice(0, 3)).toEqual(['Step', 'CPU', 'TotEng']);
    expect(Array.from(s.data['Step']!)).toEqual([0, 50]);
    expect(Array.from(s.data['Temp']!)).toEqual([300, 310]);
    expect(Array.from(s.data['Press']!)).toEqual([10, 12]);
    // No Time column: Step × the metal default timestep (0.001 ps).
    expect(s.t![1]).toBeCloseTo(0.05, 12);
    expect(s.warnings.join()).toMatch(/cut short/);
  });

  it('a file with no thermo block is an error that says so', () => {
    expect(() => parseLammpsLog('LAMMPS (x)\nunits metal\n')).toThrow(/no thermo output/);
  });
});

describe('GROMACS .xvg', () => {
  const gmx = reference('04_gromacs').systems;
  for (const system of ['water', 'peptide'] as const) {
    it(`${system}: columns from the legends, means and rows as gmx energy wrote them`, () => {
      const want = gmx[system].energy_xvg;
      const s = parseXvg(readFileSync(corpusPath('04_gromacs', `${system}_public_energy.xvg`), 'utf8'));
      expect(s.format).toBe('xvg');
      expect(['time_ps', ...s.columns.slice(1)]).toEqual(want.columns);
      expect(s.run.length).toBe(want.n_rows);
      for (const [name, mean] of Object.entries(want.mean as Record<string, number>)) {
        expect(rel(thermoStats(s.data[name]!).mean, mean)).toBeLessThan(1e-9);
      }
      expect(s.columns.map((c) => s.data[c]![0])).toEqual(want.first_row);
      expect(s.columns.map((c) => s.data[c]![s.run.length - 1])).toEqual(want.last_row);
      expect(s.units).toMatchObject({ Time: 'ps', Potential: 'kJ/mol', Temperature: 'K', Pressure: 'bar' });
      expect(s.t![s.t!.length - 1]).toBe(5);
      expect(defaultThermoColumn(s)).toBe('Temperature');
    });
  }

  it('a single series takes its name and unit from the y axis label; & separates data sets', () => {
    const r = parseXvg(readFileSync(corpusPath('04_gromacs', 'peptide_public_rmsd_backbone.xvg'), 'utf8'));
    expect(r.columns).toEqual(['Time', 'RMSD']);
    expect(r.units).toEqual({ Time: 'ps', RMSD: 'nm' });
    const sets = parseXvg('@ xaxis label "Time (ns)"\n0 1\n1 2\n&\n0 3\n1 4\n');
    expect(sets.runs.map((x) => x.rows)).toEqual([2, 2]);
    expect(Array.from(sets.t!)).toEqual([0, 1000, 0, 1000]);
  });
});

describe('per-frame keys', () => {
  it('numeric info keys become columns; time from time_fs; missing values NaN', () => {
    const frame = (info: Record<string, number | string>): Structure =>
      ({ info, numbers: new Uint8Array(0), positions: new Float64Array(0) }) as unknown as Structure;
    const s = framesThermo(
      [
        frame({ step: 0, time_fs: 0, energy: -1 }),
        frame({ step: 10, time_fs: 5, energy: -2, note: 'x' }),
        frame({ step: 20, time_fs: 10 }),
      ],
      [4, 5, 6],
    );
    expect(s.columns).toEqual(['frame', 'step', 'time_fs', 'energy']);
    expect(Array.from(s.data['frame']!)).toEqual([4, 5, 6]);
    expect(Array.from(s.t!)).toEqual([0, 0.005, 0.01]);
    expect(Number.isNaN(s.data['energy']![2]!)).toBe(true);
    expect(defaultThermoColumn(s)).toBe('energy');
  });
});
