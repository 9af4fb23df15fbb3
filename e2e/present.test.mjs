// End-to-end tests of presenter mode against a release build, driven by the
// keyboard only (as at a projector): presenter mode on and off with P, the
// themes with T (the projector one changes what is drawn), the diagram built
// up with B / Shift+B, the pointer with L, and the ? help overlay.
// Screenshots go to target/e2e/present-*.png.
//
// Run: INFRABOARD_DIST=target/dist-present node --test e2e/present.test.mjs
// (after `trunk build --release --offline --dist target/dist-present`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTIFACTS, DIAGRAM_ELEMENTS, assertNoProblems, startHarness } from './lib/harness.mjs';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

const VIEWPORT = { width: 1600, height: 900 };

async function open(t, { lang = 'en', viewport = VIEWPORT } = {}) {
  const { page, context, problems } = await harness.openApp({ path: `?lang=${lang}`, viewport });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.getByTestId('present-toggle').waitFor();
  return page;
}

/**
 * A screenshot in target/e2e/present-<name>.png. The caret is left alone
 * (caret: 'initial'): Playwright's default hides it with an injected style,
 * which the page's Content-Security-Policy may refuse (not verified either way).
 */
async function shot(page, name, { fullPage = false } = {}) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `present-${name}.png`), fullPage, caret: 'initial' });
}

const html = (page, attr) => page.evaluate((a) => document.documentElement.getAttribute(a), attr);

/** Computed style `prop` of the first element matching `selector`. */
const style = (page, selector, prop) =>
  page.locator(selector).first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop);

/** The board's elements a user (or a screen reader) can find by name right now. */
async function onBoard(page) {
  const board = page.locator('svg.diagram');
  const names = [];
  for (const name of DIAGRAM_ELEMENTS) {
    if ((await board.getByRole('button', { name, exact: true }).count()) > 0) names.push(name);
  }
  return names;
}

/** Keys go to the page, not to a control (as after a click on empty space). */
async function focusPage(page) {
  await page.evaluate(() => document.activeElement?.blur());
}

test('P turns presenter mode on (board large, side panels away, projector theme) and off again', async (t) => {
  const page = await open(t);
  await focusPage(page);
  const boardWidth = async () => (await page.locator('.board svg.diagram').boundingBox()).width;
  const before = await boardWidth();
  const share = async () => {
    const b = await page.locator('.board svg.diagram').boundingBox();
    return (b.width * b.height) / (VIEWPORT.width * VIEWPORT.height);
  };
  assert.equal(await html(page, 'data-present'), 'off');
  assert.equal(await html(page, 'data-theme'), 'light');
  assert.ok(await page.locator('aside.side').isVisible(), 'the side column shows outside presenter mode');

  await page.keyboard.press('p');
  assert.equal(await html(page, 'data-present'), 'on');
  assert.equal(await page.getByTestId('present-toggle').getAttribute('aria-pressed'), 'true');
  assert.equal(await html(page, 'data-theme'), 'projector', 'presenter mode starts in the projector theme');
  assert.equal(await page.locator('aside.side').isVisible(), false, 'inspector and controls make room');
  assert.equal(await page.locator('.charts').first().isVisible(), false, 'charts make room');
  const during = await share();
  assert.ok(during > 0.55, `the board covers ${Math.round(during * 100)}% of the screen`);
  // The whole board stays on screen, under the bars.
  const box = await page.locator('.board svg.diagram').boundingBox();
  assert.ok(box.y + box.height <= VIEWPORT.height + 1, `board bottom ${box.y + box.height} within ${VIEWPORT.height}`);
  await page.waitForTimeout(600);
  await shot(page, 'presenter-projector');

  // The tour's narration reads large beside the board, still by keyboard.
  await page.getByTestId('tour-start').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const bodySize = parseFloat(await style(page, '[data-testid=tour-body]', 'font-size'));
  assert.ok(bodySize >= 24, `narration at ${bodySize}px`);
  await page.waitForTimeout(400);
  await shot(page, 'presenter-tour');
  await page.keyboard.press('Escape'); // leaves the tour
  await focusPage(page);

  await page.keyboard.press('p');
  assert.equal(await html(page, 'data-present'), 'off');
  assert.equal(await html(page, 'data-theme'), 'light', 'the page theme comes back');
  assert.ok(await page.locator('aside.side').isVisible());
  assert.ok(Math.abs((await boardWidth()) - before) < 2, 'the board is back to its size');
});

test('T cycles light → dark → projector → light; the projector theme draws thicker and larger; the choice persists', async (t) => {
  const page = await open(t);
  // The charts and their legends are drawn while their tab is open.
  await page.getByTestId('tab-charts').click();
  await focusPage(page);
  const light = {
    link: parseFloat(await style(page, 'svg .link', 'stroke-width')),
    label: parseFloat(await style(page, 'svg .node-label', 'font-size')),
    bg: await style(page, 'body', 'background-color'),
  };
  assert.equal(await style(page, '.chart-canvas', 'filter'), 'none', 'light charts are drawn as they are');
  const seen = [await html(page, 'data-theme')];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('t');
    seen.push(await html(page, 'data-theme'));
    if (seen.at(-1) === 'dark') {
      assert.notEqual(await style(page, 'body', 'background-color'), light.bg, 'dark changes the page colour');
      // The charts turn dark too, and each legend swatch the same way as its line.
      const canvasFilter = await style(page, '.chart-canvas', 'filter');
      assert.match(canvasFilter, /invert/, `chart canvas filter: ${canvasFilter}`);
      assert.equal(await style(page, '.legend-swatch', 'filter'), canvasFilter, 'swatches match their lines');
      await shot(page, 'theme-dark', { fullPage: true });
    }
    if (seen.at(-1) === 'projector') {
      const link = parseFloat(await style(page, 'svg .link', 'stroke-width'));
      const label = parseFloat(await style(page, 'svg .node-label', 'font-size'));
      assert.ok(link >= light.link * 1.5, `links ${light.link} → ${link}`);
      assert.ok(label >= light.label * 1.1, `labels ${light.label} → ${label}`);
      assert.equal(await page.getByTestId('theme-pick').inputValue(), 'projector', 'the picker follows the key');
    }
  }
  assert.deepEqual(seen, ['light', 'dark', 'projector', 'light']);

  // Remembered across a reload.
  await page.keyboard.press('t');
  await page.reload();
  await page.getByTestId('present-toggle').waitFor();
  assert.equal(await html(page, 'data-theme'), 'dark');

  // A corrupt stored value is ignored: the page opens in the light theme.
  await page.evaluate(() => localStorage.setItem('infraboard.theme', '{"neon": true}'));
  await page.reload();
  await page.getByTestId('present-toggle').waitFor();
  assert.equal(await html(page, 'data-theme'), 'light');
});

test('B builds the diagram up stage by stage, Shift+B takes it apart, Esc shows it whole', async (t) => {
  const page = await open(t);
  await focusPage(page);
  assert.deepEqual(await onBoard(page), DIAGRAM_ELEMENTS);
  const caption = page.getByTestId('build-caption');
  const cert = () => page.getByRole('img', { name: 'SSL certificate for www.foobar.com' }).count();
  const agents = () => page.getByRole('img', { name: /^Monitoring agent on (Server 1|Server 2|Load balancer \(HAProxy\))$/ }).count();

  await page.keyboard.press('b');
  assert.deepEqual(await onBoard(page), ['Internet user', 'DNS', 'Server 1'], 'stage 1: one server');
  assert.match(await caption.innerText(), /Stage 1 of 5: one server/);
  assert.equal(await cert(), 0);
  assert.equal(await agents(), 0);

  const counts = [3];
  for (let stage = 2; stage <= 5; stage++) {
    await page.keyboard.press('b');
    assert.equal(await caption.getAttribute('data-stage'), String(stage));
    counts.push((await onBoard(page)).length);
    if (stage === 2) {
      assert.deepEqual(await onBoard(page), ['Internet user', 'DNS', 'Load balancer (HAProxy)', 'Server 1', 'Server 2']);
      await page.keyboard.press('p');
      await page.waitForTimeout(600);
      await shot(page, 'build-stage-2');
      await page.keyboard.press('p');
    }
    if (stage === 4) assert.ok((await cert()) > 0, 'stage 4 adds the SSL certificate');
    if (stage === 5) assert.equal(await agents(), 3, 'stage 5 adds an agent on each machine');
  }
  assert.deepEqual(counts, [3, 5, 8, 8, 9]);
  assert.match(await caption.innerText(), /monitoring/);

  // Past the last stage: the whole board, no caption.
  await page.keyboard.press('b');
  assert.equal(await caption.count(), 0);
  assert.deepEqual(await onBoard(page), DIAGRAM_ELEMENTS);

  // Back down, one stage per Shift+B.
  const down = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+B');
    down.push((await onBoard(page)).length);
  }
  assert.deepEqual(down, [9, 8, 8, 5, 3]);
  await page.keyboard.press('Escape');
  assert.equal(await caption.count(), 0);
  assert.deepEqual(await onBoard(page), DIAGRAM_ELEMENTS);
});

test('? lists every shortcut (EN), keeps the focus inside, Esc closes it and gives the focus back', async (t) => {
  const page = await open(t);
  const toggle = page.getByTestId('present-toggle');
  await toggle.focus();
  const playing = () => page.locator('.time-bar .play').getAttribute('aria-pressed');
  const wasPlaying = await playing();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  const keys = await dialog.locator('kbd').allInnerTexts();
  for (const k of ['Space', '→', '←', 'Esc', 'P', 'T', 'B', 'Shift+B', 'L', '?']) {
    assert.ok(keys.includes(k), `the list names ${k} (has ${keys.join(' | ')})`);
  }
  const text = await dialog.innerText();
  assert.match(text, /Play or pause the simulation/);
  assert.match(text, /Next step, while the tour runs/);
  await shot(page, 'help-en');

  // Focus stays inside, whatever Tab does.
  const inside = () => page.evaluate(() => !!document.activeElement?.closest('[role=dialog]'));
  assert.ok(await inside(), 'the focus moves into the dialog');
  // It starts on Close; an odd number of moves ends on the list of keys.
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Tab', 'Tab']) {
    await page.keyboard.press(key);
    assert.ok(await inside(), `still inside after ${key}`);
  }
  // Keys inside do not reach the board behind.
  await page.keyboard.press('Space');
  await page.keyboard.press('p');
  assert.equal(await html(page, 'data-present'), 'off');
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'present-toggle', 'focus returns');
  // Space went to the list, not to the play button behind.
  assert.equal(await playing(), wasPlaying);
});

test('? in French, and the pointer moves between elements with the arrows', async (t) => {
  const page = await open(t, { lang: 'fr' });
  await focusPage(page);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Raccourcis clavier' });
  await dialog.waitFor();
  const keys = await dialog.locator('kbd').allInnerTexts();
  for (const k of ['Espace', '→', '←', 'Échap', 'Maj+B']) assert.ok(keys.includes(k), `FR names ${k}`);
  assert.match(await dialog.innerText(), /Lancer ou mettre en pause la simulation/);
  await shot(page, 'help-fr');
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0);

  await focusPage(page);
  await page.keyboard.press('Space'); // pause, so the clock only moves if a key moves it
  const lit = () => page.locator('svg .node.highlighted').evaluateAll((els) => els.map((e) => e.dataset.node));
  await page.keyboard.press('l');
  await page.getByTestId('pointer-status').waitFor();
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await lit(page), ['user'], 'the first arrow lands on the first element');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await lit(page), ['fw-1']);
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.node), (await lit(page))[0], 'focus follows');
  const time = await page.getByTestId('sim-time').getAttribute('data-value');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByTestId('sim-time').getAttribute('data-value'), time, 'arrows move the pointer, not time');
  // Tab onto the next element moves the light with the focus.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.dataset.node);
  if (focused) assert.deepEqual(await lit(page), [focused]);
  const laser = page.getByTestId('laser');
  assert.ok(await laser.isVisible(), 'the spot is drawn');
  const size = await laser.boundingBox();
  assert.ok(size.width >= 40, `a big spot (${size.width}px)`);
  await page.keyboard.press('p');
  await page.waitForTimeout(500);
  await shot(page, 'pointer');
  await page.keyboard.press('p');
  await page.keyboard.press('l');
  assert.equal(await page.getByTestId('pointer-status').count(), 0);
  assert.deepEqual(await lit(page), [], 'what was lit before comes back (nothing)');
});
