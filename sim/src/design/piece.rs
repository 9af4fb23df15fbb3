//! [`Piece`]: what an editor's palette can add to a design, and the
//! [`Edit`]s that add one (a fresh id, and whatever else the model needs
//! for it to run: a second load balancer makes the pair).

use super::Edit;
use crate::scenario::{Component, LbPairSpec, NodeKind, NodeSpec, PairMode, Scenario, Zone};

/// A piece of the whiteboard as a palette offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A packet filter in front of a node.
    Firewall,
    /// HAProxy; a second one makes an active-passive pair, a third or more
    /// an active-active group behind DNS.
    LoadBalancer,
    /// A box running Nginx and the application.
    WebServer,
    /// A box running Nginx alone, in front of application boxes (split tiers).
    WebOnly,
    /// A box running the application alone, behind Nginx boxes.
    AppOnly,
    /// A box running the MySQL primary.
    DbPrimary,
    /// A box running a MySQL replica.
    DbReplica,
    /// The monitoring service the agents ship to.
    Monitoring,
    /// The DNS resolvers.
    Dns,
    /// The Internet's users.
    User,
}

impl Piece {
    /// Every piece, in palette order.
    pub const ALL: [Piece; 10] = [
        Piece::Firewall,
        Piece::LoadBalancer,
        Piece::WebServer,
        Piece::WebOnly,
        Piece::AppOnly,
        Piece::DbPrimary,
        Piece::DbReplica,
        Piece::Monitoring,
        Piece::Dns,
        Piece::User,
    ];

    /// Machine name (`firewall`, `web-server` …), also the app's text key.
    pub fn as_str(self) -> &'static str {
        match self {
            Piece::Firewall => "firewall",
            Piece::LoadBalancer => "load-balancer",
            Piece::WebServer => "web-server",
            Piece::WebOnly => "web-only",
            Piece::AppOnly => "app-only",
            Piece::DbPrimary => "db-primary",
            Piece::DbReplica => "db-replica",
            Piece::Monitoring => "monitoring",
            Piece::Dns => "dns",
            Piece::User => "user",
        }
    }

    /// The zone the piece stands in.
    pub fn zone(self) -> Zone {
        match self {
            Piece::Firewall | Piece::LoadBalancer => Zone::Edge,
            Piece::WebServer | Piece::WebOnly | Piece::AppOnly => Zone::App,
            Piece::DbPrimary | Piece::DbReplica => Zone::Data,
            Piece::Monitoring => Zone::Ops,
            Piece::Dns | Piece::User => Zone::Internet,
        }
    }

    fn kind(self) -> NodeKind {
        match self {
            Piece::Firewall => NodeKind::Firewall,
            Piece::LoadBalancer => NodeKind::LoadBalancer,
            Piece::Monitoring => NodeKind::Monitoring,
            Piece::Dns => NodeKind::Dns,
            Piece::User => NodeKind::User,
            _ => NodeKind::Server,
        }
    }

    fn components(self) -> Vec<Component> {
        match self {
            Piece::WebServer => vec![Component::Nginx, Component::App],
            Piece::WebOnly => vec![Component::Nginx],
            Piece::AppOnly => vec![Component::App],
            Piece::DbPrimary => vec![Component::MysqlPrimary],
            Piece::DbReplica => vec![Component::MysqlReplica],
            _ => Vec::new(),
        }
    }

    /// The id a new piece of this kind is given: its base and the first
    /// number not taken (`server-3`), so the board numbers it.
    fn base(self) -> &'static str {
        match self {
            Piece::Firewall => "fw",
            Piece::LoadBalancer => "lb",
            Piece::WebServer => "server",
            Piece::WebOnly => "web",
            Piece::AppOnly => "app",
            Piece::DbPrimary | Piece::DbReplica => "db",
            Piece::Monitoring => "monitoring",
            Piece::Dns => "dns",
            Piece::User => "user",
        }
    }

    /// The edits that add this piece at `(x, y)`. A firewall stands in front
    /// of `guarding` (without one the design will say a firewall needs
    /// something to guard). A load balancer joining a single one makes an
    /// active-passive pair; joining a pair, an active-active group.
    pub fn add(self, design: &Scenario, x: f64, y: f64, guarding: Option<&str>) -> Vec<Edit> {
        let id = fresh_id(design, self.base());
        let node = NodeSpec {
            id,
            kind: self.kind(),
            zone: self.zone(),
            x,
            y,
            components: self.components(),
            agent: false,
            guards: (self == Piece::Firewall).then(|| guarding.map(str::to_string)).flatten(),
            also_guards: Vec::new(),
            rules: None,
            cores: None,
            count: None,
        };
        let mut edits = vec![Edit::AddNode(node)];
        if self == Piece::LoadBalancer {
            let lbs = design.nodes.iter().filter(|n| n.kind == NodeKind::LoadBalancer).count();
            let mode = if lbs == 0 { None } else { Some(PairMode::ActivePassive) };
            let mode = if lbs >= 2 { Some(PairMode::ActiveActive) } else { mode };
            if mode != design.lb_pair.map(|p| p.mode) {
                edits.push(Edit::SetLbPair(with_mode(design, mode)));
            }
        }
        edits
    }
}

/// The design's load-balancer pair in `mode` (`None`: no pair), keeping
/// the settings of the pair it has (VRRP timers, preemption).
pub fn with_mode(design: &Scenario, mode: Option<PairMode>) -> Option<LbPairSpec> {
    mode.map(|mode| LbPairSpec { mode, ..design.lb_pair.unwrap_or_default() })
}

/// An id not used in `design`: `base-1`, `base-2` … the first free one
/// (numbered, so the board names the node "Server 3"). A base that names
/// something unique (`monitoring`, `dns`, `user`) is tried bare first.
pub fn fresh_id(design: &Scenario, base: &str) -> String {
    let unique = matches!(base, "monitoring" | "dns" | "user");
    if unique && design.index_of(base).is_none() {
        return base.to_string();
    }
    (1..)
        .map(|k| format!("{base}-{k}"))
        .find(|id| design.index_of(id).is_none())
        .unwrap_or_default()
}

/// Whether two designs run the same: equal but for where their nodes are
/// drawn. A run can carry on from one to the other.
pub fn same_but_layout(a: &Scenario, b: &Scenario) -> bool {
    a.nodes.len() == b.nodes.len() && {
        let mut moved = b.clone();
        for (m, n) in moved.nodes.iter_mut().zip(&a.nodes) {
            (m.x, m.y) = (n.x, n.y);
        }
        moved == *a
    }
}
