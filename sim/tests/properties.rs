//! Properties over random scenarios, seeds and command sequences (proptest),
//! and the scenario parser fed arbitrary bytes and arbitrary JSON.

use infraboard_sim::{
    presets, Command, Component, Event, FailoverMode, LbAlgorithm, NodeRef, PairMode, Scenario,
    SimTime, Simulation, TlsMode,
};
use proptest::prelude::*;
use std::collections::HashSet;

/// A command drawn at random, made concrete against a scenario (node
/// references are indices modulo the node count, so some are nonsense on
/// purpose: killing the user, promoting a firewall …).
#[derive(Clone, Debug)]
struct RandomCommand {
    at_ms: u64,
    choice: u8,
    node: usize,
    value: f64,
}

fn concrete(c: &RandomCommand, s: &Scenario) -> Command {
    let node = NodeRef::Index(c.node % s.nodes.len());
    let v = c.value;
    match c.choice % 18 {
        0 => Command::Kill(node),
        1 => Command::Restore(node),
        2 => Command::Promote(node),
        3 => Command::Kill(if v < 0.5 { NodeRef::PrimaryDb } else { NodeRef::ReplicaDb }),
        4 => Command::Restore(if v < 0.5 { NodeRef::PrimaryDb } else { NodeRef::ReplicaDb }),
        5 => Command::Promote(NodeRef::ReplicaDb),
        6 => Command::SetTls(
            [TlsMode::Terminate, TlsMode::Reencrypt, TlsMode::Passthrough][(v * 3.0) as usize % 3],
        ),
        7 => Command::SetLbAlgorithm(
            [LbAlgorithm::RoundRobin, LbAlgorithm::LeastConn, LbAlgorithm::RandomOfTwo]
                [(v * 3.0) as usize % 3],
        ),
        // Rates span valid and invalid values.
        8 => Command::SetRate { qps: v * 600.0 - 50.0 },
        9 => Command::SetWriteShare { share: v * 1.4 - 0.2 },
        10 => {
            Command::SetAttack { qps: v * 100.0, port: [3306, 22, 80, 443][(v * 4.0) as usize % 4] }
        }
        11 => Command::SetFailover(if v < 0.5 { FailoverMode::Manual } else { FailoverMode::Auto }),
        12 => format!(
            "fw:{}:allow:{}:internet",
            s.nodes[c.node % s.nodes.len()].id,
            [3306, 22, 80][(v * 3.0) as usize % 3]
        )
        .parse()
        .unwrap(),
        13 => Command::RemoveFirewallRule { firewall: node, index: (v * 4.0) as usize },
        14 => Command::MoveFirewallRule { firewall: node, from: (v * 3.0) as usize, to: 0 },
        16 => Command::KillOne(node),
        17 => Command::RestoreOne(node),
        _ => Command::SetAgent { node, on: v < 0.5 },
    }
}

fn random_command() -> impl Strategy<Value = RandomCommand> {
    (0u64..6000, any::<u8>(), 0usize..64, 0.0f64..1.0)
        .prop_map(|(at_ms, choice, node, value)| RandomCommand { at_ms, choice, node, value })
}

fn random_scenario() -> impl Strategy<Value = Scenario> {
    let names: Vec<&'static str> = presets::names().collect();
    // A load-balancer pair's mode and timers, and the DNS TTL that pins
    // an active-active pair's users (used by the designs with a pair).
    let pair = (10u32..4000, 1u8..=254, any::<bool>(), any::<bool>(), 0u32..20);
    (
        0..names.len(),
        1.0f64..400.0,
        0.0f64..=1.0,
        0.0f64..=1.0,
        proptest::option::of(0.0f64..50.0),
        pair,
        // A pool of that many boxes instead of the first web server
        // without MySQL (if the design has one).
        proptest::option::of(1u16..60),
    )
        .prop_map(move |(i, rate, writes, resumed, attack, pair, pool)| {
            let (advert, priority, preempt, active_active, ttl_s) = pair;
            let mut s = presets::get(names[i]).unwrap();
            if let Some(p) = &mut s.lb_pair {
                p.advert_int_ms = advert;
                p.backup_priority = priority;
                p.preempt = preempt;
                p.mode =
                    if active_active { PairMode::ActiveActive } else { PairMode::ActivePassive };
                s.dns.ttl_s = ttl_s;
            }
            let web_only = s.nodes.iter_mut().find(|n| {
                n.components.contains(&Component::Nginx)
                    && !n
                        .components
                        .iter()
                        .any(|c| matches!(c, Component::MysqlPrimary | Component::MysqlReplica))
            });
            if let (Some(node), Some(count)) = (web_only, pool) {
                node.count = Some(count);
            }
            s.traffic.rate_qps = rate;
            s.traffic.write_share = writes;
            s.traffic.resumed_share = resumed;
            s.traffic.attack = attack.map(|qps| infraboard_sim::AttackSpec { qps, port: 3306 });
            s
        })
}

/// Runs the scenario with the commands, checking invariants all along;
/// returns every event and the final report.
fn run_checked(
    s: &Scenario,
    seed: u64,
    commands: &[RandomCommand],
    until_ms: u64,
) -> (Vec<Event>, String) {
    let mut sim = Simulation::new(s, seed).unwrap();
    let mut cmds = commands.to_vec();
    cmds.sort_by_key(|c| c.at_ms);
    let mut events = Vec::new();
    let mut last_now = SimTime::ZERO;
    let mut last_at = SimTime::ZERO;
    let mut ended = HashSet::new();
    let mut check = |sim: &mut Simulation, events: &mut Vec<Event>| {
        assert!(sim.now() >= last_now, "time went back");
        last_now = sim.now();
        while let Some(e) = sim.poll_event() {
            match e {
                Event::Dropped { request, at, .. } => {
                    assert!(ended.insert(request), "request {request} ended twice");
                    assert!(at >= last_at && at <= sim.now());
                    last_at = at;
                }
                Event::Served { request, at, latency, .. } => {
                    assert!(ended.insert(request), "request {request} ended twice");
                    assert!(latency <= at);
                }
                Event::AttackReached { request, .. } => {
                    assert!(ended.insert(request), "request {request} ended twice");
                }
                Event::Hop { depart, arrive, .. } => assert!(depart <= arrive),
                _ => {}
            }
            events.push(e);
        }
        let m = sim.metrics();
        // Every request ends exactly once: counted from the queue itself.
        assert_eq!(m.requests, m.served + m.dropped_total() + sim.requests_in_queue());
        assert!(m.writes_ok >= m.lost_writes || m.lost_writes == 0);
    };
    for c in &cmds {
        sim.advance_to(SimTime::from_millis(c.at_ms)).unwrap();
        check(&mut sim, &mut events);
        let _ = sim.apply(concrete(c, s));
    }
    sim.advance_to(SimTime::from_millis(until_ms)).unwrap();
    check(&mut sim, &mut events);
    (events, sim.report().to_json())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_request_ends_once_and_time_never_goes_back(
        s in random_scenario(),
        seed in any::<u64>(),
        commands in proptest::collection::vec(random_command(), 0..12),
    ) {
        run_checked(&s, seed, &commands, 6000);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn same_inputs_same_output_other_seed_other_output(
        s in random_scenario(),
        seed in any::<u64>(),
        commands in proptest::collection::vec(random_command(), 0..8),
    ) {
        let a = run_checked(&s, seed, &commands, 6000);
        let b = run_checked(&s, seed, &commands, 6000);
        prop_assert_eq!(&a.0, &b.0);
        prop_assert_eq!(&a.1, &b.1);
        let c = run_checked(&s, seed.wrapping_add(1), &commands, 6000);
        prop_assert_ne!(&a.0, &c.0);
    }
    // The scenario parser and validator on arbitrary bytes, JSON and damaged
    // presets: sim/tests/fuzz.rs (the same properties, a million inputs
    // each in scripts/fuzz).
}
