/**
 * The job registry: job name -> function. Jobs run in pool worker threads and get a
 * JobContext for progress and cancellation. Self-test jobs (sleep, throw, exit, abort...)
 * exist only when ATOMSCOPE_SELFTEST_JOBS=1, so a production host cannot be told to crash.
 */
import { analysisJobs } from './jobs/analysis.js';
import { selftestJobs } from './jobs/selftest.js';
import { simulationJobs } from './jobs/simulation.js';
import { structureJobs } from './jobs/structure.js';

export interface JobContext {
  /** Reports progress; `fraction` in [0, 1]. Cheap to call often (the worker throttles). */
  progress(fraction: number, message: string): void;
  /** True once the job has been cancelled; cheap enough to poll inside synchronous loops. */
  isCancelled(): boolean;
  /** Throws AbortError (reported as 'cancelled') when the job has been cancelled. */
  throwIfCancelled(): void;
}

/** A job returns its result or a promise of it; the result must be structured-cloneable. */
export type Job = (params: unknown, ctx: JobContext) => unknown;

export type JobTable = Readonly<Record<string, Job>>;

export function createJobRegistry(env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, Job> {
  const tables: JobTable[] = [structureJobs, analysisJobs, simulationJobs];
  if (env['ATOMSCOPE_SELFTEST_JOBS'] === '1') tables.push(selftestJobs);
  return new Map(tables.flatMap((t) => Object.entries(t)));
}
