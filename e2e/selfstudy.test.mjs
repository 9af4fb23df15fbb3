// End-to-end tests of the self-study panels against a release build:
// predict-then-run challenges (the verdict agrees with the sim's figure and
// with the feed's own count), the rehearsal timer and checklist (a tick
// survives a reload), and a corrupt localStorage entry (a notice, and the app still works). Driven by
// the keyboard only. Screenshots go to target/e2e/selfstudy-*.png.
//
// Run: INFRABOARD_DIST=target/dist-selfstudy node --test e2e/selfstudy.test.mjs

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { ARTIFACTS, assertNoProblems, liveBoard, screenshot, startHarness } from './lib/harness.mjs';

const STORAGE_KEY = 'infraboard.selfstudy.v1';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

async function open(t, { lang = 'en', storage } = {}) {
  const { page, context, problems } = await harness.openApp({
    path: `?lang=${lang}`,
    viewport: { width: 1600, height: 1000 },
  });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  if (storage !== undefined) {
    // Put the entry in place, then load the page again so the app reads it at start.
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORAGE_KEY, storage]);
    await page.reload({ waitUntil: 'load' });
    await liveBoard(page);
  }
  await page.getByTestId('tab-practice').click();
  await page.getByTestId('selfstudy').waitFor();
  return { page, context };
}

const shot = (page, name) => screenshot(page, `selfstudy-${name}`);

/** Screenshot of one element (the panels are below the fold of a full page). */
async function shotOf(locator, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await locator.screenshot({ path: `${ARTIFACTS}/selfstudy-${name}.png` });
}

/** Focuses `locator` and presses `key`: the keyboard does the clicking. */
async function press(locator, key = 'Enter') {
  await locator.focus();
  await locator.press(key);
}

async function waitDone(page, slug) {
  const card = page.getByTestId(`challenge-${slug}`);
  try {
    await page.waitForFunction(
      (s) => ['done', 'interrupted'].includes(document.querySelector(`[data-testid="challenge-${s}"]`)?.dataset.state),
      slug,
      { timeout: 90_000, polling: 200 },
    );
  } catch (e) {
    await shot(page, `FAILED-${slug}`);
    throw e;
  }
  assert.equal(await card.getAttribute('data-state'), 'done', 'the run went to its end');
  return card;
}

test('a numeric challenge: the estimate is judged against the failed writes the sim counts, as the feed shows them', async (t) => {
  const { page } = await open(t);
  await press(page.getByTestId('challenge-pick-writer-down'));
  const card = page.getByTestId('challenge-writer-down');
  const question = await card.getByTestId('challenge-question').innerText();
  assert.match(question, /200 requests a second/);
  const run = card.getByTestId('challenge-run');
  assert.equal(await run.isDisabled(), true, 'no run before a prediction');

  const input = card.getByTestId('challenge-number');
  await input.focus();
  await page.keyboard.type('600');
  await page.keyboard.press('Enter');
  assert.equal(await card.getAttribute('data-state'), 'running');
  assert.equal(await input.isDisabled(), true, 'the prediction is locked while the sim runs');
  await waitDone(page, 'writer-down');

  const result = card.getByTestId('challenge-result');
  const figure = Number(await result.getAttribute('data-figure'));
  assert.ok(figure > 0, 'writes failed while the primary was down');
  // The same count, read by the feed from the sim's metrics (no write failed
  // before the crash, so the run's total is the window's).
  const feed = Number(await page.getByTestId('write-errors').getAttribute('data-value'));
  assert.equal(figure, feed, 'the challenge and the feed report the same failed writes');
  const truth = await result.getByTestId('challenge-truth').innerText();
  assert.ok(truth.replace(/[^\d]/g, '').startsWith(String(figure)), `the figure is written out: ${truth}`);
  // ±20 % of the sim's figure counts as right.
  const expected = Math.abs(600 - figure) <= Math.max(figure * 0.2, 5) ? 'right' : 'wrong';
  assert.equal(await result.getAttribute('data-verdict'), expected);
  // The board stopped at the end of the window.
  const simTime = Number((await page.getByTestId('sim-time').innerText()).replace(/[^\d.]/g, ''));
  assert.ok(Math.abs(simTime - 30) < 0.5, `paused at the window's end: ${simTime}`);
  await shotOf(page.getByTestId('challenges'), 'challenge-writer');

  // Progress counts the answer.
  assert.equal(await page.getByTestId('challenge-pick-writer-down').getAttribute('data-result'), expected);
  assert.match(await page.getByTestId('selfstudy-progress').innerText(), /1 answered/);
});

test('a choice challenge: the option marked correct is the one the sim’s attack counts pick', async (t) => {
  const { page } = await open(t);
  await press(page.getByTestId('challenge-pick-fw2-open'));
  const card = page.getByTestId('challenge-fw2-open');
  // Predict "all of them" (option 0) with the keyboard.
  await press(card.getByTestId('challenge-option-0'), ' ');
  await press(card.getByTestId('challenge-run'));
  await waitDone(page, 'fw2-open');
  const result = card.getByTestId('challenge-result');
  const reached = Number(await result.getAttribute('data-figure'));
  const correct = Number(await result.getAttribute('data-correct'));
  // Option 1 is "none reach", option 0 "all": the verdict follows the count.
  assert.equal(correct, reached === 0 ? 1 : 0);
  assert.equal(await result.getAttribute('data-verdict'), correct === 0 ? 'right' : 'wrong');
  const feedReached = Number(await page.getByTestId('attacks-reached').getAttribute('data-value'));
  assert.equal(reached, feedReached, 'the feed counts the same attacks through');
  assert.equal(await card.locator('.challenge-option[data-state="correct"]').count(), 1);
  await shotOf(page.getByTestId('challenges'), 'challenge-fw2-open');
});

test('rehearsal: the timer runs, pauses and resets; a ticked question stays ticked after a reload', async (t) => {
  const { page } = await open(t);
  const panel = page.getByTestId('rehearsal');
  const clock = panel.getByTestId('rehearsal-clock');
  assert.equal(await clock.innerText(), '0:00');
  await press(panel.getByTestId('rehearsal-start'));
  await page.waitForFunction(() => document.querySelector('[data-testid="rehearsal-clock"]').textContent !== '0:00', null, { timeout: 5000 });
  await press(panel.getByTestId('rehearsal-start')); // pause
  const paused = await clock.innerText();
  await page.waitForTimeout(1300);
  assert.equal(await clock.innerText(), paused, 'a paused timer stands still');

  // Tick "one writer" with the keyboard and open its model answer.
  await press(panel.getByTestId('review-one-writer-tick'), ' ');
  await press(panel.getByTestId('review-one-writer-open'));
  assert.equal(await panel.getByTestId('review-one-writer').getAttribute('data-ticked'), 'true');
  await shotOf(panel, 'rehearsal');

  await press(panel.getByTestId('rehearsal-reset'));
  assert.equal(await clock.innerText(), '0:00');

  await page.reload({ waitUntil: 'load' });
  await page.getByTestId('rehearsal').waitFor();
  assert.equal(await page.getByTestId('review-one-writer').getAttribute('data-ticked'), 'true');
  assert.equal(await page.getByTestId('review-one-writer-tick').isChecked(), true);
  assert.equal(await page.getByTestId('review-firewalls').getAttribute('data-ticked'), 'false');
  assert.match(await page.getByTestId('rehearsal-count').innerText(), /^1 of 8/);
});

test('a corrupt progress entry is ignored with a notice, and self-study still works', async (t) => {
  const { page } = await open(t, { storage: '{"answers": [1, 2' });
  const notice = page.getByTestId('selfstudy-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /could not be read/);
  assert.match(await page.getByTestId('selfstudy-progress').innerText(), /0 answered/);
  // The simulation runs and a tick saves a fresh, readable record.
  const simTime = async () => Number((await page.getByTestId('sim-time').innerText()).replace(/[^\d.]/g, ''));
  const t0 = await simTime();
  await page.waitForTimeout(800);
  assert.ok((await simTime()) > t0, 'the board keeps running');
  await press(page.getByTestId('review-https-tick'), ' ');
  const stored = await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY);
  assert.match(stored, /ticks=https/);
  await shot(page, 'corrupt-notice');
  await press(page.getByTestId('selfstudy-notice-close'));
  assert.equal(await page.getByTestId('selfstudy-notice').count(), 0);
});

test('in French, the panels speak French', async (t) => {
  const { page } = await open(t, { lang: 'fr' });
  assert.equal(await page.locator('#selfstudy-title').innerText(), 'Autoformation');
  await press(page.getByTestId('challenge-pick-writer-down'));
  assert.match(await page.getByTestId('challenge-question').innerText(), /requêtes par seconde/);
  await shotOf(page.getByTestId('selfstudy'), 'fr');
});
