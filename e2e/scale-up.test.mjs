// The scale-up step on the board (issue 18): a load-balancer pair sharing a
// virtual IP fails over on screen (the VIP badge moves to the backup, whose
// servers come back into its pool, and traffic is served again), the
// active-active pair names the share of users pinned to the dead one, and
// server pools are drawn and named as one stacked box "×N". English and
// French names alike.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

async function open(t, path) {
  const { page, context, problems } = await harness.openApp({ path, viewport: { width: 1280, height: 720 } });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  return page;
}

const holdsVip = (page, node) => page.locator(`g[data-node="${node}"] ~ .vip-badge`);

test('active-passive pair: killing the master moves the VIP to the backup and the site serves again', async (t) => {
  const page = await open(t, '?lang=en&preset=lb-pair-active-passive');
  // A link opens paused: play, and let the pair settle.
  await page.keyboard.press('Space');
  assert.equal(await holdsVip(page, 'lb').count(), 1, 'the master holds the VIP');
  assert.equal(await holdsVip(page, 'lb-2').count(), 0);
  await page.locator('svg.diagram').getByRole('button', { name: 'Load balancer 1 (HAProxy)' }).waitFor();
  await page.locator('svg.diagram').getByRole('button', { name: 'Load balancer 2 (HAProxy)' }).waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 2);

  await page.locator('li[data-node="lb"] button').first().click();
  const killedAt = Number(await page.getByTestId('sim-time').getAttribute('data-value'));
  await holdsVip(page, 'lb-2').waitFor({ timeout: 20_000 });
  const movedAt = Number(await page.getByTestId('sim-time').getAttribute('data-value'));
  // keepalived's defaults: 3 adverts of 1 s plus the skew of priority 100.
  assert.ok(movedAt - killedAt >= 3.5, `the VIP moved after the master-down interval (${(movedAt - killedAt).toFixed(1)} s)`);
  assert.equal(await holdsVip(page, 'lb').count(), 0, 'the dead master holds it no more');
  // The backup's health checks start cold; once they pass, requests are served.
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid=live-qps] li')].some((li) => Number(li.dataset.value) > 20),
    undefined,
    { timeout: 30_000 },
  );
  await screenshot(page, 'scale-pair-failover-1280x720');
});

test('pools are one stacked box named by their size, lose one box at a time with the spread in the inspector; the active-active pair names its pinned users (French)', async (t) => {
  const pools = await open(t, '?lang=en&preset=split-tiers-pools');
  await pools.locator('svg.diagram').getByRole('button', { name: 'Web pool ×10' }).waitFor();
  await pools.locator('svg.diagram').getByRole('button', { name: 'App pool ×10' }).waitFor();
  assert.equal(await pools.locator('g[data-node="web-pool"] rect.stack').count(), 2, 'drawn as a stack');
  // One box of the pool dies: the inspector gives the pool's spread from the sim.
  await pools.keyboard.press('Space');
  await pools.getByTestId('kill-one-web-pool').click();
  await pools.locator('svg.diagram').getByRole('button', { name: 'Web pool ×10' }).click();
  const counters = pools.getByTestId('inspector-counters');
  await counters.getByText('Boxes in the pool').waitFor();
  await pools.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=inspector-counters] .row')];
    const value = (label) => rows.find((r) => r.querySelector('dt')?.textContent === label)?.querySelector('dd')?.textContent;
    return value('Boxes in the pool') === '10' && value('Boxes down') === '1';
  });
  await screenshot(pools, 'scale-pools-1280x720');

  const page = await open(t, '?lang=fr&preset=lb-pair-active-active');
  await page.locator('svg.diagram').getByRole('button', { name: 'Répartiteur 1 (HAProxy)' }).waitFor();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 2);
  await page.locator('li[data-node="lb"] button').first().click();
  const state = page.locator('g[data-node="lb"] + .node-parts .state-text').nth(1);
  await page.waitForFunction(() => /retenus ici/.test(document.querySelectorAll('g[data-node="lb"] + .node-parts .state-text')[1]?.textContent ?? ''));
  assert.match(await state.textContent(), /\d+\s% retenus ici par les caches DNS/);
  // On a line of its own under "en panne", inside the board and clear of firewall 1's name.
  assert.equal(await page.locator('g[data-node="lb"] + .node-parts .state-text').first().textContent(), 'en panne');
  const line = await state.boundingBox();
  const board = await page.locator('svg.diagram').boundingBox();
  const fw1 = await page.locator('g[data-node="fw-1"] .node-label').boundingBox();
  assert.ok(line.x >= board.x && line.x + line.width <= board.x + board.width, `inside the board: ${JSON.stringify(line)}`);
  const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  assert.ok(!overlaps(line, fw1), `clear of firewall 1's name: ${JSON.stringify({ line, fw1 })}`);
  await screenshot(page, 'scale-active-active-fr-1280x720');
});
