/**
 * The workbench's file handling against a fake backend: files opened together go out as one
 * files.open call (so the backend pairs them), job progress reaches the task row, Cancel
 * calls jobs.cancel with the same job id and ends in a quiet note, and a pairing made later
 * (files.changed) re-reads the frames on screen with the topology's elements.
 */
import { describe, expect, test } from 'vitest';
import type { Backend } from '../api/client';
import type { InputOf, OutputOf } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import type { AppEvent, FrameData, OpenFile } from '../../../shared/types';
import { Workbench, type FrameSink } from './workbench';
import { formatTime } from './format';

function summary(name: string, format: string, extra: Partial<OpenFile> = {}): OpenFile {
  return {
    id: name.replace(/\W/g, '-'),
    name,
    path: `/data/${name}`,
    format,
    atoms: 3,
    frames: format === 'xtc' ? 10 : 1,
    elements: format === 'xtc' ? { X: 3 } : { H: 2, O: 1 },
    cell: null,
    pbc: [false, false, false],
    time: format === 'xtc' ? { start: 0, end: 0.18, step: 0.02 } : null,
    columns: [],
    warnings: [],
    size: 100,
    ...extra,
  };
}

type Handler = (input: unknown) => Promise<unknown>;

/** A backend whose methods the test scripts; records every call. */
class FakeBackend implements Backend {
  readonly mode: 'electron' | 'browser' = 'electron';
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
  pathForFile(file: File): string | null {
    return `/data/${file.name}`;
  }
  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }
}

/** A viewer stand-in: remembers the frames shown and reports each as drawn. */
class FakeSink implements FrameSink {
  readonly shown: FrameData[] = [];
  private listener: ((info: { frameIndex: number; atoms: number; drawMs: number }) => void) | null = null;
  showFrame(frame: FrameData): void {
    this.shown.push(frame);
    this.listener?.({ frameIndex: frame.index, atoms: frame.numbers.length, drawMs: 1 });
  }
  clear(): void {}
  onDraw(listener: (info: { frameIndex: number; atoms: number; drawMs: number }) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }
}

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

function file(name: string): File {
  return new File(['x'], name);
}

describe('Workbench: opening files', () => {
  test('files dropped together in Electron go out as ONE files.open call; the paired trajectory is shown', async () => {
    const be = new FakeBackend();
    const gro = summary('md.gro', 'gro');
    const xtc = summary('md.xtc', 'xtc', { topology: { id: gro.id, name: gro.name }, elements: { H: 2, O: 1 } });
    be.handlers['files.open'] = async () => [gro, xtc];
    be.handlers['frames.read'] = async (i) => ({
      index: (i as { index: number }).index,
      numbers: Uint8Array.of(8, 1, 1),
      positions: new Float32Array(9),
      cell: null,
      time: 0,
    });
    const wb = new Workbench(be);
    await wb.openDropped([file('md.gro'), file('md.xtc')]);
    expect(be.callsOf('files.open')).toEqual([{ paths: ['/data/md.gro', '/data/md.xtc'], jobId: expect.any(String) }]);
    expect(wb.state.files.map((f) => f.name)).toEqual(['md.gro', 'md.xtc']);
    expect(wb.state.activeId).toBe(xtc.id);
    expect(wb.state.tasks).toEqual([]);
  });

  test('job.progress reaches the task row; Cancel calls jobs.cancel with the job id and ends in a quiet note', async () => {
    const be = new FakeBackend();
    let reject!: (e: unknown) => void;
    be.handlers['files.open'] = () => new Promise((_, rej) => (reject = rej));
    be.handlers['jobs.cancel'] = async () => ({ cancelled: true });
    const wb = new Workbench(be);
    const done = wb.openPaths(['/data/big.xyz']);
    await tick();
    const { jobId } = be.callsOf('files.open')[0] as { jobId: string };
    expect(wb.state.tasks).toHaveLength(1);
    expect(wb.state.tasks[0]).toMatchObject({ label: 'big.xyz', cancellable: true });

    be.emit({ type: 'job.progress', jobId, fraction: 0.45, message: 'indexing XYZ frames' });
    expect(wb.state.tasks[0]).toMatchObject({ fraction: 0.45, detail: 'indexing XYZ frames' });
    be.emit({ type: 'job.progress', jobId: 'someone-else', fraction: 0.9, message: 'other' });
    expect(wb.state.tasks[0]!.fraction).toBe(0.45);

    wb.cancelTask(wb.state.tasks[0]!.id);
    expect(be.callsOf('jobs.cancel')).toEqual([{ jobId }]);
    reject(new ApiError('cancelled', "'structure.summary' was cancelled"));
    await done;
    expect(wb.state.tasks).toEqual([]);
    expect(wb.state.files).toEqual([]);
    expect(wb.state.messages.map((m) => [m.level, m.text])).toEqual([['info', 'big.xyz: cancelled']]);
  });

  test('when a batch fails part-way, the files it did not open are opened one by one', async () => {
    const be = new FakeBackend();
    const a = summary('a.gro', 'gro');
    const c = summary('c.gro', 'gro');
    const open = new Map<string, OpenFile>();
    be.handlers['files.open'] = async (input) => {
      const { paths } = input as { paths: string[] };
      for (const p of paths) {
        if (p.endsWith('b.xyz')) throw new ApiError('parse-error', 'b.xyz: xyz (line 4): bad atom line');
        const f = p.endsWith('a.gro') ? a : c;
        open.set(f.id, f);
      }
      return paths.map((p) => [...open.values()].find((f) => f.path === p)!);
    };
    be.handlers['files.list'] = async () => [...open.values()];
    be.handlers['frames.read'] = async () => ({
      index: 0,
      numbers: Uint8Array.of(8, 1, 1),
      positions: new Float32Array(9),
      cell: null,
    });
    const wb = new Workbench(be);
    await wb.openPaths(['/data/a.gro', '/data/b.xyz', '/data/c.gro']);
    expect(be.callsOf('files.open').map((i) => (i as { paths: string[] }).paths)).toEqual([
      ['/data/a.gro', '/data/b.xyz', '/data/c.gro'],
      ['/data/b.xyz'],
      ['/data/c.gro'],
    ]);
    expect(wb.state.files.map((f) => f.name)).toEqual(['a.gro', 'c.gro']);
    const errors = wb.state.messages.filter((m) => m.level === 'error');
    expect(errors.map((m) => [m.text, m.count])).toEqual([['b.xyz: xyz (line 4): bad atom line', 1]]);
  });

  test('a pairing made after the trajectory opened (files.changed) re-reads its frame with the new elements', async () => {
    const be = new FakeBackend();
    const xtc = summary('md.xtc', 'xtc');
    const gro = summary('md.gro', 'gro');
    let paired = false;
    be.handlers['files.open'] = async () => [xtc];
    be.handlers['files.list'] = async () =>
      paired ? [{ ...xtc, topology: { id: gro.id, name: gro.name }, elements: { H: 2, O: 1 } }, gro] : [xtc];
    be.handlers['frames.read'] = async (i) => ({
      index: (i as { index: number }).index,
      numbers: paired ? Uint8Array.of(8, 1, 1) : Uint8Array.of(0, 0, 0),
      positions: new Float32Array(9),
      cell: null,
      time: 0.02 * (i as { index: number }).index,
    });
    const wb = new Workbench(be);
    const sink = new FakeSink();
    wb.attachViewer(sink);
    await wb.openPaths(['/data/md.xtc']);
    wb.setFrame(3);
    await tick(10);
    expect(sink.shown.at(-1)).toMatchObject({ index: 3, numbers: Uint8Array.of(0, 0, 0) });
    expect(wb.state.shown.time).toBeCloseTo(0.06);

    paired = true;
    be.emit({ type: 'files.changed' });
    await tick(200);
    expect(wb.state.files.find((f) => f.id === xtc.id)?.topology?.name).toBe('md.gro');
    // The frame on screen is read again (not served from the cache) and drawn with O, H, H.
    expect(sink.shown.at(-1)).toMatchObject({ index: 3, numbers: Uint8Array.of(8, 1, 1) });
    wb.setFrame(3);
    expect(sink.shown.at(-1)!.numbers).toEqual(Uint8Array.of(8, 1, 1));
    wb.dispose();
  });
});

describe('formatTime', () => {
  test('ps with the decimals of the time step', () => {
    expect(formatTime(2, 0.019999999552965164)).toBe('2.00 ps');
    expect(formatTime(0, 0.02)).toBe('0.00 ps');
    expect(formatTime(12.5, 0.5)).toBe('12.5 ps');
    expect(formatTime(5000, 1)).toBe('5,000 ps');
    expect(formatTime(0.001234)).toBe('0.001234 ps');
    expect(formatTime(Number.NaN)).toBe('');
  });
});

describe('Workbench: menu commands', () => {
  test('File › Export Figure… (the export-figure menu event) asks the viewer pane for its export dialog', () => {
    const be = new FakeBackend();
    const wb = new Workbench(be);
    expect(wb.state.exportFigureRequests).toBe(0);
    be.emit({ type: 'menu', command: 'export-figure' });
    be.emit({ type: 'menu', command: 'export-figure' });
    expect(wb.state.exportFigureRequests).toBe(2);
    expect(wb.state.openDialogRequests).toBe(0);
  });
});
