// Scratch: open a file in the app, print console output, save a screenshot (not a test).
// Usage: node e2e/debug-view.mjs FILE OUT.png [steps.mjs: export default async (page) => result]
/* global window */
import path from 'node:path';
import { launchBrowser, openApp, startServer, stopServer, waitIdle } from './helpers.mjs';

const [file, out, script] = process.argv.slice(2);
const server = await startServer([file]);
const browser = await launchBrowser();
try {
  const { page, context, pageErrors } = await openApp(browser, server.url);
  page.on('console', (m) => console.log(`[${m.type()}] ${m.text().slice(0, 2000)}`));
  try {
    await Promise.race([
      page.evaluate(() => window.__atomscopeTest.firstAtoms),
      new Promise((r) => setTimeout(r, 60_000)),
    ]);
    await waitIdle(page, 60_000).catch((e) => console.log(`not idle: ${e.message}`));
    if (script) {
      const steps = (await import(path.resolve(script))).default;
      console.log(JSON.stringify(await steps(page), null, 1)?.slice(0, 4000));
    }
    await waitIdle(page, 60_000).catch(() => undefined);
    await page.screenshot({ path: out });
    console.log(`atoms ${await page.evaluate(() => window.__atomscopeTest.atomCount())}`);
    console.log(`errors: ${pageErrors.map((e) => e.message).join('\n')}`);
  } finally {
    await context.close();
  }
} finally {
  await browser.close();
  await stopServer(server);
}
