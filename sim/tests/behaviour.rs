//! Behaviour a user of the whiteboard would recognise, one test per part of
//! the model. Each test runs a preset, does what a user would do, and checks
//! what they would see (figures, events), never a hard-coded result.

use infraboard_sim::{
    presets, AlertRule, Command, CommandError, DropCode, DropReason, Event, NodeRef, RequestKind,
    Scenario, SimTime, Simulation, TlsMode,
};

fn preset(name: &str) -> Scenario {
    presets::get(name).unwrap_or_else(|| panic!("preset {name}"))
}

fn sim(s: &Scenario, seed: u64) -> Simulation {
    Simulation::new(s, seed).expect("valid scenario")
}

fn secs(s: f64) -> SimTime {
    SimTime((s * 1e9) as u64)
}

/// Advances to `t` and returns the events emitted on the way.
fn run_to(sim: &mut Simulation, t: f64) -> Vec<Event> {
    sim.advance_to(secs(t)).unwrap();
    std::iter::from_fn(|| sim.poll_event()).collect()
}

fn cmd(s: &str) -> Command {
    s.parse().unwrap()
}

fn node(s: &Scenario, id: &str) -> usize {
    s.index_of(id).unwrap()
}

#[test]
fn killing_the_primary_fails_writes_until_promote_and_counts_lost_writes() {
    let mut s = preset("lb-two-fullstack");
    s.traffic.rate_qps = 1500.0;
    s.traffic.write_share = 0.3;
    let mut sim = sim(&s, 7);
    run_to(&mut sim, 20.0);
    let before = sim.metrics().clone();
    // Independent count of unreplicated writes: what the primary has
    // acknowledged minus what the replica has in its relay log right now.
    let dbs = sim.databases();
    let primary = dbs.iter().find(|d| d.primary).unwrap();
    let replica = dbs.iter().find(|d| !d.primary).unwrap();
    let unreplicated = primary.applied - replica.received;
    assert_eq!(primary.applied, before.writes_ok);

    sim.apply(cmd("kill:primary-db")).unwrap();
    let outage = run_to(&mut sim, 40.0);
    let during = sim.metrics().clone();
    assert!(during.writes_failed > before.writes_failed + 1000, "writes fail while it is down");
    // Only writes already past MySQL at the kill can still complete.
    assert!(during.writes_ok <= before.writes_ok + 50);
    assert!(during.served > before.served + 15_000, "reads go on");
    assert!(during.stale_reads > before.stale_reads, "reads from the replica are stale");
    assert!(outage
        .iter()
        .any(|e| matches!(e, Event::Dropped { reason: DropReason::PrimaryDown, .. })));
    // The monitoring service noticed.
    let server_1 = node(&s, "server-1");
    assert!(outage.iter().any(|e| matches!(e, Event::Alert { rule: AlertRule::PrimaryDown, node, .. } if *node == server_1)));

    // Manual failover.
    assert_eq!(sim.apply(cmd("promote:replica-db")), Ok(()));
    let after = run_to(&mut sim, 50.0);
    let lost = after
        .iter()
        .find_map(|e| match e {
            Event::Promoted { lost_writes, automatic: false, .. } => Some(*lost_writes),
            _ => None,
        })
        .expect("a Promoted event");
    assert!(unreplicated > 0, "the test needs some writes in flight at the kill");
    assert_eq!(lost, unreplicated);
    assert_eq!(sim.metrics().lost_writes, unreplicated);
    assert!(sim.metrics().writes_ok > during.writes_ok + 1000, "writes succeed again");
    // Every acknowledged write is either on the new primary or lost.
    let new_primary = sim.databases().into_iter().find(|d| d.primary).unwrap();
    assert_eq!(new_primary.node, node(&s, "server-2"));
    assert_eq!(new_primary.applied + sim.metrics().lost_writes, sim.metrics().writes_ok);
}

#[test]
fn automatic_failover_promotes_a_replica_within_ten_to_thirty_seconds() {
    let s = preset("lb-two-fullstack-auto-failover");
    let mut sim = sim(&s, 3);
    run_to(&mut sim, 10.0);
    sim.apply(cmd("kill:primary-db")).unwrap();
    let events = run_to(&mut sim, 60.0);
    let at = events
        .iter()
        .find_map(|e| match e {
            Event::Promoted { at, automatic: true, .. } => Some(at.as_secs_f64()),
            _ => None,
        })
        .expect("automatic promotion");
    assert!((20.0..=40.0).contains(&at), "promoted {:.1} s after the failure", at - 10.0);
    // Writes work again after it.
    let failed_at_end = sim.metrics().writes_failed;
    run_to(&mut sim, 70.0);
    assert_eq!(sim.metrics().writes_failed, failed_at_end);
}

#[test]
fn restoring_the_old_primary_brings_it_back_as_a_replica_that_catches_up() {
    let mut s = preset("lb-two-fullstack");
    s.traffic.rate_qps = 500.0;
    s.traffic.write_share = 0.3;
    let mut sim = sim(&s, 5);
    run_to(&mut sim, 5.0);
    sim.apply(cmd("kill:primary-db")).unwrap();
    run_to(&mut sim, 8.0);
    sim.apply(cmd("promote:replica-db")).unwrap();
    run_to(&mut sim, 12.0);
    sim.apply(cmd("restore:primary-db")).unwrap();
    run_to(&mut sim, 20.0);
    let dbs = sim.databases();
    let old = dbs.iter().find(|d| d.node == node(&s, "server-1")).unwrap();
    let new = dbs.iter().find(|d| d.primary).unwrap();
    assert!(!old.primary && old.up);
    assert!(new.applied - old.applied < 200, "caught up: {old:?} vs {new:?}");
}

#[test]
fn re_encrypting_closes_exactly_the_load_balancer_to_server_hops() {
    let hops = |mode: TlsMode| {
        let mut s = preset("lb-two-fullstack");
        s.tls.mode = mode;
        let mut sim = sim(&s, 1);
        run_to(&mut sim, 5.0);
        sim.report().plaintext_hops
    };
    let terminated = hops(TlsMode::Terminate);
    let reencrypted = hops(TlsMode::Reencrypt);
    assert!(reencrypted.is_empty(), "{reencrypted:?}");
    assert_eq!(hops(TlsMode::Passthrough), reencrypted);
    // What terminating adds: every link from the LB through a firewall to
    // each web server, and nothing else.
    let s = preset("lb-two-fullstack");
    let mut expected = Vec::new();
    for server in ["server-1", "server-2"] {
        let fw = s.nodes.iter().find(|n| n.guards.as_deref() == Some(server)).unwrap();
        expected.push(format!("lb->{}", fw.id));
        expected.push(format!("{}->{server}", fw.id));
    }
    expected.sort();
    assert_eq!(terminated, expected);
}

#[test]
fn the_certificate_moves_the_handshake_cpu() {
    let cpu = |mode: TlsMode| {
        let mut s = preset("lb-two-fullstack");
        s.tls.mode = mode;
        s.traffic.rate_qps = 2000.0;
        s.traffic.resumed_share = 0.0;
        let mut sim = sim(&s, 1);
        run_to(&mut sim, 10.0);
        let m = sim.metrics();
        let mean = |node: usize| {
            let slot = m.box_slot(node).unwrap();
            m.history.iter().skip(2).map(|h| f64::from(h.cpu_pct[slot])).sum::<f64>() / 8.0
        };
        (mean(node(&s, "lb")), mean(node(&s, "server-1")))
    };
    let (lb_term, srv_term) = cpu(TlsMode::Terminate);
    let (lb_re, srv_re) = cpu(TlsMode::Reencrypt);
    let (lb_pass, srv_pass) = cpu(TlsMode::Passthrough);
    assert!(lb_re > lb_term && srv_re > srv_term, "re-encrypt costs on both sides");
    assert!(lb_pass < lb_term / 4.0, "passthrough: the LB only forwards TCP");
    assert!(srv_pass > srv_re, "passthrough: servers do the full handshakes");
}

#[test]
fn mysql_from_the_internet_is_dropped_at_fw1_by_rule_until_rules_open_it() {
    let mut s = preset("lb-two-fullstack");
    s.traffic.attack = Some(infraboard_sim::AttackSpec { qps: 100.0, port: 3306 });
    let mut sim = sim(&s, 2);
    let events = run_to(&mut sim, 5.0);
    let fw1 = node(&s, "fw-1");
    let m = sim.metrics();
    assert!(m.attacks > 300);
    assert_eq!(m.attacks_reached, 0);
    // Dropped at FW1 by its explicit "deny 3306 from the Internet" rule.
    let rule = sim
        .firewall(fw1)
        .unwrap()
        .rules
        .iter()
        .position(|r| r.port == Some(3306) && r.action == infraboard_sim::Action::Deny);
    assert!(rule.is_some());
    assert!(events.iter().any(|e| matches!(e,
        Event::Dropped { kind: RequestKind::Attack, reason: DropReason::FirewallRule { firewall, rule: r }, .. }
        if *firewall == fw1 && Some(*r) == rule)));
    assert_eq!(m.firewall_drops, vec![(fw1, rule, m.attacks_dropped.iter().sum())]);

    // Opening FW1 alone moves the drop to the firewall in front of MySQL.
    sim.apply(cmd("fw:fw-1:allow:3306:internet")).unwrap();
    let events = run_to(&mut sim, 10.0);
    let fw2 = node(&s, "fw-2");
    assert!(events.iter().any(|e| matches!(e,
        Event::Dropped { reason: DropReason::FirewallDefaultDeny { firewall, port: 3306 }, .. } if *firewall == fw2)));
    assert_eq!(sim.metrics().attacks_reached, 0);

    // Opening it there too: attack traffic reaches MySQL.
    sim.apply(cmd("fw:fw-2:allow:3306:internet")).unwrap();
    let events = run_to(&mut sim, 15.0);
    let server_1 = node(&s, "server-1");
    assert!(sim.metrics().attacks_reached > 300);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::AttackReached { node, port: 3306, .. } if *node == server_1)));
    // User traffic never noticed.
    assert_eq!(sim.metrics().dropped_total(), 0);
}

#[test]
fn a_bad_rule_on_the_web_firewall_empties_the_pool() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 4);
    run_to(&mut sim, 3.0);
    // Deny everything at the top of FW2: server-1 fails its health checks.
    sim.apply(cmd("fw:fw-2:deny:*:any")).unwrap();
    let events = run_to(&mut sim, 15.0);
    let server_1 = node(&s, "server-1");
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::BackendRemoved { server, .. } if *server == server_1)));
    assert!(sim.metrics().dropped_for(DropCode::FirewallRule) > 0);
    // The rule can be taken out again.
    sim.apply(Command::RemoveFirewallRule { firewall: NodeRef::Id("fw-2".into()), index: 0 })
        .unwrap();
    let events = run_to(&mut sim, 25.0);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::BackendAdded { server, .. } if *server == server_1)));
}

#[test]
fn a_dead_server_leaves_the_pool_only_after_health_checks_notice() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 9);
    let mut s2 = s.clone();
    s2.traffic.rate_qps = 200.0;
    let mut sim2 = Simulation::new(&s2, 9).unwrap();
    run_to(&mut sim, 10.0);
    run_to(&mut sim2, 10.0);
    drop(sim);
    sim2.apply(cmd("kill:server-2")).unwrap();
    let events = run_to(&mut sim2, 30.0);
    let server_2 = node(&s, "server-2");
    let removed = events
        .iter()
        .find_map(|e| match e {
            Event::BackendRemoved { at, server } if *server == server_2 => Some(at.as_secs_f64()),
            _ => None,
        })
        .expect("removed by health checks");
    let lb = s.load_balancer;
    let interval = f64::from(lb.check_interval_ms) / 1000.0;
    let delay = removed - 10.0;
    assert!(
        delay > f64::from(lb.fall - 1) * interval && delay <= f64::from(lb.fall) * interval,
        "{delay}"
    );
    let lost: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            Event::Dropped { at, reason: DropReason::NodeDown, .. } => Some(at.as_secs_f64()),
            _ => None,
        })
        .collect();
    assert!(!lost.is_empty(), "requests sent to it before detection fail");
    assert!(lost.iter().all(|&t| t < removed + 0.5), "none after it left the pool");
    assert!(events
        .iter()
        .filter_map(|e| match e {
            Event::Served { at, server, .. } if at.as_secs_f64() > removed + 1.0 => Some(*server),
            _ => None,
        })
        .all(|srv| srv == node(&s, "server-1")));
}

#[test]
fn no_healthy_server_means_503() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 1);
    run_to(&mut sim, 2.0);
    sim.apply(cmd("kill:server-1")).unwrap();
    sim.apply(cmd("kill:server-2")).unwrap();
    let events = run_to(&mut sim, 20.0);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Dropped { reason: DropReason::NoHealthyBackend, .. })));
    assert!(sim.metrics().dropped_for(DropCode::NoHealthyBackend) > 100);
    // The load balancer's agent reports the 5xx: the error-rate alert fires.
    run_to(&mut sim, 40.0);
    assert!(
        sim.alert_active(AlertRule::ErrorRate, node(&s, "lb")) || {
            sim.metrics().alerts.iter().any(|a| a.rule == AlertRule::ErrorRate)
        }
    );
}

#[test]
fn alerts_arrive_late_by_exactly_the_pipeline_delay() {
    let alert_time = |ship_ms: u32, ingest_ms: u32| {
        let mut s = preset("lb-two-fullstack");
        s.monitoring.ship_delay_ms = ship_ms;
        s.monitoring.ingest_delay_ms = ingest_ms;
        let mut sim = sim(&s, 11);
        run_to(&mut sim, 20.0);
        sim.apply(cmd("kill:primary-db")).unwrap();
        let events = run_to(&mut sim, 60.0);
        events
            .iter()
            .find_map(|e| match e {
                Event::Alert { at, rule: AlertRule::PrimaryDown, .. } => Some(at.as_secs_f64()),
                _ => None,
            })
            .expect("primary-down alert")
    };
    let fast = alert_time(0, 0);
    let slow = alert_time(1000, 4000);
    let interval = f64::from(presets::default_scenario().monitoring.interval_s);
    assert!(fast >= 20.0 && fast <= 20.0 + interval, "{fast}");
    assert!((slow - fast - 5.0).abs() < 1e-6, "late by the 5 s pipeline: {fast} vs {slow}");
}

#[test]
fn a_dead_host_goes_silent_and_the_service_says_no_data() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 2);
    run_to(&mut sim, 10.0);
    sim.apply(cmd("kill:server-2")).unwrap();
    let events = run_to(&mut sim, 60.0);
    let server_2 = node(&s, "server-2");
    let at = events
        .iter()
        .find_map(|e| match e {
            Event::Alert { at, rule: AlertRule::NoData, node } if *node == server_2 => {
                Some(at.as_secs_f64())
            }
            _ => None,
        })
        .expect("no-data alert");
    let m = s.monitoring;
    let silence = f64::from(m.no_data_intervals * m.interval_s);
    assert!(at > 10.0 + silence, "{at}");
    // Its agent died with it: nothing more from that host.
    let last = events
        .iter()
        .filter_map(|e| match e {
            Event::MetricsReceived { node, sampled_at, .. } if *node == server_2 => {
                Some(sampled_at.as_secs_f64())
            }
            _ => None,
        })
        .fold(0.0, f64::max);
    assert!(last <= 10.0);
}

#[test]
fn the_monitoring_view_lags_the_truth() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 3);
    run_to(&mut sim, 20.0);
    sim.apply(Command::SetRate { qps: 1000.0 }).unwrap();
    run_to(&mut sim, 40.0);
    let m = sim.metrics();
    let slot = m.box_slot(node(&s, "server-1")).unwrap();
    let first_truth = m.history.iter().find(|h| h.qps[slot] > 300).unwrap().second;
    let first_seen = m.history.iter().find(|h| h.qps_monitored[slot] > 300.0).unwrap().second;
    let pipeline = (s.monitoring.ship_delay_ms + s.monitoring.ingest_delay_ms) as u64 / 1000;
    assert!(first_seen >= first_truth + pipeline, "{first_truth} vs {first_seen}");
    let spike = m.alerts.iter().find(|a| a.rule == AlertRule::QpsSpike).expect("spike alert");
    assert!(spike.at.as_secs_f64() >= 20.0 + pipeline as f64);
}

#[test]
fn a_busy_database_slows_the_web_tier_on_its_own_box_only() {
    // Heavy read queries: MySQL needs a lot of CPU on the replica's box.
    let latency_by_server = |name: &str| {
        let mut s = preset(name);
        s.tls.mode = TlsMode::Terminate;
        s.traffic.rate_qps = 400.0;
        s.service.mysql_read_ms = 4.0;
        for n in &mut s.nodes {
            if n.kind == infraboard_sim::NodeKind::Server {
                n.cores = Some(2);
            }
        }
        let mut sim = sim(&s, 21);
        let events = run_to(&mut sim, 30.0);
        let mut sums = std::collections::BTreeMap::<String, (f64, u32)>::new();
        for e in &events {
            if let Event::Served { server, latency, kind: RequestKind::Write, .. } = e {
                let entry = sums.entry(s.nodes[*server].id.clone()).or_default();
                entry.0 += latency.as_secs_f64() * 1000.0;
                entry.1 += 1;
            }
        }
        sums.into_iter().map(|(k, (sum, n))| (k, sum / f64::from(n))).collect::<Vec<_>>()
    };
    // Writes never touch the replica, so a write's latency shows the wait
    // on the web box it went through.
    let full = latency_by_server("lb-two-fullstack");
    assert_eq!(full[0].0, "server-1");
    assert!(
        full[1].1 > full[0].1 + 1.0,
        "server-2 shares its cores with the busy replica: {full:?}"
    );
    let split = latency_by_server("split-tiers");
    assert!((split[0].1 - split[1].1).abs() < 1.0, "split tiers: web boxes equal: {split:?}");
}

#[test]
fn replication_lag_grows_when_writes_outpace_the_single_apply_thread() {
    let mut s = preset("lb-two-fullstack");
    s.traffic.rate_qps = 2000.0;
    s.traffic.write_share = 0.5;
    s.database.apply_us = 2000; // 500 writes/s at most, 1000/s arrive
    let mut sim = sim(&s, 8);
    run_to(&mut sim, 30.0);
    let lag: Vec<f32> = sim.metrics().history.iter().map(|h| h.replication_lag_ms).collect();
    assert!(lag[25] > lag[10] && lag[10] > lag[3], "{lag:?}");
    assert!(lag[25] > 5000.0);
    assert!(sim.metrics().stale_reads > 0);
    assert!(sim.metrics().alerts.iter().any(|a| a.rule == AlertRule::ReplicationLag));
}

#[test]
fn dns_cache_hits_follow_the_ttl() {
    let lookups = |ttl_s: u32| {
        let mut s = preset("lb-two-fullstack");
        s.dns.ttl_s = ttl_s;
        s.traffic.rate_qps = 300.0;
        let mut sim = sim(&s, 1);
        let events = run_to(&mut sim, 20.0);
        let (mut hits, mut total, mut slow_misses) = (0, 0, 0);
        for e in &events {
            if let Event::DnsLookup { cache_hit, depart, arrive, .. } = e {
                total += 1;
                let ms = (arrive.0 - depart.0) as f64 / 1e6;
                if *cache_hit {
                    hits += 1;
                    assert!((1.0..=5.0).contains(&ms));
                } else {
                    assert!(ms <= 400.0);
                    slow_misses += 1;
                }
            }
        }
        (hits as f64 / total as f64, slow_misses)
    };
    let (no_cache, _) = lookups(0);
    let (cached, misses) = lookups(300);
    assert_eq!(no_cache, 0.0);
    assert!(cached > 0.9, "{cached}");
    assert!(misses > 0, "cold caches miss at first");
}

#[test]
fn monitoring_agents_cost_a_little_cpu() {
    let cpu = |agent_cpu_us: u32| {
        let mut s = preset("lb-two-fullstack");
        s.monitoring.agent_cpu_us = agent_cpu_us;
        s.monitoring.interval_s = 1;
        let mut sim = sim(&s, 1);
        run_to(&mut sim, 20.0);
        let m = sim.metrics();
        let slot = m.box_slot(node(&s, "server-1")).unwrap();
        m.history.iter().map(|h| f64::from(h.cpu_pct[slot])).sum::<f64>()
    };
    assert!(cpu(100_000) > cpu(0) + 10.0);
}

#[test]
fn a_snapshot_replayed_with_the_same_commands_has_the_same_future() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 42);
    run_to(&mut sim, 5.0);
    let snapshot = sim.clone();
    let script = |sim: &mut Simulation| {
        let mut out = run_to(sim, 7.5);
        sim.apply(cmd("kill:primary-db")).unwrap();
        sim.apply(cmd("rate:800")).unwrap();
        out.extend(run_to(sim, 12.0));
        sim.apply(cmd("promote:replica-db")).unwrap();
        sim.apply(cmd("tls:reencrypt")).unwrap();
        out.extend(run_to(sim, 16.0));
        (out, sim.report().to_json())
    };
    let first = script(&mut sim);
    let mut restored = snapshot.clone();
    let second = script(&mut restored);
    assert_eq!(first.0, second.0);
    assert_eq!(first.1, second.1);
    // Without the commands, the future differs.
    let mut other = snapshot;
    assert_ne!(run_to(&mut other, 16.0).len(), first.0.len());
}

#[test]
fn a_snapshot_copied_into_an_older_copy_is_the_same_as_a_fresh_one() {
    // The driver reuses its snapshots' copies (`clone_from`): copying into
    // one that holds another state, later or earlier, larger or smaller,
    // must leave nothing of it behind.
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 7);
    run_to(&mut sim, 3.0);
    let mut reused = sim.clone();
    sim.apply(cmd("kill:primary-db")).unwrap();
    sim.apply(cmd("rate:900")).unwrap();
    run_to(&mut sim, 9.0);
    let mut later = sim.clone();
    run_to(&mut later, 14.0);
    let mut slots = [reused.clone(), later];
    for slot in &mut slots {
        slot.clone_from(&sim);
        assert_eq!(format!("{slot:?}"), format!("{sim:?}"));
    }
    reused.clone_from(&sim);
    let mut fresh = sim.clone();
    let script = |sim: &mut Simulation| {
        let mut out = run_to(sim, 11.0);
        sim.apply(cmd("promote:replica-db")).unwrap();
        out.extend(run_to(sim, 15.0));
        (out, sim.report().to_json())
    };
    assert_eq!(script(&mut reused), script(&mut fresh));
}

#[test]
fn refused_commands_say_why_and_change_nothing() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 1);
    run_to(&mut sim, 1.0);
    let before = sim.clone();
    let cases = [
        ("promote:replica-db", CommandError::PrimaryStillUp),
        ("kill:nowhere", CommandError::UnknownNode("nowhere".into())),
        ("kill:user", CommandError::CannotKill("user".into())),
        ("restore:server-1", CommandError::AlreadyUp("server-1".into())),
        ("fw:lb:allow:22:any", CommandError::NotAFirewall("lb".into())),
        ("fw:fw-1:allow:22:ghost", CommandError::UnknownNode("ghost".into())),
        ("rate:0", CommandError::OutOfRange { what: "rate", min: 1.0, max: 200_000.0 }),
        ("writes:1.5", CommandError::OutOfRange { what: "write share", min: 0.0, max: 1.0 }),
        ("agent:fw-1:off", CommandError::NotABox("fw-1".into())),
    ];
    for (text, want) in cases {
        assert_eq!(sim.apply(cmd(text)), Err(want), "{text}");
    }
    assert_eq!(sim.report().to_json(), before.report().to_json());
    assert!(sim.apply(cmd("kill:server-1")).is_ok());
    assert_eq!(sim.apply(cmd("kill:server-1")), Err(CommandError::AlreadyDown("server-1".into())));
}

#[test]
fn role_names_work_in_every_preset() {
    for name in presets::names() {
        let s = preset(name);
        let mut sim = sim(&s, 1);
        run_to(&mut sim, 2.0);
        sim.apply(cmd("kill:primary-db")).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.apply(cmd("promote:replica-db")).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.apply(cmd("restore:primary-db")).unwrap_or_else(|e| panic!("{name}: {e}"));
        sim.apply(cmd("kill:replica-db")).unwrap_or_else(|e| panic!("{name}: {e}"));
        run_to(&mut sim, 4.0);
    }
}

#[test]
fn time_only_moves_forward_and_step_takes_one_event() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 1);
    run_to(&mut sim, 3.0);
    assert!(sim.advance_to(secs(2.0)).is_err());
    assert_eq!(sim.now(), secs(3.0));
    let events_before = sim.metrics().events;
    let next = sim.poll_timeout().unwrap();
    assert_eq!(sim.step(), Some(next));
    assert_eq!(sim.metrics().events, events_before + 1);
    assert_eq!(sim.now(), next);
}

#[test]
fn at_high_rates_one_dot_stands_for_many_requests() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 1);
    assert_eq!(sim.sample_every(), 1);
    sim.apply(Command::SetRate { qps: 50_000.0 }).unwrap();
    let n = sim.sample_every();
    assert!(n >= 50, "{n}");
    let events = run_to(&mut sim, 2.0);
    let served = events.iter().filter(|e| matches!(e, Event::Served { .. })).count() as u64;
    let truth = sim.metrics().served;
    assert!(served * n > truth / 2 && served * n < truth * 2, "{served} x {n} vs {truth}");
}

#[test]
fn a_dead_dns_only_hurts_users_whose_resolver_has_nothing_cached() {
    let mut s = preset("lb-two-fullstack");
    s.traffic.rate_qps = 300.0;
    s.dns.ttl_s = 20;
    let mut sim = sim(&s, 6);
    run_to(&mut sim, 10.0);
    let served = sim.metrics().served;
    sim.apply(cmd("kill:dns")).unwrap();
    run_to(&mut sim, 12.0);
    let soon = sim.metrics().dropped_for(DropCode::DnsFailure);
    assert!(sim.metrics().served > served + 450, "most users still get through at first");
    run_to(&mut sim, 60.0);
    let later = sim.metrics().dropped_for(DropCode::DnsFailure);
    // Cached answers keep most users going at first; as the TTLs run out,
    // more and more lookups fail.
    assert!(later > soon * 5 + 100, "{soon} then {later}");
}

#[test]
fn killing_the_load_balancer_takes_the_site_down_and_the_service_notices() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 6);
    run_to(&mut sim, 10.0);
    let served = sim.metrics().served;
    sim.apply(cmd("kill:lb")).unwrap();
    run_to(&mut sim, 40.0);
    assert!(sim.metrics().served <= served + 10);
    assert!(sim.metrics().dropped_for(DropCode::NodeDown) > 1000);
    assert!(sim.alert_active(AlertRule::NoData, node(&s, "lb")));
    sim.apply(cmd("restore:lb")).unwrap();
    run_to(&mut sim, 45.0);
    assert!(sim.metrics().served > served + 100, "back up");
}

#[test]
fn agents_keep_their_samples_while_the_service_is_down() {
    let s = preset("lb-two-fullstack");
    let mut sim = sim(&s, 6);
    run_to(&mut sim, 10.0);
    sim.apply(cmd("kill:monitoring")).unwrap();
    let quiet = run_to(&mut sim, 30.0);
    assert!(!quiet
        .iter()
        .any(|e| matches!(e, Event::MetricsReceived { at, .. } if at.as_secs_f64() > 16.0)));
    sim.apply(cmd("restore:monitoring")).unwrap();
    let back = run_to(&mut sim, 45.0);
    // Samples taken while it was down arrive after it is back.
    assert!(back.iter().any(|e| matches!(e,
        Event::MetricsReceived { sampled_at, .. } if (12.0..30.0).contains(&sampled_at.as_secs_f64()))));
}

#[test]
fn leastconn_and_random_of_two_spread_the_load_too() {
    for algo in ["lb:leastconn", "lb:random2", "lb:roundrobin"] {
        let mut s = preset("three-identical");
        s.traffic.rate_qps = 600.0;
        let mut sim = sim(&s, 12);
        sim.apply(cmd(algo)).unwrap();
        run_to(&mut sim, 20.0);
        let m = sim.metrics();
        for id in ["server-1", "server-2", "server-3"] {
            let slot = m.box_slot(node(&s, id)).unwrap();
            let total: u32 = m.history.iter().map(|h| h.qps[slot]).sum();
            assert!(total > 3000 && total < 5000, "{algo} {id}: {total}");
        }
    }
}

#[test]
fn memory_stays_bounded_under_overload_and_over_time() {
    // Far more traffic than two single-core boxes can serve: requests time
    // out instead of piling up.
    let mut s = preset("lb-two-fullstack");
    s.traffic.rate_qps = 20_000.0;
    for n in &mut s.nodes {
        if n.cores.is_some() || n.kind == infraboard_sim::NodeKind::Server {
            n.cores = Some(1);
        }
    }
    let mut sim = sim(&s, 1);
    let timeout_s = f64::from(s.load_balancer.timeout_ms) / 1000.0;
    let mut peak = 0;
    for t in 1..=12 {
        run_to(&mut sim, f64::from(t));
        peak = peak.max(sim.requests_in_queue());
    }
    let m = sim.metrics();
    assert!(m.dropped_for(DropCode::Timeout) > 10_000, "overloaded");
    // At most what arrives during one timeout plus the network's share.
    assert!((peak as f64) < 20_000.0 * (timeout_s + 1.0), "{peak}");
    // Per-second history is a ring.
    let mut slow = preset("lb-two-fullstack");
    slow.traffic.rate_qps = 1.0;
    let mut sim = Simulation::new(&slow, 1).unwrap();
    sim.advance_to(SimTime::from_secs(infraboard_sim::HISTORY_SECONDS as u64 + 100)).unwrap();
    while sim.poll_event().is_some() {}
    assert_eq!(sim.metrics().history.len(), infraboard_sim::HISTORY_SECONDS);
    assert!(sim.requests_in_queue() < 10);
}
