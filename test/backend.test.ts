// API handlers against the real compute host: opening files, pairing, frames, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../src/backend/handlers';
import { ComputeSupervisor } from '../src/backend/compute-supervisor';
import { forkHost } from '../src/node/fork-host';
import type { AppEvent } from '../src/shared/types';
import { corpusPath } from './corpus';

let backend: Backend;
let compute: ComputeSupervisor;
const events: AppEvent[] = [];

beforeAll(() => {
  compute = new ComputeSupervisor(() => forkHost());
  backend = createBackend({
    compute,
    emit: (e) => events.push(e),
    mode: 'browser',
    versions: {},
    appVersion: 'test',
    initialFiles: [],
  });
});

afterAll(async () => {
  await backend.dispose();
  compute.dispose();
});

describe('backend handlers', () => {
  it('pairs a GROMACS XTC with its GRO dropped together and reads frames with elements', async () => {
    const [gro, xtc] = await backend.handlers['files.open']({
      paths: [corpusPath('04_gromacs', 'water_public_final.gro'), corpusPath('04_gromacs', 'water_public.xtc')],
      jobId: 'open-1',
    });
    expect(xtc!.format).toBe('xtc');
    expect(xtc!.topology).toEqual({ id: gro!.id, name: 'water_public_final.gro' });
    expect(xtc!.elements['O']).toBe(gro!.elements['O']);
    expect(xtc!.elements['H']).toBe(2 * xtc!.elements['O']!);
    const frame = await backend.handlers['frames.read']({ id: xtc!.id, index: 3 });
    expect(frame.numbers.filter((z) => z === 8).length).toBe(xtc!.elements['O']);
    expect(frame.time).toBeCloseTo(0.06, 6);
    expect(events.some((e) => e.type === 'job.progress' && e.jobId === 'open-1')).toBe(true);
  });

  it('closing the topology returns its trajectory to unknown elements', async () => {
    const [gro, xtc] = await backend.handlers['files.open']({
      paths: [corpusPath('04_gromacs', 'water_public_final.gro'), corpusPath('04_gromacs', 'water_public.xtc')],
    });
    expect(xtc!.topology?.id).toBe(gro!.id);
    await backend.handlers['files.close']({ id: gro!.id });
    const after = (await backend.handlers['files.list']({})).find((f) => f.id === xtc!.id)!;
    expect(after.topology).toBeUndefined();
    expect(after.elements).toEqual({ X: 1530 });
  });

  it('cancels a multi-file open as one job', async () => {
    const opening = backend.handlers['files.open']({
      paths: [corpusPath('01_lj_argon', 'argon_public_short.lammpstrj'), corpusPath('04_gromacs', 'water_public.trr')],
      jobId: 'open-many',
    });
    expect(await backend.handlers['jobs.cancel']({ jobId: 'open-many' })).toEqual({ cancelled: true });
    await expect(opening).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('does not pair files of different atom counts', async () => {
    const [, xtc] = await backend.handlers['files.open']({
      paths: [corpusPath('05_formats', 'Cu111_slab_frame0.cif'), corpusPath('01_lj_argon', 'argon_public_prod.xtc')],
    });
    expect(xtc!.topology).toBeUndefined();
  });

  it('reports a missing file and a bad file as typed errors naming the file', async () => {
    await expect(backend.handlers['files.open']({ paths: ['/nope/missing.xyz'] })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('/nope/missing.xyz'),
    });
    await expect(backend.handlers['files.open']({ paths: [corpusPath('bad', 'empty.xyz')] })).rejects.toMatchObject({
      code: 'parse-error',
      message: expect.stringContaining('empty.xyz'),
    });
  });

  it('refuses a frame index past the end with the file name', async () => {
    const [f] = await backend.handlers['files.open']({ paths: [corpusPath('05_formats', 'Cu111_slab.extxyz')] });
    await expect(backend.handlers['frames.read']({ id: f!.id, index: 8 })).rejects.toThrow(
      /Cu111_slab\.extxyz has 8 frames/,
    );
  });
});
