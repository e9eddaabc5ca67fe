// `blomlada serve` as an editor uses it: an open page reloads by itself after a YAML edit and
// shows the new answer; a bad edit shows the error overlay over the last good page; fixing the
// file takes the overlay away and shows the fixed page.
//
// Seen to fail: with the call that tells browsers to reload (src/serve/mod.rs) left out, the
// page kept its old answer and the wait for its reload timed out.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launch, openPage } from './lib/browser.js';
import { USE_BLOMLADA_SERVE, startServer } from './lib/server.js';
import { ROOT } from './lib/sites.js';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The answer shown for indicator `id` in the municipality page's table: helt, delvis, inte. */
async function answerOf(page, id) {
  const classes = await page.locator(`table.answers tr:has(a[href$="/${id}/"]) .answer`).first().getAttribute('class');
  return /answer-(\w+)/.exec(classes)?.[1];
}

/**
 * What `ask` returns once it returns `want` (or, without `want`, once it returns at all), asked
 * again while a reload replaces the page under it; the last answer after 20 s.
 */
async function settled(ask, want) {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      const answer = await ask();
      if (want === undefined || answer === want || Date.now() > until) return answer;
    } catch (e) {
      if (!/context was destroyed|navigation/i.test(String(e)) || Date.now() > until) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('an open page reloads after a YAML edit, and shows errors until the file is fixed', { skip: !USE_BLOMLADA_SERVE && 'runs with blomlada serve only' }, async () => {
  const content = fs.mkdtempSync(path.join(os.tmpdir(), 'blomlada-reload-'));
  fs.cpSync(path.join(ROOT, 'tests/fixtures/sites/shapes'), content, { recursive: true });
  const file = path.join(content, 'assessments/2017/0101-new.yaml');
  const original = fs.readFileSync(file, 'utf8');
  const server = await startServer({ name: 'reload', content });
  const { page, context, problems } = await openPage(browser);
  try {
    const listening = page.waitForResponse((r) => r.url().includes('/_tower-livereload/event-stream'));
    await page.goto(`${server.url}kommun/ankeby/`);
    await listening;
    assert.equal(await answerOf(page, 'a.2'), 'helt');
    // A mark that only this very document carries: a reload removes it.
    await page.evaluate(() => { window.__beforeEdit = true; });

    // A good edit: a.2 goes from helt to inte; the page reloads by itself, after phase 1 and
    // again after phase 2 when that writes files (docs/watch.md): what is asked of the page is
    // asked again if a reload replaces it meanwhile.
    fs.writeFileSync(file, original.replace('a.2: helt', 'a.2: inte'));
    await page.waitForFunction(() => window.__beforeEdit === undefined, null, { timeout: 20_000 });
    assert.equal(await settled(() => page.evaluate(() => window.__beforeEdit)), undefined, 'the page was reloaded');
    assert.equal(await settled(() => answerOf(page, 'a.2'), 'inte'), 'inte');
    assert.equal(await page.locator('#blomlada-errors').count(), 0);

    // A bad edit: an answer that does not exist. The overlay names the file, line and column,
    // over the last good page.
    fs.writeFileSync(file, original.replace('a.2: helt', 'a.2: kanske'));
    const overlay = page.locator('#blomlada-errors[role=alert]');
    await overlay.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await overlay.innerText(), /0101-new\.yaml:\d+:\d+: error: .*kanske/);
    assert.equal(await answerOf(page, 'a.2'), 'inte', 'the last good page stays under the overlay');

    // Fixed: the overlay goes and the page shows the fixed answer.
    fs.writeFileSync(file, original.replace('a.2: helt', 'a.2: delvis'));
    await overlay.waitFor({ state: 'detached', timeout: 20_000 });
    await page.waitForLoadState('load');
    assert.equal(await answerOf(page, 'a.2'), 'delvis');

    assert.deepEqual(problems.errors, [], 'uncaught exceptions');
    assert.deepEqual(problems.dialogs, []);
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(content, { recursive: true, force: true });
  }
});
