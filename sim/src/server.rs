//! Servers (and the load balancer's box): CPU cores shared by every
//! component that runs there.
//!
//! Each component (HAProxy, Nginx, the app, MySQL) hands the box a job with
//! its own service time; jobs are served first come, first served by the
//! first core to be free. Co-located components therefore contend: a burst
//! of MySQL work delays Nginx and the app on the same box (the seeds' third
//! issue). Because the order is FCFS, a job's start and end are known the
//! moment it arrives (each core remembers when it is next free), so waiting
//! costs no event and no memory; a job that would wait longer than the
//! timeout is refused instead (HAProxy's `timeout queue`), which also keeps
//! memory bounded under overload.

use crate::histogram::Histogram;
use crate::time::SimTime;

/// A box with cores.
#[derive(Clone, Debug, PartialEq)]
pub struct CpuBox {
    /// Its node index.
    pub node: usize,
    /// Whether the box is up.
    pub alive: bool,
    /// Bumped at every kill: work started before it is void.
    pub epoch: u32,
    /// Whether its monitoring agent is switched on (it also needs the box up).
    pub agent_on: bool,
    free_at: Vec<SimTime>,
    /// Cores its CPU share is counted over: `free_at.len()`, times the
    /// boxes of a pool.
    capacity: usize,
    /// CPU nanoseconds queued this second and not yet accounted (carried
    /// over while the box is saturated).
    busy_ns: u64,
    /// Requests this box handled since the agent's last sample.
    pub(crate) requests_since_sample: u64,
    /// Error responses (5xx) it produced since the last sample.
    pub(crate) errors_since_sample: u64,
    /// CPU nanoseconds since the last sample.
    pub(crate) busy_since_sample: u64,
    /// Latency of responses it took part in, since the last sample.
    pub(crate) latency_since_sample: Histogram,
    /// When the agent last sampled (or the box came up).
    pub(crate) last_sample_at: SimTime,
}

impl CpuBox {
    /// A running box with `cores` idle cores.
    pub fn new(node: usize, cores: u32, agent_on: bool) -> CpuBox {
        CpuBox {
            node,
            alive: true,
            epoch: 0,
            agent_on,
            free_at: vec![SimTime::ZERO; cores.max(1) as usize],
            capacity: cores.max(1) as usize,
            busy_ns: 0,
            requests_since_sample: 0,
            errors_since_sample: 0,
            busy_since_sample: 0,
            latency_since_sample: Histogram::default(),
            last_sample_at: SimTime::ZERO,
        }
    }

    /// Number of cores (of every box a pool's box stands for).
    pub fn cores(&self) -> usize {
        self.capacity
    }

    /// Queues a job of `service_ns` arriving at `now`; returns when it ends,
    /// or `None` if it would wait longer than `timeout_ns` (refused, no CPU
    /// used).
    pub fn run(&mut self, now: SimTime, service_ns: u64, timeout_ns: u64) -> Option<SimTime> {
        let done = first_free_core(&mut self.free_at, now, service_ns, timeout_ns)?;
        self.account(service_ns);
        Some(done)
    }

    /// Counts CPU work done for this box elsewhere: a pool's box counts
    /// the work of its servers (`pool.rs`), so its CPU share is theirs.
    #[inline]
    pub(crate) fn account(&mut self, service_ns: u64) {
        self.busy_ns += service_ns;
        self.busy_since_sample += service_ns;
    }

    /// Makes this box count for `boxes` boxes of its cores (a pool's), so
    /// its CPU share is the pool's average.
    pub(crate) fn stand_for(&mut self, boxes: usize) {
        self.capacity = self.free_at.len() * boxes.max(1);
    }

    /// Queues two jobs that one worker runs back to back on the same core
    /// (Nginx handing the request to the app): returns when each ends, or
    /// `None` if the first would wait longer than `timeout_ns`.
    pub fn run_pair(
        &mut self,
        now: SimTime,
        first_ns: u64,
        then_ns: u64,
        timeout_ns: u64,
    ) -> Option<(SimTime, SimTime)> {
        let done = self.run(now, first_ns + then_ns, timeout_ns)?;
        Some((SimTime(done.0 - then_ns), done))
    }

    /// How long a job arriving now would wait for a core, nanoseconds.
    pub fn wait_ns(&self, now: SimTime) -> u64 {
        let free = self.free_at.iter().min().copied().unwrap_or(now);
        free.0.saturating_sub(now.0)
    }

    /// CPU share (percent) of the second just ended; work beyond the box's
    /// capacity is carried into the next second.
    pub(crate) fn take_cpu_pct(&mut self) -> f32 {
        let capacity = self.cores() as u64 * 1_000_000_000;
        let used = self.busy_ns.min(capacity);
        self.busy_ns -= used;
        (used as f64 * 100.0 / capacity as f64) as f32
    }

    /// Stops the box: queued and running work is void.
    pub fn kill(&mut self) {
        self.alive = false;
        self.epoch = self.epoch.wrapping_add(1);
        self.free_at.fill(SimTime::ZERO);
        self.busy_ns = 0;
    }

    /// Starts the box again, idle.
    pub fn restore(&mut self) {
        self.alive = true;
    }

    pub(crate) fn reset_sample(&mut self, now: SimTime) {
        self.last_sample_at = now;
        self.requests_since_sample = 0;
        self.errors_since_sample = 0;
        self.busy_since_sample = 0;
        self.latency_since_sample.clear();
    }
}

/// Queues a job of `service_ns` arriving at `now` on the first core to be
/// free (first of equals) and returns when it ends, or `None` if it would
/// wait longer than `timeout_ns`. `free_at` is when each core is next free.
#[inline]
pub(crate) fn first_free_core(
    free_at: &mut [SimTime],
    now: SimTime,
    service_ns: u64,
    timeout_ns: u64,
) -> Option<SimTime> {
    // A plain loop: the iterator chain cost a few dozen instructions per
    // job, three jobs per request.
    let (mut core, mut free) = (0, free_at.first().copied().unwrap_or(now));
    for (i, &t) in free_at.iter().enumerate().skip(1) {
        if t < free {
            (core, free) = (i, t);
        }
    }
    let start = free.max(now);
    if start.0 - now.0 > timeout_ns {
        return None;
    }
    let done = start.plus_nanos(service_ns);
    free_at[core] = done;
    Some(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_are_shared_first_come_first_served() {
        let mut b = CpuBox::new(0, 2, false);
        let t = SimTime::ZERO;
        assert_eq!(b.run(t, 10, 1000), Some(SimTime(10)));
        assert_eq!(b.run(t, 10, 1000), Some(SimTime(10)));
        // Third job waits for a core: contention.
        assert_eq!(b.run(t, 10, 1000), Some(SimTime(20)));
        assert_eq!(b.wait_ns(t), 10);
        // Would wait too long: refused.
        let mut b = CpuBox::new(0, 1, false);
        b.run(t, 5000, 1000);
        assert_eq!(b.run(t, 1, 1000), None);
    }
}
