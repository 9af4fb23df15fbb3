//! The read-only side: the public getters of the current state, and the
//! few questions about it the engine's other parts share.

use super::pending::Pending;
use super::Simulation;
use crate::database::Role;
use crate::event::{AlertRule, RequestKind};
use crate::firewall::Firewall;
use crate::load_balancer::LoadBalancer;
use crate::pool::PoolSpread;
use crate::scenario::{FailoverMode, PairMode, Scenario, TlsMode};
use crate::server::CpuBox;
use crate::topology::Topology;
use crate::traffic::Traffic;

/// Where a MySQL process stands, for display and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatabaseView {
    /// The box it runs on.
    pub node: usize,
    /// Whether it takes writes.
    pub primary: bool,
    /// Whether it answers (process and box up).
    pub up: bool,
    /// Writes in its relay log (for the primary: committed).
    pub received: u64,
    /// Writes applied (for the primary: committed).
    pub applied: u64,
}

impl Simulation {
    /// The scenario being simulated.
    pub fn scenario(&self) -> &Scenario {
        &self.topo.scenario
    }

    /// The resolved topology: the static questions about the layout
    /// (firewalls between two nodes, a request's path, where TLS ends).
    pub fn topology(&self) -> &Topology {
        &self.topo
    }

    /// Current TLS mode.
    pub fn tls_mode(&self) -> TlsMode {
        self.tls
    }

    /// Current failover mode.
    pub fn failover_mode(&self) -> FailoverMode {
        self.failover
    }

    /// The load balancer's state (algorithm, pool, open connections): in a
    /// pair, the one holding the VIP.
    pub fn load_balancer(&self) -> &LoadBalancer {
        &self.lb
    }

    /// The load-balancer node holding the VIP now (the only one without a
    /// pair; static roles are [`crate::Topology::lb_pair`]).
    pub fn vip_holder(&self) -> usize {
        self.lb.node
    }

    /// The load-balancer node answering on the virtual IP now, when the
    /// design has one (an active-passive pair); `None` with one load
    /// balancer or behind DNS records (active-active), where no VIP exists.
    pub fn vip(&self) -> Option<usize> {
        self.pair.as_ref().filter(|p| p.spec.mode == PairMode::ActivePassive).map(|_| self.lb.node)
    }

    /// The pair's load balancer not holding the VIP (its HAProxy state),
    /// `None` without a pair.
    pub fn standby_load_balancer(&self) -> Option<&LoadBalancer> {
        self.pair.as_ref().and_then(|p| p.others.first())
    }

    /// Current traffic settings.
    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    /// The firewall on `node`, if it is one (its live rule table).
    pub fn firewall(&self, node: usize) -> Option<&Firewall> {
        self.firewalls.iter().find(|f| f.node == node)
    }

    /// Whether node `i` is up (not killed).
    pub fn is_up(&self, node: usize) -> bool {
        self.node_up.get(node).copied().unwrap_or(false)
    }

    /// The box (CPU) state of a load balancer or server node.
    pub fn cpu_box(&self, node: usize) -> Option<&CpuBox> {
        self.topo.box_slot.get(node).copied().flatten().map(|s| &self.boxes[s])
    }

    /// Every MySQL process, in node order.
    pub fn databases(&self) -> Vec<DatabaseView> {
        self.db
            .instances
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                let primary = inst.role == Role::Primary;
                DatabaseView {
                    node: inst.node,
                    primary,
                    up: self.instance_up(i),
                    received: if primary { self.db.committed } else { inst.received },
                    applied: if primary { self.db.committed } else { inst.applied },
                }
            })
            .collect()
    }

    /// Node of the MySQL primary (the current writer, up or not).
    pub fn primary_node(&self) -> Option<usize> {
        self.db.instances.get(self.db.primary).map(|i| i.node)
    }

    /// Worst replication lag among live replicas right now, milliseconds.
    pub fn replication_lag_ms(&self) -> f64 {
        (0..self.db.instances.len())
            .filter(|&i| self.db.instances[i].role == Role::Replica && self.instance_up(i))
            .map(|i| self.db.lag_ns(i, self.now) as f64 / 1e6)
            .fold(0.0, f64::max)
    }

    /// User requests that currently have a scheduled step, counted from the
    /// event queue itself (each request in flight has exactly one): an
    /// independent check of `requests = served + dropped + in flight`.
    pub fn requests_in_queue(&self) -> u64 {
        self.queue
            .iter()
            .filter(|p| match p {
                Pending::AtLb(r)
                | Pending::AtServer(r)
                | Pending::AtApp(r)
                | Pending::AtDb(r)
                | Pending::DbDone(r)
                | Pending::Drop(r, _, _) => r.kind != RequestKind::Attack,
                _ => false,
            })
            .count() as u64
    }

    /// Whether the monitoring service currently has `rule` raised on `node`.
    pub fn alert_active(&self, rule: AlertRule, node: usize) -> bool {
        self.monitoring.is_active(rule, node)
    }

    // ----- the questions the engine's other parts ask -----------------------

    /// Whether the box on `node` is up (a dead box serves nothing).
    pub(super) fn box_up(&self, node: usize) -> bool {
        self.node_up[node]
    }

    /// Whether MySQL instance `i` answers: its process and its box are up.
    pub(super) fn instance_up(&self, i: usize) -> bool {
        self.db.up(i) && self.node_up[self.db.instances[i].node]
    }

    /// Changes whenever instance `i` or its box dies: a query that saw
    /// another epoch was lost with it.
    pub(super) fn instance_epoch(&self, i: usize) -> u32 {
        let inst = &self.db.instances[i];
        let slot = self.topo.box_slot[inst.node].unwrap_or(0);
        inst.epoch.wrapping_add(self.boxes[slot].epoch)
    }

    /// A server pool's spread, for the inspector: the busiest and idlest
    /// box over the last whole second, boxes down now, its size. `None` if
    /// `node` is not a pool.
    pub fn pool(&self, node: usize) -> Option<PoolSpread> {
        self.pool_index(node).map(|p| self.pools[p].spread())
    }

    /// Share of users (0 to 1) whose resolver still sends them to a dead
    /// load balancer of an active-active pair; 0 in every other design.
    /// Users are spread evenly over the resolvers, so this is the share of
    /// resolvers whose cached answer puts a dead load balancer first.
    pub fn users_pinned_to_dead_lb(&self) -> f64 {
        if !self.both_serve() || self.topo.dns.is_none() {
            return 0.0;
        }
        let dead = !self.dns_records();
        (0..self.dns_addresses())
            .filter(|&a| dead & (1 << a) != 0)
            .map(|a| self.dns.share_pinned_to(self.now, a))
            .sum()
    }
}
