//! The run summary the CLI prints: plain data with stable JSON keys.
//!
//! Keys: `requests`, `served`, `dropped` (reason → count), `writes_ok`,
//! `writes_failed`, `lost_writes`, `stale_reads`, `latency_ms`
//! {`p50`,`p95`,`p99`}, `qps` and `qps_monitored` (one value per simulated
//! second), `replication_lag_ms` (per second), `alerts` [{`t_s`,`rule`,
//! `node`}], `plaintext_hops` (["from->to"]), `events`, plus `attacks`,
//! `firewall_drops`, `servers` and `in_flight`; with a load-balancer pair
//! only, `failover` {`mode`, `vip_holder`, `vip_moved_after_s`,
//! `lb_recovery_s`, `requests_lost`, `users_pinned_to_dead_lb`} (see
//! [`FailoverSummary`]). The caller adds `wall_ms`.

use crate::event::DropCode;
use crate::scenario::{NodeKind, PairMode};
use crate::simulation::Simulation;
use serde::Serialize;
use std::collections::BTreeMap;

/// Latency percentiles, milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
}

/// An alert in the summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlertLine {
    /// Simulated seconds when the service raised it.
    pub t_s: f64,
    /// Rule name (`primary_down` …).
    pub rule: &'static str,
    /// Node id.
    pub node: String,
}

/// Attack traffic summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttackSummary {
    /// Attempts sent.
    pub sent: u64,
    /// Attempts that reached a service.
    pub reached: u64,
    /// Attempts dropped, by reason.
    pub dropped: BTreeMap<&'static str, u64>,
}

/// Drops at one firewall line (or its default deny).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirewallDropLine {
    /// Firewall id.
    pub firewall: String,
    /// Rule index, or `None` for the default deny.
    pub rule: Option<usize>,
    /// Packets dropped there.
    pub count: u64,
}

/// Per-box figures over the kept history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoxSummary {
    /// Node id.
    pub node: String,
    /// Requests per second as the load balancer saw them, per second.
    pub qps: Vec<u32>,
    /// The same as the monitoring service saw it, per second.
    pub qps_monitored: Vec<f32>,
    /// CPU percent, per second.
    pub cpu_pct: Vec<f32>,
}

/// The latest failover of a load-balancer pair (the report's `failover`
/// key, present only in designs with a pair).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FailoverSummary {
    /// `active-passive` (one VIP) or `active-active` (two A records).
    pub mode: &'static str,
    /// Node id of the load balancer holding the VIP at the end; `null` for
    /// an active-active pair (no VIP).
    pub vip_holder: Option<String>,
    /// Seconds from the holder's death to the backup taking the VIP (the
    /// master-down interval minus the time since the last advert); `null`
    /// if no holder died or the VIP has not moved.
    pub vip_moved_after_s: Option<f64>,
    /// Time to recover, seconds from the death: active-passive, to the
    /// first request sent after it being answered; active-active, to the
    /// last resolver entry pinned to the dead one expiring. `null` if none
    /// died or it has not happened by the end of the run.
    pub lb_recovery_s: Option<f64>,
    /// User requests sent after the death and dropped before the site
    /// served again (0 if none died).
    pub requests_lost: u64,
    /// Share of users (0 to 1) whose DNS cache still sends them to a dead
    /// load balancer at the end (always 0 for active-passive).
    pub users_pinned_to_dead_lb: f64,
}

/// The run summary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// Simulated seconds covered.
    pub duration_s: f64,
    /// User requests that arrived.
    pub requests: u64,
    /// User requests answered.
    pub served: u64,
    /// User requests dropped, reason → count (reasons with a count only).
    pub dropped: BTreeMap<&'static str, u64>,
    /// Requests still under way at the end.
    pub in_flight: u64,
    /// Writes committed by a primary.
    pub writes_ok: u64,
    /// Write requests that failed.
    pub writes_failed: u64,
    /// Acknowledged writes lost at a failover.
    pub lost_writes: u64,
    /// Reads answered with stale data.
    pub stale_reads: u64,
    /// Latency over the whole run.
    pub latency_ms: Percentiles,
    /// The simulated second the per-second series start at (they keep the
    /// last [`crate::HISTORY_SECONDS`]: after a longer run the first row is
    /// not second 1).
    pub first_second: u64,
    /// Responses per simulated second (ground truth).
    pub qps: Vec<u32>,
    /// Requests per second summed over the hosts, as the monitoring service
    /// knew it at the end of each second.
    pub qps_monitored: Vec<f32>,
    /// Worst replica lag at the end of each second, ms.
    pub replication_lag_ms: Vec<f32>,
    /// Median latency per second, ms.
    pub latency_p50_ms: Vec<f32>,
    /// 99th percentile latency per second, ms.
    pub latency_p99_ms: Vec<f32>,
    /// Alerts raised.
    pub alerts: Vec<AlertLine>,
    /// Links where user data travelled unencrypted, `"from->to"`, sorted.
    pub plaintext_hops: Vec<String>,
    /// Attack traffic.
    pub attacks: AttackSummary,
    /// Drops per firewall line.
    pub firewall_drops: Vec<FirewallDropLine>,
    /// Per load balancer / server.
    pub servers: Vec<BoxSummary>,
    /// Internal events processed.
    pub events: u64,
    /// The load-balancer pair's latest failover (designs with a pair only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failover: Option<FailoverSummary>,
}

// Built by `insert`, and `plaintext` below kept sorted by inserting in place,
// not by `collect`/`sort`: those link a stable sort per element type (~4 KB
// of wasm each) for lists of a dozen items.
fn by_reason(counts: &[u64; DropCode::COUNT]) -> BTreeMap<&'static str, u64> {
    let mut by_reason = BTreeMap::new();
    for c in DropCode::ALL.iter().filter(|c| counts[**c as usize] > 0) {
        by_reason.insert(c.as_str(), counts[*c as usize]);
    }
    by_reason
}

impl Report {
    /// Summarises a simulation as it stands.
    pub fn of(sim: &Simulation) -> Report {
        let m = sim.metrics();
        let s = sim.scenario();
        let id = |n: usize| s.nodes[n].id.clone();
        let hist = || m.history.iter();
        let topo = sim.topology();
        let mut plaintext = Vec::new();
        for (from, mask) in m.plaintext.iter().enumerate() {
            for to in mask.iter() {
                let hop = format!("{}->{}", id(from), id(to));
                let at = plaintext.binary_search(&hop).unwrap_or_else(|at| at);
                plaintext.insert(at, hop);
            }
        }
        Report {
            scenario: s.name.clone(),
            duration_s: sim.now().as_secs_f64(),
            requests: m.requests,
            served: m.served,
            dropped: by_reason(&m.dropped),
            in_flight: m.in_flight(),
            writes_ok: m.writes_ok,
            writes_failed: m.writes_failed,
            lost_writes: m.lost_writes,
            stale_reads: m.stale_reads,
            latency_ms: Percentiles {
                p50: m.latency.quantile_ms(0.5),
                p95: m.latency.quantile_ms(0.95),
                p99: m.latency.quantile_ms(0.99),
            },
            first_second: hist().next().map_or(1, |h| h.second + 1),
            qps: hist().map(|h| h.served).collect(),
            qps_monitored: hist()
                .map(|h| {
                    // The load balancers' own counts would double the total.
                    h.qps_monitored
                        .iter()
                        .enumerate()
                        .filter(|(slot, _)| {
                            topo.kind(m.boxes[*slot]) != Some(NodeKind::LoadBalancer)
                        })
                        .map(|(_, q)| q)
                        .sum()
                })
                .collect(),
            replication_lag_ms: hist().map(|h| h.replication_lag_ms).collect(),
            latency_p50_ms: hist().map(|h| h.latency_p50_ms).collect(),
            latency_p99_ms: hist().map(|h| h.latency_p99_ms).collect(),
            alerts: m
                .alerts
                .iter()
                .map(|a| AlertLine {
                    t_s: a.at.as_secs_f64(),
                    rule: a.rule.as_str(),
                    node: id(a.node),
                })
                .collect(),
            plaintext_hops: plaintext,
            attacks: AttackSummary {
                sent: m.attacks,
                reached: m.attacks_reached,
                dropped: by_reason(&m.attacks_dropped),
            },
            firewall_drops: m
                .firewall_drops
                .iter()
                .map(|&(f, rule, count)| FirewallDropLine { firewall: id(f), rule, count })
                .collect(),
            servers: m
                .boxes
                .iter()
                .enumerate()
                .map(|(slot, &node)| BoxSummary {
                    node: id(node),
                    qps: hist().map(|h| h.qps[slot]).collect(),
                    qps_monitored: hist().map(|h| h.qps_monitored[slot]).collect(),
                    cpu_pct: hist().map(|h| h.cpu_pct[slot]).collect(),
                })
                .collect(),
            events: m.events,
            failover: topo.lb_pair().map(|_| {
                let f = m.lb_failover;
                let secs = |t: crate::time::SimTime, from: crate::time::SimTime| {
                    (t.0 - from.0) as f64 / 1e9
                };
                let mode = sim.scenario().lb_pair.unwrap_or_default().mode;
                let now = sim.now();
                FailoverSummary {
                    mode: mode.as_str(),
                    vip_holder: (mode == PairMode::ActivePassive).then(|| id(sim.vip_holder())),
                    vip_moved_after_s: f.and_then(|f| f.vip_moved_at.map(|t| secs(t, f.died_at))),
                    lb_recovery_s: f
                        .filter(|f| f.recovered_at.is_some_and(|r| r <= now))
                        .and_then(|f| f.recovery_s()),
                    requests_lost: f.map_or(0, |f| f.requests_lost),
                    users_pinned_to_dead_lb: sim.users_pinned_to_dead_lb(),
                }
            }),
        }
    }

    /// Compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// One row per simulated second of the kept history (`t_s` is the
    /// second's end), with a header:
    /// `t_s,qps,qps_monitored,replication_lag_ms,latency_p50_ms,latency_p99_ms`
    /// (the CLI's `--format csv` and the app's metrics export).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "t_s,qps,qps_monitored,replication_lag_ms,latency_p50_ms,latency_p99_ms\n",
        );
        let cell = |v: Option<String>| v.unwrap_or_default();
        for (i, qps) in self.qps.iter().enumerate() {
            out.push_str(&format!(
                "{},{qps},{},{},{},{}\n",
                self.first_second + i as u64,
                cell(self.qps_monitored.get(i).map(ToString::to_string)),
                cell(self.replication_lag_ms.get(i).map(ToString::to_string)),
                cell(self.latency_p50_ms.get(i).map(ToString::to_string)),
                cell(self.latency_p99_ms.get(i).map(ToString::to_string)),
            ));
        }
        out
    }
}

impl Simulation {
    /// The run summary so far (see [`Report`]).
    pub fn report(&self) -> Report {
        Report::of(self)
    }
}
