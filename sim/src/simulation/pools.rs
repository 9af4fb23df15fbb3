//! Server pools in the engine: a load balancer's backend, or an app box,
//! may be one box of a pool (`Backend::pooled`, [`Place`]); here are the
//! questions the pipeline asks of whichever box it is (up? its epoch? run
//! this job). The commands that kill or restore one box of a pool are in
//! `commands.rs`, the pool's spread for drawing in `queries.rs`.
//! The boxes themselves are `crate::pool::ServerPool`.

use super::Simulation;
use crate::time::SimTime;

/// One box a request can be on: a lone server, or one box of a pool.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Place {
    /// The drawn node.
    pub(super) node: usize,
    /// The node's slot in the box table.
    pub(super) slot: usize,
    /// `(pool, box)` for a box of a pool.
    pub(super) pooled: Option<(u16, u16)>,
}

impl Simulation {
    /// The index of `node`'s pool in `pools`, if it is one.
    pub(super) fn pool_index(&self, node: usize) -> Option<usize> {
        self.pools.iter().position(|p| p.node == node)
    }

    /// The box behind backend `b` (of the load balancers' shared list).
    #[inline]
    pub(super) fn backend_place(&self, b: usize) -> Place {
        let backend = &self.lb.backends[b];
        Place { node: backend.node, slot: backend.slot, pooled: backend.pooled }
    }

    /// Every box of `node`: itself, or each box of its pool.
    pub(super) fn places_of(&self, node: usize) -> Vec<Place> {
        let slot = self.topo.box_slot[node].unwrap_or(0);
        match self.pool_index(node) {
            None => vec![Place { node, slot, pooled: None }],
            Some(p) => (0..self.pools[p].len())
                .map(|k| Place { node, slot, pooled: Some((p as u16, k as u16)) })
                .collect(),
        }
    }

    /// Whether a box is up: its node, and its own box for a pool's.
    #[inline]
    pub(super) fn place_up(&self, at: Place) -> bool {
        // A box's node is up exactly when its `CpuBox` is alive.
        self.node_up[at.node]
            && at.pooled.is_none_or(|(p, k)| self.pools[p as usize].alive(k as usize))
    }

    /// A box's epoch: changes when its node or its own box dies, so work
    /// started before is void.
    #[inline]
    pub(super) fn place_epoch(&self, at: Place) -> u16 {
        let own = at.pooled.map_or(0, |(p, k)| self.pools[p as usize].epoch(k as usize));
        (self.boxes[at.slot].epoch as u16).wrapping_add(own)
    }

    /// Runs a job on a box's cores; a pool's box counts the work towards
    /// the pool's drawn box too.
    #[inline]
    pub(super) fn run_on(
        &mut self,
        at: Place,
        now: SimTime,
        service_ns: u64,
        timeout_ns: u64,
    ) -> Option<SimTime> {
        match at.pooled {
            None => self.boxes[at.slot].run(now, service_ns, timeout_ns),
            Some((p, k)) => {
                let done = self.pools[p as usize].run(k as usize, now, service_ns, timeout_ns)?;
                self.boxes[at.slot].account(service_ns);
                Some(done)
            }
        }
    }

    /// Closes the second for every pool (busiest and idlest box).
    pub(super) fn pools_close_second(&mut self) {
        for p in &mut self.pools {
            p.close_second();
        }
    }
}
