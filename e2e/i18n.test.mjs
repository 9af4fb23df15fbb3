// English and French as a reader meets them, against the release build in
// dist/: the language switch, the first visit following the browser's
// language, the choice surviving a reload and travelling in the URL, and the
// simulation running on through a switch. Expected words are read from
// locales/, so the test checks the app shows its translation files, not a
// copy of them. Screenshots: target/e2e/board-en.png and board-fr.png.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoProblems, byAccessibleName, launchBrowser, liveBoard, ROOT, screenshot, serveDist, watchProblems } from './lib/harness.mjs';

const locale = (lang, ns) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, `${ns}.json`), 'utf8'));
const NAMESPACES = ['board', 'common', 'controls', 'explain'];
const EN = Object.fromEntries(NAMESPACES.map((ns) => [ns, locale('en', ns)]));
const FR = Object.fromEntries(NAMESPACES.map((ns) => [ns, locale('fr', ns)]));
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser profile with `locale` as its language; records problems. */
async function open(t, { browserLocale = 'en-US', path = '' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: browserLocale });
  const page = await context.newPage();
  const problems = watchProblems(page, server.url);
  t.after(() => context.close());
  await goto(page, path);
  return { page, context, problems };
}

async function goto(page, path) {
  await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
  await liveBoard(page);
}

const htmlLang = (page) => page.locator('html').getAttribute('lang');
const urlLang = (page) => new URL(page.url()).searchParams.get('lang');

/** Simulated seconds on the clock, whatever the locale's decimal mark. */
async function simTime(page) {
  const text = await page.getByTestId('sim-time').textContent();
  return Number(text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));
}

async function expectNames(page, names) {
  for (const name of names) {
    assert.equal(await byAccessibleName(page, name).count(), 1, `one element named "${name}"`);
  }
}

const boardNames = (L) => [
  L.board.node.internet_user,
  fill(L.board.node.firewall_n, { n: 1 }),
  L.board.node.load_balancer,
  fill(L.board.node.server_n, { n: 2 }),
  L.board.node.monitoring_service,
];

test('switching to French by keyboard translates the page and the run goes on', async (t) => {
  const { page, problems } = await open(t);
  assert.equal(await htmlLang(page), 'en');
  await expectNames(page, boardNames(EN));
  assert.equal(await page.title(), EN.common.page_title);
  await page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.textContent.trim() !== '0.0');
  await screenshot(page, 'board-en');

  const before = await simTime(page);
  const french = page.getByRole('button', { name: 'FR Français', exact: true });
  await french.focus();
  await page.keyboard.press('Enter');

  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  assert.equal(await french.getAttribute('aria-pressed'), 'true');
  await expectNames(page, boardNames(FR));
  assert.equal(await byAccessibleName(page, EN.board.node.load_balancer).count(), 0, 'no English node name left');
  assert.equal(await page.title(), FR.common.page_title);
  // The controls and the top bar read French too.
  await page.getByText(FR.common.subtitle, { exact: true }).waitFor();
  assert.equal(await page.getByRole('group', { name: FR.board.diagram, exact: true }).count(), 1);
  assert.equal(await page.getByLabel(FR.controls.qps, { exact: true }).count() >= 1, true, 'QPS figure labelled in French');
  await page.getByText(FR.controls.title, { exact: true }).first().waitFor();
  await page.getByText(FR.controls.tls.terminate, { exact: true }).waitFor();
  // One explanation, opened (in Learn), reads French.
  await page.getByTestId('tab-learn').click();
  const explanation = page.getByText(FR.explain.items.fw_edge.title, { exact: true });
  await explanation.click();
  await page.getByText(FR.explain.items.fw_edge.body, { exact: true }).waitFor();
  assert.equal(await page.getByText(EN.explain.items.fw_edge.body, { exact: true }).count(), 0, 'no English explanation');
  assert.equal(urlLang(page), 'fr');

  // Same run: the clock did not go back to zero and keeps moving.
  const right_after = await simTime(page);
  assert.ok(right_after >= before, `clock went on (${before} s → ${right_after} s), no restart`);
  await page.waitForFunction(
    (t0) => Number(document.querySelector('[data-testid=sim-time]').textContent.replace(/\s/g, '').replace(',', '.')) > t0,
    right_after,
    { timeout: 10_000 },
  );
  await page.waitForTimeout(400); // let the frame settle for the picture
  await screenshot(page, 'board-fr');

  // A reload keeps French (URL and localStorage both carry it).
  await page.reload({ waitUntil: 'load' });
  await liveBoard(page);
  assert.equal(await htmlLang(page), 'fr');
  await expectNames(page, boardNames(FR));
  // So does the same profile opening the bare address.
  await goto(page, '');
  assert.equal(await htmlLang(page), 'fr', 'localStorage remembers the choice');

  // And back to English.
  await page.getByRole('button', { name: 'EN English', exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await expectNames(page, boardNames(EN));
  assert.equal(urlLang(page), 'en');
  assertNoProblems(problems);
});

test('a French browser opens in French; a link with ?lang=en still wins', async (t) => {
  const { page, problems } = await open(t, { browserLocale: 'fr-FR' });
  assert.equal(await htmlLang(page), 'fr');
  await expectNames(page, boardNames(FR));
  assert.equal(urlLang(page), 'fr');
  assertNoProblems(problems);

  const { page: linked } = await open(t, { browserLocale: 'fr-FR', path: '?lang=en' });
  assert.equal(await htmlLang(linked), 'en');
  await expectNames(linked, boardNames(EN));
});

test('an unknown ?lang= is ignored with a notice, keeping the other parameters', async (t) => {
  const { page, problems } = await open(t, { path: '?seed=7&lang=tlh' });
  assert.equal(await htmlLang(page), 'en');
  const notice = page.getByRole('status').filter({ hasText: 'tlh' });
  await notice.waitFor();
  assert.match(await notice.textContent(), /English/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('lang'), 'en');
  assert.equal(url.searchParams.get('seed'), '7', 'other parameters survive');
  await notice.getByRole('button').click();
  assert.equal(await notice.count(), 0, 'the notice can be dismissed');
  assertNoProblems(problems);
});

test('French is fetched only when asked for, once; when it cannot come, the page stays English, says so, and runs on', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
  t.after(() => context.close());
  const page = await context.newPage();
  const french = [];
  page.on('request', (req) => {
    if (/\/fr-[0-9a-f]{16}\.txt$/.test(new URL(req.url()).pathname)) french.push(req.url());
  });
  let refuse = true;
  await page.route(/\/fr-[0-9a-f]{16}\.txt$/, (route) => (refuse ? route.abort('internetdisconnected') : route.continue()));
  await goto(page, '');
  await page.waitForTimeout(300);
  assert.deepEqual(french, [], 'an English reader never downloads the French texts');

  // The file cannot be fetched: English stays, with a notice, and the run goes on.
  await page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.textContent.trim() !== '0.0');
  const before = await simTime(page);
  await page.getByRole('button', { name: 'FR Français', exact: true }).click();
  const notice = page.getByRole('status').filter({ hasText: 'Français' });
  await notice.waitFor();
  assert.equal(await htmlLang(page), 'en');
  await expectNames(page, boardNames(EN));
  assert.ok((await simTime(page)) >= before, 'the run was not reset');

  // Once it can come, one click brings French, and a second switch fetches nothing more.
  refuse = false;
  await page.getByRole('button', { name: 'FR Français', exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  await expectNames(page, boardNames(FR));
  await page.getByRole('button', { name: 'EN English', exact: true }).click();
  await page.getByRole('button', { name: 'FR Français', exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'fr');
  assert.equal(french.length, 2, `one refused fetch and one real one: ${french.join(', ')}`);
});
