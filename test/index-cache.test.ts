// Frame indexes are cached by path + size + mtime and never trusted when the file changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIndex } from '../src/node/index-cache';
import { openTrajectory } from '../src/node/open';

let dir: string;
let file: string;

function bigXyz(frames: number, atoms: number): string {
  const lines: string[] = [];
  for (let f = 0; f < frames; f++) {
    lines.push(String(atoms), `frame ${f}`);
    for (let i = 0; i < atoms; i++)
      lines.push(`Ar ${(i * 0.5 + f).toFixed(6)} ${(i * 0.25).toFixed(6)} ${f.toFixed(6)}`);
  }
  return lines.join('\n') + '\n';
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'atomscope-cache-'));
  process.env['ATOMSCOPE_CACHE_DIR'] = path.join(dir, 'cache');
  file = path.join(dir, 'big.xyz');
  writeFileSync(file, bigXyz(60, 1000));
});

afterAll(() => {
  delete process.env['ATOMSCOPE_CACHE_DIR'];
  rmSync(dir, { recursive: true, force: true });
});

const stampOf = (f: string): { path: string; size: number; mtimeMs: number } => {
  const st = statSync(f);
  return { path: f, size: st.size, mtimeMs: st.mtimeMs };
};

describe('index cache', () => {
  it('stores the index on first open and reuses it with identical frames', () => {
    expect(loadIndex(stampOf(file), 'xyz')).toBeUndefined();
    const first = openTrajectory(file);
    const frame42 = first.reader.readFrame(42);
    first.reader.close();
    first.source.close?.();
    const cached = loadIndex(stampOf(file), 'xyz');
    expect(cached?.offsets.length).toBe(61);

    const second = openTrajectory(file);
    expect(second.reader.frameCount).toBe(60);
    expect(second.reader.readFrame(42).positions).toEqual(frame42.positions);
    second.reader.close();
    second.source.close?.();
  });

  it('ignores the cache once the file changes (mtime or size)', () => {
    const before = statSync(file);
    utimesSync(file, before.atime, new Date(before.mtimeMs + 5000));
    expect(loadIndex(stampOf(file), 'xyz')).toBeUndefined();
    writeFileSync(file, bigXyz(50, 1000));
    const again = openTrajectory(file);
    expect(again.reader.frameCount).toBe(50);
    again.reader.close();
    again.source.close?.();
  });
});
