//! `infraboard-sim review` on every preset, in both formats, and its exit
//! status: 3 exactly when a high-severity finding remains.

use infraboard_sim::presets;
use serde_json::Value;
use std::process::{Command, Output};

fn sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infraboard-sim")).args(args).output().expect("binary runs")
}

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

#[test]
fn every_preset_reviews_in_json_with_the_exit_status_of_its_worst_finding() {
    for name in presets::names() {
        let out = sim(&["review", "--preset", name, "--format", "json"]);
        let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
        assert_eq!(doc["design"], name);
        let findings = doc["findings"].as_array().unwrap();
        let high = findings.iter().filter(|f| f["severity"] == "high").count();
        assert_eq!(doc["high"], high, "{name}");
        let expected = if high > 0 { 3 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{name}");
        for f in findings {
            assert!(f["kind"].is_string() && f["fix"].is_array() && f["show_me"].is_array());
        }
        // The same review as the library's, in order.
        let kinds: Vec<&str> = findings.iter().map(|f| f["kind"].as_str().unwrap()).collect();
        let lib: Vec<&str> = infraboard_sim::review::review(&presets::get(name).unwrap())
            .iter()
            .map(|f| f.kind.as_str())
            .collect();
        assert_eq!(kinds, lib, "{name}");
        assert_eq!(sim(&["review", "--preset", name]).stdout, out.stdout, "json is the default");
    }
}

#[test]
fn every_preset_reviews_in_text_with_the_same_exit_status() {
    for name in presets::names() {
        let json = sim(&["review", "--preset", name]);
        let out = sim(&["review", "--preset", name, "--format", "text"]);
        assert_eq!(out.status.code(), json.status.code(), "{name}");
        let body = text(&out);
        assert!(body.starts_with(&format!("Review of {name}: ")), "{body}");
        let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
        let paragraphs = body.matches("\n[").count();
        assert_eq!(paragraphs, doc["findings"].as_array().unwrap().len(), "{name}");
        assert!(body.contains("Why: ") && body.contains("Fix: "), "{name}");
    }
    let default = text(&sim(&["review", "--preset", "lb-two-fullstack", "--format", "text"]));
    for title in ["One load balancer", "One MySQL writer", "Plaintext behind the load balancer"] {
        assert!(default.contains(title), "{title} missing:\n{default}");
    }
}

#[test]
fn a_scenario_file_is_reviewed_and_a_broken_one_refused() {
    let dir = std::env::temp_dir();
    let good = dir.join(format!("infraboard-review-{}-good.json", std::process::id()));
    let bad = dir.join(format!("infraboard-review-{}-bad.json", std::process::id()));
    std::fs::write(&good, presets::full_json("lb-two-fullstack-reencrypt").unwrap()).unwrap();
    std::fs::write(&bad, r#"{"name":"x","nodes":[],"traffic":{"rate_qps":1,"write_share":0}}"#)
        .unwrap();
    let out = sim(&["review", "--scenario", good.to_str().unwrap()]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> =
        doc["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"plaintext_backend"), "{kinds:?}");
    assert!(kinds.contains(&"single_writer"), "{kinds:?}");
    assert_eq!(sim(&["review", "--scenario", bad.to_str().unwrap()]).status.code(), Some(1));
    assert_eq!(sim(&["review"]).status.code(), Some(2), "a design must be named");
    let _ = std::fs::remove_file(good);
    let _ = std::fs::remove_file(bad);
}

#[test]
fn each_finding_carries_what_its_show_me_measured_for_the_seed_given() {
    let design = presets::get("lb-two-fullstack").unwrap();
    let findings = infraboard_sim::review::review(&design);
    for seed in ["1", "9"] {
        let out = sim(&["review", "--preset", "lb-two-fullstack", "--seed", seed]);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        for (f, json) in findings.iter().zip(doc["findings"].as_array().unwrap()) {
            let m = infraboard_sim::review::demonstrate(&design, f, seed.parse().unwrap()).unwrap();
            let measured = &json["measured"];
            assert_eq!(measured["failed"], m.failed, "{:?} seed {seed}", f.kind);
            assert_eq!(measured["requests"], m.requests, "{:?} seed {seed}", f.kind);
            assert_eq!(measured["recovered"], m.recovered, "{:?} seed {seed}", f.kind);
        }
    }
    // The single load balancer's outage shows in both formats.
    let doc: Value =
        serde_json::from_slice(&sim(&["review", "--preset", "lb-two-fullstack"]).stdout).unwrap();
    let lb = &doc["findings"].as_array().unwrap()[0];
    assert_eq!(lb["kind"], "single_load_balancer");
    assert!(lb["measured"]["failed"].as_u64().unwrap() > 0, "{lb}");
    let body = text(&sim(&["review", "--preset", "lb-two-fullstack", "--format", "text"]));
    assert!(body.contains("requests failed; failing 0-"), "{body}");
}
