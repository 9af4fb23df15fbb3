// End-to-end tests of the one-screen workspace (issue 17): at the three
// desktop sizes and a phone's, the page never scrolls, the board is whole on
// screen, breaking the primary shows its failed writes, its alert and the
// live QPS beside the board, the open mode survives a reload of the link,
// and an axe-core audit finds nothing in English or French. axe-core is a
// dev dependency injected into the page by the test, never in the bundle.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, assertNoProblems, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
];
const name = (v) => `${v.width}x${v.height}`;
const narrow = (v) => v.width <= 900;

async function open(t, viewport, path = '?lang=en', { bypassCSP = false } = {}) {
  const { page, context, problems } = await harness.openApp({ path, viewport, bypassCSP });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.getByTestId('live-strip').waitFor();
  await page.getByTestId('feed').waitFor();
  return page;
}

/** The page's own scroll extent against the viewport. */
const pageScroll = (page) =>
  page.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
    innerHeight,
    innerWidth,
  }));

async function assertNoPageScroll(page, what) {
  const s = await pageScroll(page);
  assert.equal(s.height, s.innerHeight, `${what}: document height ${s.height} vs viewport ${s.innerHeight}`);
  assert.ok(s.width <= s.innerWidth, `${what}: document width ${s.width} vs viewport ${s.innerWidth}`);
}

/** Asserts the element's box lies wholly inside the viewport and is visible. */
async function assertOnScreen(page, locator, what) {
  assert.ok(await locator.isVisible(), `${what} is visible`);
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  assert.ok(box, `${what} has a box`);
  assert.ok(
    box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= vp.width + 0.5 && box.y + box.height <= vp.height + 0.5,
    `${what} within ${vp.width}×${vp.height}: ${JSON.stringify(box)}`,
  );
  return box;
}

/** The same check for an element the page rebuilds with each publication: read in one go. */
async function assertOnScreenNow(page, selector, what) {
  const r = await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const b = el.getBoundingClientRect();
    return { x: b.x, y: b.y, width: b.width, height: b.height, value: el.dataset.value, shown: b.width > 0 && b.height > 0 };
  }, selector);
  const vp = page.viewportSize();
  assert.ok(r?.shown, `${what} is shown`);
  assert.ok(
    r.x >= -0.5 && r.y >= -0.5 && r.x + r.width <= vp.width + 0.5 && r.y + r.height <= vp.height + 0.5,
    `${what} within ${vp.width}×${vp.height}: ${JSON.stringify(r)}`,
  );
  return r;
}

/** Opens a dock tab (on a phone, the bottom sheet with it). */
async function openTab(page, mode) {
  const tab = page.getByTestId(`tab-${mode}`);
  if ((await tab.getAttribute('aria-selected')) !== 'true' || !(await page.locator(`#panel-${mode}`).isVisible())) {
    await tab.click();
  }
  await page.locator(`#panel-${mode}`).waitFor({ state: 'visible' });
}

/** On a phone the sheet folds away with a second tap on its tab. */
async function foldSheet(page, viewport, mode) {
  if (!narrow(viewport)) return;
  if (await page.locator(`#panel-${mode}`).isVisible()) await page.getByTestId(`tab-${mode}`).click();
  await page.locator(`#panel-${mode}`).waitFor({ state: 'hidden' });
}

for (const viewport of SIZES) {
  test(`${name(viewport)}: one screen, the board whole; after "Kill the primary" the failed writes, the alert and live QPS show with it`, async (t) => {
    const page = await open(t, viewport);
    await assertNoPageScroll(page, 'at start');
    const board = page.locator('.board svg.diagram');
    await assertOnScreen(page, board, 'the board');
    // The request layer follows the board's box.
    const layer = await page.locator('.board canvas.request-layer').boundingBox();
    const drawn = await board.boundingBox();
    assert.ok(Math.abs(layer.width - drawn.width) < 1.5 && Math.abs(layer.height - drawn.height) < 1.5, 'canvas over the board');
    await screenshot(page, `workspace-${name(viewport)}-light`);

    await openTab(page, 'explore');
    await page.getByTestId('kill-primary').click();
    await foldSheet(page, viewport, 'explore');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=write-errors]')?.dataset.value) > 0);
    const alert = page.locator('[data-testid=alerts] .feed-item[data-rule=primary_down]').first();
    await alert.waitFor({ timeout: 20_000 });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=live-errors] li[data-key=primary_down]')].some((li) => Number(li.dataset.value) > 0),
    );
    if (narrow(viewport)) await alert.scrollIntoViewIfNeeded();
    await assertOnScreen(page, board, 'the board after the kill');
    await assertOnScreen(page, page.getByTestId('write-errors'), 'the failed writes');
    await assertOnScreen(page, alert, 'the primary-down alert');
    const qps = await assertOnScreenNow(page, '[data-testid=live-qps] li', 'live QPS');
    assert.ok(Number(qps.value) > 0, 'QPS is live');
    await assertNoPageScroll(page, 'after the kill');
    await screenshot(page, `workspace-${name(viewport)}-killed`);

    // Every tab keeps the board whole and the page still.
    for (const mode of ['charts', 'learn', 'practice', 'explore']) {
      await openTab(page, mode);
      await assertOnScreen(page, board, `the board with ${mode} open`);
      await assertNoPageScroll(page, `${mode} open`);
      if (mode === 'charts') await screenshot(page, `workspace-${name(viewport)}-charts`);
      await foldSheet(page, viewport, mode);
    }
  });

  test(`${name(viewport)}: presenter mode (projector) and French fit too`, async (t) => {
    const page = await open(t, viewport, '?lang=fr&mode=present');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.present), 'on', 'the link opens presenter mode');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'projector');
    await assertNoPageScroll(page, 'presenting');
    await assertOnScreen(page, page.locator('.board svg.diagram'), 'the board, presenting');
    await assertOnScreenNow(page, '[data-testid=live-qps] li', 'live QPS, presenting');
    await page.waitForTimeout(400);
    await screenshot(page, `workspace-${name(viewport)}-projector-fr`);
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('p');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.present), 'off');
    await assertNoPageScroll(page, 'French');
    await assertOnScreen(page, page.locator('.board svg.diagram'), 'the board, French');
    await screenshot(page, `workspace-${name(viewport)}-fr`);
  });

  test(`${name(viewport)}: the open mode is in the link and comes back on reload`, async (t) => {
    const page = await open(t, viewport);
    await openTab(page, 'practice');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'practice');
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('live-strip').waitFor();
    assert.equal(await page.getByTestId('tab-practice').getAttribute('aria-selected'), 'true');
    if (!narrow(viewport)) await page.locator('#panel-practice').waitFor({ state: 'visible' });
    await assertNoPageScroll(page, 'after reload');
    // A key per mode: 3 is Learn, 5 presenter mode.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('3');
    assert.equal(await page.getByTestId('tab-learn').getAttribute('aria-selected'), 'true');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'learn');
    await page.keyboard.press('5');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'present');
    await page.keyboard.press('5');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'learn');
  });
}

test('an unknown mode in the link is ignored with a notice', async (t) => {
  const page = await open(t, SIZES[1], '?lang=en&mode=cockpit');
  await page.getByText('The link asks for a view we do not have (“cockpit”), so the page opens on Explore.').waitFor();
  assert.equal(await page.getByTestId('tab-explore').getAttribute('aria-selected'), 'true');
});

test('the dock tabs are reachable by keyboard, with visible focus', async (t) => {
  const page = await open(t, SIZES[1]);
  await page.getByTestId('tab-explore').focus();
  const outline = await page.getByTestId('tab-explore').evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tab-charts');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('tab-charts').getAttribute('aria-selected'), 'true');
  await page.locator('#panel-charts').waitFor({ state: 'visible' });
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('tab-explore').getAttribute('aria-selected'), 'true');
  // Into the panel: its first control takes the focus, with a visible ring.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  const inPanel = await page.evaluate(() => !!document.activeElement?.closest('#panel-explore'));
  assert.ok(inPanel, 'Tab goes on into the open panel');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(ring, 'none', 'and shows where it is');
});

// ---- accessibility audit ----

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

async function audit(page, what) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  // Let the live parts settle a moment so the audit sees a steady page.
  await page.waitForTimeout(300);
  // Every rule axe runs by default, "label-content-name-mismatch" among them
  // (the words a control shows are inside its accessible name, the diagram's
  // nodes included).
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const found = result.violations.map(
    (v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`,
  );
  assert.deepEqual(found, [], `axe violations, ${what}`);
}

for (const viewport of SIZES) {
  for (const lang of ['en', 'fr']) {
    test(`${name(viewport)} ${lang}: axe-core finds no violation in any mode`, async (t) => {
      const page = await open(t, viewport, `?lang=${lang}`, { bypassCSP: true });
      // Some traffic, a dead primary and an alert, so states and the feed are drawn.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 1);
      await audit(page, `${lang} ${name(viewport)} at start`);
      for (const mode of ['explore', 'charts', 'learn', 'practice']) {
        await openTab(page, mode);
        await audit(page, `${lang} ${name(viewport)} ${mode}`);
        await foldSheet(page, viewport, mode);
      }
    });
  }
}

test('390x844 touch: a tap selects a node and opens it in the sheet; every control a finger meets is at least 44 px', async (t) => {
  const { page, context, problems } = await harness.openApp({ path: '?lang=en', viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.locator('g[data-node="lb"]').tap();
  assert.equal(await page.locator('g[data-node="lb"]').getAttribute('aria-pressed'), 'true', 'the tapped node is selected');
  await page.locator('#panel-explore').waitFor({ state: 'visible' });
  const title = page.locator('#inspector-title');
  await title.waitFor({ state: 'visible' });
  assert.match(await title.textContent(), /Load balancer/);
  await assertNoPageScroll(page, 'after a tap');
  await screenshot(page, 'workspace-390x844-tapped');

  // Buttons, tabs, selects and text fields on screen (the sheet open):
  // a fingertip's 44 CSS px in both directions, or the row they sit in.
  const small = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, [role=tab], select, input:not([type=range]):not([type=checkbox]):not([type=radio]), summary')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.top > innerHeight) continue;
      const target = el.closest('label') ?? el;
      const t = target.getBoundingClientRect();
      if (Math.max(r.height, t.height) < 43.5 || Math.max(r.width, t.width) < 43.5) out.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent).trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
  assert.deepEqual(small, [], 'controls under 44 px on a phone');
});
