//! Simulated time: integer nanoseconds since the start of a run.

use std::fmt;

/// A point in simulated time, in nanoseconds since the run began.
///
/// Never derived from a wall clock: the caller decides when time moves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);

    /// `n` whole simulated seconds.
    pub const fn from_secs(n: u64) -> SimTime {
        SimTime(n * 1_000_000_000)
    }

    /// `n` simulated milliseconds.
    pub const fn from_millis(n: u64) -> SimTime {
        SimTime(n * 1_000_000)
    }

    /// This time in (fractional) seconds, for display only.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }

    /// `self + ns`, saturating instead of overflowing.
    pub const fn plus_nanos(self, ns: u64) -> SimTime {
        SimTime(self.0.saturating_add(ns))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", crate::decimal::fixed(self.as_secs_f64(), 3))
    }
}
