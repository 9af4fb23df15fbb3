//! The designs bench/frames drags (bench/designs/) stay what bench/all says
//! they are: a change to the scenario's schema or to the model that made one
//! invalid, smaller or short of capacity would silently measure something else.

use infraboard_sim::{NodeKind, Scenario};
use serde_json::Value;
use std::process::Command;

fn path(file: &str) -> String {
    format!("{}/../bench/designs/{file}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_fifty_box_design_has_fifty_boxes_and_serves_its_100k_qps() {
    let file = path("fifty-boxes.json");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let scenario = Scenario::from_json(&text).unwrap_or_else(|p| panic!("invalid: {p:?}"));
    let boxes = scenario
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Server | NodeKind::LoadBalancer))
        .count();
    assert_eq!(boxes, 50);
    assert_eq!(scenario.traffic.rate_qps, 100_000.0);

    let out = Command::new(env!("CARGO_BIN_EXE_infraboard-sim"))
        .args(["run", "--scenario", &file, "--duration", "3s"])
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let requests = report["requests"].as_u64().unwrap();
    let served = report["served"].as_u64().unwrap();
    let in_flight = report["in_flight"].as_u64().unwrap();
    // Every request is served (none times out in a queue), so the page
    // carries the whole 100,000 a second while a piece is dragged.
    assert_eq!(served + in_flight, requests, "{report}");
    let qps = report["qps"].as_array().unwrap();
    assert!(qps[1..].iter().all(|q| q.as_u64().unwrap() > 99_000), "{qps:?}");
}
