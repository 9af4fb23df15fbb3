//! Every word the app shows, in the reader's language.
//!
//! Texts live in `locales/<locale>/<namespace>.json`; `build.rs` turns them
//! into typed keys under [`k`], so a misspelt key or a forgotten placeholder
//! does not compile. Components never hold user-visible literals:
//!
//! ```ignore
//! use crate::i18n::{k, t, use_i18n};
//! view! { <button>{t(k::common::PLAY)}</button> }            // reactive text
//! let i18n = use_i18n();
//! view! { <span>{move || k::board::node::firewall_n(i18n.locale(), 2)}</span> }
//! view! { <output>{move || i18n.rate(qps.get() as f64, 0)}</output> }
//! ```
//!
//! The current locale is one signal in context ([`I18n`]); switching it only
//! re-renders text, so nothing else (the running simulation included) resets.

mod catalog;
mod fetched;
mod format;

use fetched::Part;
mod lang_switch;

pub use catalog::k;
pub use format::{format_number, format_rate};
pub use lang_switch::LangSwitch;

pub use crate::locale::Locale;
use crate::url_state;
use crate::watched::Watched;
use leptos::prelude::*;

// Words on screen stay in this module (tests/i18n_literals.rs), so the
// language names are given to `Locale` here.
impl Locale {
    /// The language's own name for itself, shown in the switch whatever the
    /// current locale (a French reader looks for "Français", not "French").
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
        }
    }
}

/// Identifies one message of the catalog; see [`k`] for the named keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg(pub(crate) u16);

impl Msg {
    /// The message's text in `locale`. French is English until its file has
    /// arrived; a Learn or Practice text is empty until its file has (see
    /// [`fetched`]; the page re-renders its texts when one arrives).
    pub fn text(self, locale: Locale) -> &'static str {
        let id = usize::from(self.0);
        if locale == Locale::Fr {
            if let Some(text) = fetched::french(id) {
                return text;
            }
        }
        if let Some(text) = fetched::english_later(id) {
            return text;
        }
        let ends = &catalog::EN_ENDS;
        let start = id.checked_sub(1).map_or(0, |before| ends[before] as usize);
        &catalog::EN_TEXT[start..ends[id] as usize]
    }
}

/// Replaces each `{name}` in `template` with its value; an unknown
/// placeholder is left as written so a translator's slip shows, not hides.
pub fn fill(template: &str, vars: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(&value.to_string()),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The language context: the current locale, shared by every component.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: Watched<Locale>,
    notice: Watched<Option<LangNotice>>,
}

/// Why the page is not in the language asked for; the top bar says it once.
#[derive(Clone, Debug, PartialEq)]
pub enum LangNotice {
    /// The link's `?lang=` names a language the app does not have.
    Url(url_state::Notice),
    /// That language's texts could not be fetched (offline on a first visit).
    Unavailable(Locale),
}

impl I18n {
    /// The current locale (tracked: a closure calling it re-runs on a switch).
    pub fn locale(self) -> Locale {
        self.locale.get()
    }

    /// The current locale without subscribing to changes.
    pub fn locale_untracked(self) -> Locale {
        self.locale.get_untracked()
    }

    /// Switches the language (the reader's choice, remembered for the next
    /// visit); text re-renders, nothing else is touched.
    pub fn set_locale(self, locale: Locale) {
        when_available(locale, move |ok| {
            if ok {
                store_locale(locale);
                self.locale.set(locale);
                if matches!(self.notice.get_untracked(), Some(LangNotice::Unavailable(_))) {
                    self.notice.set(None);
                }
            } else {
                self.notice.set(Some(LangNotice::Unavailable(locale)));
            }
        });
    }

    /// What the top bar has to say about the language, if anything.
    pub fn notice(self) -> Watched<Option<LangNotice>> {
        self.notice
    }

    /// The text of `msg` in the current locale (tracked).
    pub fn tr(self, msg: Msg) -> &'static str {
        msg.text(self.locale())
    }

    /// A number with the locale's separators (tracked).
    pub fn number(self, value: f64, decimals: usize) -> String {
        format_number(self.locale(), value, decimals)
    }

    /// A request rate such as `12,345.6 req/s` / `12 345,6 req/s` (tracked).
    pub fn rate(self, per_second: f64, decimals: usize) -> String {
        format_rate(self.locale(), per_second, decimals)
    }
}

/// The language context provided by [`provide_i18n`].
///
/// # Panics
/// Outside the tree under `App`, where no context was provided.
// Not inlined: called from hundreds of components and from every `t`; each
// inlined copy carried the whole context lookup (BENCHMARKS.md section 5).
#[inline(never)]
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive text for a view: `{t(k::common::PLAY)}` or `aria-label=t(…)`.
// Not inlined, for the same reason as `use_i18n`: some 300 view sites call
// it, and one out-of-line copy took 1.5 KB gzip off the wasm.
#[inline(never)]
pub fn t(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.tr(msg)
}

/// localStorage key that remembers the reader's choice between visits.
const STORAGE_KEY: &str = "infraboard.lang";

/// Chooses the first locale, provides the context and keeps `<html lang>`,
/// the page title and the URL in step with it. Only a choice made with the
/// switch goes to localStorage: a locale guessed from the browser stays a
/// guess, so changing the browser's language later still counts.
///
/// Order: `?lang=` in the URL (a shared link wins), then the stored choice,
/// then the browser's language (`fr*` → French), then English.
pub fn provide_i18n() -> I18n {
    let (asked, url_notice) = first_locale();
    let (locale, notice) = match asked {
        Locale::En => (asked, None),
        _ if Part::French.is_here() => (asked, None),
        _ => (Locale::En, Some(LangNotice::Unavailable(asked))),
    };
    let notice = notice.or(url_notice.map(LangNotice::Url));
    let i18n = I18n { locale: Watched::new(locale), notice: Watched::new(notice) };
    provide_context(i18n);
    // The Learn and Practice texts: fetched as the page mounts, then every
    // text re-reads the catalog (as on a language switch).
    fetched::load(Part::EnglishLater, move |ok| {
        if ok {
            i18n.locale.update(|_| {});
        }
    });
    crate::erased::effect(move || {
        let locale = i18n.locale();
        apply_to_document(locale);
        url_state::write_lang(locale);
    });
    i18n
}

/// Runs `start` once the first locale's texts are here (or could not be
/// fetched: the page then opens in English and says why), so a French
/// reader never sees the page switch language under them.
pub fn when_first_locale_ready(start: impl FnOnce() + 'static) {
    when_available(first_locale().0, move |_| start());
}

/// The locale to open in, and a word about an unusable `?lang=`.
fn first_locale() -> (Locale, Option<url_state::Notice>) {
    let (from_url, notice) = url_state::lang_from_location();
    (from_url.or_else(stored_locale).or_else(browser_locale).unwrap_or_default(), notice)
}

/// Calls `done` with whether `locale`'s texts can be shown, fetching them
/// first if they are not compiled in.
fn when_available(locale: Locale, done: impl FnOnce(bool) + 'static) {
    match locale {
        Locale::En => done(true),
        Locale::Fr => fetched::load(Part::French, done),
    }
}

fn stored_locale() -> Option<Locale> {
    let storage = web_sys::window()?.local_storage().ok()??;
    Locale::from_tag(&storage.get_item(STORAGE_KEY).ok()??)
}

fn store_locale(locale: Locale) {
    // Private browsing may refuse storage: the URL still carries the choice.
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(STORAGE_KEY, locale.code());
    }
}

fn browser_locale() -> Option<Locale> {
    let language = web_sys::window()?.navigator().language()?;
    Some(if Locale::from_tag(&language) == Some(Locale::Fr) { Locale::Fr } else { Locale::En })
}

fn apply_to_document(locale: Locale) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", locale.code());
    }
    document.set_title(k::common::PAGE_TITLE.text(locale));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_unknown_ones() {
        assert_eq!(fill("Firewall {n}", &[("n", &3)]), "Firewall 3");
        assert_eq!(fill("{a} and {a}, {b}", &[("a", &"x"), ("b", &1.5)]), "x and x, 1.5");
        assert_eq!(fill("{typo} left", &[("n", &1)]), "{typo} left");
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }

    #[test]
    fn generated_keys_reach_the_right_text_in_each_locale() {
        // A generated key reaches the right table row in each locale.
        assert_eq!(k::board::node::firewall_n(Locale::En, 2), "Firewall 2");
        assert_eq!(k::board::node::firewall_n(Locale::Fr, 2), "Pare-feu 2");
        assert_ne!(k::common::PAGE_TITLE.text(Locale::En), "");
    }
}
