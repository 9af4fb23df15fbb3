//! The monitoring service's alert feed (time, rule, host), newest first, and
//! the running counts a reviewer asks about: failed writes, lost writes,
//! stale reads, and attacks that got through.
//!
//! Everything comes from the simulation's metrics, so the feed follows the
//! timeline when the run is scrubbed back or restarted.

use crate::board::node_name;
use crate::erased::{dynamic, shown_or};
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use crate::sim_driver::use_sim;
use infraboard_sim::{AlertRule, Metrics};
use leptos::prelude::*;

/// How many alerts the list shows (the metrics keep more).
const SHOWN: usize = 50;

/// An alert rule in words.
pub fn rule_name(rule: AlertRule, locale: Locale) -> &'static str {
    use k::charts::alert as a;
    match rule {
        AlertRule::QpsSpike => a::QPS_SPIKE,
        AlertRule::QpsDrop => a::QPS_DROP,
        AlertRule::ErrorRate => a::ERROR_RATE,
        AlertRule::LatencyP99 => a::LATENCY_P99,
        AlertRule::ReplicationLag => a::REPLICATION_LAG,
        AlertRule::PrimaryDown => a::PRIMARY_DOWN,
        AlertRule::CpuHigh => a::CPU_HIGH,
        AlertRule::NoData => a::NO_DATA,
    }
    .text(locale)
}

/// The alert feed and running counts.
#[component]
pub fn AlertFeed() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let alerts = Memo::new(move |_| {
        sim.frame.with(|f| f.metrics.alerts.iter().rev().take(SHOWN).copied().collect::<Vec<_>>())
    });
    let row = move |a: infraboard_sim::AlertRecord| {
        let node_id = sim
            .scenario
            .with_untracked(|s| s.nodes.get(a.node).map(|n| n.id.clone()).unwrap_or_default());
        view! {
            <li class="feed-item" data-rule=a.rule.as_str() data-node=node_id>
                <span class="feed-time">
                    {dynamic(move || k::charts::feed::at(i18n.locale(), i18n.number(a.at.as_secs_f64(), 1)))}
                </span>
                <span class="feed-rule">{move || rule_name(a.rule, i18n.locale())}</span>
                <span class="feed-host">{move || sim.with_design(|s| node_name(s, a.node, i18n.locale()))}</span>
            </li>
        }
    };
    let counts: [(Msg, &'static str, Counted); 4] = [
        (k::charts::feed::WRITE_ERRORS, "write-errors", |m| m.writes_failed),
        (k::charts::feed::LOST_WRITES, "lost-writes", |m| m.lost_writes),
        (k::charts::feed::STALE_READS, "stale-reads", |m| m.stale_reads),
        (k::charts::feed::ATTACKS_REACHED, "attacks-reached", |m| m.attacks_reached),
    ];
    let counts = counts
        .into_iter()
        .map(|(label, testid, value)| view! { <Count label=label testid=testid value=value /> })
        .collect_view();
    view! {
        <section class="feed" aria-labelledby="feed-title" data-testid="feed">
            <h2 id="feed-title" class="feed-title">{t(k::charts::feed::TITLE)}</h2>
            <dl class="feed-counts" aria-label=t(k::charts::feed::COUNTS)>
                {counts}
            </dl>
            {shown_or(
                move || alerts.with(|a| !a.is_empty()),
                move || {
                    view! {
                        <ol class="feed-list" aria-live="polite" data-testid="alerts">
                            <For each=move || alerts.get() key=|a| (a.at.0, a.rule, a.node) children=row />
                        </ol>
                    }
                    .into_any()
                },
                || view! { <p class="feed-empty">{t(k::charts::feed::EMPTY)}</p> }.into_any(),
            )}
        </section>
    }
}

/// Reads one running count from the metrics.
type Counted = fn(&Metrics) -> u64;

/// One running count, red once it is above zero.
#[component]
fn Count(
    /// What is counted.
    label: Msg,
    /// Test hook.
    testid: &'static str,
    /// Reads the count from the metrics.
    value: Counted,
) -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let n = Memo::new(move |_| sim.frame.with(|f| value(&f.metrics)));
    view! {
        <div class="feed-count" class:bad=dynamic(move || n.get() > 0) data-testid=testid data-value=dynamic(move || n.get())>
            <dt>{t(label)}</dt>
            <dd>{move || i18n.number(n.get() as f64, 0)}</dd>
        </div>
    }
}
