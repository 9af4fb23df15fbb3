//! The highlight pointer (`l`): a large, high-contrast spot that follows the
//! mouse, and from the keyboard jumps from element to element of the board
//! (arrow keys, or Tab onto an element). The element it rests on is lit
//! through the study's [`Highlight`], the same light the tour uses; what the
//! tour had lit comes back when the pointer goes off.

use super::{focus_element, Present};
use crate::board::Highlight;
use crate::erased::{dynamic, effect, shown};
use crate::i18n::{k, t};
use crate::sim_driver::use_sim;
use crate::watched::Watched;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where the pointer is drawn, in page (client) pixels.
#[derive(Clone, Copy)]
struct Spot(Watched<Option<(f64, f64)>>);

/// Listeners for the page's whole life: mouse moves, focus moving onto an
/// element of the board, and the arrow keys while the pointer is on (taken
/// in the capture phase, before the tour and the time keys see them).
pub(super) fn install(present: Present) {
    let spot = Spot(Watched::new(None));
    provide_context(spot);
    let highlight = use_context::<Highlight>();
    let sim = use_sim();
    let saved = StoredValue::new(Vec::<usize>::new());

    // On: keep what was lit; off: give it back.
    let mut was = None::<bool>;
    effect(move || {
        let on = present.pointer.get();
        let was = was.replace(on);
        let Some(h) = highlight else { return };
        if on && was == Some(false) {
            saved.set_value(h.0.get_untracked());
        } else if !on && was == Some(true) {
            h.0.set(saved.get_value());
            spot.0.set(None);
        }
    });

    let moved = window_event_listener(ev::pointermove, move |e: web_sys::PointerEvent| {
        if present.pointer.get_untracked() {
            spot.0.set(Some((e.client_x() as f64, e.client_y() as f64)));
        }
    });
    let land = move |index: usize, el: &web_sys::Element| {
        let r = el.get_bounding_client_rect();
        spot.0.set(Some((r.left() + r.width() / 2.0, r.top() + r.height() / 2.0)));
        if let Some(h) = highlight {
            h.0.set(vec![index]);
        }
    };
    let focused = window_event_listener(ev::focusin, move |e: web_sys::FocusEvent| {
        if !present.pointer.get_untracked() {
            return;
        }
        let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return;
        };
        let Some(id) = el.get_attribute("data-node") else { return };
        if let Some(index) =
            sim.scenario.with_untracked(|s| s.nodes.iter().position(|n| n.id == id))
        {
            land(index, &el);
        }
    });
    on_cleanup(move || {
        moved.remove();
        focused.remove();
    });

    let on_key =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if !present.pointer.get_untracked()
                || present.help.get_untracked()
                || e.default_prevented()
                || e.ctrl_key()
                || e.meta_key()
                || e.alt_key()
                || typing(&e)
            {
                return;
            }
            let dir = match e.key().as_str() {
                "ArrowRight" => (1.0, 0.0),
                "ArrowLeft" => (-1.0, 0.0),
                "ArrowDown" => (0.0, 1.0),
                "ArrowUp" => (0.0, -1.0),
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            let ids: Vec<String> =
                sim.scenario.with_untracked(|s| s.nodes.iter().map(|n| n.id.clone()).collect());
            let doc = document();
            // The elements on screen (not left out by a build-up), with their centres.
            let nodes: Vec<(usize, web_sys::Element, (f64, f64))> = ids
                .iter()
                .enumerate()
                .filter_map(|(i, id)| {
                    let el = doc.query_selector(&format!("svg [data-node=\"{id}\"]")).ok()??;
                    let r = el.get_bounding_client_rect();
                    (r.width() > 0.0)
                        .then(|| (i, el, (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0)))
                })
                .collect();
            let current = doc
                .active_element()
                .and_then(|a| nodes.iter().position(|(_, el, _)| *el == a))
                .or_else(|| {
                    let lit = highlight.map(|h| h.0.get_untracked()).unwrap_or_default();
                    nodes.iter().position(|(i, _, _)| lit.first() == Some(i))
                });
            let next = match current {
                None => (!nodes.is_empty()).then_some(0),
                Some(c) => nearest(&nodes.iter().map(|n| n.2).collect::<Vec<_>>(), c, dir),
            };
            if let Some((index, el, _)) = next.and_then(|n| nodes.get(n)) {
                focus_element(el);
                land(*index, el);
            }
        });
    let _ = window().add_event_listener_with_callback_and_bool(
        "keydown",
        on_key.as_ref().unchecked_ref(),
        true,
    );
    // One listener for the page's whole life.
    on_key.forget();
}

/// The closest point to `points[from]` in direction `dir` (a unit step
/// along one axis): distance along the direction, sideways distance
/// counting double, so → from the load balancer finds the next column.
fn nearest(points: &[(f64, f64)], from: usize, dir: (f64, f64)) -> Option<usize> {
    let (x0, y0) = points[from];
    points
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != from)
        .filter_map(|(i, &(x, y))| {
            let (dx, dy) = (x - x0, y - y0);
            let along = dx * dir.0 + dy * dir.1;
            let side = (dx * dir.1 - dy * dir.0).abs();
            (along > 1.0).then_some((i, along + 2.0 * side))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

fn typing(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "select" | "textarea")
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

/// The spot itself, and a line saying how to drive it.
#[component]
pub(super) fn Pointer() -> impl IntoView {
    let present = expect_context::<Present>();
    let spot = expect_context::<Spot>();
    view! {
        {shown(
            move || present.pointer.get(),
            move || {
                view! {
                    <p class="pointer-status" role="status" data-testid="pointer-status">
                        {t(k::present::pointer::ON)}
                    </p>
                    {shown(
                        move || spot.0.get().is_some(),
                        move || {
                            view! {
                                <div
                                    class="laser"
                                    aria-hidden="true"
                                    data-testid="laser"
                                    style:left=dynamic(move || format!("{}px", spot.0.get().map_or(0.0, |p| p.0)))
                                    style:top=dynamic(move || format!("{}px", spot.0.get().map_or(0.0, |p| p.1)))
                                ></div>
                            }
                            .into_any()
                        },
                    )}
                }
                .into_any()
            },
        )}
    }
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn arrows_go_to_the_nearest_element_that_way() {
        // The default layout's centres: user, DNS, FW1, LB, FW2, S1, FW3, S2, monitoring.
        let p = [
            (80.0, 320.0),
            (80.0, 110.0),
            (235.0, 320.0),
            (370.0, 320.0),
            (545.0, 180.0),
            (715.0, 180.0),
            (545.0, 460.0),
            (715.0, 460.0),
            (915.0, 320.0),
        ];
        assert_eq!(nearest(&p, 0, (1.0, 0.0)), Some(2), "user → FW1");
        assert_eq!(nearest(&p, 0, (0.0, -1.0)), Some(1), "user ↑ DNS");
        assert_eq!(nearest(&p, 3, (1.0, 0.0)), Some(4), "LB → FW2 (a tie with FW3 goes first)");
        assert_eq!(nearest(&p, 5, (0.0, 1.0)), Some(7), "server 1 ↓ server 2");
        assert_eq!(nearest(&p, 8, (1.0, 0.0)), None, "nothing right of monitoring");
    }
}
