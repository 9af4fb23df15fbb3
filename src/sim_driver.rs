//! The bridge between wall time and simulated time, and the one handle every
//! component uses to read and steer the running simulation.
//!
//! [`provide_sim`] (called once, by the page) creates the run and starts one
//! `requestAnimationFrame` loop that advances the simulation by
//! `wall elapsed × speed` while playing, feeds the animation layer, and
//! publishes a [`FrameStats`] about 15 times a second. Components get the
//! handle with [`use_sim`]:
//!
//! ```ignore
//! let sim = use_sim();
//! sim.playing.set(false);            // pause
//! sim.speed.set(10.0);               // 10× (clamped to 0.1–100)
//! let qps = move || sim.frame.with(|f| f.metrics.last_qps());
//! let tls = move || sim.with_sim(|s| s.tls_mode());   // re-runs ~15 Hz
//! sim.apply(Command::Kill(NodeRef::PrimaryDb), Origin::Control); // refusal → sim.message
//! sim.restart(None);                 // same seed, from zero
//! sim.load_preset("lb-two-fullstack");
//! ```
//!
//! Every command is on the engine's timeline with its simulated time and
//! origin: rewinding (←, the time bar) and playing forward again replays
//! it, so the run the user sees again is the same run. Scripts (scenes,
//! challenges, a shared link) are scheduled on it ([`SimHandle::schedule`])
//! and land at their exact times. A user command given after rewinding
//! starts a new branch: the user's recorded future is forgotten, the
//! scripts play on (`infraboard_sim::timeline`).
//!
//! Architecture invariant: this module is the only place that converts wall
//! time into simulated time; the `sim` crate never sees a clock.

mod engine;
pub mod flights;
#[cfg(test)]
mod soak;

pub use self::engine::Engine;
use infraboard_sim::{
    presets, Command, CommandError, Cue, Diagnostic, Metrics, Origin, Scenario, SimError, SimTime,
    Simulation,
};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Lowest and highest speed factor (simulated seconds per wall second).
pub const SPEED_RANGE: (f64, f64) = (0.1, 100.0);
/// How long a hop stays on screen at least, in wall milliseconds.
const MIN_VISIBLE_WALL_MS: f64 = 250.0;
/// How many request dots should be on screen at once (issue 5: "about 1,000").
const DOT_TARGET: f64 = 1000.0;
/// The sampling is left alone while the dots on screen stay within this
/// share of [`DOT_TARGET`] (the grid's widest step is 4 → 5, 1.25×).
const DOT_BAND: (f64, f64) = (0.8, 1.25);
/// Simulated time over which the dots on screen are measured before the
/// sampling may change.
const SAMPLING_WINDOW_NS: u64 = 1_000_000_000;
/// Wall milliseconds between two [`FrameStats`] publications (~15 Hz).
const STATS_EVERY_MS: f64 = 66.0;
/// The longest wall gap one frame may turn into simulated time (a hidden
/// tab resumes where it was instead of jumping ahead).
const MAX_FRAME_GAP_MS: f64 = 100.0;
/// Wall milliseconds a frame may spend simulating, at most.
const SIM_BUDGET_MS: f64 = 3.5;
/// Wall milliseconds a frame may spend simulating at least, so time still
/// moves when drawing is slow.
const SIM_BUDGET_MIN_MS: f64 = 1.0;
/// Wall milliseconds for the whole frame callback (simulating + drawing):
/// what drawing took lately comes off the simulation's share, so a frame
/// stays well inside the ~16 ms of a 60 Hz display (bench/frames: p95 ≤ 8;
/// at 6 ms, with ~1,000 dots to draw, the p95 was 8.7 ms of CPU, at 5 ms
/// 7.3–8.1 ms).
const FRAME_BUDGET_MS: f64 = 4.5;
/// Longest first simulated slice between two budget checks (0.5 ms: at
/// 200,000 requests per second that is 100 requests of work); slices that
/// prove cheap grow (see [`CHEAP_SLICE_MS`]).
const MAX_SLICE_NS: u64 = 500_000;
/// A slice that took less wall time than this doubles the next one.
const CHEAP_SLICE_MS: f64 = 0.25;

/// What the charts, figures and feed read, refreshed about 15 times a second.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameStats {
    /// Current simulated time, seconds.
    pub t_s: f64,
    /// Furthest simulated time reached in this run (the timeline's end), seconds.
    pub horizon_s: f64,
    /// Everything the simulation counts: ground truth, the per-second
    /// series (`metrics.history`: QPS per box as the LB sees it and as the
    /// monitoring service sees it, latency p50/p99, drops by reason,
    /// replication lag, CPU), alerts, lost writes, stale reads. Shared, not
    /// copied, between readers.
    pub metrics: Arc<Metrics>,
    /// Links that have carried traffic, with their latest encryption state.
    pub links: Vec<flights::LinkTraffic>,
    /// One dot on the animation stands for this many requests.
    pub dot_stands_for: u64,
    /// Commands recorded in this run (for "what did I change" displays).
    pub commands: usize,
    /// `Some(x)` while playing when the simulation cannot keep up with the
    /// chosen speed: over the last wall second it moved only `x` simulated
    /// seconds per wall second (the frame budget ran out). `None` when it
    /// keeps up or is paused.
    pub behind: Option<f64>,
}

impl Default for FrameStats {
    /// The statistics of a run of the default preset that has not started
    /// (for tests and placeholders).
    fn default() -> FrameStats {
        let metrics = Simulation::new(&presets::default_scenario(), 1)
            .map(|s| s.metrics().clone())
            .expect("the default preset is valid");
        FrameStats {
            t_s: 0.0,
            horizon_s: 0.0,
            metrics: Arc::new(metrics),
            links: Vec::new(),
            dot_stands_for: 1,
            commands: 0,
            behind: None,
        }
    }
}

/// Why the driver refused or could not do something the user asked.
#[derive(Clone, Debug, PartialEq)]
pub enum DriverMessage {
    /// The simulation refused the command (nothing changed); the command is
    /// kept so the message can sit next to the control that sent it.
    CommandRefused(Command, CommandError),
    /// The scenario cannot be simulated; every problem with its JSON path.
    InvalidScenario(Vec<Diagnostic>),
    /// No built-in preset has this name.
    UnknownPreset(String),
}

/// Handle on the running simulation; cheap to copy, shared through context.
#[derive(Clone, Copy)]
pub struct SimHandle {
    /// Whether simulated time moves (Space toggles it).
    pub playing: RwSignal<bool>,
    /// Simulated seconds per wall second; values outside 0.1–100 (or NaN)
    /// are clamped by the driver, never trusted.
    pub speed: RwSignal<f64>,
    /// Latest published statistics (read-only for components: the driver
    /// overwrites it about 15 times a second).
    pub frame: ReadSignal<FrameStats>,
    /// The scenario being simulated.
    pub scenario: ReadSignal<Arc<Scenario>>,
    /// Name of the preset it came from (`None` for an imported scenario).
    pub preset: ReadSignal<Option<String>>,
    /// The seed of the current run.
    pub seed: ReadSignal<u64>,
    /// The latest refusal, for a message next to the control that caused it.
    pub message: RwSignal<Option<DriverMessage>>,
    /// A failure the user must see (the error overlay shows it).
    pub fault: RwSignal<Option<String>>,
    set_frame: WriteSignal<FrameStats>,
    set_scenario: WriteSignal<Arc<Scenario>>,
    set_preset: WriteSignal<Option<String>>,
    set_seed: WriteSignal<u64>,
    engine: StoredValue<Engine>,
}

impl SimHandle {
    /// Current simulated time in seconds (reactive, ~15 Hz).
    pub fn time_s(&self) -> f64 {
        self.frame.with(|f| f.t_s)
    }

    /// Reads the engine (animation layer). Not reactive. Do not call back
    /// into the handle from inside `f`.
    pub fn with_engine<R>(&self, f: impl FnOnce(&Engine) -> R) -> R {
        self.engine.with_value(f)
    }

    /// Reads the live simulation (TLS mode, firewall rules, who is up …).
    /// Reactive: a closure calling it re-runs at every frame publication.
    pub fn with_sim<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        self.frame.track();
        self.engine.with_value(|e| f(e.sim()))
    }

    /// Applies the user's `command` (given through `origin`) at the current
    /// simulated time and records it on the timeline. A refusal changes
    /// nothing and is returned and put in [`Self::message`].
    pub fn apply(&self, command: Command, origin: Origin) -> Result<(), CommandError> {
        let mut result = Ok(());
        let sent = command.clone();
        self.engine.update_value(|e| result = e.apply(command, origin));
        match &result {
            Ok(()) => {
                if self
                    .message
                    .with_untracked(|m| matches!(m, Some(DriverMessage::CommandRefused(..))))
                {
                    self.message.set(None);
                }
            }
            Err(err) => self.message.set(Some(DriverMessage::CommandRefused(sent, err.clone()))),
        }
        self.publish();
        result
    }

    /// Puts a script of `origin` on the timeline, its cues timed from now
    /// (those due now land at once); the engine lands each at its time.
    pub fn schedule(&self, origin: Origin, cues: &[Cue]) {
        self.engine.update_value(|e| e.schedule(origin, cues));
        self.publish();
    }

    /// Asks the engine to read the metrics at `at` for the script of
    /// `origin`, and with `pause` to stop playing there (see `Engine::watch`).
    pub fn watch(&self, origin: Origin, at: SimTime, pause: bool) {
        self.engine.update_value(|e| e.watch(origin, at, pause));
    }

    /// Drops what is left of the script of `origin` (commands and marks).
    pub fn stop_script(&self, origin: Origin) {
        self.engine.update_value(|e| e.stop_script(origin));
    }

    /// Starts the run again from time zero with the same scenario; `None`
    /// keeps the seed, `Some(s)` uses seed `s`.
    pub fn restart(&self, seed: Option<u64>) {
        let seed = seed.unwrap_or_else(|| self.seed.get_untracked());
        let scenario = self.scenario.get_untracked();
        self.start(scenario, seed, self.preset.get_untracked());
    }

    /// Switches to a built-in preset (same seed), from time zero.
    pub fn load_preset(&self, name: &str) {
        let Some(json) = presets::source(name) else {
            self.message.set(Some(DriverMessage::UnknownPreset(name.to_string())));
            return;
        };
        match Scenario::from_json(json) {
            Ok(scenario) => {
                self.start(Arc::new(scenario), self.seed.get_untracked(), Some(name.to_string()))
            }
            Err(problems) => self.message.set(Some(DriverMessage::InvalidScenario(problems))),
        }
    }

    /// Runs an already validated scenario (e.g. an imported file), from zero.
    pub fn load_scenario(&self, scenario: Scenario) {
        self.start(Arc::new(scenario), self.seed.get_untracked(), None);
    }

    /// Processes exactly one more simulated event, and pauses.
    pub fn step_forward(&self) {
        self.playing.set(false);
        self.engine_call(|e| e.step());
    }

    /// Goes back to the previous moment (undoing the last → exactly, else
    /// to the last event or command before now), and pauses.
    pub fn step_back(&self) {
        self.playing.set(false);
        self.engine_call(|e| e.step_back());
    }

    /// Jumps to simulated time `t_s` (seconds), clamped to the run so far.
    pub fn seek(&self, t_s: f64) {
        let horizon = self.engine.with_value(|e| e.horizon());
        let t = if t_s.is_finite() {
            SimTime((t_s.max(0.0) * 1e9) as u64).min(horizon)
        } else {
            horizon
        };
        self.engine_call(|e| e.seek(t));
    }

    /// Runs forward to simulated time `t`, past the timeline's end if need
    /// be (opening a shared link replays its run this way); never goes back.
    pub fn run_to(&self, t: SimTime) {
        self.engine_call(|e| e.advance_to(t));
    }

    /// Puts back the last snapshot after a failure and clears the fault; the
    /// scenario, seed, speed and every setting stay as they were.
    pub fn restore_last_good(&self) {
        self.engine.update_value(|e| e.restore_last_good());
        self.fault.set(None);
        self.publish();
    }

    fn start(&self, scenario: Arc<Scenario>, seed: u64, preset: Option<String>) {
        match Engine::new(scenario.clone(), seed) {
            Ok(engine) => {
                self.engine.set_value(engine);
                self.set_scenario.set(scenario);
                self.set_preset.set(preset);
                self.set_seed.set(seed);
                self.message.set(None);
                self.publish();
            }
            Err(SimError::InvalidScenario(problems)) => {
                self.message.set(Some(DriverMessage::InvalidScenario(problems)))
            }
            Err(e) => self.fault.set(Some(e.to_string())),
        }
    }

    fn engine_call(&self, f: impl FnOnce(&mut Engine) -> Result<(), SimError>) {
        let mut result = Ok(());
        self.engine.update_value(|e| result = f(e));
        if let Err(e) = result {
            self.fault.set(Some(e.to_string()));
        }
        self.publish();
    }

    fn publish(&self) {
        let behind = self.frame.with_untracked(|f| f.behind);
        self.publish_with(behind);
    }

    fn publish_with(&self, behind: Option<f64>) {
        // Overwrites the published statistics in place: when no reader
        // still holds the previous metrics, they are copied into its
        // buffers (`clone_from`) rather than allocated again 15 times a
        // second (the allocator's memory never shrinks; issue 7). The
        // engine is read inside the update, and readers are notified after
        // it, once the engine is free again.
        self.set_frame.update(|f| {
            self.engine.with_value(|e| {
                f.t_s = e.now().as_secs_f64();
                f.horizon_s = e.horizon().as_secs_f64();
                match Arc::get_mut(&mut f.metrics) {
                    Some(mine) => mine.clone_from(e.metrics()),
                    None => f.metrics = Arc::new(e.metrics().clone()),
                }
                f.links.clear();
                f.links.extend_from_slice(e.flights.links());
                f.dot_stands_for = e.flights.sample_every();
                f.commands = e.recorded().count();
                f.behind = behind;
            })
        });
    }
}

/// The handle provided by [`provide_sim`].
pub fn use_sim() -> SimHandle {
    use_context::<SimHandle>().expect("provide_sim() runs before any component uses the simulation")
}

/// Creates the run of the default preset, starts the frame loop and puts the
/// handle in context. Call once, at the top of the page.
pub fn provide_sim() -> SimHandle {
    let scenario = Arc::new(presets::default_scenario());
    let engine = Engine::new(scenario.clone(), 1).expect("the default preset is valid");
    let (frame, set_frame) = signal(FrameStats {
        t_s: 0.0,
        horizon_s: 0.0,
        metrics: Arc::new(engine.metrics().clone()),
        links: Vec::new(),
        dot_stands_for: 1,
        commands: 0,
        behind: None,
    });
    let (scenario, set_scenario) = signal(scenario);
    let (preset, set_preset) = signal(Some(presets::DEFAULT.to_string()));
    let (seed, set_seed) = signal(1u64);
    let handle = SimHandle {
        playing: RwSignal::new(true),
        speed: RwSignal::new(1.0),
        frame,
        scenario,
        preset,
        seed,
        message: RwSignal::new(None),
        fault: RwSignal::new(None),
        set_frame,
        set_scenario,
        set_preset,
        set_seed,
        engine: StoredValue::new(engine),
    };
    provide_context(handle);
    handle.publish();
    start_frame_loop(handle);
    handle
}

/// Something drawn once per animation frame, after the simulation moved.
pub type FrameHook = Box<dyn FnMut(&Engine)>;

thread_local! {
    static FRAME_HOOKS: RefCell<Vec<FrameHook>> = const { RefCell::new(Vec::new()) };
}

/// Registers `hook` to run every animation frame, right after the simulation
/// has advanced (the animation layer draws from here). Returns its index for
/// [`remove_frame_hook`].
pub fn add_frame_hook(hook: FrameHook) -> usize {
    FRAME_HOOKS.with(|h| {
        let mut hooks = h.borrow_mut();
        hooks.push(hook);
        hooks.len() - 1
    })
}

/// Replaces a hook by a no-op (indices of the others stay valid).
pub fn remove_frame_hook(index: usize) {
    FRAME_HOOKS.with(|h| {
        if let Some(slot) = h.borrow_mut().get_mut(index) {
            *slot = Box::new(|_| {});
        }
    });
}

struct LoopState {
    performance: Option<web_sys::Performance>,
    last_ms: f64,
    last_stats_ms: f64,
    /// `Flights::visual_ns` and the simulated time at the last sampling
    /// decision (see [`tune_sampling`]).
    last_dot_probe: (u64, u64),
    /// Where each frame reports its phases, when a benchmark asked for it.
    perf_probe: Option<PerfProbe>,
    /// Simulated ns asked for (wall gap × speed) and actually simulated
    /// since `pace_since_ms`, to tell the user when time runs slow.
    pace_asked_ns: f64,
    pace_got_ns: f64,
    pace_since_ms: f64,
    behind: Option<f64>,
    /// Recent drawing time per frame (moving average), wall ms.
    draw_ms: f64,
    /// Simulated ns asked for and not simulated yet (see [`frame`]).
    owed_ns: f64,
}

#[wasm_bindgen]
extern "C" {
    /// The page's global object seen as the place a benchmark may leave a
    /// `__infraboardPerf(simMs, drawMs, publishMs, dots)` function.
    /// `bench/frames` defines it before the app starts; when it is absent
    /// (every normal page) the loop never calls out and pays nothing.
    type PerfProbe;
    #[wasm_bindgen(method, getter, js_name = __infraboardPerf)]
    fn perf_function(this: &PerfProbe) -> JsValue;
    #[wasm_bindgen(method, js_name = __infraboardPerf)]
    fn report(this: &PerfProbe, sim_ms: f64, draw_ms: f64, publish_ms: f64, dots: f64);
}

fn perf_probe() -> Option<PerfProbe> {
    let global: PerfProbe = JsValue::from(window()).unchecked_into();
    global.perf_function().is_function().then_some(global)
}

thread_local! {
    static DOTS_DRAWN: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The animation layer says how many request dots it drew this frame (for
/// the frame benchmark's "about 1,000 on screen").
pub fn note_dots_drawn(n: usize) {
    DOTS_DRAWN.with(|d| d.set(n as u32));
}

/// The one `requestAnimationFrame` closure, able to re-register itself.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

fn start_frame_loop(handle: SimHandle) {
    let state = Rc::new(RefCell::new(LoopState {
        performance: window().performance(),
        last_ms: f64::NAN,
        last_stats_ms: f64::NEG_INFINITY,
        last_dot_probe: (0, 0),
        perf_probe: perf_probe(),
        pace_asked_ns: 0.0,
        pace_got_ns: 0.0,
        pace_since_ms: 0.0,
        behind: None,
        draw_ms: 1.0,
        owed_ns: 0.0,
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

fn frame(handle: SimHandle, state: &mut LoopState, now_ms: f64) {
    let gap = if state.last_ms.is_nan() {
        0.0
    } else {
        (now_ms - state.last_ms).clamp(0.0, MAX_FRAME_GAP_MS)
    };
    state.last_ms = now_ms;
    let speed = speed_of(handle);
    let playing = handle.playing.get_untracked() && handle.fault.get_untracked().is_none();
    let mut failure = None;
    let perf = state.performance.clone();
    let clock = move || perf.as_ref().map_or(0.0, |p| p.now());
    let started = clock();
    let sim_budget = (FRAME_BUDGET_MS - state.draw_ms).clamp(SIM_BUDGET_MIN_MS, SIM_BUDGET_MS);
    let mut moved_ns = 0u64;
    handle.engine.update_value(|e| {
        e.flights.set_min_visible_ns((MIN_VISIBLE_WALL_MS * speed * 1e6) as u64);
        if !playing {
            state.owed_ns = 0.0;
        }
        // Simulated time owed: this frame's share plus what earlier frames
        // could not simulate (a frame preempted by another process, or
        // stopped at a snapshot), up to one long gap's worth, so a short
        // stall is caught up and only a sustained shortfall slows time.
        state.owed_ns = (state.owed_ns + gap * speed * 1e6).min(MAX_FRAME_GAP_MS * speed * 1e6);
        if playing && state.owed_ns >= 1.0 {
            let from = e.now();
            // Advance in slices and stop when the frame's budget is spent: at
            // rates the machine cannot simulate in real time, time runs
            // slower than asked instead of freezing the page.
            let target = e.now().plus_nanos(state.owed_ns as u64);
            let mut slice = ((target.0 - e.now().0) / 4).clamp(1, MAX_SLICE_NS);
            let mut checked = started;
            loop {
                let next = e.now().plus_nanos(slice).min(target);
                match e.advance_to_stop(next) {
                    Err(err) => {
                        failure = Some(err.to_string());
                        break;
                    }
                    // Copying the simulation can take longer than a whole
                    // frame's budget at high rates: this frame stops here
                    // and the copy is taken after it is painted. (Or a
                    // script's mark stops play here.)
                    Ok(true) => break,
                    Ok(false) => {}
                }
                let t = clock();
                if next >= target || t - started > sim_budget {
                    break;
                }
                // At low rates a slice is mostly overhead: one that took
                // almost nothing doubles, so a quiet run does not spend
                // its budget on hundreds of budget checks.
                if t - checked < CHEAP_SLICE_MS {
                    slice = slice.saturating_mul(2);
                }
                checked = t;
            }
            moved_ns = e.now().0.saturating_sub(from.0);
            state.owed_ns = (state.owed_ns - moved_ns as f64).max(0.0);
        }
    });
    track_pace(state, playing, gap * speed * 1e6, moved_ns as f64, now_ms);
    if let Some(msg) = failure {
        handle.playing.set(false);
        handle.fault.set(Some(msg));
    }
    if handle.engine.try_update_value(Engine::take_pause).unwrap_or(false) {
        handle.playing.set(false);
    }
    if handle.engine.with_value(|e| e.snapshot_due()) {
        settle_snapshot_after_paint(handle);
    }
    let simulated = clock();
    handle.engine.with_value(|e| {
        FRAME_HOOKS.with(|h| {
            for hook in h.borrow_mut().iter_mut() {
                hook(e);
            }
        })
    });
    let drawn = clock();
    // A spike (a resize, a first glyph) should not starve the simulation
    // for long: the average forgets within a few frames.
    state.draw_ms += ((drawn - simulated).min(20.0) - state.draw_ms) * 0.2;
    if now_ms - state.last_stats_ms >= STATS_EVERY_MS {
        state.last_stats_ms = now_ms;
        tune_sampling(handle, state);
        handle.publish_with(state.behind);
    }
    if let Some(probe) = &state.perf_probe {
        let published = clock();
        let dots = DOTS_DRAWN.with(|d| d.get());
        probe.report(simulated - started, drawn - simulated, published - drawn, dots.into());
    }
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

/// Over each wall second of play, compares the simulated time asked for with
/// the time simulated: below 90%, the run is "behind" and the time bar says
/// at what speed it really runs. Pausing clears it.
fn track_pace(state: &mut LoopState, playing: bool, asked_ns: f64, got_ns: f64, now_ms: f64) {
    if !playing {
        state.pace_asked_ns = 0.0;
        state.pace_got_ns = 0.0;
        state.pace_since_ms = now_ms;
        state.behind = None;
        return;
    }
    state.pace_asked_ns += asked_ns;
    state.pace_got_ns += got_ns;
    let wall_ms = now_ms - state.pace_since_ms;
    if wall_ms < 1000.0 {
        return;
    }
    state.behind = (state.pace_asked_ns > 0.0 && state.pace_got_ns < 0.9 * state.pace_asked_ns)
        .then(|| state.pace_got_ns / 1e6 / wall_ms);
    state.pace_asked_ns = 0.0;
    state.pace_got_ns = 0.0;
    state.pace_since_ms = now_ms;
}

/// Picks "1 dot = N requests" so that about [`DOT_TARGET`] dots are on
/// screen. The measure is the visual time of the hops actually taken over the
/// last simulated second (whatever the preset, the drops or the hop
/// durations): at the current N it says how many dots were on screen on
/// average, and so what any other N would show. N only changes when the
/// count leaves [`DOT_BAND`] around the target, and moves on a 1-1.5-2-2.5-3-
/// 4-5-6-8 grid, so the legend does not flicker.
fn tune_sampling(handle: SimHandle, state: &mut LoopState) {
    handle.engine.update_value(|e| {
        let (visual, now) = (e.flights.visual_ns(), e.now().0);
        let (v0, t0) = state.last_dot_probe;
        if now <= t0 || visual < v0 {
            state.last_dot_probe = (visual, now);
            return;
        }
        if now - t0 < SAMPLING_WINDOW_NS {
            return;
        }
        state.last_dot_probe = (visual, now);
        let every = e.flights.sample_every();
        let on_screen = (visual - v0) as f64 / (now - t0) as f64;
        let (low, high) = (DOT_TARGET * DOT_BAND.0, DOT_TARGET * DOT_BAND.1);
        if (low..=high).contains(&on_screen) || (on_screen < low && every == 1) {
            return;
        }
        e.flights.set_sample_every(nice_round(on_screen * every as f64 / DOT_TARGET));
    });
}

/// The value of the 1-1.5-2-2.5-3-4-5-6-8 (× 10^k) grid nearest to `x`
/// (in ratio), at least 1.
fn nice_round(x: f64) -> u64 {
    if x.is_nan() || x <= 1.0 {
        return 1;
    }
    if x >= 1e18 {
        return u64::MAX;
    }
    const GRID: [f64; 10] = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0];
    let decade = 10f64.powi(x.log10().floor() as i32);
    let m = x / decade;
    let best = GRID
        .iter()
        .copied()
        .min_by(|a, b| (a / m).ln().abs().total_cmp(&(b / m).ln().abs()))
        .unwrap_or(1.0);
    (best * decade).round() as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn dot_sampling_moves_on_a_readable_grid() {
        assert_eq!(super::nice_round(0.3), 1);
        assert_eq!(super::nice_round(1.2), 1);
        assert_eq!(super::nice_round(1.6), 2);
        assert_eq!(super::nice_round(3.4), 3);
        assert_eq!(super::nice_round(6.4), 6);
        assert_eq!(super::nice_round(9.5), 10);
        assert_eq!(super::nice_round(1562.0), 1500);
        assert_eq!(super::nice_round(f64::NAN), 1);
        assert_eq!(super::nice_round(f64::INFINITY), u64::MAX);
    }
}
