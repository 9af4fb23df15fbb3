//! Share, save and export: the state in the URL, scenario import/export and
//! diagram/metrics/video export. (Being built; see issue 6.)

use leptos::prelude::*;

/// Buttons in the top bar.
#[component]
pub fn ShareControls() -> impl IntoView {}

/// Page-level layers (drop zone, import report).
#[component]
pub fn ShareOverlays() -> impl IntoView {}
