// A visitor in Chromium on the bundled content: from the nation to a county to a municipality
// by clicking, the flower box and its tooltips, the comparison table's sorting and filter, and
// no console errors, failed requests or uncaught exceptions on any page type.
//
// Seen to fail: dropping the tooltip code from site.js failed "a petal's title shows ...", and
// so did the tooltip's old `pointer-events: none` (it could not be hovered, WCAG 1.4.13);
// breaking the sort comparator failed the sorting test; a typo in the stylesheet's link in
// base.html failed every page type (a 404 in the console).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { openPage, serveAndBrowse } from './lib/browser.js';
import { catalogs, pageTypes, site, tooltipOf } from './lib/sites.js';

const sv = site('sv');
const live = serveAndBrowse(sv);

function assertClean(problems, where) {
  assert.deepEqual(problems.console, [], `${where}: console errors`);
  assert.deepEqual(problems.errors, [], `${where}: uncaught exceptions`);
  assert.deepEqual(problems.requests, [], `${where}: failed requests`);
  assert.deepEqual(problems.dialogs, [], `${where}: dialogs`);
}

describe('every page type loads without errors', () => {
  for (const { type, path } of pageTypes(sv)) {
    test(`${type} (/${path})`, async () => {
      const { page, context, problems } = await openPage(live.browser);
      try {
        const res = await page.goto(live.server.url + path, { waitUntil: 'load' });
        if (type === 'not-found') assert.equal(res.status(), 200);
        else assert.ok(res.ok(), `status ${res.status()}`);
        if (type.startsWith('redirect')) await page.waitForURL((u) => !/\/\d+\/$/.test(u.pathname));
        await page.waitForLoadState('load');
        assert.ok((await page.locator('h1').count()) >= 1 || type.startsWith('redirect'), 'has an h1');
        // The accessibility statement is linked from every page.
        const statement = page.locator('footer a[href$="sida/tillganglighet/"]');
        assert.equal(await statement.count(), 1, 'links to the accessibility statement');
        assert.ok(await statement.isVisible());
        assertClean(problems, path);
      } finally {
        await context.close();
      }
    });
  }

  test('an unknown address gets the 404 page', async () => {
    const { page, context } = await openPage(live.browser);
    try {
      const res = await page.goto(`${live.server.url}finns/inte/`);
      assert.equal(res.status(), 404);
      await assert.doesNotReject(page.locator('main h1').waitFor());
      assert.ok(await page.locator('main a').count() >= 1, 'links back to the start');
    } finally {
      await context.close();
    }
  });
});

test('national → county → municipality by clicking links', async () => {
  const { page, context, problems } = await openPage(live.browser);
  try {
    await page.goto(live.server.url);
    const h1 = await page.locator('h1').innerText();
    assert.match(h1, /eBlomlådan/);

    // The national page's county table links to each county.
    const countyLink = page.locator('main table a[href*="lan/"]').first();
    const countyName = (await countyLink.innerText()).trim();
    await Promise.all([page.waitForURL(/\/lan\/[a-z0-9-]+\/(\d{4}\/)?$/), countyLink.click()]);
    assert.equal((await page.locator('h1').innerText()).split('\n')[0].replace(/\s+\d{4}$/, '').trim(), countyName);
    assert.equal(await page.locator('.breadcrumbs a').first().innerText(), 'Riket');

    // The county's table of municipalities links to each of them.
    const muniLink = page.locator('main table a[href*="kommun/"]').first();
    const muniName = (await muniLink.innerText()).trim();
    await Promise.all([page.waitForURL(/\/kommun\/[a-z0-9-]+\/(\d{4}\/)?$/), muniLink.click()]);
    assert.match(await page.locator('h1').innerText(), new RegExp(`^${muniName}\\s+\\d{4}`));
    // The breadcrumbs lead back to the county.
    assert.equal((await page.locator('.breadcrumbs a').nth(1).innerText()).trim(), countyName);

    // An earlier year, then back to the latest, through the year navigation.
    const years = page.locator('nav.years a');
    if (await years.count() > 1) {
      await Promise.all([page.waitForURL(/\/\d{4}\/$/), years.first().click()]);
      assert.match(await page.locator('h1').innerText(), /\d{4}/);
    }
    assertClean(problems, 'navigation');
  } finally {
    await context.close();
  }
});

describe('the flower box', () => {
  const [catalog] = catalogs(sv);
  const types = pageTypes(sv).filter((p) => /^(national|county|municipality)/.test(p.type) && !p.type.endsWith('list'));
  for (const { type, path } of types) {
    test(`is visible on the ${type} page with one shape per indicator`, async () => {
      const { page, context } = await openPage(live.browser);
      try {
        await page.goto(live.server.url + path);
        const img = page.locator('.flowerbox-svg img').first();
        if (await img.count()) {
          // Pages of earlier years show the picture as an image of the SVG file.
          assert.ok(await img.isVisible(), 'the picture is visible');
          assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the picture loaded');
          assert.match(await img.getAttribute('alt'), /\d+ .+ \d+ .+ \d+ /, 'the alt text gives the counts');
          const ids = await img.evaluate(async (i) => {
            const doc = new DOMParser().parseFromString(await (await fetch(i.src)).text(), 'image/svg+xml');
            return [...doc.querySelectorAll('g.indicator')].map((g) => g.getAttribute('data-indicator'));
          });
          assert.deepEqual([...ids].sort(), [...catalog.indicators].sort(), 'one shape for each indicator of the catalogue');
          return;
        }
        const svg = page.locator('.flowerbox-svg svg').first();
        assert.ok(await svg.isVisible(), 'the picture is visible');
        const box = await svg.boundingBox();
        assert.ok(box.width > 300 && box.height > 150, `drawn large enough: ${JSON.stringify(box)}`);
        const ids = await svg.locator('g.indicator').evaluateAll((gs) => gs.map((g) => g.dataset.indicator));
        assert.deepEqual([...ids].sort(), [...catalog.indicators].sort(), 'one shape for each indicator of the catalogue');
        const titled = await svg.locator('g.indicator > title').count();
        assert.equal(titled, catalog.indicators.length, 'every shape has a title');
        // Each shape is drawn with some size (not collapsed or hidden).
        const sizes = await svg.locator('g.indicator').evaluateAll((gs) => gs.map((g) => g.getBBox()).filter((b) => b.width * b.height < 4).length);
        assert.equal(sizes, 0, 'shapes of visible size');
        assert.ok(await svg.getAttribute('aria-labelledby'), 'the picture is labelled');
      } finally {
        await context.close();
      }
    });
  }

  test('a petal\'s title, with its indicator\'s text, shows as a tooltip on hover and on focus', async () => {
    const { page, context, problems } = await openPage(live.browser);
    try {
      await page.goto(`${live.server.url}${types.find((t) => t.type === 'municipality').path}`);
      const petal = page.locator('.flowerbox-svg g.indicator.petal').first();
      const title = (await petal.locator('title').textContent()).trim();
      const tooltip = page.locator('.tooltip[role="tooltip"]');

      await petal.hover();
      await tooltip.waitFor({ state: 'visible' });
      assert.equal((await tooltip.textContent()).trim(), tooltipOf(catalog, title));
      // WCAG 1.4.13: the pointer can move onto the tooltip without it going away.
      const tipBox = await tooltip.boundingBox();
      await page.mouse.move(tipBox.x + tipBox.width / 2, tipBox.y + tipBox.height / 2, { steps: 5 });
      await page.waitForTimeout(800);
      assert.ok(await tooltip.isVisible(), 'the tooltip stays while hovered');
      await page.mouse.move(2, 2);
      await tooltip.waitFor({ state: 'hidden' });

      const stone = page.locator('.flowerbox-svg g.indicator.stone').last();
      await stone.focus();
      await tooltip.waitFor({ state: 'visible' });
      assert.equal((await tooltip.textContent()).trim(), tooltipOf(catalog, (await stone.locator('title').textContent()).trim()));
      // The tooltip sits near the shape, inside the page.
      const [t, s] = [await tooltip.boundingBox(), await stone.boundingBox()];
      assert.ok(Math.abs(t.y - (s.y + s.height)) < 40, 'below the shape');
      await page.keyboard.press('Escape');
      await tooltip.waitFor({ state: 'hidden' });
      assertClean(problems, 'tooltip');
    } finally {
      await context.close();
    }
  });
});

describe('the comparison table', () => {
  const rowsOf = (page) => page.locator('table.compare tbody tr:not([hidden])');
  const column = (page, n) => page.locator('table.compare tbody tr:not([hidden])').evaluateAll(
    (rows, i) => rows.map((r) => r.cells[i].dataset.sort ?? r.cells[i].textContent.trim()),
    n,
  );

  test('sorts by a column, best first, then both ways, and says so with aria-sort', async () => {
    const { page, context, problems } = await openPage(live.browser);
    try {
      await page.goto(`${live.server.url}jamfor/`);
      const table = page.locator('table.compare').first();
      const heads = table.locator('thead th');
      const points = heads.nth(3);
      const button = points.locator('button');
      assert.equal(await button.count(), 1, 'the heading is a button');

      // A number column sorts the highest first on the first press.
      await button.click();
      assert.equal(await points.getAttribute('aria-sort'), 'descending');
      assert.equal(await heads.first().getAttribute('aria-sort'), null, 'only one column is sorted');
      const down = (await column(page, 3)).map(Number);
      assert.deepEqual(down, [...down].sort((a, b) => b - a));
      assert.ok(down[0] > down.at(-1), 'the points differ');

      await button.click();
      assert.equal(await points.getAttribute('aria-sort'), 'ascending');
      const up = (await column(page, 3)).map(Number);
      assert.deepEqual(up, [...down].sort((a, b) => a - b));

      // Names sort in Swedish order (å, ä, ö last).
      await heads.first().locator('button').click();
      await heads.first().locator('button').click();
      await heads.first().locator('button').click();
      const names = await column(page, 0);
      assert.deepEqual(names, [...names].sort(new Intl.Collator('sv').compare));
      assertClean(problems, 'sorting');
    } finally {
      await context.close();
    }
  });

  test('filters by name and by county, and tells how many rows are shown', async () => {
    const { page, context, problems } = await openPage(live.browser);
    try {
      await page.goto(`${live.server.url}jamfor/`);
      const form = page.locator('form.filters').first();
      assert.ok(await form.isVisible(), 'the filter form is shown when JavaScript runs');
      const total = await rowsOf(page).count();
      assert.ok(total > 100);

      await form.locator('input[type=search]').fill('ale');
      const byName = await column(page, 0);
      assert.ok(byName.length > 0 && byName.length < total);
      assert.ok(byName.every((n) => n.toLowerCase().includes('ale')), byName.join(', '));
      assert.equal(await form.locator('[role=status]').innerText(), `${byName.length} / ${total}`);

      await form.locator('input[type=search]').fill('');
      const select = form.locator('select[name=county]');
      const [, option] = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
      await select.selectOption(option.value);
      const counties = await column(page, 1);
      assert.ok(counties.length > 0 && counties.length < total);
      assert.ok(counties.every((c) => c === option.text), `all rows in ${option.text}`);

      // Both at once; nothing matches shows an empty table with "0 / N".
      await form.locator('input[type=search]').fill('zzzz');
      assert.equal(await rowsOf(page).count(), 0);
      assert.equal(await form.locator('[role=status]').innerText(), `0 / ${total}`);
      assertClean(problems, 'filter');
    } finally {
      await context.close();
    }
  });

  test('"similar to" shows a municipality with the five its page names, by answers or by size', async () => {
    const { page, context, problems } = await openPage(live.browser);
    try {
      await page.goto(`${live.server.url}jamfor/`);
      const form = page.locator('form.filters').first();
      const similar = form.locator('select[name=similar]');
      const [, option] = await similar.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
      await similar.selectOption(option.value);
      const byAnswers = await column(page, 0);
      const row = page.locator(`table.compare tbody tr[data-code="${option.value}"] th a`).first();
      const href = await row.getAttribute('href');
      await form.locator('select[name=kind]').selectOption('population');
      const bySize = await column(page, 0);

      await page.goto(new URL(href, page.url()).href);
      const lists = page.locator('section.similar ol.similar-list');
      const named = (n) => lists.nth(n).locator('li > a').allInnerTexts();
      const sorted = (names) => [...names].sort(new Intl.Collator('sv').compare);
      assert.deepEqual(sorted(byAnswers), sorted([option.text, ...(await named(0))]));
      assert.equal(byAnswers.length, 6, 'itself and five by answers');
      assert.deepEqual(sorted(bySize), sorted([option.text, ...(await named(1))]));
      assertClean(problems, 'similar filter');
    } finally {
      await context.close();
    }
  });
});
