// With JavaScript off every page is complete: the same links, tables, cells and pictures as
// with it on; nothing that needs JavaScript is shown half-working (the comparison filter stays
// hidden); the flower box's shapes still take focus; links and redirects work.
//
// Seen to fail: putting `hidden` on the comparison table's wrapper, to be shown by site.js,
// failed the comparison pages; removing tabindex from the shapes (in the built page) failed
// the municipality page's shapes check; a redirect page with only a script redirect (meta
// refresh removed) failed the redirect test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { openPage, serveAndBrowse } from './lib/browser.js';
import { catalogs, pageTypes, site } from './lib/sites.js';

const sv = site('sv');
const [catalog] = catalogs(sv);
const live = serveAndBrowse(sv);

/** What a page shows: its links, table rows and cells, pictures and shapes, visible text size. */
function inventory() {
  const main = document.querySelector('main');
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  return {
    title: document.title,
    h1: document.querySelector('h1')?.textContent.trim(),
    links: [...main.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).sort(),
    rows: [...main.querySelectorAll('tbody tr')].filter((r) => !r.hidden).length,
    cells: [...main.querySelectorAll('td, th')].map((c) => c.textContent.trim()).sort(),
    shapes: [...main.querySelectorAll('.flowerbox-svg g.indicator')].map((g) => g.dataset.indicator),
    focusableShapes: [...main.querySelectorAll('.flowerbox-svg g.indicator')].filter((g) => g.tabIndex === 0).length,
    hiddenInMain: [...main.querySelectorAll('*')].filter((el) => el.closest('details:not([open])') === null && !visible(el)
      && !el.closest('svg, .visually-hidden, [hidden], form.filters, .print-only') && getComputedStyle(el).display !== 'none').map((el) => el.tagName),
    hiddenBlocks: [...main.querySelectorAll('[hidden]')].map((el) => el.tagName.toLowerCase() + (el.className ? `.${el.className}` : '')),
  };
}

describe('every page type is complete with JavaScript off', () => {
  for (const { type, path: p } of pageTypes(sv)) {
    if (type.startsWith('redirect')) continue;
    test(`${type} (/${p})`, async () => {
      const on = await openPage(live.browser);
      const off = await openPage(live.browser, { javaScriptEnabled: false });
      try {
        await on.page.goto(live.server.url + p);
        await off.page.goto(live.server.url + p);
        const [withJs, withoutJs] = [await on.page.evaluate(inventory), await off.page.evaluate(inventory)];
        assert.ok(withoutJs.h1, 'has a heading');
        assert.equal(withoutJs.title, withJs.title);
        assert.deepEqual(withoutJs.links, withJs.links, 'the same links');
        assert.equal(withoutJs.rows, withJs.rows, 'the same table rows');
        assert.deepEqual(withoutJs.cells, withJs.cells, 'the same table cells');
        assert.deepEqual(withoutJs.shapes, withJs.shapes, 'the same flower box');
        assert.equal(withoutJs.focusableShapes, withoutJs.shapes.length, 'every shape takes focus (tabindex)');
        // Only the filter form and the table's tools, which need JavaScript, are hidden.
        assert.deepEqual(withoutJs.hiddenBlocks.filter((b) => !b.startsWith('form.filters') && !b.startsWith('div.table-tools')), [], 'nothing else hidden');
        assert.deepEqual(withoutJs.hiddenInMain, [], 'no element collapsed to nothing');
        if (type === 'municipality-year') {
          // Earlier years show the picture as an image, with the counts as its alt text.
          const img = off.page.locator('.flowerbox-svg img');
          assert.ok(await img.isVisible());
          assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the picture loaded');
          assert.ok((await img.getAttribute('alt')).length > 20);
        } else if (/^(national|county|municipality)/.test(type) && !type.endsWith('list')) {
          assert.deepEqual([...withoutJs.shapes].sort(), [...catalog.indicators].sort(), 'one shape per indicator');
          assert.ok(await off.page.locator('.flowerbox-svg svg').first().isVisible());
          // The shapes' text alternative is in the picture itself.
          const titles = await off.page.locator('.flowerbox-svg g.indicator > title').count();
          assert.equal(titles, catalog.indicators.length);
        }
        assert.deepEqual(off.problems.console, []);
        assert.deepEqual(off.problems.requests, []);
      } finally {
        await on.context.close();
        await off.context.close();
      }
    });
  }
});

test('the comparison table lists every published municipality without JavaScript', async () => {
  const { page, context } = await openPage(live.browser, { javaScriptEnabled: false });
  try {
    await page.goto(`${live.server.url}jamfor/`);
    const csv = fs.readFileSync(path.join(sv.out, 'data/municipalities.csv'), 'utf8').trim().split('\n').slice(1);
    const latest = Math.max(...csv.map((l) => Number(l.split(',')[0])));
    const published = csv.filter((l) => Number(l.split(',')[0]) === latest).length;
    assert.equal(await page.locator('table.compare tbody tr').count(), published);
    assert.equal(await page.locator('form.filters').isVisible(), false, 'the filter, which needs JavaScript, is not shown');
    assert.equal(await page.locator('table.compare thead th button').count(), 0, 'headings are plain');
  } finally {
    await context.close();
  }
});

test('national → county → municipality by clicking, and redirects, without JavaScript', async () => {
  const { page, context, problems } = await openPage(live.browser, { javaScriptEnabled: false });
  try {
    await page.goto(live.server.url);
    await Promise.all([page.waitForURL(/\/lan\/[a-z0-9-]+\/(\d{4}\/)?$/), page.locator('main table a[href*="lan/"]').first().click()]);
    await Promise.all([page.waitForURL(/\/kommun\/[a-z0-9-]+\/(\d{4}\/)?$/), page.locator('main table a[href*="kommun/"]').first().click()]);
    assert.ok(await page.locator('.flowerbox-svg svg, .flowerbox-svg img').first().isVisible());
    for (const { path: p } of pageTypes(sv).filter((t) => t.type.startsWith('redirect'))) {
      await page.goto(live.server.url + p);
      await page.waitForURL((u) => !/\/\d+\/$/.test(u.pathname), { timeout: 5000 });
      assert.ok(await page.locator('h1').count() >= 1, `${p} leads to a page`);
    }
    assert.deepEqual(problems.requests, []);
  } finally {
    await context.close();
  }
});
