//! Scenario validation: every problem, with its JSON path, never a panic.
//!
//! Two stages. Parsing (serde; [`crate::json_path`] turns serde's position
//! into the path of the bad value) stops at the first malformed value, since
//! nothing after it can be trusted. The semantic check then walks the whole parsed document
//! and lists *every* problem, so a user fixes a file in one go.

use crate::firewall::{Firewall, Verdict};
use crate::scenario::{Component, NodeKind, PairMode, Scenario, SourceSpec, Zone};
use std::fmt;

/// Most nodes drawn on the board (node sets hold 256).
pub const MAX_NODES: usize = 200;
/// Most server boxes, a pool counting for its size (a backend index is
/// 16 bits; per-box series are per drawn node, so pools cost no series).
pub const MAX_SERVERS: usize = 2048;
/// Most boxes in one server pool ("×N").
pub const MAX_POOL: usize = 1000;
/// Most load balancers: an active-active group behind as many A records
/// (the DNS answer's live addresses are one byte of bits).
pub const MAX_LOAD_BALANCERS: usize = 8;
/// Most MySQL processes (a request's database index is one byte and the
/// replication tick keeps 64 flags).
pub const MAX_MYSQL: usize = 64;
/// Longest firewall rule table.
pub const MAX_RULES: usize = 64;
/// Highest user request rate, per second.
pub const MAX_RATE_QPS: f64 = 200_000.0;
/// Lowest user request rate, per second.
pub const MIN_RATE_QPS: f64 = 1.0;

/// One problem in a scenario, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// JSON path, e.g. `nodes[3].guards` (empty for the whole document).
    pub path: String,
    /// What is wrong.
    pub problem: Problem,
}

/// A part a design must have and lacks (the app names it in the user's
/// language; [`fmt::Display`] gives the CLI's English).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// What a firewall stands in front of.
    Guards,
    /// What a server runs.
    Components,
    /// The Internet's users.
    User,
    /// A load balancer.
    LoadBalancer,
    /// The second load balancer a pair (`lb_pair`) needs.
    SecondLoadBalancer,
    /// A box running Nginx and the application.
    WebAndApp,
    /// The DNS that active-active load balancers are found through.
    DnsForActiveActive,
}

/// An element the model caps (the app names it in the user's language;
/// [`fmt::Display`] gives the CLI's English).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capped {
    /// Nodes of any kind.
    Nodes,
    /// Rules in one firewall's table.
    Rules,
    /// Server boxes (a pool counts each box).
    Servers,
    /// Load balancers.
    LoadBalancers,
    /// MySQL processes.
    MysqlProcesses,
    /// DNS nodes.
    DnsNodes,
    /// Monitoring services.
    MonitoringServices,
}

impl fmt::Display for Capped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Capped::Nodes => "nodes",
            Capped::Rules => "rules",
            Capped::Servers => "servers",
            Capped::LoadBalancers => "load balancers",
            Capped::MysqlProcesses => "MySQL processes",
            Capped::DnsNodes => "DNS nodes",
            Capped::MonitoringServices => "monitoring services",
        })
    }
}

/// A field or part a kind of node cannot have (the app names it in the
/// user's language; [`fmt::Display`] gives the CLI's English).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misplaced {
    /// A firewall standing in front of a user or of another firewall.
    GuardingUserOrFirewall,
    /// What a firewall stands in front of, on another kind of node.
    Guards,
    /// A rule table, on a node that is not a firewall.
    Rules,
    /// CPU cores, on a node with no box.
    Cores,
    /// A pool count, on a node that cannot be pooled.
    Pool,
    /// A monitoring agent, on a node with no box.
    Agent,
    /// Components, on a node that is not a server.
    Components,
    /// The user, in a zone other than the Internet.
    UserOutsideInternet,
}

impl fmt::Display for Misplaced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Misplaced::GuardingUserOrFirewall => "guarding a user or a firewall",
            Misplaced::Guards => "guards",
            Misplaced::Rules => "rules",
            Misplaced::Cores => "cores",
            Misplaced::Pool => "a pool (count)",
            Misplaced::Agent => "a monitoring agent",
            Misplaced::Components => "components",
            Misplaced::UserOutsideInternet => "a user outside the Internet",
        })
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Missing::Guards => "guards",
            Missing::Components => "components",
            Missing::User => "a user node",
            Missing::LoadBalancer => "a load-balancer node",
            Missing::SecondLoadBalancer => "a second load-balancer node (lb_pair)",
            Missing::WebAndApp => "a server running nginx and app",
            Missing::DnsForActiveActive => "a DNS node (active-active load balancers)",
        })
    }
}

/// What can be wrong with a scenario. The app maps these to words in the
/// user's language; [`fmt::Display`] gives the English used by the CLI.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The text is not JSON of the scenario's shape (serde's message).
    Malformed(String),
    /// Two nodes share an id.
    DuplicateId(String),
    /// An id is empty, too long or has characters other than `a-z0-9-_`.
    BadId(String),
    /// A reference names no node.
    UnknownNode(String),
    /// A reference names a node of the wrong kind.
    WrongKind {
        /// The id referenced.
        id: String,
        /// What it should have been.
        expected: NodeKind,
    },
    /// A required element is missing.
    Missing(Missing),
    /// More of an element than the model supports.
    TooMany {
        /// Which element.
        what: Capped,
        /// The most allowed.
        max: usize,
    },
    /// A number outside its allowed range.
    OutOfRange {
        /// Lowest allowed.
        min: f64,
        /// Highest allowed.
        max: f64,
    },
    /// No MySQL primary although an application needs a database, or more
    /// than one.
    PrimaryCount(usize),
    /// A field that makes no sense on this kind of node.
    NotAllowedHere(Misplaced),
    /// A component is listed twice on one server.
    DuplicateComponent(Component),
    /// Nginx without the app or the app without Nginx.
    WebNeedsApp,
    /// A monitoring agent but no monitoring service to ship to.
    AgentWithoutService,
    /// The firewalls in front of the load balancer let no HTTPS through from
    /// the Internet, so the site cannot be reached at all.
    NoRouteToLoadBalancer,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Malformed(m) => write!(f, "malformed: {m}"),
            Problem::DuplicateId(id) => write!(f, "duplicate node id `{id}`"),
            Problem::BadId(id) => {
                write!(f, "bad node id `{id}` (use 1-64 of a-z, 0-9, `-`, `_`)")
            }
            Problem::UnknownNode(id) => write!(f, "unknown node `{id}`"),
            Problem::WrongKind { id, expected } => {
                write!(f, "`{id}` is not a {expected:?} node")
            }
            Problem::Missing(what) => write!(f, "missing {what}"),
            Problem::TooMany { what, max } => write!(f, "too many {what} (at most {max})"),
            Problem::OutOfRange { min, max } => write!(f, "out of range ({min} to {max})"),
            Problem::PrimaryCount(n) => {
                write!(f, "need exactly one mysql-primary, found {n}")
            }
            Problem::NotAllowedHere(what) => {
                write!(f, "{what} is not allowed on this kind of node")
            }
            Problem::DuplicateComponent(c) => write!(f, "component {c:?} listed twice"),
            Problem::WebNeedsApp => {
                write!(f, "nginx and app run together, or nginx alone in front of app boxes")
            }
            Problem::AgentWithoutService => {
                write!(f, "a monitoring agent needs a monitoring node to ship to")
            }
            Problem::NoRouteToLoadBalancer => {
                write!(f, "no route from the Internet to the load balancer on port 443")
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

// The document's own module (`scenario`) stays below this one; its
// parsing and checking are defined here, on the type.
impl Scenario {
    /// Parses and validates a scenario. Never panics, whatever the bytes;
    /// on failure returns every problem found, each with its JSON path.
    pub fn from_json(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
        parse(text)
    }

    /// Every problem of an already-parsed scenario (empty when it is valid).
    pub fn validate(&self) -> Vec<Diagnostic> {
        check(self)
    }
}

/// Parses then checks; see [`Scenario::from_json`].
fn parse(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let malformed = |path: &str, m: String| {
        vec![Diagnostic { path: path.to_string(), problem: Problem::Malformed(m) }]
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| malformed("", e.to_string()))?;
    let value = resolve_extends(value, 0).map_err(|m| malformed("extends", m))?;
    // Read the resolved document again as one compact line, so serde's column
    // is a byte offset that `json_path` turns into the path of the bad value.
    let compact = value.to_string();
    let scenario: Scenario = serde_json::from_str(&compact).map_err(|e| {
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(cut) => &message[..cut],
            None => &message,
        };
        malformed(&crate::json_path::path_at(&compact, e.column()), message.to_string())
    })?;
    let problems = check(&scenario);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(problems)
    }
}

/// `"extends": "<built-in preset>"`: that preset, merge-patched with the rest.
fn resolve_extends(mut value: serde_json::Value, depth: u32) -> Result<serde_json::Value, String> {
    let Some(obj) = value.as_object_mut() else { return Ok(value) };
    let Some(base) = obj.remove("extends") else { return Ok(value) };
    let name = base.as_str().ok_or("must be the name of a built-in preset")?;
    if depth > 4 {
        return Err("too many levels of `extends`".to_string());
    }
    let source = crate::preset_sources::source(name).ok_or(format!("unknown preset `{name}`"))?;
    let base: serde_json::Value = serde_json::from_str(source).map_err(|e| e.to_string())?;
    let mut base = resolve_extends(base, depth + 1)?;
    merge_patch(&mut base, value);
    Ok(base)
}

/// RFC 7386: objects merge key by key, `null` removes, anything else replaces.
fn merge_patch(target: &mut serde_json::Value, patch: serde_json::Value) {
    use serde_json::Value;
    match patch {
        Value::Object(patch) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in patch {
                    if v.is_null() {
                        t.remove(&k);
                    } else {
                        merge_patch(t.entry(k).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other,
    }
}

struct Checker {
    out: Vec<Diagnostic>,
}

impl Checker {
    fn push(&mut self, path: impl Into<String>, problem: Problem) {
        self.out.push(Diagnostic { path: path.into(), problem });
    }

    fn range(&mut self, path: &str, value: f64, min: f64, max: f64) {
        // Written so that NaN fails too.
        if !(value >= min && value <= max) {
            self.push(path, Problem::OutOfRange { min, max });
        }
    }
}

fn good_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Every problem of a parsed scenario.
fn check(s: &Scenario) -> Vec<Diagnostic> {
    let mut c = Checker { out: Vec::new() };
    if s.name.is_empty() || s.name.len() > 64 {
        c.push("name", Problem::BadId(s.name.clone()));
    }
    if s.nodes.len() > MAX_NODES {
        c.push("nodes", Problem::TooMany { what: Capped::Nodes, max: MAX_NODES });
    }
    let find = |id: &str| s.nodes.iter().position(|n| n.id == id);
    let count = |k: NodeKind| s.nodes.iter().filter(|n| n.kind == k).count();
    let has_component =
        |comp: Component| s.nodes.iter().filter(|n| n.components.contains(&comp)).count();

    for (i, n) in s.nodes.iter().enumerate() {
        let p = format!("nodes[{i}]");
        if !good_id(&n.id) {
            c.push(format!("{p}.id"), Problem::BadId(n.id.clone()));
        } else if s.nodes[..i].iter().any(|m| m.id == n.id) {
            c.push(format!("{p}.id"), Problem::DuplicateId(n.id.clone()));
        }
        c.range(&format!("{p}.x"), n.x, 0.0, 1000.0);
        c.range(&format!("{p}.y"), n.y, 0.0, 600.0);
        let is_fw = n.kind == NodeKind::Firewall;
        if is_fw {
            if n.guards.is_none() {
                c.push(format!("{p}.guards"), Problem::Missing(Missing::Guards));
            }
            for (j, id) in n.guarded().enumerate() {
                let path = if j == 0 {
                    format!("{p}.guards")
                } else {
                    format!("{p}.also_guards[{}]", j - 1)
                };
                match find(id) {
                    None => c.push(path, Problem::UnknownNode(id.to_string())),
                    Some(t) if matches!(s.nodes[t].kind, NodeKind::User | NodeKind::Firewall) => {
                        c.push(path, Problem::NotAllowedHere(Misplaced::GuardingUserOrFirewall))
                    }
                    Some(_) => {}
                }
            }
            if let Some(rules) = &n.rules {
                if rules.len() > MAX_RULES {
                    c.push(
                        format!("{p}.rules"),
                        Problem::TooMany { what: Capped::Rules, max: MAX_RULES },
                    );
                }
                for (r, rule) in rules.iter().enumerate() {
                    if let SourceSpec::Node(id) = &rule.source {
                        if find(id).is_none() {
                            c.push(
                                format!("{p}.rules[{r}].source"),
                                Problem::UnknownNode(id.clone()),
                            );
                        }
                    }
                    if rule.port == Some(0) {
                        c.push(
                            format!("{p}.rules[{r}].port"),
                            Problem::OutOfRange { min: 1.0, max: 65535.0 },
                        );
                    }
                }
            }
        } else {
            if n.guards.is_some() || !n.also_guards.is_empty() {
                c.push(format!("{p}.guards"), Problem::NotAllowedHere(Misplaced::Guards));
            }
            if n.rules.is_some() {
                c.push(format!("{p}.rules"), Problem::NotAllowedHere(Misplaced::Rules));
            }
        }
        let is_box = matches!(n.kind, NodeKind::Server | NodeKind::LoadBalancer);
        if let Some(cores) = n.cores {
            if !is_box {
                c.push(format!("{p}.cores"), Problem::NotAllowedHere(Misplaced::Cores));
            } else if !(1..=256).contains(&cores) {
                c.push(format!("{p}.cores"), Problem::OutOfRange { min: 1.0, max: 256.0 });
            }
        }
        if let Some(count) = n.count {
            let mysql = n
                .components
                .iter()
                .any(|c| matches!(c, Component::MysqlPrimary | Component::MysqlReplica));
            if n.kind != NodeKind::Server || mysql {
                c.push(format!("{p}.count"), Problem::NotAllowedHere(Misplaced::Pool));
            } else if !(1..=MAX_POOL).contains(&usize::from(count)) {
                c.push(
                    format!("{p}.count"),
                    Problem::OutOfRange { min: 1.0, max: MAX_POOL as f64 },
                );
            }
        }
        if n.agent && !is_box {
            c.push(format!("{p}.agent"), Problem::NotAllowedHere(Misplaced::Agent));
        }
        if n.kind == NodeKind::Server {
            if n.components.is_empty() {
                c.push(format!("{p}.components"), Problem::Missing(Missing::Components));
            }
            for (j, comp) in n.components.iter().enumerate() {
                if n.components[..j].contains(comp) {
                    c.push(format!("{p}.components[{j}]"), Problem::DuplicateComponent(*comp));
                }
            }
            // Nginx alone hands requests to app boxes (split tiers), and an
            // app alone gets them from such web boxes: each needs the other.
            let web = n.components.contains(&Component::Nginx);
            let app = n.components.contains(&Component::App);
            let split = |has: Component, lacks: Component| {
                s.nodes
                    .iter()
                    .any(|m| m.components.contains(&has) && !m.components.contains(&lacks))
            };
            if (web && !app && !split(Component::App, Component::Nginx))
                || (app && !web && !split(Component::Nginx, Component::App))
            {
                c.push(format!("{p}.components"), Problem::WebNeedsApp);
            }
        } else if !n.components.is_empty() {
            c.push(format!("{p}.components"), Problem::NotAllowedHere(Misplaced::Components));
        }
        if n.kind == NodeKind::User && n.zone != Zone::Internet {
            c.push(format!("{p}.zone"), Problem::NotAllowedHere(Misplaced::UserOutsideInternet));
        }
    }

    if count(NodeKind::User) == 0 {
        c.push("nodes", Problem::Missing(Missing::User));
    }
    // One load balancer; a pair (`lb_pair`) is two, active-passive, or two
    // to eight, active-active (an A record each).
    let most = match s.lb_pair.map(|p| p.mode) {
        None => 1,
        Some(PairMode::ActivePassive) => 2,
        Some(PairMode::ActiveActive) => MAX_LOAD_BALANCERS,
    };
    match count(NodeKind::LoadBalancer) {
        0 => c.push("nodes", Problem::Missing(Missing::LoadBalancer)),
        1 if s.lb_pair.is_some() => c.push("nodes", Problem::Missing(Missing::SecondLoadBalancer)),
        n if n > most => {
            c.push("nodes", Problem::TooMany { what: Capped::LoadBalancers, max: most })
        }
        _ => {}
    }
    let web_servers = has_component(Component::Nginx);
    if web_servers == 0 {
        c.push("nodes", Problem::Missing(Missing::WebAndApp));
    }
    let server_boxes: usize =
        s.nodes.iter().filter(|n| n.kind == NodeKind::Server).map(|n| n.boxes()).sum();
    if server_boxes > MAX_SERVERS {
        c.push("nodes", Problem::TooMany { what: Capped::Servers, max: MAX_SERVERS });
    }
    // A box runs each component once (checked above).
    let mysql = has_component(Component::MysqlPrimary) + has_component(Component::MysqlReplica);
    if mysql > MAX_MYSQL {
        c.push("nodes", Problem::TooMany { what: Capped::MysqlProcesses, max: MAX_MYSQL });
    }
    // Two A records need a DNS to hand them out.
    let active_active = s.lb_pair.is_some_and(|p| p.mode == PairMode::ActiveActive);
    if active_active && count(NodeKind::Dns) == 0 {
        c.push("nodes", Problem::Missing(Missing::DnsForActiveActive));
    }
    if count(NodeKind::Dns) > 1 {
        c.push("nodes", Problem::TooMany { what: Capped::DnsNodes, max: 1 });
    }
    if count(NodeKind::Monitoring) > 1 {
        c.push("nodes", Problem::TooMany { what: Capped::MonitoringServices, max: 1 });
    }
    let primaries = has_component(Component::MysqlPrimary);
    if primaries != 1 {
        c.push("nodes", Problem::PrimaryCount(primaries));
    }
    if count(NodeKind::Monitoring) == 0 {
        if let Some(i) = s.nodes.iter().position(|n| n.agent) {
            c.push(format!("nodes[{i}].agent"), Problem::AgentWithoutService);
        }
    }

    // Route check: only meaningful once ids are sound.
    let clean = c.out.is_empty();
    if clean {
        // Every load balancer of a pair must be reachable: either may hold
        // the VIP.
        for lb in (0..s.nodes.len()).filter(|&i| s.nodes[i].kind == NodeKind::LoadBalancer) {
            let user = s.nodes.iter().position(|n| n.kind == NodeKind::User).unwrap_or(0);
            let blocked = s.nodes.iter().enumerate().any(|(i, n)| {
                if n.kind != NodeKind::Firewall || !n.guarded().any(|g| g == s.nodes[lb].id) {
                    return false;
                }
                let fw = Firewall::build(s, i);
                !matches!(fw.check(user, Zone::Internet, 443), Verdict::Allow)
            });
            if blocked {
                c.push("nodes", Problem::NoRouteToLoadBalancer);
                break;
            }
        }
    }

    let t = &s.traffic;
    c.range("traffic.rate_qps", t.rate_qps, MIN_RATE_QPS, MAX_RATE_QPS);
    c.range("traffic.write_share", t.write_share, 0.0, 1.0);
    c.range("traffic.resumed_share", t.resumed_share, 0.0, 1.0);
    if let Some(a) = &t.attack {
        c.range("traffic.attack.qps", a.qps, 0.0, MAX_RATE_QPS);
        c.range("traffic.attack.port", f64::from(a.port), 1.0, 65535.0);
    }
    let lb = &s.load_balancer;
    c.range("load_balancer.check_interval_ms", lb.check_interval_ms.into(), 100.0, 60_000.0);
    c.range("load_balancer.rise", lb.rise.into(), 1.0, 10.0);
    c.range("load_balancer.fall", lb.fall.into(), 1.0, 10.0);
    c.range("load_balancer.timeout_ms", lb.timeout_ms.into(), 100.0, 60_000.0);
    if let Some(pair) = &s.lb_pair {
        c.range("lb_pair.advert_int_ms", pair.advert_int_ms.into(), 10.0, 255_000.0);
        c.range("lb_pair.backup_priority", pair.backup_priority.into(), 1.0, 254.0);
    }
    let db = &s.database;
    c.range("database.binlog_delay_ms", db.binlog_delay_ms.into(), 0.0, 60_000.0);
    c.range("database.apply_us", db.apply_us.into(), 1.0, 1_000_000.0);
    c.range("database.heartbeat_ms", db.heartbeat_ms.into(), 100.0, 60_000.0);
    c.range("database.missed_heartbeats", db.missed_heartbeats.into(), 1.0, 100.0);
    c.range("database.promotion_ms", db.promotion_ms.into(), 0.0, 600_000.0);
    c.range("database.stale_after_ms", db.stale_after_ms.into(), 0.0, 600_000.0);
    let m = &s.monitoring;
    c.range("monitoring.interval_s", m.interval_s.into(), 1.0, 300.0);
    c.range("monitoring.ship_delay_ms", m.ship_delay_ms.into(), 0.0, 600_000.0);
    c.range("monitoring.ingest_delay_ms", m.ingest_delay_ms.into(), 0.0, 600_000.0);
    c.range("monitoring.agent_cpu_us", m.agent_cpu_us.into(), 0.0, 1_000_000.0);
    c.range("monitoring.cpu_high_pct", m.cpu_high_pct, 1.0, 100.0);
    c.range("monitoring.error_rate", m.error_rate, 0.0, 1.0);
    c.range("monitoring.p99_ms", m.p99_ms, 1.0, 600_000.0);
    c.range("monitoring.lag_ms", m.lag_ms, 1.0, 600_000.0);
    c.range("monitoring.qps_change_factor", m.qps_change_factor, 1.1, 1000.0);
    c.range("monitoring.no_data_intervals", m.no_data_intervals.into(), 1.0, 100.0);
    c.range("dns.ttl_s", s.dns.ttl_s.into(), 0.0, 86_400.0);
    c.range("dns.resolvers", s.dns.resolvers.into(), 1.0, 10_000.0);
    c.range("network.internet_ms", s.network.internet_ms, 0.0, 10_000.0);
    c.range("network.lan_ms", s.network.lan_ms, 0.0, 1000.0);
    let sv = &s.service;
    for (name, v) in [
        ("lb_ms", sv.lb_ms),
        ("nginx_ms", sv.nginx_ms),
        ("app_read_ms", sv.app_read_ms),
        ("app_write_ms", sv.app_write_ms),
        ("mysql_read_ms", sv.mysql_read_ms),
        ("mysql_write_ms", sv.mysql_write_ms),
    ] {
        c.range(&format!("service.{name}"), v, 0.0, 10_000.0);
    }
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_document_lists_every_problem_with_its_path() {
        let json = r#"{
          "name": "broken",
          "nodes": [
            {"id": "user", "kind": "user", "zone": "internet", "x": 1, "y": 1},
            {"id": "fw", "kind": "firewall", "zone": "edge", "x": 2, "y": 2, "guards": "nope"},
            {"id": "fw", "kind": "server", "zone": "app", "x": 2000, "y": 2,
             "components": ["nginx", "app"]}
          ],
          "traffic": {"rate_qps": 500000, "write_share": 0.1}
        }"#;
        let problems = Scenario::from_json(json).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| text.iter().any(|t| t.contains(needle));
        assert!(has("nodes[1].guards: unknown node `nope`"), "{text:#?}");
        assert!(has("nodes[2].id: duplicate node id `fw`"), "{text:#?}");
        assert!(has("nodes[2].x: out of range"), "{text:#?}");
        assert!(has("missing a load-balancer node"), "{text:#?}");
        assert!(has("need exactly one mysql-primary, found 0"), "{text:#?}");
        assert!(has("traffic.rate_qps: out of range"), "{text:#?}");
    }

    #[test]
    fn type_errors_carry_their_path() {
        let json = r#"{"name":"x","nodes":[{"id":"a","kind":"toaster","zone":"app","x":1,"y":1}],
                      "traffic":{"rate_qps":1,"write_share":0}}"#;
        let problems = Scenario::from_json(json).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "nodes[0].kind");
    }

    /// Each broken document with the path and message a user is shown.
    /// (The same answers the earlier path-tracking deserializer gave.)
    #[test]
    fn a_malformed_value_is_named_by_its_path() {
        let base = r#""extends":"lb-two-fullstack""#;
        let fw = r#"{"id":"f","kind":"firewall","zone":"edge","x":1,"y":1,"guards":"a","rules":"#;
        let table = [
            (format!(r#"{{{base},"traffic":{{"rate_qps":"fast"}}}}"#), "traffic.rate_qps", "invalid type: string \"fast\", expected f64"),
            (format!(r#"{{{base},"traffic":{{"attack":{{"qps":1,"port":70000}}}}}}"#), "traffic.attack.port", "invalid value: integer `70000`, expected u16"),
            (format!(r#"{{{base},"load_balancer":{{"rise":-1}}}}"#), "load_balancer.rise", "invalid value: integer `-1`"),
            (format!(r#"{{{base},"bogus":1}}"#), "bogus", "unknown field `bogus`"),
            (format!(r#"{{{base},"monitoring":{{"interval":3}}}}"#), "monitoring.interval", "unknown field `interval`"),
            (format!(r#"{{{base},"nodes":{{}}}}"#), "nodes", "invalid type: map, expected a sequence"),
            (format!(r#"{{{base},"nodes":[{{"id":"a","kind":"toaster","zone":"app","x":1,"y":1}}]}}"#), "nodes[0].kind", "unknown variant `toaster`"),
            (format!(r#"{{{base},"nodes":[{{"id":"a","kind":"user","x":1,"y":1}}]}}"#), "nodes[0]", "missing field `zone`"),
            (format!(r#"{{{base},"nodes":[{{"id":"a","kind":"user","zone":"internet","x":1,"y":1}},{{"id":"s","kind":"server","zone":"app","x":1,"y":1,"components":["nginx","php"]}}]}}"#), "nodes[1].components[1]", "unknown variant `php`"),
            (format!(r#"{{{base},"nodes":[{fw}[{{"action":"allow","source":{{"zone":"mars"}}}}]}}]}}"#), "nodes[0].rules[0].source.zone", "unknown variant `mars`"),
            (format!(r#"{{{base},"nodes":[{fw}[{{"action":"allow","source":"any","port":99999}}]}}]}}"#), "nodes[0].rules[0].port", "invalid value: integer `99999`"),
            (format!(r#"{{{base},"nodes":[{fw}[{{"action":"allow","source":"any"}},{{"action":"maybe","source":"any"}}]}}]}}"#), "nodes[0].rules[1].action", "unknown variant `maybe`"),
            (format!(r#"{{{base},"nodes":[{fw}[{{"source":"any"}}]}}]}}"#), "nodes[0].rules[0]", "missing field `action`"),
            (r#"{"name":"x","traffic":{"rate_qps":1,"write_share":0}}"#.to_string(), "", "missing field `nodes`"),
            ("[]".to_string(), "", "invalid length 0"),
            (r#"{"name":7}"#.to_string(), "name", "invalid type: integer `7`"),
            (r#"{"name":"x","nodes":[],"dns":{"ttl_s":1.5}}"#.to_string(), "dns.ttl_s", "invalid type: floating point `1.5`"),
            (r#"{"name":"x","nodes":[],"tls":"sideways"}"#.to_string(), "tls", "invalid type: string \"sideways\""),
            (r#"{"name":"x","nodes":[{"id":"a","kind":"user","zone":"internet","x":1,"y":1,"agent":"yes"}]}"#.to_string(), "nodes[0].agent", "invalid type: string \"yes\", expected a boolean"),
        ];
        for (doc, path, message) in &table {
            let problems = Scenario::from_json(doc).unwrap_err();
            let Problem::Malformed(got) = &problems[0].problem else {
                panic!("{doc}: not a parse error: {problems:?}");
            };
            assert_eq!(problems[0].path, *path, "{doc}");
            assert!(got.starts_with(message), "{doc}: {got}");
            assert!(!got.contains(" at line "), "{doc}: position left in {got}");
        }
    }
}
