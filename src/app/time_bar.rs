//! The time bar: play/pause, step back/forward, speed, the timeline over the
//! run so far, the simulated clock, restart with the same or a new seed.

use crate::erased::{dynamic, handler};
use crate::i18n::{format_number, k, t, use_i18n};
use crate::sim_driver::{use_sim, SPEED_RANGE};
use infraboard_sim::decimal;
use leptos::prelude::*;

/// Controls over simulated time.
#[component]
pub fn TimeBar() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let play_label = move || {
        if sim.playing.get() {
            t(k::board::time::PAUSE)()
        } else {
            t(k::board::time::PLAY)()
        }
    };
    // The speed slider is logarithmic: -1 → 0.1×, 0 → 1×, 2 → 100×.
    let speed_pos = move || sim.speed.get().clamp(SPEED_RANGE.0, SPEED_RANGE.1).log10();
    let speed_text = move || {
        let s = sim.speed.get().clamp(SPEED_RANGE.0, SPEED_RANGE.1);
        let decimals = if s < 10.0 { 1 } else { 0 };
        k::board::time::speed_value(i18n.locale(), format_number(i18n.locale(), s, decimals))
    };
    let set_speed = move |pos: f64| {
        if pos.is_finite() {
            let raw = 10f64.powf(pos.clamp(-1.0, 2.0));
            // Snap near round values so 1×, 2×, 10× are easy to hit.
            let snapped = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
                .into_iter()
                .find(|v| (v / raw).log10().abs() < 0.03)
                .unwrap_or(raw);
            sim.speed.set(snapped);
        }
    };
    // Changes at most once a wall second (the driver's pace check), not at
    // every publication.
    let behind = Memo::new(move |_| {
        sim.frame.with(|f| f.behind).map(|x| {
            let decimals = if x < 10.0 { 1 } else { 0 };
            k::board::time::behind(i18n.locale(), format_number(i18n.locale(), x, decimals))
        })
    });
    let horizon = move || sim.frame.with(|f| f.horizon_s.max(f.t_s));
    let now = move || sim.time_s();
    let new_seed = move || {
        // Any value will do; the performance clock is at hand and varies.
        let ms = crate::wall_clock::now_ms();
        sim.restart(Some((ms * 1000.0) as u64 % 1_000_000 + 2));
    };
    view! {
        <section class="time-bar" aria-label=t(k::board::time::LABEL)>
            <button
                type="button"
                class="play"
                aria-pressed=dynamic(move || sim.playing.get().to_string())
                on:click=handler(move |_| sim.playing.update(|p| *p = !*p))
            >
                {play_label}
            </button>
            <button
                type="button"
                class="step"
                aria-label=t(k::board::time::STEP_BACK)
                title=t(k::board::time::STEP_BACK)
                on:click=handler(move |_| sim.step_back())
            >
                <StepIcon back=true />
            </button>
            <button
                type="button"
                class="step"
                aria-label=t(k::board::time::STEP_FORWARD)
                title=t(k::board::time::STEP_FORWARD)
                on:click=handler(move |_| sim.step_forward())
            >
                <StepIcon back=false />
            </button>
            <label class="speed">
                <span>{t(k::board::time::SPEED)}</span>
                <input
                    type="range"
                    min="-1"
                    max="2"
                    step="0.01"
                    prop:value=dynamic(move || decimal::shortest(speed_pos()))
                    aria-valuetext=speed_text
                    on:input=handler(move |ev| set_speed(decimal::parse(&event_target_value(&ev)).unwrap_or(f64::NAN)))
                />
                <output data-testid="speed">{speed_text}</output>
            </label>
            // When the simulation cannot keep up with the chosen speed (the
            // driver gives it a fixed share of each frame), time runs slower
            // and this says how fast it really runs.
            {move || behind.get().map(|text| view! { <p class="speed-behind" data-testid="speed-behind">{text}</p> })}
            <label class="timeline">
                <span class="visually-hidden">{t(k::board::time::TIMELINE)}</span>
                <input
                    type="range"
                    min="0"
                    step="0.1"
                    prop:max=dynamic(move || decimal::fixed(horizon(), 1))
                    prop:value=dynamic(move || decimal::fixed(now(), 1))
                    aria-valuetext=dynamic(move || k::common::seconds(i18n.locale(), format_number(i18n.locale(), now(), 1)))
                    data-testid="timeline"
                    on:input=handler(move |ev| {
                        sim.playing.set(false);
                        sim.seek(decimal::parse(&event_target_value(&ev)).unwrap_or(f64::NAN));
                    })
                />
            </label>
            <p class="clock" aria-label=t(k::board::time::SIM_TIME)>
                "t = "
                <span data-testid="sim-time" data-value=dynamic(move || decimal::fixed(now(), 3))>
                    {move || i18n.number(now(), 1)}
                </span>
                " s"
            </p>
            <p class="figure">
                <span class="figure-label">{t(k::controls::QPS)}</span>
                <output
                    class="figure-value"
                    aria-label=t(k::controls::QPS)
                    data-testid="qps"
                    data-value=dynamic(move || sim.frame.with(|f| f.metrics.last_qps()))
                >
                    {move || i18n.number(sim.frame.with(|f| f.metrics.last_qps()) as f64, 0)}
                </output>
            </p>
            <button type="button" class="restart" on:click=handler(move |_| sim.restart(None))>
                {t(k::board::time::RESTART)}
            </button>
            <button type="button" class="restart" on:click=handler(move |_| new_seed())>
                {t(k::board::time::NEW_SEED)}
            </button>
            <span class="seed" data-testid="seed">
                {move || k::board::time::seed(i18n.locale(), sim.seed.get())}
            </span>
        </section>
    }
}

/// A bar-and-triangle icon (drawn, so no font needs the glyph).
#[component]
fn StepIcon(back: bool) -> impl IntoView {
    let path = if back { "M3 2v12M14 2L5 8l9 6z" } else { "M13 2v12M2 2l9 6-9 6z" };
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d=path />
        </svg>
    }
}
