// `atomscope simulate` and the 'simulation.run' compute job: JSON shapes, files, errors that
// name the argument (exit 2), progress and cancellation through a real compute host.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeError, ComputeSupervisor } from '../src/backend/compute-supervisor.js';
import { forkHost } from '../src/node/fork-host.js';
import { settingArguments } from '../src/cli/commands/simulate.js';

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/atomscope.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'atomscope-sim-'));

describe('atomscope simulate', () => {
  it('takes k=v settings one by one, comma-separated, and with list values', () => {
    expect(settingArguments(['a=1', 'b=2,c=x', 'temperatures=800,900,1000', 'd=4'])).toEqual({
      a: '1',
      b: '2',
      c: 'x',
      temperatures: '800,900,1000',
      d: '4',
    });
    expect(() => settingArguments(['800'])).toThrow(/--set expects key=value, got "800"/);
  });

  it('runs muller-brown with --set overrides, writes its files into --out and prints the report as JSON', () => {
    const dir = path.join(tmp(), 'mb');
    const r = cli(
      'simulate',
      'muller-brown',
      '--set',
      'walkers=20',
      '--set',
      'steps=500',
      'equil_steps=100,basin_grid=0.1',
      '--out',
      dir,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const d = JSON.parse(r.out) as Record<string, unknown>;
    expect(d['preset']).toBe('muller-brown');
    expect((d['settings'] as Record<string, unknown>)['walkers']).toBe(20);
    expect((d['settings'] as Record<string, unknown>)['basin_grid']).toBe(0.1);
    expect(d['all_match_seed']).toBe(true);
    expect(d['out_dir']).toBe(path.resolve(dir));
    for (const f of ['neb_path.csv', 'basins.csv', 'histogram.csv', 'thermo.csv', 'trajectory.extxyz']) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    expect(d['written']).toContain(path.join(path.resolve(dir), 'neb_path.csv'));
  });

  it('runs a short argon and reports D with its error, g(r) and the VACF; text mode prints a summary', () => {
    const dir = tmp();
    const r = cli('simulate', 'argon', '--set', 'cells=3', 'nvt_steps=100', 'nve_steps=200', '--out', dir, '--json');
    expect(r.code, r.err).toBe(0);
    const d = JSON.parse(r.out) as Record<string, Record<string, unknown>>;
    expect(d['natoms']).toBe(108);
    expect(d['diffusion']!['D_cm2_s']).toBeGreaterThan(0);
    expect(d['diffusion']!['D_err_cm2_s']).toBeGreaterThan(0);
    expect(Object.keys(d['comparison']!)).toEqual(
      expect.arrayContaining(['D_within_2sigma_of_lammps', 'D_within_10pct_of_rahman', 'rdf_peak_in_3p7_3p8_A']),
    );
    expect(readFileSync(path.join(dir, 'thermo.csv'), 'utf8').split('\n')[0]).toContain('temp_K');
    const t = cli(
      'simulate',
      'argon',
      '--set',
      'cells=2',
      'nvt_steps=0',
      'nve_steps=50',
      'msd_every=5',
      'traj_every=0',
    );
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/^preset argon/);
    expect(t.out).toMatch(/D_cm2_s/);
  });

  it('lists presets and their settings', () => {
    const r = cli('simulate', '--list', '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as { presets: { id: string; settings: { key: string }[] }[] };
    expect(d.presets.map((p) => p.id)).toEqual(['argon', 'muller-brown', 'adatom']);
    expect(d.presets[0]!.settings.map((s) => s.key)).toContain('nve_steps');
  });

  it('exits 2 with a message naming the preset, setting, argument or file that is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['simulate'], /usage: atomscope simulate PRESET/],
      [['simulate', 'water'], /unknown preset "water"/],
      [['simulate', 'argon', '--set', 'nve_step=5'], /unknown setting "nve_step"/],
      [['simulate', 'argon', '--set', 'cells=two'], /setting cells expects a number, got "two"/],
      [['simulate', 'argon', '--set', 'cells'], /--set expects key=value, got "cells"/],
      [['simulate', 'argon', '--set', 'nve_steps=20'], /nve_steps 20 gives 2 MSD samples/],
      [
        ['simulate', 'adatom', '--set', 'potential=/nonexistent/Cu.eam.alloy'],
        /\/nonexistent\/Cu.eam.alloy: no such file/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
    const file = path.join(tmp(), 'a-file');
    writeFileSync(file, 'x');
    const r = cli('simulate', 'muller-brown', '--out', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--out ${file}: exists and is not a directory`);
  });
});

describe("compute job 'simulation.run' (forked host)", () => {
  let sup: ComputeSupervisor;
  beforeAll(() => {
    sup = new ComputeSupervisor(() => forkHost(process.env));
  });
  afterAll(() => sup.dispose());

  it('runs a preset, reports progress with step, T and E, and writes its files', async () => {
    const dir = tmp();
    const events: [number, string][] = [];
    const result = await sup.run<Record<string, unknown>>(
      'simulation.run',
      { preset: 'argon', settings: { cells: 3, nvt_steps: 100, nve_steps: 200 }, outDir: dir, stride: 20 },
      { onProgress: (f, m) => events.push([f, m]) },
    );
    expect(result['preset']).toBe('argon');
    expect((result['settings'] as Record<string, unknown>)['thermo_every']).toBe(20);
    expect(result['outDir']).toBe(path.resolve(dir));
    expect(result['written']).toContain(path.join(path.resolve(dir), 'trajectory.extxyz'));
    const rows = readFileSync(path.join(dir, 'thermo.csv'), 'utf8').trim().split('\n');
    expect(rows).toHaveLength(1 + 1 + 300 / 20);
    expect(events.some(([, m]) => /nve step \d+: T \d+\.\d+, E -?\d+\.\d+, P -?\d/.test(m))).toBe(true);
    expect(events.at(-1)![0]).toBe(1);
  });

  it('cancels a running simulation promptly', async () => {
    const controller = new AbortController();
    let mark = (): void => {};
    const running = new Promise<void>((resolve) => (mark = resolve));
    const job = sup.run(
      'simulation.run',
      { preset: 'argon', settings: { nvt_steps: 100000, traj_every: 0 } },
      {
        signal: controller.signal,
        onProgress: () => mark(),
      },
    );
    await running;
    const t0 = Date.now();
    controller.abort();
    const err = await job.then(
      () => null,
      (e: unknown) => e as ComputeError,
    );
    expect(err?.code).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('rejects an unknown preset and a bad setting by name', async () => {
    const e1 = await sup.run('simulation.run', { preset: 'water' }).catch((e: unknown) => e as ComputeError);
    expect((e1 as ComputeError).message).toMatch(/unknown preset "water"/);
    const e2 = await sup
      .run('simulation.run', { preset: 'argon', settings: { cells: 'x' } })
      .catch((e: unknown) => e as ComputeError);
    expect((e2 as ComputeError).message).toMatch(/setting cells expects a number/);
  });
});
