//! Offline use: registers the service worker (`assets/sw.js`, filled in at
//! build time by `scripts/trunk-post-build.mjs`) so that after the first
//! visit the page, its wasm, JS, CSS and icon come from the browser's cache
//! when the network is gone (a projector in a room without Wi-Fi).
//!
//! The path is relative (`./sw.js`), so the worker's scope is the folder the
//! page is served from: the app works the same under a sub-path.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_sys::js_sys::Reflect;

/// The worker script, next to `index.html` in the bundle.
const WORKER_URL: &str = "./sw.js";

/// Registers the service worker when the browser can run one. Without one
/// (plain HTTP on another machine, `file://`, an old browser) the app works
/// exactly as before, only not offline; nothing is reported, since there is
/// nothing the reader could do about it.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Service workers exist only in secure contexts (HTTPS or localhost);
    // elsewhere `navigator.serviceWorker` is undefined, not an object.
    if !window.is_secure_context() {
        return;
    }
    let navigator = window.navigator();
    let has_container =
        Reflect::get(&navigator, &"serviceWorker".into()).map(|v| v.is_object()).unwrap_or(false);
    if !has_container {
        return;
    }
    let registered = navigator.service_worker().register(WORKER_URL);
    // A refused registration (a host that serves sw.js with the wrong type,
    // a private window that forbids storage) must not become an unhandled
    // rejection in the console: swallow it. A Rust closure, not
    // `Function::new`, which is `eval` and the page's CSP forbids it.
    //
    // No explicit `registration.update()` here: the browser checks sw.js
    // for changes on navigations by itself, and the page is fetched network
    // first, so a new deploy is what the next visit shows either way. (In
    // headless Chromium an `update()` made while the page loads stayed
    // pending and held up the next page's `register()`.)
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
    let _ = registered.catch(&ignore);
    // Called once per page load: the closure lives as long as the page.
    ignore.forget();
}
