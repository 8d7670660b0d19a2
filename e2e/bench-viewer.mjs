// Viewer frame-time benchmark (not a test): ms per frame drawn for FCC copper blocks of about
// 10k and 100k atoms (sizes from the command line), in the same headless Chromium as the
// e2e tests. Each size gets its own `atomscope serve` with the file given on the command line.
// Usage: node e2e/bench-viewer.mjs [atoms...]   (default: 10000 100000)
//   E2E_BENCH_FRAMES=n     frames per measurement (default 20)
//   E2E_BENCH_CASES=a,b    spacefill | bonds-impostor | bonds-mesh (default spacefill)
/* global window, document */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, openApp, startServer, stopServer, waitIdle } from './helpers.mjs';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (sizes.length === 0) sizes.push(10_000, 100_000);
const frames = Number(process.env.E2E_BENCH_FRAMES ?? 20);
/** Looks to time: E2E_BENCH_CASES=spacefill,bonds-impostor,bonds-mesh (default: spacefill). */
const ALL_CASES = {
  spacefill: { representation: 'spacefill' },
  'bonds-impostor': { representation: 'ball-and-stick', bondMode: 'impostor' },
  'bonds-mesh': { representation: 'ball-and-stick', bondMode: 'mesh' },
};
const CASES = (process.env.E2E_BENCH_CASES ?? 'spacefill').split(',').map((c) => {
  if (!ALL_CASES[c]) throw new Error(`unknown case ${c}`);
  return [c, ALL_CASES[c]];
});

/** An FCC Cu block (a = 3.615 Å) of about `atoms` atoms as extended XYZ with its cell. */
function fccXyz(atoms) {
  const n = Math.max(1, Math.round(Math.cbrt(atoms / 4)));
  const a = 3.615;
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const lines = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++)
        for (const [u, v, w] of basis)
          lines.push(`Cu ${((i + u) * a).toFixed(4)} ${((j + v) * a).toFixed(4)} ${((k + w) * a).toFixed(4)}`);
  const L = (n * a).toFixed(4);
  return `${lines.length}\nLattice="${L} 0 0 0 ${L} 0 0 0 ${L}" Properties=species:S:1:pos:R:3 pbc="T T T"\n${lines.join('\n')}\n`;
}

const dir = mkdtempSync(path.join(tmpdir(), 'atomscope-bench-'));
const browser = await launchBrowser();
try {
  for (const size of sizes) {
    const file = path.join(dir, `cu-${size}.extxyz`);
    writeFileSync(file, fccXyz(size));
    const server = await startServer([file]);
    const { page, context } = await openApp(browser, server.url);
    try {
      const firstAtoms = await page.evaluate(() => window.__atomscopeTest.firstAtoms);
      await waitIdle(page, 120_000);
      console.log(`${size} atoms: first atoms drawn ${firstAtoms.toFixed(0)} ms after navigation start`);
      const canvas = await page.evaluate(() => {
        const c = document.querySelector('[data-testid="viewer-canvas"]');
        return `${c.width}x${c.height}`;
      });
      const run = (opts) => page.evaluate(([f, o]) => window.__atomscopeTest.benchmark(f, o), [frames, opts]);
      for (const [label, opts] of CASES) {
        const r = await run(opts);
        const rNew = await run({ ...opts, newPositions: true });
        console.log(
          `${r.atoms} atoms, ${r.bonds} bonds, ${label}, canvas ${canvas}: ` +
            `${r.msPerFrame.toFixed(1)} ms/frame (camera orbit), ${rNew.msPerFrame.toFixed(1)} ms/frame (new positions every frame)`,
        );
      }
    } finally {
      await context.close();
      await stopServer(server);
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
