// The analysis dashboards end to end: the argon XTC given on the command line, g(r) run from
// its panel (progress, the plot drawn, the first peak at the reference 3.69 Å), a click on
// the MSD plot moves the viewer to that frame and playback moves the plot's cursor, and the
// CSV export downloads the r, g columns.
// Run through `node e2e/run.mjs dashboards`; it starts its own server (the file is given as
// a command-line argument, as `atomscope serve FILE` is used).
/* global window, document */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { artifact, CORPUS, launchBrowser, openApp, startServer, stopServer, waitIdle } from './helpers.mjs';

const XTC = path.join(CORPUS, '01_lj_argon', 'argon_public_prod.xtc');
const AR = JSON.parse(readFileSync(path.join(CORPUS, '01_lj_argon', 'reference_values.json'), 'utf8'));
const PANEL = '[data-testid="analysis-panel"]';

let server;
let browser;

before(async () => {
  server = await startServer(['--no-example', XTC]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await stopServer(server);
});

/** Data curves drawn by the dashboard chart (SVG renderer): long stroked paths in the plot. */
function curveCount(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('[data-testid="analysis-chart"] svg');
    if (!svg) return 0;
    return [...svg.querySelectorAll('path')].filter((p) => {
      const d = p.getAttribute('d') ?? '';
      const stroke = p.getAttribute('stroke') ?? '';
      return stroke !== 'none' && stroke !== '' && (d.match(/L/g) ?? []).length > 40;
    }).length;
  });
}

/** Opens the dock on `kind`, sets form fields, runs, and waits for the result row of the file. */
async function runPanel(page, kind, fields = {}) {
  await page.locator(`[data-testid="analysis-tab-${kind}"]`).click();
  await page.locator(`${PANEL}[data-kind="${kind}"]`).waitFor();
  for (const [key, value] of Object.entries(fields)) await page.locator(`[data-testid="param-${key}"]`).fill(value);
  await page.locator('[data-testid="analysis-run"]').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="analysis-progress"]')?.getAttribute('data-status') !== 'running',
    null,
    { timeout: 120_000, polling: 100 },
  );
  const status = await page.locator('[data-testid="analysis-progress"]').getAttribute('data-status');
  const message = await page.locator('[data-testid="analysis-progress"]').textContent();
  assert.equal(status, 'done', `${kind}: ${message}`);
  await page.locator('[data-testid="analysis-chart"] svg').waitFor();
}

function summaryValue(page, key) {
  return page
    .locator(`[data-testid="analysis-summary"] [data-testid="summary-value"][data-key="${key}"]`)
    .first()
    .getAttribute('data-value')
    .then(Number);
}

describe('dashboards', () => {
  test('g(r) from the panel: progress, the plot, the reference first peak; CSV export with r and g', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url, { width: 1280, height: 900 });
    try {
      await page.waitForFunction(() => window.__atomscopeTest.files().length === 1, null, { timeout: 30_000 });
      await waitIdle(page, 60_000);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.atomCount()), AR.system.natoms);

      // Progress shows while it runs (every frame reports; the first report may come fast).
      const sawProgress = page.waitForFunction(
        () => document.querySelector('[data-testid="analysis-progress"]')?.getAttribute('data-status') === 'running',
        null,
        { timeout: 30_000, polling: 'raf' },
      );
      await runPanel(page, 'rdf', { rmax: String(AR.system.cutoff_A), bins: String(AR.rdf.n_bins) });
      await sawProgress;

      const peak = await summaryValue(page, 'peak_r_A');
      console.log(`  g(r) first peak in the dashboard: r = ${peak} Å (reference ${AR.rdf.first_peak_r_A_parabolic})`);
      assert.ok(Math.abs(peak - 3.69) < 0.01, `peak at ${peak} Å`);
      assert.ok(Math.abs(peak - AR.rdf.first_peak_r_A_parabolic) < 0.005);
      const g = await summaryValue(page, 'peak_g');
      assert.ok(Math.abs(g / AR.rdf.first_peak_g_parabolic - 1) < 0.002, `peak height ${g}`);
      assert.equal(await curveCount(page), 1, 'one g(r) curve drawn');
      const text = await page.locator('[data-testid="analysis-chart"]').textContent();
      assert.match(text, /r \(Å\)/);
      assert.match(text, /g\(r\)/);
      await page.screenshot({ path: artifact('dashboard-rdf.png') });

      const downloading = page.waitForEvent('download', { timeout: 30_000 });
      await page.locator('[data-testid="export-csv"]').click();
      const download = await downloading;
      assert.equal(download.suggestedFilename(), 'rdf-argon_public_prod.csv');
      const csv = readFileSync(await download.path(), 'utf8')
        .trim()
        .split('\n');
      assert.equal(csv[0], 'r_A,g_r,coord_r');
      assert.equal(csv.length, AR.rdf.n_bins + 1);
      const rows = csv.slice(1).map((l) => l.split(',').map(Number));
      const best = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
      assert.ok(Math.abs(best[0] - AR.rdf.first_peak_r_A_bin_center) < 1e-9, `highest bin at ${best[0]} Å`);

      // Run again with the same parameters: straight from the cache.
      await page.locator('[data-testid="analysis-run"]').click();
      await page.waitForFunction(
        () => /cache/.test(document.querySelector('[data-testid="analysis-progress"]')?.textContent ?? ''),
        null,
        { timeout: 10_000 },
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a click on the MSD plot moves the viewer to that frame; playback moves the cursor', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url, { width: 1280, height: 900 });
    try {
      await page.waitForFunction(() => window.__atomscopeTest.files().length === 1, null, { timeout: 30_000 });
      await waitIdle(page, 60_000);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.frameIndex()), 0);
      await runPanel(page, 'msd', { fitStart: '2', fitEnd: '10' });
      const D = await summaryValue(page, 'D_cm2_s');
      console.log(`  MSD in the dashboard: D = ${D} cm²/s`);
      const want = AR.msd.D_cm2_per_s_multi_origin_mdanalysis_EinsteinMSD_lag_2ps_to_half;
      assert.ok(Math.abs(D / want - 1) < 1e-6, `D = ${D}`);

      // Click at 3/4 of the plot's width: about frame 375 of 501 (lag 15 ps at 0.04 ps a frame).
      const box = await page.locator('[data-testid="analysis-chart"]').boundingBox();
      await page.mouse.click(box.x + 64 + 0.75 * (box.width - 84), box.y + box.height / 2);
      await page.waitForFunction(() => window.__atomscopeTest.frameIndex() > 100, null, { timeout: 30_000 });
      await waitIdle(page, 60_000);
      const frame = await page.evaluate(() => window.__atomscopeTest.frameIndex());
      console.log(`  click on the MSD plot -> viewer frame ${frame}`);
      assert.ok(frame > 300 && frame < 450, `viewer went to frame ${frame}`);
      assert.equal(
        (await page.locator('[data-testid="frame-number"]').textContent())?.trim(),
        String(frame),
        'the frame bar follows',
      );
      const cursorAt = () =>
        page.evaluate(() => {
          // The cursor markLine: a path in the cursor colour.
          const p = [...document.querySelectorAll('[data-testid="analysis-chart"] svg path')].find(
            (x) => (x.getAttribute('stroke') ?? '').toLowerCase() === '#e8b65a',
          );
          if (!p) return null;
          const m = /M\s*([\d.]+)/.exec(p.getAttribute('d') ?? '');
          return m ? Number(m[1]) : null;
        });
      const before = await cursorAt();
      assert.ok(before !== null, 'the frame cursor is drawn');
      assert.ok(Math.abs(before - (64 + 0.75 * (box.width - 84))) < 8, `cursor at x ${before}`);
      await page.screenshot({ path: artifact('dashboard-msd-linked.png') });

      // Play: the cursor follows the frames shown.
      await page.locator('[data-testid="play"]').click();
      await page.waitForFunction(
        (f) => window.__atomscopeTest.frameIndex() >= f + 3 || window.__atomscopeTest.frameIndex() < f,
        frame,
        { timeout: 60_000 },
      );
      await page.locator('[data-testid="play"]').click();
      await waitIdle(page, 60_000);
      const after = await cursorAt();
      console.log(`  playback: cursor x ${before.toFixed(1)} -> ${after?.toFixed(1)}`);
      assert.ok(after !== null && after !== before, 'the cursor moved with playback');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the same analysis of two open files is overlaid, one legend entry per file', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url, { width: 1280, height: 900 });
    try {
      await page.waitForFunction(() => window.__atomscopeTest.files().length >= 1, null, { timeout: 30_000 });
      const dump = path.join(CORPUS, '01_lj_argon', 'argon_public_short.lammpstrj');
      // Open a second file through the API, as a drop with a path would.
      const res = await fetch(`${server.origin}/api/files.open?token=${server.token}`, {
        method: 'POST',
        body: JSON.stringify({ paths: [dump] }),
      });
      assert.equal((await res.json()).ok, true);
      await page.waitForFunction(() => window.__atomscopeTest.files().length === 2, null, { timeout: 30_000 });
      await page.locator('[data-testid="analysis-tab-rdf"]').click();
      await page.locator('[data-testid="analysis-file"][data-file="argon_public_short.lammpstrj"]').check();
      await page.locator('[data-testid="param-rmax"]').fill('8');
      await page.locator('[data-testid="param-bins"]').fill('80');
      await page.locator('[data-testid="param-stride"]').fill('10');
      await page.locator('[data-testid="analysis-run"]').click();
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('[data-testid="analysis-progress"]')].length === 2 &&
          [...document.querySelectorAll('[data-testid="analysis-progress"]')].every(
            (e) => e.getAttribute('data-status') === 'done',
          ),
        null,
        { timeout: 120_000, polling: 100 },
      );
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="analysis-summary"]').length === 2);
      assert.equal(await curveCount(page), 2, 'a curve per file');
      const legend = await page.locator('[data-testid="analysis-chart"]').textContent();
      assert.match(legend, /argon_public_prod\.xtc/);
      assert.match(legend, /argon_public_short\.lammpstrj/);
      await page.screenshot({ path: artifact('dashboard-overlay.png') });
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
