//! Present and study: the guided tour of one request, the explanations with
//! their "show me", and the three issues as scenes.
//!
//! The data modules ([`tour`], [`explain`], [`scenes`]) are plain Rust
//! over the simulation's types, tested natively; they name parts of the
//! board by role, so every layout works and one that lacks a part says so
//! instead of showing nothing. The panels ([`StudyPanels`]) turn
//! them into views and steer the board only through the
//! [`SimHandle`](crate::sim_driver::SimHandle) and the [`Highlight`] context.

mod explain_panel;
mod scenes_panel;
mod tour_panel;

pub mod explain;
pub mod scenes;
pub mod tour;

use leptos::prelude::*;

/// The board nodes (indices into `Scenario::nodes`) the tour, an open
/// explanation or a playing scene is about. The board reads it and draws
/// those nodes lit; empty means nothing is singled out.
///
/// ```ignore
/// let lit = use_context::<Highlight>();
/// let is_lit = move || lit.is_some_and(|h| h.0.with(|v| v.contains(&index)));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Highlight(pub RwSignal<Vec<usize>>);

/// Where the tour's single request stands after the current step (a node
/// index), for the board to draw a marker there; `None` outside the tour.
#[derive(Clone, Copy, Debug)]
pub struct TourMarker(pub RwSignal<Option<usize>>);

/// The tour's state, shared by its panel and its keyboard shortcuts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TourState {
    /// Whether the tour is running (→ / ← then move through it).
    pub active: RwSignal<bool>,
    /// Current step, from 0.
    pub step: RwSignal<usize>,
}

/// Puts [`Highlight`], [`TourMarker`] and the tour state in context and
/// installs the tour's keys. Call once in the page, before the board.
pub fn provide_study() {
    provide_context(Highlight(RwSignal::new(Vec::new())));
    provide_context(TourMarker(RwSignal::new(None)));
    let tour = TourState { active: RwSignal::new(false), step: RwSignal::new(0) };
    provide_context(tour);
    tour_panel::install_keys(tour);
}

/// The tour, the explanations and the scenes, one under the other.
#[component]
pub fn StudyPanels() -> impl IntoView {
    view! {
        <div class="study">
            <tour_panel::TourPanel />
            <scenes_panel::ScenesPanel />
            <explain_panel::ExplainPanel />
        </div>
    }
}
