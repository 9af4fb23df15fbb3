//! Server pools in the engine: a load balancer's backend may be one box of
//! a pool (`Backend::pooled`); here are the questions the pipeline asks of
//! whichever box it is (up? its epoch? run this job), the commands that
//! kill or restore one box of a pool, and the pool's spread for drawing.
//! The boxes themselves are `crate::pool::ServerPool`.

use super::Simulation;
use crate::command::{CommandError, NodeRef};
use crate::pool::PoolSpread;
use crate::time::SimTime;

impl Simulation {
    /// The index of `node`'s pool in `pools`, if it is one.
    pub(super) fn pool_index(&self, node: usize) -> Option<usize> {
        self.pools.iter().position(|p| p.node == node)
    }

    /// Whether backend `b` (of the load balancers' shared list) is a box
    /// that is up: its node, and its own box for a pool's.
    #[inline]
    pub(super) fn backend_up(&self, b: usize) -> bool {
        let backend = &self.lb.backends[b];
        self.node_up[backend.node]
            && backend.pooled.is_none_or(|(p, k)| self.pools[p as usize].alive(k as usize))
    }

    /// Backend `b`'s epoch: changes when its node or its own box dies, so
    /// work started before is void.
    #[inline]
    pub(super) fn backend_epoch(&self, b: usize) -> u32 {
        let backend = &self.lb.backends[b];
        let own = backend.pooled.map_or(0, |(p, k)| self.pools[p as usize].epoch(k as usize));
        self.boxes[backend.slot].epoch.wrapping_add(u32::from(own))
    }

    /// Runs a job on backend `b`'s cores; a pool's box counts the work
    /// towards the pool's drawn box too.
    #[inline]
    pub(super) fn run_on_backend(
        &mut self,
        b: usize,
        now: SimTime,
        service_ns: u64,
        timeout_ns: u64,
    ) -> Option<SimTime> {
        let (slot, pooled) = (self.lb.backends[b].slot, self.lb.backends[b].pooled);
        match pooled {
            None => self.boxes[slot].run(now, service_ns, timeout_ns),
            Some((p, k)) => {
                let done = self.pools[p as usize].run(k as usize, now, service_ns, timeout_ns)?;
                self.boxes[slot].account(service_ns);
                Some(done)
            }
        }
    }

    /// `kill-one:`: the first live box of a pool goes down.
    pub(super) fn kill_one(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        let p = self.resolve_pool(r)?;
        match self.pools[p].kill_one() {
            Some(_) => Ok(()),
            None => Err(CommandError::AlreadyDown(format!("{r}"))),
        }
    }

    /// `restore-one:`: the first dead box of a pool comes back, idle.
    pub(super) fn restore_one(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        let p = self.resolve_pool(r)?;
        match self.pools[p].restore_one() {
            Some(_) => Ok(()),
            None => Err(CommandError::AlreadyUp(format!("{r}"))),
        }
    }

    fn resolve_pool(&self, r: &NodeRef) -> Result<usize, CommandError> {
        let node = self.resolve(r)?;
        self.pool_index(node).ok_or_else(|| CommandError::NotAPool(self.name(node)))
    }

    /// Closes the second for every pool (busiest and idlest box).
    pub(super) fn pools_close_second(&mut self) {
        for p in &mut self.pools {
            p.close_second();
        }
    }

    /// A server pool's spread, for the inspector: the busiest and idlest
    /// box over the last whole second, boxes down now, its size. `None` if
    /// `node` is not a pool.
    pub fn pool(&self, node: usize) -> Option<PoolSpread> {
        self.pool_index(node).map(|p| self.pools[p].spread())
    }
}
