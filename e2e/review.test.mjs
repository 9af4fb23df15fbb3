// End-to-end tests of the design review panel (issue 20) against the release
// build in dist/, in English and in French: on the default preset it lists
// the plaintext, single-writer and single-load-balancer findings in the
// locale's words; pointing at a finding lights its parts; a "show me" changes
// the board and says what it measured; a "fix" removes its finding, and
// Ctrl+Z (or the Undo button) brings it back; the single load balancer's fix
// is a pair that fails over on screen; the printed review sheet holds
// the board, every finding and its figures. Screenshots go to
// target/e2e/review-*.png.
//
// Run: node --test e2e/review.test.mjs (after `source scripts/lib.sh; build_release`).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, assertNoProblems, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

/** The review's words as each locale file has them (the panel must show these). */
const words = (lang) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'review.json'), 'utf8'));

async function open(t, lang, viewport = { width: 1280, height: 720 }) {
  const { page, context, problems } = await harness.openApp({ path: `?lang=${lang}`, viewport });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.getByTestId('tab-learn').click();
  await page.getByTestId('review').waitFor();
  return page;
}

const holdsVip = (page, node) => page.locator(`g[data-node="${node}"] ~ .vip-badge`);
const finding = (page, kind) => page.getByTestId('review').locator(`[data-testid="finding"][data-kind="${kind}"]`);
const kinds = (page) =>
  page.getByTestId('review').locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => e.dataset.kind));
const lit = (page) => page.locator('svg .node.highlighted').evaluateAll((els) => els.map((e) => e.dataset.node));

/** Asserts the element is drawn inside the viewport (not scrolled away). */
async function assertInView(page, locator, what) {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  assert.ok(box && box.height > 0, `${what} is shown`);
  assert.ok(box.y >= 0 && box.y + box.height <= vp.height, `${what} is in view: ${JSON.stringify(box)}`);
}

async function waitFor(page, what, fn, arg, timeout = 20_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  } catch (e) {
    await screenshot(page, `review-FAILED-${what.replace(/\W+/g, '-')}`);
    throw new Error(`${what}: ${e.message}`);
  }
}

for (const lang of ['en', 'fr']) {
  test(`${lang}: the review lists the default design's weak spots, shows one live, fixes one and Ctrl+Z undoes it`, async (t) => {
    const page = await open(t, lang);
    const w = words(lang);
    const review = page.getByTestId('review');
    await review.scrollIntoViewIfNeeded();
    assert.equal(await review.locator('h2').innerText(), w.title);

    const listed = await kinds(page);
    for (const kind of ['plaintext_backend', 'single_writer', 'single_load_balancer']) {
      assert.ok(listed.includes(kind), `${kind} is listed (listed: ${listed.join(', ')})`);
      const item = finding(page, kind).first();
      assert.equal(await item.getAttribute('data-severity'), 'high', `${kind} is high`);
      assert.equal(await item.locator('h3').innerText(), w.kinds[kind].title, `${kind}'s title in ${lang}`);
      assert.equal(await item.locator('.severity').textContent(), w.severity.high, `${kind}'s severity in ${lang}`);
      assert.ok((await item.innerText()).includes(w.kinds[kind].why), `${kind}'s explanation in ${lang}`);
    }
    await screenshot(page, `review-panel-${lang}-1280x720`);

    // Pointing at a finding lights its parts on the board.
    const lb = finding(page, 'single_load_balancer').first();
    await lb.hover();
    assert.deepEqual(await lit(page), ['lb']);

    // Show me: the single load balancer dies and the board says so.
    assert.equal(await page.locator('[data-node="lb"].is-down').count(), 0, 'the load balancer is up at first');
    await lb.getByTestId('review-show-me').click();
    await waitFor(page, 'the load balancer drawn down', () => !!document.querySelector('[data-node="lb"].is-down'));
    assert.equal(await page.getByTestId('review-notice').innerText(), w.showing);
    // What the show me measured: requests failed while the one load balancer was down.
    const measured = lb.getByTestId('finding-measured');
    await measured.waitFor();
    // "…: 1,506 of 2,997 requests failed, failing from 0 s to 30 s, then served normally, …"
    const shown = (await measured.innerText()).replace(/\s/g, ' ');
    assert.ok(shown.startsWith(w.measured.run.split('{')[0].replace(/\s/g, ' ')), `the figures in ${lang}: ${shown}`);
    const failed = shown.split(':').pop().trim().match(/^[\d,. ]+/)?.[0].replace(/\D/g, '');
    assert.ok(Number(failed) > 0, `requests failed while it was down: ${shown}`);
    assert.ok(shown.includes(w.measured.recovered), `the site serves again once it is back: ${shown}`);
    await screenshot(page, `review-show-me-${lang}-1280x720`);

    // Fix: re-encryption removes the plaintext finding and says the run restarted.
    const plaintext = finding(page, 'plaintext_backend');
    assert.equal(await plaintext.count(), 1);
    await plaintext.getByTestId('review-fix').click();
    await waitFor(page, 'the plaintext finding gone', () => !document.querySelector('[data-kind="plaintext_backend"]'));
    assert.equal(await page.getByTestId('review-notice').innerText(), w.fixed);
    await assertInView(page, page.getByTestId('review-notice'), 'the notice that the run restarted');
    await assertInView(page, page.getByTestId('review-undo'), 'the Undo button');
    assert.equal(await page.locator('[data-node="lb"].is-down').count(), 0, 'the restarted run has its load balancer up');
    assert.ok((await kinds(page)).includes('single_writer'), 'the other findings stay');
    await screenshot(page, `review-fixed-${lang}-1280x720`);

    // Ctrl+Z puts the previous design back, and the finding with it.
    await page.keyboard.press('Control+z');
    await waitFor(page, 'the plaintext finding back', () => !!document.querySelector('[data-kind="plaintext_backend"]'));
    assert.equal(await page.getByTestId('review-notice').innerText(), w.undone);
    assert.equal(await page.getByTestId('review-undo').count(), 0, 'nothing left to undo');

    // The Undo button does the same.
    await finding(page, 'single_writer').getByTestId('review-fix').click();
    await waitFor(page, 'the single-writer finding gone', () => !document.querySelector('[data-kind="single_writer"]'));
    await page.getByTestId('review-undo').click();
    await waitFor(page, 'the single-writer finding back', () => !!document.querySelector('[data-kind="single_writer"]'));
    assert.deepEqual(await kinds(page), listed, 'the undone design has the very findings it started with');
  });
}

test('the single load balancer\'s fix is a pair that fails over on screen, and the sheet prints every finding with its figures', async (t) => {
  const page = await open(t, 'en');
  const w = words('en');
  const lb = finding(page, 'single_load_balancer');

  await lb.getByTestId('review-fix').click();
  await waitFor(page, 'the single load balancer finding gone', () => !document.querySelector('[data-kind="single_load_balancer"]'));
  // The board now draws two load balancers, the VIP on the first.
  await page.locator('g[data-node="lb-2"]').waitFor();
  await holdsVip(page, 'lb').waitFor();

  // Killing the VIP holder now (Explore's machine controls): the backup takes over.
  await page.getByTestId('tab-explore').click();
  await page.getByTestId('kill-lb').click();
  await holdsVip(page, 'lb-2').waitFor({ timeout: 30_000 });
  await screenshot(page, 'review-pair-failover-en-1280x720');

  // The sheet: stub the dialog, print, read what was built.
  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  await page.getByTestId('tab-learn').click();
  await page.getByTestId('share-menu').locator('summary').click();
  await page.getByTestId('review-sheet-print').click();
  await page.waitForFunction(() => window.__printed === 1);
  const sheet = page.getByTestId('review-sheet');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.print), 'sheet');
  assert.ok((await sheet.locator('h1').innerText()).includes('lb-two-fullstack'), 'the sheet names the design');
  assert.equal(await sheet.locator('svg.diagram').count(), 1, 'the board is on the sheet');
  assert.equal(await sheet.locator('g[data-node="lb-2"]').count(), 1, 'the board as it stands: the pair');
  const items = sheet.locator('[data-testid="finding"]');
  const listed = await kinds(page);
  assert.equal(await items.count(), listed.length, 'every finding of the design is on the sheet');
  for (const [i, kind] of listed.entries()) {
    const item = items.nth(i);
    assert.equal(await item.getAttribute('data-kind'), kind);
    assert.ok((await item.textContent()).includes(w.kinds[kind].why), `${kind}: its explanation`);
    assert.equal(await item.locator('[data-testid="finding-measured"]').count(), 1, `${kind}: its figures`);
  }
  // Once copied, the panel measures only what its "show me" buttons asked for.
  await waitFor(page, 'the panel back to its own figures', () =>
    document.querySelectorAll('[data-testid="review"] [data-testid="finding-measured"]').length === 0);
  // Printed: only the sheet shows.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('review').isVisible(), false, 'the page is hidden in print');
  assert.ok(await sheet.isVisible(), 'the sheet is printed');
  await page.setViewportSize({ width: 800, height: 1100 });
  await screenshot(page, 'review-sheet-print-en');
  await page.emulateMedia({ media: 'screen' });
});
