// Designs drawn by hand (issue 19) behave like any other: a design edited on
// the board leaves as a scenario file through "Share & export" and comes
// back from it on a fresh page, running; a second load balancer added with
// the palette makes an active-passive pair whose virtual IP fails over on
// screen when the first one is killed, and the site serves again.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, assertNoProblems, liveBoard, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

async function open(t, path = '?lang=en') {
  const { page, context, problems } = await harness.openApp({ path, viewport: { width: 1280, height: 720 } });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  return page;
}

const board = (page) => page.locator('svg.diagram');
const node = (page, id) => page.locator(`svg.diagram g[data-node="${id}"]`);
const simTime = (page) => page.getByTestId('sim-time').getAttribute('data-value').then(Number);
const holdsVip = (page, id) => page.locator(`g[data-node="${id}"] ~ .vip-badge`);

/** Waits until simulated time has gone past `t` seconds (the run is live). */
async function timePasses(page, t, timeout = 30_000) {
  await page.waitForFunction((t) => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > t, t, { timeout });
}

/**
 * In the page: whether the last second shows the site served through load
 * balancer `lb`: the QPS figure over the board (requests served) and that
 * load balancer's line in the live strip both over 20, and not one request
 * lost (the load balancer counts the ones it answers with a 503 too).
 */
function servedThrough(lb) {
  const served = Number(document.querySelector('[data-testid=qps]')?.dataset.value);
  const passed = Number(document.querySelector(`[data-testid=live-qps] li[data-key="lb:${lb}"]`)?.dataset.value);
  const errors = [...document.querySelectorAll('[data-testid=live-errors] li[data-value]')];
  return served > 20 && passed > 20 && errors.every((li) => Number(li.dataset.value) === 0);
}

async function enterEditMode(page) {
  await page.getByTestId('edit-toggle').click();
  await page.getByTestId('edit-tools').waitFor();
}

async function openShareMenu(page) {
  const menu = page.getByTestId('share-menu');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
}

/** A row of the inspector's live counters, by its label. */
const counter = (page, label) =>
  page.evaluate((label) => {
    const rows = [...document.querySelectorAll('[data-testid=inspector-counters] .row')];
    return rows.find((r) => r.querySelector('dt')?.textContent === label)?.querySelector('dd')?.textContent ?? null;
  }, label);

test('a design survives a JSON round trip', async (t) => {
  const page = await open(t);
  await enterEditMode(page);
  // A web server from the palette (selected once added), renamed and given
  // two cores in the inspector.
  await page.locator('[data-piece="web-server"]').click();
  await board(page).getByRole('button', { name: 'Server 3' }).waitFor();
  const id = page.getByTestId('edit-id');
  await id.fill('server-9');
  await id.press('Enter');
  await board(page).getByRole('button', { name: 'Server 9' }).waitFor();
  const cores = page.getByTestId('edit-cores');
  await cores.fill('2');
  await cores.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=edit-cores]')?.value === '2');
  await page.keyboard.press('Escape');
  await page.getByTestId('edit-tools').waitFor({ state: 'detached' });

  // Exported: the file holds the edited design.
  await openShareMenu(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const file = join(ARTIFACTS, `editor-designs-${download.suggestedFilename()}`);
  await download.saveAs(file);
  const scenario = JSON.parse(await readFile(file, 'utf8'));
  const added = scenario.nodes.find((n) => n.id === 'server-9');
  assert.ok(added, `the renamed server is in the file: ${scenario.nodes.map((n) => n.id).join(', ')}`);
  assert.equal(added.kind, 'server');
  assert.equal(added.cores, 2, 'with its two cores');
  assert.deepEqual(added.components, ['nginx', 'app']);
  assert.ok(!scenario.nodes.some((n) => n.id === 'server-3'), 'under its new name only');

  // A fresh page without the link (the address carries the edited design,
  // so it is left out): the default design again.
  await page.goto(new URL('?lang=en', page.url()).href, { waitUntil: 'load' });
  await liveBoard(page);
  await board(page).getByRole('button', { name: 'Server 2' }).waitFor();
  assert.equal(await node(page, 'server-9').count(), 0, 'a fresh page has the default design');

  // Imported: the edited design is on the board and runs.
  await openShareMenu(page);
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-report').waitFor();
  assert.ok((await page.getByTestId('import-report').textContent()).includes(scenario.name), 'the report names the file\'s scenario');
  await board(page).getByRole('button', { name: 'Server 9' }).waitFor();
  await timePasses(page, 3);
  // The added server serves its share, as the inspector counts it.
  await board(page).getByRole('button', { name: 'Server 9' }).click();
  await page.getByTestId('inspector-counters').waitFor();
  await page.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('[data-testid=inspector-counters] .row')];
      const value = (label) => rows.find((r) => r.querySelector('dt')?.textContent === label)?.querySelector('dd')?.textContent;
      return value('In the LB pool') === 'yes' && Number((value('Requests/s (as the LB sees it)') ?? '').replace(/[^0-9.]/g, '')) > 0;
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.equal(await counter(page, 'CPU cores'), '2', 'its cores came back with it');
  await screenshot(page, 'editor-designs-imported-1280x720');
});

test('a load-balancer pair drawn by hand fails over on screen', async (t) => {
  const page = await open(t);
  await enterEditMode(page);
  await page.locator('[data-piece="load-balancer"]').click();
  // Two load balancers now: numbered by their order on the board.
  await board(page).getByRole('button', { name: 'Load balancer 1 (HAProxy)' }).waitFor();
  await board(page).getByRole('button', { name: 'Load balancer 2 (HAProxy)' }).waitFor();
  const added = await page.evaluate(() =>
    [...document.querySelectorAll('svg.diagram g[data-node]')].map((g) => g.dataset.node).find((id) => /^lb-/.test(id)),
  );
  assert.ok(added, 'the new load balancer is on the board');
  await page.keyboard.press('Escape');
  await page.getByTestId('edit-tools').waitFor({ state: 'detached' });

  // The pair settles: the first one holds the VIP and serves the site.
  await timePasses(page, 2);
  await holdsVip(page, 'lb').waitFor();
  assert.equal(await holdsVip(page, added).count(), 0, 'the backup does not hold the VIP yet');
  await page.waitForFunction(servedThrough, 'lb', { timeout: 30_000 });

  // Killed from the Explore tab's machine controls.
  const killedAt = await simTime(page);
  await page.locator('li[data-node="lb"] button').first().click();
  await holdsVip(page, added).waitFor({ timeout: 30_000 });
  const movedAt = await simTime(page);
  // keepalived's defaults: 3 adverts of 1 s plus the backup's skew.
  assert.ok(movedAt - killedAt >= 3, `the VIP moved after the master-down interval (${(movedAt - killedAt).toFixed(1)} s)`);
  assert.equal(await holdsVip(page, 'lb').count(), 0, 'the dead one holds it no more');
  // Until it moved, requests went to the dead holder, and the strip says so.
  await page.locator('[data-testid=live-errors] li[data-key="vip_on_dead_master"]').waitFor();
  // Then the backup serves the site: its own line, and no error any more.
  await page.waitForFunction(servedThrough, added, { timeout: 30_000 });
  await screenshot(page, 'editor-designs-pair-failover-1280x720');
});

/** The inspector's close button: nothing selected afterwards. */
const deselect = (page) => page.getByTestId('inspector').locator('button.close').click();
const select = (page, id) => node(page, id).click();
const notice = (page) => page.getByTestId('edit-notice').textContent();
const drafting = (page) => page.locator('figure.board[data-draft]').count().then((n) => n > 0);

/** Adds a piece from the palette and waits for its node. */
async function add(page, piece, id) {
  await page.locator(`[data-piece="${piece}"]`).click();
  await node(page, id).waitFor();
}

/** Ticks or unticks one of the inspector's checkboxes and waits for the board to take it. */
async function tick(page, selector, on) {
  const box = page.getByTestId('edit-fields').locator(selector);
  if ((await box.isChecked()) !== on) await box.click();
  await page.waitForFunction(([s, on]) => document.querySelector(`[data-testid=edit-fields] ${s}`)?.checked === on, [selector, on]);
}

async function csvAt(t, search) {
  const page = await open(t, search);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) >= 20, null, { timeout: 30_000 });
  await openShareMenu(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const path = join(ARTIFACTS, `editor-designs-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return (await readFile(path, 'utf8')).trim();
}

test('the seeds\' design built on an empty board by UI actions alone runs as the preset does', async (t) => {
  const page = await open(t);
  await enterEditMode(page);
  await page.getByTestId('edit-empty').click();
  await page.waitForFunction(() => document.querySelectorAll('svg.diagram g[data-node]').length === 0);
  assert.ok(await drafting(page), 'a draft, drawn but not run');
  assert.match(await notice(page), /not running yet.*user/i, 'the notice lists what the model still needs');

  // Drawn in the preset's order: user, DNS, firewall 1, load balancer, …
  await add(page, 'user', 'user');
  await add(page, 'dns', 'dns');
  await deselect(page);
  // A drawing step is undone and made again, inside the draft.
  await page.keyboard.press('Control+z');
  await node(page, 'dns').waitFor({ state: 'detached' });
  assert.ok(await drafting(page), 'undo inside a draft stays in the draft');
  await page.keyboard.press('Control+Shift+Z');
  await node(page, 'dns').waitFor();
  assert.ok(await drafting(page));
  await add(page, 'firewall', 'fw-1');
  await deselect(page);
  await add(page, 'load-balancer', 'lb-1');
  await page.getByTestId('edit-id').fill('lb');
  await page.getByTestId('edit-id').press('Enter');
  await node(page, 'lb').waitFor();
  await select(page, 'fw-1');
  await tick(page, 'input[data-guards="lb"]', true);
  await deselect(page);
  await add(page, 'firewall', 'fw-2');
  await deselect(page);
  await add(page, 'web-server', 'server-1');
  assert.ok(await drafting(page), 'still a draft: no MySQL primary yet');
  await tick(page, 'input[data-component="mysql-primary"]', true);
  // Complete: the model takes it and it runs.
  await page.waitForFunction(() => !document.querySelector('figure.board[data-draft]'));
  assert.match(await notice(page), /run started again/);
  // Draw from memory: Check compares the drawing with the layout the board
  // was cleared from, by role and wiring, and says what is missing or extra.
  await page.getByTestId('edit-check').click();
  const verdict = await notice(page);
  assert.match(verdict, /Missing: a server running Nginx, App, MySQL replica, with a monitoring agent\./, verdict);
  assert.match(verdict, /Missing: the monitoring service\./, verdict);
  assert.match(verdict, /Not in this layout: a firewall in front of a load balancer\./, 'firewall 2 still stands before the load balancer');

  // From here every change is checked as it is made.
  await select(page, 'fw-2');
  await tick(page, 'input[data-guards="server-1"]', true);
  await tick(page, 'input[data-guards="lb"]', false);
  await select(page, 'server-1');
  await add(page, 'firewall', 'fw-3');
  await deselect(page);
  await add(page, 'web-server', 'server-2');
  await select(page, 'fw-3');
  await tick(page, 'input[data-guards="server-2"]', true);
  await tick(page, 'input[data-guards="server-1"]', false);
  await select(page, 'server-2');
  await tick(page, 'input[data-component="mysql-replica"]', true);
  await deselect(page);
  await add(page, 'monitoring', 'monitoring');
  for (const id of ['lb', 'server-1', 'server-2']) {
    await select(page, id);
    await tick(page, '[data-testid=edit-agent]', true);
  }
  await page.getByTestId('edit-check').click();
  assert.equal(await notice(page), 'Nothing missing, nothing extra: well drawn.');
  await screenshot(page, 'editor-designs-built-from-empty');

  // The same pieces, wiring and parts as the preset (where they are drawn aside).
  // The address follows the board within 400 ms: wait for the last change (the third agent).
  await page.waitForFunction(() => (new URLSearchParams(location.search).get('design') ?? '').split('"agent":true').length === 4, null, { timeout: 10_000 });
  const url = new URL(page.url());
  const drawn = JSON.parse(url.searchParams.get('design'));
  // (A firewall's own zone changes no check: the rules look at the sender's.)
  const shape = (s) => s.nodes.map((n) => [n.id, n.kind, n.kind === 'firewall' ? '' : n.zone, n.guards ?? null, n.also_guards ?? [], n.components ?? [], Boolean(n.agent)]);
  const preset = JSON.parse(await readFile(join(ROOT, 'sim', 'presets', 'lb-two-fullstack.json'), 'utf8'));
  assert.deepEqual(shape(drawn), shape(preset));

  // Its run, seed 1 at 20 s, gives the very report of the preset's.
  url.searchParams.set('seed', '1');
  url.searchParams.set('t', '20');
  url.searchParams.delete('n');
  url.searchParams.delete('c');
  const ours = await csvAt(t, url.search);
  const theirs = await csvAt(t, '?lang=en&preset=lb-two-fullstack&seed=1&t=20');
  assert.ok(ours.split('\n').length > 10, 'a report of every second');
  assert.equal(ours, theirs);
});
