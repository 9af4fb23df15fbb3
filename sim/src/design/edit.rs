//! [`Edit`]: one change to a design, applied to a [`Scenario`] to give a
//! new, validated one (or an [`EditError`], never a panic).

use crate::firewall::default_rules;
use crate::scenario::{
    Component, FailoverMode, LbPairSpec, NodeKind, NodeSpec, ReadPolicy, RuleSpec, Scenario,
    SourceSpec, TlsMode,
};
use crate::validate::Diagnostic;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One change to a design. Nodes are named by id (stable across edits,
/// unlike indices, which move when a node is removed). Serialized as
/// `{"set_tls_mode": "reencrypt"}`, `{"set_agent": {"node": "lb", "on": true}}` …
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Add a node at the end of the list.
    AddNode(NodeSpec),
    /// Remove a node and every reference to it (guards, rule sources).
    RemoveNode(String),
    /// Give a node a new id, following every reference to it.
    RenameNode {
        /// Current id.
        from: String,
        /// New id.
        to: String,
    },
    /// Move a node on the board.
    MoveNode {
        /// The node.
        id: String,
        /// New centre, board units.
        x: f64,
        /// New centre, board units.
        y: f64,
    },
    /// What a firewall stands in front of (first = the one drawn next to it).
    SetGuards {
        /// The firewall.
        firewall: String,
        /// The guarded node ids.
        guards: Vec<String>,
    },
    /// A box's CPU cores (`None` = the default).
    SetCores {
        /// The box.
        node: String,
        /// Cores.
        cores: Option<u32>,
    },
    /// The software a server runs.
    SetComponents {
        /// The server.
        node: String,
        /// Its components.
        components: Vec<Component>,
    },
    /// A box's monitoring agent on or off.
    SetAgent {
        /// The box.
        node: String,
        /// On or off.
        on: bool,
    },
    /// How the design's load balancers share the site (`None`: one load
    /// balancer, no pair).
    SetLbPair(Option<LbPairSpec>),
    /// Where TLS ends.
    SetTlsMode(TlsMode),
    /// Whether application → MySQL connections use TLS.
    SetDatabaseTls(bool),
    /// Manual or automatic MySQL failover.
    SetFailover(FailoverMode),
    /// Where reads go.
    SetReadPolicy(ReadPolicy),
    /// Insert a firewall rule at `index` (`None` = at the end). A firewall
    /// still on the seeds' default table gets that table written out first,
    /// so the new rule sits among the rules it actually had.
    AddRule {
        /// The firewall.
        firewall: String,
        /// Where in the table.
        index: Option<usize>,
        /// The rule.
        rule: RuleSpec,
    },
    /// Remove the rule at `index` (of the table in force, defaults included).
    RemoveRule {
        /// The firewall.
        firewall: String,
        /// Which rule.
        index: usize,
    },
    /// How many identical boxes a server node stands for (`None` = one box,
    /// not a pool).
    SetCount {
        /// The server.
        node: String,
        /// The pool's size.
        count: Option<u16>,
    },
    /// Copy a node under a new id at a new place. The copy is wired as the
    /// original: the firewalls that guard the original guard it too. A copy
    /// of the box holding the MySQL primary runs a replica instead (a
    /// design has one primary), so duplicating the database adds a replica.
    DuplicateNode {
        /// The node copied.
        from: String,
        /// The copy's id.
        to: String,
        /// The copy's centre, board units.
        x: f64,
        /// The copy's centre, board units.
        y: f64,
    },
}

/// Why an edit was not applied (the design is unchanged).
#[derive(Clone, Debug, PartialEq)]
pub enum EditError {
    /// No node with this id.
    UnknownNode(String),
    /// The edit needs a firewall.
    NotAFirewall(String),
    /// A rule index beyond the table.
    RuleIndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The table's length.
        len: usize,
    },
    /// The edited design does not validate: every problem, with its path.
    Invalid(Vec<Diagnostic>),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::UnknownNode(id) => write!(f, "unknown node `{id}`"),
            EditError::NotAFirewall(id) => write!(f, "`{id}` is not a firewall"),
            EditError::RuleIndexOutOfRange { index, len } => {
                write!(f, "rule {index} does not exist (the table has {len})")
            }
            EditError::Invalid(problems) => {
                let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
                write!(f, "invalid design: {}", all.join("; "))
            }
        }
    }
}

impl std::error::Error for EditError {}

impl Edit {
    /// The design with this edit made, validated.
    pub fn apply(&self, design: &Scenario) -> Result<Scenario, EditError> {
        apply_all(design, [self])
    }

    fn apply_unchecked(&self, s: &mut Scenario) -> Result<(), EditError> {
        match self {
            Edit::AddNode(node) => s.nodes.push(node.clone()),
            Edit::RemoveNode(id) => {
                let i = find(s, id)?;
                s.nodes.remove(i);
                for n in &mut s.nodes {
                    let mut guarded: Vec<String> =
                        n.guarded().filter(|g| g != id).map(str::to_string).collect();
                    if n.guards.is_some() {
                        n.guards = (!guarded.is_empty()).then(|| guarded.remove(0));
                        n.also_guards = guarded;
                    }
                    if let Some(rules) = &mut n.rules {
                        rules.retain(|r| r.source != SourceSpec::Node(id.clone()));
                    }
                }
            }
            Edit::RenameNode { from, to } => {
                let i = find(s, from)?;
                s.nodes[i].id = to.clone();
                for n in &mut s.nodes {
                    for g in n.guards.iter_mut().chain(n.also_guards.iter_mut()) {
                        if g == from {
                            *g = to.clone();
                        }
                    }
                    for r in n.rules.iter_mut().flatten() {
                        if r.source == SourceSpec::Node(from.clone()) {
                            r.source = SourceSpec::Node(to.clone());
                        }
                    }
                }
            }
            Edit::MoveNode { id, x, y } => {
                let i = find(s, id)?;
                s.nodes[i].x = *x;
                s.nodes[i].y = *y;
            }
            Edit::SetGuards { firewall, guards } => {
                let i = firewall_index(s, firewall)?;
                let mut rest = guards.clone();
                s.nodes[i].guards = (!rest.is_empty()).then(|| rest.remove(0));
                s.nodes[i].also_guards = rest;
            }
            Edit::SetCores { node, cores } => {
                let i = find(s, node)?;
                s.nodes[i].cores = *cores;
            }
            Edit::SetComponents { node, components } => {
                let i = find(s, node)?;
                s.nodes[i].components = components.clone();
            }
            Edit::SetAgent { node, on } => {
                let i = find(s, node)?;
                s.nodes[i].agent = *on;
            }
            Edit::SetLbPair(pair) => s.lb_pair = *pair,
            Edit::SetTlsMode(mode) => s.tls.mode = *mode,
            Edit::SetDatabaseTls(on) => s.database.tls = *on,
            Edit::SetFailover(mode) => s.database.failover = *mode,
            Edit::SetReadPolicy(policy) => s.database.read_policy = *policy,
            Edit::AddRule { firewall, index, rule } => {
                let i = firewall_index(s, firewall)?;
                let mut rules = rules_in_force(s, i);
                let at = index.unwrap_or(rules.len());
                if at > rules.len() {
                    return Err(EditError::RuleIndexOutOfRange { index: at, len: rules.len() });
                }
                rules.insert(at, rule.clone());
                s.nodes[i].rules = Some(rules);
            }
            Edit::RemoveRule { firewall, index } => {
                let i = firewall_index(s, firewall)?;
                let mut rules = rules_in_force(s, i);
                if *index >= rules.len() {
                    return Err(EditError::RuleIndexOutOfRange { index: *index, len: rules.len() });
                }
                rules.remove(*index);
                s.nodes[i].rules = Some(rules);
            }
            Edit::SetCount { node, count } => {
                let i = find(s, node)?;
                s.nodes[i].count = *count;
            }
            Edit::DuplicateNode { from, to, x, y } => {
                let i = find(s, from)?;
                let mut copy = s.nodes[i].clone();
                copy.id = to.clone();
                (copy.x, copy.y) = (*x, *y);
                for c in &mut copy.components {
                    if *c == Component::MysqlPrimary {
                        *c = Component::MysqlReplica;
                    }
                }
                for n in &mut s.nodes {
                    if n.guarded().any(|g| g == from) {
                        n.also_guards.push(to.clone());
                    }
                }
                s.nodes.push(copy);
            }
        }
        Ok(())
    }

    /// Whether the edit can change what a run does. Only a move cannot: the
    /// simulation never reads a drawing position, so a run may carry on
    /// over a moved design instead of starting again.
    pub fn changes_the_run(&self) -> bool {
        !matches!(self, Edit::MoveNode { .. })
    }
}

/// Applies edits in order as one step: the design is validated once, at
/// the end, so a change that passes through an invalid state (moving the
/// MySQL primary to a new box: add the box, then take the primary off the
/// old one) is possible. The first edit that cannot be made at all
/// (unknown node, bad index) stops and is returned.
pub fn apply_all<'a>(
    design: &Scenario,
    edits: impl IntoIterator<Item = &'a Edit>,
) -> Result<Scenario, EditError> {
    let s = draft(design, edits)?;
    let problems = s.validate();
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(EditError::Invalid(problems))
    }
}

/// The design the edits give, not validated: what a refused edit would
/// have made, so a tool can name the nodes its problems' paths point at
/// (`nodes[3]` is the draft's fourth node). Never run it.
pub fn draft<'a>(
    design: &Scenario,
    edits: impl IntoIterator<Item = &'a Edit>,
) -> Result<Scenario, EditError> {
    let mut s = design.clone();
    for edit in edits {
        edit.apply_unchecked(&mut s)?;
    }
    Ok(s)
}

fn find(s: &Scenario, id: &str) -> Result<usize, EditError> {
    s.index_of(id).ok_or_else(|| EditError::UnknownNode(id.to_string()))
}

fn firewall_index(s: &Scenario, id: &str) -> Result<usize, EditError> {
    let i = find(s, id)?;
    if s.nodes[i].kind == NodeKind::Firewall {
        Ok(i)
    } else {
        Err(EditError::NotAFirewall(id.to_string()))
    }
}

/// The firewall's table as it acts: its own rules, or the seeds' defaults
/// written out.
fn rules_in_force(s: &Scenario, fw: usize) -> Vec<RuleSpec> {
    match &s.nodes[fw].rules {
        Some(rules) => rules.clone(),
        None => default_rules(s, fw).iter().map(|r| r.to_spec(s)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Action, Protocol, Zone};
    use crate::{presets, Firewall, Verdict};

    fn default() -> Scenario {
        presets::default_scenario()
    }

    #[test]
    fn writing_out_the_default_table_changes_no_verdict() {
        let s = default();
        let fw = s.index_of("fw-1").unwrap();
        let before = Firewall::build(&s, fw);
        let rule = RuleSpec {
            action: Action::Deny,
            source: SourceSpec::Zone(Zone::Internet),
            port: Some(8080),
            protocol: Protocol::Tcp,
        };
        let edited =
            Edit::AddRule { firewall: "fw-1".into(), index: None, rule }.apply(&s).unwrap();
        let after = Firewall::build(&edited, fw);
        assert_eq!(after.rules.len(), before.rules.len() + 1);
        for port in [22, 80, 443, 3306, 8080] {
            let want = if port == 8080 {
                Verdict::DeniedByRule(before.rules.len())
            } else {
                before.check(0, Zone::Internet, port)
            };
            assert_eq!(after.check(0, Zone::Internet, port), want, "port {port}");
        }
    }

    #[test]
    fn an_edit_that_breaks_the_design_is_an_error_and_changes_nothing() {
        let s = default();
        let err = Edit::RemoveNode("lb".into()).apply(&s).unwrap_err();
        assert!(matches!(&err, EditError::Invalid(p) if !p.is_empty()), "{err}");
        assert_eq!(
            Edit::SetAgent { node: "nope".into(), on: true }.apply(&s),
            Err(EditError::UnknownNode("nope".into()))
        );
        assert_eq!(
            Edit::RemoveRule { firewall: "lb".into(), index: 0 }.apply(&s),
            Err(EditError::NotAFirewall("lb".into()))
        );
        assert!(matches!(
            Edit::RemoveRule { firewall: "fw-1".into(), index: 9 }.apply(&s),
            Err(EditError::RuleIndexOutOfRange { index: 9, len: 3 })
        ));
    }

    #[test]
    fn an_edit_reads_back_from_its_json() {
        let edits = [
            Edit::SetTlsMode(TlsMode::Reencrypt),
            Edit::SetAgent { node: "lb".into(), on: true },
            Edit::RemoveNode("fw-3".into()),
        ];
        let json = serde_json::to_string(&edits).unwrap();
        assert_eq!(
            json,
            r#"[{"set_tls_mode":"reencrypt"},{"set_agent":{"node":"lb","on":true}},{"remove_node":"fw-3"}]"#
        );
        assert_eq!(serde_json::from_str::<Vec<Edit>>(&json).unwrap(), edits);
    }

    #[test]
    fn rename_and_remove_follow_every_reference() {
        let s = default();
        let renamed =
            Edit::RenameNode { from: "server-2".into(), to: "web-2".into() }.apply(&s).unwrap();
        let fw3 = &renamed.nodes[renamed.index_of("fw-3").unwrap()];
        assert_eq!(fw3.guards.as_deref(), Some("web-2"));
        let s = presets::get("tiered-flow").unwrap();
        let removed = Edit::RemoveNode("app-1".into()).apply(&s).unwrap();
        let fw2 = &removed.nodes[removed.index_of("fw-2").unwrap()];
        assert_eq!(fw2.guards.as_deref(), Some("app-2"));
        assert!(fw2.also_guards.is_empty());
        let moved = apply_all(
            &s,
            &[
                Edit::MoveNode { id: "lb".into(), x: 10.0, y: 20.0 },
                Edit::SetCores { node: "lb".into(), cores: Some(2) },
            ],
        )
        .unwrap();
        let lb = &moved.nodes[moved.index_of("lb").unwrap()];
        assert_eq!((lb.x, lb.y, lb.cores), (10.0, 20.0, Some(2)));
    }
}
