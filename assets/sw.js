// Infraboard's service worker: after the first visit, the app opens and runs
// with the network off (a projector in a room without Wi-Fi).
//
// Trunk copies this file next to index.html; scripts/trunk-post-build.mjs then
// fills in the two placeholders below with the bundle's own file names (Trunk
// hashes them) and a version made from their contents. A new deploy therefore
// changes this file, the browser installs the new worker, and the old cache is
// deleted when it takes over: stale wasm cannot outlive a deploy.
//
// Strategy:
// - the page itself (navigations): network first, so a new deploy is seen at
//   once when online; the cached page when the network fails or hangs;
// - every other same-origin GET (hashed wasm/JS/CSS, icon): cache first, since
//   a hashed name never changes content; a miss goes to the network and is
//   kept for next time;
// - anything else (other origins, non-GET) is not touched: the CSP forbids
//   other origins anyway.

const VERSION = '__INFRABOARD_SW_VERSION__';
const PRECACHE = /* __INFRABOARD_SW_PRECACHE__ */ [];
const CACHE = `infraboard-${VERSION}`;
const CACHE_PREFIX = 'infraboard-';
/** How long a navigation waits for the network before using the cached page. */
const NAVIGATION_TIMEOUT_MS = 4000;

const scoped = (path) => new URL(path, self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: 'reload' skips the HTTP cache so a new version never stores an
      // old copy of a file.
      await cache.addAll(PRECACHE.map((path) => new Request(scoped(path), { cache: 'reload' })));
      // The new version takes over at once: the bundle has no lazily loaded
      // parts, so a page already running keeps everything it needs.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      // Control the page that registered us, so it works offline from the
      // first visit on, not from the second.
      await self.clients.claim();
    })(),
  );
});

async function fromNetworkOrTimeout(request) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('network timeout')), NAVIGATION_TIMEOUT_MS);
  });
  try {
    return await Promise.race([fetch(request), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function page(request) {
  try {
    const response = await fromNetworkOrTimeout(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      // One copy of the page, whatever its query string (?lang=fr, ...).
      await cache.put(scoped('./'), response.clone());
    }
    return response;
  } catch {
    const cached = await caches.match(scoped('./'), { cacheName: CACHE });
    if (cached) return cached;
    throw new Error('offline and the page was never cached');
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !request.url.startsWith(self.registration.scope)) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else {
    event.respondWith(asset(request));
  }
});
