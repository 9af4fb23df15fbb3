//! The engine: owns the event queue and the model's parts, and exposes the
//! sans-IO API (time passed in, events polled out, commands applied).
//!
//! A request is a small `Copy` value carried *inside* the queued events, so
//! nothing about it exists once it ends. It produces an internal event only
//! where it could wait or where something can change under it: arrival, the
//! load balancer, the web server (Nginx then the app, on one core), MySQL,
//! the commit: five per request, four of them queued (the next arrival is a
//! field, not a queue entry). Network links and firewalls cost no event:
//! their delays are added and their verdicts taken when the request leaves
//! (remembered per way until the next command); the answer's way back
//! cannot fail, so it is counted when it leaves. The queue is a timing
//! wheel (`wheel.rs`): nearly every event is due within 67 ms.

use crate::agent::{Agent, Sample};
use crate::command::{Command, CommandError, NodeRef};
use crate::database::{Database, Role, TICK_NS as REPL_TICK_NS};
use crate::dns::{Dns, Lookup};
use crate::event::{AlertRule, DropReason, Event, RequestKind};
use crate::firewall::{resolve, Firewall, Verdict};
use crate::histogram::Bucket;
use crate::load_balancer::{LoadBalancer, PoolChange};
use crate::metrics::{AlertRecord, Metrics, SecondStats};
use crate::monitoring::{AlertChange, MonitoringService};
use crate::reuse::Overwrite;
use crate::rng::Rng;
use crate::scenario::{FailoverMode, NodeKind, ReadPolicy, Scenario, TlsMode};
use crate::server::CpuBox;
use crate::time::SimTime;
use crate::tls;
use crate::topology::Topology;
use crate::traffic::Traffic;
use crate::validate::{Diagnostic, MAX_RATE_QPS, MAX_RULES, MIN_RATE_QPS};
use crate::wheel::TimingWheel;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

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
    /// The scenario cannot be simulated; every problem, with its JSON path.
    InvalidScenario(Vec<Diagnostic>),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::TimeWentBackwards { now, requested } => {
                write!(f, "time went backwards: now {now}, asked for {requested}")
            }
            SimError::InvalidScenario(problems) => {
                write!(f, "invalid scenario:")?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SimError {}

/// Most events kept undrained; older ones are forgotten (and counted).
pub const EVENT_BUFFER: usize = 1 << 16;
const NONE8: u8 = u8::MAX;
const SECOND: u64 = 1_000_000_000;
/// Requests per simulated second the animation stream aims at.
const SAMPLED_PER_SECOND: f64 = 500.0;

/// One request in flight, carried by value inside queued events.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Req {
    id: u64,
    start: SimTime,
    kind: RequestKind,
    resumed: bool,
    /// Whether it shows in the animation stream (decided when it starts,
    /// so a dot never vanishes half-way when the sampling rate changes).
    sampled: bool,
    /// Index into the load balancer's backends, or NONE8.
    backend: u8,
    /// Index into the database instances, or NONE8.
    db: u8,
    /// Epoch of the backend box when the request reached it.
    epoch: u32,
    /// Epoch of the MySQL instance (and its box) when the query reached it.
    db_epoch: u32,
}

/// A [`DropReason`] packed small, so that queued events stay small.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PackedReason(u8, u16, u16);

impl PackedReason {
    fn pack(r: DropReason) -> PackedReason {
        match r {
            DropReason::FirewallRule { firewall, rule } => {
                PackedReason(0, firewall as u16, rule as u16)
            }
            DropReason::FirewallDefaultDeny { firewall, port } => {
                PackedReason(1, firewall as u16, port)
            }
            DropReason::NoHealthyBackend => PackedReason(2, 0, 0),
            DropReason::PrimaryDown => PackedReason(3, 0, 0),
            DropReason::NoDatabase => PackedReason(4, 0, 0),
            DropReason::NodeDown => PackedReason(5, 0, 0),
            DropReason::Timeout => PackedReason(6, 0, 0),
            DropReason::DnsFailure => PackedReason(7, 0, 0),
        }
    }

    fn unpack(self) -> DropReason {
        let PackedReason(code, a, b) = self;
        match code {
            0 => DropReason::FirewallRule { firewall: a.into(), rule: b.into() },
            1 => DropReason::FirewallDefaultDeny { firewall: a.into(), port: b },
            2 => DropReason::NoHealthyBackend,
            3 => DropReason::PrimaryDown,
            4 => DropReason::NoDatabase,
            5 => DropReason::NodeDown,
            6 => DropReason::Timeout,
            _ => DropReason::DnsFailure,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Pending {
    AttackArrival,
    AtLb(Req),
    AtServer(Req),
    AtDb(Req),
    DbDone(Req),
    Drop(Req, u16, PackedReason),
    AttackReach(Req, u16, u16),
    SecondTick,
    HealthCheck,
    ReplicationTick,
    AgentSample(u8),
    Deliver,
    AutoPromote(u32),
}

/// A running simulation of one scenario with one seed.
///
/// `Clone` is the snapshot: the immutable topology is shared, everything else
/// (queue, model state, metrics) is bounded in size and copied. Restoring a
/// clone and applying the same commands at the same times gives the same
/// future, event for event.
///
/// `clone_from` copies into the buffers the target already has (queue,
/// per-second history, event buffer …): the driver keeps its snapshots'
/// copies and overwrites them, so taking a snapshot allocates (almost)
/// nothing. Allocating and freeing ~3,000 blocks per snapshot, 50 times a
/// wall second at 100×, fragmented wasm's allocator, whose memory never
/// shrinks (issue 7; BENCHMARKS.md section 6).
#[derive(Debug)]
pub struct Simulation {
    topo: Arc<Topology>,
    now: SimTime,
    rng: Rng,
    queue: TimingWheel<Pending>,
    /// When the next user request arrives. Kept out of the queue: there is
    /// always exactly one, and a comparison is cheaper than a queue entry
    /// (one request in five fewer queue operations). At equal times queued
    /// events go first.
    next_arrival: SimTime,
    out: VecDeque<Event>,
    events_forgotten: u64,
    metrics: Metrics,
    traffic: Traffic,
    tls: TlsMode,
    failover: FailoverMode,
    read_policy: ReadPolicy,
    next_request: u64,
    sample_every: u64,
    node_up: Vec<bool>,
    firewalls: Vec<Firewall>,
    boxes: Vec<CpuBox>,
    agents: Vec<Agent>,
    lb: LoadBalancer,
    db: Database,
    dns: Dns,
    monitoring: MonitoringService,
    attack_scheduled: bool,
    alerts_scratch: Vec<AlertChange>,
    /// `routes[from * n + to]`: the firewalls' verdict on that way, for the
    /// port last asked. It depends only on rule tables and which nodes are
    /// up, which only commands change, so [`Simulation::apply`] forgets
    /// them all; between commands a request's way costs no rule matching.
    routes: Vec<RouteVerdict>,
}

impl Clone for Simulation {
    fn clone(&self) -> Self {
        Simulation {
            topo: self.topo.clone(),
            now: self.now,
            rng: self.rng.clone(),
            queue: self.queue.clone(),
            next_arrival: self.next_arrival,
            out: self.out.clone(),
            events_forgotten: self.events_forgotten,
            metrics: self.metrics.clone(),
            traffic: self.traffic.clone(),
            tls: self.tls,
            failover: self.failover,
            read_policy: self.read_policy,
            next_request: self.next_request,
            sample_every: self.sample_every,
            node_up: self.node_up.clone(),
            firewalls: self.firewalls.clone(),
            boxes: self.boxes.clone(),
            agents: self.agents.clone(),
            lb: self.lb.clone(),
            db: self.db.clone(),
            dns: self.dns.clone(),
            monitoring: self.monitoring.clone(),
            attack_scheduled: self.attack_scheduled,
            alerts_scratch: self.alerts_scratch.clone(),
            routes: self.routes.clone(),
        }
    }

    /// Field by field, each into its own buffers. Destructured without
    /// `..`: a new field does not compile until it is copied here too.
    fn clone_from(&mut self, source: &Self) {
        let Simulation {
            topo,
            now,
            rng,
            queue,
            next_arrival,
            out,
            events_forgotten,
            metrics,
            traffic,
            tls,
            failover,
            read_policy,
            next_request,
            sample_every,
            node_up,
            firewalls,
            boxes,
            agents,
            lb,
            db,
            dns,
            monitoring,
            attack_scheduled,
            alerts_scratch,
            routes,
        } = self;
        topo.clone_from(&source.topo);
        *now = source.now;
        rng.clone_from(&source.rng);
        queue.clone_from(&source.queue);
        *next_arrival = source.next_arrival;
        out.overwrite_from(&source.out);
        *events_forgotten = source.events_forgotten;
        metrics.clone_from(&source.metrics);
        traffic.clone_from(&source.traffic);
        *tls = source.tls;
        *failover = source.failover;
        *read_policy = source.read_policy;
        *next_request = source.next_request;
        *sample_every = source.sample_every;
        node_up.clone_from(&source.node_up);
        firewalls.clone_from(&source.firewalls);
        boxes.clone_from(&source.boxes);
        agents.clone_from(&source.agents);
        lb.clone_from(&source.lb);
        db.clone_from(&source.db);
        dns.clone_from(&source.dns);
        monitoring.clone_from(&source.monitoring);
        *attack_scheduled = source.attack_scheduled;
        alerts_scratch.clone_from(&source.alerts_scratch);
        routes.clone_from(&source.routes);
    }
}

/// The firewalls' verdict on one way through the network, for one port.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RouteVerdict {
    /// The port it holds for; `None` until computed.
    port: Option<u16>,
    /// How many firewalls of the way let the packet through.
    passed: u8,
    /// Why the next one stops it, or `None` if none does.
    stop: Option<PackedReason>,
    /// Whether its links are already marked as crossed in plaintext
    /// (marking them again would change nothing).
    plain_marked: bool,
}

impl RouteVerdict {
    const UNKNOWN: RouteVerdict =
        RouteVerdict { port: None, passed: 0, stop: None, plain_marked: false };
}

/// Appends to the undrained events, forgetting the oldest past the cap.
fn push_event(out: &mut VecDeque<Event>, forgotten: &mut u64, e: Event) {
    if out.len() == EVENT_BUFFER {
        out.pop_front();
        *forgotten += 1;
    }
    out.push_back(e);
}

/// Where a MySQL process stands, for display and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatabaseView {
    /// The box it runs on.
    pub node: usize,
    /// Whether it takes writes.
    pub primary: bool,
    /// Whether it answers (process and box up).
    pub up: bool,
    /// Writes in its relay log (for the primary: committed).
    pub received: u64,
    /// Writes applied (for the primary: committed).
    pub applied: u64,
}

impl Simulation {
    /// Builds a simulation; the seed fixes every random draw it will make.
    /// An invalid scenario is refused with every problem listed.
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Simulation, SimError> {
        let problems = scenario.validate();
        if !problems.is_empty() {
            return Err(SimError::InvalidScenario(problems));
        }
        let topo = Topology::of(scenario);
        let s = &topo.scenario;
        let n = topo.len();
        let boxes: Vec<CpuBox> = topo
            .boxes
            .iter()
            .map(|&b| CpuBox::new(b, s.nodes[b].cores_or_default(), s.nodes[b].agent))
            .collect();
        let slot = |node: usize| topo.box_slot[node].unwrap_or(0);
        let backends: Vec<(usize, usize)> =
            topo.web_servers.iter().map(|&w| (w, slot(w))).collect();
        let lb = LoadBalancer::new(topo.lb, slot(topo.lb), &s.load_balancer, &backends);
        let instances: Vec<_> = topo.mysql.iter().map(|&(node, p)| (node, slot(node), p)).collect();
        let db = Database::new(&s.database, &instances);
        let firewalls = topo.firewall_nodes.iter().map(|&f| Firewall::build(s, f)).collect();
        let monitoring = MonitoringService::new(topo.monitoring, &s.monitoring, boxes.len(), n);
        let traffic = Traffic::new(&s.traffic);
        let mut sim = Simulation {
            now: SimTime::ZERO,
            rng: Rng::new(seed),
            queue: TimingWheel::default(),
            next_arrival: SimTime::ZERO,
            out: VecDeque::new(),
            events_forgotten: 0,
            metrics: Metrics::new(n, topo.boxes.clone()),
            tls: s.tls.mode,
            failover: s.database.failover,
            read_policy: s.database.read_policy,
            next_request: 0,
            sample_every: 1,
            node_up: vec![true; n],
            firewalls,
            agents: vec![Agent::default(); boxes.len()],
            boxes,
            lb,
            db,
            dns: Dns::new(&s.dns),
            monitoring,
            attack_scheduled: false,
            alerts_scratch: Vec::new(),
            routes: vec![RouteVerdict::UNKNOWN; n * n],
            traffic,
            topo: Arc::new(topo),
        };
        sim.update_sampling();
        sim.schedule_arrival();
        sim.schedule_attack();
        sim.queue.push(SimTime(SECOND), Pending::SecondTick);
        let check = u64::from(sim.topo.scenario.load_balancer.check_interval_ms) * 1_000_000;
        sim.queue.push(SimTime(check), Pending::HealthCheck);
        sim.queue.push(SimTime(REPL_TICK_NS), Pending::ReplicationTick);
        let interval = u64::from(sim.topo.scenario.monitoring.interval_s) * SECOND;
        for slot in 0..sim.boxes.len() {
            // Agents are staggered so that they do not all sample at once.
            let offset = interval * (slot as u64 + 1) / (sim.boxes.len() as u64 + 1);
            sim.queue.push(SimTime(offset), Pending::AgentSample(slot as u8));
        }
        Ok(sim)
    }

    /// The scenario being simulated.
    pub fn scenario(&self) -> &Scenario {
        &self.topo.scenario
    }

    /// The resolved topology: the static questions about the layout
    /// (firewalls between two nodes, a request's path, where TLS ends).
    pub fn topology(&self) -> &Topology {
        &self.topo
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Ground truth and the monitoring view so far.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Hop/lookup/served/dropped events are emitted for one request in this
    /// many ("1 dot = N requests"); it follows the current rates.
    pub fn sample_every(&self) -> u64 {
        self.sample_every
    }

    /// Events forgotten because nobody drained them (see [`EVENT_BUFFER`]).
    pub fn events_forgotten(&self) -> u64 {
        self.events_forgotten
    }

    /// The time of the next scheduled internal event, if any.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<SimTime> {
        Some(self.queue.peek_time().map_or(self.next_arrival, |t| t.min(self.next_arrival)))
    }

    /// The next reported event, oldest first. Drain until `None`.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.out.pop_front()
    }

    /// Processes every event up to and including `t`, then sets `now = t`.
    ///
    /// `advance_to(now)` is a no-op; a time before `now` is refused.
    pub fn advance_to(&mut self, t: SimTime) -> Result<(), SimError> {
        if t < self.now {
            return Err(SimError::TimeWentBackwards { now: self.now, requested: t });
        }
        while self.step_until(t).is_some() {}
        self.now = t;
        Ok(())
    }

    /// Processes the earliest internal event if it is due at or before
    /// `limit`; returns its time.
    #[inline(always)]
    fn step_until(&mut self, limit: SimTime) -> Option<SimTime> {
        if let Some((at, pending)) = self.queue.pop_until(limit.min(self.next_arrival)) {
            self.now = self.now.max(at);
            self.metrics.events += 1;
            self.handle(pending);
        } else if self.next_arrival <= limit {
            self.now = self.now.max(self.next_arrival);
            self.metrics.events += 1;
            self.user_arrival();
            self.schedule_arrival();
        } else {
            return None;
        }
        Some(self.now)
    }

    /// Processes exactly one internal event (the UI's "step forward") and
    /// returns its time; `None` if nothing is scheduled (never in practice).
    pub fn step(&mut self) -> Option<SimTime> {
        self.step_until(SimTime(u64::MAX))
    }

    /// Current TLS mode.
    pub fn tls_mode(&self) -> TlsMode {
        self.tls
    }

    /// Current failover mode.
    pub fn failover_mode(&self) -> FailoverMode {
        self.failover
    }

    /// The load balancer's state (algorithm, pool, open connections).
    pub fn load_balancer(&self) -> &LoadBalancer {
        &self.lb
    }

    /// Current traffic settings.
    pub fn traffic(&self) -> &Traffic {
        &self.traffic
    }

    /// The firewall on `node`, if it is one (its live rule table).
    pub fn firewall(&self, node: usize) -> Option<&Firewall> {
        self.firewalls.iter().find(|f| f.node == node)
    }

    /// Whether node `i` is up (not killed).
    pub fn is_up(&self, node: usize) -> bool {
        self.node_up.get(node).copied().unwrap_or(false)
    }

    /// The box (CPU) state of a load balancer or server node.
    pub fn cpu_box(&self, node: usize) -> Option<&CpuBox> {
        self.topo.box_slot.get(node).copied().flatten().map(|s| &self.boxes[s])
    }

    /// Every MySQL process, in node order.
    pub fn databases(&self) -> Vec<DatabaseView> {
        self.db
            .instances
            .iter()
            .enumerate()
            .map(|(i, inst)| {
                let primary = inst.role == Role::Primary;
                DatabaseView {
                    node: inst.node,
                    primary,
                    up: self.instance_up(i),
                    received: if primary { self.db.committed } else { inst.received },
                    applied: if primary { self.db.committed } else { inst.applied },
                }
            })
            .collect()
    }

    /// Node of the MySQL primary (the current writer, up or not).
    pub fn primary_node(&self) -> Option<usize> {
        self.db.instances.get(self.db.primary).map(|i| i.node)
    }

    /// Worst replication lag among live replicas right now, milliseconds.
    pub fn replication_lag_ms(&self) -> f64 {
        (0..self.db.instances.len())
            .filter(|&i| self.db.instances[i].role == Role::Replica && self.instance_up(i))
            .map(|i| self.db.lag_ns(i, self.now) as f64 / 1e6)
            .fold(0.0, f64::max)
    }

    /// User requests that currently have a scheduled step, counted from the
    /// event queue itself (each request in flight has exactly one): an
    /// independent check of `requests = served + dropped + in flight`.
    pub fn requests_in_queue(&self) -> u64 {
        self.queue
            .iter()
            .filter(|p| match p {
                Pending::AtLb(r)
                | Pending::AtServer(r)
                | Pending::AtDb(r)
                | Pending::DbDone(r)
                | Pending::Drop(r, _, _) => r.kind != RequestKind::Attack,
                _ => false,
            })
            .count() as u64
    }

    /// Whether the monitoring service currently has `rule` raised on `node`.
    pub fn alert_active(&self, rule: AlertRule, node: usize) -> bool {
        self.monitoring.is_active(rule, node)
    }

    // ----- internals -------------------------------------------------------

    fn emit(&mut self, e: Event) {
        push_event(&mut self.out, &mut self.events_forgotten, e);
    }

    fn update_sampling(&mut self) {
        let rate = self.traffic.rate_qps + self.traffic.attack_qps;
        let mut n = 1u64;
        let steps = [2, 5, 10];
        let mut k = 0;
        let mut base = 1u64;
        while rate / n as f64 > SAMPLED_PER_SECOND {
            n = base * steps[k];
            k += 1;
            if k == steps.len() {
                k = 0;
                base *= 10;
            }
        }
        self.sample_every = n;
    }

    fn schedule_arrival(&mut self) {
        let gap = self.traffic.next_gap_ns(&mut self.rng);
        self.next_arrival = self.now.plus_nanos(gap);
    }

    fn schedule_attack(&mut self) {
        if self.attack_scheduled {
            return;
        }
        if let Some(gap) = self.traffic.next_attack_gap_ns(&mut self.rng) {
            self.attack_scheduled = true;
            self.queue.push(self.now.plus_nanos(gap), Pending::AttackArrival);
        }
    }

    #[inline(always)]
    fn service_ns(&mut self, mean_ms: f64) -> u64 {
        // Through i64: one conversion instruction (u64 takes several);
        // durations stay far below 2^63 ns.
        self.rng.exp(mean_ms * 1e6) as i64 as u64
    }

    fn timeout_ns(&self) -> u64 {
        u64::from(self.topo.scenario.load_balancer.timeout_ms) * 1_000_000
    }

    fn box_up(&self, node: usize) -> bool {
        self.node_up[node]
    }

    fn instance_up(&self, i: usize) -> bool {
        self.db.up(i) && self.node_up[self.db.instances[i].node]
    }

    fn instance_epoch(&self, i: usize) -> u32 {
        let inst = &self.db.instances[i];
        let slot = self.topo.box_slot[inst.node].unwrap_or(0);
        inst.epoch.wrapping_add(self.boxes[slot].epoch)
    }

    /// The firewalls' verdict on the way from `from` to `to` for `port`:
    /// how many let it through, and why the next one stops it (if one does).
    #[inline]
    fn route(&mut self, from: usize, to: usize, port: u16) -> RouteVerdict {
        let i = from * self.topo.len() + to;
        let known = self.routes[i];
        if known.port == Some(port) {
            return known;
        }
        let topo = &*self.topo;
        let crossings = topo.crossings(from, to);
        let mut verdict = RouteVerdict {
            port: Some(port),
            passed: crossings.len() as u8,
            stop: None,
            plain_marked: false,
        };
        for (j, &k) in crossings.iter().enumerate() {
            let fw_node = topo.firewall_nodes[k as usize];
            let reason = if !self.node_up[fw_node] {
                // A dead firewall passes nothing.
                Some(DropReason::NodeDown)
            } else {
                match self.firewalls[k as usize].check(from, topo.zones[from], port) {
                    Verdict::Allow => None,
                    Verdict::DeniedByRule(rule) => {
                        Some(DropReason::FirewallRule { firewall: fw_node, rule })
                    }
                    Verdict::DefaultDeny => {
                        Some(DropReason::FirewallDefaultDeny { firewall: fw_node, port })
                    }
                }
            };
            if let Some(reason) = reason {
                verdict.passed = j as u8;
                verdict.stop = Some(PackedReason::pack(reason));
                break;
            }
        }
        self.routes[i] = verdict;
        verdict
    }

    /// Moves a request from `from` to `to` leaving at `depart`, through the
    /// firewalls in between. Emits the hops (if sampled); on a drop schedules
    /// it where it happens and returns `None`, else the arrival time.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn travel(
        &mut self,
        req: Req,
        from: usize,
        to: usize,
        depart: SimTime,
        port: u16,
        encrypted: bool,
        first_leg_ns: u64,
    ) -> Option<SimTime> {
        let route = self.route(from, to, port);
        let plain = !encrypted && req.kind != RequestKind::Attack;
        if req.sampled || (plain && !route.plain_marked) {
            return self.travel_hop_by_hop(req, from, to, depart, port, encrypted, first_leg_ns);
        }
        // Nothing to report or mark on the way: only its length matters.
        let lan = self.topo.lan_ns;
        let legs = u64::from(route.passed);
        let at = depart.plus_nanos(first_leg_ns).plus_nanos(legs * (lan / 2));
        match route.stop {
            Some(reason) => {
                let k = self.topo.crossings(from, to)[usize::from(route.passed)];
                let fw = self.topo.firewall_nodes[k as usize];
                self.queue.push(at, Pending::Drop(req, fw as u16, reason));
                None
            }
            None => Some(at),
        }
    }

    /// [`Simulation::travel`] link by link: reports each hop of a sampled
    /// request, marks plaintext links.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn travel_hop_by_hop(
        &mut self,
        req: Req,
        from: usize,
        to: usize,
        depart: SimTime,
        port: u16,
        encrypted: bool,
        first_leg_ns: u64,
    ) -> Option<SimTime> {
        let route = self.route(from, to, port);
        let (passed, stop) = (usize::from(route.passed), route.stop);
        let sampled = req.sampled;
        // Borrow the topology field by field (no Arc clone on the hot path).
        let topo = &*self.topo;
        let lan = topo.lan_ns;
        let mut at = depart;
        let mut here = from;
        let mut leg = first_leg_ns;
        let plain = !encrypted && req.kind != RequestKind::Attack;
        let crossings = topo.crossings(from, to);
        // The firewalls passed, then the one that stops it or `to`.
        let last =
            if stop.is_some() { topo.firewall_nodes[crossings[passed] as usize] } else { to };
        let through = crossings[..passed].iter().map(|&k| topo.firewall_nodes[k as usize]);
        for next in through.chain(std::iter::once(last)) {
            let arrive = at.plus_nanos(leg);
            if sampled {
                push_event(
                    &mut self.out,
                    &mut self.events_forgotten,
                    Event::Hop {
                        request: req.id,
                        kind: req.kind,
                        from: here,
                        to: next,
                        depart: at,
                        arrive,
                        encrypted,
                    },
                );
            }
            if plain {
                self.metrics.plaintext[here] |= 1 << next;
            }
            at = arrive;
            here = next;
            leg = lan / 2;
        }
        if plain {
            let i = from * self.topo.len() + to;
            self.routes[i].plain_marked = true;
        }
        match stop {
            Some(reason) => {
                self.queue.push(at, Pending::Drop(req, last as u16, reason));
                None
            }
            None => Some(at),
        }
    }

    // Not inlined into the event loop: natively that would save ~6% of the
    // instructions, but a wasm engine compiles one huge loop function late
    // (V8 runs it unoptimised meanwhile), which cost more than it saved.
    #[inline(never)]
    fn handle(&mut self, p: Pending) {
        match p {
            Pending::AttackArrival => {
                self.attack_scheduled = false;
                self.attack_arrival();
                self.schedule_attack();
            }
            Pending::AtLb(req) => self.at_lb(req),
            Pending::AtServer(req) => self.at_server(req),
            Pending::AtDb(req) => self.at_db(req),
            Pending::DbDone(req) => self.db_done(req),
            Pending::Drop(req, node, reason) => {
                self.drop_request(req, node as usize, reason.unpack())
            }
            Pending::AttackReach(req, node, port) => {
                let node = node as usize;
                if self.node_up[node] {
                    self.metrics.attacks_reached += 1;
                    self.metrics.current.attacks_reached += 1;
                    if req.sampled {
                        self.emit(Event::AttackReached {
                            request: req.id,
                            at: self.now,
                            node,
                            port,
                        });
                    }
                } else {
                    self.drop_request(req, node, DropReason::NodeDown);
                }
            }
            Pending::SecondTick => self.second_tick(),
            Pending::HealthCheck => self.health_check(),
            Pending::ReplicationTick => self.replication_tick(),
            Pending::AgentSample(slot) => self.agent_sample(slot as usize),
            Pending::Deliver => self.deliver(),
            Pending::AutoPromote(generation) => {
                if generation == self.db.generation
                    && self.failover == FailoverMode::Auto
                    && !self.db.primary_up()
                {
                    self.auto_promote();
                }
            }
        }
    }

    fn new_req(&mut self, kind: RequestKind, resumed: bool) -> Req {
        let id = self.next_request;
        self.next_request += 1;
        Req {
            id,
            start: self.now,
            kind,
            resumed,
            sampled: id.is_multiple_of(self.sample_every),
            backend: NONE8,
            db: NONE8,
            epoch: 0,
            db_epoch: 0,
        }
    }

    fn user_arrival(&mut self) {
        let (kind, resumed) = self.traffic.draw(&mut self.rng);
        let req = self.new_req(kind, resumed);
        self.metrics.requests += 1;
        self.metrics.current.requests += 1;
        let (user, lb, wan) = (self.topo.user, self.topo.lb, self.topo.internet_ns);
        let mut depart = self.now;
        if let Some(dns) = self.topo.dns {
            let lookup = self.dns.lookup(&mut self.rng, self.now, self.node_up[dns]);
            let (delay, hit, failed) = match lookup {
                Lookup::Answered { delay_ns, hit } => (delay_ns, hit, false),
                Lookup::Failed { delay_ns } => (delay_ns, false, true),
            };
            depart = self.now.plus_nanos(delay);
            if req.sampled {
                self.emit(Event::DnsLookup {
                    request: req.id,
                    user,
                    dns,
                    depart: self.now,
                    arrive: depart,
                    cache_hit: hit,
                });
            }
            if failed {
                self.queue.push(
                    depart,
                    Pending::Drop(req, dns as u16, PackedReason::pack(DropReason::DnsFailure)),
                );
                return;
            }
        }
        let wan = wan / 2 + self.rng.range_ns(0, wan.max(1));
        if let Some(at) = self.travel(req, user, lb, depart, 443, true, wan) {
            self.queue.push(at, Pending::AtLb(req));
        }
    }

    fn attack_arrival(&mut self) {
        let req = self.new_req(RequestKind::Attack, false);
        self.metrics.attacks += 1;
        let port = self.traffic.attack_port;
        let topo = Arc::clone(&self.topo);
        // 3306 aims at the MySQL primary's box; anything else at the edge.
        let target = match port {
            3306 => self.primary_node().unwrap_or(topo.lb),
            _ => topo.lb,
        };
        let wan = topo.internet_ns;
        if let Some(at) = self.travel(req, topo.user, target, self.now, port, port == 443, wan) {
            self.queue.push(at, Pending::AttackReach(req, target as u16, port));
        }
    }

    fn lb_slot(&self) -> usize {
        self.lb.slot
    }

    fn at_lb(&mut self, mut req: Req) {
        let lb = self.lb.node;
        if !self.box_up(lb) {
            return self.drop_request(req, lb, DropReason::NodeDown);
        }
        let slot = self.lb_slot();
        self.metrics.current.qps[slot] += 1;
        self.boxes[slot].requests_since_sample += 1;
        let svc = self.topo.scenario.service;
        let mean = if tls::lb_sees_http(self.tls) { svc.lb_ms } else { svc.lb_ms / 2.0 };
        let cost = self.service_ns(mean) + tls::lb_cost_ns(self.tls, req.resumed);
        let timeout = self.timeout_ns();
        let Some(done) = self.boxes[slot].run(self.now, cost, timeout) else {
            return self.drop_request(req, lb, DropReason::Timeout);
        };
        let Some(b) = self.lb.pick(&mut self.rng) else {
            self.queue.push(
                done,
                Pending::Drop(req, lb as u16, PackedReason::pack(DropReason::NoHealthyBackend)),
            );
            return;
        };
        req.backend = b as u8;
        self.lb.backends[b].active += 1;
        let server = self.lb.backends[b].node;
        self.metrics.current.qps[self.lb.backends[b].slot] += 1;
        let lan = self.topo.lan_ns;
        let port = tls::backend_port(self.tls);
        let enc = tls::backend_encrypted(self.tls);
        if let Some(at) = self.travel(req, lb, server, done, port, enc, lan / 2) {
            self.queue.push(at, Pending::AtServer(req));
        }
    }

    fn backend_node(&self, req: &Req) -> usize {
        self.lb.backends[req.backend as usize].node
    }

    fn backend_slot(&self, req: &Req) -> usize {
        self.lb.backends[req.backend as usize].slot
    }

    /// The request reaches a web server: Nginx (plus TLS in re-encrypt and
    /// passthrough modes), then the app, one after the other on the same
    /// core, then the app's query leaves for MySQL.
    fn at_server(&mut self, mut req: Req) {
        let node = self.backend_node(&req);
        if !self.box_up(node) {
            return self.drop_request(req, node, DropReason::NodeDown);
        }
        let slot = self.backend_slot(&req);
        req.epoch = self.boxes[slot].epoch;
        self.boxes[slot].requests_since_sample += 1;
        let svc = self.topo.scenario.service;
        let nginx = self.service_ns(svc.nginx_ms) + tls::server_cost_ns(self.tls, req.resumed);
        let app_mean =
            if req.kind == RequestKind::Write { svc.app_write_ms } else { svc.app_read_ms };
        let app = self.service_ns(app_mean);
        let timeout = self.timeout_ns();
        let Some((_, done)) = self.boxes[slot].run_pair(self.now, nginx, app, timeout) else {
            return self.drop_request(req, node, DropReason::Timeout);
        };
        // The app decides where its query goes when it starts.
        let target = if req.kind == RequestKind::Write {
            let p = self.db.primary;
            (self.instance_up(p) && self.db.instances[p].role == Role::Primary).then_some(p)
        } else {
            let replica = match self.read_policy {
                ReadPolicy::Replica => self.db.pick_replica(node, &self.node_up),
                ReadPolicy::Primary => None,
            };
            replica.or_else(|| {
                let p = self.db.primary;
                self.instance_up(p).then_some(p)
            })
        };
        let Some(target) = target else {
            let reason = if req.kind == RequestKind::Write {
                DropReason::PrimaryDown
            } else {
                DropReason::NoDatabase
            };
            self.queue.push(done, Pending::Drop(req, node as u16, PackedReason::pack(reason)));
            return;
        };
        req.db = target as u8;
        let host = self.db.instances[target].node;
        if host == node {
            self.queue.push(done, Pending::AtDb(req));
            return;
        }
        let lan = self.topo.lan_ns;
        let enc = self.topo.scenario.database.tls;
        if let Some(at) = self.travel(req, node, host, done, 3306, enc, lan / 2) {
            self.queue.push(at, Pending::AtDb(req));
        }
    }

    fn server_still_has(&self, req: &Req) -> bool {
        let slot = self.backend_slot(req);
        self.boxes[slot].alive && self.boxes[slot].epoch == req.epoch
    }

    fn at_db(&mut self, mut req: Req) {
        if !self.server_still_has(&req) {
            // The web server died while Nginx or the app had the request.
            let node = self.backend_node(&req);
            return self.drop_request(req, node, DropReason::NodeDown);
        }
        let i = req.db as usize;
        let host = self.db.instances[i].node;
        let writes = req.kind == RequestKind::Write;
        let refused = if writes { DropReason::PrimaryDown } else { DropReason::NoDatabase };
        if !self.instance_up(i) || (writes && self.db.instances[i].role != Role::Primary) {
            return self.drop_request(req, host, refused);
        }
        req.db_epoch = self.instance_epoch(i);
        let slot = self.db.instances[i].slot;
        let svc = self.topo.scenario.service;
        let cost = self.service_ns(if writes { svc.mysql_write_ms } else { svc.mysql_read_ms });
        let timeout = self.timeout_ns();
        match self.boxes[slot].run(self.now, cost, timeout) {
            Some(done) => self.queue.push(done, Pending::DbDone(req)),
            None => self.drop_request(req, host, DropReason::Timeout),
        }
    }

    fn db_done(&mut self, req: Req) {
        let i = req.db as usize;
        let host = self.db.instances[i].node;
        let writes = req.kind == RequestKind::Write;
        if !self.instance_up(i) || self.instance_epoch(i) != req.db_epoch {
            let reason = if writes { DropReason::PrimaryDown } else { DropReason::NoDatabase };
            return self.drop_request(req, host, reason);
        }
        if writes {
            if self.db.instances[i].role != Role::Primary {
                return self.drop_request(req, host, DropReason::PrimaryDown);
            }
            self.db.commit();
            self.metrics.writes_ok += 1;
        } else if self.db.instances[i].role == Role::Replica && self.db.instances[i].stale {
            self.metrics.stale_reads += 1;
        }
        // The answer travels back: MySQL → app (if remote) → LB → user.
        // Replies of open connections pass stateful firewalls, no check.
        let lan = self.topo.lan_ns;
        let remote = host != self.backend_node(&req);
        let back = lan * (1 + u64::from(remote)) + self.topo.internet_ns;
        // Nothing can stop an answer on its way back, so it is counted now
        // (one event less per request) and dated when it reaches the user.
        self.respond(req, self.now.plus_nanos(back));
    }

    fn release_backend(&mut self, req: &Req) {
        if req.backend != NONE8 {
            let b = &mut self.lb.backends[req.backend as usize];
            b.active = b.active.saturating_sub(1);
        }
    }

    fn respond(&mut self, req: Req, at: SimTime) {
        self.release_backend(&req);
        let latency = at.0 - req.start.0;
        let m = &mut self.metrics;
        m.served += 1;
        m.current.served += 1;
        let bucket = Bucket::of_ns(latency);
        m.latency.record_bucket(bucket);
        m.second_latency.record_bucket(bucket);
        let server_slot = self.backend_slot(&req);
        let lb_slot = self.lb_slot();
        self.boxes[server_slot].latency_since_sample.record_bucket(bucket);
        self.boxes[lb_slot].latency_since_sample.record_bucket(bucket);
        if req.sampled {
            let server = self.backend_node(&req);
            self.emit(Event::Served {
                request: req.id,
                kind: req.kind,
                at,
                server,
                latency: SimTime(latency),
            });
        }
    }

    fn drop_request(&mut self, req: Req, node: usize, reason: DropReason) {
        let code = reason.code() as usize;
        match reason {
            DropReason::FirewallRule { firewall, rule } => {
                self.metrics.count_firewall_drop(firewall, Some(rule))
            }
            DropReason::FirewallDefaultDeny { firewall, .. } => {
                self.metrics.count_firewall_drop(firewall, None)
            }
            _ => {}
        }
        if req.kind == RequestKind::Attack {
            self.metrics.attacks_dropped[code] += 1;
        } else {
            self.release_backend(&req);
            let m = &mut self.metrics;
            m.dropped[code] += 1;
            m.current.dropped[code] += 1;
            if req.kind == RequestKind::Write {
                m.writes_failed += 1;
            }
            // An error response (5xx) counted by the box that produced it:
            // the server if the request got there, else the load balancer.
            if let Some(slot) = self.topo.box_slot[node] {
                self.boxes[slot].errors_since_sample += 1;
            } else if req.backend != NONE8 {
                let slot = self.backend_slot(&req);
                self.boxes[slot].errors_since_sample += 1;
            }
            // Drops before the load balancer (DNS, perimeter firewall) are
            // not 5xx responses of any box.
        }
        if req.sampled {
            self.emit(Event::Dropped {
                request: req.id,
                kind: req.kind,
                at: self.now,
                node,
                reason,
            });
        }
    }

    fn second_tick(&mut self) {
        let second = self.now.0 / SECOND;
        let lag = self.replication_lag_ms() as f32;
        let mut done = std::mem::replace(
            &mut self.metrics.current,
            SecondStats::empty(second, self.boxes.len()),
        );
        done.second = second.saturating_sub(1);
        done.latency_p50_ms = self.metrics.second_latency.quantile_ms(0.5) as f32;
        done.latency_p99_ms = self.metrics.second_latency.quantile_ms(0.99) as f32;
        self.metrics.second_latency.clear();
        done.replication_lag_ms = lag;
        for slot in 0..self.boxes.len() {
            done.cpu_pct[slot] = self.boxes[slot].take_cpu_pct();
            done.qps_monitored[slot] = self.monitoring.qps_of(slot);
            done.cpu_monitored[slot] = self.monitoring.cpu_of(slot);
            done.queue_wait_ms[slot] = (self.boxes[slot].wait_ns(self.now) as f64 / 1e6) as f32;
        }
        let q = &mut self.metrics.qps_history;
        if q.len() == 120 {
            q.remove(0);
        }
        q.push(u64::from(done.served));
        self.metrics.history.push(done);
        // The service notices hosts that went silent.
        let expected: Vec<(usize, usize)> = (0..self.boxes.len())
            .filter(|&s| self.topo.scenario.nodes[self.boxes[s].node].agent)
            .map(|s| (s, self.boxes[s].node))
            .collect();
        let mut changes = std::mem::take(&mut self.alerts_scratch);
        self.monitoring.check_silence(self.now, &expected, &mut changes);
        self.apply_alerts(&mut changes);
        self.alerts_scratch = changes;
        self.queue.push(self.now.plus_nanos(SECOND), Pending::SecondTick);
    }

    fn apply_alerts(&mut self, changes: &mut Vec<AlertChange>) {
        for c in changes.drain(..) {
            match c {
                AlertChange::Fire(rule, node) => {
                    self.metrics.alerts.push(AlertRecord { at: self.now, rule, node });
                    self.emit(Event::Alert { at: self.now, rule, node });
                }
                AlertChange::Clear(rule, node) => {
                    self.emit(Event::AlertCleared { at: self.now, rule, node })
                }
            }
        }
    }

    fn health_check(&mut self) {
        let lb = self.lb.node;
        if self.node_up[lb] {
            let port = tls::backend_port(self.tls);
            let topo = Arc::clone(&self.topo);
            for b in 0..self.lb.backends.len() {
                let server = self.lb.backends[b].node;
                let reachable = topo.crossings(lb, server).iter().all(|&k| {
                    let fw = &self.firewalls[k as usize];
                    self.node_up[fw.node] && fw.check(lb, topo.zones[lb], port) == Verdict::Allow
                });
                let ok = self.node_up[server] && reachable;
                match self.lb.check(b, ok) {
                    Some(PoolChange::Removed) => {
                        self.emit(Event::BackendRemoved { at: self.now, server })
                    }
                    Some(PoolChange::Added) => {
                        self.emit(Event::BackendAdded { at: self.now, server })
                    }
                    None => {}
                }
            }
        }
        let every = u64::from(self.topo.scenario.load_balancer.check_interval_ms) * 1_000_000;
        self.queue.push(self.now.plus_nanos(every), Pending::HealthCheck);
    }

    fn replication_tick(&mut self) {
        let topo = Arc::clone(&self.topo);
        let n = self.db.instances.len();
        let p = self.db.primary;
        let primary_ok = self.instance_up(p) && self.db.instances[p].role == Role::Primary;
        let primary_host = self.db.instances[p].node;
        let mut connected = [false; 64];
        let mut running = [false; 64];
        for i in 0..n.min(64) {
            running[i] = self.instance_up(i);
            let host = self.db.instances[i].node;
            // The replica's IO thread connects to the primary on 3306.
            connected[i] = running[i]
                && primary_ok
                && topo.crossings(host, primary_host).iter().all(|&k| {
                    let fw = &self.firewalls[k as usize];
                    self.node_up[fw.node]
                        && fw.check(host, topo.zones[host], 3306) == Verdict::Allow
                });
        }
        self.db.tick(self.now, |i| connected[i], |i| running[i]);
        self.queue.push(self.now.plus_nanos(REPL_TICK_NS), Pending::ReplicationTick);
    }

    fn agent_sample(&mut self, slot: usize) {
        let spec = self.topo.scenario.monitoring;
        let interval = u64::from(spec.interval_s) * SECOND;
        self.queue.push(self.now.plus_nanos(interval), Pending::AgentSample(slot as u8));
        let node = self.boxes[slot].node;
        if !self.node_up[node] || !self.boxes[slot].agent_on || self.topo.monitoring.is_none() {
            self.boxes[slot].reset_sample(self.now);
            return;
        }
        // Sampling costs the box a little CPU.
        let timeout = self.timeout_ns();
        self.boxes[slot].run(self.now, u64::from(spec.agent_cpu_us) * 1000, timeout);
        let b = &self.boxes[slot];
        let span = self.now.0.saturating_sub(b.last_sample_at.0).max(1) as f64;
        let cpu = (b.busy_since_sample as f64 * 100.0 / (span * b.cores() as f64)).min(100.0);
        let mut lag: Option<f32> = None;
        let mut primary = None;
        for i in 0..self.db.instances.len() {
            // The agent reads MySQL's status on its own box, dead or alive.
            if self.db.instances[i].node != node {
                continue;
            }
            let p = self.db.primary;
            primary = Some((
                self.db.instances[p].node,
                self.instance_up(p) && self.db.instances[p].role == Role::Primary,
            ));
            if self.db.instances[i].role == Role::Replica && self.db.up(i) {
                let l = (self.db.lag_ns(i, self.now) as f64 / 1e6) as f32;
                lag = Some(lag.map_or(l, |x: f32| x.max(l)));
            }
        }
        let sample = Sample {
            node,
            sampled_at: self.now,
            qps: (b.requests_since_sample as f64 * 1e9 / span) as f32,
            errors: b.errors_since_sample.min(u64::from(u32::MAX)) as u32,
            requests: b.requests_since_sample.min(u64::from(u32::MAX)) as u32,
            cpu_pct: cpu as f32,
            mem_pct: (35.0 + 0.5 * cpu) as f32,
            p99_ms: b.latency_since_sample.quantile_ms(0.99) as f32,
            replication_lag_ms: lag,
            primary,
        };
        self.boxes[slot].reset_sample(self.now);
        self.agents[slot].keep(sample);
        if self.monitoring.alive {
            while let Some(s) = self.agents[slot].buffer.pop_front() {
                let at = self.monitoring.ship(self.now, s);
                self.queue.push(at, Pending::Deliver);
            }
        }
    }

    fn deliver(&mut self) {
        let Some((at, sample)) = self.monitoring.next_arrival() else { return };
        if !self.monitoring.alive {
            return;
        }
        let Some(slot) = self.topo.box_slot[sample.node] else { return };
        let _ = at;
        self.emit(Event::MetricsReceived {
            at: self.now,
            node: sample.node,
            sampled_at: sample.sampled_at,
        });
        let mut changes = std::mem::take(&mut self.alerts_scratch);
        self.monitoring.receive(self.now, slot, sample, &mut changes);
        self.apply_alerts(&mut changes);
        self.alerts_scratch = changes;
    }

    fn plan_auto_failover(&mut self) {
        if self.failover != FailoverMode::Auto || self.db.primary_up() {
            return;
        }
        let spec = self.topo.scenario.database;
        let detect = u64::from(spec.heartbeat_ms) * u64::from(spec.missed_heartbeats) * 1_000_000;
        let promote = u64::from(spec.promotion_ms) * 1_000_000;
        self.queue
            .push(self.now.plus_nanos(detect + promote), Pending::AutoPromote(self.db.generation));
    }

    fn auto_promote(&mut self) {
        // The orchestrator picks the live replica with the most binlog.
        let best = (0..self.db.instances.len())
            .filter(|&i| self.db.instances[i].role == Role::Replica && self.instance_up(i))
            .max_by_key(|&i| (self.db.instances[i].received, std::cmp::Reverse(i)));
        if let Some(r) = best {
            self.promote(r, true);
        }
    }

    fn promote(&mut self, r: usize, automatic: bool) {
        let lost = self.db.promote(r, self.now);
        self.metrics.lost_writes += lost;
        let node = self.db.instances[r].node;
        self.emit(Event::Promoted { at: self.now, node, lost_writes: lost, automatic });
    }

    // ----- commands --------------------------------------------------------

    fn resolve(&self, r: &NodeRef) -> Result<usize, CommandError> {
        match r {
            NodeRef::Index(i) if *i < self.topo.len() => Ok(*i),
            NodeRef::Index(i) => Err(CommandError::UnknownNode(format!("#{i}"))),
            NodeRef::Id(id) => {
                self.topo.scenario.index_of(id).ok_or_else(|| CommandError::UnknownNode(id.clone()))
            }
            NodeRef::PrimaryDb | NodeRef::ReplicaDb => {
                self.resolve_instance(r).map(|i| self.db.instances[i].node)
            }
        }
    }

    fn resolve_instance(&self, r: &NodeRef) -> Result<usize, CommandError> {
        let role_missing = || CommandError::NoSuchRole(r.clone());
        match r {
            NodeRef::PrimaryDb => {
                if self.db.instances.is_empty() {
                    return Err(role_missing());
                }
                Ok(self.db.primary)
            }
            NodeRef::ReplicaDb => (0..self.db.instances.len())
                .find(|&i| self.db.instances[i].role == Role::Replica)
                .ok_or_else(role_missing),
            _ => Err(role_missing()),
        }
    }

    fn name(&self, node: usize) -> String {
        self.topo.id(node).to_string()
    }

    /// Applies a command at `now`, or refuses it (nothing changes) and says
    /// why.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        // Any command may change a rule table or a node's state.
        self.routes.fill(RouteVerdict::UNKNOWN);
        match command {
            Command::Kill(r) => self.kill(&r),
            Command::Restore(r) => self.restore(&r),
            Command::Promote(r) => {
                if self.db.primary_up() {
                    return Err(CommandError::PrimaryStillUp);
                }
                let candidate = match &r {
                    NodeRef::PrimaryDb => {
                        return Err(CommandError::NotAReplica("primary-db".into()))
                    }
                    NodeRef::ReplicaDb => self.resolve_instance(&r)?,
                    other => {
                        let node = self.resolve(other)?;
                        (0..self.db.instances.len())
                            .find(|&i| {
                                self.db.instances[i].node == node
                                    && self.db.instances[i].role == Role::Replica
                            })
                            .ok_or_else(|| CommandError::NotAReplica(self.name(node)))?
                    }
                };
                if !self.instance_up(candidate) {
                    return Err(CommandError::NotAReplica(
                        self.name(self.db.instances[candidate].node),
                    ));
                }
                self.promote(candidate, false);
                Ok(())
            }
            Command::SetTls(mode) => {
                self.tls = mode;
                Ok(())
            }
            Command::SetLbAlgorithm(a) => {
                self.lb.algorithm = a;
                Ok(())
            }
            Command::SetRate { qps } => {
                if !(MIN_RATE_QPS..=MAX_RATE_QPS).contains(&qps) {
                    return Err(CommandError::OutOfRange {
                        what: "rate",
                        min: MIN_RATE_QPS,
                        max: MAX_RATE_QPS,
                    });
                }
                self.traffic.rate_qps = qps;
                self.update_sampling();
                Ok(())
            }
            Command::SetWriteShare { share } => {
                if !(0.0..=1.0).contains(&share) {
                    return Err(CommandError::OutOfRange {
                        what: "write share",
                        min: 0.0,
                        max: 1.0,
                    });
                }
                self.traffic.write_share = share;
                Ok(())
            }
            Command::SetAttack { qps, port } => {
                if !(0.0..=MAX_RATE_QPS).contains(&qps) {
                    return Err(CommandError::OutOfRange {
                        what: "attack rate",
                        min: 0.0,
                        max: MAX_RATE_QPS,
                    });
                }
                if port == 0 {
                    return Err(CommandError::OutOfRange { what: "port", min: 1.0, max: 65535.0 });
                }
                self.traffic.attack_qps = qps;
                self.traffic.attack_port = port;
                self.update_sampling();
                self.schedule_attack();
                Ok(())
            }
            Command::SetFailover(mode) => {
                let was = self.failover;
                self.failover = mode;
                if was != mode {
                    self.plan_auto_failover();
                }
                Ok(())
            }
            Command::AddFirewallRule { firewall, index, rule } => {
                let k = self.firewall_slot(&firewall)?;
                let len = self.firewalls[k].rules.len();
                if len >= MAX_RULES {
                    return Err(CommandError::TooManyRules);
                }
                let index = index.unwrap_or(len);
                if index > len {
                    return Err(CommandError::RuleIndexOutOfRange { index, len });
                }
                if let crate::scenario::SourceSpec::Node(id) = &rule.source {
                    let r: NodeRef =
                        id.parse().map_err(|_| CommandError::UnknownNode(id.clone()))?;
                    self.resolve(&r)?;
                }
                let resolved = resolve(&rule, |id| {
                    id.parse::<NodeRef>().ok().and_then(|r| self.resolve(&r).ok())
                })
                .ok_or_else(|| {
                    CommandError::UnknownNode(match &rule.source {
                        crate::scenario::SourceSpec::Node(id) => id.clone(),
                        other => format!("{other:?}"),
                    })
                })?;
                if resolved.port == Some(0) {
                    return Err(CommandError::OutOfRange { what: "port", min: 1.0, max: 65535.0 });
                }
                self.firewalls[k].rules.insert(index, resolved);
                Ok(())
            }
            Command::RemoveFirewallRule { firewall, index } => {
                let k = self.firewall_slot(&firewall)?;
                let len = self.firewalls[k].rules.len();
                if index >= len {
                    return Err(CommandError::RuleIndexOutOfRange { index, len });
                }
                self.firewalls[k].rules.remove(index);
                Ok(())
            }
            Command::MoveFirewallRule { firewall, from, to } => {
                let k = self.firewall_slot(&firewall)?;
                let len = self.firewalls[k].rules.len();
                for index in [from, to] {
                    if index >= len {
                        return Err(CommandError::RuleIndexOutOfRange { index, len });
                    }
                }
                let rule = self.firewalls[k].rules.remove(from);
                self.firewalls[k].rules.insert(to, rule);
                Ok(())
            }
            Command::SetAgent { node, on } => {
                let n = self.resolve(&node)?;
                let slot =
                    self.topo.box_slot[n].ok_or_else(|| CommandError::NotABox(self.name(n)))?;
                self.boxes[slot].agent_on = on;
                if !on {
                    self.agents[slot].buffer.clear();
                }
                Ok(())
            }
        }
    }

    fn firewall_slot(&self, r: &NodeRef) -> Result<usize, CommandError> {
        let node = self.resolve(r)?;
        self.topo
            .firewall_nodes
            .iter()
            .position(|&f| f == node)
            .ok_or_else(|| CommandError::NotAFirewall(self.name(node)))
    }

    fn kill(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        if let NodeRef::PrimaryDb | NodeRef::ReplicaDb = r {
            let i = self.resolve_instance(r)?;
            let node = self.db.instances[i].node;
            if !self.db.instances[i].process_up {
                return Err(CommandError::AlreadyDown(format!("{r}")));
            }
            self.db.instances[i].process_up = false;
            self.db.instances[i].epoch = self.db.instances[i].epoch.wrapping_add(1);
            if i == self.db.primary {
                self.db.failed_primary = Some(i);
            }
            self.emit(Event::DatabaseDown { at: self.now, node });
            self.plan_auto_failover();
            return Ok(());
        }
        let node = self.resolve(r)?;
        if matches!(self.topo.kinds[node], NodeKind::User) {
            return Err(CommandError::CannotKill(self.name(node)));
        }
        if !self.node_up[node] {
            return Err(CommandError::AlreadyDown(self.name(node)));
        }
        let had_primary = self.db.primary_up();
        self.node_up[node] = false;
        if let Some(slot) = self.topo.box_slot[node] {
            self.boxes[slot].kill();
            self.agents[slot].buffer.clear();
        }
        if let Some(k) = self.topo.firewall_nodes.iter().position(|&f| f == node) {
            self.firewalls[k].alive = false;
        }
        if Some(node) == self.topo.monitoring {
            self.monitoring.kill();
        }
        self.emit(Event::NodeDown { at: self.now, node });
        if had_primary && !self.db.primary_up() {
            self.db.failed_primary = Some(self.db.primary);
            self.plan_auto_failover();
        }
        Ok(())
    }

    fn restore(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        if let NodeRef::PrimaryDb | NodeRef::ReplicaDb = r {
            // `restore:primary-db` brings back the primary that was lost,
            // even if another one has been promoted since.
            let i = match (r, self.db.failed_primary) {
                (NodeRef::PrimaryDb, Some(f)) => f,
                _ => self.resolve_instance(r)?,
            };
            if self.db.instances[i].process_up {
                return Err(CommandError::AlreadyUp(format!("{r}")));
            }
            self.db.instances[i].process_up = true;
            let node = self.db.instances[i].node;
            self.rejoin(i);
            self.emit(Event::DatabaseUp { at: self.now, node });
            return Ok(());
        }
        let node = self.resolve(r)?;
        if matches!(self.topo.kinds[node], NodeKind::User) {
            return Err(CommandError::CannotKill(self.name(node)));
        }
        if self.node_up[node] {
            return Err(CommandError::AlreadyUp(self.name(node)));
        }
        self.node_up[node] = true;
        if let Some(slot) = self.topo.box_slot[node] {
            self.boxes[slot].restore();
            self.boxes[slot].reset_sample(self.now);
        }
        if let Some(k) = self.topo.firewall_nodes.iter().position(|&f| f == node) {
            self.firewalls[k].alive = true;
        }
        if Some(node) == self.topo.monitoring {
            self.monitoring.alive = true;
        }
        for i in 0..self.db.instances.len() {
            if self.db.instances[i].node == node {
                self.rejoin(i);
            }
        }
        self.emit(Event::NodeUp { at: self.now, node });
        Ok(())
    }

    /// A MySQL process back up: if it was the primary and nobody replaced
    /// it, it takes writes again; else it is a replica that catches up.
    fn rejoin(&mut self, i: usize) {
        if self.db.failed_primary == Some(i) {
            self.db.failed_primary = None;
            if self.db.primary == i && self.db.instances[i].role == Role::Primary {
                // Nobody was promoted: pending automatic promotions are void.
                self.db.generation = self.db.generation.wrapping_add(1);
                return;
            }
        }
        let committed = self.db.committed;
        let inst = &mut self.db.instances[i];
        if inst.role == Role::Primary && i != self.db.primary {
            inst.role = Role::Replica;
        }
        inst.received = inst.received.min(committed);
        inst.applied = inst.applied.min(committed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_events_stay_small() {
        // The hot path moves these around the heap: keep them compact.
        assert!(std::mem::size_of::<Pending>() <= 48, "{}", std::mem::size_of::<Pending>());
    }
}
