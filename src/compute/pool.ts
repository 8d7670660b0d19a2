/**
 * The worker_threads pool of the compute host: a FIFO queue of jobs, one job per worker at a
 * time. A worker that dies fails only its own job and is replaced; a cancelled job that does
 * not stop within the grace period has its worker terminated, so cancel always frees a slot.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromHost, FromWorker, JobError, RunMessage, ToWorker, WorkerInit } from './protocol.js';

export interface PoolOptions {
  /** URL of the bundled worker entry (out/node/compute-worker.js). */
  workerUrl: URL;
  /** Number of worker threads; default availableParallelism - 1 (the UI keeps a core). */
  size?: number;
  /** How long a cancelled job may take to stop before its worker is terminated. */
  cancelGraceMs?: number;
}

interface Task {
  id: number;
  job: string;
  params: unknown;
  /** Jobs on the same file go to the worker that has it open (see jobs/reader-cache.ts). */
  affinity: string | undefined;
}

interface Slot {
  worker: Worker;
  flag: Int32Array;
  task: Task | null;
  cancelTimer: NodeJS.Timeout | null;
  /** Started successfully; a worker that dies before this is a broken install, not a job. */
  online: boolean;
  /** Terminated on purpose; its exit is not a failure. */
  retiring: boolean;
  lastError: Error | null;
  recent: string[];
}

const RECENT_FILES = 8;

export function defaultPoolSize(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export class WorkerPool {
  readonly size: number;
  private readonly workerUrl: URL;
  private readonly cancelGraceMs: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(
    private readonly send: (msg: FromHost) => void,
    options: PoolOptions,
  ) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    this.workerUrl = options.workerUrl;
    this.cancelGraceMs = options.cancelGraceMs ?? 2000;
    // One warm worker, so the first job does not wait for a thread to start.
    this.spawn();
  }

  get workerCount(): number {
    return this.slots.size;
  }

  run(msg: RunMessage): void {
    if (this.closed) {
      this.send(
        failure(msg.id, { code: 'cancelled', message: `'${msg.job}' was not run: the compute host is shutting down` }),
      );
      return;
    }
    const path = (msg.params as { path?: unknown } | null)?.path;
    this.queue.push({
      id: msg.id,
      job: msg.job,
      params: msg.params,
      affinity: typeof path === 'string' ? path : undefined,
    });
    this.pump();
  }

  cancel(id: number): void {
    const queued = this.queue.findIndex((t) => t.id === id);
    if (queued >= 0) {
      const job = this.queue.splice(queued, 1)[0]?.job;
      this.send(failure(id, { code: 'cancelled', message: `'${job}' was cancelled before it started` }));
      return;
    }
    const slot = [...this.slots].find((s) => s.task?.id === id);
    if (!slot || slot.cancelTimer) return;
    Atomics.store(slot.flag, 0, 1);
    slot.cancelTimer = setTimeout(() => this.forceStop(slot), this.cancelGraceMs);
  }

  /** Terminates every worker; queued jobs are dropped (the host is going away with them). */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await Promise.all(
      [...this.slots].map((s) => {
        s.retiring = true;
        return s.worker.terminate();
      }),
    );
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const task = this.queue[0]!;
      const slot = this.idleSlotFor(task) ?? (this.liveCount() < this.size ? this.spawn() : null);
      if (!slot) return;
      this.queue.shift();
      this.dispatch(slot, task);
    }
  }

  private idleSlotFor(task: Task): Slot | null {
    let any: Slot | null = null;
    for (const s of this.slots) {
      if (s.task || s.retiring) continue;
      if (task.affinity !== undefined && s.recent.includes(task.affinity)) return s;
      any ??= s;
    }
    return any;
  }

  private liveCount(): number {
    let n = 0;
    for (const s of this.slots) if (!s.retiring) n++;
    return n;
  }

  private dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    // Cleared before the message goes out, so a cancel arriving after this point sticks.
    Atomics.store(slot.flag, 0, 0);
    const msg: ToWorker = { type: 'run', id: task.id, job: task.job, params: task.params };
    try {
      slot.worker.postMessage(msg);
    } catch (e) {
      this.finish(
        slot,
        failure(task.id, {
          code: 'job-failed',
          message: `cannot send '${task.job}' to a worker: ${(e as Error).message}`,
        }),
      );
    }
  }

  private spawn(): Slot {
    const cancelFlag = new SharedArrayBuffer(4);
    const init: WorkerInit = { cancelFlag };
    const slot: Slot = {
      worker: new Worker(this.workerUrl, { workerData: init }),
      flag: new Int32Array(cancelFlag),
      task: null,
      cancelTimer: null,
      online: false,
      retiring: false,
      lastError: null,
      recent: [],
    };
    this.slots.add(slot);
    slot.worker.on('online', () => {
      slot.online = true;
    });
    slot.worker.on('message', (msg: FromWorker) => this.onWorkerMessage(slot, msg));
    // An uncaught error ends the thread; 'exit' follows and reports it with the job.
    slot.worker.on('error', (e) => {
      slot.lastError = e;
    });
    slot.worker.on('exit', (code) => this.onWorkerExit(slot, code));
    return slot;
  }

  private onWorkerMessage(slot: Slot, msg: FromWorker): void {
    const task = slot.task;
    // A late message of a job already given up on (force-stopped) has no one to go to.
    if (!task || msg.id !== task.id) return;
    if (msg.type === 'progress') {
      if (Atomics.load(slot.flag, 0) === 0) this.send(msg);
      return;
    }
    this.finish(slot, msg);
    this.pump();
  }

  private finish(slot: Slot, result: FromHost): void {
    const task = slot.task;
    if (slot.cancelTimer) clearTimeout(slot.cancelTimer);
    slot.cancelTimer = null;
    slot.task = null;
    if (task?.affinity !== undefined) {
      slot.recent = [task.affinity, ...slot.recent.filter((p) => p !== task.affinity)].slice(0, RECENT_FILES);
    }
    this.send(result);
  }

  private forceStop(slot: Slot): void {
    const task = slot.task;
    if (!task) return;
    const seconds = this.cancelGraceMs / 1000;
    this.finish(
      slot,
      failure(task.id, {
        code: 'cancelled',
        message: `'${task.job}' did not stop within ${seconds} s of being cancelled; its worker thread was stopped`,
      }),
    );
    slot.retiring = true;
    void slot.worker.terminate();
    // Replace it now rather than at 'exit': the queue should not wait for the teardown.
    this.pump();
  }

  private onWorkerExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    if (slot.cancelTimer) clearTimeout(slot.cancelTimer);
    const task = slot.task;
    slot.task = null;
    if (task && !slot.retiring) {
      const cause = slot.lastError ? ` after an uncaught error: ${slot.lastError.message}` : '';
      this.send(
        failure(task.id, {
          code: 'worker-exited',
          message: `the worker running '${task.job}' exited with code ${code}${cause}`,
          details: { job: task.job, exitCode: code, error: slot.lastError?.message },
        }),
      );
    }
    if (this.closed) return;
    if (!slot.online && !slot.retiring) {
      // The worker could not even start (missing bundle, bad install): failing the queue
      // beats respawning in a loop. The next run() tries again.
      const why = slot.lastError?.message ?? `exit code ${code}`;
      for (const t of this.queue.splice(0)) {
        this.send(
          failure(t.id, {
            code: 'worker-exited',
            message: `no compute worker could be started for '${t.job}': ${why}`,
          }),
        );
      }
      return;
    }
    if (this.slots.size === 0 && this.queue.length === 0) this.spawn();
    this.pump();
  }
}

function failure(id: number, error: JobError): FromHost {
  return { type: 'result', id, ok: false, error };
}
