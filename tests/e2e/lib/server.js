// Serves a site on loopback for the browser tests.
//
// By default through `blomlada serve --content <the site's content>` on a free port, as a
// publisher previews a site (its live-reload script is then the one script besides the
// theme's that the hostile tests allow). Set USE_BLOMLADA_SERVE to false to serve the folder
// `blomlada build` wrote with the small static server below instead.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { BINARY, ROOT, THEME } from './sites.js';

export const USE_BLOMLADA_SERVE = true;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ttf': 'font/ttf',
};

/** Starts a server for a site; resolves to { url, close() }. `url` ends with `/`. */
export function startServer(site) {
  return USE_BLOMLADA_SERVE ? startBlomladaServe(site) : startStatic(site.out);
}

function startStatic(root) {
  const server = http.createServer((req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, path.normalize(urlPath));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!urlPath.endsWith('/')) {
        res.writeHead(301, { Location: `${urlPath}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    let status = 200;
    if (!fs.existsSync(file)) {
      status = 404;
      file = path.join(root, '404.html');
    }
    res.writeHead(status, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

async function startBlomladaServe(site) {
  // --no-png: the browser tests never load the PNG pictures, and every suite starts its own
  // server, so each saves the rasterising.
  const child = spawn(BINARY, ['serve', '--content', site.content, '--theme', THEME, '--bind', '127.0.0.1', '--port', '0', '--no-png'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const address = new Promise((resolve, reject) => {
    const read = (d) => {
      log += d;
      const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`blomlada serve exited (${code}):\n${log}`)));
  });
  const timeout = new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Error(`blomlada serve gave no address in 120 s:\n${log}`)), 120_000);
    t.unref();
  });
  let url;
  try {
    url = await Promise.race([address, timeout]);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return {
    url,
    close: () => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}
