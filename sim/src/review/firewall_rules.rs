//! Firewall openings: MySQL or SSH reachable from the Internet, a rule
//! that allows everything, a rule shadowed by an earlier one.

use super::redundancy::{attack, attack_off};
use super::{Design, Finding, FindingKind, Severity};
use crate::design::Edit;
use crate::firewall::{Rule, Source};
use crate::scenario::{Action, Protocol, RuleSpec, SourceSpec, Zone};
use crate::timeline::Cue;

const MYSQL_PORT: u16 = 3306;
const SSH_PORT: u16 = 22;

pub(super) fn check(d: &Design, out: &mut Vec<Finding>) {
    let mysql: Vec<usize> = d.topo.mysql_hosts().collect();
    let boxes = d.boxes();
    for (kind, port, targets) in [
        (FindingKind::DatabasePortOpen, MYSQL_PORT, mysql),
        (FindingKind::SshFromAnywhere, SSH_PORT, boxes),
    ] {
        let open: Vec<usize> =
            targets.into_iter().filter(|&n| d.open_from_internet(n, port)).collect();
        if open.is_empty() {
            continue;
        }
        // A perimeter with no firewall at all is its own finding, whose fix
        // (a firewall with the seeds' table) closes these ports too.
        let fix = close(d, &open, port);
        let links = d.topo.user().map_or(Vec::new(), |u| {
            let mut here = u;
            d.topo
                .firewalls_between(u, open[0])
                .chain(std::iter::once(open[0]))
                .map(|next| (std::mem::replace(&mut here, next), next))
                .collect()
        });
        out.push(Finding {
            kind,
            severity: Severity::High,
            nodes: open,
            links,
            rule: None,
            show_me: vec![Cue::at(0, attack(port)), Cue::at(20, attack_off())],
            fix,
        });
    }
    for fw in &d.firewalls {
        for (j, rule) in fw.rules.iter().enumerate() {
            let fix = vec![Edit::RemoveRule { firewall: d.id(fw.node), index: j }];
            if allows_everything(rule) {
                out.push(Finding {
                    kind: FindingKind::DefaultAllow,
                    severity: Severity::High,
                    nodes: vec![fw.node],
                    links: Vec::new(),
                    rule: Some((fw.node, j)),
                    show_me: vec![Cue::at(0, attack(SSH_PORT)), Cue::at(20, attack_off())],
                    fix,
                });
                continue;
            }
            if let Some(i) = (0..j).find(|&i| covers(d, &fw.rules[i], rule)) {
                let contradicts = fw.rules[i].action != rule.action;
                out.push(Finding {
                    kind: FindingKind::ShadowedRule,
                    severity: if contradicts { Severity::Medium } else { Severity::Low },
                    nodes: vec![fw.node],
                    links: Vec::new(),
                    rule: Some((fw.node, j)),
                    show_me: Vec::new(),
                    fix,
                });
            }
        }
    }
}

/// A deny for the Internet on `port`, on top of the first firewall each
/// open node's path crosses (nothing when a path crosses none: the
/// perimeter finding adds the firewall).
fn close(d: &Design, open: &[usize], port: u16) -> Vec<Edit> {
    let Some(user) = d.topo.user() else { return Vec::new() };
    let mut fix: Vec<Edit> = Vec::new();
    for &node in open {
        let Some(fw) = d.topo.firewalls_between(user, node).next() else { return Vec::new() };
        let edit = Edit::AddRule {
            firewall: d.id(fw),
            index: Some(0),
            rule: RuleSpec {
                action: Action::Deny,
                source: SourceSpec::Zone(Zone::Internet),
                port: Some(port),
                protocol: Protocol::Tcp,
            },
        };
        if !fix.contains(&edit) {
            fix.push(edit);
        }
    }
    fix
}

/// Allow, from anyone, on any port: the table no longer denies by default.
fn allows_everything(r: &Rule) -> bool {
    r.action == Action::Allow
        && r.source == Source::Any
        && r.port.is_none()
        && r.protocol != Protocol::Udp
}

/// Whether every packet `later` matches is matched by `earlier` first.
fn covers(d: &Design, earlier: &Rule, later: &Rule) -> bool {
    let source = match (earlier.source, later.source) {
        (Source::Any, _) => true,
        (Source::Zone(z), Source::Zone(w)) => z == w,
        (Source::Zone(z), Source::Node(n)) => d.s.nodes.get(n).is_some_and(|x| x.zone == z),
        (Source::Node(a), Source::Node(b)) => a == b,
        _ => false,
    };
    let port = earlier.port.is_none() || earlier.port == later.port;
    let protocol = earlier.protocol == Protocol::Any || earlier.protocol == later.protocol;
    source && port && protocol
}
