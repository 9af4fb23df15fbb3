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
    /// takes them: bit 0 the first load balancer, bit 1 the second. Only
    /// an active-active pair has two; its health-checked records leave a
    /// dead load balancer out.
    pub(super) fn dns_records(&self) -> u8 {
        let Some(pair) = self.pair.as_ref().filter(|_| self.both_serve()) else { return 0b01 };
        let first = u8::from(self.node_up[self.lb.node]);
        let second = u8::from(self.node_up[pair.standby.node]) << 1;
        first | second
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
            Some(0)
        } else {
            (node == pair.standby.node).then_some(1)
        }
    }
}
