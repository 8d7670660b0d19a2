// `npm test`: every check, in order, with a time per step. Stops at the first failure.
import { spawnSync } from 'node:child_process';

const steps = [
  ['setup (browser for e2e)', 'node scripts/setup.mjs --browser'],
  ['build', 'node scripts/build.mjs'],
  ['lint', 'npx --no-install eslint . --max-warnings 0'],
  ['format', 'npx --no-install prettier --check .'],
  ['types (core: no DOM, no Node)', 'npx --no-install tsc -p tsconfig.core.json'],
  ['types (node, main, preload)', 'npx --no-install tsc -p tsconfig.node.json'],
  ['types (renderer)', 'npx --no-install vue-tsc --noEmit -p tsconfig.web.json'],
  ['unit', 'npx --no-install vitest run'],
  ['security scan', 'node scripts/security.mjs'],
  // The command-line contracts of the issues that have landed, against the shared corpus.
  ['conformance', 'python3 ../shared/conformance/conformance.py ../shared/corpus --only io,analysis,simulation'],
  ['e2e', 'node e2e/run.mjs'],
];

const only = process.argv.slice(2);
const times = [];
for (const [name, cmd] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  const t0 = Date.now();
  console.log(`\n== ${name}: ${cmd}`);
  const r = spawnSync(cmd, { stdio: 'inherit', shell: true, env: { ...process.env, ATOMSCOPE_SKIP_BUILD: '1' } });
  const s = (Date.now() - t0) / 1000;
  times.push(`${name.padEnd(32)} ${s.toFixed(1).padStart(7)} s`);
  if (r.status !== 0) {
    console.error(`\n== FAILED: ${name} (exit ${r.status})`);
    console.log(times.join('\n'));
    process.exit(1);
  }
}
console.log('\n== all checks passed\n' + times.join('\n'));
