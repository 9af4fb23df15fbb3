//! The engine: owns the event queue and the model's parts, and exposes the
//! sans-IO API (time passed in, events polled out, commands applied). See
//! [`Simulation`] for the method families and the order to call them in.
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

use crate::agent::Agent;
use crate::database::{Database, TICK_NS as REPL_TICK_NS};
use crate::dns::Dns;
use crate::event::Event;
use crate::firewall::Firewall;
use crate::load_balancer::LoadBalancer;
use crate::metrics::Metrics;
use crate::monitoring::{AlertChange, MonitoringService};
use crate::pool::ServerPool;
use crate::reuse::Overwrite;
use crate::rng::Rng;
use crate::scenario::{FailoverMode, PairMode, ReadPolicy, Scenario, TlsMode};
use crate::server::CpuBox;
use crate::time::SimTime;
use crate::topology::Topology;
use crate::traffic::Traffic;
use crate::validate::Diagnostic;
use crate::wheel::TimingWheel;
use app_tier::AppTier;
use lb_pair::PairState;
use pending::Pending;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use travel::RouteVerdict;

mod app_tier;
mod commands;
mod dns_pair;
mod lb_pair;
mod pending;
mod periodic;
mod pipeline;
mod pools;
mod queries;
mod travel;

pub use queries::DatabaseView;

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
const SECOND: u64 = 1_000_000_000;

/// A running simulation of one scenario with one seed.
///
/// Sans-IO in the way of quinn-proto's `Connection`: the caller passes
/// simulated time in and polls what happened out. Nothing here reads a
/// clock, sleeps or does I/O; time moves only inside the time methods.
/// The methods come in five families:
///
/// - A. Construction: [`new`](Self::new) (an invalid scenario is refused
///   with every problem), and `Clone`/`clone_from`, the snapshot (below).
/// - B. Time: [`advance_to`](Self::advance_to) processes every engine event
///   due up to and including a time, [`step`](Self::step) exactly one;
///   [`poll_timeout`](Self::poll_timeout) says when the next one is due
///   and [`now`](Self::now) where the run stands.
/// - C. Control: [`apply`](Self::apply) changes the run at `now` (kill,
///   restore, promote, settings, traffic, firewall rules, agents), or
///   refuses the command and changes nothing.
/// - D. Output: [`poll_event`](Self::poll_event) hands out the reported
///   events oldest first; [`metrics`](Self::metrics) the counters and the
///   per-second history; [`report`](Self::report) the run's summary (the
///   CLI's JSON).
/// - E. Queries: read-only getters of the current state
///   ([`scenario`](Self::scenario), [`tls_mode`](Self::tls_mode),
///   [`load_balancer`](Self::load_balancer), [`firewall`](Self::firewall),
///   [`databases`](Self::databases), [`cpu_box`](Self::cpu_box),
///   [`alert_active`](Self::alert_active) …), callable at any time.
///
/// The simplest correct use: for each stretch of simulated time, in this
/// order,
///
/// 1. [`apply`](Self::apply) the commands due at `now` (a command meant
///    for time `t` is applied after `advance_to(t)`: it lands after every
///    engine event at `t`);
/// 2. [`advance_to`](Self::advance_to) the end of the stretch (or
///    [`step`](Self::step) once);
/// 3. [`poll_event`](Self::poll_event) until `None`: undrained events pile
///    up to [`EVENT_BUFFER`], then the oldest are forgotten and counted in
///    [`events_forgotten`](Self::events_forgotten);
/// 4. read D and E, which describe the state at `now`.
///
/// [`poll_timeout`](Self::poll_timeout) may be asked at any point, e.g. to
/// land a command before the next engine event.
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
///
/// The methods live by behaviour in this folder: this file the state, the
/// time methods and the dispatch of queued events; `pipeline.rs` a request's
/// way (arrivals, load balancer, web server, MySQL, answer or drop);
/// `travel.rs` the network between two places (the firewalls' verdicts, the
/// hops); `periodic.rs` the recurring work (second tick, health checks,
/// replication, agents, deliveries to monitoring, automatic failover);
/// `commands.rs` [`apply`](Self::apply); `queries.rs` the getters.
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
    /// The load-balancer pair's VRRP state (`lb_pair.rs`); `None` with one
    /// load balancer.
    pair: Option<PairState>,
    /// The boxes behind each server pool's node (`pools.rs`), node order.
    pools: Vec<ServerPool>,
    /// The app boxes of split tiers (`app_tier.rs`); empty otherwise.
    app_tier: AppTier,
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
            pair: self.pair.clone(),
            pools: self.pools.clone(),
            app_tier: self.app_tier.clone(),
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
            pair,
            pools,
            app_tier,
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
        pair.clone_from(&source.pair);
        pools.overwrite_from(&source.pools);
        app_tier.clone_from(&source.app_tier);
    }
}

/// Appends to the undrained events, forgetting the oldest past the cap.
fn push_event(out: &mut VecDeque<Event>, forgotten: &mut u64, e: Event) {
    if out.len() == EVENT_BUFFER {
        out.pop_front();
        *forgotten += 1;
    }
    out.push_back(e);
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
            .map(|&b| {
                let mut cpu = CpuBox::new(b, s.nodes[b].cores_or_default(), s.nodes[b].agent);
                cpu.stand_for(s.nodes[b].boxes());
                cpu
            })
            .collect();
        let slot = |node: usize| topo.box_slot[node].unwrap_or(0);
        let pools: Vec<ServerPool> = (0..n)
            .filter(|&i| s.nodes[i].count.is_some())
            .map(|i| ServerPool::new(i, s.nodes[i].boxes(), s.nodes[i].cores_or_default()))
            .collect();
        // Every box is a backend: a pool's one by one.
        let mut backends = Vec::new();
        for &w in &topo.web_servers {
            match pools.iter().position(|p| p.node == w) {
                None => backends.push((w, slot(w), None)),
                Some(p) => backends
                    .extend((0..pools[p].len()).map(|k| (w, slot(w), Some((p as u16, k as u16))))),
            }
        }
        let lb = LoadBalancer::new(topo.lb, slot(topo.lb), &s.load_balancer, &backends);
        let instances: Vec<_> = topo.mysql.iter().map(|&(node, p)| (node, slot(node), p)).collect();
        let db = Database::new(&s.database, &instances);
        let firewalls = topo.firewall_nodes.iter().map(|&f| Firewall::build(s, f)).collect();
        let monitoring = MonitoringService::new(topo.monitoring, &s.monitoring, boxes.len(), n);
        let traffic = Traffic::new(&s.traffic);
        let pair = match (topo.lb_pair, s.lb_pair) {
            (Some(p), Some(spec)) => Some(PairState {
                // The backup; active-active: every load balancer after the first.
                others: topo
                    .load_balancers()
                    .filter(|&b| b != p.master)
                    .take(if spec.mode == PairMode::ActivePassive { 1 } else { usize::MAX })
                    .map(|b| LoadBalancer::new(b, slot(b), &s.load_balancer, &backends))
                    .collect(),
                spec,
                generation: 0,
            }),
            _ => None,
        };
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
            pair,
            pools,
            app_tier: AppTier::default(),
            traffic,
            topo: Arc::new(topo),
        };
        let mut app_boxes = Vec::new();
        for &a in &sim.topo.app_servers {
            app_boxes.extend(sim.places_of(a));
        }
        sim.app_tier = AppTier::new(app_boxes);
        sim.update_sampling();
        sim.schedule_arrival();
        sim.schedule_attack();
        sim.queue.push(SimTime(SECOND), Pending::SecondTick);
        let check = u64::from(sim.topo.scenario.load_balancer.check_interval_ms) * 1_000_000;
        sim.queue.push(SimTime(check), Pending::HealthCheck);
        sim.queue.push(SimTime(REPL_TICK_NS), Pending::ReplicationTick);
        if sim.pair.as_ref().is_some_and(|p| p.spec.mode == PairMode::ActivePassive) {
            sim.queue.push(SimTime::ZERO, Pending::VrrpAdvert);
        }
        let interval = u64::from(sim.topo.scenario.monitoring.interval_s) * SECOND;
        for slot in 0..sim.boxes.len() {
            // Agents are staggered so that they do not all sample at once.
            let offset = interval * (slot as u64 + 1) / (sim.boxes.len() as u64 + 1);
            sim.queue.push(SimTime(offset), Pending::AgentSample(slot as u8));
        }
        Ok(sim)
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

    fn emit(&mut self, e: Event) {
        push_event(&mut self.out, &mut self.events_forgotten, e);
    }

    /// Hands one queued event to the part that handles it.
    //
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
            Pending::AtApp(req) => self.at_app(req),
            Pending::AtDb(req) => self.at_db(req),
            Pending::DbDone(req) => self.db_done(req),
            Pending::Drop(req, node, reason) => {
                self.drop_request(req, node as usize, reason.unpack())
            }
            Pending::AttackReach(req, node, port) => self.attack_reach(req, node as usize, port),
            Pending::SecondTick => self.second_tick(),
            Pending::HealthCheck => self.health_check(),
            Pending::ReplicationTick => self.replication_tick(),
            Pending::AgentSample(slot) => self.agent_sample(slot as usize),
            Pending::Deliver => self.deliver(),
            Pending::AutoPromote(generation) => self.auto_promote(generation),
            Pending::VrrpAdvert => self.vrrp_advert(),
            Pending::VrrpMasterDown(generation) => self.vrrp_master_down(generation),
        }
    }
}
