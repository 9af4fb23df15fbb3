// End-to-end tests of the whiteboard itself: the animation layer, time
// travel and the inspector, against the release build in dist/.
// Screenshots go to target/e2e/board-*.png.
//
// Run: node --test e2e/board.test.mjs (after `trunk build --release --offline`).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { assertNoProblems, byAccessibleName, screenshot, startHarness } from './lib/harness.mjs';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

async function open(t, options = {}) {
  const { page, context, problems } = await harness.openApp({
    path: '?lang=en',
    viewport: { width: 1400, height: 900 },
    ...options,
  });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  return page;
}

/** Simulated seconds, as the time bar reports them (raw value, not the formatted text). */
const simTime = async (page) => Number(await page.getByTestId('sim-time').getAttribute('data-value'));

/** A hash of the animation layer's pixels. */
async function canvasHash(page) {
  const url = await page.getByTestId('request-layer').evaluate((c) => c.toDataURL('image/png'));
  return createHash('sha256').update(url).digest('hex');
}

const inspector = (page) => page.getByTestId('inspector');

test('requests move on the canvas; pause freezes it; stepping back shows an earlier time', async (t) => {
  const page = await open(t);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 2, null, {
    timeout: 15_000,
  });
  const moving = new Set();
  for (let i = 0; i < 4; i++) {
    moving.add(await canvasHash(page));
    await page.waitForTimeout(150);
  }
  assert.ok(moving.size >= 3, `the animation changes while playing (${moving.size} distinct frames of 4)`);
  await screenshot(page, 'board-playing');

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.waitForTimeout(300);
  const pausedAt = await simTime(page);
  const frozen = await canvasHash(page);
  await page.waitForTimeout(1_000);
  assert.equal(await canvasHash(page), frozen, 'the canvas does not change while paused');
  assert.equal(await simTime(page), pausedAt, 'simulated time does not move while paused');
  await screenshot(page, 'board-paused');

  // ← from the page (not from a form control) steps back in simulated time,
  // to the previous event: several events can share a millisecond (the
  // clock's resolution), so press until the clock moves, and check it moved
  // by a step, not by a jump.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  let back = pausedAt;
  for (let i = 0; i < 40 && back >= pausedAt; i++) {
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(50);
    back = await simTime(page);
  }
  assert.ok(back < pausedAt, `step back goes to an earlier time (${pausedAt} → ${back})`);
  assert.ok(back > pausedAt - 0.5, `one event back, not a jump (${pausedAt} → ${back})`);
  await page.waitForTimeout(300);
  assert.notEqual(await canvasHash(page), frozen, 'the canvas shows the earlier moment');

  // → steps forward again, one event at a time: several events can share a
  // millisecond (the clock's resolution), so press until the clock moves,
  // and check it moved by a step, not by a jump.
  let forward = back;
  for (let i = 0; i < 40 && forward <= back; i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(50);
    forward = await simTime(page);
  }
  assert.ok(forward > back, `step forward moves time on (${back} → ${forward})`);
  assert.ok(forward < back + 0.5, `one event at a time, not a jump (${back} → ${forward})`);

  // The timeline scrubs anywhere in the run so far, and back to the same picture.
  const timeline = page.getByTestId('timeline');
  await timeline.evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, 1.0);
  await page.waitForTimeout(300);
  assert.ok(Math.abs((await simTime(page)) - 1.0) < 0.06, 'the timeline jumps to 1.0 s');
  const atOne = await canvasHash(page);
  await timeline.evaluate((el) => {
    el.value = '2';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await timeline.evaluate((el) => {
    el.value = '1';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForTimeout(300);
  assert.equal(await canvasHash(page), atOne, 'the same moment is drawn the same way (deterministic replay)');

  // Space plays again (focus on the page, not on a button).
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
});

test('clicking a node, or Enter on it, opens the inspector with its counters and rules', async (t) => {
  const page = await open(t);
  await byAccessibleName(page, 'Firewall 1').click();
  await assert.doesNotReject(
    inspector(page).getByRole('heading', { name: 'Firewall 1', exact: true }).waitFor({ timeout: 3_000 }),
  );
  const rules = await inspector(page).getByTestId('inspector-rules').innerText();
  assert.match(rules, /allow port 443 from Internet/, 'FW1 lists its HTTPS rule');
  assert.match(rules, /anything else: deny/, 'and its default deny');
  await screenshot(page, 'board-inspector-firewall');

  const server = byAccessibleName(page, 'Server 1');
  await server.focus();
  await page.keyboard.press('Enter');
  await inspector(page).getByRole('heading', { name: 'Server 1', exact: true }).waitFor({ timeout: 3_000 });
  const counters = await inspector(page).getByTestId('inspector-counters').innerText();
  assert.match(counters, /CPU/, 'a server shows its CPU');
  assert.match(counters, /MySQL/, 'and its MySQL role');
  await screenshot(page, 'board-inspector-server');
});

test('attack traffic is drawn and dropped at the first firewall', async (t) => {
  const page = await open(t);
  const attack = page.getByLabel('Send attack traffic');
  if ((await attack.count()) === 0) {
    t.skip('the controls panel has no attack switch in this build');
    return;
  }
  await attack.check();
  await page.waitForTimeout(2_500);
  await screenshot(page, 'board-attack');
  await byAccessibleName(page, 'Firewall 1').click();
  await page.waitForFunction(
    () => {
      const rows = document.querySelector('[data-testid=inspector-counters]')?.innerText ?? '';
      const m = rows.match(/Packets dropped\s+([\d,]+)/);
      return m && Number(m[1].replace(/,/g, '')) > 0;
    },
    null,
    { timeout: 10_000 },
  );
});

test('restart goes back to time zero with the same seed; a new seed changes it', async (t) => {
  const page = await open(t);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 2, null, {
    timeout: 15_000,
  });
  const seed = await page.getByTestId('seed').innerText();
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  assert.ok((await simTime(page)) < 1.5, 'restart starts again from about zero');
  assert.equal(await page.getByTestId('seed').innerText(), seed, 'with the same seed');
  await page.getByRole('button', { name: 'New seed', exact: true }).click();
  assert.notEqual(await page.getByTestId('seed').innerText(), seed, 'a new seed is shown');
});
