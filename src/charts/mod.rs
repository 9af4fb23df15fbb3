//! Live charts of the last 60 simulated seconds, drawn with plotters on
//! `<canvas>` elements.
//!
//! Redrawn when the driver publishes new statistics (about 15 times a
//! second, never every animation frame), when the language changes and when
//! the window is resized. Titles and legends are HTML next to the canvas, so
//! they are localized, readable by screen readers and sharp at any zoom; the
//! axes and their unit titles are drawn by plotters.

mod backend;
pub(crate) mod plot;
pub(crate) mod series;

use crate::erased::effect;
use crate::i18n::{k, t, use_i18n, Msg};
use crate::sim_driver::use_sim;
use crate::watched::Watched;
use leptos::html::Canvas;
use leptos::prelude::*;
use plot::Line;
use series::ChartKind;
use std::sync::Arc;
use std::time::Duration;

/// Shortest wall time between two redraws of one chart: 10 Hz at most.
const REDRAW_MS: u64 = 100;

/// One entry of a chart's legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// What the line shows, localized.
    pub label: String,
    /// CSS colour of the line.
    pub color: String,
    /// Dashed in the chart as well.
    pub dashed: bool,
    /// Stable machine key (`lb:server-1`, `p99` …) for tests.
    pub key: String,
    /// The line's newest value, shown after the label.
    pub latest: Option<f64>,
}

/// Everything one chart draws for one frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// Axes and time window.
    pub frame: plot::Frame,
    /// The lines.
    pub lines: Vec<Line>,
    /// Legend entries, one per line.
    pub legend: Vec<LegendEntry>,
    /// Said instead of a legend when there is nothing to draw.
    pub note: Option<String>,
}

/// Whether the charts are on screen now (tracked). While they are not,
/// they follow no publication (their legends are empty, their canvases
/// left as they were): with a 50-box design, plotting and listing every
/// box's line 15 times a second for nobody cost more than the whole board.
pub type Shown = Arc<dyn Fn() -> bool + Send + Sync>;

/// The charts panel.
#[component]
pub fn ChartsPanel(shown: Shown) -> impl IntoView {
    let charts = [
        (ChartKind::Qps, k::charts::qps::TITLE, "chart-qps"),
        (ChartKind::Latency, k::charts::latency::TITLE, "chart-latency"),
        (ChartKind::Errors, k::charts::errors::TITLE, "chart-errors"),
        (ChartKind::Replication, k::charts::replication::TITLE, "chart-replication"),
        (ChartKind::Cpu, k::charts::cpu::TITLE, "chart-cpu"),
    ]
    .into_iter()
    .map(|(kind, title, testid)| {
        view! { <Chart kind=kind title=title testid=testid shown=shown.clone() /> }
    })
    .collect_view();
    view! {
        <section class="charts" aria-labelledby="charts-title" data-testid="charts">
            <h2 id="charts-title" class="charts-title">{t(k::charts::TITLE)}</h2>
            <p class="charts-hint">{t(k::charts::SOLID_DASHED)}</p>
            <div class="charts-grid">{charts}</div>
        </section>
    }
}

/// One chart: title, canvas and legend.
#[component]
fn Chart(
    /// Which series it shows.
    kind: ChartKind,
    /// Its title.
    title: Msg,
    /// Test hook on the figure.
    testid: &'static str,
    /// Whether the panel is on screen.
    shown: Shown,
) -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let canvas = NodeRef::<Canvas>::new();
    let resized = Watched::new(0u32);
    // Read only while shown: hidden, the plot is not worked out again.
    let plot = Memo::new(move |_| {
        let scenario = sim.design();
        let locale = i18n.locale();
        sim.frame.with(|f| series::build(kind, f, &scenario, locale))
    });
    // Coalesce changes: at most one redraw per REDRAW_MS, whatever the
    // simulation speed or the number of publications.
    let pending = StoredValue::new(false);
    let shown_now = shown.clone();
    effect(move || {
        if !shown_now() {
            return;
        }
        plot.track();
        resized.track();
        canvas.track();
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        set_timeout(
            move || {
                pending.set_value(false);
                if let Some(canvas) = canvas.get_untracked() {
                    plot.try_with_untracked(|p| plot::draw(&canvas, &p.frame, &p.lines));
                }
            },
            Duration::from_millis(REDRAW_MS),
        );
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || on_resize.remove());
    let legend = move || {
        let (entries, decimals) = match shown() {
            true => plot.with(|p| (p.legend.clone(), p.frame.y_decimals)),
            false => (Vec::new(), 0),
        };
        let locale = i18n.locale();
        entries
            .into_iter()
            .map(|entry| {
                let dash = if entry.dashed { "6 4" } else { "none" };
                let value = entry.latest.map(|v| crate::i18n::format_number(locale, v, decimals));
                view! {
                    <li data-key=entry.key data-value=entry.latest.map(|v| v.to_string())>
                        <svg class="legend-swatch" viewBox="0 0 28 10" aria-hidden="true">
                            <line x1="1" y1="5" x2="27" y2="5" stroke=entry.color stroke-width="3" stroke-dasharray=dash />
                        </svg>
                        <span class="legend-label">{entry.label}</span>
                        <span class="legend-value">{value}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption class="chart-title">{t(title)}</figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img" aria-label=t(title)></canvas>
            <ul class="chart-legend">
                {legend}
                {move || plot.with(|p| p.note.clone()).map(|n| view! { <li class="chart-note">{n}</li> })}
            </ul>
        </figure>
    }
}
