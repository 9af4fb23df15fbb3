//! A server pool: a tier of N identical boxes drawn as one stacked box
//! "×N". Each box of the pool has its own cores (FCFS, as `server.rs`),
//! its own life (one can be killed) and its own CPU load; the load
//! balancer sees every box as a backend. The pool's node keeps one
//! `CpuBox` in the box table for what is drawn and monitored as a whole
//! (its CPU share is the pool's average); this file holds the boxes
//! behind it, flat, so a snapshot copies a few vectors and not N boxes.

use crate::server::first_free_core;
use crate::time::SimTime;

/// The boxes of one pool.
#[derive(Debug, PartialEq)]
pub struct ServerPool {
    /// The pool's node index.
    pub node: usize,
    /// Cores per box.
    cores: usize,
    /// When each core of each box is next free (`box * cores + core`).
    free_at: Vec<SimTime>,
    /// Whether each box is up (the pool's node being up too).
    alive: Vec<bool>,
    /// Bumped at each kill of a box: work started before it is void.
    epoch: Vec<u16>,
    /// CPU nanoseconds each box ran this second.
    busy_ns: Vec<u64>,
    /// The spread over the last whole second.
    spread: PoolSpread,
}

/// How the load is spread over a pool's boxes (the inspector's view).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PoolSpread {
    /// CPU percent of the busiest live box over the last whole second.
    pub busiest_pct: f32,
    /// CPU percent of the idlest live box over the last whole second.
    pub idlest_pct: f32,
    /// Boxes of the pool down now (killed one by one).
    pub down: u16,
    /// Boxes in the pool.
    pub size: u16,
}

impl Clone for ServerPool {
    fn clone(&self) -> Self {
        ServerPool {
            node: self.node,
            cores: self.cores,
            free_at: self.free_at.clone(),
            alive: self.alive.clone(),
            epoch: self.epoch.clone(),
            busy_ns: self.busy_ns.clone(),
            spread: self.spread,
        }
    }

    /// Copies into the vectors already there: a snapshot allocates nothing.
    fn clone_from(&mut self, source: &Self) {
        let ServerPool { node, cores, free_at, alive, epoch, busy_ns, spread } = self;
        *node = source.node;
        *cores = source.cores;
        free_at.clone_from(&source.free_at);
        alive.clone_from(&source.alive);
        epoch.clone_from(&source.epoch);
        busy_ns.clone_from(&source.busy_ns);
        *spread = source.spread;
    }
}

impl ServerPool {
    /// `size` idle boxes of `cores` cores each.
    pub fn new(node: usize, size: usize, cores: u32) -> ServerPool {
        let (size, cores) = (size.max(1), cores.max(1) as usize);
        ServerPool {
            node,
            cores,
            free_at: vec![SimTime::ZERO; size * cores],
            alive: vec![true; size],
            epoch: vec![0; size],
            busy_ns: vec![0; size],
            spread: PoolSpread { size: size as u16, ..PoolSpread::default() },
        }
    }

    /// Boxes in the pool.
    pub fn len(&self) -> usize {
        self.alive.len()
    }

    /// Whether the pool has no box (never: a pool has at least one).
    pub fn is_empty(&self) -> bool {
        self.alive.is_empty()
    }

    /// Queues a job on box `b`: when it ends, or `None` if it would wait
    /// longer than `timeout_ns`.
    #[inline]
    pub fn run(
        &mut self,
        b: usize,
        now: SimTime,
        service_ns: u64,
        timeout_ns: u64,
    ) -> Option<SimTime> {
        let cores = &mut self.free_at[b * self.cores..(b + 1) * self.cores];
        let done = first_free_core(cores, now, service_ns, timeout_ns)?;
        self.busy_ns[b] += service_ns;
        Some(done)
    }

    /// Whether box `b` is up.
    #[inline]
    pub fn alive(&self, b: usize) -> bool {
        self.alive[b]
    }

    /// Box `b`'s epoch (changes when it is killed).
    #[inline]
    pub fn epoch(&self, b: usize) -> u16 {
        self.epoch[b]
    }

    /// Kills the first live box; returns it, `None` if all are down.
    pub fn kill_one(&mut self) -> Option<usize> {
        let b = self.alive.iter().position(|&a| a)?;
        self.alive[b] = false;
        self.epoch[b] = self.epoch[b].wrapping_add(1);
        self.free_at[b * self.cores..(b + 1) * self.cores].fill(SimTime::ZERO);
        self.busy_ns[b] = 0;
        Some(b)
    }

    /// Restores the first dead box; returns it, `None` if none is down.
    pub fn restore_one(&mut self) -> Option<usize> {
        let b = self.alive.iter().position(|&a| !a)?;
        self.alive[b] = true;
        Some(b)
    }

    /// The whole pool's node died: every box's work is void (the boxes
    /// killed one by one stay down when the node returns).
    pub fn kill_all_work(&mut self) {
        for e in &mut self.epoch {
            *e = e.wrapping_add(1);
        }
        self.free_at.fill(SimTime::ZERO);
        self.busy_ns.fill(0);
    }

    /// How long a job arriving now would wait at the least busy live box
    /// (0 if none is up), nanoseconds.
    pub fn wait_ns(&self, now: SimTime) -> u64 {
        (0..self.alive.len())
            .filter(|&b| self.alive[b])
            .map(|b| {
                let cores = &self.free_at[b * self.cores..(b + 1) * self.cores];
                cores.iter().min().map_or(0, |t| t.0.saturating_sub(now.0))
            })
            .min()
            .unwrap_or(0)
    }

    /// Boxes down now.
    pub fn down(&self) -> usize {
        self.alive.iter().filter(|&&a| !a).count()
    }

    /// Closes a second: the busiest and idlest live box's CPU share over
    /// it (work beyond a box's capacity is carried into the next second).
    pub fn close_second(&mut self) {
        let capacity = self.cores as u64 * 1_000_000_000;
        let (mut busiest, mut idlest) = (0u64, u64::MAX);
        for b in 0..self.alive.len() {
            let used = self.busy_ns[b].min(capacity);
            self.busy_ns[b] -= used;
            if self.alive[b] {
                busiest = busiest.max(used);
                idlest = idlest.min(used);
            }
        }
        let pct = |ns: u64| (ns as f64 * 100.0 / capacity as f64) as f32;
        self.spread.busiest_pct = pct(busiest);
        self.spread.idlest_pct = if idlest == u64::MAX { 0.0 } else { pct(idlest) };
    }

    /// The spread: last second's busiest and idlest box, boxes down now.
    pub fn spread(&self) -> PoolSpread {
        PoolSpread { down: self.down() as u16, ..self.spread }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_box_has_its_cores_and_one_can_die_alone() {
        let mut p = ServerPool::new(7, 3, 1);
        let t = SimTime::ZERO;
        assert_eq!(p.run(0, t, 10, 1000), Some(SimTime(10)));
        // Box 0's one core is busy; box 1 is not.
        assert_eq!(p.run(0, t, 10, 1000), Some(SimTime(20)));
        assert_eq!(p.run(1, t, 10, 1000), Some(SimTime(10)));
        assert_eq!(p.kill_one(), Some(0));
        assert!(!p.alive(0) && p.alive(1) && p.epoch(0) == 1);
        assert_eq!(p.kill_one(), Some(1));
        assert_eq!(p.spread().down, 2);
        assert_eq!(p.restore_one(), Some(0));
        assert_eq!(p.spread().down, 1);
    }

    #[test]
    fn the_spread_is_the_busiest_and_idlest_live_box() {
        let mut p = ServerPool::new(0, 3, 2);
        let t = SimTime::ZERO;
        p.run(0, t, 1_000_000_000, u64::MAX); // 50% of two cores
        p.run(1, t, 200_000_000, u64::MAX); // 10%
        p.run(2, t, 2_000_000_000, u64::MAX); // 100%, then killed
        p.kill_one(); // box 0
        p.close_second();
        let s = p.spread();
        assert_eq!((s.busiest_pct, s.idlest_pct, s.down, s.size), (100.0, 10.0, 1, 3));
    }
}
