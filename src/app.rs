//! The page: top bar, the time bar, the whiteboard, the inspector and the
//! slots where the controls panel and the charts/feed plug in.
//!
//! Layout (CSS grid, see assets/style.css): a wide stage on the left (time
//! bar, board, charts) and a side column on the right (inspector, controls).

mod keys;
mod time_bar;

use crate::board::{provide_selection, Board};
use crate::error_overlay::{install_panic_hook, ErrorOverlay};
use crate::i18n::{k, provide_i18n, t, LangSwitch};
use crate::inspector::Inspector;
use crate::sim_driver::provide_sim;
use leptos::prelude::*;
use time_bar::TimeBar;

/// The whole Infraboard page.
#[component]
pub fn App() -> impl IntoView {
    install_panic_hook();
    provide_i18n();
    let sim = provide_sim();
    provide_selection();
    crate::study::provide_study();
    let present = crate::present::provide_present();
    keys::install_shortcuts(sim, present);
    view! {
        <header class="topbar">
            <h1>{t(k::common::APP_NAME)}</h1>
            <span class="subtitle">{t(k::common::SUBTITLE)}</span>
            <span class="topbar-end">
                // ── SLOTS: presenter (present/), share & export (share/) ──
                <crate::present::PresentControls />
                <crate::share::ShareControls />
                // ── END SLOTS ──
                <LangSwitch />
            </span>
        </header>
        <main class="layout">
            <div class="stage">
                <TimeBar />
                <Board />
                <crate::study::StudyPanels />
                // ── SLOT: self-study (selfstudy/) ──
                <crate::selfstudy::SelfStudyPanels />
                // ── SLOT: charts and alert feed (controls & charts helper) ──
                <crate::feed::AlertFeed />
                <crate::charts::ChartsPanel />
                // ── END SLOT ──
            </div>
            <aside class="side">
                <Inspector />
                // ── SLOT: controls panel (controls & charts helper) ──
                <crate::controls::ControlsPanel />
                // ── END SLOT ──
            </aside>
        </main>
        <ErrorOverlay />
        // ── SLOTS: page-level layers of presenter mode and share/import ──
        <crate::present::PresentOverlays />
        <crate::share::ShareOverlays />
    }
}
