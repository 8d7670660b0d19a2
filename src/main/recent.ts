// Recently opened files, kept in the user-data folder (and the OS recent list).
import { app } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAX = 12;
const file = (): string => path.join(app.getPath('userData'), 'recent.json');

export function loadRecent(): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(file(), 'utf8'));
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function addRecent(paths: string[]): string[] {
  const list = [...paths, ...loadRecent().filter((p) => !paths.includes(p))].slice(0, MAX);
  for (const p of paths) app.addRecentDocument(p);
  writeFileSync(file(), JSON.stringify(list));
  return list;
}

export function clearRecent(): void {
  app.clearRecentDocuments();
  writeFileSync(file(), '[]');
}
