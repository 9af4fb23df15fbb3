//! Firewalls: ordered rule tables in front of the nodes they guard.
//!
//! A packet from node A to node B crosses every firewall that guards B but
//! not A (traffic inside one guarded tier does not cross its own firewall).
//! Traffic from the Internet additionally enters through the perimeter: the
//! firewalls guarding the load balancer. Rules are read top to bottom, the
//! first match wins, and anything unmatched is denied ("default deny"), so a
//! drop always names the firewall and either the rule or the default.
//!
//! The seeds' defaults, used when a scenario gives no rule table:
//! - in front of the load balancer: allow HTTPS (443) from the Internet, and
//!   say explicitly that MySQL (3306) and SSH (22) from the Internet are
//!   refused;
//! - in front of web servers: only the load balancer, on 80 and 443;
//! - in front of MySQL: 3306 from the application servers, and from the other
//!   MySQL hosts (replication).

use crate::node_set::NodeSet;
use crate::scenario::{
    Action, Component, NodeKind, Protocol, RuleSpec, Scenario, SourceSpec, Zone,
};

/// Who a rule matches, resolved to node indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Any source.
    Any,
    /// Any node in this zone.
    Zone(Zone),
    /// This node (index into `Scenario::nodes`).
    Node(usize),
}

/// One line of a rule table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Allow or deny.
    pub action: Action,
    /// Who it matches.
    pub source: Source,
    /// Destination port; `None` = any.
    pub port: Option<u16>,
    /// Protocol matched.
    pub protocol: Protocol,
}

impl Rule {
    fn matches(&self, node: usize, zone: Zone, port: u16) -> bool {
        let source = match self.source {
            Source::Any => true,
            Source::Zone(z) => z == zone,
            Source::Node(n) => n == node,
        };
        // Everything the model sends is TCP.
        source && self.port.is_none_or(|p| p == port) && self.protocol != Protocol::Udp
    }

    /// Back to the scenario's form, for saving and display.
    pub fn to_spec(&self, scenario: &Scenario) -> RuleSpec {
        RuleSpec {
            action: self.action,
            source: match self.source {
                Source::Any => SourceSpec::Any,
                Source::Zone(z) => SourceSpec::Zone(z),
                Source::Node(n) => SourceSpec::Node(scenario.nodes[n].id.clone()),
            },
            port: self.port,
            protocol: self.protocol,
        }
    }
}

/// What a firewall does with one packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Let through (by the rule at this index).
    Allow,
    /// Dropped by the deny rule at this index.
    DeniedByRule(usize),
    /// No rule matched.
    DefaultDeny,
}

/// One firewall: which nodes it guards and its rule table.
#[derive(Clone, Debug, PartialEq)]
pub struct Firewall {
    /// Its node index.
    pub node: usize,
    /// The nodes behind this firewall.
    pub guarded: NodeSet,
    /// The ordered rule table.
    pub rules: Vec<Rule>,
    /// Whether the firewall box is up (a dead firewall passes nothing).
    pub alive: bool,
}

impl Firewall {
    /// A firewall with the given rule table (guarded set from the scenario).
    pub(crate) fn with_rules(node: usize, rules: Vec<Rule>) -> Firewall {
        Firewall { node, guarded: NodeSet::default(), rules, alive: true }
    }

    /// Builds firewall `node` of a *valid* scenario: its own rules if given,
    /// else the seeds' defaults.
    pub(crate) fn build(s: &Scenario, node: usize) -> Firewall {
        let find = |id: &str| s.index_of(id);
        let rules = match Firewall::from_spec(s, node, find) {
            Some(fw) => fw.rules,
            None => default_rules(s, node),
        };
        let mut guarded = NodeSet::default();
        s.nodes[node].guarded().filter_map(find).for_each(|i| guarded.insert(i));
        Firewall { node, guarded, rules, alive: true }
    }

    /// The firewall with the scenario's explicit rules, if it has some.
    pub(crate) fn from_spec(
        s: &Scenario,
        node: usize,
        find: impl Fn(&str) -> Option<usize>,
    ) -> Option<Firewall> {
        let specs = s.nodes[node].rules.as_ref()?;
        let rules = specs.iter().filter_map(|r| resolve(r, &find)).collect();
        Some(Firewall::with_rules(node, rules))
    }

    /// Whether node `i` is behind this firewall.
    pub fn guards(&self, i: usize) -> bool {
        self.guarded.contains(i)
    }

    /// The index of the rule that decides for this packet (the first that
    /// matches), `None` for the default deny.
    pub fn deciding_rule(&self, from: usize, zone: Zone, port: u16) -> Option<usize> {
        self.rules.iter().position(|r| r.matches(from, zone, port))
    }

    /// First matching rule wins; nothing matched = default deny.
    pub fn check(&self, from: usize, zone: Zone, port: u16) -> Verdict {
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.matches(from, zone, port) {
                return match rule.action {
                    Action::Allow => Verdict::Allow,
                    Action::Deny => Verdict::DeniedByRule(i),
                };
            }
        }
        Verdict::DefaultDeny
    }
}

/// Resolves a rule as written to node indices (`None` if it names no node).
pub(crate) fn resolve(r: &RuleSpec, find: impl Fn(&str) -> Option<usize>) -> Option<Rule> {
    let source = match &r.source {
        SourceSpec::Any => Source::Any,
        SourceSpec::Zone(z) => Source::Zone(*z),
        SourceSpec::Node(id) => Source::Node(find(id)?),
    };
    Some(Rule { action: r.action, source, port: r.port, protocol: r.protocol })
}

/// The seeds' default rule table for firewall `node` (see module docs).
pub(crate) fn default_rules(s: &Scenario, node: usize) -> Vec<Rule> {
    let guarded: Vec<usize> = s.nodes[node].guarded().filter_map(|id| s.index_of(id)).collect();
    let has = |i: usize, c: Component| s.nodes[i].components.contains(&c);
    let is_mysql = |i: usize| has(i, Component::MysqlPrimary) || has(i, Component::MysqlReplica);
    let tcp =
        |action, source, port| Rule { action, source, port: Some(port), protocol: Protocol::Tcp };
    let mut rules = Vec::new();
    if guarded.iter().any(|&i| s.nodes[i].kind == NodeKind::LoadBalancer) {
        rules.push(tcp(Action::Allow, Source::Zone(Zone::Internet), 443));
        rules.push(tcp(Action::Deny, Source::Zone(Zone::Internet), 3306));
        rules.push(tcp(Action::Deny, Source::Zone(Zone::Internet), 22));
    }
    if guarded.iter().any(|&i| has(i, Component::Nginx)) {
        // Every load balancer (both of a pair: either may hold the VIP).
        for lb in (0..s.nodes.len()).filter(|&i| s.nodes[i].kind == NodeKind::LoadBalancer) {
            rules.push(tcp(Action::Allow, Source::Node(lb), 443));
            rules.push(tcp(Action::Allow, Source::Node(lb), 80));
        }
    }
    if guarded.iter().any(|&i| has(i, Component::App) && !has(i, Component::Nginx)) {
        // Split tiers: the web boxes (Nginx alone) reach the app boxes on
        // the backend ports.
        for w in (0..s.nodes.len()).filter(|&i| has(i, Component::Nginx) && !has(i, Component::App))
        {
            rules.push(tcp(Action::Allow, Source::Node(w), 443));
            rules.push(tcp(Action::Allow, Source::Node(w), 80));
        }
    }
    if guarded.iter().any(|&i| is_mysql(i)) {
        for i in 0..s.nodes.len() {
            if guarded.contains(&i) {
                continue;
            }
            if has(i, Component::App) || is_mysql(i) {
                rules.push(tcp(Action::Allow, Source::Node(i), 3306));
            }
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_match_wins_and_unmatched_is_default_deny() {
        let allow = Rule {
            action: Action::Allow,
            source: Source::Zone(Zone::Internet),
            port: Some(443),
            protocol: Protocol::Tcp,
        };
        let deny_all = Rule { action: Action::Deny, source: Source::Any, port: None, ..allow };
        let fw = Firewall::with_rules(1, vec![allow, deny_all]);
        assert_eq!(fw.check(0, Zone::Internet, 443), Verdict::Allow);
        assert_eq!(fw.check(0, Zone::Internet, 22), Verdict::DeniedByRule(1));
        let fw = Firewall::with_rules(1, vec![allow]);
        assert_eq!(fw.check(0, Zone::Internet, 22), Verdict::DefaultDeny);
        assert_eq!(fw.check(5, Zone::App, 443), Verdict::DefaultDeny);
    }
}
