/**
 * The renderer is served from app://atomscope/ (not file://): a privileged standard scheme
 * whose handler only returns files inside the built renderer folder, with the app's CSP.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, contentType, resolveInside } from '../node/static-files.js';
import { APP_SCHEME } from './security.js';

export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRendererFrom(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file =
      url.host === 'atomscope' ? resolveInside(root, url.pathname === '/' ? '/index.html' : url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!res.ok) return new Response('not found', { status: 404 });
    return new Response(res.body, {
      status: 200,
      headers: {
        'content-type': contentType(path.extname(file)),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
