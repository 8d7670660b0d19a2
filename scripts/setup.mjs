// `npm start` / `npm test` first step: install what is missing, offline-tolerant.
// The Electron binary and onnxruntime's CUDA add-on are downloads from outside the npm
// registry; where they cannot be had, we say so in one line and carry on without them.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' };
const t0 = Date.now();

function needInstall() {
  if (!existsSync('node_modules/.package-lock.json')) return true;
  if (!existsSync('package-lock.json')) return false;
  return statSync('package-lock.json').mtimeMs > statSync('node_modules/.package-lock.json').mtimeMs + 1000;
}

if (needInstall()) {
  const cmd = existsSync('package-lock.json') ? 'npm ci' : 'npm install';
  console.log(`setup: ${cmd} (Electron binary and CUDA add-on skipped; fetched below if reachable)`);
  execSync(`${cmd} --no-audit --no-fund --loglevel=error`, { stdio: 'inherit', env });
  console.log(`setup: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // onnxruntime-node's CUDA add-on is a separate download; its CPU provider ships in the package.
  console.log('setup: onnxruntime CUDA add-on skipped (not downloadable here); the CPU execution provider is used.');
}

// The Electron binary: only `npm start` needs it, and CI never does.
if (process.argv.includes('--electron') && !electronBinaryPresent()) {
  const r = spawnSync(process.execPath, ['node_modules/electron/install.js'], {
    stdio: 'ignore',
    timeout: 120_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  // No message here: `npm start` says in one line that it serves in browser mode instead.
  void r;
}

// Chromium for the end-to-end tests (Debian package); installed when we can, reported when not.
if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium')) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('setup: installing Debian chromium and xvfb for the end-to-end tests');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium xvfb', {
      stdio: 'inherit',
    });
  } else {
    console.log('setup: /usr/bin/chromium is missing; install Debian "chromium" to run the end-to-end tests.');
  }
}

export function electronBinaryPresent() {
  try {
    return existsSync('node_modules/electron/path.txt') && existsSync('node_modules/electron/dist');
  } catch {
    return false;
  }
}
