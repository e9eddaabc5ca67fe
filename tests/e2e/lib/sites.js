// The sites the browser tests look at: the bundled content in Swedish and in English, and the
// hostile fixture. Each is built once into tests/e2e/output/<name>/ (ignored by git).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const OUTPUT = path.join(ROOT, 'tests/e2e/output');
export const BINARY = process.env.BLOMLADA_BIN || path.join(ROOT, 'target/release/blomlada');
export const THEME = path.join(ROOT, 'themes/default');

/** name -> how to get its content folder; a copy is a language's folder in another site. */
const SITES = {
  sv: { content: () => path.join(ROOT, 'content'), args: [] },
  // The bundled content publishes English under en/ (`translations: [en]` in site.yaml).
  en: { copyOf: 'sv', folder: 'en/' },
  hostile: { content: () => path.join(ROOT, 'tests/fixtures/hostile'), args: [] },
};

export function ensureBinary() {
  if (!fs.existsSync(BINARY)) {
    const r = spawnSync('cargo', ['build', '--release', '--bin', 'blomlada'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('cargo build failed');
  }
}

/**
 * Builds a site (always) and returns { name, content, out, folder }: `folder` is where the
 * site's pages are under `out` ('' but for a language's copy, e.g. 'en/').
 */
export function buildSite(name) {
  if (SITES[name].copyOf) return copyIn(name, buildSite(SITES[name].copyOf));
  ensureBinary();
  const content = SITES[name].content();
  const out = path.join(OUTPUT, name);
  const r = spawnSync(BINARY, ['build', '--content', content, '--theme', THEME, '--out', out, ...SITES[name].args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`blomlada build of ${name} failed (${r.status}):\n${r.stderr}`);
  fs.writeFileSync(path.join(OUTPUT, `${name}.content`), content);
  return { name, content, out, folder: '' };
}

/** A language's copy of a built site: the same output, pages under the copy's folder. */
function copyIn(name, of) {
  return { ...of, name, folder: SITES[name].folder };
}

/** A site built earlier (by `npm test`'s pretest step), or built now when missing. */
export function site(name) {
  if (SITES[name].copyOf) return copyIn(name, site(SITES[name].copyOf));
  const out = path.join(OUTPUT, name);
  const stamp = path.join(OUTPUT, `${name}.content`);
  if (fs.existsSync(path.join(out, 'index.html')) && fs.existsSync(stamp)) {
    return { name, content: fs.readFileSync(stamp, 'utf8'), out, folder: '' };
  }
  fs.mkdirSync(OUTPUT, { recursive: true });
  return buildSite(name);
}

/**
 * The catalogues of a built site, from its open data:
 * [{ id, indicators: [id...], texts: { id: text } }].
 */
export function catalogs(s) {
  const json = JSON.parse(fs.readFileSync(path.join(s.out, 'data/site.json'), 'utf8'));
  return json.catalogs.map((c) => ({
    id: c.id,
    indicators: c.areas.flatMap((a) => a.indicators.map((i) => i.id)),
    texts: Object.fromEntries(c.areas.flatMap((a) => a.indicators.map((i) => [i.id, i.text]))),
  }));
}

/**
 * What a shape's tooltip says: a picture in a page titles each shape "id: answer", and the
 * page's script adds the indicator's text: "id: text — answer".
 */
export function tooltipOf(catalog, title) {
  const id = title.slice(0, title.indexOf(': '));
  // Pages leave out the code points markup cannot hold (control characters).
  // eslint-disable-next-line no-control-regex
  const text = catalog.texts[id].replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
  return `${id}: ${text} — ${title.slice(id.length + 2)}`;
}

const isLeading = (file) => fs.readFileSync(file, 'utf8').includes('http-equiv="refresh"');
const isDir = (p) => fs.existsSync(p) && fs.statSync(p).isDirectory();
const years = (dir) => fs.readdirSync(dir).filter((d) => /^\d{4}$/.test(d) && isDir(path.join(dir, d))).sort();

/** A slug folder under `section` with at least two published years, to cover year pages. */
function withYears(s, section) {
  const dir = path.join(s.out, section);
  const slugs = fs.readdirSync(dir).filter((d) => !/^\d+$/.test(d) && isDir(path.join(dir, d))).sort();
  const pick = slugs.find((d) => years(path.join(dir, d)).length >= 2 && fs.existsSync(path.join(dir, d, 'index.html')))
    ?? slugs.find((d) => years(path.join(dir, d)).length >= 1);
  if (!pick) throw new Error(`${s.name}: no ${section} page with a year`);
  return { slug: pick, years: years(path.join(dir, pick)) };
}

/**
 * One URL path of every page type of a built site: [{ type, path }].
 * Paths are relative to the site root, with a trailing slash for folders.
 */
export function pageTypes(s) {
  const [catalog] = catalogs(s);
  // A language's copy: its pages are those of a site at its folder.
  const pagesOf = { ...s, out: path.join(s.out, s.folder) };
  return typesOf(pagesOf, catalog).map(({ type, path: p }) => ({ type, path: s.folder + p }));
}

function typesOf(s, catalog) {
  const county = withYears(s, 'lan');
  const muni = withYears(s, 'kommun');
  const codes = fs.readdirSync(path.join(s.out, 'kommun')).filter((d) => /^\d{4}$/.test(d)).sort();
  const countyCodes = fs.readdirSync(path.join(s.out, 'lan')).filter((d) => /^\d{2}$/.test(d)).sort();
  const nationYears = years(path.join(s.out, 'riket'));
  const compareYears = years(path.join(s.out, 'jamfor'));
  const pages = fs.readdirSync(path.join(s.out, 'sida')).sort();
  const list = [
    { type: 'national', path: '' },
    { type: 'national-year', path: `riket/${nationYears[0]}/` },
    { type: 'county', path: `lan/${county.slug}/` },
    { type: 'county-year', path: `lan/${county.slug}/${county.years[0]}/` },
    { type: 'municipality', path: `kommun/${muni.slug}/` },
    { type: 'municipality-year', path: `kommun/${muni.slug}/${muni.years[0]}/` },
    { type: 'indicator', path: `indikator/${catalog.id}/${catalog.indicators[0]}/` },
    { type: 'comparison', path: 'jamfor/' },
    { type: 'comparison-year', path: `jamfor/${compareYears[0]}/` },
    { type: 'municipality-list', path: 'kommun/' },
    { type: 'county-list', path: 'lan/' },
    { type: 'indicator-list', path: 'indikator/' },
    ...pages.map((p) => ({ type: `page-${p}`, path: `sida/${p}/` })),
    { type: 'redirect-municipality', path: `kommun/${codes[0]}/` },
    { type: 'redirect-county', path: `lan/${countyCodes[0]}/` },
    { type: 'not-found', path: '404.html' },
  ];
  // The latest year's folder leads to the area's own page: with one year only, the year
  // pages are of that kind.
  for (const entry of list) {
    if (entry.type.endsWith('-year') && isLeading(path.join(s.out, entry.path, 'index.html'))) {
      entry.type = `redirect-${entry.type}`;
    }
  }
  if (fs.existsSync(path.join(s.out, 'data/index.html'))) list.push({ type: 'open-data', path: 'data/' });
  // Two municipalities whose names give one slug (Håbo, Habo) share a page that links to both.
  const choose = fs.readdirSync(path.join(s.out, 'kommun')).find((d) => {
    const f = path.join(s.out, 'kommun', d, 'index.html');
    return !/^\d+$/.test(d) && fs.existsSync(f) && years(path.join(s.out, 'kommun', d)).length === 0;
  });
  if (choose) list.push({ type: 'choose', path: `kommun/${choose}/` });
  return list;
}

/** Every HTML page of a built site, as URL paths. */
export function allPages(s) {
  const found = [];
  const walk = (dir, rel) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${rel}${entry.name}/`);
      else if (entry.name === 'index.html') found.push(rel);
      else if (entry.name.endsWith('.html')) found.push(rel + entry.name);
    }
  };
  walk(s.out, '');
  return found;
}

/** The file of a URL path. */
export function fileOf(s, urlPath) {
  return path.join(s.out, urlPath.endsWith('/') || urlPath === '' ? `${urlPath}index.html` : urlPath);
}
