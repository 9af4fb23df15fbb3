//! The whiteboard: the scenario's topology drawn as SVG.

use crate::i18n::{k, t, use_i18n, Locale, Msg};
use infraboard_sim::{Component, NodeKind, NodeSpec, Scenario};
use leptos::prelude::*;
use std::sync::Arc;

/// The diagram of one scenario.
#[component]
pub fn Board(
    /// The scenario whose topology is drawn.
    scenario: Arc<Scenario>,
) -> impl IntoView {
    let links = links(&scenario);
    let nodes: Vec<_> = scenario.nodes.iter().map(|n| view! { <Node node=n.clone() /> }).collect();
    let links: Vec<_> = links
        .into_iter()
        .map(|(a, b, class)| {
            view! { <line class=class x1=a.x y1=a.y x2=b.x y2=b.y /> }
        })
        .collect();
    view! {
        <figure class="board">
            <svg viewBox="0 0 1000 600" role="group" aria-label=t(k::board::DIAGRAM)>
                <Zones />
                <g class="links">{links}</g>
                <g class="nodes">{nodes}</g>
            </svg>
        </figure>
    }
}

#[component]
fn Zones() -> impl IntoView {
    view! {
        <g class="zones" aria-hidden="true">
            <rect class="zone" x="10" y="10" width="150" height="580" rx="14" />
            <text class="zone-label" x="22" y="34">{t(k::board::zone::INTERNET)}</text>
            <rect class="zone" x="175" y="10" width="265" height="580" rx="14" />
            <text class="zone-label" x="187" y="34">{t(k::board::zone::EDGE)}</text>
            <rect class="zone" x="455" y="10" width="355" height="580" rx="14" />
            <text class="zone-label" x="467" y="34">{t(k::board::zone::APP)}</text>
            <rect class="zone" x="825" y="10" width="165" height="580" rx="14" />
            <text class="zone-label" x="837" y="34">{t(k::board::zone::OPS)}</text>
        </g>
    }
}

#[derive(Clone, Copy)]
struct Point {
    x: f64,
    y: f64,
}

fn links(scenario: &Scenario) -> Vec<(Point, Point, &'static str)> {
    let at = |n: &NodeSpec| Point { x: n.x, y: n.y };
    let by_kind = |k: NodeKind| scenario.nodes.iter().filter(move |n| n.kind == k);
    let mut out = Vec::new();
    let lb = by_kind(NodeKind::LoadBalancer).next();
    for user in by_kind(NodeKind::User) {
        for dns in by_kind(NodeKind::Dns) {
            out.push((at(user), at(dns), "link dns-link"));
        }
    }
    for fw in by_kind(NodeKind::Firewall) {
        let Some(target) = scenario.nodes.iter().find(|n| Some(&n.id) == fw.guards.as_ref()) else {
            continue;
        };
        let source = match target.kind {
            NodeKind::LoadBalancer => by_kind(NodeKind::User).next(),
            _ => lb,
        };
        if let Some(source) = source {
            out.push((at(source), at(fw), "link"));
        }
        out.push((at(fw), at(target), "link"));
    }
    if let Some(mon) = by_kind(NodeKind::Monitoring).next() {
        for n in scenario.nodes.iter().filter(|n| n.agent) {
            out.push((at(n), at(mon), "link agent-link"));
        }
    }
    out
}

fn kind_title(kind: NodeKind) -> Msg {
    match kind {
        NodeKind::User => k::board::node::INTERNET_USER,
        NodeKind::Dns => k::board::node::DNS,
        NodeKind::Firewall => k::board::node::FIREWALL,
        NodeKind::LoadBalancer => k::board::node::LOAD_BALANCER,
        NodeKind::Server => k::board::node::SERVER,
        NodeKind::Monitoring => k::board::node::MONITORING_SERVICE,
    }
}

fn component_name(c: Component) -> Msg {
    match c {
        Component::Nginx => k::board::component::NGINX,
        Component::App => k::board::component::APP,
        Component::MysqlPrimary => k::board::component::MYSQL_PRIMARY,
        Component::MysqlReplica => k::board::component::MYSQL_REPLICA,
    }
}

fn node_label(node: &NodeSpec, locale: Locale) -> String {
    let number = node.id.rsplit('-').next().filter(|s| s.parse::<u32>().is_ok());
    match (node.kind, number) {
        (NodeKind::Firewall, Some(n)) => k::board::node::firewall_n(locale, n),
        (NodeKind::Server, Some(n)) => k::board::node::server_n(locale, n),
        (kind, _) => kind_title(kind).text(locale).to_string(),
    }
}

#[component]
fn Node(node: NodeSpec) -> impl IntoView {
    let i18n = use_i18n();
    let label = {
        let node = node.clone();
        Signal::derive(move || node_label(&node, i18n.locale()))
    };
    let (w, h) = match node.kind {
        NodeKind::Firewall => (26.0, 90.0),
        NodeKind::Server => (170.0, 120.0),
        NodeKind::LoadBalancer => (150.0, 90.0),
        _ => (120.0, 64.0),
    };
    let (x, y) = (node.x - w / 2.0, node.y - h / 2.0);
    let class = format!("node node-{:?}", node.kind).to_lowercase();
    let detail: Vec<Msg> = match node.kind {
        NodeKind::Dns => vec![k::board::DNS_RECORD],
        NodeKind::LoadBalancer => vec![k::board::CERTIFICATE],
        NodeKind::Monitoring => vec![k::board::MONITORING_PRODUCT],
        _ => node.components.iter().map(|c| component_name(*c)).collect(),
    };
    let detail_lines: Vec<_> = detail
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            view! { <text class="node-detail" x=node.x y=y + 42.0 + 18.0 * i as f64>{t(line)}</text> }
        })
        .collect();
    let agent = node.agent.then(|| {
        view! {
            <g class="agent-badge" aria-label=t(k::board::AGENT) role="img">
                <circle cx=x + w - 4.0 cy=y + 4.0 r="11" />
                <text x=x + w - 4.0 y=y + 8.5>{t(k::board::AGENT_BADGE)}</text>
            </g>
        }
    });
    let label_y = if node.kind == NodeKind::Firewall { y - 10.0 } else { y + 22.0 };
    view! {
        <g class=class role="img" aria-label=label data-node=node.id.clone()>
            <title>{label}</title>
            <rect x=x y=y width=w height=h rx="10" />
            <text class="node-label" x=node.x y=label_y>{label}</text>
            {detail_lines}
            {agent}
        </g>
    }
}
