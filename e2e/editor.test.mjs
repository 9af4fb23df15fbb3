// Drawing on the whiteboard (issue 19): edit mode from the board's Edit
// button or E; a piece dragged with the mouse or moved with the arrows and
// placed with Enter lands where it was put (snapped), and the run carries
// on; a piece from the palette restarts the run from the new design; an
// invalid edit (deleting the only load balancer) says why and flags the
// piece while the last valid design keeps running; undo and redo by keys
// and buttons. Screenshots of edit mode in light, projector and French.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, assertNoProblems, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

async function open(t, path = '?lang=en', bypassCSP = false) {
  const { page, context, problems } = await harness.openApp({ path, viewport: { width: 1280, height: 720 }, bypassCSP });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  return page;
}

/**
 * Runs in the page: the centre of a node's box as drawn (board units), its
 * rect shifted by its group's translate (a moved piece is moved where it is
 * drawn, not drawn again).
 */
function drawnCentre(id) {
  const rects = document.querySelectorAll(`g[data-node="${id}"] rect.box, g[data-node="${id}"] rect.wall`);
  const r = rects[rects.length - 1];
  const shift = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(r.closest('.node-group')?.getAttribute('transform') ?? '');
  return {
    x: Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2 + Number(shift?.[1] ?? 0),
    y: Number(r.getAttribute('y')) + Number(r.getAttribute('height')) / 2 + Number(shift?.[2] ?? 0),
  };
}

const centre = (page, id) => page.evaluate(drawnCentre, id);

/** Waits until `test` (a JS expression over `c`, the node's drawn centre) holds. */
const waitCentre = (page, id, test) => page.waitForFunction(`((c) => ${test})((${drawnCentre})(${JSON.stringify(id)}))`);

const simTime = (page) => page.getByTestId('sim-time').getAttribute('data-value').then(Number);
const notice = (page) => page.getByTestId('edit-notice');

/** Leaves a text field, so Ctrl+Z is the design's undo, not the field's. */
const blur = (page) => page.evaluate(() => document.activeElement?.blur());

async function enterEditMode(page) {
  await page.getByTestId('edit-toggle').click();
  await page.getByTestId('edit-tools').waitFor();
  assert.equal(await page.getByTestId('edit-toggle').getAttribute('aria-pressed'), 'true');
}

test('a drag with the mouse moves a piece, snapped, and the run carries on', async (t) => {
  const page = await open(t);
  await enterEditMode(page);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 1);
  const before = await centre(page, 'server-2');
  const box = await page.locator('g[data-node="server-2"]').boundingBox();
  const board = await page.locator('svg.diagram').boundingBox();
  const perUnit = board.width / 1000;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + box.width / 2 - 12 * i * perUnit, box.y + box.height / 2 + 8 * i * perUnit);
  await page.mouse.up();
  await waitCentre(page, 'server-2', `Math.abs(c.x - ${before.x}) > 1`);
  const after = await centre(page, 'server-2');
  assert.ok(Math.abs(after.x - (before.x - 60)) <= 10 && Math.abs(after.y - (before.y + 40)) <= 10, `moved by (-60, 40): ${JSON.stringify({ before, after })}`);
  assert.equal(after.x % 10, 0, 'snapped to the grid');
  assert.match(await notice(page).textContent(), /run carries on/);
  assert.ok((await simTime(page)) > 1, 'a move does not start the run again');
  // Still the same piece, with its name.
  await page.locator('svg.diagram').getByRole('button', { name: 'Server 2' }).waitFor();
});

test('a drag with a finger (touch) moves a piece too', async (t) => {
  const { page, context, problems } = await harness.openApp({ path: '?lang=en', viewport: { width: 1280, height: 720 }, hasTouch: true });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  await page.getByTestId('edit-toggle').tap();
  await page.getByTestId('edit-tools').waitFor();
  const before = await centre(page, 'server-1');
  const box = await page.locator('g[data-node="server-1"]').boundingBox();
  const perUnit = (await page.locator('svg.diagram').boundingBox()).width / 1000;
  const cdp = await context.newCDPSession(page);
  const at = (dx, dy) => [{ x: box.x + box.width / 2 + dx * perUnit, y: box.y + box.height / 2 + dy * perUnit }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0, 0) });
  for (let i = 1; i <= 5; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(-8 * i, 6 * i) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await waitCentre(page, 'server-1', `Math.abs(c.x - ${before.x}) > 1`);
  const after = await centre(page, 'server-1');
  assert.ok(Math.abs(after.x - (before.x - 40)) <= 10 && Math.abs(after.y - (before.y + 30)) <= 10, JSON.stringify({ before, after }));
});

test('with the keyboard: select, arrows, Enter places; undo and redo by keys and buttons', async (t) => {
  const page = await open(t);
  await page.keyboard.press('e');
  await page.getByTestId('edit-tools').waitFor();
  const lb = page.locator('svg.diagram').getByRole('button', { name: 'Load balancer (HAProxy)' });
  await lb.focus();
  await page.keyboard.press('Enter');
  assert.equal(await lb.getAttribute('aria-pressed'), 'true', 'Enter selects the focused piece');
  const before = await centre(page, 'lb');
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight']) await page.keyboard.press(key);
  // On the move: drawn there, not placed yet.
  assert.match((await page.locator('g[data-node="lb"]').locator('xpath=..').getAttribute('transform')) ?? '', /translate\(10 30\)/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /carries on/.test(document.querySelector('[data-testid=edit-notice]')?.textContent));
  const moved = await centre(page, 'lb');
  assert.deepEqual(moved, { x: before.x + 10, y: before.y + 30 });

  await page.keyboard.press('Control+z');
  await waitCentre(page, 'lb', `c.y === ${before.y}`);
  assert.deepEqual(await centre(page, 'lb'), before, 'Ctrl+Z puts it back');
  await page.keyboard.press('Control+Shift+Z');
  await waitCentre(page, 'lb', `c.y !== ${before.y}`);
  assert.deepEqual(await centre(page, 'lb'), moved, 'Ctrl+Shift+Z moves it again');

  // A piece from the palette: a new design, so the run starts again.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 1);
  await page.locator('[data-piece="web-server"]').click();
  await page.locator('svg.diagram').getByRole('button', { name: 'Server 3' }).waitFor();
  assert.match(await notice(page).textContent(), /started again/);
  assert.ok((await simTime(page)) < 1, 'the run started again from the new design');
  await page.getByTestId('edit-undo').click();
  await page.locator('g[data-node="server-3"]').waitFor({ state: 'detached' });
  await page.getByTestId('edit-redo').click();
  await page.locator('g[data-node="server-3"]').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('edit-toggle').getAttribute('aria-pressed'), 'false', 'Esc leaves edit mode');
});

test('duplicate, cores, rename, delete, what a box runs, what a firewall guards and a pool size, each undone and redone', async (t) => {
  const page = await open(t, '?lang=en');
  await enterEditMode(page);
  const node = (id) => page.locator(`svg.diagram g[data-node="${id}"]`);
  const undo = async () => page.keyboard.press('Control+z');
  const redo = async () => page.keyboard.press('Control+Shift+Z');
  // Duplicate: a third server behind the copied one's firewall.
  await node('server-2').click();
  await page.getByTestId('edit-duplicate').click();
  await node('server-3').waitFor();
  await undo();
  await node('server-3').waitFor({ state: 'detached' });
  await redo();
  await node('server-3').waitFor();
  // Cores, typed in the inspector.
  await node('server-3').click();
  const cores = page.getByTestId('edit-cores');
  await cores.fill('2');
  await cores.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=edit-cores]')?.value === '2');
  await blur(page);
  await undo();
  await page.waitForFunction(() => document.querySelector('[data-testid=edit-cores]')?.value === '8');
  await redo();
  await page.waitForFunction(() => document.querySelector('[data-testid=edit-cores]')?.value === '2');
  // Rename: the id, and so the number the board names it by.
  const id = page.getByTestId('edit-id');
  await id.fill('server-7');
  await id.press('Enter');
  await page.locator('svg.diagram').getByRole('button', { name: 'Server 7' }).waitFor();
  await blur(page);
  await undo();
  await page.locator('svg.diagram').getByRole('button', { name: 'Server 3' }).waitFor();
  await redo();
  await page.locator('svg.diagram').getByRole('button', { name: 'Server 7' }).waitFor();
  // Delete.
  await node('server-7').click();
  await page.getByTestId('edit-delete').click();
  await node('server-7').waitFor({ state: 'detached' });
  await page.getByTestId('edit-undo').click();
  await node('server-7').waitFor();
  await page.getByTestId('edit-redo').click();
  await node('server-7').waitFor({ state: 'detached' });
  // What a box runs, and what a firewall stands in front of.
  const field = (selector) => page.getByTestId('edit-fields').locator(selector);
  const replica = page.locator('svg.diagram text', { hasText: 'MySQL replica' });
  await node('server-2').click();
  await field('input[data-component="mysql-replica"]').click();
  await replica.waitFor({ state: 'detached' });
  await blur(page);
  await undo();
  await replica.waitFor();
  await redo();
  await replica.waitFor({ state: 'detached' });
  await undo();
  await replica.waitFor();
  await node('fw-3').click();
  await field('input[data-guards="server-1"]').click();
  await field('input[data-guards="server-1"]:checked').waitFor();
  await blur(page);
  await undo();
  await page.waitForFunction(() => !document.querySelector('[data-testid=edit-fields] input[data-guards="server-1"]')?.checked);
  await redo();
  await field('input[data-guards="server-1"]:checked').waitFor();

  // A pool's size, on a box of the split tiers.
  const tiers = await open(t, '?lang=en&preset=tiered-flow');
  await enterEditMode(tiers);
  const web = 'app-1'; // Nginx and the app, no MySQL: it can be a pool.
  await tiers.locator(`svg.diagram g[data-node="${web}"]`).click();
  const pool = tiers.getByTestId('edit-pool');
  await pool.fill('4');
  await pool.press('Enter');
  await tiers.locator(`svg.diagram g[data-node="${web}"] rect.stack`).first().waitFor();
  await blur(tiers);
  await tiers.keyboard.press('Control+z');
  await tiers.locator(`svg.diagram g[data-node="${web}"] rect.stack`).first().waitFor({ state: 'detached' });
  await tiers.keyboard.press('Control+Shift+Z');
  await tiers.locator(`svg.diagram g[data-node="${web}"] rect.stack`).first().waitFor();
});

test('deleting the only load balancer says why and flags it while the board keeps running', async (t) => {
  const page = await open(t);
  await enterEditMode(page);
  await page.locator('svg.diagram').getByRole('button', { name: 'Load balancer (HAProxy)' }).click();
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => /Not changed/.test(document.querySelector('[data-testid=edit-notice]')?.textContent ?? ''));
  assert.match(await notice(page).textContent(), /Missing: a load balancer\./);
  assert.match(await page.locator('g[data-node="lb"]').getAttribute('class'), /flagged/);
  assert.equal(await page.locator('g[data-node="lb"]').count(), 1, 'still on the board');
  const t0 = await simTime(page);
  await page.waitForFunction((t) => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > t + 1, t0);
  await page.getByTestId('edit-delete').click();
  assert.equal(await page.locator('g[data-node="lb"]').count(), 1, 'the button refuses it too');
});

test('edit mode seen in light, projector and French', async (t) => {
  for (const [path, name] of [
    ['?lang=en', 'editor-light-1280x720'],
    // Presenter mode starts in the projector theme.
    ['?lang=en&mode=present', 'editor-projector-1280x720'],
    ['?lang=fr', 'editor-fr-1280x720'],
  ]) {
    const page = await open(t, path);
    await page.getByTestId('edit-toggle').click();
    await page.getByTestId('edit-tools').waitFor();
    await page.locator('svg.diagram g[data-node="server-1"]').click();
    await page.locator('[data-piece="db-replica"]').click();
    await page.waitForTimeout(300);
    await screenshot(page, name);
  }
});

test('edit mode, its toolbar and the inspector\'s fields pass an axe-core audit (EN and FR)', async (t) => {
  for (const lang of ['en', 'fr']) {
    // The audit's script is injected, so this page alone runs without the CSP.
    const page = await open(t, `?lang=${lang}`, true);
    await enterEditMode(page);
    await page.locator('svg.diagram g[data-node="lb"]').click();
    await page.getByTestId('edit-fields').waitFor();
    await page.addScriptTag({ path: join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
    await page.waitForTimeout(300);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(found, [], `axe violations in edit mode (${lang})`);
  }
});

test('an edited design is in the page address: opening that link shows it, and a tampered one says why', async (t) => {
  const page = await open(t, '?lang=en');
  await enterEditMode(page);
  await page.locator('svg.diagram g[data-node="server-2"]').click();
  await page.locator('[data-piece="web-server"]').click();
  await page.locator('svg.diagram g[data-node="server-3"]').waitFor();
  await page.getByTestId('edit-id').fill('shop-3');
  await page.getByTestId('edit-id').press('Enter');
  await page.locator('svg.diagram g[data-node="shop-3"]').waitFor();
  // The address follows the board (at most every 400 ms): the design goes in whole.
  await page.waitForFunction(() => new URLSearchParams(location.search).get('design')?.includes('"shop-3"'), null, { timeout: 10_000 });
  const link = page.url();
  assert.ok(!new URL(link).searchParams.has('preset'), 'a design is written instead of a preset');
  assert.ok(link.length < 4000, `a compact link: ${link.length} characters`);

  const opened = await open(t, new URL(link).search);
  await opened.locator('svg.diagram g[data-node="shop-3"]').waitFor();
  assert.equal(await opened.locator('svg.diagram g[data-node]').count(), await page.locator('svg.diagram g[data-node]').count(), 'the same pieces');
  // It runs: play and watch time move.
  await opened.keyboard.press('Space');
  await opened.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.value) > 1);

  // A design the model refuses: the preset is shown and a notice names the problem.
  const url = new URL(link);
  url.searchParams.set('design', url.searchParams.get('design').replace('"shop-3"', '"Bad Id!"'));
  const tampered = await open(t, url.search);
  await tampered.getByText(/design in this link does not pass the checks/).waitFor();
  await tampered.locator('svg.diagram g[data-node="server-2"]').waitFor();
  assert.equal(await tampered.locator('svg.diagram g[data-node="shop-3"]').count(), 0);
});
