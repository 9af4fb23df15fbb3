//! The smallest app that still does what Infraboard cannot do without, built
//! by `bench/size-floor` to show what the bundle costs before any panel:
//!
//! - no feature: Leptos' CSR runtime with one button, one signal and one
//!   reactive text (the framework's floor);
//! - `parse`: plus the default preset read from its JSON and validated (serde,
//!   serde_json, the validator and the formatting their
//!   messages need);
//! - `run`: plus a `Simulation` of it advanced on each click (the engine).
//!
//! Not part of the workspace; the script gives it the app's own dependency
//! list and lockfile, so the versions and features are the ones that ship.

use leptos::prelude::*;

fn main() {
    mount_to_body(|| {
        let (clicks, set_clicks) = signal(0u32);
        #[cfg(feature = "parse")]
        let scenario = infraboard_sim::presets::default_scenario();
        #[cfg(feature = "parse")]
        let nodes = scenario.nodes.len();
        #[cfg(not(feature = "parse"))]
        let nodes = 0;
        #[cfg(feature = "run")]
        let sim = StoredValue::new_local(
            infraboard_sim::Simulation::new(&scenario, 1).expect("the default preset runs"),
        );
        let click = move |_| {
            set_clicks.update(|n| *n += 1);
            #[cfg(feature = "run")]
            sim.update_value(|s| {
                let until = infraboard_sim::SimTime::from_secs(u64::from(clicks.get_untracked()));
                let _ = s.advance_to(until);
            });
        };
        view! {
            <button on:click=click>"+"</button>
            <p>{move || clicks.get()}</p>
            <p>{nodes}</p>
        }
    })
}
