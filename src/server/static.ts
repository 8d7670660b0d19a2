// Static files of the built renderer, with the same path checks and CSP as the app:// protocol.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, contentType, resolveInside } from '../node/static-files.js';

export function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const file = resolveInside(root, pathname === '/' ? '/index.html' : pathname);
  const st = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
  if (!file || !st?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': contentType(path.extname(file)),
    'content-length': st.size,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
