//! The three looks of the page: today's light one, a dark one, and the
//! projector one (high contrast, large text, thick lines) that presenter
//! mode starts in. The page's colours live in assets/present.css under
//! `html[data-theme=…]`; the request layer draws on a canvas, so its share
//! of each theme is an [`Ink`] handed to it here. The charts need nothing
//! from here: in the dark theme a CSS filter inverts each chart together
//! with its legend swatches, so a line still matches its swatch.

use crate::canvas::Ink;
use crate::i18n::{k, Msg};

/// A look of the whole page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark ink on paper: the page as it always was.
    #[default]
    Light,
    /// Light ink on a dark board, for a dim room or a tired eye.
    Dark,
    /// Black on white, thick lines and large text, for a washed-out projector.
    Projector,
}

impl Theme {
    /// In the order `t` cycles through them.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Projector];

    /// The value of `<html data-theme>` and of localStorage.
    pub fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Projector => "projector",
        }
    }

    /// Reads a stored value; anything else (a corrupt or old entry) is `None`.
    pub fn from_code(code: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    /// The next theme for `t`.
    pub fn next(self) -> Theme {
        Theme::ALL[(self as usize + 1) % Theme::ALL.len()]
    }

    /// The theme's name in the picker.
    pub fn label(self) -> Msg {
        match self {
            Theme::Light => k::present::theme::LIGHT,
            Theme::Dark => k::present::theme::DARK,
            Theme::Projector => k::present::theme::PROJECTOR,
        }
    }

    /// How the request layer draws in this theme.
    pub fn ink(self) -> Ink {
        match self {
            Theme::Light => Ink::default(),
            Theme::Dark => Ink {
                link: "rgba(170, 195, 230, 0.45)",
                label_bg: "rgba(20, 27, 38, 0.92)",
                label_ink: "#ff8787",
                burst: "#ff6b6b",
                ..Ink::default()
            },
            Theme::Projector => Ink {
                link: "rgba(0, 0, 0, 0.55)",
                link_width: 4.0,
                lock_scale: 1.8,
                label_px: 20.0,
                label_bg: "#ffffff",
                label_ink: "#b00000",
                burst: "#d00000",
                burst_width: 6.0,
            },
        }
    }
}

/// localStorage key for the theme outside presenter mode.
pub const PAGE_KEY: &str = "infraboard.theme";
/// localStorage key for the theme while presenting (projector unless changed).
pub const PRESENT_KEY: &str = "infraboard.present-theme";

/// The theme stored under `key`; a missing, unreadable or corrupt entry is `None`.
pub fn load(key: &str) -> Option<Theme> {
    let storage = web_sys::window()?.local_storage().ok()??;
    Theme::from_code(&storage.get_item(key).ok()??)
}

/// Remembers a theme the reader picked (private browsing may refuse: the
/// choice then lasts as long as the page).
pub fn store(key: &str, theme: Theme) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, theme.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_cycles_through_all_three_and_back() {
        let mut seen = vec![Theme::Light];
        for _ in 0..3 {
            seen.push(seen.last().unwrap().next());
        }
        assert_eq!(seen, [Theme::Light, Theme::Dark, Theme::Projector, Theme::Light]);
    }

    #[test]
    fn stored_values_round_trip_and_corrupt_ones_are_ignored() {
        for theme in Theme::ALL {
            assert_eq!(Theme::from_code(theme.code()), Some(theme));
        }
        for junk in ["", "Projector", "neon", "{\"theme\":1}", "light;dark"] {
            assert_eq!(Theme::from_code(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn the_projector_draws_thicker_and_larger_than_light() {
        let (light, projector) = (Theme::Light.ink(), Theme::Projector.ink());
        assert!(projector.link_width > light.link_width);
        assert!(projector.lock_scale > light.lock_scale);
        assert!(projector.burst_width > light.burst_width);
    }
}
