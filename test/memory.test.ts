// Reading is O(one frame) in memory: a whole trajectory larger than the heap limit streams
// through a Node process whose heap is capped far below the file size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let dir: string;
let file: string;
const FRAMES = 400;
const ATOMS = 5000;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'atomscope-mem-'));
  file = path.join(dir, 'big.xyz');
  const fd = openSync(file, 'w');
  for (let f = 0; f < FRAMES; f++) {
    let block = `${ATOMS}\nframe ${f}\n`;
    for (let i = 0; i < ATOMS; i++) {
      block += `Ar ${((i % 50) * 3.1 + f * 1e-3).toFixed(8)} ${(Math.floor(i / 50) * 3.1).toFixed(8)} ${(f * 0.001).toFixed(8)}\n`;
    }
    writeSync(fd, block);
  }
  closeSync(fd);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming memory', () => {
  it('reads every frame of a file much larger than the heap limit', () => {
    const size = statSync(file).size;
    const heapMiB = 32;
    expect(size).toBeGreaterThan(2 * heapMiB * 2 ** 20);
    const out = execFileSync(
      process.execPath,
      [`--max-old-space-size=${heapMiB}`, 'out/node/cli.js', 'check', file, '--json'],
      { encoding: 'utf8', env: { ...process.env, ATOMSCOPE_CACHE_DIR: path.join(dir, 'cache') } },
    );
    const r = JSON.parse(out) as { frames: number; atoms_total: number; problems: string[] };
    expect(r.frames).toBe(FRAMES);
    expect(r.atoms_total).toBe(FRAMES * ATOMS);
    expect(r.problems).toEqual([]);
  });
});
