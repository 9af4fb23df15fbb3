//! The non-reactive core of the driver: one simulation plus what is needed
//! to travel in time over it (periodic snapshots and the log of commands).
//!
//! Plain Rust, no web types, so it is unit-tested natively. Seeking back
//! restores the latest snapshot at or before the target and replays forward;
//! because the simulation is deterministic, the replayed future is the same
//! one the user saw.
//!
//! Snapshot slots are reused: a snapshot that is thinned out or forgotten
//! keeps its copy of the simulation as a spare, and the next snapshot is
//! copied into it (`clone_from`, into the buffers already there) instead of
//! being allocated afresh. At 100× that is 50 snapshots a wall second;
//! allocating and freeing each one's ~3,000 blocks fragmented wasm's
//! allocator, whose memory never shrinks, by ~0.15 MB per 1,000 simulated
//! seconds (issue 7).

use super::flights::Flights;
use infraboard_sim::{Command, CommandError, Metrics, Scenario, SimError, SimTime, Simulation};
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
    /// How many logged commands had been applied when it was taken.
    applied: usize,
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
    /// Every command the user gave, with its simulated time, in order.
    log: Vec<(SimTime, Command)>,
    /// How many of `log` the current simulation has applied; the rest is the
    /// recorded future, replayed when time moves forward again.
    applied: usize,
    /// The furthest simulated time reached in this run (end of the timeline).
    horizon: SimTime,
    /// Times reached by single steps, so ← undoes → exactly.
    step_trail: Vec<SimTime>,
    /// Hops in flight, for the animation layer.
    pub flights: Flights,
    /// The run stopped at a snapshot time and the copy is still to take.
    snapshot_due: bool,
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
            log: Vec::new(),
            applied: 0,
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

    /// Like [`Engine::advance_to`], but stops at the next snapshot time on
    /// the way and leaves the copy for later: returns `true` when it stopped
    /// there, and then [`Engine::settle_snapshot`] takes the copy (any other
    /// call that changes the run takes it first). Copying the simulation
    /// costs milliseconds when many requests are queued (~6 ms natively at
    /// 100,000 QPS), so the frame loop takes it after the frame is painted
    /// rather than inside the frame.
    pub fn advance_to_snapshot(&mut self, t: SimTime) -> Result<bool, SimError> {
        self.advance(t, true)
    }

    /// Whether the run stands at a snapshot time whose copy is not taken yet.
    pub fn snapshot_due(&self) -> bool {
        self.snapshot_due
    }

    /// Takes the snapshot [`Engine::advance_to_snapshot`] left for later.
    pub fn settle_snapshot(&mut self) {
        if std::mem::take(&mut self.snapshot_due) && self.sim.now() > self.last_snapshot_time() {
            self.save_snapshot();
        }
    }

    fn advance(&mut self, t: SimTime, defer_snapshot: bool) -> Result<bool, SimError> {
        self.settle_snapshot();
        if t <= self.sim.now() {
            return Ok(false);
        }
        // Cross snapshot boundaries and recorded commands one at a time so
        // each snapshot gets saved and each command lands at its own time.
        loop {
            let next_snap = self.next_snapshot_time();
            let next_cmd = self.log.get(self.applied).map(|(at, _)| *at);
            let mut target = if next_snap <= t { next_snap } else { t };
            if let Some(at) = next_cmd.filter(|at| *at <= target) {
                target = at;
            }
            self.sim.advance_to(target)?;
            self.replay_due();
            self.drain();
            if target == next_snap && target > self.last_snapshot_time() {
                if defer_snapshot {
                    self.snapshot_due = true;
                    self.horizon = self.horizon.max(target);
                    self.step_trail.clear();
                    return Ok(true);
                }
                self.save_snapshot();
            }
            if target >= t {
                break;
            }
        }
        self.horizon = self.horizon.max(t);
        self.step_trail.clear();
        Ok(false)
    }

    /// Applies a command now and records it. Commands recorded after `now`
    /// (a future the user had rewound past) are dropped: a new branch starts.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        self.settle_snapshot();
        self.sim.apply(command.clone())?;
        let now = self.sim.now();
        self.log.truncate(self.applied);
        self.log.push((now, command));
        self.applied = self.log.len();
        self.recycle_snapshots(|_, s| s.at > now);
        self.horizon = now;
        self.drain();
        Ok(())
    }

    /// The commands recorded so far, with their times.
    pub fn log(&self) -> &[(SimTime, Command)] {
        &self.log
    }

    /// Processes exactly the next scheduled event (→ in the UI), or the next
    /// recorded command if it comes first.
    pub fn step(&mut self) -> Result<(), SimError> {
        self.settle_snapshot();
        let from = self.sim.now();
        let next_cmd = self.log.get(self.applied).map(|(at, _)| *at);
        let next_event = self.sim.poll_timeout();
        match next_cmd {
            Some(cmd) if next_event.is_none_or(|n| cmd <= n) => {
                self.sim.advance_to(cmd)?;
                self.replay_due();
            }
            _ if next_event.is_some() => {
                self.sim.step();
            }
            _ => return Ok(()),
        }
        self.drain();
        self.horizon = self.horizon.max(self.sim.now());
        self.step_trail.push(from);
        Ok(())
    }

    /// Goes back: to where the last → came from, else `back_ns` earlier.
    pub fn step_back(&mut self, back_ns: u64) -> Result<(), SimError> {
        let target = match self.step_trail.pop() {
            Some(t) => t,
            None => SimTime(self.sim.now().0.saturating_sub(back_ns)),
        };
        let trail = std::mem::take(&mut self.step_trail);
        self.seek(target)?;
        self.step_trail = trail;
        Ok(())
    }

    /// Moves to any time: back by snapshot + replay, forward by advancing.
    pub fn seek(&mut self, t: SimTime) -> Result<(), SimError> {
        self.settle_snapshot();
        if t >= self.sim.now() {
            return self.advance_to(t);
        }
        let snap = self
            .snapshots
            .iter()
            .rev()
            .find(|s| s.at <= t)
            .or(self.snapshots.front())
            .expect("the snapshot at time zero is never dropped");
        let horizon = self.horizon;
        self.sim.clone_from(&snap.sim);
        self.applied = snap.applied;
        self.flights.clear();
        self.advance_to(t)?;
        self.horizon = horizon;
        Ok(())
    }

    /// Puts back the most recent snapshot (the error overlay's "restore");
    /// recorded commands after it are replayed when time moves on.
    pub fn restore_last_good(&mut self) {
        self.settle_snapshot();
        if let Some(snap) = self.snapshots.back() {
            self.sim.clone_from(&snap.sim);
            self.applied = snap.applied;
            self.flights.clear();
        }
    }

    fn replay_due(&mut self) {
        let now = self.sim.now();
        while let Some((at, command)) = self.log.get(self.applied) {
            if *at > now {
                break;
            }
            // It was accepted at this very state before; determinism says it
            // is accepted again, and a refusal would only skip it.
            let _ = self.sim.apply(command.clone());
            self.applied += 1;
        }
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
        self.snapshots.push_back(Snapshot { at, sim, applied: self.applied });
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
        e.apply(Command::Kill(NodeRef::PrimaryDb)).unwrap();
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
        e.apply(Command::Kill(NodeRef::PrimaryDb)).unwrap();
        e.advance_to(SimTime::from_secs(6)).unwrap();
        e.seek(SimTime::from_secs(1)).unwrap();
        e.apply(Command::SetRate { qps: 10.0 }).unwrap();
        assert_eq!(e.log().len(), 1, "the recorded kill belonged to the abandoned future");
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
        e.step_back(1).unwrap();
        e.step_back(1).unwrap();
        assert_eq!(e.now(), before);
    }

    #[test]
    fn a_snapshot_left_for_later_is_the_same_as_one_taken_at_once() {
        let mut now = engine();
        now.advance_to(SimTime::from_secs(5)).unwrap();
        let mut later = engine();
        let mut stops = 0;
        while later.now() < SimTime::from_secs(5) {
            if later.advance_to_snapshot(SimTime::from_secs(5)).unwrap() {
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
        assert!(e.advance_to_snapshot(SimTime::from_secs(3)).unwrap());
        let primary_up = |e: &Engine| e.sim().databases().iter().any(|d| d.primary && d.up);
        assert!(primary_up(&e));
        e.apply(Command::Kill(NodeRef::PrimaryDb)).unwrap();
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
}
