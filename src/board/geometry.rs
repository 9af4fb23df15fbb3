//! Where things go on the board: zone regions and the links between nodes,
//! from the scenario's node positions and the sim's [`Topology`] (which
//! firewall stands in front of which box, which box holds which MySQL role).

use infraboard_sim::{Component, NodeKind, NodeSpec, Scenario, Topology, Zone};

/// Half the width of a zone's margin around its nodes, in board units.
const ZONE_PAD: f64 = 22.0;

/// What a drawn link carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// Requests (HTTP(S), MySQL).
    Traffic,
    /// The DNS lookup.
    Dns,
    /// Metrics and logs shipped by an agent.
    Agent,
    /// MySQL replication (binlog).
    Replication,
}

/// One line of the diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// Start point.
    pub a: (f64, f64),
    /// End point.
    pub b: (f64, f64),
    /// Node id at the start (for `data-link`).
    pub from_id: String,
    /// Node id at the end.
    pub to_id: String,
    /// What it carries.
    pub kind: LinkKind,
}

/// Zone regions as (zone, left x, width), spanning the board's height.
pub fn zones(scenario: &Scenario) -> Vec<(Zone, f64, f64)> {
    let mut out: Vec<(Zone, f64, f64)> = Vec::new();
    for zone in Zone::ALL {
        let xs: Vec<f64> = scenario.nodes.iter().filter(|n| n.zone == zone).map(|n| n.x).collect();
        if xs.is_empty() {
            continue;
        }
        let half = |x: &f64| {
            let w = scenario.nodes.iter().find(|n| n.x == *x).map_or(120.0, |n| node_size(n).0);
            w / 2.0 + ZONE_PAD
        };
        let left = xs.iter().map(|x| x - half(x)).fold(f64::INFINITY, f64::min).max(4.0);
        let right = xs.iter().map(|x| x + half(x)).fold(f64::NEG_INFINITY, f64::max).min(996.0);
        out.push((zone, left, (right - left).max(40.0)));
    }
    // A zone whose nodes all sit inside an earlier zone's columns (the
    // monitoring service under a wide scale-up design) gets no band of its
    // own: two bands cannot share the width.
    let mut kept: Vec<(Zone, f64, f64)> = Vec::new();
    for band in out {
        let centre = band.1 + band.2 / 2.0;
        if !kept.iter().any(|k| k.1 <= centre && centre <= k.1 + k.2) {
            kept.push(band);
        }
    }
    let mut out = kept;
    // Neighbouring regions must not overlap: split the difference.
    for i in 1..out.len() {
        let prev_right = out[i - 1].1 + out[i - 1].2;
        if prev_right > out[i].1 - 4.0 {
            let mid = (prev_right + out[i].1) / 2.0;
            out[i - 1].2 = (mid - 3.0 - out[i - 1].1).max(30.0);
            let right = out[i].1 + out[i].2;
            out[i].1 = mid + 3.0;
            out[i].2 = (right - out[i].1).max(30.0);
        }
    }
    out
}

/// Where a new piece of `zone` goes: on the grid, clear of every box, as
/// near as room allows to the zone's column (where its nodes stand, at
/// mid-height) or to `near` when given. A full board gives that point
/// anyway (the piece can be dragged).
pub fn free_spot(scenario: &Scenario, zone: Zone, near: Option<(f64, f64)>) -> (f64, f64) {
    let column = |z: Zone| {
        let xs = scenario.nodes.iter().filter(|n| n.zone == z).map(|n| n.x);
        let (sum, n) = xs.fold((0.0, 0.0), |(s, n), x| (s + x, n + 1.0));
        if n > 0.0 {
            sum / n
        } else {
            // An empty zone's column, left to right in board order.
            [80.0, 300.0, 620.0, 800.0, 930.0][Zone::ALL.iter().position(|&q| q == z).unwrap_or(0)]
        }
    };
    let (x0, y0) = near.unwrap_or((column(zone), 300.0));
    // Room for the largest box (a server, 176 × 134) and a margin for
    // names and links beside every box, wholly on the board.
    let clear = |x: f64, y: f64| {
        scenario.nodes.iter().all(|n| {
            let (w, h) = name_and_box(n);
            (n.x - x).abs() >= w / 2.0 + 100.0 || (n.y - y).abs() >= h / 2.0 + 80.0
        })
    };
    // The free grid point nearest the start, staying in its column first
    // (a step aside counts twice a step up or down).
    let mut best: Option<((f64, f64), f64)> = None;
    for gx in 0..=41 {
        for gy in 0..=23 {
            let (x, y) = (90.0 + 20.0 * f64::from(gx), 70.0 + 20.0 * f64::from(gy));
            let cost = 2.0 * (x - x0).abs() + (y - y0).abs();
            if best.is_none_or(|(_, c)| cost < c) && clear(x, y) {
                best = Some(((x, y), cost));
            }
        }
    }
    best.map_or_else(|| super::editing::snap(x0, y0), |(at, _)| at)
}

/// Width and height of what a node draws around its centre: its box, and
/// what stands above it, taken on both sides so the centre stays the box's:
/// a firewall's name over the narrow wall ("Firewall 2", about 100 units
/// wide, 26 high), a load balancer's certificate and VIP badges (22).
fn name_and_box(node: &NodeSpec) -> (f64, f64) {
    let (w, h) = node_size(node);
    match node.kind {
        NodeKind::Firewall => (w.max(100.0), h + 52.0),
        NodeKind::LoadBalancer => (w, h + 44.0),
        _ => (w, h),
    }
}

/// Width and height of a node's box, in board units.
pub fn node_size(node: &NodeSpec) -> (f64, f64) {
    match node.kind {
        NodeKind::Firewall => (24.0, 104.0),
        // A pool runs one part (Nginx or the app): narrower, so that split
        // tiers, four firewalls and a load-balancer pair fit in one row.
        NodeKind::Server if node.count.is_some_and(|c| c > 1) => (148.0, 134.0),
        NodeKind::Server => (176.0, 134.0),
        NodeKind::LoadBalancer => (176.0, 100.0),
        NodeKind::User => (124.0, 70.0),
        NodeKind::Dns => (124.0, 70.0),
        NodeKind::Monitoring => (136.0, 92.0),
    }
}

fn has(node: &NodeSpec, c: Component) -> bool {
    node.components.contains(&c)
}

fn is_web(node: &NodeSpec) -> bool {
    node.kind == NodeKind::Server && (has(node, Component::Nginx) || has(node, Component::App))
}

fn is_db_only(node: &NodeSpec) -> bool {
    node.kind == NodeKind::Server && !is_web(node)
}

/// Who talks to whom, as (from, to) node indices: the user → each load
/// balancer, each load balancer → its backends (the boxes running Nginx),
/// the Nginx-only boxes of split tiers → the app boxes, the boxes running
/// the app → the database-only boxes. The board's choice of what to draw,
/// from the topology's answers (the build-up draws these straight until the
/// firewalls stand).
pub(super) fn talks(topology: &Topology) -> Vec<(usize, usize)> {
    let nodes = &topology.scenario().nodes;
    let web = topology.web_servers();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for lb in topology.load_balancers() {
        pairs.extend(topology.user().map(|u| (u, lb)));
        pairs.extend(web.iter().map(|&w| (lb, w)));
    }
    for &w in web.iter().filter(|&&w| !has(&nodes[w], Component::App)) {
        pairs.extend(topology.app_servers().iter().map(|&a| (w, a)));
    }
    for db in (0..nodes.len()).filter(|&i| is_db_only(&nodes[i])) {
        pairs.extend(topology.app_hosts().map(|a| (a, db)));
    }
    pairs
}

/// Every link to draw: DNS, the request path through the firewalls
/// ([`talks`], with the first firewall the topology puts in front of each
/// far end), MySQL replication and the agents' lines to the monitoring
/// service.
pub fn links(topology: &Topology) -> Vec<Link> {
    let nodes = &topology.scenario().nodes;
    let mut out = Vec::new();
    let mut push = |a: &NodeSpec, b: &NodeSpec, kind| {
        out.push(Link {
            a: (a.x, a.y),
            b: (b.x, b.y),
            from_id: a.id.clone(),
            to_id: b.id.clone(),
            kind,
        })
    };
    if let Some(user) = topology.user() {
        for dns in (0..nodes.len()).filter(|&i| nodes[i].kind == NodeKind::Dns) {
            push(&nodes[user], &nodes[dns], LinkKind::Dns);
        }
    }
    let mut drawn_guard: Vec<(usize, usize)> = Vec::new();
    for (from, to) in talks(topology) {
        match topology.guards_of(to).next() {
            Some(fw) => {
                for (a, b) in [(from, fw), (fw, to)] {
                    if !drawn_guard.contains(&(a, b)) {
                        push(&nodes[a], &nodes[b], LinkKind::Traffic);
                        drawn_guard.push((a, b));
                    }
                }
            }
            None => push(&nodes[from], &nodes[to], LinkKind::Traffic),
        }
    }
    if let Some(primary) = topology.primary_host() {
        for replica in topology.replica_hosts() {
            push(&nodes[primary], &nodes[replica], LinkKind::Replication);
        }
    }
    if let Some(mon) = topology.monitoring() {
        for n in nodes.iter().filter(|n| n.agent) {
            push(n, &nodes[mon], LinkKind::Agent);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::{presets, Leg, TlsMode};

    #[test]
    fn a_new_piece_lands_clear_of_every_box_in_its_zone() {
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            for zone in Zone::ALL {
                let (x, y) = free_spot(&s, zone, None);
                assert!((0.0..=1000.0).contains(&x) && (0.0..=600.0).contains(&y));
                let hit = s.nodes.iter().find(|n| {
                    let (w, h) = node_size(n);
                    (n.x - x).abs() < w / 2.0 && (n.y - y).abs() < h / 2.0
                });
                // A crowded preset may have no room left; the default must.
                if name == presets::DEFAULT {
                    assert!(
                        hit.is_none(),
                        "{zone:?} at ({x}, {y}) lands on {:?}",
                        hit.map(|n| &n.id)
                    );
                }
            }
        }
    }

    #[test]
    fn a_new_piece_keeps_clear_of_a_firewalls_name() {
        // On the default board, which has room for every zone's piece.
        let s = presets::default_scenario();
        for zone in Zone::ALL {
            let (x, y) = free_spot(&s, zone, None);
            // The largest new box, a server.
            let (hw, hh) = (88.0, 67.0);
            let over_a_name = s.nodes.iter().filter(|n| n.kind == NodeKind::Firewall).find(|n| {
                let (_, h) = node_size(n);
                let (top, bottom) = (n.y - h / 2.0 - 26.0, n.y - h / 2.0);
                (n.x - x).abs() < 50.0 + hw && y - hh < bottom && y + hh > top
            });
            assert!(
                over_a_name.is_none(),
                "{zone:?} at ({x}, {y}) covers {:?}'s name",
                over_a_name.map(|n| &n.id)
            );
        }
    }

    #[test]
    fn every_firewall_stands_on_a_drawn_link() {
        let s = presets::default_scenario();
        let l = links(&Topology::of(&s));
        for fw in s.nodes.iter().filter(|n| n.kind == NodeKind::Firewall) {
            assert!(l.iter().any(|l| l.to_id == fw.id), "{} has a link in", fw.id);
            assert!(l.iter().any(|l| l.from_id == fw.id), "{} has a link out", fw.id);
        }
    }

    /// Each stretch of a request's way from one box to the next, with the
    /// firewalls it crosses, through each load balancer, each backend, its
    /// app box and each MySQL host; a query from one full-stack server to
    /// another's MySQL is not drawn (the replication line joins them).
    fn stretches(t: &Topology) -> Vec<(usize, Vec<usize>, usize)> {
        let nodes = &t.scenario().nodes;
        let mut out = Vec::new();
        for lb in t.load_balancers() {
            for &web in t.web_servers() {
                let apps = if t.app_hosts().any(|a| a == web) {
                    vec![web]
                } else {
                    t.app_servers().to_vec()
                };
                for (&app, db) in apps.iter().flat_map(|a| t.mysql_hosts().map(move |d| (a, d))) {
                    let drawn_leg =
                        |l: Leg| l != Leg::Lookup && (l != Leg::Database || is_db_only(&nodes[db]));
                    let path = t.request_path_via(lb, web, app, db, TlsMode::Terminate);
                    let mut from: Option<(usize, Vec<usize>)> = None;
                    for h in path.into_iter().filter(|h| drawn_leg(h.leg) && h.from != h.to) {
                        let (start, mut walls) = from.take().unwrap_or((h.from, Vec::new()));
                        if t.kind(h.to) == Some(NodeKind::Firewall) {
                            walls.push(h.to);
                            from = Some((start, walls));
                        } else {
                            let stretch = (start, walls, h.to);
                            if !out.contains(&stretch) {
                                out.push(stretch);
                            }
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn the_board_joins_each_box_to_the_next_on_a_requests_way_and_nothing_else() {
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            let t = Topology::of(&s);
            let id = |i: usize| s.nodes[i].id.clone();
            let drawn: Vec<(String, String)> = links(&t)
                .into_iter()
                .filter(|l| l.kind == LinkKind::Traffic)
                .map(|l| (l.from_id, l.to_id))
                .collect();
            let has = |a: usize, b: usize| drawn.contains(&(id(a), id(b)));
            let stretches = stretches(&t);
            for (a, walls, b) in &stretches {
                let joined = if walls.is_empty() {
                    has(*a, *b)
                } else {
                    walls.iter().any(|&f| has(*a, f) && has(f, *b))
                };
                assert!(joined, "{name}: {} → {} is on a request's way, not drawn", id(*a), id(*b));
            }
            for (x, y) in &drawn {
                let on_way = stretches.iter().any(|(a, walls, b)| {
                    let (a, b) = (id(*a), id(*b));
                    (x == &a && y == &b)
                        || walls
                            .iter()
                            .any(|&f| (x == &a && y == &id(f)) || (x == &id(f) && y == &b))
                });
                assert!(on_way, "{name}: {x} → {y} is drawn, no request goes that way");
            }
        }
    }

    #[test]
    fn zones_do_not_overlap() {
        for name in presets::names() {
            let z = zones(&presets::get(name).unwrap());
            for w in z.windows(2) {
                assert!(w[0].1 + w[0].2 <= w[1].1, "{name}: {:?} overlaps {:?}", w[0].0, w[1].0);
            }
        }
    }
}
