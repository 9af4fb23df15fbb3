//! The bridge between wall time and simulated time: one interval that
//! advances the simulation while playing and publishes what the UI shows.

use infraboard_sim::{presets, Scenario, Simulation};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// How often the driver advances the simulation, in wall milliseconds.
const TICK_MS: u64 = 100;

/// Reactive view of a running simulation, shared by the components.
#[derive(Clone)]
pub struct SimHandle {
    /// The scenario being simulated.
    pub scenario: Arc<Scenario>,
    /// Whether simulated time is moving.
    pub playing: RwSignal<bool>,
    /// Requests served in the last simulated second.
    pub qps: RwSignal<u64>,
    /// Current simulated time, in seconds.
    pub time_s: RwSignal<f64>,
}

/// Creates the simulation of the default preset and starts the clock.
pub fn use_sim() -> SimHandle {
    let scenario = Arc::new(presets::default_scenario());
    let sim = Simulation::new(&scenario, 1).expect("default preset is valid");
    let sim = StoredValue::new(sim);
    let handle = SimHandle {
        scenario,
        playing: RwSignal::new(true),
        qps: RwSignal::new(0),
        time_s: RwSignal::new(0.0),
    };
    let h = handle.clone();
    let interval = set_interval_with_handle(
        move || {
            if !h.playing.get_untracked() {
                return;
            }
            sim.update_value(|sim| {
                let next = sim.now().plus_nanos(TICK_MS * 1_000_000);
                if sim.advance_to(next).is_ok() {
                    while sim.poll_event().is_some() {}
                }
                h.qps.set(sim.metrics().last_qps());
                h.time_s.set(sim.now().as_secs_f64());
            });
        },
        Duration::from_millis(TICK_MS),
    );
    if let Ok(interval) = interval {
        on_cleanup(move || interval.clear());
    }
    handle
}
