//! "Draw from memory": the pieces a learner places on an empty board and
//! the comparison with a preset's topology. The answer key is read from the
//! scenario (who runs what, which boxes carry an agent) and the sim's
//! `Topology` (which firewall guards which box, where the browser's TLS
//! ends and so the certificate lives), never from a list written here, so
//! every layout, built in or imported, can be drawn.
//!
//! Plain Rust, unit-tested natively.

use infraboard_sim::{Component, NodeKind, Scenario, Topology};

/// Something the learner can put on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Piece {
    /// The DNS holding the `www` record.
    Dns,
    /// A firewall in front of the place it is put on.
    Firewall,
    /// HAProxy.
    LoadBalancer,
    /// The SSL certificate for www.foobar.com.
    Certificate,
    /// The web server.
    Nginx,
    /// The application server.
    App,
    /// MySQL accepting writes.
    MysqlPrimary,
    /// MySQL replica.
    MysqlReplica,
    /// A monitoring agent on the box.
    Agent,
    /// The central monitoring service.
    MonitoringService,
}

impl Piece {
    /// Every piece, in palette order.
    pub const ALL: [Piece; 10] = [
        Piece::Dns,
        Piece::Firewall,
        Piece::LoadBalancer,
        Piece::Certificate,
        Piece::Nginx,
        Piece::App,
        Piece::MysqlPrimary,
        Piece::MysqlReplica,
        Piece::Agent,
        Piece::MonitoringService,
    ];

    /// Stable name for test ids.
    pub fn slug(self) -> &'static str {
        match self {
            Piece::Dns => "dns",
            Piece::Firewall => "firewall",
            Piece::LoadBalancer => "lb",
            Piece::Certificate => "certificate",
            Piece::Nginx => "nginx",
            Piece::App => "app",
            Piece::MysqlPrimary => "mysql-primary",
            Piece::MysqlReplica => "mysql-replica",
            Piece::Agent => "agent",
            Piece::MonitoringService => "monitoring",
        }
    }

    fn of(c: Component) -> Piece {
        match c {
            Component::Nginx => Piece::Nginx,
            Component::App => Piece::App,
            Component::MysqlPrimary => Piece::MysqlPrimary,
            Component::MysqlReplica => Piece::MysqlReplica,
        }
    }
}

/// Where a piece goes: the Internet side, the edge (where the load
/// balancer stands), one of the server boxes, or operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// The Internet: the user and the DNS.
    Internet,
    /// The edge: the load balancer's box.
    Edge,
    /// Server box number `n` (from 1, in the scenario's node order).
    Server(u8),
    /// Off to the side: the monitoring service.
    Ops,
}

/// Server boxes the empty board always offers, so their number gives
/// nothing away.
pub const MIN_SERVER_PLACES: usize = 4;

impl Place {
    /// Stable name for test ids.
    pub fn slug(self) -> String {
        match self {
            Place::Internet => "internet".into(),
            Place::Edge => "edge".into(),
            Place::Server(n) => format!("server-{n}"),
            Place::Ops => "ops".into(),
        }
    }
}

/// The places the empty board offers for layout `s`.
pub fn places(s: &Scenario) -> Vec<Place> {
    let servers = server_boxes(s).len().max(MIN_SERVER_PLACES);
    let mut out = vec![Place::Internet, Place::Edge];
    out.extend((1..=servers).map(|n| Place::Server(n as u8)));
    out.push(Place::Ops);
    out
}

fn server_boxes(s: &Scenario) -> Vec<usize> {
    (0..s.nodes.len()).filter(|&i| s.nodes[i].kind == NodeKind::Server).collect()
}

/// The place a node of `s` is drawn at, if it is one the board offers.
fn place_of(s: &Scenario, node: usize) -> Option<Place> {
    match s.nodes[node].kind {
        NodeKind::User => None,
        NodeKind::Dns => Some(Place::Internet),
        NodeKind::LoadBalancer => Some(Place::Edge),
        NodeKind::Monitoring => Some(Place::Ops),
        NodeKind::Server => {
            let n = server_boxes(s).iter().position(|&i| i == node)?;
            Some(Place::Server(n as u8 + 1))
        }
        NodeKind::Firewall => None,
    }
}

/// The answer key: every piece with its place, read from the scenario and
/// the sim's topology. A firewall counts once in front of every box it
/// guards; the certificate is wherever the browser's TLS session ends.
pub fn expected(s: &Scenario) -> Vec<(Piece, Place)> {
    let topology = Topology::of(s);
    let mode = s.tls.mode;
    let mut out = Vec::new();
    for (i, node) in s.nodes.iter().enumerate() {
        let Some(place) = place_of(s, i) else {
            if node.kind == NodeKind::Firewall {
                let guarded = topology.guarded_by(i).filter_map(|g| place_of(s, g));
                out.extend(guarded.map(|p| (Piece::Firewall, p)));
            }
            continue;
        };
        match node.kind {
            NodeKind::Dns => out.push((Piece::Dns, place)),
            NodeKind::Monitoring => out.push((Piece::MonitoringService, place)),
            NodeKind::LoadBalancer => out.push((Piece::LoadBalancer, place)),
            NodeKind::Server => out.extend(node.components.iter().map(|&c| (Piece::of(c), place))),
            _ => {}
        }
        if topology.ends_browser_tls(i, mode) {
            out.push((Piece::Certificate, place));
        }
        if node.agent {
            out.push((Piece::Agent, place));
        }
    }
    crate::small_sort::sort(&mut out);
    out
}

/// One difference between the drawing and the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finding {
    /// `piece` belongs on `place` and is not there.
    Missing(Piece, Place),
    /// `piece` is on `place` but the layout has none there.
    Extra(Piece, Place),
    /// `piece` was put on `found` but belongs on `expected`.
    Misplaced {
        /// What.
        piece: Piece,
        /// Where the learner put it.
        found: Place,
        /// Where it belongs.
        expected: Place,
    },
    /// `place` runs `guarded` (MySQL first, else the web server) and has
    /// no firewall in front of it.
    Unguarded {
        /// The box.
        place: Place,
        /// The most sensitive piece it runs.
        guarded: Piece,
    },
}

/// The result of "check".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Differences, by place then piece.
    pub findings: Vec<Finding>,
    /// Pieces in the right place.
    pub right: usize,
    /// Pieces the layout has.
    pub expected: usize,
    /// Score, percent: right pieces over expected plus extra ones.
    pub score: u8,
}

/// Compares the learner's pieces with the answer key.
pub fn compare(expected: &[(Piece, Place)], placed: &[(Piece, Place)]) -> Check {
    let mut missing: Vec<(Piece, Place)> = expected.to_vec();
    let mut extra = Vec::new();
    for &p in placed {
        match missing.iter().position(|&e| e == p) {
            Some(i) => {
                missing.remove(i);
            }
            None => extra.push(p),
        }
    }
    let right = expected.len() - missing.len();
    let wrong_extra = extra.len();
    let mut findings = Vec::new();
    // A piece that is extra in one place and missing in another was put in
    // the wrong place: say so once rather than twice. Not for firewalls: one
    // guards the box it stands in front of, so elsewhere it replaces nothing.
    extra.retain(|&(piece, found)| {
        if piece == Piece::Firewall {
            return true;
        }
        match missing.iter().position(|&(p, _)| p == piece) {
            Some(i) => {
                let (_, expected) = missing.remove(i);
                findings.push(Finding::Misplaced { piece, found, expected });
                false
            }
            None => true,
        }
    });
    for (piece, place) in missing {
        // A missing firewall is told by what it should protect.
        let guarded = if piece == Piece::Firewall {
            [Piece::MysqlPrimary, Piece::MysqlReplica, Piece::Nginx, Piece::App]
                .into_iter()
                .find(|g| expected.contains(&(*g, place)))
        } else {
            None
        };
        findings.push(match guarded {
            Some(guarded) => Finding::Unguarded { place, guarded },
            None => Finding::Missing(piece, place),
        });
    }
    findings.extend(extra.into_iter().map(|(piece, place)| Finding::Extra(piece, place)));
    crate::small_sort::sort_by_key(&mut findings, |f| match *f {
        Finding::Missing(piece, place) | Finding::Extra(piece, place) => (place, piece),
        Finding::Misplaced { piece, expected, .. } => (expected, piece),
        Finding::Unguarded { place, .. } => (place, Piece::Firewall),
    });
    let denominator = expected.len() + wrong_extra;
    // Nothing to draw and nothing drawn is a perfect score.
    let score = (right * 100 + denominator / 2).checked_div(denominator).map_or(100, |p| p as u8);
    Check { findings, right, expected: expected.len(), score }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::{presets, TlsMode};

    #[test]
    fn the_key_of_the_default_layout_reads_like_its_board() {
        let s = presets::default_scenario();
        let key = expected(&s);
        use Piece::*;
        use Place::*;
        for item in [
            (Dns, Internet),
            (Firewall, Edge),
            (LoadBalancer, Edge),
            (Certificate, Edge),
            (Agent, Edge),
            (MysqlPrimary, Server(1)),
            (MysqlReplica, Server(2)),
            (Firewall, Server(2)),
            (Agent, Server(2)),
            (MonitoringService, Ops),
        ] {
            assert!(key.contains(&item), "{item:?} in {key:?}");
        }
        assert_eq!(key.iter().filter(|(p, _)| *p == Firewall).count(), 3);
        assert_eq!(places(&s).len(), 2 + MIN_SERVER_PLACES + 1);
        assert_eq!(compare(&key, &key).score, 100);
        assert!(compare(&key, &key).findings.is_empty());
    }

    #[test]
    fn every_preset_has_a_key_that_fits_its_board() {
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            let key = expected(&s);
            let offered = places(&s);
            assert!(key.iter().all(|(_, p)| offered.contains(p)), "{name}");
            assert!(key.iter().any(|(p, _)| *p == Piece::MysqlPrimary), "{name}");
        }
        // A tier firewall counts in front of every box it guards.
        let s = presets::get("three-web-three-firewalls").unwrap();
        let fws = expected(&s).iter().filter(|(p, _)| *p == Piece::Firewall).count();
        assert_eq!(fws, 5, "FW1 + FW2 in front of three servers + FW3");
        // Passthrough moves the certificate to the web servers.
        let mut s = presets::default_scenario();
        s.tls.mode = TlsMode::Passthrough;
        let certs: Vec<Place> = expected(&s)
            .into_iter()
            .filter(|(p, _)| *p == Piece::Certificate)
            .map(|(_, p)| p)
            .collect();
        assert_eq!(certs, [Place::Server(1), Place::Server(2)]);
    }

    #[test]
    fn check_names_what_is_missing_extra_misplaced_or_unguarded() {
        let s = presets::default_scenario();
        let key = expected(&s);
        let mut drawing = key.clone();
        // No firewall in front of Server 2, no agent on Server 2, the
        // replica drawn on Server 1, and a stray firewall in operations.
        let drop = |d: &mut Vec<(Piece, Place)>, item| {
            let i = d.iter().position(|x| *x == item).unwrap();
            d.remove(i);
        };
        drop(&mut drawing, (Piece::Firewall, Place::Server(2)));
        drop(&mut drawing, (Piece::Agent, Place::Server(2)));
        drop(&mut drawing, (Piece::MysqlReplica, Place::Server(2)));
        drawing.push((Piece::MysqlReplica, Place::Server(1)));
        drawing.push((Piece::Firewall, Place::Ops));
        let check = compare(&key, &drawing);
        assert!(check.findings.contains(&Finding::Unguarded {
            place: Place::Server(2),
            guarded: Piece::MysqlReplica
        }));
        assert!(check.findings.contains(&Finding::Missing(Piece::Agent, Place::Server(2))));
        assert!(check.findings.contains(&Finding::Misplaced {
            piece: Piece::MysqlReplica,
            found: Place::Server(1),
            expected: Place::Server(2)
        }));
        // The stray firewall is not counted as the missing one: it would
        // guard nothing in operations.
        assert_eq!(check.findings.len(), 4, "{:?}", check.findings);
        assert_eq!(check.right, key.len() - 3);
        assert!(check.score < 100 && check.score > 50, "{}", check.score);
        let empty = compare(&key, &[]);
        assert_eq!(empty.score, 0);
        assert_eq!(empty.findings.len(), key.len());
    }
}
