//! Presenter mode, for a design review at a projector with only a keyboard:
//! full screen with the board large and the narration big, three themes
//! (light, dark, projector), the diagram built up one stage at a time
//! (the board's `Stage`, driven from here), a highlight pointer ([`pointer`]) and the help overlay that
//! lists every shortcut ([`help`]). The keys themselves are read in
//! `app/keys.rs`; this module holds the state they change ([`Present`]).
//!
//! The page follows two attributes on `<html>`: `data-present` (the layout,
//! assets/present.css) and `data-theme` (the colours). The board reads
//! [`BuildUp`] to leave out what is not built yet; the request layer reads
//! it too, and takes its colours from the [`CanvasInk`] set here.

mod help;
mod pointer;
pub mod theme;

pub use theme::Theme;

use crate::board::{BuildUp, Stage};
use crate::canvas::CanvasInk;
use crate::erased::{dynamic, effect, handler, shown};
use crate::i18n::{k, t, use_i18n, Msg};
use crate::watched::Watched;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Presenter mode's state, shared by the top-bar controls, the overlays and
/// the keyboard shortcuts.
#[derive(Clone, Copy)]
pub struct Present {
    /// Presenter layout on (full screen when the browser allows it).
    pub presenting: Watched<bool>,
    page_theme: Watched<Theme>,
    present_theme: Watched<Theme>,
    /// The build-up stage the board shows.
    pub build: BuildUp,
    /// The highlight pointer is on.
    pub pointer: Watched<bool>,
    /// The shortcut help overlay is open.
    pub help: Watched<bool>,
    /// A word about full screen (refused), shown for a few seconds.
    notice: Watched<Option<Msg>>,
    /// What had the focus before the help opened, to give it back.
    return_focus: StoredValue<Option<web_sys::Element>, LocalStorage>,
    /// Whether the page itself asked for the full screen it is in.
    entered_fullscreen: StoredValue<bool>,
}

impl Present {
    /// The theme in force (tracked): presenter mode has its own, projector
    /// unless the presenter picked another.
    pub fn theme(self) -> Theme {
        if self.presenting.get() {
            self.present_theme.get()
        } else {
            self.page_theme.get()
        }
    }

    /// Picks the theme for the current mode and remembers it.
    pub fn set_theme(self, theme: Theme) {
        let (signal, key) = if self.presenting.get_untracked() {
            (self.present_theme, theme::PRESENT_KEY)
        } else {
            (self.page_theme, theme::PAGE_KEY)
        };
        signal.set(theme);
        theme::store(key, theme);
    }

    /// `t`: the next theme.
    pub fn cycle_theme(self) {
        self.set_theme(self.theme_untracked().next());
    }

    fn theme_untracked(self) -> Theme {
        untrack(|| self.theme())
    }

    /// `p`: presenter mode on or off. Full screen is asked for; when the
    /// browser refuses (a headless one, a policy), the layout switches anyway.
    pub fn toggle_presenting(self) {
        let on = !self.presenting.get_untracked();
        self.presenting.set(on);
        if on {
            self.request_fullscreen();
        } else {
            exit_fullscreen();
        }
    }

    /// `b`: one stage more (past the last: the whole board again).
    pub fn build_forward(self) {
        self.build.0.update(|s| *s = Stage::forward(*s));
    }

    /// `Shift+B`: one stage less.
    pub fn build_back(self) {
        self.build.0.update(|s| *s = Stage::back(*s));
    }

    /// Whether a build-up is on screen.
    pub fn building(self) -> bool {
        self.build.0.with_untracked(Option::is_some)
    }

    /// `Esc` during a build-up: the whole board.
    pub fn build_whole(self) {
        self.build.0.set(None);
    }

    /// `l`: the pointer on or off.
    pub fn toggle_pointer(self) {
        self.pointer.update(|p| *p = !*p);
    }

    /// `?`: opens the help, remembering where the focus was.
    pub fn open_help(self) {
        if self.help.get_untracked() {
            return;
        }
        let active = document().active_element();
        self.return_focus.set_value(active);
        self.help.set(true);
    }

    /// Closes the help and gives the focus back.
    pub fn close_help(self) {
        if !self.help.get_untracked() {
            return;
        }
        self.help.set(false);
        if let Some(el) = self.return_focus.try_update_value(Option::take).flatten() {
            if el.is_connected() {
                focus_element(&el);
            }
        }
    }

    fn request_fullscreen(self) {
        let Some(root) = document().document_element() else { return };
        let notice = self.notice;
        let refused = move || {
            notice.set(Some(k::present::FULLSCREEN_REFUSED));
            set_timeout(move || notice.set(None), std::time::Duration::from_secs(6));
        };
        match request_fullscreen_promise(&root) {
            Ok(promise) => {
                let on_error = Closure::once_into_js(move |_: JsValue| refused());
                let _ = promise.or_else(&on_error);
            }
            Err(_) => refused(),
        }
    }
}

// web-sys's requestFullscreen/exitFullscreen drop the promise they return,
// so a refusal would surface as an unhandled rejection in the console; these
// views of the same objects keep it, to catch it.
#[wasm_bindgen]
extern "C" {
    /// A promise, only to attach a rejection handler to it.
    type Thenable;

    /// An element seen as something that can go full screen or take focus
    /// (SVG elements included, which are not `HTMLElement`s).
    type AnyElement;

    /// The document seen as something that can leave full screen.
    type FullscreenDocument;

    #[wasm_bindgen(method, catch, js_name = requestFullscreen)]
    fn request_fullscreen(this: &AnyElement) -> Result<Thenable, JsValue>;

    #[wasm_bindgen(method, catch, js_name = exitFullscreen)]
    fn exit_fullscreen(this: &FullscreenDocument) -> Result<Thenable, JsValue>;

    #[wasm_bindgen(method, catch, js_name = catch)]
    fn or_else(this: &Thenable, on_error: &JsValue) -> Result<Thenable, JsValue>;

    #[wasm_bindgen(method, js_name = focus)]
    fn focus(this: &AnyElement);
}

/// Moves the keyboard focus to `el` (an HTML or an SVG element).
pub(crate) fn focus_element(el: &web_sys::Element) {
    el.unchecked_ref::<AnyElement>().focus();
}

fn request_fullscreen_promise(el: &web_sys::Element) -> Result<Thenable, JsValue> {
    el.unchecked_ref::<AnyElement>().request_fullscreen()
}

fn exit_fullscreen() {
    let doc = document();
    if doc.fullscreen_element().is_none() {
        return;
    }
    if let Ok(promise) = doc.unchecked_ref::<FullscreenDocument>().exit_fullscreen() {
        // Leaving can only fail when already out; nothing to say then.
        let ignore = Closure::once_into_js(|_: JsValue| {});
        let _ = promise.or_else(&ignore);
    }
}

/// Presenter mode's state (panics outside the page that provided it).
pub fn use_present() -> Present {
    expect_context::<Present>()
}

/// Puts [`Present`], [`BuildUp`] and [`CanvasInk`] in context, keeps `<html>`
/// in step with them and installs the pointer. Call once in the page, after
/// `study::provide_study` and before the board.
pub fn provide_present() -> Present {
    let present = Present {
        presenting: Watched::new(false),
        page_theme: Watched::new(theme::load(theme::PAGE_KEY).unwrap_or_default()),
        present_theme: Watched::new(theme::load(theme::PRESENT_KEY).unwrap_or(Theme::Projector)),
        build: BuildUp(Watched::new(None)),
        pointer: Watched::new(false),
        help: Watched::new(false),
        notice: Watched::new(None),
        return_focus: StoredValue::new_local(None),
        entered_fullscreen: StoredValue::new(false),
    };
    provide_context(present);
    provide_context(present.build);
    let ink = CanvasInk(Watched::new(present.theme_untracked().ink()));
    provide_context(ink);
    effect(move || {
        let theme = present.theme();
        ink.0.set(theme.ink());
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme.code());
            let mode = if present.presenting.get() { "on" } else { "off" };
            let _ = root.set_attribute("data-present", mode);
        }
    });
    // Leaving full screen from the browser (Esc, F11) leaves presenter mode.
    let handle = window_event_listener(
        leptos::ev::Custom::new("fullscreenchange"),
        move |_: web_sys::Event| {
            let full = document().fullscreen_element().is_some();
            if full {
                present.entered_fullscreen.set_value(true);
            } else if present.entered_fullscreen.get_value() {
                present.entered_fullscreen.set_value(false);
                present.presenting.set(false);
            }
        },
    );
    on_cleanup(move || handle.remove());
    pointer::install(present);
    present
}

/// The top-bar controls: presenter mode, the theme picker, the shortcut help.
#[component]
pub fn PresentControls() -> impl IntoView {
    let present = use_present();
    let i18n = use_i18n();
    let options = Theme::ALL
        .into_iter()
        .map(|theme| {
            view! {
                <option value=theme.code() selected=dynamic(move || present.theme() == theme)>
                    {dynamic(move || i18n.tr(theme.label()))}
                </option>
            }
        })
        .collect_view();
    view! {
        <span class="present-controls">
            <button
                type="button"
                class="present-toggle"
                data-testid="present-toggle"
                aria-pressed=dynamic(move || present.presenting.get().to_string())
                aria-keyshortcuts="p"
                title=t(k::present::TOGGLE_TITLE)
                on:click=handler(move |_| present.toggle_presenting())
            >
                {t(k::present::TOGGLE)}
            </button>
            <label class="theme-pick">
                <span>{t(k::present::theme::LABEL)}</span>
                <select
                    data-testid="theme-pick"
                    aria-keyshortcuts="t"
                    prop:value=dynamic(move || present.theme().code())
                    on:change=handler(move |ev| {
                        if let Some(theme) = Theme::from_code(&event_target_value(&ev)) {
                            present.set_theme(theme);
                        }
                    })
                >
                    {options}
                </select>
            </label>
            <button
                type="button"
                class="help-open"
                data-testid="help-open"
                aria-haspopup="dialog"
                aria-keyshortcuts="?"
                title=t(k::present::HELP_BUTTON_TITLE)
                on:click=handler(move |_| present.open_help())
            >
                {t(k::present::HELP_BUTTON)}
                <kbd aria-hidden="true">"?"</kbd>
            </button>
        </span>
    }
}

/// The page-level layers: the build-up caption, the pointer, the help and
/// the full-screen notice.
#[component]
pub fn PresentOverlays() -> impl IntoView {
    let present = use_present();
    let i18n = use_i18n();
    let stage = move || present.build.0.get();
    let caption = move || {
        stage().map(|s| {
            let name = i18n.tr(stage_name(s));
            k::present::stage::caption(i18n.locale(), s.number(), Stage::ALL.len(), name)
        })
    };
    let why = move || stage().map(|s| i18n.tr(stage_why(s)));
    view! {
        {shown(
            move || stage().is_some(),
            move || {
                view! {
                    <aside
                        class="build-caption"
                        data-testid="build-caption"
                        data-stage=dynamic(move || stage().map_or(0, Stage::number))
                        role="status"
                    >
                        <p class="build-title">{dynamic(caption)}</p>
                        <p class="build-why">{dynamic(why)}</p>
                        <p class="build-keys">{t(k::present::stage::KEYS)}</p>
                    </aside>
                }
                .into_any()
            },
        )}
        {shown(
            move || present.notice.get().is_some(),
            move || {
                view! {
                    <p class="present-notice" role="status" data-testid="present-notice">
                        {dynamic(move || present.notice.get().map(|m| i18n.tr(m)))}
                    </p>
                }
                .into_any()
            },
        )}
        <pointer::Pointer />
        <help::HelpOverlay />
    }
}

fn stage_name(stage: Stage) -> Msg {
    use k::present::stage::*;
    match stage {
        Stage::OneServer => one_server::NAME,
        Stage::LoadBalancer => load_balancer::NAME,
        Stage::Firewalls => firewalls::NAME,
        Stage::Ssl => ssl::NAME,
        Stage::Monitoring => monitoring::NAME,
    }
}

fn stage_why(stage: Stage) -> Msg {
    use k::present::stage::*;
    match stage {
        Stage::OneServer => one_server::WHY,
        Stage::LoadBalancer => load_balancer::WHY,
        Stage::Firewalls => firewalls::WHY,
        Stage::Ssl => ssl::WHY,
        Stage::Monitoring => monitoring::WHY,
    }
}
