// The compute supervisor against a real forked host (out/node, built by the global setup),
// plus its restart bookkeeping against a scripted in-process host.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import type { FileSummary, FrameData } from '../shared/types.js';
import type { FromHost, HostHandle, ToHost } from '../shared/compute-protocol.js';
import { forkHost } from '../node/fork-host.js';
import { ComputeError, ComputeSupervisor } from './compute-supervisor.js';

const SELFTEST_ENV = { ...process.env, ATOMSCOPE_SELFTEST_JOBS: '1' };

/** The rejection of `p` as a ComputeError (fails the test when `p` resolves). */
async function failureOf(p: Promise<unknown>): Promise<ComputeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ComputeError);
    return e as ComputeError;
  }
  throw new Error('expected the call to reject');
}

/** Resolves on the first progress event, so the job is known to be running. */
function started(): { onProgress: () => void; running: Promise<void> } {
  let mark = (): void => {};
  const running = new Promise<void>((resolve) => (mark = resolve));
  return { onProgress: () => mark(), running };
}

describe('ComputeSupervisor with a forked host', () => {
  let sup: ComputeSupervisor;
  beforeAll(() => {
    sup = new ComputeSupervisor(() => forkHost(SELFTEST_ENV));
  });
  afterAll(() => sup.dispose());

  it('round-trips typed arrays', async () => {
    const value = { f64: Float64Array.of(1.5, -2.25, Math.PI), u8: Uint8Array.of(1, 29, 255), name: 'Cu' };
    const back = await sup.run<typeof value>('selftest.echo', { value });
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect(Array.from(back.f64)).toEqual([1.5, -2.25, Math.PI]);
    expect(back.u8).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.u8)).toEqual([1, 29, 255]);
    expect(back.name).toBe('Cu');
    expect(sup.workers).toBeGreaterThanOrEqual(1);
  });

  it('reports progress as fractions in [0, 1]', async () => {
    const events: [number, string][] = [];
    const result = await sup.run<{ slept: number }>(
      'selftest.sleep',
      { ms: 150 },
      { onProgress: (f, m) => events.push([f, m]) },
    );
    expect(result.slept).toBeGreaterThanOrEqual(150);
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const [f, m] of events) {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
      expect(m).toMatch(/slept \d+ of 150 ms/);
    }
    const fractions = events.map(([f]) => f);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
  });

  it('cancels a running job quickly and frees its worker', async () => {
    const controller = new AbortController();
    const { onProgress, running } = started();
    const job = sup.run('selftest.sleep', { ms: 10_000 }, { signal: controller.signal, onProgress });
    await running;
    const t0 = Date.now();
    controller.abort();
    const err = await failureOf(job);
    expect(err.code).toBe('cancelled');
    expect(err.message).toContain("'selftest.sleep'");
    await sup.run('selftest.echo', { value: 1 });
    // Well below the 2 s after which the pool would terminate a job that ignores cancel.
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('rejects with the message of a throwing job while a concurrent job completes', async () => {
    const [slept, thrown] = await Promise.allSettled([
      sup.run<{ slept: number }>('selftest.sleep', { ms: 100 }),
      sup.run('selftest.throw', { message: 'potential table has no entry for Zr' }),
    ]);
    expect(slept.status).toBe('fulfilled');
    expect(thrown.status).toBe('rejected');
    const err = (thrown as PromiseRejectedResult).reason as ComputeError;
    expect(err.code).toBe('job-failed');
    expect(err.message).toBe('potential table has no entry for Zr');
  });

  it('fails only the job whose worker exits, and replaces the worker', async () => {
    const [exited, echoed] = await Promise.allSettled([
      sup.run('selftest.exit', { code: 3 }),
      sup.run<string>('selftest.echo', { value: 'still here' }),
    ]);
    expect(exited.status).toBe('rejected');
    const err = (exited as PromiseRejectedResult).reason as ComputeError;
    expect(err.code).toBe('worker-exited');
    expect(err.message).toBe("the worker running 'selftest.exit' exited with code 3");
    expect(echoed).toEqual({ status: 'fulfilled', value: 'still here' });
    expect(await sup.run('selftest.echo', { value: 7 })).toBe(7);
    expect(sup.restarts).toBe(0);
  });

  it('rejects an unknown job by name', async () => {
    const err = await failureOf(sup.run('structure.nonsense', {}));
    expect(err.code).toBe('unknown-job');
    expect(err.message).toContain("'structure.nonsense'");
  });

  it('summarises an extended XYZ trajectory and reads its frames', async () => {
    const file = corpusPath('05_formats', 'Cu111_slab.extxyz');
    const summary = await sup.run<FileSummary>('structure.summary', { path: file });
    expect(summary.atoms).toBe(27);
    expect(summary.frames).toBe(8);
    expect(summary.elements).toEqual({ Cu: 27 });
    expect(summary.pbc).toEqual([true, true, false]);
    expect(summary.size).toBe(statSync(file).size);
    expect(summary.cell?.[0]?.[0]).toBeCloseTo(7.65796644025031, 9);
    expect(summary.cell?.[2]?.[2]).toBeCloseTo(16.168468943549097, 9);

    const frame = await sup.run<FrameData>('structure.frame', { path: file, index: 7 });
    expect(frame.index).toBe(7);
    expect(frame.numbers).toBeInstanceOf(Uint8Array);
    expect(Array.from(frame.numbers)).toEqual(new Array<number>(27).fill(29));
    expect(frame.positions).toBeInstanceOf(Float32Array);
    expect(frame.positions).toHaveLength(81);
    expect(frame.cell).toHaveLength(9);

    const beyond = await failureOf(sup.run('structure.frame', { path: file, index: 8 }));
    expect(beyond.message).toContain('frame 8 does not exist');
  });

  it('reports a bad file as a parse error naming the file', async () => {
    const file = corpusPath('bad', 'empty.xyz');
    const err = await failureOf(sup.run('structure.summary', { path: file }));
    expect(err.code).toBe('parse-error');
    expect(err.message).toContain(file);
    expect(err.details).toMatchObject({ file });
  });

  it('reports a missing file with its path', async () => {
    const file = corpusPath('05_formats', 'no_such_file.xyz');
    const err = await failureOf(sup.run('structure.summary', { path: file }));
    expect(err.code).toBe('job-failed');
    expect(err.message).toBe(`${file}: no such file or directory`);
  });
});

describe('ComputeSupervisor with a one-worker host', () => {
  let sup: ComputeSupervisor;
  beforeAll(() => {
    sup = new ComputeSupervisor(() => forkHost({ ...SELFTEST_ENV, ATOMSCOPE_COMPUTE_WORKERS: '1' }));
  });
  afterAll(() => sup.dispose());

  it('reaches a synchronous job with cancel through shared memory', async () => {
    const controller = new AbortController();
    const { onProgress, running } = started();
    const job = sup.run('selftest.spin', { ms: 10_000 }, { signal: controller.signal, onProgress });
    await running;
    expect(sup.workers).toBe(1);
    const t0 = Date.now();
    controller.abort();
    expect((await failureOf(job)).code).toBe('cancelled');
    // The only worker is free again: the busy loop saw the flag, no terminate was needed.
    expect(await sup.run('selftest.echo', { value: 'next' })).toBe('next');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('terminates and replaces a worker whose job ignores cancel', async () => {
    const controller = new AbortController();
    const { onProgress, running } = started();
    const job = sup.run('selftest.spin', { ms: 10_000, ignoreCancel: true }, { signal: controller.signal, onProgress });
    await running;
    const t0 = Date.now();
    controller.abort();
    expect((await failureOf(job)).code).toBe('cancelled');
    expect(await sup.run('selftest.echo', { value: 'after' })).toBe('after');
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThan(1500); // the ~2 s grace period
    expect(waited).toBeLessThan(5000);
  });
});

describe('ComputeSupervisor when the host process dies', () => {
  it('fails the running job with host-crashed, restarts the host and carries on', async () => {
    const sup = new ComputeSupervisor(() => forkHost(SELFTEST_ENV));
    try {
      const restarts: number[] = [];
      sup.onRestart((e) => restarts.push(e.restarts));
      expect(await sup.run('selftest.echo', { value: 'before' })).toBe('before');
      const err = await failureOf(sup.run('selftest.abort', {}));
      expect(err.code).toBe('host-crashed');
      expect(err.message).toBe(
        "the compute host crashed (SIGABRT) while running 'selftest.abort'; it has been restarted",
      );
      expect(sup.restarts).toBe(1);
      expect(restarts).toEqual([1]);
      expect(await sup.run('selftest.echo', { value: 'after' })).toBe('after');
    } finally {
      sup.dispose();
    }
  });
});

/** A host driven by the test: records what it is sent, replies on demand. */
class ScriptedHost implements HostHandle {
  sent: ToHost[] = [];
  killed = false;
  private messageCb: (msg: unknown) => void = () => {};
  private exitCb: (code: number | null, signal: string | null) => void = () => {};
  postMessage(msg: ToHost): void {
    this.sent.push(msg);
  }
  onMessage(cb: (msg: unknown) => void): void {
    this.messageCb = cb;
  }
  onExit(cb: (code: number | null, signal: string | null) => void): void {
    this.exitCb = cb;
  }
  kill(): void {
    this.killed = true;
  }
  reply(msg: FromHost): void {
    this.messageCb(msg);
  }
  die(code: number | null, signal: string | null): void {
    this.exitCb(code, signal);
  }
}

describe('ComputeSupervisor bookkeeping (scripted host)', () => {
  function scripted(options?: ConstructorParameters<typeof ComputeSupervisor>[1]) {
    const hosts: ScriptedHost[] = [];
    const sup = new ComputeSupervisor(() => {
      const h = new ScriptedHost();
      hosts.push(h);
      return h;
    }, options);
    return { sup, hosts, host: (): ScriptedHost => hosts.at(-1)! };
  }

  it('holds jobs until the host is ready, then sends them in order', async () => {
    const { sup, host } = scripted();
    const a = sup.run('a', 1);
    const b = sup.run('b', 2);
    expect(host().sent).toEqual([]);
    host().reply({ type: 'ready', workers: 3 });
    expect(host().sent.map((m) => m.type === 'run' && m.job)).toEqual(['a', 'b']);
    const [ma, mb] = host().sent;
    host().reply({ type: 'result', id: mb!.id, ok: true, value: 'B' });
    host().reply({ type: 'result', id: ma!.id, ok: false, error: { code: 'job-failed', message: 'no' } });
    expect(await b).toBe('B');
    expect((await failureOf(a)).message).toBe('no');
    expect(sup.workers).toBe(3);
    sup.dispose();
  });

  it('drops a queued job on abort without sending it', async () => {
    const { sup, host } = scripted();
    const controller = new AbortController();
    const job = sup.run('a', 1, { signal: controller.signal });
    controller.abort();
    expect((await failureOf(job)).code).toBe('cancelled');
    host().reply({ type: 'ready', workers: 1 });
    expect(host().sent).toEqual([]);
    sup.dispose();
  });

  it('names the exit code, keeps queued jobs for the new host, and stops restarting after too many crashes', async () => {
    const { sup, hosts, host } = scripted({ maxRestarts: 2, backoffMs: 1 });
    host().reply({ type: 'ready', workers: 1 });
    const running = sup.run('md.run', {});
    host().die(137, null);
    const err = await failureOf(running);
    expect(err.message).toBe("the compute host crashed (exit code 137) while running 'md.run'; it has been restarted");
    expect(hosts).toHaveLength(2);

    const queued = sup.run<string>('late', {}); // the new host is not ready yet
    host().die(null, 'SIGKILL'); // second crash: restart after the back-off
    await new Promise((r) => setTimeout(r, 20));
    expect(hosts).toHaveLength(3);
    host().reply({ type: 'ready', workers: 1 });
    const sent = host().sent[0]!;
    host().reply({ type: 'result', id: sent.id, ok: true, value: 'done' });
    expect(await queued).toBe('done');
    expect(sup.restarts).toBe(2);

    host().die(null, 'SIGSEGV'); // third crash within the window: give up
    expect(hosts).toHaveLength(3);
    const refused = await failureOf(sup.run('echo', {}));
    expect(refused.code).toBe('host-crashed');
    expect(refused.message).toMatch(/crashed 3 times within 10 s \(last: SIGSEGV\), so it is not restarted/);
    sup.dispose();
  });

  it('rejects pending jobs and kills the host on dispose', async () => {
    const { sup, host } = scripted();
    host().reply({ type: 'ready', workers: 1 });
    const job = sup.run('a', {});
    sup.dispose();
    expect(host().killed).toBe(true);
    expect((await failureOf(job)).code).toBe('cancelled');
    expect((await failureOf(sup.run('b', {}))).code).toBe('cancelled');
  });
});
