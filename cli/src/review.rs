//! `review`: the design review of a preset or a scenario file, as JSON or
//! as English text. Exit status 3 when a high-severity finding remains, so
//! a script (or a teacher checking a student's export) can test for it.

use crate::args;
use crate::review_text::{edit_text, text_of};
use crate::simulate::{parse_scenario, preset};
use crate::{read_file, to_json_line, Failure};
use infraboard_sim::review::{
    demonstrate, review as review_design, worst, Demonstration, Finding, FindingKind, Severity,
};
use infraboard_sim::Scenario;
use serde_json::{json, Value};

/// Options of `review`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("design").required(true).args(["preset", "scenario"]))]
pub(crate) struct ReviewArgs {
    /// Review a built-in preset
    #[arg(long, value_name = "NAME", value_parser = args::preset_name())]
    preset: Option<String>,
    /// Review a scenario file (JSON, as `show` prints or the app exports)
    #[arg(long, value_name = "FILE")]
    scenario: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The seed of the runs that measure each "show me"
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = args::number::<u64>)]
    seed: u64,
}

/// How the findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One JSON document (machine names, node ids, the fix as edits)
    Json,
    /// English, one finding a paragraph
    Text,
}

/// Runs the review; a high finding is `Failure::HighFindings` with the
/// same output, so it is printed before the nonzero exit.
pub(crate) fn review(args: ReviewArgs) -> Result<String, Failure> {
    let design = match (&args.preset, &args.scenario) {
        (Some(name), _) => preset(name)?,
        (None, Some(file)) => parse_scenario(&read_file(file)?)?,
        (None, None) => return Err(Failure::usage("give --preset NAME or --scenario FILE")),
    };
    let findings = review_design(&design);
    let measured = findings
        .iter()
        .map(|f| demonstrate(&design, f, args.seed))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Invalid(vec![e.to_string()]))?;
    let out = match args.format {
        Format::Json => to_json_line(&as_json(&design, &findings, &measured)),
        Format::Text => as_text(&design, &findings, &measured),
    };
    if worst(&findings) == Some(Severity::High) {
        Err(Failure::HighFindings(out))
    } else {
        Ok(out)
    }
}

fn id(design: &Scenario, node: usize) -> &str {
    &design.nodes[node].id
}

fn as_json(design: &Scenario, findings: &[Finding], measured: &[Demonstration]) -> Value {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let list: Vec<Value> = findings
        .iter()
        .zip(measured)
        .map(|(f, m)| {
            json!({
                "kind": f.kind.as_str(),
                "severity": f.severity.as_str(),
                "nodes": f.nodes.iter().map(|&n| id(design, n)).collect::<Vec<_>>(),
                "links": f.links.iter().map(|&(a, b)| [id(design, a), id(design, b)]).collect::<Vec<_>>(),
                "rule": f.rule.map(|(fw, i)| json!({"firewall": id(design, fw), "index": i})),
                "show_me": f.show_me.iter().map(|c| json!({
                    "after_s": c.after.0 as f64 / 1e9,
                    "command": c.command.to_string(),
                })).collect::<Vec<_>>(),
                "fix": f.fix,
                "measured": measured_json(m),
            })
        })
        .collect();
    json!({
        "design": design.name,
        "high": count(Severity::High),
        "medium": count(Severity::Medium),
        "low": count(Severity::Low),
        "findings": list,
    })
}

/// What the "show me" run measured (`review::demonstration`).
fn measured_json(m: &Demonstration) -> Value {
    json!({
        "rate_qps": m.rate_qps,
        "watched_s": m.watched_s,
        "requests": m.requests,
        "failed": m.failed,
        "served": m.served,
        "windows_s": m.windows.iter().map(|w| [w.from_s, w.to_s]).collect::<Vec<_>>(),
        "recovered": m.recovered,
        "failed_outside_windows": m.failed_outside.0,
        "writes_failed": m.writes_failed,
        "lost_writes": m.lost_writes,
        "stale_reads": m.stale_reads,
        "attacks_reached": m.attacks_reached,
        "alerts": m.alerts,
        "first_alert_s": m.first_alert_s,
    })
}

/// The same in one English line; `clear` when the finding is a plaintext
/// hop, whose cost is every request served across it.
fn measured_text(m: &Demonstration, clear: bool) -> String {
    let mut parts = vec![format!("{} of {} requests failed", m.failed, m.requests)];
    if clear {
        parts.insert(0, format!("{} requests crossed in clear text", m.served));
    }
    if !m.windows.is_empty() {
        let windows: Vec<String> =
            m.windows.iter().map(|w| format!("{}-{} s", w.from_s, w.to_s)).collect();
        parts.push(format!("failing {}", windows.join(", ")));
        parts.push(if m.recovered { "recovered" } else { "not recovered" }.to_string());
    }
    for (n, what) in [
        (m.writes_failed, "writes failed"),
        (m.lost_writes, "acknowledged writes lost"),
        (m.stale_reads, "stale reads"),
        (m.attacks_reached, "attack packets reached their target"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.push(match m.first_alert_s {
        Some(s) => format!("{} alert(s), the first after {s} s", m.alerts),
        None => "no alert".to_string(),
    });
    format!("Measured ({} s at {} QPS): {}", m.watched_s, m.rate_qps, parts.join("; "))
}

fn as_text(design: &Scenario, findings: &[Finding], measured: &[Demonstration]) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let mut out = format!(
        "Review of {}: {} finding(s), {} high, {} medium, {} low\n",
        design.name,
        findings.len(),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    );
    for (f, m) in findings.iter().zip(measured) {
        let text = text_of(f.kind);
        let nodes: Vec<&str> = f.nodes.iter().map(|&n| id(design, n)).collect();
        out.push_str(&format!("\n[{}] {}", f.severity.as_str(), text.title));
        if !nodes.is_empty() {
            out.push_str(&format!(" ({})", nodes.join(", ")));
        }
        out.push('\n');
        if let Some((fw, i)) = f.rule {
            out.push_str(&format!("  Rule {i} of {}.\n", id(design, fw)));
        }
        if !f.links.is_empty() {
            let links: Vec<String> = f
                .links
                .iter()
                .map(|&(a, b)| format!("{} -> {}", id(design, a), id(design, b)))
                .collect();
            out.push_str(&format!("  Links: {}\n", links.join(", ")));
        }
        out.push_str(&format!("  Why: {}\n", text.why));
        if f.show_me.is_empty() {
            out.push_str("  Show me: watch the board, every request shows it.\n");
        } else {
            let cues: Vec<String> = f
                .show_me
                .iter()
                .map(|c| format!("at {} s {}", c.after.0 / 1_000_000_000, c.command))
                .collect();
            out.push_str(&format!("  Show me: {}\n", cues.join(", ")));
        }
        let clear =
            matches!(f.kind, FindingKind::PlaintextBackend | FindingKind::PlaintextDatabase);
        out.push_str(&format!("  {}\n", measured_text(m, clear)));
        if f.fix.is_empty() {
            out.push_str(&format!("  Fix: {}\n", text.fix));
        } else {
            let edits: Vec<String> = f.fix.iter().map(edit_text).collect();
            out.push_str(&format!("  Fix: {} ({})\n", text.fix, edits.join("; ")));
        }
    }
    out
}
