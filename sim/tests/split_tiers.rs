//! Split tiers: web boxes (Nginx alone) in front of app boxes in front of
//! MySQL, each tier its own pool behind its own firewall; every request
//! crosses the three tiers with a hop (and a lock state) per tier.

use infraboard_sim::{presets, Command, DropCode, Event, SimTime, Simulation, TlsMode};

const SPLIT: &str = "split-tiers-pools";

/// Every sampled hop (from id, to id, encrypted) of a short run in `mode`.
fn hops(mode: TlsMode) -> Vec<(String, String, bool)> {
    let s = presets::get(SPLIT).unwrap();
    let mut sim = Simulation::new(&s, 3).unwrap();
    sim.apply(Command::SetTls(mode)).unwrap();
    sim.advance_to(SimTime::from_secs(2)).unwrap();
    let mut out = Vec::new();
    while let Some(e) = sim.poll_event() {
        if let Event::Hop { from, to, encrypted, .. } = e {
            let id = |n: usize| s.nodes[n].id.clone();
            out.push((id(from), id(to), encrypted));
        }
    }
    out
}

#[test]
fn every_request_crosses_web_then_app_then_mysql_with_a_lock_state_per_tier() {
    let s = presets::get(SPLIT).unwrap();
    let pool = |id: &str| s.nodes[s.index_of(id).unwrap()].count;
    assert_eq!((pool("web-pool"), pool("app-pool")), (Some(10), Some(10)));
    for (mode, inside_encrypted) in [(TlsMode::Terminate, false), (TlsMode::Reencrypt, true)] {
        let hops = hops(mode);
        let enc = |from: &str, to: &str| {
            let found: Vec<bool> =
                hops.iter().filter(|h| h.0 == from && h.1 == to).map(|h| h.2).collect();
            assert!(!found.is_empty(), "{mode:?}: no hop {from} → {to}");
            found.iter().all(|&e| e == found[0]).then_some(found[0]).unwrap()
        };
        assert_eq!(enc("fw-2", "web-pool"), inside_encrypted, "{mode:?}: LB → web");
        assert_eq!(enc("fw-3", "app-pool"), inside_encrypted, "{mode:?}: web → app");
        assert!(enc("fw-4", "db-2") || enc("fw-4", "db-3"), "MySQL over TLS");
        assert!(
            hops.iter().all(|h| h.0 != "web-pool" || h.1 != "fw-4"),
            "web never talks to MySQL"
        );
    }
    // The static view agrees: the tour's path goes web → app → MySQL.
    let t = infraboard_sim::Topology::of(&s);
    let (web, app) = (s.index_of("web-pool").unwrap(), s.index_of("app-pool").unwrap());
    assert_eq!(t.app_servers(), [app]);
    let path = t.request_path(web, s.index_of("db-1").unwrap(), TlsMode::Reencrypt);
    let ids: Vec<&str> = path.iter().map(|h| s.nodes[h.to].id.as_str()).collect();
    assert_eq!(ids, ["dns", "fw-1", "lb", "fw-2", "web-pool", "fw-3", "app-pool", "fw-4", "db-1"]);
    assert!(t.holds_certificate(app, TlsMode::Reencrypt));
    assert!(!t.holds_certificate(app, TlsMode::Terminate));
}

#[test]
fn the_web_tier_skips_dead_app_boxes_and_answers_502_when_none_is_left() {
    let s = presets::get(SPLIT).unwrap();
    let mut sim = Simulation::new(&s, 5).unwrap();
    sim.advance_to(SimTime::from_secs(5)).unwrap();
    for _ in 0..3 {
        sim.apply("kill-one:app-pool".parse::<Command>().unwrap()).unwrap();
    }
    sim.advance_to(SimTime::from_secs(10)).unwrap();
    // Only what was on the three boxes is lost: Nginx moves on at once.
    let lost = sim.metrics().dropped_total();
    assert!(lost < 20, "{lost} lost to three app boxes dying");
    assert_eq!(sim.pool(s.index_of("app-pool").unwrap()).unwrap().down, 3);
    sim.apply("kill:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_secs(15)).unwrap();
    let m = sim.metrics();
    assert_eq!(m.history.last().unwrap().served, 0);
    assert!(m.dropped_for(DropCode::NoHealthyBackend) > 1000, "the web tier has no app box");
    sim.apply("restore:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_secs(20)).unwrap();
    assert!(sim.metrics().history.last().unwrap().served > 1800);
    let r = sim.report();
    assert_eq!(r.requests, r.served + sim.metrics().dropped_total() + sim.requests_in_queue());
}

#[test]
fn big_day_serves_a_hundred_thousand_requests_a_second_on_pools() {
    let s = presets::get("big-day").unwrap();
    assert_eq!(s.traffic.rate_qps, 100_000.0);
    let mut sim = Simulation::new(&s, 1).unwrap();
    sim.advance_to(SimTime::from_secs(2)).unwrap();
    let m = sim.metrics();
    assert_eq!(m.dropped_total(), 0);
    let second = m.history.last().unwrap();
    assert!(second.served > 95_000, "{} served in the last second", second.served);
    assert!(second.latency_p99_ms < 500.0, "p99 {} ms", second.latency_p99_ms);
}
