/**
 * Jobs that exercise the host's failure paths (registered only with ATOMSCOPE_SELFTEST_JOBS=1):
 * slow async work, a busy synchronous loop, a thrown error, a worker thread exiting, and a
 * native-style crash of the whole host process.
 */
import type { JobContext, JobTable } from '../jobs.js';
import { anyParam, numberParam, stringParam } from './params.js';

const TICK_MS = 20;

async function sleep(params: unknown, ctx: JobContext): Promise<{ slept: number }> {
  const ms = numberParam(params, 'ms', 'selftest.sleep');
  const start = Date.now();
  for (;;) {
    ctx.throwIfCancelled();
    const elapsed = Date.now() - start;
    ctx.progress(Math.min(1, elapsed / ms), `slept ${elapsed} of ${ms} ms`);
    if (elapsed >= ms) return { slept: elapsed };
    await new Promise((resolve) => setTimeout(resolve, Math.min(TICK_MS, ms - elapsed)));
  }
}

/** Busy-waits without yielding, like a long synchronous analysis: only the shared flag reaches it. */
function spin(params: unknown, ctx: JobContext): { spun: number } {
  const ms = numberParam(params, 'ms', 'selftest.spin');
  const ignoreCancel = (params as { ignoreCancel?: unknown }).ignoreCancel === true;
  const start = Date.now();
  let lastReport = -Infinity;
  for (;;) {
    if (!ignoreCancel) ctx.throwIfCancelled();
    const elapsed = Date.now() - start;
    if (elapsed >= ms) return { spun: elapsed };
    if (elapsed - lastReport >= TICK_MS) {
      lastReport = elapsed;
      ctx.progress(elapsed / ms, `spun ${elapsed} of ${ms} ms`);
    }
  }
}

export const selftestJobs: JobTable = {
  'selftest.sleep': sleep,
  'selftest.spin': spin,
  'selftest.throw': (params) => {
    throw new Error(stringParam(params, 'message', 'selftest.throw'));
  },
  // In a worker thread process.exit ends only that thread, like a job that calls exit().
  'selftest.exit': (params) => process.exit(numberParam(params, 'code', 'selftest.exit', 1)),
  // Kills the whole host process with SIGABRT, as a native crash would. process.abort() itself
  // is refused inside worker threads, so the signal is sent to our own pid.
  'selftest.abort': () => {
    process.kill(process.pid, 'SIGABRT');
    // The signal is delivered asynchronously; never report a result in the meantime.
    return new Promise<never>(() => {});
  },
  'selftest.echo': (params) => anyParam(params, 'value', 'selftest.echo'),
};
