/**
 * The dashboards' store against a fake backend: the form becomes the API's parameters (frames
 * as a slice with the last frame inclusive, empty fields left to the defaults), each overlaid
 * file runs as its own job whose progress reaches its row, Cancel calls jobs.cancel with that
 * job id, and exports ask for the panel's files with the export options.
 */
import { describe, expect, test } from 'vitest';
import type { Backend } from '../api/client';
import type { InputOf, OutputOf } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import type { AnalysisResult, AppEvent, OpenFile } from '../../../shared/types';
import { AnalysesStore, formParams, type PanelForm } from './analyses';

type Handler = (input: unknown) => Promise<unknown>;

class FakeBackend implements Backend {
  readonly mode = 'browser' as const;
  readonly calls: { method: MethodName; input: unknown }[] = [];
  readonly handlers: Partial<Record<MethodName, Handler>> = {};
  private listener: ((e: AppEvent) => void) | null = null;
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    this.calls.push({ method, input });
    const h = this.handlers[method];
    if (!h) return Promise.reject(new ApiError('unknown-method', method));
    return h(input) as Promise<OutputOf<M>>;
  }
  onEvent(listener: (e: AppEvent) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }
  emit(e: AppEvent): void {
    this.listener?.(e);
  }
  pathForFile(): string | null {
    return null;
  }
}

function file(id: string): OpenFile {
  return {
    id,
    name: `${id}.xtc`,
    path: `/data/${id}.xtc`,
    format: 'xtc',
    atoms: 3,
    frames: 10,
    elements: { Ar: 3 },
    cell: null,
    pbc: [true, true, true],
    time: null,
    columns: [],
    warnings: [],
    size: 1,
  };
}

function result(source: string): AnalysisResult {
  return {
    kind: 'rdf',
    source,
    columns: [
      { name: 'r_A', label: 'r (Å)', values: Float64Array.of(1, 2) },
      { name: 'g_r', label: 'g(r)', values: Float64Array.of(0, 1) },
    ],
    x: 'r_A',
    y: ['g_r'],
    frame: null,
    summary: { peak_r_A: 2 },
    marks: [],
    overlays: [],
    params: {},
    warnings: [],
  };
}

const form = (patch: Partial<PanelForm>): PanelForm => ({
  first: '',
  last: '',
  stride: '',
  dt: '',
  rmax: '',
  bins: '',
  pair: '',
  select: '',
  fitStart: '',
  fitEnd: '',
  origins: 'first',
  ref: '0',
  fit: '',
  measure: '',
  source: 'auto',
  runs: '',
  ...patch,
});

describe('formParams', () => {
  test('frames first/last (inclusive)/stride become a slice; only the kind’s fields go out', () => {
    expect(
      formParams('rdf', form({ first: '10', last: '99', stride: '5', rmax: '8.5', bins: '170', select: 'x' })),
    ).toEqual({ frames: '10:100:5', rmax: 8.5, bins: 170 });
    expect(formParams('rdf', form({}))).toEqual({});
    expect(formParams('msd', form({ stride: '2', fitStart: '2', fitEnd: '10', select: 'element Ar' }))).toEqual({
      frames: '::2',
      fitStart: 2,
      fitEnd: 10,
      select: 'element Ar',
    });
    expect(formParams('rmsd', form({ fit: 'name CA' }))).toEqual({ ref: 0, fit: 'name CA' });
    expect(formParams('thermo', form({ runs: '1:' }))).toEqual({ source: 'auto', runs: '1:' });
  });

  test('a field that is not a number is an error naming the field', () => {
    expect(() => formParams('rdf', form({ bins: '1.5' }))).toThrow(/bins/);
    expect(() => formParams('rdf', form({ rmax: 'far' }))).toThrow(/r max/);
    expect(() => formParams('msd', form({ stride: '0' }))).toThrow(/stride/);
  });
});

describe('AnalysesStore', () => {
  test('one job per overlaid file; progress to its row; results kept raw; cancel by job id', async () => {
    const backend = new FakeBackend();
    const files = [file('a'), file('b')];
    const errors: unknown[] = [];
    const store = new AnalysesStore(
      backend,
      () => files,
      (e) => errors.push(e),
    );
    const pending: Record<string, (v: unknown) => void> = {};
    backend.handlers['analysis.run'] = (input) =>
      new Promise((resolve, reject) => {
        const { fileId, jobId } = input as { fileId: string; jobId: string };
        pending[fileId] = resolve;
        backend.handlers['jobs.cancel'] = async (c) => {
          if ((c as { jobId: string }).jobId === jobId) reject(new ApiError('cancelled', 'cancelled'));
          return { cancelled: true };
        };
      });
    store.toggleFile('rdf', 'b', 'a'); // the active file a, plus b
    store.state.panels.rdf.form.rmax = '8';
    const running = store.run('rdf', 'a');
    const runs = backend.calls
      .filter((c) => c.method === 'analysis.run')
      .map((c) => c.input as Record<string, unknown>);
    expect(runs.map((r) => r['fileId'])).toEqual(['a', 'b']);
    expect(runs[0]!['params']).toEqual({ rmax: 8 });
    expect(runs[0]!['jobId']).not.toBe(runs[1]!['jobId']);
    expect(store.isRunning('rdf')).toBe(true);

    backend.emit({
      type: 'job.progress',
      jobId: runs[0]!['jobId'] as string,
      fraction: 0.5,
      message: 'g(r): frame 5 of 10',
    });
    expect(store.state.panels.rdf.runs['a']!.fraction).toBe(0.5);
    expect(store.state.panels.rdf.runs['a']!.message).toMatch(/frame 5/);

    pending['a']!({ result: result('a.xtc'), cached: false, ms: 12 });
    store.cancel('rdf'); // b is still running
    await running;
    expect(store.state.panels.rdf.runs['a']!.status).toBe('done');
    expect(store.state.panels.rdf.runs['b']!.status).toBe('cancelled');
    expect(errors).toEqual([]);
    const done = store.results('rdf', 'a');
    expect(done.map((r) => r.fileId)).toEqual(['a']);
    expect(done[0]!.result!.columns[0]!.values).toBeInstanceOf(Float64Array);
  });

  test('export asks for the finished files with the scale and transparency chosen, and saves the bytes', async () => {
    const backend = new FakeBackend();
    const saved: { name: string; mime: string; bytes: Uint8Array }[] = [];
    const store = new AnalysesStore(
      backend,
      () => [file('a')],
      () => undefined,
      {
        save: (name, mime, bytes) => saved.push({ name, mime, bytes }),
      },
    );
    backend.handlers['analysis.run'] = async () => ({ result: result('a.xtc'), cached: true, ms: 0 });
    backend.handlers['analysis.exportFigure'] = async () => ({
      fileName: 'rdf-a.png',
      mime: 'image/png',
      bytes: Uint8Array.of(1, 2, 3),
    });
    await store.run('rdf', 'a');
    store.setExport({ scale: 3, transparent: true });
    await store.export('rdf', 'png', 'a');
    const call = backend.calls.find((c) => c.method === 'analysis.exportFigure')!.input;
    expect(call).toEqual({
      items: [{ fileId: 'a', kind: 'rdf', params: {} }],
      format: 'png',
      scale: 3,
      transparent: true,
    });
    expect(saved).toEqual([{ name: 'rdf-a.png', mime: 'image/png', bytes: Uint8Array.of(1, 2, 3) }]);
  });
});
