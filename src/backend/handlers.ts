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
import type {
  AnalysisResult,
  AnalysisRunOutput,
  AppEvent,
  AppInfo,
  ExportedFigure,
  FileSummary,
  FrameData,
  OpenFile,
} from '../shared/types.js';
import { formats } from '../core/io/registry.js';
import { COORDINATE_TRAJECTORIES, pairFiles } from '../core/io/pairing.js';
import { AnalysisCache, analysisKey, fileStamp } from './analysis-cache.js';
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
  /** Results of analyses by (inputs, parameters); one per backend unless shared. */
  analysisCache?: AnalysisCache;
}

export interface Backend {
  handlers: ApiHandlers;
  dispose(): Promise<void>;
}

export function createBackend(ctx: BackendContext): Backend {
  const files = new Map<string, OpenFile>();
  const jobs = new Map<string, AbortController>();
  const uploads = ctx.uploads ?? new UploadStore();
  const analyses = ctx.analysisCache ?? new AnalysisCache();

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

  /**
   * One analysis of an open file, from the cache when the same file (path, size, mtime) and
   * topology were analysed with the same parameters, else as a compute-host job.
   */
  async function runAnalysis(
    item: { fileId: string; kind: AnalysisResult['kind']; params: Record<string, unknown> },
    scope: JobScope,
  ): Promise<AnalysisRunOutput> {
    const f = fileById(item.fileId);
    const top = f.topology ? files.get(f.topology.id) : undefined;
    const stamps = await Promise.all([f.path, ...(top ? [top.path] : [])].map(fileStamp)).catch(() => {
      throw new ApiError('not-found', `${f.name}: the file is no longer readable`);
    });
    const key = analysisKey(item.kind, stamps, item.params);
    const hit = analyses.get(key);
    if (hit) {
      scope.onProgress?.(1, 'from the cache');
      return { result: { ...hit, source: f.name }, cached: true, ms: 0 };
    }
    const started = Date.now();
    const params = { ...item.params, path: f.path, topology: top?.path, name: f.name };
    const result = await runJob<AnalysisResult>(`analysis.${item.kind}`, params, scope).catch((e: unknown) => {
      // Name the file as the user knows it (an upload lives under a temporary path).
      if (e instanceof Error && (e as { code?: unknown }).code !== 'cancelled') {
        e.message = e.message.split(f.path).join(f.name);
        if (!e.message.startsWith(`${f.name}:`)) e.message = `${f.name}: ${e.message}`;
      }
      throw e;
    });
    analyses.set(key, result);
    return { result, cached: false, ms: Date.now() - started };
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
    'analysis.run': async ({ jobId, ...item }) => inJob(jobId, (scope) => runAnalysis(item, scope)),
    'analysis.exportFigure': async ({ jobId, items, format, ...options }) =>
      inJob(jobId, async (scope) => {
        const results: AnalysisResult[] = [];
        for (const [i, item] of items.entries()) {
          const part: JobScope = {
            signal: scope.signal,
            onProgress: scope.onProgress
              ? (fraction, message) => scope.onProgress!((0.9 * (i + fraction)) / items.length, message)
              : undefined,
          };
          results.push((await runAnalysis(item, part)).result);
        }
        const kinds = new Set(items.map((i) => i.kind));
        if (kinds.size > 1) throw new ApiError('invalid-input', 'a figure overlays one kind of analysis');
        const first = fileById(items[0]!.fileId).name.replace(/\.[^.]*$/, '');
        const fileName = `${items[0]!.kind}-${items.length > 1 ? `${first}-and-${items.length - 1}-more` : first}`;
        return runJob<ExportedFigure>('analysis.figure', { results, format, fileName, ...options }, scope);
      }),
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
