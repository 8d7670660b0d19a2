/**
 * The names of every API method, in one list with no dependencies, so the preload bridge
 * and the renderer client can build themselves from it without pulling in zod.
 * `api.ts` holds the schema and output type of each; a test keeps the two in step.
 */
export const METHOD_NAMES = [
  'app.info',
  'files.open',
  'files.list',
  'files.close',
  'files.uploadBegin',
  'files.uploadChunk',
  'files.uploadEnd',
  'frames.read',
  'jobs.cancel',
  'analysis.run',
  'analysis.exportFigure',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** The single push-event channel name (Electron IPC) / message type (WebSocket). */
export const EVENT_CHANNEL = 'atomscope:event';

/** Electron IPC channel of a method. */
export function ipcChannel(method: MethodName): string {
  return `atomscope:${method}`;
}
