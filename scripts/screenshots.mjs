// Screenshots of each page type of the bundled site on a phone (390 px) and on a desktop
// (1 280 px), and of a municipality's first printed page, for docs/pages.md.
//
//   node scripts/screenshots.mjs
//
// Builds the bundled content (as the browser tests do, into tests/e2e/output/sv/), serves it,
// and writes docs/images/pages/<type>-<width>.png: the first screen of each page, at a device
// pixel ratio of 1, in 256 colours when pngquant is installed (a third of the size), to keep the
// files small. Needs what the browser tests need (Chromium and `npm ci`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { launch } from '../tests/e2e/lib/browser.js';
import { startServer } from '../tests/e2e/lib/server.js';
import { ROOT, pageTypes, site } from '../tests/e2e/lib/sites.js';

const OUT = path.join(ROOT, 'docs/images/pages');
const SCREENS = [
  { width: 390, height: 844 },
  { width: 1280, height: 760 },
];
// One of each template; a year page looks like its latest page but shows the picture as an image.
const TYPES = ['national', 'county', 'municipality', 'municipality-year', 'indicator', 'comparison',
  'municipality-list', 'page-metod', 'not-found'];
// A4's printed area (the print stylesheet's margins), in CSS px.
const MM = 96 / 25.4;
const PRINTED = { width: Math.floor((210 - 24) * MM), height: Math.floor((297 - 24) * MM) };

const sv = site('sv');
const byType = new Map(pageTypes(sv).map((p) => [p.type, p.path]));
fs.mkdirSync(OUT, { recursive: true });
const server = await startServer(sv);
const browser = await launch();
try {
  for (const type of TYPES) {
    for (const screen of SCREENS) {
      const page = await browser.newPage({ viewport: screen });
      await page.goto(server.url + byType.get(type), { waitUntil: 'load' });
      await page.screenshot({ path: path.join(OUT, `${type}-${screen.width}.png`) });
      await page.close();
    }
  }
  // The first printed page of a municipality, as Chromium lays it out for print.
  const page = await browser.newPage({ viewport: PRINTED });
  await page.emulateMedia({ media: 'print' });
  await page.goto(`${server.url}kommun/kumla/`, { waitUntil: 'load' });
  await page.screenshot({ path: path.join(OUT, 'municipality-print.png') });
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
const files = fs.readdirSync(OUT).filter((f) => f.endsWith('.png')).sort();
const quant = spawnSync('pngquant', ['--quality', '70-95', '--speed', '1', '--force', '--ext', '.png', '--skip-if-larger', ...files], { cwd: OUT });
if (quant.error) console.log('pngquant is not installed: the pictures stay in full colour');
for (const f of files) console.log(`${f}: ${Math.round(fs.statSync(path.join(OUT, f)).size / 1024)} KiB`);
