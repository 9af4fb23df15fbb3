//! `run` and `validate`: a scenario, a seed and timed commands in, the
//! report as JSON (or the per-second series as CSV) out.

use crate::args::{self, Timed};
use crate::{read_file, Failure};
use infraboard_sim::{presets, Report, Scenario, SimTime, Simulation};
use serde::Serialize;
use serde_json::{json, Value};
use std::time::Instant;

const SECOND_NS: u64 = 1_000_000_000;

/// The commands `--at` takes, for `run --help`.
const AT_COMMANDS: &str = "\
Commands for --at (a node by its id, or the MySQL roles primary-db and replica-db):
  kill:NODE  restore:NODE  promote:NODE  agent:NODE:on|off
  kill-one:POOL  restore-one:POOL (one box of a server pool)
  tls:terminate|reencrypt|passthrough  lb:roundrobin|leastconn|random2
  rate:QPS  writes:FRACTION  attack:QPS[:PORT]  failover:manual|auto
  fw:FW:allow|deny:PORT:SOURCE  fw-remove:FW:INDEX  fw-move:FW:FROM:TO

Example:
  infraboard-sim run --preset lb-two-fullstack --seed 1 --duration 60s \\
      --at 20s=kill:primary-db --at 40s=restore:primary-db";

/// Options of `run`.
#[derive(Debug, clap::Args)]
#[command(after_help = AT_COMMANDS)]
pub(crate) struct RunArgs {
    // No `default_value`: clap could not tell a default from a `--preset`
    // given next to `--scenario`.
    #[arg(
        long,
        value_name = "NAME",
        value_parser = args::preset_name(),
        allow_hyphen_values = true,
        help = format!("A built-in preset [default: {}]", presets::DEFAULT)
    )]
    preset: Option<String>,
    /// A scenario file (JSON) instead of a preset
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    scenario: Option<String>,
    /// Fixes every random draw
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = args::number::<u64>, allow_hyphen_values = true)]
    seed: u64,
    /// Simulated time to run: 60s, 1500ms, 2m, 1h, or seconds
    #[arg(long, value_name = "TIME", default_value = "60s", value_parser = args::parse_duration, allow_hyphen_values = true)]
    duration: u64,
    /// Give COMMAND at simulated TIME (repeatable; same-time commands keep their order)
    #[arg(long, value_name = "TIME=COMMAND", value_parser = args::timed, allow_hyphen_values = true)]
    at: Vec<Timed>,
    /// The report as one JSON object, or one CSV row per simulated second
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// Output shapes of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One JSON object with every metric.
    Json,
    /// One row per simulated second.
    Csv,
}

/// Parses and validates a scenario document; every problem is reported,
/// one a line, with its JSON path.
pub(crate) fn parse_scenario(text: &str) -> Result<Scenario, Failure> {
    Scenario::from_json(text)
        .map_err(|problems| Failure::Invalid(problems.iter().map(ToString::to_string).collect()))
}

/// A built-in preset by name, parsed (the name was checked by clap).
pub(crate) fn preset(name: &str) -> Result<Scenario, Failure> {
    let source =
        presets::source(name).ok_or_else(|| Failure::usage(format!("unknown preset `{name}`")))?;
    parse_scenario(source)
}

/// `run`: the scenario, simulated to the end with the timed commands
/// applied on the way; the report, or its seconds as CSV.
pub(crate) fn run(args: RunArgs) -> Result<String, Failure> {
    let RunArgs { preset: preset_name, scenario, seed, duration: duration_ns, at, format } = args;
    let mut timed = at;
    if let Some(late) = timed.iter().find(|t| t.at_ns > duration_ns) {
        return Err(Failure::usage(format!("`--at {}`: after the end of the run", late.raw)));
    }
    // Stable sort: commands for the same instant keep their order.
    timed.sort_by_key(|t| t.at_ns);
    let scenario = match (preset_name, scenario) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage("give `--preset` or `--scenario`, not both"))
        }
        (None, Some(path)) => parse_scenario(&read_file(&path)?)?,
        (name, None) => preset(name.as_deref().unwrap_or(presets::DEFAULT))?,
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
