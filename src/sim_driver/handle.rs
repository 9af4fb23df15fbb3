//! The handle every component reads and steers the run through: the
//! published [`FrameStats`], the run's scenario, preset and seed, and the
//! user's requests (commands, restart, presets, stepping, seeking). It also
//! holds the frame's consumers ([`FrameConsumers`]) that the frame loop
//! hands each animation frame to.

use super::consumers::{FrameConsumers, FrameRecorder, RequestPainter};
use super::engine::Engine;
use super::flights;
use super::history::{ChangeBy, Design, History};
use crate::watched::Watched;
use infraboard_sim::design::same_but_layout;
use infraboard_sim::{
    presets, Command, CommandError, Cue, Diagnostic, Metrics, Origin, Scenario, SimError, SimTime,
    Simulation,
};
use leptos::prelude::*;
use std::sync::Arc;

/// Lowest and highest speed factor (simulated seconds per wall second).
pub const SPEED_RANGE: (f64, f64) = (0.1, 100.0);

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
    pub playing: Watched<bool>,
    /// Simulated seconds per wall second; values outside 0.1–100 (or NaN)
    /// are clamped by the driver, never trusted.
    pub speed: Watched<f64>,
    /// Latest published statistics (read-only for components: the driver
    /// overwrites it about 15 times a second).
    pub frame: Watched<FrameStats>,
    /// The scenario being simulated.
    pub scenario: Watched<Arc<Scenario>>,
    /// How many runs have started on this page. The board draws a design's
    /// pieces anew for each run; a move of a piece changes [`Self::scenario`]
    /// under the same run, and the board only moves what it drew.
    pub runs: Watched<u64>,
    /// Name of the preset it came from (`None` for an imported scenario).
    pub preset: Watched<Option<String>>,
    /// The seed of the current run.
    pub seed: Watched<u64>,
    /// The latest refusal, for a message next to the control that caused it.
    pub message: Watched<Option<DriverMessage>>,
    /// A failure the user must see (the error overlay shows it).
    pub fault: Watched<Option<String>>,
    /// The design changes Ctrl+Z can take back (editor and review alike).
    history: Watched<History>,
    /// The run itself; the frame loop advances it.
    pub(super) engine: StoredValue<Engine>,
    /// Who draws from the engine every animation frame.
    pub(super) consumers: StoredValue<FrameConsumers, LocalStorage>,
}

impl SimHandle {
    /// Current simulated time in seconds (reactive, ~15 Hz).
    pub fn time_s(&self) -> f64 {
        self.frame.with(|f| f.t_s)
    }

    /// Reads the running design for what does not depend on where its
    /// pieces are drawn (names, parts, wiring, rules). Tracked by run: a
    /// moved piece keeps the run, and re-runs none of it.
    pub fn with_design<R>(&self, f: impl FnOnce(&Scenario) -> R) -> R {
        self.runs.track();
        self.scenario.with_untracked(|s| f(s))
    }

    /// The running design, for what does not depend on where its pieces
    /// are drawn; tracked by run, like [`Self::with_design`].
    pub fn design(&self) -> Arc<Scenario> {
        self.runs.track();
        self.scenario.get_untracked()
    }

    /// Reads the engine (animation layer). Not reactive. Do not call back
    /// into the handle from inside `f`.
    pub fn with_engine<R>(&self, f: impl FnOnce(&Engine) -> R) -> R {
        self.engine.with_value(f)
    }

    /// Hands every animation frame to `painter` (the board's request
    /// layer), right after the simulation moved; `None` drops the one there
    /// (its view unmounted).
    pub fn set_request_painter(&self, painter: Option<Box<dyn RequestPainter>>) {
        self.consumers.try_update_value(|c| c.requests = painter);
    }

    /// Hands every animation frame to `recorder` (a recording in progress),
    /// after the request layer is painted; `None` drops it (recording over).
    pub fn set_recorder(&self, recorder: Option<Box<dyn FrameRecorder>>) {
        self.consumers.try_update_value(|c| c.recording = recorder);
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

    /// Runs `design` (an edited one), keeping the very `Arc` it is given as
    /// [`Self::scenario`]. When it differs from the running design only in
    /// where nodes are drawn (the sim's `design::same_but_layout`), the run
    /// carries on and only the drawing changes; otherwise the run starts
    /// again from zero, same seed. Returns whether it started again. The
    /// editor's changes, the review's fixes and their undo go through it.
    pub fn load_design(&self, design: Arc<Scenario>, preset: Option<String>) -> bool {
        if self.engine.with_value(|e| same_but_layout(e.scenario(), &design)) {
            self.engine.update_value(|e| e.redraw(design.clone()));
            self.scenario.set(design);
            self.preset.set(preset);
            return false;
        }
        self.start(design, self.seed.get_untracked(), preset);
        true
    }

    /// Runs `next` in place of the running design as one change that can
    /// be undone (see [`super::history`]); whether the run started again.
    pub fn change_design(&self, next: Arc<Scenario>, by: ChangeBy) -> bool {
        let before =
            Design { scenario: self.scenario.get_untracked(), preset: self.preset.get_untracked() };
        let after = Design { scenario: next, preset: None };
        self.history.update(|h| h.record(before, after.clone(), by));
        self.load_design(after.scenario, after.preset)
    }

    /// Takes back the last design change (`redo` false), or makes the last
    /// one taken back again: who had made it and whether the run started
    /// again; `None` when there is none while the running design runs.
    pub fn step_design(&self, redo: bool) -> Option<(ChangeBy, bool)> {
        let running = self.scenario.get_untracked();
        let by = self.history.with_untracked(|h| h.next_by(redo, &running))?;
        let mut design = None;
        self.history.update(|h| design = if redo { h.redo(&running) } else { h.undo(&running) });
        let design = design?;
        Some((by, self.load_design(design.scenario, design.preset)))
    }

    /// Who made the change [`Self::step_design`] would take now (reactive).
    pub fn next_design_step(&self, redo: bool) -> Option<ChangeBy> {
        let running = self.scenario.get();
        self.history.with(|h| h.next_by(redo, &running))
    }

    /// [`Self::next_design_step`], not tracked (for event handlers).
    pub fn next_design_step_untracked(&self, redo: bool) -> Option<ChangeBy> {
        let running = self.scenario.get_untracked();
        self.history.with_untracked(|h| h.next_by(redo, &running))
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
                self.scenario.set(scenario);
                self.runs.update(|n| *n += 1);
                self.preset.set(preset);
                self.seed.set(seed);
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

    pub(super) fn publish_with(&self, behind: Option<f64>) {
        // Overwrites the published statistics in place: when no reader
        // still holds the previous metrics, they are copied into its
        // buffers (`clone_from`) rather than allocated again 15 times a
        // second (the allocator's memory never shrinks; issue 7). The
        // engine is read inside the update, and readers are notified after
        // it, once the engine is free again.
        self.frame.update(|f| {
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
    let frame = Watched::new(FrameStats {
        t_s: 0.0,
        horizon_s: 0.0,
        metrics: Arc::new(engine.metrics().clone()),
        links: Vec::new(),
        dot_stands_for: 1,
        commands: 0,
        behind: None,
    });
    let scenario = Watched::new(scenario);
    let preset = Watched::new(Some(presets::DEFAULT.to_string()));
    let seed = Watched::new(1u64);
    let handle = SimHandle {
        playing: Watched::new(true),
        speed: Watched::new(1.0),
        frame,
        scenario,
        runs: Watched::new(0),
        preset,
        seed,
        message: Watched::new(None),
        fault: Watched::new(None),
        history: Watched::new(History::default()),
        engine: StoredValue::new(engine),
        consumers: StoredValue::new_local(FrameConsumers::default()),
    };
    provide_context(handle);
    handle.publish();
    super::frame_loop::start(handle);
    handle
}
