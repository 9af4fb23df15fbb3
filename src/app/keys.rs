//! Page-wide keyboard shortcuts: Space plays/pauses, → steps one event
//! forward, ← steps back. Keys typed into a form control, or pressed on a
//! button or a diagram node, keep their own meaning.

use crate::sim_driver::SimHandle;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Listens on the window for the whole life of the page.
pub fn install_shortcuts(sim: SimHandle) {
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.default_prevented() || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        if target_wants_keys(&e) {
            return;
        }
        match e.key().as_str() {
            " " => {
                e.prevent_default();
                sim.playing.update(|p| *p = !*p);
            }
            "ArrowRight" => {
                e.prevent_default();
                sim.step_forward();
            }
            "ArrowLeft" => {
                e.prevent_default();
                sim.step_back();
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

fn target_wants_keys(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "select" | "textarea" | "button" | "a" | "summary")
        || el.get_attribute("role").is_some_and(|r| r == "button" || r == "slider")
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}
