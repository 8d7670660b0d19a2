/**
 * 'simulation.run': a gallery preset (core/md/presets) as a compute-host job.
 *
 *   params: { preset: 'argon' | 'muller-brown' | 'adatom', settings?: {key: value},
 *             outDir?: string, stride?: number }
 *   result: the preset's JSON report + { outDir, written: [absolute paths] }
 *
 * The run is synchronous in the pool worker: cancellation reaches it through the shared
 * cancel flag, polled every 10 steps (the runner throws AbortError, reported as
 * 'cancelled'). Progress carries the fraction done and a line with stage, step,
 * temperature and energy. `stride` sets how often thermo rows and frames are produced
 * (the preset's thermo_every and traj_every) where the preset has those settings.
 *
 * Live frames and thermo rows reach the job as callbacks (PresetIO.onFrame / onThermo),
 * but JobContext only carries progress(fraction, message), so here they go to files in
 * outDir (thermo.csv, trajectory.extxyz) that the renderer can read as they grow, and
 * each thermo row is summarised in the progress message (stage, step, T, E, P).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  PRESETS,
  PresetError,
  resolveSettings,
  type OutputFile,
  type SettingValue,
} from '../../core/md/presets/index.js';
import type { JobContext, JobTable } from '../jobs.js';
import { numberParam, optionalStringParam, stringParam } from './params.js';

const JOB = 'simulation.run';

/** Buffered file output (many small writes per frame). */
class FileOutput implements OutputFile {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') {
      this.flush();
      writeSync(this.fd, chunk);
      return;
    }
    this.parts.push(chunk);
    this.size += chunk.length;
    // Flushed often enough that a reader following the file sees recent frames.
    if (this.size > 1 << 18) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0 || this.fd < 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

function settingsParam(params: unknown): Record<string, SettingValue> {
  const v = (params as Record<string, unknown>)['settings'];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new TypeError(`${JOB}: "settings" must be an object`);
  const out: Record<string, SettingValue> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') {
      throw new TypeError(`${JOB}: setting "${k}" must be a number, string or boolean`);
    }
    out[k] = x;
  }
  return out;
}

export function runSimulation(params: unknown, ctx: JobContext): Record<string, unknown> {
  const id = stringParam(params, 'preset', JOB);
  const preset = PRESETS[id];
  if (!preset) throw new TypeError(`${JOB}: unknown preset "${id}" (presets: ${Object.keys(PRESETS).join(', ')})`);
  const overrides = settingsParam(params);
  const stride = numberParam(params, 'stride', JOB, 0);
  if (stride > 0) {
    if (!Number.isInteger(stride)) throw new TypeError(`${JOB}: "stride" must be a positive integer`);
    for (const key of ['thermo_every', 'traj_every']) {
      if (preset.settings.some((s) => s.key === key) && overrides[key] === undefined) overrides[key] = stride;
    }
  }
  let settings;
  try {
    settings = resolveSettings(preset, overrides);
  } catch (e) {
    if (e instanceof PresetError) throw new TypeError(`${JOB}: ${e.message}`, { cause: e });
    throw e;
  }
  const outDir = optionalStringParam(params, 'outDir', JOB);
  if (outDir !== undefined) {
    if (existsSync(outDir) && !statSync(outDir).isDirectory())
      throw new TypeError(`${JOB}: ${outDir} is not a directory`);
    mkdirSync(outDir, { recursive: true });
  }
  const written: string[] = [];
  const report = preset.run(settings, {
    open: outDir
      ? (name) => {
          const file = path.resolve(outDir, path.basename(name));
          written.push(file);
          return new FileOutput(file);
        }
      : undefined,
    readText: (file) => readFileSync(file, 'utf8'),
    progress: (f, message) => ctx.progress(f, message),
    isCancelled: () => ctx.isCancelled(),
  });
  ctx.progress(1, `${id}: done`);
  return { ...report, outDir: outDir ? path.resolve(outDir) : null, written };
}

export const simulationJobs: JobTable = {
  [JOB]: runSimulation,
};
