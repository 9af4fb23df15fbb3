//! The review's words in the app: one title, explanation and fix text per
//! finding kind (keys `review.kinds.<FindingKind::as_str>`, mirroring the
//! CLI's English table in `cli/src/review_text.rs`), and the severities.

use crate::i18n::{k, Msg};
use infraboard_sim::review::{FindingKind, Severity};

/// The words for one finding kind.
#[derive(Clone, Copy)]
pub(super) struct KindTexts {
    /// A short title.
    pub title: Msg,
    /// Why it matters.
    pub why: Msg,
    /// What the fix does (or why the model offers none yet).
    pub fix: Msg,
}

/// The texts of `kind`.
pub(super) fn kind_texts(kind: FindingKind) -> KindTexts {
    use k::review::kinds::*;
    macro_rules! texts {
        ($m:ident) => {
            KindTexts { title: $m::TITLE, why: $m::WHY, fix: $m::FIX }
        };
    }
    match kind {
        FindingKind::SingleLoadBalancer => texts!(single_load_balancer),
        FindingKind::SingleWriter => texts!(single_writer),
        FindingKind::SingleFirewallPath => texts!(single_firewall_path),
        FindingKind::NoPerimeterFirewall => texts!(no_perimeter_firewall),
        FindingKind::SingleDns => texts!(single_dns),
        FindingKind::PlaintextBackend => texts!(plaintext_backend),
        FindingKind::PlaintextDatabase => texts!(plaintext_database),
        FindingKind::DatabasePortOpen => texts!(database_port_open),
        FindingKind::SshFromAnywhere => texts!(ssh_from_anywhere),
        FindingKind::DefaultAllow => texts!(default_allow),
        FindingKind::ShadowedRule => texts!(shadowed_rule),
        FindingKind::SharedBox => texts!(shared_box),
        FindingKind::NoAgent => texts!(no_agent),
        FindingKind::NoMonitoringService => texts!(no_monitoring_service),
        FindingKind::PrimaryLossUnalerted => texts!(primary_loss_unalerted),
        FindingKind::LagUnalerted => texts!(lag_unalerted),
        FindingKind::StaleReads => texts!(stale_reads),
    }
}

/// The word for a severity.
pub(super) fn severity_text(severity: Severity) -> Msg {
    match severity {
        Severity::High => k::review::severity::HIGH,
        Severity::Medium => k::review::severity::MEDIUM,
        Severity::Low => k::review::severity::LOW,
    }
}
