//! What the simulation reports: a closed set of events drained by the caller.
//!
//! Language-free on purpose: reasons and alert rules are enums and nodes are
//! indices into `Scenario::nodes`; the app turns them into words (EN/FR).
//! Nothing here allocates, so emitting an event costs no heap traffic.
//!
//! Timing contract: events come out in the order the simulation processed
//! them, and every `at` of an end or state event equals the simulated time it
//! happened, with one exception: [`Event::Served`] is emitted when the answer
//! leaves the server (nothing can stop it on the way back) and its `at` is
//! when it reaches the user, a few network delays later. A [`Event::Hop`] is
//! emitted when the request *leaves* a place where it could wait (a CPU, the
//! resolver) and describes its whole planned journey to the next such place,
//! so its `depart`/`arrive` may also lie a little after the moment it was
//! emitted. Draw by those times, not by the order of arrival.
//!
//! Sampling: at high rates only requests whose id is a multiple of
//! [`crate::Simulation::sample_every`] produce `Hop`, `DnsLookup`, `Served`
//! and `Dropped` events (attack requests too); metrics always count all.

use crate::time::SimTime;

/// What a request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// A page view that only reads.
    Read,
    /// A request that writes (sign-up, order, comment …).
    Write,
    /// Unwanted traffic from the Internet to some port.
    Attack,
}

impl RequestKind {
    /// Machine name: `read`, `write`, `attack`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Read => "read",
            RequestKind::Write => "write",
            RequestKind::Attack => "attack",
        }
    }
}

/// Why a request ended without an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// A deny rule of `firewall` (node index) matched; `rule` is its index in
    /// the table.
    FirewallRule {
        /// Node index of the firewall.
        firewall: usize,
        /// Index of the matching rule.
        rule: usize,
    },
    /// No rule of `firewall` matched the packet to `port`.
    FirewallDefaultDeny {
        /// Node index of the firewall.
        firewall: usize,
        /// The destination port.
        port: u16,
    },
    /// The load balancer had no healthy server: HTTP 503.
    NoHealthyBackend,
    /// A write found no MySQL primary: the write failed (HTTP 500).
    PrimaryDown,
    /// A read found no live MySQL at all.
    NoDatabase,
    /// The node the request was on or going to is down (killed), or a
    /// firewall box on its way is.
    NodeDown,
    /// Waited longer than the load balancer's `timeout queue` for a CPU.
    Timeout,
    /// The DNS service is down and the resolver had no cached answer.
    DnsFailure,
    /// Sent to the virtual IP while its holder was dead and before the
    /// backup of the pair had noticed (the master-down interval).
    VipOnDeadMaster,
    /// Sent to a dead load balancer of an active-active pair because the
    /// user's resolver still caches its A record first (until the TTL ends).
    PinnedToDeadLb,
}

/// The fieldless twin of [`DropReason`], used as a counter index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DropCode {
    /// See [`DropReason::FirewallRule`].
    FirewallRule,
    /// See [`DropReason::FirewallDefaultDeny`].
    FirewallDefaultDeny,
    /// See [`DropReason::NoHealthyBackend`].
    NoHealthyBackend,
    /// See [`DropReason::PrimaryDown`].
    PrimaryDown,
    /// See [`DropReason::NoDatabase`].
    NoDatabase,
    /// See [`DropReason::NodeDown`].
    NodeDown,
    /// See [`DropReason::Timeout`].
    Timeout,
    /// See [`DropReason::DnsFailure`].
    DnsFailure,
    /// See [`DropReason::VipOnDeadMaster`].
    VipOnDeadMaster,
    /// See [`DropReason::PinnedToDeadLb`].
    PinnedToDeadLb,
}

impl DropCode {
    /// Every code, in counter order.
    pub const ALL: [DropCode; 10] = [
        DropCode::FirewallRule,
        DropCode::FirewallDefaultDeny,
        DropCode::NoHealthyBackend,
        DropCode::PrimaryDown,
        DropCode::NoDatabase,
        DropCode::NodeDown,
        DropCode::Timeout,
        DropCode::DnsFailure,
        DropCode::VipOnDeadMaster,
        DropCode::PinnedToDeadLb,
    ];
    /// Number of codes.
    pub const COUNT: usize = 10;

    /// Machine name used as a JSON key (`firewall_rule`, `no_healthy_backend` …).
    pub fn as_str(self) -> &'static str {
        match self {
            DropCode::FirewallRule => "firewall_rule",
            DropCode::FirewallDefaultDeny => "firewall_default_deny",
            DropCode::NoHealthyBackend => "no_healthy_backend",
            DropCode::PrimaryDown => "primary_down",
            DropCode::NoDatabase => "no_database",
            DropCode::NodeDown => "node_down",
            DropCode::Timeout => "timeout",
            DropCode::DnsFailure => "dns_failure",
            DropCode::VipOnDeadMaster => "vip_on_dead_master",
            DropCode::PinnedToDeadLb => "pinned_to_dead_lb",
        }
    }
}

impl DropReason {
    /// Its counter index.
    pub fn code(self) -> DropCode {
        match self {
            DropReason::FirewallRule { .. } => DropCode::FirewallRule,
            DropReason::FirewallDefaultDeny { .. } => DropCode::FirewallDefaultDeny,
            DropReason::NoHealthyBackend => DropCode::NoHealthyBackend,
            DropReason::PrimaryDown => DropCode::PrimaryDown,
            DropReason::NoDatabase => DropCode::NoDatabase,
            DropReason::NodeDown => DropCode::NodeDown,
            DropReason::Timeout => DropCode::Timeout,
            DropReason::DnsFailure => DropCode::DnsFailure,
            DropReason::VipOnDeadMaster => DropCode::VipOnDeadMaster,
            DropReason::PinnedToDeadLb => DropCode::PinnedToDeadLb,
        }
    }
}

/// The monitoring service's alert rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertRule {
    /// A host's QPS jumped by more than the configured factor.
    QpsSpike,
    /// A host's QPS fell by more than the configured factor.
    QpsDrop,
    /// Too many of a host's responses were errors (5xx).
    ErrorRate,
    /// A host's p99 latency is above the threshold.
    LatencyP99,
    /// A replica is too far behind its primary.
    ReplicationLag,
    /// The MySQL primary is unreachable.
    PrimaryDown,
    /// A host's CPU is above the threshold.
    CpuHigh,
    /// Nothing received from a host for several intervals.
    NoData,
}

impl AlertRule {
    /// Every rule.
    pub const ALL: [AlertRule; 8] = [
        AlertRule::QpsSpike,
        AlertRule::QpsDrop,
        AlertRule::ErrorRate,
        AlertRule::LatencyP99,
        AlertRule::ReplicationLag,
        AlertRule::PrimaryDown,
        AlertRule::CpuHigh,
        AlertRule::NoData,
    ];

    /// Machine name used in JSON (`qps_spike`, `primary_down` …).
    pub fn as_str(self) -> &'static str {
        match self {
            AlertRule::QpsSpike => "qps_spike",
            AlertRule::QpsDrop => "qps_drop",
            AlertRule::ErrorRate => "error_rate",
            AlertRule::LatencyP99 => "latency_p99",
            AlertRule::ReplicationLag => "replication_lag",
            AlertRule::PrimaryDown => "primary_down",
            AlertRule::CpuHigh => "cpu_high",
            AlertRule::NoData => "no_data",
        }
    }
}

/// One thing that happened, in processing order. Node fields are indices
/// into `Scenario::nodes`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    /// A request crossed one link of the diagram.
    Hop {
        /// Request id, unique within a run (attacks share the numbering).
        request: u64,
        /// Read, write or attack.
        kind: RequestKind,
        /// Index of the node it left.
        from: usize,
        /// Index of the node it reached.
        to: usize,
        /// When it left `from`.
        depart: SimTime,
        /// When it reaches `to`.
        arrive: SimTime,
        /// Whether the user's data was encrypted on this link.
        encrypted: bool,
    },
    /// A browser asked the DNS for `www.foobar.com` (no user data on it).
    DnsLookup {
        /// Request id.
        request: u64,
        /// The user node.
        user: usize,
        /// The DNS node.
        dns: usize,
        /// When the query left.
        depart: SimTime,
        /// When the answer came back.
        arrive: SimTime,
        /// Whether the resolver had the A record cached.
        cache_hit: bool,
    },
    /// A request got its response (emitted when the answer leaves the
    /// server; `at` is when it reaches the user).
    Served {
        /// Request id.
        request: u64,
        /// Read or write.
        kind: RequestKind,
        /// When the response reached the user.
        at: SimTime,
        /// The server that handled it.
        server: usize,
        /// Time from the user's click to the response, DNS included.
        latency: SimTime,
    },
    /// A request ended without an answer.
    Dropped {
        /// Request id.
        request: u64,
        /// Read, write or attack.
        kind: RequestKind,
        /// When.
        at: SimTime,
        /// Where (node index).
        node: usize,
        /// Why.
        reason: DropReason,
    },
    /// Attack traffic got through every firewall and reached a service.
    AttackReached {
        /// Request id.
        request: u64,
        /// When.
        at: SimTime,
        /// The node reached.
        node: usize,
        /// The port it reached.
        port: u16,
    },
    /// The monitoring service raised an alert (from what it had received).
    Alert {
        /// When the service raised it.
        at: SimTime,
        /// Which rule.
        rule: AlertRule,
        /// The host concerned.
        node: usize,
    },
    /// The condition behind an alert is gone (as far as the service knows).
    AlertCleared {
        /// When.
        at: SimTime,
        /// Which rule.
        rule: AlertRule,
        /// The host concerned.
        node: usize,
    },
    /// A node was killed.
    NodeDown {
        /// When.
        at: SimTime,
        /// Which node.
        node: usize,
    },
    /// A node was restored.
    NodeUp {
        /// When.
        at: SimTime,
        /// Which node.
        node: usize,
    },
    /// The MySQL process on `node` stopped (the box may still be up).
    DatabaseDown {
        /// When.
        at: SimTime,
        /// The box it runs on.
        node: usize,
    },
    /// The MySQL process on `node` is back, as a replica catching up.
    DatabaseUp {
        /// When.
        at: SimTime,
        /// The box it runs on.
        node: usize,
    },
    /// The replica on `node` became the primary.
    Promoted {
        /// When.
        at: SimTime,
        /// The box it runs on.
        node: usize,
        /// Writes acknowledged by the old primary that it never received.
        lost_writes: u64,
        /// Whether the orchestrator did it (automatic failover).
        automatic: bool,
    },
    /// A health check took a server out of the load balancer's pool.
    BackendRemoved {
        /// When.
        at: SimTime,
        /// The server.
        server: usize,
    },
    /// A server passed enough health checks to rejoin the pool.
    BackendAdded {
        /// When.
        at: SimTime,
        /// The server.
        server: usize,
    },
    /// The monitoring service received (and indexed) a sample from an agent.
    MetricsReceived {
        /// When it became visible in the service.
        at: SimTime,
        /// The host the agent runs on.
        node: usize,
        /// When the agent took the sample.
        sampled_at: SimTime,
    },
}

impl Event {
    /// The simulated time this event is about (its `at`, or `depart`).
    pub fn time(&self) -> SimTime {
        match *self {
            Event::Hop { depart, .. } | Event::DnsLookup { depart, .. } => depart,
            Event::Served { at, .. }
            | Event::Dropped { at, .. }
            | Event::AttackReached { at, .. }
            | Event::Alert { at, .. }
            | Event::AlertCleared { at, .. }
            | Event::NodeDown { at, .. }
            | Event::NodeUp { at, .. }
            | Event::DatabaseDown { at, .. }
            | Event::DatabaseUp { at, .. }
            | Event::Promoted { at, .. }
            | Event::BackendRemoved { at, .. }
            | Event::BackendAdded { at, .. }
            | Event::MetricsReceived { at, .. } => at,
        }
    }
}
