//! `infraboard-sim`: the simulation, headless, for scripts and benchmarks.
//!
//! The library is sans-IO; this binary is the only place that reads files,
//! looks at the wall clock (`wall_ms`) and prints. Output is JSON on stdout,
//! errors go to stderr. Exit codes: 0 success, 1 the scenario is invalid,
//! 2 the command line is wrong (or a file cannot be read).

use infraboard_sim::mmc::{self, MmcParams};
use infraboard_sim::presets;
use serde_json::{json, Value};
use std::process::ExitCode;
use std::time::Instant;

// Sub-modules live in a folder without a main.rs, so Cargo does not take
// them for binaries of their own.
#[path = "infraboard-sim/args.rs"]
mod args;
#[path = "infraboard-sim/simulate.rs"]
mod simulate;
#[path = "infraboard-sim/soak.rs"]
mod soak;

use args::Args;

const USAGE: &str = "\
usage:
  infraboard-sim presets
  infraboard-sim show NAME
  infraboard-sim validate FILE
  infraboard-sim run [--preset NAME | --scenario FILE] [--seed N] [--duration 60s]
                     [--at 20s=COMMAND]... [--format json|csv]
  infraboard-sim queue --servers C --arrival-rate L --service-rate M
                       [--customers N] [--seed S]
  infraboard-sim soak [--preset NAME] [--seed N] [--rate QPS] [--duration 24h]
                      [--sample-every 1h] [--warmup 1h]   (prints RSS samples)
commands for --at: kill:NODE restore:NODE promote:NODE
  tls:terminate|reencrypt|passthrough lb:roundrobin|leastconn|random2 rate:QPS
  writes:FRACTION attack:QPS failover:manual|auto fw:FW:allow|deny:PORT:SOURCE";

/// Why the program stops early; decides the exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The command line is wrong, or a named file cannot be read: exit 2.
    Usage(String),
    /// The scenario was read but is not valid: exit 1, one problem a line.
    Invalid(Vec<String>),
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::Usage(message.into())
    }
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => {
            eprintln!("infraboard-sim: {message}\n(`infraboard-sim help` shows the usage)");
            ExitCode::from(2)
        }
        Err(Failure::Invalid(problems)) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            ExitCode::from(1)
        }
    }
}

/// Does the work of one invocation and returns what to print.
fn run(args: Vec<String>) -> Result<String, Failure> {
    let mut args = args.into_iter();
    let command = args.next().ok_or_else(|| Failure::usage("missing command"))?;
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "presets" => {
            Args::parse(&rest, &[], 0)?;
            Ok(presets::names().map(|name| format!("{name}\n")).collect())
        }
        "show" => {
            let args = Args::parse(&rest, &[], 1)?;
            let name = &args.positional[0];
            Ok(ensure_newline(&simulate::preset(name)?.to_json_pretty()))
        }
        "validate" => {
            let args = Args::parse(&rest, &[], 1)?;
            let text = read_file(&args.positional[0])?;
            simulate::parse_scenario(&text)?;
            Ok(String::new())
        }
        "run" => simulate::run(&rest),
        "queue" => queue(&rest),
        "soak" => soak::soak(&rest),
        "help" | "--help" | "-h" => Ok(format!("{USAGE}\n")),
        other => Err(Failure::usage(format!("unknown command `{other}`"))),
    }
}

/// `queue`: a plain M/M/c queue on the simulation's engine.
fn queue(rest: &[String]) -> Result<String, Failure> {
    let args = Args::parse(
        rest,
        &["--servers", "--arrival-rate", "--service-rate", "--customers", "--seed"],
        0,
    )?;
    let params = MmcParams {
        servers: args.required("--servers")?,
        arrival_rate: args.required("--arrival-rate")?,
        service_rate: args.required("--service-rate")?,
        customers: args.optional("--customers")?.unwrap_or(1_000_000),
        seed: args.optional("--seed")?.unwrap_or(1),
    };
    params.validate().map_err(|e| Failure::usage(e.0))?;
    let started = Instant::now();
    let report = mmc::run(&params).map_err(|e| Failure::usage(e.0))?;
    let wall = started.elapsed().as_secs_f64();
    let out = json!({
        "servers": params.servers,
        "arrival_rate": params.arrival_rate,
        "service_rate": params.service_rate,
        "customers": report.customers,
        "seed": params.seed,
        "load": params.load(),
        "mean_wait": report.mean_wait,
        "mean_wait_stderr": report.mean_wait_stderr,
        "mean_in_system": report.mean_in_system,
        "mean_number_in_system": report.mean_number_in_system,
        "waited_share": report.waited_share,
        "utilization": report.utilization,
        "sim_seconds": report.sim_seconds,
        "erlang_c_wait": mmc::erlang_c_wait(params.servers, params.arrival_rate, params.service_rate),
        "erlang_c_probability": mmc::erlang_c(params.servers, params.arrival_rate / params.service_rate),
        "events": report.events,
        "wall_ms": wall * 1e3,
        "events_per_sec": if wall > 0.0 { report.events as f64 / wall } else { 0.0 },
    });
    Ok(to_json_line(&out))
}

pub(crate) fn unknown_preset(name: &str) -> Failure {
    let known: Vec<&str> = presets::names().collect();
    Failure::usage(format!("unknown preset `{name}` (known: {})", known.join(", ")))
}

pub(crate) fn read_file(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("cannot read `{path}`: {e}")))
}

pub(crate) fn to_json_line(value: &Value) -> String {
    ensure_newline(&value.to_string())
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}
