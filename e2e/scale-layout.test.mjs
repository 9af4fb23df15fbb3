// The scale-up presets drawn readably (issue 18): at 1280×720, in English and
// French, on the light board and in presenter mode's projector theme, no
// node's box, name or badge covers another node's, no badge covers its own
// node's name, no node hides a zone's name, and everything lies inside the
// board. Each layout's screenshot is kept in target/e2e/ to be looked at.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, screenshot, startHarness } from './lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness?.close());

const PRESETS = ['lb-pair-active-passive', 'lb-pair-active-active', 'split-tiers-pools', 'big-day'];
const VIEWS = [
  { lang: 'en', mode: 'explore' },
  { lang: 'fr', mode: 'explore' },
  { lang: 'en', mode: 'present' },
  { lang: 'fr', mode: 'present' },
];

/**
 * What the board draws, as rectangles in page pixels: for each node its
 * box (a pool's stacked edges and a firewall's wall included), its name and
 * its badges (certificate, VIP, agent); and the zones' names.
 */
function drawnParts() {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  // A name's ink, line by line: from its first letter's start to its last
  // one's end (a line's trailing blank is no ink), from a capital's top to a
  // descender's bottom around the baseline (the line box adds leading).
  const ink = (text) => {
    const m = text.getScreenCTM();
    let left = Infinity;
    let right = -Infinity;
    let top = Infinity;
    let bottom = -Infinity;
    let at = 0;
    for (const line of text.querySelectorAll('tspan')) {
      const s = line.textContent;
      const first = s.search(/\S/);
      const last = s.trimEnd().length - 1;
      if (first >= 0) {
        const start = text.getStartPositionOfChar(at + first);
        const a = new DOMPoint(start.x, start.y).matrixTransform(m);
        const b = new DOMPoint(text.getEndPositionOfChar(at + last).x, start.y).matrixTransform(m);
        const em = parseFloat(getComputedStyle(line).fontSize) * m.a;
        left = Math.min(left, a.x);
        right = Math.max(right, b.x);
        top = Math.min(top, a.y - 0.75 * em);
        bottom = Math.max(bottom, a.y + 0.22 * em);
      }
      at += [...s].length;
    }
    return { left, top, right, bottom };
  };
  const nodes = [...document.querySelectorAll('svg.diagram .node-group')].map((group) => {
    const node = group.querySelector('g[data-node]');
    return {
      id: node.dataset.node,
      shapes: [...node.querySelectorAll('rect.box, rect.stack, rect.wall')].map(box),
      label: ink(node.querySelector('text.node-label')),
      labelText: node.querySelector('text.node-label').textContent,
      badges: [...group.querySelectorAll('.cert-badge rect, .vip-badge rect, .agent-badge circle')].map((el) => ({
        what: el.closest('[class$=badge]').getAttribute('class'),
        ...box(el),
      })),
    };
  });
  const zones = [...document.querySelectorAll('svg.diagram .zone-label')].map((el) => ({ text: el.textContent, ...box(el) }));
  return { board: box(document.querySelector('svg.diagram')), nodes, zones };
}

/** Overlap of two rectangles beyond a pixel of anti-aliasing; the agent's badge is a disc. */
function overlaps(a, b) {
  if (b.what?.startsWith('agent')) [a, b] = [b, a];
  if (a.what?.startsWith('agent')) {
    const r = (a.right - a.left) / 2;
    const [cx, cy] = [a.left + r, a.top + r];
    const dx = Math.max(b.left - cx, 0, cx - b.right);
    const dy = Math.max(b.top - cy, 0, cy - b.bottom);
    return Math.hypot(dx, dy) < r - 1;
  }
  return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
}

const inside = (r, outer) => r.left >= outer.left - 1 && r.top >= outer.top - 1 && r.right <= outer.right + 1 && r.bottom <= outer.bottom + 1;

/** Every clash on the board, each as a sentence naming what covers what. */
function clashes({ board, nodes, zones }) {
  const found = [];
  const parts = (n) => [
    ...n.shapes.map((r) => ({ what: `${n.id} box`, r })),
    { what: `${n.id} name "${n.labelText.trim()}"`, r: n.label },
    ...n.badges.map((b) => ({ what: `${n.id} ${b.what}`, r: b })),
  ];
  for (const n of nodes) {
    for (const p of parts(n)) if (!inside(p.r, board)) found.push(`${p.what} leaves the board`);
    for (const b of n.badges) if (overlaps(b, n.label)) found.push(`${n.id} ${b.what} covers its name`);
    n.badges.forEach((a, i) =>
      n.badges.slice(i + 1).forEach((b) => overlaps(a, b) && found.push(`${n.id} ${a.what} overlaps its ${b.what}`)),
    );
  }
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      for (const p of parts(nodes[i])) {
        for (const q of parts(nodes[j])) if (overlaps(p.r, q.r)) found.push(`${p.what} overlaps ${q.what}`);
      }
    }
  }
  for (const z of zones) {
    for (const n of nodes) for (const p of parts(n)) if (overlaps(p.r, z)) found.push(`${p.what} covers the zone name ${z.text}`);
  }
  return found;
}

for (const preset of PRESETS) {
  test(`${preset}: drawn without overlap at 1280×720, English and French, light and projector`, async (t) => {
    const found = [];
    for (const { lang, mode } of VIEWS) {
      const { page, context, problems } = await harness.openApp({
        path: `?lang=${lang}&preset=${preset}&mode=${mode}`,
        viewport: { width: 1280, height: 720 },
      });
      t.after(async () => {
        await context.close();
        assertNoProblems(problems);
      });
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      if (mode === 'present') {
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'projector');
      }
      // Names are drawn in the page's fonts: measure once they are in.
      await page.evaluate(() => document.fonts.ready);
      const drawn = await page.evaluate(drawnParts);
      assert.ok(drawn.nodes.length >= 10, `${preset}: the whole design is drawn (${drawn.nodes.length} nodes)`);
      const where = `${preset}, ${lang}, ${mode === 'present' ? 'projector' : 'light'}`;
      await screenshot(page, `scale-layout-${preset}-${lang}-${mode === 'present' ? 'projector' : 'light'}`);
      found.push(...clashes(drawn).map((c) => `${where}: ${c}`));
    }
    assert.deepEqual(found, [], 'nothing covers anything');
  });
}
