//! The page's wall clock, for what is timed in real time rather than
//! simulated time (the rehearsal timer, the slices of a link's replay, a
//! fresh seed).

/// `performance.now()` in milliseconds; 0 where there is no window (native
/// tests).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
