// Designs drawn by hand (issue 19) behave like any other: a design edited on
// the board leaves as a scenario file through "Share & export" and comes
// back from it on a fresh page, running; a second load balancer added with
// the palette makes an active-passive pair whose virtual IP fails over on
// screen when the first one is killed, and the site serves again.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, assertNoProblems, liveBoard, screenshot, startHarness } from './lib/harness.mjs';

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
