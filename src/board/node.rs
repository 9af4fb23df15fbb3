//! One element of the diagram: its box, name, components and live state.

use super::geometry::node_size;
use super::{Editing, Selection};
use crate::erased::{dynamic, handler, shown};
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use crate::sim_driver::use_sim;
use infraboard_sim::{Component, NodeKind, Scenario, Zone};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Simulated time a firewall keeps flashing after a drop, in wall ms × speed.
const FLASH_WALL_MS: f64 = 600.0;
/// Wait (queueing) that fills the wait bar, in ns.
const FULL_WAIT_NS: f64 = 50_000_000.0;

/// The name a user reads for node `index`: "Firewall 2", "Server 1",
/// "Load balancer (HAProxy)" … (numbers come from the id's last part). A
/// server in the data tier is a "DB server": the split-tier layouts number
/// their web and database boxes separately (app-1, db-1), and two boxes
/// both called "Server 1" would be ambiguous on the board and in the feed.
pub fn node_name(scenario: &Scenario, index: usize, locale: Locale) -> String {
    let Some(node) = scenario.nodes.get(index) else { return String::new() };
    let number = node.id.rsplit(['-', '_']).next().and_then(|s| s.parse::<u32>().ok());
    if let Some(count) = node.count.filter(|&c| c > 1) {
        // A pool is named by what its boxes run and how many there are.
        let only = |c: Component| node.components.iter().all(|&x| x == c);
        return if only(Component::Nginx) {
            k::board::node::web_pool(locale, count)
        } else if only(Component::App) {
            k::board::node::app_pool(locale, count)
        } else {
            k::board::node::server_pool(locale, count)
        };
    }
    if node.kind == NodeKind::LoadBalancer {
        // Two or more load balancers are told apart by their order.
        let mut lbs = scenario.nodes.iter().filter(|n| n.kind == NodeKind::LoadBalancer);
        if lbs.clone().count() > 1 {
            let n = lbs.position(|n| n.id == node.id).map_or(1, |i| i + 1);
            return k::board::node::load_balancer_n(locale, n);
        }
    }
    match (node.kind, number) {
        (NodeKind::Firewall, Some(n)) => k::board::node::firewall_n(locale, n),
        (NodeKind::Server, Some(n)) if node.zone == Zone::Data => {
            k::board::node::db_server_n(locale, n)
        }
        (NodeKind::Server, Some(n)) => k::board::node::server_n(locale, n),
        (kind, _) => kind_name(kind).text(locale).into(),
    }
}

/// What a kind of node is called on the board ("Firewall", "Load balancer (HAProxy)").
pub fn kind_name(kind: NodeKind) -> Msg {
    match kind {
        NodeKind::Firewall => k::board::node::FIREWALL,
        NodeKind::Server => k::board::node::SERVER,
        NodeKind::User => k::board::node::INTERNET_USER,
        NodeKind::Dns => k::board::node::DNS,
        NodeKind::LoadBalancer => k::board::node::LOAD_BALANCER,
        NodeKind::Monitoring => k::board::node::MONITORING_SERVICE,
    }
}

/// What a component is called on the board ("Nginx", "MySQL primary").
pub fn component_name(c: Component) -> Msg {
    match c {
        Component::Nginx => k::board::component::NGINX,
        Component::App => k::board::component::APP,
        Component::MysqlPrimary => k::board::component::MYSQL_PRIMARY,
        Component::MysqlReplica => k::board::component::MYSQL_REPLICA,
    }
}

/// The short firewall name used in drop labels ("FW1").
pub fn firewall_short(scenario: &Scenario, index: usize, locale: Locale) -> String {
    let n = scenario
        .nodes
        .get(index)
        .and_then(|n| n.id.rsplit(['-', '_']).next().and_then(|s| s.parse::<u32>().ok()))
        .unwrap_or(0);
    k::board::node::firewall_short(locale, n)
}

#[component]
pub fn Node(scenario: Arc<Scenario>, index: usize, live: bool) -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let selection = expect_context::<Selection>();
    // What the tour, an explanation or a scene is about (src/study).
    let lit = use_context::<super::Highlight>();
    // Edit mode (board/editing.rs): the piece on the move, the flagged ones.
    let editing = use_context::<Editing>();
    let flagged = move || editing.is_some_and(|e| e.flagged.with(|f| f.contains(&index)));
    // Not built yet in presenter mode's build-up (src/present): not drawn.
    let build = use_context::<super::BuildUp>();
    let unbuilt = {
        let scenario = scenario.clone();
        move || build.is_some_and(|b| b.hides_node(&scenario, index))
    };
    let spec = scenario.nodes[index].clone();
    let (w, h) = node_size(&spec);
    let (x, y) = (spec.x - w / 2.0, spec.y - h / 2.0);
    let kind = spec.kind;
    let name = {
        let scenario = scenario.clone();
        move || node_name(&scenario, index, i18n.locale())
    };
    let aria_name = name.clone();
    // A draft (`live` false) is not running: no state of the run is drawn on it.
    let down = move || live && sim.with_sim(|s| !s.is_up(index));
    let out_of_pool = move || {
        live && sim
            .with_sim(|s| s.load_balancer().backends.iter().any(|b| b.node == index && !b.in_pool))
    };
    let flashing = move || {
        live && kind == NodeKind::Firewall && {
            sim.frame.track();
            let speed = sim.speed.get_untracked().clamp(0.1, 100.0);
            sim.with_engine(|e| {
                let now = e.now().0;
                let window = (FLASH_WALL_MS * speed * 1e6) as u64;
                e.flights
                    .bursts()
                    .iter()
                    .any(|b| usize::from(b.node) == index && b.at <= now && now - b.at < window)
            })
        }
    };
    let class = move || {
        let mut c = format!("node node-{}", kind_class(kind));
        if down() {
            c.push_str(" is-down");
        }
        if out_of_pool() {
            c.push_str(" out-of-pool");
        }
        if flashing() {
            c.push_str(" flash");
        }
        if selection.0.get() == Some(index) {
            c.push_str(" selected");
        }
        if lit.is_some_and(|h| h.0.with(|v| v.contains(&index))) {
            c.push_str(" highlighted");
        }
        if flagged() {
            c.push_str(" flagged");
        }
        c
    };
    // The button holds the box and its name only: a button's accessible name
    // must contain every word it shows, and "Server 1" cannot also say "Nginx,
    // App, CPU" or "Monitoring agent on Server 1". What is drawn over the box
    // (its parts, state and badges) is its neighbour, lets clicks through to
    // the box (style.css), and is told by the inspector and the badges' names.
    let group_class = move || if unbuilt() { "node-group unbuilt" } else { "node-group" };
    let select = move || selection.0.set(Some(index));
    let editing_on = move || editing.is_some_and(|e| e.on.get_untracked());
    let home = (spec.x, spec.y);
    // Drawn where it is being moved to until it is placed, then where the
    // running design has it: a move does not draw the diagram anew.
    let shift = move || {
        let moving = editing.and_then(|e| e.moving.get()).filter(|(i, _)| *i == index);
        let (x, y) = match moving {
            Some((_, at)) => at,
            None if live => sim.scenario.with(|s| s.nodes.get(index).map(|n| (n.x, n.y)))?,
            None => return None,
        };
        ((x, y) != home).then(|| format!("translate({} {})", x - home.0, y - home.1))
    };
    // A drag: where the pointer went down (client pixels), the board units
    // per pixel, and where the piece stood then.
    type Drag = ((f64, f64), f64, (f64, f64));
    let drag = std::rc::Rc::new(std::cell::Cell::new(None::<Drag>));
    let drag_start = drag.clone();
    let drag_move = drag.clone();
    let drag_cancel = drag.clone();
    let on_down = move |ev: web_sys::PointerEvent| {
        if !editing_on() || ev.button() != 0 {
            return;
        }
        let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let width = el
            .closest("svg")
            .ok()
            .flatten()
            .map_or(0.0, |svg| svg.get_bounding_client_rect().width());
        if width > 0.0 {
            let _ = el.set_pointer_capture(ev.pointer_id());
            let from = match live {
                true => sim.scenario.with_untracked(|s| s.nodes.get(index).map(|n| (n.x, n.y))),
                false => None,
            };
            drag_start.set(Some((
                (f64::from(ev.client_x()), f64::from(ev.client_y())),
                1000.0 / width,
                from.unwrap_or(home),
            )));
            select();
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let (Some(((x0, y0), per_px, from)), Some(e)) = (drag_move.get(), editing) else { return };
        let (dx, dy) =
            ((f64::from(ev.client_x()) - x0) * per_px, (f64::from(ev.client_y()) - y0) * per_px);
        if dx.abs() + dy.abs() >= 4.0 || e.moving.get_untracked().is_some() {
            e.moving.set(Some((index, super::snap(from.0 + dx, from.1 + dy))));
        }
    };
    let on_up = move |_: web_sys::PointerEvent| {
        if drag.take().is_some() {
            if let Some(e) = editing {
                e.place();
            }
        }
    };
    let label_y = if kind == NodeKind::Firewall { y - 10.0 } else { y + 24.0 };
    let body = match kind {
        NodeKind::Firewall => view! {
            <rect class="wall" x=x y=y width=w height=h rx="3" fill="url(#bricks)" />
        }
        .into_any(),
        // A pool is drawn as a stack: two edges peek out behind its box.
        _ if spec.count.is_some_and(|c| c > 1) => view! {
            <rect class="box stack" x=x + 10.0 y=y - 10.0 width=w height=h rx="12" />
            <rect class="box stack" x=x + 5.0 y=y - 5.0 width=w height=h rx="12" />
            <rect class="box" x=x y=y width=w height=h rx="12" />
        }
        .into_any(),
        _ => view! { <rect class="box" x=x y=y width=w height=h rx="12" /> }.into_any(),
    };
    let detail = detail_lines(&spec, kind, x, y);
    let chips = components(scenario.clone(), index, live, x, y, w);
    let bars = (live && matches!(kind, NodeKind::Server | NodeKind::LoadBalancer))
        .then(|| bars(index, x, y, w, h));
    let agent =
        spec.agent.then(|| agent_badge(scenario.clone(), index, live, x + w - 2.0, y + 2.0));
    let cert = live.then(|| cert_badge(index, x, y));
    // Clear of the certificate's badge, which the projector theme enlarges.
    let vip = (live && kind == NodeKind::LoadBalancer).then(|| vip_badge(index, x + 66.0, y));
    let cross = view! {
        <g class="cross" aria-hidden="true">
            <line x1=x y1=y x2=x + w y2=y + h />
            <line x1=x + w y1=y x2=x y2=y + h />
        </g>
    };
    let state_text = move || {
        let locale = i18n.locale();
        if down() {
            k::board::state::DOWN.text(locale).to_string()
        } else if out_of_pool() {
            k::board::state::OUT_OF_POOL.text(locale).to_string()
        } else {
            String::new()
        }
    };
    // Behind two DNS records, a dead load balancer still has users: those
    // whose resolver cached its address (the sim's count), on a line of
    // their own under "down" so the words stay near the box.
    let pinned_text = move || {
        let pinned = if kind == NodeKind::LoadBalancer && down() {
            sim.with_sim(|s| s.users_pinned_to_dead_lb())
        } else {
            0.0
        };
        if pinned > 0.0 {
            k::board::pinned(i18n.locale(), (pinned * 100.0).round())
        } else {
            String::new()
        }
    };
    view! {
        <g class=dynamic(group_class) transform=dynamic(shift)>
        <g
            class=dynamic(class)
            role="button"
            tabindex="0"
            aria-label=dynamic(aria_name)
            aria-pressed=dynamic(move || (selection.0.get() == Some(index)).to_string())
            data-node=spec.id.clone()
            on:click=handler(move |_| select())
            on:pointerdown=handler(on_down)
            on:pointermove=handler(on_move)
            on:pointerup=handler(on_up)
            on:pointercancel=handler(move |_| {
                drag_cancel.set(None);
                if let Some(e) = editing {
                    e.moving.set(None);
                }
            })
            on:keydown=handler(move |ev: web_sys::KeyboardEvent| {
                // In edit mode Enter places a piece on the move (app/keys.rs).
                let placing = editing.is_some_and(|e| e.moving.get_untracked().is_some());
                if (ev.key() == "Enter" || ev.key() == " ") && !placing {
                    ev.prevent_default();
                    ev.stop_propagation();
                    select();
                }
            })
        >
            {body}
            <text class="node-label" x=spec.x y=label_y aria-hidden="true">
                {dynamic(move || label_lines(name(), spec.x, if kind == NodeKind::Firewall { 200.0 } else { w }))}
            </text>
            {cross}
        </g>
        <g class="node-parts" aria-hidden="true">
            {detail}
            {chips}
            {bars}
            <text class="state-text" x=spec.x y=y + h + 18.0>{dynamic(state_text)}</text>
            <text class="state-text" x=spec.x y=y + h + 36.0>{dynamic(pinned_text)}</text>
        </g>
        {agent}
        {cert}
        {vip}
        </g>
    }
}

/// A name too wide for its box breaks before its bracket or its last
/// word: "Load balancer" / "(HAProxy)", "Monitoring" / "service", "Web
/// pool" / "×10".
fn label_lines(name: String, x: f64, box_w: f64) -> AnyView {
    // About 9 board units per character at the label's size; the agent's
    // badge on the box's top corner takes about 17 units of each side.
    let fits = name.chars().count() as f64 * 9.6 <= box_w - 40.0;
    let split = if fits {
        None
    } else {
        name.find(" (")
            .or_else(|| name.rfind(' '))
            .map(|i| (name[..i].to_string(), name[i..].trim().to_string()))
    };
    match split {
        None => view! { <tspan x=x>{name}</tspan> }.into_any(),
        // The space ends the first line so the label reads "Internet user",
        // not "Internetuser", to whatever reads the text (the accessible
        // name must contain it); drawn, it is a trailing blank.
        Some((first, second)) => view! {
            <tspan x=x dy="-0.35em">{first}" "</tspan>
            <tspan x=x dy="1.05em" class="label-second">{second}</tspan>
        }
        .into_any(),
    }
}

/// Small print inside a box, broken at the space nearest the middle when it
/// is wider than the box (about 6.8 board units per character).
fn detail_lines_for(text: &'static str, x: f64, box_w: f64) -> AnyView {
    let fits = text.chars().count() as f64 * 6.8 <= box_w - 6.0;
    let mid = text.len() / 2;
    let split = (!fits)
        .then(|| text.match_indices(' ').map(|(i, _)| i).min_by_key(|i| i.abs_diff(mid)))
        .flatten();
    match split {
        None => view! { <tspan x=x>{text}</tspan> }.into_any(),
        Some(i) => view! {
            <tspan x=x dy="-0.5em">{text[..i].trim()}</tspan>
            <tspan x=x dy="1.15em">{text[i..].trim()}</tspan>
        }
        .into_any(),
    }
}

fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::User => "user",
        NodeKind::Dns => "dns",
        NodeKind::Firewall => "firewall",
        NodeKind::LoadBalancer => "loadbalancer",
        NodeKind::Server => "server",
        NodeKind::Monitoring => "monitoring",
    }
}

fn detail_lines(
    spec: &infraboard_sim::NodeSpec,
    kind: NodeKind,
    _x: f64,
    y: f64,
) -> Option<impl IntoView + use<>> {
    let (msg, dy) = match kind {
        NodeKind::Dns => (k::board::DNS_RECORD, 48.0),
        NodeKind::Monitoring => (k::board::MONITORING_PRODUCT, 66.0),
        _ => return None,
    };
    let (cx, box_w) = (spec.x, node_size(spec).0);
    let i18n = use_i18n();
    Some(view! {
        <text class="node-detail" x=cx y=y + dy aria-hidden="true">
            {dynamic(move || detail_lines_for(msg.text(i18n.locale()), cx, box_w))}
        </text>
    })
}

/// The software boxes inside a server, with MySQL's live role.
fn components(
    scenario: Arc<Scenario>,
    index: usize,
    live: bool,
    x: f64,
    y: f64,
    w: f64,
) -> impl IntoView {
    let sim = use_sim();
    let spec = &scenario.nodes[index];
    spec.components
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let cy = y + 36.0 + 24.0 * i as f64;
            let i18n = use_i18n();
            let text = move || {
                let locale = i18n.locale();
                let msg = match c {
                    Component::Nginx => k::board::component::NGINX,
                    Component::App => k::board::component::APP,
                    Component::MysqlPrimary | Component::MysqlReplica => {
                        let db = live
                            .then(|| {
                                sim.with_sim(|s| {
                                    s.databases().into_iter().find(|d| d.node == index)
                                })
                            })
                            .flatten();
                        match db {
                            Some(d) if !d.up => k::board::component::MYSQL_DOWN,
                            Some(d) if d.primary && c == Component::MysqlReplica => {
                                k::board::component::MYSQL_PROMOTED
                            }
                            Some(d) if d.primary => k::board::component::MYSQL_PRIMARY,
                            None if c == Component::MysqlPrimary => {
                                k::board::component::MYSQL_PRIMARY
                            }
                            _ => k::board::component::MYSQL_REPLICA,
                        }
                    }
                };
                msg.text(locale)
            };
            let class = move || {
                let db_down = matches!(c, Component::MysqlPrimary | Component::MysqlReplica)
                    && live
                    && sim.with_sim(|s| s.databases().iter().any(|d| d.node == index && !d.up));
                let long = text().chars().count() > 18;
                format!(
                    "chip chip-{}{}{}",
                    chip_class(c),
                    if db_down { " chip-down" } else { "" },
                    if long { " chip-long" } else { "" }
                )
            };
            view! {
                <g class=dynamic(class) aria-hidden="true">
                    <rect x=x + 12.0 y=cy width=w - 24.0 height="20" rx="5" />
                    <text x=x + w / 2.0 y=cy + 15.0>{dynamic(text)}</text>
                </g>
            }
        })
        .collect_view()
}

fn chip_class(c: Component) -> &'static str {
    match c {
        Component::Nginx => "nginx",
        Component::App => "app",
        Component::MysqlPrimary | Component::MysqlReplica => "mysql",
    }
}

/// CPU and wait bars along the bottom of a box.
fn bars(index: usize, x: f64, y: f64, w: f64, h: f64) -> impl IntoView {
    let sim = use_sim();
    let cpu = move || {
        sim.frame.with(|f| {
            let slot = f.metrics.box_slot(index);
            let last = f.metrics.history.last();
            match (slot, last) {
                (Some(s), Some(l)) => f64::from(l.cpu_pct.get(s).copied().unwrap_or(0.0)) / 100.0,
                _ => 0.0,
            }
        })
    };
    let wait = move || {
        sim.with_sim(|s| s.cpu_box(index).map_or(0.0, |b| b.wait_ns(s.now()) as f64 / FULL_WAIT_NS))
    };
    let bar_w = (w - 24.0) / 2.0 - 34.0;
    let (bx, by) = (x + 12.0, y + h - 14.0);
    let width = move |v: f64| (v.clamp(0.0, 1.0) * bar_w).max(1.0);
    view! {
        <g class="bars" aria-hidden="true">
            <text class="bar-label" x=bx y=by + 7.0>{t(k::board::state::CPU)}</text>
            <rect class="bar-track" x=bx + 32.0 y=by width=bar_w height="8" />
            <rect class="bar cpu" x=bx + 32.0 y=by width=dynamic(move || width(cpu())) height="8" />
            <text class="bar-label" x=bx + bar_w + 42.0 y=by + 7.0>{t(k::board::state::QUEUE)}</text>
            <rect class="bar-track" x=bx + bar_w + 76.0 y=by width=bar_w height="8" />
            <rect class="bar wait" x=bx + bar_w + 76.0 y=by width=dynamic(move || width(wait())) height="8" />
        </g>
    }
}

/// The agent badge ("A") at the box's corner; hollow when switched off.
/// Named by its host, so the three agents are told apart without sight.
fn agent_badge(
    scenario: Arc<Scenario>,
    index: usize,
    live: bool,
    cx: f64,
    cy: f64,
) -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let on =
        move || !live || sim.with_sim(|s| s.cpu_box(index).is_none_or(|b| b.agent_on && b.alive));
    let label = move || {
        let (locale, host) = (i18n.locale(), node_name(&scenario, index, i18n.locale()));
        if on() {
            k::board::agent(locale, host)
        } else {
            k::board::agent_off(locale, host)
        }
    };
    view! {
        <g class=dynamic(move || if on() { "agent-badge" } else { "agent-badge off" }) role="img" aria-label=dynamic(label)>
            <circle cx=cx cy=cy r="12" />
            <text x=cx y=cy + 4.5>{t(k::board::AGENT_BADGE)}</text>
        </g>
    }
}

/// The VIP badge on the top edge of the load balancer that holds the
/// virtual IP now, beside the certificate's, in an active-passive pair (the
/// sim's `vip`; it moves on failover).
fn vip_badge(index: usize, x: f64, top: f64) -> impl IntoView + use<> {
    let sim = use_sim();
    let held = move || sim.with_sim(|s| s.vip() == Some(index));
    shown(held, move || {
        view! {
            <g class="vip-badge" role="img" aria-label=t(k::board::VIP)>
                <rect x=x y=top - 20.0 width="42" height="22" rx="5" />
                <text x=x + 21.0 y=top - 4.0>{t(k::board::VIP_BADGE)}</text>
            </g>
        }
        .into_any()
    })
}

/// The SSL certificate badge, shown on the boxes that hold one in the
/// current TLS mode (the sim's `Topology::holds_certificate`).
fn cert_badge(index: usize, x: f64, top: f64) -> impl IntoView + use<> {
    let sim = use_sim();
    let held = move || sim.with_sim(|s| s.topology().holds_certificate(index, s.tls_mode()));
    // `shown` memoises the condition, so the badge is built when it turns
    // true and left alone while it stays true. `held` re-runs at every frame
    // publication (15 a second), and `move || held().then(|| view! …)` built
    // the badge again each time: new render effects for its two `t(…)`
    // texts, while the replaced ones stayed subscribed to the locale signal
    // (Leptos drops a subscriber only when that signal changes), each keeping
    // its block: ~30 blocks, ~2.5 KB a wall second never freed.
    shown(held, move || {
        view! {
            <g class="cert-badge" role="img" aria-label=t(k::board::CERTIFICATE)>
                // On the box's top edge, clear of the name below it and
                // of the firewall's name left of the box ("Pare-feu 1").
                <rect x=x + 2.0 y=top - 20.0 width="42" height="22" rx="5" />
                <text x=x + 23.0 y=top - 4.0>{t(k::board::CERTIFICATE_BADGE)}</text>
            </g>
        }
        .into_any()
    })
}
