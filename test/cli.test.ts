// The `atomscope` command line: JSON shapes kept exactly, conversions, errors with exit 2.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corpusPath, reference } from './corpus';

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/atomscope.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function json(...args: string[]): Record<string, unknown> {
  const r = cli(...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

const fm = reference('05_formats');

describe('atomscope info', () => {
  it('prints exactly the documented keys', () => {
    const d = json('info', corpusPath('05_formats', 'Cu111_slab.extxyz'), '--json');
    expect(Object.keys(d).sort()).toEqual(
      ['atoms', 'cell', 'columns', 'elements', 'format', 'frames', 'pbc', 'time', 'warnings'].sort(),
    );
    expect(d).toMatchObject({ format: 'extxyz', atoms: 27, frames: 8, elements: { Cu: 27 }, pbc: [true, true, false] });
    expect(d['cell']).toEqual(fm.cell_A);
  });

  it('reports the time span of a GROMACS trajectory', () => {
    const d = json('info', corpusPath('04_gromacs', 'water_public.xtc'), '--json');
    const times = reference('04_gromacs').systems.water.xtc.times_ps as number[];
    const t = d['time'] as { start: number; end: number; step: number };
    expect(t.start).toBeCloseTo(times[0]!, 6);
    expect(t.end).toBeCloseTo(times[times.length - 1]!, 4);
    expect(t.step).toBeCloseTo(times[1]! - times[0]!, 6);
  });

  it('exits 2 naming the file and line, without a stack trace, on bad input', () => {
    const r = cli('info', corpusPath('bad', 'slab_nonnumeric.xyz'), '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain('slab_nonnumeric.xyz');
    expect(r.err).toMatch(/line 7/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const missing = cli('info', '/nope/none.xyz');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('/nope/none.xyz');
  });
});

describe('atomscope frame', () => {
  it('prints numbers and positions in Å, with cell, forces and velocities where present', () => {
    const d = json('frame', corpusPath('05_formats', 'Cu111_slab.extxyz'), '--index', '0', '--json');
    const p = d['positions'] as number[][];
    expect(p).toHaveLength(27);
    fm.positions_A_atoms_0_1_last.first_frame[0].forEach((v: number, k: number) => expect(p[0]![k]).toBeCloseTo(v, 6));
    expect((d['forces'] as number[][]).length).toBe(27);
    const trr = json('frame', corpusPath('04_gromacs', 'water_public.trr'), '--index', '1', '--json');
    expect((trr['velocities'] as number[][]).length).toBe((trr['numbers'] as number[]).length);
    expect(typeof trr['time']).toBe('number');
  });

  it('refuses a frame past the end', () => {
    const r = cli('frame', corpusPath('05_formats', 'Cu111_slab.extxyz'), '--index', '8', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/has 8 frames/);
  });
});

describe('atomscope convert', () => {
  it('converts a frame range by extension and reads back the same coordinates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomscope-convert-'));
    const src = corpusPath('05_formats', 'Cu111_slab.extxyz');
    for (const ext of ['pdb', 'gro', 'xyz', 'extxyz', 'sdf']) {
      const out = path.join(dir, `slab.${ext}`);
      const r = cli('convert', src, out, '--frames', '2:8:2');
      expect(r.code, r.err).toBe(0);
      const info = json('info', out, '--json');
      expect(info['frames']).toBe(3);
      expect(info['atoms']).toBe(27);
      const want = json('frame', src, '--index', '6', '--json')['positions'] as number[][];
      const got = json('frame', out, '--index', '2', '--json')['positions'] as number[][];
      const tol = { pdb: 1e-3, gro: 1e-2, sdf: 1e-4, xyz: 1e-6, extxyz: 1e-6 }[ext]!;
      for (let i = 0; i < 27; i++)
        for (let k = 0; k < 3; k++) expect(Math.abs(got[i]![k]! - want[i]![k]!)).toBeLessThan(tol);
    }
    const poscar = path.join(dir, 'POSCAR');
    expect(cli('convert', src, poscar, '--frames', '0').code).toBe(0);
    expect(readFileSync(poscar, 'utf8')).toMatch(/Direct/i);
    const data = path.join(dir, 'slab.data');
    expect(cli('convert', src, data, '--frames', '-1').code).toBe(0);
    expect(json('info', data, '--json')['atoms']).toBe(27);
  });

  it('refuses an output it cannot write', () => {
    const r = cli('convert', corpusPath('05_formats', 'Cu111_slab.extxyz'), '/tmp/x.xtc');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no writer/);
  });
});
