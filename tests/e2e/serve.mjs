// A dependency-free static file server for the built site (dist/), used by `cargo xtask serve`,
// by Playwright's webServer and by the frame-time probe (bench.mjs).
//
//   node serve.mjs DIR [PORT]     serve DIR on http://127.0.0.1:PORT/ (default 8080; 0 = any free port)
//
// It binds 127.0.0.1 only, answers GET and HEAD, serves index.html for `/`, files by their path
// (query strings ignored), and 404 for anything else, including paths that leave DIR. Nothing is
// cached, so a rebuilt site is seen on the next reload.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Content types by file extension; anything else is served as application/octet-stream. */
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
};

/** The file under `root` that `urlPath` names, or null when it names none (or leaves root). */
export function resolveFile(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0')) return null;
  const file = resolve(root, '.' + path);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Starts serving `dir` on 127.0.0.1:`port` (0 picks a free port). Resolves to
 * `{ server, url }` once it listens; `server.close()` stops it.
 */
export function startServer(dir, port = 8080, { log = false } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const done = (status, headers = {}) => {
      if (log) console.log(`${status} ${req.method} ${req.url}`);
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      done(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    const file = resolveFile(root, req.url || '/');
    if (!file) {
      done(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    const type = MIME_TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
    done(200, { 'Content-Type': type, 'Content-Length': statSync(file).size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      resolvePromise({ server, url: `http://127.0.0.1:${bound}` });
    });
  });
}

// Run as a program: `node serve.mjs DIR [PORT]`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, portText = '8080'] = process.argv.slice(2);
  const port = Number(portText);
  if (!dir || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: node serve.mjs DIR [PORT]   (serves DIR on http://127.0.0.1:PORT/)');
    process.exit(2);
  }
  if (!resolveFile(resolve(dir), '/')) {
    console.error(`error: ${join(resolve(dir), 'index.html')} does not exist; build the site first: cargo xtask dist`);
    process.exit(1);
  }
  startServer(dir, port, { log: process.env.QUORUM_SERVE_LOG === '1' }).then(
    ({ url }) => console.log(`serving ${resolve(dir)} on ${url}/  (Ctrl-C stops)`),
    (err) => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message;
      console.error(`error: cannot listen on 127.0.0.1:${port}: ${why}`);
      process.exit(1);
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}
