// Shared by every end-to-end test file (e2e/*.test.mjs). It builds nothing:
// it serves the release build already in dist/ on 127.0.0.1 (a free port),
// launches Debian's headless Chromium through playwright-core, and opens the
// app in a page that records everything a test may want to forbid (console
// errors and warnings, uncaught exceptions, failed or 4xx/5xx responses,
// requests to another host).
//
// Typical test file:
//
//   import { after, before, test } from 'node:test';
//   import { startHarness } from './lib/harness.mjs';
//   let h;
//   before(async () => { h = await startHarness(); });
//   after(() => h?.close());
//   test('something a user sees', async () => {
//     const { page, problems } = await h.openApp();
//     ...
//     assertNoProblems(problems);
//   });

import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/static-server.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The build to serve: dist/, or INFRABOARD_DIST (so parallel work can keep its own build). */
export const DIST = process.env.INFRABOARD_DIST ? resolve(process.env.INFRABOARD_DIST) : join(ROOT, 'dist');
/** Screenshots and other artefacts go here (target/ is never committed). */
export const ARTIFACTS = join(ROOT, 'target', 'e2e');

/**
 * Headless flags for Chromium as root on a machine with no network but the
 * loopback: without the background-networking ones Chromium keeps trying to
 * reach Google's hosts. Playwright adds --headless and a fresh profile itself.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The whiteboard's elements as a user names them (their accessible names). */
export const DIAGRAM_ELEMENTS = [
  'Internet user',
  'DNS',
  'Firewall 1',
  'Firewall 2',
  'Firewall 3',
  'Load balancer (HAProxy)',
  'Server 1',
  'Server 2',
  'Monitoring service',
];

/** Serves dist/ on 127.0.0.1; fails clearly when nothing was built. */
export async function serveDist() {
  try {
    await stat(join(DIST, 'index.html'));
  } catch {
    throw new Error(`${DIST}/index.html is missing: build first (scripts/test or trunk build --release)`);
  }
  return startStaticServer({ root: DIST, host: '127.0.0.1', port: 0 });
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Records what a user would call broken on `page`: console errors and
 * warnings, uncaught errors, requests to any host but `baseUrl`'s, failed
 * requests and 4xx/5xx responses. Returns the lists, for assertNoProblems.
 */
export function watchProblems(page, baseUrl) {
  const origin = new URL(baseUrl);
  const problems = { console: [], pageErrors: [], foreignRequests: [], failedRequests: [], badResponses: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.console.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  page.on('request', (req) => {
    const url = new URL(req.url());
    // data: and blob: URLs never leave the page.
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.host !== origin.host) {
      problems.foreignRequests.push(req.url());
    }
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    // A reload, a navigation or an address rewrite cancels what the page
    // still had in flight (a favicon, a chunk): that is the browser's doing,
    // not a broken asset.
    if (error === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${req.url()}: ${error}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.badResponses.push(`${res.status()} ${res.url()}`);
  });
  return problems;
}

/**
 * Opens the app at `path` (relative to the served root) in a new browser
 * context and waits until it has mounted. Returns { page, context, problems }.
 * `bypassCSP` lets a test inject a script of its own (e2e/workspace.test.mjs
 * adds axe-core); the app's policy is tested with it on everywhere else.
 */
export async function openApp(browser, baseUrl, { path = '', viewport = { width: 1280, height: 800 }, bypassCSP = false, hasTouch = false, isMobile = false } = {}) {
  // bypassCSP only for a test that injects its own tool (the axe-core audit);
  // hasTouch and isMobile for a finger's taps and a phone's viewport.
  const context = await browser.newContext({ viewport, bypassCSP, hasTouch, isMobile });
  const page = await context.newPage();
  const problems = watchProblems(page, baseUrl);
  await page.goto(new URL(path, baseUrl).href, { waitUntil: 'load' });
  await liveBoard(page);
  return { page, context, problems };
}

/**
 * Waits until the app has mounted: its diagram is on screen and the still
 * of the first board that a release page shows before its wasm
 * (scripts/prerender-first-board.mjs) is gone.
 */
export async function liveBoard(page, timeout = 15_000) {
  await page.waitForFunction(
    () => !document.getElementById('first-board') && document.querySelector('svg.diagram'),
    undefined,
    { timeout },
  );
}

/**
 * The element whose accessible name is exactly `name`, whatever role the board
 * gives it (a drawing, a focusable button, a group).
 */
export function byAccessibleName(page, name) {
  const opts = { name, exact: true };
  return page
    .getByRole('img', opts)
    .or(page.getByRole('button', opts))
    .or(page.getByRole('group', opts))
    .or(page.getByRole('figure', opts));
}

/** Asserts the page logged no error or warning and talked only to its own host. */
export function assertNoProblems(problems) {
  assert.deepEqual(problems.pageErrors, [], 'uncaught exceptions');
  assert.deepEqual(problems.console, [], 'console errors or warnings');
  assert.deepEqual(problems.foreignRequests, [], 'requests to another host');
  assert.deepEqual(problems.failedRequests, [], 'failed requests');
  assert.deepEqual(problems.badResponses, [], 'responses with an error status');
}

/** Writes a full-page screenshot to target/e2e/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Samples `read()` every `everyMs` for `forMs`; returns the values seen. */
export async function sample(read, { forMs, everyMs = 100 }) {
  const values = [];
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    values.push(await read());
    await new Promise((r) => setTimeout(r, everyMs));
  }
  values.push(await read());
  return values;
}

/**
 * One server and one browser for a whole test file; `openApp()` gives each
 * test its own fresh page. `close()` stops both.
 */
export async function startHarness() {
  const server = await serveDist();
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    baseUrl: server.url,
    browser,
    openApp: (opts) => openApp(browser, server.url, opts),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Sets the simulation speed through the time bar's logarithmic slider (log10 of the factor). */
export async function setSpeed(page, speed) {
  await page.locator('label.speed input[type=range]').evaluate((el, pos) => {
    el.value = String(pos);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, Math.log10(speed));
}
