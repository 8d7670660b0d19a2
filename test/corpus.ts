// Access to the shared reference corpus (../shared/corpus, same relative path in CI).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpus');

export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function reference(item: string): any {
  return JSON.parse(readFileSync(corpusPath(item, 'reference_values.json'), 'utf8'));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function manifest(): any {
  return JSON.parse(readFileSync(corpusPath('MANIFEST.json'), 'utf8'));
}
