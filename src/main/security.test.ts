// Electron hardening that can be checked without the Electron binary (electron is mocked).
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ app: {}, session: {} }));

const { isTrustedSender, secureWebPreferences } = await import('./security');
const { resolveInside, CONTENT_SECURITY_POLICY } = await import('../node/static-files');

describe('Electron security', () => {
  it('accepts IPC only from frames of the app:// origin', () => {
    expect(isTrustedSender('app://atomscope/index.html')).toBe(true);
    expect(isTrustedSender('app://atomscope/')).toBe(true);
    expect(isTrustedSender('file:///etc/passwd')).toBe(false);
    expect(isTrustedSender('https://atomscope/index.html')).toBe(false);
    expect(isTrustedSender('app://evil/index.html')).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:8470/')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender('not a url')).toBe(false);
  });

  it('sandboxes and isolates every window', () => {
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(p.nodeIntegrationInWorker).toBe(false);
    expect(p.nodeIntegrationInSubFrames).toBe(false);
  });

  it('serves renderer files only from inside the renderer folder', () => {
    expect(resolveInside('/app/out/renderer', '/index.html')).toBe('/app/out/renderer/index.html');
    expect(resolveInside('/app/out/renderer', '/assets/a.js')).toBe('/app/out/renderer/assets/a.js');
    expect(resolveInside('/app/out/renderer', '/../../etc/passwd')).toBe('/app/out/renderer/etc/passwd');
    expect(resolveInside('/app/out/renderer', '/..%2f..%2fetc%2fpasswd')).toBe('/app/out/renderer/etc/passwd');
    expect(resolveInside('/app/out/renderer', '/%00')).toBeNull();
    expect(resolveInside('/app/out/renderer', '/%E0%A4%A')).toBeNull();
  });

  it('has a CSP without inline or remote scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
  });
});
