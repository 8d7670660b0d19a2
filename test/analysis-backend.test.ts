// Analyses through the API against the real compute host: the same numbers as the CLI,
// progress events under the client's job id, cancel, the result cache, errors naming the
// file, and figures exported as SVG / PNG / CSV bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../src/backend/handlers';
import { ComputeSupervisor } from '../src/backend/compute-supervisor';
import { forkHost } from '../src/node/fork-host';
import type { AppEvent, OpenFile } from '../src/shared/types';
import { corpusPath, reference } from './corpus';
import { curvePaths, decodePng } from './png';

let backend: Backend;
let compute: ComputeSupervisor;
const events: AppEvent[] = [];
let xtc: OpenFile;
let dump: OpenFile;
const ar = reference('01_lj_argon');

beforeAll(async () => {
  compute = new ComputeSupervisor(() => forkHost());
  backend = createBackend({
    compute,
    emit: (e) => events.push(e),
    mode: 'browser',
    versions: {},
    appVersion: 'test',
    initialFiles: [],
  });
  [xtc, dump] = (await backend.handlers['files.open']({
    paths: [
      corpusPath('01_lj_argon', 'argon_public_prod.xtc'),
      corpusPath('01_lj_argon', 'argon_public_short.lammpstrj'),
    ],
  })) as [OpenFile, OpenFile];
});

afterAll(async () => {
  await backend.dispose();
  compute.dispose();
});

const column = (r: { columns: { name: string; values: Float64Array | string[] }[] }, name: string): Float64Array =>
  r.columns.find((c) => c.name === name)!.values as Float64Array;

describe('analysis.run', () => {
  it('g(r) of the argon XTC: the reference peak, typed arrays, progress under the job id; then from the cache', async () => {
    const params = { rmax: 8.5, bins: 170 };
    const first = await backend.handlers['analysis.run']({ fileId: xtc.id, kind: 'rdf', params, jobId: 'rdf-1' });
    expect(first.cached).toBe(false);
    const r = first.result;
    expect(r.kind).toBe('rdf');
    expect(r.source).toBe('argon_public_prod.xtc');
    expect(r.columns.map((c) => c.name)).toEqual(['r_A', 'g_r', 'coord_r']);
    expect(column(r, 'g_r')).toBeInstanceOf(Float64Array);
    expect(column(r, 'g_r')).toHaveLength(170);
    expect(Math.abs((r.summary['peak_r_A'] as number) - ar.rdf.first_peak_r_A_parabolic)).toBeLessThan(0.005);
    expect(r.summary['frames']).toBe(501);
    const progress = events.filter((e) => e.type === 'job.progress' && e.jobId === 'rdf-1');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.some((e) => e.type === 'job.progress' && /frame \d+ of 501/.test(e.message))).toBe(true);
    // Same file, same parameters in another key order: the cached result, at once.
    const again = await backend.handlers['analysis.run']({
      fileId: xtc.id,
      kind: 'rdf',
      params: { bins: 170, rmax: 8.5 },
    });
    expect(again.cached).toBe(true);
    expect(Array.from(column(again.result, 'g_r'))).toEqual(Array.from(column(r, 'g_r')));
    // Other parameters: computed anew.
    const other = await backend.handlers['analysis.run']({
      fileId: xtc.id,
      kind: 'rdf',
      params: { rmax: 8.5, bins: 85, frames: '::50' },
    });
    expect(other.cached).toBe(false);
    expect(other.result.summary['frames']).toBe(11);
  });

  it('MSD with a frame per lag (for the viewer cursor), D as the CLI; VACF of the dump with the log timestep', async () => {
    const { result } = await backend.handlers['analysis.run']({
      fileId: xtc.id,
      kind: 'msd',
      params: { fitStart: 2, fitEnd: 10 },
    });
    const want = ar.msd.D_cm2_per_s_multi_origin_mdanalysis_EinsteinMSD_lag_2ps_to_half;
    expect(Math.abs((result.summary['D_cm2_s'] as number) / want - 1)).toBeLessThan(1e-6);
    expect(result.frame).toBeInstanceOf(Int32Array);
    expect(result.frame!.length).toBe(501);
    expect(result.frame![10]).toBe(10);
    expect(result.overlays[0]!.name).toBe('fit');
    const strided = await backend.handlers['analysis.run']({ fileId: xtc.id, kind: 'msd', params: { frames: '::5' } });
    expect(strided.result.frame![3]).toBe(15);
    const v = await backend.handlers['analysis.run']({ fileId: dump.id, kind: 'vacf', params: {} });
    expect(Math.abs((v.result.summary['first_min_value'] as number) - ar.vacf.first_minimum_value)).toBeLessThan(0.005);
    expect(v.result.summary['time_source']).toMatch(/argon_public\.log\.lammps/);
  });

  it('RMSD and RMSF per frame; thermo from the LAMMPS log beside the trajectory', async () => {
    const rmsd = await backend.handlers['analysis.run']({ fileId: xtc.id, kind: 'rmsd', params: { frames: '0:20' } });
    expect(column(rmsd.result, 'rmsd_A')[0]).toBeLessThan(1e-9);
    expect(Array.from(rmsd.result.frame!)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const rmsf = await backend.handlers['analysis.run']({
      fileId: xtc.id,
      kind: 'rmsf',
      params: { frames: '0:20', measure: 'index 0:10' },
    });
    expect(column(rmsf.result, 'rmsf_A')).toHaveLength(10);
    const thermo = await backend.handlers['analysis.run']({ fileId: xtc.id, kind: 'thermo', params: { runs: '1:' } });
    expect(thermo.result.summary['thermo_source']).toBe('argon_public.log.lammps');
    expect(thermo.result.y).toEqual(['Temp']);
    expect(
      Math.abs((thermo.result.summary['Temp mean'] as number) / ar.mean_temperature_K_production - 1),
    ).toBeLessThan(1e-9);
  });

  it('cancels a running analysis by its job id', async () => {
    const running = backend.handlers['analysis.run']({
      fileId: xtc.id,
      kind: 'rdf',
      params: { rmax: 8, bins: 400 },
      jobId: 'rdf-cancel',
    });
    // Cancel as soon as it reports its first frames (the whole run takes under a second).
    while (!events.some((e) => e.type === 'job.progress' && e.jobId === 'rdf-cancel' && /frame/.test(e.message))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await backend.handlers['jobs.cancel']({ jobId: 'rdf-cancel' })).toEqual({ cancelled: true });
    await expect(running).rejects.toMatchObject({ code: 'cancelled', message: expect.not.stringMatching(/^argon/) });
    // Nothing cancelled lands in the cache.
    const after = await backend.handlers['analysis.run']({
      fileId: xtc.id,
      kind: 'rdf',
      params: { rmax: 8, bins: 400, frames: ':3' },
    });
    expect(after.cached).toBe(false);
  });

  it('errors name the file: no velocities for a VACF, a selection that matches nothing', async () => {
    await expect(backend.handlers['analysis.run']({ fileId: xtc.id, kind: 'vacf', params: {} })).rejects.toMatchObject({
      message: expect.stringMatching(/^argon_public_prod\.xtc: no velocities/),
    });
    await expect(
      backend.handlers['analysis.run']({ fileId: xtc.id, kind: 'msd', params: { select: 'element Cu' } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/argon_public_prod\.xtc: selection "element Cu" matches no atom/),
    });
    await expect(backend.handlers['analysis.run']({ fileId: 'nope', kind: 'rdf', params: {} })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});

describe('analysis.exportFigure', () => {
  const items = (): { fileId: string; kind: 'rdf'; params: { rmax: number; bins: number; frames: string } }[] => [
    { fileId: xtc.id, kind: 'rdf', params: { rmax: 8, bins: 80, frames: '::25' } },
    { fileId: dump.id, kind: 'rdf', params: { rmax: 8, bins: 80, frames: '::25' } },
  ];

  it('SVG overlay of two files: one curve per file, the file names as legend', async () => {
    const fig = await backend.handlers['analysis.exportFigure']({ items: items(), format: 'svg' });
    expect(fig.mime).toBe('image/svg+xml');
    expect(fig.fileName).toBe('rdf-argon_public_prod-and-1-more.svg');
    const svg = new TextDecoder().decode(fig.bytes);
    expect(svg).toContain('argon_public_prod.xtc');
    expect(svg).toContain('argon_public_short.lammpstrj');
    expect(curvePaths(svg)).toHaveLength(2);
  });

  it('PNG at the asked scale with a transparent background; CSV with the r, g columns', async () => {
    const png = await backend.handlers['analysis.exportFigure']({
      items: items().slice(0, 1),
      format: 'png',
      scale: 3,
      transparent: true,
    });
    const img = decodePng(png.bytes);
    expect([img.width, img.height]).toEqual([1920, 1200]);
    expect(img.pixels[3]).toBe(0);
    const csv = await backend.handlers['analysis.exportFigure']({ items: items().slice(0, 1), format: 'csv' });
    const rows = new TextDecoder().decode(csv.bytes).trim().split('\n');
    expect(rows[0]).toBe('r_A,g_r,coord_r');
    expect(rows).toHaveLength(81);
    const both = await backend.handlers['analysis.exportFigure']({ items: items(), format: 'csv' });
    expect(new TextDecoder().decode(both.bytes).split('\n')[0]).toBe('file,r_A,g_r,coord_r');
  });
});
