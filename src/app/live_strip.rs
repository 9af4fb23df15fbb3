//! The live strip under the board: QPS as the load balancer counts it and
//! as the monitoring service shows it, p50/p99, errors by reason and
//! replication lag, each as its latest number and a sparkline of the last 60
//! simulated seconds. It is the charts' data ([`crate::charts::series`],
//! shaped from the published `FrameStats`, nothing recomputed) drawn small:
//! one SVG polyline per line, redrawn with each publication (~15 Hz), so
//! the effect of a control shows here at the moment it shows on the board.

use crate::charts::series::{self, ChartKind};
use crate::charts::Plot;
use crate::i18n::{format_number, k, t, use_i18n, Locale};
use crate::sim_driver::use_sim;
use leptos::prelude::*;

/// The strip's groups and their test hooks, left to right.
const GROUPS: [(ChartKind, &str); 4] = [
    (ChartKind::Qps, "live-qps"),
    (ChartKind::Latency, "live-latency"),
    (ChartKind::Errors, "live-errors"),
    (ChartKind::Replication, "live-lag"),
];

/// Sparkline box, in its own units (one per simulated second across).
const SPARK_W: f64 = 60.0;
const SPARK_H: f64 = 20.0;

/// The strip. Its content is plain text rebuilt with each publication (no
/// reactive child inside, so nothing stays subscribed when it is replaced).
#[component]
pub fn LiveStrip() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let plots = Memo::new(move |_| {
        let scenario = sim.scenario.get();
        let locale = i18n.locale();
        sim.frame.with(|f| GROUPS.map(|(kind, _)| series::build(kind, f, &scenario, locale)))
    });
    let groups = move || {
        let locale = i18n.locale();
        plots.with(|plots| {
            plots
                .iter()
                .zip(GROUPS)
                .map(|(p, (kind, testid))| group(p, kind, testid, locale))
                .collect_view()
        })
    };
    view! {
        <section class="live-strip" aria-label=t(k::common::LIVE) data-testid="live-strip">
            {groups}
        </section>
    }
}

/// One group: its unit as a caption, then a row per line (for QPS only the
/// totals, the per-server lines are in the full chart).
fn group(p: &Plot, kind: ChartKind, testid: &'static str, locale: Locale) -> impl IntoView {
    let shown: Vec<usize> =
        (0..p.lines.len()).filter(|&i| kind != ChartKind::Qps || p.lines[i].thick).collect();
    let top = shown
        .iter()
        .flat_map(|&i| p.lines[i].points.iter().map(|pt| pt.1))
        .fold(p.frame.y_min_top, f64::max);
    let (x0, x1) = p.frame.x_range;
    let rows = shown
        .into_iter()
        .map(|i| {
            let (line, entry) = (&p.lines[i], &p.legend[i]);
            let mut points = String::new();
            for &(x, y) in &line.points {
                let px = ((x - x0) / (x1 - x0) * SPARK_W).clamp(0.0, SPARK_W);
                let py = SPARK_H - 1.0 - (y / top).clamp(0.0, 1.0) * (SPARK_H - 2.0);
                points.push_str(&format!("{px:.1},{py:.1} "));
            }
            let value = entry.latest.map(|v| format_number(locale, v, p.frame.y_decimals));
            view! {
                <li data-key=entry.key.clone() data-value=entry.latest.map(|v| v.to_string())>
                    <span class="live-value">{value.unwrap_or_else(|| "–".into())}</span>
                    <svg class="spark" viewBox="0 0 60 20" preserveAspectRatio="none" aria-hidden="true">
                        <polyline
                            points=points
                            stroke=entry.color.clone()
                            stroke-dasharray=if line.dashed { "4 3" } else { "none" }
                        />
                    </svg>
                    <span class="live-label">{entry.label.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="live-group" data-testid=testid>
            <figcaption>{p.frame.y_desc.clone()}</figcaption>
            <ul>{rows}{p.note.clone().map(|n| view! { <li class="live-note">{n}</li> })}</ul>
        </figure>
    }
}
