//! What the animation layer draws: hops in flight, kept in a fixed-size ring
//! buffer, with their visual start and end in simulated nanoseconds.
//!
//! Real hop times are often a millisecond or less, far too short to see, so a
//! hop is drawn for at least `min_visible_ns` (set from the speed so that it
//! lasts about a quarter of a wall second) and a request's next hop starts
//! where its previous one visually ended. Everything is a function of
//! simulated time: paused means frozen, and seeking back redraws the past.

use infraboard_sim::{DropReason, Event, RequestKind};
use std::collections::HashMap;

/// Hops kept for drawing; older ones are overwritten. A request's hops all
/// arrive within a few simulated milliseconds but are drawn one after the
/// other, each for at least `min_visible_ns`, so the ring holds hops still
/// waiting their turn: with ~1,000 dots on screen and ~6 hops a request that
/// is about 3,000 live hops; a smaller ring cut requests off mid-way.
pub const HOP_CAPACITY: usize = 8192;
/// Requests followed at once (for hop-after-hop continuity).
const FOLLOWED_CAPACITY: usize = 4096;
/// Drop bursts kept for drawing.
pub const BURST_CAPACITY: usize = 64;

/// How a dot is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DotKind {
    /// A page view (circle).
    Read,
    /// A request that writes (square).
    Write,
    /// Unwanted traffic from the Internet (triangle).
    Attack,
    /// A DNS query (small diamond; it carries no user data).
    Dns,
}

impl From<RequestKind> for DotKind {
    fn from(kind: RequestKind) -> DotKind {
        match kind {
            RequestKind::Read => DotKind::Read,
            RequestKind::Write => DotKind::Write,
            RequestKind::Attack => DotKind::Attack,
        }
    }
}

/// One hop to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flight {
    /// Index of the node left (in `Scenario::nodes`).
    pub from: u16,
    /// Index of the node reached.
    pub to: u16,
    /// Read, write or attack.
    pub kind: DotKind,
    /// Whether user data crossed this link encrypted.
    pub encrypted: bool,
    /// Visual start, simulated ns.
    pub start: u64,
    /// Visual end, simulated ns.
    pub end: u64,
}

/// A request that ended without an answer, drawn as a burst with a label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Burst {
    /// Where (node index).
    pub node: u16,
    /// Read, write or attack.
    pub kind: DotKind,
    /// Why.
    pub reason: DropReason,
    /// Visual time of the burst, simulated ns (after the request's last hop
    /// has visually arrived).
    pub at: u64,
}

/// What one link of the diagram has carried.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkTraffic {
    /// Node index the hops leave.
    pub from: u16,
    /// Node index they reach.
    pub to: u16,
    /// Whether the latest hop on it was encrypted.
    pub encrypted: bool,
    /// Hops reported on it since the start of the run (all, not sampled).
    pub hops: u64,
}

/// The ring of hops in flight plus per-link totals.
pub struct Flights {
    ring: Vec<Flight>,
    next: usize,
    /// Draw one request in `sample_every` (by request id); a multiple of
    /// the simulation's own sampling, which only reports every `sim_every`th.
    sample_every: u64,
    wanted_every: u64,
    sim_every: u64,
    min_visible_ns: u64,
    followed: HashMap<u64, u64>,
    links: Vec<LinkTraffic>,
    bursts: Vec<Burst>,
    next_burst: usize,
    /// Sum of the visual durations of every hop taken so far, simulated ns:
    /// over a stretch of simulated time, its growth divided by the stretch
    /// is how many dots are on screen on average (what the driver steers).
    visual_ns: u64,
}

impl Default for Flights {
    fn default() -> Self {
        Flights::new()
    }
}

impl Flights {
    /// An empty set with all its memory reserved up front.
    pub fn new() -> Flights {
        Flights {
            ring: Vec::with_capacity(HOP_CAPACITY),
            next: 0,
            sample_every: 1,
            wanted_every: 1,
            sim_every: 1,
            min_visible_ns: 250_000_000,
            followed: HashMap::with_capacity(FOLLOWED_CAPACITY),
            links: Vec::with_capacity(32),
            bursts: Vec::with_capacity(BURST_CAPACITY),
            next_burst: 0,
            visual_ns: 0,
        }
    }

    /// Forgets everything in flight (after a seek or restart).
    pub fn clear(&mut self) {
        self.ring.clear();
        self.next = 0;
        self.followed.clear();
        self.bursts.clear();
        self.next_burst = 0;
    }

    /// Draw (at least) one request in `n`.
    pub fn set_sample_every(&mut self, n: u64) {
        self.wanted_every = n.max(1);
        self.resample();
    }

    /// The simulation reports only one request in `n`.
    pub fn set_sim_sampling(&mut self, n: u64) {
        self.sim_every = n.max(1);
        self.resample();
    }

    fn resample(&mut self) {
        let sim = self.sim_every;
        self.sample_every = self.wanted_every.div_ceil(sim).max(1) * sim;
    }

    /// One dot stands for this many requests.
    pub fn sample_every(&self) -> u64 {
        self.sample_every
    }

    /// The shortest time a hop stays on screen, in simulated ns.
    pub fn set_min_visible_ns(&mut self, ns: u64) {
        self.min_visible_ns = ns.max(1);
    }

    /// The shortest time a hop stays on screen, in simulated ns.
    pub fn min_visible_ns(&self) -> u64 {
        self.min_visible_ns
    }

    /// Total visual duration of the hops taken since the start of the run
    /// (never decreases, not even after [`Flights::clear`]), simulated ns.
    pub fn visual_ns(&self) -> u64 {
        self.visual_ns
    }

    /// Every hop kept, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Flight> {
        self.ring.iter()
    }

    /// Recent drops, in no particular order.
    pub fn bursts(&self) -> &[Burst] {
        &self.bursts
    }

    /// Links that carried traffic, with their latest encryption state.
    pub fn links(&self) -> &[LinkTraffic] {
        &self.links
    }

    /// Takes one event from the simulation.
    pub fn ingest(&mut self, event: &Event) {
        match *event {
            Event::Hop { request, kind, from, to, depart, arrive, encrypted } => {
                let (from, to) = (from as u16, to as u16);
                // Locks describe user data: attack packets carry none.
                if kind != RequestKind::Attack {
                    self.count_link(from, to, encrypted);
                }
                if request % self.sample_every != 0 {
                    return;
                }
                let after = self.followed.get(&request).copied().unwrap_or(0);
                let start = depart.0.max(after);
                let end = start + (arrive.0.saturating_sub(depart.0)).max(self.min_visible_ns);
                self.follow(request, end);
                self.push(Flight { from, to, kind: kind.into(), encrypted, start, end });
            }
            Event::DnsLookup { request, user, dns, depart, arrive, .. } => {
                if request % self.sample_every != 0 {
                    return;
                }
                // There and back: half the lookup each way.
                let half = (arrive.0.saturating_sub(depart.0) / 2).max(self.min_visible_ns);
                let (a, b) = (user as u16, dns as u16);
                let start = depart.0;
                self.follow(request, start + 2 * half);
                let flight = |from, to, start| Flight {
                    from,
                    to,
                    kind: DotKind::Dns,
                    encrypted: true,
                    start,
                    end: start + half,
                };
                self.push(flight(a, b, start));
                self.push(flight(b, a, start + half));
            }
            Event::Served { request, .. } => {
                self.followed.remove(&request);
            }
            Event::Dropped { request, kind, at, node, reason } => {
                let after = self.followed.remove(&request).unwrap_or(0);
                let burst =
                    Burst { node: node as u16, kind: kind.into(), reason, at: at.0.max(after) };
                if self.bursts.len() < BURST_CAPACITY {
                    self.bursts.push(burst);
                } else {
                    self.bursts[self.next_burst] = burst;
                }
                self.next_burst = (self.next_burst + 1) % BURST_CAPACITY;
            }
            _ => {}
        }
    }

    fn follow(&mut self, request: u64, visual_end: u64) {
        if self.followed.len() >= FOLLOWED_CAPACITY {
            self.followed.clear();
        }
        self.followed.insert(request, visual_end);
    }

    fn push(&mut self, flight: Flight) {
        self.visual_ns = self.visual_ns.wrapping_add(flight.end - flight.start);
        if self.ring.len() < HOP_CAPACITY {
            self.ring.push(flight);
        } else {
            self.ring[self.next] = flight;
        }
        self.next = (self.next + 1) % HOP_CAPACITY;
    }

    fn count_link(&mut self, from: u16, to: u16, encrypted: bool) {
        match self.links.iter_mut().find(|l| l.from == from && l.to == to) {
            Some(link) => {
                link.hops += 1;
                link.encrypted = encrypted;
            }
            None => self.links.push(LinkTraffic { from, to, encrypted, hops: 1 }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::SimTime;

    fn hop(request: u64, depart: u64, arrive: u64) -> Event {
        Event::Hop {
            request,
            kind: RequestKind::Read,
            from: 0,
            to: 1,
            depart: SimTime(depart),
            arrive: SimTime(arrive),
            encrypted: true,
        }
    }

    #[test]
    fn a_requests_next_hop_starts_where_its_last_one_ended() {
        let mut f = Flights::new();
        f.set_min_visible_ns(100);
        f.ingest(&hop(1, 0, 1));
        f.ingest(&hop(1, 1, 2));
        let v: Vec<_> = f.iter().collect();
        assert_eq!((v[0].start, v[0].end), (0, 100));
        assert_eq!((v[1].start, v[1].end), (100, 200));
    }

    #[test]
    fn the_ring_never_grows_past_its_capacity() {
        let mut f = Flights::new();
        for r in 0..(HOP_CAPACITY as u64 * 3) {
            f.ingest(&hop(r, r, r + 1));
        }
        assert_eq!(f.iter().count(), HOP_CAPACITY);
        assert_eq!(f.links()[0].hops, HOP_CAPACITY as u64 * 3);
    }

    #[test]
    fn visual_time_adds_up_what_is_drawn() {
        let mut f = Flights::new();
        f.set_min_visible_ns(100);
        f.set_sample_every(2);
        for r in 0..10 {
            f.ingest(&hop(r, r * 1000, r * 1000 + 1));
        }
        // Five sampled hops of 100 ns each: over 10,000 ns, 0.05 dots on average.
        assert_eq!(f.visual_ns(), 500);
        f.clear();
        assert_eq!(f.visual_ns(), 500, "a seek does not rewind the total");
    }

    #[test]
    fn sampling_keeps_one_request_in_n_but_counts_all() {
        let mut f = Flights::new();
        f.set_sample_every(10);
        for r in 0..100 {
            f.ingest(&hop(r, r, r + 1));
        }
        assert_eq!(f.iter().count(), 10);
        assert_eq!(f.links()[0].hops, 100);
    }
}
