//! The board's stage sized in CSS pixels: the largest 5:3 rectangle in its
//! fit box (assets/workspace.css gives the fit box its room: what the
//! workspace leaves, or on a phone the page's width at 5:3).
//!
//! The style sheet can size it alone (`min(100cqw, 100cqh * 5 / 3)`, what
//! the page's still and the first layout use), but a stage sized in
//! container units is laid out again, with the whole diagram in it, at
//! every layout of the page: each publication's new numbers beside the
//! board cost 13 ms of layout with a 50-box design (BENCHMARKS.md §6). A
//! stage of fixed pixels is laid out only when it changes.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The board's width over its height (its SVG's viewBox is 1000 × 600).
const ASPECT: f64 = 5.0 / 3.0;

/// Sizes `fit`'s stage (its first child) now and whenever `fit` changes size.
/// Called once: the board lives as long as the page, so does the observer.
pub fn keep_stage_fitted(fit: Element) {
    let resized = {
        let fit = fit.clone();
        Closure::<dyn FnMut()>::new(move || size_stage(&fit))
    };
    if let Ok(observer) = web_sys::ResizeObserver::new(resized.as_ref().unchecked_ref()) {
        observer.observe(&fit);
    }
    resized.forget();
}

fn size_stage(fit: &Element) {
    let Some(stage) = fit.first_element_child().and_then(|s| s.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let (room_w, room_h) = (f64::from(fit.client_width()), f64::from(fit.client_height()));
    let width = room_w.min(room_h * ASPECT);
    // Through the CSSOM: the page's CSP refuses style attributes.
    let style = stage.style();
    let _ = style.set_property("width", &format!("{width}px"));
    let _ = style.set_property("height", &format!("{}px", width / ASPECT));
}
