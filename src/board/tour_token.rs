//! The guided tour's one request, drawn on the board: a token that stands
//! where the current step leaves the request and glides to the next place
//! when the step changes (a CSS transition, so it costs no frame work and
//! stops moving under prefers-reduced-motion). Its padlock says whether the
//! user's data is encrypted there, so the tour shows SSL termination instead
//! of only telling it.

use super::geometry::node_size;
use super::TourMarker;
use crate::erased::dynamic;
use crate::i18n::{k, use_i18n};
use crate::sim_driver::use_sim;
use leptos::prelude::*;

/// Padlock shackle, closed (both legs in the body) and open (lifted clear).
const SHACKLE_CLOSED: &str = "M-3.5 0 V-3.5 A3.5 3.5 0 0 1 3.5 -3.5 V0";
const SHACKLE_OPEN: &str = "M-3.5 -3 V-6.5 A3.5 3.5 0 0 1 3.5 -6.5 V-4.5";

/// The token, shown only while the tour runs.
#[component]
pub fn TourToken() -> impl IntoView {
    let marker = use_context::<TourMarker>()?;
    let sim = use_sim();
    let i18n = use_i18n();
    // The top-left corner of the node the request stands at, so the token
    // never hides the node's name.
    // (where it stands now: a moved piece takes the token along).
    let place = Memo::new(move |_| {
        let at = marker.at.get()?;
        sim.scenario.with(|s| {
            let node = s.nodes.get(at)?;
            let (w, h) = node_size(node);
            Some((node.x - w / 2.0 + 6.0, node.y - h / 2.0 - 2.0))
        })
    });
    let encrypted = move || marker.encrypted.get();
    // Set through the CSSOM (`style:transform`), not a `style="…"`
    // attribute: the page's CSP allows no inline style attributes.
    let transform = move || {
        let (x, y) = place.get().unwrap_or_default();
        format!("translate({x}px, {y}px)")
    };
    let label = move || {
        let msg = match encrypted() {
            Some(true) => k::board::tour_token::ENCRYPTED,
            Some(false) => k::board::tour_token::PLAINTEXT,
            None => k::board::tour_token::METRICS,
        };
        i18n.tr(msg).to_string()
    };
    let state = move || match encrypted() {
        Some(true) => "true",
        Some(false) => "false",
        None => "none",
    };
    let shackle = move || if encrypted() == Some(false) { SHACKLE_OPEN } else { SHACKLE_CLOSED };
    Some(view! {
        <g
            class="tour-token"
            data-testid="tour-token"
            data-encrypted=dynamic(state)
            style:transform=dynamic(transform)
            role="img"
            aria-label=dynamic(label)
            visibility=dynamic(move || if place.with(Option::is_some) { "visible" } else { "hidden" })
        >
            // Drawn at 1.4× the dots' size so it stands out among them.
            <g transform="scale(1.4)">
            <circle class="tour-token-ring" r="15" />
            <circle class="tour-token-body" r="13" />
            <path class="tour-token-envelope" d="M-7 -5 H7 V5 H-7 Z M-7 -5 L0 1 L7 -5" />
            <g class="tour-token-lock" transform="translate(13 -9)" visibility=dynamic(move || {
                if encrypted().is_some() { "visible" } else { "hidden" }
            })>
                <path class="tour-token-shackle" d=dynamic(shackle) />
                <rect x="-5" y="0" width="10" height="8" rx="1.5" />
            </g>
            </g>
        </g>
    })
}
