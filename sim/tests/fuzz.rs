//! Fuzzing without nightly: proptest runners fed arbitrary bytes and
//! structure-aware inputs, for the two parsers that take text from outside:
//! the scenario parser + validator (`Scenario::from_json`) and the command
//! parser (`Command: FromStr`).
//!
//! Every property checks "no panic" (proptest turns a panic into a failure)
//! and that every rejection says what is wrong and where: a diagnostic names
//! its JSON path (or, for text that is not JSON at all, serde's line and
//! column); a refused command names the part it could not read.
//!
//! `cargo test` runs a few thousand cases of each (the short form);
//! `FUZZ_CASES=1000000 cargo test -p infraboard-sim --test fuzz -- --nocapture`
//! (what `scripts/fuzz` runs) is the long form. Each property prints how
//! many inputs it ran and how long it took.

use infraboard_sim::{
    presets, Command, Diagnostic, ParseCommandError, Problem, Scenario, SimTime, Simulation,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use std::cell::Cell;
use std::time::Instant;

/// Cases per property: `FUZZ_CASES` if set, else `short`.
fn cases(short: u32) -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(short)
}

/// Runs `check` on `n` inputs from `strategy`, then prints the count and
/// the time; fails (with proptest's shrunk input) on the first failure.
fn fuzz<S: Strategy>(
    name: &str,
    short: u32,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let n = cases(short);
    let config = Config { cases: n, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let count = Cell::new(0u64);
    let started = Instant::now();
    let result = runner.run(&strategy, |v| {
        count.set(count.get() + 1);
        check(v)
    });
    println!(
        "fuzz {name}: {} inputs in {:.1} s, {}",
        count.get(),
        started.elapsed().as_secs_f64(),
        if result.is_ok() { "no panic, every rejection explained" } else { "FAILED" }
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// A diagnostic says where: its JSON path (which its text starts with), or,
/// for the whole document, serde's own message (line and column for text
/// that is not JSON, what it expected for JSON of the wrong shape).
fn names_where(d: &Diagnostic) -> bool {
    let text = d.to_string();
    if text.trim().is_empty() {
        return false;
    }
    if !d.path.is_empty() {
        return text.starts_with(&d.path);
    }
    match &d.problem {
        Problem::Malformed(m) => {
            m.contains("line") || m.contains("expected") || m.contains("missing field")
        }
        _ => false,
    }
}

/// Parses; if refused, checks every diagnostic; if accepted, the scenario
/// must build and run a few simulated milliseconds.
fn check_scenario(text: &str) -> Result<(), TestCaseError> {
    match Scenario::from_json(text) {
        Ok(s) => {
            let mut sim = Simulation::new(&s, 1)
                .map_err(|e| TestCaseError::fail(format!("accepted but refused to run: {e}")))?;
            sim.advance_to(SimTime::from_millis(20)).unwrap();
            while sim.poll_event().is_some() {}
        }
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "refused without a reason");
            for d in &problems {
                prop_assert!(names_where(d), "diagnostic does not say where: {:?} ({})", d, d);
            }
        }
    }
    Ok(())
}

#[test]
fn scenario_parser_arbitrary_bytes() {
    fuzz("scenario/bytes", 3000, proptest::collection::vec(any::<u8>(), 0..600), |bytes| {
        check_scenario(&String::from_utf8_lossy(&bytes))
    });
}

/// JSON-ish text: fragments of the scenario's vocabulary glued together, so
/// the parser sees near-JSON far more often than random bytes give it.
fn jsonish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"nodes\"".to_string()),
        Just("\"id\"".to_string()),
        Just("\"kind\"".to_string()),
        Just("\"extends\"".to_string()),
        Just("\"lb-two-fullstack\"".to_string()),
        Just("\"traffic\"".to_string()),
        Just("\"rate_qps\"".to_string()),
        Just("1e999".to_string()),
        Just("-0".to_string()),
        Just("null".to_string()),
        Just("\"\\ud800\"".to_string()),
        "[a-z_\"0-9.-]{0,8}",
    ];
    proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

#[test]
fn scenario_parser_near_json_text() {
    fuzz("scenario/near-json", 3000, jsonish(), |text| check_scenario(&text));
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![Just(0.0), Just(-1.0), Just(1e300), Just(0.5), Just(200_001.0)]
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("server-1"),
            Just("lb"),
            Just("fw-1"),
            Just("user"),
            Just("dns"),
            Just("firewall"),
            Just("server"),
            Just("load-balancer"),
            Just("internet"),
            Just("mysql-primary"),
            Just("mysql-replica"),
            Just("nginx"),
            Just("app"),
            Just("terminate"),
            Just("passthrough"),
            Just("leastconn"),
            Just("auto"),
            Just("deny"),
            Just("lb-two-fullstack"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("name".to_string()),
                    Just("extends".to_string()),
                    Just("nodes".to_string()),
                    Just("traffic".to_string()),
                    Just("tls".to_string()),
                    Just("database".to_string()),
                    Just("id".to_string()),
                    Just("kind".to_string()),
                    Just("zone".to_string()),
                    Just("guards".to_string()),
                    Just("rules".to_string()),
                    Just("components".to_string()),
                    Just("cores".to_string()),
                    Just("rate_qps".to_string()),
                    Just("write_share".to_string()),
                    "[a-z_]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn scenario_parser_arbitrary_json() {
    fuzz("scenario/json", 3000, json_value(), |v| check_scenario(&v.to_string()));
}

/// One change to a document: replace a value (any type), delete a key, add
/// an unknown key; `pick` chooses where.
#[derive(Clone, Debug)]
enum Damage {
    Replace(u64, Value),
    Delete(u64),
    AddKey(u64, String, Value),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (any::<u64>(), json_value()).prop_map(|(p, v)| Damage::Replace(p, v)),
        1 => any::<u64>().prop_map(Damage::Delete),
        1 => (any::<u64>(), "[a-z_]{1,10}", json_value()).prop_map(|(p, k, v)| Damage::AddKey(p, k, v)),
    ]
}

/// Walks down the document by `pick` (an object's key or an array's item at
/// each level) and applies the damage where the walk stops.
fn apply(doc: &mut Value, pick: u64, d: &Damage) {
    let descend = !pick.is_multiple_of(4);
    match doc {
        Value::Object(map) if descend && !map.is_empty() => {
            let n = map.len() as u64;
            let key = map.keys().nth((pick % n) as usize).cloned().unwrap();
            if let (Damage::Delete(_), true) = (d, (pick / n.max(2)).is_multiple_of(4)) {
                map.remove(&key);
                return;
            }
            apply(map.get_mut(&key).unwrap(), pick / n.max(2), d);
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let n = items.len() as u64;
            let i = (pick % n) as usize;
            if let (Damage::Delete(_), true) = (d, (pick / n.max(2)).is_multiple_of(4)) {
                items.remove(i);
                return;
            }
            apply(&mut items[i], pick / n.max(2), d);
        }
        _ => match d {
            Damage::Replace(_, v) => *doc = v.clone(),
            Damage::Delete(_) => *doc = Value::Null,
            Damage::AddKey(_, k, v) => {
                if let Value::Object(map) = doc {
                    map.insert(k.clone(), v.clone());
                } else {
                    *doc = v.clone();
                }
            }
        },
    }
}

#[test]
fn scenario_validator_damaged_presets() {
    let names: Vec<&'static str> = presets::names().collect();
    let docs: Vec<Value> = names
        .iter()
        .map(|n| serde_json::from_str(&presets::full_json(n).unwrap()).unwrap())
        .collect();
    fuzz(
        "scenario/damaged-presets",
        2000,
        (0..docs.len(), proptest::collection::vec(damage(), 1..4)),
        |(i, damages)| {
            let mut doc = docs[i].clone();
            for d in &damages {
                let pick = match d {
                    Damage::Replace(p, _) | Damage::Delete(p) | Damage::AddKey(p, _, _) => *p,
                };
                apply(&mut doc, pick, d);
            }
            check_scenario(&doc.to_string())
        },
    );
}

/// A refused command names what it could not read.
fn explains(input: &str, e: &ParseCommandError) -> bool {
    let text = e.to_string();
    !text.trim().is_empty()
        && match e {
            ParseCommandError::Empty => input.trim().is_empty(),
            ParseCommandError::UnknownVerb(v) => text.contains(v.as_str()),
            ParseCommandError::MissingArgument(what) => text.contains(what),
            ParseCommandError::BadValue { what, value } => {
                text.contains(what) && text.contains(value.as_str())
            }
        }
}

fn check_command(input: &str) -> Result<(), TestCaseError> {
    match input.parse::<Command>() {
        Ok(c) => {
            // What a command writes back is what it reads (share links and
            // the CLI depend on it).
            let again: Result<Command, _> = c.to_string().parse();
            prop_assert_eq!(again, Ok(c.clone()), "`{}` wrote back `{}`", input, c);
        }
        Err(e) => prop_assert!(explains(input, &e), "`{}` refused as {:?}: {}", input, e, e),
    }
    Ok(())
}

#[test]
fn command_parser_arbitrary_text() {
    fuzz("command/text", 5000, ".{0,60}", |s| check_command(&s));
}

/// Commands built from the parser's own vocabulary, with wrong counts of
/// parts, wrong values and odd numbers mixed in.
fn command_text() -> impl Strategy<Value = String> {
    let verb = prop_oneof![
        Just("kill"),
        Just("restore"),
        Just("promote"),
        Just("tls"),
        Just("lb"),
        Just("rate"),
        Just("writes"),
        Just("attack"),
        Just("failover"),
        Just("fw"),
        Just("fw-remove"),
        Just("fw-move"),
        Just("agent"),
        Just("KILL"),
        Just(""),
    ];
    let part = prop_oneof![
        Just("primary-db".to_string()),
        Just("replica-db".to_string()),
        Just("server-1".to_string()),
        Just("fw-1".to_string()),
        Just("lb".to_string()),
        Just("#3".to_string()),
        Just("allow".to_string()),
        Just("deny".to_string()),
        Just("on".to_string()),
        Just("off".to_string()),
        Just("*".to_string()),
        Just("any".to_string()),
        Just("internet".to_string()),
        Just("reencrypt".to_string()),
        Just("random2".to_string()),
        Just("auto".to_string()),
        Just("".to_string()),
        Just(" ".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-1".to_string()),
        Just("1e400".to_string()),
        Just("65536".to_string()),
        Just("18446744073709551616".to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<u32>().prop_map(|n| n.to_string()),
        "[a-z0-9#_-]{1,10}",
    ];
    (verb, proptest::collection::vec(part, 0..6)).prop_map(|(v, parts)| {
        let mut s = v.to_string();
        for p in parts {
            s.push(':');
            s.push_str(&p);
        }
        s
    })
}

#[test]
fn command_parser_structured() {
    fuzz("command/structured", 5000, command_text(), |s| check_command(&s));
}
