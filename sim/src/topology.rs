//! The immutable part of a scenario, resolved to indices once: node kinds
//! and zones, which nodes are boxes with CPUs, and for every pair of nodes
//! the firewalls a packet crosses (in order). Shared between snapshots
//! through an `Arc`, so cloning a simulation does not copy it.

use crate::firewall::Firewall;
use crate::scenario::{Component, NodeKind, Scenario, Zone};

/// Resolved topology.
#[derive(Debug)]
pub(crate) struct Topology {
    /// The scenario itself (ids, positions, settings).
    pub scenario: Scenario,
    /// Kind of each node.
    pub kinds: Vec<NodeKind>,
    /// Zone of each node.
    pub zones: Vec<Zone>,
    /// The user node (first one).
    pub user: usize,
    /// The DNS node, if any.
    pub dns: Option<usize>,
    /// The load balancer.
    pub lb: usize,
    /// The monitoring service, if any.
    pub monitoring: Option<usize>,
    /// Nodes with CPUs (load balancer and servers), in node order.
    pub boxes: Vec<usize>,
    /// `box_slot[node]` = its index in `boxes`.
    pub box_slot: Vec<Option<usize>>,
    /// Firewall nodes in node order (index = firewall slot).
    pub firewall_nodes: Vec<usize>,
    /// `crossings[from * n + to]` = firewall slots crossed, in order.
    crossings: Vec<Vec<u8>>,
    /// Servers running Nginx + app (load balancer backends), node indices.
    pub web_servers: Vec<usize>,
    /// MySQL processes: `(node, is_primary)` in node order (a box may run
    /// two).
    pub mysql: Vec<(usize, bool)>,
    /// One LAN link, nanoseconds (converted once: every request uses it).
    pub lan_ns: u64,
    /// The Internet leg, nanoseconds.
    pub internet_ns: u64,
}

impl Topology {
    /// Resolves a *valid* scenario.
    pub(crate) fn new(s: &Scenario) -> Topology {
        let n = s.nodes.len();
        let kinds: Vec<_> = s.nodes.iter().map(|x| x.kind).collect();
        let zones: Vec<_> = s.nodes.iter().map(|x| x.zone).collect();
        let first = |k: NodeKind| kinds.iter().position(|&x| x == k);
        let lb = first(NodeKind::LoadBalancer).unwrap_or(0);
        let boxes: Vec<usize> = (0..n)
            .filter(|&i| matches!(kinds[i], NodeKind::Server | NodeKind::LoadBalancer))
            .collect();
        let mut box_slot = vec![None; n];
        for (slot, &b) in boxes.iter().enumerate() {
            box_slot[b] = Some(slot);
        }
        let firewall_nodes: Vec<usize> =
            (0..n).filter(|&i| kinds[i] == NodeKind::Firewall).collect();
        let fws: Vec<Firewall> = firewall_nodes.iter().map(|&f| Firewall::build(s, f)).collect();
        let perimeter: Vec<usize> = (0..fws.len()).filter(|&k| fws[k].guards(lb)).collect();
        let mut crossings = vec![Vec::new(); n * n];
        for from in 0..n {
            for to in 0..n {
                let mut list: Vec<u8> = Vec::new();
                if zones[from] == Zone::Internet && zones[to] != Zone::Internet {
                    list.extend(perimeter.iter().map(|&k| k as u8));
                }
                for (k, fw) in fws.iter().enumerate() {
                    if fw.guards(to) && !fw.guards(from) && !list.contains(&(k as u8)) {
                        list.push(k as u8);
                    }
                }
                crossings[from * n + to] = list;
            }
        }
        let web_servers =
            (0..n).filter(|&i| s.nodes[i].components.contains(&Component::Nginx)).collect();
        let mut mysql = Vec::new();
        for (i, node) in s.nodes.iter().enumerate() {
            for c in &node.components {
                match c {
                    Component::MysqlPrimary => mysql.push((i, true)),
                    Component::MysqlReplica => mysql.push((i, false)),
                    _ => {}
                }
            }
        }
        Topology {
            scenario: s.clone(),
            user: first(NodeKind::User).unwrap_or(0),
            dns: first(NodeKind::Dns),
            lb,
            monitoring: first(NodeKind::Monitoring),
            kinds,
            zones,
            boxes,
            box_slot,
            firewall_nodes,
            crossings,
            web_servers,
            mysql,
            lan_ns: (s.network.lan_ms * 1e6) as u64,
            internet_ns: (s.network.internet_ms * 1e6) as u64,
        }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Firewall slots a packet from `from` to `to` crosses, in order.
    pub(crate) fn crossings(&self, from: usize, to: usize) -> &[u8] {
        &self.crossings[from * self.len() + to]
    }

    /// A node's id.
    pub(crate) fn id(&self, node: usize) -> &str {
        &self.scenario.nodes[node].id
    }
}
