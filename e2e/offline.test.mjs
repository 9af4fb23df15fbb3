// Offline use: after the first visit, the app opens and runs with the network
// off (a review room without Wi-Fi), served by its service worker (assets/sw.js,
// registered by src/offline.rs). Also: it works under a sub-path, and a new
// deploy replaces the cached copy instead of serving it forever.
//
// Run: node --test e2e/offline.test.mjs (after a release build).

import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStaticServer } from '../scripts/static-server.mjs';
import { assertNoProblems, byAccessibleName, DIAGRAM_ELEMENTS, DIST, launchBrowser, liveBoard, openApp, screenshot } from './lib/harness.mjs';

let browser;
const cleanups = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await browser?.close();
});

/** Serves `root` on 127.0.0.1 for the rest of the file. */
async function serve(root) {
  const server = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.close());
  return server;
}

/** A scratch folder removed at the end of the file. */
async function scratch() {
  const dir = await mkdtemp(join(tmpdir(), 'infraboard-offline-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Waits until the service worker controls the page (it claims it on the first visit). */
async function waitControlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, {
    timeout: 20_000,
  });
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

/** The diagram is drawn and the simulation runs: every element there, QPS moves. */
async function assertAppWorks(page) {
  for (const name of DIAGRAM_ELEMENTS) {
    await byAccessibleName(page, name).first().waitFor({ state: 'visible', timeout: 10_000 });
  }
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="qps"]')?.textContent) > 0, null, {
    timeout: 15_000,
  });
  const first = await page.getByTestId('sim-time').textContent();
  await page.waitForFunction((t) => document.querySelector('[data-testid="sim-time"]')?.textContent !== t, first, {
    timeout: 5_000,
  });
}

/** Reloads with the network off; every request must be answered by the worker. */
async function reloadOffline(page, context) {
  await context.setOffline(true);
  const fromWorker = [];
  const notFromWorker = [];
  const onResponse = (res) => (res.fromServiceWorker() ? fromWorker : notFromWorker).push(res.url());
  page.on('response', onResponse);
  await page.reload({ waitUntil: 'load' });
  await liveBoard(page);
  page.off('response', onResponse);
  return { fromWorker, notFromWorker };
}

test('after one visit, the app reloads and runs with the network off', async (t) => {
  const server = await serve(DIST);
  const { page, context, problems } = await openApp(browser, server.url, { path: '?lang=en' });
  t.after(() => context.close());
  await waitControlled(page);
  const [cache] = await cacheNames(page);
  assert.match(cache ?? '', /^infraboard-[0-9a-f]{16}$/, 'one versioned cache');

  const { fromWorker, notFromWorker } = await reloadOffline(page, context);
  assert.deepEqual(notFromWorker, [], 'nothing reached the (absent) network');
  assert.ok(fromWorker.some((u) => u.endsWith('.wasm')), `the wasm came from the worker: ${fromWorker.join(' ')}`);
  await assertAppWorks(page);
  await screenshot(page, 'offline-reloaded');
  assertNoProblems(problems);
});

test('offline, a link with another query string (?lang=fr) still opens the cached page', async (t) => {
  const server = await serve(DIST);
  const { page, context, problems } = await openApp(browser, server.url, { path: '?lang=en' });
  t.after(() => context.close());
  await waitControlled(page);
  await context.setOffline(true);
  await page.goto(new URL('?lang=fr', server.url).href, { waitUntil: 'load' });
  await liveBoard(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  assertNoProblems(problems);
});

test('under a sub-path: the worker is scoped to that folder and offline reload works', async (t) => {
  const root = await scratch();
  await symlink(DIST, join(root, 'talks'), 'dir');
  const server = await serve(root);
  const { page, context, problems } = await openApp(browser, server.url, { path: 'talks/?lang=en' });
  t.after(() => context.close());
  await waitControlled(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, new URL('talks/', server.url).href);
  await reloadOffline(page, context);
  await assertAppWorks(page);
  assertNoProblems(problems);
});

test('a new deploy replaces the cached copy: new page online, old cache deleted, new page offline', async (t) => {
  const root = await scratch();
  await cp(DIST, root, { recursive: true });
  const server = await serve(root);
  const { page, context, problems } = await openApp(browser, server.url, { path: '?lang=en' });
  t.after(() => context.close());
  await waitControlled(page);
  const [oldCache] = await cacheNames(page);

  // "Deploy": the page changes and so does the worker (the build writes a
  // new version into sw.js whenever any file changes).
  const index = join(root, 'index.html');
  await writeFile(index, (await readFile(index, 'utf8')).replace('<head>', '<head><meta name="deploy" content="2" />'));
  const swPath = join(root, 'sw.js');
  const sw = await readFile(swPath, 'utf8');
  // The release build minifies the worker: `VERSION="…"`, quoted either way.
  const found = sw.match(/\bVERSION\s*=\s*(["'])([0-9a-f]{16})\1/);
  assert.ok(found, 'sw.js names its VERSION');
  const [written, quote, oldVersion] = found;
  await writeFile(swPath, sw.replace(written, written.replace(`${quote}${oldVersion}${quote}`, `${quote}${'f'.repeat(16)}${quote}`)));

  await page.reload({ waitUntil: 'load' });
  assert.equal(await page.locator('meta[name=deploy]').count(), 1, 'online, the new page is served at once');
  // The browser checks sw.js for changes by itself after navigations, when it
  // sees fit; ask for that check now rather than wait for it.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  // The new worker installs (fetching the whole bundle again), takes over
  // and deletes the old cache: up to a minute on a busy 2-core machine.
  const newCache = `infraboard-${'f'.repeat(16)}`;
  let names = [];
  for (const end = Date.now() + 60_000; Date.now() < end; await page.waitForTimeout(200)) {
    names = await cacheNames(page);
    if (names.length === 1 && names[0] !== oldCache) break;
  }
  assert.deepEqual(names, [newCache], 'only the new version is cached');

  await reloadOffline(page, context);
  assert.equal(await page.locator('meta[name=deploy]').count(), 1, 'offline, the new page is the one cached');
  await assertAppWorks(page);
  assertNoProblems(problems);
});
