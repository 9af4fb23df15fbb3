//! Page-wide keyboard shortcuts. Time: Space plays/pauses, → steps one event
//! forward, ← steps back; keys pressed on a button or a diagram node keep
//! their own meaning there. Presenter mode (`crate::present`): `p` presenter
//! mode, `t` next theme, `b` / `Shift+B` build the diagram up / back, Esc the
//! whole diagram again, `l` the pointer, `?` the list of every shortcut;
//! these work wherever the focus is, except while typing into a field.
//! Modes (`workspace.rs`): `1` Explore, `2` Charts, `3` Learn, `4` Practice,
//! `5` presenter mode, under the same rule.
//!
//! Edit mode (`crate::editor`): `e` turns it on or off (not while typing);
//! in it, the arrows move the selected piece one grid step, Enter places
//! it, Delete (or Backspace) removes it and Esc leaves, wherever the focus
//! is but a text field. Ctrl+Z (⌘Z) / Ctrl+Shift+Z (or Ctrl+Y) undo and
//! redo a change to the design, outside text fields (which keep their own
//! undo): the editor's history first, else Ctrl+Z undoes the design
//! review's last fix (`study::ReviewState`).
//!
//! The tour's → / ← / Esc (study/tour_panel.rs) and the pointer's arrows
//! (present/pointer.rs) are heard before these and mark the event handled;
//! the help overlay keeps its keys to itself. Every shortcut is listed in
//! present/help.rs: add a row there with a new key.

use super::workspace::Workspace;
use crate::editor::Editor;
use crate::present::Present;
use crate::sim_driver::SimHandle;
use crate::study::ReviewState;
use crate::url_state::Mode;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Listens on the window for the whole life of the page.
pub fn install_shortcuts(sim: SimHandle, present: Present, ws: Workspace, editor: Editor) {
    let review = use_context::<ReviewState>();
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.default_prevented() || e.alt_key() || present.help.get_untracked() {
            return;
        }
        let key = e.key();
        if e.ctrl_key() || e.meta_key() {
            // In a text field Ctrl+Z stays the field's own undo. The editor's
            // history first, then the review's last fix.
            let done = !typing(&e) && design_history_key(&key, e.shift_key(), editor, review);
            if done {
                e.prevent_default();
            }
            return;
        }
        // An arrow in a field moves its caret or value, not the piece.
        let arrow_in_field =
            matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown")
                && in_field(&e);
        if !typing(&e) && !arrow_in_field && edit_key(&key, editor) {
            e.prevent_default();
            return;
        }
        if let Some(action) = presenter_key(&key, e.shift_key(), present) {
            if !typing(&e) {
                e.prevent_default();
                action(present);
            }
            return;
        }
        if let Some(mode) = mode_key(&key) {
            if !typing(&e) {
                e.prevent_default();
                ws.open(mode);
            }
            return;
        }
        if target_wants_keys(&e) {
            return;
        }
        match key.as_str() {
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

/// Ctrl+Z undoes the last change to the design, Ctrl+Shift+Z or Ctrl+Y
/// redoes it; whether it did something.
fn design_history_key(key: &str, shift: bool, editor: Editor, review: Option<ReviewState>) -> bool {
    let redo = match key {
        "z" | "Z" => shift,
        "y" | "Y" => true,
        _ => return false,
    };
    match review {
        // The review's fix taken back is said in the review's words.
        Some(review) if !redo && review.owns_next_undo() => review.undo(),
        _ if redo => editor.redo(),
        _ => editor.undo(),
    }
}

/// `e` and edit mode's keys; whether the key was theirs. The arrows and
/// Delete act on the selected piece (none selected: not theirs), Enter only
/// on a piece on the move (else it keeps its meaning on a button).
fn edit_key(key: &str, editor: Editor) -> bool {
    if matches!(key, "e" | "E") {
        editor.toggle();
        return true;
    }
    if !editor.is_on() {
        return false;
    }
    match key {
        "ArrowLeft" => editor.nudge(-1.0, 0.0),
        "ArrowRight" => editor.nudge(1.0, 0.0),
        "ArrowUp" => editor.nudge(0.0, -1.0),
        "ArrowDown" => editor.nudge(0.0, 1.0),
        "Enter" => editor.place(),
        "Delete" | "Backspace" => editor.remove_selected(),
        "Escape" => {
            editor.leave();
            true
        }
        _ => false,
    }
}

/// The presenter-mode action for `key`, if it is one of theirs.
fn presenter_key(key: &str, shift: bool, present: Present) -> Option<fn(Present)> {
    Some(match key {
        "p" | "P" => Present::toggle_presenting,
        "t" | "T" => Present::cycle_theme,
        "b" | "B" if shift => Present::build_back,
        "b" | "B" => Present::build_forward,
        "l" | "L" => Present::toggle_pointer,
        "?" => Present::open_help,
        "Escape" if present.building() => Present::build_whole,
        _ => return None,
    })
}

/// The mode a digit key opens (1 to 5, in the dock's order).
fn mode_key(key: &str) -> Option<Mode> {
    match key.as_bytes() {
        [d @ b'1'..=b'5'] => Mode::ALL.get(usize::from(d - b'1')).copied(),
        _ => None,
    }
}

/// Whether the key goes into a field where letters are text (or a select's
/// type-ahead).
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    let input_takes_text = tag == "input"
        && !matches!(
            el.get_attribute("type").unwrap_or_default().to_ascii_lowercase().as_str(),
            "range" | "checkbox" | "radio" | "button" | "submit" | "reset" | "color" | "file"
        );
    input_takes_text
        || matches!(tag.as_str(), "select" | "textarea")
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

/// Whether the key goes to a form field (a slider's arrows move the slider,
/// not the selected piece).
fn in_field(e: &web_sys::KeyboardEvent) -> bool {
    e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
        matches!(el.tag_name().to_ascii_lowercase().as_str(), "input" | "select" | "textarea")
    })
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
