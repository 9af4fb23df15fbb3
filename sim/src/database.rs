//! MySQL: one primary takes writes; replicas receive its binlog after a
//! network delay and apply it with a single SQL thread, so they fall behind
//! when writes come faster than one thread can apply them.
//!
//! Positions are write counts on one shared numbering (like GTIDs):
//! the primary has `committed` writes; a replica has `received` (in its
//! relay log) and `applied` ≤ `received`. Replication advances in ticks of
//! [`TICK_NS`] (a fluid model: no per-write state, memory stays bounded).
//!
//! Failover: when the primary is gone, a replica is promoted (by `promote`,
//! or by the orchestrator after missed heartbeats + promotion time). It first
//! applies its relay log; writes the old primary acknowledged that it never
//! *received* are lost. The old primary, restored, rejoins as a replica and
//! catches up (its unreplicated writes are discarded).

use crate::scenario::DatabaseSpec;
use crate::time::SimTime;
use std::collections::VecDeque;

/// How often replication state advances.
pub const TICK_NS: u64 = 10_000_000;
/// Commit history kept for lag: one entry per 100 ms, 4096 entries (~7 min).
const HISTORY_EVERY_TICKS: u32 = 10;
const HISTORY_LEN: usize = 4096;

/// Primary or replica.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Takes writes.
    Primary,
    /// Applies the primary's binlog; serves reads.
    Replica,
}

/// One MySQL server process.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// The box it runs on (node index).
    pub node: usize,
    /// The box's slot in the box table.
    pub slot: usize,
    /// Current role.
    pub role: Role,
    /// Whether the MySQL process runs (the box may be up while it is not).
    pub process_up: bool,
    /// Bumped at every stop: queries in progress are void.
    pub epoch: u32,
    /// Writes in the relay log.
    pub received: u64,
    /// Writes applied.
    pub applied: u64,
    /// Whether it misses writes acknowledged more than `stale_after_ms` ago
    /// (updated every tick).
    pub stale: bool,
    apply_carry_ns: u64,
}

/// The replication topology and its positions.
#[derive(Clone, Debug, PartialEq)]
pub struct Database {
    /// Every MySQL process, in node order.
    pub instances: Vec<Instance>,
    /// Writes the current (or last) primary committed.
    pub committed: u64,
    /// Index of the instance that takes writes, if it is a primary.
    pub primary: usize,
    /// The primary that was lost and not yet replaced (for `restore`).
    pub failed_primary: Option<usize>,
    /// Bumped whenever the primary changes or comes back: pending automatic
    /// promotions planned before are void.
    pub generation: u32,
    binlog_delay_ticks: usize,
    recent: VecDeque<u64>,
    history: VecDeque<(SimTime, u64)>,
    ticks: u32,
    apply_ns: u64,
    stale_after_ns: u64,
    next_read: usize,
}

impl Database {
    /// From the scenario's instances `(node, slot, is_primary)`.
    pub fn new(spec: &DatabaseSpec, instances: &[(usize, usize, bool)]) -> Database {
        let primary = instances.iter().position(|i| i.2).unwrap_or(0);
        let delay_ticks = (u64::from(spec.binlog_delay_ms) * 1_000_000).div_ceil(TICK_NS) as usize;
        Database {
            instances: instances
                .iter()
                .map(|&(node, slot, p)| Instance {
                    node,
                    slot,
                    role: if p { Role::Primary } else { Role::Replica },
                    process_up: true,
                    epoch: 0,
                    received: 0,
                    applied: 0,
                    stale: false,
                    apply_carry_ns: 0,
                })
                .collect(),
            committed: 0,
            primary,
            failed_primary: None,
            generation: 0,
            binlog_delay_ticks: delay_ticks,
            recent: VecDeque::from(vec![0; delay_ticks + 1]),
            history: VecDeque::from(vec![(SimTime::ZERO, 0)]),
            ticks: 0,
            apply_ns: u64::from(spec.apply_us.max(1)) * 1000,
            stale_after_ns: u64::from(spec.stale_after_ms) * 1_000_000,
            next_read: 0,
        }
    }

    /// Whether instance `i` can answer (process up; the caller checks the box).
    pub fn up(&self, i: usize) -> bool {
        self.instances[i].process_up
    }

    /// Commits one write on the primary.
    pub fn commit(&mut self) {
        self.committed += 1;
    }

    /// Chooses a replica for a read: the one on `local_node` first, then the
    /// others in turn. `box_up[node]` tells whether a box is up.
    pub fn pick_replica(&mut self, local_node: usize, box_up: &[bool]) -> Option<usize> {
        let n = self.instances.len();
        let is_replica = |i: usize| {
            let inst = &self.instances[i];
            inst.role == Role::Replica && inst.process_up && box_up[inst.node]
        };
        if let Some(i) = (0..n).find(|&i| self.instances[i].node == local_node && is_replica(i)) {
            return Some(i);
        }
        for k in 0..n {
            let i = (self.next_read + k) % n;
            if is_replica(i) {
                self.next_read = (i + 1) % n;
                return Some(i);
            }
        }
        None
    }

    /// When the write at `position` (1-based) was committed, to the nearest
    /// history entry at or after it.
    fn commit_time(&self, position: u64) -> SimTime {
        let idx = self.history.partition_point(|&(_, c)| c < position);
        self.history
            .get(idx)
            .map_or_else(|| self.history.back().map_or(SimTime::ZERO, |h| h.0), |h| h.0)
    }

    /// How far behind instance `i` is, in nanoseconds (0 for the primary or
    /// a replica that has everything).
    pub fn lag_ns(&self, i: usize, now: SimTime) -> u64 {
        let inst = &self.instances[i];
        if inst.role == Role::Primary || inst.applied >= self.committed {
            return 0;
        }
        now.0.saturating_sub(self.commit_time(inst.applied + 1).0)
    }

    /// Advances replication by one tick. `connected(i)` tells whether
    /// replica `i` can reach the primary right now (processes and boxes up,
    /// firewalls allowing 3306); `running(i)` whether its SQL thread runs.
    pub fn tick(
        &mut self,
        now: SimTime,
        connected: impl Fn(usize) -> bool,
        running: impl Fn(usize) -> bool,
    ) {
        // What the primary had committed `binlog_delay` ago has reached the
        // replicas by now.
        self.recent.push_back(self.committed);
        while self.recent.len() > self.binlog_delay_ticks + 1 {
            self.recent.pop_front();
        }
        let shipped = self.recent.front().copied().unwrap_or(self.committed);
        self.ticks += 1;
        if self.ticks.is_multiple_of(HISTORY_EVERY_TICKS) {
            if self.history.back().is_none_or(|h| h.1 != self.committed) {
                self.history.push_back((now, self.committed));
            }
            while self.history.len() > HISTORY_LEN {
                self.history.pop_front();
            }
        }
        for i in 0..self.instances.len() {
            if self.instances[i].role != Role::Replica {
                continue;
            }
            if connected(i) {
                let inst = &mut self.instances[i];
                inst.received = inst.received.max(shipped.min(self.committed));
            }
            if running(i) {
                let apply_ns = self.apply_ns;
                let inst = &mut self.instances[i];
                let budget = TICK_NS + inst.apply_carry_ns;
                let can = budget / apply_ns;
                let todo = inst.received.saturating_sub(inst.applied);
                if can >= todo {
                    inst.applied = inst.received;
                    inst.apply_carry_ns = 0;
                } else {
                    inst.applied += can;
                    inst.apply_carry_ns = budget - can * apply_ns;
                }
            }
        }
        self.update_staleness(now);
    }

    fn update_staleness(&mut self, now: SimTime) {
        for i in 0..self.instances.len() {
            let stale = self.lag_ns(i, now) > self.stale_after_ns;
            self.instances[i].stale = stale;
        }
    }

    /// Makes replica `r` the primary. Returns the writes lost (acknowledged
    /// by the old primary, never received by `r`).
    pub fn promote(&mut self, r: usize, now: SimTime) -> u64 {
        let old = self.primary;
        let old_committed = self.committed;
        // The old primary had everything it committed.
        self.instances[old].received = old_committed;
        self.instances[old].applied = old_committed;
        let new = &mut self.instances[r];
        new.applied = new.received;
        let lost = self.committed.saturating_sub(new.received);
        self.committed = new.received;
        new.role = Role::Primary;
        new.apply_carry_ns = 0;
        if old != r {
            self.instances[old].role = Role::Replica;
            if self.failed_primary.is_none() && !self.instances[old].process_up {
                self.failed_primary = Some(old);
            }
        }
        let committed = self.committed;
        for inst in &mut self.instances {
            inst.received = inst.received.min(committed);
            inst.applied = inst.applied.min(committed);
        }
        self.primary = r;
        self.generation = self.generation.wrapping_add(1);
        self.history.clear();
        self.history.push_back((now, committed));
        self.recent.iter_mut().for_each(|c| *c = (*c).min(committed));
        self.update_staleness(now);
        lost
    }

    /// Whether the writer is the primary role and its process is up.
    pub fn primary_up(&self) -> bool {
        let p = &self.instances[self.primary];
        p.role == Role::Primary && p.process_up
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(apply_us: u32) -> Database {
        let spec = DatabaseSpec { apply_us, binlog_delay_ms: 10, ..DatabaseSpec::default() };
        Database::new(&spec, &[(1, 0, true), (2, 1, false)])
    }

    #[test]
    fn replica_keeps_up_when_apply_is_fast_and_lags_when_slow() {
        for (apply_us, should_lag) in [(100, false), (5000, true)] {
            let mut d = db(apply_us);
            let mut t = SimTime::ZERO;
            for _ in 0..500 {
                // 20 writes per 10 ms tick = 2,000 writes/s.
                for _ in 0..20 {
                    d.commit();
                }
                t = t.plus_nanos(TICK_NS);
                d.tick(t, |_| true, |_| true);
            }
            let lag = d.lag_ns(1, t);
            assert_eq!(lag > 1_000_000_000, should_lag, "apply {apply_us} us: lag {lag}");
        }
    }

    #[test]
    fn promotion_loses_exactly_what_the_replica_never_received() {
        let mut d = db(100);
        let mut t = SimTime::ZERO;
        for _ in 0..10 {
            d.commit();
            t = t.plus_nanos(TICK_NS);
            d.tick(t, |_| true, |_| true);
        }
        // Replication cut: 7 more acknowledged writes never leave the primary.
        for _ in 0..7 {
            d.commit();
        }
        d.tick(t, |_| false, |_| true);
        d.instances[0].process_up = false;
        let received = d.instances[1].received;
        let lost = d.promote(1, t);
        assert_eq!(lost, 17 - received);
        assert!(lost >= 7);
        assert_eq!(d.committed, received);
        assert_eq!(d.instances[1].role, Role::Primary);
        assert_eq!(d.instances[0].role, Role::Replica);
    }
}
