//! One run's timeline: every command the run receives, with the simulated
//! time it lands at and where it came from, and the rule that lands each
//! one at exactly its time.
//!
//! It lives in the simulation crate, next to [`Command`] and [`SimTime`],
//! because it is plain data plus a scheduling rule over a [`Simulation`]:
//! no clock, no UI, natively tested, and usable by anything that drives a
//! simulation (the app's time-travelling engine holds one; a headless run
//! can use one directly).
//!
//! # Entries and scripts
//!
//! An [`Entry`] is a command, its time and its [`Origin`]. A script (a
//! scene, a challenge, a shared link) is a list of [`Cue`]s, commands timed
//! from the script's start: [`Timeline::schedule`] puts them on the
//! timeline ahead of time, and they land as time reaches them, whatever
//! slices the caller advances in. A user's command lands at once and is
//! [`Timeline::record`]ed.
//!
//! # The order of one instant
//!
//! At a time `t`, the simulation's own events due at `t` are processed
//! first, then the entries due at `t` land, in the order they were put on
//! the timeline (a script's cues in the order written). [`Timeline::run_to`]
//! stops short of landing the entries due at its end, so a caller can look
//! at the state of that instant first ([`Timeline::land_due`] lands them).
//!
//! # A user command while scripts run
//!
//! The entries before the cursor ([`Timeline::applied`]) are the past of
//! the current state; the ones after it are its future: scripts' cues not
//! reached yet, and, after a rewind, the recorded future. A user's command
//! given now starts a new branch for the user: the recorded future of the
//! user's own earlier commands is dropped (it was given in a run that no
//! longer happens), but every script goes on: a scene's later cues still
//! land at their times. [`Origin::is_user`] says which side an origin is
//! on. A shared link replays a user's commands, so its entries are the
//! user's own.
//!
//! # Refusals
//!
//! A scheduled command the simulation refuses when it lands is taken off
//! the timeline (it changed nothing) and reported as a [`Refused`]. For a
//! challenge or a link, whose later commands were written for the state
//! the refused one would have made, the rest of that origin's future goes
//! too ([`Origin::refusal_ends_script`]); a scene plays on.

use crate::{Command, CommandError, SimError, SimTime, Simulation};

/// Where a command on the timeline came from. Closed: the timeline's rules
/// read it, never a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The user, through a control (a panel's button or slider, the board).
    Control,
    /// The user, through an explanation's "show me".
    ShowMe,
    /// A scene of the study panel.
    Scene,
    /// A challenge of the self-study panel.
    Challenge,
    /// The replay of a shared link (a user's commands, given again).
    Link,
}

impl Origin {
    /// Whether these are the user's own commands, whose recorded future a
    /// new user command drops (see the module doc). Scenes and challenges
    /// are not: they play on.
    pub fn is_user(self) -> bool {
        matches!(self, Origin::Control | Origin::ShowMe | Origin::Link)
    }

    /// Whether one refused command of this origin drops the rest of its
    /// future (the later commands assumed it applied).
    pub fn refusal_ends_script(self) -> bool {
        matches!(self, Origin::Challenge | Origin::Link)
    }
}

/// One command on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// When it lands.
    pub at: SimTime,
    /// What it does.
    pub command: Command,
    /// Who gave it.
    pub origin: Origin,
}

/// One command of a script, due `after` the script's start.
#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    /// Simulated time after the start of the script.
    pub after: SimTime,
    /// What to do then.
    pub command: Command,
}

impl Cue {
    /// A command due `secs` simulated seconds after the start.
    pub fn at(secs: u64, command: Command) -> Cue {
        Cue { after: SimTime::from_secs(secs), command }
    }
}

/// A scheduled command the simulation refused when it landed.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    /// The entry, taken off the timeline.
    pub entry: Entry,
    /// Why the simulation refused it.
    pub error: CommandError,
    /// How many later entries of its origin went with it (see
    /// [`Origin::refusal_ends_script`]).
    pub dropped_after: usize,
}

/// The commands of one run in landing order, and how many of them the
/// current state has landed.
///
/// Invariant: entries are in non-decreasing time order; the first
/// [`Timeline::applied`] have landed, every later one is due at or after
/// the time of the state (only those due exactly then may still wait).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    entries: Vec<Entry>,
    applied: usize,
}

impl Timeline {
    /// An empty timeline.
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// Every entry, landed or not, in landing order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many entries have landed in the current state.
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// Goes back to a state that had landed `applied` entries (a copy of
    /// the simulation taken then); the later ones land again as time moves.
    pub fn rewind(&mut self, applied: usize) {
        self.applied = applied.min(self.entries.len());
    }

    /// When the next entry is due, if any.
    pub fn next_at(&self) -> Option<SimTime> {
        self.entries.get(self.applied).map(|e| e.at)
    }

    /// The next moment something happens: the simulation's next event or
    /// the next entry, whichever comes first.
    pub fn next_moment(&self, sim: &Simulation) -> Option<SimTime> {
        match (sim.poll_timeout(), self.next_at()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Entries of `origin` not landed yet.
    pub fn pending(&self, origin: Origin) -> usize {
        self.entries[self.applied..].iter().filter(|e| e.origin == origin).count()
    }

    /// Puts a script on the timeline: each cue at `start + after`, after
    /// the entries already due then (so cues due together keep the order
    /// they are written in). Nothing lands here: `start` is at or after the
    /// state's time, and [`Timeline::land_due`] or time moving lands them.
    pub fn schedule(&mut self, origin: Origin, start: SimTime, cues: &[Cue]) {
        for cue in cues {
            let at = start.plus_nanos(cue.after.0);
            let after = self.applied + self.entries[self.applied..].partition_point(|e| e.at <= at);
            self.entries.insert(after, Entry { at, command: cue.command.clone(), origin });
        }
    }

    /// Records a user command that just landed at `at` (the state's time):
    /// the recorded future of the user's own commands is dropped, the
    /// scripts' future is kept (see the module doc).
    pub fn record(&mut self, at: SimTime, command: Command, origin: Origin) {
        self.cancel_user_future();
        self.entries.insert(self.applied, Entry { at, command, origin });
        self.applied += 1;
    }

    /// Drops the recorded future of the user's own commands (entries not
    /// landed whose [`Origin::is_user`]): the user started a new branch.
    pub fn cancel_user_future(&mut self) {
        self.drop_future(Origin::is_user);
    }

    /// Drops the entries of `origin` not landed yet (the script was
    /// stopped); returns how many.
    pub fn cancel(&mut self, origin: Origin) -> usize {
        self.drop_future(|o| o == origin)
    }

    /// Drops the entries not landed whose origin satisfies `drop`; returns
    /// how many.
    fn drop_future(&mut self, drop: impl Fn(Origin) -> bool) -> usize {
        let before = self.entries.len();
        let past = self.applied;
        let mut i = 0;
        self.entries.retain(|e| {
            i += 1;
            i <= past || !drop(e.origin)
        });
        before - self.entries.len()
    }

    /// Lands every entry due at or before the simulation's time, in order;
    /// refusals are taken off the timeline and pushed to `refused`.
    pub fn land_due(&mut self, sim: &mut Simulation, refused: &mut Vec<Refused>) {
        let now = sim.now();
        while let Some(entry) = self.entries.get(self.applied) {
            if entry.at > now {
                break;
            }
            match sim.apply(entry.command.clone()) {
                Ok(()) => self.applied += 1,
                Err(error) => {
                    let entry = self.entries.remove(self.applied);
                    let dropped_after = if entry.origin.refusal_ends_script() {
                        self.cancel(entry.origin)
                    } else {
                        0
                    };
                    refused.push(Refused { entry, error, dropped_after });
                }
            }
        }
    }

    /// Moves `sim` to `t`: every entry due before `t` lands at its own
    /// time, after the simulation's events of that instant; those due at
    /// `t` itself are left for [`Timeline::land_due`].
    pub fn run_to(
        &mut self,
        sim: &mut Simulation,
        t: SimTime,
        refused: &mut Vec<Refused>,
    ) -> Result<(), SimError> {
        while let Some(at) = self.next_at().filter(|at| *at < t) {
            sim.advance_to(at.max(sim.now()))?;
            self.land_due(sim, refused);
        }
        sim.advance_to(t)
    }

    /// Processes exactly the next moment: the simulation's next event, or
    /// the entries due at the next entry's time if that comes first (after
    /// the events of that instant). Returns its time, `None` when nothing
    /// is left to happen.
    pub fn step(&mut self, sim: &mut Simulation, refused: &mut Vec<Refused>) -> Option<SimTime> {
        match (self.next_at(), sim.poll_timeout()) {
            (Some(entry), event) if event.is_none_or(|e| entry <= e) => {
                // Events of that same instant go first.
                sim.advance_to(entry.max(sim.now())).ok()?;
                self.land_due(sim, refused);
                Some(sim.now())
            }
            (_, Some(_)) => sim.step(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{presets, NodeRef};

    fn sim() -> Simulation {
        Simulation::new(&presets::default_scenario(), 1).unwrap()
    }

    fn commands(t: &Timeline) -> Vec<(u64, Command, Origin)> {
        t.entries().iter().map(|e| (e.at.0 / 1_000_000_000, e.command.clone(), e.origin)).collect()
    }

    #[test]
    fn cues_land_once_in_time_order_relative_to_the_start() {
        let kill = Command::Kill(NodeRef::PrimaryDb);
        let promote = Command::Promote(NodeRef::ReplicaDb);
        let rate = Command::SetRate { qps: 10.0 };
        let mut s = sim();
        let mut t = Timeline::new();
        let mut refused = Vec::new();
        t.run_to(&mut s, SimTime::from_secs(10), &mut refused).unwrap();
        t.schedule(
            Origin::Scene,
            SimTime::from_secs(10),
            &[Cue::at(20, promote.clone()), Cue::at(0, rate.clone()), Cue::at(5, kill.clone())],
        );
        assert_eq!(t.applied(), 0);
        t.land_due(&mut s, &mut refused);
        assert_eq!(t.applied(), 1, "the cue due at the start lands at once");
        assert_eq!(t.entries()[0].command, rate);
        t.run_to(&mut s, SimTime::from_secs(30), &mut refused).unwrap();
        assert_eq!(t.applied(), 2, "the cue due at the end waits for land_due");
        t.land_due(&mut s, &mut refused);
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(
            commands(&t),
            [(10, rate, Origin::Scene), (15, kill, Origin::Scene), (30, promote, Origin::Scene)]
        );
        assert_eq!(t.applied(), 3);
        t.run_to(&mut s, SimTime::from_secs(31), &mut refused).unwrap();
        assert_eq!(t.applied(), 3, "each lands once");
    }

    #[test]
    fn cues_due_together_keep_their_written_order() {
        let mut t = Timeline::new();
        let a = Command::SetRate { qps: 1.0 };
        let b = Command::SetRate { qps: 2.0 };
        let c = Command::SetRate { qps: 3.0 };
        t.schedule(Origin::Scene, SimTime::ZERO, &[Cue::at(5, a.clone()), Cue::at(5, b.clone())]);
        t.schedule(Origin::Challenge, SimTime::ZERO, &[Cue::at(5, c.clone())]);
        let order: Vec<_> = t.entries().iter().map(|e| e.command.clone()).collect();
        assert_eq!(order, [a, b, c]);
    }

    #[test]
    fn a_command_lands_at_its_exact_time_whatever_the_slicing() {
        let kill = Command::Kill(NodeRef::PrimaryDb);
        let mut bare = sim();
        bare.advance_to(SimTime::from_millis(5_000)).unwrap();
        bare.apply(kill.clone()).unwrap();
        bare.advance_to(SimTime::from_secs(8)).unwrap();
        for slice_ms in [7, 333, 1_000, 8_000] {
            let mut s = sim();
            let mut t = Timeline::new();
            let mut refused = Vec::new();
            t.schedule(Origin::Scene, SimTime::ZERO, &[Cue::at(5, kill.clone())]);
            while s.now() < SimTime::from_secs(8) {
                let next = s.now().plus_nanos(slice_ms * 1_000_000).min(SimTime::from_secs(8));
                t.run_to(&mut s, next, &mut refused).unwrap();
                t.land_due(&mut s, &mut refused);
            }
            assert_eq!(s.metrics(), bare.metrics(), "slices of {slice_ms} ms");
        }
    }

    #[test]
    fn a_user_command_keeps_the_scripts_future_and_drops_the_users_own() {
        let mut t = Timeline::new();
        let rate = |qps| Command::SetRate { qps };
        t.record(SimTime::from_secs(1), rate(1.0), Origin::Control);
        t.schedule(Origin::Scene, SimTime::ZERO, &[Cue::at(4, rate(2.0))]);
        t.applied = 2; // the scene's cue landed at 4 s
        t.record(SimTime::from_secs(6), rate(3.0), Origin::Control);
        assert_eq!(t.applied(), 3);
        // Rewound to 2 s: the scene's 4 s and the user's 6 s are the future.
        t.rewind(1);
        t.record(SimTime::from_secs(2), rate(9.0), Origin::ShowMe);
        assert_eq!(
            commands(&t),
            [
                (1, rate(1.0), Origin::Control),
                (2, rate(9.0), Origin::ShowMe),
                (4, rate(2.0), Origin::Scene),
            ]
        );
        assert_eq!(t.applied(), 2);
        assert_eq!(t.pending(Origin::Scene), 1);
    }

    #[test]
    fn a_refused_link_command_ends_the_link_and_a_refused_scene_cue_does_not() {
        let kill = Command::Kill(NodeRef::PrimaryDb);
        let rate = Command::SetRate { qps: 5.0 };
        for (origin, dropped, applied) in [(Origin::Link, 1, 1), (Origin::Scene, 0, 2)] {
            let mut s = sim();
            let mut t = Timeline::new();
            let mut refused = Vec::new();
            t.schedule(
                origin,
                SimTime::ZERO,
                &[Cue::at(1, kill.clone()), Cue::at(2, kill.clone()), Cue::at(3, rate.clone())],
            );
            t.run_to(&mut s, SimTime::from_secs(4), &mut refused).unwrap();
            assert_eq!(refused.len(), 1, "{origin:?}: the second kill is refused");
            assert_eq!(refused[0].entry.at, SimTime::from_secs(2));
            assert_eq!(refused[0].dropped_after, dropped, "{origin:?}");
            assert_eq!(t.entries().len(), applied, "{origin:?}");
            assert_eq!(t.applied(), applied, "{origin:?}");
        }
    }

    #[test]
    fn stepping_goes_through_every_event_and_entry_in_time_order() {
        let mut bare = sim();
        let mut stepped = sim();
        let mut t = Timeline::new();
        let mut refused = Vec::new();
        let at = SimTime::from_millis(20);
        t.schedule(
            Origin::Scene,
            SimTime::ZERO,
            &[Cue { after: at, command: Command::SetRate { qps: 3.0 } }],
        );
        let end = SimTime::from_millis(40);
        let mut last = SimTime::ZERO;
        while t.next_moment(&stepped).is_some_and(|next| next <= end) {
            let when = t.step(&mut stepped, &mut refused).unwrap();
            assert!(when >= last, "time never goes back");
            last = when;
        }
        stepped.advance_to(end).unwrap();
        bare.advance_to(at).unwrap();
        bare.apply(Command::SetRate { qps: 3.0 }).unwrap();
        bare.advance_to(end).unwrap();
        assert_eq!(stepped.metrics(), bare.metrics());
        assert_eq!(t.applied(), 1);
    }
}
