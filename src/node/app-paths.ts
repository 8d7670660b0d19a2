// Where the app's own files are: the package root (bundles live in out/node), resources.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found by walking up from this file to the folder with package.json. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'resources'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function resourcesDir(): string {
  return path.join(appRoot(), 'resources');
}

/** The bundled example opened on first start. */
export function exampleFiles(): string[] {
  const dir = path.join(resourcesDir(), 'examples');
  if (!existsSync(dir)) return [];
  const first = readdirSync(dir)
    .filter((f) => /\.(xyz|extxyz)$/i.test(f))
    .sort()[0];
  return first ? [path.join(dir, first)] : [];
}
