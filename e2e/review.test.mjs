// End-to-end tests of the design review panel (issue 20) against the release
// build in dist/, in English and in French: on the default preset it lists
// the plaintext, single-writer and single-load-balancer findings in the
// locale's words; pointing at a finding lights its parts; a "show me" changes
// the board; a "fix" removes its finding, and Ctrl+Z (or the Undo button)
// brings it back. Screenshots go to target/e2e/review-*.png.
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

const finding = (page, kind) => page.locator(`[data-testid="finding"][data-kind="${kind}"]`);
const kinds = (page) =>
  page.locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => e.dataset.kind));
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
