//! The part of the app's state that lives in the page URL's query string,
//! so a link reopens the same view. Today: the language (`?lang=fr`); the
//! rest of the shareable state joins here later.
//!
//! The URL is input from anyone who sends a link: parsing never panics, an
//! unknown or malformed value is dropped with a [`Notice`] the page shows,
//! and parameters this module does not know are kept untouched.

use crate::i18n::Locale;

/// Query parameter naming the language.
pub const LANG_PARAM: &str = "lang";

/// Longest value echoed back in a notice; a tampered link can be huge.
const NOTICE_VALUE_MAX_CHARS: usize = 24;

/// Something in the URL that was ignored, to tell the reader about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// `?lang=` named a language the app does not have (value as written,
    /// shortened).
    UnknownLanguage(String),
}

/// The state read from a query string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlState {
    /// The language asked for, if valid.
    pub lang: Option<Locale>,
}

/// Reads the state from a query string (with or without its leading `?`).
pub fn parse(query: &str) -> (UrlState, Vec<Notice>) {
    let mut state = UrlState::default();
    let mut notices = Vec::new();
    for (key, value) in pairs(query) {
        if key == LANG_PARAM {
            match Locale::from_tag(&value) {
                Some(locale) => state.lang = Some(locale),
                None => notices.push(Notice::UnknownLanguage(shorten(&value))),
            }
        }
    }
    (state, notices)
}

/// The query string with `key` set to `value` (replacing every earlier
/// occurrence, keeping other parameters in order), with its leading `?`.
pub fn with_param(query: &str, key: &str, value: &str) -> String {
    let mut parts: Vec<String> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| decode(p.split('=').next().unwrap_or_default()) != key)
        .map(str::to_string)
        .collect();
    parts.push(format!("{}={}", encode(key), encode(value)));
    format!("?{}", parts.join("&"))
}

/// Decoded `key=value` pairs of a query string; a bare `key` has value "".
fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    })
}

/// Percent-decoding (and `+` as space); a broken escape stays as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped =
                    bytes.get(i + 1..i + 3).and_then(|h| Some(hex(h[0])? * 16 + hex(h[1])?));
                if let Some(byte) = escaped {
                    out.push(byte);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding of everything but unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn shorten(value: &str) -> String {
    let mut short: String = value.chars().take(NOTICE_VALUE_MAX_CHARS).collect();
    if value.chars().count() > NOTICE_VALUE_MAX_CHARS {
        short.push('…');
    }
    short
}

/// The language named by the current page URL, and a notice if the URL
/// named one the app does not have.
pub fn lang_from_location() -> (Option<Locale>, Option<Notice>) {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (state, mut notices) = parse(&search);
    (state.lang, notices.pop())
}

/// Puts the language into the page URL without reloading or adding a
/// history entry (switching language is not a navigation step).
pub fn write_lang(locale: Locale) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let wanted = with_param(&search, LANG_PARAM, locale.code());
    if search == wanted {
        return;
    }
    let url = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        wanted,
        location.hash().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_language() {
        assert_eq!(parse("?lang=fr").0.lang, Some(Locale::Fr));
        assert_eq!(parse("lang=en&x=1").0.lang, Some(Locale::En));
        assert_eq!(parse("?x=1&lang=fr-CA").0.lang, Some(Locale::Fr));
        assert_eq!(parse("").0, UrlState::default());
    }

    #[test]
    fn an_unknown_language_is_ignored_with_a_notice() {
        let (state, notices) = parse("?lang=klingon");
        assert_eq!(state.lang, None);
        assert_eq!(notices, vec![Notice::UnknownLanguage("klingon".into())]);
    }

    #[test]
    fn tampered_values_never_panic_and_are_shortened() {
        let long = format!("?lang={}", "x".repeat(10_000));
        let (state, notices) = parse(&long);
        assert_eq!(state.lang, None);
        let Notice::UnknownLanguage(v) = &notices[0];
        assert!(v.chars().count() <= NOTICE_VALUE_MAX_CHARS + 1);
        for q in ["?lang=%", "?lang=%E", "?lang=%ZZ", "?=&&=", "?lang=%C3%28", "?lang"] {
            let _ = parse(q);
        }
        assert_eq!(parse("?lang=%66r").0.lang, Some(Locale::Fr));
    }

    #[test]
    fn writing_keeps_other_parameters() {
        assert_eq!(with_param("", "lang", "fr"), "?lang=fr");
        assert_eq!(with_param("?seed=7&lang=en", "lang", "fr"), "?seed=7&lang=fr");
        assert_eq!(with_param("?lang=de&lang=en&a=b", "lang", "fr"), "?a=b&lang=fr");
        assert_eq!(with_param("?a=1", "note", "a b&c"), "?a=1&note=a%20b%26c");
    }
}
