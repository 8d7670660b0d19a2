// Takes the README screenshot: the app in browser mode on the bundled example.
// Usage: npm run build && node scripts/screenshot.mjs [OUT.png]
/* global window */
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startServer } from '../e2e/helpers.mjs';

const out = process.argv[2] ?? 'docs/screenshot.png';
const server = await startServer([]);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__atomscopeTest?.firstAtomsAt !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => window.__atomscopeTest.idle?.());
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.child.kill();
}
