//! The simulation core of Infraboard: a deterministic, sans-IO model of the
//! secured and monitored web infrastructure for `www.foobar.com`.
//!
//! What it is: a discrete-event engine over integer nanoseconds, a serde
//! [`Scenario`] (topology + settings + traffic) going in, [`Event`]s and
//! [`Metrics`] coming out, [`Command`]s applied at any time. What it is not:
//! it never reads a clock, never does I/O and never draws anything. Time only
//! moves when the caller says so ([`Simulation::advance_to`],
//! [`Simulation::step`]), and all randomness comes from the seed.
//!
//! One module per thing on the whiteboard: [`dns`], [`firewall`],
//! [`load_balancer`], [`tls`], [`server`], [`database`], [`agent`],
//! [`monitoring`], [`traffic`]; [`simulation`] wires them into requests.
//!
//! # Example
//! ```
//! use infraboard_sim::{presets, Command, Event, SimTime, Simulation};
//! let scenario = presets::default_scenario();
//! let mut sim = Simulation::new(&scenario, 1).unwrap();
//! sim.advance_to(SimTime::from_secs(2)).unwrap();
//! sim.apply("kill:primary-db".parse().unwrap()).unwrap();
//! sim.advance_to(SimTime::from_secs(4)).unwrap();
//! while let Some(event) = sim.poll_event() {
//!     if let Event::Dropped { reason, .. } = event { let _ = reason; }
//! }
//! assert!(sim.metrics().requests > 0);
//! println!("{}", sim.report().to_json());
//! ```
#![deny(missing_docs)]
#![warn(unreachable_pub)]

pub mod agent;
mod command;
pub mod database;
pub mod decimal;
pub mod design;
pub mod dispatch;
pub mod dns;
mod event;
pub mod firewall;
mod histogram;
mod json_path;
pub mod load_balancer;
mod metrics;
pub mod mmc;
pub mod monitoring;
pub mod node_set;
pub mod pool;
mod preset_sources;
pub mod presets;
mod queue;
mod report;
mod reuse;
pub mod review;
mod rng;
mod scenario;
pub mod server;
pub mod simulation;
mod time;
pub mod timeline;
pub mod tls;
mod topology;
pub mod traffic;
pub mod validate;
mod wheel;

pub use crate::command::{Command, CommandError, NodeRef, ParseCommandError};
pub use crate::event::{AlertRule, DropCode, DropReason, Event, RequestKind};
pub use crate::firewall::{Firewall, Rule, Source, Verdict};
pub use crate::histogram::Histogram;
pub use crate::load_balancer::{Backend, LoadBalancer};
pub use crate::metrics::{
    AlertRecord, LbFailover, Metrics, Ring, SecondStats, ALERTS_KEPT, HISTORY_SECONDS,
};
pub use crate::pool::{PoolSpread, ServerPool};
pub use crate::queue::EventQueue;
pub use crate::report::{
    AlertLine, AttackSummary, BoxSummary, FailoverSummary, FirewallDropLine, Percentiles, Report,
};
pub use crate::rng::Rng;
pub use crate::scenario::{
    Action, AttackSpec, Component, DatabaseSpec, DnsSpec, FailoverMode, LbAlgorithm, LbPairSpec,
    LoadBalancerSpec, MonitoringSpec, NetworkSpec, NodeKind, NodeSpec, PairMode, Protocol,
    ReadPolicy, RuleSpec, Scenario, ServiceSpec, SourceSpec, TlsMode, TlsSpec, Traffic, Zone,
};
pub use crate::simulation::{DatabaseView, SimError, Simulation};
pub use crate::time::SimTime;
pub use crate::timeline::{Cue, Entry, Origin, Refused, Timeline};
pub use crate::topology::{Hop, LbPair, Leg, Topology};
pub use crate::validate::{Capped, Diagnostic, Misplaced, Missing, Problem};
pub use crate::wheel::TimingWheel;
