/**
 * One test per MANIFEST.json entry that is a structure or trajectory: it opens with the
 * detected format, every frame streams with finite coordinates, and the atom counts,
 * frame counts, time stamps, boxes and positions the references list are reproduced.
 * (The per-format tests beside each reader check velocities, forces and columns in depth.)
 */
import { describe, expect, it } from 'vitest';
import { openTrajectory } from '../src/node/open';
import { corpusPath, manifest, reference } from './corpus';

interface Expect {
  atoms?: number;
  frames?: number;
  times?: number[];
  /** [frame index, atom index, xyz Å, tolerance Å] */
  positions?: [number, number, number[], number][];
  box?: [number, number[][], number];
}

const NOT_STRUCTURES = /\.(csv|lammps|xvg|edr|tpr|top|mdp|json|eam|alloy|fs|dat|npz|lock|log|mol2)$/;

const argon = reference('01_lj_argon');
const eam = reference('02_eam');
const gmx = reference('04_gromacs');
const fm = reference('05_formats');
const rmsd = reference('07_rmsd');
const bad = reference('bad');

function expectations(path: string): Expect {
  const [item, file] = path.split('/') as [string, string];
  if (item === '01_lj_argon' && file === argon.xtc.file) {
    return {
      atoms: argon.xtc.natoms,
      frames: argon.xtc.n_frames,
      positions: [
        ...(argon.xtc.frame0_atoms_1_2_3_A as number[][]).map((p, k): [number, number, number[], number] => [
          0,
          k,
          p,
          2e-6,
        ]),
        ...(argon.xtc.last_frame_atoms_1_2_3_A as number[][]).map((p, k): [number, number, number[], number] => [
          argon.xtc.n_frames - 1,
          k,
          p,
          2e-6,
        ]),
      ],
    };
  }
  if (item === '01_lj_argon' && file.endsWith('_short.lammpstrj')) {
    return { atoms: argon.system.natoms, frames: argon.short_dump.n_frames };
  }
  if (item === '02_eam') {
    for (const sys of Object.values(eam.systems) as { structures: Record<string, Record<string, unknown>> }[]) {
      for (const s of Object.values(sys.structures)) {
        if ([s['data_file'], s['extxyz_file'], s['forces_dump']].includes(file)) {
          return { atoms: s['natoms'] as number, frames: 1 };
        }
      }
    }
  }
  if (item === '04_gromacs') {
    for (const sys of Object.values(gmx.systems) as Record<string, Record<string, unknown>>[]) {
      const files = sys['files'] as Record<string, string>;
      const toA = (rows: number[][]): number[][] => rows.map((r) => r.map((v) => 10 * v));
      for (const kind of ['xtc', 'trr'] as const) {
        if (files[`md.${kind}`] !== file) continue;
        const r = sys[kind] as Record<string, unknown>;
        const n = r['n_frames'] as number;
        const first = toA(r['first_frame_x_nm_atoms_0_1_2_last'] as number[][]);
        const last = toA(r['last_frame_x_nm_atoms_0_1_2_last'] as number[][]);
        const natoms = r['natoms'] as number;
        const idx = [0, 1, 2, natoms - 1];
        return {
          atoms: natoms,
          frames: n,
          times: r['times_ps'] as number[],
          box: [0, toA(r['box_nm_first'] as number[][]), 1e-5],
          positions: [
            ...first.map((p, k): [number, number, number[], number] => [0, idx[k]!, p, 1e-5]),
            ...last.map((p, k): [number, number, number[], number] => [n - 1, idx[k]!, p, 1e-5]),
          ],
        };
      }
      if (files['md.gro'] === file) return { atoms: sys['tpr_natoms'] as unknown as number, frames: 1 };
    }
    if (file.endsWith('.gro')) return { frames: 1 };
  }
  if (item === '05_formats' && fm.files[file]) {
    const meta = fm.files[file] as { n_frames?: number; n_molecules?: number };
    if (file.startsWith('molecules')) return { frames: meta.n_molecules };
    const tol = Number(
      (
        { extxyz: 1e-6, cif: 1e-4, POSCAR: 1e-6, pdb: 2e-3, xyz: 1e-4, gro: 1.1e-2, dcd: 1e-3, xtc: 1.1e-2 } as Record<
          string,
          number
        >
      )[file.split('.').pop()!] ?? 2e-3,
    );
    const p = fm.positions_A_atoms_0_1_last.first_frame as number[][];
    return {
      atoms: fm.natoms,
      frames: meta.n_frames,
      positions: [
        [0, 0, p[0]!, tol],
        [0, 1, p[1]!, tol],
        [0, fm.natoms - 1, p[2]!, tol],
      ],
    };
  }
  if (item === '06_alkanes' && file.endsWith('.sdf')) {
    return { frames: reference('06_alkanes').n_isomers * reference('06_alkanes').n_conformers_per_isomer };
  }
  if (item === '07_rmsd' && rmsd.pairs[file]) return { atoms: rmsd.pairs[file].natoms, frames: 2 };
  if (item === 'bad' && bad.files[file]?.complete_frames !== undefined)
    return { frames: bad.files[file].complete_frames };
  return {};
}

const entries = (manifest().files as { path: string }[])
  .map((f) => f.path)
  .filter((p) => !NOT_STRUCTURES.test(p) && !p.startsWith('bad/'));
const truncated = Object.entries(bad.files as Record<string, { complete_frames?: number }>)
  .filter(([, v]) => v.complete_frames !== undefined)
  .map(([k]) => `bad/${k}`);

describe.each([...entries, ...truncated])('%s', (path) => {
  it('reads as the references say', () => {
    const want = expectations(path);
    const { reader, source } = openTrajectory(corpusPath(...path.split('/')));
    try {
      if (want.frames !== undefined) expect(reader.frameCount).toBe(want.frames);
      if (want.atoms !== undefined) expect(reader.atomCount).toBe(want.atoms);
      if (path.startsWith('bad/')) expect(reader.warnings.join(' ')).toMatch(/truncat/i);
      for (let i = 0; i < reader.frameCount; i++) {
        const s = reader.readFrame(i);
        expect(s.positions.every(Number.isFinite), `frame ${i} finite`).toBe(true);
        if (want.times) expect(s.info['time']).toBeCloseTo(want.times[i]!, 6);
        for (const [f, a, xyz, tol] of want.positions ?? []) {
          if (f !== i) continue;
          for (let k = 0; k < 3; k++)
            expect(Math.abs(s.positions[3 * a + k]! - xyz[k]!), `frame ${f} atom ${a}`).toBeLessThanOrEqual(tol);
        }
        if (want.box && want.box[0] === i) {
          for (let r = 0; r < 3; r++) {
            for (let k = 0; k < 3; k++)
              expect(Math.abs(s.cell![3 * r + k]! - want.box[1][r]![k]!)).toBeLessThanOrEqual(want.box[2]);
          }
        }
      }
    } finally {
      reader.close();
      source.close?.();
    }
  });
});
