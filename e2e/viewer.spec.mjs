// The viewer end to end: drop a trajectory, see its atoms in the right colour, scrub it;
// parse errors are shown, not thrown; the API refuses callers without the token.
// Run through `node e2e/run.mjs` (it starts the server); on its own it starts one itself.
/* global window, document, location, DataTransfer, MutationObserver */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  artifact,
  chromaDistance,
  CORPUS,
  dropFiles,
  hueSat,
  launchBrowser,
  openApp,
  samplePixel,
  sampleGrid,
  serverFromEnv,
  startServer,
  stopServer,
  waitIdle,
} from './helpers.mjs';

const SLAB = path.join(CORPUS, '05_formats', 'Cu111_slab.extxyz');
const REFERENCE = JSON.parse(readFileSync(path.join(CORPUS, '05_formats', 'reference_values.json'), 'utf8'));
/** Jmol colour of Cu (the element table's, as ASE and Jmol give it). */
const CU = [0.784, 0.502, 0.2];
const CANVAS = '[data-testid="viewer-canvas"]';

let server;
let ownServer = null;
let browser;

before(async () => {
  server = serverFromEnv();
  if (!server) server = ownServer = await startServer(['--no-example']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (ownServer) await stopServer(ownServer);
});

describe('viewer', () => {
  test('a dropped multi-frame extxyz shows its atoms in the Cu colour and scrubs', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      const dropAt = await page.evaluate(() => performance.now());
      await dropFiles(page, CANVAS, [{ name: path.basename(SLAB), bytes: readFileSync(SLAB) }]);

      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="atom-count"]')?.textContent?.trim() === String(n),
        REFERENCE.natoms,
        { timeout: 30_000 },
      );
      await waitIdle(page);
      const firstAtomsAt = await page.evaluate(() => window.__atomscopeTest.firstAtomsAt);
      console.log(`  drop -> first atoms drawn: ${(firstAtomsAt - dropAt).toFixed(0)} ms`);

      // The project panel lists the file with its summary.
      const row = page.locator('[data-testid="file-row"]', {
        has: page.locator('[data-testid="file-name"]', { hasText: /^Cu111_slab\.extxyz$/ }),
      });
      assert.equal(await row.count(), 1);
      assert.equal(await row.getAttribute('aria-selected'), 'true', 'the dropped file is the one shown');
      assert.match((await row.locator('[data-testid="file-atoms"]').textContent()) ?? '', /^27 atoms$/);
      assert.match(
        (await row.locator('[data-testid="file-frames"]').textContent()) ?? '',
        new RegExp(`^${REFERENCE.n_frames} frames$`),
      );
      assert.equal(await page.evaluate(() => window.__atomscopeTest.atomCount()), REFERENCE.natoms);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.frameIndex()), 0);

      // Atom 0 lands on a Cu-coloured pixel: the hue of Cu under white light, far from the background.
      const p0 = await page.evaluate(() => window.__atomscopeTest.projectAtom(0));
      const box = await page.locator(CANVAS).boundingBox();
      assert.ok(
        p0 && p0.x > 0 && p0.y > 0 && p0.x < box.width && p0.y < box.height,
        `atom 0 on screen: ${JSON.stringify(p0)}`,
      );
      const pixel = await samplePixel(page, p0.x, p0.y, 1);
      const background = await samplePixel(page, 4, box.height - 4, 1);
      const cu = hueSat(CU);
      const got = hueSat(pixel);
      console.log(
        `  atom 0 at (${p0.x.toFixed(1)}, ${p0.y.toFixed(1)}): rgb ${pixel.map((v) => v.toFixed(3)).join(' ')}` +
          ` hue ${got.hue.toFixed(1)} (Cu ${cu.hue.toFixed(1)}); background ${background.map((v) => v.toFixed(3)).join(' ')}`,
      );
      assert.ok(Math.abs(got.hue - cu.hue) < 10, `hue ${got.hue} is not Cu's ${cu.hue}`);
      assert.ok(got.sat > 0.45 && got.value > 0.3, `pixel is too grey or dark for Cu: ${JSON.stringify(got)}`);
      assert.ok(pixel[0] > pixel[1] && pixel[1] > pixel[2], 'Cu is red > green > blue');
      assert.ok(
        chromaDistance(pixel, CU) < 0.15 && chromaDistance(pixel, CU) * 4 < chromaDistance(background, CU),
        `pixel is not clearly in the Cu colour family (pixel ${chromaDistance(pixel, CU)}, background ${chromaDistance(background, CU)})`,
      );

      const shot0 = await page.locator(CANVAS).screenshot({ path: artifact('viewer-frame0.png') });
      await page.screenshot({ path: artifact('app-frame0.png') });
      const grid0 = await sampleGrid(page);

      // Scrub to the last frame: the frame number and the picture change.
      const last = REFERENCE.n_frames - 1;
      const slider = page.locator('[data-testid="frame-slider"]');
      assert.equal(await slider.getAttribute('max'), String(last));
      await slider.fill(String(last));
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="frame-number"]')?.textContent?.trim() === String(n),
        last,
        { timeout: 30_000 },
      );
      await waitIdle(page);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.frameIndex()), last);
      const shot1 = await page.locator(CANVAS).screenshot({ path: artifact('viewer-frame-last.png') });
      await page.screenshot({ path: artifact('app-frame-last.png') });
      const grid1 = await sampleGrid(page);
      assert.ok(!shot0.equals(shot1), 'the picture is identical after moving to the last frame');
      let changed = 0;
      for (let i = 0; i < grid0.length; i += 3) {
        if (
          Math.abs(grid0[i] - grid1[i]) +
            Math.abs(grid0[i + 1] - grid1[i + 1]) +
            Math.abs(grid0[i + 2] - grid1[i + 2]) >
          30
        ) {
          changed++;
        }
      }
      assert.ok(changed > 10, `only ${changed} sampled pixels changed between frame 0 and ${last}`);
      const timeEl = page.locator('[data-testid="frame-time"]');
      const time = (await timeEl.count()) > 0 ? (await timeEl.textContent())?.trim() : '(no time in the frame)';
      console.log(`  last frame ${last}: ${changed} of ${grid0.length / 3} sampled pixels changed; time ${time}`);

      // Render on demand: no draws while nothing changes.
      const draws = await page.evaluate(() => window.__atomscopeTest.drawCount);
      await page.waitForTimeout(600);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.drawCount), draws, 'the viewer draws while idle');

      // Orbit (left drag) moves atoms on screen; zoom (wheel) spreads them apart.
      const project = (i) => page.evaluate((i) => window.__atomscopeTest.projectAtom(i), i);
      const a0 = await project(0);
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      await page.mouse.move(cx + 120, cy + 30, { steps: 8 });
      await page.mouse.up();
      await waitIdle(page);
      const b0 = await project(0);
      assert.ok(Math.hypot(b0.x - a0.x, b0.y - a0.y) > 5, `orbit did not move atom 0 (${JSON.stringify([a0, b0])})`);
      const spread = async () => {
        const [p, q] = [await project(0), await project(REFERENCE.natoms - 1)];
        return Math.hypot(p.x - q.x, p.y - q.y);
      };
      const s0 = await spread();
      await page.mouse.wheel(0, -300);
      await waitIdle(page);
      const s1 = await spread();
      assert.ok(s1 > s0 * 1.05, `zooming in did not enlarge the picture (${s0.toFixed(1)} -> ${s1.toFixed(1)} px)`);
      await page.locator(CANVAS).screenshot({ path: artifact('viewer-orbit-zoom.png') });

      // Play loops over the frames (from the last one back to 0); pause stops it.
      await page.locator('[data-testid="play"]').click();
      await page.waitForFunction((last) => window.__atomscopeTest.frameIndex() < last, last, { timeout: 10_000 });
      await page.locator('[data-testid="play"]').click();
      assert.equal(await page.locator('[data-testid="play"]').getAttribute('aria-pressed'), 'false');

      assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
    } finally {
      await context.close();
    }
  });

  test('a file that does not parse gives a visible, dismissable error naming the file and line', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      const bad = '3\ncomment line\nCu 0.0 0.0 0.0\nCu 1.0 1.0\nCu 2.0 2.0 2.0\n';
      await dropFiles(page, CANVAS, [{ name: 'broken.xyz', bytes: Buffer.from(bad) }]);
      const message = page.locator('[data-testid="message"][data-level="error"]');
      await message.first().waitFor({ timeout: 30_000 });
      const text = (await message.first().textContent()) ?? '';
      console.log(`  error shown: ${text.trim()}`);
      assert.match(text, /broken\.xyz/);
      assert.match(text, /line\s*4|:4\b/i);
      await message.first().locator('[data-testid="dismiss-message"]').click();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="message"][data-level="error"]').length === 0,
      );
      assert.deepEqual(pageErrors, [], 'the error is shown, not thrown');
    } finally {
      await context.close();
    }
  });

  test('an upload in progress shows its progress and can be cancelled', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      // Press Cancel as soon as the upload row appears (a local upload is too fast to catch otherwise).
      await page.evaluate(() => {
        window.__e2eCancelled = new Promise((resolve) => {
          const observer = new MutationObserver(() => {
            const row = document.querySelector('[data-testid="task"][data-phase="upload"]');
            const button = row?.querySelector('[data-testid="cancel-task"]');
            if (!button) return;
            observer.disconnect();
            const text = row.textContent;
            button.click();
            resolve(text);
          });
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        });
      });
      // 54 MB built in the page: 14 chunks of 4 MiB.
      const dataTransfer = await page.evaluateHandle(() => {
        const n = 2_000_000;
        const dt = new DataTransfer();
        dt.items.add(new File([`${n}\ncomment\n`, 'Cu 1.00000 2.00000 3.00000\n'.repeat(n)], 'huge.xyz'));
        return dt;
      });
      for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(CANVAS, type, { dataTransfer });
      const rowText = await page.evaluate(() => window.__e2eCancelled);
      assert.match(rowText, /huge\.xyz/);
      assert.match(rowText, /uploading/);
      await page.locator('[data-testid="task"]').waitFor({ state: 'detached', timeout: 10_000 });
      const info = page.locator('[data-testid="message"][data-level="info"]');
      await info.first().waitFor({ timeout: 10_000 });
      assert.match((await info.first().textContent()) ?? '', /huge\.xyz: upload cancelled/);
      const rows = await page.locator('[data-testid="file-name"]').allTextContents();
      assert.ok(!rows.includes('huge.xyz'), `a cancelled upload opens nothing (rows: ${rows.join(', ')})`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the API refuses requests without the token', async () => {
    const noToken = await fetch(`${server.origin}/api/app.info`, { method: 'POST', body: '{}' });
    assert.equal(noToken.status, 401);
    const wrongToken = await fetch(`${server.origin}/api/app.info?token=wrong`, { method: 'POST', body: '{}' });
    assert.equal(wrongToken.status, 401);
    const withToken = await fetch(`${server.origin}/api/app.info?token=${server.token}`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(withToken.status, 200);

    const { page, context } = await openApp(browser, server.url);
    try {
      const outcome = (query) =>
        page.evaluate(
          (query) =>
            new Promise((resolve) => {
              const ws = new WebSocket(`ws://${location.host}/api/ws${query}`);
              const timer = setTimeout(() => resolve('timeout'), 10_000);
              ws.onopen = () => {
                clearTimeout(timer);
                ws.close();
                resolve('open');
              };
              ws.onerror = () => {
                clearTimeout(timer);
                resolve('error');
              };
            }),
          query,
        );
      assert.equal(await outcome(''), 'error', 'a WebSocket without the token must not open');
      assert.equal(await outcome('?token=wrong'), 'error', 'a WebSocket with a wrong token must not open');
      assert.equal(await outcome(`?token=${server.token}`), 'open', 'the WebSocket with the token opens');
    } finally {
      await context.close();
    }
  });

  test('time from page load to first atoms (file given on the command line)', async () => {
    const own = await startServer([SLAB]);
    const { page, context, pageErrors } = await openApp(browser, own.url);
    try {
      const firstAtomsAt = await page.evaluate(() => window.__atomscopeTest.firstAtoms);
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        const marks = performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('atomscope:'))
          .map((m) => `${m.name.slice(10)} ${m.startTime.toFixed(0)}`);
        return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, marks };
      });
      assert.equal(await page.evaluate(() => window.__atomscopeTest.atomCount()), REFERENCE.natoms);
      const line =
        `page load -> first atoms drawn: ${firstAtomsAt.toFixed(0)} ms after navigation start ` +
        `(DOMContentLoaded ${nav.domContentLoaded.toFixed(0)} ms; ${nav.marks.join(', ')})`;
      console.log(`  ${line}`);
      writeFileSync(artifact('timing.txt'), `${line}\n`);
      // Software WebGL in CI: generous bound; the goal on real hardware is about a second.
      assert.ok(firstAtomsAt < 15_000, `first atoms after ${firstAtomsAt} ms`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
      await stopServer(own);
    }
  });
});
