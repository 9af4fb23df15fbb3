//! From the simulation's per-second history to the lines of each chart.
//!
//! Pure data shaping (no drawing, no DOM), so every chart's content is
//! decided in one place and reads like the whiteboard: boxes by name, drop
//! reasons and alert rules by their localized words.

use super::plot::{Frame, Line};
use super::{LegendEntry, Plot};
use crate::board::node_name;
use crate::i18n::{k, Locale};
use crate::sim_driver::FrameStats;
use infraboard_sim::{DropCode, NodeKind, Scenario, SecondStats};
use plotters::style::RGBColor;

/// Seconds of simulated time a chart shows.
pub const WINDOW_S: f64 = 60.0;

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Requests per second per box, load balancer's count vs monitoring's.
    Qps,
    /// p50 and p99 latency.
    Latency,
    /// Dropped user requests per second, one line per reason.
    Errors,
    /// Worst replica lag.
    Replication,
    /// CPU busy share per box.
    Cpu,
}

/// Okabe–Ito colours: told apart by colour-blind readers too; the first is
/// the ink used for totals.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1b, 0x26, 0x3b),
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0x88, 0x88, 0x88),
];

fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// One chart's lines, legend and axes for the current statistics.
pub fn build(kind: ChartKind, f: &FrameStats, scenario: &Scenario, locale: Locale) -> Plot {
    let x1 = f.t_s.max(WINDOW_S);
    let x0 = x1 - WINDOW_S;
    let m = &f.metrics;
    // A second's figures are plotted at its end, when they are complete.
    let seconds: Vec<&SecondStats> =
        m.history.iter().filter(|s| (s.second + 1) as f64 >= x0 - 1.0).collect();
    let series = |value: &dyn Fn(&SecondStats) -> f64| -> Vec<(f64, f64)> {
        seconds.iter().map(|s| ((s.second + 1) as f64, value(s))).collect()
    };
    let mut lines = Vec::new();
    let mut legend = Vec::new();
    let mut note = None;
    let mut push = |points: Vec<(f64, f64)>,
                    color: RGBColor,
                    dashed: bool,
                    thick: bool,
                    label: String,
                    key: String| {
        let latest = points.last().map(|p| p.1);
        legend.push(LegendEntry { label, color: css(color), dashed, key, latest });
        lines.push(Line { points, color, dashed, thick });
    };
    let frame = |y_min_top: f64, y_desc: &str, y_decimals: usize| Frame {
        x_range: (x0, x1),
        y_min_top,
        y_cap: None,
        x_desc: k::charts::TIME_AXIS.text(locale).to_string(),
        y_desc: y_desc.to_string(),
        y_decimals,
        locale,
    };
    let boxes: Vec<(usize, usize)> = m.boxes.iter().copied().enumerate().collect();
    let is_lb =
        |node: usize| scenario.nodes.get(node).is_some_and(|n| n.kind == NodeKind::LoadBalancer);
    let frame = match kind {
        ChartKind::Qps => {
            let mut colour = 1;
            // With a pair, each load balancer's total is its own line,
            // named as on the board ("Load balancer 2").
            let several_lbs = boxes.iter().filter(|&&(_, node)| is_lb(node)).count() > 1;
            for &(slot, node) in &boxes {
                let thick = is_lb(node);
                let (c, lb_label, mon_label) = if thick && !several_lbs {
                    (
                        PALETTE[0],
                        k::charts::qps::TOTAL_LB.text(locale).to_string(),
                        k::charts::qps::TOTAL_MON.text(locale).to_string(),
                    )
                } else {
                    // A load balancer of a pair by its number alone: the
                    // live strip has room for two short lines.
                    let name = match thick {
                        true => {
                            let before = scenario.nodes[..node]
                                .iter()
                                .filter(|n| n.kind == NodeKind::LoadBalancer);
                            k::charts::qps::lb_n(locale, before.count() + 1)
                        }
                        false => node_name(scenario, node, locale),
                    };
                    colour += 1;
                    let lb = if thick { name.clone() } else { k::charts::qps::lb(locale, &name) };
                    (PALETTE[(colour - 1) % PALETTE.len()], lb, k::charts::qps::mon(locale, &name))
                };
                let id = &scenario.nodes[node].id;
                push(
                    series(&|s| s.qps.get(slot).copied().unwrap_or(0) as f64),
                    c,
                    false,
                    thick,
                    lb_label,
                    format!("lb:{id}"),
                );
                push(
                    series(&|s| s.qps_monitored.get(slot).copied().unwrap_or(0.0) as f64),
                    c,
                    true,
                    thick,
                    mon_label,
                    format!("mon:{id}"),
                );
            }
            frame(10.0, k::charts::qps::AXIS.text(locale), 0)
        }
        ChartKind::Latency => {
            push(
                series(&|s| s.latency_p50_ms as f64),
                PALETTE[1],
                false,
                true,
                k::charts::latency::P50.text(locale).into(),
                "p50".into(),
            );
            push(
                series(&|s| s.latency_p99_ms as f64),
                PALETTE[5],
                false,
                true,
                k::charts::latency::P99.text(locale).into(),
                "p99".into(),
            );
            frame(10.0, k::charts::latency::AXIS.text(locale), 0)
        }
        ChartKind::Errors => {
            for (i, code) in DropCode::ALL.into_iter().enumerate() {
                let points = series(&|s| s.dropped[code as usize] as f64);
                if points.iter().all(|p| p.1 == 0.0) {
                    continue;
                }
                push(
                    points,
                    PALETTE[(i + 1) % PALETTE.len()],
                    false,
                    true,
                    reason_name(code, locale).into(),
                    code.as_str().into(),
                );
            }
            if legend.is_empty() {
                note = Some(k::charts::errors::NONE.text(locale).to_string());
            }
            frame(5.0, k::charts::errors::AXIS.text(locale), 0)
        }
        ChartKind::Replication => {
            push(
                series(&|s| s.replication_lag_ms as f64 / 1000.0),
                PALETTE[4],
                false,
                true,
                k::charts::replication::LAG.text(locale).into(),
                "lag".into(),
            );
            frame(1.0, k::charts::replication::AXIS.text(locale), 1)
        }
        ChartKind::Cpu => {
            let mut colour = 1;
            for &(slot, node) in &boxes {
                let c = if is_lb(node) {
                    PALETTE[0]
                } else {
                    colour += 1;
                    PALETTE[(colour - 1) % PALETTE.len()]
                };
                push(
                    series(&|s| s.cpu_pct.get(slot).copied().unwrap_or(0.0) as f64),
                    c,
                    false,
                    true,
                    node_name(scenario, node, locale),
                    format!("cpu:{}", scenario.nodes[node].id),
                );
            }
            Frame { y_cap: Some(100.0), ..frame(10.0, k::charts::cpu::AXIS.text(locale), 0) }
        }
    };
    Plot { frame, lines, legend, note }
}

/// A drop reason in words.
pub fn reason_name(code: DropCode, locale: Locale) -> &'static str {
    use k::charts::reason as r;
    match code {
        DropCode::FirewallRule => r::FIREWALL_RULE,
        DropCode::FirewallDefaultDeny => r::FIREWALL_DEFAULT_DENY,
        DropCode::NoHealthyBackend => r::NO_HEALTHY_BACKEND,
        DropCode::PrimaryDown => r::PRIMARY_DOWN,
        DropCode::NoDatabase => r::NO_DATABASE,
        DropCode::NodeDown => r::NODE_DOWN,
        DropCode::VipOnDeadMaster => r::VIP_ON_DEAD_MASTER,
        DropCode::PinnedToDeadLb => r::PINNED_TO_DEAD_LB,
        DropCode::Timeout => r::TIMEOUT,
        DropCode::DnsFailure => r::DNS_FAILURE,
    }
    .text(locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::{presets, Command, NodeRef, SimTime, Simulation};
    use std::sync::Arc;

    fn run(seconds: u64, at_10s: Option<Command>) -> (Scenario, FrameStats) {
        run_preset(presets::DEFAULT, seconds, at_10s)
    }

    fn run_preset(preset: &str, seconds: u64, at_10s: Option<Command>) -> (Scenario, FrameStats) {
        let scenario = presets::get(preset).unwrap();
        let mut sim = Simulation::new(&scenario, 7).unwrap();
        sim.advance_to(SimTime::from_secs(10.min(seconds))).unwrap();
        if let Some(command) = at_10s {
            sim.apply(command).unwrap();
        }
        sim.advance_to(SimTime::from_secs(seconds)).unwrap();
        while sim.poll_event().is_some() {}
        let stats = FrameStats {
            t_s: sim.now().as_secs_f64(),
            metrics: Arc::new(sim.metrics().clone()),
            ..FrameStats::default()
        };
        (scenario, stats)
    }

    fn line<'a>(plot: &'a Plot, key: &str) -> &'a Line {
        let i = plot
            .legend
            .iter()
            .position(|e| e.key == key)
            .unwrap_or_else(|| panic!("no line {key}"));
        &plot.lines[i]
    }

    #[test]
    fn charts_show_the_last_sixty_simulated_seconds() {
        let (scenario, stats) = run(90, None);
        for kind in [ChartKind::Qps, ChartKind::Latency, ChartKind::Replication, ChartKind::Cpu] {
            let plot = build(kind, &stats, &scenario, Locale::En);
            assert_eq!(plot.frame.x_range, (30.0, 90.0), "{kind:?}");
            assert!(!plot.lines.is_empty(), "{kind:?}");
            for l in &plot.lines {
                assert!(l.points.iter().all(|(t, _)| *t >= 29.0 && *t <= 90.0), "{kind:?}");
            }
        }
    }

    #[test]
    fn qps_chart_has_both_views_of_every_box_and_monitoring_lags() {
        let (scenario, stats) = run(30, None);
        let plot = build(ChartKind::Qps, &stats, &scenario, Locale::En);
        let lb = line(&plot, "lb:server-1");
        let mon = line(&plot, "mon:server-1");
        assert!(!lb.dashed && mon.dashed, "the monitoring view is dashed");
        let first_nonzero = |l: &Line| l.points.iter().find(|p| p.1 > 0.0).map(|p| p.0);
        let (seen_by_lb, seen_by_mon) = (first_nonzero(lb).unwrap(), first_nonzero(mon).unwrap());
        assert!(
            seen_by_mon > seen_by_lb,
            "monitoring sees traffic later ({seen_by_mon} vs {seen_by_lb})"
        );
        assert_eq!(plot.legend.len(), 2 * stats.metrics.boxes.len());
    }

    #[test]
    fn each_load_balancer_of_a_pair_has_its_own_named_line() {
        let (scenario, stats) = run_preset("lb-pair-active-active", 20, None);
        let plot = build(ChartKind::Qps, &stats, &scenario, Locale::En);
        let totals: Vec<usize> = (0..plot.lines.len()).filter(|&i| plot.lines[i].thick).collect();
        assert_eq!(totals.len(), 4, "both views of both load balancers");
        let names: Vec<&str> = totals.iter().map(|&i| plot.legend[i].label.as_str()).collect();
        let colours: Vec<&str> = totals.iter().map(|&i| plot.legend[i].color.as_str()).collect();
        for pair in [(0, 2), (1, 3)] {
            assert_ne!(names[pair.0], names[pair.1], "{names:?}");
            assert_ne!(colours[pair.0], colours[pair.1], "{colours:?}");
        }
        // Both carry traffic behind DNS.
        assert!(totals.iter().all(|&i| plot.lines[i].points.iter().any(|p| p.1 > 0.0)));
    }

    #[test]
    fn a_killed_server_gets_no_traffic_and_errors_show_by_reason() {
        let (scenario, stats) = run(25, Some(Command::Kill(NodeRef::PrimaryDb)));
        let errors = build(ChartKind::Errors, &stats, &scenario, Locale::Fr);
        let failed =
            errors.legend.iter().find(|e| e.key == "primary_down").expect("a primary-down line");
        // Named in the reader's language, not by the sim's code.
        assert_eq!(failed.label, reason_name(DropCode::PrimaryDown, Locale::Fr));
        assert_ne!(failed.label, reason_name(DropCode::PrimaryDown, Locale::En));
        assert!(line(&errors, "primary_down").points.iter().any(|p| p.1 > 0.0));
        let (scenario, stats) = run(25, Some(Command::Kill(NodeRef::Id("server-2".into()))));
        let qps = build(ChartKind::Qps, &stats, &scenario, Locale::En);
        assert_eq!(line(&qps, "lb:server-2").points.last().map(|p| p.1), Some(0.0));
        assert!(line(&qps, "lb:server-1").points.last().is_some_and(|p| p.1 > 0.0));
    }
}
