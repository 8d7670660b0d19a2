// Files opened together and big files: a GROMACS trajectory dropped with its structure file
// pairs up (the project panel names the topology, the atoms take the topology's element
// colours, the frame bar shows the time in ps), a topology dropped later pairs on arrival,
// and a big file shows its reading progress in a task row whose Cancel stops it quietly.
// Run through `node e2e/run.mjs` (it starts the server); on its own it starts one itself.
/* global window, document, DataTransfer, MutationObserver */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  artifact,
  closeAllFiles,
  CORPUS,
  dropFiles,
  hueSat,
  launchBrowser,
  openApp,
  samplePixel,
  serverFromEnv,
  startServer,
  stopServer,
  waitIdle,
} from './helpers.mjs';

const GMX_DIR = path.join(CORPUS, '04_gromacs');
const WATER = JSON.parse(readFileSync(path.join(GMX_DIR, 'reference_values.json'), 'utf8')).systems.water;
const GRO = path.join(GMX_DIR, WATER.files['md.gro']); // water_public_final.gro
const XTC = path.join(GMX_DIR, WATER.files['md.xtc']); // water_public.xtc
const CANVAS = '[data-testid="viewer-canvas"]';
/** Jmol colour of O (the element table's): hue 0. */
const OXYGEN = [1, 0.051, 0.051];

/** Element letter of each atom of a .gro file, from its atom names (OW, HW1, HW2). */
function groElements(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const n = Number(lines[1].trim());
  return lines.slice(2, 2 + n).map((l) => l.slice(10, 15).trim()[0]);
}
const ELEMENTS = groElements(GRO);
const OXYGENS = ELEMENTS.flatMap((e, i) => (e === 'O' ? [i] : []));
const HYDROGENS = ELEMENTS.flatMap((e, i) => (e === 'H' ? [i] : []));

/** Circular distance between two hues in degrees. */
function hueDistance(a, b) {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
}

/**
 * Of the atoms `candidates`, the one nearest the camera whose centre no nearer atom's centre
 * comes within `clearPx` of on screen (so the pixel there is its own), inside the canvas.
 */
async function frontAtom(page, candidates, clearPx = 20) {
  const box = await page.locator(CANVAS).boundingBox();
  const pts = await page.evaluate(() => {
    const t = window.__atomscopeTest;
    return Array.from({ length: t.atomCount() }, (_, i) => t.projectAtom(i));
  });
  const order = candidates
    .filter((i) => {
      const p = pts[i];
      return p && p.x > clearPx && p.y > clearPx && p.x < box.width - clearPx && p.y < box.height - clearPx;
    })
    .sort((a, b) => pts[a].depth - pts[b].depth);
  for (const i of order) {
    const p = pts[i];
    const hidden = pts.some((q, j) => j !== i && q && q.depth < p.depth && Math.hypot(q.x - p.x, q.y - p.y) < clearPx);
    if (!hidden) return { index: i, ...p };
  }
  throw new Error(`no unobstructed atom among ${candidates.length} candidates`);
}

/** Colour (and hue/saturation) of the pixels at the front-most unobstructed atom among `candidates`. */
async function colourOf(page, candidates) {
  const atom = await frontAtom(page, candidates);
  // 5 x 5 pixels: the sphere's specular highlight may sit near its centre.
  const rgb = await samplePixel(page, atom.x, atom.y, 2);
  return { atom, rgb, ...hueSat(rgb) };
}

function describeColour(name, c) {
  return (
    `${name} atom ${c.atom.index} at (${c.atom.x.toFixed(1)}, ${c.atom.y.toFixed(1)}): ` +
    `rgb ${c.rgb.map((v) => v.toFixed(3)).join(' ')} hue ${c.hue.toFixed(1)} sat ${c.sat.toFixed(2)}`
  );
}

/** Oxygens red (O's Jmol hue), hydrogens white (unsaturated, bright): the topology's elements. */
async function assertWaterColours(page, when) {
  const o = await colourOf(page, OXYGENS);
  const h = await colourOf(page, HYDROGENS);
  console.log(`  ${when}: ${describeColour('O', o)}; ${describeColour('H', h)}`);
  assert.ok(hueDistance(o.hue, hueSat(OXYGEN).hue) < 12, `${when}: O pixel hue ${o.hue} is not oxygen red`);
  assert.ok(
    o.sat > 0.5 && o.value > 0.3 && o.rgb[0] > 2 * o.rgb[1],
    `${when}: O pixel too grey or dark: ${JSON.stringify(o.rgb)}`,
  );
  assert.ok(h.sat < 0.25 && h.value > 0.45, `${when}: H pixel is not white: ${JSON.stringify(h.rgb)}`);
}

function fileRow(page, name) {
  return page.locator('[data-testid="file-row"]', {
    has: page.locator('[data-testid="file-name"]', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }),
  });
}

async function waitForText(page, selector, pattern, timeout = 30_000) {
  await page.waitForFunction(
    ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent?.trim() ?? ''),
    { selector, source: pattern.source },
    { timeout },
  );
}

/** A multi-frame XYZ file of about `mb` MB (100 Cu atoms a frame) in a fresh temp folder. */
function writeBigXyz(name, mb) {
  const dir = mkdtempSync(path.join(tmpdir(), 'atomscope-e2e-'));
  const file = path.join(dir, name);
  let frame = '';
  for (let i = 0; i < 100; i++) {
    frame += `Cu ${((i % 5) * 2.55).toFixed(5)} ${((Math.floor(i / 5) % 5) * 2.55).toFixed(5)} ${(Math.floor(i / 25) * 2.55).toFixed(5)}\n`;
  }
  const frames = Math.ceil((mb * 1e6) / (frame.length + 16));
  const fd = openSync(file, 'w');
  const block = 500;
  for (let f = 0; f < frames; f += block) {
    let chunk = '';
    for (let k = f; k < Math.min(frames, f + block); k++) chunk += `100\nframe ${k}\n${frame}`;
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return { dir, file, frames };
}

let server;
let ownServer = null;
let browser;

before(async () => {
  server = serverFromEnv();
  if (!server) server = ownServer = await startServer(['--no-example']);
  await closeAllFiles(server); // another spec may have left files open on the shared server
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (ownServer) await stopServer(ownServer);
});

describe('files', () => {
  test('a GRO and an XTC dropped together pair: topology in the panel, element colours, time in ps', async () => {
    assert.equal(OXYGENS.length, 510);
    assert.equal(HYDROGENS.length, 1020);
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await dropFiles(page, CANVAS, [
        { name: path.basename(GRO), bytes: readFileSync(GRO) },
        { name: path.basename(XTC), bytes: readFileSync(XTC) },
      ]);
      const xtcRow = fileRow(page, path.basename(XTC));
      await xtcRow.locator('[data-testid="file-topology"]').waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => window.__atomscopeTest.files().length === 2);
      await waitIdle(page);

      // The XTC row names its topology and the real atom and frame counts; it is the file shown.
      assert.equal(
        (await xtcRow.locator('[data-testid="file-topology"]').textContent())?.trim(),
        `topology: ${path.basename(GRO)}`,
      );
      assert.equal(await xtcRow.locator('[data-testid="file-topology"]').getAttribute('data-open'), 'true');
      assert.equal((await xtcRow.locator('[data-testid="file-atoms"]').textContent())?.trim(), '1,530 atoms');
      assert.equal(
        (await xtcRow.locator('[data-testid="file-frames"]').textContent())?.trim(),
        `${WATER.xtc.n_frames} frames`,
      );
      assert.equal(await xtcRow.getAttribute('aria-selected'), 'true', 'the paired trajectory is the one shown');
      const groRow = fileRow(page, path.basename(GRO));
      assert.equal(await groRow.locator('[data-testid="file-topology"]').count(), 0, 'the GRO has no topology');
      assert.equal(await page.evaluate(() => window.__atomscopeTest.atomCount()), WATER.xtc.natoms);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.frameIndex()), 0);

      await assertWaterColours(page, 'frame 0');
      await page.screenshot({ path: artifact('water-paired.png') });
      await page.locator(CANVAS).screenshot({ path: artifact('water-paired-viewer.png') });

      // Move the slider: the frame bar shows that frame's time in ps (XTC time of frame 100).
      const index = 100;
      await page.locator('[data-testid="frame-slider"]').fill(String(index));
      await waitForText(page, '[data-testid="frame-number"]', new RegExp(`^${index}$`));
      await waitIdle(page);
      const timeText = (await page.locator('[data-testid="frame-time"]').textContent())?.trim() ?? '';
      console.log(`  frame ${index}: ${timeText}`);
      const m = /^t = ([\d,.]+) ps$/.exec(timeText);
      assert.ok(m, `the frame bar shows no time in ps: '${timeText}'`);
      assert.ok(
        Math.abs(Number(m[1].replace(/,/g, '')) - WATER.xtc.times_ps[index]) < 1e-6,
        `time ${m[1]} ps, expected ${WATER.xtc.times_ps[index]} ps`,
      );
      // Later frames keep the topology's elements.
      await assertWaterColours(page, `frame ${index}`);
      await page.screenshot({ path: artifact('water-paired-frame100.png') });
      assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
    } finally {
      await context.close();
      await closeAllFiles(server);
    }
  });

  test('a topology dropped after its trajectory pairs it on arrival and the viewer recolours', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await dropFiles(page, CANVAS, [{ name: path.basename(XTC), bytes: readFileSync(XTC) }]);
      const xtcRow = fileRow(page, path.basename(XTC));
      await xtcRow.waitFor({ timeout: 30_000 });
      await waitIdle(page);
      assert.equal(await xtcRow.locator('[data-testid="file-topology"]').count(), 0);
      // Alone, the XTC has no elements: every atom is unknown (neutral grey), oxygens included.
      const before = await colourOf(page, OXYGENS);
      console.log(`  unpaired: ${describeColour('"O"', before)}`);
      assert.ok(before.sat < 0.2, 'an unpaired XTC atom should be grey, not coloured as an element');

      await dropFiles(page, CANVAS, [{ name: path.basename(GRO), bytes: readFileSync(GRO) }]);
      await xtcRow.locator('[data-testid="file-topology"]').waitFor({ timeout: 30_000 });
      assert.equal(
        (await xtcRow.locator('[data-testid="file-topology"]').textContent())?.trim(),
        `topology: ${path.basename(GRO)}`,
      );
      await xtcRow.click();
      await page.waitForFunction(
        (n) => window.__atomscopeTest.files().find((f) => f.active)?.frames === n,
        WATER.xtc.n_frames,
      );
      await waitIdle(page);
      await assertWaterColours(page, 'paired later');
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
      await closeAllFiles(server);
    }
  });

  test('files given together on the command line open in one call and pair (the Electron open path)', async () => {
    const own = await startServer([GRO, XTC]);
    try {
      const { page, context, pageErrors } = await openApp(browser, own.url, {
        // Every task row label seen: one row for both files means one files.open call.
        initScript: () => {
          window.__e2eTasks = [];
          new MutationObserver(() => {
            for (const el of document.querySelectorAll('[data-testid="task-label"]')) {
              const label = el.textContent.trim();
              if (!window.__e2eTasks.includes(label)) window.__e2eTasks.push(label);
            }
          }).observe(document, { subtree: true, childList: true, characterData: true });
        },
      });
      try {
        await waitIdle(page);
        const tasks = await page.evaluate(() => window.__e2eTasks);
        console.log(`  task rows: ${tasks.join(' | ')}`);
        assert.deepEqual(tasks, [`${path.basename(GRO)}, ${path.basename(XTC)}`]);
        const xtcRow = fileRow(page, path.basename(XTC));
        assert.equal(
          (await xtcRow.locator('[data-testid="file-topology"]').textContent())?.trim(),
          `topology: ${path.basename(GRO)}`,
        );
        assert.equal(await xtcRow.getAttribute('aria-selected'), 'true', 'the paired trajectory is the one shown');
        await assertWaterColours(page, 'command line');
        assert.deepEqual(pageErrors, []);
      } finally {
        await context.close();
      }
    } finally {
      await stopServer(own);
    }
  });

  test('a big file given on the command line shows indexing progress; Cancel stops it quietly', async () => {
    // Big enough that indexing outlasts the cancel's round trip even on a loaded CI machine.
    const big = writeBigXyz('big-cancel.xyz', 300);
    const own = await startServer([big.file]);
    try {
      // Press Cancel once the task row shows indexing progress past 1 % (the indexing takes
      // a fraction of a second, so this runs in the page, not through the test's round trips).
      const { page, context, pageErrors } = await openApp(browser, own.url, {
        initScript: () => {
          window.__e2eDetails = [];
          window.__e2eCancelled = new Promise((resolve) => {
            const observer = new MutationObserver(() => {
              for (const row of document.querySelectorAll('[data-testid="task"]')) {
                const detail = row.querySelector('[data-testid="task-detail"]')?.textContent?.trim() ?? '';
                if (window.__e2eDetails.at(-1) !== detail) window.__e2eDetails.push(detail);
                const percent = Number(row.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'));
                const button = row.querySelector('[data-testid="cancel-task"]');
                if (/^indexing .*%$/.test(detail) && percent >= 1 && button) {
                  observer.disconnect();
                  button.click();
                  resolve({ label: row.querySelector('[data-testid="task-label"]')?.textContent, detail, percent });
                  return;
                }
              }
            });
            observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
          });
        },
      });
      try {
        const pressed = await page.evaluate(() => window.__e2eCancelled);
        const details = await page.evaluate(() => window.__e2eDetails);
        console.log(
          `  ${big.frames} frames; task details seen: ${details.join(' | ')}; cancelled at ${pressed.percent}%`,
        );
        assert.equal(pressed.label?.trim(), 'big-cancel.xyz');
        assert.match(pressed.detail, /^indexing XYZ frames \d+%$/);
        assert.ok(pressed.percent < 100);

        await page.locator('[data-testid="task"]').waitFor({ state: 'detached', timeout: 15_000 });
        const info = page.locator('[data-testid="message"][data-level="info"]');
        await info.first().waitFor({ timeout: 15_000 });
        assert.match((await info.first().textContent()) ?? '', /big-cancel\.xyz: cancelled/);
        assert.equal(await page.locator('[data-testid="message"][data-level="error"]').count(), 0, 'not an error');
        assert.deepEqual(
          await page.evaluate(() => window.__atomscopeTest.files()),
          [],
          'a cancelled open opens nothing',
        );
        await page.screenshot({ path: artifact('cancelled-open.png') });
        assert.deepEqual(pageErrors, []);
      } finally {
        await context.close();
      }
    } finally {
      await stopServer(own);
      rmSync(big.dir, { recursive: true, force: true });
    }
  });

  test('a big dropped file shows upload, then indexing progress, then opens', async () => {
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await page.evaluate(() => {
        window.__e2eDetails = [];
        const observer = new MutationObserver(() => {
          const detail = document.querySelector('[data-testid="task-detail"]')?.textContent?.trim();
          if (detail && window.__e2eDetails.at(-1) !== detail) window.__e2eDetails.push(detail);
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      // About 70 MB built in the page: 25,000 frames of 100 atoms.
      const frames = 25_000;
      const dataTransfer = await page.evaluateHandle((frames) => {
        let frame = '100\ncomment\n';
        for (let i = 0; i < 100; i++)
          frame += `Cu ${i % 5}.00000 ${Math.floor(i / 5) % 5}.00000 ${Math.floor(i / 25)}.00000\n`;
        const dt = new DataTransfer();
        dt.items.add(new File([frame.repeat(frames)], 'big-upload.xyz'));
        return dt;
      }, frames);
      const t0 = performance.now();
      for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(CANVAS, type, { dataTransfer });
      await dataTransfer.dispose();
      // The task row while the bytes go up (a picture for the record; the upload takes seconds here).
      await page.waitForFunction(
        () => /^uploading [1-9]\d*%$/.test(document.querySelector('[data-testid="task-detail"]')?.textContent?.trim()),
        null,
        { timeout: 30_000, polling: 20 },
      );
      await page.locator('[data-testid="project-panel"]').screenshot({ path: artifact('upload-progress-panel.png') });
      const row = fileRow(page, 'big-upload.xyz');
      await row.waitFor({ timeout: 60_000 });
      await waitIdle(page, 60_000);
      const details = await page.evaluate(() => window.__e2eDetails);
      console.log(`  opened in ${(performance.now() - t0).toFixed(0)} ms; task details seen: ${details.join(' | ')}`);
      assert.equal((await row.locator('[data-testid="file-frames"]').textContent())?.trim(), '25,000 frames');
      assert.ok(
        details.some((d) => /^uploading \d+%$/.test(d)),
        'the upload progress was shown',
      );
      assert.ok(
        details.some((d) => /^indexing XYZ frames \d+%$/.test(d)),
        `the indexing progress was shown (saw: ${details.join(' | ')})`,
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
      await closeAllFiles(server);
    }
  });
});
