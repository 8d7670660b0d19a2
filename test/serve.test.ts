// `atomscope serve` transport: token and origin checks, the API over WebSocket with the real
// backend and compute host, and a dropped file's bytes streamed in chunks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createBackend, type Backend } from '../src/backend/handlers';
import { ComputeSupervisor } from '../src/backend/compute-supervisor';
import { forkHost } from '../src/node/fork-host';
import { startServer, type RunningServer } from '../src/server/serve';
import { decodeMessage, encodeMessage } from '../src/shared/wire';
import type { ServerFrame } from '../src/shared/protocol';
import type { AppEvent, OpenFile } from '../src/shared/types';
import { corpusPath } from './corpus';

let server: RunningServer;
let backend: Backend;
let compute: ComputeSupervisor;
const events: AppEvent[] = [];
const token = 'a'.repeat(48);
let staticRoot: string;

beforeAll(async () => {
  staticRoot = mkdtempSync(path.join(tmpdir(), 'atomscope-static-'));
  writeFileSync(path.join(staticRoot, 'index.html'), '<!doctype html><title>t</title>');
  compute = new ComputeSupervisor(() => forkHost());
  let broadcast: (e: AppEvent) => void = () => undefined;
  backend = createBackend({
    compute,
    emit: (e) => {
      events.push(e);
      broadcast(e);
    },
    mode: 'browser',
    versions: {},
    appVersion: 'test',
    initialFiles: [],
  });
  server = await startServer({ host: '127.0.0.1', port: 0, staticRoot, handlers: backend.handlers, token });
  broadcast = server.broadcast;
});

afterAll(async () => {
  await server?.close();
  await backend?.dispose();
  compute?.dispose();
});

const base = (): string => `http://127.0.0.1:${server.port}`;

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws${query}`, { headers });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function caller(ws: WebSocket): (method: string, input: unknown) => Promise<ServerFrame> {
  let id = 0;
  const waiting = new Map<number, (f: ServerFrame) => void>();
  ws.on('message', (data: Buffer) => {
    const f = decodeMessage(new Uint8Array(data)) as ServerFrame;
    if (f.kind === 'result') waiting.get(f.id)?.(f);
  });
  return (method, input) =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      ws.send(encodeMessage({ kind: 'call', id: n, method, input }));
    });
}

describe('atomscope serve', () => {
  it('prints a URL on 127.0.0.1 with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('refuses API calls without the token (HTTP 401) and with a wrong one', async () => {
    expect((await fetch(`${base()}/api/app.info`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${base()}/api/app.info?token=nope`, { method: 'POST', body: '{}' })).status).toBe(401);
    const ok = await fetch(`${base()}/api/app.info?token=${token}`, { method: 'POST', body: '{}' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { value: { name: string } }).value.name).toBe('Atomscope');
  });

  it('refuses WebSocket upgrades without the token or from a foreign origin', async () => {
    await expect(connect('')).rejects.toThrow(/401/);
    await expect(connect(`?token=${token}`, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const ws = await connect(`?token=${token}`, { origin: base() });
    ws.close();
  });

  it('refuses HTTP API calls from a foreign origin even with the token', async () => {
    const r = await fetch(`${base()}/api/app.info?token=${token}`, {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://evil.example' },
    });
    expect(r.status).toBe(403);
  });

  it('serves static files but never outside the renderer folder', async () => {
    const r = await fetch(`${base()}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await fetch(`${base()}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('answers invalid input with a typed error and keeps serving', async () => {
    const ws = await connect(`?token=${token}`);
    const call = caller(ws);
    const bad = await call('frames.read', { id: 'x', index: 'three' });
    expect(bad).toMatchObject({ kind: 'result', ok: false, error: { code: 'invalid-input' } });
    const info = await call('app.info', {});
    expect(info).toMatchObject({ ok: true });
    ws.close();
  });

  it('streams a dropped file in chunks, opens it in the compute host and reads frames as typed arrays', async () => {
    const ws = await connect(`?token=${token}`);
    const call = caller(ws);
    const bytes = new Uint8Array(readFileSync(corpusPath('05_formats', 'Cu111_slab.extxyz')));
    const begin = await call('files.uploadBegin', { name: 'Cu111_slab.extxyz', size: bytes.length });
    if (!begin.kind || begin.kind !== 'result' || !begin.ok) throw new Error('uploadBegin failed');
    const { uploadId } = begin.value as { uploadId: string };
    const chunk = 4096;
    for (let o = 0; o < bytes.length; o += chunk) {
      const r = await call('files.uploadChunk', { uploadId, offset: o, data: bytes.subarray(o, o + chunk) });
      expect(r).toMatchObject({ ok: true });
    }
    const end = await call('files.uploadEnd', { uploadId, jobId: 'job-1' });
    expect(end).toMatchObject({ ok: true, value: { atoms: 27, frames: 8, name: 'Cu111_slab.extxyz' } });
    const file = (end as { value: OpenFile }).value;
    const frame = await call('frames.read', { id: file.id, index: 7 });
    expect(frame).toMatchObject({ ok: true });
    const data = (frame as { value: { numbers: Uint8Array; positions: Float32Array } }).value;
    expect(data.numbers).toBeInstanceOf(Uint8Array);
    expect(data.positions).toBeInstanceOf(Float32Array);
    expect(data.positions.length).toBe(81);
    expect(events.some((e) => e.type === 'files.changed')).toBe(true);
    ws.close();
  });

  it('refuses a chunk past the declared size', async () => {
    const ws = await connect(`?token=${token}`);
    const call = caller(ws);
    const begin = (await call('files.uploadBegin', { name: 'a.xyz', size: 4 })) as { value: { uploadId: string } };
    const r = await call('files.uploadChunk', { uploadId: begin.value.uploadId, offset: 2, data: new Uint8Array(8) });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    ws.close();
  });
});
