//! The load balancer (HAProxy): picks a healthy server by its algorithm and
//! health-checks every server so that a dead one leaves the pool only after
//! `fall` failed checks (and comes back after `rise` good ones).

use crate::rng::Rng;
use crate::scenario::{LbAlgorithm, LoadBalancerSpec};

/// One box of a server pool: `(pool, box)` indices.
pub type BoxOfPool = (u16, u16);

/// One server behind the load balancer.
#[derive(Clone, Debug, PartialEq)]
pub struct Backend {
    /// The server's node index.
    pub node: usize,
    /// Its slot in the box table.
    pub slot: usize,
    /// Whether health checks currently say it is up.
    pub in_pool: bool,
    /// Open connections (requests sent and not yet answered or dropped).
    pub active: u32,
    /// A box of a pool; `None` for a lone server.
    pub pooled: Option<BoxOfPool>,
    good: u32,
    bad: u32,
}

/// What a health check changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolChange {
    /// The server left the pool.
    Removed,
    /// The server rejoined the pool.
    Added,
}

/// HAProxy's state.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadBalancer {
    /// The load balancer's node index.
    pub node: usize,
    /// Its slot in the box table.
    pub slot: usize,
    /// Current algorithm.
    pub algorithm: LbAlgorithm,
    /// The servers, in node order.
    pub backends: Vec<Backend>,
    rise: u32,
    fall: u32,
    next_rr: usize,
}

impl LoadBalancer {
    /// A load balancer with every backend initially in the pool; each
    /// server is `(node, slot, pooled)` (see [`Backend`]).
    pub fn new(
        node: usize,
        slot: usize,
        spec: &LoadBalancerSpec,
        servers: &[(usize, usize, Option<BoxOfPool>)],
    ) -> Self {
        LoadBalancer {
            node,
            slot,
            algorithm: spec.algorithm,
            backends: servers
                .iter()
                .map(|&(node, slot, pooled)| Backend {
                    node,
                    slot,
                    pooled,
                    in_pool: true,
                    active: 0,
                    good: 0,
                    bad: 0,
                })
                .collect(),
            rise: spec.rise.max(1),
            fall: spec.fall.max(1),
            next_rr: 0,
        }
    }

    /// Chooses a backend (index into `backends`), `None` if none is healthy.
    pub fn pick(&mut self, rng: &mut Rng) -> Option<usize> {
        let n = self.backends.len();
        match self.algorithm {
            LbAlgorithm::RoundRobin => {
                // Without `%`: a division per request showed in the profile.
                let mut i = if self.next_rr < n { self.next_rr } else { 0 };
                for _ in 0..n {
                    let next = if i + 1 == n { 0 } else { i + 1 };
                    if self.backends[i].in_pool {
                        self.next_rr = next;
                        return Some(i);
                    }
                    i = next;
                }
                None
            }
            LbAlgorithm::LeastConn => {
                // Ties go round-robin so equal servers share the load: the
                // first least busy from `start` on, wrapping (two plain
                // loops: a `%` per backend showed with pools of 1,000).
                let start = if self.next_rr < n { self.next_rr } else { 0 };
                let mut best: Option<(usize, u32)> = None;
                let mut consider = |i: usize, b: &Backend| {
                    if b.in_pool && best.is_none_or(|(_, a)| b.active < a) {
                        best = Some((i, b.active));
                    }
                };
                for (i, b) in self.backends.iter().enumerate().skip(start) {
                    consider(i, b);
                }
                for (i, b) in self.backends.iter().enumerate().take(start) {
                    consider(i, b);
                }
                let (pick, _) = best?;
                self.next_rr = if start + 1 >= n { 0 } else { start + 1 };
                Some(pick)
            }
            LbAlgorithm::RandomOfTwo => {
                let healthy = self.backends.iter().filter(|b| b.in_pool).count();
                if healthy == 0 {
                    return None;
                }
                let nth = |rng: &mut Rng| {
                    let k = rng.below(healthy as u32) as usize;
                    self.backends
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| b.in_pool)
                        .nth(k)
                        .map(|(i, _)| i)
                };
                let a = nth(rng)?;
                let b = nth(rng)?;
                Some(if self.backends[b].active < self.backends[a].active { b } else { a })
            }
        }
    }

    /// Forgets every backend's health, as a load balancer that has just
    /// started (or just taken a pair's VIP) knows nothing yet: each server
    /// joins the pool after `rise` good checks.
    pub fn start_cold(&mut self) {
        for b in &mut self.backends {
            b.in_pool = false;
            b.good = 0;
            b.bad = 0;
        }
    }

    /// Records one health check of backend `i`.
    pub fn check(&mut self, i: usize, ok: bool) -> Option<PoolChange> {
        let (rise, fall) = (self.rise, self.fall);
        let b = &mut self.backends[i];
        if ok {
            b.bad = 0;
            b.good = b.good.saturating_add(1);
            if !b.in_pool && b.good >= rise {
                b.in_pool = true;
                return Some(PoolChange::Added);
            }
        } else {
            b.good = 0;
            b.bad = b.bad.saturating_add(1);
            if b.in_pool && b.bad >= fall {
                b.in_pool = false;
                return Some(PoolChange::Removed);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lb(algorithm: LbAlgorithm) -> LoadBalancer {
        let spec = LoadBalancerSpec { algorithm, ..LoadBalancerSpec::default() };
        LoadBalancer::new(0, 0, &spec, &[(1, 1, None), (2, 2, None), (3, 3, None)])
    }

    #[test]
    fn round_robin_skips_servers_out_of_the_pool() {
        let mut lb = lb(LbAlgorithm::RoundRobin);
        let mut rng = Rng::new(1);
        let picks: Vec<_> = (0..4).map(|_| lb.pick(&mut rng).unwrap()).collect();
        assert_eq!(picks, [0, 1, 2, 0]);
        for _ in 0..3 {
            lb.check(1, false);
        }
        assert!(!lb.backends[1].in_pool);
        let picks: Vec<_> = (0..4).map(|_| lb.pick(&mut rng).unwrap()).collect();
        assert!(!picks.contains(&1));
    }

    #[test]
    fn a_server_leaves_after_fall_and_returns_after_rise() {
        let mut lb = lb(LbAlgorithm::RoundRobin);
        assert_eq!(lb.check(0, false), None);
        assert_eq!(lb.check(0, false), None);
        assert_eq!(lb.check(0, false), Some(PoolChange::Removed));
        assert_eq!(lb.check(0, true), None);
        assert_eq!(lb.check(0, true), Some(PoolChange::Added));
    }

    #[test]
    fn leastconn_prefers_the_idle_server_and_none_healthy_is_503() {
        let mut lb = lb(LbAlgorithm::LeastConn);
        let mut rng = Rng::new(1);
        lb.backends[0].active = 5;
        lb.backends[1].active = 1;
        lb.backends[2].active = 3;
        assert_eq!(lb.pick(&mut rng), Some(1));
        for b in &mut lb.backends {
            b.in_pool = false;
        }
        assert_eq!(lb.pick(&mut rng), None);
    }
}
