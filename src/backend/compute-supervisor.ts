/**
 * The backend's side of the compute host: sends jobs, routes progress and results back to
 * their callers, and keeps the host alive. When the host process dies (a native crash, an
 * out-of-memory kill) the jobs it was running fail with 'host-crashed' and a fresh host is
 * started; if it keeps dying, restarts stop for a while instead of looping.
 */
import {
  isFromHost,
  type FromHost,
  type HostHandle,
  type JobErrorCode,
  type ToHost,
} from '../shared/compute-protocol.js';

export type { HostHandle } from '../shared/compute-protocol.js';

/** Job failures from the host, plus 'host-crashed' when the host process itself died. */
export type ComputeErrorCode = JobErrorCode | 'host-crashed';

export class ComputeError extends Error {
  override readonly name = 'ComputeError';
  constructor(
    readonly code: ComputeErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface RunOptions {
  onProgress?: (fraction: number, message: string) => void;
  /** Aborting rejects the call at once with 'cancelled' and tells the host to stop the job. */
  signal?: AbortSignal;
}

export interface RestartEvent {
  /** Restarts so far, this one included. */
  restarts: number;
  /** How the previous host ended. */
  code: number | null;
  signal: string | null;
}

export interface SupervisorOptions {
  /** Restarts allowed within `restartWindowMs`; one more crash and restarting pauses. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** Delay before the second, third... restart within the window (doubles each time, capped). */
  backoffMs?: number;
}

interface Pending {
  job: string;
  params: unknown;
  /** Handed to the current host (so it dies with it); unsent jobs wait for 'ready'. */
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: ComputeError): void;
  onProgress: ((fraction: number, message: string) => void) | undefined;
  detach(): void;
}

const MAX_BACKOFF_MS = 2000;

export class ComputeSupervisor {
  private host: HostHandle | null = null;
  private ready = false;
  private poolSize: number | null = null;
  private nextId = 1;
  // Insertion order is submission order, so queued jobs go out first-come first-served.
  private readonly pending = new Map<number, Pending>();
  private crashTimes: number[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private restartCount = 0;
  /** Set while restarting is paused after too many crashes. */
  private pausedSince: number | null = null;
  private pauseReason = '';
  private disposed = false;
  private readonly restartListeners = new Set<(e: RestartEvent) => void>();
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly backoffMs: number;

  constructor(
    private readonly spawn: () => HostHandle,
    options: SupervisorOptions = {},
  ) {
    this.maxRestarts = options.maxRestarts ?? 5;
    this.windowMs = options.restartWindowMs ?? 10_000;
    this.backoffMs = options.backoffMs ?? 250;
    this.start();
  }

  /** Times the host has been restarted after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Worker threads of the running host (null until it reported ready). */
  get workers(): number | null {
    return this.poolSize;
  }

  /** Called after each restart; returns a function that removes the listener. */
  onRestart(listener: (e: RestartEvent) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  run<T>(job: string, params: unknown, options: RunOptions = {}): Promise<T> {
    if (this.disposed) {
      return Promise.reject(new ComputeError('cancelled', `'${job}' was not run: the compute host has been shut down`));
    }
    if (this.pausedSince !== null) {
      if (Date.now() - this.pausedSince < this.windowMs) {
        return Promise.reject(new ComputeError('host-crashed', `'${job}' was not run: ${this.pauseReason}`));
      }
      // The pause is over: one more try, on the user's request rather than in a loop.
      this.pausedSince = null;
      this.crashTimes = [];
      this.start();
    }
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(cancelled(job));
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = (): void => this.cancel(id);
      const p: Pending = {
        job,
        params,
        sent: false,
        resolve: (v) => resolve(v as T),
        reject,
        onProgress,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      this.pending.set(id, p);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.ready) this.send(id, p);
    });
  }

  /** Kills the host and fails every pending job with 'cancelled'. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const host = this.host;
    this.host = null;
    this.ready = false;
    host?.kill();
    this.rejectAll(() => new ComputeError('cancelled', 'the compute host was shut down'));
    this.restartListeners.clear();
  }

  private start(): void {
    this.ready = false;
    this.poolSize = null;
    let handle: HostHandle;
    try {
      handle = this.spawn();
    } catch (e) {
      this.pause(`the compute host could not be started: ${(e as Error).message}`);
      return;
    }
    this.host = handle;
    // Callbacks of a host that has since been replaced must not touch the new one's jobs.
    handle.onMessage((msg) => {
      if (this.host === handle) this.onMessage(msg);
    });
    handle.onExit((code, signal) => {
      if (this.host === handle) this.onExit(code, signal);
    });
  }

  private send(id: number, p: Pending): void {
    p.sent = true;
    this.post({ type: 'run', id, job: p.job, params: p.params });
  }

  private post(msg: ToHost): void {
    try {
      this.host?.postMessage(msg);
    } catch (e) {
      // A dead channel; the exit callback fails the job. Log for the case it never comes.
      console.error(`compute supervisor: could not send ${msg.type} ${msg.id} to the host: ${(e as Error).message}`);
    }
  }

  private cancel(id: number): void {
    const p = this.settle(id);
    if (!p) return;
    p.reject(cancelled(p.job));
    if (p.sent) this.post({ type: 'cancel', id });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.detach();
    return p;
  }

  private onMessage(raw: unknown): void {
    if (!isFromHost(raw)) {
      console.error('compute supervisor: ignoring a malformed message from the host');
      return;
    }
    const msg: FromHost = raw;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.poolSize = msg.workers;
        for (const [id, p] of this.pending) if (!p.sent) this.send(id, p);
        return;
      case 'progress': {
        const p = this.pending.get(msg.id);
        if (!p?.onProgress) return;
        try {
          p.onProgress(Math.min(1, Math.max(0, msg.fraction)), String(msg.message ?? ''));
        } catch (e) {
          console.error(`compute supervisor: progress listener of '${p.job}' threw: ${(e as Error).message}`);
        }
        return;
      }
      case 'result': {
        // Unknown ids are results of jobs already cancelled here; nobody waits for them.
        const p = this.settle(msg.id);
        if (!p) return;
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new ComputeError(msg.error.code, msg.error.message, msg.error.details));
        return;
      }
    }
  }

  private onExit(code: number | null, signal: string | null): void {
    this.host = null;
    this.ready = false;
    this.poolSize = null;
    if (this.disposed) return;
    const how = signal ?? `exit code ${code}`;
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < this.windowMs), now];
    const crashes = this.crashTimes.length;
    const giveUp = crashes > this.maxRestarts;
    const delay = crashes <= 1 ? 0 : Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** (crashes - 2));

    // Restart before failing the jobs, so a caller that retries at once finds a host coming up.
    let next: string;
    if (giveUp) {
      next = `it crashed ${crashes} times within ${this.windowMs / 1000} s and is not restarted for now`;
    } else if (delay === 0) {
      this.restart(code, signal);
      next = 'it has been restarted';
    } else {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        this.restart(code, signal);
      }, delay);
      next = `it will be restarted in ${delay} ms`;
    }

    const inFlight = [...this.pending].filter(([, p]) => p.sent);
    const jobs = inFlight.map(([, p]) => p.job);
    for (const [id, p] of inFlight) {
      if (!this.settle(id)) continue;
      p.reject(
        new ComputeError('host-crashed', `the compute host crashed (${how}) while running '${p.job}'; ${next}`, {
          job: p.job,
          exitCode: code,
          signal,
          inFlight: jobs,
        }),
      );
    }
    if (giveUp) {
      this.pause(
        `the compute host crashed ${crashes} times within ${this.windowMs / 1000} s (last: ${how}), so it is not ` +
          `restarted for now; it is tried again on a request after ${this.windowMs / 1000} s. If it keeps crashing, ` +
          `a file or job is crashing it: see the log`,
      );
    }
  }

  private restart(code: number | null, signal: string | null): void {
    if (this.disposed) return;
    this.restartCount++;
    this.start();
    const event: RestartEvent = { restarts: this.restartCount, code, signal };
    for (const listener of this.restartListeners) {
      try {
        listener(event);
      } catch (e) {
        console.error(`compute supervisor: restart listener threw: ${(e as Error).message}`);
      }
    }
  }

  /** Stops restarting for a window and fails everything waiting, with `reason`. */
  private pause(reason: string): void {
    this.pausedSince = Date.now();
    this.pauseReason = reason;
    this.host = null;
    this.rejectAll((job) => new ComputeError('host-crashed', `'${job}' was not run: ${reason}`));
  }

  private rejectAll(error: (job: string) => ComputeError): void {
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(error(p.job));
    }
  }
}

function cancelled(job: string): ComputeError {
  return new ComputeError('cancelled', `'${job}' was cancelled`);
}
