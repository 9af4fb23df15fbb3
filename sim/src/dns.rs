//! DNS: the `www` A record points at the load balancer's public IP; users sit
//! behind resolvers that cache the answer for the record's TTL.
//!
//! Each request comes through one of `resolvers` resolvers picked at random.
//! A resolver whose cached answer has not expired answers in 1–5 ms (hit);
//! otherwise it asks the authoritative servers, 100–400 ms (miss), and caches
//! the answer (queries arriving meanwhile wait for that same answer). So the
//! hit share follows from the TTL and the resolver count.

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
}

impl Dns {
    /// Cold caches for these settings.
    pub fn new(spec: &DnsSpec) -> Dns {
        Dns {
            ttl_ns: u64::from(spec.ttl_s) * 1_000_000_000,
            answer_at: vec![SimTime::ZERO; spec.resolvers.max(1) as usize],
            expires: vec![SimTime::ZERO; spec.resolvers.max(1) as usize],
        }
    }

    /// Resolves `www.foobar.com` for one request at `now`.
    pub fn lookup(&mut self, rng: &mut Rng, now: SimTime, authoritative_up: bool) -> Lookup {
        let r = rng.below(self.expires.len() as u32) as usize;
        if now < self.answer_at[r] {
            // A query for the same name is already out: wait for its answer.
            let delay_ns = self.answer_at[r].0 - now.0;
            return Lookup::Answered { delay_ns, hit: false };
        }
        if now < self.expires[r] {
            return Lookup::Answered { delay_ns: rng.range_ns(1_000_000, 5_000_000), hit: true };
        }
        let delay_ns = rng.range_ns(100_000_000, 400_000_000);
        if !authoritative_up {
            return Lookup::Failed { delay_ns };
        }
        self.answer_at[r] = now.plus_nanos(delay_ns);
        self.expires[r] = now.plus_nanos(delay_ns + self.ttl_ns);
        Lookup::Answered { delay_ns, hit: false }
    }
}
