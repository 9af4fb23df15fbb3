//! The editor's edits (`design::Edit`, `design::Piece`) on real designs:
//! each gives a design that runs as the model says, or an error that
//! leaves the design as it was; and random edited designs keep the run's
//! invariants (every request ends once, same inputs same run).

use infraboard_sim::design::{
    apply_all, fresh_id, same_but_layout, with_mode, Edit, EditError, Piece,
};
use infraboard_sim::{presets, Component, Event, PairMode, Scenario, SimTime, Simulation};
use proptest::prelude::*;
use std::collections::HashSet;

fn default() -> Scenario {
    presets::default_scenario()
}

fn run(s: &Scenario, seed: u64, ms: u64) -> Simulation {
    let mut sim = Simulation::new(s, seed).expect("an edited design runs");
    sim.advance_to(SimTime::from_millis(ms)).unwrap();
    sim
}

fn node<'a>(s: &'a Scenario, id: &str) -> &'a infraboard_sim::NodeSpec {
    &s.nodes[s.index_of(id).unwrap()]
}

#[test]
fn a_pool_size_set_on_a_server_is_the_pool_the_run_spreads_over() {
    let s = presets::get("split-tiers-pools").unwrap();
    let web = s.nodes.iter().find(|n| n.components == [Component::Nginx]).unwrap().id.clone();
    let s = Edit::SetCount { node: web.clone(), count: Some(5) }.apply(&s).unwrap();
    let sim = run(&s, 3, 3000);
    let i = s.index_of(&web).unwrap();
    assert_eq!(sim.pool(i).map(|p| p.size), Some(5));
    // A MySQL box cannot be a pool: refused, with the path of the field.
    let s = presets::get("split-tiers").unwrap();
    let db = s.nodes.iter().find(|n| n.components.contains(&Component::MysqlPrimary)).unwrap();
    match (Edit::SetCount { node: db.id.clone(), count: Some(3) }).apply(&s) {
        Err(EditError::Invalid(p)) => {
            assert!(p.iter().any(|d| d.path.ends_with(".count")), "{p:?}")
        }
        other => panic!("a MySQL pool must be refused, got {other:?}"),
    }
}

#[test]
fn a_second_load_balancer_from_the_palette_makes_a_pair_with_a_vip_and_a_third_a_dns_group() {
    let s = default();
    let second = apply_all(&s, &Piece::LoadBalancer.add(&s, 370.0, 460.0, None)).unwrap();
    assert_eq!(second.lb_pair.map(|p| p.mode), Some(PairMode::ActivePassive));
    let sim = run(&second, 1, 2000);
    assert!(sim.vip().is_some(), "an active-passive pair has a VIP holder");
    let third = apply_all(&second, &Piece::LoadBalancer.add(&second, 370.0, 180.0, None)).unwrap();
    assert_eq!(third.lb_pair.map(|p| p.mode), Some(PairMode::ActiveActive));
    let sim = run(&third, 1, 2000);
    assert_eq!(sim.vip(), None, "behind DNS records there is no VIP");
    assert!(sim.metrics().served > 0);
}

#[test]
fn back_to_one_load_balancer_with_two_drawn_is_refused_and_names_the_problem() {
    let s = presets::get("lb-pair-active-passive").unwrap();
    let err = Edit::SetLbPair(None).apply(&s).unwrap_err();
    assert!(matches!(&err, EditError::Invalid(p) if !p.is_empty()), "{err}");
}

#[test]
fn a_duplicated_server_is_wired_as_the_original_and_takes_its_share() {
    let s = default();
    let copy =
        Edit::DuplicateNode { from: "server-2".into(), to: "server-3".into(), x: 715.0, y: 560.0 }
            .apply(&s)
            .unwrap();
    assert!(
        node(&copy, "fw-3").guarded().any(|g| g == "server-3"),
        "behind the original's firewall"
    );
    assert_eq!(node(&copy, "server-3").components, node(&s, "server-2").components);
    let sim = run(&copy, 5, 4000);
    let i = copy.index_of("server-3").unwrap();
    assert!(sim.load_balancer().backends.iter().any(|b| b.node == i), "behind the load balancer");
    let ok = sim.metrics().history.iter().any(|sec| sec.cpu_pct.iter().any(|&c| c > 0.0));
    assert!(ok && sim.metrics().served > 0);
}

#[test]
fn a_duplicated_primary_is_a_replica() {
    let s = presets::get("split-tiers").unwrap();
    let db = s.nodes.iter().find(|n| n.components.contains(&Component::MysqlPrimary)).unwrap();
    let to = fresh_id(&s, "db");
    let copy = Edit::DuplicateNode { from: db.id.clone(), to: to.clone(), x: db.x, y: 560.0 }
        .apply(&s)
        .unwrap();
    assert_eq!(node(&copy, &to).components, vec![Component::MysqlReplica]);
    let sim = run(&copy, 2, 3000);
    assert!(sim.databases().iter().any(|d| !d.primary), "a replica");
}

#[test]
fn every_palette_piece_that_the_model_accepts_runs_and_new_ids_are_numbered() {
    let s = default();
    assert_eq!(fresh_id(&s, "server"), "server-3");
    assert_eq!(fresh_id(&s, "fw"), "fw-4");
    for piece in Piece::ALL {
        let edits = piece.add(&s, 500.0, 560.0, Some("server-1"));
        match apply_all(&s, &edits) {
            Ok(edited) => {
                assert_eq!(edited.nodes.len(), s.nodes.len() + 1, "{piece:?}");
                run(&edited, 1, 1000);
            }
            // The default design has one primary, one monitoring service,
            // one DNS and one user: a second is refused by the validation;
            // so is a lone half of split tiers (Nginx alone, app alone).
            Err(EditError::Invalid(p)) => assert!(
                !matches!(
                    piece,
                    Piece::Firewall | Piece::LoadBalancer | Piece::WebServer | Piece::DbReplica
                ),
                "{piece:?}: {p:?}"
            ),
            Err(e) => panic!("{piece:?}: {e}"),
        }
    }
    // A firewall with nothing to guard is a design problem, not a panic.
    let lone = Piece::Firewall.add(&s, 235.0, 560.0, None);
    assert!(matches!(apply_all(&s, &lone), Err(EditError::Invalid(_))));
}

#[test]
fn only_a_move_leaves_the_run_as_it_was() {
    let s = default();
    let moved = Edit::MoveNode { id: "lb".into(), x: 380.0, y: 300.0 };
    assert!(!moved.changes_the_run());
    let m = moved.apply(&s).unwrap();
    assert!(same_but_layout(&s, &m));
    assert_eq!(run(&s, 9, 3000).report().to_json(), run(&m, 9, 3000).report().to_json());
    let cores = Edit::SetCores { node: "lb".into(), cores: Some(2) };
    assert!(cores.changes_the_run());
    assert!(!same_but_layout(&s, &cores.apply(&s).unwrap()));
}

/// An edit drawn at random, made concrete against a design (node numbers
/// modulo the node count, so many are refused: the point is that a refusal
/// is an error and an accepted design runs).
fn concrete(choice: u8, n: usize, v: u16, s: &Scenario) -> Vec<Edit> {
    let id = s.nodes[n % s.nodes.len()].id.clone();
    let (x, y) = (f64::from(v % 1000), f64::from(v % 600));
    match choice % 8 {
        0 => vec![Edit::RemoveNode(id)],
        1 => vec![Edit::DuplicateNode { from: id, to: fresh_id(s, "copy"), x, y }],
        2 => vec![Edit::SetCount { node: id, count: Some(v % 12) }],
        3 => vec![Edit::SetCores { node: id, cores: Some(u32::from(v % 16)) }],
        4 => vec![Edit::MoveNode { id, x, y }],
        5 => vec![Edit::SetAgent { node: id, on: v.is_multiple_of(2) }],
        6 => vec![Edit::SetLbPair(with_mode(
            s,
            [None, Some(PairMode::ActivePassive), Some(PairMode::ActiveActive)][usize::from(v % 3)],
        ))],
        _ => Piece::ALL[usize::from(v) % Piece::ALL.len()].add(s, x, y, Some(&id)),
    }
}

fn edited(preset: usize, edits: &[(u8, usize, u16)]) -> Scenario {
    let names: Vec<&str> = presets::names().collect();
    let mut s = presets::get(names[preset % names.len()]).unwrap();
    for &(c, n, v) in edits {
        if let Ok(next) = apply_all(&s, &concrete(c, n, v, &s)) {
            s = next;
        }
    }
    s
}

fn run_checked(s: &Scenario, seed: u64) -> (Vec<Event>, String) {
    let mut sim = Simulation::new(s, seed).expect("an accepted edit gives a design that runs");
    let mut ended = HashSet::new();
    let mut events = Vec::new();
    for ms in (500..=4000).step_by(500) {
        sim.advance_to(SimTime::from_millis(ms)).unwrap();
        while let Some(e) = sim.poll_event() {
            if let Event::Served { request, .. } | Event::Dropped { request, .. } = e {
                assert!(ended.insert(request), "request {request} ended twice");
            }
            events.push(e);
        }
        let m = sim.metrics();
        assert_eq!(m.requests, m.served + m.dropped_total() + sim.requests_in_queue());
    }
    (events, sim.report().to_json())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn edited_designs_keep_every_request_ending_once_and_replay_the_same(
        preset in 0usize..16,
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<u16>()), 0..10),
        seed in any::<u64>(),
    ) {
        let s = edited(preset, &edits);
        let a = run_checked(&s, seed);
        let b = run_checked(&s, seed);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn an_edited_design_goes_through_its_one_line_json_unchanged() {
    let mut s =
        apply_all(&default(), &Piece::LoadBalancer.add(&default(), 400.0, 300.0, Some("lb")))
            .expect("a pair");
    s.name = "Quotes \"in\" a name, a \\ and  two spaces".into();
    let line = s.to_json_compact();
    assert!(!line.contains('\n') && !line.contains(": "), "one line: {line}");
    let back = Scenario::from_json(&line).expect("reads back");
    assert_eq!(back, s);
    println!("default design, one line: {} bytes", default().to_json_compact().len());
}
