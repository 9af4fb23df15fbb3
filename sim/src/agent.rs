//! The monitoring agent on a box (Sumo Logic collector-like).
//!
//! Every interval it samples the box — CPU, memory, the request count and
//! errors from the web server's log, p99 latency, and for MySQL hosts the
//! replication lag and whether the primary answers — buffers the sample and
//! ships it to the monitoring service. Sampling costs the box a little CPU.
//! The agent dies with its box (its buffer too); while the service is down it
//! keeps at most [`BUFFER`] samples and ships them when it is back.

use crate::time::SimTime;
use std::collections::VecDeque;

/// Samples an agent keeps while it cannot ship.
pub const BUFFER: usize = 64;

/// One sample, as shipped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// The box (node index).
    pub node: usize,
    /// When the agent took it.
    pub sampled_at: SimTime,
    /// Requests per second over the interval.
    pub qps: f32,
    /// Error responses over the interval.
    pub errors: u32,
    /// Requests over the interval.
    pub requests: u32,
    /// CPU busy share over the interval, percent.
    pub cpu_pct: f32,
    /// Memory in use, percent (a simple model: base + load).
    pub mem_pct: f32,
    /// p99 latency of the responses this box took part in (ms).
    pub p99_ms: f32,
    /// Worst lag of a replica on this box, if one runs here (ms).
    pub replication_lag_ms: Option<f32>,
    /// What this box knows of the primary, if MySQL runs here: its node and
    /// whether it answers.
    pub primary: Option<(usize, bool)>,
}

/// The agent's outbox.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agent {
    /// Samples not shipped yet.
    pub buffer: VecDeque<Sample>,
}

impl Agent {
    /// Adds a sample, forgetting the oldest when full.
    pub fn keep(&mut self, s: Sample) {
        if self.buffer.len() == BUFFER {
            self.buffer.pop_front();
        }
        self.buffer.push_back(s);
    }
}
