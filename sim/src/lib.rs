//! The simulation core of Infraboard: a deterministic, sans-IO model of the
//! secured and monitored web infrastructure for `www.foobar.com`.
//!
//! What it is: a discrete-event engine over integer nanoseconds, a serde
//! [`Scenario`] (topology + traffic) going in, [`Event`]s and [`Metrics`]
//! coming out. What it is not: it never reads a clock, never does I/O and
//! never draws anything. Time only moves when the caller says so
//! ([`Simulation::advance_to`]), and all randomness comes from the seed.
//!
//! # Example
//! ```
//! use infraboard_sim::{presets, Simulation, SimTime};
//! let scenario = presets::default_scenario();
//! let mut sim = Simulation::new(&scenario, 1).unwrap();
//! sim.advance_to(SimTime::from_secs(2)).unwrap();
//! while let Some(_event) = sim.poll_event() {}
//! assert!(sim.metrics().requests > 0);
//! ```
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod event;
mod metrics;
pub mod presets;
mod queue;
mod rng;
mod scenario;
mod simulation;
mod time;

pub use crate::event::{Event, RequestKind};
pub use crate::metrics::Metrics;
pub use crate::queue::EventQueue;
pub use crate::rng::Rng;
pub use crate::scenario::{Component, NodeKind, NodeSpec, Scenario, Traffic, Zone};
pub use crate::simulation::{SimError, Simulation};
pub use crate::time::SimTime;
