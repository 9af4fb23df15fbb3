// Share, save and export (src/share, src/url_state.rs): the run in the
// address reopens identically, a tampered link says what it ignored, the
// board exports to SVG / PNG / CSV / WebM, scenario files import through the
// sim's validation (file picker and drag and drop), imported text stays
// text, and the build works when served under a sub-path.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStaticServer } from '../scripts/static-server.mjs';
import { ARTIFACTS, DIST, assertNoProblems, openApp, screenshot, startHarness } from './lib/harness.mjs';

let h;
before(async () => {
  h = await startHarness();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(() => h?.close());

/** The visible part of the page (the notices float over the top of it). */
async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

const simTime = async (page) => page.getByTestId('sim-time').getAttribute('data-value');

/** What a viewer sees of the run: figures, labels, tour, board states. */
async function view(page) {
  return page.evaluate(() => {
    const q = (s) => document.querySelector(s);
    const tour = q('[data-testid=tour]');
    return {
      time: q('[data-testid=sim-time]')?.dataset.value,
      qps: q('[data-testid=qps]')?.dataset.value,
      seed: q('[data-testid=seed]')?.textContent,
      preset: q('[data-testid=preset]')?.value,
      tourActive: tour?.dataset.active,
      tourStep: tour?.dataset.step,
      tourTitle: q('[data-testid=tour-step-title]')?.textContent ?? null,
      feed: q('[data-testid=feed]')?.textContent,
      primary: q('[data-testid=primary-state]')?.textContent,
      board: [...document.querySelectorAll('svg.diagram [aria-label]')].map((e) => e.getAttribute('aria-label')),
    };
  });
}

/** Waits until the app has written the run (with time `t`) into the address. */
async function addressAt(page, t) {
  await page.waitForFunction((t) => new URL(location.href).searchParams.get('t') === t, t, { timeout: 10_000 });
  return page.url();
}

const openMenu = async (page) => {
  const menu = page.getByTestId('share-menu');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
};

async function download(page, testid) {
  await openMenu(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = join(ARTIFACTS, `share-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), bytes: await readFile(path) };
}

const LINK =
  '?preset=split-tiers&seed=7&tour=4&t=12.5&n=3&c=2@rate:3000&c=5@kill:primary-db&c=8.25@tls:reencrypt';

test('a link with preset, seed, commands, time and tour step reopens the same view, paused', async () => {
  const first = await h.openApp({ path: LINK });
  await first.page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.dataset.value === '12.500');
  // Paused there: time does not move.
  await first.page.waitForTimeout(600);
  assert.equal(await simTime(first.page), '12.500');
  const seen = await view(first.page);
  assert.equal(seen.preset, 'split-tiers');
  assert.match(seen.seed, /7/);
  assert.equal(seen.tourActive, 'true');
  assert.equal(seen.tourStep, '4');
  assert.notEqual(seen.primary, null);
  await shot(first.page, 'share-link-opened');

  // The app writes the same run back into the address …
  const url = await addressAt(first.page, '12.5');
  const params = new URL(url).searchParams;
  assert.deepEqual(params.getAll('c'), ['2@rate:3000', '5@kill:primary-db', '8.25@tls:reencrypt']);
  assert.equal(params.get('tour'), '4');
  // … and that address, opened elsewhere, shows the very same thing.
  const second = await h.openApp({ path: url.slice(h.baseUrl.length) });
  await second.page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.dataset.value === '12.500');
  await second.page.waitForTimeout(300);
  assert.deepEqual(await view(second.page), seen);
  assertNoProblems(first.problems);
  assertNoProblems(second.problems);
  await first.context.close();
  await second.context.close();
});

test('a link that asks for a long, heavy run replays in steps the user can watch and stop', async () => {
  // 300 simulated seconds at 100,000 QPS: far more than one frame's work.
  const { page, problems, context } = await h.openApp({ path: '?preset=lb-two-fullstack&seed=5&c=0@rate:100000&t=300' });
  const dialog = page.getByRole('dialog', { name: 'Opening the link' });
  await dialog.waitFor({ timeout: 10_000 });
  const progress = () => dialog.getByRole('status').textContent();
  const first = await progress();
  // The page keeps drawing frames while it replays: the progress moves.
  await page.waitForFunction(
    (first) => {
      const s = document.querySelector('[data-testid=link-replay] [role=status]')?.textContent;
      return s && s !== first;
    },
    first,
    { timeout: 20_000 },
  );
  assert.match(await progress(), /Replaying the run it describes: \d+ s of 300 s/);
  // The address still holds the whole link while it replays.
  assert.match(page.url(), /t=300/);
  await shot(page, 'share-link-replaying');
  await dialog.getByRole('button', { name: 'Stop here' }).click();
  await dialog.waitFor({ state: 'detached' });
  const t = Number(await simTime(page));
  assert.ok(t > 0 && t < 300, `stopped part way: t = ${t}`);
  const notice = page.getByTestId('link-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /You stopped the replay at [\d.]+ s/);
  // Paused where it stopped, and the address now follows the board.
  await page.waitForTimeout(600);
  assert.equal(Number(await simTime(page)), t);
  await page.waitForFunction(() => !/t=300/.test(location.search));
  assertNoProblems(problems);
  await context.close();
});

test('what the user does goes into the address, and the address reopens it', async () => {
  const { page, problems, context } = await h.openApp();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 1.5);
  await page.getByTestId('kill-primary').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 3);
  // Pause with Space (focus off the button, which Space would press again).
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  await page.getByTestId('tab-learn').click();
  await page.getByTestId('tour-start').click();
  await page.getByTestId('tour-next').click();
  await page.waitForTimeout(300);
  const t = await simTime(page);
  await page.waitForFunction(() => /c=[\d.]+@kill:primary-db/.test(location.search) && /tour=2/.test(location.search));
  await page.waitForTimeout(900); // the address settles on the paused time
  const seen = await view(page);
  const url = page.url();
  assert.equal(seen.time, t, 'paused');
  const again = await h.openApp({ path: url.slice(h.baseUrl.length) });
  await again.page.waitForFunction((t) => document.querySelector('[data-testid=sim-time]')?.dataset.value === t, t);
  await again.page.waitForTimeout(300);
  assert.deepEqual(await view(again.page), seen);
  // Reloading (the address follows the board) carries on playing from there.
  await again.page.reload({ waitUntil: 'load' });
  await again.page.waitForFunction((t) => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > Number(t) + 0.5, t);
  assert.equal((await view(again.page)).primary, seen.primary, 'the kill is still in effect');
  assertNoProblems(problems);
  assertNoProblems(again.problems);
  await context.close();
  await again.context.close();
});

test('a tampered or cut link says what it ignored and opens the nearest valid state', async () => {
  const tampered = '?preset=no-such-layout&seed=abc&t=10&n=4&c=1@rate:2000&c=3@explode:lb&c=4@kill:primary-db';
  const { page, problems, context } = await h.openApp({ path: tampered });
  const notice = page.getByTestId('link-notice');
  await notice.waitFor();
  const text = await notice.textContent();
  assert.match(text, /no-such-layout/);
  assert.match(text, /abc/);
  assert.match(text, /Command 2 \(“3@explode:lb”\).*1 after it/);
  await page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.dataset.value === '10.000');
  assert.equal(await page.getByTestId('preset').inputValue(), 'lb-two-fullstack');
  // The valid command before the broken one is kept; the rest is gone. The
  // tampered link already says t=10, and the language switch may touch the
  // address first, so wait for the app's own rewrite of the run (debounced,
  // after the replay): the broken command leaves the address.
  await page.waitForFunction(() => !location.search.includes('explode'), null, { timeout: 10_000 });
  const url = new URL(await addressAt(page, '10'));
  assert.deepEqual(url.searchParams.getAll('c'), ['1@rate:2000']);
  assert.equal(url.searchParams.get('seed'), '1');
  await shot(page, 'share-link-tampered');
  await context.close();

  // A command the simulation refuses when replayed, and a link cut short.
  const refused = await h.openApp({ path: '?t=3&n=3&c=1@kill:server-9&c=2@rate:50&c=2.5@writes:0.' });
  const refusedText = await refused.page.getByTestId('link-notice').textContent();
  assert.match(refusedText, /Command 1 \(“kill:server-9”\) was refused/);
  await refused.context.close();
  const cut = await h.openApp({ path: LINK.slice(0, LINK.indexOf('&c=8.25')) });
  await cut.page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.dataset.value === '12.500');
  assert.match(await cut.page.getByTestId('link-notice').textContent(), /cut short: it announced 3 commands and holds 2/);
  await cut.context.close();
  assertNoProblems(problems);
});

test('exports: SVG, PNG, CSV and a WebM recording of the board', async () => {
  const { page, problems, context } = await h.openApp({ path: '?t=6' });
  await page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.dataset.value === '6.000');

  const svg = await download(page, 'export-svg');
  const svgText = svg.bytes.toString('utf8');
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, /Firewall 1/);
  assert.match(svgText, /fill="rgb\(/, 'computed styles are inlined');

  const png = await download(page, 'export-png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.ok(png.bytes.length > 10_000, `a real picture (${png.bytes.length} bytes)`);

  const csv = (await download(page, 'export-csv')).bytes.toString('utf8').trim().split('\n');
  assert.equal(csv[0], 't_s,qps,qps_monitored,replication_lag_ms,latency_p50_ms,latency_p99_ms');
  assert.ok(csv.length >= 6, `one row per simulated second (${csv.length - 1} rows)`);
  assert.match(csv[3], /^3,\d+,/);

  // Record two seconds of the board playing (focus off the last button, which Space would press).
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 6.2);
  await openMenu(page);
  await page.getByTestId('record').click();
  await page.getByTestId('share-status').waitFor();
  await shot(page, 'share-recording');
  await page.waitForTimeout(2000);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('record').click()]);
  const webmPath = join(ARTIFACTS, 'share-board.webm');
  await dl.saveAs(webmPath);
  const webm = await readFile(webmPath);
  assert.ok(webm.length > 1000, `a non-empty video (${webm.length} bytes)`);
  assert.deepEqual([...webm.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'WebM (EBML) signature');
  assertNoProblems(problems);
  await context.close();
});

/** The scenario JSON the app exports for `preset`. */
async function exportedScenario(preset) {
  const { page, context } = await h.openApp({ path: `?preset=${preset}&t=0` });
  const { bytes } = await download(page, 'export-json');
  await context.close();
  return JSON.parse(bytes.toString('utf8'));
}

test('importing a file: a valid one changes the board, a broken one lists its fields and keeps the board', async () => {
  const scenario = await exportedScenario('split-tiers');
  const { page, problems, context } = await h.openApp();
  const before = await view(page);
  await openMenu(page);
  // Valid: the board becomes the file's.
  scenario.name = 'my-split-board';
  await page.getByTestId('import-file').setInputFiles({
    name: 'split.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await page.getByTestId('import-report').waitFor();
  assert.match(await page.getByTestId('import-report').textContent(), /my-split-board/);
  await page.waitForFunction((n) => document.querySelectorAll('svg.diagram [aria-label]').length !== n, before.board.length);
  const imported = await view(page);
  assert.notDeepEqual(imported.board, before.board);
  // A link cannot carry an imported board: the address drops the run.
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('preset'));
  await shot(page, 'share-imported');

  // Broken: every problem with its field; the board stays as it was.
  const broken = structuredClone(scenario);
  broken.nodes[0].id = 'Bad Id!';
  broken.nodes[1].x = 5000;
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  const list = page.getByTestId('import-problems');
  await list.waitFor();
  const text = await list.textContent();
  assert.match(text, /nodes\[0\]\.id/);
  assert.match(text, /nodes\[1\]\.x/);
  assert.match(await page.getByTestId('import-report').textContent(), /Your board is unchanged/);
  assert.deepEqual((await view(page)).board, imported.board);
  await shot(page, 'share-import-refused');

  // Too big: refused by its size, before it is read.
  await page.getByTestId('import-file').setInputFiles({
    name: 'huge.json',
    mimeType: 'application/json',
    buffer: Buffer.alloc(10 * 1024 * 1024, 0x20),
  });
  await page.getByTestId('import-report').filter({ hasText: /10240 KB/ }).waitFor();
  // Nested past serde_json's limit: a message, not a hang.
  await page.getByTestId('import-file').setInputFiles({
    name: 'deep.json',
    mimeType: 'application/json',
    buffer: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)),
  });
  await page.getByTestId('import-report').filter({ hasText: /recursion limit/ }).waitFor();
  assert.deepEqual((await view(page)).board, imported.board);
  assertNoProblems(problems);
  await context.close();
});

test('drag and drop opens a scenario; a script in its name stays text', async () => {
  const scenario = await exportedScenario('split-tiers');
  const payload = '<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>';
  const { page, problems, context } = await h.openApp();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  const drop = (json) =>
    page.evaluate((json) => {
      const dt = new DataTransfer();
      dt.items.add(new File([json], 'dropped.json', { type: 'application/json' }));
      const opts = { dataTransfer: dt, bubbles: true, cancelable: true };
      document.body.dispatchEvent(new DragEvent('dragenter', opts));
      document.body.dispatchEvent(new DragEvent('dragover', opts));
      return new Promise((r) => requestAnimationFrame(() => r()));
    }, json);
  // The drop zone shows while a file is dragged over the page.
  scenario.name = payload.slice(0, 64);
  const json = JSON.stringify(scenario);
  await drop(json);
  await page.getByTestId('drop-zone').waitFor();
  await shot(page, 'share-drop-zone');
  await page.evaluate((json) => {
    const dt = new DataTransfer();
    dt.items.add(new File([json], 'dropped.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, json);
  const report = page.getByTestId('import-report');
  await report.waitFor();
  // A 64-character name is valid: the board opens, and the name is shown as written.
  const shown = await report.textContent();
  assert.ok(shown.includes(payload.slice(0, 64)), `the name is shown literally: ${shown}`);
  assert.equal(await page.getByTestId('drop-zone').count(), 0);

  // In a refused file the payload (an id) comes back inside a problem: still text.
  const broken = structuredClone(scenario);
  broken.nodes[0].id = payload;
  await page.evaluate((json) => {
    const dt = new DataTransfer();
    dt.items.add(new File([json], 'bad.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, JSON.stringify(broken));
  await page.getByTestId('import-problems').filter({ hasText: 'onerror' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
  assert.equal(await page.locator('img[src=x]').count(), 0, 'no element came from the file');
  assert.equal(await page.locator('body script').count(), 0, 'no script element in the page body');
  assert.deepEqual(dialogs, []);
  await shot(page, 'share-injection-inert');
  assertNoProblems(problems);
  await context.close();
});

test('the release build works under a sub-path, links included', async () => {
  const root = await mkdtemp(join(tmpdir(), 'infraboard-subpath-'));
  await mkdir(join(root, 'talks', '2026'), { recursive: true });
  await symlink(DIST, join(root, 'talks', '2026', 'infraboard'));
  await writeFile(join(root, 'index.html'), '<p>another site</p>');
  const server = await startStaticServer({ root, host: '127.0.0.1', port: 0 });
  try {
    const { page, problems, context } = await openApp(h.browser, server.url, {
      path: `talks/2026/infraboard/${LINK}`,
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=sim-time]')?.dataset.value === '12.500');
    const url = new URL(await addressAt(page, '12.5'));
    assert.equal(url.pathname, '/talks/2026/infraboard/', 'the address keeps its sub-path');
    await screenshot(page, 'share-subpath');
    assertNoProblems(problems);
    await context.close();
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
});
