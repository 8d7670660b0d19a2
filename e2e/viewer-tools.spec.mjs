// The viewer's tools end to end: bonds drawn between the atoms an SDF bonds, picking an atom
// by clicking where it is drawn (and measuring a distance), PNG figures rendered offscreen at
// the size asked for, and the view toolbar (representations, projection, background,
// colour by property) changing the picture as it says.
// Run through `node e2e/run.mjs` (it starts the server); on its own it starts one itself.
/* global window */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  artifact,
  chromaDistance,
  closeAllFiles,
  CORPUS,
  decodePng,
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

const SDF = path.join(CORPUS, '05_formats', 'molecules_public_rdkit.sdf');
const SLAB = path.join(CORPUS, '05_formats', 'Cu111_slab.extxyz');
const CANVAS = '[data-testid="viewer-canvas"]';
/** The viewer's default background (#191b1f). */
const BACKGROUND = [0x19 / 255, 0x1b / 255, 0x1f / 255];

let server;
let ownServer = null;
let browser;

before(async () => {
  server = serverFromEnv();
  if (!server) server = ownServer = await startServer(['--no-example']);
  browser = await launchBrowser();
});

after(async () => {
  // Leave the shared server as the next spec expects it: no files open.
  if (server) await closeAllFiles(server).catch(() => undefined);
  await browser?.close();
  if (ownServer) await stopServer(ownServer);
});

/** The first molecule of a V2000 SDF: atom count and bonds as 0-based pairs. */
function firstMolecule(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const atoms = Number(lines[3].slice(0, 3));
  const nbonds = Number(lines[3].slice(3, 6));
  const bonds = [];
  for (let k = 0; k < nbonds; k++) {
    const l = lines[4 + atoms + k];
    bonds.push([Number(l.slice(0, 3)) - 1, Number(l.slice(3, 6)) - 1]);
  }
  return { atoms, bonds };
}

/** Positions (Å) of the first frame of an extended XYZ file. */
function firstFramePositions(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const n = Number(lines[0]);
  return lines.slice(2, 2 + n).map((l) => l.trim().split(/\s+/).slice(1, 4).map(Number));
}

function isBackground(rgb, background = BACKGROUND) {
  return Math.hypot(rgb[0] - background[0], rgb[1] - background[1], rgb[2] - background[2]) < 0.06;
}

async function openFile(page, file) {
  await dropFiles(page, CANVAS, [{ name: path.basename(file), bytes: readFileSync(file) }]);
  // Generous: the shared server may still be busy with what the previous spec left running.
  await page.waitForFunction(() => window.__atomscopeTest.atomCount() > 0, null, { timeout: 90_000 });
  await waitIdle(page, 60_000);
}

function projectAll(page) {
  return page.evaluate(() => {
    const t = window.__atomscopeTest;
    return Array.from({ length: t.atomCount() }, (_, i) => t.projectAtom(i));
  });
}

/** Atoms (nearest first) whose centre no nearer atom's centre comes within `clearPx` of, inside the canvas. */
async function unobstructedAtoms(page, clearPx) {
  const box = await page.locator(CANVAS).boundingBox();
  const pts = await projectAll(page);
  const order = pts
    .map((p, i) => ({ ...p, index: i }))
    .filter((p) => p.x > clearPx && p.y > clearPx && p.x < box.width - clearPx && p.y < box.height - clearPx)
    .sort((a, b) => a.depth - b.depth);
  return order.filter(
    (p) => !pts.some((q, j) => j !== p.index && q.depth < p.depth && Math.hypot(q.x - p.x, q.y - p.y) < clearPx),
  );
}

/** Non-background pixels of the canvas (sampled every 4 px). */
async function coverage(page, background = BACKGROUND) {
  const grid = await sampleGrid(page, 4);
  let n = 0;
  for (let i = 0; i < grid.length; i += 3) {
    if (!isBackground([grid[i] / 255, grid[i + 1] / 255, grid[i + 2] / 255], background)) n++;
  }
  return n / (grid.length / 3);
}

describe('viewer tools', () => {
  test('bonds of a molecule (SDF bond table) are drawn between the bonded atoms', async () => {
    await closeAllFiles(server);
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await openFile(page, SDF);
      const mol = firstMolecule(SDF);
      assert.equal(await page.evaluate(() => window.__atomscopeTest.atomCount()), mol.atoms);
      // A molecule: auto is ball and stick, with the file's bonds.
      assert.match(
        (await page.locator('[data-testid="representation"] option:checked').textContent()) ?? '',
        /ball and stick/i,
      );
      assert.match(
        (await page.locator('[data-testid="bond-count"]').textContent()) ?? '',
        new RegExp(`^${mol.bonds.length} bonds`),
      );
      const pts = await projectAll(page);
      const midpoints = mol.bonds.map(([i, j]) => ({
        i,
        j,
        x: (pts[i].x + pts[j].x) / 2,
        y: (pts[i].y + pts[j].y) / 2,
      }));
      const drawn = [];
      for (const m of midpoints) drawn.push(!isBackground(await samplePixel(page, m.x, m.y, 0)));
      await page.locator(CANVAS).screenshot({ path: artifact('bonds-ball-and-stick.png') });
      console.log(`  ${mol.bonds.length} bonds; midpoints drawn: ${drawn.filter(Boolean).length}`);
      assert.ok(
        drawn.every(Boolean),
        `a bond midpoint shows the background: ${JSON.stringify(midpoints.filter((_, k) => !drawn[k]))}`,
      );

      // Points draw no bonds: the same midpoints are background now.
      await page.selectOption('[data-testid="representation"]', 'points');
      await waitIdle(page);
      let empty = 0;
      for (const m of midpoints) if (isBackground(await samplePixel(page, m.x, m.y, 0))) empty++;
      await page.locator(CANVAS).screenshot({ path: artifact('bonds-points.png') });
      assert.ok(
        empty >= midpoints.length - 1,
        `only ${empty} of ${midpoints.length} midpoints are empty without bonds`,
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('clicking an atom shows its index; shift+click a second one measures their distance', async () => {
    await closeAllFiles(server);
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await openFile(page, SLAB);
      const box = await page.locator(CANVAS).boundingBox();
      const [a, b] = await unobstructedAtoms(page, 30);
      assert.ok(a && b, 'two unobstructed atoms');
      await page.mouse.click(box.x + a.x, box.y + a.y);
      await page.locator('[data-testid="pick-panel"]').waitFor({ timeout: 10_000 });
      assert.equal((await page.locator('[data-testid="pick-index"]').textContent())?.trim(), String(a.index));
      assert.equal((await page.locator('[data-testid="pick-element"]').textContent())?.trim(), 'Cu');
      const pos = firstFramePositions(SLAB);
      const shown = ((await page.locator('[data-testid="pick-position"]').textContent()) ?? '')
        .match(/-?\d+\.\d+/g)
        .map(Number);
      for (let k = 0; k < 3; k++)
        assert.ok(Math.abs(shown[k] - pos[a.index][k]) < 1e-3, `position ${shown} vs ${pos[a.index]}`);

      await page.keyboard.down('Shift');
      await page.mouse.click(box.x + b.x, box.y + b.y);
      await page.keyboard.up('Shift');
      await page.locator('[data-testid="measurements"]').waitFor({ timeout: 10_000 });
      assert.equal((await page.locator('[data-testid="pick-index"]').textContent())?.trim(), String(b.index));
      const d = Math.hypot(...[0, 1, 2].map((k) => pos[a.index][k] - pos[b.index][k]));
      const text = (await page.locator('[data-testid="measure-value"]').first().textContent()) ?? '';
      console.log(`  picked ${a.index} then ${b.index}: ${text.trim()} (file: ${d.toFixed(3)} Å)`);
      assert.ok(Math.abs(parseFloat(text) - d) < 2e-3, `distance ${text} vs ${d}`);
      await page.locator(CANVAS).screenshot({ path: artifact('pick-measure.png') });

      // A click on empty space clears the picks.
      await page.mouse.click(box.x + 10, box.y + box.height / 2);
      await page.locator('[data-testid="pick-panel"]').waitFor({ state: 'detached', timeout: 10_000 });
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('a figure exports offscreen as a PNG of the asked size, opaque or transparent', async () => {
    await closeAllFiles(server);
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await openFile(page, SLAB);
      const exportPng = async (width, height, transparent) => {
        await page.click('[data-testid="export-figure"]');
        await page.locator('[data-testid="export-dialog"]').waitFor();
        await page.locator('label', { hasText: "keep the view's aspect" }).locator('input').uncheck();
        await page.fill('[data-testid="export-width"]', String(width));
        await page.fill('[data-testid="export-height"]', String(height));
        if (transparent) await page.check('[data-testid="export-transparent"]');
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 120_000 }),
          page.click('[data-testid="export-save"]'),
        ]);
        const file = await download.path();
        await page.locator('[data-testid="export-dialog"]').waitFor({ state: 'detached' });
        return { png: decodePng(readFileSync(file)), name: download.suggestedFilename(), bytes: readFileSync(file) };
      };

      const t0 = Date.now();
      const opaque = await exportPng(2400, 1500, false);
      writeFileSync(artifact('export-2400x1500.png'), opaque.bytes);
      console.log(`  2400 x 1500 opaque: ${opaque.bytes.length} bytes, ${Date.now() - t0} ms (${opaque.name})`);
      assert.equal(opaque.png.width, 2400);
      assert.equal(opaque.png.height, 1500);
      assert.match(opaque.name, /\.png$/);
      const { data } = opaque.png;
      const px = (x, y) => Array.from(data.subarray(4 * (y * 2400 + x), 4 * (y * 2400 + x) + 4));
      // Corners are background, opaque; the centre region holds atoms in the Cu colour.
      const corner = px(3, 3);
      assert.equal(corner[3], 255);
      assert.ok(isBackground(corner.slice(0, 3).map((v) => v / 255)), `corner ${corner}`);
      let atomsPx = 0;
      let cuPx = 0;
      for (let i = 0; i < 2400 * 1500; i += 7) {
        const rgb = [data[4 * i] / 255, data[4 * i + 1] / 255, data[4 * i + 2] / 255];
        if (isBackground(rgb)) continue;
        atomsPx++;
        if (chromaDistance(rgb, [0.784, 0.502, 0.2]) < 0.2) cuPx++;
      }
      console.log(
        `  non-background ${(atomsPx / ((2400 * 1500) / 7)).toFixed(3)} of the figure, ${(cuPx / atomsPx).toFixed(2)} of it Cu-coloured`,
      );
      assert.ok(atomsPx / ((2400 * 1500) / 7) > 0.05, 'the figure is not blank');
      assert.ok(cuPx / atomsPx > 0.6, 'the figure shows the Cu atoms');

      const clear = await exportPng(800, 600, true);
      writeFileSync(artifact('export-800x600-transparent.png'), clear.bytes);
      assert.equal(clear.png.width, 800);
      assert.equal(clear.png.height, 600);
      const alpha = (x, y) => clear.png.data[4 * (y * 800 + x) + 3];
      assert.equal(alpha(2, 2), 0, 'transparent corner');
      let opaquePx = 0;
      for (let i = 3; i < clear.png.data.length; i += 4) if (clear.png.data[i] === 255) opaquePx++;
      assert.ok(opaquePx / (800 * 600) > 0.05, `only ${opaquePx} opaque pixels in the transparent figure`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });

  test('the view toolbar changes the picture: colour by z, representations, projection, background', async () => {
    await closeAllFiles(server);
    const { page, context, pageErrors } = await openApp(browser, server.url);
    try {
      await openFile(page, SLAB);
      const spacefill = await coverage(page);

      // Colour by z (viridis): the highest atom in view draws in viridis' top colour (yellow).
      await page.selectOption('[data-testid="color-by"]', 'prop:z');
      await waitIdle(page);
      assert.ok(await page.locator('[data-testid="color-bar"]').isVisible(), 'a colour bar is shown');
      const pos = firstFramePositions(SLAB);
      const zmax = Math.max(...pos.map((p) => p[2]));
      const top = (await unobstructedAtoms(page, 20)).find((p) => pos[p.index][2] > zmax - 0.05);
      assert.ok(top, 'an unobstructed atom of the top layer');
      const rgb = await samplePixel(page, top.x, top.y, 1);
      const yellow = hueSat([0.993248, 0.906157, 0.143936]);
      console.log(
        `  colour by z: top atom ${top.index} rgb ${rgb.map((v) => v.toFixed(2)).join(' ')} hue ${hueSat(rgb).hue.toFixed(1)} (viridis(1) ${yellow.hue.toFixed(1)})`,
      );
      assert.ok(Math.abs(hueSat(rgb).hue - yellow.hue) < 10, 'the top atom is viridis yellow');
      assert.equal(
        (await page.locator('[data-testid="color-max"]').textContent())?.trim(),
        String(Number(zmax.toPrecision(4))),
      );
      await page.locator(CANVAS).screenshot({ path: artifact('color-by-z.png') });
      await page.selectOption('[data-testid="color-by"]', 'element');

      // Points cover far less of the view than spacefill; licorice less than spacefill too.
      await page.selectOption('[data-testid="representation"]', 'points');
      await waitIdle(page);
      const points = await coverage(page);
      await page.selectOption('[data-testid="representation"]', 'licorice');
      await waitIdle(page);
      const licorice = await coverage(page);
      await page.locator(CANVAS).screenshot({ path: artifact('licorice.png') });
      console.log(
        `  coverage: spacefill ${spacefill.toFixed(3)}, licorice ${licorice.toFixed(3)}, points ${points.toFixed(3)}`,
      );
      assert.ok(points < spacefill / 3 && licorice < spacefill, 'representations change the picture');
      await page.selectOption('[data-testid="representation"]', 'auto');

      // Radius scale 0.5: smaller atoms.
      await page.click('[data-testid="view-settings"]');
      await page.locator('[data-testid="radius-scale"]').fill('0.5');
      await waitIdle(page);
      const small = await coverage(page);
      assert.ok(small < spacefill * 0.7, `radius scale 0.5 covers ${small} (was ${spacefill})`);
      await page.locator('[data-testid="radius-scale"]').fill('1');

      // Orthographic: atoms move on screen (no perspective), and keep their colour.
      const before = await projectAll(page);
      await page.click('[data-testid="projection-orthographic"]');
      await waitIdle(page);
      const afterOrtho = await projectAll(page);
      const moved = before.some((p, i) => Math.hypot(p.x - afterOrtho[i].x, p.y - afterOrtho[i].y) > 2);
      assert.ok(moved, 'the orthographic projection moves atoms on screen');
      const [front] = await unobstructedAtoms(page, 20);
      const cu = await samplePixel(page, front.x, front.y, 1);
      assert.ok(Math.abs(hueSat(cu).hue - hueSat([0.784, 0.502, 0.2]).hue) < 10, `orthographic atom colour ${cu}`);
      await page.locator(CANVAS).screenshot({ path: artifact('orthographic.png') });

      // Depth cueing changes the picture.
      const grid0 = await sampleGrid(page, 8);
      await page.check('[data-testid="depth-cue"]');
      await waitIdle(page);
      const grid1 = await sampleGrid(page, 8);
      let changed = 0;
      for (let i = 0; i < grid0.length; i++) if (Math.abs(grid0[i] - grid1[i]) > 6) changed++;
      assert.ok(changed > 20, `depth cueing changed ${changed} sampled values`);

      // A white background.
      await page.locator('button.swatch[title="#ffffff"]').click();
      await waitIdle(page);
      const corner = await samplePixel(page, 3, 3, 1);
      assert.ok(
        corner.every((v) => v > 0.97),
        `background ${corner}`,
      );
      await page.screenshot({ path: artifact('white-background.png') });
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
