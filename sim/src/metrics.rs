//! Counters the simulation keeps, bounded in size however long it runs.

/// Ground-truth counters of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics {
    /// User requests that arrived.
    pub requests: u64,
    /// Requests answered successfully.
    pub served: u64,
    /// Requests served per completed simulated second (ring of the last 120).
    pub qps_history: Vec<u64>,
    /// Requests served so far in the current second.
    pub(crate) served_this_second: u64,
}

impl Metrics {
    /// Requests served in the last completed simulated second.
    pub fn last_qps(&self) -> u64 {
        self.qps_history.last().copied().unwrap_or(0)
    }
}
