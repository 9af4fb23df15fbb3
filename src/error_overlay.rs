//! The error overlay: a failed simulation call or a panic shows a message
//! and a way back to the last good state, without losing what the user set.
//!
//! Two paths, because a release build aborts on panic:
//! - a failed call (`SimHandle::fault`) is recoverable in place: the button
//!   puts back the last snapshot and keeps the scenario, seed, speed and
//!   every recorded command;
//! - a panic kills the wasm instance, so the hook draws a plain DOM overlay
//!   whose link reloads the page at the same address (the URL carries the
//!   user's state).

use crate::erased::handler;
use crate::i18n::{k, t, Locale};
use crate::sim_driver::use_sim;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The overlay for recoverable failures.
#[component]
pub fn ErrorOverlay() -> impl IntoView {
    let sim = use_sim();
    move || {
        sim.fault.get().map(|message| {
            view! {
                <div class="error-overlay" role="alertdialog" aria-modal="true" aria-labelledby="error-title">
                    <div class="error-box">
                        <h2 id="error-title">{t(k::common::error::TITLE)}</h2>
                        <pre class="error-message">{message}</pre>
                        <button
                            type="button"
                            class="restore"
                            autofocus=true
                            on:click=handler(move |_| sim.restore_last_good())
                        >
                            {t(k::common::error::RESTORE)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// Logs panics to the console and shows the overlay in the page. The
/// message (with its file and line) goes to `console.error` as it is: the
/// browser adds the stack, so no panic-hook crate is needed for it.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.as_str().into());
        show_panic(&message);
    }));
}

fn show_panic(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let locale = document
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|l| Locale::from_tag(&l))
        .unwrap_or_default();
    let Ok(overlay) = document.create_element("div") else { return };
    overlay.set_class_name("error-overlay");
    let _ = overlay.set_attribute("role", "alertdialog");
    let build = || -> Result<(), wasm_bindgen::JsValue> {
        let panel = document.create_element("div")?;
        panel.set_class_name("error-box");
        let title = document.create_element("h2")?;
        title.set_text_content(Some(k::common::error::TITLE.text(locale)));
        let pre = document.create_element("pre")?;
        pre.set_class_name("error-message");
        // Text, never HTML: the message may quote user input.
        pre.set_text_content(Some(message));
        let link = document.create_element("a")?;
        link.set_class_name("restore");
        let here = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        link.set_attribute("href", &here)?;
        link.set_text_content(Some(k::common::error::RESTORE.text(locale)));
        panel.append_child(&title)?;
        panel.append_child(&pre)?;
        panel.append_child(&link)?;
        overlay.append_child(&panel)?;
        if let Some(body) = document.body() {
            body.append_child(&overlay)?;
        }
        if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
            let _ = link.focus();
        }
        Ok(())
    };
    let _ = build();
}
