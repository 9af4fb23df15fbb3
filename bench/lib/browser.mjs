// Shared by the browser benchmarks (bench/frames, bench/first-paint,
// bench/browser-memory): serve a release build on 127.0.0.1 with
// scripts/static-server.mjs, launch Debian's headless Chromium through
// playwright-core, and drive the app the way a user would (typed rate, speed
// slider). Every benchmark stops its server and browser before it exits.

import { stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { CHROMIUM_ARGS as HARNESS_ARGS } from '../../e2e/lib/harness.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The e2e harness's headless flags (no network but the loopback), plus: a
 * headless page is never "hidden", but make sure timers and frames are not
 * throttled as if it were.
 */
export const CHROMIUM_ARGS = [
  ...HARNESS_ARGS,
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Parses `--name value` / `--flag` arguments against `defaults` (numbers stay
 * numbers). Unknown names print `usage` and exit 2.
 */
export function parseArgs(argv, defaults, usage) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (argv[i] === '-h' || argv[i] === '--help') {
      console.log(usage);
      process.exit(0);
    }
    if (!argv[i].startsWith('--') || !(key in opts)) {
      console.error(`unknown argument ${argv[i]}\n${usage}`);
      process.exit(2);
    }
    if (typeof opts[key] === 'boolean') {
      opts[key] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) {
      console.error(`${argv[i - 1]} needs a value\n${usage}`);
      process.exit(2);
    }
    opts[key] = typeof defaults[key] === 'number' ? Number(value) : value;
    if (typeof defaults[key] === 'number' && !Number.isFinite(opts[key])) {
      console.error(`${argv[i - 1]} wants a number, not ${value}`);
      process.exit(2);
    }
  }
  return opts;
}

/** The build to measure: --dist, else INFRABOARD_DIST, else dist/. */
export function distDir(opt) {
  return resolve(opt || process.env.INFRABOARD_DIST || join(ROOT, 'dist'));
}

/** Serves `dist` and launches Chromium; `close()` stops both. */
export async function startBench(dist, { gzip = false } = {}) {
  try {
    await stat(join(dist, 'index.html'));
  } catch {
    console.error(`${dist}/index.html is missing: build first (scripts/serve builds dist/, or trunk build --release --offline --dist DIR)`);
    process.exit(1);
  }
  const server = await startStaticServer({ root: dist, host: '127.0.0.1', port: 0, gzip });
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  const stop = async () => {
    await browser.close().catch(() => {});
    await server.close();
  };
  // Ctrl-C still stops the server and the browser.
  const onSignal = () => stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { url: server.url, browser, close: stop };
}

/**
 * A fresh context and page; `initScript` (a function) runs before the app's
 * own scripts. Console errors are collected in `errors`.
 */
export async function newPage(browser, { initScript, viewport = { width: 1280, height: 800 }, serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

/** Opens the app and waits for the diagram. */
export async function openApp(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  // The app's own board, not the still a release page shows before its wasm.
  await page.waitForFunction(() => !document.getElementById('first-board') && document.querySelector('svg.diagram'), undefined, {
    timeout: 30_000,
  });
}

/** Types a rate into the traffic control (as a user would) and checks it was taken. */
export async function setRate(page, qps) {
  const typed = page.getByTestId('rate-typed');
  await typed.fill(String(qps));
  await typed.press('Enter');
}

/** Sets the speed through the time bar's logarithmic slider (log10 of the factor). */
export async function setSpeed(page, speed) {
  await page.locator('label.speed input[type=range]').evaluate((el, pos) => {
    el.value = String(pos);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, Math.log10(speed));
}

/** Simulated seconds shown by the clock. */
export function simTime(page) {
  return page.evaluate(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value ?? NaN));
}

/** Percentile by nearest rank of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** One line about where and when it ran (the load matters on a shared machine). */
export function machineLine(dist) {
  const [l1] = loadavg();
  return `date ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores, load average ${l1.toFixed(1)}, build ${dist}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
