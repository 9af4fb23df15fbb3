//! The page: header, the whiteboard and the run controls.

use crate::board::Board;
use crate::sim_driver::{use_sim, SimHandle};
use leptos::prelude::*;

/// The whole Infraboard page.
#[component]
pub fn App() -> impl IntoView {
    let sim: SimHandle = use_sim();
    let scenario = sim.scenario.clone();
    let label = move || if sim.playing.get() { "Pause" } else { "Play" };
    view! {
        <header class="topbar">
            <h1>"Infraboard"</h1>
            <span class="subtitle">"www.foobar.com: secured and monitored"</span>
        </header>
        <main class="layout">
            <Board scenario=scenario />
            <section class="controls" aria-label="Run controls">
                <button
                    class="play"
                    aria-pressed=move || sim.playing.get().to_string()
                    on:click=move |_| sim.playing.update(|p| *p = !*p)
                >
                    {label}
                </button>
                <p class="figure">
                    <span class="figure-label">"QPS"</span>
                    <output class="figure-value" aria-label="QPS" data-testid="qps">
                        {move || sim.qps.get().to_string()}
                    </output>
                </p>
                <p class="clock">
                    "t = "
                    <span data-testid="sim-time">{move || format!("{:.1}", sim.time_s.get())}</span>
                    " s"
                </p>
            </section>
        </main>
    }
}
