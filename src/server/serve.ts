/**
 * `atomscope serve`: the built renderer and the API on one port. Like Jupyter, it binds
 * 127.0.0.1 by default and requires a random token: every API call (HTTP or WebSocket)
 * without it is refused, and so is any request from a foreign Origin.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHandlers } from '../shared/api.js';
import { dispatch } from '../shared/dispatch.js';
import { decodeMessage, encodeMessage } from '../shared/wire.js';
import type { ClientFrame, ServerFrame } from '../shared/protocol.js';
import type { AppEvent } from '../shared/types.js';
import { serveStatic } from './static.js';

export interface ServeOptions {
  host: string;
  port: number;
  /** Folder of the built renderer (index.html + assets). */
  staticRoot: string;
  handlers: ApiHandlers;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  broadcast(event: AppEvent): void;
  close(): Promise<void>;
}

const MAX_MESSAGE = 16 * 2 ** 20;

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();
  let origin = '';

  const tokenOk = (req: IncomingMessage): boolean => {
    const url = new URL(req.url ?? '/', 'http://x');
    const given = url.searchParams.get('token') ?? /^token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  // Browsers always send Origin on WebSocket upgrades and cross-origin requests; a request
  // that carries one must come from this server's own page.
  const originOk = (req: IncomingMessage): boolean => {
    const o = req.headers.origin;
    return o === undefined || o === origin || o === origin.replace('127.0.0.1', 'localhost');
  };

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res);
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api')) {
      if (!originOk(req)) return reply(res, 403, { error: 'foreign origin' });
      if (!tokenOk(req)) return reply(res, 401, { error: 'missing or wrong token' });
      if (req.method !== 'POST') return reply(res, 405, { error: 'use POST /api/<method> with a JSON body' });
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let input: unknown;
      try {
        input = JSON.parse((await readBody(req)) || '{}');
      } catch {
        return reply(res, 400, { error: 'body is not JSON' });
      }
      const envelope = await dispatch(opts.handlers, method, input);
      return reply(res, envelope.ok ? 200 : 400, envelope);
    }
    serveStatic(opts.staticRoot, url.pathname, req, res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/ws' || !originOk(req) || !tokenOk(req)) {
      const code = !originOk(req) ? '403 Forbidden' : url.pathname !== '/api/ws' ? '404 Not Found' : '401 Unauthorized';
      socket.end(`HTTP/1.1 ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    ws.binaryType = 'nodebuffer';
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      void (async () => {
        let frame: ClientFrame;
        try {
          if (!isBinary) throw new Error('text frame');
          frame = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as ClientFrame;
          if (frame?.kind !== 'call' || typeof frame.id !== 'number') throw new Error('not a call');
        } catch {
          ws.close(1003, 'malformed message');
          return;
        }
        const envelope = await dispatch(opts.handlers, frame.method, frame.input);
        send(ws, { kind: 'result', id: frame.id, ...envelope } as ServerFrame);
      })();
    });
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(frame));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  origin = `http://${hostForUrl}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    broadcast: (event) => {
      for (const ws of sockets) send(ws, { kind: 'event', event });
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_MESSAGE) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
