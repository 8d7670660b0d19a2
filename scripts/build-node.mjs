// Bundles the Node-side entry points (compute host, its worker, the CLI) into out/node with
// esbuild. Packages stay external: they are resolved from node_modules at run time.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const entries = {
  'compute-host': 'src/compute/host.ts',
  'compute-worker': 'src/compute/worker.ts',
  cli: 'src/cli/index.ts',
};

const present = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));
const started = Date.now();
await build({
  entryPoints: present,
  outdir: 'out/node',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __ATOMSCOPE_VERSION__: JSON.stringify(version) },
});
if (!process.argv.includes('--quiet')) {
  console.log(`built ${Object.keys(present).join(', ')} into out/node in ${Date.now() - started} ms`);
}
