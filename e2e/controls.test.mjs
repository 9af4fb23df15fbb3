// End-to-end tests of the controls panel, the charts and the alert feed,
// against the release build in dist/: one test per control, each checking
// what a user would see change. Screenshots go to target/e2e/controls-*.png.
//
// Run: node --test e2e/controls.test.mjs (after `trunk build --release --offline`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoProblems, screenshot, setSpeed, startHarness } from './lib/harness.mjs';

let harness;

before(async () => {
  harness = await startHarness();
});

after(() => harness?.close());

/** Opens the board in English at projector size, sped up; checks for console problems at the end. */
async function open(t, { speed = 10 } = {}) {
  const { page, context, problems } = await harness.openApp({ path: '?lang=en', viewport: { width: 1600, height: 1000 } });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.getByTestId('controls').waitFor();
  await setSpeed(page, speed);
  return page;
}


const simTime = async (page) => Number((await page.getByTestId('sim-time').innerText()).replace(/[^\d.]/g, ''));

/** Waits until simulated time has moved on by `seconds`. */
async function waitSim(page, seconds) {
  const start = await simTime(page);
  await page.waitForFunction(
    ([s, d]) => {
      const el = document.querySelector('[data-testid=sim-time]');
      return el && Number(el.textContent.replace(/[^\d.]/g, '')) >= s + d;
    },
    [start, seconds],
    { timeout: 60_000 },
  );
}

/** A running count of the feed (write errors, lost writes …). */
const count = async (page, id) => Number(await page.locator(`[data-testid=${id}]`).getAttribute('data-value'));

/** The newest value of one chart line, by its legend key (e.g. `lb:server-1`). */
// The charts follow the run only while their tab is open: read them the way
// a user does, then go back to the controls.
async function latest(page, chart, key) {
  await page.getByTestId('tab-charts').click();
  const v = await page.locator(`[data-testid=${chart}] li[data-key="${key}"]`).getAttribute('data-value');
  await page.getByTestId('tab-explore').click();
  return v === null ? NaN : Number(v);
}

async function waitFor(page, what, fn, arg, timeout = 60_000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  } catch (e) {
    await shot(page, `FAILED-${what}`);
    throw new Error(`${what}: ${e.message}`);
  }
}

const countAbove = (page, id, n) =>
  waitFor(page, `${id} > ${n}`, ([id, n]) => Number(document.querySelector(`[data-testid=${id}]`)?.dataset.value) > n, [id, n]);

const shot = (page, name) => screenshot(page, `controls-${name}`);

test('kill the primary: an alert names it and write errors rise; promote: writes succeed again', async (t) => {
  const page = await open(t);
  await waitSim(page, 3);
  assert.equal(await count(page, 'write-errors'), 0);
  await page.getByTestId('kill-primary').click();
  await countAbove(page, 'write-errors', 0);
  await waitFor(page, 'primary-down alert for server-1', () =>
    [...document.querySelectorAll('[data-testid=alerts] li')].some((li) => li.dataset.rule === 'primary_down' && li.dataset.node === 'server-1'));
  const alert = page.locator('[data-testid=alerts] li[data-rule=primary_down]').first();
  assert.match(await alert.innerText(), /Server 1/);
  await shot(page, 'primary-killed');
  await page.getByTestId('promote').click();
  await waitFor(page, 'server 2 is the primary', () => document.querySelector('[data-testid=primary-state]')?.dataset.node === 'server-2');
  // Writes in flight at the promotion may still fail; after that none may.
  await waitSim(page, 1);
  const settled = await count(page, 'write-errors');
  await waitSim(page, 5);
  assert.equal(await count(page, 'write-errors'), settled, 'no write fails after the promotion');
  await shot(page, 'replica-promoted');
});

test('TLS: terminate leaves plaintext hops behind the load balancer, re-encrypt and passthrough none', async (t) => {
  const page = await open(t);
  const hops = page.getByTestId('plaintext-hops');
  await page.getByTestId('tls-terminate').check();
  await waitFor(page, 'plaintext hops under terminate', () => Number(document.querySelector('[data-testid=plaintext-hops]').dataset.count) > 0);
  await shot(page, 'tls-terminate');
  await page.getByTestId('tls-reencrypt').check();
  await waitFor(page, 'no plaintext hop under re-encrypt', () => document.querySelector('[data-testid=plaintext-hops]').dataset.count === '0');
  assert.match(await hops.innerText(), /none/);
  await page.getByTestId('tls-passthrough').check();
  await waitSim(page, 2);
  assert.equal(await hops.getAttribute('data-count'), '0');
  await page.getByTestId('tls-terminate').check();
  await waitFor(page, 'plaintext hops again', () => Number(document.querySelector('[data-testid=plaintext-hops]').dataset.count) > 0);
});

/** Adds "allow 3306 from the Internet" at the top of a firewall's table. */
async function open3306(page, fw) {
  const table = page.getByTestId(`fw-${fw}`);
  await table.locator('.fw-add-action').selectOption('allow');
  await table.locator('.fw-add-port').fill('3306');
  await table.locator('.fw-add-source').selectOption('internet');
  await table.locator('.fw-add-button').click();
  return table;
}

const dropsAt = async (page, fw) => Number(await page.getByTestId(`fw-${fw}`).locator('.fw-dropped').getAttribute('data-value'));

test('firewalls: 3306 opened on firewall 1 moves the block to firewall 2; opened on both, attacks reach MySQL', async (t) => {
  const page = await open(t);
  await page.getByTestId('attack-port').fill('3306');
  await page.getByTestId('attack-port').press('Enter');
  await page.getByTestId('attack-toggle').check();
  await waitSim(page, 3);
  assert.equal(await count(page, 'attacks-reached'), 0, 'the default rules stop the attack');
  assert.ok((await dropsAt(page, 'fw-1')) > 0, 'firewall 1 drops it');

  const fw1 = page.getByTestId('fw-fw-1');
  const rulesBefore = await fw1.locator('li[data-rule]').count();
  await open3306(page, 'fw-1');
  assert.equal(await fw1.locator('li[data-rule]').count(), rulesBefore + 1);
  const fw2Before = await dropsAt(page, 'fw-2');
  await waitSim(page, 3);
  assert.ok((await dropsAt(page, 'fw-2')) > fw2Before, 'now firewall 2, in front of MySQL, drops it');
  assert.equal(await count(page, 'attacks-reached'), 0, 'defence in depth: still nothing reaches MySQL');

  await open3306(page, 'fw-2');
  await countAbove(page, 'attacks-reached', 0);
  await shot(page, 'fw-3306-open');

  // Undo: move the new rule of firewall 2 below the others, then remove it.
  const fw2 = page.getByTestId('fw-fw-2');
  await fw2.locator('li[data-rule="fw-2-0"] .rule-down').click();
  await fw2.locator('li[data-rule="fw-2-1"] .rule-remove').click();
  await waitSim(page, 1);
  const reached = await count(page, 'attacks-reached');
  await waitSim(page, 3);
  assert.equal(await count(page, 'attacks-reached'), reached, 'no attack gets through once the rule is gone');
  await page.getByTestId('attack-toggle').uncheck();
});

test('kill a server: the load balancer stops sending to it after the health check; restore: it comes back', async (t) => {
  const page = await open(t);
  await waitSim(page, 3);
  assert.ok((await latest(page, 'chart-qps', 'lb:server-2')) > 0, 'server 2 gets traffic at first');
  await page.getByTestId('kill-server-2').click();
  await page.getByTestId('tab-charts').click();
  await waitFor(page, 'LB sends nothing to server 2', () =>
    document.querySelector('[data-testid=chart-qps] li[data-key="lb:server-2"]')?.dataset.value === '0');
  await page.getByTestId('tab-explore').click();
  await waitSim(page, 2);
  assert.equal(await latest(page, 'chart-qps', 'lb:server-2'), 0, 'still nothing two seconds later');
  assert.ok((await latest(page, 'chart-qps', 'lb:server-1')) > 0, 'server 1 takes the traffic');
  await shot(page, 'server-2-killed');
  await page.getByTestId('kill-server-2').click();
  await page.getByTestId('tab-charts').click();
  await waitFor(page, 'server 2 back in the pool', () =>
    Number(document.querySelector('[data-testid=chart-qps] li[data-key="lb:server-2"]')?.dataset.value) > 0);
});

test('kill the load balancer: nothing is served; restore: traffic flows again', async (t) => {
  const page = await open(t);
  await waitSim(page, 2);
  await page.getByTestId('kill-lb').click();
  await waitFor(page, 'QPS falls to 0', () => document.querySelector('[data-testid=qps]')?.dataset.value === '0');
  await page.getByTestId('kill-lb').click();
  await waitFor(page, 'QPS back', () => Number(document.querySelector('[data-testid=qps]')?.dataset.value) > 0);
});

test('the rate slider moves the QPS', async (t) => {
  const page = await open(t);
  await waitSim(page, 2);
  const slider = page.getByTestId('rate-slider');
  await slider.focus();
  await page.keyboard.press('PageUp'); // one tenth of the log scale: ×3.2
  await page.keyboard.press('PageUp');
  // Two steps of a tenth of the log scale each: 50 × 10^0.2 × 10^0.2 ≈ 500.
  const shown = Number((await slider.getAttribute('aria-valuetext')).replace(/\D/g, ''));
  assert.ok(shown >= 400 && shown <= 600, `the slider now reads ${shown} req/s`);
  await waitFor(page, 'QPS above 300', () => Number(document.querySelector('[data-testid=qps]')?.dataset.value) > 300);
  await shot(page, 'rate-500');
});

test('a malformed typed rate shows a message and keeps the old value; an absurd one is clamped', async (t) => {
  const page = await open(t);
  const slider = page.getByTestId('rate-slider');
  const before = await slider.getAttribute('aria-valuetext');
  const typed = page.getByTestId('rate-typed');
  await typed.fill('12abc');
  await typed.press('Enter');
  const note = page.getByTestId('rate-note');
  await assert.doesNotReject(note.waitFor({ state: 'visible' }));
  assert.match(await note.innerText(), /12abc.*not a number/);
  assert.equal(await slider.getAttribute('aria-valuetext'), before);
  assert.equal(await typed.getAttribute('aria-invalid'), 'true');
  await shot(page, 'rate-refused');
  await typed.fill('-40');
  await typed.press('Enter');
  assert.match(await note.innerText(), /out of range/);
  assert.match(await slider.getAttribute('aria-valuetext'), /^1 req\/s/);
});

test('write share: with no writes, a dead primary costs no write error', async (t) => {
  const page = await open(t);
  const writes = page.getByTestId('writes-slider');
  await writes.focus();
  await page.keyboard.press('Home');
  await waitSim(page, 1);
  await page.getByTestId('kill-primary').click();
  await waitSim(page, 4);
  assert.equal(await count(page, 'write-errors'), 0);
  await page.keyboard.press('End'); // focus is on the kill button: End does nothing there
  await writes.focus();
  await page.keyboard.press('End');
  await countAbove(page, 'write-errors', 0);
});

test('automatic failover promotes the replica without a click', async (t) => {
  const page = await open(t);
  await page.getByTestId('failover-auto').check();
  await page.getByTestId('kill-primary').click();
  await countAbove(page, 'write-errors', 0);
  // Detection (missed heartbeats) plus promotion: the replica's box becomes the primary.
  await waitFor(page, 'automatic promotion', () => {
    const state = document.querySelector('[data-testid=primary-state]');
    return state?.dataset.up === 'true' && state.dataset.node === 'server-2';
  });
  assert.match(await page.getByTestId('primary-state').innerText(), /up, on Server 2/);
  await waitSim(page, 1);
  const settled = await count(page, 'write-errors');
  await waitSim(page, 4);
  assert.equal(await count(page, 'write-errors'), settled, 'writes succeed again after the automatic promotion');
  await page.getByTestId('failover-manual').check();
});

test('LB algorithm: switching keeps both servers busy and is accepted', async (t) => {
  const page = await open(t);
  for (const id of ['lb-leastconn', 'lb-random2', 'lb-roundrobin']) {
    await page.getByTestId(id).check();
    await waitSim(page, 2);
    assert.ok(await page.getByTestId(id).isChecked());
    assert.ok((await latest(page, 'chart-qps', 'lb:server-1')) > 0);
    assert.ok((await latest(page, 'chart-qps', 'lb:server-2')) > 0);
  }
});

test('agent off: the monitoring service reports no data from that host', async (t) => {
  const page = await open(t);
  await page.getByTestId('agent-server-2').uncheck();
  await waitFor(page, 'no-data alert for server 2', () =>
    [...document.querySelectorAll('[data-testid=alerts] li')].some((li) => li.dataset.rule === 'no_data' && li.dataset.node === 'server-2'), undefined, 90_000);
  await shot(page, 'agent-off');
  await page.getByTestId('agent-server-2').check();
});

test('preset picker lists every preset and loading one restarts the run', async (t) => {
  const page = await open(t);
  const options = await page.getByTestId('preset').locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.ok(options.length >= 2, 'several layouts to choose from');
  for (const [value, label] of options) assert.notEqual(label, value, `preset ${value} has a title in words`);
  await waitSim(page, 3);
  const value = await page.getByTestId('preset').inputValue();
  await page.getByTestId('preset').selectOption(value);
  await page.getByTestId('preset').dispatchEvent('change');
  assert.ok((await simTime(page)) < 3, 'time restarts from zero');
});

test('keyboard only: every control can be reached with Tab and used with the keyboard', async (t) => {
  const page = await open(t);
  const wanted = [
    'preset', 'rate-slider', 'rate-typed', 'writes-slider', 'attack-toggle', 'attack-port',
    'tls-terminate', 'lb-roundrobin', 'kill-primary', 'promote', 'failover-manual',
    'kill-lb', 'kill-server-1', 'agent-server-1', 'kill-server-2', 'agent-server-2',
  ];
  const reached = new Set();
  for (let i = 0; i < 250 && reached.size < wanted.length; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.dataset?.testid ?? '');
    if (wanted.includes(id)) reached.add(id);
  }
  assert.deepEqual(wanted.filter((w) => !reached.has(w)), [], 'controls not reachable by Tab');
  // Use a few of them without the mouse.
  await page.getByTestId('kill-server-1').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByTestId('kill-server-1').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('kill-server-1').getAttribute('aria-pressed'), 'false');
  await page.getByTestId('tls-terminate').focus();
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.getByTestId('tls-reencrypt').isChecked(), 'arrow keys move within the TLS choice');
  const fwAdd = page.getByTestId('fw-fw-1').locator('.fw-add-button');
  await fwAdd.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('fw-fw-1').locator('li[data-rule="fw-1-0"] .rule-remove').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await shot(page, 'keyboard');
});
