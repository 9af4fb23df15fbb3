//! `run` and `validate`: a scenario, a seed and timed commands in, the
//! report as JSON (or the per-second series as CSV) out.

use crate::args::{parse_duration, Args};
use crate::{read_file, unknown_preset, Failure};
use infraboard_sim::{presets, Command, Report, Scenario, SimTime, Simulation};
use serde::Serialize;
use serde_json::{json, Value};
use std::time::Instant;

const SECOND_NS: u64 = 1_000_000_000;

/// Output shapes of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// One JSON object with every metric.
    Json,
    /// One row per simulated second.
    Csv,
}

/// A command and when to give it.
#[derive(Clone, Debug)]
struct Timed {
    at_ns: u64,
    text: String,
    command: Command,
}

/// Parses and validates a scenario document; every problem is reported,
/// one a line, with its JSON path.
pub(crate) fn parse_scenario(text: &str) -> Result<Scenario, Failure> {
    Scenario::from_json(text)
        .map_err(|problems| Failure::Invalid(problems.iter().map(ToString::to_string).collect()))
}

/// A built-in preset by name, parsed.
pub(crate) fn preset(name: &str) -> Result<Scenario, Failure> {
    parse_scenario(presets::source(name).ok_or_else(|| unknown_preset(name))?)
}

/// `run [--preset NAME | --scenario FILE] --seed N --duration 60s
/// [--at 20s=COMMAND]... [--format json|csv]`.
pub(crate) fn run(rest: &[String]) -> Result<String, Failure> {
    let args = Args::parse(
        rest,
        &["--preset", "--scenario", "--seed", "--duration", "--at", "--format"],
        0,
    )?;
    let format = match args.value("--format").unwrap_or("json") {
        "json" => Format::Json,
        "csv" => Format::Csv,
        other => return Err(Failure::usage(format!("unknown format `{other}` (json or csv)"))),
    };
    let seed: u64 = args.optional("--seed")?.unwrap_or(1);
    let duration_ns = match args.value("--duration") {
        Some(raw) => parse_duration(raw).map_err(Failure::Usage)?,
        None => 60 * SECOND_NS,
    };
    let mut timed = Vec::new();
    for raw in args.values("--at") {
        let (at, text) = raw.split_once('=').ok_or_else(|| {
            Failure::usage(format!("`--at {raw}`: expected TIME=COMMAND, e.g. 20s=kill:primary-db"))
        })?;
        let at_ns = parse_duration(at).map_err(|e| Failure::usage(format!("`--at {raw}`: {e}")))?;
        if at_ns > duration_ns {
            return Err(Failure::usage(format!("`--at {raw}`: after the end of the run")));
        }
        let command: Command =
            text.parse().map_err(|e| Failure::usage(format!("`--at {raw}`: {e}")))?;
        timed.push(Timed { at_ns, text: text.to_string(), command });
    }
    // Stable sort: commands for the same instant keep their order.
    timed.sort_by_key(|t| t.at_ns);
    let scenario = match (args.value("--preset"), args.value("--scenario")) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage("give `--preset` or `--scenario`, not both"))
        }
        (None, Some(path)) => parse_scenario(&read_file(path)?)?,
        (name, None) => preset(name.unwrap_or(presets::DEFAULT))?,
    };

    let started = Instant::now();
    let mut sim =
        Simulation::new(&scenario, seed).map_err(|e| Failure::Invalid(vec![e.to_string()]))?;
    let mut outcomes = Vec::new();
    let mut pending = timed.into_iter().peekable();
    let mut t = 0;
    while t < duration_ns {
        // Stop at the next whole second or the next command, whichever first.
        let second = (t / SECOND_NS + 1) * SECOND_NS;
        let next = pending.peek().map_or(second, |c| c.at_ns.min(second)).min(duration_ns);
        advance(&mut sim, next)?;
        t = next;
        while let Some(cmd) = pending.next_if(|c| c.at_ns <= t) {
            let result = sim.apply(cmd.command);
            if let Err(why) = &result {
                eprintln!(
                    "infraboard-sim: at {}: `{}` refused: {why}",
                    SimTime(cmd.at_ns),
                    cmd.text
                );
            }
            outcomes.push(json!({
                "t_s": cmd.at_ns as f64 / 1e9,
                "command": cmd.text,
                "ok": result.is_ok(),
                "refused": result.err().map(|why| why.to_string()),
            }));
        }
    }
    // Commands given for the very end (`--at 60s=…` with `--duration 60s`).
    for cmd in pending {
        let result = sim.apply(cmd.command);
        outcomes.push(json!({
            "t_s": cmd.at_ns as f64 / 1e9,
            "command": cmd.text,
            "ok": result.is_ok(),
            "refused": result.err().map(|why| why.to_string()),
        }));
    }
    let report = sim.report();
    let wall_ms = started.elapsed().as_secs_f64() * 1e3;
    match format {
        Format::Json => {
            let out = RunOutput { report: &report, seed, commands: outcomes, wall_ms };
            serde_json::to_string(&out)
                .map(|text| text + "\n")
                .map_err(|e| Failure::usage(format!("cannot encode the report: {e}")))
        }
        Format::Csv => Ok(report.to_csv()),
    }
}

/// What `run --format json` prints: the library's report, plus what only
/// the command line knows. Flattened, so the report's keys stay top-level
/// (and its `f32` series print as short decimals).
#[derive(Serialize)]
struct RunOutput<'a> {
    #[serde(flatten)]
    report: &'a Report,
    seed: u64,
    /// Each `--at` command, in the order applied, and whether it was refused.
    commands: Vec<Value>,
    /// Wall-clock time of the simulation itself (not parsing or printing).
    wall_ms: f64,
}

/// Runs the simulation to `t`, draining its event stream as it goes so the
/// buffer stays small (the CLI reports metrics, not individual hops).
fn advance(sim: &mut Simulation, t: u64) -> Result<(), Failure> {
    sim.advance_to(SimTime(t)).map_err(|e| Failure::usage(e.to_string()))?;
    while sim.poll_event().is_some() {}
    Ok(())
}
