//! What a finding's "show me" costs, measured: the design runs from time
//! zero with the finding's script on its timeline, and the figures are read
//! from the run's metrics. The app shows them beside the finding and on the
//! printed review sheet, the CLI prints them, and all three get the same
//! numbers for the same design and seed.
//!
//! The run is short and its rate capped ([`MAX_RATE_QPS`]), so a browser
//! can play it headless in a few tens of milliseconds when a finding is
//! shown: a big-day design's figures are those of the same design at the
//! cap, and [`Demonstration::rate_qps`] says so.

use super::Finding;
use crate::command::Command;
use crate::metrics::{Metrics, SecondStats};
use crate::scenario::Scenario;
use crate::simulation::{SimError, Simulation};
use crate::time::SimTime;
use crate::timeline::{Cue, Origin, Timeline};

/// Seconds the design runs before the script starts, so queues and
/// monitoring have settled into their usual state.
pub const WARMUP_S: u64 = 5;
/// Seconds watched after the script's last command.
pub const TAIL_S: u64 = 30;
/// The rate the demonstration runs at, at most (user requests per second).
pub const MAX_RATE_QPS: f64 = 2000.0;
/// A second is failing when more than this share of its requests failed.
pub const FAILING_SHARE: f64 = 0.01;

/// A run of failing seconds, counted from the script's start: `[from_s, to_s)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First failing second.
    pub from_s: u64,
    /// The second after the last failing one.
    pub to_s: u64,
}

/// The figures of one "show me".
#[derive(Clone, Debug, PartialEq)]
pub struct Demonstration {
    /// The rate the run used (the design's, capped at [`MAX_RATE_QPS`]).
    pub rate_qps: f64,
    /// Seconds watched from the script's start.
    pub watched_s: u64,
    /// User requests sent from the script's start on.
    pub requests: u64,
    /// Of which failed.
    pub failed: u64,
    /// Of which served (each one crossed every plaintext hop of the design).
    pub served: u64,
    /// When they failed: every run of failing seconds, in order.
    pub windows: Vec<Window>,
    /// Whether the last second watched served normally.
    pub recovered: bool,
    /// Requests failed outside the windows, and sent outside them.
    pub failed_outside: (u64, u64),
    /// Writes refused.
    pub writes_failed: u64,
    /// Acknowledged writes the promoted replica never had.
    pub lost_writes: u64,
    /// Reads answered with data older than the last write.
    pub stale_reads: u64,
    /// Attack packets that reached their target.
    pub attacks_reached: u64,
    /// Alerts raised from the script's start on.
    pub alerts: usize,
    /// Seconds from the script's start to the first alert.
    pub first_alert_s: Option<u64>,
}

/// Plays `finding`'s "show me" on `design` (seed `seed`) and measures it.
pub fn demonstrate(
    design: &Scenario,
    finding: &Finding,
    seed: u64,
) -> Result<Demonstration, SimError> {
    let mut sim = Simulation::new(design, seed)?;
    let rate_qps = design.traffic.rate_qps.min(MAX_RATE_QPS);
    let start = SimTime::from_secs(WARMUP_S);
    let last_cue = finding.show_me.iter().map(|c| c.after).max().unwrap_or(SimTime::ZERO);
    let watched_s = last_cue.as_secs_f64().ceil() as u64 + TAIL_S;
    let end = SimTime::from_secs(WARMUP_S + watched_s);

    let mut timeline = Timeline::new();
    timeline.schedule(
        Origin::ShowMe,
        SimTime::ZERO,
        &[Cue::at(0, Command::SetRate { qps: rate_qps })],
    );
    timeline.schedule(Origin::ShowMe, start, &finding.show_me);
    let mut refused = Vec::new();
    timeline.run_to(&mut sim, start, &mut refused)?;
    let before = Totals::of(sim.metrics());
    timeline.run_to(&mut sim, end, &mut refused)?;
    let m = sim.metrics();
    let after = Totals::of(m);

    let seconds: Vec<&SecondStats> = m.history.iter().filter(|st| st.second >= WARMUP_S).collect();
    let windows = windows_of(&seconds);
    let inside =
        |second: u64| windows.iter().any(|w| (w.from_s..w.to_s).contains(&(second - WARMUP_S)));
    let failed_outside = seconds
        .iter()
        .filter(|st| !inside(st.second))
        .fold((0, 0), |(f, r), st| (f + failed_in(st), r + u64::from(st.requests)));
    let alerts: Vec<SimTime> = m.alerts.iter().map(|a| a.at).filter(|&at| at >= start).collect();
    let first_alert_s =
        alerts.iter().min().map(|at| (at.as_secs_f64() - start.as_secs_f64()).floor() as u64);
    Ok(Demonstration {
        rate_qps,
        watched_s,
        requests: seconds.iter().map(|st| u64::from(st.requests)).sum(),
        failed: seconds.iter().map(|st| failed_in(st)).sum(),
        served: seconds.iter().map(|st| u64::from(st.served)).sum(),
        recovered: seconds.last().is_none_or(|st| !failing(st)),
        windows,
        failed_outside,
        writes_failed: after.writes_failed - before.writes_failed,
        lost_writes: after.lost_writes - before.lost_writes,
        stale_reads: after.stale_reads - before.stale_reads,
        attacks_reached: after.attacks_reached - before.attacks_reached,
        alerts: alerts.len(),
        first_alert_s,
    })
}

/// The run's counters that only grow.
struct Totals {
    writes_failed: u64,
    lost_writes: u64,
    stale_reads: u64,
    attacks_reached: u64,
}

impl Totals {
    fn of(m: &Metrics) -> Totals {
        Totals {
            writes_failed: m.writes_failed,
            lost_writes: m.lost_writes,
            stale_reads: m.stale_reads,
            attacks_reached: m.attacks_reached,
        }
    }
}

fn failed_in(st: &SecondStats) -> u64 {
    st.dropped.iter().map(|&d| u64::from(d)).sum()
}

fn failing(st: &SecondStats) -> bool {
    failed_in(st) as f64 > FAILING_SHARE * f64::from(st.requests)
}

/// The runs of failing seconds (`seconds` from the script's start).
fn windows_of(seconds: &[&SecondStats]) -> Vec<Window> {
    let mut windows: Vec<Window> = Vec::new();
    for (i, st) in seconds.iter().enumerate() {
        if !failing(st) {
            continue;
        }
        let i = i as u64;
        match windows.last_mut() {
            Some(w) if w.to_s == i => w.to_s = i + 1,
            _ => windows.push(Window { from_s: i, to_s: i + 1 }),
        }
    }
    windows
}
