//! Ground truth and the monitoring service's view, bounded in size however
//! long the run: counters, one fixed histogram, and per-second series kept in
//! ring buffers of [`HISTORY_SECONDS`].

use crate::event::{AlertRule, DropCode};
use crate::histogram::Histogram;
use crate::node_set::NodeSet;
use crate::reuse::Overwrite;
use crate::time::SimTime;
use std::collections::VecDeque;

/// How many completed simulated seconds the series keep.
pub const HISTORY_SECONDS: usize = 600;
/// How many alerts are kept (oldest forgotten first).
pub const ALERTS_KEPT: usize = 1000;

/// A bounded first-in first-out buffer: pushing past capacity forgets the
/// oldest entry.
#[derive(Debug, PartialEq)]
pub struct Ring<T> {
    items: VecDeque<T>,
    capacity: usize,
    forgotten: u64,
}

impl<T: Clone> Clone for Ring<T> {
    fn clone(&self) -> Self {
        Ring { items: self.items.clone(), capacity: self.capacity, forgotten: self.forgotten }
    }

    /// Copies into the items already there (each item's own `clone_from`),
    /// so a snapshot taken into a reused copy allocates nothing new.
    fn clone_from(&mut self, source: &Self) {
        let Ring { items, capacity, forgotten } = self;
        items.overwrite_from(&source.items);
        *capacity = source.capacity;
        *forgotten = source.forgotten;
    }
}

impl<T> Ring<T> {
    /// An empty ring holding at most `capacity` items.
    pub fn new(capacity: usize) -> Ring<T> {
        Ring { items: VecDeque::new(), capacity: capacity.max(1), forgotten: 0 }
    }

    /// Appends, forgetting the oldest item when full.
    pub fn push(&mut self, item: T) {
        if self.items.len() == self.capacity {
            self.items.pop_front();
            self.forgotten += 1;
        }
        self.items.push_back(item);
    }

    /// Items kept, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter()
    }

    /// Number of items kept.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The newest item.
    pub fn last(&self) -> Option<&T> {
        self.items.back()
    }

    /// How many items were pushed out (the index of the first kept item).
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }
}

/// What happened during one simulated second. Per-box vectors are indexed
/// like [`Metrics::boxes`] (load balancer and servers, in node order).
#[derive(Debug, PartialEq)]
pub struct SecondStats {
    /// Start of the second, in whole simulated seconds.
    pub second: u64,
    /// User requests that arrived.
    pub requests: u32,
    /// Responses delivered.
    pub served: u32,
    /// User requests dropped, by [`DropCode`] index.
    pub dropped: [u32; DropCode::COUNT],
    /// Median latency of the responses of this second (ms, 0 if none).
    pub latency_p50_ms: f32,
    /// 99th percentile latency of this second (ms, 0 if none).
    pub latency_p99_ms: f32,
    /// Worst replication lag among live replicas at the end of the second.
    pub replication_lag_ms: f32,
    /// Requests each box handled, as the load balancer sees it (for the load
    /// balancer itself: everything it received).
    pub qps: Vec<u32>,
    /// Requests per second each box reported, as the monitoring service knew
    /// it at the end of this second (lags by the pipeline delay).
    pub qps_monitored: Vec<f32>,
    /// CPU busy share of each box, percent.
    pub cpu_pct: Vec<f32>,
    /// CPU of each box as the monitoring service last heard it, percent.
    pub cpu_monitored: Vec<f32>,
    /// How long a job arriving at each box at the end of the second would
    /// wait for a core (its queue), milliseconds.
    pub queue_wait_ms: Vec<f32>,
    /// Attack attempts that got through every firewall.
    pub attacks_reached: u32,
}

/// An alert as the service raised it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AlertRecord {
    /// When.
    pub at: SimTime,
    /// Which rule.
    pub rule: AlertRule,
    /// The host (node index).
    pub node: usize,
}

/// One failover of a load-balancer pair, from the VIP holder's death to
/// the first new request served again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LbFailover {
    /// When the VIP holder died.
    pub died_at: SimTime,
    /// When the other load balancer took the VIP (`None` until it has).
    pub vip_moved_at: Option<SimTime>,
    /// When the first request sent after the death was answered: the site
    /// serves again (`None` until then).
    pub recovered_at: Option<SimTime>,
    /// User requests sent after the death and dropped before the site
    /// served again (dead VIP, cold health checks, timeouts alike).
    pub requests_lost: u64,
    /// Active-active: users stay pinned to the dead one by their DNS cache,
    /// and `recovered_at` is when the last pinned entry expires.
    pub pinned: bool,
}

impl LbFailover {
    /// Seconds from the death to the recovery, if known (active-active:
    /// when the last pinned entry expires, which may lie ahead of now).
    pub fn recovery_s(&self) -> Option<f64> {
        self.recovered_at.map(|r| (r.0 - self.died_at.0) as f64 / 1e9)
    }
}

/// Everything counted so far. All counters include every request, sampled
/// events or not.
#[derive(Debug, PartialEq)]
pub struct Metrics {
    /// User requests that arrived (attacks excluded).
    pub requests: u64,
    /// User requests answered successfully.
    pub served: u64,
    /// User requests dropped, by [`DropCode`] index.
    pub dropped: [u64; DropCode::COUNT],
    /// Writes a MySQL primary committed (acknowledged).
    pub writes_ok: u64,
    /// Write requests that ended dropped, whatever the reason.
    pub writes_failed: u64,
    /// Acknowledged writes that the promoted replica never received.
    pub lost_writes: u64,
    /// Reads answered by a replica missing writes acknowledged more than
    /// `stale_after_ms` earlier.
    pub stale_reads: u64,
    /// Attack attempts sent.
    pub attacks: u64,
    /// Attack attempts that reached a service.
    pub attacks_reached: u64,
    /// Attack attempts dropped, by [`DropCode`] index.
    pub attacks_dropped: [u64; DropCode::COUNT],
    /// Latency of every served request over the whole run.
    pub latency: Histogram,
    /// Per-second series, newest last, at most [`HISTORY_SECONDS`].
    pub history: Ring<SecondStats>,
    /// Node indices of the boxes (load balancer, servers) that per-box
    /// vectors refer to.
    pub boxes: Vec<usize>,
    /// Alerts raised, oldest first, at most [`ALERTS_KEPT`].
    pub alerts: Ring<AlertRecord>,
    /// Internal events processed by the engine.
    pub events: u64,
    /// Responses per completed simulated second, the last 120 (kept for the
    /// skeleton's CLI; [`Metrics::history`] has the full per-second record).
    pub qps_history: Vec<u64>,
    /// `plaintext[from]` holds `to`: user data crossed `from → to`
    /// unencrypted.
    pub plaintext: Vec<NodeSet>,
    /// Drops per firewall: `(firewall node, rule index or None for the
    /// default deny, count)`, user and attack traffic together.
    pub firewall_drops: Vec<(usize, Option<usize>, u64)>,
    /// The latest load-balancer failover of a pair (`None` before the VIP
    /// holder first dies, and in designs with one load balancer).
    pub lb_failover: Option<LbFailover>,
    pub(crate) current: SecondStats,
    pub(crate) second_latency: Histogram,
}

impl Clone for Metrics {
    fn clone(&self) -> Self {
        let mut copy = Metrics::new(0, Vec::new());
        copy.clone_from(self);
        copy
    }

    /// Field by field, into the buffers already there (see
    /// [`Simulation`](crate::Simulation)'s `clone_from`). Destructured
    /// without `..`: a new field does not compile until it is copied here.
    fn clone_from(&mut self, source: &Self) {
        let Metrics {
            requests,
            served,
            dropped,
            writes_ok,
            writes_failed,
            lost_writes,
            stale_reads,
            attacks,
            attacks_reached,
            attacks_dropped,
            latency,
            history,
            boxes,
            alerts,
            events,
            qps_history,
            plaintext,
            firewall_drops,
            lb_failover,
            current,
            second_latency,
        } = self;
        *requests = source.requests;
        *served = source.served;
        *dropped = source.dropped;
        *writes_ok = source.writes_ok;
        *writes_failed = source.writes_failed;
        *lost_writes = source.lost_writes;
        *stale_reads = source.stale_reads;
        *attacks = source.attacks;
        *attacks_reached = source.attacks_reached;
        *attacks_dropped = source.attacks_dropped;
        latency.clone_from(&source.latency);
        history.clone_from(&source.history);
        boxes.clone_from(&source.boxes);
        alerts.clone_from(&source.alerts);
        *events = source.events;
        qps_history.clone_from(&source.qps_history);
        plaintext.clone_from(&source.plaintext);
        firewall_drops.clone_from(&source.firewall_drops);
        *lb_failover = source.lb_failover;
        current.clone_from(&source.current);
        second_latency.clone_from(&source.second_latency);
    }
}

impl Metrics {
    pub(crate) fn new(nodes: usize, boxes: Vec<usize>) -> Metrics {
        let n = boxes.len();
        Metrics {
            requests: 0,
            served: 0,
            dropped: [0; DropCode::COUNT],
            writes_ok: 0,
            writes_failed: 0,
            lost_writes: 0,
            stale_reads: 0,
            attacks: 0,
            attacks_reached: 0,
            attacks_dropped: [0; DropCode::COUNT],
            latency: Histogram::default(),
            history: Ring::new(HISTORY_SECONDS),
            boxes,
            alerts: Ring::new(ALERTS_KEPT),
            events: 0,
            qps_history: Vec::new(),
            plaintext: vec![NodeSet::default(); nodes],
            firewall_drops: Vec::new(),
            lb_failover: None,
            current: SecondStats::empty(0, n),
            second_latency: Histogram::default(),
        }
    }

    /// Responses delivered in the last completed simulated second.
    pub fn last_qps(&self) -> u64 {
        self.history.last().map_or(0, |s| u64::from(s.served))
    }

    /// User requests dropped, all reasons.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.iter().sum()
    }

    /// User requests dropped for this reason.
    pub fn dropped_for(&self, code: DropCode) -> u64 {
        self.dropped[code as usize]
    }

    /// User requests still travelling or waiting.
    pub fn in_flight(&self) -> u64 {
        self.requests - self.served - self.dropped_total()
    }

    /// Position of a node in [`Metrics::boxes`], if it is a box.
    pub fn box_slot(&self, node: usize) -> Option<usize> {
        self.boxes.iter().position(|&b| b == node)
    }

    /// Whether user data ever crossed `from → to` unencrypted.
    pub fn was_plaintext(&self, from: usize, to: usize) -> bool {
        self.plaintext.get(from).is_some_and(|m| m.contains(to))
    }

    pub(crate) fn count_firewall_drop(&mut self, firewall: usize, rule: Option<usize>) {
        match self.firewall_drops.iter_mut().find(|(f, r, _)| *f == firewall && *r == rule) {
            Some(entry) => entry.2 += 1,
            None => self.firewall_drops.push((firewall, rule, 1)),
        }
    }
}

impl Clone for SecondStats {
    fn clone(&self) -> Self {
        let mut copy = SecondStats::empty(self.second, 0);
        copy.clone_from(self);
        copy
    }

    /// Reuses the per-box vectors (600 seconds × 5 of them in every
    /// snapshot): see [`Simulation`](crate::Simulation)'s `clone_from`.
    fn clone_from(&mut self, source: &Self) {
        let SecondStats {
            second,
            requests,
            served,
            dropped,
            latency_p50_ms,
            latency_p99_ms,
            replication_lag_ms,
            qps,
            qps_monitored,
            cpu_pct,
            cpu_monitored,
            queue_wait_ms,
            attacks_reached,
        } = self;
        *second = source.second;
        *requests = source.requests;
        *served = source.served;
        *dropped = source.dropped;
        *latency_p50_ms = source.latency_p50_ms;
        *latency_p99_ms = source.latency_p99_ms;
        *replication_lag_ms = source.replication_lag_ms;
        qps.clone_from(&source.qps);
        qps_monitored.clone_from(&source.qps_monitored);
        cpu_pct.clone_from(&source.cpu_pct);
        cpu_monitored.clone_from(&source.cpu_monitored);
        queue_wait_ms.clone_from(&source.queue_wait_ms);
        *attacks_reached = source.attacks_reached;
    }
}

impl SecondStats {
    pub(crate) fn empty(second: u64, boxes: usize) -> SecondStats {
        SecondStats {
            second,
            requests: 0,
            served: 0,
            dropped: [0; DropCode::COUNT],
            latency_p50_ms: 0.0,
            latency_p99_ms: 0.0,
            replication_lag_ms: 0.0,
            qps: vec![0; boxes],
            qps_monitored: vec![0.0; boxes],
            cpu_pct: vec![0.0; boxes],
            cpu_monitored: vec![0.0; boxes],
            queue_wait_ms: vec![0.0; boxes],
            attacks_reached: 0,
        }
    }
}
