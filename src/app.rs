//! The page: header, the whiteboard and the run controls.

use crate::board::Board;
use crate::i18n::{k, provide_i18n, t, LangSwitch};
use crate::sim_driver::{use_sim, SimHandle};
use leptos::prelude::*;

/// The whole Infraboard page.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let sim: SimHandle = use_sim();
    let scenario = sim.scenario.clone();
    let label =
        move || i18n.tr(if sim.playing.get() { k::controls::PAUSE } else { k::controls::PLAY });
    view! {
        <header class="topbar">
            <h1>{t(k::common::APP_NAME)}</h1>
            <span class="subtitle">{t(k::common::SUBTITLE)}</span>
            <LangSwitch />
        </header>
        <main class="layout">
            <Board scenario=scenario />
            <section class="controls" aria-label=t(k::controls::GROUP)>
                <button
                    class="play"
                    aria-pressed=move || sim.playing.get().to_string()
                    on:click=move |_| sim.playing.update(|p| *p = !*p)
                >
                    {label}
                </button>
                <p class="figure">
                    <span class="figure-label">{t(k::controls::QPS)}</span>
                    <output class="figure-value" aria-label=t(k::controls::QPS) data-testid="qps">
                        {move || i18n.number(sim.qps.get() as f64, 0)}
                    </output>
                </p>
                <p class="clock">
                    "t = "
                    <span data-testid="sim-time">{move || i18n.number(sim.time_s.get(), 1)}</span>
                    " s"
                </p>
            </section>
        </main>
    }
}
