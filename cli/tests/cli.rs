//! The `infraboard-sim` command line as a script sees it: exit codes, JSON
//! keys, determinism.

use infraboard_sim::{presets, Scenario};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infraboard-sim")).args(args).output().expect("binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 errors")
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "failed: {}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

/// A file in the temp dir, unique to this test process, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn with(name: &str, contents: &str) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("infraboard-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn presets_lists_every_preset_one_a_line_default_first() {
    let out = sim(&["presets"]);
    assert!(out.status.success());
    let listed: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    let known: Vec<String> = presets::names().map(str::to_string).collect();
    assert_eq!(listed, known);
    assert_eq!(listed[0], presets::DEFAULT);
}

#[test]
fn show_prints_each_preset_as_a_scenario_that_validates() {
    for name in presets::names() {
        let out = sim(&["show", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let scenario = Scenario::from_json(&stdout(&out));
        assert!(scenario.is_ok(), "{name}: {:?}", scenario.err());
        // And `validate` agrees about the printed file.
        let file = TempFile::with(&format!("{name}.json"), &stdout(&out));
        let check = sim(&["validate", file.path()]);
        assert_eq!(check.status.code(), Some(0), "{name}: {}", stderr(&check));
    }
}

#[test]
fn show_of_an_unknown_preset_names_the_known_ones() {
    let out = sim(&["show", "no-such-layout"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(presets::DEFAULT), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn validate_lists_every_problem_and_exits_1() {
    let mut doc: Value = serde_json::from_str(presets::source(presets::DEFAULT).unwrap()).unwrap();
    // Two problems at once: a duplicate id and a rate out of range.
    let nodes = doc["nodes"].as_array_mut().unwrap();
    let first_id = nodes[0]["id"].clone();
    nodes[1]["id"] = first_id;
    doc["traffic"]["rate_qps"] = Value::from(-5);
    let file = TempFile::with("broken.json", &doc.to_string());
    let out = sim(&["validate", file.path()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let messages = stderr(&out);
    assert!(messages.lines().count() >= 2, "{messages}");
    assert!(messages.contains("nodes"), "{messages}");
    assert!(messages.contains("rate_qps"), "{messages}");

    let garbage = TempFile::with("garbage.json", "\u{0}{{{ not json");
    let out = sim(&["validate", garbage.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).is_empty());
}

#[test]
fn validate_of_a_missing_file_is_a_usage_error() {
    let out = sim(&["validate", "/nonexistent/infraboard/scenario.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
}

#[test]
fn run_prints_the_documented_keys() {
    let report = json(&sim(&["run", "--seed", "3", "--duration", "5s"]));
    for key in [
        "requests",
        "served",
        "dropped",
        "writes_ok",
        "writes_failed",
        "lost_writes",
        "stale_reads",
        "latency_ms",
        "qps",
        "qps_monitored",
        "replication_lag_ms",
        "alerts",
        "plaintext_hops",
        "events",
        "wall_ms",
    ] {
        assert!(report.get(key).is_some(), "missing `{key}` in {report}");
    }
    for p in ["p50", "p95", "p99"] {
        assert!(report["latency_ms"][p].is_number(), "latency_ms.{p}");
    }
    // One value per simulated second.
    assert_eq!(report["qps"].as_array().unwrap().len(), 5);
    assert_eq!(report["qps_monitored"].as_array().unwrap().len(), 5);
    assert!(report["requests"].as_u64().unwrap() > 0);
    assert!(report["events"].as_u64().unwrap() > 0);
}

#[test]
fn killing_one_load_balancer_of_the_pair_keeps_the_site_serving_after_the_failover() {
    let report = json(&sim(&[
        "run",
        "--preset",
        "lb-pair-active-passive",
        "--seed",
        "2",
        "--duration",
        "30s",
        "--at",
        "10s=kill:lb",
    ]));
    let f = &report["failover"];
    for key in [
        "mode",
        "vip_holder",
        "vip_moved_after_s",
        "lb_recovery_s",
        "requests_lost",
        "users_pinned_to_dead_lb",
    ] {
        assert!(f.get(key).is_some(), "missing `failover.{key}` in {report}");
    }
    assert_eq!(f["mode"], "active-passive");
    assert_eq!(f["vip_holder"], "lb-2", "{report}");
    assert_eq!(f["vip_moved_after_s"].as_f64(), Some(3.609375));
    let recovery = f["lb_recovery_s"].as_f64().expect("the site serves again");
    assert!(recovery > 3.6 && recovery < 9.0, "{recovery}");
    assert!(f["requests_lost"].as_u64().unwrap() > 0);
    assert!(report["dropped"]["vip_on_dead_master"].as_u64().unwrap() > 0);
    // Seconds 21 to 30 (long after the failover) all serve.
    let qps = report["qps"].as_array().unwrap();
    assert!(qps[20..].iter().all(|q| q.as_u64().unwrap() > 20), "{qps:?}");
    // A design with one load balancer has no `failover` key.
    let one = json(&sim(&["run", "--seed", "2", "--duration", "3s"]));
    assert!(one.get("failover").is_none());
}

#[test]
fn killing_one_load_balancer_of_the_active_active_pair_fails_only_pinned_users_for_a_ttl() {
    let report = json(&sim(&[
        "run",
        "--preset",
        "lb-pair-active-active",
        "--seed",
        "2",
        "--duration",
        "200s",
        "--at",
        "100s=kill:lb",
    ]));
    let f = &report["failover"];
    assert_eq!(f["mode"], "active-active", "{report}");
    assert!(f["vip_holder"].is_null());
    let ttl = infraboard_sim::presets::get("lb-pair-active-active").unwrap().dns.ttl_s;
    let recovery = f["lb_recovery_s"].as_f64().expect("recovered within the run");
    assert!(recovery > 0.0 && recovery <= f64::from(ttl) + 0.4, "{recovery}");
    assert!(f["requests_lost"].as_u64().unwrap() > 0);
    assert_eq!(f["users_pinned_to_dead_lb"].as_f64(), Some(0.0));
    assert!(report["dropped"]["pinned_to_dead_lb"].as_u64().unwrap() > 0);
    // Half the users kept being served during the TTL, and all after it.
    let qps = report["qps"].as_array().unwrap();
    assert!(qps[101..].iter().all(|q| q.as_u64().unwrap() > 10), "{qps:?}");
    assert!(qps[170..].iter().all(|q| q.as_u64().unwrap() > 30), "{qps:?}");
}

#[test]
fn killing_one_box_of_a_pool_from_the_command_line_keeps_the_tier_serving() {
    let report = json(&sim(&[
        "run",
        "--preset",
        "split-tiers-pools",
        "--seed",
        "4",
        "--duration",
        "30s",
        "--at",
        "5s=kill-one:app-pool",
        "--at",
        "5s=kill-one:web-pool",
    ]));
    let requests = report["requests"].as_u64().unwrap();
    let served = report["served"].as_u64().unwrap();
    // The dead web box gets its share until the health checks notice it
    // (3 × 2 s); the dead app box loses only what it held.
    assert!(served as f64 > 0.95 * requests as f64, "{served} of {requests}");
    let qps = report["qps"].as_array().unwrap();
    assert!(qps[15..].iter().all(|q| q.as_u64().unwrap() > 1800), "{qps:?}");
    // The pool is one drawn box in the per-box series.
    let servers = report["servers"].as_array().unwrap();
    assert_eq!(servers.iter().filter(|b| b["node"] == "app-pool").count(), 1);
    // Not a pool: refused, with the reason.
    let out = sim(&[
        "run",
        "--preset",
        "split-tiers-pools",
        "--duration",
        "2s",
        "--at",
        "1s=kill-one:db-1",
    ]);
    assert!(stderr(&out).contains("`db-1` is not a server pool"), "{}", stderr(&out));
}

/// The output with the wall-clock time taken out.
fn without_wall_time(mut report: Value) -> Value {
    report.as_object_mut().unwrap().remove("wall_ms");
    report
}

#[test]
fn same_seed_same_output_and_another_seed_differs() {
    let run = |seed: &str| {
        without_wall_time(json(&sim(&[
            "run",
            "--seed",
            seed,
            "--duration",
            "20s",
            "--at",
            "8s=kill:primary-db",
        ])))
    };
    let a = run("11");
    assert_eq!(a, run("11"));
    assert_ne!(a, run("12"));

    let queue = |seed: &str| {
        without_wall_time(json(&sim(&[
            "queue",
            "--servers",
            "2",
            "--arrival-rate",
            "1.5",
            "--service-rate",
            "1",
            "--customers",
            "20000",
            "--seed",
            seed,
        ])))
    };
    let mut q = queue("5");
    let mut again = queue("5");
    for v in [&mut q, &mut again] {
        v.as_object_mut().unwrap().remove("events_per_sec");
    }
    assert_eq!(q, again);
    assert_ne!(q["mean_wait"], queue("6")["mean_wait"]);
}

#[test]
fn timed_commands_take_effect_and_refusals_are_reported() {
    let calm = json(&sim(&["run", "--seed", "4", "--duration", "20s"]));
    let killed =
        json(&sim(&["run", "--seed", "4", "--duration", "20s", "--at", "5s=kill:primary-db"]));
    assert_eq!(calm["writes_failed"], 0);
    assert!(killed["writes_failed"].as_u64().unwrap() > 0, "{killed}");
    assert_eq!(killed["commands"][0]["ok"], true);

    // Promoting while the primary is alive is refused, not fatal.
    let refused = json(&sim(&["run", "--duration", "3s", "--at", "1s=promote:replica-db"]));
    assert_eq!(refused["commands"][0]["ok"], false);
    assert!(refused["commands"][0]["refused"].is_string());
}

#[test]
fn csv_has_a_header_and_one_row_per_second() {
    let out = sim(&["run", "--duration", "4s", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("t_s,qps"), "{header}");
    let columns = header.split(',').count();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.split(',').count() == columns));
}

#[test]
fn csv_rows_of_a_long_run_are_labelled_with_their_own_seconds() {
    // Longer than the kept history: the rows are the last seconds, and say so.
    let out = sim(&["run", "--duration", "700s", "--at", "0s=rate:5", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let seconds: Vec<u64> =
        text.lines().skip(1).map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
    assert_eq!(seconds.len(), infraboard_sim::HISTORY_SECONDS);
    assert_eq!(seconds.first(), Some(&101));
    assert_eq!(seconds.last(), Some(&700));
    assert!(seconds.windows(2).all(|w| w[1] == w[0] + 1));
}

#[test]
fn queue_reports_the_simulated_and_the_analytic_wait() {
    let q = json(&sim(&[
        "queue",
        "--servers",
        "4",
        "--arrival-rate",
        "3",
        "--service-rate",
        "1",
        "--customers",
        "200000",
        "--seed",
        "1",
    ]));
    for key in [
        "mean_wait",
        "mean_in_system",
        "utilization",
        "events",
        "wall_ms",
        "events_per_sec",
        "erlang_c_wait",
    ] {
        assert!(q.get(key).is_some(), "missing `{key}` in {q}");
    }
    assert_eq!(q["events"], 400_000);
    let (sim_wait, exact) =
        (q["mean_wait"].as_f64().unwrap(), q["erlang_c_wait"].as_f64().unwrap());
    let stderr = q["mean_wait_stderr"].as_f64().unwrap();
    assert!((sim_wait - exact).abs() < 4.0 * stderr, "{sim_wait} vs {exact} ± {stderr}");

    // Overloaded: no steady state, so no analytic answer, but still a run.
    let over = json(&sim(&[
        "queue",
        "--servers",
        "1",
        "--arrival-rate",
        "2",
        "--service-rate",
        "1",
        "--customers",
        "1000",
    ]));
    assert!(over["erlang_c_wait"].is_null());
}

#[test]
fn bad_arguments_say_what_is_wrong_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "missing command"),
        (&["frobnicate"], "frobnicate"),
        (&["run", "--seed", "minus-one"], "--seed"),
        (&["run", "--duration", "soon"], "soon"),
        (&["run", "--speed", "9"], "--speed"),
        (&["run", "--at", "20s"], "TIME=COMMAND"),
        (&["run", "--at", "20s=explode:lb"], "explode"),
        (&["run", "--duration", "10s", "--at", "20s=kill:lb"], "after the end"),
        (&["run", "--preset", "nope"], "nope"),
        (&["run", "--preset", presets::DEFAULT, "--scenario", "x.json"], "not both"),
        (&["run", "--format", "xml"], "xml"),
        (&["run", "--seed"], "needs a value"),
        (&["queue", "--servers", "0", "--arrival-rate", "1", "--service-rate", "1"], "servers"),
        (&["queue", "--servers", "2", "--service-rate", "1"], "--arrival-rate"),
        (
            &["queue", "--servers", "2", "--arrival-rate", "NaN", "--service-rate", "1"],
            "arrival-rate",
        ),
        (
            &["queue", "--servers", "2", "--arrival-rate", "1e-6", "--service-rate", "1"],
            "1e9 limit",
        ),
        (&["presets", "extra"], "extra"),
    ];
    for (args, needle) in cases {
        let out = sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(stderr(&out).contains(needle), "{args:?}: `{}` lacks `{needle}`", stderr(&out));
    }
}

#[test]
fn each_subcommand_describes_its_own_options() {
    let cases: &[(&[&str], &[&str])] = &[
        (&["--help"], &["run", "queue", "soak", "Exit codes"]),
        (
            &["run", "--help"],
            &["--preset", "--scenario", "--seed", "--duration", "--at", "kill:NODE"],
        ),
        (&["help", "run"], &["--at", "--format"]),
        (&["queue", "--help"], &["--servers", "--arrival-rate", "--service-rate", "--customers"]),
        (&["soak", "-h"], &["--rate", "--sample-every", "--warmup"]),
        (&["show", "--help"], &[presets::DEFAULT]),
    ];
    for (args, needles) in cases {
        let out = sim(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let help = stdout(&out);
        for needle in *needles {
            assert!(help.contains(needle), "{args:?}: `{needle}` missing from\n{help}");
        }
    }
    // `run`'s help is about `run`: not the other subcommands' options.
    assert!(!stdout(&sim(&["run", "--help"])).contains("--arrival-rate"));
}
