//! Timed commands for the scenes and demonstrations: a [`Cue`] is a
//! command due some simulated time after the script started, and a
//! [`Director`] hands out the cues that are due as time passes.
//!
//! The driver applies whatever [`Director::due`] returns at each frame, so a
//! scene plays live at any speed and the commands land in the engine's log
//! like the user's own (seeking back replays them).

use infraboard_sim::{Command, SimTime};
use std::collections::VecDeque;

/// One command, due `after` the script's start.
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

/// Hands out the cues of one script in time order.
#[derive(Clone, Debug, Default)]
pub struct Director {
    start: SimTime,
    pending: VecDeque<Cue>,
}

impl Director {
    /// A director whose script started at simulated time `start`.
    pub fn new(start: SimTime, mut cues: Vec<Cue>) -> Director {
        // Stable: cues due at the same time keep the order they were written in.
        crate::small_sort::sort_by_key(&mut cues, |c| c.after);
        Director { start, pending: cues.into() }
    }

    /// The cues due at or before `now`, in order, removed from the script.
    pub fn due(&mut self, now: SimTime) -> Vec<Cue> {
        let mut out = Vec::new();
        while let Some(cue) = self.pending.front() {
            if self.start.plus_nanos(cue.after.0) > now {
                break;
            }
            out.extend(self.pending.pop_front());
        }
        out
    }

    /// Whether every cue has been handed out.
    pub fn is_done(&self) -> bool {
        self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::NodeRef;

    #[test]
    fn cues_come_out_once_in_time_order_relative_to_the_start() {
        let kill = Command::Kill(NodeRef::PrimaryDb);
        let promote = Command::Promote(NodeRef::ReplicaDb);
        let rate = Command::SetRate { qps: 10.0 };
        let mut d = Director::new(
            SimTime::from_secs(100),
            vec![Cue::at(20, promote.clone()), Cue::at(0, rate.clone()), Cue::at(5, kill.clone())],
        );
        let commands =
            |cues: Vec<Cue>| -> Vec<Command> { cues.into_iter().map(|c| c.command).collect() };
        assert_eq!(commands(d.due(SimTime::from_secs(99))), []);
        assert_eq!(commands(d.due(SimTime::from_secs(100))), [rate]);
        assert_eq!(commands(d.due(SimTime::from_secs(130))), [kill, promote]);
        assert!(d.is_done());
        assert_eq!(commands(d.due(SimTime::from_secs(200))), []);
    }
}
