/**
 * The renderer's one way to reach the backend. In Electron the preload bridge exposes the
 * API table as `window.atomscope`; in browser mode (`atomscope serve`) the same calls go over
 * a WebSocket authenticated by the page's token. Both give `call(method, input)` and events.
 */
import type { InputOf, OutputOf } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import type { MethodName } from '../../../shared/methods';
import type { ClientFrame, ServerFrame } from '../../../shared/protocol';
import type { AppEvent } from '../../../shared/types';
import { decodeMessage, encodeMessage } from '../../../shared/wire';
import type { AtomscopeBridge, AtomscopeShell } from '../../../shared/bridge';

export interface Backend {
  readonly mode: 'electron' | 'browser';
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  onEvent(listener: (e: AppEvent) => void): () => void;
  /** A dropped File as something the backend can open (a path in Electron, an upload otherwise). */
  pathForFile(file: File): string | null;
}

declare global {
  interface Window {
    atomscope?: AtomscopeBridge;
    atomscopeShell?: AtomscopeShell;
  }
}

class ElectronBackend implements Backend {
  readonly mode = 'electron' as const;
  constructor(
    private readonly bridge: AtomscopeBridge,
    private readonly shell: AtomscopeShell,
  ) {}
  async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const [group, name] = method.split('.') as [string, string];
    const fn = (this.bridge as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[group]?.[
      name
    ];
    if (!fn) throw new ApiError('unknown-method', `the bridge has no ${method}`);
    const envelope = (await fn(input)) as { ok: boolean; value?: unknown; error?: ApiError };
    if (!envelope.ok) throw ApiError.fromData(envelope.error as never);
    return envelope.value as OutputOf<M>;
  }
  onEvent(listener: (e: AppEvent) => void): () => void {
    return this.shell.onEvent(listener);
  }
  pathForFile(file: File): string | null {
    return this.shell.pathForFile(file) || null;
  }
}

class WebSocketBackend implements Backend {
  readonly mode = 'browser' as const;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly listeners = new Set<(e: AppEvent) => void>();
  private socket: Promise<WebSocket> | null = null;

  constructor(private readonly url: string) {}

  private connect(): Promise<WebSocket> {
    this.socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => resolve(ws);
      ws.onerror = () =>
        reject(new ApiError('forbidden', 'could not connect to the Atomscope server (is the token right?)'));
      ws.onclose = () => {
        this.socket = null;
        for (const p of this.pending.values()) p.reject(new ApiError('internal', 'connection to the server closed'));
        this.pending.clear();
      };
      ws.onmessage = (msg) => this.receive(decodeMessage(new Uint8Array(msg.data as ArrayBuffer)) as ServerFrame);
    });
    return this.socket;
  }

  private receive(frame: ServerFrame): void {
    if (frame.kind === 'event') {
      for (const l of this.listeners) l(frame.event);
      return;
    }
    const p = this.pending.get(frame.id);
    if (!p) return;
    this.pending.delete(frame.id);
    if (frame.ok) p.resolve(frame.value);
    else p.reject(ApiError.fromData(frame.error));
  }

  async call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const ws = await this.connect();
    const id = this.nextId++;
    const frame: ClientFrame = { kind: 'call', id, method, input };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(encodeMessage(frame));
    });
  }

  onEvent(listener: (e: AppEvent) => void): () => void {
    this.listeners.add(listener);
    void this.connect().catch(() => undefined);
    return () => this.listeners.delete(listener);
  }

  pathForFile(): string | null {
    return null;
  }
}

export function connectBackend(): Backend {
  if (window.atomscope && window.atomscopeShell) return new ElectronBackend(window.atomscope, window.atomscopeShell);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocketBackend(`${proto}//${location.host}/api/ws?token=${encodeURIComponent(token)}`);
}
