//! The texts that are not in the wasm, fetched when they are needed.
//!
//! Every reader waits for the wasm before the live board, so it carries
//! only what that board shows, in English. `build.rs` writes the rest to
//! files beside index.html, each named after its content's hash so a new
//! wasm never meets an old file:
//! - [`Part::French`]: every French message, fetched when a reader picks
//!   French (or before mounting, when the page opens in French);
//! - [`Part::EnglishLater`]: the English texts of the panels a reader opens
//!   after the first board (Learn, Practice), fetched as the page mounts.
//!
//! The service worker precaches both, so they work offline after one visit.
//! Native builds (tests, tools) read the same files at compile time, through
//! the same parser.

use super::catalog;
use std::sync::OnceLock;

/// A locale file of the bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    French,
    EnglishLater,
}

static FRENCH: OnceLock<Vec<&'static str>> = OnceLock::new();
static ENGLISH_LATER: OnceLock<Vec<&'static str>> = OnceLock::new();

impl Part {
    fn slot(self) -> &'static OnceLock<Vec<&'static str>> {
        match self {
            Part::French => &FRENCH,
            Part::EnglishLater => &ENGLISH_LATER,
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    fn file(self) -> &'static str {
        match self {
            Part::French => catalog::FR_FILE,
            Part::EnglishLater => catalog::EN_LATER_FILE,
        }
    }

    /// How many messages the file holds.
    fn len(self) -> usize {
        match self {
            Part::French => catalog::MESSAGES,
            Part::EnglishLater => {
                catalog::EN_LATER_IDS.iter().map(|&(a, b)| usize::from(b - a)).sum()
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn built_in(self) -> &'static str {
        match self {
            Part::French => include_str!(concat!(env!("OUT_DIR"), "/fr.txt")),
            Part::EnglishLater => include_str!(concat!(env!("OUT_DIR"), "/en-later.txt")),
        }
    }

    /// The file's messages in order, once they are here.
    fn table(self) -> Option<&'static [&'static str]> {
        #[cfg(not(target_arch = "wasm32"))]
        self.slot().get_or_init(|| {
            parse(self.built_in().to_owned(), self.len()).expect("build.rs writes whole files")
        });
        self.slot().get().map(Vec::as_slice)
    }

    /// Whether the file's messages are here.
    pub(crate) fn is_here(self) -> bool {
        self.table().is_some()
    }
}

/// The French text of message `id`, once French is here.
pub(crate) fn french(id: usize) -> Option<&'static str> {
    Part::French.table().map(|t| t[id])
}

/// `Some` when message `id` is one of the later English texts: its text,
/// or `""` until the file has arrived.
pub(crate) fn english_later(id: usize) -> Option<&'static str> {
    let mut before = 0;
    for &(start, end) in &catalog::EN_LATER_IDS {
        let (start, end) = (usize::from(start), usize::from(end));
        if (start..end).contains(&id) {
            let table = Part::EnglishLater.table();
            return Some(table.map_or("", |t| t[before + id - start]));
        }
        before += end - start;
    }
    None
}

/// Splits a locale file into its messages; `None` unless it holds exactly
/// `len` of them (a file from another build, or a cut-off one).
fn parse(text: String, len: usize) -> Option<Vec<&'static str>> {
    // Kept for the page's life, like the English table in the wasm's data.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let messages: Vec<&'static str> = text.split(catalog::SEPARATOR).collect();
    (messages.len() == len).then_some(messages)
}

/// Fetches `part` if it is not here yet, then calls `done` with whether
/// its texts can be shown.
#[cfg(target_arch = "wasm32")]
pub(crate) fn load(part: Part, done: impl FnOnce(bool) + 'static) {
    use fetch::{fetch, Response};
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    if part.is_here() {
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
            let table = text.as_string().and_then(|text| parse(text, part.len()));
            finish(table.is_some_and(|table| part.slot().set(table).is_ok() || part.is_here()));
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
    fetch(part.file()).then(&on_response, &on_error);
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

/// Native builds have every table from the start.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn load(part: Part, done: impl FnOnce(bool) + 'static) {
    done(part.is_here());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_another_count_of_messages_is_refused() {
        let sep = catalog::SEPARATOR.to_string();
        assert!(parse(vec!["x"; catalog::MESSAGES - 1].join(&sep), catalog::MESSAGES).is_none());
        assert!(parse(vec!["x"; catalog::MESSAGES].join(&sep), catalog::MESSAGES).is_some());
    }

    #[test]
    fn the_later_english_texts_are_the_learn_and_practice_ones() {
        // A tour text is fetched later, a board name is compiled in; both read.
        assert!(english_later(crate::i18n::k::tour::TITLE.0.into()).is_some_and(|t| !t.is_empty()));
        assert_eq!(english_later(crate::i18n::k::board::CERTIFICATE.0.into()), None);
    }
}
