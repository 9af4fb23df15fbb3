// A tiny static file server for the release build in dist/: what
// `scripts/serve` runs and what the end-to-end tests start (and stop) for
// themselves. Node built-ins only, loopback only.
//
// As a program: node scripts/static-server.mjs [--dir dist] [--host 127.0.0.1] [--port 8080]
//
// `gzip: true` (bench/first-paint --throttle) compresses text and wasm for a
// client that accepts it, as a static host would; the tests and `serve` send
// files as they are.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  // Browsers only stream-compile wasm served with this type; anything else
  // makes wasm-bindgen's loader fall back and print a console warning.
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Serves `root` on http://host:port/ (port 0 picks a free one).
 * Resolves to { url, port, close() } once it is listening.
 */
export async function startStaticServer({ root, host = '127.0.0.1', port = 0, gzip = false }) {
  const base = resolve(root);
  const compressed = new Map();
  // Node refuses request heads over 16 KB by default (431); a shared link
  // that carries the whole state, or a tampered one, can be longer, and the
  // app, not the server, should be the one to say what it makes of it.
  const server = createServer({ maxHeaderSize: 256 * 1024 }, async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-store' };
      if (gzip && /gzip/.test(req.headers['accept-encoding'] ?? '') && /text|javascript|wasm|json|svg/.test(type)) {
        if (!compressed.has(file)) compressed.set(file, gzipSync(body, { level: 9 }));
        body = compressed.get(file);
        headers['Content-Encoding'] = 'gzip';
        headers.Vary = 'Accept-Encoding';
      }
      headers['Content-Length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

function parseArgs(argv) {
  const opts = { dir: 'dist', host: '127.0.0.1', port: 8080 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    if (!(key in opts) || argv[i + 1] === undefined) {
      throw new Error(`usage: static-server.mjs [--dir DIR] [--host HOST] [--port PORT]`);
    }
    opts[key] = key === 'port' ? Number(argv[i + 1]) : argv[i + 1];
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  try {
    await stat(join(opts.dir, 'index.html'));
  } catch {
    console.error(`No ${join(opts.dir, 'index.html')}: build first (trunk build --release).`);
    process.exit(1);
  }
  let server;
  try {
    server = await startStaticServer({ root: opts.dir, host: opts.host, port: opts.port });
  } catch (e) {
    console.error(
      e.code === 'EADDRINUSE'
        ? `Port ${opts.port} on ${opts.host} is already in use. Stop whatever holds it, or pick another: PORT=8081 scripts/serve`
        : `Cannot listen on ${opts.host}:${opts.port}: ${e.message}`,
    );
    process.exit(1);
  }
  console.log(`\nInfraboard is served at ${server.url}  (Ctrl-C stops it)\n`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
