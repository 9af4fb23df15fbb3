//! Command storms: a running simulation takes random commands at random
//! simulated times (kill, restore, promote, TLS, LB algorithm, rate, writes,
//! attack, failover, firewall rules, agents), nonsense included on purpose:
//! promoting a dead replica, restoring a live server, killing the user,
//! rules on a server, indices past the table, rates of NaN or a million.
//!
//! After every command: every request is accounted for (arrived = served +
//! dropped with a reason + still in the event queue, counted from the queue
//! itself), and every refused command says why, naming the thing it
//! refused (the node, the rule index, the value).
//!
//! `cargo test` runs a few hundred storms; `STORM_CASES=20000 cargo test
//! -p infraboard-sim --test storms -- --nocapture` (in `scripts/soak`) is
//! the long form.

use infraboard_sim::{presets, Command, CommandError, Scenario, SimTime, Simulation};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::cell::Cell;
use std::time::Instant;

/// One command of a storm, made concrete against the scenario when applied.
#[derive(Clone, Debug)]
struct Gust {
    /// Milliseconds after the previous command (0 = same instant).
    after_ms: u64,
    verb: u8,
    node: usize,
    value: f64,
    index: usize,
}

fn gust() -> impl Strategy<Value = Gust> {
    (
        prop_oneof![Just(0u64), 0u64..50, 0u64..3000],
        any::<u8>(),
        0usize..32,
        prop_oneof![0.0f64..1.0, Just(f64::NAN), Just(-1.0), Just(1e9), any::<f64>()],
        0usize..12,
    )
        .prop_map(|(after_ms, verb, node, value, index)| Gust {
            after_ms,
            verb,
            node,
            value,
            index,
        })
}

/// The command text for a gust: node names come from the scenario (any
/// kind, so many are wrong for the verb), plus the role names and ids that
/// do not exist.
fn text(g: &Gust, s: &Scenario) -> String {
    let names: Vec<String> = s
        .nodes
        .iter()
        .map(|n| n.id.clone())
        .chain(["primary-db", "replica-db", "ghost", "#99"].map(String::from))
        .collect();
    let node = &names[g.node % names.len()];
    let v = g.value;
    let pick = |options: &[&str]| options[g.index % options.len()].to_string();
    match g.verb % 14 {
        0 | 1 => format!("kill:{node}"),
        2 | 3 => format!("restore:{node}"),
        4 => format!("promote:{node}"),
        5 => format!("tls:{}", pick(&["terminate", "reencrypt", "passthrough"])),
        6 => format!("lb:{}", pick(&["roundrobin", "leastconn", "random2"])),
        7 => format!(
            "rate:{}",
            if v.is_finite() && (0.0..=1.0).contains(&v) { v * 3000.0 } else { v }
        ),
        8 => format!("writes:{}", v * 1.2),
        9 => format!("attack:{}:{}", (v * 200.0).abs(), pick(&["3306", "22", "80", "443"])),
        10 => format!("failover:{}", pick(&["manual", "auto"])),
        11 => format!(
            "fw:{node}:{}:{}:{}",
            pick(&["allow", "deny"]),
            pick(&["3306", "22", "443", "80", "*"]),
            pick(&["internet", "any", "lb", "ghost", "primary-db", "dmz"])
        ),
        12 => {
            if g.index.is_multiple_of(2) {
                format!("fw-remove:{node}:{}", g.index)
            } else {
                format!("fw-move:{node}:{}:{}", g.index, g.index / 2)
            }
        }
        _ => format!("agent:{node}:{}", pick(&["on", "off"])),
    }
}

/// The refusal names what it refused.
fn explains(e: &CommandError) -> Result<(), String> {
    let t = e.to_string();
    let named = |n: &str| !n.is_empty() && t.contains(n);
    let ok = match e {
        CommandError::UnknownNode(n)
        | CommandError::CannotKill(n)
        | CommandError::AlreadyDown(n)
        | CommandError::AlreadyUp(n)
        | CommandError::NotAReplica(n)
        | CommandError::NotAFirewall(n)
        | CommandError::NotABox(n)
        | CommandError::NotAPool(n) => named(n),
        CommandError::NoSuchRole(r) => named(&r.to_string()),
        CommandError::PrimaryStillUp => t.contains("primary"),
        CommandError::RuleIndexOutOfRange { index, .. } => {
            t.contains("rule") && t.contains(&index.to_string())
        }
        CommandError::TooManyRules => t.contains("rule"),
        CommandError::OutOfRange { what, .. } => named(what),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("refusal does not name what it refused: {e:?} ({t})"))
    }
}

fn accounted(sim: &Simulation) -> Result<(), String> {
    let m = sim.metrics();
    let in_queue = sim.requests_in_queue();
    if m.requests == m.served + m.dropped_total() + in_queue {
        Ok(())
    } else {
        Err(format!(
            "at {}: requests {} != served {} + dropped {} + in flight {}",
            sim.now(),
            m.requests,
            m.served,
            m.dropped_total(),
            in_queue
        ))
    }
}

fn storm(preset: usize, seed: u64, rate: f64, gusts: &[Gust]) -> Result<(), TestCaseError> {
    let name = presets::names().nth(preset).unwrap();
    let mut s = presets::get(name).unwrap();
    s.traffic.rate_qps = rate;
    let mut sim = Simulation::new(&s, seed).unwrap();
    let mut t = 0;
    let mut log = Vec::new();
    for g in gusts {
        t += g.after_ms;
        sim.advance_to(SimTime::from_millis(t)).unwrap();
        while sim.poll_event().is_some() {}
        let line = text(g, &s);
        log.push(line.clone());
        let fail =
            |why: String| TestCaseError::fail(format!("{why}\n{name}, seed {seed}: {log:?}"));
        // A command the parser refuses was already explained by it (see
        // tests/fuzz.rs); the storm is about the running model.
        let Ok(command) = line.parse::<Command>() else { continue };
        let before = sim.clone();
        match sim.apply(command) {
            Ok(()) => {}
            Err(e) => {
                explains(&e).map_err(fail)?;
                // Refused means nothing changed.
                if sim.report().to_json() != before.report().to_json() {
                    return Err(fail(format!("`{line}` was refused ({e}) but changed the report")));
                }
            }
        }
        accounted(&sim).map_err(fail)?;
    }
    // Let the storm settle: the invariant holds after the dust too.
    sim.advance_to(SimTime::from_millis(t + 5_000)).unwrap();
    accounted(&sim).map_err(|why| TestCaseError::fail(format!("{why}\n{log:?}")))?;
    Ok(())
}

#[test]
fn command_storms_keep_every_request_accounted_and_explain_refusals() {
    let n: u32 = std::env::var("STORM_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let mut runner =
        TestRunner::new(Config { cases: n, failure_persistence: None, ..Config::default() });
    let presets = presets::names().count();
    let (count, commands) = (Cell::new(0u64), Cell::new(0u64));
    let started = Instant::now();
    let result = runner.run(
        &(0..presets, any::<u64>(), 5.0f64..1500.0, proptest::collection::vec(gust(), 1..40)),
        |(preset, seed, rate, gusts)| {
            count.set(count.get() + 1);
            commands.set(commands.get() + gusts.len() as u64);
            storm(preset, seed, rate, &gusts)
        },
    );
    println!(
        "storms: {} storms, {} commands in {:.1} s, {}",
        count.get(),
        commands.get(),
        started.elapsed().as_secs_f64(),
        if result.is_ok() { "every request accounted, every refusal explained" } else { "FAILED" }
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
