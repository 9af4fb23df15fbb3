// The walking skeleton as a user meets it: the release build, served on
// loopback, in headless Chromium. One page for the whole file, so the last
// test also vouches for everything the page did before it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DIAGRAM_ELEMENTS, assertNoProblems, byAccessibleName, sample, screenshot, startHarness } from './lib/harness.mjs';

let harness;
let app;

before(async () => {
  harness = await startHarness();
  app = await harness.openApp();
});

after(async () => {
  await app?.context.close();
  await harness?.close();
});

test('every element of the diagram is found by its accessible name', async () => {
  for (const name of DIAGRAM_ELEMENTS) {
    const element = byAccessibleName(app.page, name);
    assert.equal(await element.count(), 1, `exactly one element named "${name}"`);
    assert.ok(await element.isVisible(), `"${name}" is visible`);
  }
});

test('QPS moves while playing and stays still on pause', async () => {
  const { page } = app;
  const qps = page.getByTestId('qps');
  const readQps = async () => (await qps.textContent()).trim();

  // The app starts playing; wait for the first completed simulated second.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="qps"]')?.textContent) > 0, null, {
    timeout: 5_000,
  });
  const playing = await sample(readQps, { forMs: 2_000 });
  assert.ok(new Set(playing).size >= 2, `QPS changes during 2 s of play, saw ${playing.join(' ')}`);

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const play = page.getByRole('button', { name: 'Play', exact: true });
  await play.waitFor({ state: 'visible', timeout: 2_000 });
  await page.waitForTimeout(300); // let a tick that was already under way land
  const paused = await sample(readQps, { forMs: 2_000 });
  assert.equal(new Set(paused).size, 1, `QPS stays still on pause, saw ${paused.join(' ')}`);

  // And it picks up again: the simulated clock moves once more.
  const clock = page.getByTestId('sim-time');
  const before = await clock.textContent();
  await play.click();
  await page.waitForFunction((t) => document.querySelector('[data-testid="sim-time"]')?.textContent !== t, before, {
    timeout: 3_000,
  });
});

test('no console error or warning, no failed request, no request to another host', async () => {
  const path = await screenshot(app.page, 'skeleton');
  assert.ok(path.endsWith('skeleton.png'));
  assertNoProblems(app.problems);
});
