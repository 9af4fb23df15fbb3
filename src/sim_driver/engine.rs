//! The non-reactive core of the driver: one simulation, its timeline (every
//! command the run receives, with its time and origin: see
//! [`infraboard_sim::timeline`] for the rule of a user command while a
//! script runs), and what is needed to travel in time over them (periodic
//! snapshots).
//!
//! Plain Rust, no web types, so it is unit-tested natively. Seeking back
//! restores the latest snapshot at or before the target and replays the
//! timeline forward; because the simulation is deterministic, the replayed
//! future is the same one the user saw, scripts included.
//!
//! Scripts (a scene, a challenge, a shared link) are put on the timeline
//! ahead of time ([`Engine::schedule`]) and each command lands at exactly
//! its simulated time, however the frames slice time. A [`Mark`] asks the
//! engine to read the metrics at an exact time (after that instant's
//! events, before its commands), and optionally to stop there
//! ([`Engine::advance_to_stop`] then returns, and [`Engine::take_pause`]
//! tells the frame loop to pause).
//!
//! Step back ([`Engine::step_back`]) goes to the previous moment anything
//! happened: undoing a → exactly when there is one to undo, otherwise the
//! last simulation event or landed command strictly before now, found by
//! replaying from the nearest earlier snapshot one moment at a time.
//!
//! Snapshot slots are reused: a snapshot that is thinned out or forgotten
//! keeps its copy of the simulation as a spare, and the next snapshot is
//! copied into it (`clone_from`, into the buffers already there) instead of
//! being allocated afresh. At 100× that is 50 snapshots a wall second;
//! allocating and freeing each one's ~3,000 blocks fragmented wasm's
//! allocator, whose memory never shrinks, by ~0.15 MB per 1,000 simulated
//! seconds (issue 7).

use super::flights::Flights;
use infraboard_sim::{
    Command, CommandError, Cue, Entry, Metrics, Origin, Refused, Scenario, SimError, SimTime,
    Simulation, Timeline,
};
use std::collections::VecDeque;
use std::sync::Arc;

/// Simulated time between two snapshots.
const SNAPSHOT_EVERY_NS: u64 = 2_000_000_000;
/// Upper bound on stored snapshots; past it every other one is dropped, so the
/// whole run stays reachable at a coarser grain and memory stays bounded.
const MAX_SNAPSHOTS: usize = 64;
/// Copies of the simulation kept at most, snapshots and spares together
/// (the snapshots reach `MAX_SNAPSHOTS + 1` just before a thinning).
#[cfg(test)]
pub const MAX_SLOTS: usize = MAX_SNAPSHOTS + 1;

/// A saved simulation state.
struct Snapshot {
    at: SimTime,
    sim: Simulation,
    /// How many timeline entries had landed when it was taken.
    applied: usize,
}

/// A time at which the owner of a script wants the metrics read, exactly.
#[derive(Clone, Debug)]
pub struct Mark {
    /// The script that asked for it.
    pub origin: Origin,
    /// When: after the simulation's events of that instant, before the
    /// timeline's commands due then.
    pub at: SimTime,
    /// Whether playing stops there (the frame loop pauses).
    pub pause: bool,
    /// The metrics read there, once the run has reached it.
    pub reading: Option<Metrics>,
}

/// One simulation run that can be moved forward, back and restarted.
pub struct Engine {
    scenario: Arc<Scenario>,
    sim: Simulation,
    snapshots: VecDeque<Snapshot>,
    /// Copies of the simulation that no snapshot uses any more, to be
    /// overwritten by the next snapshots. Snapshots and spares together
    /// never exceed `MAX_SNAPSHOTS + 1`.
    spare: Vec<Simulation>,
    /// Every command of the run, landed or scheduled, with its time and origin.
    timeline: Timeline,
    /// Scheduled commands the simulation refused when they landed.
    refused: Vec<Refused>,
    /// Times to read the metrics at, in time order.
    marks: Vec<Mark>,
    /// The run stopped at a pausing mark and the frame loop has not paused yet.
    pause_due: bool,
    /// The furthest simulated time reached in this run (end of the timeline).
    horizon: SimTime,
    /// Times reached by single steps, so ← undoes → exactly.
    step_trail: Vec<SimTime>,
    /// Hops in flight, for the animation layer.
    pub flights: Flights,
    /// The run stopped at a snapshot time and the copy is still to take.
    snapshot_due: bool,
}

/// Where [`Engine::advance`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// It reached the target.
    Reached,
    /// At a snapshot time, the copy left for later.
    Snapshot,
    /// At a pausing mark.
    Pause,
}

impl Engine {
    /// Starts a run of `scenario` with `seed`.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Result<Engine, SimError> {
        let sim = Simulation::new(&scenario, seed)?;
        let mut snapshots = VecDeque::with_capacity(MAX_SNAPSHOTS + 1);
        snapshots.push_back(Snapshot { at: SimTime::ZERO, sim: sim.clone(), applied: 0 });
        Ok(Engine {
            scenario,
            sim,
            snapshots,
            spare: Vec::with_capacity(MAX_SNAPSHOTS + 1),
            timeline: Timeline::new(),
            refused: Vec::new(),
            marks: Vec::new(),
            pause_due: false,
            horizon: SimTime::ZERO,
            step_trail: Vec::new(),
            flights: Flights::new(),
            snapshot_due: false,
        })
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    /// Draws the run as `scenario` from now on, without touching the run:
    /// only for a design that differs from the one running in where its
    /// nodes are drawn (the simulation never reads a position).
    pub fn redraw(&mut self, scenario: Arc<Scenario>) {
        self.scenario = scenario;
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    /// The furthest time this run has reached.
    pub fn horizon(&self) -> SimTime {
        self.horizon
    }

    /// Ground-truth counters of the run.
    pub fn metrics(&self) -> &Metrics {
        self.sim.metrics()
    }

    /// The simulation itself, read-only (for the inspector's counters).
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// Copies of the simulation held for time travel: snapshots and spares
    /// (at most [`MAX_SLOTS`]).
    #[cfg(test)]
    pub fn slots(&self) -> usize {
        self.snapshots.len() + self.spare.len()
    }

    /// The most recent snapshot: the "last good state" the error overlay
    /// offers to restore.
    pub fn last_snapshot_time(&self) -> SimTime {
        self.snapshots.back().map_or(SimTime::ZERO, |s| s.at)
    }

    /// Moves forward to `t`, feeding every reported event to the flights.
    pub fn advance_to(&mut self, t: SimTime) -> Result<(), SimError> {
        self.advance(t, false).map(|_| ())
    }

    /// Like [`Engine::advance_to`], but stops early: at the next snapshot
    /// time on the way, leaving the copy for later (then
    /// [`Engine::settle_snapshot`] takes it; any other call that changes
    /// the run takes it first), or at a pausing [`Mark`] (then
    /// [`Engine::take_pause`] says so). Returns `true` when it stopped
    /// early. Copying the simulation costs milliseconds when many requests
    /// are queued (~6 ms natively at 100,000 QPS), so the frame loop takes
    /// it after the frame is painted rather than inside the frame.
    pub fn advance_to_stop(&mut self, t: SimTime) -> Result<bool, SimError> {
        self.advance(t, true).map(|stop| stop != Stop::Reached)
    }

    /// Whether the run stands at a snapshot time whose copy is not taken yet.
    pub fn snapshot_due(&self) -> bool {
        self.snapshot_due
    }

    /// Takes the snapshot [`Engine::advance_to_stop`] left for later.
    pub fn settle_snapshot(&mut self) {
        if std::mem::take(&mut self.snapshot_due) && self.sim.now() > self.last_snapshot_time() {
            self.save_snapshot();
        }
    }

    /// Whether the run reached a pausing mark since the last call (the
    /// frame loop then pauses).
    pub fn take_pause(&mut self) -> bool {
        std::mem::take(&mut self.pause_due)
    }

    fn advance(&mut self, t: SimTime, stop_early: bool) -> Result<Stop, SimError> {
        self.settle_snapshot();
        if t <= self.sim.now() {
            return Ok(Stop::Reached);
        }
        // Cross snapshot boundaries and marks one at a time so each snapshot
        // gets saved and each reading is taken at its exact time; the
        // timeline lands its commands at their own times on the way.
        loop {
            let next_snap = self.next_snapshot_time();
            let mut target = t.min(next_snap);
            if let Some(mark) = self.next_mark().filter(|at| *at < target) {
                // A mark asked for after its time is read where the run stands.
                target = mark.max(self.sim.now());
            }
            self.timeline.run_to(&mut self.sim, target, &mut self.refused)?;
            let paused = self.read_marks(stop_early);
            self.timeline.land_due(&mut self.sim, &mut self.refused);
            self.drain();
            if target == next_snap && target > self.last_snapshot_time() {
                if stop_early {
                    self.snapshot_due = true;
                } else {
                    self.save_snapshot();
                }
            }
            let stop = if paused {
                Stop::Pause
            } else if self.snapshot_due {
                Stop::Snapshot
            } else {
                Stop::Reached
            };
            if stop != Stop::Reached || target >= t {
                self.horizon = self.horizon.max(target);
                self.step_trail.clear();
                return Ok(stop);
            }
        }
    }

    /// Applies a user's command now and records it on the timeline: the
    /// recorded future of the user's own commands is dropped, the scripts'
    /// future is kept (see [`infraboard_sim::timeline`]). Snapshots after
    /// now belonged to the other branch.
    pub fn apply(&mut self, command: Command, origin: Origin) -> Result<(), CommandError> {
        self.settle_snapshot();
        self.sim.apply(command.clone())?;
        let now = self.sim.now();
        self.timeline.record(now, command, origin);
        self.new_branch();
        Ok(())
    }

    /// Puts a script on the timeline, its cues timed from now; those due
    /// now land at once, after the readings of marks due now (so a script
    /// watches first, then schedules). Starting a script is the user's
    /// doing: like a command, it drops the user's recorded future.
    pub fn schedule(&mut self, origin: Origin, cues: &[Cue]) {
        self.settle_snapshot();
        let now = self.sim.now();
        self.timeline.cancel_user_future();
        self.timeline.schedule(origin, now, cues);
        self.read_marks(false);
        self.timeline.land_due(&mut self.sim, &mut self.refused);
        self.new_branch();
    }

    /// Stops the script of `origin`: its commands not landed yet and its
    /// marks are dropped.
    pub fn stop_script(&mut self, origin: Origin) {
        self.timeline.cancel(origin);
        self.marks.retain(|m| m.origin != origin);
    }

    /// The timeline: every command of the run with its time and origin.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The commands the run has reached (landed, or recorded ahead of a
    /// rewind), with their times: what a shared link carries.
    pub fn recorded(&self) -> impl Iterator<Item = &Entry> {
        let horizon = self.horizon;
        self.timeline.entries().iter().filter(move |e| e.at <= horizon)
    }

    /// Scheduled commands refused when they landed, oldest first.
    pub fn refused(&self) -> &[Refused] {
        &self.refused
    }

    /// Asks, for the script of `origin`, for the metrics at `at` (and,
    /// with `pause`, for playing to stop there); [`Engine::reading`] gives
    /// them once the run gets there.
    pub fn watch(&mut self, origin: Origin, at: SimTime, pause: bool) {
        let i = self.marks.partition_point(|m| m.at <= at);
        self.marks.insert(i, Mark { origin, at, pause, reading: None });
    }

    /// The metrics read at the mark at `at`, once reached.
    pub fn reading(&self, at: SimTime) -> Option<&Metrics> {
        self.marks.iter().find(|m| m.at == at)?.reading.as_ref()
    }

    /// The marks, in time order.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    fn next_mark(&self) -> Option<SimTime> {
        self.marks.iter().find(|m| m.reading.is_none()).map(|m| m.at)
    }

    /// Reads the marks due at or before now; returns whether one of them
    /// pauses (and, when `pausing`, notes it for the frame loop).
    fn read_marks(&mut self, pausing: bool) -> bool {
        let now = self.sim.now();
        let mut paused = false;
        for mark in self.marks.iter_mut().filter(|m| m.reading.is_none() && m.at <= now) {
            mark.reading = Some(self.sim.metrics().clone());
            paused |= mark.pause && pausing;
        }
        self.pause_due |= paused;
        paused
    }

    fn new_branch(&mut self) {
        let now = self.sim.now();
        self.recycle_snapshots(|_, s| s.at > now);
        self.horizon = now;
        self.drain();
    }

    /// Processes exactly the next moment (→ in the UI): the next scheduled
    /// event, or the commands due at the next entry's time if that comes
    /// first.
    pub fn step(&mut self) -> Result<(), SimError> {
        self.settle_snapshot();
        let from = self.sim.now();
        if !self.step_once()? {
            return Ok(());
        }
        self.drain();
        self.horizon = self.horizon.max(self.sim.now());
        self.step_trail.push(from);
        Ok(())
    }

    /// One moment forward, marks read on the way; `false` if nothing is left.
    fn step_once(&mut self) -> Result<bool, SimError> {
        let Some(next) = self.timeline.next_moment(&self.sim) else { return Ok(false) };
        let mark = self.next_mark();
        if mark.is_some_and(|m| m < next) {
            // Nothing happens between now and the next moment: the state
            // as it stands is the state at the mark.
            self.read_marks_before(next);
        } else if mark == Some(next) && self.timeline.next_at() == Some(next) {
            // The events of that instant, then the mark, then the commands.
            self.sim.advance_to(next)?;
            self.read_marks(false);
        }
        Ok(self.timeline.step(&mut self.sim, &mut self.refused).is_some())
    }

    fn read_marks_before(&mut self, next: SimTime) {
        for mark in self.marks.iter_mut().filter(|m| m.reading.is_none() && m.at < next) {
            mark.reading = Some(self.sim.metrics().clone());
        }
    }

    /// Goes back one moment, and pauses nothing (the caller does): to where
    /// the last → came from if there is one to undo, else to the time of
    /// the last simulation event or landed command strictly before now.
    pub fn step_back(&mut self) -> Result<(), SimError> {
        self.settle_snapshot();
        if let Some(from) = self.step_trail.pop() {
            let trail = std::mem::take(&mut self.step_trail);
            self.seek(from)?;
            self.step_trail = trail;
            return Ok(());
        }
        let now = self.sim.now();
        if now == SimTime::ZERO {
            return Ok(());
        }
        let horizon = self.horizon;
        // From the latest snapshot before now; when nothing at all happened
        // between it and now, from the one before, and so on.
        let mut found = false;
        for i in (0..self.snapshots.len()).rev() {
            if self.snapshots[i].at >= now {
                continue;
            }
            self.restore(i);
            if self.replay_moments_before(now)? {
                found = true;
                break;
            }
        }
        if !found {
            // Nothing happened before now: the start of the run.
            self.restore(0);
            self.timeline.land_due(&mut self.sim, &mut self.refused);
        }
        self.drain();
        self.horizon = horizon;
        Ok(())
    }

    /// Replays one moment at a time while the next one is before `t`;
    /// returns whether any was replayed (the run then stands at the last).
    fn replay_moments_before(&mut self, t: SimTime) -> Result<bool, SimError> {
        let mut any = false;
        while self.timeline.next_moment(&self.sim).is_some_and(|next| next < t) {
            if !self.step_once()? {
                break;
            }
            any = true;
            self.drain();
        }
        Ok(any)
    }

    /// Moves to any time: back by snapshot + replay, forward by advancing.
    pub fn seek(&mut self, t: SimTime) -> Result<(), SimError> {
        self.settle_snapshot();
        if t >= self.sim.now() {
            return self.advance_to(t);
        }
        let i = self.snapshots.iter().rposition(|s| s.at <= t).unwrap_or(0);
        let horizon = self.horizon;
        self.restore(i);
        self.advance_to(t)?;
        self.horizon = horizon;
        Ok(())
    }

    /// Puts back the most recent snapshot (the error overlay's "restore");
    /// the timeline's later commands land again when time moves on.
    pub fn restore_last_good(&mut self) {
        self.settle_snapshot();
        if !self.snapshots.is_empty() {
            self.restore(self.snapshots.len() - 1);
        }
    }

    /// Makes snapshot `i` the current state; readings after it are
    /// forgotten (the run reads them again when it gets there).
    fn restore(&mut self, i: usize) {
        let snap = &self.snapshots[i];
        self.sim.clone_from(&snap.sim);
        self.timeline.rewind(snap.applied);
        let at = snap.at;
        for mark in self.marks.iter_mut().filter(|m| m.at > at) {
            mark.reading = None;
        }
        self.pause_due = false;
        self.flights.clear();
    }

    fn next_snapshot_time(&self) -> SimTime {
        let now = self.sim.now().0;
        SimTime((now / SNAPSHOT_EVERY_NS + 1) * SNAPSHOT_EVERY_NS)
    }

    fn save_snapshot(&mut self) {
        let at = self.sim.now();
        self.recycle_snapshots(|_, s| s.at >= at);
        let sim = match self.spare.pop() {
            Some(mut slot) => {
                slot.clone_from(&self.sim);
                slot
            }
            None => self.sim.clone(),
        };
        self.snapshots.push_back(Snapshot { at, sim, applied: self.timeline.applied() });
        if self.snapshots.len() > MAX_SNAPSHOTS {
            // Keep index 0 (time zero) and the newest; thin the middle.
            let last = self.snapshots.len() - 1;
            self.recycle_snapshots(|i, _| !(i == 0 || i == last || i.is_multiple_of(2)));
        }
    }

    /// Forgets the snapshots for which `forget(index, snapshot)` holds, in
    /// place, keeping their copies of the simulation as spares.
    fn recycle_snapshots(&mut self, forget: impl Fn(usize, &Snapshot) -> bool) {
        for i in 0..self.snapshots.len() {
            let Some(snap) = self.snapshots.pop_front() else { break };
            if forget(i, &snap) {
                self.spare.push(snap.sim);
            } else {
                self.snapshots.push_back(snap);
            }
        }
    }

    fn drain(&mut self) {
        self.flights.set_sim_sampling(self.sim.sample_every());
        while let Some(event) = self.sim.poll_event() {
            self.flights.ingest(&event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    fn engine() -> Engine {
        Engine::new(Arc::new(presets::default_scenario()), 7).unwrap()
    }

    #[test]
    fn seeking_back_then_forward_gives_the_same_future() {
        let mut e = engine();
        e.advance_to(SimTime::from_secs(9)).unwrap();
        let first = e.metrics().clone();
        e.seek(SimTime::from_millis(3_500)).unwrap();
        assert_eq!(e.now(), SimTime::from_millis(3_500));
        assert!(e.metrics().requests < first.requests, "going back undoes requests");
        e.seek(SimTime::from_secs(9)).unwrap();
        assert_eq!(e.metrics(), &first);
    }

    #[test]
    fn a_rewound_run_replays_the_users_commands_at_their_times() {
        use infraboard_sim::{Command, NodeRef};
        let mut e = engine();
        e.advance_to(SimTime::from_secs(3)).unwrap();
        e.apply(Command::Kill(NodeRef::PrimaryDb), Origin::Control).unwrap();
        e.advance_to(SimTime::from_secs(8)).unwrap();
        let first = e.metrics().clone();
        assert!(first.writes_failed > 0, "killing the primary fails writes");
        e.seek(SimTime::from_secs(1)).unwrap();
        assert_eq!(e.metrics().writes_failed, 0);
        e.seek(SimTime::from_secs(8)).unwrap();
        assert_eq!(e.metrics(), &first);
    }

    #[test]
    fn a_command_after_rewinding_starts_a_new_branch() {
        use infraboard_sim::{Command, NodeRef};
        let mut e = engine();
        e.advance_to(SimTime::from_secs(3)).unwrap();
        e.apply(Command::Kill(NodeRef::PrimaryDb), Origin::Control).unwrap();
        e.advance_to(SimTime::from_secs(6)).unwrap();
        e.seek(SimTime::from_secs(1)).unwrap();
        e.apply(Command::SetRate { qps: 10.0 }, Origin::Control).unwrap();
        assert_eq!(
            e.timeline().entries().len(),
            1,
            "the recorded kill belonged to the abandoned future"
        );
        e.advance_to(SimTime::from_secs(6)).unwrap();
        assert_eq!(e.metrics().writes_failed, 0);
    }

    #[test]
    fn step_back_returns_to_where_the_step_started() {
        let mut e = engine();
        e.advance_to(SimTime::from_secs(1)).unwrap();
        let before = e.now();
        e.step().unwrap();
        e.step().unwrap();
        assert!(e.now() > before);
        e.step_back().unwrap();
        e.step_back().unwrap();
        assert_eq!(e.now(), before);
    }

    #[test]
    fn a_snapshot_left_for_later_is_the_same_as_one_taken_at_once() {
        let mut now = engine();
        now.advance_to(SimTime::from_secs(5)).unwrap();
        let mut later = engine();
        let mut stops = 0;
        while later.now() < SimTime::from_secs(5) {
            if later.advance_to_stop(SimTime::from_secs(5)).unwrap() {
                stops += 1;
                assert!(later.snapshot_due());
                assert_eq!(later.now().0 % SNAPSHOT_EVERY_NS, 0, "it stops at a snapshot time");
                later.settle_snapshot();
            }
        }
        assert_eq!(stops, 2, "at 2 s and 4 s");
        let times = |e: &Engine| e.snapshots.iter().map(|s| s.at).collect::<Vec<_>>();
        assert_eq!(times(&now), times(&later));
        now.seek(SimTime::from_millis(2_500)).unwrap();
        later.seek(SimTime::from_millis(2_500)).unwrap();
        assert_eq!(now.metrics(), later.metrics());
    }

    #[test]
    fn a_command_takes_a_pending_snapshot_first() {
        use infraboard_sim::{Command, NodeRef};
        let mut e = engine();
        assert!(e.advance_to_stop(SimTime::from_secs(3)).unwrap());
        let primary_up = |e: &Engine| e.sim().databases().iter().any(|d| d.primary && d.up);
        assert!(primary_up(&e));
        e.apply(Command::Kill(NodeRef::PrimaryDb), Origin::Control).unwrap();
        assert!(!e.snapshot_due());
        assert!(!primary_up(&e));
        e.advance_to(SimTime::from_secs(5)).unwrap();
        // The copy at 2 s is the moment just before the kill …
        e.seek(SimTime::from_secs(2)).unwrap();
        assert!(primary_up(&e));
        // … and playing on from it replays the kill.
        e.advance_to(SimTime::from_secs(4)).unwrap();
        assert!(!primary_up(&e));
        assert!(e.metrics().writes_failed > 0);
    }

    #[test]
    fn snapshots_stay_bounded_on_long_runs() {
        let mut e = engine();
        e.advance_to(SimTime::from_secs(400)).unwrap();
        assert!(e.snapshots.len() <= MAX_SNAPSHOTS);
        assert_eq!(e.snapshots.front().unwrap().at, SimTime::ZERO);
        e.seek(SimTime::from_secs(3)).unwrap();
        assert_eq!(e.now(), SimTime::from_secs(3));
    }

    /// A bare simulation with `cues` applied at their exact times, run to `end`.
    fn bare_with(cues: &[(SimTime, Command)], end: SimTime) -> Simulation {
        let mut sim = Simulation::new(&presets::default_scenario(), 7).unwrap();
        for (at, command) in cues {
            sim.advance_to(*at).unwrap();
            sim.apply(command.clone()).unwrap();
        }
        sim.advance_to(end).unwrap();
        sim
    }

    #[test]
    fn a_scripts_command_lands_at_its_exact_time_whatever_the_frame_slicing() {
        use infraboard_sim::NodeRef;
        let kill = Command::Kill(NodeRef::PrimaryDb);
        let rate = Command::SetRate { qps: 300.0 };
        let start = SimTime::from_millis(1_234);
        let end = SimTime::from_secs(9);
        let bare = bare_with(
            &[(start, rate.clone()), (start.plus_nanos(5_000_000_000), kill.clone())],
            end,
        );
        for slice_ns in [3_000_000, 16_666_667, 250_000_000, 1_666_666_666] {
            let mut e = engine();
            e.advance_to(start).unwrap();
            e.schedule(Origin::Scene, &[Cue::at(0, rate.clone()), Cue::at(5, kill.clone())]);
            while e.now() < end {
                let target = e.now().plus_nanos(slice_ns).min(end);
                if e.advance_to_stop(target).unwrap() {
                    e.settle_snapshot();
                }
            }
            assert_eq!(e.metrics(), bare.metrics(), "frames of {slice_ns} ns");
            let times: Vec<SimTime> = e.timeline().entries().iter().map(|x| x.at).collect();
            assert_eq!(times, [start, start.plus_nanos(5_000_000_000)]);
        }
    }

    #[test]
    fn a_user_command_during_a_script_keeps_the_script_and_drops_the_users_own_future() {
        use infraboard_sim::NodeRef;
        let mut e = engine();
        e.schedule(Origin::Scene, &[Cue::at(5, Command::Kill(NodeRef::PrimaryDb))]);
        e.advance_to(SimTime::from_secs(4)).unwrap();
        e.apply(Command::SetRate { qps: 20.0 }, Origin::Control).unwrap();
        e.advance_to(SimTime::from_secs(8)).unwrap();
        assert!(e.metrics().writes_failed > 0, "the scene's kill landed at 5 s");
        // Back to 2 s, where the user's 4 s and the scene's 5 s are the future.
        e.seek(SimTime::from_secs(2)).unwrap();
        e.apply(Command::SetRate { qps: 40.0 }, Origin::Control).unwrap();
        let kept: Vec<(SimTime, Origin)> =
            e.timeline().entries().iter().map(|x| (x.at, x.origin)).collect();
        assert_eq!(
            kept,
            [(SimTime::from_secs(2), Origin::Control), (SimTime::from_secs(5), Origin::Scene)],
            "the user's 4 s command is gone, the scene's kill is still due"
        );
        e.advance_to(SimTime::from_secs(8)).unwrap();
        let bare = bare_with(
            &[
                (SimTime::from_secs(2), Command::SetRate { qps: 40.0 }),
                (SimTime::from_secs(5), Command::Kill(NodeRef::PrimaryDb)),
            ],
            SimTime::from_secs(8),
        );
        assert_eq!(e.metrics(), bare.metrics(), "the scene goes on on the user's new branch");
    }

    /// Every time a bare simulation processes an event, up to `end`.
    fn event_times(end: SimTime) -> Vec<SimTime> {
        let mut sim = Simulation::new(&presets::default_scenario(), 7).unwrap();
        let mut times = Vec::new();
        while sim.poll_timeout().is_some_and(|t| t <= end) {
            times.extend(sim.step());
        }
        times
    }

    #[test]
    fn step_back_goes_to_the_previous_event_whatever_came_before() {
        let end = SimTime::from_millis(4_100);
        let times = event_times(end);
        let before = |t: SimTime| times.iter().rev().find(|x| **x < t).copied().unwrap();
        // Between events, just after a snapshot time, and on an event.
        let on_event = times[times.len() / 3];
        for from in [SimTime::from_millis(3_500), SimTime(2_000_000_001), on_event] {
            let mut e = engine();
            e.advance_to(from).unwrap();
            e.step_back().unwrap();
            let prev = before(from);
            assert_eq!(e.now(), prev, "back from {from}");
            let mut bare = Simulation::new(&presets::default_scenario(), 7).unwrap();
            bare.advance_to(prev).unwrap();
            assert_eq!(e.metrics(), bare.metrics(), "the state of that event, from {from}");
            e.step_back().unwrap();
            assert_eq!(e.now(), before(prev), "and the one before it");
            assert_eq!(e.horizon(), from, "stepping back keeps the run's end");
        }
    }

    #[test]
    fn step_back_counts_a_landed_command_as_a_moment() {
        let mut e = engine();
        let at = SimTime(1_000_000_123);
        e.schedule(Origin::Scene, &[Cue { after: at, command: Command::SetRate { qps: 9.0 } }]);
        e.advance_to(SimTime(at.0 + 1)).unwrap();
        e.step_back().unwrap();
        assert_eq!(e.now(), at, "← stops at the command's landing");
        assert_eq!(e.timeline().applied(), 1);
        e.step_back().unwrap();
        assert!(e.now() < at);
        assert_eq!(e.timeline().applied(), 0, "the command is in the future again");
        while e.now() < at {
            e.step().unwrap();
        }
        assert_eq!(e.now(), at, "→ stops at the command's time");
        assert_eq!(e.timeline().applied(), 1);
    }

    #[test]
    fn seeking_back_then_forward_replays_scripts_identically() {
        use infraboard_sim::NodeRef;
        let mut e = engine();
        e.schedule(
            Origin::Scene,
            &[
                Cue::at(0, Command::SetWriteShare { share: 0.3 }),
                Cue::at(3, Command::Kill(NodeRef::PrimaryDb)),
                Cue::at(7, Command::Promote(NodeRef::ReplicaDb)),
            ],
        );
        e.advance_to(SimTime::from_secs(10)).unwrap();
        let (first, timeline) = (e.metrics().clone(), e.timeline().clone());
        for back in [1, 4, 8] {
            e.seek(SimTime::from_secs(back)).unwrap();
            e.seek(SimTime::from_secs(10)).unwrap();
            assert_eq!(e.metrics(), &first, "from {back} s");
            assert_eq!(e.timeline(), &timeline);
        }
        assert!(e.refused().is_empty());
    }

    #[test]
    fn a_mark_reads_the_metrics_at_its_exact_time_and_a_pausing_one_stops_play() {
        use infraboard_sim::NodeRef;
        let trouble = SimTime::from_secs(3);
        let end = SimTime::from_secs(5);
        let mut bare = Simulation::new(&presets::default_scenario(), 7).unwrap();
        bare.advance_to(trouble).unwrap();
        let at_trouble = bare.metrics().clone();
        bare.apply(Command::Kill(NodeRef::PrimaryDb)).unwrap();
        bare.advance_to(end).unwrap();
        let mut e = engine();
        e.schedule(Origin::Challenge, &[Cue::at(3, Command::Kill(NodeRef::PrimaryDb))]);
        e.watch(Origin::Challenge, trouble, false);
        e.watch(Origin::Challenge, end, true);
        let mut stops = Vec::new();
        while e.reading(end).is_none() {
            let target = e.now().plus_nanos(700_000_000);
            if e.advance_to_stop(target).unwrap() {
                stops.push(e.now());
                e.settle_snapshot();
            }
        }
        assert_eq!(e.reading(trouble), Some(&at_trouble), "read before the kill at that instant");
        assert_eq!(e.reading(end), Some(bare.metrics()));
        assert_eq!(e.now(), end, "playing stops at the pausing mark");
        assert!(e.take_pause());
        assert!(!e.take_pause(), "once");
        assert_eq!(stops.last(), Some(&end));
        // Rewinding forgets what was read after it; replaying reads it again.
        e.seek(SimTime::from_secs(1)).unwrap();
        assert!(e.reading(trouble).is_none());
        e.seek(end).unwrap();
        assert_eq!(e.reading(trouble), Some(&at_trouble));
    }
}
