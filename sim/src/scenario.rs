//! The scenario document: what a preset or an imported file describes.
//!
//! This is the serde boundary of the crate (a data transfer object): the
//! topology to draw and simulate, and the traffic to send through it.

use serde::{Deserialize, Serialize};

/// A whole scenario: topology with drawing positions, plus traffic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable machine name, e.g. `two-fullstack-lb`.
    pub name: String,
    /// The elements on the whiteboard.
    pub nodes: Vec<NodeSpec>,
    /// The traffic sent by the Internet's users.
    pub traffic: Traffic,
}

/// One element on the whiteboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Unique id, e.g. `server-1`.
    pub id: String,
    /// What the element is.
    pub kind: NodeKind,
    /// Where it stands on the board.
    pub zone: Zone,
    /// Drawing position (centre), in board units (the board is 1000 × 600).
    pub x: f64,
    /// Drawing position (centre), in board units.
    pub y: f64,
    /// Software running on a server box (empty for other kinds).
    #[serde(default)]
    pub components: Vec<Component>,
    /// Whether a monitoring agent runs on this box.
    #[serde(default)]
    pub agent: bool,
    /// The node this one forwards to (for firewalls: the node they guard).
    #[serde(default)]
    pub guards: Option<String>,
}

/// The kinds of element the whiteboard knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// A person's browser on the Internet.
    User,
    /// The DNS resolver chain answering for `www.foobar.com`.
    Dns,
    /// A packet filter guarding the node named in `guards`.
    Firewall,
    /// HAProxy spreading requests over the servers.
    LoadBalancer,
    /// A machine running some of Nginx, the application and MySQL.
    Server,
    /// The central monitoring service (Sumo Logic-like).
    Monitoring,
}

/// Software that runs on a server box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Component {
    /// Nginx, the web server.
    Nginx,
    /// The application server and its code base.
    App,
    /// MySQL accepting writes.
    MysqlPrimary,
    /// MySQL applying the primary's binlog.
    MysqlReplica,
}

/// Network zones, drawn as labelled regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// The public Internet.
    Internet,
    /// The edge: firewall 1 and the load balancer.
    Edge,
    /// Web and application servers.
    App,
    /// Database servers.
    Data,
    /// Off to the side: the monitoring service.
    Ops,
}

/// Traffic sent to `www.foobar.com`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Mean arrival rate of user requests, per second.
    pub rate_qps: f64,
    /// Share of requests that write to the database, 0 to 1.
    pub write_share: f64,
}
