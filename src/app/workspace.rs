//! The workspace's mode: which tab of the dock is open beside the board
//! (Explore, Charts, Learn, Practice), or presenter mode. One screen: the
//! board, the live strip and the alert feed stay in view in every mode; only
//! the dock's content changes (assets/workspace.css lays it out).
//!
//! The mode is part of the link (`?mode=`, [`crate::url_state::Mode`]):
//! read once when the page opens (an unknown value is ignored with a notice
//! in the top bar), then written back whenever it changes. Presenter mode
//! stays owned by [`crate::present::Present`]; this only mirrors it.

use crate::board::Selection;
use crate::erased::effect;
use crate::i18n::{use_i18n, LangNotice};
use crate::present::Present;
use crate::url_state::{self, Mode};
use crate::watched::Watched;
use leptos::prelude::*;

/// The open dock tab (never [`Mode::Present`]: presenting is
/// `Present::presenting`, and the tab is kept for when it ends).
#[derive(Clone, Copy)]
pub struct Workspace {
    /// The dock tab.
    pub tab: Watched<Mode>,
    /// On a narrow screen the open tab's panel is a bottom sheet over the
    /// page; this says whether it is up (ignored on a wide one).
    pub sheet: Watched<bool>,
    present: Present,
}

impl Workspace {
    /// The mode a link should reopen.
    pub fn mode(self) -> Mode {
        if self.present.presenting.get() {
            Mode::Present
        } else {
            self.tab.get()
        }
    }

    /// Opens `mode` (key 1 to 5, a tab): a dock tab leaves presenter mode,
    /// [`Mode::Present`] toggles it like `p`.
    pub fn open(self, mode: Mode) {
        if mode == Mode::Present {
            self.present.toggle_presenting();
            return;
        }
        if self.present.presenting.get_untracked() {
            self.present.toggle_presenting();
        }
        self.tab.set(mode);
        self.sheet.set(true);
        // Charts and the request layer size themselves on resize; a panel
        // that was display:none has just got its size.
        if let Ok(event) = web_sys::Event::new("resize") {
            let _ = window().dispatch_event(&event);
        }
    }
}

/// Reads the mode from the page URL, puts [`Workspace`] in context and keeps
/// the URL following it. Call once, after `provide_present`.
pub fn provide_workspace(present: Present) -> Workspace {
    let (asked, notice) = url_state::mode_from_location();
    let from_url = asked.unwrap_or_default();
    let ws = Workspace {
        tab: Watched::new(if from_url == Mode::Present { Mode::Explore } else { from_url }),
        sheet: Watched::new(false),
        present,
    };
    if from_url == Mode::Present {
        present.presenting.set(true);
    }
    if let Some(notice) = notice {
        let shown = use_i18n().notice();
        if shown.get_untracked().is_none() {
            shown.set(Some(LangNotice::Url(notice)));
        }
    }
    // A link into the tour opens on Learn, where the tour is.
    if asked.is_none() && url_state::names_tour_step() {
        ws.tab.set(Mode::Learn);
    }
    provide_context(ws);
    effect(move || url_state::write_mode(ws.mode()));
    // Selecting an element of the board shows it in the inspector, which
    // lives in Explore.
    if let Some(selection) = use_context::<Selection>() {
        effect(move || {
            if selection.0.get().is_some() && !present.presenting.get_untracked() {
                ws.tab.set(Mode::Explore);
                ws.sheet.set(true);
            }
        });
    }
    ws
}

/// The workspace, from context.
pub fn use_workspace() -> Workspace {
    expect_context::<Workspace>()
}
