/**
 * The API handlers: one per method of the contract. They run in Electron main or in
 * `atomscope serve` and stay thin: open-file bookkeeping here, every read and parse in the
 * compute host, so a bad or hostile file can at worst crash that process.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiHandlers } from '../shared/api.js';
import { ApiError } from '../shared/errors.js';
import type { AppEvent, AppInfo, FileSummary, FrameData, OpenFile } from '../shared/types.js';
import { formats } from '../core/io/registry.js';
import { COORDINATE_TRAJECTORIES, pairFiles } from '../core/io/pairing.js';
import { UploadStore } from './uploads.js';

/** What the handlers need from the compute host (ComputeSupervisor implements it). */
export interface ComputeRunner {
  run<T>(
    job: string,
    params: unknown,
    options?: { onProgress?: (fraction: number, message: string) => void; signal?: AbortSignal },
  ): Promise<T>;
}

interface JobScope {
  signal: AbortSignal;
  onProgress?: ((fraction: number, message: string) => void) | undefined;
}

export interface BackendContext {
  compute: ComputeRunner;
  /** Pushes an event to every connected window/page. */
  emit: (event: AppEvent) => void;
  mode: AppInfo['mode'];
  versions: Record<string, string>;
  appVersion: string;
  initialFiles: string[];
  uploads?: UploadStore;
}

export interface Backend {
  handlers: ApiHandlers;
  dispose(): Promise<void>;
}

export function createBackend(ctx: BackendContext): Backend {
  const files = new Map<string, OpenFile>();
  const jobs = new Map<string, AbortController>();
  const uploads = ctx.uploads ?? new UploadStore();

  /**
   * Runs `body` as one cancellable job: a client jobId names it for progress events and
   * jobs.cancel for its whole duration (all files of a multi-file open, pairing included).
   */
  async function inJob<T>(jobId: string | undefined, body: (scope: JobScope) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (jobId) jobs.set(jobId, controller);
    try {
      return await body({
        signal: controller.signal,
        onProgress: jobId
          ? (fraction, message) => ctx.emit({ type: 'job.progress', jobId, fraction, message })
          : undefined,
      });
    } finally {
      if (jobId) jobs.delete(jobId);
    }
  }

  function runJob<T>(job: string, params: unknown, scope: JobScope): Promise<T> {
    if (scope.signal.aborted) return Promise.reject(new ApiError('cancelled', 'cancelled'));
    return ctx.compute.run<T>(job, params, scope);
  }

  async function openOne(file: string, scope: JobScope, displayName?: string): Promise<OpenFile> {
    const abs = path.resolve(file);
    const st = await stat(abs).catch(() => null);
    if (!st) throw new ApiError('not-found', `${abs}: no such file`);
    if (!st.isFile()) throw new ApiError('not-found', `${abs}: not a regular file`);
    const summary = await runJob<FileSummary>('structure.summary', { path: abs }, scope).catch((e: unknown) => {
      // An uploaded file lives under a temporary path: name it as the user knows it.
      if (displayName && e instanceof Error) e.message = e.message.split(abs).join(displayName);
      throw e;
    });
    const id = randomBytes(6).toString('hex');
    const opened: OpenFile = { ...summary, id, name: displayName ?? path.basename(abs), path: abs };
    files.set(id, opened);
    ctx.emit({ type: 'files.changed' });
    return opened;
  }

  /**
   * Pairs coordinate-only trajectories with a structure file of the same atom count among
   * the open files, and re-summarises them with the topology's elements.
   */
  async function pairTopologies(scope: JobScope): Promise<void> {
    const open = [...files.values()];
    const unpaired = open.filter((f) => !f.topology || !files.has(f.topology.id));
    const pairs = pairFiles(
      open
        .map((f) => ({ key: f.id, name: f.name, format: f.format, atoms: f.atoms }))
        .filter((c) => !COORDINATE_TRAJECTORIES.has(c.format) || unpaired.some((u) => u.id === c.key)),
    );
    for (const [trajId, topId] of pairs) {
      const traj = files.get(trajId)!;
      const top = files.get(topId)!;
      const summary = await runJob<FileSummary>('structure.summary', { path: traj.path, topology: top.path }, scope);
      files.set(trajId, { ...traj, ...summary, topology: { id: top.id, name: top.name } });
    }
    if (pairs.size > 0) ctx.emit({ type: 'files.changed' });
  }

  function fileById(id: string): OpenFile {
    const f = files.get(id);
    if (!f) throw new ApiError('not-found', `no open file with id ${id}`);
    return f;
  }

  const handlers: ApiHandlers = {
    'app.info': async () => ({
      name: 'Atomscope',
      version: ctx.appVersion,
      mode: ctx.mode,
      versions: ctx.versions,
      initialFiles: ctx.initialFiles,
      formats: formats.map((f) => ({ id: f.id, label: f.label, extensions: f.extensions })),
    }),
    'files.open': async ({ paths, jobId }) =>
      inJob(jobId, async (scope) => {
        const opened: OpenFile[] = [];
        for (const p of paths) opened.push(await openOne(p, scope));
        await pairTopologies(scope);
        return opened.map((f) => files.get(f.id) ?? f);
      }),
    'files.list': async () => [...files.values()],
    'files.close': async ({ id }) => {
      const f = files.get(id);
      if (!f) return { closed: false };
      files.delete(id);
      await uploads.release(f.path);
      // Trajectories that took their elements from this file lose them again.
      for (const t of [...files.values()].filter((t) => t.topology?.id === id)) {
        const summary = await ctx.compute.run<FileSummary>('structure.summary', { path: t.path });
        const { topology: _dropped, ...rest } = t;
        files.set(t.id, { ...rest, ...summary });
      }
      ctx.emit({ type: 'files.changed' });
      return { closed: true };
    },
    'files.uploadBegin': async ({ name, size }) => ({ uploadId: await uploads.begin(name, size) }),
    'files.uploadChunk': async ({ uploadId, offset, data }) => ({
      received: await uploads.write(uploadId, offset, data),
    }),
    'files.uploadEnd': async ({ uploadId, jobId }) => {
      const { file, name } = await uploads.finish(uploadId);
      return inJob(jobId, async (scope) => {
        const opened = await openOne(file, scope, name);
        await pairTopologies(scope);
        return files.get(opened.id) ?? opened;
      });
    },
    'frames.read': async ({ id, index }) => {
      const f = fileById(id);
      if (index >= f.frames) {
        throw new ApiError('invalid-input', `${f.name} has ${f.frames} frames; frame ${index} does not exist`);
      }
      const top = f.topology ? files.get(f.topology.id) : undefined;
      return ctx.compute.run<FrameData>('structure.frame', { path: f.path, index, topology: top?.path });
    },
    'jobs.cancel': async ({ jobId }) => {
      const c = jobs.get(jobId);
      c?.abort();
      return { cancelled: Boolean(c) };
    },
  };

  return {
    handlers,
    dispose: async () => {
      for (const c of jobs.values()) c.abort();
      await uploads.dispose();
    },
  };
}
