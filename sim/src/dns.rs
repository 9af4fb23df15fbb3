//! DNS: the `www` A record points at the load balancer's public IP; users sit
//! behind resolvers that cache the answer for the record's TTL.
//!
//! Each request comes through one of `resolvers` resolvers picked at random.
//! A resolver whose cached answer has not expired answers in 1–5 ms (hit);
//! otherwise it asks the authoritative servers, 100–400 ms (miss), and caches
//! the answer (queries arriving meanwhile wait for that same answer). So the
//! hit share follows from the TTL and the resolver count.
//!
//! With an active-active load-balancer pair the record holds two addresses.
//! The authoritative servers rotate their order from one answer to the next
//! and leave out a dead load balancer (health-checked records); a resolver
//! keeps the order it was handed until its entry expires, and its users
//! connect to the first address. So a resolver is *pinned* to one load
//! balancer for a TTL, dead or alive.

use crate::rng::Rng;
use crate::scenario::DnsSpec;
use crate::time::SimTime;

/// The outcome of one lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Answered after `delay_ns`; `hit` says whether from the cache.
    Answered {
        /// Time to answer.
        delay_ns: u64,
        /// Served from the resolver's cache.
        hit: bool,
        /// The address the user connects to: 0 the first load balancer,
        /// `k` the (k+1)-th of an active-active group.
        address: u8,
    },
    /// The authoritative DNS is down and the resolver had nothing cached.
    Failed {
        /// Time until the resolver gave up.
        delay_ns: u64,
    },
}

/// The resolvers' caches.
#[derive(Clone, Debug, PartialEq)]
pub struct Dns {
    ttl_ns: u64,
    /// Per resolver: when its pending or cached answer arrives/arrived.
    answer_at: Vec<SimTime>,
    /// Per resolver: when that answer expires.
    expires: Vec<SimTime>,
    /// Per resolver: the first address of its answer.
    first: Vec<u8>,
    /// The authoritative servers' next rotation.
    rotation: u8,
}

impl Dns {
    /// Cold caches for these settings.
    pub fn new(spec: &DnsSpec) -> Dns {
        Dns {
            ttl_ns: u64::from(spec.ttl_s) * 1_000_000_000,
            answer_at: vec![SimTime::ZERO; spec.resolvers.max(1) as usize],
            expires: vec![SimTime::ZERO; spec.resolvers.max(1) as usize],
            first: vec![0; spec.resolvers.max(1) as usize],
            rotation: 0,
        }
    }

    /// Resolves `www.foobar.com` for one request at `now`. `live` are the
    /// addresses the authoritative servers hand out (bit `k` the (k+1)-th
    /// load balancer of an active-active group; `0b01` with one).
    pub fn lookup(
        &mut self,
        rng: &mut Rng,
        now: SimTime,
        authoritative_up: bool,
        live: u8,
    ) -> Lookup {
        let r = rng.below(self.expires.len() as u32) as usize;
        let address = self.first[r];
        if now < self.answer_at[r] {
            // A query for the same name is already out: wait for its answer.
            let delay_ns = self.answer_at[r].0 - now.0;
            return Lookup::Answered { delay_ns, hit: false, address };
        }
        if now < self.expires[r] {
            let delay_ns = rng.range_ns(1_000_000, 5_000_000);
            return Lookup::Answered { delay_ns, hit: true, address };
        }
        let delay_ns = rng.range_ns(100_000_000, 400_000_000);
        if !authoritative_up {
            return Lookup::Failed { delay_ns };
        }
        self.first[r] = self.rotate(live);
        self.answer_at[r] = now.plus_nanos(delay_ns);
        self.expires[r] = now.plus_nanos(delay_ns + self.ttl_ns);
        Lookup::Answered { delay_ns, hit: false, address: self.first[r] }
    }

    /// The first address of the next answer: the live addresses in turn
    /// (the first one when none is live: an answer is still given).
    fn rotate(&mut self, live: u8) -> u8 {
        for _ in 0..8 {
            let a = self.rotation;
            self.rotation = (self.rotation + 1) & 7;
            if live & (1 << a) != 0 {
                return a;
            }
        }
        0
    }

    /// Share of resolvers (so of users: each request picks one uniformly)
    /// whose cached or awaited answer sends them to `address` at `now`.
    pub fn share_pinned_to(&self, now: SimTime, address: u8) -> f64 {
        let pinned = (0..self.first.len())
            .filter(|&r| self.first[r] == address && now < self.expires[r])
            .count();
        pinned as f64 / self.first.len() as f64
    }

    /// When the last resolver whose answer sends users to `address`
    /// forgets it (`now` if none does).
    pub fn pinned_until(&self, now: SimTime, address: u8) -> SimTime {
        (0..self.first.len())
            .filter(|&r| self.first[r] == address)
            .map(|r| self.expires[r])
            .fold(now, SimTime::max)
    }
}
