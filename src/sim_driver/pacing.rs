//! How much simulated time a frame asks for, how much wall time it may spend
//! simulating it, and whether the run keeps up with the chosen speed.
//!
//! A frame owes `wall gap × speed` of simulated time, plus what earlier
//! frames could not simulate; it simulates in slices until it is paid or the
//! frame's share of [`FRAME_BUDGET_MS`] is spent. What drawing took lately
//! comes off that share, and on the frames that publish what the panels
//! read, what the page took lately to show a publication, so simulating,
//! drawing and showing together stay inside a 60 Hz frame. When, over a wall second, less than 90% of the time asked
//! for was simulated, the run is [`Pacing::behind`].

use super::engine::Engine;
use infraboard_sim::SimError;

/// The longest wall gap one frame may turn into simulated time (a hidden
/// tab resumes where it was instead of jumping ahead).
const MAX_FRAME_GAP_MS: f64 = 100.0;
/// Wall milliseconds a frame may spend simulating, at most.
const SIM_BUDGET_MS: f64 = 3.5;
/// Wall milliseconds a frame may spend simulating at least, so time still
/// moves when drawing is slow. A frame that publishes has no floor: what it
/// leaves is owed, and the frames after it simulate it.
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

/// The frame loop's account of wall time against simulated time.
pub(super) struct Pacing {
    /// Wall time of the previous frame (`NaN` before the first).
    last_ms: f64,
    /// Simulated ns asked for and not simulated yet.
    owed_ns: f64,
    /// Recent wall time between two frames (moving average), ms.
    frame_ms: f64,
    /// Recent drawing time per frame (moving average), wall ms.
    draw_ms: f64,
    /// Recent time the page took to show a publication (the reactive
    /// updates it sets off: board, live strip, panels; moving average), wall ms.
    publish_ms: f64,
    /// Simulated ns asked for (wall gap × speed) and actually simulated
    /// since `pace_since_ms`, to tell the user when time runs slow.
    pace_asked_ns: f64,
    pace_got_ns: f64,
    pace_since_ms: f64,
    behind: Option<f64>,
}

impl Pacing {
    pub(super) fn new() -> Pacing {
        Pacing {
            last_ms: f64::NAN,
            owed_ns: 0.0,
            frame_ms: 16.7,
            draw_ms: 1.0,
            publish_ms: 1.0,
            pace_asked_ns: 0.0,
            pace_got_ns: 0.0,
            pace_since_ms: 0.0,
            behind: None,
        }
    }

    /// The wall milliseconds since the previous frame that this one turns
    /// into simulated time: none for the first, at most [`MAX_FRAME_GAP_MS`].
    pub(super) fn gap_ms(&mut self, now_ms: f64) -> f64 {
        let gap = if self.last_ms.is_nan() {
            0.0
        } else {
            (now_ms - self.last_ms).clamp(0.0, MAX_FRAME_GAP_MS)
        };
        self.last_ms = now_ms;
        if gap > 0.0 {
            self.frame_ms += (gap - self.frame_ms) * 0.2;
        }
        gap
    }

    /// Recent wall milliseconds between two frames (a moving average).
    pub(super) fn frame_ms(&self) -> f64 {
        self.frame_ms
    }

    /// Wall milliseconds this frame may spend simulating: the frame budget
    /// minus the recent drawing time, within [`SIM_BUDGET_MIN_MS`]–[`SIM_BUDGET_MS`];
    /// in a frame that publishes and leaves what it does not simulate to the
    /// frames after it (`publishing`), minus a publication's recent cost too,
    /// down to none.
    pub(super) fn sim_budget_ms(&self, publishing: bool) -> f64 {
        if publishing {
            (FRAME_BUDGET_MS - self.draw_ms - self.publish_ms).clamp(0.0, SIM_BUDGET_MS)
        } else {
            (FRAME_BUDGET_MS - self.draw_ms).clamp(SIM_BUDGET_MIN_MS, SIM_BUDGET_MS)
        }
    }

    /// Adds this frame's share (`gap_ms × speed`) to the simulated time owed
    /// and returns the total. Simulated time owed: this frame's share plus
    /// what earlier frames could not simulate (a frame preempted by another
    /// process, or stopped at a snapshot), up to one long gap's worth, so a
    /// short stall is caught up and only a sustained shortfall slows time.
    /// Pausing forgets the debt.
    pub(super) fn owe(&mut self, playing: bool, gap_ms: f64, speed: f64) -> f64 {
        if !playing {
            self.owed_ns = 0.0;
        }
        self.owed_ns = (self.owed_ns + gap_ms * speed * 1e6).min(MAX_FRAME_GAP_MS * speed * 1e6);
        self.owed_ns
    }

    /// Takes what the frame simulated off the debt.
    pub(super) fn paid(&mut self, moved_ns: u64) {
        self.owed_ns = (self.owed_ns - moved_ns as f64).max(0.0);
    }

    /// Folds the frame's drawing time into the recent average. A spike (a
    /// resize, a first glyph) should not starve the simulation for long:
    /// the average forgets within a few frames.
    pub(super) fn drew(&mut self, draw_ms: f64) {
        self.draw_ms += (draw_ms.min(20.0) - self.draw_ms) * 0.2;
    }

    /// Folds what showing a publication took into its recent average (the
    /// same forgetting as [`Pacing::drew`]: a new design's first one builds views).
    pub(super) fn published(&mut self, publish_ms: f64) {
        self.publish_ms += (publish_ms.min(20.0) - self.publish_ms) * 0.2;
    }

    /// Over each wall second of play, compares the simulated time asked for with
    /// the time simulated: below 90%, the run is "behind" and the time bar says
    /// at what speed it really runs. Pausing clears it.
    pub(super) fn track_pace(&mut self, playing: bool, asked_ns: f64, got_ns: f64, now_ms: f64) {
        if !playing {
            self.pace_asked_ns = 0.0;
            self.pace_got_ns = 0.0;
            self.pace_since_ms = now_ms;
            self.behind = None;
            return;
        }
        self.pace_asked_ns += asked_ns;
        self.pace_got_ns += got_ns;
        let wall_ms = now_ms - self.pace_since_ms;
        if wall_ms < 1000.0 {
            return;
        }
        self.behind = (self.pace_asked_ns > 0.0 && self.pace_got_ns < 0.9 * self.pace_asked_ns)
            .then(|| self.pace_got_ns / 1e6 / wall_ms);
        self.pace_asked_ns = 0.0;
        self.pace_got_ns = 0.0;
        self.pace_since_ms = now_ms;
    }

    /// `Some(x)` when, over the last wall second of play, the run moved only
    /// `x` simulated seconds per wall second, under 90% of what was asked.
    pub(super) fn behind(&self) -> Option<f64> {
        self.behind
    }
}

/// Advances `engine` by up to `owed_ns` in slices and stops when the frame's
/// budget is spent (`budget_ms` of `clock` since `started`): at rates the
/// machine cannot simulate in real time, time runs slower than asked instead
/// of freezing the page. Also stops at a due snapshot, which is taken after
/// the frame is painted, and where a script's mark stops play. Returns the simulated ns it moved, and the failure
/// that stopped it, if one did.
pub(super) fn advance_within_budget(
    e: &mut Engine,
    owed_ns: f64,
    started: f64,
    budget_ms: f64,
    clock: impl Fn() -> f64,
) -> (u64, Option<SimError>) {
    let from = e.now();
    let mut failure = None;
    let target = e.now().plus_nanos(owed_ns as u64);
    let mut slice = ((target.0 - e.now().0) / 4).clamp(1, MAX_SLICE_NS);
    let mut checked = started;
    loop {
        let next = e.now().plus_nanos(slice).min(target);
        match e.advance_to_stop(next) {
            Err(err) => {
                failure = Some(err);
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
        if next >= target || t - started > budget_ms {
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
    (e.now().0.saturating_sub(from.0), failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sustained_shortfall_is_behind_and_pausing_clears_it() {
        let mut p = Pacing::new();
        p.track_pace(true, 0.0, 0.0, 0.0);
        for i in 1..=60 {
            // Asked 16.7 ms a frame at 1×, got half of it.
            p.track_pace(true, 16.7e6, 8.35e6, i as f64 * 16.7);
        }
        let behind = p.behind().expect("half the time asked for is behind");
        assert!((behind - 0.5).abs() < 0.01, "{behind}");
        p.track_pace(false, 0.0, 0.0, 1100.0);
        assert_eq!(p.behind(), None);
    }

    #[test]
    fn debt_is_capped_at_one_long_gap_and_forgotten_on_pause() {
        let mut p = Pacing::new();
        assert_eq!(p.gap_ms(0.0), 0.0);
        assert_eq!(p.gap_ms(5_000.0), MAX_FRAME_GAP_MS);
        assert_eq!(p.owe(true, 100.0, 2.0), 200e6);
        assert_eq!(p.owe(true, 100.0, 2.0), 200e6);
        p.paid(150_000_000);
        assert_eq!(p.owe(true, 10.0, 2.0), 70e6);
        assert_eq!(p.owe(false, 10.0, 2.0), 20e6);
    }

    #[test]
    fn slow_drawing_shrinks_the_simulation_share_down_to_its_floor() {
        let mut p = Pacing::new();
        assert_eq!(p.sim_budget_ms(false), SIM_BUDGET_MS);
        for _ in 0..50 {
            p.drew(40.0);
        }
        assert_eq!(p.sim_budget_ms(false), SIM_BUDGET_MIN_MS);
    }

    #[test]
    fn a_frame_that_publishes_leaves_room_for_showing_it() {
        let mut p = Pacing::new();
        for _ in 0..50 {
            p.drew(1.0);
            p.published(1.0);
        }
        // A cheap publication leaves the simulation most of the frame.
        assert!((p.sim_budget_ms(true) - (FRAME_BUDGET_MS - 2.0)).abs() < 0.01);
        for _ in 0..50 {
            p.published(6.0);
        }
        // A dear one takes the whole frame: nothing simulated, the time owed.
        assert_eq!(p.sim_budget_ms(true), 0.0);
        assert_eq!(p.sim_budget_ms(false), FRAME_BUDGET_MS - 1.0);
    }

    #[test]
    fn a_frame_simulates_what_it_owes_when_time_allows() {
        let scenario = std::sync::Arc::new(infraboard_sim::presets::default_scenario());
        let mut e = Engine::new(scenario, 1).expect("the default preset is valid");
        let (moved, failure) = advance_within_budget(&mut e, 16.7e6, 0.0, 3.5, || 0.0);
        assert!(failure.is_none());
        assert_eq!(moved, 16_700_000);
        assert_eq!(e.now().0, 16_700_000);
    }
}
