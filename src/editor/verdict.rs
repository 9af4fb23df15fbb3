//! The editor's Check, in words: how a drawing differs from the layout the
//! empty board was cleared from (the sim's `design::compare`, by what each
//! piece is and how it is wired, never by position or name). This is
//! "draw from memory": open a layout, clear the board, draw it again, check.

use crate::i18n::{k, Locale};
use infraboard_sim::design::{Comparison, Role, Shape};
use infraboard_sim::{NodeKind, PairMode};

/// The verdict in words, one line each (the stylesheet keeps the breaks):
/// each missing and each extra piece, the load balancers' mode, or "well
/// drawn".
pub(super) fn verdict_text(c: &Comparison, locale: Locale) -> String {
    use k::editor::check as m;
    if c.matches() {
        return m::PERFECT.text(locale).to_string();
    }
    let mut lines = String::new();
    let missing = c.missing.iter().map(|s| m::missing(locale, shape_text(s, locale)));
    let extra = c.extra.iter().map(|s| m::extra(locale, shape_text(s, locale)));
    let pair = c.pair.map(|(expected, found)| {
        m::pair(locale, mode_text(expected, locale), mode_text(found, locale))
    });
    for line in missing.chain(extra).chain(pair) {
        push_line(&mut lines, &line, "\n");
    }
    lines
}

/// `text` after `out`, with `between` when `out` is not empty.
fn push_line(out: &mut String, text: &str, between: &str) {
    if !out.is_empty() {
        out.push_str(between);
    }
    out.push_str(text);
}

fn mode_text(mode: Option<PairMode>, locale: Locale) -> &'static str {
    use k::editor::field as f;
    match mode {
        None => f::PAIR_ONE,
        Some(PairMode::ActivePassive) => f::PAIR_VIP,
        Some(PairMode::ActiveActive) => f::PAIR_DNS,
    }
    .text(locale)
}

/// A piece in words: what it is, what it stands in front of, its agent.
fn shape_text(s: &Shape, locale: Locale) -> String {
    use k::editor::check::piece as p;
    let piece = if s.role.kind == NodeKind::Firewall && !s.guards.is_empty() {
        let mut what = String::new();
        for g in &s.guards {
            push_line(&mut what, &role_text(g, locale), ", ");
        }
        p::firewall_before(locale, what)
    } else {
        role_text(&s.role, locale)
    };
    if s.agent {
        p::with_agent(locale, piece)
    } else {
        piece
    }
}

fn role_text(r: &Role, locale: Locale) -> String {
    use k::editor::check::piece as p;
    let parts = || {
        let mut names = String::new();
        for &c in &r.components {
            push_line(&mut names, crate::board::component_name(c).text(locale), ", ");
        }
        names
    };
    match r.kind {
        NodeKind::User => p::USER.text(locale).to_string(),
        NodeKind::Dns => p::DNS.text(locale).to_string(),
        NodeKind::LoadBalancer => p::LOAD_BALANCER.text(locale).to_string(),
        NodeKind::Monitoring => p::MONITORING.text(locale).to_string(),
        NodeKind::Firewall => p::FIREWALL.text(locale).to_string(),
        NodeKind::Server if r.boxes > 1 => p::pool(locale, r.boxes, parts()),
        NodeKind::Server => p::server(locale, parts()),
    }
}
