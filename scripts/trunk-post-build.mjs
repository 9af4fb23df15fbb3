// Trunk's post_build hook (see Trunk.toml): runs on every `trunk build` and
// `trunk serve`, on the finished bundle in Trunk's staging folder, before it
// becomes dist/. It first makes the bundle smaller, then writes what needs to
// know the bundle's final bytes:
//
// 0. The stylesheets (one source file per feature in assets/) become one file,
//    in their order in index.html, without comments and runs of white space:
//    one request instead of five, and gzip compresses them together (11.7 KB
//    gzip in five files before, 7.9 KB after). In release builds wasm-bindgen's
//    JS glue is minified with terser (pinned in package.json): 10.7 -> 8.4 KB
//    gzip. index.html and sw.js stay as written (they are small and worth
//    reading in a deployed copy); Trunk's own minifier is off for that reason.
// 0c. The French texts, and the English ones of the Learn and Practice
//    panels, are not in the wasm (src/i18n/fetched.rs): build.rs writes them
//    to target/<triple>/<profile>/i18n/{fr,en-later}-<hash>.txt, and the
//    files whose names the wasm asks for are copied beside it, before the
//    service worker's list is made (so they work offline too).
// 1. The Content-Security-Policy in index.html allows scripts only from the
//    page's own origin, plus the inline module script Trunk writes to load
//    the wasm. That script names hashed files, so its hash is only known now:
//    every inline <script> gets its 'sha256-…' written in place of the
//    '__INFRABOARD_INLINE_SCRIPT_HASHES__' placeholder (under `trunk serve` that
//    includes the live-reload script).
//    In release builds the page also gets a still of the first board, taken
//    from this very bundle (scripts/prerender-first-board.mjs): a slow link
//    shows the board long before the wasm has arrived. Its guard script is
//    hashed with the others.
// 2. The service worker (sw.js) precaches the bundle's own files, whose names
//    Trunk hashes: their list and a version made from their contents replace
//    the placeholders in sw.js.
//
// Fails the build (non-zero exit) when a placeholder is missing, so a CSP that
// would block the app never ships.
//
// Env (set by Trunk): TRUNK_STAGING_DIR, TRUNK_PROFILE. For a test, pass the
// folder instead (and TRUNK_PROFILE=release to minify):
//   node scripts/trunk-post-build.mjs path/to/bundle

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative, sep } from 'node:path';
import { minify } from 'terser';
import { MARKER as FIRST_BOARD_MARKER, firstBoardStill } from './prerender-first-board.mjs';

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

/** Every `<link rel=stylesheet>` tag (quoted or not, as Trunk's HTML minifier
 * leaves it) with its href, in document order. */
function stylesheetLinks(html) {
  const out = [];
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if (!/\brel=["']?stylesheet\b/i.test(m[0])) continue;
    const href = m[0].match(/\bhref=["']?([^"' >]+)/i);
    if (href) out.push({ tag: m[0], href: href[1] });
  }
  return out;
}

/** Step 0a: the stylesheets as one file, linked where the first one was. */
async function mergeStylesheets(html) {
  const links = stylesheetLinks(html);
  if (links.length < 2) return html;
  const parts = [];
  for (const { href } of links) parts.push(await readFile(join(dir, href.replace(/^\.\//, '')), 'utf8'));
  // Comments out, white space collapsed, none around braces, semicolons,
  // child combinators and commas, nor after a property's colon. Never a
  // space before ':' (it can be a descendant combinator), and our
  // stylesheets hold no string that these rules would change.
  const css = parts
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};]) ?/g, '$1')
    .replace(/;}/g, '}')
    .replace(/ ?([>,]) ?/g, '$1')
    // Inside a declaration block ': ' only follows a property name.
    .replace(/\{[^{}]*\}/g, (block) => block.replace(/: /g, ':'))
    .trim();
  const name = `app-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  await writeFile(join(dir, name), css);
  for (const { href } of links) await unlink(join(dir, href.replace(/^\.\//, '')));
  const integrity = createHash('sha384').update(css).digest('base64');
  const tag = `<link rel="stylesheet" href="./${name}" integrity="sha384-${integrity}">`;
  html = html.replace(links[0].tag, tag);
  for (const { tag: old } of links.slice(1)) html = html.replace(old, '');
  return html;
}

/** Step 0b: terser on wasm-bindgen's glue (an ES module), before the service
 * worker's version is computed from the files. */
async function minifyScript(f) {
  const path = join(dir, f);
  const out = await minify(await readFile(path, 'utf8'), { module: true, compress: true, mangle: true });
  if (typeof out.code !== 'string') throw new Error(`${f}: terser returned nothing`);
  await writeFile(path, out.code);
}
const release = process.env.TRUNK_PROFILE === 'release';

/** Step 0c: each locale file the wasm names, from where build.rs wrote it. */
async function copyLocaleFiles() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const triple = join(target, 'wasm32-unknown-unknown');
  const profiles = await readdir(triple).catch(() => []);
  for (const wasm of (await filesUnder(dir)).filter((f) => f.endsWith('.wasm'))) {
    const names = new Set((await readFile(join(dir, wasm), 'latin1')).match(/(?:fr|en-later)-[0-9a-f]{16}\.txt/g) ?? []);
    if (names.size !== 2) throw new Error(`${wasm}: names ${[...names].join(', ') || 'no locale file'}, not the French and the later English files (src/i18n/fetched.rs)`);
    for (const name of names) {
      const found = profiles.map((p) => join(triple, p, 'i18n', name)).filter((f) => existsSync(f));
      if (found.length === 0) throw new Error(`${name}: not under ${triple}/*/i18n (build.rs writes it)`);
      await copyFile(found[0], join(dir, name));
    }
  }
}

async function main() {
  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  html = await mergeStylesheets(html);
  await copyLocaleFiles();
  if (release) {
    for (const f of await filesUnder(dir)) if (f.endsWith('.js') && f !== SW_FILE) await minifyScript(f);
  }
  if (!html.includes(HASHES_PLACEHOLDER)) {
    throw new Error(`${indexPath}: no ${HASHES_PLACEHOLDER} in the CSP meta tag`);
  }
  const scriptHashes = (page) => [...new Set(inlineScripts(page).map((s) => `'sha256-${sha256(s)}'`))];
  const withHashes = (page) => page.replaceAll(HASHES_PLACEHOLDER, scriptHashes(page).join(' '));
  await writeFile(indexPath, withHashes(html));
  if (release) {
    if (!html.includes(FIRST_BOARD_MARKER)) throw new Error(`${indexPath}: no ${FIRST_BOARD_MARKER} in <body>`);
    html = html.replace(FIRST_BOARD_MARKER, await firstBoardStill(dir));
  }
  const hashes = scriptHashes(html);
  html = withHashes(html);
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
  if (release) {
    // The worker is a classic script (not a module): its top-level names
    // stay as they are, only its comments, white space and locals go.
    const out = await minify(sw, { compress: true, mangle: true });
    if (typeof out.code !== 'string') throw new Error(`${swPath}: terser returned nothing`);
    sw = out.code;
  }
  await writeFile(swPath, sw);
  console.log(`trunk-post-build: CSP script hashes ${hashes.join(' ')}; sw.js precaches ${precache.length} files`);
}

main().catch((e) => {
  console.error(`trunk-post-build: ${e.message}`);
  process.exit(1);
});
