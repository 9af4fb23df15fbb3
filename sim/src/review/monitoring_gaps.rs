//! Monitoring gaps: a box without an agent, no service to ship to, and the
//! alerts that cannot fire (the primary's loss and replication lag are
//! read by the agents on MySQL's boxes).

use super::redundancy::outage;
use super::{new_node, Design, Finding, FindingKind, Severity};
use crate::command::{Command, NodeRef};
use crate::design::Edit;
use crate::scenario::{NodeKind, Zone};
use crate::timeline::Cue;

pub(super) fn check(d: &Design, out: &mut Vec<Finding>) {
    // Agents need a service: without one, every fix below adds it first.
    let service: Vec<Edit> = if d.topo.monitoring().is_some() {
        Vec::new()
    } else {
        let id = d.fresh_id("monitoring", &[]);
        vec![Edit::AddNode(new_node(id, NodeKind::Monitoring, Zone::Ops, 930.0, 320.0))]
    };
    if !service.is_empty() {
        out.push(Finding {
            kind: FindingKind::NoMonitoringService,
            severity: Severity::Medium,
            nodes: Vec::new(),
            links: Vec::new(),
            rule: None,
            show_me: Vec::new(),
            fix: service.clone(),
        });
    }
    let agent_on = |nodes: &[usize]| {
        let mut fix = service.clone();
        fix.extend(nodes.iter().map(|&n| Edit::SetAgent { node: d.id(n), on: true }));
        fix
    };
    let boxes = d.boxes();
    for &b in &boxes {
        if !d.s.nodes[b].agent {
            out.push(Finding {
                kind: FindingKind::NoAgent,
                severity: Severity::Medium,
                nodes: vec![b],
                links: Vec::new(),
                rule: None,
                show_me: outage(&d.id(b), 20),
                fix: agent_on(&[b]),
            });
        }
    }
    let watched = |n: usize| d.s.nodes[n].agent && d.topo.monitoring().is_some();
    let mysql: Vec<usize> = d.topo.mysql_hosts().collect();
    if !mysql.is_empty() && !mysql.iter().any(|&n| watched(n)) {
        out.push(Finding {
            kind: FindingKind::PrimaryLossUnalerted,
            severity: Severity::Medium,
            nodes: mysql.clone(),
            links: Vec::new(),
            rule: None,
            show_me: vec![Cue::at(0, Command::Kill(NodeRef::PrimaryDb))],
            fix: agent_on(&mysql),
        });
    }
    let blind: Vec<usize> = d.topo.replica_hosts().filter(|&n| !watched(n)).collect();
    let mut blind_hosts = blind.clone();
    blind_hosts.dedup();
    if !blind_hosts.is_empty() {
        out.push(Finding {
            kind: FindingKind::LagUnalerted,
            severity: Severity::Medium,
            nodes: blind_hosts.clone(),
            links: Vec::new(),
            rule: None,
            show_me: super::stale_reads::lag_script(d),
            fix: agent_on(&blind_hosts),
        });
    }
}
