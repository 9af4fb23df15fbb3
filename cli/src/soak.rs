//! `soak`: one long run at a fixed rate, sampling the process's resident
//! memory (RSS) as simulated time passes, to show that memory stays flat
//! however long the model runs (the library keeps no per-request state; see
//! ARCHITECTURE.md, "Memory is bounded").
//!
//! Only the binary reads `/proc`: the library stays sans-IO. Each sample also
//! checks the conservation invariant (every request served, dropped or still
//! in the event queue), so a soak is a correctness run as well.
//!
//! Output, one `key=value` line per sample and a summary line:
//!
//! ```text
//! rss t_s=3600 rss_kb=5120 requests=36001234 served=… dropped=… in_flight=… events=…
//! rss-summary samples=24 warmup_s=3600 min_kb=… max_kb=… median_kb=… spread_pct=1.2 flat=yes
//! ```

use crate::args;
use crate::simulate::preset;
use crate::Failure;
use infraboard_sim::{presets, Command, SimTime, Simulation};
use std::fmt::Write as _;
use std::time::Instant;

/// Options of `soak`.
#[derive(Debug, clap::Args)]
pub(crate) struct SoakArgs {
    /// A built-in preset
    #[arg(long, value_name = "NAME", default_value = presets::DEFAULT, value_parser = args::preset_name(), allow_hyphen_values = true)]
    preset: String,
    /// Fixes every random draw
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = args::number::<u64>, allow_hyphen_values = true)]
    seed: u64,
    /// User requests per simulated second
    #[arg(long, value_name = "QPS", default_value_t = 10_000.0, value_parser = args::number::<f64>, allow_hyphen_values = true)]
    rate: f64,
    /// Simulated time to run
    #[arg(long, value_name = "TIME", default_value = "24h", value_parser = args::parse_duration, allow_hyphen_values = true)]
    duration: u64,
    /// Simulated time between two samples
    #[arg(long, value_name = "TIME", default_value = "1h", value_parser = args::parse_duration, allow_hyphen_values = true)]
    sample_every: u64,
    /// Samples before this simulated time do not count towards flatness
    #[arg(long, value_name = "TIME", default_value = "1h", value_parser = args::parse_duration, allow_hyphen_values = true)]
    warmup: u64,
}

/// How far RSS may move after the warm-up and still count as flat.
const FLAT_PCT: f64 = 5.0;

/// Resident set size of this process in KiB, from `/proc/self/status`
/// (`None` where there is no `/proc`, e.g. under WASI).
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `soak`: one run at a fixed rate, its memory sampled as it goes.
pub(crate) fn soak(args: SoakArgs) -> Result<String, Failure> {
    let SoakArgs { preset: name, seed, rate, duration, sample_every: every, warmup } = args;
    let scenario = preset(&name)?;
    if every == 0 || duration == 0 {
        return Err(Failure::usage("`--duration` and `--sample-every` must be above 0"));
    }
    let mut sim =
        Simulation::new(&scenario, seed).map_err(|e| Failure::Invalid(vec![e.to_string()]))?;
    sim.apply(Command::SetRate { qps: rate })
        .map_err(|e| Failure::usage(format!("`--rate {rate}`: {e}")))?;

    let started = Instant::now();
    let mut out = String::new();
    let mut kept = Vec::new();
    let mut t = 0;
    while t < duration {
        let next = (t + every).min(duration);
        // Advance a simulated second at a time, draining the event stream as
        // a client would (undrained events are capped anyway).
        while t < next {
            t = (t + 1_000_000_000).min(next);
            sim.advance_to(SimTime(t)).map_err(|e| Failure::usage(e.to_string()))?;
            while sim.poll_event().is_some() {}
        }
        let m = sim.metrics();
        let in_flight = sim.requests_in_queue();
        if m.requests != m.served + m.dropped_total() + in_flight {
            return Err(Failure::usage(format!(
                "conservation broken at {}: requests {} != served {} + dropped {} + in flight {}",
                SimTime(t),
                m.requests,
                m.served,
                m.dropped_total(),
                in_flight
            )));
        }
        let rss = rss_kb();
        let _ = writeln!(
            out,
            "rss t_s={} rss_kb={} requests={} served={} dropped={} in_flight={} events={} wall_s={:.1}",
            t / 1_000_000_000,
            rss.map_or_else(|| "unavailable".to_string(), |kb| kb.to_string()),
            m.requests,
            m.served,
            m.dropped_total(),
            in_flight,
            m.events,
            started.elapsed().as_secs_f64(),
        );
        if let (Some(kb), true) = (rss, t > warmup) {
            kept.push(kb);
        }
    }
    kept.sort_unstable();
    match (kept.first(), kept.last()) {
        (Some(&min), Some(&max)) => {
            let median = kept[kept.len() / 2];
            let spread = (max - min) as f64 * 100.0 / median as f64;
            let _ = writeln!(
                out,
                "rss-summary samples={} warmup_s={} min_kb={min} max_kb={max} median_kb={median} \
                 spread_pct={spread:.1} flat={}",
                kept.len(),
                warmup / 1_000_000_000,
                if spread <= FLAT_PCT { "yes" } else { "no" },
            );
        }
        _ => {
            let _ =
                writeln!(out, "rss-summary samples=0 flat=unknown (no samples after the warm-up)");
        }
    }
    Ok(out)
}
