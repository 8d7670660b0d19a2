/**
 * The host's channel to its parent. Under Electron the host is a utilityProcess and talks
 * through `process.parentPort`; under `atomscope serve`, the CLI and tests it is a
 * child_process.fork child (serialization 'advanced', so typed arrays survive) and talks
 * through process.send. 'electron' is never imported: the same bundle runs under plain Node.
 */
import type { FromHost } from './protocol.js';

/** The part of Electron's parentPort the host uses (typed here to avoid importing electron). */
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface ParentTransport {
  send(msg: FromHost): void;
  onMessage(cb: (msg: unknown) => void): void;
  /** The parent went away; the host should exit rather than linger as an orphan. */
  onDisconnect(cb: () => void): void;
}

export function connectToParent(): ParentTransport | null {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (cb) => {
        parentPort.on('message', (e) => cb(e.data));
      },
      // Electron ends a utility process together with the app; nothing to watch.
      onDisconnect: () => {},
    };
  }
  if (process.send) {
    return {
      send: (msg) => {
        // After a disconnect the parent is gone and there is no one left to tell.
        if (process.connected) process.send?.(msg, undefined, undefined, () => {});
      },
      onMessage: (cb) => {
        process.on('message', cb);
      },
      onDisconnect: (cb) => {
        process.on('disconnect', cb);
      },
    };
  }
  return null;
}
