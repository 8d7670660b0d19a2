// Shared pieces of the end-to-end tests: the server under test, the browser, and page
// helpers (synthetic file drop, canvas pixels, colour checks).
/* global window, document, DataTransfer, requestAnimationFrame */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const ARTIFACTS = path.join(REPO_ROOT, 'e2e', 'artifacts');
export const CHROMIUM = process.env.ATOMSCOPE_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** Starts `atomscope serve` (free port, random token) and resolves once it prints its URL. */
export function startServer(args = [], { timeoutMs = 60_000 } = {}) {
  const token = randomBytes(16).toString('hex');
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'atomscope.js'), 'serve', '--port', '0', '--token', token, ...args],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`atomscope serve printed no URL within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`atomscope serve exited (${code}) before serving:\n${out}`));
    };
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /serving at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ url: m[1], origin: new URL(m[1]).origin, token, child, log: () => out });
      }
    });
    child.stderr.on('data', (d) => (out += d.toString()));
    child.on('exit', onExit);
  });
}

export async function stopServer(server) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The server the runner started (env), or null when a spec runs on its own. */
export function serverFromEnv() {
  const url = process.env.ATOMSCOPE_URL;
  if (!url) return null;
  return { url, origin: new URL(url).origin, token: process.env.ATOMSCOPE_TOKEN ?? '' };
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A page on the app with its errors collected (`initScript`: a function run in the page
 * before the app starts): `pageErrors` gets uncaught exceptions and
 * unhandled rejections (the app must have none), `consoleErrors` console.error lines.
 */
export async function openApp(browser, url, { width = 1200, height = 800, initScript } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  // Runs in the page before the app's own scripts (e.g. an observer that must see the first task row).
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const pageErrors = [];
  const consoleErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__atomscopeTest !== undefined);
  await page.evaluate(() => window.__atomscopeTest.ready);
  return { context, page, pageErrors, consoleErrors };
}

/**
 * Drops files on `selector` the way a user's drag does: dragenter, dragover and drop events
 * carrying a DataTransfer with File objects built in the page from the given bytes.
 */
export async function dropFiles(page, selector, files) {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { name, b64 } of items) {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], name));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer });
  }
  await dataTransfer.dispose();
}

/** Waits until the app has drawn everything it was asked to (no frame or task pending). */
export async function waitIdle(page, timeout = 30_000) {
  await page.waitForFunction(() => window.__atomscopeTest.idle(), null, { timeout, polling: 50 });
  // One more animation frame so the last draw has reached the canvas.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Mean RGB (0..1) of the (2r+1)^2 canvas pixels around CSS point (x, y), read through a 2D
 * canvas (the WebGL canvas keeps its drawing buffer).
 */
export function samplePixel(page, x, y, r = 1) {
  return page.evaluate(
    ({ x, y, r }) => {
      const gl = document.querySelector('[data-testid="viewer-canvas"]');
      const sx = gl.width / gl.clientWidth;
      const sy = gl.height / gl.clientHeight;
      const c = document.createElement('canvas');
      c.width = gl.width;
      c.height = gl.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(gl, 0, 0);
      const px = Math.round(x * sx);
      const py = Math.round(y * sy);
      const d = ctx.getImageData(px - r, py - r, 2 * r + 1, 2 * r + 1).data;
      const sum = [0, 0, 0];
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        sum[0] += d[i];
        sum[1] += d[i + 1];
        sum[2] += d[i + 2];
      }
      return sum.map((s) => s / n / 255);
    },
    { x, y, r },
  );
}

/** RGB of a coarse grid over the canvas (for "did the picture change" checks). */
export function sampleGrid(page, step = 8) {
  return page.evaluate((step) => {
    const gl = document.querySelector('[data-testid="viewer-canvas"]');
    const c = document.createElement('canvas');
    c.width = gl.width;
    c.height = gl.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(gl, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const out = [];
    for (let y = 0; y < c.height; y += step) {
      for (let x = 0; x < c.width; x += step) {
        const o = 4 * (y * c.width + x);
        out.push(d[o], d[o + 1], d[o + 2]);
      }
    }
    return out;
  }, step);
}

/** Hue in degrees (0..360) and HSV saturation of an RGB triple in 0..1. */
export function hueSat([r, g, b]) {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = 60 * (((g - b) / d) % 6);
    else if (max === g) h = 60 * ((b - r) / d + 2);
    else h = 60 * ((r - g) / d + 4);
  }
  if (h < 0) h += 360;
  return { hue: h, sat: max > 0 ? d / max : 0, value: max };
}

/** Distance between two colours after scaling each to unit maximum (lighting-independent). */
export function chromaDistance(a, b) {
  const na = Math.max(...a) || 1;
  const nb = Math.max(...b) || 1;
  return Math.hypot(a[0] / na - b[0] / nb, a[1] / na - b[1] / nb, a[2] / na - b[2] / nb);
}

/** Calls an API method over the server's HTTP endpoint (token in the query); resolves with its value. */
export async function apiCall(server, method, input = {}) {
  const res = await fetch(`${server.origin}/api/${method}?token=${server.token}`, {
    method: 'POST',
    body: JSON.stringify(input),
  });
  const envelope = await res.json();
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message ?? res.status}`);
  return envelope.value;
}

/** Closes every file open on the server, so that the next test starts from an empty project. */
export async function closeAllFiles(server) {
  for (const f of await apiCall(server, 'files.list')) await apiCall(server, 'files.close', { id: f.id });
}

/**
 * Decodes an 8-bit, non-interlaced PNG (greyscale, RGB, grey+alpha or RGBA) into RGBA8
 * pixels: { width, height, colorType, data }. Enough to check exported figures.
 */
export function decodePng(buffer) {
  const bytes = Buffer.from(buffer);
  const SIGNATURE = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG file');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      colorType = body[9];
      if (depth !== 8 || body[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${body[12]}`);
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  if (!channels) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  const paeth = (a, b, c) => {
    const p = a + b - c;
    const pa = Math.abs(p - a);
    const pb = Math.abs(p - b);
    const pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  };
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels] : 0;
      const b = prev ? prev[x] : 0;
      const c = prev && x >= channels ? prev[x - channels] : 0;
      const v = src[x];
      row[x] =
        (filter === 0
          ? v
          : filter === 1
            ? v + a
            : filter === 2
              ? v + b
              : filter === 3
                ? v + ((a + b) >> 1)
                : v + paeth(a, b, c)) & 255;
    }
  }
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    data[4 * i] = pixels[s];
    data[4 * i + 1] = grey ? pixels[s] : pixels[s + 1];
    data[4 * i + 2] = grey ? pixels[s] : pixels[s + 2];
    data[4 * i + 3] = channels === 4 ? pixels[s + 3] : channels === 2 ? pixels[s + 1] : 255;
  }
  return { width, height, colorType, data };
}
