//! How many requests one dot on the board stands for, and how long a hop
//! stays on screen: the request layer aims at about [`DOT_TARGET`] dots,
//! whatever the rate, the speed or the preset.

use super::engine::Engine;

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

/// Simulated ns a hop stays on screen at least, at `speed` simulated
/// seconds per wall second.
pub(super) fn min_visible_ns(speed: f64) -> u64 {
    (MIN_VISIBLE_WALL_MS * speed * 1e6) as u64
}

/// The sampling decision's memory between two publications.
pub(super) struct DotSampling {
    /// `Flights::visual_ns` and the simulated time at the last sampling
    /// decision (see [`DotSampling::tune`]).
    last_probe: (u64, u64),
}

impl DotSampling {
    pub(super) fn new() -> DotSampling {
        DotSampling { last_probe: (0, 0) }
    }

    /// Picks "1 dot = N requests" so that about [`DOT_TARGET`] dots are on
    /// screen. The measure is the visual time of the hops actually taken over the
    /// last simulated second (whatever the preset, the drops or the hop
    /// durations): at the current N it says how many dots were on screen on
    /// average, and so what any other N would show. N only changes when the
    /// count leaves [`DOT_BAND`] around the target, and moves on a 1-1.5-2-2.5-3-
    /// 4-5-6-8 grid, so the legend does not flicker.
    pub(super) fn tune(&mut self, e: &mut Engine) {
        let (visual, now) = (e.flights.visual_ns(), e.now().0);
        let (v0, t0) = self.last_probe;
        if now <= t0 || visual < v0 {
            self.last_probe = (visual, now);
            return;
        }
        if now - t0 < SAMPLING_WINDOW_NS {
            return;
        }
        self.last_probe = (visual, now);
        let every = e.flights.sample_every();
        let on_screen = (visual - v0) as f64 / (now - t0) as f64;
        let (low, high) = (DOT_TARGET * DOT_BAND.0, DOT_TARGET * DOT_BAND.1);
        if (low..=high).contains(&on_screen) || (on_screen < low && every == 1) {
            return;
        }
        e.flights.set_sample_every(nice_round(on_screen * every as f64 / DOT_TARGET));
    }
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
