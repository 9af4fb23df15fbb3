//! The active-active load-balancer pair behind two DNS A records: which
//! addresses the authoritative DNS hands out and the failover's record
//! (from the death to the last pinned entry expiring). The share of users
//! still pinned to a dead load balancer is a query (`queries.rs`).
//!
//! The resolvers' caches themselves are `dns.rs`; the request pipeline
//! sends each user to the address its lookup returned (`Req::lb`).

use super::Simulation;
use crate::metrics::LbFailover;

impl Simulation {
    /// The addresses the authoritative DNS hands out now, as `Dns::lookup`
    /// takes them: bit `k` the (k+1)-th load balancer. Only an
    /// active-active group has more than one; its health-checked records
    /// leave a dead load balancer out.
    pub(super) fn dns_records(&self) -> u8 {
        let Some(pair) = self.pair.as_ref().filter(|_| self.both_serve()) else { return 0b01 };
        let mut live = u8::from(self.node_up[self.lb.node]);
        for (k, lb) in pair.others.iter().enumerate() {
            live |= u8::from(self.node_up[lb.node]) << (k + 1);
        }
        live
    }

    /// How many addresses the `www` record holds (1 but for an
    /// active-active group).
    pub(super) fn dns_addresses(&self) -> u8 {
        match &self.pair {
            Some(pair) if self.both_serve() => 1 + pair.others.len() as u8,
            _ => 1,
        }
    }

    /// A load balancer of an active-active pair died: its pinned users
    /// fail until the last resolver holding its address first forgets it.
    pub(super) fn active_active_node_killed(&mut self, node: usize) {
        let Some(which) = self.pair_address(node) else { return };
        let until = self.dns.pinned_until(self.now, which);
        self.metrics.lb_failover = Some(LbFailover {
            died_at: self.now,
            vip_moved_at: None,
            recovered_at: Some(until),
            requests_lost: 0,
            pinned: true,
        });
    }

    /// A load balancer of an active-active pair came back (cold): its
    /// pinned users are served again once its health checks pass, so the
    /// failover ends now if it had not yet.
    pub(super) fn active_active_node_restored(&mut self, node: usize) {
        let Some(which) = self.pair_address(node) else { return };
        self.lb_mut(which).start_cold();
        if let Some(f) = &mut self.metrics.lb_failover {
            if f.recovered_at.is_some_and(|r| r > self.now) {
                f.recovered_at = Some(self.now);
            }
        }
    }

    /// The DNS address (0 or 1) of a load balancer of the pair.
    fn pair_address(&self, node: usize) -> Option<u8> {
        let pair = self.pair.as_ref()?;
        if node == self.lb.node {
            return Some(0);
        }
        pair.others.iter().position(|lb| lb.node == node).map(|k| k as u8 + 1)
    }
}
