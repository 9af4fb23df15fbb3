//! Single points of failure: one load balancer, one MySQL writer with
//! nothing to promote a replica, one firewall (or none) in front of the
//! load balancer, one DNS.

use super::{new_node, Design, Finding, FindingKind, Severity};
use crate::command::{Command, NodeRef};
use crate::design::Edit;
use crate::scenario::{Component, FailoverMode, LbPairSpec, NodeKind, Zone};
use crate::timeline::Cue;

/// Kill `node` at the start of the script and bring it back after `secs`.
pub(super) fn outage(node: &str, secs: u64) -> Vec<Cue> {
    vec![
        Cue::at(0, Command::Kill(NodeRef::Id(node.to_string()))),
        Cue::at(secs, Command::Restore(NodeRef::Id(node.to_string()))),
    ]
}

pub(super) fn check(d: &Design, out: &mut Vec<Finding>) {
    let lbs = d.load_balancers();
    if let [lb] = lbs[..] {
        out.push(Finding {
            kind: FindingKind::SingleLoadBalancer,
            severity: Severity::High,
            nodes: vec![lb],
            links: Vec::new(),
            rule: None,
            show_me: outage(&d.id(lb), 30),
            fix: pair_with(d, lb),
        });
    }
    single_writer(d, out);
    perimeter(d, &lbs, out);
    if let Some(dns) = d.topo.dns() {
        out.push(Finding {
            kind: FindingKind::SingleDns,
            severity: Severity::Low,
            nodes: vec![dns],
            links: Vec::new(),
            rule: None,
            show_me: outage(&d.id(dns), 20),
            fix: Vec::new(),
        });
    }
}

/// A second load balancer beside `lb`, behind the same firewalls, sharing a
/// virtual IP with it (keepalived's defaults: the pair's own settings).
fn pair_with(d: &Design, lb: usize) -> Vec<Edit> {
    let l = &d.s.nodes[lb];
    let id = d.fresh_id(&format!("{}-2", l.id), &[]);
    let mut second = new_node(id.clone(), NodeKind::LoadBalancer, l.zone, l.x, l.y + PAIR_GAP);
    second.agent = l.agent;
    let mut fix = vec![
        Edit::MoveNode { id: l.id.clone(), x: l.x, y: (l.y - PAIR_GAP).max(10.0) },
        Edit::AddNode(second),
    ];
    for f in d.topo.guards_of(lb) {
        let mut guards: Vec<String> = d.s.nodes[f].guarded().map(str::to_string).collect();
        guards.push(id.clone());
        fix.push(Edit::SetGuards { firewall: d.id(f), guards });
    }
    fix.push(Edit::SetLbPair(Some(LbPairSpec::default())));
    fix
}

/// How far the pair's two boxes stand from where the single one stood.
const PAIR_GAP: f64 = 90.0;

fn single_writer(d: &Design, out: &mut Vec<Finding>) {
    let Some(primary) = d.topo.primary_host() else { return };
    let elsewhere = d.topo.replica_hosts().any(|r| r != primary);
    let manual = d.s.database.failover == FailoverMode::Manual;
    if elsewhere && !manual {
        return;
    }
    let mut fix = Vec::new();
    if !elsewhere {
        // A replica on the primary's own box dies with it: give it a box.
        let p = &d.s.nodes[primary];
        let id = d.fresh_id(&format!("{}-replica", p.id), &[]);
        let mut node = new_node(id.clone(), NodeKind::Server, Zone::Data, p.x, p.y + 150.0);
        node.components = vec![Component::MysqlReplica];
        node.agent = p.agent;
        fix.push(Edit::AddNode(node));
        if p.components.contains(&Component::MysqlReplica) {
            let kept = p.components.iter().copied().filter(|&c| c != Component::MysqlReplica);
            fix.push(Edit::SetComponents { node: p.id.clone(), components: kept.collect() });
        }
        for f in d.topo.guards_of(primary) {
            let mut guards: Vec<String> = d.s.nodes[f].guarded().map(str::to_string).collect();
            guards.push(id.clone());
            fix.push(Edit::SetGuards { firewall: d.id(f), guards });
        }
    }
    if manual {
        fix.push(Edit::SetFailover(FailoverMode::Auto));
    }
    out.push(Finding {
        kind: FindingKind::SingleWriter,
        severity: Severity::High,
        nodes: vec![primary],
        links: Vec::new(),
        rule: None,
        // The primary stays dead: writes fail until something promotes a
        // replica (forever, with manual failover and nobody at the console).
        show_me: vec![Cue::at(0, Command::Kill(NodeRef::PrimaryDb))],
        fix,
    });
}

fn perimeter(d: &Design, lbs: &[usize], out: &mut Vec<Finding>) {
    let Some(&lb) = lbs.first() else { return };
    let front: Vec<usize> = d.topo.guards_of(lb).collect();
    match front[..] {
        [] => {
            let user_x = d.topo.user().map_or(0.0, |u| d.s.nodes[u].x);
            let l = &d.s.nodes[lb];
            let id = d.fresh_id("fw-edge", &[]);
            let mut fw = new_node(id, NodeKind::Firewall, Zone::Edge, (user_x + l.x) / 2.0, l.y);
            let mut guarded = lbs.iter().map(|&i| d.id(i));
            fw.guards = guarded.next();
            fw.also_guards = guarded.collect();
            out.push(Finding {
                kind: FindingKind::NoPerimeterFirewall,
                severity: Severity::High,
                nodes: lbs.to_vec(),
                links: Vec::new(),
                rule: None,
                show_me: vec![Cue::at(0, attack(22)), Cue::at(20, attack_off())],
                fix: vec![Edit::AddNode(fw)],
            });
        }
        // Firewalls in front of one node stand in series in the model, so a
        // second one would not be a second path: no fix offered.
        [fw] => out.push(Finding {
            kind: FindingKind::SingleFirewallPath,
            severity: Severity::Medium,
            nodes: vec![fw],
            links: Vec::new(),
            rule: None,
            show_me: outage(&d.id(fw), 10),
            fix: Vec::new(),
        }),
        _ => {}
    }
}

/// Attack traffic at `port` (500 attempts a second).
pub(super) fn attack(port: u16) -> Command {
    Command::SetAttack { qps: 500.0, port }
}

/// Attack traffic off.
pub(super) fn attack_off() -> Command {
    Command::SetAttack { qps: 0.0, port: 22 }
}
