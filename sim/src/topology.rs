//! The scenario's topology, resolved to indices once, and the questions the
//! whiteboard asks of it: which firewalls stand between two nodes (in
//! order), which firewalls guard a node, the path a request takes and which
//! of its hops are encrypted in each TLS mode, which box holds which MySQL
//! role, who holds the certificate.
//!
//! The simulation moves every packet by these answers, and the app draws and
//! explains by the same ones ([`Simulation::topology`] for a run,
//! [`Topology::of`] for a scenario that is not running), so the board can
//! never show a route the model does not take. Everything here is static:
//! what changes during a run (which MySQL is primary after a promotion,
//! which boxes are up) is asked of the [`Simulation`].
//!
//! Shared between snapshots through an `Arc`, so cloning a simulation does
//! not copy it.
//!
//! [`Simulation`]: crate::Simulation
//! [`Simulation::topology`]: crate::Simulation::topology

use crate::firewall::Firewall;
use crate::node_set::NodeSet;
use crate::scenario::{Component, NodeKind, Protocol, Scenario, TlsMode, Zone};
use crate::tls;

/// The port browsers and the load balancer's front end speak HTTPS on.
const HTTPS_PORT: u16 = 443;
/// The port MySQL listens on (application queries and replication).
const MYSQL_PORT: u16 = 3306;
/// The port DNS answers on.
const DNS_PORT: u16 = 53;

/// One leg of a user's request: the way between two places where it can
/// wait (the resolver, a CPU, MySQL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Leg {
    /// The browser asks the DNS for `www.foobar.com` (no user data on it).
    Lookup,
    /// Browser → load balancer over the Internet, HTTPS.
    Internet,
    /// Load balancer → web server (port and encryption by TLS mode).
    Backend,
    /// Application → MySQL host (when the query leaves its own box).
    Database,
}

/// One link a request crosses: from a node to the next one on its way
/// (a firewall counts as a node).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// Node it leaves.
    pub from: usize,
    /// Node it reaches.
    pub to: usize,
    /// The leg of the request this hop belongs to.
    pub leg: Leg,
    /// Destination port.
    pub port: u16,
    /// Transport protocol.
    pub protocol: Protocol,
    /// Whether the user's data is encrypted on this hop.
    pub encrypted: bool,
}

/// The two load balancers of an active-passive pair ([`crate::LbPairSpec`]):
/// static roles. Which one holds the VIP now is
/// [`crate::Simulation::vip_holder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LbPair {
    /// The first load-balancer node: holds the VIP when both are up (and
    /// takes it back on return when the pair preempts).
    pub master: usize,
    /// The second: takes the VIP after the master-down interval.
    pub backup: usize,
}

/// Resolved topology: node kinds and zones, which nodes are boxes with CPUs,
/// what each firewall guards and, for every pair of nodes, the firewalls a
/// packet crosses. Read-only once built.
#[derive(Debug)]
pub struct Topology {
    /// The scenario itself (ids, positions, settings).
    pub(crate) scenario: Scenario,
    /// Kind of each node.
    pub(crate) kinds: Vec<NodeKind>,
    /// Zone of each node.
    pub(crate) zones: Vec<Zone>,
    /// The user node (first one).
    pub(crate) user: usize,
    /// The DNS node, if any.
    pub(crate) dns: Option<usize>,
    /// The load balancer (node 0 in a scenario without one, which
    /// validation refuses to run).
    pub(crate) lb: usize,
    /// The monitoring service, if any.
    pub(crate) monitoring: Option<usize>,
    /// The load-balancer pair, when the scenario has one.
    pub(crate) lb_pair: Option<LbPair>,
    /// Nodes with CPUs (load balancer and servers), in node order.
    pub(crate) boxes: Vec<usize>,
    /// `box_slot[node]` = its index in `boxes`.
    pub(crate) box_slot: Vec<Option<usize>>,
    /// Firewall nodes in node order (index = firewall slot).
    pub(crate) firewall_nodes: Vec<usize>,
    /// `guarded[slot]`: the nodes behind that firewall.
    guarded: Vec<NodeSet>,
    /// `crossings[from * n + to]` = firewall slots crossed, in order.
    crossings: Vec<Vec<u8>>,
    /// Servers running Nginx (load balancer backends), node indices.
    pub(crate) web_servers: Vec<usize>,
    /// Split tiers: servers running the app without Nginx, node indices.
    pub(crate) app_servers: Vec<usize>,
    /// `runs_app[node]`: the app runs on that node.
    pub(crate) runs_app: Vec<bool>,
    /// MySQL processes: `(node, is_primary)` in node order (a box may run
    /// two). The roles the scenario starts with.
    pub(crate) mysql: Vec<(usize, bool)>,
    /// One LAN link, nanoseconds (converted once: every request uses it).
    pub(crate) lan_ns: u64,
    /// The Internet leg, nanoseconds.
    pub(crate) internet_ns: u64,
}

impl Topology {
    /// Resolves a scenario. Never panics: a scenario that would not pass
    /// validation still gets answers (a guard naming a missing node guards
    /// nothing, a layout without a load balancer has no perimeter), so the
    /// app can draw what it is given.
    pub fn of(s: &Scenario) -> Topology {
        let n = s.nodes.len();
        let kinds: Vec<_> = s.nodes.iter().map(|x| x.kind).collect();
        let zones: Vec<_> = s.nodes.iter().map(|x| x.zone).collect();
        let first = |k: NodeKind| kinds.iter().position(|&x| x == k);
        let has_lb = first(NodeKind::LoadBalancer);
        let lb = has_lb.unwrap_or(0);
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
        // Traffic from the Internet enters through the firewalls in front of
        // the load balancer, whatever it is aimed at.
        let perimeter: Vec<usize> = match has_lb {
            Some(lb) => (0..fws.len()).filter(|&k| fws[k].guards(lb)).collect(),
            None => Vec::new(),
        };
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
        let runs = |i: usize, c: Component| s.nodes[i].components.contains(&c);
        let web_servers = (0..n).filter(|&i| runs(i, Component::Nginx)).collect();
        let app_servers =
            (0..n).filter(|&i| runs(i, Component::App) && !runs(i, Component::Nginx)).collect();
        let runs_app = (0..n).map(|i| runs(i, Component::App)).collect();
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
        let mut lbs = (0..n).filter(|&i| kinds[i] == NodeKind::LoadBalancer);
        let lb_pair = match (s.lb_pair, lbs.next(), lbs.next()) {
            (Some(_), Some(master), Some(backup)) => Some(LbPair { master, backup }),
            _ => None,
        };
        Topology {
            lb_pair,
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
            guarded: fws.iter().map(|f| f.guarded).collect(),
            crossings,
            web_servers,
            app_servers,
            runs_app,
            mysql,
            lan_ns: (s.network.lan_ms * 1e6) as u64,
            internet_ns: (s.network.internet_ms * 1e6) as u64,
        }
    }

    /// The scenario it was resolved from.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether the scenario has no node at all.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// A node's id.
    pub fn id(&self, node: usize) -> &str {
        &self.scenario.nodes[node].id
    }

    /// A node's kind (`None` past the last node).
    pub fn kind(&self, node: usize) -> Option<NodeKind> {
        self.kinds.get(node).copied()
    }

    fn is(&self, node: usize, kind: NodeKind) -> bool {
        self.kind(node) == Some(kind)
    }

    /// The visitor's browser.
    pub fn user(&self) -> Option<usize> {
        Some(self.user).filter(|&u| self.is(u, NodeKind::User))
    }

    /// The DNS holding the `www` record.
    pub fn dns(&self) -> Option<usize> {
        self.dns
    }

    /// The load balancer.
    pub fn load_balancer(&self) -> Option<usize> {
        Some(self.lb).filter(|&lb| self.is(lb, NodeKind::LoadBalancer))
    }

    /// The load-balancer pair sharing the VIP, when the design has one.
    pub fn lb_pair(&self) -> Option<LbPair> {
        self.lb_pair
    }

    /// Every load-balancer node, in node order (one, or the two of a pair).
    pub fn load_balancers(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.is(i, NodeKind::LoadBalancer))
    }

    /// The monitoring service.
    pub fn monitoring(&self) -> Option<usize> {
        self.monitoring
    }

    /// Firewall nodes, in node order.
    pub fn firewalls(&self) -> &[usize] {
        &self.firewall_nodes
    }

    /// The load balancer's backends (servers running Nginx), in node order.
    pub fn web_servers(&self) -> &[usize] {
        &self.web_servers
    }

    /// Firewall slots a packet from `from` to `to` crosses, in order.
    pub(crate) fn crossings(&self, from: usize, to: usize) -> &[u8] {
        &self.crossings[from * self.len() + to]
    }

    /// The firewalls a packet from `from` to `to` crosses, in the order it
    /// meets them: the perimeter first when it comes from the Internet,
    /// then every firewall that guards `to` but not `from`.
    pub fn firewalls_between(
        &self,
        from: usize,
        to: usize,
    ) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.crossings(from, to).iter().map(|&k| self.firewall_nodes[usize::from(k)])
    }

    /// The firewalls standing in front of `node` (those whose guard list
    /// names it), in node order.
    pub fn guards_of(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.firewall_nodes
            .iter()
            .zip(&self.guarded)
            .filter(move |&(_, set)| set.contains(node))
            .map(|(&f, _)| f)
    }

    /// The nodes behind `firewall`, in node order (none if it is not a
    /// firewall).
    pub fn guarded_by(&self, firewall: usize) -> impl Iterator<Item = usize> + '_ {
        let mask = self
            .firewall_nodes
            .iter()
            .position(|&f| f == firewall)
            .map_or(NodeSet::default(), |slot| self.guarded[slot]);
        (0..self.len()).filter(move |&i| mask.contains(i))
    }

    /// The firewalls a request from the Internet crosses to reach `node`.
    pub fn guards_from_internet(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.user().into_iter().flat_map(move |user| self.firewalls_between(user, node))
    }

    /// The firewalls the load balancer's traffic crosses to reach `node`
    /// (empty without a load balancer).
    pub fn guards_from_load_balancer(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.load_balancer().into_iter().flat_map(move |lb| self.firewalls_between(lb, node))
    }

    /// The box running the MySQL primary when the run starts (the live one,
    /// after promotions, is [`crate::Simulation::primary_node`]).
    pub fn primary_host(&self) -> Option<usize> {
        self.mysql.iter().find(|&&(_, primary)| primary).map(|&(node, _)| node)
    }

    /// The boxes running a MySQL replica when the run starts, in node order,
    /// each once.
    pub fn replica_hosts(&self) -> impl Iterator<Item = usize> + '_ {
        let replicas = self.mysql.iter().filter(|&&(_, primary)| !primary);
        once_each(replicas.map(|&(node, _)| node))
    }

    /// The boxes running MySQL (primary or replica), in node order, each
    /// once.
    pub fn mysql_hosts(&self) -> impl Iterator<Item = usize> + '_ {
        once_each(self.mysql.iter().map(|&(node, _)| node))
    }

    /// Whether user data travels encrypted on `leg` in TLS mode `mode`
    /// (the DNS lookup carries none and is plaintext).
    pub fn leg_encrypted(&self, leg: Leg, mode: TlsMode) -> bool {
        match leg {
            Leg::Lookup => false,
            Leg::Internet => true,
            Leg::Backend => tls::backend_encrypted(mode),
            Leg::Database => self.scenario.database.tls,
        }
    }

    /// The destination port of `leg` in TLS mode `mode`.
    pub fn leg_port(&self, leg: Leg, mode: TlsMode) -> u16 {
        match leg {
            Leg::Lookup => DNS_PORT,
            Leg::Internet => HTTPS_PORT,
            Leg::Backend => tls::backend_port(mode),
            Leg::Database => MYSQL_PORT,
        }
    }

    /// The hops of one leg from `from` to `to`, through the firewalls in
    /// between (a DNS lookup crosses none: the resolver is on the Internet).
    fn leg_hops(
        &self,
        leg: Leg,
        from: usize,
        to: usize,
        mode: TlsMode,
    ) -> impl Iterator<Item = Hop> + '_ {
        let through: &[u8] = if leg == Leg::Lookup { &[] } else { self.crossings(from, to) };
        let stops = through.iter().map(|&k| self.firewall_nodes[usize::from(k)]);
        let (port, encrypted) = (self.leg_port(leg, mode), self.leg_encrypted(leg, mode));
        let protocol = if leg == Leg::Lookup { Protocol::Udp } else { Protocol::Tcp };
        let mut here = from;
        stops.chain(std::iter::once(to)).map(move |next| {
            let hop = Hop { from: here, to: next, leg, port, protocol, encrypted };
            here = next;
            hop
        })
    }

    /// The path of one user request answered by web server `server` with a
    /// query to the MySQL on `db_host`, in TLS mode `mode`: the DNS lookup,
    /// browser → load balancer, load balancer → server, server → MySQL host
    /// (no hop when the query stays on its own box), each through the
    /// firewalls in between. Empty without a user or a load balancer.
    pub fn request_path(&self, server: usize, db_host: usize, mode: TlsMode) -> Vec<Hop> {
        match self.load_balancer() {
            Some(lb) => self.request_path_through(lb, server, db_host, mode),
            None => Vec::new(),
        }
    }

    /// [`Self::request_path`] through load balancer `lb` (either of a
    /// pair: the VIP's holder, or the one a user's DNS answer names).
    pub fn request_path_through(
        &self,
        lb: usize,
        server: usize,
        db_host: usize,
        mode: TlsMode,
    ) -> Vec<Hop> {
        // A web box of split tiers hands over to an app box: the first.
        let app = match self.runs_app.get(server) {
            Some(false) => self.app_servers.first().copied().unwrap_or(server),
            _ => server,
        };
        self.request_path_via(lb, server, app, db_host, mode)
    }

    /// [`Self::request_path_through`] with the app box named: the web box
    /// itself where the app runs there, else an app box of split tiers
    /// (the web → app hop is on the backend leg: its port, its lock).
    pub fn request_path_via(
        &self,
        lb: usize,
        web: usize,
        app: usize,
        db_host: usize,
        mode: TlsMode,
    ) -> Vec<Hop> {
        let Some(user) = self.user() else { return Vec::new() };
        let mut out = Vec::new();
        if let Some(dns) = self.dns {
            out.extend(self.leg_hops(Leg::Lookup, user, dns, mode));
        }
        out.extend(self.leg_hops(Leg::Internet, user, lb, mode));
        out.extend(self.leg_hops(Leg::Backend, lb, web, mode));
        if app != web {
            out.extend(self.leg_hops(Leg::Backend, web, app, mode));
        }
        if db_host != app {
            out.extend(self.leg_hops(Leg::Database, app, db_host, mode));
        }
        out
    }

    /// Whether the link `from` → `to` is a hop of `leg` for some request:
    /// for the backend leg, on the way from the load balancer to one of its
    /// servers; for the database leg, from one of them to a MySQL host.
    pub fn on_leg(&self, leg: Leg, from: usize, to: usize) -> bool {
        let is_hop = |a: usize, b: usize| {
            let mut here = a;
            self.firewalls_between(a, b).chain(std::iter::once(b)).any(|next| {
                let hit = (here, next) == (from, to);
                here = next;
                hit
            })
        };
        match leg {
            Leg::Lookup => self.user().zip(self.dns).is_some_and(|(u, d)| (u, d) == (from, to)),
            Leg::Internet => {
                self.user().is_some_and(|u| self.load_balancers().any(|lb| is_hop(u, lb)))
            }
            Leg::Backend => {
                self.load_balancers().any(|lb| self.web_servers.iter().any(|&w| is_hop(lb, w)))
                    || self
                        .web_servers
                        .iter()
                        .filter(|&&w| !self.runs_app[w])
                        .any(|&w| self.app_servers.iter().any(|&a| is_hop(w, a)))
            }
            Leg::Database => self
                .app_hosts()
                .any(|w| self.mysql_hosts().any(|host| host != w && is_hop(w, host))),
        }
    }

    /// Whether `node` ends a TLS session in mode `mode`, and so holds a
    /// certificate: the load balancer when it reads HTTP (terminate,
    /// re-encrypt), the web servers when traffic reaches them encrypted
    /// (re-encrypt, passthrough).
    pub fn holds_certificate(&self, node: usize, mode: TlsMode) -> bool {
        (self.is(node, NodeKind::LoadBalancer) && tls::lb_sees_http(mode))
            || ((self.runs_nginx(node) || self.app_servers.contains(&node))
                && tls::backend_encrypted(mode))
    }

    /// Whether the browser's TLS session ends at `node` in mode `mode`, so it
    /// holds the `www.foobar.com` certificate: the load balancer, except in
    /// passthrough, where the web servers do.
    pub fn ends_browser_tls(&self, node: usize, mode: TlsMode) -> bool {
        if tls::lb_sees_http(mode) {
            self.is(node, NodeKind::LoadBalancer)
        } else {
            self.runs_nginx(node)
        }
    }

    /// The servers where the app runs (with Nginx, or alone in split tiers).
    pub fn app_hosts(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.runs_app[i])
    }

    /// Split tiers: the servers running the app without Nginx.
    pub fn app_servers(&self) -> &[usize] {
        &self.app_servers
    }

    fn runs_nginx(&self, node: usize) -> bool {
        self.is(node, NodeKind::Server)
            && self.scenario.nodes[node].components.contains(&Component::Nginx)
    }
}

/// Drops repeats from a sorted sequence of nodes.
fn once_each(sorted: impl Iterator<Item = usize>) -> impl Iterator<Item = usize> {
    let mut last = None;
    sorted.filter(move |&node| last.replace(node) != Some(node))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{presets, Command, Event, SimTime, Simulation};

    const MODES: [TlsMode; 3] = [TlsMode::Terminate, TlsMode::Reencrypt, TlsMode::Passthrough];

    fn each_preset() -> impl Iterator<Item = (&'static str, Topology)> {
        presets::names().map(|name| (name, Topology::of(&presets::get(name).unwrap())))
    }

    fn ids(t: &Topology, nodes: impl Iterator<Item = usize>) -> Vec<&str> {
        nodes.map(|i| t.id(i)).collect()
    }

    fn node(t: &Topology, id: &str) -> usize {
        t.scenario().index_of(id).unwrap()
    }

    #[test]
    fn firewalls_between_two_nodes_come_in_the_order_a_packet_meets_them() {
        let t = Topology::of(&presets::default_scenario());
        let between = |a, b| ids(&t, t.firewalls_between(node(&t, a), node(&t, b)));
        assert_eq!(between("user", "lb"), ["fw-1"]);
        assert_eq!(between("lb", "server-1"), ["fw-2"]);
        assert_eq!(between("server-1", "server-2"), ["fw-3"]);
        // From the Internet, the perimeter first, whatever the target.
        assert_eq!(between("user", "server-1"), ["fw-1", "fw-2"]);
        assert_eq!(between("server-1", "lb"), ["fw-1"], "a firewall guards its box from all sides");
        assert!(between("server-1", "monitoring").is_empty());
        let t = Topology::of(&presets::get("three-web-three-firewalls").unwrap());
        let between = |a, b| ids(&t, t.firewalls_between(node(&t, a), node(&t, b)));
        assert_eq!(between("lb", "server-1"), ["fw-2", "fw-3"]);
        assert_eq!(between("lb", "server-2"), ["fw-2"]);
        assert_eq!(between("server-2", "server-1"), ["fw-3"], "fw-2 guards both ends");
    }

    #[test]
    fn guards_are_the_firewalls_whose_guard_list_names_the_node() {
        for (name, t) in each_preset() {
            let s = t.scenario();
            for n in 0..t.len() {
                let named: Vec<usize> = t
                    .firewalls()
                    .iter()
                    .copied()
                    .filter(|&f| s.nodes[f].guarded().any(|id| id == s.nodes[n].id))
                    .collect();
                assert_eq!(t.guards_of(n).collect::<Vec<_>>(), named, "{name}: {}", t.id(n));
                for &f in &named {
                    assert!(t.guarded_by(f).any(|g| g == n), "{name}");
                }
            }
        }
        let t = Topology::of(&presets::get("three-web-three-firewalls").unwrap());
        assert_eq!(ids(&t, t.guarded_by(node(&t, "fw-2"))), ["server-1", "server-2", "server-3"]);
        assert_eq!(ids(&t, t.guards_of(node(&t, "server-1"))), ["fw-2", "fw-3"]);
        assert_eq!(ids(&t, t.guards_from_internet(node(&t, "lb"))), ["fw-1"]);
        assert_eq!(ids(&t, t.guards_from_load_balancer(node(&t, "server-1"))), ["fw-2", "fw-3"]);
        assert_eq!(t.guarded_by(node(&t, "lb")).count(), 0, "not a firewall");
    }

    #[test]
    fn mysql_roles_are_the_ones_the_run_starts_with() {
        let t = Topology::of(&presets::default_scenario());
        assert_eq!(t.primary_host().map(|i| t.id(i)), Some("server-1"));
        assert_eq!(ids(&t, t.replica_hosts()), ["server-2"]);
        assert_eq!(ids(&t, t.mysql_hosts()), ["server-1", "server-2"]);
        for (name, t) in each_preset() {
            let sim = Simulation::new(t.scenario(), 1).unwrap();
            assert_eq!(t.primary_host(), sim.primary_node(), "{name}");
            let replicas: Vec<usize> =
                sim.databases().iter().filter(|d| !d.primary).map(|d| d.node).collect();
            assert_eq!(t.replica_hosts().collect::<Vec<_>>(), replicas, "{name}");
        }
    }

    #[test]
    fn only_terminate_leaves_the_backend_in_plaintext() {
        let t = Topology::of(&presets::default_scenario());
        for mode in MODES {
            assert!(t.leg_encrypted(Leg::Internet, mode));
            assert!(!t.leg_encrypted(Leg::Lookup, mode));
            assert_eq!(t.leg_encrypted(Leg::Backend, mode), mode != TlsMode::Terminate);
            assert!(t.leg_encrypted(Leg::Database, mode), "MySQL 8 uses TLS by default");
        }
        assert_eq!(t.leg_port(Leg::Backend, TlsMode::Terminate), 80);
        assert_eq!(t.leg_port(Leg::Backend, TlsMode::Passthrough), 443);
    }

    #[test]
    fn the_request_path_runs_user_dns_edge_server_database() {
        let t = Topology::of(&presets::default_scenario());
        let (s1, s2) = (node(&t, "server-1"), node(&t, "server-2"));
        let path = t.request_path(s2, s1, TlsMode::Terminate);
        let hops: Vec<(&str, &str, u16, bool)> =
            path.iter().map(|h| (t.id(h.from), t.id(h.to), h.port, h.encrypted)).collect();
        assert_eq!(
            hops,
            [
                ("user", "dns", 53, false),
                ("user", "fw-1", 443, true),
                ("fw-1", "lb", 443, true),
                ("lb", "fw-3", 80, false),
                ("fw-3", "server-2", 80, false),
                ("server-2", "fw-2", 3306, true),
                ("fw-2", "server-1", 3306, true),
            ]
        );
        assert_eq!(path[0].protocol, Protocol::Udp);
        // A query to the MySQL on its own box leaves no hop.
        assert_eq!(t.request_path(s1, s1, TlsMode::Terminate).len(), 5);
        assert!(t.on_leg(Leg::Backend, node(&t, "lb"), node(&t, "fw-2")));
        assert!(t.on_leg(Leg::Backend, node(&t, "fw-3"), node(&t, "server-2")));
        assert!(!t.on_leg(Leg::Backend, node(&t, "fw-1"), node(&t, "lb")));
        assert!(t.on_leg(Leg::Internet, node(&t, "fw-1"), node(&t, "lb")));
        assert!(t.on_leg(Leg::Database, node(&t, "fw-2"), node(&t, "server-1")));
    }

    /// The view and the running model agree: every hop a sampled request
    /// takes is on the path the view gives for its server and database,
    /// with the same encryption, in every TLS mode and preset.
    #[test]
    fn every_hop_the_simulation_reports_is_on_the_path_the_view_gives() {
        for (name, t) in each_preset() {
            for mode in MODES {
                let mut sim = Simulation::new(t.scenario(), 7).unwrap();
                sim.apply(Command::SetTls(mode)).unwrap();
                sim.advance_to(SimTime::from_secs(2)).unwrap();
                let mut hops = 0;
                while let Some(e) = sim.poll_event() {
                    let Event::Hop { from, to, encrypted, kind, .. } = e else { continue };
                    if kind == crate::RequestKind::Attack {
                        continue;
                    }
                    hops += 1;
                    let on_a_path = t.load_balancers().any(|lb| {
                        t.web_servers().iter().any(|&w| {
                            t.app_hosts().any(|a| {
                                t.mysql_hosts().any(|db| {
                                    t.request_path_via(lb, w, a, db, mode).iter().any(|h| {
                                        (h.from, h.to, h.encrypted) == (from, to, encrypted)
                                    })
                                })
                            })
                        })
                    });
                    assert!(on_a_path, "{name} {mode:?}: {} → {}", t.id(from), t.id(to));
                }
                assert!(hops > 0, "{name} {mode:?}");
            }
        }
    }

    #[test]
    fn the_certificate_sits_where_tls_ends() {
        let t = Topology::of(&presets::default_scenario());
        let (lb, web) = (node(&t, "lb"), node(&t, "server-1"));
        let held = |n, m| (t.holds_certificate(n, m), t.ends_browser_tls(n, m));
        assert_eq!(held(lb, TlsMode::Terminate), (true, true));
        assert_eq!(held(web, TlsMode::Terminate), (false, false));
        assert_eq!(held(lb, TlsMode::Reencrypt), (true, true));
        assert_eq!(held(web, TlsMode::Reencrypt), (true, false));
        assert_eq!(held(lb, TlsMode::Passthrough), (false, false));
        assert_eq!(held(web, TlsMode::Passthrough), (true, true));
        assert!(!t.holds_certificate(node(&t, "fw-1"), TlsMode::Reencrypt));
    }

    #[test]
    fn a_layout_that_would_not_validate_still_gets_answers() {
        let mut s = presets::default_scenario();
        s.nodes.retain(|n| n.kind != NodeKind::LoadBalancer && n.id != "server-2");
        let t = Topology::of(&s);
        assert_eq!(t.load_balancer(), None);
        assert!(t.request_path(0, 0, TlsMode::Terminate).is_empty());
        assert_eq!(t.guards_of(node(&t, "server-1")).count(), 1);
        let fw3 = node(&t, "fw-3");
        assert_eq!(t.guarded_by(fw3).count(), 0, "it guards a box that is gone");
        assert_eq!(t.guards_from_load_balancer(node(&t, "server-1")).count(), 0);
        assert!(!t.on_leg(Leg::Backend, 0, 1));
    }
}
