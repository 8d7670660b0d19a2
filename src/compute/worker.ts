/**
 * Entry of a compute pool worker thread (bundled to out/node/compute-worker.js). Runs one
 * job at a time as the pool sends them and posts progress and exactly one result per job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AbortError } from '../core/io/format.js';
import { createJobRegistry, type JobContext } from './jobs.js';
import { toJobError } from './job-error.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

// Progress faster than a display frame is noise on the wire; the final 1 always goes out.
const PROGRESS_INTERVAL_MS = 16;

function connect(): { port: NonNullable<typeof parentPort>; cancelFlag: Int32Array } {
  const init = workerData as WorkerInit | undefined;
  if (!parentPort || !(init?.cancelFlag instanceof SharedArrayBuffer)) {
    throw new Error('compute-worker.js runs only as a worker thread started by the compute host pool');
  }
  return { port: parentPort, cancelFlag: new Int32Array(init.cancelFlag) };
}

const { port, cancelFlag } = connect();
const jobs = createJobRegistry();

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

function contextFor(id: number): JobContext {
  let lastSent = -Infinity;
  const isCancelled = (): boolean => Atomics.load(cancelFlag, 0) === 1;
  return {
    progress(fraction, message) {
      const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
      const now = performance.now();
      if (f < 1 && now - lastSent < PROGRESS_INTERVAL_MS) return;
      lastSent = now;
      post({ type: 'progress', id, fraction: f, message: String(message) });
    },
    isCancelled,
    throwIfCancelled() {
      if (isCancelled()) throw new AbortError();
    },
  };
}

async function run(msg: ToWorker): Promise<void> {
  const job = jobs.get(msg.job);
  if (!job) {
    post({
      type: 'result',
      id: msg.id,
      ok: false,
      error: {
        code: 'unknown-job',
        message: `the compute host has no job named '${msg.job}'`,
        details: { job: msg.job, known: [...jobs.keys()] },
      },
    });
    return;
  }
  let result: FromWorker;
  try {
    const value: unknown = await job(msg.params, contextFor(msg.id));
    result = { type: 'result', id: msg.id, ok: true, value };
  } catch (e) {
    result = { type: 'result', id: msg.id, ok: false, error: toJobError(e, msg.job) };
  }
  try {
    post(result);
  } catch (e) {
    // A result that structured clone rejects (a function, a class with private state...).
    post({
      type: 'result',
      id: msg.id,
      ok: false,
      error: {
        code: 'job-failed',
        message: `the result of '${msg.job}' cannot be sent between processes: ${(e as Error).message}`,
        details: { job: msg.job },
      },
    });
  }
}

port.on('message', (msg: ToWorker) => {
  void run(msg);
});
