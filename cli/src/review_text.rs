//! The review's English words: one entry per finding kind (title, why it
//! matters, what the fix does) and one phrase per design edit. The
//! simulation is language-free; this table is the one place the CLI's
//! words live, and the app's `locales/en|fr` mirror it key by key
//! (`FindingKind::as_str` is the key).

use infraboard_sim::design::Edit;
use infraboard_sim::review::FindingKind;
use infraboard_sim::{FailoverMode, ReadPolicy, TlsMode};

/// The words for one finding kind.
pub(crate) struct KindText {
    /// A short title.
    pub(crate) title: &'static str,
    /// Why it matters.
    pub(crate) why: &'static str,
    /// What the fix does (or why there is none yet).
    pub(crate) fix: &'static str,
}

/// The English text of a finding kind.
pub(crate) fn text_of(kind: FindingKind) -> KindText {
    use FindingKind::*;
    let (title, why, fix) = match kind {
        SingleLoadBalancer => (
            "One load balancer",
            "Every request goes through it: when it dies, the whole site is down.",
            "Add a second load balancer as an active-passive pair sharing a virtual IP.",
        ),
        SingleWriter => (
            "One MySQL writer, no failover",
            "Only the primary takes writes and nothing promotes a replica when it dies: every write fails until someone does it by hand.",
            "Turn on automatic failover (and give the replica a box of its own).",
        ),
        SingleFirewallPath => (
            "One firewall path",
            "Every request crosses this one firewall: when it fails, nothing gets in.",
            "A second path needs a second firewall in parallel (not in the model yet).",
        ),
        NoPerimeterFirewall => (
            "No firewall in front of the load balancer",
            "The load balancer faces the Internet on every port.",
            "Add a firewall in front of it that lets only HTTPS (443) in.",
        ),
        SingleDns => (
            "One DNS",
            "If the DNS stops answering, users whose cached answer expired cannot find the site.",
            "Use a second DNS provider (not in the model yet).",
        ),
        PlaintextBackend => (
            "Plaintext behind the load balancer",
            "TLS ends at the load balancer, so requests travel to the web servers as plain HTTP: anyone on the internal network can read them.",
            "Re-encrypt from the load balancer to the servers.",
        ),
        PlaintextDatabase => (
            "Plaintext to MySQL",
            "Application to MySQL connections carry queries and results unencrypted.",
            "Turn on TLS for MySQL connections.",
        ),
        DatabasePortOpen => (
            "MySQL reachable from the Internet",
            "Port 3306 gets through every firewall from the Internet: attackers can try the database directly.",
            "Deny 3306 from the Internet at the first firewall.",
        ),
        SshFromAnywhere => (
            "SSH open to the Internet",
            "Port 22 gets through from the Internet: anyone can try to log in.",
            "Deny 22 from the Internet at the first firewall.",
        ),
        DefaultAllow => (
            "A rule allows everything",
            "A rule allows any source on any port, so the table no longer denies by default.",
            "Remove the rule.",
        ),
        ShadowedRule => (
            "A rule that never applies",
            "An earlier rule matches every packet this one would, so this one is never used (and may say the opposite).",
            "Remove the shadowed rule (or move it above the one that hides it).",
        ),
        SharedBox => (
            "Tiers sharing one box",
            "The web tier and MySQL (or a primary and its replica) run on one box: they compete for its cores and go down together.",
            "Split the tiers: move MySQL to a box of its own.",
        ),
        NoAgent => (
            "A box without a monitoring agent",
            "Nothing reports this box's load, errors or death: the first alert is a user complaining.",
            "Install the monitoring agent.",
        ),
        NoMonitoringService => (
            "No monitoring service",
            "There is nowhere to ship metrics and logs: no dashboard, no alert.",
            "Add a monitoring service.",
        ),
        PrimaryLossUnalerted => (
            "No alert when the primary is lost",
            "No agent reads MySQL's status, so losing the primary raises no alert.",
            "Install the agent on the MySQL boxes.",
        ),
        LagUnalerted => (
            "No alert on replication lag",
            "No agent reads this replica's status, so its lag raises no alert.",
            "Install the agent on the replica's box.",
        ),
        StaleReads => (
            "Reads from a lagging replica",
            "Reads go to replicas, which apply writes late: a user may not see what was just written.",
            "Send reads to the primary (no stale reads, no read scaling).",
        ),
    };
    KindText { title, why, fix }
}

/// One design edit in English.
pub(crate) fn edit_text(edit: &Edit) -> String {
    match edit {
        Edit::AddNode(n) => format!("add {:?} `{}`", n.kind, n.id).to_lowercase(),
        Edit::RemoveNode(id) => format!("remove `{id}`"),
        Edit::RenameNode { from, to } => format!("rename `{from}` to `{to}`"),
        Edit::MoveNode { id, x, y } => format!("move `{id}` to ({x}, {y})"),
        Edit::SetGuards { firewall, guards } => {
            format!("`{firewall}` guards {}", guards.join(", "))
        }
        Edit::SetCores { node, cores: Some(c) } => format!("`{node}` gets {c} cores"),
        Edit::SetCores { node, cores: None } => format!("`{node}` gets the default cores"),
        Edit::SetComponents { node, components } => {
            let names: Vec<String> =
                components.iter().map(|c| format!("{c:?}").to_lowercase()).collect();
            format!("`{node}` runs {}", names.join(", "))
        }
        Edit::SetAgent { node, on: true } => format!("agent on `{node}`"),
        Edit::SetAgent { node, on: false } => format!("no agent on `{node}`"),
        Edit::SetTlsMode(mode) => format!(
            "TLS: {}",
            match mode {
                TlsMode::Terminate => "terminate at the load balancer",
                TlsMode::Reencrypt => "re-encrypt to the servers",
                TlsMode::Passthrough => "pass through to the servers",
            }
        ),
        Edit::SetLbPair(None) => "one load balancer, no pair".to_string(),
        Edit::SetLbPair(Some(pair)) => {
            format!("the load balancers form an {} pair", pair.mode.as_str())
        }
        Edit::SetDatabaseTls(on) => format!("MySQL TLS {}", if *on { "on" } else { "off" }),
        Edit::SetFailover(FailoverMode::Auto) => "automatic failover".to_string(),
        Edit::SetFailover(FailoverMode::Manual) => "manual failover".to_string(),
        Edit::SetReadPolicy(ReadPolicy::Primary) => "reads from the primary".to_string(),
        Edit::SetReadPolicy(ReadPolicy::Replica) => "reads from replicas".to_string(),
        Edit::AddRule { firewall, index, rule } => format!(
            "`{firewall}` {}: {:?} {} port {}",
            index.map_or("last rule".to_string(), |i| format!("rule {i}")),
            rule.action,
            match &rule.source {
                infraboard_sim::SourceSpec::Any => "from anywhere".to_string(),
                infraboard_sim::SourceSpec::Zone(z) => format!("from the {} zone", z.as_str()),
                infraboard_sim::SourceSpec::Node(n) => format!("from `{n}`"),
            },
            rule.port.map_or("any".to_string(), |p| p.to_string()),
        )
        .to_lowercase(),
        Edit::RemoveRule { firewall, index } => format!("remove rule {index} of `{firewall}`"),
        Edit::SetCount { node, count: Some(n) } => format!("`{node}` is a pool of {n} boxes"),
        Edit::SetCount { node, count: None } => format!("`{node}` is one box"),
        Edit::DuplicateNode { from, to, .. } => format!("copy `{from}` as `{to}`"),
    }
}
