//! The explanations: why each part is there and the review's questions,
//! each with a "show me" that sets the live board to demonstrate it. As
//! data: which parts a topic is about (by [`Role`]) and which commands its
//! demonstration applies, worked out for whatever layout is loaded. Words
//! live in `locales/*/explain.json`.

use super::tour::Role;
use infraboard_sim::validate::{MAX_RATE_QPS, MIN_RATE_QPS};
use infraboard_sim::{
    Action, Command, NodeRef, Protocol, RuleSpec, Scenario, SourceSpec, TlsMode, Zone,
};

/// Attack attempts per second the firewall demonstrations send.
const ATTACK_QPS: f64 = 200.0;
/// How much the monitoring demonstrations multiply or divide the traffic by.
const TRAFFIC_FACTOR: f64 = 4.0;
const SSH_PORT: u16 = 22;
const MYSQL_PORT: u16 = 3306;

/// One thing the explanations panel explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Firewall 1, in front of the load balancer.
    FirewallEdge,
    /// Firewall 2, in front of the web servers.
    FirewallApp,
    /// Firewall 3, in front of the database.
    FirewallData,
    /// The SSL certificate on the load balancer.
    Certificate,
    /// The monitoring agent on the load balancer.
    AgentLb,
    /// The agent on each web server.
    AgentWeb,
    /// The agent next to MySQL.
    AgentDb,
    /// What are firewalls for?
    WhyFirewalls,
    /// Why is the traffic served over HTTPS?
    WhyHttps,
    /// What is monitoring used for?
    WhyMonitoring,
    /// How does the monitoring tool collect data?
    HowCollect,
    /// How to monitor the web server's QPS?
    HowQps,
}

/// Why a demonstration cannot run on this layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotInLayout(pub Role);

impl Topic {
    /// The parts of the design, in board order.
    pub const ELEMENTS: [Topic; 7] = [
        Topic::FirewallEdge,
        Topic::FirewallApp,
        Topic::FirewallData,
        Topic::Certificate,
        Topic::AgentLb,
        Topic::AgentWeb,
        Topic::AgentDb,
    ];

    /// The review's questions, in the order it asks them.
    pub const QUESTIONS: [Topic; 5] = [
        Topic::WhyFirewalls,
        Topic::WhyHttps,
        Topic::WhyMonitoring,
        Topic::HowCollect,
        Topic::HowQps,
    ];

    /// The roles this topic is about (lit on the board while it is open).
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Topic::FirewallEdge => &[EdgeFirewall],
            Topic::FirewallApp => &[AppFirewall],
            Topic::FirewallData => &[DataFirewall],
            Topic::Certificate | Topic::WhyHttps => &[LoadBalancer, User],
            Topic::AgentLb => &[LoadBalancer, MonitoringService],
            Topic::AgentWeb => &[WebServers, MonitoringService],
            Topic::AgentDb => &[DatabaseHosts, MonitoringService],
            Topic::WhyFirewalls => &[EdgeFirewall, AppFirewall, DataFirewall],
            Topic::WhyMonitoring | Topic::HowCollect => &[Agents, MonitoringService],
            Topic::HowQps => &[WebServers, MonitoringService],
        }
    }

    /// Node indices to light up on layout `s`, sorted, no duplicates.
    pub fn highlight(self, s: &Scenario) -> Vec<usize> {
        Role::all_of(self.roles(), s)
    }

    /// The commands of "show me" on layout `s`, applied at once to the
    /// running simulation; `rate_qps` is the current user request rate.
    pub fn demo(self, s: &Scenario, rate_qps: f64) -> Result<Vec<Command>, NotInLayout> {
        use Command::*;
        let first = |role: Role| -> Result<NodeRef, NotInLayout> {
            role.resolve(s)
                .first()
                .map(|&i| NodeRef::Id(s.nodes[i].id.clone()))
                .ok_or(NotInLayout(role))
        };
        let all = |role: Role| -> Result<Vec<NodeRef>, NotInLayout> {
            let ids: Vec<NodeRef> =
                role.resolve(s).into_iter().map(|i| NodeRef::Id(s.nodes[i].id.clone())).collect();
            if ids.is_empty() {
                Err(NotInLayout(role))
            } else {
                Ok(ids)
            }
        };
        let rule =
            |action, source, port| RuleSpec { action, source, port, protocol: Protocol::Tcp };
        // Kept inside the rates the simulation accepts.
        let rate = |qps: f64| SetRate { qps: qps.clamp(MIN_RATE_QPS, MAX_RATE_QPS) };
        Ok(match self {
            Topic::FirewallEdge => {
                first(Role::EdgeFirewall)?;
                vec![SetAttack { qps: ATTACK_QPS, port: SSH_PORT }]
            }
            Topic::WhyFirewalls => {
                first(Role::EdgeFirewall)?;
                vec![SetAttack { qps: ATTACK_QPS, port: MYSQL_PORT }]
            }
            Topic::FirewallApp => {
                // A deny on top of the table wins over the "allow the load
                // balancer" lines, as if they had been deleted.
                let lb = s.nodes[Role::LoadBalancer
                    .resolve(s)
                    .first()
                    .copied()
                    .ok_or(NotInLayout(Role::LoadBalancer))?]
                .id
                .clone();
                all(Role::AppFirewall)?
                    .into_iter()
                    .map(|firewall| AddFirewallRule {
                        firewall,
                        index: Some(0),
                        rule: rule(Action::Deny, SourceSpec::Node(lb.clone()), None),
                    })
                    .collect()
            }
            Topic::FirewallData => {
                first(Role::DataFirewall)?;
                // Open the outer wall to MySQL's port, so only the inner one is left.
                let mut cmds: Vec<Command> = Role::EdgeFirewall
                    .resolve(s)
                    .into_iter()
                    .map(|i| AddFirewallRule {
                        firewall: NodeRef::Id(s.nodes[i].id.clone()),
                        index: Some(0),
                        rule: rule(
                            Action::Allow,
                            SourceSpec::Zone(Zone::Internet),
                            Some(MYSQL_PORT),
                        ),
                    })
                    .collect();
                cmds.push(SetAttack { qps: ATTACK_QPS, port: MYSQL_PORT });
                cmds
            }
            Topic::Certificate => {
                first(Role::LoadBalancer)?;
                vec![SetTls(TlsMode::Terminate)]
            }
            Topic::WhyHttps => {
                first(Role::LoadBalancer)?;
                vec![SetTls(TlsMode::Reencrypt)]
            }
            Topic::AgentLb => {
                let lb = Role::LoadBalancer.resolve(s);
                let with_agent =
                    lb.iter().find(|&&i| s.nodes[i].agent).ok_or(NotInLayout(Role::Agents))?;
                first(Role::MonitoringService)?;
                vec![SetAgent { node: NodeRef::Id(s.nodes[*with_agent].id.clone()), on: false }]
            }
            Topic::AgentWeb => {
                first(Role::MonitoringService)?;
                vec![Kill(first(Role::WebServers)?)]
            }
            Topic::AgentDb => {
                first(Role::DatabaseHosts)?;
                first(Role::MonitoringService)?;
                vec![Kill(NodeRef::PrimaryDb)]
            }
            Topic::WhyMonitoring => {
                first(Role::MonitoringService)?;
                vec![rate(rate_qps * TRAFFIC_FACTOR)]
            }
            Topic::HowCollect => {
                first(Role::MonitoringService)?;
                let web = Role::WebServers.resolve(s);
                let with_agent =
                    web.iter().find(|&&i| s.nodes[i].agent).ok_or(NotInLayout(Role::Agents))?;
                vec![SetAgent { node: NodeRef::Id(s.nodes[*with_agent].id.clone()), on: false }]
            }
            Topic::HowQps => {
                first(Role::MonitoringService)?;
                first(Role::WebServers)?;
                vec![rate(rate_qps / TRAFFIC_FACTOR)]
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::{presets, AlertRule, DropCode, Event, Metrics, SimTime, Simulation};

    /// What the board shows about a run, before and after a demonstration.
    #[derive(Debug, Default)]
    struct Seen {
        alerts: Vec<(AlertRule, usize)>,
        plaintext_hops_after: u64,
        backends_removed: usize,
    }

    /// Runs the default layout at `rate` for 20 s, applies the demo, runs 40 s.
    fn demo_run(topic: Topic, rate: f64) -> (Scenario, Metrics, Metrics, Seen) {
        let s = presets::default_scenario();
        let mut sim = Simulation::new(&s, 1).unwrap();
        sim.apply(Command::SetRate { qps: rate }).unwrap();
        sim.advance_to(SimTime::from_secs(20)).unwrap();
        while sim.poll_event().is_some() {}
        let before = sim.metrics().clone();
        for command in topic.demo(&s, rate).unwrap() {
            sim.apply(command).unwrap_or_else(|e| panic!("{topic:?}: {e}"));
        }
        let mut seen = Seen::default();
        for t in 21..=60 {
            sim.advance_to(SimTime::from_secs(t)).unwrap();
            while let Some(e) = sim.poll_event() {
                match e {
                    Event::Alert { rule, node, .. } => seen.alerts.push((rule, node)),
                    Event::Hop { encrypted: false, .. } if t > 22 => seen.plaintext_hops_after += 1,
                    Event::BackendRemoved { .. } => seen.backends_removed += 1,
                    _ => {}
                }
            }
        }
        (s, before, sim.metrics().clone(), seen)
    }

    fn drops_at(m: &Metrics, firewall: usize) -> u64 {
        m.firewall_drops.iter().filter(|(fw, _, _)| *fw == firewall).map(|(_, _, n)| n).sum()
    }

    fn id(s: &Scenario, name: &str) -> usize {
        s.index_of(name).unwrap()
    }

    #[test]
    fn every_demo_resolves_on_every_builtin_preset_or_names_what_is_missing() {
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            for topic in Topic::ELEMENTS.into_iter().chain(Topic::QUESTIONS) {
                match topic.demo(&s, 50.0) {
                    Ok(cmds) => assert!(!cmds.is_empty(), "{name}: {topic:?}"),
                    Err(NotInLayout(role)) => {
                        assert!(
                            role.resolve(&s).is_empty() || role == Role::Agents,
                            "{name}: {topic:?} blames {role:?}, which exists"
                        )
                    }
                }
            }
        }
    }

    #[test]
    fn firewall_one_drops_ssh_and_mysql_attempts_from_the_internet() {
        for topic in [Topic::FirewallEdge, Topic::WhyFirewalls] {
            let (s, before, after, _) = demo_run(topic, 50.0);
            assert!(
                drops_at(&after, id(&s, "fw-1")) > drops_at(&before, id(&s, "fw-1")) + 1000,
                "{topic:?}"
            );
            assert_eq!(after.attacks_reached, 0, "{topic:?}");
            assert!(after.served > before.served + 1000, "{topic:?}: the site keeps serving");
        }
    }

    #[test]
    fn denying_the_load_balancer_at_firewall_two_empties_the_pool() {
        let (_, _, after, seen) = demo_run(Topic::FirewallApp, 50.0);
        assert_eq!(seen.backends_removed, 2, "both servers leave HAProxy's pool");
        assert!(after.dropped_for(DropCode::NoHealthyBackend) > 0);
    }

    #[test]
    fn with_firewall_one_open_the_database_firewall_still_stops_mysql_attacks() {
        let (s, before, after, _) = demo_run(Topic::FirewallData, 50.0);
        assert_eq!(after.attacks_reached, 0);
        // The primary runs on server-1, behind fw-2 in this layout.
        assert!(drops_at(&after, id(&s, "fw-2")) > drops_at(&before, id(&s, "fw-2")) + 1000);
    }

    #[test]
    fn tls_demos_open_or_close_the_hops_behind_the_load_balancer() {
        let (_, _, _, terminate) = demo_run(Topic::Certificate, 50.0);
        assert!(terminate.plaintext_hops_after > 0);
        let (_, _, _, reencrypt) = demo_run(Topic::WhyHttps, 50.0);
        assert_eq!(reencrypt.plaintext_hops_after, 0);
    }

    #[test]
    fn monitoring_demos_raise_the_alerts_they_promise() {
        let fired = |topic: Topic, rule: AlertRule, node: Option<&str>| {
            let (s, _, _, seen) = demo_run(topic, 200.0);
            assert!(
                seen.alerts
                    .iter()
                    .any(|&(r, n)| r == rule && node.is_none_or(|id| s.nodes[n].id == id)),
                "{topic:?}: expected {rule:?} on {node:?}, saw {:?}",
                seen.alerts
            );
        };
        fired(Topic::AgentLb, AlertRule::NoData, Some("lb"));
        fired(Topic::AgentWeb, AlertRule::NoData, Some("server-1"));
        fired(Topic::AgentDb, AlertRule::PrimaryDown, None);
        fired(Topic::WhyMonitoring, AlertRule::QpsSpike, None);
        fired(Topic::HowCollect, AlertRule::NoData, Some("server-1"));
        fired(Topic::HowQps, AlertRule::QpsDrop, None);
    }
}
