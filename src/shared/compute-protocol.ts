/**
 * Messages between the backend (ComputeSupervisor) and the compute host process. They live
 * in shared/ because both sides import them and src/backend may not import src/compute.
 * Everything here is plain structured-clone data: typed arrays survive, class instances and
 * functions do not.
 */

/** Backend -> host: start job `job` under the caller-chosen `id`. */
export interface RunMessage {
  type: 'run';
  id: number;
  job: string;
  params: unknown;
}

/** Backend -> host: stop job `id` (queued: dropped; running: asked to stop, then killed). */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

export type ToHost = RunMessage | CancelMessage;

/** Host -> backend, once at start: the host accepts jobs; `workers` is its pool size. */
export interface ReadyMessage {
  type: 'ready';
  workers: number;
}

export interface ProgressMessage {
  type: 'progress';
  id: number;
  /** In [0, 1]. */
  fraction: number;
  message: string;
}

export type JobErrorCode = 'job-failed' | 'cancelled' | 'unknown-job' | 'worker-exited' | 'parse-error';

export interface JobError {
  code: JobErrorCode;
  /** Complete on its own, fit to show the user (a parse error names file and location). */
  message: string;
  /** parse-error: {file, format, location}; job-failed: {job, name, stack, ...}. */
  details?: unknown;
}

export type ResultMessage =
  { type: 'result'; id: number; ok: true; value: unknown } | { type: 'result'; id: number; ok: false; error: JobError };

export type FromHost = ReadyMessage | ProgressMessage | ResultMessage;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Shape check for what arrives over the process boundary (cheap; the payload is ours). */
export function isToHost(v: unknown): v is ToHost {
  if (!isRecord(v) || typeof v['id'] !== 'number') return false;
  if (v['type'] === 'cancel') return true;
  return v['type'] === 'run' && typeof v['job'] === 'string';
}

export function isFromHost(v: unknown): v is FromHost {
  if (!isRecord(v)) return false;
  switch (v['type']) {
    case 'ready':
      return typeof v['workers'] === 'number';
    case 'progress':
      return typeof v['id'] === 'number' && typeof v['fraction'] === 'number';
    case 'result':
      return typeof v['id'] === 'number' && (v['ok'] === true || (v['ok'] === false && isRecord(v['error'])));
    default:
      return false;
  }
}

/**
 * One running compute host as the backend sees it: a forked child (src/node/fork-host.ts)
 * or an Electron utilityProcess (src/main). Here rather than in backend/ so that src/node
 * can implement it without importing backend/.
 */
export interface HostHandle {
  /** Must not throw when the host is gone; the exit callback reports that. */
  postMessage(msg: ToHost): void;
  /** Raw messages; the supervisor checks their shape. */
  onMessage(cb: (msg: unknown) => void): void;
  /** Called once when the process ends (signal is e.g. 'SIGABRT', else null). */
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}
