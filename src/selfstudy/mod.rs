//! Self-study: predict-then-run challenges, rehearsal, draw from memory.
//! (Being built; see issue 6.)

use leptos::prelude::*;

/// The self-study panels under the study panels.
#[component]
pub fn SelfStudyPanels() -> impl IntoView {}
