//! Components sharing one box: the web tier with MySQL, or a MySQL primary
//! with its own replica. They compete for the box's cores and die together.
//! The fix splits the tiers: MySQL moves to a box of its own, behind the
//! same firewalls.

use super::redundancy::outage;
use super::{new_node, Design, Finding, FindingKind, Severity};
use crate::design::Edit;
use crate::scenario::{Component, NodeKind, Zone};

pub(super) fn check(d: &Design, out: &mut Vec<Finding>) {
    let mut added: Vec<String> = Vec::new();
    for b in d.servers() {
        let n = &d.s.nodes[b];
        let has = |c| n.components.contains(&c);
        let web = has(Component::Nginx);
        let (primary, replica) = (has(Component::MysqlPrimary), has(Component::MysqlReplica));
        // What leaves the box: the MySQL of a web box, the replica of a
        // primary's box.
        let moved: Vec<Component> = if web && (primary || replica) {
            n.components.iter().copied().filter(|c| is_mysql(*c)).collect()
        } else if primary && replica {
            vec![Component::MysqlReplica]
        } else {
            continue;
        };
        let id = d.fresh_id(&format!("{}-db", n.id), &added);
        added.push(id.clone());
        let mut node = new_node(id.clone(), NodeKind::Server, Zone::Data, n.x + 140.0, n.y);
        node.components = moved.clone();
        node.agent = n.agent;
        let kept = n.components.iter().copied().filter(|c| !moved.contains(c)).collect();
        let mut fix =
            vec![Edit::AddNode(node), Edit::SetComponents { node: n.id.clone(), components: kept }];
        for f in d.topo.guards_of(b) {
            let mut guards: Vec<String> = d.s.nodes[f].guarded().map(str::to_string).collect();
            guards.push(id.clone());
            fix.push(Edit::SetGuards { firewall: d.id(f), guards });
        }
        out.push(Finding {
            kind: FindingKind::SharedBox,
            severity: Severity::Medium,
            nodes: vec![b],
            links: Vec::new(),
            rule: None,
            show_me: outage(&n.id, 20),
            fix,
        });
    }
}

fn is_mysql(c: Component) -> bool {
    matches!(c, Component::MysqlPrimary | Component::MysqlReplica)
}
