//! Present and study: the guided tour of one request, the design review of
//! the running design (its findings, "show me" with what it measured,
//! undoable fixes and the printed sheet), and the explanations with their
//! "show me".
//!
//! The data modules ([`tour`], [`explain`]) are plain Rust
//! over the simulation's types, tested natively; they name parts of the
//! board by role, so every layout works and one that lacks a part says so
//! instead of showing nothing. The panels ([`StudyPanels`]) turn
//! them into views and steer the board only through the `SimHandle` and
//! the board's [`Highlight`] and [`TourMarker`] contexts.

mod explain_panel;
mod review_measured;
mod review_panel;
mod review_sheet;
mod review_texts;
mod tour_panel;

pub mod explain;
pub mod tour;

pub use review_panel::ReviewState;

use crate::board::{Highlight, TourMarker};
use crate::sim_driver::use_sim;
use crate::watched::Watched;
use leptos::prelude::*;

/// The tour's state, shared by its panel and its keyboard shortcuts.
#[derive(Clone, Copy)]
pub(crate) struct TourState {
    /// Whether the tour is running (→ / ← then move through it).
    pub active: Watched<bool>,
    /// Current step, from 0.
    pub step: Watched<usize>,
}

/// Puts [`Highlight`], [`TourMarker`] and the tour state in context and
/// installs the tour's keys. Call once in the page, after `provide_sim` and
/// before the board.
pub fn provide_study() {
    let highlight = Highlight(Watched::new(Vec::new()));
    provide_context(highlight);
    let tour = TourState { active: Watched::new(false), step: Watched::new(0) };
    let sim = use_sim();
    let encrypted = Signal::derive(move || {
        // The frame signal ticks when a command changes the TLS mode.
        sim.frame.track();
        let step = tour::Step::at(tour.step.get());
        sim.with_sim(|s| step.carried_encrypted(s.topology(), s.tls_mode()))
    });
    provide_context(TourMarker { at: Watched::new(None), encrypted });
    provide_context(tour);
    provide_context(ReviewState::new(sim, highlight));
    tour_panel::install_keys(tour);
}

/// The tour, the review and the explanations, one under the
/// other. The review lives here rather than in a tab of its own: Learn is
/// the one panel presenter mode keeps beside the board, so a review can be
/// played at a projector, and the link format and the digit keys stay as
/// they are.
#[component]
pub fn StudyPanels() -> impl IntoView {
    view! {
        <div class="study">
            <tour_panel::TourPanel />
            <review_panel::ReviewPanel />
            <explain_panel::ExplainPanel />
        </div>
    }
}
