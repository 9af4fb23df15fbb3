// Trunk's post_build hook (see Trunk.toml): runs on every `trunk build` and
// `trunk serve`, on the finished bundle in Trunk's staging folder, before it
// becomes dist/. Two things need to know the bundle's final bytes:
//
// 1. The Content-Security-Policy in index.html allows scripts only from the
//    page's own origin, plus the inline module script Trunk writes to load
//    the wasm. That script names hashed files, so its hash is only known now:
//    every inline <script> gets its 'sha256-…' written in place of the
//    '__INFRABOARD_INLINE_SCRIPT_HASHES__' placeholder (under `trunk serve` that
//    includes the live-reload script).
// 2. The service worker (sw.js) precaches the bundle's own files, whose names
//    Trunk hashes: their list and a version made from their contents replace
//    the placeholders in sw.js.
//
// Fails the build (non-zero exit) when a placeholder is missing, so a CSP that
// would block the app never ships.
//
// Env (set by Trunk): TRUNK_STAGING_DIR. For a test, pass the folder instead:
//   node scripts/trunk-post-build.mjs path/to/bundle

import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const HASHES_PLACEHOLDER = '__INFRABOARD_INLINE_SCRIPT_HASHES__';
const SW_FILE = 'sw.js';
const SW_VERSION_PLACEHOLDER = '__INFRABOARD_SW_VERSION__';
const SW_PRECACHE_PLACEHOLDER = /\/\* __INFRABOARD_SW_PRECACHE__ \*\/ \[\]/;

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('trunk-post-build: no bundle folder (TRUNK_STAGING_DIR unset and no argument)');
  process.exit(1);
}

/** Every inline <script> body (no src attribute), exactly as the browser hashes it. */
function inlineScripts(html) {
  const bodies = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (const m of html.matchAll(re)) {
    if (!/\bsrc\s*=/i.test(m[1])) bodies.push(m[2]);
  }
  return bodies;
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('base64');

async function filesUnder(root) {
  const out = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const rel = relative(root, path).split(sep).join('/');
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    out.push(rel);
  }
  return out.sort();
}

async function main() {
  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  if (!html.includes(HASHES_PLACEHOLDER)) {
    throw new Error(`${indexPath}: no ${HASHES_PLACEHOLDER} in the CSP meta tag`);
  }
  const hashes = [...new Set(inlineScripts(html).map((s) => `'sha256-${sha256(s)}'`))];
  html = html.replaceAll(HASHES_PLACEHOLDER, hashes.join(' '));
  await writeFile(indexPath, html);

  const swPath = join(dir, SW_FILE);
  let sw = await readFile(swPath, 'utf8');
  if (!sw.includes(SW_VERSION_PLACEHOLDER) || !SW_PRECACHE_PLACEHOLDER.test(sw)) {
    throw new Error(`${swPath}: placeholders missing (already processed?)`);
  }
  const files = (await filesUnder(dir)).filter((f) => f !== SW_FILE);
  const version = createHash('sha256');
  for (const f of files) {
    version.update(f).update('\0').update(await readFile(join(dir, f))).update('\0');
  }
  // './' is the page (the folder URL); index.html is cached under it too.
  const precache = ['./', ...files.filter((f) => f !== 'index.html').map((f) => `./${f}`)];
  sw = sw
    .replace(SW_VERSION_PLACEHOLDER, version.digest('hex').slice(0, 16))
    .replace(SW_PRECACHE_PLACEHOLDER, JSON.stringify(precache));
  await writeFile(swPath, sw);
  console.log(`trunk-post-build: CSP script hashes ${hashes.join(' ')}; sw.js precaches ${precache.length} files`);
}

main().catch((e) => {
  console.error(`trunk-post-build: ${e.message}`);
  process.exit(1);
});
