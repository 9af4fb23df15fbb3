// End-to-end tests of the study panels against the release build in dist/:
// the guided tour driven by the keyboard, and every explanation's "show me"
// (the seeds' issues play in the design review, e2e/review.test.mjs). Screenshots go to target/e2e/study-*.png.
//
// Run: node --test e2e/study.test.mjs (after `trunk build --release --offline`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoProblems, screenshot, setSpeed, startHarness } from './lib/harness.mjs';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

async function open(t, { lang = 'en', speed = 10 } = {}) {
  const { page, context, problems } = await harness.openApp({
    path: `?lang=${lang}`,
    viewport: { width: 1600, height: 1000 },
  });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.getByTestId('tab-learn').click();
  await page.getByTestId('tour').waitFor();
  await setSpeed(page, speed);
  return page;
}


const shot = (page, name) => screenshot(page, `study-${name}`);

const simTime = async (page) => Number((await page.getByTestId('sim-time').innerText()).replace(/[^\d.]/g, ''));

/** Ids of the board nodes drawn highlighted, in board order. */
const lit = (page) => page.locator('svg .node.highlighted').evaluateAll((els) => els.map((e) => e.dataset.node));

const step = async (page) => Number(await page.getByTestId('tour').getAttribute('data-step'));

async function waitFor(page, what, fn, arg, timeout = 30_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  } catch (e) {
    await shot(page, `FAILED-${what.replace(/\W+/g, '-')}`);
    throw new Error(`${what}: ${e.message}`);
  }
}

test('the tour goes through all ten steps and back with the keyboard only, lighting each step’s parts', async (t) => {
  const page = await open(t, { speed: 1 });
  await page.getByTestId('tour-start').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('tour').getAttribute('data-active'), 'true');
  assert.equal(await step(page), 1);
  assert.deepEqual(await lit(page), ['user']);
  // The tour's one request stands on the board, encrypted in the browser.
  const token = page.getByTestId('tour-token');
  const tokenAt = async () => token.evaluate((g) => g.style.transform);
  assert.equal(await token.getAttribute('visibility'), 'visible');
  assert.equal(await token.getAttribute('data-encrypted'), 'true');
  const places = [await tokenAt()];
  const locks = ['true'];
  await shot(page, 'tour-01');

  const seen = [];
  for (let n = 2; n <= 10; n++) {
    const title = await page.getByTestId('tour-step-title').innerText();
    await page.keyboard.press('ArrowRight');
    assert.equal(await step(page), n);
    assert.notEqual(await page.getByTestId('tour-step-title').innerText(), title, `step ${n} has its own title`);
    const ids = await lit(page);
    assert.ok(ids.length > 0, `step ${n} lights something on the board`);
    seen.push(ids);
    places.push(await tokenAt());
    locks.push(await token.getAttribute('data-encrypted'));
    if (n === 4) await shot(page, 'tour-04');
    if (n === 5) await shot(page, 'tour-05-plaintext');
  }
  // The request moves with the steps: user → FW1 → LB → a server …
  assert.notEqual(places[2], places[0], 'the request token moved to firewall 1 at step 3');
  assert.notEqual(places[3], places[2], 'and on to the load balancer at step 4');
  // … and the default layout ends SSL at the load balancer: plaintext behind it.
  assert.deepEqual(locks.slice(0, 5), ['true', 'true', 'true', 'true', 'false'], `locks per step: ${locks}`);
  assert.equal(locks[9], 'true', 'the response travels back over HTTPS');
  // The seeds' flow on the default layout: FW1 alone at step 3, the load
  // balancer alone at step 4, the monitoring service at step 9.
  assert.deepEqual(seen[1], ['fw-1']);
  assert.deepEqual(seen[2], ['lb']);
  assert.ok(seen[7].includes('monitoring'));
  assert.equal(await page.getByTestId('tour-missing').count(), 0, 'nothing is missing on the default layout');
  await shot(page, 'tour-10');

  await page.keyboard.press('ArrowRight');
  assert.equal(await step(page), 10, 'the tour stops at its last step');

  // The arrows moved the tour, not the simulation: it is still playing.
  const t0 = await simTime(page);
  await page.waitForTimeout(1500);
  assert.ok((await simTime(page)) > t0, 'simulated time keeps moving during the tour');

  for (let n = 9; n >= 1; n--) {
    await page.keyboard.press('ArrowLeft');
    assert.equal(await step(page), n);
  }
  assert.deepEqual(await lit(page), ['user']);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('tour').getAttribute('data-active'), 'false');
  assert.deepEqual(await lit(page), [], 'leaving the tour gives the board back');
});

test('a layout without firewall 1 says so at step 3, in French too', async (t) => {
  const page = await open(t, { lang: 'fr', speed: 1 });
  await page.getByTestId('tab-explore').click();
  await page.getByTestId('preset').selectOption('three-identical');
  await page.getByTestId('tab-learn').click();
  await page.getByTestId('tour-start').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await step(page), 3);
  const missing = await page.getByTestId('tour-missing').innerText();
  assert.match(missing, /Absent de ce schéma/);
  assert.match(missing, /pare-feu/);
  assert.deepEqual(await lit(page), ['lb'], 'the unguarded load balancer stands in for firewall 1');
  await shot(page, 'tour-fr-missing');
});

/** The board's figures a "show me" is compared against (read in the page). */
const baseline = () => ({
  qps: Number(document.querySelector('[data-testid=qps]').textContent.replace(/[^\d]/g, '')),
  alerts: document.querySelectorAll('[data-testid=alerts] li').length,
});

/** What each "show me" must visibly change on the default layout (`b`: the baseline). */
const SHOW_ME = {
  'fw-edge': ['firewall 1 flashes with drops', () => document.querySelector('[data-node="fw-1"].flash')],
  'fw-app': [
    'both servers leave the pool',
    () => document.querySelectorAll('.node.out-of-pool').length === 2,
  ],
  'fw-data': ['the firewall before the primary flashes', () => document.querySelector('[data-node="fw-2"].flash')],
  certificate: [
    'the load balancer and the user are lit, hops behind HAProxy are clear text',
    () =>
      document.querySelector('[data-node="lb"].highlighted') &&
      document.querySelector('[data-node="user"].highlighted') &&
      Number(document.querySelector('[data-testid=plaintext-hops]')?.dataset.count) > 0,
  ],
  'agent-lb': ['the LB agent is off', () => document.querySelector('[data-node="lb"] ~ .agent-badge.off')],
  'agent-web': ['server 1 is down', () => document.querySelector('[data-node="server-1"].is-down')],
  'agent-db': ['MySQL on server 1 is down', () => document.querySelector('[data-node="server-1"] + .node-parts .chip-down')],
  'q-firewalls': ['firewall 1 flashes with drops', () => document.querySelector('[data-node="fw-1"].flash')],
  'q-https': [
    'no hop is clear text any more',
    () => document.querySelector('[data-testid=plaintext-hops]')?.dataset.count === '0',
  ],
  'q-monitoring': [
    'QPS more than triples and a new alert appears',
    (b) =>
      Number(document.querySelector('[data-testid=qps]').textContent.replace(/[^\d]/g, '')) > 3 * b.qps &&
      document.querySelectorAll('[data-testid=alerts] li').length > b.alerts,
  ],
  'q-collect': ['server 1’s agent is off', () => document.querySelector('[data-node="server-1"] ~ .agent-badge.off')],
  'q-qps': [
    'QPS falls below half and a new alert appears',
    (b) =>
      Number(document.querySelector('[data-testid=qps]').textContent.replace(/[^\d]/g, '')) < b.qps / 2 &&
      document.querySelectorAll('[data-testid=alerts] li').length > b.alerts,
  ],
};

for (const [slug, [promise, check]] of Object.entries(SHOW_ME)) {
  test(`show me (${slug}) changes the board: ${promise}`, async (t) => {
    const page = await open(t);
    // A baseline for the monitoring to compare with.
    await waitFor(page, 'warm-up', () => Number(document.querySelector('[data-testid=sim-time]')?.textContent.replace(/[^\d.]/g, '')) > 20);
    assert.deepEqual(await lit(page), []);
    const before = await page.evaluate(baseline);
    assert.ok(before.qps > 0, 'traffic flows before the demonstration');
    const topic = page.getByTestId(`topic-${slug}`);
    await topic.locator('summary').click();
    await topic.getByTestId(`show-me-${slug}`).click();
    assert.ok((await lit(page)).length > 0, 'the parts it is about are lit');
    await waitFor(page, `${slug}: ${promise}`, check, before);
    await topic.scrollIntoViewIfNeeded();
    await shot(page, `show-me-${slug}`);
    // And the board can be put back.
    await topic.getByTestId(`put-back-${slug}`).click();
    assert.deepEqual(await lit(page), []);
  });
}
