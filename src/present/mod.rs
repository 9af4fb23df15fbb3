//! Presenter mode: full screen, themes, build-up of the diagram, pointer and
//! the shortcut help overlay. (Being built; see issue 6.)

use leptos::prelude::*;

/// Buttons in the top bar.
#[component]
pub fn PresentControls() -> impl IntoView {}

/// Page-level layers (help overlay, pointer).
#[component]
pub fn PresentOverlays() -> impl IntoView {}
