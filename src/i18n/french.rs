//! The French texts, fetched the first time a reader needs them.
//!
//! The wasm carries English only: every reader waits for its bytes before
//! the first board, and French doubled them (about 8 KB gzip). `build.rs`
//! writes the French messages to a file beside index.html whose name is
//! its content's hash ([`catalog::FR_FILE`]); the service worker precaches
//! it like the rest of the bundle, so French works offline after one
//! visit. Native builds (tests, tools) read the same file at compile time,
//! through the same parser.

use super::catalog;
use std::sync::OnceLock;

static TABLE: OnceLock<Vec<&'static str>> = OnceLock::new();

/// The French messages by id, once they are here.
pub(crate) fn table() -> Option<&'static [&'static str]> {
    #[cfg(not(target_arch = "wasm32"))]
    TABLE.get_or_init(|| {
        parse(include_str!(concat!(env!("OUT_DIR"), "/fr.txt")).to_owned())
            .expect("build.rs writes a complete French file")
    });
    TABLE.get().map(Vec::as_slice)
}

/// Splits a locale file into its messages; `None` unless it holds exactly
/// the catalog's messages (a file from another build, or a cut-off one).
fn parse(text: String) -> Option<Vec<&'static str>> {
    // Kept for the page's life, like the English table in the wasm's data.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let messages: Vec<&'static str> = text.split(catalog::SEPARATOR).collect();
    (messages.len() == catalog::MESSAGES).then_some(messages)
}

/// Fetches the French file if it is not here yet, then calls `done` with
/// whether French can be shown.
#[cfg(target_arch = "wasm32")]
pub(crate) fn load(done: impl FnOnce(bool) + 'static) {
    use fetch::{fetch, Response};
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    if TABLE.get().is_some() {
        return done(true);
    }
    // Exactly one of the chain's branches runs `done`; both hold the slot.
    let slot =
        std::rc::Rc::new(std::cell::Cell::new(Some(Box::new(done) as Box<dyn FnOnce(bool)>)));
    let finish = move |ok: bool| {
        if let Some(done) = slot.take() {
            done(ok);
        }
    };
    let on_text = {
        let finish = finish.clone();
        Closure::once_into_js(move |text: JsValue| {
            let table = text.as_string().and_then(parse);
            finish(table.is_some_and(|table| TABLE.set(table).is_ok() || TABLE.get().is_some()));
        })
    };
    let on_response = {
        let finish = finish.clone();
        Closure::once_into_js(move |response: JsValue| {
            let response: Response = response.unchecked_into();
            if !response.ok() {
                return finish(false);
            }
            let on_error = Closure::once_into_js(move |_: JsValue| finish(false));
            response.text().then(&on_text, &on_error);
        })
    };
    let on_error = Closure::once_into_js(move |_: JsValue| finish(false));
    fetch(catalog::FR_FILE).then(&on_response, &on_error);
}

/// The two calls of the Fetch API this file needs, bound directly: web-sys's
/// bindings would bring js-sys's generic promise types for two callbacks.
#[cfg(target_arch = "wasm32")]
mod fetch {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        pub type Thenable;
        pub type Response;

        #[wasm_bindgen(js_name = fetch)]
        pub fn fetch(url: &str) -> Thenable;

        #[wasm_bindgen(method)]
        pub fn then(this: &Thenable, on_done: &JsValue, on_error: &JsValue) -> Thenable;

        #[wasm_bindgen(method, getter)]
        pub fn ok(this: &Response) -> bool;

        #[wasm_bindgen(method)]
        pub fn text(this: &Response) -> Thenable;
    }
}

/// Native builds have the French table from the start.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn load(done: impl FnOnce(bool) + 'static) {
    done(table().is_some());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_another_count_of_messages_is_refused() {
        let one_short: Vec<&str> = vec!["x"; catalog::MESSAGES - 1];
        assert!(parse(one_short.join(&catalog::SEPARATOR.to_string())).is_none());
        let exact: Vec<&str> = vec!["x"; catalog::MESSAGES];
        assert!(parse(exact.join(&catalog::SEPARATOR.to_string())).is_some());
    }
}
