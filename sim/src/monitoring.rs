//! The central monitoring service (Sumo Logic-like): receives the agents'
//! samples after the shipping + ingestion delay and evaluates alert rules on
//! what it has *received*, so every alert is late by that pipeline delay.
//!
//! Rules: QPS spike/drop between two samples of a host, error rate, p99
//! latency, replication lag, primary down, CPU high, and "no data" from a
//! host that should report. An alert fires when its condition becomes true
//! and clears when a later sample shows it false (no repeats in between).

use crate::agent::Sample;
use crate::event::AlertRule;
use crate::scenario::MonitoringSpec;
use crate::time::SimTime;
use std::collections::VecDeque;

/// What the service knows about one box.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostView {
    /// When the last sample arrived.
    pub last_received: Option<SimTime>,
    /// The last sample.
    pub last: Option<Sample>,
}

/// An alert decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertChange {
    /// Raise.
    Fire(AlertRule, usize),
    /// Clear.
    Clear(AlertRule, usize),
}

/// The service.
#[derive(Clone, Debug, PartialEq)]
pub struct MonitoringService {
    /// Its node, if the scenario has one.
    pub node: Option<usize>,
    /// Whether it is up.
    pub alive: bool,
    /// Per box slot.
    pub hosts: Vec<HostView>,
    in_transit: VecDeque<(SimTime, Sample)>,
    active: Vec<u8>,
    spec: MonitoringSpec,
}

fn bit(rule: AlertRule) -> u8 {
    1 << (rule as u8)
}

impl MonitoringService {
    /// A service watching `boxes` box slots of a scenario with `nodes` nodes.
    pub fn new(node: Option<usize>, spec: &MonitoringSpec, boxes: usize, nodes: usize) -> Self {
        MonitoringService {
            node,
            alive: node.is_some(),
            hosts: vec![HostView::default(); boxes],
            in_transit: VecDeque::new(),
            active: vec![0; nodes],
            spec: *spec,
        }
    }

    /// Shipping + ingestion delay, nanoseconds.
    pub fn pipeline_ns(&self) -> u64 {
        (u64::from(self.spec.ship_delay_ms) + u64::from(self.spec.ingest_delay_ms)) * 1_000_000
    }

    /// Puts a shipped sample on its way; returns when it will be visible.
    pub fn ship(&mut self, now: SimTime, s: Sample) -> SimTime {
        let at = now.plus_nanos(self.pipeline_ns());
        self.in_transit.push_back((at, s));
        at
    }

    /// Takes the next sample due (the delay is the same for all, so they
    /// arrive in shipping order).
    pub fn next_arrival(&mut self) -> Option<(SimTime, Sample)> {
        self.in_transit.pop_front()
    }

    /// Whether alert `rule` on `node` is raised.
    pub fn is_active(&self, rule: AlertRule, node: usize) -> bool {
        self.active.get(node).is_some_and(|a| a & bit(rule) != 0)
    }

    fn set(&mut self, rule: AlertRule, node: usize, on: bool, out: &mut Vec<AlertChange>) {
        let Some(a) = self.active.get_mut(node) else { return };
        let was = *a & bit(rule) != 0;
        if on && !was {
            *a |= bit(rule);
            out.push(AlertChange::Fire(rule, node));
        } else if !on && was {
            *a &= !bit(rule);
            out.push(AlertChange::Clear(rule, node));
        }
    }

    /// Files a received sample from box `slot` and evaluates its rules.
    pub fn receive(&mut self, now: SimTime, slot: usize, s: Sample, out: &mut Vec<AlertChange>) {
        let prev = self.hosts[slot].last;
        self.hosts[slot] = HostView { last_received: Some(now), last: Some(s) };
        let spec = self.spec;
        let n = s.node;
        self.set(AlertRule::NoData, n, false, out);
        self.set(AlertRule::CpuHigh, n, f64::from(s.cpu_pct) > spec.cpu_high_pct, out);
        let error_share =
            if s.requests == 0 { 0.0 } else { f64::from(s.errors) / f64::from(s.requests) };
        self.set(AlertRule::ErrorRate, n, s.errors >= 5 && error_share > spec.error_rate, out);
        self.set(AlertRule::LatencyP99, n, f64::from(s.p99_ms) > spec.p99_ms, out);
        let lag = s.replication_lag_ms.unwrap_or(0.0);
        self.set(AlertRule::ReplicationLag, n, f64::from(lag) > spec.lag_ms, out);
        if let Some(prev) = prev {
            let (a, b) = (f64::from(prev.qps), f64::from(s.qps));
            let f = spec.qps_change_factor;
            // Small absolute changes are noise, not spikes.
            self.set(AlertRule::QpsSpike, n, b - a >= 10.0 && b > a * f, out);
            self.set(AlertRule::QpsDrop, n, a >= 10.0 && b < a / f, out);
        }
        if let Some((primary, up)) = s.primary {
            if up {
                for node in 0..self.active.len() {
                    self.set(AlertRule::PrimaryDown, node, false, out);
                }
            } else {
                self.set(AlertRule::PrimaryDown, primary, true, out);
            }
        }
    }

    /// Raises "no data" for expected hosts silent for too long. `expected`
    /// lists `(slot, node)` of boxes that have an agent.
    pub fn check_silence(
        &mut self,
        now: SimTime,
        expected: &[(usize, usize)],
        out: &mut Vec<AlertChange>,
    ) {
        if !self.alive {
            return;
        }
        let limit = u64::from(self.spec.no_data_intervals)
            * u64::from(self.spec.interval_s)
            * 1_000_000_000
            + self.pipeline_ns();
        for &(slot, node) in expected {
            let since = self.hosts[slot].last_received.unwrap_or(SimTime::ZERO);
            if now.0.saturating_sub(since.0) > limit {
                self.set(AlertRule::NoData, node, true, out);
            }
        }
    }

    /// The QPS the service last heard from box `slot` (0 if nothing).
    pub fn qps_of(&self, slot: usize) -> f32 {
        self.hosts[slot].last.map_or(0.0, |s| s.qps)
    }

    /// The CPU percentage the service last heard from box `slot`.
    pub fn cpu_of(&self, slot: usize) -> f32 {
        self.hosts[slot].last.map_or(0.0, |s| s.cpu_pct)
    }

    /// Stops the service: samples on their way are lost.
    pub fn kill(&mut self) {
        self.alive = false;
        self.in_transit.clear();
    }
}
