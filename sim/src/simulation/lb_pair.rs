//! The active-passive load-balancer pair (keepalived's VRRP): the VIP
//! holder's adverts, the backup's master-down timer, the VIP moving over,
//! preemption when the master returns, and the failover's record in
//! [`Metrics::lb_failover`](crate::Metrics::lb_failover). Also which
//! load balancer a request's `lb` byte names (both pair modes).
//!
//! The holder's HAProxy is always `Simulation::lb`, so the request pipeline
//! sends every request to whoever holds the VIP without asking; the other
//! one waits in [`PairState::others`]. Moving the VIP swaps the two, and
//! the new holder starts cold: its health checks know no server yet. In an
//! active-active group (`dns_pair.rs`, two to eight load balancers, an A
//! record each) nothing swaps: `lb` is the first load balancer,
//! [`PairState::others`] the rest, and all serve.

use super::pending::Pending;
use super::Simulation;
use crate::load_balancer::LoadBalancer;
use crate::metrics::LbFailover;
use crate::rng::Rng;
use crate::scenario::{LbPairSpec, PairMode};

/// The pair's live state (absent in designs with one load balancer).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct PairState {
    /// The other load balancers: the one not holding the VIP
    /// (active-passive), or the second to the last (active-active), in
    /// node order.
    pub(super) others: Vec<LoadBalancer>,
    /// The pair's VRRP settings.
    pub(super) spec: LbPairSpec,
    /// Counts the holder's adverts: a master-down timer armed by an older
    /// advert is stale.
    pub(super) generation: u32,
}

impl Simulation {
    /// The holder advertises (if it is alive), which re-arms the backup's
    /// master-down timer; the next advert is one interval later.
    pub(super) fn vrrp_advert(&mut self) {
        let Some(pair) = &mut self.pair else { return };
        let (advert, down) = (pair.spec.advert_int_ms, pair.spec.master_down_ns());
        if self.node_up[self.lb.node] {
            pair.generation = pair.generation.wrapping_add(1);
            let generation = pair.generation;
            self.queue.push(self.now.plus_nanos(down), Pending::VrrpMasterDown(generation));
        }
        let every = u64::from(advert) * 1_000_000;
        self.queue.push(self.now.plus_nanos(every), Pending::VrrpAdvert);
    }

    /// The backup heard no advert for the master-down interval: if the
    /// holder is still dead and the backup alive, the backup takes the VIP.
    pub(super) fn vrrp_master_down(&mut self, generation: u32) {
        let Some(pair) = &self.pair else { return };
        if pair.generation == generation
            && !self.node_up[self.lb.node]
            && self.node_up[pair.others[0].node]
        {
            self.move_vip();
        }
    }

    /// The load balancer a request's `lb` byte names: 0 `lb` (the VIP
    /// holder, or the first of an active-active group), `k` the (k+1)-th.
    #[inline]
    pub(super) fn lb_of(&self, which: u8) -> &LoadBalancer {
        match (&self.pair, which) {
            (Some(pair), k) if k > 0 => &pair.others[usize::from(k) - 1],
            _ => &self.lb,
        }
    }

    /// [`Self::lb_of`], mutable.
    #[inline]
    pub(super) fn lb_mut(&mut self, which: u8) -> &mut LoadBalancer {
        match (&mut self.pair, which) {
            (Some(pair), k) if k > 0 => &mut pair.others[usize::from(k) - 1],
            _ => &mut self.lb,
        }
    }

    /// [`Self::lb_mut`] with the random stream its pick draws from.
    #[inline]
    pub(super) fn lb_and_rng(&mut self, which: u8) -> (&mut LoadBalancer, &mut Rng) {
        let lb = match (&mut self.pair, which) {
            (Some(pair), k) if k > 0 => &mut pair.others[usize::from(k) - 1],
            _ => &mut self.lb,
        };
        (lb, &mut self.rng)
    }

    /// Whether both load balancers serve (an active-active pair).
    pub(super) fn both_serve(&self) -> bool {
        self.pair.as_ref().is_some_and(|p| p.spec.mode == PairMode::ActiveActive)
    }

    /// The standby takes the VIP, cold; the old holder becomes the standby.
    fn move_vip(&mut self) {
        let Some(pair) = &mut self.pair else { return };
        std::mem::swap(&mut self.lb, &mut pair.others[0]);
        pair.generation = pair.generation.wrapping_add(1);
        self.lb.start_cold();
        if let Some(f) = &mut self.metrics.lb_failover {
            if f.vip_moved_at.is_none() {
                f.vip_moved_at = Some(self.now);
            }
        }
    }

    /// A node was killed: when it held the VIP, a failover starts.
    pub(super) fn pair_node_killed(&mut self, node: usize) {
        if self.both_serve() {
            return self.active_active_node_killed(node);
        }
        if self.pair.is_some() && node == self.lb.node {
            self.metrics.lb_failover = Some(LbFailover {
                died_at: self.now,
                vip_moved_at: None,
                recovered_at: None,
                requests_lost: 0,
                pinned: false,
            });
        }
    }

    /// A node was restored: a load balancer of the pair restarts cold; the
    /// master takes the VIP back if the pair preempts; a backup returning
    /// to a dead holder arms its master-down timer.
    pub(super) fn pair_node_restored(&mut self, node: usize) {
        if self.both_serve() {
            return self.active_active_node_restored(node);
        }
        let Some(pair) = &mut self.pair else { return };
        if node == self.lb.node {
            self.lb.start_cold();
            return;
        }
        if node != pair.others[0].node {
            return;
        }
        pair.others[0].start_cold();
        let is_master = self.topo.lb_pair.is_some_and(|p| p.master == node);
        if !self.node_up[self.lb.node] {
            pair.generation = pair.generation.wrapping_add(1);
            let (generation, down) = (pair.generation, pair.spec.master_down_ns());
            self.queue.push(self.now.plus_nanos(down), Pending::VrrpMasterDown(generation));
        } else if is_master && pair.spec.preempt {
            // Higher priority: its first advert makes the backup yield.
            self.move_vip();
        }
    }

    /// Counts a request as lost to the failover under way, if it was sent
    /// after the holder died and the site does not serve again yet.
    #[inline]
    pub(super) fn pair_count_lost(&mut self, start: crate::time::SimTime) {
        if let Some(f) = &mut self.metrics.lb_failover {
            if start >= f.died_at && f.recovered_at.is_none_or(|r| start < r) {
                f.requests_lost += 1;
            }
        }
    }

    /// Notes the site serving again: the first request sent after the
    /// holder died is answered at `at`.
    #[inline]
    pub(super) fn pair_count_served(
        &mut self,
        start: crate::time::SimTime,
        at: crate::time::SimTime,
    ) {
        if let Some(f) = &mut self.metrics.lb_failover {
            // Active-active: recovery is when the last pinned entry expires
            // (set at the death), not the first answer.
            if f.recovered_at.is_none() && start >= f.died_at && !f.pinned {
                f.recovered_at = Some(at);
            }
        }
    }
}
