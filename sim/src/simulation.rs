//! The simulation driver: owns the event queue and the model, and exposes the
//! sans-IO API (time passed in, events polled out).
//!
//! Walking-skeleton model: Poisson arrivals, round-robin over the servers,
//! fixed hop delays. The full model replaces the internals, not the API.

use crate::event::{Event, RequestKind};
use crate::metrics::Metrics;
use crate::queue::EventQueue;
use crate::rng::Rng;
use crate::scenario::{NodeKind, Scenario};
use crate::time::SimTime;
use std::collections::VecDeque;
use std::fmt;

/// Why a call into the simulation was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// `advance_to` asked for a time before `now`. Non-fatal: nothing changed.
    TimeWentBackwards {
        /// The current simulated time.
        now: SimTime,
        /// The time that was asked for.
        requested: SimTime,
    },
    /// The scenario cannot be simulated; the messages say why.
    InvalidScenario(Vec<String>),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::TimeWentBackwards { now, requested } => {
                write!(f, "time went backwards: now {now}, asked for {requested}")
            }
            SimError::InvalidScenario(problems) => {
                write!(f, "invalid scenario: {}", problems.join("; "))
            }
        }
    }
}

impl std::error::Error for SimError {}

#[derive(Clone, Debug)]
enum Pending {
    Arrival,
    SecondTick,
    Served { request: u64 },
}

const HOP_NS: u64 = 1_000_000; // 1 ms per link in the skeleton model
const SERVICE_NS: u64 = 2_000_000; // 2 ms at the server

/// A running simulation of one scenario with one seed.
#[derive(Clone, Debug)]
pub struct Simulation {
    now: SimTime,
    rng: Rng,
    queue: EventQueue<Pending>,
    out: VecDeque<Event>,
    metrics: Metrics,
    rate_qps: f64,
    write_share: f64,
    next_request: u64,
    next_server: usize,
    user: usize,
    lb: usize,
    lb_firewall: Option<usize>,
    servers: Vec<(usize, Option<usize>)>,
}

impl Simulation {
    /// Builds a simulation; the seed fixes every random draw it will make.
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Simulation, SimError> {
        let find = |kind: NodeKind| scenario.nodes.iter().position(|n| n.kind == kind);
        let guard_of = |target: usize| {
            let id = &scenario.nodes[target].id;
            scenario
                .nodes
                .iter()
                .position(|n| n.kind == NodeKind::Firewall && n.guards.as_deref() == Some(id))
        };
        let mut problems = Vec::new();
        let user = find(NodeKind::User);
        let lb = find(NodeKind::LoadBalancer);
        if user.is_none() {
            problems.push("nodes: no user node".to_string());
        }
        if lb.is_none() {
            problems.push("nodes: no load-balancer node".to_string());
        }
        let servers: Vec<_> = (0..scenario.nodes.len())
            .filter(|&i| scenario.nodes[i].kind == NodeKind::Server)
            .map(|i| (i, guard_of(i)))
            .collect();
        if servers.is_empty() {
            problems.push("nodes: no server node".to_string());
        }
        let (Some(user), Some(lb)) = (user, lb) else {
            return Err(SimError::InvalidScenario(problems));
        };
        if !problems.is_empty() {
            return Err(SimError::InvalidScenario(problems));
        }
        let mut sim = Simulation {
            now: SimTime::ZERO,
            rng: Rng::new(seed),
            queue: EventQueue::default(),
            out: VecDeque::new(),
            metrics: Metrics::default(),
            rate_qps: scenario.traffic.rate_qps.clamp(1.0, 200_000.0),
            write_share: scenario.traffic.write_share.clamp(0.0, 1.0),
            next_request: 0,
            next_server: 0,
            user,
            lb,
            lb_firewall: guard_of(lb),
            servers,
        };
        sim.schedule_arrival();
        sim.queue.push(SimTime::from_secs(1), Pending::SecondTick);
        Ok(sim)
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Ground-truth counters so far.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The time of the next scheduled internal event, if any.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Processes every event up to and including `t`, then sets `now = t`.
    ///
    /// `advance_to(now)` is a no-op; a time before `now` is refused.
    pub fn advance_to(&mut self, t: SimTime) -> Result<(), SimError> {
        if t < self.now {
            return Err(SimError::TimeWentBackwards { now: self.now, requested: t });
        }
        while let Some(at) = self.queue.peek_time() {
            if at > t {
                break;
            }
            let (at, pending) = self.queue.pop().expect("peeked");
            self.now = at;
            self.handle(pending);
        }
        self.now = t;
        Ok(())
    }

    /// The next reported event, oldest first. Drain until `None`.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.out.pop_front()
    }

    fn schedule_arrival(&mut self) {
        let gap = self.rng.exp(1e9 / self.rate_qps).max(1.0) as u64;
        self.queue.push(self.now.plus_nanos(gap), Pending::Arrival);
    }

    fn handle(&mut self, pending: Pending) {
        match pending {
            Pending::Arrival => {
                self.arrive();
                self.schedule_arrival();
            }
            Pending::SecondTick => {
                let m = &mut self.metrics;
                m.qps_history.push(m.served_this_second);
                if m.qps_history.len() > 120 {
                    m.qps_history.remove(0);
                }
                m.served_this_second = 0;
                self.queue.push(self.now.plus_nanos(1_000_000_000), Pending::SecondTick);
            }
            Pending::Served { request } => {
                self.metrics.served += 1;
                self.metrics.served_this_second += 1;
                self.out.push_back(Event::Served { request, at: self.now });
            }
        }
    }

    fn arrive(&mut self) {
        let request = self.next_request;
        self.next_request += 1;
        self.metrics.requests += 1;
        let kind = if self.rng.next_f64() < self.write_share {
            RequestKind::Write
        } else {
            RequestKind::Read
        };
        let (server, server_fw) = self.servers[self.next_server % self.servers.len()];
        self.next_server += 1;
        let path = [Some(self.user), self.lb_firewall, Some(self.lb), server_fw, Some(server)];
        let mut t = self.now;
        let mut from = self.user;
        for to in path.into_iter().flatten().skip(1) {
            let arrive = t.plus_nanos(HOP_NS);
            // Terminated at the LB in the skeleton: plaintext behind it.
            let encrypted = to == self.lb || Some(to) == self.lb_firewall;
            self.out.push_back(Event::Hop {
                request,
                kind,
                from,
                to,
                depart: t,
                arrive,
                encrypted,
            });
            t = arrive;
            from = to;
        }
        self.queue.push(t.plus_nanos(SERVICE_NS), Pending::Served { request });
    }
}
