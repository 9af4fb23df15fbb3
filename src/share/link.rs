//! The run in the page address: opening a link replays it, and the address
//! follows the board as the user changes it (see `crate::url_state` for
//! the format and the decoder).

use crate::i18n::{k, Locale};
use crate::sim_driver::SimHandle;
use crate::study::TourState;
use crate::url_state::{self, LinkNotice, SharedRun, MAX_LINK_COMMANDS, MAX_LINK_TIME};
use leptos::prelude::*;

/// Wall milliseconds between two address updates at most: the address
/// follows the board without a `replaceState` per frame.
const WRITE_EVERY_MS: u32 = 400;

/// Replays the run the page address carries, if any, and pauses where it
/// stands. Returns what was ignored. Call once, before the address is
/// written for the first time.
pub fn open_from_address(sim: SimHandle, tour: Option<TourState>) -> Vec<LinkNotice> {
    let (run, mut notices) = url_state::run_from_location();
    let Some(run) = run else { return notices };
    sim.playing.set(false);
    if sim.preset.get_untracked().as_deref() != Some(run.preset.as_str()) {
        sim.load_preset(&run.preset);
    }
    sim.restart(Some(run.seed));
    let total = run.commands.len();
    for (i, (at, command)) in run.commands.iter().enumerate() {
        sim.run_to(*at);
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
        sim.run_to(run.time);
    } else if now > run.time {
        // Commands given after the link's time are a recorded future,
        // replayed again if the user plays on; the board shows the link's
        // time. (+0.5 ns: the seconds go through f64 and back exactly.)
        sim.seek((run.time.0 as f64 + 0.5) / 1e9);
    }
    // A shared link shows its moment, paused; reloading the page (the
    // address follows the board) carries on where it was.
    sim.playing.set(is_reload());
    if let (Some(tour), Some(step)) = (tour, run.tour_step) {
        tour.step.set(step);
        tour.active.set(true);
    }
    notices
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
/// every [`WRITE_EVERY_MS`], and only when something changed.
pub fn follow_in_address(sim: SimHandle, tour: Option<TourState>) {
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
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
        gloo_timers::callback::Timeout::new(WRITE_EVERY_MS, move || {
            pending.set_value(false);
            url_state::write_run(current_run(sim, tour).as_ref());
        })
        .forget();
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
        LinkNotice::Truncated { expected, found } => m::truncated(locale, expected, found),
    }
}
