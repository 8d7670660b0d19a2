/**
 * Entry of the compute host process (bundled to out/node/compute-host.js). It owns the
 * worker pool that runs every long job, so a crash here, native ones included, costs the
 * app only the jobs in flight: the backend's ComputeSupervisor restarts the process.
 */
import { isToHost } from './protocol.js';
import { WorkerPool } from './pool.js';
import { connectToParent } from './transport.js';

/** ATOMSCOPE_COMPUTE_WORKERS=n overrides the pool size (tests, shared machines). */
function poolSizeFromEnv(): number | undefined {
  const raw = process.env['ATOMSCOPE_COMPUTE_WORKERS'];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

const transport = connectToParent();
if (!transport) {
  console.error('compute-host.js must be started by Atomscope (a utilityProcess or a fork with an IPC channel)');
  process.exit(2);
}

const pool = new WorkerPool((msg) => transport.send(msg), {
  workerUrl: new URL('./compute-worker.js', import.meta.url),
  size: poolSizeFromEnv(),
});

transport.onMessage((msg) => {
  if (!isToHost(msg)) {
    console.error('compute host: ignoring a malformed message', msg);
    return;
  }
  if (msg.type === 'run') pool.run(msg);
  else pool.cancel(msg.id);
});

transport.onDisconnect(() => {
  const exit = (): never => process.exit(0);
  // A worker stuck in native code may never finish terminating; do not outlive the parent.
  setTimeout(exit, 1000);
  void pool.close().finally(exit);
});

transport.send({ type: 'ready', workers: pool.size });
