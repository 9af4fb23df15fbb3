//! The design review: what a senior engineer would raise about a design at
//! the whiteboard, computed from the [`Scenario`] and its [`Topology`].
//!
//! [`review`] gives every [`Finding`]: its [`FindingKind`] (closed and
//! language-free, like the rest of the crate: the app and the CLI map each
//! kind to words), a [`Severity`], the nodes and links it concerns, a "show
//! me" script (timed [`Cue`]s to schedule on a run's
//! [`Timeline`](crate::Timeline): kill the single point, attack the open
//! port) and a fix (design [`Edit`]s, applied through the validation).
//!
//! One file per family of checks: [`redundancy`] (single points of
//! failure), [`encryption`] (plaintext hops), [`firewall_rules`]
//! (openings, default allow, shadowed rules), [`colocation`] (components
//! sharing a box), [`monitoring_gaps`] (boxes without agent, alerts that
//! cannot fire), [`stale_reads`]. The order of the findings is
//! deterministic: most severe first, then by kind, then by nodes.

mod colocation;
pub mod demonstration;
mod encryption;
mod firewall_rules;
mod monitoring_gaps;
mod redundancy;
mod stale_reads;

pub use demonstration::{demonstrate, Demonstration, Window};

use crate::design::{apply_all, Edit, EditError};
use crate::firewall::Firewall;
use crate::scenario::{NodeKind, NodeSpec, Scenario, Zone};
use crate::timeline::Cue;
use crate::topology::Topology;

/// How bad a finding is. Ordered: `High` is the greatest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; no outage or leak follows from it alone.
    Low,
    /// Makes an outage longer, or blinds the operators to one.
    Medium,
    /// An outage or a leak waiting to happen.
    High,
}

impl Severity {
    /// Machine name: `low`, `medium`, `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// What a finding is about. Closed: the app and the CLI map each variant
/// to a title and an explanation in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// One load balancer: when it dies the site is down.
    SingleLoadBalancer,
    /// One MySQL primary takes every write and nothing promotes a replica
    /// when it dies (manual failover, or no replica on another box).
    SingleWriter,
    /// One firewall in front of the load balancer: every request crosses it.
    SingleFirewallPath,
    /// No firewall in front of the load balancer at all.
    NoPerimeterFirewall,
    /// One DNS service answers for the site.
    SingleDns,
    /// TLS ends at the load balancer, so load balancer → web server is
    /// plain HTTP.
    PlaintextBackend,
    /// Application → MySQL connections without TLS.
    PlaintextDatabase,
    /// MySQL's port (3306) can be reached from the Internet.
    DatabasePortOpen,
    /// SSH (22) can be reached from the Internet.
    SshFromAnywhere,
    /// A firewall rule allows everything from anywhere.
    DefaultAllow,
    /// A rule no packet can reach: an earlier rule matches all it matches.
    ShadowedRule,
    /// The web tier and MySQL (or a primary and its replica) share one box:
    /// they compete for its cores and fail together.
    SharedBox,
    /// A box runs no monitoring agent: nobody hears about it.
    NoAgent,
    /// No monitoring service to ship to: no alert at all.
    NoMonitoringService,
    /// No agent reads MySQL on any box: the loss of the primary raises no
    /// alert.
    PrimaryLossUnalerted,
    /// A replica's box runs no agent: its lag raises no alert.
    LagUnalerted,
    /// Reads go to replicas, which may lag: users can read stale data.
    StaleReads,
}

impl FindingKind {
    /// Every kind, in review order.
    pub const ALL: [FindingKind; 17] = [
        FindingKind::SingleLoadBalancer,
        FindingKind::SingleWriter,
        FindingKind::SingleFirewallPath,
        FindingKind::NoPerimeterFirewall,
        FindingKind::SingleDns,
        FindingKind::PlaintextBackend,
        FindingKind::PlaintextDatabase,
        FindingKind::DatabasePortOpen,
        FindingKind::SshFromAnywhere,
        FindingKind::DefaultAllow,
        FindingKind::ShadowedRule,
        FindingKind::SharedBox,
        FindingKind::NoAgent,
        FindingKind::NoMonitoringService,
        FindingKind::PrimaryLossUnalerted,
        FindingKind::LagUnalerted,
        FindingKind::StaleReads,
    ];

    /// Machine name used in JSON and as the text key (`single_writer` …).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::SingleLoadBalancer => "single_load_balancer",
            FindingKind::SingleWriter => "single_writer",
            FindingKind::SingleFirewallPath => "single_firewall_path",
            FindingKind::NoPerimeterFirewall => "no_perimeter_firewall",
            FindingKind::SingleDns => "single_dns",
            FindingKind::PlaintextBackend => "plaintext_backend",
            FindingKind::PlaintextDatabase => "plaintext_database",
            FindingKind::DatabasePortOpen => "database_port_open",
            FindingKind::SshFromAnywhere => "ssh_from_anywhere",
            FindingKind::DefaultAllow => "default_allow",
            FindingKind::ShadowedRule => "shadowed_rule",
            FindingKind::SharedBox => "shared_box",
            FindingKind::NoAgent => "no_agent",
            FindingKind::NoMonitoringService => "no_monitoring_service",
            FindingKind::PrimaryLossUnalerted => "primary_loss_unalerted",
            FindingKind::LagUnalerted => "lag_unalerted",
            FindingKind::StaleReads => "stale_reads",
        }
    }
}

/// One weakness of the design.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What it is.
    pub kind: FindingKind,
    /// How bad.
    pub severity: Severity,
    /// The nodes it concerns (indices into `Scenario::nodes`, ascending).
    pub nodes: Vec<usize>,
    /// The links it concerns, `(from, to)` (the plaintext hops; the path
    /// an opening lets through), in path order.
    pub links: Vec<(usize, usize)>,
    /// The rule concerned, `(firewall node, rule index)`, for rule findings.
    pub rule: Option<(usize, usize)>,
    /// "Show me": commands timed from the script's start that play the
    /// failure (empty when there is nothing to trigger: the weakness shows
    /// on the board as the run goes, e.g. an open padlock).
    pub show_me: Vec<Cue>,
    /// The fix, as design edits applied in order (empty: no fix the model
    /// can express yet).
    pub fix: Vec<Edit>,
}

impl Finding {
    /// Whether the review offers a fix.
    pub fn fixable(&self) -> bool {
        !self.fix.is_empty()
    }

    /// The design with this finding's fix made (validated).
    pub fn apply_fix(&self, design: &Scenario) -> Result<Scenario, EditError> {
        apply_all(design, &self.fix)
    }
}

/// Every finding of a design, most severe first (see the module doc).
/// Never panics; a design that would not validate is reviewed as far as
/// its topology answers.
pub fn review(design: &Scenario) -> Vec<Finding> {
    let d = Design::of(design);
    let mut out = Vec::new();
    redundancy::check(&d, &mut out);
    encryption::check(&d, &mut out);
    firewall_rules::check(&d, &mut out);
    colocation::check(&d, &mut out);
    monitoring_gaps::check(&d, &mut out);
    stale_reads::check(&d, &mut out);
    order(&mut out);
    out
}

/// Sorts the findings into review order, stably. An insertion sort: a
/// review has a handful of findings, and a standard library sort would be
/// compiled in for this one type (kilobytes of the app's wasm).
fn order(findings: &mut [Finding]) {
    let before = |a: &Finding, b: &Finding| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.nodes.cmp(&b.nodes))
            .then_with(|| a.rule.cmp(&b.rule))
            .is_lt()
    };
    for i in 1..findings.len() {
        let mut j = i;
        while j > 0 && before(&findings[j], &findings[j - 1]) {
            findings.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// The worst severity among the findings (`None` when there are none).
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// What every family reads: the scenario, its topology and its firewalls
/// as they act (default tables applied).
struct Design<'a> {
    s: &'a Scenario,
    topo: Topology,
    /// `firewalls[k]` acts for `topo.firewalls()[k]`.
    firewalls: Vec<Firewall>,
}

impl<'a> Design<'a> {
    fn of(s: &'a Scenario) -> Design<'a> {
        let topo = Topology::of(s);
        let firewalls = topo.firewalls().iter().map(|&f| Firewall::build(s, f)).collect();
        Design { s, topo, firewalls }
    }

    fn id(&self, node: usize) -> String {
        self.s.nodes[node].id.clone()
    }

    fn firewall(&self, node: usize) -> Option<&Firewall> {
        self.firewalls.iter().find(|f| f.node == node)
    }

    fn load_balancers(&self) -> Vec<usize> {
        (0..self.s.nodes.len())
            .filter(|&i| self.s.nodes[i].kind == NodeKind::LoadBalancer)
            .collect()
    }

    fn servers(&self) -> Vec<usize> {
        (0..self.s.nodes.len()).filter(|&i| self.s.nodes[i].kind == NodeKind::Server).collect()
    }

    /// The load balancers and servers, ascending.
    fn boxes(&self) -> Vec<usize> {
        (0..self.s.nodes.len())
            .filter(|&i| matches!(self.s.nodes[i].kind, NodeKind::LoadBalancer | NodeKind::Server))
            .collect()
    }

    /// Whether a packet from the Internet reaches `node` on `port`: every
    /// firewall on its way lets it through.
    fn open_from_internet(&self, node: usize, port: u16) -> bool {
        let Some(user) = self.topo.user() else { return false };
        self.topo.firewalls_between(user, node).all(|f| {
            self.firewall(f).is_some_and(|fw| {
                fw.alive && fw.check(user, Zone::Internet, port) == crate::Verdict::Allow
            })
        })
    }

    /// An id not used yet: `base`, else `base-2`, `base-3` …
    fn fresh_id(&self, base: &str, taken: &[String]) -> String {
        let used = |id: &str| self.s.index_of(id).is_some() || taken.iter().any(|t| t == id);
        if !used(base) {
            return base.to_string();
        }
        (2..).map(|k| format!("{base}-{k}")).find(|id| !used(id)).unwrap_or_default()
    }
}

/// A node to add, drawn at `(x, y)` (clamped to the board).
fn new_node(id: String, kind: NodeKind, zone: Zone, x: f64, y: f64) -> NodeSpec {
    NodeSpec {
        count: None,
        id,
        kind,
        zone,
        x: x.clamp(10.0, 990.0),
        y: y.clamp(10.0, 590.0),
        components: Vec::new(),
        agent: false,
        guards: None,
        also_guards: Vec::new(),
        rules: None,
        cores: None,
    }
}

#[cfg(test)]
mod tests;
