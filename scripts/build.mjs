// Builds everything: renderer + main + preload (electron-vite) and the Node bundles (esbuild).
import { execSync } from 'node:child_process';

const t0 = Date.now();
const nodeOnly = process.argv.includes('--node-only');
execSync(`${process.execPath} scripts/build-node.mjs`, { stdio: 'inherit' });
if (!nodeOnly) execSync('npx --no-install electron-vite build', { stdio: 'inherit' });
console.log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
