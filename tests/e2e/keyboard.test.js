// Every page works by keyboard alone: the skip link, a visible focus on everything Tab reaches
// and in a sensible order (header, main, footer), sorting by Enter and Space, the comparison
// filter, and the flower box's shapes with their tooltip.
//
// Seen to fail: `outline: none` on :focus-visible in style.css failed the Tab test of every page
// type; the skip link pointing at "#content" failed the skip link test; dropping site.js's focus
// listener on the shapes failed the flower box test. (With JavaScript on, Chromium lets an SVG
// shape with a focus listener take focus even without tabindex; nojs.test.js checks tabindex.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { openPage, serveAndBrowse } from './lib/browser.js';
import { catalogs, pageTypes, site, tooltipOf } from './lib/sites.js';

const sv = site('sv');
const [catalog] = catalogs(sv);
const live = serveAndBrowse(sv);

/** What has focus, and whether it can be seen to have it. */
function describeFocus() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const region = el.closest('header.site-header, main, footer, .example-banner')?.tagName.toLowerCase() ?? 'other';
  const style = getComputedStyle(el);
  let visible = el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  if (!visible && el.matches('.flowerbox-svg .indicator')) {
    // Shapes show focus by a thick stroke in the focus colour on their first part.
    const part = getComputedStyle(el.firstElementChild);
    visible = part.stroke === getComputedStyle(document.documentElement).getPropertyValue('--focus').trim().replace(/^#(..)(..)(..)$/, (_, r, g, b) => `rgb(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)})`)
      && parseFloat(part.strokeWidth) >= 2;
  }
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    cls: typeof el.className === 'string' ? el.className : el.className.baseVal,
    text: (el.textContent ?? '').trim().slice(0, 40),
    href: el.getAttribute('href'),
    region,
    visible,
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth && box.width > 0 && box.height > 0,
  };
}

/** Tabs through the whole page once; returns what each Tab focused. */
async function tabThrough(page, limit = 2500) {
  const stops = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(describeFocus);
    if (!f) {
      if (stops.length) break; // left the page: the whole round is done
      continue;
    }
    if (stops.length && f.cls === 'skip') break; // came round again
    stops.push(f);
  }
  return stops;
}

describe('Tab reaches everything, focus is visible, in a sensible order', () => {
  for (const { type, path } of pageTypes(sv)) {
    if (type.startsWith('redirect')) continue;
    test(`${type} (/${path})`, async () => {
      const { page, context } = await openPage(live.browser);
      try {
        await page.goto(live.server.url + path);
        const stops = await tabThrough(page);
        assert.ok(stops.length >= 8, `only ${stops.length} tab stops`);
        assert.equal(stops[0].cls, 'skip', 'the skip link comes first');
        const invisible = stops.filter((s) => !s.visible || !s.inView);
        assert.deepEqual(invisible, [], 'focus is visible and scrolled into view');
        // Header, then main, then footer: regions don't interleave.
        const order = stops.map((s) => s.region).filter((r, i, all) => r !== all[i - 1]);
        assert.deepEqual(order.filter((r) => r !== 'other'), ['header', 'main', 'footer'].filter((r) => order.includes(r)));
        for (const r of ['header', 'main', 'footer']) assert.ok(order.includes(r), `Tab reaches the ${r}`);
        // Every link of the main navigation, and every link in main, is reached.
        const reachedHrefs = new Set(stops.map((s) => s.href).filter((h) => h !== null));
        // A map's links stay out of the tab order: the same links are in the page's table or
        // lists (which may be collapsed), and those are what keyboards use.
        const links = await page.locator('header.site-header nav a, main a[href]:visible, footer a').evaluateAll((as) => as.filter((a) => !a.closest('.map-svg')).map((a) => a.getAttribute('href')));
        const missing = links.filter((h) => !reachedHrefs.has(h));
        assert.deepEqual(missing, [], 'links Tab never reached');
        const mapOnly = await page.locator('main').evaluate((main) => {
          const elsewhere = new Set([...main.querySelectorAll('a[href]')].filter((a) => !a.closest('.map-svg')).map((a) => a.getAttribute('href')));
          return [...main.querySelectorAll('.map-svg a')].filter((a) => a.tabIndex >= 0 || !elsewhere.has(a.getAttribute('href'))).map((a) => a.getAttribute('href'));
        });
        assert.deepEqual(mapOnly, [], 'map links in the tab order or without a link beside the map');
      } finally {
        await context.close();
      }
    });
  }
});

test('the skip link is shown on focus and moves focus to the main content', async () => {
  const { page, context } = await openPage(live.browser);
  try {
    await page.goto(`${live.server.url}kommun/`);
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip');
    assert.ok(await skip.evaluate((a) => a === document.activeElement));
    const box = await skip.boundingBox();
    assert.ok(box.x >= 0 && box.y >= 0 && box.width > 20, `on screen: ${JSON.stringify(box)}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    assert.match(page.url(), /#main$/);
    // The next Tab goes to the first link in main, not back to the header.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('main')), true);
  } finally {
    await context.close();
  }
});

test('sort buttons work with Enter and Space', async () => {
  const { page, context } = await openPage(live.browser);
  try {
    await page.goto(`${live.server.url}jamfor/`);
    // Tab to the "points" heading's button.
    let found = false;
    for (let i = 0; i < 60 && !found; i += 1) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => {
        const el = document.activeElement;
        return el?.tagName === 'BUTTON' && el.closest('th')?.cellIndex === 3;
      });
    }
    assert.ok(found, 'Tab reaches the sort buttons');
    const th = page.locator('table.compare thead th').nth(3);
    const values = () => page.locator('table.compare tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.cells[3].dataset.sort)));
    await page.keyboard.press('Enter');
    assert.equal(await th.getAttribute('aria-sort'), 'descending');
    const down = await values();
    assert.deepEqual(down, [...down].sort((a, b) => b - a));
    await page.keyboard.press('Space');
    assert.equal(await th.getAttribute('aria-sort'), 'ascending');
    const up = await values();
    assert.deepEqual(up, [...down].sort((a, b) => a - b));
    assert.ok(await page.evaluate(() => document.activeElement.tagName === 'BUTTON'), 'focus stays on the button');
  } finally {
    await context.close();
  }
});

test('the comparison filter works by keyboard', async () => {
  const { page, context } = await openPage(live.browser);
  try {
    await page.goto(`${live.server.url}jamfor/`);
    const rows = page.locator('table.compare tbody tr:not([hidden])');
    const total = await rows.count();
    let onSearch = false;
    for (let i = 0; i < 40 && !onSearch; i += 1) {
      await page.keyboard.press('Tab');
      onSearch = await page.evaluate(() => document.activeElement?.type === 'search');
    }
    assert.ok(onSearch, 'Tab reaches the name filter');
    await page.keyboard.type('sala');
    const shown = await rows.count();
    assert.ok(shown >= 1 && shown < total, `${shown} of ${total}`);
    await page.keyboard.press('Escape'); // clears a search field
    assert.equal(await rows.count(), total);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SELECT');
    await page.keyboard.press('ArrowDown');
    const county = await page.evaluate(() => document.activeElement.selectedOptions[0].textContent);
    const counties = await rows.evaluateAll((rs) => [...new Set(rs.map((r) => r.cells[1].textContent))]);
    assert.deepEqual(counties, [county]);
    assert.match(await page.locator('form.filters [role=status]').innerText(), new RegExp(`^\\d+ / ${total}$`));
  } finally {
    await context.close();
  }
});

test('the flower box\'s shapes take focus, in order, and show their tooltip', async () => {
  const { page, context } = await openPage(live.browser);
  try {
    await page.goto(`${live.server.url}${pageTypes(sv).find((t) => t.type === 'municipality').path}`);
    let onShape = false;
    for (let i = 0; i < 40 && !onShape; i += 1) {
      await page.keyboard.press('Tab');
      onShape = await page.evaluate(() => document.activeElement?.matches('.flowerbox-svg .indicator'));
    }
    assert.ok(onShape, 'Tab reaches the first shape');
    const seen = [];
    const tooltip = page.locator('.tooltip[role=tooltip]');
    while (await page.evaluate(() => document.activeElement?.matches('.flowerbox-svg .indicator'))) {
      const [id, title] = await page.evaluate(() => [document.activeElement.dataset.indicator, document.activeElement.querySelector('title').textContent]);
      assert.ok(await tooltip.isVisible(), `tooltip shown for ${id}`);
      assert.equal(await tooltip.textContent(), tooltipOf(catalog, title));
      seen.push(id);
      await page.keyboard.press('Tab');
    }
    assert.deepEqual(seen, catalog.indicators, 'every shape, in the catalogue\'s order');
    assert.ok(!(await tooltip.isVisible()), 'the tooltip goes when focus leaves');
  } finally {
    await context.close();
  }
});
