/**
 * The compute host's messages. The backend <-> host contract lives in shared/ (the backend
 * may not import compute/); this module re-exports it for the host side and adds the
 * messages between the pool and its worker threads, which never leave the host process.
 */
export type {
  CancelMessage,
  FromHost,
  JobError,
  JobErrorCode,
  ProgressMessage,
  ReadyMessage,
  ResultMessage,
  RunMessage,
  ToHost,
} from '../shared/compute-protocol.js';
export { isFromHost, isToHost } from '../shared/compute-protocol.js';

import type { ProgressMessage, ResultMessage, RunMessage } from '../shared/compute-protocol.js';

/** Pool -> worker: the same run message the host received. */
export type ToWorker = RunMessage;

/** Worker -> pool. */
export type FromWorker = ProgressMessage | ResultMessage;

/** `workerData` of every pool worker. */
export interface WorkerInit {
  /**
   * One Int32 slot: 1 while the worker's current job is cancelled. Shared memory so a
   * synchronous job sees the cancel without returning to its event loop.
   */
  cancelFlag: SharedArrayBuffer;
}
