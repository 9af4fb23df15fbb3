//! The whiteboard: the scenario's topology drawn as SVG, with the layers the
//! page stacks on top of it (the request animation layer, `canvas`).
//! It also owns what the panels above it may single out on it: the
//! [`Selection`], the lit nodes ([`Highlight`]), the tour's token
//! ([`TourMarker`]) and the build-up stage ([`BuildUp`]).
//!
//! The drawing is rebuilt only when the scenario changes; node state (down,
//! promoted, out of the pool, CPU and wait bars, where the certificate lives)
//! follows the simulation through small reactive attributes, about 15 times
//! a second. Every node is a focusable button with its accessible name, so a
//! keyboard (or an end-to-end test) can select it for the inspector.

mod editing;
mod fit;
mod geometry;
mod node;
mod stage;
mod tour_token;

use crate::erased::{dynamic, effect};
use crate::i18n::Locale;
use crate::i18n::{k, t, use_i18n};
use crate::sim_driver::use_sim;
use crate::watched::Watched;
pub use editing::{drawn, provide_editing, snap, Editing, GRID};
pub use geometry::{free_spot, node_size};
use geometry::{links, zones, LinkKind};
use infraboard_sim::DropReason;
use infraboard_sim::{Scenario, Topology, Zone};
use leptos::prelude::*;
pub use node::{component_name, kind_name, node_name};
pub use stage::{BuildUp, Stage};

/// The short label drawn where a request was dropped ("FW1: 3306 denied").
/// `rule_port` is the port of the matching rule, when the caller knows it.
pub fn drop_label(
    scenario: &Scenario,
    reason: &DropReason,
    node: usize,
    rule_port: Option<u16>,
    locale: Locale,
) -> String {
    match *reason {
        DropReason::FirewallRule { firewall, .. } if rule_port.is_some() => {
            k::board::drop::port_denied(
                locale,
                node::firewall_short(scenario, firewall, locale),
                rule_port.unwrap_or_default(),
            )
        }
        DropReason::FirewallDefaultDeny { firewall, port } => k::board::drop::port_denied(
            locale,
            node::firewall_short(scenario, firewall, locale),
            port,
        ),
        DropReason::FirewallRule { firewall, rule } => k::board::drop::rule_denied(
            locale,
            node::firewall_short(scenario, firewall, locale),
            rule + 1,
        ),
        DropReason::NoHealthyBackend => k::board::drop::NO_BACKEND.text(locale).into(),
        DropReason::PrimaryDown => k::board::drop::PRIMARY_DOWN.text(locale).into(),
        DropReason::NoDatabase => k::board::drop::NO_DATABASE.text(locale).into(),
        DropReason::NodeDown => {
            k::board::drop::node_down(locale, node_name(scenario, node, locale))
        }
        DropReason::VipOnDeadMaster => {
            k::board::drop::vip_on_dead_master(locale, node_name(scenario, node, locale))
        }
        DropReason::PinnedToDeadLb => {
            k::board::drop::pinned_to_dead_lb(locale, node_name(scenario, node, locale))
        }
        DropReason::Timeout => k::board::drop::TIMEOUT.text(locale).into(),
        DropReason::DnsFailure => k::board::drop::DNS_FAILURE.text(locale).into(),
    }
}
use std::sync::Arc;

/// Which node the inspector shows (index into `Scenario::nodes`).
#[derive(Clone, Copy)]
pub struct Selection(pub Watched<Option<usize>>);

/// The board nodes (indices into `Scenario::nodes`) the tour, an open
/// explanation or a playing scene is about. The board reads it and draws
/// those nodes lit; empty means nothing is singled out.
///
/// ```ignore
/// let lit = use_context::<Highlight>();
/// let is_lit = move || lit.is_some_and(|h| h.0.with(|v| v.contains(&index)));
/// ```
#[derive(Clone, Copy)]
pub struct Highlight(pub Watched<Vec<usize>>);

/// The guided tour's single request, for the board to draw its token: where
/// it stands after the current step and whether the user's data is
/// encrypted there. The tour (`study`) provides and moves it.
#[derive(Clone, Copy)]
pub struct TourMarker {
    /// The node it stands at (index into `Scenario::nodes`); `None` outside the tour.
    pub at: Watched<Option<usize>>,
    /// Whether what it carries there is encrypted; `None` when it carries
    /// no user data (the monitoring's metrics).
    pub encrypted: Signal<Option<bool>>,
}

/// Puts an empty [`Selection`] in context; call once, above the board and the inspector.
pub fn provide_selection() -> Selection {
    let selection = Selection(Watched::new(None));
    provide_context(selection);
    selection
}

/// The diagram of the current scenario, the layers stacked over it
/// (`children`: the request animation layer, the Edit button), what goes
/// between it and the legend (`below`: the editor's toolbar) and the legend.
#[component]
pub fn Board(children: Children, #[prop(optional)] below: Option<Children>) -> impl IntoView {
    let sim = use_sim();
    let editing = use_context::<Editing>();
    let drafting = move || editing.is_some_and(|e| e.draft.with(Option::is_some));
    let fit_box = NodeRef::<leptos::html::Div>::new();
    effect(move || {
        if let Some(el) = fit_box.get() {
            fit::keep_stage_fitted(el.into());
        }
    });
    view! {
        // A draft has no run: the request layer over it is hidden (CSS).
        <figure class="board" data-draft=dynamic(move || drafting().then_some("on"))>
            // The fit box gives the stage the room it may take; the stage
            // keeps the board's 5:3 inside it (fit.rs).
            <div class="board-fit" node_ref=fit_box>
                <div class="board-stage">
                    {move || {
                        // Drawn anew for a draft's every change and for each run,
                        // not for a move: a moved piece is moved where it is drawn.
                        let (scenario, live) = match editing.and_then(|e| e.draft.get()) {
                            Some(draft) => (draft, false),
                            None => {
                                sim.runs.track();
                                (sim.scenario.get_untracked(), true)
                            }
                        };
                        view! { <Diagram scenario=scenario live=live /> }
                    }}
                    {children()}
                </div>
            </div>
            {below.map(|b| b())}
            <Legend />
        </figure>
    }
}

#[component]
fn Diagram(scenario: Arc<Scenario>, live: bool) -> impl IntoView {
    let sim = use_sim();
    // Presenter mode's build-up (src/present) hides what is not built yet.
    let build = use_context::<BuildUp>();
    let editing = use_context::<Editing>();
    // The zones and the wires, drawn from where the pieces stand now: the
    // running design, which a move changes without drawing the diagram anew.
    let ground = {
        let scenario = scenario.clone();
        move || {
            let now = if live { sim.scenario.get() } else { scenario.clone() };
            // While the build-up has no firewalls yet, the traffic is drawn straight.
            let shortcuts = build.and_then(|b| b.0.get()).map(|stage| {
                let lines = stage.shortcuts(&now).into_iter().map(|(a, b)| {
                    let (p, q) = (&now.nodes[a], &now.nodes[b]);
                    view! { <line class="link build-link" x1=p.x y1=p.y x2=q.x y2=q.y /> }
                });
                lines.collect_view()
            });
            view! {
                <g class="zones" aria-hidden="true">{zone_views(&now)}</g>
                <g class="links" aria-hidden="true">{link_views(now.clone(), build)}{shortcuts}</g>
            }
            .into_any()
        }
    };
    let token = live.then(|| view! { <tour_token::TourToken /> });
    let node_views: Vec<_> = (0..scenario.nodes.len())
        .map(|i| view! { <node::Node scenario=scenario.clone() index=i live=live /> })
        .collect();
    view! {
        <svg
            viewBox="0 0 1000 600"
            role="group"
            aria-label=t(k::board::DIAGRAM)
            class="diagram"
            data-hide=dynamic(move || build.map(|b| b.hidden_parts()))
            data-editing=dynamic(move || editing.is_some_and(|e| e.on.get()).then_some("on"))
        >
            <defs>
                <pattern id="bricks" width="14" height="10" patternUnits="userSpaceOnUse">
                    <rect width="14" height="10" class="brick-mortar" />
                    <path d="M0 5 H14 M7 0 V5 M0 5 V10 M14 5 V10" class="brick-line" />
                </pattern>
            </defs>
            {dynamic(ground)}
            <g class="nodes">{node_views}</g>
            {token}
        </svg>
    }
}

/// The zones behind the pieces, as wide as what stands in them.
fn zone_views(scenario: &Scenario) -> impl IntoView + use<> {
    zones(scenario)
        .into_iter()
        .map(|(zone, x, w)| {
            let label = match zone {
                Zone::Internet => k::board::zone::INTERNET,
                Zone::Edge => k::board::zone::EDGE,
                Zone::App => k::board::zone::APP,
                Zone::Data => k::board::zone::DATA,
                Zone::Ops => k::board::zone::OPS,
            };
            view! {
                <g class=format!("zone zone-{}", zone.as_str())>
                    <rect x=x y="8" width=w height="584" rx="16" />
                    <text class="zone-label" x=x + 12.0 y="32">{t(label)}</text>
                </g>
            }
        })
        .collect_view()
}

/// The wires between the pieces.
fn link_views(scenario: Arc<Scenario>, build: Option<BuildUp>) -> impl IntoView + use<> {
    links(&Topology::of(&scenario))
        .into_iter()
        .map(|l| {
            let ends =
                [&l.from_id, &l.to_id].map(|id| scenario.nodes.iter().position(|n| &n.id == id));
            let kind = match l.kind {
                LinkKind::Traffic => "link",
                LinkKind::Dns => "link dns-link",
                LinkKind::Agent => "link agent-link",
                LinkKind::Replication => "link replication-link",
            };
            let scenario = scenario.clone();
            let class = move || match build {
                Some(b) if ends.iter().flatten().any(|&i| b.hides_node(&scenario, i)) => {
                    format!("{kind} unbuilt")
                }
                _ => kind.to_string(),
            };
            view! {
                <line
                    class=dynamic(class)
                    data-link=format!("{}->{}", l.from_id, l.to_id)
                    x1=l.a.0
                    y1=l.a.1
                    x2=l.b.0
                    y2=l.b.1
                />
            }
        })
        .collect_view()
}

/// What the shapes mean, and how many requests a dot stands for.
#[component]
fn Legend() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let per_dot = move || sim.frame.with(|f| f.dot_stands_for);
    let reduced = window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    view! {
        <figcaption class="legend" aria-label=t(k::board::legend::TITLE)>
            <span class="key"><span class="swatch read" aria-hidden="true"></span>{t(k::board::legend::READ)}</span>
            <span class="key"><span class="swatch write" aria-hidden="true"></span>{t(k::board::legend::WRITE)}</span>
            <span class="key"><span class="swatch attack" aria-hidden="true"></span>{t(k::board::legend::ATTACK)}</span>
            <span class="key"><span class="swatch dns" aria-hidden="true"></span>{t(k::board::legend::DNS)}</span>
            <span class="key"><span class="lock closed" aria-hidden="true"></span>{t(k::board::legend::ENCRYPTED)}</span>
            <span class="key"><span class="lock open" aria-hidden="true"></span>{t(k::board::legend::PLAINTEXT)}</span>
            <output class="key per-dot" data-testid="dot-scale">
                {move || match per_dot() {
                    1 => k::board::legend::DOT_IS_ONE.text(i18n.locale()).to_string(),
                    n => k::board::legend::dot_is_n(i18n.locale(), i18n.number(n as f64, 0)),
                }}
            </output>
            {reduced.then(|| view! { <span class="key">{t(k::board::legend::REDUCED_MOTION)}</span> })}
        </figcaption>
    }
}
