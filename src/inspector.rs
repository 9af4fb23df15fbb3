//! The side panel for the selected node: what it is, why it is on the board
//! (two lines drawn from the design notes), its live counters and its rules.
//!
//! Everything is read from the running simulation through the handle, so
//! the counters move with time and follow a rewind.

use crate::board::{component_name, drawn, node_name, Editing, Selection};
use crate::erased::{dynamic, handler};
use crate::feed::rule_name;
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use crate::sim_driver::{use_sim, SimHandle};
use infraboard_sim::{
    Action, Component, LbAlgorithm, NodeKind, Scenario, Source, TlsMode, Topology, Zone,
};
use leptos::prelude::*;

/// The inspector panel (always present; a hint when nothing is selected).
#[component]
pub fn Inspector() -> impl IntoView {
    let selection = expect_context::<Selection>();
    let sim = use_sim();
    let i18n = use_i18n();
    let editing = use_context::<Editing>();
    let body = move || {
        let Some(index) = selection.0.get() else {
            return view! { <p class="hint">{t(k::inspector::HINT)}</p> }.into_any();
        };
        // A draft is drawn but not run: its pieces have no live figures.
        let (scenario, live) = drawn(editing, sim);
        let Some(node) = scenario.nodes.get(index) else {
            return view! { <p class="hint">{t(k::inspector::HINT)}</p> }.into_any();
        };
        let (what, why) = texts(&Topology::of(&scenario), index);
        let kind = node.kind;
        let name = {
            let scenario = scenario.clone();
            move || node_name(&scenario, index, i18n.locale())
        };
        let why_lines = move || {
            why.text(i18n.locale())
                .lines()
                .map(|line| view! { <p class="why-line">{line}</p> })
                .collect_view()
        };
        view! {
            <header class="inspector-head">
                <h2 id="inspector-title">{dynamic(name)}</h2>
                <button
                    type="button"
                    class="close"
                    aria-label=t(k::inspector::CLOSE)
                    on:click=handler(move |_| selection.0.set(None))
                >
                    "×"
                </button>
            </header>
            <crate::editor::EditFields index=index />
            <h3>{t(k::inspector::WHAT_HEADING)}</h3>
            <p>{t(what)}</p>
            <h3>{t(k::inspector::WHY_HEADING)}</h3>
            <div class="why">{dynamic(move || why_lines().into_any())}</div>
            {live.then(|| view! {
                <h3>{t(k::inspector::LIVE_HEADING)}</h3>
                <dl class="counters" data-testid="inspector-counters">
                    {dynamic(move || live_rows(sim, &sim.design(), index, kind, i18n.locale()))}
                </dl>
                <h3>{t(k::inspector::CONFIG_HEADING)}</h3>
                {dynamic(move || config(sim, &sim.design(), index, kind, i18n.locale()))}
            })}
        }
        .into_any()
    };
    view! {
        <section class="inspector" aria-labelledby="inspector-heading" data-testid="inspector">
            <h2 class="panel-title" id="inspector-heading">{t(k::inspector::TITLE)}</h2>
            {dynamic(body)}
        </section>
    }
}

/// The "what" and "why" messages for a node; a firewall's "why" follows
/// what the sim's topology puts behind it.
fn texts(topology: &Topology, index: usize) -> (Msg, Msg) {
    use k::inspector::{what, why};
    let scenario = topology.scenario();
    let node = &scenario.nodes[index];
    match node.kind {
        NodeKind::User => (what::USER, why::USER),
        NodeKind::Dns => (what::DNS, why::DNS),
        NodeKind::LoadBalancer => (what::LOAD_BALANCER, why::LOAD_BALANCER),
        NodeKind::Server => (what::SERVER, why::SERVER),
        NodeKind::Monitoring => (what::MONITORING, why::MONITORING),
        NodeKind::Firewall => {
            let guarded: Vec<_> = topology.guarded_by(index).map(|g| &scenario.nodes[g]).collect();
            let why = if guarded.iter().any(|n| n.kind == NodeKind::LoadBalancer) {
                why::FW_EDGE
            } else if guarded.iter().all(|n| {
                !n.components.contains(&Component::Nginx) && !n.components.contains(&Component::App)
            }) {
                why::FW_DATA
            } else {
                why::FW_WEB
            };
            (what::FIREWALL, why)
        }
    }
}

fn row(label: Msg, value: String) -> impl IntoView {
    view! {
        <div class="row">
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

fn live_rows(
    sim: SimHandle,
    scenario: &Scenario,
    index: usize,
    kind: NodeKind,
    locale: Locale,
) -> AnyView {
    use k::inspector::field as f;
    let number = |v: f64, d: usize| crate::i18n::format_number(locale, v, d);
    let yes_no = |b: bool| if b { f::YES.text(locale) } else { f::NO.text(locale) }.to_string();
    let mut rows: Vec<AnyView> = Vec::new();
    let frame = sim.frame.get();
    let m = &frame.metrics;
    match kind {
        NodeKind::Server | NodeKind::LoadBalancer => {
            let (up, in_pool, wait_ms, agent, cores) = sim.with_sim(|s| {
                let b = s.cpu_box(index);
                (
                    s.is_up(index),
                    s.load_balancer().backends.iter().find(|b| b.node == index).map(|b| b.in_pool),
                    b.map_or(0.0, |b| b.wait_ns(s.now()) as f64 / 1e6),
                    b.is_some_and(|b| b.agent_on),
                    b.map_or(0, |b| b.cores()),
                )
            });
            rows.push(
                row(f::STATE, if up { f::UP } else { f::DOWN }.text(locale).into()).into_any(),
            );
            if let Some(p) = in_pool {
                rows.push(row(f::IN_POOL, yes_no(p)).into_any());
            }
            let slot = m.box_slot(index);
            let last = m.history.last();
            let cpu = slot.zip(last).and_then(|(s, l)| l.cpu_pct.get(s).copied()).unwrap_or(0.0);
            let qps = slot.zip(last).and_then(|(s, l)| l.qps.get(s).copied()).unwrap_or(0);
            let qps_mon =
                slot.zip(last).and_then(|(s, l)| l.qps_monitored.get(s).copied()).unwrap_or(0.0);
            rows.push(
                row(f::CPU, k::inspector::field::pct(locale, number(f64::from(cpu), 0))).into_any(),
            );
            rows.push(row(f::WAIT, k::inspector::field::ms(locale, number(wait_ms, 1))).into_any());
            rows.push(row(f::QPS_LB, number(f64::from(qps), 0)).into_any());
            rows.push(row(f::QPS_MONITORED, number(f64::from(qps_mon), 0)).into_any());
            rows.push(
                row(f::AGENT, if agent { f::ON } else { f::OFF }.text(locale).into()).into_any(),
            );
            rows.push(row(f::CORES, cores.to_string()).into_any());
            // A pool is one drawn box for many: the sim gives its spread.
            if let Some(p) = sim.with_sim(|s| s.pool(index)) {
                let pct = |v: f32| k::inspector::field::pct(locale, number(f64::from(v), 0));
                rows.push(row(f::POOL_SIZE, p.size.to_string()).into_any());
                rows.push(row(f::POOL_DOWN, p.down.to_string()).into_any());
                rows.push(row(f::BUSIEST, pct(p.busiest_pct)).into_any());
                rows.push(row(f::IDLEST, pct(p.idlest_pct)).into_any());
            }
            for db in sim.with_sim(|s| s.databases()).into_iter().filter(|d| d.node == index) {
                let role = if db.primary { f::ROLE_PRIMARY } else { f::ROLE_REPLICA };
                let state = if db.up { role.text(locale) } else { f::DOWN.text(locale) };
                rows.push(row(f::MYSQL, state.into()).into_any());
                rows.push(row(f::APPLIED, number(db.applied as f64, 0)).into_any());
                if !db.primary {
                    let lag = sim.with_sim(|s| s.replication_lag_ms());
                    rows.push(
                        row(f::LAG, k::inspector::field::ms(locale, number(lag, 0))).into_any(),
                    );
                }
            }
        }
        NodeKind::Firewall => {
            let up = sim.with_sim(|s| s.is_up(index));
            rows.push(
                row(f::STATE, if up { f::UP } else { f::DOWN }.text(locale).into()).into_any(),
            );
            let drops: u64 =
                m.firewall_drops.iter().filter(|(fw, _, _)| *fw == index).map(|e| e.2).sum();
            rows.push(row(f::DROPS, number(drops as f64, 0)).into_any());
        }
        NodeKind::User => {
            rows.push(row(f::REQUESTS, number(m.requests as f64, 0)).into_any());
            rows.push(row(f::SERVED, number(m.served as f64, 0)).into_any());
            rows.push(row(f::DROPPED, number(m.dropped_total() as f64, 0)).into_any());
        }
        NodeKind::Monitoring => {
            rows.push(
                row(f::ALERTS, number((m.alerts.len() as u64 + m.alerts.forgotten()) as f64, 0))
                    .into_any(),
            );
            if let Some(a) = m.alerts.last() {
                let text = format!(
                    "{} · {} · {}",
                    k::common::seconds(locale, number(a.at.as_secs_f64(), 1)),
                    rule_name(a.rule, locale),
                    node_name(scenario, a.node, locale)
                );
                rows.push(row(f::LAST_ALERT, text).into_any());
            }
        }
        NodeKind::Dns => {
            rows.push(row(f::RECORD, k::board::DNS_RECORD.text(locale).into()).into_any());
        }
    }
    rows.into_any()
}

fn config(
    sim: SimHandle,
    scenario: &Scenario,
    index: usize,
    kind: NodeKind,
    locale: Locale,
) -> AnyView {
    use k::inspector::field as f;
    match kind {
        NodeKind::Firewall => {
            let lines = sim.with_sim(|s| {
                s.firewall(index).map(|fw| {
                    fw.rules
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let action = match r.action {
                                Action::Allow => k::inspector::rule::ALLOW,
                                Action::Deny => k::inspector::rule::DENY,
                            }
                            .text(locale);
                            let port = match r.port {
                                Some(p) => k::inspector::rule::port(locale, p),
                                None => k::inspector::rule::ANY_PORT.text(locale).into(),
                            };
                            let source = match r.source {
                                Source::Any => k::inspector::rule::FROM_ANY.text(locale).into(),
                                Source::Zone(z) => {
                                    k::inspector::rule::from(locale, zone_name(z, locale))
                                }
                                Source::Node(n) => {
                                    k::inspector::rule::from(locale, node_name(scenario, n, locale))
                                }
                            };
                            k::inspector::rule::line(locale, i + 1, action, port, source)
                        })
                        .collect::<Vec<_>>()
                })
            });
            let items = lines
                .unwrap_or_default()
                .into_iter()
                .map(|l| view! { <li>{l}</li> })
                .collect_view();
            view! {
                <ol class="insp-rules" data-testid="inspector-rules">
                    {items}
                    <li class="default-deny">{t(k::inspector::rule::DEFAULT_DENY)}</li>
                </ol>
            }
            .into_any()
        }
        NodeKind::LoadBalancer => {
            let (tls, algo) = sim.with_sim(|s| (s.tls_mode(), s.load_balancer().algorithm));
            let tls = match tls {
                TlsMode::Terminate => f::TLS_TERMINATE,
                TlsMode::Reencrypt => f::TLS_REENCRYPT,
                TlsMode::Passthrough => f::TLS_PASSTHROUGH,
            };
            let algo = match algo {
                LbAlgorithm::RoundRobin => "roundrobin",
                LbAlgorithm::LeastConn => "leastconn",
                LbAlgorithm::RandomOfTwo => "random(2)",
            };
            view! {
                <dl class="counters">
                    {row(f::TLS, tls.text(locale).into())}
                    {row(f::ALGORITHM, algo.to_string())}
                </dl>
            }
            .into_any()
        }
        NodeKind::Server => {
            let items = scenario.nodes[index]
                .components
                .iter()
                .map(|&c| view! { <li>{component_name(c).text(locale)}</li> })
                .collect_view();
            view! { <ul class="insp-components">{items}</ul> }.into_any()
        }
        _ => view! { <p class="none">"–"</p> }.into_any(),
    }
}

fn zone_name(zone: Zone, locale: Locale) -> String {
    match zone {
        Zone::Internet => k::board::zone::INTERNET,
        Zone::Edge => k::board::zone::EDGE,
        Zone::App => k::board::zone::APP,
        Zone::Data => k::board::zone::DATA,
        Zone::Ops => k::board::zone::OPS,
    }
    .text(locale)
    .into()
}
