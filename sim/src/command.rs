//! What a user can do to a running simulation, at any simulated time.
//!
//! [`Command`] is a closed enum; [`Simulation::apply`](crate::Simulation::apply)
//! either applies it at `now` or refuses it with a [`CommandError`] that says
//! why, changing nothing. [`Command`] also parses from the CLI syntax
//! (`kill:server-1`, `tls:reencrypt`, `fw:fw-1:allow:3306:internet` …).

use crate::decimal::shortest;
use crate::scenario::{
    Action, FailoverMode, LbAlgorithm, Protocol, RuleSpec, SourceSpec, TlsMode, Zone,
};
use std::fmt;
use std::str::FromStr;

/// A node named in a command: by index, by id, or by database role.
///
/// Roles are resolved when the command is applied: `PrimaryDb` is the MySQL
/// that currently takes writes (or, if none, the dead one that last did);
/// `ReplicaDb` is the first replica.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NodeRef {
    /// Index into `Scenario::nodes`.
    Index(usize),
    /// A node id from the scenario.
    Id(String),
    /// `primary-db`: the MySQL primary (kill/restore act on the MySQL process).
    PrimaryDb,
    /// `replica-db`: the first MySQL replica (kill/restore act on the process).
    ReplicaDb,
}

impl FromStr for NodeRef {
    type Err = ParseCommandError;
    fn from_str(s: &str) -> Result<NodeRef, ParseCommandError> {
        match s {
            "" => Err(ParseCommandError::MissingArgument("node")),
            "primary-db" => Ok(NodeRef::PrimaryDb),
            "replica-db" => Ok(NodeRef::ReplicaDb),
            // `#3` is what `Display` writes for an index; `#` never appears
            // in a node id (`a-z0-9-_` only), so it cannot shadow one.
            index if index.starts_with('#') => {
                index[1..].parse().map(NodeRef::Index).map_err(|_| bad("node index", index))
            }
            id => Ok(NodeRef::Id(id.to_string())),
        }
    }
}

impl fmt::Display for NodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeRef::Index(i) => write!(f, "#{i}"),
            NodeRef::Id(id) => f.write_str(id),
            NodeRef::PrimaryDb => f.write_str("primary-db"),
            NodeRef::ReplicaDb => f.write_str("replica-db"),
        }
    }
}

/// Something the user does.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Kill a node (a role name kills only that MySQL process).
    Kill(NodeRef),
    /// Bring a killed node back (an old primary comes back as a replica).
    Restore(NodeRef),
    /// Kill one box of a server pool (the first one up).
    KillOne(NodeRef),
    /// Bring back one box of a server pool (the first one down).
    RestoreOne(NodeRef),
    /// Make this replica the primary (manual failover). Refused while the
    /// primary is alive.
    Promote(NodeRef),
    /// Where TLS ends.
    SetTls(TlsMode),
    /// HAProxy's algorithm.
    SetLbAlgorithm(LbAlgorithm),
    /// User request rate, per second (1 to 200,000).
    SetRate {
        /// Requests per second.
        qps: f64,
    },
    /// Share of requests that write (0 to 1).
    SetWriteShare {
        /// The share.
        share: f64,
    },
    /// Attack traffic from the Internet (`qps` 0 turns it off).
    SetAttack {
        /// Attempts per second (0 to 200,000).
        qps: f64,
        /// Target port (3306 → MySQL, anything else → the load balancer).
        port: u16,
    },
    /// Manual or automatic failover.
    SetFailover(FailoverMode),
    /// Insert a rule into a firewall's table at `index` (`None` = at the
    /// end; the CLI's `fw:` inserts at the top so the new rule wins).
    AddFirewallRule {
        /// The firewall.
        firewall: NodeRef,
        /// Where in the table.
        index: Option<usize>,
        /// The rule (its node source may be an id or a role name).
        rule: RuleSpec,
    },
    /// Remove the rule at `index`.
    RemoveFirewallRule {
        /// The firewall.
        firewall: NodeRef,
        /// Which rule.
        index: usize,
    },
    /// Move the rule at `from` so that it ends up at `to`.
    MoveFirewallRule {
        /// The firewall.
        firewall: NodeRef,
        /// Current index.
        from: usize,
        /// New index.
        to: usize,
    },
    /// Turn a box's monitoring agent on or off.
    SetAgent {
        /// The server or load balancer.
        node: NodeRef,
        /// On or off.
        on: bool,
    },
}

/// Why a command was refused (nothing changed).
#[derive(Clone, Debug, PartialEq)]
pub enum CommandError {
    /// No node with this id or index.
    UnknownNode(String),
    /// The scenario has no MySQL in that role.
    NoSuchRole(NodeRef),
    /// This kind of node cannot be killed or restored (the user, the DNS
    /// record's owner…).
    CannotKill(String),
    /// It is already down.
    AlreadyDown(String),
    /// It is already up.
    AlreadyUp(String),
    /// `promote` names a node without a live MySQL replica.
    NotAReplica(String),
    /// `promote` while the primary still works (the model has no switchover).
    PrimaryStillUp,
    /// The command needs a firewall.
    NotAFirewall(String),
    /// The command needs a server or load balancer.
    NotABox(String),
    /// The command needs a server pool.
    NotAPool(String),
    /// A rule index beyond the table.
    RuleIndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The table's length.
        len: usize,
    },
    /// The table is full.
    TooManyRules,
    /// A number outside its range (NaN included).
    OutOfRange {
        /// Which value (`rate`, `write share`, `attack rate`, `port`).
        what: &'static str,
        /// Lowest allowed.
        min: f64,
        /// Highest allowed.
        max: f64,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::UnknownNode(n) => write!(f, "unknown node `{n}`"),
            CommandError::NoSuchRole(r) => write!(f, "this scenario has no {r}"),
            CommandError::CannotKill(n) => write!(f, "`{n}` cannot be killed or restored"),
            CommandError::AlreadyDown(n) => write!(f, "`{n}` is already down"),
            CommandError::AlreadyUp(n) => write!(f, "`{n}` is already up"),
            CommandError::NotAReplica(n) => write!(f, "`{n}` runs no live MySQL replica"),
            CommandError::PrimaryStillUp => write!(f, "the primary is still up"),
            CommandError::NotAFirewall(n) => write!(f, "`{n}` is not a firewall"),
            CommandError::NotABox(n) => write!(f, "`{n}` is not a server or load balancer"),
            CommandError::NotAPool(n) => write!(f, "`{n}` is not a server pool"),
            CommandError::RuleIndexOutOfRange { index, len } => {
                write!(f, "rule {index} does not exist (the table has {len})")
            }
            CommandError::TooManyRules => write!(f, "the rule table is full"),
            CommandError::OutOfRange { what, min, max } => {
                write!(f, "{what} out of range ({min} to {max})")
            }
        }
    }
}

impl std::error::Error for CommandError {}

/// Why a command string did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseCommandError {
    /// Nothing given.
    Empty,
    /// The word before the first `:` is not a command.
    UnknownVerb(String),
    /// A part is missing (named).
    MissingArgument(&'static str),
    /// A value is not one of those allowed.
    BadValue {
        /// What was being parsed.
        what: &'static str,
        /// The text given.
        value: String,
    },
}

impl fmt::Display for ParseCommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseCommandError::Empty => write!(f, "empty command"),
            ParseCommandError::UnknownVerb(v) => write!(
                f,
                "unknown command `{v}` (kill, restore, kill-one, restore-one, promote, tls, \
                 lb, rate, writes, attack, failover, fw, agent)"
            ),
            ParseCommandError::MissingArgument(what) => write!(f, "missing {what}"),
            ParseCommandError::BadValue { what, value } => write!(f, "bad {what} `{value}`"),
        }
    }
}

impl std::error::Error for ParseCommandError {}

fn bad(what: &'static str, value: &str) -> ParseCommandError {
    ParseCommandError::BadValue { what, value: value.to_string() }
}

fn number(what: &'static str, value: &str) -> Result<f64, ParseCommandError> {
    // `decimal::parse`, not `str::parse`: core's float parser costs the
    // browser build a 10 KB table (see `decimal`).
    match crate::decimal::parse(value) {
        Some(v) if v.is_finite() => Ok(v),
        _ => Err(bad(what, value)),
    }
}

fn port(value: &str) -> Result<Option<u16>, ParseCommandError> {
    match value {
        "*" | "any" => Ok(None),
        v => match v.parse::<u16>() {
            Ok(p) if p > 0 => Ok(Some(p)),
            _ => Err(bad("port", v)),
        },
    }
}

/// Parses a rule source: `any`, a zone name, or a node id / role.
fn source(value: &str) -> Result<SourceSpec, ParseCommandError> {
    if value.is_empty() {
        return Err(ParseCommandError::MissingArgument("source"));
    }
    if value == "any" {
        return Ok(SourceSpec::Any);
    }
    if let Some(z) = Zone::ALL.into_iter().find(|z| z.as_str() == value) {
        return Ok(SourceSpec::Zone(z));
    }
    Ok(SourceSpec::Node(value.to_string()))
}

impl FromStr for Command {
    type Err = ParseCommandError;

    /// The CLI syntax: `kill:NODE`, `restore:NODE`, `promote:NODE`,
    /// `kill-one:POOL`, `restore-one:POOL`,
    /// `tls:terminate|reencrypt|passthrough`, `lb:roundrobin|leastconn|random2`,
    /// `rate:QPS`, `writes:FRACTION`, `attack:QPS[:PORT]` (port 3306 by
    /// default), `failover:manual|auto`, `fw:FW:allow|deny:PORT:SOURCE`
    /// (PORT may be `*`; SOURCE is `any`, a zone such as `internet`, or a
    /// node; two optional parts follow: where the rule goes, an index or
    /// `end`, default 0 = the top, and the protocol `tcp|udp|any`, default
    /// `tcp`), `fw-remove:FW:INDEX`, `fw-move:FW:FROM:TO`, `agent:NODE:on|off`.
    /// NODE is a node id, `#INDEX`, or `primary-db` / `replica-db`.
    /// [`Command`]'s `Display` writes this syntax back, so
    /// `c.to_string().parse() == Ok(c)` for every command (tested).
    fn from_str(s: &str) -> Result<Command, ParseCommandError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ParseCommandError::Empty);
        }
        let mut parts = s.split(':');
        let verb = parts.next().unwrap_or_default();
        let args: Vec<&str> = parts.collect();
        let arg = |i: usize, what: &'static str| -> Result<&str, ParseCommandError> {
            match args.get(i) {
                Some(a) if !a.is_empty() => Ok(a),
                _ => Err(ParseCommandError::MissingArgument(what)),
            }
        };
        let exact = |n: usize| -> Result<(), ParseCommandError> {
            if args.len() > n {
                Err(bad("argument", args[n]))
            } else {
                Ok(())
            }
        };
        let cmd = match verb {
            "kill" | "restore" | "promote" | "kill-one" | "restore-one" => {
                let node: NodeRef = arg(0, "node")?.parse()?;
                exact(1)?;
                match verb {
                    "kill" => Command::Kill(node),
                    "restore" => Command::Restore(node),
                    "kill-one" => Command::KillOne(node),
                    "restore-one" => Command::RestoreOne(node),
                    _ => Command::Promote(node),
                }
            }
            "tls" => {
                let v = arg(0, "TLS mode")?;
                exact(1)?;
                Command::SetTls(match v {
                    "terminate" => TlsMode::Terminate,
                    "reencrypt" | "re-encrypt" => TlsMode::Reencrypt,
                    "passthrough" => TlsMode::Passthrough,
                    _ => return Err(bad("TLS mode", v)),
                })
            }
            "lb" => {
                let v = arg(0, "algorithm")?;
                exact(1)?;
                Command::SetLbAlgorithm(match v {
                    "roundrobin" => LbAlgorithm::RoundRobin,
                    "leastconn" => LbAlgorithm::LeastConn,
                    "random2" | "random-of-two" => LbAlgorithm::RandomOfTwo,
                    _ => return Err(bad("algorithm", v)),
                })
            }
            "rate" => {
                let qps = number("rate", arg(0, "rate")?)?;
                exact(1)?;
                Command::SetRate { qps }
            }
            "writes" => {
                let share = number("write share", arg(0, "write share")?)?;
                exact(1)?;
                Command::SetWriteShare { share }
            }
            "attack" => {
                let qps = number("attack rate", arg(0, "attack rate")?)?;
                let port = match args.get(1) {
                    Some(p) => port(p)?.ok_or_else(|| bad("port", p))?,
                    None => 3306,
                };
                exact(2)?;
                Command::SetAttack { qps, port }
            }
            "failover" => {
                let v = arg(0, "failover mode")?;
                exact(1)?;
                Command::SetFailover(match v {
                    "manual" => FailoverMode::Manual,
                    "auto" => FailoverMode::Auto,
                    _ => return Err(bad("failover mode", v)),
                })
            }
            "fw" => {
                let firewall: NodeRef = arg(0, "firewall")?.parse()?;
                let action = match arg(1, "allow|deny")? {
                    "allow" => Action::Allow,
                    "deny" => Action::Deny,
                    v => return Err(bad("action", v)),
                };
                let port = port(arg(2, "port")?)?;
                let source = source(arg(3, "source")?)?;
                let index = match args.get(4) {
                    None => Some(0),
                    Some(&"end") => None,
                    Some(i) => Some(i.parse().map_err(|_| bad("rule index", i))?),
                };
                let protocol = match args.get(5) {
                    None | Some(&"tcp") => Protocol::Tcp,
                    Some(&"udp") => Protocol::Udp,
                    Some(&"any") => Protocol::Any,
                    Some(v) => return Err(bad("protocol", v)),
                };
                exact(6)?;
                Command::AddFirewallRule {
                    firewall,
                    index,
                    rule: RuleSpec { action, source, port, protocol },
                }
            }
            "fw-remove" => {
                let firewall: NodeRef = arg(0, "firewall")?.parse()?;
                let i = arg(1, "rule index")?;
                let index = i.parse().map_err(|_| bad("rule index", i))?;
                exact(2)?;
                Command::RemoveFirewallRule { firewall, index }
            }
            "fw-move" => {
                let firewall: NodeRef = arg(0, "firewall")?.parse()?;
                let (a, b) = (arg(1, "rule index")?, arg(2, "rule index")?);
                let from = a.parse().map_err(|_| bad("rule index", a))?;
                let to = b.parse().map_err(|_| bad("rule index", b))?;
                exact(3)?;
                Command::MoveFirewallRule { firewall, from, to }
            }
            "agent" => {
                let node: NodeRef = arg(0, "node")?.parse()?;
                let on = match arg(1, "on|off")? {
                    "on" => true,
                    "off" => false,
                    v => return Err(bad("on|off", v)),
                };
                exact(2)?;
                Command::SetAgent { node, on }
            }
            other => return Err(ParseCommandError::UnknownVerb(other.to_string())),
        };
        Ok(cmd)
    }
}

/// Writes the CLI syntax [`Command::from_str`] reads (numbers in their
/// shortest round-tripping form, [`crate::decimal::shortest`]), so a command survives a trip through text:
/// the app's shareable links carry commands this way.
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Kill(n) => write!(f, "kill:{n}"),
            Command::Restore(n) => write!(f, "restore:{n}"),
            Command::KillOne(n) => write!(f, "kill-one:{n}"),
            Command::RestoreOne(n) => write!(f, "restore-one:{n}"),
            Command::Promote(n) => write!(f, "promote:{n}"),
            Command::SetTls(m) => write!(f, "tls:{}", m.as_str()),
            Command::SetLbAlgorithm(a) => write!(f, "lb:{}", a.as_str()),
            Command::SetRate { qps } => write!(f, "rate:{}", shortest(*qps)),
            Command::SetWriteShare { share } => write!(f, "writes:{}", shortest(*share)),
            Command::SetAttack { qps, port } => write!(f, "attack:{}:{port}", shortest(*qps)),
            Command::SetFailover(m) => write!(f, "failover:{}", m.as_str()),
            Command::AddFirewallRule { firewall, index, rule } => {
                let action = match rule.action {
                    Action::Allow => "allow",
                    Action::Deny => "deny",
                };
                write!(f, "fw:{firewall}:{action}:")?;
                match rule.port {
                    Some(p) => write!(f, "{p}:")?,
                    None => f.write_str("*:")?,
                }
                match &rule.source {
                    SourceSpec::Any => f.write_str("any")?,
                    SourceSpec::Zone(z) => f.write_str(z.as_str())?,
                    SourceSpec::Node(id) => f.write_str(id)?,
                }
                let protocol = match rule.protocol {
                    Protocol::Tcp => None,
                    Protocol::Udp => Some("udp"),
                    Protocol::Any => Some("any"),
                };
                match (index, protocol) {
                    (Some(0), None) => Ok(()),
                    (Some(i), _) => write!(f, ":{i}"),
                    (None, _) => f.write_str(":end"),
                }?;
                match protocol {
                    Some(p) => write!(f, ":{p}"),
                    None => Ok(()),
                }
            }
            Command::RemoveFirewallRule { firewall, index } => {
                write!(f, "fw-remove:{firewall}:{index}")
            }
            Command::MoveFirewallRule { firewall, from, to } => {
                write!(f, "fw-move:{firewall}:{from}:{to}")
            }
            Command::SetAgent { node, on } => {
                write!(f, "agent:{node}:{}", if *on { "on" } else { "off" })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_cli_syntax() {
        let p = |s: &str| s.parse::<Command>();
        assert_eq!(p("kill:primary-db"), Ok(Command::Kill(NodeRef::PrimaryDb)));
        assert_eq!(p("promote:replica-db"), Ok(Command::Promote(NodeRef::ReplicaDb)));
        assert_eq!(p("restore:server-1"), Ok(Command::Restore(NodeRef::Id("server-1".into()))));
        assert_eq!(p("tls:reencrypt"), Ok(Command::SetTls(TlsMode::Reencrypt)));
        assert_eq!(p("lb:random2"), Ok(Command::SetLbAlgorithm(LbAlgorithm::RandomOfTwo)));
        assert_eq!(p("rate:2500"), Ok(Command::SetRate { qps: 2500.0 }));
        assert_eq!(p("writes:0.3"), Ok(Command::SetWriteShare { share: 0.3 }));
        assert_eq!(p("attack:50"), Ok(Command::SetAttack { qps: 50.0, port: 3306 }));
        assert_eq!(p("attack:50:22"), Ok(Command::SetAttack { qps: 50.0, port: 22 }));
        assert_eq!(p("failover:auto"), Ok(Command::SetFailover(FailoverMode::Auto)));
        assert_eq!(
            p("fw:fw-1:allow:3306:internet"),
            Ok(Command::AddFirewallRule {
                firewall: NodeRef::Id("fw-1".into()),
                index: Some(0),
                rule: RuleSpec {
                    action: Action::Allow,
                    source: SourceSpec::Zone(Zone::Internet),
                    port: Some(3306),
                    protocol: Protocol::Tcp,
                },
            })
        );
        assert_eq!(
            p("agent:lb:off"),
            Ok(Command::SetAgent { node: NodeRef::Id("lb".into()), on: false })
        );
    }

    #[test]
    fn refuses_malformed_commands_with_a_reason() {
        for bad in [
            "",
            "explode:lb",
            "kill",
            "kill:",
            "rate:fast",
            "rate:NaN",
            "tls:rot13",
            "attack:5:0",
            "fw:fw-1:maybe:22:any",
            "fw:fw-1:allow:99999:any",
            "kill:a:b",
        ] {
            let err = bad.parse::<Command>().unwrap_err();
            assert!(!err.to_string().is_empty(), "{bad}");
        }
    }

    fn node() -> impl proptest::strategy::Strategy<Value = NodeRef> {
        use proptest::prelude::*;
        prop_oneof![
            (0usize..200).prop_map(NodeRef::Index),
            "[a-z0-9_][a-z0-9_-]{0,20}".prop_filter_map("a role name, not an id", |id| {
                (id != "primary-db" && id != "replica-db").then_some(NodeRef::Id(id))
            }),
            Just(NodeRef::PrimaryDb),
            Just(NodeRef::ReplicaDb),
        ]
    }

    fn command() -> impl proptest::strategy::Strategy<Value = Command> {
        use proptest::prelude::*;
        let rule = (
            prop_oneof![Just(Action::Allow), Just(Action::Deny)],
            prop_oneof![
                Just(SourceSpec::Any),
                proptest::sample::select(Zone::ALL.to_vec()).prop_map(SourceSpec::Zone),
                "[a-z0-9][a-z0-9-]{0,12}".prop_filter_map("not a keyword", |id| {
                    (id != "any" && Zone::ALL.iter().all(|z| z.as_str() != id))
                        .then_some(SourceSpec::Node(id))
                }),
            ],
            proptest::option::of(1u16..),
            prop_oneof![Just(Protocol::Tcp), Just(Protocol::Udp), Just(Protocol::Any)],
        )
            .prop_map(|(action, source, port, protocol)| RuleSpec {
                action,
                source,
                port,
                protocol,
            });
        prop_oneof![
            node().prop_map(Command::Kill),
            node().prop_map(Command::Restore),
            node().prop_map(Command::Promote),
            node().prop_map(Command::KillOne),
            node().prop_map(Command::RestoreOne),
            prop_oneof![
                Just(TlsMode::Terminate),
                Just(TlsMode::Reencrypt),
                Just(TlsMode::Passthrough)
            ]
            .prop_map(Command::SetTls),
            prop_oneof![
                Just(LbAlgorithm::RoundRobin),
                Just(LbAlgorithm::LeastConn),
                Just(LbAlgorithm::RandomOfTwo)
            ]
            .prop_map(Command::SetLbAlgorithm),
            proptest::num::f64::NORMAL.prop_map(|qps| Command::SetRate { qps }),
            (0.0f64..=1.0).prop_map(|share| Command::SetWriteShare { share }),
            (0.0f64..1e6, 1u16..).prop_map(|(qps, port)| Command::SetAttack { qps, port }),
            prop_oneof![Just(FailoverMode::Manual), Just(FailoverMode::Auto)]
                .prop_map(Command::SetFailover),
            (node(), proptest::option::of(0usize..50), rule).prop_map(|(firewall, index, rule)| {
                Command::AddFirewallRule { firewall, index, rule }
            }),
            (node(), 0usize..50)
                .prop_map(|(firewall, index)| Command::RemoveFirewallRule { firewall, index }),
            (node(), 0usize..50, 0usize..50)
                .prop_map(|(firewall, from, to)| Command::MoveFirewallRule { firewall, from, to }),
            (node(), proptest::bool::ANY).prop_map(|(node, on)| Command::SetAgent { node, on }),
        ]
    }

    proptest::proptest! {
        /// The app's links carry commands as text: every command reads back
        /// as itself.
        #[test]
        fn every_command_survives_a_trip_through_text(c in command()) {
            let text = c.to_string();
            proptest::prop_assert_eq!(text.parse::<Command>(), Ok(c), "{}", text);
        }
    }

    #[test]
    fn writes_the_cli_syntax() {
        for text in [
            "kill:primary-db",
            "restore:server-1",
            "kill-one:web-pool",
            "restore-one:web-pool",
            "promote:replica-db",
            "tls:passthrough",
            "lb:leastconn",
            "rate:2500",
            "rate:0.5",
            "writes:0.3",
            "attack:50:22",
            "failover:auto",
            "fw:fw-1:allow:3306:internet",
            "fw:fw-2:deny:*:any:end",
            "fw:fw-3:allow:53:lb:2:udp",
            "fw-remove:fw-1:0",
            "fw-move:fw-1:2:0",
            "agent:lb:off",
        ] {
            let c: Command = text.parse().unwrap();
            assert_eq!(c.to_string(), text);
        }
        assert_eq!("kill:#4".parse::<Command>(), Ok(Command::Kill(NodeRef::Index(4))));
        assert!("kill:#x".parse::<Command>().is_err());
        assert!("fw:fw-1:allow:22:any:0:sctp".parse::<Command>().is_err());
    }
}
