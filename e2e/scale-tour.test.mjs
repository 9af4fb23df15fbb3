// The guided tour and presenter mode's build-up on the scale-up presets
// (issue 18): on a load-balancer pair and on split tiers with pools, every
// step of the tour happens (nothing "missing from this layout") and lights
// the tier it talks about (the load balancers send to the web boxes; the app
// boxes ask MySQL), and the build-up draws the pair and every tier joined at
// the stage that brings them, with no error on the page.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

const PRESETS = ['lb-pair-active-passive', 'lb-pair-active-active', 'split-tiers-pools', 'big-day'];

async function open(t, preset) {
  const { page, context, problems } = await harness.openApp({
    path: `?lang=en&preset=${preset}`,
    viewport: { width: 1280, height: 720 },
  });
  t.after(async () => {
    await context.close();
    assertNoProblems(problems);
  });
  return page;
}

/** The design as the board draws it: each node's id, kind and parts (chips). */
const design = (page) =>
  page.locator('svg.diagram g[data-node]').evaluateAll((els) =>
    els.map((g) => ({
      id: g.dataset.node,
      kind: [...g.classList].find((c) => c.startsWith('node-'))?.slice(5),
      parts: [...g.parentElement.querySelectorAll('.node-parts .chip')].map((c) => c.getAttribute('class')),
    })),
  );

const lit = (page) => page.locator('svg .node.highlighted').evaluateAll((els) => els.map((e) => e.dataset.node));

for (const preset of PRESETS) {
  test(`${preset}: the tour's ten steps happen and light their own tier`, async (t) => {
    const page = await open(t, preset);
    const nodes = await design(page);
    const ids = (pred) => nodes.filter(pred).map((n) => n.id);
    const runs = (part) => (n) => n.parts.some((c) => c.includes(`chip-${part}`));
    const balancers = ids((n) => n.kind === 'loadbalancer');
    const web = ids(runs('nginx'));
    const app = ids(runs('app'));
    assert.equal(balancers.length, 2, 'a pair');

    await page.getByTestId('tab-learn').click();
    await page.getByTestId('tour-start').click();
    const seen = [];
    const places = [];
    for (let n = 1; n <= 10; n++) {
      if (n > 1) await page.keyboard.press('ArrowRight');
      assert.equal(Number(await page.getByTestId('tour').getAttribute('data-step')), n);
      assert.equal(await page.getByTestId('tour-missing').count(), 0, `step ${n} happens on ${preset}`);
      seen.push(await lit(page));
      places.push(await page.getByTestId('tour-token').evaluate((g) => g.style.transform));
      assert.ok(seen[n - 1].length > 0, `step ${n} lights something`);
    }
    // HAProxy: both of the pair; the load balancer picks among its backends,
    // the boxes running Nginx (never the app boxes behind them).
    assert.deepEqual(seen[3], balancers, 'step 4: the load balancers');
    assert.deepEqual(seen[4].filter((id) => !balancers.includes(id)), web, 'step 5: the web boxes');
    // The application asks MySQL: the boxes running the app.
    for (const id of app) assert.ok(seen[6].includes(id), `step 7 lights ${id}`);
    for (const id of web.filter((w) => !app.includes(w))) assert.ok(!seen[6].includes(id), `step 7 leaves ${id}, which runs no app`);
    assert.ok(seen[8].includes('monitoring'), 'step 9: the monitoring service');
    assert.equal(new Set(places).size >= 4, true, `the request moves along the way: ${places}`);
    await screenshot(page, `scale-tour-${preset}-step-10`);
  });

  test(`${preset}: presenter mode builds the pair and every tier up, joined`, async (t) => {
    const page = await open(t, preset);
    const nodes = await design(page);
    await page.keyboard.press('p');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.present), 'on');
    const drawn = () => page.locator('svg.diagram .node-group:not(.unbuilt) g[data-node]').evaluateAll((els) => els.map((e) => e.dataset.node));
    // Where the straight lines of the build-up end, as node ids (a line
    // joins two nodes' centres, in board units).
    const joined = () =>
      page.evaluate(() => {
        const centre = (g) => {
          const r = g.querySelector('rect.box:not(.stack), rect.wall');
          return [Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2, Number(r.getAttribute('y')) + Number(r.getAttribute('height')) / 2];
        };
        const nodes = [...document.querySelectorAll('svg.diagram g[data-node]')].map((g) => [g.dataset.node, centre(g)]);
        const at = (x, y) => nodes.find(([, [cx, cy]]) => Math.hypot(cx - x, cy - y) < 1)?.[0];
        return [...document.querySelectorAll('svg.diagram line.build-link')].map((l) =>
          ['1', '2'].map((i) => at(Number(l.getAttribute(`x${i}`)), Number(l.getAttribute(`y${i}`)))),
        );
      });
    const ofKind = (k) => nodes.filter((n) => n.kind === k).map((n) => n.id);
    for (let stage = 1; stage <= 5; stage++) {
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press('b');
      assert.equal(await page.getByTestId('build-caption').getAttribute('data-stage'), String(stage));
      const shown = await drawn();
      if (stage === 1) {
        assert.equal(shown.filter((id) => ofKind('server').includes(id)).length, 1, 'stage 1: one server');
        assert.ok(!shown.some((id) => ofKind('loadbalancer').includes(id)));
      }
      if (stage === 2) {
        for (const id of [...ofKind('loadbalancer'), ...ofKind('server')]) assert.ok(shown.includes(id), `stage 2 draws ${id}`);
        // Every load balancer and every server is on a line: nothing floats.
        const ends = new Set((await joined()).flat());
        assert.ok(!ends.has(undefined), 'each line joins two drawn nodes');
        for (const id of [...ofKind('loadbalancer'), ...ofKind('server')]) assert.ok(ends.has(id), `stage 2 joins ${id}`);
        await screenshot(page, `scale-build-${preset}-stage-2`);
      }
      if (stage === 3) {
        for (const id of ofKind('firewall')) assert.ok(shown.includes(id), `stage 3 draws ${id}`);
        assert.deepEqual(await joined(), [], 'the real links once the firewalls stand');
      }
      if (stage === 5) assert.deepEqual(shown.sort(), nodes.map((n) => n.id).sort(), 'stage 5: everything');
    }
    await page.keyboard.press('b');
    assert.equal(await page.getByTestId('build-caption').count(), 0, 'past the last stage: the whole board');
  });
}
