// `npm run e2e`: the renderer in Debian Chromium against the real backend.
// Assumes `npm run build` ran (out/renderer, out/node). Starts `atomscope serve` on a free
// port with a random token, runs e2e/*.spec.mjs with node:test, stops the server.
// Usage: node e2e/run.mjs [name-filter...]   (e.g. `node e2e/run.mjs viewer`)
// Headless Chromium needs no X server; E2E_HEADED=1 runs headed, under `xvfb-run -a` when
// there is no DISPLAY.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM, REPO_ROOT, startServer, stopServer } from './helpers.mjs';

const here = path.join(REPO_ROOT, 'e2e');

function fail(msg) {
  console.error(`e2e: ${msg}`);
  process.exit(1);
}

if (process.env.E2E_HEADED === '1' && !process.env.DISPLAY && !process.env.E2E_UNDER_XVFB) {
  const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, E2E_UNDER_XVFB: '1' },
  });
  process.exit(r.status ?? 1);
}

if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: install Debian "chromium" (npm run setup -- --browser)`);
if (!existsSync(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'))) {
  fail('out/renderer is missing: run "npm run build" first');
}

const filters = process.argv.slice(2);
const specs = readdirSync(here)
  .filter((f) => f.endsWith('.spec.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => path.join(here, f));
if (specs.length === 0) fail(`no spec matches ${filters.join(', ')}`);

let server;
try {
  server = await startServer(['--no-example']);
} catch (e) {
  fail(e.message);
}
console.log(`e2e: server at ${server.url.replace(/token=\w+/, 'token=…')}`);

let code;
try {
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...specs], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, ATOMSCOPE_URL: server.url, ATOMSCOPE_TOKEN: server.token },
  });
  code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
} finally {
  await stopServer(server);
}
if (code !== 0) {
  const log = server.log().trim();
  if (log) console.error(`e2e: server output:\n${log.replace(/token=\w+/g, 'token=…')}`);
}
process.exit(code);
