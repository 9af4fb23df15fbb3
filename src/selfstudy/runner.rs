//! The one runner of the challenges: a [`Plan`] turns a challenge into
//! checkpoints (simulated times where commands fall due, where the window
//! opens, where it ends), handing out the cues through the study's
//! [`Director`]. The panel walks the plan on the live board, seeking back
//! to a checkpoint's exact time when a frame overshot it, so the numbers
//! are those of the exact window; the tests walk the same plan on a bare
//! [`Simulation`] ([`play_headless`]).

use super::challenges::{Challenge, Truth};
use crate::study::script::Director;
#[cfg(test)]
use infraboard_sim::{presets, Simulation};
use infraboard_sim::{Command, Metrics, SimTime};

/// What to do at one checkpoint, in this order.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// Its simulated time (from the start of the run).
    pub at: SimTime,
    /// Take the "window opens" reading before applying the commands.
    pub opens_window: bool,
    /// Commands due now.
    pub commands: Vec<Command>,
    /// The window ends here: take the last reading and stop.
    pub ends: bool,
}

/// The checkpoints of one challenge run, in time order.
#[derive(Clone, Debug)]
pub struct Plan {
    times: Vec<SimTime>,
    next: usize,
    director: Director,
    trouble: SimTime,
    end: SimTime,
}

impl Plan {
    /// The plan of `ch`, for a run starting at time zero.
    pub fn new(ch: &Challenge) -> Plan {
        let trouble = SimTime::from_secs(ch.trouble_s);
        let end = SimTime::from_secs(ch.end_s);
        let mut times: Vec<SimTime> = ch.cues.iter().map(|c| c.after).collect();
        times.extend([trouble, end]);
        times.retain(|t| *t <= end);
        crate::small_sort::sort(&mut times);
        times.dedup();
        Plan {
            times,
            next: 0,
            director: Director::new(SimTime::ZERO, ch.cues.clone()),
            trouble,
            end,
        }
    }

    /// When the next checkpoint falls due (`None` once the run is over).
    pub fn next_at(&self) -> Option<SimTime> {
        self.times.get(self.next).copied()
    }

    /// The end of the window.
    #[cfg(test)]
    pub fn end(&self) -> SimTime {
        self.end
    }

    /// Takes the next checkpoint; call when simulated time is exactly at it.
    pub fn take(&mut self) -> Option<Checkpoint> {
        let at = self.next_at()?;
        self.next += 1;
        Some(Checkpoint {
            at,
            opens_window: at == self.trouble,
            commands: self.director.due(at).into_iter().map(|c| c.command).collect(),
            ends: at == self.end,
        })
    }
}

/// The two readings a run takes, and the truth once both are in.
#[derive(Clone, Debug, Default)]
pub struct Readings {
    /// Metrics when the window opened.
    pub at_trouble: Option<Metrics>,
    /// Metrics when it closed.
    pub at_end: Option<Metrics>,
}

/// Plays `ch` on a bare simulation of its preset with `seed`, walking the
/// same plan as the panel, and returns the truth (tests only).
#[cfg(test)]
pub fn play_headless(ch: &Challenge, seed: u64) -> Truth {
    let s = presets::get(ch.preset).expect("a built-in preset");
    let mut sim = Simulation::new(&s, seed).expect("a valid preset");
    let mut plan = Plan::new(ch);
    let mut readings = Readings::default();
    while let Some(at) = plan.next_at() {
        sim.advance_to(at).expect("time moves forward");
        let cp = plan.take().expect("a checkpoint is due");
        if cp.opens_window {
            readings.at_trouble = Some(sim.metrics().clone());
        }
        for c in cp.commands {
            sim.apply(c).expect("challenge commands apply");
        }
        if cp.ends {
            readings.at_end = Some(sim.metrics().clone());
        }
        while sim.poll_event().is_some() {}
    }
    truth_of(ch, &s, &readings).expect("both readings were taken")
}

/// The truth of a run whose readings are both in.
pub fn truth_of(
    ch: &Challenge,
    s: &infraboard_sim::Scenario,
    readings: &Readings,
) -> Option<Truth> {
    let (a, b) = (readings.at_trouble.as_ref()?, readings.at_end.as_ref()?);
    Some(ch.id.measure(ch, s, a, b))
}

#[cfg(test)]
mod tests {
    use super::super::challenges::ChallengeId;
    use super::*;

    #[test]
    fn the_plan_opens_the_window_before_the_trouble_and_ends_once() {
        let ch = ChallengeId::WriterDown.challenge().unwrap();
        let mut plan = Plan::new(&ch);
        let mut seen = Vec::new();
        while let Some(cp) = plan.take() {
            seen.push(cp);
        }
        assert_eq!(seen.first().map(|c| c.at), Some(SimTime::ZERO));
        let opening: Vec<_> = seen.iter().filter(|c| c.opens_window).collect();
        assert_eq!(opening.len(), 1);
        assert_eq!(opening[0].at, SimTime::from_secs(ch.trouble_s));
        assert!(
            opening[0].commands.iter().any(|c| matches!(c, Command::Kill(_))),
            "the kill is applied at the window's opening, after the reading"
        );
        assert_eq!(seen.iter().filter(|c| c.ends).count(), 1);
        assert!(seen.last().unwrap().ends);
        let cues: usize = seen.iter().map(|c| c.commands.len()).sum();
        assert_eq!(cues, ch.cues.len(), "every cue is handed out once");
    }
}
