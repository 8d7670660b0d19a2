#!/usr/bin/env node
// The `atomscope` command: runs the bundled CLI, building it first if a checkout has not.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'node', 'cli.js');
if (!existsSync(cli)) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
}
await import(pathToFileURL(cli).href);
