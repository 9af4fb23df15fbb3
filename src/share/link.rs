//! The run in the page address: opening a link replays it, and the address
//! follows the board as the user changes it (see `crate::url_state` for
//! the format and the decoder).

use super::import::ImportError;
use crate::i18n::{k, Locale};
use crate::sim_driver::SimHandle;
use crate::study::tour::Step;
use crate::study::TourState;
use crate::url_state::{self, LinkNotice, SharedRun, MAX_LINK_COMMANDS, MAX_LINK_TIME};
use crate::wall_clock::now_ms;
use crate::watched::Watched;
use infraboard_sim::decimal;
use infraboard_sim::{Cue, Origin, Refused, SimTime};
use leptos::prelude::*;

/// Wall milliseconds between two address updates at most: the address
/// follows the board without a `replaceState` per frame.
const WRITE_EVERY_MS: u32 = 400;

/// Wall time one slice of a link's replay may take before the page gets a
/// frame: a link can ask for 600 s at 200,000 QPS (minutes of simulation in
/// the browser), and the page must stay responsive, show how far it got and
/// let the user stop it.
const SLICE_WALL_MS: f64 = 40.0;

/// How far the replay of a link has come, in simulated seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReplayProgress {
    /// Where the run stands.
    pub now_s: f64,
    /// Where the link leaves it.
    pub end_s: f64,
}

/// The replay of the link the page opened with: its progress while it
/// runs (`None` once done or when there was no link), and the user's "stop
/// here".
#[derive(Clone, Copy)]
pub struct LinkReplay {
    /// Set while a long replay runs, for the progress dialog.
    pub progress: Watched<Option<ReplayProgress>>,
    /// The user asked to stop where the run stands.
    pub stop: Watched<bool>,
}

impl LinkReplay {
    pub fn new() -> LinkReplay {
        LinkReplay { progress: Watched::new(None), stop: Watched::new(false) }
    }
}

/// Replays the run the page address carries, if any, and pauses where it
/// stands; then puts what was ignored in `notices`. The link's commands
/// are a script of origin [`Origin::Link`] on the engine's timeline, which
/// lands each at its time; the replay only moves time on, in slices of
/// [`SLICE_WALL_MS`] with a frame between them: a short link is done
/// within the first slice, before the page is first painted; a long one
/// shows its progress and can be stopped. Call once, before the address is
/// written for the first time.
pub fn open_from_address(
    sim: SimHandle,
    tour: Option<TourState>,
    replay: LinkReplay,
    notices: Watched<Vec<LinkNotice>>,
) {
    let (run, found) = url_state::run_from_location(Step::ALL.len());
    let Some(run) = run else {
        notices.set(found);
        return;
    };
    sim.playing.set(false);
    let mut found = found;
    match run.design.as_deref().map(super::import::read_scenario) {
        Some(Ok(design)) => sim.load_scenario(design),
        refused => {
            match refused {
                Some(Err(ImportError::Invalid(problems))) => {
                    found.push(LinkNotice::BadDesign(problems))
                }
                Some(Err(_)) => found.push(LinkNotice::DesignTooLarge {
                    bytes: run.design.as_deref().map_or(0, str::len),
                }),
                _ => {}
            }
            if sim.preset.get_untracked().as_deref() != Some(run.preset.as_str()) {
                sim.load_preset(&run.preset);
            }
        }
    }
    sim.restart(Some(run.seed));
    leptos::task::spawn_local(async move {
        let found = replay_run(sim, &run, replay, found).await;
        replay.progress.set(None);
        // A shared link shows its moment, paused; reloading the page (the
        // address follows the board) carries on where it was.
        sim.playing.set(is_reload());
        if let (Some(tour), Some(step)) = (tour, run.tour_step) {
            tour.step.set(step);
            tour.active.set(true);
        }
        notices.set(found);
    });
}

/// Schedules the commands of `run` and runs on to the link's time (or to
/// its last command, and back to the link's time: the commands after it
/// are a recorded future the time bar reaches); returns the notices with
/// what the replay itself refused or skipped.
async fn replay_run(
    sim: SimHandle,
    run: &SharedRun,
    replay: LinkReplay,
    mut notices: Vec<LinkNotice>,
) -> Vec<LinkNotice> {
    // The run was restarted: the script's times are the link's times.
    let cues: Vec<Cue> = run
        .commands
        .iter()
        .map(|(at, command)| Cue { after: *at, command: command.clone() })
        .collect();
    sim.schedule(Origin::Link, &cues);
    let mut slices = Slices::new(run.time.max(run.commands.last().map_or(SimTime(0), |c| c.0)));
    let mut finished = slices.run_to(sim, run.time, replay).await;
    // The link's commands after its time (none once one was refused).
    let last_due = sim.with_engine(|e| {
        e.timeline().entries().iter().rev().find(|x| x.origin == Origin::Link).map(|x| x.at)
    });
    if let Some(last) = last_due.filter(|at| finished && *at > run.time) {
        finished = slices.run_to(sim, last, replay).await;
    }
    let total = run.commands.len();
    let (refused, skipped) = sim.with_engine(|e| {
        let refused = e.refused().iter().find(|r| r.entry.origin == Origin::Link).cloned();
        (refused, e.timeline().pending(Origin::Link))
    });
    if let Some(r) = refused {
        notices.push(refused_notice(total, r));
    }
    if !finished {
        // The board stays where the replay stood; the commands not reached
        // are not given.
        sim.stop_script(Origin::Link);
        notices.push(LinkNotice::ReplayStopped { at: sim.with_engine(|e| e.now()), skipped });
    } else if sim.with_engine(|e| e.now()) > run.time {
        // Commands given after the link's time are a recorded future,
        // replayed again if the user plays on; the board shows the link's
        // time. (+0.5 ns: the seconds go through f64 and back exactly.)
        sim.seek((run.time.0 as f64 + 0.5) / 1e9);
    }
    notices
}

/// The notice for the link's command the simulation refused, out of
/// `total` (the timeline dropped it and the rest of the link).
fn refused_notice(total: usize, r: Refused) -> LinkNotice {
    LinkNotice::RefusedCommand {
        number: total - r.dropped_after,
        text: r.entry.command.to_string(),
        error: r.error,
        dropped_after: r.dropped_after,
    }
}

/// Cuts a replay into slices of about [`SLICE_WALL_MS`], sized from how
/// fast the last slice went (the rate of the run decides it, so it is
/// measured, not guessed).
struct Slices {
    /// Simulated nanoseconds the next slice covers.
    span_ns: u64,
    /// Where the whole replay ends, for the progress.
    end: SimTime,
    /// When the replay started (ms): until the first slice's worth of wall
    /// time has gone, slices follow each other without a frame between
    /// them, so a short link is replayed before the first paint and never
    /// shows the progress dialog.
    started_ms: f64,
    /// Whether a frame has been given to the page yet.
    yielded: bool,
}

impl Slices {
    fn new(end: SimTime) -> Slices {
        Slices { span_ns: 500_000_000, end, started_ms: now_ms(), yielded: false }
    }

    /// Runs the simulation to `target`, slice by slice (the timeline lands
    /// the link's commands on the way); `false` if the user stopped it first.
    async fn run_to(&mut self, sim: SimHandle, target: SimTime, replay: LinkReplay) -> bool {
        loop {
            let now = sim.with_engine(|e| e.now());
            if now >= target {
                return true;
            }
            if replay.stop.get_untracked() {
                return false;
            }
            let started = now_ms();
            sim.run_to(SimTime(now.0.saturating_add(self.span_ns).min(target.0)));
            let took = (now_ms() - started).max(0.5);
            // Aim at the slice's wall time, changing by at most 4× at once.
            let scale = (SLICE_WALL_MS / took).clamp(0.25, 4.0);
            self.span_ns = ((self.span_ns as f64 * scale) as u64).clamp(1_000_000, 60_000_000_000);
            if !self.yielded && now_ms() - self.started_ms < SLICE_WALL_MS {
                continue;
            }
            let now_s = sim.with_engine(|e| e.now()).as_secs_f64();
            replay.progress.set(Some(ReplayProgress { now_s, end_s: self.end.as_secs_f64() }));
            self.yielded = true;
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
    }
}

/// Whether this page load is a reload rather than an opened link.
fn is_reload() -> bool {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return false;
    };
    let entries = performance.get_entries_by_type("navigation");
    web_sys::js_sys::Reflect::get(&entries.get(0), &"type".into())
        .ok()
        .and_then(|t| t.as_string())
        .is_some_and(|t| t == "reload")
}

/// The run as it stands, for the address: a design that is no built-in
/// preset (edited or imported) goes in whole.
fn current_run(sim: SimHandle, tour: Option<TourState>) -> Option<SharedRun> {
    let preset = sim.preset.get_untracked();
    let design = preset.is_none().then(|| sim.scenario.with_untracked(|s| s.to_json_compact()));
    let preset = preset.unwrap_or_default();
    let (time, commands) =
        sim.with_engine(|e| (e.now(), e.recorded().map(|x| (x.at, x.command.clone())).collect()));
    let tour_step = tour.filter(|t| t.active.get_untracked()).map(|t| t.step.get_untracked());
    Some(SharedRun { preset, design, seed: sim.seed.get_untracked(), time, tour_step, commands })
}

/// Keeps the address in step with the board: at most one `replaceState`
/// every [`WRITE_EVERY_MS`], and only when something changed, once the
/// link the page opened with has been replayed.
pub fn follow_in_address(sim: SimHandle, tour: Option<TourState>, replay: LinkReplay) {
    let pending = StoredValue::new(false);
    crate::erased::effect(move || {
        // While a link is being replayed the address keeps the whole link: a
        // reload then starts the replay again rather than a part of it.
        if replay.progress.with(Option::is_some) {
            return;
        }
        sim.frame.track();
        sim.preset.track();
        sim.seed.track();
        if let Some(t) = tour {
            t.active.track();
            t.step.track();
        }
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        // Leptos' `set_timeout`, not gloo's `Timeout::forget()`: a forgotten
        // `Closure` keeps its JS function in wasm-bindgen's externref table
        // for good, so neither that function nor the closure's block in the
        // wasm heap was ever freed, one of each per write (~2 blocks and
        // ~300 bytes a wall second). `set_timeout` hands the function to JS
        // (`into_js_value`), and the closure is freed once it has run and
        // the browser lets go of it.
        set_timeout(
            move || {
                pending.set_value(false);
                if replay.progress.with_untracked(Option::is_some) {
                    return;
                }
                url_state::write_run(current_run(sim, tour).as_ref());
            },
            std::time::Duration::from_millis(WRITE_EVERY_MS.into()),
        );
    });
}

/// One ignored part of a link, in words.
pub fn notice_text(n: &LinkNotice, locale: Locale) -> String {
    use k::share::link as m;
    match n {
        LinkNotice::UnknownPreset(v) => m::unknown_preset(locale, v),
        LinkNotice::BadSeed(v) => m::bad_seed(locale, v),
        LinkNotice::BadTime(v) => m::bad_time(locale, v),
        LinkNotice::TimeTooFar(v) => m::time_too_far(locale, v, MAX_LINK_TIME.as_secs_f64()),
        LinkNotice::BadTourStep(v) => m::bad_tour_step(locale, v),
        LinkNotice::BadCommand { number, text, dropped_after } => {
            m::bad_command(locale, number, text, dropped_after)
        }
        LinkNotice::RefusedCommand { number, text, error, dropped_after } => m::refused_command(
            locale,
            number,
            text,
            crate::controls::refusal(error, locale),
            dropped_after,
        ),
        LinkNotice::TooManyCommands { dropped } => m::too_many(locale, MAX_LINK_COMMANDS, dropped),
        LinkNotice::ReplayStopped { at, skipped } => {
            m::replay_stopped(locale, decimal::fixed(at.as_secs_f64(), 1), skipped)
        }
        LinkNotice::Truncated { expected, found } => m::truncated(locale, expected, found),
        LinkNotice::DesignTooLarge { bytes } => m::design_too_large(locale, bytes / 1024),
        LinkNotice::BadDesign(problems) => {
            let first = problems.first().map(|d| super::import::problem_line(d, locale));
            let (field, problem) = first.unwrap_or_default();
            m::bad_design(locale, field, problem)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim_driver::Engine;
    use infraboard_sim::{presets, Command, CommandError, NodeRef};
    use std::sync::Arc;

    /// A link's commands as the replay schedules them, on a fresh run.
    fn replay(commands: &[(u64, Command)], to: SimTime, slice_ms: u64) -> Engine {
        let mut e = Engine::new(Arc::new(presets::default_scenario()), 3).unwrap();
        let cues: Vec<Cue> = commands
            .iter()
            .map(|(ms, command)| Cue { after: SimTime::from_millis(*ms), command: command.clone() })
            .collect();
        e.schedule(Origin::Link, &cues);
        while e.now() < to {
            e.advance_to(e.now().plus_nanos(slice_ms * 1_000_000).min(to)).unwrap();
        }
        e
    }

    #[test]
    fn a_links_commands_land_at_their_times_whatever_the_slices() {
        let commands = [
            (0, Command::SetRate { qps: 400.0 }),
            (1_500, Command::Kill(NodeRef::PrimaryDb)),
            (2_250, Command::SetWriteShare { share: 0.5 }),
        ];
        let whole = replay(&commands, SimTime::from_secs(4), 4_000);
        let sliced = replay(&commands, SimTime::from_secs(4), 37);
        assert_eq!(whole.metrics(), sliced.metrics());
        let at: Vec<SimTime> = sliced.recorded().map(|x| x.at).collect();
        assert_eq!(at, [SimTime::ZERO, SimTime::from_millis(1_500), SimTime::from_millis(2_250)]);
    }

    #[test]
    fn a_refused_link_command_is_reported_with_the_rest_dropped() {
        let kill = Command::Kill(NodeRef::PrimaryDb);
        let commands =
            [(1_000, kill.clone()), (2_000, kill.clone()), (3_000, Command::SetRate { qps: 5.0 })];
        let e = replay(&commands, SimTime::from_secs(4), 100);
        let [r] = e.refused() else { panic!("{:?}", e.refused()) };
        let LinkNotice::RefusedCommand { number, text, error, dropped_after } =
            refused_notice(commands.len(), r.clone())
        else {
            panic!("a refusal notice")
        };
        assert_eq!((number, text.as_str(), dropped_after), (2, "kill:primary-db", 1));
        assert!(matches!(error, CommandError::AlreadyDown(_)), "{error:?}");
        assert_eq!(e.timeline().entries().len(), 1, "only the first kill was given");
    }
}
