//! The live strip under the board: QPS as the load balancer counts it and
//! as the monitoring service shows it, p50/p99, errors by reason and
//! replication lag, each as its latest number and a sparkline of the last 60
//! simulated seconds. It is the charts' data ([`crate::charts::series`],
//! shaped from the published `FrameStats`, nothing recomputed) drawn small:
//! one SVG polyline per line, redrawn with each publication (~15 Hz), so
//! the effect of a control shows here at the moment it shows on the board.
//!
//! The strip's content is plain text and shapes, made with a few DOM calls
//! rather than `view!`: each distinct view costs its own render code in the
//! wasm, and nothing here is reactive or focusable. It is made again only
//! when its rows change (another design, language or error); otherwise each
//! publication rewrites the rows' numbers and sparklines in place, which is
//! what a 50-box design at 15 publications a second can afford.

use crate::charts::series::{self, ChartKind};
use crate::charts::Plot;
use crate::erased::effect;
use crate::i18n::{format_number, k, t, use_i18n, Locale};
use crate::sim_driver::use_sim;
use infraboard_sim::decimal;
use leptos::html::Section;
use leptos::prelude::*;
use web_sys::{Document, Element};

/// The strip's groups and their test hooks, left to right.
const GROUPS: [(ChartKind, &str); 4] = [
    (ChartKind::Qps, "live-qps"),
    (ChartKind::Latency, "live-latency"),
    (ChartKind::Errors, "live-errors"),
    (ChartKind::Replication, "live-lag"),
];

/// Sparkline box, in its own units.
const SPARK_W: f64 = 60.0;
const SPARK_H: f64 = 20.0;
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The strip.
#[component]
pub fn LiveStrip() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let host = NodeRef::<Section>::new();
    // What the strip shows (every row's key, caption and note) and each
    // row's elements, from the last time it was made.
    let mut made: (String, Vec<Row>) = (String::new(), Vec::new());
    effect(move || {
        let scenario = sim.design();
        let locale = i18n.locale();
        let plots =
            sim.frame.with(|f| GROUPS.map(|(kind, _)| series::build(kind, f, &scenario, locale)));
        let Some(host) = host.get() else { return };
        let mut shape = String::new();
        for (p, (kind, _)) in plots.iter().zip(GROUPS) {
            shape.push_str(&p.frame.y_desc);
            for (l, e) in p.lines.iter().zip(&p.legend) {
                if kind != ChartKind::Qps || l.thick {
                    shape.push_str(&e.key);
                    shape.push_str(&e.label);
                }
            }
            shape.extend(p.note.as_deref());
        }
        // The same rows: only their numbers and sparklines are written.
        let reuse = shape == made.0;
        if !reuse {
            host.set_text_content(None);
            made = (shape, Vec::new());
        }
        let mut next = 0;
        for (p, (kind, testid)) in plots.iter().zip(GROUPS) {
            let _ = group(&host, p, kind, testid, locale, &mut made.1, reuse.then_some(&mut next));
        }
    });
    view! { <section node_ref=host class="live-strip" aria-label=t(k::common::LIVE) data-testid="live-strip"></section> }
}

/// A new element under `parent`, with its class.
fn child(
    doc: &Document,
    parent: &Element,
    ns: Option<&str>,
    tag: &str,
    class: &str,
) -> Option<Element> {
    let el = match ns {
        Some(_) => doc.create_element_ns(ns, tag),
        None => doc.create_element(tag),
    }
    .ok()?;
    if !class.is_empty() {
        el.set_attribute("class", class).ok()?;
    }
    parent.append_child(&el).ok()?;
    Some(el)
}

/// The elements of one row that change with each publication.
struct Row {
    row: Element,
    value: Element,
    line: Element,
}

/// One group: its unit as a caption, then a row per line (for QPS only the
/// totals; the per-server lines are in the full chart). Made anew, its
/// rows' changing elements are pushed to `rows`; with `reuse` (the next
/// row's index), the rows from `rows` are written instead.
fn group(
    host: &Element,
    p: &Plot,
    kind: ChartKind,
    testid: &str,
    locale: Locale,
    rows: &mut Vec<Row>,
    mut reuse: Option<&mut usize>,
) -> Option<()> {
    let shown: Vec<usize> =
        (0..p.lines.len()).filter(|&i| kind != ChartKind::Qps || p.lines[i].thick).collect();
    let values = || shown.iter().flat_map(|&i| p.lines[i].points.iter());
    let top = values().map(|pt| pt.1).fold(p.frame.y_min_top, f64::max);
    // Across: from the first second there is (a young run fills the box).
    let x1 = p.frame.x_range.1;
    let x0 = values().map(|pt| pt.0).fold(x1 - 1.0, f64::min).max(p.frame.x_range.0);
    let doc = document();
    let list = match reuse {
        Some(_) => None,
        None => {
            let figure = child(&doc, host, None, "figure", "live-group")?;
            figure.set_attribute("data-testid", testid).ok()?;
            child(&doc, &figure, None, "figcaption", "")?.set_text_content(Some(&p.frame.y_desc));
            Some(child(&doc, &figure, None, "ul", "")?)
        }
    };
    for &i in &shown {
        let (line, entry) = (&p.lines[i], &p.legend[i]);
        let r = match (reuse.as_deref_mut(), &list) {
            (Some(next), _) => {
                *next += 1;
                rows.get(*next - 1)?
            }
            (None, Some(list)) => {
                let row = child(&doc, list, None, "li", "")?;
                row.set_attribute("data-key", &entry.key).ok()?;
                let value = child(&doc, &row, None, "span", "live-value")?;
                let svg = child(&doc, &row, Some(SVG_NS), "svg", "spark")?;
                svg.set_attribute("viewBox", "0 0 60 20").ok()?;
                svg.set_attribute("preserveAspectRatio", "none").ok()?;
                svg.set_attribute("aria-hidden", "true").ok()?;
                let polyline = child(&doc, &svg, Some(SVG_NS), "polyline", "")?;
                polyline.set_attribute("stroke", &entry.color).ok()?;
                if line.dashed {
                    polyline.set_attribute("stroke-dasharray", "4 3").ok()?;
                }
                child(&doc, &row, None, "span", "live-label")?.set_text_content(Some(&entry.label));
                rows.push(Row { row, value, line: polyline });
                rows.last()?
            }
            (None, None) => return None,
        };
        let value = entry.latest.map(|v| format_number(locale, v, p.frame.y_decimals));
        r.value.set_text_content(Some(value.as_deref().unwrap_or("–")));
        if let Some(v) = entry.latest {
            r.row.set_attribute("data-value", &decimal::shortest(v)).ok()?;
        }
        let mut points = String::new();
        for &(x, y) in &line.points {
            let px = ((x - x0) / (x1 - x0) * SPARK_W).clamp(0.0, SPARK_W);
            let py = SPARK_H - 1.0 - (y / top).clamp(0.0, 1.0) * (SPARK_H - 2.0);
            points.push_str(&decimal::fixed(px, 1));
            points.push(',');
            points.push_str(&decimal::fixed(py, 1));
            points.push(' ');
        }
        r.line.set_attribute("points", &points).ok()?;
    }
    if let (Some(note), Some(list)) = (&p.note, &list) {
        child(&doc, list, None, "li", "live-note")?.set_text_content(Some(note));
    }
    Some(())
}
