/**
 * Starts the compute host as a forked Node child (`atomscope serve`, the CLI, tests; Electron
 * uses a utilityProcess instead). 'advanced' serialization is the structured clone, so typed
 * arrays cross the channel as typed arrays rather than JSON objects.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HostHandle } from '../shared/compute-protocol.js';

// Where the bundle sits relative to this code: bundled into out/node (CLI), into out/main
// (Electron main), or run from src/node (tests, tsx).
const CANDIDATES = ['./compute-host.js', '../node/compute-host.js', '../../out/node/compute-host.js'];

export function computeHostPath(): string {
  const tried = CANDIDATES.map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = tried.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`the compute host is not built (looked for ${tried.join(', ')}); run \`npm run build:node\``);
  }
  return found;
}

export function forkHost(env: NodeJS.ProcessEnv = process.env): HostHandle {
  const child = fork(computeHostPath(), [], {
    serialization: 'advanced',
    env,
    // Not the parent's flags (a test runner's loaders); source maps make job stacks readable.
    execArgv: ['--enable-source-maps'],
    // The host's stdout goes to our stderr: a stray log line must never corrupt the CLI's
    // stdout (JSON, CSV). stderr is shared as is.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });

  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  let exited = false;
  const emitExit = (code: number | null, signal: string | null): void => {
    if (exited) return;
    exited = true;
    for (const cb of exitListeners) cb(code, signal);
  };
  child.on('exit', emitExit);
  child.on('error', (e) => {
    console.error(`compute host: ${e.message}`);
    // A child that never started emits no 'exit'; report it as one so the supervisor acts.
    if (child.pid === undefined) emitExit(null, null);
  });

  return {
    postMessage(msg) {
      if (!child.connected) return;
      child.send(msg, (err) => {
        if (err) console.error(`compute host: could not send a message: ${err.message}`);
      });
    },
    onMessage(cb) {
      child.on('message', (msg: unknown) => cb(msg));
    },
    onExit(cb) {
      exitListeners.push(cb);
    },
    kill() {
      child.kill();
    },
  };
}
