//! The tour panel: one request for https://www.foobar.com, step by step.
//! → / ← (and the buttons) move through the steps while the tour runs;
//! Escape leaves it. Each step lights its parts of the board through
//! [`Highlight`] and says so when the layout lacks them.

use super::tour::{Step, StepView};
use super::TourState;
use crate::board::{Highlight, TourMarker};
use crate::erased::{dynamic, effect, handler, shown, shown_or};
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use crate::sim_driver::use_sim;
use infraboard_sim::TlsMode;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const LAST: usize = Step::ALL.len() - 1;

impl TourState {
    fn go(self, delta: isize) {
        self.step.update(|s| *s = s.saturating_add_signed(delta).min(LAST));
    }
}

/// → / ← / Escape for the tour, on the document so they are handled before
/// the page-wide shortcuts (a window listener), which then see the event as
/// handled and leave the simulation's time alone. Lives as long as the page.
pub(super) fn install_keys(tour: TourState) {
    let on_key =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if !tour.active.get_untracked()
                || e.default_prevented()
                || e.ctrl_key()
                || e.meta_key()
                || e.alt_key()
                || typing_into(&e)
            {
                return;
            }
            let delta = match e.key().as_str() {
                "ArrowRight" => 1,
                "ArrowLeft" => -1,
                "Escape" => {
                    tour.active.set(false);
                    0
                }
                _ => return,
            };
            e.prevent_default();
            tour.go(delta);
        });
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let _ = doc.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    }
    // One listener for the page's whole life.
    on_key.forget();
}

/// Whether the key goes to a control that uses arrows itself.
fn typing_into(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "select" | "textarea")
        || el.get_attribute("role").is_some_and(|r| r == "slider")
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

fn title(step: Step) -> Msg {
    use k::tour::steps::*;
    match step {
        Step::Browser => s01_browser::TITLE,
        Step::Dns => s02_dns::TITLE,
        Step::FirewallEdge => s03_firewall_edge::TITLE,
        Step::Tls => s04_tls::TITLE,
        Step::Balance => s05_balance::TITLE,
        Step::FirewallApp => s06_firewall_app::TITLE,
        Step::Database => s07_database::TITLE,
        Step::FirewallData => s08_firewall_data::TITLE,
        Step::Monitoring => s09_monitoring::TITLE,
        Step::Response => s10_response::TITLE,
    }
}

fn missing(step: Step) -> Msg {
    use k::tour::steps::*;
    match step {
        Step::Browser => s01_browser::MISSING,
        Step::Dns => s02_dns::MISSING,
        Step::FirewallEdge => s03_firewall_edge::MISSING,
        Step::Tls => s04_tls::MISSING,
        Step::Balance => s05_balance::MISSING,
        Step::FirewallApp => s06_firewall_app::MISSING,
        Step::Database => s07_database::MISSING,
        Step::FirewallData => s08_firewall_data::MISSING,
        Step::Monitoring => s09_monitoring::MISSING,
        Step::Response => s10_response::MISSING,
    }
}

/// What the live board adds to a step's text.
struct Live {
    servers: usize,
    algorithm: &'static str,
    tls: TlsMode,
}

fn body(step: Step, locale: Locale, live: &Live) -> String {
    use k::tour::steps::*;
    let msg = match step {
        Step::Browser => s01_browser::BODY,
        Step::Dns => s02_dns::BODY,
        Step::FirewallEdge => s03_firewall_edge::BODY,
        Step::Tls => {
            let extra = match live.tls {
                TlsMode::Terminate => "",
                TlsMode::Reencrypt => s04_tls::IF_REENCRYPT.text(locale),
                TlsMode::Passthrough => s04_tls::IF_PASSTHROUGH.text(locale),
            };
            let base = s04_tls::BODY.text(locale);
            return if extra.is_empty() { base.to_string() } else { format!("{base} {extra}") };
        }
        Step::Balance => return s05_balance::body(locale, live.servers, live.algorithm),
        Step::FirewallApp => s06_firewall_app::BODY,
        Step::Database => s07_database::BODY,
        Step::FirewallData => s08_firewall_data::BODY,
        Step::Monitoring => s09_monitoring::BODY,
        Step::Response => s10_response::BODY,
    };
    msg.text(locale).to_string()
}

/// The tour: a start button, then one step at a time.
#[component]
pub(super) fn TourPanel() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let tour = expect_context::<TourState>();
    let highlight = expect_context::<Highlight>();
    let marker = expect_context::<TourMarker>();

    let view_of = move || -> StepView {
        let step = Step::at(tour.step.get());
        sim.with_design(|s| step.on(s))
    };
    // Light the step's parts while the tour runs; give the board back after.
    let mut was_active = None::<bool>;
    effect(move || {
        let active = tour.active.get();
        let was_active = was_active.replace(active);
        if active {
            let v = view_of();
            highlight.0.set(v.highlight);
            marker.at.set(v.request_at);
        } else if was_active == Some(true) {
            highlight.0.set(Vec::new());
            marker.at.set(None);
        }
    });

    let board_now = move || {
        sim.with_sim(|s| Live {
            servers: s.load_balancer().backends.len(),
            algorithm: s.load_balancer().algorithm.as_str(),
            tls: s.tls_mode(),
        })
    };
    let step = move || Step::at(tour.step.get());
    let step_text = move || body(step(), i18n.locale(), &board_now());
    let counter = move || k::tour::step_of(i18n.locale(), tour.step.get() + 1, Step::ALL.len());
    let missing_line = move || {
        view_of().is_missing().then(|| {
            view! {
                <p class="tour-missing" data-testid="tour-missing">
                    <strong>{t(k::tour::MISSING_LABEL)}</strong>
                    " "
                    {dynamic(move || i18n.tr(missing(step())))}
                </p>
            }
            .into_any()
        })
    };
    let lit_ids = move || {
        let lit = highlight.0.get();
        sim.with_design(|s| {
            lit.iter()
                .filter_map(|&i| s.nodes.get(i).map(|n| n.id.clone()))
                .collect::<Vec<_>>()
                .join(" ")
        })
    };

    view! {
        <section
            class="study-panel tour"
            aria-labelledby="tour-title"
            data-testid="tour"
            data-active=dynamic(move || tour.active.get().to_string())
            data-step=dynamic(move || (tour.step.get() + 1).to_string())
            data-highlight=dynamic(lit_ids)
        >
            <header class="study-head">
                <h2 id="tour-title">{t(k::tour::TITLE)}</h2>
                {shown_or(
                    move || tour.active.get(),
                    move || {
                        view! {
                            <span class="tour-counter" aria-live="polite" data-testid="tour-counter">{dynamic(counter)}</span>
                            <button data-testid="tour-close" on:click=handler(move |_| tour.active.set(false))>
                                {t(k::tour::CLOSE)}
                            </button>
                        }
                        .into_any()
                    },
                    move || {
                        view! {
                            <button
                                class="study-primary"
                                data-testid="tour-start"
                                on:click=handler(move |_| {
                                    tour.step.set(0);
                                    tour.active.set(true);
                                })
                            >
                                {t(k::tour::START)}
                            </button>
                        }
                        .into_any()
                    },
                )}
            </header>
            {shown(
                move || tour.active.get(),
                move || {
                    view! {
                        <ol class="tour-dots" aria-hidden="true">
                            {Step::ALL
                                .iter()
                                .enumerate()
                                .map(|(i, _)| {
                                    view! {
                                        <li
                                            class:done=dynamic(move || i < tour.step.get())
                                            class:current=dynamic(move || i == tour.step.get())
                                        ></li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                        <h3 class="tour-step-title" data-testid="tour-step-title">
                            {dynamic(move || i18n.tr(title(step())))}
                        </h3>
                        <p class="tour-body" data-testid="tour-body">{dynamic(step_text)}</p>
                        {dynamic(missing_line)}
                        <div class="tour-nav">
                            <button
                                data-testid="tour-prev"
                                disabled=dynamic(move || tour.step.get() == 0)
                                on:click=handler(move |_| tour.go(-1))
                            >
                                "← "
                                {t(k::tour::PREV)}
                            </button>
                            <button
                                class="study-primary"
                                data-testid="tour-next"
                                disabled=dynamic(move || tour.step.get() == LAST)
                                on:click=handler(move |_| tour.go(1))
                            >
                                {t(k::tour::NEXT)}
                                " →"
                            </button>
                            <span class="study-hint">{t(k::tour::KEYS_HINT)}</span>
                        </div>
                    }
                    .into_any()
                },
            )}
        </section>
    }
}
