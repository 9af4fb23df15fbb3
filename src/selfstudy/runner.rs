//! The one runner of the challenges: a challenge is a script of origin
//! [`Origin::Challenge`](infraboard_sim::Origin::Challenge) on the engine's
//! timeline, its cues plus two [`marks`]: the window's opening (the
//! metrics read after that instant's events, before its commands) and its
//! end (read, and playing stops there). The engine lands every command and
//! takes every reading at its exact simulated time, whatever the frames;
//! the panel only reads the [`Readings`] once both are in. The panel sets
//! it up on the live board through the `SimHandle`, the tests on a bare
//! [`Engine`] (`play_headless`), in that same order: marks first, then the
//! cues (a mark at time zero is read before the cues due then land).

use super::challenges::{Challenge, Truth};
use crate::sim_driver::Engine;
use infraboard_sim::{Metrics, SimTime};

/// The marks of `ch`: `(time, pause)` for the window's opening and its end.
pub fn marks(ch: &Challenge) -> [(SimTime, bool); 2] {
    [(SimTime::from_secs(ch.trouble_s), false), (SimTime::from_secs(ch.end_s), true)]
}

/// The two readings a run takes, and the truth once both are in.
#[derive(Clone, Debug, Default)]
pub struct Readings {
    /// Metrics when the window opened.
    pub at_trouble: Option<Metrics>,
    /// Metrics when it closed.
    pub at_end: Option<Metrics>,
}

impl Readings {
    /// What the engine has read so far at the marks of `ch`.
    pub fn of(ch: &Challenge, e: &Engine) -> Readings {
        let [(trouble, _), (end, _)] = marks(ch);
        Readings { at_trouble: e.reading(trouble).cloned(), at_end: e.reading(end).cloned() }
    }
}

/// Plays `ch` on an engine of its preset with `seed`, set up as the panel
/// does and advanced in frame-sized slices until the end mark stops it,
/// and returns the truth (tests only).
#[cfg(test)]
pub fn play_headless(ch: &Challenge, seed: u64) -> Truth {
    use infraboard_sim::{presets, Origin};
    use std::sync::Arc;
    let s = presets::get(ch.preset).expect("a built-in preset");
    let mut e = Engine::new(Arc::new(s.clone()), seed).expect("a valid preset");
    for (at, pause) in marks(ch) {
        e.watch(Origin::Challenge, at, pause);
    }
    e.schedule(Origin::Challenge, &ch.cues);
    // 10× at 60 frames a second, slightly uneven.
    let mut frame = 0u64;
    while !e.take_pause() {
        assert!(e.now() < SimTime::from_secs(ch.end_s + 1), "the end mark stops the run");
        frame += 1;
        let slice = 166_666_667 + (frame % 7) * 3_000_000;
        e.advance_to_stop(e.now().plus_nanos(slice)).expect("time moves forward");
        e.settle_snapshot();
    }
    assert_eq!(e.now(), SimTime::from_secs(ch.end_s), "the run stops at the window's end");
    assert!(e.refused().is_empty(), "challenge commands apply: {:?}", e.refused());
    truth_of(ch, &s, &Readings::of(ch, &e)).expect("both readings were taken")
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
    use infraboard_sim::{presets, Command, Origin, Simulation};
    use std::sync::Arc;

    #[test]
    fn the_window_opens_before_the_trouble_and_ends_once() {
        let ch = ChallengeId::WriterDown.challenge().unwrap();
        let [(opens, false), (ends, true)] = marks(&ch) else { panic!("{:?}", marks(&ch)) };
        assert_eq!(opens, SimTime::from_secs(ch.trouble_s));
        assert_eq!(ends, SimTime::from_secs(ch.end_s));
        let mut e = Engine::new(Arc::new(presets::get(ch.preset).unwrap()), 1).unwrap();
        for (at, pause) in marks(&ch) {
            e.watch(Origin::Challenge, at, pause);
        }
        e.schedule(Origin::Challenge, &ch.cues);
        assert_eq!(e.timeline().applied(), 3, "the cues due at zero land at once");
        while !e.take_pause() {
            e.advance_to_stop(e.now().plus_nanos(1_000_000_000)).unwrap();
            e.settle_snapshot();
        }
        // The opening reading is the state just before the kill: a bare run
        // stopped at that instant reads the same.
        let mut bare = Simulation::new(&presets::get(ch.preset).unwrap(), 1).unwrap();
        for cue in ch.cues.iter().filter(|c| c.after < opens) {
            bare.apply(cue.command.clone()).unwrap();
        }
        bare.advance_to(opens).unwrap();
        assert_eq!(e.reading(opens), Some(bare.metrics()));
        let kill = e.timeline().entries().iter().find(|x| matches!(x.command, Command::Kill(_)));
        assert_eq!(kill.map(|x| x.at), Some(opens), "the kill lands as the window opens");
        assert_eq!(e.timeline().applied(), ch.cues.len(), "every cue lands once");
        assert_eq!(e.now(), ends);
        assert!(!e.take_pause(), "it stops once");
    }
}
