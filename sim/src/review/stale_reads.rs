//! Stale reads: reads sent to replicas answer from a copy that lags the
//! primary, so a user may not see what was just written.

use super::{Design, Finding, FindingKind, Severity};
use crate::command::Command;
use crate::design::Edit;
use crate::scenario::ReadPolicy;
use crate::timeline::Cue;

pub(super) fn check(d: &Design, out: &mut Vec<Finding>) {
    if d.s.database.read_policy != ReadPolicy::Replica {
        return;
    }
    let mut replicas: Vec<usize> = d.topo.replica_hosts().collect();
    replicas.dedup();
    if replicas.is_empty() {
        return;
    }
    out.push(Finding {
        kind: FindingKind::StaleReads,
        severity: Severity::Low,
        nodes: replicas,
        links: Vec::new(),
        rule: None,
        show_me: lag_script(d),
        fix: vec![Edit::SetReadPolicy(ReadPolicy::Primary)],
    });
}

/// More writes a second than a replica's single thread applies, for 20 s,
/// then the design's own traffic again: lag grows, then drains.
pub(super) fn lag_script(d: &Design) -> Vec<Cue> {
    let t = &d.s.traffic;
    // Writes arrive faster than 1 / apply time: the replica falls behind.
    let apply_rate = 1e6 / f64::from(d.s.database.apply_us.max(1));
    let qps = (apply_rate * 1.6).clamp(t.rate_qps, 150_000.0).round();
    vec![
        Cue::at(0, Command::SetWriteShare { share: 0.9 }),
        Cue::at(0, Command::SetRate { qps }),
        Cue::at(20, Command::SetRate { qps: t.rate_qps }),
        Cue::at(20, Command::SetWriteShare { share: t.write_share }),
    ]
}
