// The API contract is one table: the preload bridge, Electron main's IPC handlers and the
// WebSocket server must all expose exactly its methods.
import { describe, expect, it, vi } from 'vitest';
import { api } from '../src/shared/api';
import { METHOD_NAMES, ipcChannel } from '../src/shared/methods';
import { buildBridge } from '../src/shared/bridge';
import { dispatch } from '../src/shared/dispatch';
import type { ApiHandlers } from '../src/shared/api';

const registered: string[] = [];
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string) => registered.push(channel) },
  app: {},
  session: {},
}));

function leafPaths(obj: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(obj).flatMap(([g, leaves]) =>
    Object.entries(leaves)
      .filter(([, f]) => typeof f === 'function')
      .map(([l]) => `${g}.${l}`),
  );
}

function fakeHandlers(): ApiHandlers {
  return Object.fromEntries(METHOD_NAMES.map((m) => [m, async () => ({ method: m })])) as unknown as ApiHandlers;
}

describe('API contract', () => {
  it('the method list and the schema table name the same methods', () => {
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('the preload bridge exposes exactly one function per method', () => {
    const bridge = buildBridge(METHOD_NAMES, async () => undefined);
    expect(leafPaths(bridge).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('Electron main registers exactly one IPC handler per method', async () => {
    const { registerApiHandlers } = await import('../src/main/ipc');
    const channels = registerApiHandlers(fakeHandlers());
    expect(channels.sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
    expect(registered.sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
  });

  it('the server dispatch answers every method and refuses unknown ones with a typed error', async () => {
    const handlers = fakeHandlers();
    for (const m of METHOD_NAMES) {
      const r = await dispatch(handlers, m, {});
      // Either answered or refused for its input, never "unknown method".
      if (!r.ok) expect(r.error.code).toBe('invalid-input');
    }
    const bad = await dispatch(handlers, 'files.delete', {});
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown-method' }) });
  });

  it('invalid input gives a typed invalid-input error naming the field, without calling the handler', async () => {
    let called = false;
    const handlers = { ...fakeHandlers(), 'frames.read': async () => ((called = true), {}) } as unknown as ApiHandlers;
    const r = await dispatch(handlers, 'frames.read', { id: 'abc', index: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.message).toMatch(/index/);
    }
    expect(called).toBe(false);
    const extra = await dispatch(handlers, 'app.info', { evil: true });
    expect(extra.ok).toBe(false);
  });

  it('a handler that throws becomes an error value, not a crash', async () => {
    const handlers = {
      ...fakeHandlers(),
      'files.list': async () => {
        throw new TypeError('boom');
      },
    } as unknown as ApiHandlers;
    const r = await dispatch(handlers, 'files.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });
});

describe('analysis methods of the contract', () => {
  it('are listed, start jobs, and validate kind, frames and figure options', async () => {
    for (const m of ['analysis.run', 'analysis.exportFigure'] as const) {
      expect(METHOD_NAMES).toContain(m);
      expect(api[m].job).toBe(true);
    }
    const handlers = fakeHandlers();
    const ok = await dispatch(handlers, 'analysis.run', {
      fileId: 'a',
      kind: 'rdf',
      params: { rmax: 8, frames: '0:100:2' },
    });
    expect(ok.ok).toBe(true);
    const bad = [
      ['analysis.run', { fileId: 'a', kind: 'bogus', params: {} }, /kind/],
      ['analysis.run', { fileId: 'a', kind: 'rdf', params: { frames: '1;rm' } }, /frames/],
      ['analysis.run', { fileId: 'a', kind: 'rdf', params: { rmax: -1 } }, /rmax/],
      ['analysis.run', { fileId: 'a', kind: 'rdf', params: { evil: 1 } }, /evil|unrecognized/i],
      ['analysis.exportFigure', { items: [], format: 'svg' }, /items/],
      ['analysis.exportFigure', { items: [{ fileId: 'a', kind: 'rdf', params: {} }], format: 'gif' }, /format/],
      [
        'analysis.exportFigure',
        { items: [{ fileId: 'a', kind: 'rdf', params: {} }], format: 'png', scale: 100 },
        /scale/,
      ],
    ] as const;
    for (const [method, input, pattern] of bad) {
      const r = await dispatch(handlers, method, input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-input');
        expect(r.error.message).toMatch(pattern);
      }
    }
  });
});
