/** WebSocket frames of `atomscope serve` (encoded with wire.ts). */
import type { ApiErrorData } from './types.js';
import type { AppEvent } from './types.js';

export type ClientFrame = { kind: 'call'; id: number; method: string; input: unknown };

export type ServerFrame =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: ApiErrorData }
  | { kind: 'event'; event: AppEvent };
