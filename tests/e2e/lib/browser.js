// Debian's Chromium, driven by playwright-core. No browser is ever downloaded.
import fs from 'node:fs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

import { startServer } from './server.js';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM_PATH
  || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

export function launch() {
  if (!CHROMIUM) throw new Error('Chromium not found: install Debian\'s chromium (apt-get install chromium)');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * For a suite: serves `site` and launches Chromium before its tests, and closes both after.
 * The returned object holds them (`live.server.url`, `live.browser`) once the tests run.
 */
export function serveAndBrowse(site) {
  const live = {};
  before(async () => {
    live.server = await startServer(site);
    live.browser = await launch();
  });
  after(async () => {
    await live.browser?.close();
    await live.server?.close();
  });
  return live;
}

/**
 * A new page that records what went wrong while it was open: console errors, uncaught
 * exceptions, failed requests, responses of 400 and more, and dialogs (which it dismisses).
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = { console: [], errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.on('requestfailed', (r) => {
    // A request cut short by navigating away (a redirect page) is not a failure.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.requests.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.requests.push(`${r.url()}: ${r.status()}`); });
  page.on('dialog', (d) => { problems.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  return { page, context, problems };
}

export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
