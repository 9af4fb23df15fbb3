//! The words of what a finding's "show me" measured
//! (`infraboard_sim::review::demonstrate`, never worked out here): one
//! sentence for the review panel and the printed review sheet.

use crate::i18n::{format_number, k, Locale};
use infraboard_sim::review::{Demonstration, FindingKind};

/// A message with one `{n}` placeholder.
type Words = fn(Locale, String) -> String;

/// "Measured on this design, 60 s at 50 requests per second: 1,506 of
/// 2,997 requests failed, failing from 0 s to 30 s, then served normally,
/// 151 writes refused, first alert after 8 s."
pub(crate) fn measured_sentence(locale: Locale, kind: FindingKind, m: &Demonstration) -> String {
    use k::review::measured as say;
    let n = |v: u64| format_number(locale, v as f64, 0);
    let mut parts = Vec::new();
    if matches!(kind, FindingKind::PlaintextBackend | FindingKind::PlaintextDatabase) {
        parts.push(say::clear(locale, n(m.served)));
    }
    parts.push(say::failed(locale, n(m.failed), n(m.requests)));
    for w in &m.windows {
        parts.push(say::window(locale, w.from_s, w.to_s));
    }
    if !m.windows.is_empty() {
        let end = if m.recovered { say::RECOVERED } else { say::NOT_RECOVERED };
        parts.push(end.text(locale).to_string());
    }
    let counts: [(u64, Words); 4] = [
        (m.writes_failed, say::writes_failed),
        (m.lost_writes, say::lost_writes),
        (m.stale_reads, say::stale_reads),
        (m.attacks_reached, say::attacks),
    ];
    for (count, words) in counts {
        if count > 0 {
            parts.push(words(locale, n(count)));
        }
    }
    parts.push(match m.first_alert_s {
        Some(s) => say::first_alert(locale, s),
        None => say::NO_ALERT.text(locale).to_string(),
    });
    let rate = format_number(locale, m.rate_qps, 0);
    format!("{} {}.", say::run(locale, m.watched_s, rate), parts.join(", "))
}
