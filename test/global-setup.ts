// Builds the Node bundles (compute host, worker, CLI) once before the unit tests that fork them.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.ATOMSCOPE_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
}
