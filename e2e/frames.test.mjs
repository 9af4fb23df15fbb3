// End-to-end test of what the board does when the simulation cannot keep up
// with the chosen speed: time runs slower, the time bar says how fast it
// really runs, and the page keeps answering. Speed itself is measured by
// bench/frames, never asserted here. Screenshot: target/e2e/frames-behind.png.
//
// Run: node --test e2e/frames.test.mjs (after `trunk build --release --offline`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoProblems, screenshot, setSpeed, startHarness } from './lib/harness.mjs';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

test('at 100,000 QPS and 100×, the time bar says the run is slower than asked; pause clears it', async (t) => {
  const { page, context, problems } = await harness.openApp({ path: '?lang=en', viewport: { width: 1400, height: 900 } });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  const behind = page.getByTestId('speed-behind');
  // At the default rate and speed the run keeps up, once the page has warmed
  // up (its first frames on a busy machine may fall behind for a moment).
  await behind.waitFor({ state: 'detached', timeout: 15_000 });

  const typed = page.getByTestId('rate-typed');
  await typed.fill('100000');
  await typed.press('Enter');
  await setSpeed(page, 100);
  // 100,000 requests a second at 100× is ~25 million engine events per wall
  // second: no browser simulates that in its share of a frame.
  await behind.waitFor({ state: 'visible', timeout: 20_000 });
  const text = await behind.innerText();
  const shown = Number(text.match(/actually ([\d.,]+)×/)?.[1].replace(/,/g, ''));
  assert.ok(shown > 0 && shown < 100, `the time bar gives the real speed, below the 100× asked: "${text}"`);
  await screenshot(page, 'frames-behind');

  // Still responsive: pause takes effect and the note goes away.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await behind.waitFor({ state: 'detached', timeout: 5_000 });
});
