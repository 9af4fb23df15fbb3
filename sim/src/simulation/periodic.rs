//! The engine's recurring work, each rescheduling itself: the second tick
//! (per-second history), the load balancer's health checks, replication,
//! the monitoring agents and the deliveries of their samples, and the
//! automatic failover.

use super::pending::Pending;
use super::{Simulation, SECOND};
use crate::agent::Sample;
use crate::database::{Role, TICK_NS as REPL_TICK_NS};
use crate::event::Event;
use crate::firewall::Verdict;
use crate::load_balancer::PoolChange;
use crate::metrics::{AlertRecord, SecondStats};
use crate::monitoring::AlertChange;
use crate::scenario::FailoverMode;
use crate::tls;
use std::sync::Arc;

impl Simulation {
    /// Closes the second that ended: its stats go into the history, and
    /// the monitoring service notices hosts that went silent.
    pub(super) fn second_tick(&mut self) {
        let second = self.now.0 / SECOND;
        let lag = self.replication_lag_ms() as f32;
        let mut done = std::mem::replace(
            &mut self.metrics.current,
            SecondStats::empty(second, self.boxes.len()),
        );
        done.second = second.saturating_sub(1);
        done.latency_p50_ms = self.metrics.second_latency.quantile_ms(0.5) as f32;
        done.latency_p99_ms = self.metrics.second_latency.quantile_ms(0.99) as f32;
        self.metrics.second_latency.clear();
        done.replication_lag_ms = lag;
        self.pools_close_second();
        for slot in 0..self.boxes.len() {
            done.cpu_pct[slot] = self.boxes[slot].take_cpu_pct();
            done.qps_monitored[slot] = self.monitoring.qps_of(slot);
            done.cpu_monitored[slot] = self.monitoring.cpu_of(slot);
            done.queue_wait_ms[slot] = (self.boxes[slot].wait_ns(self.now) as f64 / 1e6) as f32;
        }
        // A pool's queue is its least busy box's (where the next job goes
        // when the load balancer balances well).
        for p in &self.pools {
            if let Some(slot) = self.topo.box_slot[p.node] {
                done.queue_wait_ms[slot] = (p.wait_ns(self.now) as f64 / 1e6) as f32;
            }
        }
        let q = &mut self.metrics.qps_history;
        if q.len() == 120 {
            q.remove(0);
        }
        q.push(u64::from(done.served));
        self.metrics.history.push(done);
        // The service notices hosts that went silent.
        let expected: Vec<(usize, usize)> = (0..self.boxes.len())
            .filter(|&s| self.topo.scenario.nodes[self.boxes[s].node].agent)
            .map(|s| (s, self.boxes[s].node))
            .collect();
        let mut changes = std::mem::take(&mut self.alerts_scratch);
        self.monitoring.check_silence(self.now, &expected, &mut changes);
        self.apply_alerts(&mut changes);
        self.alerts_scratch = changes;
        self.queue.push(self.now.plus_nanos(SECOND), Pending::SecondTick);
    }

    /// Records and reports the alerts that fired or cleared.
    fn apply_alerts(&mut self, changes: &mut Vec<AlertChange>) {
        for c in changes.drain(..) {
            match c {
                AlertChange::Fire(rule, node) => {
                    self.metrics.alerts.push(AlertRecord { at: self.now, rule, node });
                    self.emit(Event::Alert { at: self.now, rule, node });
                }
                AlertChange::Clear(rule, node) => {
                    self.emit(Event::AlertCleared { at: self.now, rule, node })
                }
            }
        }
    }

    /// The load balancer checks each backend: up, and reachable through
    /// the firewalls on the backend port. Both of an active-active pair
    /// check (the standby of an active-passive pair does not: it starts
    /// cold when it takes the VIP).
    pub(super) fn health_check(&mut self) {
        self.check_backends(0);
        if self.both_serve() {
            for which in 1..self.dns_addresses() {
                self.check_backends(which);
            }
        }
        let every = u64::from(self.topo.scenario.load_balancer.check_interval_ms) * 1_000_000;
        self.queue.push(self.now.plus_nanos(every), Pending::HealthCheck);
    }

    /// One load balancer (a request's `lb` byte) checks its backends.
    fn check_backends(&mut self, which: u8) {
        let lb = self.lb_of(which).node;
        if !self.node_up[lb] {
            return;
        }
        let port = tls::backend_port(self.tls);
        let topo = Arc::clone(&self.topo);
        for b in 0..self.lb_of(which).backends.len() {
            let server = self.lb_of(which).backends[b].node;
            let reachable = topo.crossings(lb, server).iter().all(|&k| {
                let fw = &self.firewalls[k as usize];
                self.node_up[fw.node] && fw.check(lb, topo.zones[lb], port) == Verdict::Allow
            });
            let ok = self.place_up(self.backend_place(b)) && reachable;
            match self.lb_mut(which).check(b, ok) {
                Some(PoolChange::Removed) => {
                    self.emit(Event::BackendRemoved { at: self.now, server })
                }
                Some(PoolChange::Added) => self.emit(Event::BackendAdded { at: self.now, server }),
                None => {}
            }
        }
    }

    /// Replicas connected to the primary receive its binlog and apply it.
    pub(super) fn replication_tick(&mut self) {
        let topo = Arc::clone(&self.topo);
        let n = self.db.instances.len();
        let p = self.db.primary;
        let primary_ok = self.instance_up(p) && self.db.instances[p].role == Role::Primary;
        let primary_host = self.db.instances[p].node;
        let mut connected = [false; 64];
        let mut running = [false; 64];
        for i in 0..n.min(64) {
            running[i] = self.instance_up(i);
            let host = self.db.instances[i].node;
            // The replica's IO thread connects to the primary on 3306.
            connected[i] = running[i]
                && primary_ok
                && topo.crossings(host, primary_host).iter().all(|&k| {
                    let fw = &self.firewalls[k as usize];
                    self.node_up[fw.node]
                        && fw.check(host, topo.zones[host], 3306) == Verdict::Allow
                });
        }
        self.db.tick(self.now, |i| connected[i], |i| running[i]);
        self.queue.push(self.now.plus_nanos(REPL_TICK_NS), Pending::ReplicationTick);
    }

    /// A box's monitoring agent takes a sample and ships what it holds.
    pub(super) fn agent_sample(&mut self, slot: usize) {
        let spec = self.topo.scenario.monitoring;
        let interval = u64::from(spec.interval_s) * SECOND;
        self.queue.push(self.now.plus_nanos(interval), Pending::AgentSample(slot as u8));
        let node = self.boxes[slot].node;
        if !self.node_up[node] || !self.boxes[slot].agent_on || self.topo.monitoring.is_none() {
            self.boxes[slot].reset_sample(self.now);
            return;
        }
        // Sampling costs the box a little CPU.
        let timeout = self.timeout_ns();
        self.boxes[slot].run(self.now, u64::from(spec.agent_cpu_us) * 1000, timeout);
        let b = &self.boxes[slot];
        let span = self.now.0.saturating_sub(b.last_sample_at.0).max(1) as f64;
        let cpu = (b.busy_since_sample as f64 * 100.0 / (span * b.cores() as f64)).min(100.0);
        let mut lag: Option<f32> = None;
        let mut primary = None;
        for i in 0..self.db.instances.len() {
            // The agent reads MySQL's status on its own box, dead or alive.
            if self.db.instances[i].node != node {
                continue;
            }
            let p = self.db.primary;
            primary = Some((
                self.db.instances[p].node,
                self.instance_up(p) && self.db.instances[p].role == Role::Primary,
            ));
            if self.db.instances[i].role == Role::Replica && self.db.up(i) {
                let l = (self.db.lag_ns(i, self.now) as f64 / 1e6) as f32;
                lag = Some(lag.map_or(l, |x: f32| x.max(l)));
            }
        }
        let sample = Sample {
            node,
            sampled_at: self.now,
            qps: (b.requests_since_sample as f64 * 1e9 / span) as f32,
            errors: b.errors_since_sample.min(u64::from(u32::MAX)) as u32,
            requests: b.requests_since_sample.min(u64::from(u32::MAX)) as u32,
            cpu_pct: cpu as f32,
            mem_pct: (35.0 + 0.5 * cpu) as f32,
            p99_ms: b.latency_since_sample.quantile_ms(0.99) as f32,
            replication_lag_ms: lag,
            primary,
        };
        self.boxes[slot].reset_sample(self.now);
        self.agents[slot].keep(sample);
        if self.monitoring.alive {
            while let Some(s) = self.agents[slot].buffer.pop_front() {
                let at = self.monitoring.ship(self.now, s);
                self.queue.push(at, Pending::Deliver);
            }
        }
    }

    /// A shipped sample reaches the monitoring service, which may raise or
    /// clear alerts.
    pub(super) fn deliver(&mut self) {
        let Some((at, sample)) = self.monitoring.next_arrival() else { return };
        if !self.monitoring.alive {
            return;
        }
        let Some(slot) = self.topo.box_slot[sample.node] else { return };
        let _ = at;
        self.emit(Event::MetricsReceived {
            at: self.now,
            node: sample.node,
            sampled_at: sample.sampled_at,
        });
        let mut changes = std::mem::take(&mut self.alerts_scratch);
        self.monitoring.receive(self.now, slot, sample, &mut changes);
        self.apply_alerts(&mut changes);
        self.alerts_scratch = changes;
    }

    /// In automatic mode with the primary down, plans the promotion after
    /// detection (missed heartbeats) and the promotion itself.
    pub(super) fn plan_auto_failover(&mut self) {
        if self.failover != FailoverMode::Auto || self.db.primary_up() {
            return;
        }
        let spec = self.topo.scenario.database;
        let detect = u64::from(spec.heartbeat_ms) * u64::from(spec.missed_heartbeats) * 1_000_000;
        let promote = u64::from(spec.promotion_ms) * 1_000_000;
        self.queue
            .push(self.now.plus_nanos(detect + promote), Pending::AutoPromote(self.db.generation));
    }

    /// The orchestrator's promotion falls due: it happens only if nothing
    /// changed since it was planned (same primary generation, still in
    /// automatic mode, primary still down).
    pub(super) fn auto_promote(&mut self, generation: u32) {
        if generation != self.db.generation
            || self.failover != FailoverMode::Auto
            || self.db.primary_up()
        {
            return;
        }
        // The orchestrator picks the live replica with the most binlog.
        let best = (0..self.db.instances.len())
            .filter(|&i| self.db.instances[i].role == Role::Replica && self.instance_up(i))
            .max_by_key(|&i| (self.db.instances[i].received, std::cmp::Reverse(i)));
        if let Some(r) = best {
            self.promote(r, true);
        }
    }

    /// Makes replica `r` the primary (by the orchestrator or a command);
    /// writes it had not received are lost.
    pub(super) fn promote(&mut self, r: usize, automatic: bool) {
        let lost = self.db.promote(r, self.now);
        self.metrics.lost_writes += lost;
        let node = self.db.instances[r].node;
        self.emit(Event::Promoted { at: self.now, node, lost_writes: lost, automatic });
    }
}
