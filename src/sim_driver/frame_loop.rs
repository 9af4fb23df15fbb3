//! The one `requestAnimationFrame` loop: each frame moves the simulation by
//! the wall time since the previous one × the speed (within the frame's
//! budget, see [`super::pacing`]), hands the frame to its consumers
//! ([`super::consumers`]: the board's request layer, a recording) and, about
//! 15 times a second, retunes the dot sampling and publishes the
//! [`super::FrameStats`] that charts, feed and panels read.

use super::consumers::FrameConsumers;
use super::handle::{SimHandle, SPEED_RANGE};
use super::pacing::{advance_within_budget, Pacing};
use super::perf_probe::PerfProbe;
use super::sampling::{min_visible_ns, DotSampling};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Wall milliseconds between two [`super::FrameStats`] publications (~15 Hz).
const STATS_EVERY_MS: f64 = 66.0;

/// What the loop remembers from one frame to the next.
struct LoopState {
    performance: Option<web_sys::Performance>,
    last_stats_ms: f64,
    pacing: Pacing,
    sampling: DotSampling,
    /// Where each frame reports its phases, when a benchmark asked for it.
    perf_probe: Option<PerfProbe>,
    /// What showing the last publication took, wall ms, once known: the
    /// reactive updates it sets off run after the frame callback returns.
    shown_in_ms: Rc<Cell<Option<f64>>>,
}

/// The one `requestAnimationFrame` closure, able to re-register itself.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Starts the loop for the life of the page (called once, by `provide_sim`).
pub(super) fn start(handle: SimHandle) {
    let state = Rc::new(RefCell::new(LoopState {
        performance: window().performance(),
        last_stats_ms: f64::NEG_INFINITY,
        pacing: Pacing::new(),
        sampling: DotSampling::new(),
        perf_probe: PerfProbe::find(),
        shown_in_ms: Rc::new(Cell::new(None)),
    }));
    // One closure for the whole life of the page: nothing is allocated per frame.
    let callback: FrameCallback = Rc::new(RefCell::new(None));
    let again = callback.clone();
    *callback.borrow_mut() = Some(Closure::new(move |now_ms: f64| {
        frame(handle, &mut state.borrow_mut(), now_ms);
        if let Some(cb) = again.borrow().as_ref() {
            let _ = window().request_animation_frame(cb.as_ref().unchecked_ref());
        }
    }));
    let first = callback.borrow();
    if let Some(cb) = first.as_ref() {
        let _ = window().request_animation_frame(cb.as_ref().unchecked_ref());
    }
}

fn speed_of(handle: SimHandle) -> f64 {
    let s = handle.speed.get_untracked();
    if s.is_finite() {
        s.clamp(SPEED_RANGE.0, SPEED_RANGE.1)
    } else {
        1.0
    }
}

/// One animation frame: simulate, draw, publish (and report to the probe).
fn frame(handle: SimHandle, state: &mut LoopState, now_ms: f64) {
    let gap = state.pacing.gap_ms(now_ms);
    let speed = speed_of(handle);
    let playing = handle.playing.get_untracked() && handle.fault.with_untracked(Option::is_none);
    let mut failure = None;
    let perf = state.performance.clone();
    let clock = move || perf.as_ref().map_or(0.0, |p| p.now());
    let started = clock();
    if let Some(ms) = state.shown_in_ms.take() {
        state.pacing.published(ms);
    }
    let publishing = now_ms - state.last_stats_ms >= STATS_EVERY_MS;
    // What a frame that publishes does not simulate, the frames after it
    // do, if there are some before the next publication: when frames
    // lately come slower than that (a slow device, a loaded machine), every
    // frame publishes and simulates as much as a frame always may.
    let frames_between = state.pacing.frame_ms() < STATS_EVERY_MS / 2.0;
    let sim_budget = state.pacing.sim_budget_ms(publishing && frames_between);
    let mut moved_ns = 0u64;
    handle.engine.update_value(|e| {
        e.flights.set_min_visible_ns(min_visible_ns(speed));
        let owed_ns = state.pacing.owe(playing, gap, speed);
        if playing && owed_ns >= 1.0 {
            let (moved, stopped_by) =
                advance_within_budget(e, owed_ns, started, sim_budget, &clock);
            moved_ns = moved;
            failure = stopped_by.map(|err| err.to_string());
            state.pacing.paid(moved_ns);
        }
    });
    state.pacing.track_pace(playing, gap * speed * 1e6, moved_ns as f64, now_ms);
    if let Some(msg) = failure {
        handle.playing.set(false);
        handle.fault.set(Some(msg));
    }
    if handle.engine.try_update_value(super::Engine::take_pause).unwrap_or(false) {
        handle.playing.set(false);
    }
    if handle.engine.with_value(|e| e.snapshot_due()) {
        settle_snapshot_after_paint(handle);
    }
    let simulated = clock();
    let dots = handle
        .engine
        .with_value(|e| handle.consumers.try_update_value(|c| draw(c, e)))
        .unwrap_or(0);
    let drawn = clock();
    state.pacing.drew(drawn - simulated);
    if publishing {
        state.last_stats_ms = now_ms;
        handle.engine.update_value(|e| state.sampling.tune(e));
        handle.publish_with(state.pacing.behind());
        // The updates a publication sets off are queued as tasks of the
        // page's one microtask queue; this one is queued after them and times them.
        let (shown_in, perf) = (state.shown_in_ms.clone(), state.performance.clone());
        leptos::task::spawn_local(async move {
            shown_in.set(perf.map(|p| p.now() - drawn));
        });
    }
    if let Some(probe) = &state.perf_probe {
        let published = clock();
        probe.report(simulated - started, drawn - simulated, published - drawn, dots as f64);
    }
}

/// Hands the frame to each consumer, in order: the request layer paints the
/// engine's hops in flight, then a recording films the board. Returns the
/// dots drawn.
fn draw(consumers: &mut FrameConsumers, engine: &super::Engine) -> usize {
    let dots = match consumers.requests.as_mut() {
        Some(painter) => painter.paint(engine),
        None => 0,
    };
    if let Some(recorder) = consumers.recording.as_mut() {
        recorder.record();
    }
    dots
}

/// Takes the snapshot the frame left for later in a task of its own, queued
/// from the frame callback: it runs once the frame has been painted, and
/// before the next frame (which would otherwise take it itself).
fn settle_snapshot_after_paint(handle: SimHandle) {
    set_timeout(
        move || handle.engine.update_value(|e| e.settle_snapshot()),
        std::time::Duration::ZERO,
    );
}
