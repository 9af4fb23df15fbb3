//! The run in the page address: opening a link replays it, and the address
//! follows the board as the user changes it (see `crate::url_state` for
//! the format and the decoder).

use crate::i18n::{k, Locale};
use crate::sim_driver::SimHandle;
use crate::study::tour::Step;
use crate::study::TourState;
use crate::url_state::{self, LinkNotice, SharedRun, MAX_LINK_COMMANDS, MAX_LINK_TIME};
use crate::wall_clock::now_ms;
use infraboard_sim::decimal;
use infraboard_sim::SimTime;
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
    pub progress: RwSignal<Option<ReplayProgress>>,
    /// The user asked to stop where the run stands.
    pub stop: RwSignal<bool>,
}

impl LinkReplay {
    pub fn new() -> LinkReplay {
        LinkReplay { progress: RwSignal::new(None), stop: RwSignal::new(false) }
    }
}

/// Replays the run the page address carries, if any, and pauses where it
/// stands; then puts what was ignored in `notices`. The replay goes in
/// slices of [`SLICE_WALL_MS`] with a frame between them: a short link is
/// done within the first slice, before the page is first painted; a long
/// one shows its progress and can be stopped. Call once, before the
/// address is written for the first time.
pub fn open_from_address(
    sim: SimHandle,
    tour: Option<TourState>,
    replay: LinkReplay,
    notices: RwSignal<Vec<LinkNotice>>,
) {
    let (run, found) = url_state::run_from_location(Step::ALL.len());
    let Some(run) = run else {
        notices.set(found);
        return;
    };
    sim.playing.set(false);
    if sim.preset.get_untracked().as_deref() != Some(run.preset.as_str()) {
        sim.load_preset(&run.preset);
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

/// The commands of `run` at their times, then on to the link's time;
/// returns the notices with what the replay itself refused or skipped.
async fn replay_run(
    sim: SimHandle,
    run: &SharedRun,
    replay: LinkReplay,
    mut notices: Vec<LinkNotice>,
) -> Vec<LinkNotice> {
    let mut slices = Slices::new(run.time.max(run.commands.last().map_or(SimTime(0), |c| c.0)));
    let total = run.commands.len();
    for (i, (at, command)) in run.commands.iter().enumerate() {
        if !slices.run_to(sim, *at, replay).await {
            notices.push(stopped(sim, total - i));
            return notices;
        }
        if let Err(error) = sim.apply(command.clone()) {
            notices.push(LinkNotice::RefusedCommand {
                number: i + 1,
                text: command.to_string(),
                error,
                dropped_after: total - i - 1,
            });
            // The refusal is reported with the link, not next to a control.
            sim.message.set(None);
            break;
        }
    }
    let now = sim.with_engine(|e| e.now());
    if now < run.time {
        if !slices.run_to(sim, run.time, replay).await {
            notices.push(stopped(sim, 0));
        }
    } else if now > run.time {
        // Commands given after the link's time are a recorded future,
        // replayed again if the user plays on; the board shows the link's
        // time. (+0.5 ns: the seconds go through f64 and back exactly.)
        sim.seek((run.time.0 as f64 + 0.5) / 1e9);
    }
    notices
}

/// The notice for a replay the user stopped, `skipped` commands short.
fn stopped(sim: SimHandle, skipped: usize) -> LinkNotice {
    LinkNotice::ReplayStopped { at: sim.with_engine(|e| e.now()), skipped }
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

    /// Runs the simulation to `target`, slice by slice; `false` if the user
    /// stopped it first.
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

/// The run as it stands, for the address; `None` for a board a link cannot
/// rebuild (an imported scenario).
fn current_run(sim: SimHandle, tour: Option<TourState>) -> Option<SharedRun> {
    let preset = sim.preset.get_untracked()?;
    let (time, commands) = sim.with_engine(|e| (e.now(), e.log().to_vec()));
    let tour_step = tour.filter(|t| t.active.get_untracked()).map(|t| t.step.get_untracked());
    Some(SharedRun { preset, seed: sim.seed.get_untracked(), time, tour_step, commands })
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
    }
}
