//! Drawing from memory, checked: a drawn design against the layout it was
//! meant to be, by what each piece is and how it is wired, never by where
//! it is drawn or what it is called. Two servers running the same parts
//! behind the same kind of firewall are the same piece whichever is
//! "server-1".

use crate::scenario::{Component, NodeKind, NodeSpec, PairMode, Scenario};

/// What a piece is for: its kind, and for a box what it runs (in the
/// model's order) and how many boxes it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// User, DNS, firewall, load balancer, server or monitoring service.
    pub kind: NodeKind,
    /// What a server box runs (empty for the other kinds).
    pub components: Vec<Component>,
    /// Boxes it stands for (a pool's N; 1 for anything else).
    pub boxes: usize,
}

/// One piece as the comparison sees it: its role, the roles of what it
/// stands in front of (a firewall), and its monitoring agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// What it is.
    pub role: Role,
    /// What a firewall guards, by role (in the design's order).
    pub guards: Vec<Role>,
    /// Whether a monitoring agent runs on it.
    pub agent: bool,
}

/// How a drawing differs from its layout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Pieces of the layout the drawing lacks (or has wired otherwise).
    pub missing: Vec<Shape>,
    /// Pieces of the drawing the layout does not have (or has wired otherwise).
    pub extra: Vec<Shape>,
    /// How the load balancers work together, when that differs:
    /// (the layout's, the drawing's).
    pub pair: Option<(Option<PairMode>, Option<PairMode>)>,
}

impl Comparison {
    /// Whether the drawing is the layout.
    pub fn matches(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.pair.is_none()
    }
}

fn role(node: &NodeSpec) -> Role {
    let order =
        [Component::Nginx, Component::App, Component::MysqlPrimary, Component::MysqlReplica];
    let components = order.into_iter().filter(|c| node.components.contains(c)).collect();
    Role { kind: node.kind, components, boxes: node.boxes() }
}

fn shapes(design: &Scenario) -> Vec<Shape> {
    design
        .nodes
        .iter()
        .map(|n| Shape {
            role: role(n),
            guards: n
                .guarded()
                .filter_map(|id| design.index_of(id))
                .map(|i| role(&design.nodes[i]))
                .collect(),
            agent: n.agent,
        })
        .collect()
}

/// Compares `drawn` with `layout`: every piece of one matched with an equal
/// piece of the other, what is left over on each side, and the load
/// balancers' mode. Any order, any names, any positions.
pub fn compare(drawn: &Scenario, layout: &Scenario) -> Comparison {
    let mut extra = shapes(drawn);
    let mut missing = Vec::new();
    for piece in shapes(layout) {
        match extra.iter().position(|d| *d == piece) {
            Some(i) => {
                extra.remove(i);
            }
            None => missing.push(piece),
        }
    }
    let modes = (layout.lb_pair.map(|p| p.mode), drawn.lb_pair.map(|p| p.mode));
    Comparison { missing, extra, pair: (modes.0 != modes.1).then_some(modes) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    #[test]
    fn a_layout_matches_itself_reordered_moved_and_renamed() {
        let layout = presets::default_scenario();
        let mut drawn = layout.clone();
        drawn.nodes.reverse();
        let renamed = |id: &str| format!("{id}-mine");
        for n in drawn.nodes.iter_mut() {
            n.id = renamed(&n.id);
            n.guards = n.guards.as_deref().map(renamed);
            n.y = 600.0 - n.y;
        }
        assert!(compare(&drawn, &layout).matches(), "{:?}", compare(&drawn, &layout));
    }

    #[test]
    fn a_missing_agent_and_an_extra_server_are_named() {
        let layout = presets::default_scenario();
        let mut drawn = layout.clone();
        let lb = drawn.index_of("lb").unwrap();
        drawn.nodes[lb].agent = false;
        let mut spare = drawn.nodes[drawn.index_of("server-2").unwrap()].clone();
        spare.id = "server-9".into();
        drawn.nodes.push(spare);
        let c = compare(&drawn, &layout);
        assert_eq!(c.missing.len(), 1, "{c:?}");
        assert_eq!((c.missing[0].role.kind, c.missing[0].agent), (NodeKind::LoadBalancer, true));
        assert_eq!(c.extra.len(), 2, "the agentless LB and the spare server: {c:?}");
        assert!(c.extra.iter().any(|s| s.role.kind == NodeKind::Server));
        assert!(!c.matches());
    }

    #[test]
    fn a_firewall_in_front_of_the_wrong_box_is_a_wiring_difference() {
        let layout = presets::default_scenario();
        let mut drawn = layout.clone();
        let fw = drawn.index_of("fw-2").unwrap();
        drawn.nodes[fw].guards = Some("server-2".into());
        let c = compare(&drawn, &layout);
        let firewall =
            |s: &Vec<Shape>| s.iter().filter(|x| x.role.kind == NodeKind::Firewall).count();
        assert_eq!((firewall(&c.missing), firewall(&c.extra)), (1, 1), "{c:?}");
    }

    #[test]
    fn the_load_balancers_mode_counts() {
        let layout = presets::get("lb-pair-active-passive").unwrap();
        let mut drawn = layout.clone();
        drawn.lb_pair = Some(crate::scenario::LbPairSpec {
            mode: PairMode::ActiveActive,
            ..drawn.lb_pair.unwrap()
        });
        let c = compare(&drawn, &layout);
        assert_eq!(c.pair, Some((Some(PairMode::ActivePassive), Some(PairMode::ActiveActive))));
    }
}
