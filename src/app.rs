//! The page shell: the top bar and the workspace, one screen that never
//! scrolls as a page (assets/workspace.css): the stage (time bar, the board
//! scaled to its room, the live strip) and the dock column (the alert feed,
//! then one tab per mode: controls and inspector, charts, learn, practice).
//! `workspace.rs` holds the mode (and its place in the link), `dock.rs` the
//! tabs, `live_strip.rs` the numbers and sparklines under the board.
//!
//! Mount order: the page first mounts what is needed to see the diagram
//! (top bar title, time bar, board, error overlay, and the share layer,
//! which replays a shared link before anything is drawn from it); every
//! other panel, control and chart mounts once that first frame has been
//! painted. Building them all first more than doubled the time to the first
//! painted diagram (bench/first-paint, BENCHMARKS.md section 6). The grid's
//! grid's rows and columns have fixed sizes, so nothing moves when the rest
//! arrives.

mod dock;
mod first_board;
mod keys;
mod live_strip;
mod time_bar;
mod workspace;

use crate::board::{provide_editing, provide_selection, Board};
use crate::canvas::RequestLayer;
use crate::erased::shown;
use crate::error_overlay::{install_panic_hook, ErrorOverlay};
use crate::i18n::{k, provide_i18n, t, LangSwitch};
use crate::sim_driver::provide_sim;
use crate::watched::Watched;
use leptos::prelude::*;
use std::time::Duration;
use time_bar::TimeBar;

/// The whole Infraboard page.
#[component]
pub fn App() -> impl IntoView {
    install_panic_hook();
    first_board::remove_still();
    provide_i18n();
    let sim = provide_sim();
    provide_selection();
    provide_editing();
    let editor = crate::editor::provide_editor();
    crate::study::provide_study();
    let present = crate::present::provide_present();
    let ws = workspace::provide_workspace(present);
    keys::install_shortcuts(sim, present, ws, editor);
    let rest = after_first_paint();
    view! {
        <header class="topbar">
            <h1>{t(k::common::APP_NAME)}</h1>
            <span class="subtitle">{t(k::common::SUBTITLE)}</span>
            <span class="topbar-end">
                {shown(move || rest.get(), move || view! {
                    // ── SLOTS: presenter (present/), share & export (share/) ──
                    <crate::present::PresentControls />
                    <crate::share::ShareControls />
                    // ── END SLOTS ──
                    <LangSwitch />
                }.into_any())}
            </span>
        </header>
        <main
            class="layout"
            data-tab=crate::erased::dynamic(move || ws.tab.get().code())
            data-sheet=crate::erased::dynamic(move || if ws.sheet.get() { "open" } else { "closed" })
        >
            <div class="stage">
                <TimeBar />
                <Board below=Box::new(|| view! { <crate::editor::EditTools /> }.into_any())>
                    <RequestLayer />
                    <crate::editor::EditToggle />
                </Board>
                {shown(move || rest.get(), move || view! { <live_strip::LiveStrip /> }.into_any())}
            </div>
            <div class="dock">
                {shown(move || rest.get(), move || view! {
                    <crate::feed::AlertFeed />
                    <dock::Dock />
                }.into_any())}
            </div>
        </main>
        <ErrorOverlay />
        // ── SLOTS: page-level layers of presenter mode and share/import ──
        {shown(move || rest.get(), move || view! { <crate::present::PresentOverlays /> }.into_any())}
        <crate::share::ShareOverlays />
    }
}

/// A flag that turns true once the first frame with the board has been
/// painted: set from a timeout queued by the animation frame callback after
/// the first one. (A timeout queued by the first frame's callback runs after
/// that frame's main-thread paint, but while the compositor is still
/// putting it on screen: on a busy 2-core machine, mounting the rest then
/// delayed the first contentful paint by tens of milliseconds.)
fn after_first_paint() -> Watched<bool> {
    let rest = Watched::new(false);
    request_animation_frame(move || {
        request_animation_frame(move || set_timeout(move || rest.set(true), Duration::ZERO))
    });
    rest
}
