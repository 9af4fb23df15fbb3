// The first board before the wasm: called by the post-build hook on a
// release bundle (scripts/trunk-post-build.mjs, step 1). On a slow link the
// wasm takes seconds to arrive (BENCHMARKS.md, "First board on a slow
// link"); the page itself can show the board at once. This opens the built
// bundle in headless Chromium, lets the app mount the default design in
// English at time zero, and copies what it drew into index.html as a still,
// `inert` picture (no focus, no clicks, hidden from assistive technology).
// The app removes it as its first act (src/app/first_board.rs), in the same
// task that mounts the live page, so the swap never shows.
//
// A reader the still would mislead never sees it: the small script after it
// (its hash goes into the CSP with the others) removes it when the address
// asks for anything but the default board in English, or when the reader's
// stored or browser language is French, or a theme was chosen.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';

export const MARKER = '<!-- __INFRABOARD_FIRST_BOARD__ -->';

/** What decides, before any wasm, whether the still is the page the reader
 * will get. Mirrors the app's own defaults: no parameter but `lang=en`, no
 * stored language or theme, and a browser language that is not French. It
 * takes itself out of the page first: the body holds no script once parsed. */
const GUARD = `(function(){document.currentScript.remove();var b=document.getElementById('first-board');if(!b)return;var q=new URLSearchParams(location.search),s={};try{for(var i=0;i<localStorage.length;i++){var k=localStorage.key(i);if(/^infraboard\\.(lang|theme)/.test(k))s[k]=1}}catch(e){}var plain=true;q.forEach(function(v,k){if(k!=='lang'||v!=='en')plain=false});var french=!q.has('lang')&&/^fr/i.test(navigator.language||'');if(!plain||french||Object.keys(s).length)b.remove()})();`;

async function snapshot(dir) {
  const server = await startStaticServer({ root: dir, host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', serviceWorkers: 'block' });
    const page = await context.newPage();
    // Frozen at time zero: every frame gets the same timestamp, so the page
    // lays itself out and finishes mounting while the run never moves.
    await page.addInitScript(() => {
      window.requestAnimationFrame = (callback) => setTimeout(() => callback(1000), 16);
    });
    await page.goto(new URL('?lang=en', server.url).href, { waitUntil: 'load' });
    // Mounted to the end: the parts drawn after the first paint are there.
    await page.locator('.lang-switch').waitFor({ state: 'attached', timeout: 30_000 });
    await page.waitForTimeout(300);
    return await page.evaluate(() => {
      // What a form shows lives in properties the markup does not carry.
      for (const input of document.querySelectorAll('input')) {
        if (input.type === 'checkbox' || input.type === 'radio') input.toggleAttribute('checked', input.checked);
        else input.setAttribute('value', input.value);
      }
      for (const option of document.querySelectorAll('option')) option.toggleAttribute('selected', option.selected);
      const copy = document.body.cloneNode(true);
      // Nothing that runs, and no canvas (its pixels are not in the markup).
      for (const el of copy.querySelectorAll('script, canvas')) el.remove();
      // Styles the app set from code are inline styles to the page's CSP,
      // which refuses them in markup; the still is laid out by the sheets.
      for (const el of copy.querySelectorAll('[style]')) el.removeAttribute('style');
      // Nor the renderer's placeholders and this page's own marker.
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
      const comments = [];
      while (walker.nextNode()) comments.push(walker.currentNode);
      for (const c of comments) c.remove();
      return copy.innerHTML;
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The still and its guard, to put in place of MARKER in index.html. */
export async function firstBoardStill(dir) {
  const board = await snapshot(dir);
  if (!board.includes('class="diagram')) throw new Error('prerender: the app drew no board');
  return `<div id="first-board" inert aria-hidden="true">${board}</div><script>${GUARD}</script>`;
}
