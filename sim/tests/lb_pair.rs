//! The active-passive load-balancer pair (keepalived's VRRP): the VIP moves
//! after the master-down interval, requests sent to the dead master in the
//! gap are lost under their own reason, the backup starts cold, and the
//! master takes the VIP back only when the pair preempts.

use infraboard_sim::{presets, Command, DropCode, LbPairSpec, Scenario, SimTime, Simulation};

const PAIR: &str = "lb-pair-active-passive";

fn pair(spec: LbPairSpec) -> Scenario {
    let mut s = presets::get(PAIR).unwrap();
    s.lb_pair = Some(spec);
    s
}

fn node(s: &Scenario, id: &str) -> usize {
    s.index_of(id).unwrap()
}

/// Runs to `kill_ms`, kills the VIP holder, runs to `until_ms`.
fn failover(s: &Scenario, seed: u64, kill_ms: u64, until_ms: u64) -> Simulation {
    let mut sim = Simulation::new(s, seed).unwrap();
    sim.advance_to(SimTime::from_millis(kill_ms)).unwrap();
    sim.apply("kill:lb".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_millis(until_ms)).unwrap();
    sim
}

#[test]
fn keepalived_defaults_one_second_adverts_priority_100_preempt() {
    let spec = LbPairSpec::default();
    assert_eq!((spec.advert_int_ms, spec.backup_priority, spec.preempt), (1000, 100, true));
    // 3 × 1 s + (256 − 100) / 256 s.
    assert_eq!(spec.master_down_ns(), 3_609_375_000);
}

#[test]
fn the_vip_moves_after_the_master_down_interval_for_several_advert_settings() {
    // (advert ms, backup priority, expected master-down interval in s).
    let cases = [
        (1000, 100, 3.609375),
        (2000, 200, 6.21875),
        (500, 50, 2.3046875),
        (100, 254, 0.3078125),
        (3000, 1, 9.99609375),
    ];
    for (advert_int_ms, backup_priority, down_s) in cases {
        let s = pair(LbPairSpec { advert_int_ms, backup_priority, ..LbPairSpec::default() });
        // Killed right after an advert (30 s is a multiple of every
        // interval): the backup waits the whole interval.
        let sim = failover(&s, 3, 30_000, 45_000);
        let f = sim.metrics().lb_failover.expect("a failover is recorded");
        let moved = f.vip_moved_at.expect("the VIP moved");
        let after = (moved.0 - f.died_at.0) as f64 / 1e9;
        assert!(
            (after - down_s).abs() < 1e-9,
            "advert {advert_int_ms} ms: {after} s, not {down_s}"
        );
        assert_eq!(sim.vip_holder(), node(&s, "lb-2"));
        // Killed 300 ms after an advert: the timer was already running.
        let sim = failover(&s, 3, 30_300, 45_000);
        let f = sim.metrics().lb_failover.unwrap();
        let after = (f.vip_moved_at.unwrap().0 - f.died_at.0) as f64 / 1e9;
        let since_advert = f64::from(30_300 % advert_int_ms) / 1000.0;
        assert!((after - (down_s - since_advert)).abs() < 1e-6, "{advert_int_ms}: {after}");
    }
}

#[test]
fn requests_sent_to_the_dead_master_in_the_gap_are_lost_under_their_own_reason() {
    let s = presets::get(PAIR).unwrap();
    let rate = s.traffic.rate_qps;
    let sim = failover(&s, 11, 10_000, 40_000);
    let m = sim.metrics();
    let gap = m.dropped_for(DropCode::VipOnDeadMaster) as f64;
    // About rate × 3.61 s (Poisson: well within ±40% at 50 QPS).
    let expected = rate * 3.609375;
    assert!((gap - expected).abs() < 0.4 * expected, "{gap} lost in the gap, ~{expected} expected");
    assert_eq!(m.dropped_for(DropCode::NodeDown), 0, "the dead VIP has its own reason");
    let f = m.lb_failover.unwrap();
    // The gap, then the backup's cold health checks (rise 2 × 2 s at most).
    assert!(f.requests_lost as f64 >= gap, "{} < {gap}", f.requests_lost);
    let recovery = f.recovery_s().expect("the site serves again");
    assert!((3.6..3.61 + 4.0 + 1.0).contains(&recovery), "recovered after {recovery} s");
    // The backup started cold: no server until its checks rose.
    assert!(m.dropped_for(DropCode::NoHealthyBackend) > 0);
    // And serves afterwards, at the offered rate.
    let last: Vec<u32> = m.history.iter().rev().take(10).map(|h| h.served).collect();
    assert!(last.iter().all(|&q| f64::from(q) > rate * 0.5), "{last:?}");
    let r = sim.report();
    assert_eq!(r.requests, r.served + m.dropped_total() + sim.requests_in_queue());
}

#[test]
fn preemption_gives_the_vip_back_to_the_returning_master_only_when_set() {
    for preempt in [true, false] {
        let s = pair(LbPairSpec { preempt, ..LbPairSpec::default() });
        let mut sim = failover(&s, 5, 10_000, 30_000);
        assert_eq!(sim.vip_holder(), node(&s, "lb-2"));
        sim.apply("restore:lb".parse::<Command>().unwrap()).unwrap();
        sim.advance_to(SimTime::from_millis(31_000)).unwrap();
        let holder = if preempt { "lb" } else { "lb-2" };
        assert_eq!(sim.vip_holder(), node(&s, holder), "preempt {preempt}");
        sim.advance_to(SimTime::from_millis(50_000)).unwrap();
        let last = sim.metrics().history.last().unwrap().served;
        assert!(last > 20, "serving after the return (preempt {preempt}): {last}");
        assert_eq!(sim.vip_holder(), node(&s, holder));
    }
}

#[test]
fn the_backup_dying_changes_nothing_while_the_master_holds_the_vip() {
    let s = presets::get(PAIR).unwrap();
    let mut sim = Simulation::new(&s, 2).unwrap();
    sim.advance_to(SimTime::from_millis(5_000)).unwrap();
    sim.apply("kill:lb-2".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_millis(20_000)).unwrap();
    assert_eq!(sim.vip_holder(), node(&s, "lb"));
    assert_eq!(sim.metrics().dropped_total(), 0);
    assert!(sim.metrics().lb_failover.is_none());
    // Both dead: nothing serves; the backup's return takes the VIP after
    // its own master-down interval.
    sim.apply("kill:lb".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_millis(30_000)).unwrap();
    assert_eq!(sim.metrics().history.last().unwrap().served, 0);
    sim.apply("restore:lb-2".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_millis(33_000)).unwrap();
    assert_eq!(sim.vip_holder(), node(&s, "lb"), "3 s is inside the master-down interval");
    sim.advance_to(SimTime::from_millis(34_000)).unwrap();
    assert_eq!(sim.vip_holder(), node(&s, "lb-2"));
}

#[test]
fn the_topology_names_the_pair_and_the_report_its_failover() {
    let s = presets::get(PAIR).unwrap();
    let sim = failover(&s, 1, 10_000, 30_000);
    let p = sim.topology().lb_pair().expect("a pair");
    assert_eq!((p.master, p.backup), (node(&s, "lb"), node(&s, "lb-2")));
    assert_eq!(sim.topology().load_balancers().count(), 2);
    assert_eq!(sim.standby_load_balancer().unwrap().node, p.master);
    let r = sim.report();
    let f = r.failover.as_ref().expect("the report has the failover");
    assert_eq!(f.vip_holder.as_deref(), Some("lb-2"));
    assert_eq!(f.vip_moved_after_s, Some(3.609375));
    assert!(f.lb_recovery_s.is_some() && f.requests_lost > 0);
    assert_eq!(f.users_pinned_to_dead_lb, 0.0, "one VIP pins nobody");
    let json = r.to_json();
    assert!(json.contains("\"mode\":\"active-passive\",\"vip_holder\":\"lb-2\""), "{json}");
    // Designs with one load balancer have no such key.
    let one = Simulation::new(&presets::default_scenario(), 1).unwrap();
    assert!(one.topology().lb_pair().is_none());
    assert!(!one.report().to_json().contains("failover"));
}

#[test]
fn a_snapshot_during_the_failover_has_the_same_future() {
    let s = presets::get(PAIR).unwrap();
    let mut a = failover(&s, 9, 10_000, 12_000);
    let mut b = a.clone();
    a.advance_to(SimTime::from_millis(25_000)).unwrap();
    b.advance_to(SimTime::from_millis(25_000)).unwrap();
    assert_eq!(a.report(), b.report());
}

#[test]
fn a_pair_needs_two_load_balancers_and_sane_timers() {
    let mut s = presets::default_scenario();
    s.lb_pair = Some(LbPairSpec::default());
    let problems = s.validate();
    assert!(
        problems.iter().any(|d| d.to_string().contains("second load-balancer")),
        "{problems:?}"
    );
    let mut s =
        pair(LbPairSpec { advert_int_ms: 1, backup_priority: 255, ..LbPairSpec::default() });
    assert_eq!(s.validate().len(), 2, "{:?}", s.validate());
    s.lb_pair = None;
    assert!(s.validate().iter().any(|d| d.to_string().contains("load balancers")));
}

#[test]
fn only_an_active_passive_pair_has_a_vip_and_it_follows_the_failover() {
    let one = Simulation::new(&presets::default_scenario(), 1).unwrap();
    assert_eq!(one.vip(), None, "one load balancer: no virtual IP");
    let dns = Simulation::new(&presets::get("lb-pair-active-active").unwrap(), 1).unwrap();
    assert_eq!(dns.vip(), None, "two DNS records: no virtual IP");
    let s = pair(LbPairSpec::default());
    let sim = Simulation::new(&s, 1).unwrap();
    assert_eq!(sim.vip(), Some(node(&s, "lb")), "the master answers on the VIP");
    let sim = failover(&s, 1, 10_000, 20_000);
    assert_eq!(sim.vip(), Some(node(&s, "lb-2")), "the backup took it");
}
