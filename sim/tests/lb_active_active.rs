//! The active-active load-balancer pair behind two DNS A records: both
//! serve; when one dies, the users whose resolver cached its address first
//! fail under their own reason until the entry expires (the DNS TTL), and
//! the share of users still pinned to the dead one falls to zero within
//! the TTL.

use infraboard_sim::{
    presets, Command, DropCode, DropReason, Event, PairMode, Scenario, SimTime, Simulation,
};

const PAIR: &str = "lb-pair-active-active";
/// A resolver's miss takes at most 400 ms; the Internet leg at most 1.5 ×
/// its 20 ms one way.
const MISS_AND_WAN_MS: u64 = 400 + 30;

fn with_ttl(ttl_s: u32) -> Scenario {
    let mut s = presets::get(PAIR).unwrap();
    s.dns.ttl_s = ttl_s;
    s
}

/// Latest start time (ms) of a request dropped as pinned to a dead load
/// balancer, read from the drop events (every request is sampled at 50 QPS).
fn last_pinned_drop_ms(sim: &mut Simulation) -> (u64, Option<u64>) {
    let mut count = 0;
    let mut last = None;
    while let Some(e) = sim.poll_event() {
        if let Event::Dropped { at, reason: DropReason::PinnedToDeadLb, .. } = e {
            count += 1;
            last = Some(at.0 / 1_000_000);
        }
    }
    (count, last)
}

#[test]
fn the_preset_is_an_active_active_pair_and_both_load_balancers_serve() {
    let s = presets::get(PAIR).unwrap();
    assert_eq!(s.lb_pair.unwrap().mode, PairMode::ActiveActive);
    let mut sim = Simulation::new(&s, 4).unwrap();
    sim.advance_to(SimTime::from_millis(30_000)).unwrap();
    let m = sim.metrics();
    let slot = |id: &str| m.boxes.iter().position(|&b| b == s.index_of(id).unwrap()).unwrap();
    let (a, b) = (slot("lb"), slot("lb-2"));
    let seen = |slot: usize| m.history.iter().map(|h| u64::from(h.qps[slot])).sum::<u64>();
    let (qa, qb) = (seen(a), seen(b));
    assert!(qa > 200 && qb > 200, "both serve: {qa} and {qb}");
    assert_eq!(m.dropped_total(), 0);
    assert_eq!(sim.users_pinned_to_dead_lb(), 0.0);
}

#[test]
fn pinned_users_fail_then_recover_within_the_ttl_for_several_ttls() {
    for (ttl_s, seed) in [(10u32, 1u64), (30, 2), (60, 3), (120, 4)] {
        let s = with_ttl(ttl_s);
        let kill_ms = 150_000;
        let mut sim = Simulation::new(&s, seed).unwrap();
        sim.advance_to(SimTime::from_millis(kill_ms)).unwrap();
        while sim.poll_event().is_some() {}
        sim.apply("kill:lb".parse::<Command>().unwrap()).unwrap();
        let pinned_at_death = sim.users_pinned_to_dead_lb();
        assert!(
            (0.2..0.8).contains(&pinned_at_death),
            "TTL {ttl_s}: about half the users were pinned to it, not {pinned_at_death}"
        );
        // Second by second through the TTL the share only falls, through
        // values between (resolvers' entries expire one by one).
        let mut shares = vec![pinned_at_death];
        for k in 1..=ttl_s {
            sim.advance_to(SimTime::from_millis(kill_ms + u64::from(k) * 1000)).unwrap();
            shares.push(sim.users_pinned_to_dead_lb());
        }
        assert!(shares.windows(2).all(|w| w[1] <= w[0]), "TTL {ttl_s}: {shares:?}");
        assert!(shares.iter().any(|&x| x > 0.0 && x < pinned_at_death), "{shares:?}");
        // One TTL (and a miss) later, nobody is.
        let end_ms = kill_ms + u64::from(ttl_s) * 1000 + MISS_AND_WAN_MS;
        sim.advance_to(SimTime::from_millis(end_ms)).unwrap();
        assert_eq!(sim.users_pinned_to_dead_lb(), 0.0, "TTL {ttl_s}");
        sim.advance_to(SimTime::from_millis(end_ms + 20_000)).unwrap();
        let (count, last) = last_pinned_drop_ms(&mut sim);
        assert!(count > 0, "TTL {ttl_s}: pinned users failed");
        let last = last.unwrap();
        assert!(last <= end_ms, "TTL {ttl_s}: a pinned failure at {last} ms, after {end_ms}");
        let m = sim.metrics();
        assert_eq!(m.dropped_for(DropCode::PinnedToDeadLb), count);
        assert_eq!(m.dropped_for(DropCode::VipOnDeadMaster), 0);
        // The rest of the run serves everyone through the live one.
        let tail: Vec<u32> = m.history.iter().rev().take(15).map(|h| h.served).collect();
        assert!(tail.iter().all(|&q| q > 25), "TTL {ttl_s}: {tail:?}");
        assert!(m.history.iter().rev().take(15).all(|h| h.dropped.iter().sum::<u32>() == 0));
        let f = sim.report().failover.unwrap();
        assert_eq!((f.mode, f.vip_holder), ("active-active", None));
        let recovery = f.lb_recovery_s.expect("recovered");
        assert!(recovery <= f64::from(ttl_s) + 0.4, "TTL {ttl_s}: recovered after {recovery} s");
        // Lost: sent after the death (a few more were on their way).
        assert!(f.requests_lost * 10 >= count * 9, "{} lost, {count} pinned", f.requests_lost);
    }
}

#[test]
fn a_longer_ttl_loses_more_requests() {
    let lost = |ttl_s: u32| {
        let mut sim = Simulation::new(&with_ttl(ttl_s), 8).unwrap();
        sim.advance_to(SimTime::from_millis(200_000)).unwrap();
        sim.apply("kill:lb-2".parse::<Command>().unwrap()).unwrap();
        sim.advance_to(SimTime::from_millis(400_000)).unwrap();
        sim.metrics().dropped_for(DropCode::PinnedToDeadLb)
    };
    let (short, long) = (lost(10), lost(120));
    assert!(short > 0 && long > 4 * short, "TTL 10 s: {short} lost, TTL 120 s: {long}");
}

#[test]
fn the_returning_load_balancer_ends_the_pinning() {
    let s = with_ttl(300);
    let mut sim = Simulation::new(&s, 6).unwrap();
    sim.advance_to(SimTime::from_millis(60_000)).unwrap();
    sim.apply("kill:lb".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_millis(70_000)).unwrap();
    assert!(sim.users_pinned_to_dead_lb() > 0.0);
    sim.apply("restore:lb".parse::<Command>().unwrap()).unwrap();
    assert_eq!(sim.users_pinned_to_dead_lb(), 0.0);
    // Cold health checks (rise 2 × 2 s), then everyone is served again.
    sim.advance_to(SimTime::from_millis(90_000)).unwrap();
    let last: Vec<u32> = sim.metrics().history.iter().rev().take(10).map(|h| h.served).collect();
    assert!(last.iter().all(|&q| q > 25), "{last:?}");
    let f = sim.report().failover.unwrap();
    assert!((9.9..10.1).contains(&f.lb_recovery_s.unwrap()));
}

#[test]
fn active_active_needs_a_dns_node() {
    let mut s = presets::get(PAIR).unwrap();
    let dns = s.index_of("dns").unwrap();
    s.nodes.remove(dns);
    let problems = s.validate();
    assert!(problems.iter().any(|d| d.to_string().contains("a DNS node")), "{problems:?}");
}

/// The active-active preset grown to `n` load balancers, an A record each,
/// all behind the edge firewall.
fn group_of(n: usize) -> Scenario {
    let mut s = presets::get(PAIR).unwrap();
    let template = s.nodes[s.index_of("lb-2").unwrap()].clone();
    let at = s.index_of("lb-2").unwrap() + 1;
    let extra: Vec<_> = (3..=n)
        .map(|i| infraboard_sim::NodeSpec {
            id: format!("lb-{i}"),
            y: 40.0 + 60.0 * i as f64,
            ..template.clone()
        })
        .collect();
    let fw = s.index_of("fw-1").unwrap();
    s.nodes[fw].also_guards.extend(extra.iter().map(|x| x.id.clone()));
    s.nodes.splice(at..at, extra);
    s
}

#[test]
fn up_to_eight_load_balancers_share_the_users_and_one_dying_pins_its_share() {
    let s = group_of(4);
    assert!(s.validate().is_empty(), "{:?}", s.validate());
    let mut sim = Simulation::new(&s, 12).unwrap();
    sim.advance_to(SimTime::from_millis(150_000)).unwrap();
    let m = sim.metrics();
    for id in ["lb", "lb-2", "lb-3", "lb-4"] {
        let slot = m.boxes.iter().position(|&b| b == s.index_of(id).unwrap()).unwrap();
        let seen: u64 = m.history.iter().map(|h| u64::from(h.qps[slot])).sum();
        assert!(seen > 1000, "{id} served {seen}");
    }
    sim.apply("kill:lb-3".parse::<Command>().unwrap()).unwrap();
    let pinned = sim.users_pinned_to_dead_lb();
    assert!((0.1..0.4).contains(&pinned), "about a quarter pinned, not {pinned}");
    let ttl_ms = u64::from(s.dns.ttl_s) * 1000;
    sim.advance_to(SimTime::from_millis(150_000 + ttl_ms + MISS_AND_WAN_MS)).unwrap();
    assert_eq!(sim.users_pinned_to_dead_lb(), 0.0);
    assert!(sim.metrics().dropped_for(DropCode::PinnedToDeadLb) > 0);
    // Nine are refused, and an active-passive pair stays a pair.
    assert!(group_of(8).validate().is_empty(), "{:?}", group_of(8).validate());
    assert!(group_of(9).validate().iter().any(|d| d.to_string().contains("load balancers")));
    let mut ap = group_of(3);
    ap.lb_pair = Some(infraboard_sim::LbPairSpec::default());
    assert!(
        ap.validate().iter().any(|d| d.to_string().contains("at most 2")),
        "{:?}",
        ap.validate()
    );
}
