//! `infraboard-sim`: the simulation, headless, for scripts and benchmarks.
//!
//! The library is sans-IO; this binary is the only place that reads files,
//! looks at the wall clock (`wall_ms`) and prints. Output is JSON on stdout,
//! errors go to stderr. Exit codes: 0 success, 1 the scenario is invalid,
//! 2 the command line is wrong (or a file cannot be read), 3 `review`
//! found a high-severity weakness.
//!
//! The command line is declared with clap (derive): each subcommand's
//! options next to the code that runs it (`simulate.rs`, `soak.rs`, `queue`
//! below), the value parsers they share in `args.rs`.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser, Subcommand};
use infraboard_sim::mmc::{self, MmcParams};
use infraboard_sim::presets;
use serde_json::{json, Value};
use std::process::ExitCode;
use std::time::Instant;

mod args;
mod review;
mod review_text;
mod simulate;
mod soak;

/// The Infraboard simulation, headless: the secured and monitored web
/// infrastructure for www.foobar.com, deterministic for a given seed.
#[derive(Debug, Parser)]
#[command(
    name = "infraboard-sim",
    override_usage = "infraboard-sim <COMMAND>",
    version,
    after_help = "Output goes to stdout (JSON unless told otherwise), errors to stderr.\n\
                  Exit codes: 0 success, 1 the scenario is invalid (every problem is listed,\n\
                  one a line), 2 the command line is wrong or a file cannot be read, 3 `review` found a\n\
                  high-severity weakness."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// List the built-in presets, one a line, the default first
    Presets,
    /// Print a preset's scenario as JSON, every default written out
    ///
    /// The output validates and can be edited and run with `run --scenario`.
    Show {
        /// The preset
        #[arg(value_name = "NAME", value_parser = args::preset_name())]
        name: String,
    },
    /// Check a scenario file
    ///
    /// Exit 0 when it is valid (nothing printed), or 1 with every problem
    /// on stderr, one a line, each with its JSON path.
    Validate {
        /// The scenario file (JSON)
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Run a scenario and print its report (JSON) or its seconds (CSV)
    Run(simulate::RunArgs),
    /// Run a plain M/M/c queue on the simulation's engine
    ///
    /// Prints the simulated waits next to the exact Erlang C answers, and
    /// the engine's speed (the figure bench/vs-simpy compares with SimPy).
    Queue(QueueArgs),
    /// Review a design: single points of failure, plaintext hops, firewall
    /// openings, shared boxes, monitoring gaps, stale reads
    ///
    /// Each finding with its severity, the nodes it concerns, a "show me"
    /// script (commands in `run --at` syntax) and its fix. Exit 3 when a
    /// high-severity finding remains.
    Review(review::ReviewArgs),
    /// Run one long simulation and sample this process's memory (RSS)
    ///
    /// Prints one `rss …` line per sample and an `rss-summary` line saying
    /// whether memory stayed flat after the warm-up.
    Soak(soak::SoakArgs),
}

impl Cmd {
    /// The subcommand's name, as typed.
    fn name(&self) -> &'static str {
        match self {
            Cmd::Presets => "presets",
            Cmd::Show { .. } => "show",
            Cmd::Validate { .. } => "validate",
            Cmd::Run(_) => "run",
            Cmd::Queue(_) => "queue",
            Cmd::Review(_) => "review",
            Cmd::Soak(_) => "soak",
        }
    }
}

/// Options of `queue`.
#[derive(Debug, clap::Args)]
struct QueueArgs {
    /// Identical servers, c
    #[arg(long, value_name = "C", value_parser = args::number::<u32>, allow_hyphen_values = true)]
    servers: u32,
    /// Mean arrivals per simulated second, λ
    #[arg(long, value_name = "RATE", value_parser = args::number::<f64>, allow_hyphen_values = true)]
    arrival_rate: f64,
    /// Mean services per simulated second per server, μ
    #[arg(long, value_name = "RATE", value_parser = args::number::<f64>, allow_hyphen_values = true)]
    service_rate: f64,
    /// Customers that arrive before the run drains
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1_000_000,
        value_parser = args::number::<u64>,
        allow_hyphen_values = true
    )]
    customers: u64,
    /// Fixes every random draw
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = args::number::<u64>, allow_hyphen_values = true)]
    seed: u64,
}

/// Why the program stops early; decides the exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The command line is wrong, or a named file cannot be read: exit 2.
    Usage(String),
    /// The scenario was read but is not valid: exit 1, one problem a line.
    Invalid(Vec<String>),
    /// `review` found a high-severity weakness: its output is printed as
    /// usual, then exit 3.
    HighFindings(String),
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::Usage(message.into())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return exit_with(reworded(error)),
    };
    let Some(command) = cli.command else {
        return exit_with(Cli::command().error(ErrorKind::MissingSubcommand, "missing command"));
    };
    let name = command.name();
    match run(command) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(message)) => exit_with(usage_error(name, message)),
        Err(Failure::Invalid(problems)) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            ExitCode::from(1)
        }
        Err(Failure::HighFindings(out)) => {
            print!("{out}");
            ExitCode::from(3)
        }
    }
}

/// Prints a clap message (help to stdout, an error to stderr) and gives
/// its exit code: 0 for help and version, 2 for a wrong command line.
fn exit_with(error: clap::Error) -> ExitCode {
    let _ = error.print();
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}

/// A mistake found after parsing (a file that cannot be read, options that
/// do not go together), shown as clap shows its own, with the usage of the
/// subcommand it concerns.
fn usage_error(subcommand: &str, message: String) -> clap::Error {
    let mut cli = Cli::command();
    cli.build();
    match cli.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(ErrorKind::ValueValidation, message),
        None => cli.error(ErrorKind::ValueValidation, message),
    }
}

/// clap's errors as they are, plus a tip on a flag given without its value
/// (`'--seed' needs a value`), the words this tool has always used there.
fn reworded(mut error: clap::Error) -> clap::Error {
    let empty_value = matches!(
        error.get(ContextKind::InvalidValue),
        Some(ContextValue::String(value)) if value.is_empty()
    );
    if error.kind() != ErrorKind::InvalidValue || !empty_value {
        return error;
    }
    if let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) {
        let flag = arg.split(' ').next().unwrap_or(arg).to_string();
        let tip = StyledStr::from(format!("'{flag}' needs a value right after it"));
        error.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![tip]));
    }
    error
}

/// Does the work of one invocation and returns what to print.
fn run(command: Cmd) -> Result<String, Failure> {
    match command {
        Cmd::Presets => Ok(presets::names().map(|name| format!("{name}\n")).collect()),
        Cmd::Show { name } => Ok(ensure_newline(&simulate::preset(&name)?.to_json_pretty())),
        Cmd::Validate { file } => {
            simulate::parse_scenario(&read_file(&file)?)?;
            Ok(String::new())
        }
        Cmd::Run(args) => simulate::run(args),
        Cmd::Queue(args) => queue(args),
        Cmd::Review(args) => review::review(args),
        Cmd::Soak(args) => soak::soak(args),
    }
}

/// `queue`: a plain M/M/c queue on the simulation's engine.
fn queue(args: QueueArgs) -> Result<String, Failure> {
    let params = MmcParams {
        servers: args.servers,
        arrival_rate: args.arrival_rate,
        service_rate: args.service_rate,
        customers: args.customers,
        seed: args.seed,
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

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_declared_consistently() {
        Cli::command().debug_assert();
    }
}
