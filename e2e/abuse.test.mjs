// Breaking it on purpose in the browser: spam every control, type absurd
// values into every box, resize from a phone to 4K, switch presets in the
// middle of a failover, open a 100 KB link. Each time the app must stay
// responsive (the simulated clock moves), show a message where it refuses,
// keep what the user had, and log nothing to the console.
//
// Run: node --test e2e/abuse.test.mjs (after a release build).
// Screenshots: target/e2e/abuse-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoProblems, byAccessibleName, liveBoard, screenshot, setSpeed, startHarness } from './lib/harness.mjs';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

async function open(t, { path = '?lang=en', viewport = { width: 1600, height: 1000 } } = {}) {
  const { page, context, problems } = await harness.openApp({ path, viewport });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  // On a phone the controls are in the dock's bottom sheet: open it.
  await page.getByTestId('tab-explore').waitFor();
  if (!(await page.getByTestId('controls').isVisible())) await page.getByTestId('tab-explore').click();
  await page.getByTestId('controls').waitFor();
  return page;
}

const simTime = (page) => page.evaluate(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value));

/** The app still answers: no error overlay, and once playing, simulated time moves. */
async function assertResponsive(page, what) {
  assert.equal(await page.locator('.error-overlay').count(), 0, `${what}: no error overlay`);
  const play = page.getByRole('button', { name: 'Play', exact: true });
  if (await play.isVisible()) await play.click();
  const t0 = await simTime(page);
  try {
    await page.waitForFunction((t0) => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > t0, t0, {
      timeout: 10_000,
    });
  } catch (e) {
    await screenshot(page, `abuse-FAILED-${what.replace(/\W+/g, '-')}`);
    throw new Error(`${what}: simulated time stuck at ${t0} s`);
  }
}

/** No horizontal scrolling, and the board and the controls fit the window's width. */
async function assertFitsWidth(page, what) {
  const m = await page.evaluate(() => {
    const right = (sel) => document.querySelector(sel)?.getBoundingClientRect().right ?? 0;
    return {
      inner: window.innerWidth,
      scroll: document.documentElement.scrollWidth,
      board: right('main svg'),
      controls: right('[data-testid=controls]'),
      widest: [...document.querySelectorAll('body *')]
        .map((el) => [el.getBoundingClientRect().right, el.className || el.tagName])
        .sort((a, b) => b[0] - a[0])[0],
    };
  });
  assert.ok(m.scroll <= m.inner + 1, `${what}: page scrolls sideways (${m.scroll} > ${m.inner}); widest element: ${m.widest}`);
  assert.ok(m.board <= m.inner + 1, `${what}: board ends at ${m.board} > ${m.inner}`);
  assert.ok(m.controls <= m.inner + 1, `${what}: controls end at ${m.controls} > ${m.inner}`);
}

test('every button and switch clicked many times in a burst: no crash, still running, refusals in words', async (t) => {
  const page = await open(t);
  await setSpeed(page, 10);
  const selector = 'main button, main input[type=checkbox], main input[type=radio]';
  const count = await page.locator(selector).count();
  assert.ok(count >= 15, `controls found: ${count}`);
  // Re-query by index on every click: a click may re-render the list.
  for (let i = 0; i < count; i++) {
    await page.evaluate(
      ([selector, i]) => {
        for (let n = 0; n < 15; n++) document.querySelectorAll(selector)[i]?.click();
      },
      [selector, i],
    );
  }
  // Every preset, back to back, as fast as change events go.
  await page.evaluate(() => {
    const select = document.querySelector('[data-testid=preset]');
    for (let round = 0; round < 3; round++) {
      for (const option of select.options) {
        select.value = option.value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
  });
  await page.waitForTimeout(300);
  await screenshot(page, 'abuse-spammed');
  await assertResponsive(page, 'after spamming every control');

  // A refused command says why next to its control: killing the primary
  // twice in a row is refused the second time (the spam left another tab open).
  await page.getByTestId('tab-explore').click();
  await page.locator('[data-testid=preset]').selectOption('lb-two-fullstack');
  await page.getByTestId('kill-primary').click();
  const killAgain = await page.getByTestId('kill-primary').isEnabled();
  if (killAgain) {
    await page.getByTestId('kill-primary').click();
    const note = page.locator('[data-testid=ctl-db] .ctl-note:not(:empty)').first();
    await note.waitFor();
    assert.match(await note.textContent(), /\w/, 'the refusal is written next to the buttons');
  }
});

/** Absurd things people (or cats) type. */
const REFUSED = ['1e309', '9'.repeat(400), 'NaN', 'abc', '0x10', '--1', '½', 'x'.repeat(5000)];
const CLAMPED = ['-1', '1000000000', '1e9'];

test('absurd values in every box: a message next to the box, the last good value kept', async (t) => {
  const page = await open(t);
  const boxes = page.locator('[data-testid=controls] input[type=text]');
  const count = await boxes.count();
  assert.ok(count >= 3, `text boxes: ${count}`);

  // The rate box: a refused value keeps the rate the user had.
  const rate = page.getByTestId('rate-typed');
  const rateNote = page.getByTestId('rate-note');
  const rateNow = () => page.getByTestId('rate-slider').getAttribute('aria-valuetext');
  await rate.fill('500');
  await rate.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=rate-slider]')?.getAttribute('aria-valuetext')?.startsWith('500'));
  for (const value of [...REFUSED, '']) {
    await rate.fill(value);
    await rate.press('Enter');
    const said = await rateNote.textContent();
    assert.match(said, /kept 500/, `typing ${value.slice(0, 20)}: says the rate is kept`);
    assert.ok(said.length < 120, `the message quotes only the start of what was typed: ${said.length} chars`);
    assert.match(await rateNow(), /^500\b/, `typing ${value.slice(0, 20)}: rate still 500`);
    assert.equal(await rate.getAttribute('aria-invalid'), 'true');
  }
  for (const value of CLAMPED) {
    await rate.fill(value);
    await rate.press('Enter');
    assert.match(await rateNote.textContent(), /out of range/, `typing ${value.slice(0, 20)}: says it was clamped`);
  }

  // Every box (rate, attack port, each firewall's new-rule port): each
  // absurd value gets a message in that box's own row.
  for (let i = 0; i < count; i++) {
    const box = boxes.nth(i);
    const note = box.locator('xpath=ancestor::*[.//*[contains(@class,"ctl-note")]][1]').locator('.ctl-note').first();
    for (const value of [...REFUSED, ...CLAMPED]) {
      await box.fill(value);
      await box.press('Enter');
      const text = (await note.textContent()) ?? '';
      assert.ok(text.trim().length > 0, `box ${i} (${await box.getAttribute('aria-label') ?? await box.getAttribute('id')}): "${value.slice(0, 20)}" gets a message`);
    }
  }
  // Range sliders given impossible values by a script: the browser clamps
  // them, the app must not choke on them.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('main input[type=range]')) {
      for (const v of ['-1', '1e309', 'NaN', '', '1000000000']) {
        el.value = v;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }
  });
  await assertFitsWidth(page, 'after absurd values');
  await screenshot(page, 'abuse-absurd-values');
  await assertResponsive(page, 'after absurd values');
});

const SIZES = [
  ['phone', 360, 640],
  ['phone-landscape', 640, 360],
  ['tablet', 768, 1024],
  ['laptop', 1280, 800],
  ['projector', 1920, 1080],
  ['4k', 3840, 2160],
];

test('resized from a phone to 4K: nothing scrolls sideways, the app keeps running', async (t) => {
  const page = await open(t, { viewport: { width: 360, height: 640 } });
  for (const [name, width, height] of [...SIZES, ...[...SIZES].reverse()]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await assertFitsWidth(page, `${name} ${width}×${height}`);
    if (name === 'phone' || name === '4k' || name === 'tablet') await screenshot(page, `abuse-size-${name}`);
  }
  await assertResponsive(page, 'after resizing');
});

test('switching preset in the middle of a failover: no error, the new layout shown and running', async (t) => {
  const page = await open(t);
  await setSpeed(page, 10);
  await page.getByTestId('kill-primary').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=write-errors]')?.dataset.value) > 0, null, {
    timeout: 30_000,
  });
  await page.locator('[data-testid=preset]').selectOption('three-web-three-firewalls');
  await byAccessibleName(page, 'Server 3').first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid=preset]').inputValue(), 'three-web-three-firewalls');
  await assertResponsive(page, 'after switching preset mid-failover');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=qps]')?.textContent) > 0, null, {
    timeout: 15_000,
  });
  // And straight back, while the new one runs.
  await page.locator('[data-testid=preset]').selectOption('lb-two-fullstack');
  await assertResponsive(page, 'after switching back');
  assert.equal(await byAccessibleName(page, 'Server 3').count(), 0, 'the first layout has two servers again');
  await screenshot(page, 'abuse-preset-switch');
});

test('a 100 KB link opens the app, which ignores what it does not know and stays responsive', async (t) => {
  const junk = 'A'.repeat(100 * 1024);
  const page = await open(t, { path: `?lang=en&x=${junk}` });
  await assertResponsive(page, '100 KB ?x=');
  await assertFitsWidth(page, '100 KB ?x=');

  // About as much as a language (each é is 6 bytes in the URL): refused with a short notice, not 100 KB of text.
  const context = page.context();
  const other = await context.newPage();
  await other.goto(new URL(`?lang=${'é'.repeat(16 * 1024)}`, harness.baseUrl).href, { waitUntil: 'load' });
  await liveBoard(other);
  const notice = other.getByRole('status').filter({ hasText: 'éééé' }).first();
  await notice.waitFor({ timeout: 10_000 });
  assert.ok((await notice.textContent()).length < 400, 'the notice quotes only the start of the value');
  await assertFitsWidth(other, '100 KB ?lang=');
  await assertResponsive(other, '100 KB ?lang=');
  await screenshot(other, 'abuse-long-link');
  await other.close();
});

// Scenario import (src/share): a 10 MB file and JSON nested 100,000 deep are
// refused with a message, and the board keeps what it had.
test('importing a 10 MB file or deeply nested JSON: refused in words, the board unchanged', async (t) => {
  const page = await open(t);
  const input = page.getByTestId('import-file');
  if ((await input.count()) === 0) {
    t.skip('this build has no scenario import');
    return;
  }
  await page.locator('[data-testid=preset]').selectOption('three-web-three-firewalls');
  await byAccessibleName(page, 'Server 3').first().waitFor();
  const files = [
    { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(10 * 1024 * 1024, 0x20) },
    { name: 'deep.json', mimeType: 'application/json', buffer: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)) },
    { name: 'deep-object.json', mimeType: 'application/json', buffer: Buffer.from('{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)) },
  ];
  for (const file of files) {
    await input.setInputFiles(file);
    const problems = page.getByTestId('import-problems');
    await problems.waitFor({ timeout: 15_000 });
    assert.match(await problems.textContent(), /\w/, `${file.name}: the refusal says why`);
    assert.equal(await page.locator('[data-testid=preset]').inputValue(), 'three-web-three-firewalls', `${file.name}: preset kept`);
    assert.equal(await byAccessibleName(page, 'Server 3').count(), 1, `${file.name}: board kept`);
    await assertResponsive(page, `after importing ${file.name}`);
    await assertFitsWidth(page, `after importing ${file.name}`);
  }
  await screenshot(page, 'abuse-import-refused');
});
