//! The scenario document: what a preset or an imported file describes.
//!
//! This is the serde boundary of the crate (a data transfer object): the
//! topology to draw and simulate, the traffic to send through it, and the
//! settings of each part (TLS, load balancer, database, monitoring, DNS,
//! network, service times). Every setting but the topology and the traffic
//! has a default *in code* ([`Default`] impls below), so presets only say what
//! differs and no number is copy-pasted between JSON files.
//!
//! Parsing never panics: [`Scenario::from_json`] returns every problem found,
//! each with its JSON path. The parser and the checks live in the `validate`
//! module, a layer above this one: the document knows nothing of them.

use serde::{Deserialize, Serialize};

/// A whole scenario: topology with drawing positions, plus traffic and
/// settings. Unknown fields are refused so that typos are caught.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable machine name, e.g. `lb-two-fullstack`.
    pub name: String,
    /// The elements on the whiteboard. A node's index in this list is its
    /// identity everywhere in the simulation's output (events, metrics).
    pub nodes: Vec<NodeSpec>,
    /// The traffic sent by the Internet's users (and attackers).
    pub traffic: Traffic,
    /// Where the certificate lives and how the load balancer handles TLS.
    #[serde(default)]
    pub tls: TlsSpec,
    /// HAProxy's algorithm and health checks.
    #[serde(default)]
    pub load_balancer: LoadBalancerSpec,
    /// MySQL replication, read routing and failover.
    #[serde(default)]
    pub database: DatabaseSpec,
    /// Agents, the shipping pipeline and alert thresholds.
    #[serde(default)]
    pub monitoring: MonitoringSpec,
    /// The `www` A record and the resolvers' caches.
    #[serde(default)]
    pub dns: DnsSpec,
    /// Link delays.
    #[serde(default)]
    pub network: NetworkSpec,
    /// CPU time each component spends per request.
    #[serde(default)]
    pub service: ServiceSpec,
    /// Two load balancers sharing a virtual IP, keepalived-style. Absent =
    /// one load balancer (the seeds' designs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lb_pair: Option<LbPairSpec>,
}

/// One element on the whiteboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Unique id, e.g. `server-1` (lowercase letters, digits, `-`, `_`).
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// Whether a monitoring agent runs on this box.
    #[serde(default, skip_serializing_if = "is_false")]
    pub agent: bool,
    /// Firewalls only: the node this firewall stands in front of (the one the
    /// board draws it next to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guards: Option<String>,
    /// Firewalls only: further nodes behind the same firewall (a whole tier).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_guards: Vec<String>,
    /// Firewalls only: the ordered rule table. Absent = the seeds' defaults,
    /// derived from what the firewall guards (see [`crate::Firewall`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<RuleSpec>>,
    /// Servers and load balancers: CPU cores. Absent = 4 for a load balancer,
    /// 8 for a server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cores: Option<u32>,
    /// Servers without MySQL only: a pool of this many identical boxes
    /// (each with `cores`), drawn as one stacked box marked "×N" (1 to
    /// 1,000). The load balancer spreads over every box of the pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u16>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl NodeSpec {
    /// Every node id this firewall guards (`guards` then `also_guards`).
    pub fn guarded(&self) -> impl Iterator<Item = &str> {
        self.guards.as_deref().into_iter().chain(self.also_guards.iter().map(String::as_str))
    }

    /// How many identical boxes this node stands for (1 unless a pool).
    pub fn boxes(&self) -> usize {
        usize::from(self.count.unwrap_or(1).max(1))
    }

    /// CPU cores of this box, default applied.
    pub fn cores_or_default(&self) -> u32 {
        self.cores.unwrap_or(match self.kind {
            NodeKind::LoadBalancer => 4,
            _ => 8,
        })
    }
}

/// The kinds of element the whiteboard knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// A person's browser on the Internet (also where attacks come from).
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

impl Zone {
    /// Every zone, in board order.
    pub const ALL: [Zone; 5] = [Zone::Internet, Zone::Edge, Zone::App, Zone::Data, Zone::Ops];

    /// The machine name used in JSON and in the CLI (`internet`, `edge`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Internet => "internet",
            Zone::Edge => "edge",
            Zone::App => "app",
            Zone::Data => "data",
            Zone::Ops => "ops",
        }
    }
}

/// Traffic sent to `www.foobar.com`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Mean arrival rate of user requests, per second (1 to 200,000).
    pub rate_qps: f64,
    /// Share of requests that write to the database, 0 to 1.
    pub write_share: f64,
    /// Share of TLS connections that resume a session (cheap handshake).
    #[serde(default = "default_resumed_share")]
    pub resumed_share: f64,
    /// Attack traffic from the Internet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attack: Option<AttackSpec>,
}

fn default_resumed_share() -> f64 {
    0.7
}

/// Unwanted traffic straight from the Internet to one port.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttackSpec {
    /// Attempts per second (0 to 200,000).
    pub qps: f64,
    /// Target port: 3306 aims at MySQL, 22 and 80 at the load balancer.
    pub port: u16,
}

/// How TLS is handled and where the certificate lives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// The LB holds the certificate and decrypts; LB → server is plain HTTP.
    #[default]
    Terminate,
    /// The LB decrypts, then opens TLS again to the server (CPU on both).
    Reencrypt,
    /// TCP mode: the LB forwards bytes it cannot read; servers terminate.
    Passthrough,
}

impl TlsMode {
    /// Machine name: `terminate`, `reencrypt`, `passthrough`.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Terminate => "terminate",
            TlsMode::Reencrypt => "reencrypt",
            TlsMode::Passthrough => "passthrough",
        }
    }
}

/// The TLS settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsSpec {
    /// Terminate, re-encrypt or pass through.
    pub mode: TlsMode,
}

/// How the load balancer picks a server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LbAlgorithm {
    /// Each healthy server in turn.
    #[default]
    RoundRobin,
    /// The healthy server with the fewest open connections.
    LeastConn,
    /// Two healthy servers at random, the less busy of the two.
    RandomOfTwo,
}

impl LbAlgorithm {
    /// Machine name: `roundrobin`, `leastconn`, `random2` (HAProxy's words).
    pub fn as_str(self) -> &'static str {
        match self {
            LbAlgorithm::RoundRobin => "roundrobin",
            LbAlgorithm::LeastConn => "leastconn",
            LbAlgorithm::RandomOfTwo => "random2",
        }
    }
}

/// HAProxy's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoadBalancerSpec {
    /// Algorithm.
    pub algorithm: LbAlgorithm,
    /// Milliseconds between two health checks of one server (100 to 60,000).
    pub check_interval_ms: u32,
    /// Consecutive good checks before a server rejoins the pool (1 to 10).
    pub rise: u32,
    /// Consecutive failed checks before a server leaves the pool (1 to 10).
    pub fall: u32,
    /// HAProxy `timeout queue`: a request waiting longer for a CPU anywhere
    /// is dropped as a timeout (100 to 60,000 ms).
    pub timeout_ms: u32,
}

impl Default for LoadBalancerSpec {
    fn default() -> Self {
        // HAProxy's defaults: inter 2s, rise 2, fall 3.
        LoadBalancerSpec {
            algorithm: LbAlgorithm::RoundRobin,
            check_interval_ms: 2000,
            rise: 2,
            fall: 3,
            timeout_ms: 5000,
        }
    }
}

/// Two load balancers, two ways ([`PairMode`]): active-passive, the first
/// load-balancer node is the master, the second the backup; active-active,
/// two to eight load balancers, an A record each.
///
/// Active-passive (a virtual IP, VRRP as keepalived runs it): the master
/// advertises every `advert_int_ms`; the backup declares it down
/// when no advert came for the master-down interval, `3 × advert_int +
/// skew_time` with `skew_time = (256 − backup_priority) / 256` s
/// (keepalived's VRRPv2 timer, RFC 3768 §6.1), then takes the VIP.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LbPairSpec {
    /// One VIP moving between them, or two A records in DNS.
    pub mode: PairMode,
    /// Milliseconds between two adverts of the master (10 to 255,000;
    /// keepalived's `advert_int`, default 1 s).
    pub advert_int_ms: u32,
    /// The backup's VRRP priority (1 to 254; keepalived's default 100).
    pub backup_priority: u8,
    /// Whether the master takes the VIP back when it returns (keepalived
    /// preempts unless `nopreempt` is set).
    pub preempt: bool,
}

impl Default for LbPairSpec {
    fn default() -> Self {
        LbPairSpec {
            mode: PairMode::ActivePassive,
            advert_int_ms: 1000,
            backup_priority: 100,
            preempt: true,
        }
    }
}

/// How a load-balancer pair shares the traffic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairMode {
    /// One virtual IP held by the master; the backup takes it after the
    /// master-down interval (the VRRP settings below).
    #[default]
    ActivePassive,
    /// Both serve, behind two A records: each resolver caches the order it
    /// was handed for the DNS TTL (`dns.ttl_s`) and its users go to the
    /// first address. The authoritative DNS health-checks the records and
    /// hands out only live load balancers, so users pinned to a dead one
    /// fail until their resolver's entry expires. The VRRP settings are
    /// unused.
    ActiveActive,
}

impl PairMode {
    /// Machine name: `active-passive` or `active-active`.
    pub fn as_str(self) -> &'static str {
        match self {
            PairMode::ActivePassive => "active-passive",
            PairMode::ActiveActive => "active-active",
        }
    }
}

impl LbPairSpec {
    /// The backup's skew time, nanoseconds: `(256 − priority) / 256` s.
    pub fn skew_ns(&self) -> u64 {
        (256 - u64::from(self.backup_priority)) * 1_000_000_000 / 256
    }

    /// How long the backup waits without an advert before it takes the
    /// VIP, nanoseconds: `3 × advert_int + skew_time`.
    pub fn master_down_ns(&self) -> u64 {
        3 * u64::from(self.advert_int_ms) * 1_000_000 + self.skew_ns()
    }
}

/// Where reads go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadPolicy {
    /// A live replica (the one on the same box first), else the primary.
    #[default]
    Replica,
    /// Always the primary (no stale reads, no read scaling).
    Primary,
}

/// Who promotes a replica when the primary dies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailoverMode {
    /// A human runs `promote` (the seeds' setup).
    #[default]
    Manual,
    /// An orchestrator notices missed heartbeats and promotes the replica.
    Auto,
}

impl FailoverMode {
    /// Machine name: `manual` or `auto`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailoverMode::Manual => "manual",
            FailoverMode::Auto => "auto",
        }
    }
}

/// MySQL settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSpec {
    /// Where reads go.
    pub read_policy: ReadPolicy,
    /// Manual or automatic failover.
    pub failover: FailoverMode,
    /// Milliseconds for the binlog to reach a replica (0 to 60,000).
    pub binlog_delay_ms: u32,
    /// Microseconds a replica's single SQL thread needs to apply one write
    /// (1 to 1,000,000): when writes come faster, lag grows.
    pub apply_us: u32,
    /// Automatic failover: milliseconds between heartbeats (100 to 60,000).
    pub heartbeat_ms: u32,
    /// Automatic failover: missed heartbeats before the primary is declared
    /// dead (1 to 100).
    pub missed_heartbeats: u32,
    /// Automatic failover: milliseconds to promote once declared dead
    /// (0 to 600,000).
    pub promotion_ms: u32,
    /// A replica read is stale when the replica misses writes acknowledged
    /// more than this many milliseconds ago (0 to 600,000).
    pub stale_after_ms: u32,
    /// Whether app → MySQL connections use TLS (MySQL 8 does by default).
    pub tls: bool,
}

impl Default for DatabaseSpec {
    fn default() -> Self {
        // Detection 5 × 2 s = 10 s plus 8 s of promotion: inside the 10–30 s
        // that real orchestrators take.
        DatabaseSpec {
            read_policy: ReadPolicy::Replica,
            failover: FailoverMode::Manual,
            binlog_delay_ms: 20,
            apply_us: 200,
            heartbeat_ms: 2000,
            missed_heartbeats: 5,
            promotion_ms: 8000,
            stale_after_ms: 1000,
            tls: true,
        }
    }
}

/// Monitoring settings: the agents, the pipeline, the alert thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MonitoringSpec {
    /// Seconds between two samples of an agent (1 to 300).
    pub interval_s: u32,
    /// Milliseconds from agent to service over the network (0 to 600,000).
    pub ship_delay_ms: u32,
    /// Milliseconds the service takes to index what it received
    /// (0 to 600,000).
    pub ingest_delay_ms: u32,
    /// CPU microseconds one sample costs the box it runs on (0 to 1,000,000).
    pub agent_cpu_us: u32,
    /// Alert when CPU is above this percentage (1 to 100).
    pub cpu_high_pct: f64,
    /// Alert when more than this share of a host's responses are errors.
    pub error_rate: f64,
    /// Alert when a host's p99 latency exceeds this many milliseconds.
    pub p99_ms: f64,
    /// Alert when replication lag exceeds this many milliseconds.
    pub lag_ms: f64,
    /// Alert on a spike when a host's QPS grows by more than this factor
    /// between samples, and on a drop when it falls by the same factor.
    pub qps_change_factor: f64,
    /// Alert "no data" after this many intervals without a sample.
    pub no_data_intervals: u32,
}

impl Default for MonitoringSpec {
    fn default() -> Self {
        MonitoringSpec {
            interval_s: 5,
            ship_delay_ms: 1000,
            ingest_delay_ms: 4000,
            agent_cpu_us: 2000,
            cpu_high_pct: 90.0,
            error_rate: 0.05,
            p99_ms: 1000.0,
            lag_ms: 5000.0,
            qps_change_factor: 3.0,
            no_data_intervals: 3,
        }
    }
}

/// DNS settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DnsSpec {
    /// Time to live of the `www` A record, seconds (0 to 86,400).
    pub ttl_s: u32,
    /// Distinct resolvers the users sit behind (1 to 10,000): more resolvers
    /// or a shorter TTL means more cache misses.
    pub resolvers: u32,
}

impl Default for DnsSpec {
    fn default() -> Self {
        DnsSpec { ttl_s: 300, resolvers: 200 }
    }
}

/// Link delays.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkSpec {
    /// Milliseconds from a user to the edge, one way (0 to 10,000).
    pub internet_ms: f64,
    /// Milliseconds between two boxes of the data centre, one way (0 to 1,000).
    pub lan_ms: f64,
}

impl Default for NetworkSpec {
    fn default() -> Self {
        NetworkSpec { internet_ms: 20.0, lan_ms: 0.2 }
    }
}

/// Mean CPU milliseconds per request, per component (exponentially
/// distributed). TLS handshakes are charged on top (their costs are in the
/// `tls` module).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceSpec {
    /// HAProxy parsing and routing one HTTP request.
    pub lb_ms: f64,
    /// Nginx handling one request.
    pub nginx_ms: f64,
    /// The application building a page that only reads.
    pub app_read_ms: f64,
    /// The application handling a write.
    pub app_write_ms: f64,
    /// MySQL answering a read query.
    pub mysql_read_ms: f64,
    /// MySQL committing a write.
    pub mysql_write_ms: f64,
}

impl Default for ServiceSpec {
    fn default() -> Self {
        ServiceSpec {
            lb_ms: 0.02,
            nginx_ms: 0.05,
            app_read_ms: 0.5,
            app_write_ms: 1.0,
            mysql_read_ms: 0.3,
            mysql_write_ms: 0.8,
        }
    }
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Let the packet through.
    Allow,
    /// Drop the packet.
    Deny,
}

/// Transport protocol a rule matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// TCP only (everything the model sends is TCP).
    #[default]
    Tcp,
    /// UDP only.
    Udp,
    /// Either.
    Any,
}

/// Who a rule matches, as written in a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceSpec {
    /// Any source.
    Any,
    /// Every node in a zone (`{"zone": "internet"}`).
    Zone(Zone),
    /// One node by id (`{"node": "lb"}`).
    Node(String),
}

/// One line of a firewall's rule table, as written in a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Allow or deny.
    pub action: Action,
    /// Who the packet comes from.
    pub source: SourceSpec,
    /// Destination port; absent = any port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Protocol (default TCP).
    #[serde(default)]
    pub protocol: Protocol,
}

impl Scenario {
    /// Pretty JSON with every default written out (what `show` prints).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The same JSON on one line, without the spaces between its tokens
    /// (for a link). Made from the pretty form, so one serializer serves
    /// both; `from_json` reads either.
    pub fn to_json_compact(&self) -> String {
        let pretty = self.to_json_pretty();
        let mut out = String::with_capacity(pretty.len() / 2);
        let (mut in_string, mut escaped) = (false, false);
        for c in pretty.chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c.is_ascii_whitespace() {
                continue;
            } else {
                in_string = c == '"';
            }
            out.push(c);
        }
        out
    }

    /// Index of the node with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }
}
