//! Server pools: a tier of N identical boxes drawn as one node "×N". The
//! model runs N boxes (a pool behaves as N lone servers would), the
//! inspector's spread reads the busiest and idlest box and the boxes down,
//! and one box of a pool can be killed and restored.

use infraboard_sim::{
    presets, Command, DropCode, NodeKind, NodeSpec, PoolSpread, Scenario, SimTime, Simulation,
};

/// The tiered layout (web + app boxes, then two MySQL boxes) with its two
/// web boxes replaced by `n` boxes of `cores` cores: one pool node, or `n`
/// lone nodes, all behind the app tier's firewall.
fn app_tier(n: usize, pooled: bool, cores: u32, rate: f64) -> Scenario {
    let mut s = presets::get("tiered-flow").unwrap();
    let template = s.nodes.iter().find(|x| x.id == "app-1").unwrap().clone();
    s.nodes.retain(|x| x.id != "app-1" && x.id != "app-2");
    let at = s.nodes.iter().position(|x| x.id == "fw-2").unwrap() + 1;
    let node = |id: String, count: Option<u16>| NodeSpec {
        id,
        cores: Some(cores),
        count,
        agent: false,
        ..template.clone()
    };
    let web: Vec<NodeSpec> = if pooled {
        vec![node("app-pool".into(), Some(n as u16))]
    } else {
        (1..=n).map(|i| node(format!("app-{i}"), None)).collect()
    };
    let fw = &mut s.nodes[at - 1];
    fw.guards = Some(web[0].id.clone());
    fw.also_guards = web[1..].iter().map(|w| w.id.clone()).collect();
    s.nodes.splice(at..at, web);
    s.traffic.rate_qps = rate;
    s
}

fn run(s: &Scenario, seed: u64, secs: u64) -> Simulation {
    let mut sim = Simulation::new(s, seed).unwrap();
    sim.advance_to(SimTime::from_secs(secs)).unwrap();
    sim
}

fn node(s: &Scenario, id: &str) -> usize {
    s.index_of(id).unwrap()
}

#[test]
fn a_pool_of_n_serves_like_n_lone_boxes() {
    // Eight one-core boxes near 60% busy: queueing shows in the latency.
    for (seed, n, rate) in [(1u64, 8usize, 6000.0), (2, 3, 2000.0)] {
        let pool = app_tier(n, true, 1, rate);
        let lone = app_tier(n, false, 1, rate);
        assert!(pool.validate().is_empty() && lone.validate().is_empty());
        let (a, b) = (run(&pool, seed, 20), run(&lone, seed + 100, 20));
        let (ra, rb) = (a.report(), b.report());
        let served = |r: &infraboard_sim::Report| r.served as f64;
        assert!((served(&ra) / served(&rb) - 1.0).abs() < 0.03, "{} vs {}", ra.served, rb.served);
        let (la, lb) = (&ra.latency_ms, &rb.latency_ms);
        for (x, y, tolerance) in [(la.p50, lb.p50, 0.1), (la.p99, lb.p99, 0.2)] {
            assert!((x / y - 1.0).abs() < tolerance, "n {n}: latency {x} vs {y} ms");
        }
        assert_eq!(ra.dropped.values().sum::<u64>(), 0);
        // The pool's drawn box carries what the lone boxes carry together.
        let cpu_pool = ra.servers.iter().find(|x| x.node == "app-pool").unwrap();
        let mean = |v: &[f32]| v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64;
        let lone_cpu: f64 = rb
            .servers
            .iter()
            .filter(|x| x.node.starts_with("app-"))
            .map(|x| mean(&x.cpu_pct))
            .sum::<f64>()
            / n as f64;
        let pool_cpu = mean(&cpu_pool.cpu_pct);
        assert!((pool_cpu / lone_cpu - 1.0).abs() < 0.05, "pool {pool_cpu}% vs lone {lone_cpu}%");
    }
}

#[test]
fn the_spread_names_the_busiest_and_idlest_box_and_the_boxes_down() {
    let s = app_tier(10, true, 2, 4000.0);
    let pool = node(&s, "app-pool");
    let mut sim = run(&s, 3, 10);
    let spread: PoolSpread = sim.pool(pool).expect("a pool");
    assert_eq!((spread.size, spread.down), (10, 0));
    assert!(spread.idlest_pct > 0.0 && spread.busiest_pct >= spread.idlest_pct, "{spread:?}");
    assert!(sim.pool(node(&s, "db-1")).is_none(), "a lone box is no pool");
    sim.apply("kill-one:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.apply("kill-one:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_secs(20)).unwrap();
    let spread = sim.pool(pool).unwrap();
    assert_eq!(spread.down, 2);
    // The eight left carry the load: busier than ten did.
    assert!(spread.idlest_pct > 0.0, "the dead boxes are not the idlest: {spread:?}");
}

#[test]
fn killing_one_box_of_a_pool_loses_only_what_reached_it_until_the_health_checks_notice() {
    let s = app_tier(10, true, 2, 2000.0);
    let mut sim = run(&s, 4, 10);
    sim.apply("kill-one:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_secs(30)).unwrap();
    let m = sim.metrics();
    let lost = m.dropped_for(DropCode::NodeDown);
    // Round robin sends it a tenth of the traffic until fall (3) checks
    // every 2 s have failed: at most ~6 s × 200 QPS.
    assert!(lost > 0 && lost < 1500, "{lost} lost");
    let last: Vec<u32> = m.history.iter().rev().take(10).map(|h| h.served).collect();
    // Three failed checks, 2 s apart, after the kill at 10 s: none lost
    // after 17 s.
    assert!(m.history.iter().rev().take(12).all(|h| h.dropped.iter().sum::<u32>() == 0));
    assert!(last.iter().all(|&q| q > 1700), "{last:?}");
    // Restored, it rejoins; a pool with every box up refuses restore-one.
    sim.apply("restore-one:app-pool".parse::<Command>().unwrap()).unwrap();
    assert!(sim.apply("restore-one:app-pool".parse::<Command>().unwrap()).is_err());
    assert!(sim.apply("kill-one:db-1".parse::<Command>().unwrap()).is_err(), "not a pool");
    sim.advance_to(SimTime::from_secs(40)).unwrap();
    assert_eq!(sim.pool(node(&s, "app-pool")).unwrap().down, 0);
    let r = sim.report();
    assert_eq!(r.requests, r.served + sim.metrics().dropped_total() + sim.requests_in_queue());
}

#[test]
fn killing_the_pool_node_takes_every_box_down() {
    let s = app_tier(50, true, 2, 500.0);
    let mut sim = run(&s, 5, 5);
    sim.apply("kill:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_secs(20)).unwrap();
    assert_eq!(sim.metrics().history.last().unwrap().served, 0);
    sim.apply("restore:app-pool".parse::<Command>().unwrap()).unwrap();
    sim.advance_to(SimTime::from_secs(30)).unwrap();
    assert!(sim.metrics().history.last().unwrap().served > 400);
}

#[test]
fn pools_up_to_a_thousand_boxes_and_never_on_mysql() {
    let big = app_tier(1000, true, 8, 1000.0);
    assert!(big.validate().is_empty(), "{:?}", big.validate());
    let sim = run(&big, 6, 5);
    assert!(sim.report().served > 4000);
    let mut s = app_tier(1000, true, 8, 1000.0);
    let pool = node(&s, "app-pool");
    s.nodes[pool].count = Some(1001);
    assert!(s.validate().iter().any(|d| d.to_string().contains("count")), "{:?}", s.validate());
    let mut s = app_tier(2, true, 8, 100.0);
    let db = node(&s, "db-1");
    s.nodes[db].count = Some(2);
    assert!(!s.validate().is_empty());
    let fw = s.nodes.iter().position(|x| x.kind == NodeKind::Firewall).unwrap();
    s.nodes[db].count = None;
    s.nodes[fw].count = Some(2);
    assert!(!s.validate().is_empty());
}
