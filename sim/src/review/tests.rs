use super::*;
use crate::presets;
use crate::scenario::{Action, Protocol, RuleSpec, SourceSpec};

fn of(name: &str) -> Vec<Finding> {
    review(&presets::get(name).unwrap())
}

#[test]
fn the_review_is_deterministic_and_most_severe_first() {
    for name in presets::names() {
        let (a, b) = (of(name), of(name));
        assert_eq!(a, b, "{name}");
        assert!(a.windows(2).all(|w| w[0].severity >= w[1].severity), "{name}");
    }
}

#[test]
fn every_fix_gives_a_valid_design_without_its_finding() {
    for name in presets::names() {
        let s = presets::get(name).unwrap();
        for f in review(&s).iter().filter(|f| f.fixable()) {
            let fixed = f.apply_fix(&s).unwrap_or_else(|e| panic!("{name} {:?}: {e}", f.kind));
            let again = review(&fixed);
            assert!(
                !again.iter().any(|g| g.kind == f.kind && g.nodes == f.nodes && g.rule == f.rule),
                "{name}: {:?} still there after its fix",
                f.kind
            );
        }
    }
}

fn rule(action: Action, source: SourceSpec, port: Option<u16>) -> RuleSpec {
    RuleSpec { action, source, port, protocol: Protocol::Tcp }
}

/// The default layout with `rules` as fw-1's table (in front of the LB).
fn with_edge_rules(rules: Vec<RuleSpec>) -> Scenario {
    let mut s = presets::default_scenario();
    let fw = s.index_of("fw-1").unwrap();
    s.nodes[fw].rules = Some(rules);
    assert!(s.validate().is_empty());
    s
}

fn found(s: &Scenario, kind: FindingKind) -> Option<Finding> {
    review(s).into_iter().find(|f| f.kind == kind)
}

#[test]
fn an_open_database_port_and_ssh_are_found_and_closed() {
    let internet = SourceSpec::Zone(Zone::Internet);
    let s = with_edge_rules(vec![
        rule(Action::Allow, internet.clone(), Some(443)),
        rule(Action::Allow, internet.clone(), Some(22)),
        rule(Action::Allow, internet, Some(3306)),
    ]);
    // fw-2 and fw-3 still stand in front of the MySQL boxes with the seeds'
    // table, which lets nothing from the Internet through: only SSH to the
    // load balancer is open.
    assert!(found(&s, FindingKind::DatabasePortOpen).is_none());
    let ssh = found(&s, FindingKind::SshFromAnywhere).unwrap();
    assert_eq!(ssh.severity, Severity::High);
    assert_eq!(ssh.nodes, [s.index_of("lb").unwrap()]);
    let fixed = ssh.apply_fix(&s).unwrap();
    assert!(found(&fixed, FindingKind::SshFromAnywhere).is_none());
    // Without fw-2, server-1's MySQL is behind fw-1's table alone.
    let mut open = s.clone();
    let fw2 = open.index_of("fw-2").unwrap();
    open.nodes.remove(fw2);
    let db = found(&open, FindingKind::DatabasePortOpen).unwrap();
    assert_eq!(db.nodes, [open.index_of("server-1").unwrap()]);
    assert_eq!(db.show_me[0].command, "attack:500:3306".parse().unwrap());
    let closed = db.apply_fix(&open).unwrap();
    assert!(found(&closed, FindingKind::DatabasePortOpen).is_none());
}

#[test]
fn allow_everything_and_shadowed_rules_are_found_and_removed() {
    let internet = SourceSpec::Zone(Zone::Internet);
    let s = with_edge_rules(vec![
        rule(Action::Allow, internet.clone(), Some(443)),
        rule(Action::Deny, internet.clone(), None),
        rule(Action::Allow, SourceSpec::Node("user".into()), Some(22)),
        rule(Action::Allow, SourceSpec::Any, None),
    ]);
    let fw = s.index_of("fw-1").unwrap();
    let shadowed = found(&s, FindingKind::ShadowedRule).unwrap();
    assert_eq!(shadowed.rule, Some((fw, 2)), "the user is in the Internet zone");
    assert_eq!(shadowed.severity, Severity::Medium, "it says allow, deny wins");
    let allow = found(&s, FindingKind::DefaultAllow).unwrap();
    assert_eq!(allow.rule, Some((fw, 3)));
    let fixed = allow.apply_fix(&s).unwrap();
    assert!(found(&fixed, FindingKind::DefaultAllow).is_none());
    let fixed = found(&fixed, FindingKind::ShadowedRule).unwrap().apply_fix(&fixed).unwrap();
    assert!(found(&fixed, FindingKind::ShadowedRule).is_none());
}

#[test]
fn the_plaintext_hops_are_the_topologys_unencrypted_backend_hops() {
    let s = presets::default_scenario();
    let f = found(&s, FindingKind::PlaintextBackend).unwrap();
    let ids: Vec<(&str, &str)> =
        f.links.iter().map(|&(a, b)| (s.nodes[a].id.as_str(), s.nodes[b].id.as_str())).collect();
    assert_eq!(ids, [("lb", "fw-2"), ("fw-2", "server-1"), ("lb", "fw-3"), ("fw-3", "server-2")]);
    let mut plain_db = s.clone();
    plain_db.database.tls = false;
    let db = found(&plain_db, FindingKind::PlaintextDatabase).unwrap();
    assert!(db.links.iter().all(|&(_, b)| b != plain_db.index_of("lb").unwrap()));
    for preset in ["lb-two-fullstack-reencrypt", "split-tiers"] {
        assert!(found(&presets::get(preset).unwrap(), FindingKind::PlaintextBackend).is_none());
    }
}

#[test]
fn monitoring_gaps_name_the_boxes_and_the_alerts_that_cannot_fire() {
    let mut s = presets::default_scenario();
    let s2 = s.index_of("server-2").unwrap();
    s.nodes[s2].agent = false;
    let kinds: Vec<FindingKind> = review(&s).iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::NoAgent));
    assert!(kinds.contains(&FindingKind::LagUnalerted));
    assert!(!kinds.contains(&FindingKind::PrimaryLossUnalerted), "server-1's agent reads it");
    for n in &mut s.nodes {
        n.agent = false;
    }
    let mon = s.index_of("monitoring").unwrap();
    s.nodes.remove(mon);
    let all = review(&s);
    assert!(all.iter().any(|f| f.kind == FindingKind::NoMonitoringService));
    let lost = all.iter().find(|f| f.kind == FindingKind::PrimaryLossUnalerted).unwrap();
    let fixed = lost.apply_fix(&s).unwrap();
    let again: Vec<FindingKind> = review(&fixed).iter().map(|f| f.kind).collect();
    assert!(!again.contains(&FindingKind::PrimaryLossUnalerted));
    assert!(!again.contains(&FindingKind::NoMonitoringService));
}

#[test]
fn a_show_me_measures_the_outage_it_causes() {
    let s = presets::default_scenario();
    let findings = review(&s);
    let find = |kind| findings.iter().find(|f| f.kind == kind).unwrap();
    // The one load balancer dies for 30 s: nothing is served meanwhile.
    let lb = demonstrate(&s, find(FindingKind::SingleLoadBalancer), 7).unwrap();
    assert!(
        matches!(lb.windows[..], [Window { from_s: 0, to_s }] if (30..=32).contains(&to_s)),
        "{:?}",
        lb.windows
    );
    assert_eq!(lb, demonstrate(&s, find(FindingKind::SingleLoadBalancer), 7).unwrap());
    // With the pair, the backup takes the VIP after keepalived's master-down
    // interval (3.6 s by default) and its cold health checks, and the master
    // takes it back when it returns: shorter windows, far fewer requests lost.
    let pair = find(FindingKind::SingleLoadBalancer).apply_fix(&s).unwrap();
    let failover = demonstrate(&pair, find(FindingKind::SingleLoadBalancer), 7).unwrap();
    assert!(!failover.windows.is_empty() && failover.recovered, "{failover:?}");
    assert!(failover.windows.iter().all(|w| w.to_s - w.from_s < 10), "{:?}", failover.windows);
    assert!(failover.failed < lb.failed / 2, "{} vs {}", failover.failed, lb.failed);
    // The writer dies with manual failover: writes fail to the end.
    let writer = demonstrate(&s, find(FindingKind::SingleWriter), 7).unwrap();
    assert!(!writer.recovered && writer.writes_failed > 0, "{writer:?}");
}
