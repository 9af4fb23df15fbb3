// The first board before the wasm (issue 17): a release page carries a still
// of the default board (scripts/prerender-first-board.mjs), so a reader on a
// slow link sees the board at once. Held back here by never answering the
// wasm request: the still is on screen, in its place, and nothing in it can
// be clicked or focused; once the wasm comes, exactly one live board is left.
// A link the still would misrepresent (another preset, French) never shows it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, liveBoard, screenshot, startHarness, watchProblems } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

/** A page whose wasm is held until `release()` is called. */
async function heldPage(t, path = '', viewport = { width: 1280, height: 720 }, browserLocale = 'en-US') {
  const context = await harness.browser.newContext({ viewport, locale: browserLocale });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page, harness.baseUrl);
  let release;
  const released = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(/\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(new URL(path, harness.baseUrl).href, { waitUntil: 'domcontentloaded' });
  return { page, problems, release };
}

test('before the wasm, the default board is on screen, still and out of reach; then the live one replaces it', async (t) => {
  const { page, problems, release } = await heldPage(t);
  const still = page.locator('#first-board');
  await still.waitFor({ state: 'attached' });
  const board = still.locator('svg.diagram');
  assert.ok(await board.isVisible(), 'the still board is visible');
  const box = await board.boundingBox();
  assert.ok(box.width > 600 && box.y + box.height <= 720, `the still board is large and whole on screen: ${JSON.stringify(box)}`);
  for (const name of ['Load balancer', 'Server 1', 'Server 2', 'Monitoring']) {
    assert.ok((await board.textContent()).includes(name), `the still shows ${name}`);
  }
  assert.equal(await still.getAttribute('inert'), '', 'the still cannot be clicked or focused');
  assert.equal(await page.getByRole('button', { name: 'Pause' }).count(), 0, 'no control is offered before it works');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'Tab finds nothing in the still');
  await screenshot(page, 'first-board-still-1280x720');

  release();
  await liveBoard(page, 30_000);
  assert.equal(await page.locator('svg.diagram').count(), 1, 'one board once the app runs');
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 0.2);
  assertNoProblems(problems);
});

for (const [what, path, locale] of [
  ['a link to another preset', '?preset=three-web-three-firewalls', 'en-US'],
  ['a French link', '?lang=fr', 'en-US'],
  ['a French browser', '', 'fr-FR'],
]) {
  test(`${what} never shows the English default still`, async (t) => {
    const { page, release } = await heldPage(t, path, { width: 1280, height: 720 }, locale);
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#first-board').count(), 0, 'the still was taken away before it was painted');
    release();
    await liveBoard(page, 30_000);
  });
}
