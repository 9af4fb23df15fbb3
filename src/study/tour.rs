//! The guided tour of one HTTPS request, as data: ten steps, each naming the
//! parts of the board it is about by *role* (the firewall in front of the
//! load balancer, the servers running MySQL …), never by id, so the same
//! tour runs on every layout and can say which step a layout cannot show.
//!
//! Plain Rust over [`Scenario`]: no web types, unit-tested natively. The
//! words of each step live in `locales/*/tour.json`. Which firewall guards
//! what and whether the request is encrypted on a leg are the sim's answers
//! ([`Topology`]), never worked out here.
//!
//! The padlock of the tour's request comes from [`Topology::leg_encrypted`]
//! for the leg the step is on, not from the `Hop` events of a sampled
//! request: the tour is read step by step, usually paused, and must say
//! what the current TLS mode does on every leg at any moment, while a real
//! request may not exist (traffic stopped, 1 in N sampled at high rates) or
//! may not get that far (a firewall or box in the way). The sim moves its
//! requests by the same answers (its tests check every reported hop against
//! the view's path), so the two cannot disagree.

use infraboard_sim::{Leg, NodeKind, Scenario, TlsMode, Topology};

/// A part of the design, described by what it does rather than by its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The visitor's browser.
    User,
    /// The DNS holding the `www` A record.
    Dns,
    /// Firewall 1: guards the load balancer (the perimeter).
    EdgeFirewall,
    /// HAProxy, which holds the certificate.
    LoadBalancer,
    /// The load balancer's backends: the boxes running Nginx.
    WebServers,
    /// The boxes running the application (a full-stack server, or the app
    /// box behind an Nginx-only one in split tiers).
    AppServers,
    /// Firewall 2: guards the web servers.
    AppFirewall,
    /// Boxes running a MySQL primary or replica.
    DatabaseHosts,
    /// Firewall 3: guards the MySQL boxes.
    DataFirewall,
    /// Boxes with a monitoring agent.
    Agents,
    /// The central (Sumo Logic-like) monitoring service.
    MonitoringService,
}

impl Role {
    /// Indices (into `Scenario::nodes`) of the nodes that play this role, in
    /// node order; empty when the layout lacks it.
    pub fn resolve(self, s: &Scenario) -> Vec<usize> {
        self.resolve_in(&Topology::of(s))
    }

    /// The nodes that play any of `roles` on layout `s`, sorted, no
    /// duplicates (what a topic or a challenge lights on the board); the
    /// topology is resolved once for all of them.
    pub fn all_of(roles: &[Role], s: &Scenario) -> Vec<usize> {
        let topology = Topology::of(s);
        let mut nodes: Vec<usize> = roles.iter().flat_map(|r| r.resolve_in(&topology)).collect();
        crate::small_sort::sort(&mut nodes);
        nodes.dedup();
        nodes
    }

    /// [`Role::resolve`] against a topology already at hand: the MySQL
    /// boxes and the firewalls in front of each tier are the sim's answers.
    pub fn resolve_in(self, t: &Topology) -> Vec<usize> {
        let s = t.scenario();
        let kind = |k: NodeKind| -> Vec<usize> {
            s.nodes.iter().enumerate().filter(|(_, n)| n.kind == k).map(|(i, _)| i).collect()
        };
        let guarding = |tier: Role| -> Vec<usize> {
            let boxes = tier.resolve_in(t);
            let guards = |f: &usize| t.guarded_by(*f).any(|g| boxes.contains(&g));
            t.firewalls().iter().copied().filter(guards).collect()
        };
        match self {
            Role::User => kind(NodeKind::User),
            Role::Dns => kind(NodeKind::Dns),
            Role::LoadBalancer => kind(NodeKind::LoadBalancer),
            Role::MonitoringService => kind(NodeKind::Monitoring),
            Role::WebServers => t.web_servers().to_vec(),
            Role::AppServers => t.app_hosts().collect(),
            Role::DatabaseHosts => {
                t.mysql_hosts().filter(|&i| t.kind(i) == Some(NodeKind::Server)).collect()
            }
            Role::Agents => (0..s.nodes.len()).filter(|&i| s.nodes[i].agent).collect(),
            Role::EdgeFirewall => guarding(Role::LoadBalancer),
            Role::AppFirewall => guarding(Role::WebServers),
            Role::DataFirewall => guarding(Role::DatabaseHosts),
        }
    }
}

/// One step of the tour (the seeds' ten-step flow of events).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The user types https://www.foobar.com.
    Browser,
    /// DNS: the `www` A record gives the load balancer's public IP.
    Dns,
    /// Firewall 1 admits only 443.
    FirewallEdge,
    /// HAProxy terminates SSL with the www.foobar.com certificate.
    Tls,
    /// The load balancer picks a server by its algorithm.
    Balance,
    /// Firewall 2 admits only the load balancer.
    FirewallApp,
    /// The application queries the MySQL primary / replica.
    Database,
    /// Firewall 3 admits only the application servers.
    FirewallData,
    /// Agents ship logs and metrics to the monitoring service.
    Monitoring,
    /// The response goes back over HTTPS.
    Response,
}

impl Step {
    /// Every step, in tour order.
    pub const ALL: [Step; 10] = [
        Step::Browser,
        Step::Dns,
        Step::FirewallEdge,
        Step::Tls,
        Step::Balance,
        Step::FirewallApp,
        Step::Database,
        Step::FirewallData,
        Step::Monitoring,
        Step::Response,
    ];

    /// The step at `index`, clamped into the tour (a stale or tampered index
    /// lands on the nearest real step).
    pub fn at(index: usize) -> Step {
        Step::ALL[index.min(Step::ALL.len() - 1)]
    }

    /// The roles this step lights up on the board.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Step::Browser => &[User],
            Step::Dns => &[User, Dns],
            Step::FirewallEdge => &[EdgeFirewall],
            Step::Tls => &[LoadBalancer],
            Step::Balance => &[LoadBalancer, WebServers],
            Step::FirewallApp => &[AppFirewall, WebServers],
            Step::Database => &[AppServers, DatabaseHosts],
            Step::FirewallData => &[DataFirewall, DatabaseHosts],
            Step::Monitoring => &[Agents, MonitoringService],
            Step::Response => &[WebServers, LoadBalancer, EdgeFirewall, User],
        }
    }

    /// The roles without which this step cannot happen as the seeds tell it
    /// (the step then shows its "not in this layout" line).
    pub fn essential(self) -> &'static [Role] {
        use Role::*;
        match self {
            Step::Browser => &[User],
            Step::Dns => &[Dns],
            Step::FirewallEdge => &[EdgeFirewall],
            Step::Tls | Step::Balance | Step::Response => &[LoadBalancer],
            Step::FirewallApp => &[AppFirewall],
            Step::Database => &[DatabaseHosts],
            Step::FirewallData => &[DataFirewall],
            Step::Monitoring => &[Agents, MonitoringService],
        }
    }

    /// What to light when none of [`Step::roles`] exists in a layout: the
    /// first of these roles that does.
    fn stand_in(self) -> &'static [Role] {
        use Role::*;
        match self {
            Step::FirewallEdge => &[LoadBalancer, WebServers],
            Step::Dns => &[User],
            Step::Monitoring => &[WebServers],
            _ => &[WebServers],
        }
    }

    /// Where the one request of the tour stands at the end of this step.
    fn request_at(self) -> &'static [Role] {
        use Role::*;
        match self {
            Step::Browser | Step::Dns | Step::Response => &[User],
            Step::FirewallEdge => &[EdgeFirewall, LoadBalancer],
            Step::Tls => &[LoadBalancer, WebServers],
            Step::Balance | Step::FirewallApp => &[WebServers],
            Step::Database | Step::FirewallData => &[DatabaseHosts, WebServers],
            Step::Monitoring => &[MonitoringService, WebServers],
        }
    }

    /// The step resolved against one layout.
    pub fn on(self, s: &Scenario) -> StepView {
        let t = Topology::of(s);
        let resolve = |r: &Role| r.resolve_in(&t);
        let mut highlight: Vec<usize> = self.roles().iter().flat_map(resolve).collect();
        crate::small_sort::sort(&mut highlight);
        highlight.dedup();
        let missing: Vec<Role> =
            self.essential().iter().copied().filter(|r| resolve(r).is_empty()).collect();
        // When the step's parts are all absent, light what stands in for
        // them (no firewall 1: the load balancer it should guard; no load
        // balancer: the servers, which then terminate TLS themselves).
        if highlight.is_empty() {
            highlight = self
                .stand_in()
                .iter()
                .map(resolve)
                .find(|nodes| !nodes.is_empty())
                .unwrap_or_default();
        }
        let request_at = self.request_at().iter().find_map(|r| resolve(r).first().copied());
        StepView { step: self, highlight, missing, request_at }
    }
}

impl Step {
    /// The leg of the request this step leaves it on; `None` at the
    /// monitoring step, where what travels is the agents' metrics.
    pub fn leg(self) -> Option<Leg> {
        match self {
            // The browser's HTTPS connection to HAProxy, there and back.
            Step::Browser | Step::Dns | Step::FirewallEdge | Step::Tls | Step::Response => {
                Some(Leg::Internet)
            }
            Step::Balance | Step::FirewallApp => Some(Leg::Backend),
            Step::Database | Step::FirewallData => Some(Leg::Database),
            Step::Monitoring => None,
        }
    }

    /// Whether the user's data is encrypted where the tour's request stands
    /// after this step in TLS mode `tls`, as the sim's topology says;
    /// `None` at the monitoring step.
    pub fn carried_encrypted(self, topology: &Topology, tls: TlsMode) -> Option<bool> {
        self.leg().map(|leg| topology.leg_encrypted(leg, tls))
    }
}

/// A step as it applies to one layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepView {
    /// Which step.
    pub step: Step,
    /// Node indices to light up, sorted, without duplicates.
    pub highlight: Vec<usize>,
    /// Essential roles the layout lacks (empty = the step happens as told).
    pub missing: Vec<Role>,
    /// The node where the tour's request stands after this step, if any.
    pub request_at: Option<usize>,
}

impl StepView {
    /// Whether the layout lacks what this step is about.
    pub fn is_missing(&self) -> bool {
        !self.missing.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    #[test]
    fn every_step_resolves_or_says_missing_on_every_builtin_preset() {
        for name in presets::names() {
            let s = presets::get(name).expect("built-in presets are valid");
            for step in Step::ALL {
                let view = step.on(&s);
                assert!(
                    !view.highlight.is_empty() || view.is_missing(),
                    "{name}: {step:?} lights nothing yet claims nothing is missing"
                );
                assert!(view.highlight.iter().all(|&i| i < s.nodes.len()), "{name}: {step:?}");
                for role in &view.missing {
                    assert!(role.resolve(&s).is_empty(), "{name}: {role:?} reported missing");
                }
            }
        }
    }

    #[test]
    fn the_default_layout_shows_all_ten_steps_on_the_seeds_parts() {
        let s = presets::default_scenario();
        let id = |i: usize| s.nodes[i].id.as_str();
        let ids =
            |step: Step| -> Vec<&str> { step.on(&s).highlight.iter().map(|&i| id(i)).collect() };
        for step in Step::ALL {
            assert!(!step.on(&s).is_missing(), "{step:?} missing on the default layout");
        }
        assert_eq!(ids(Step::FirewallEdge), ["fw-1"]);
        assert_eq!(ids(Step::Tls), ["lb"]);
        // In this layout each server runs everything, so the firewalls in
        // front of the servers are both "firewall 2" and "firewall 3".
        assert_eq!(ids(Step::FirewallApp), ["fw-2", "server-1", "fw-3", "server-2"]);
        assert_eq!(ids(Step::FirewallData), ids(Step::FirewallApp));
        assert_eq!(ids(Step::Monitoring), ["lb", "server-1", "server-2", "monitoring"]);
        assert_eq!(step_request(&s, Step::Response), Some("user"));
    }

    #[test]
    fn on_split_tiers_each_step_lights_its_own_tier() {
        for name in ["split-tiers-pools", "big-day"] {
            let s = presets::get(name).unwrap();
            let ids = |step: Step| -> Vec<&str> {
                step.on(&s).highlight.iter().map(|&i| s.nodes[i].id.as_str()).collect()
            };
            // Both load balancers of the pair, then the web pool they send to.
            assert_eq!(ids(Step::Tls), ["lb", "lb-2"], "{name}");
            assert_eq!(ids(Step::Balance), ["lb", "lb-2", "web-pool"], "{name}");
            assert_eq!(ids(Step::FirewallApp), ["fw-2", "web-pool"], "{name}");
            // The app pool asks MySQL, through the data tier's firewall.
            assert_eq!(ids(Step::Database), ["app-pool", "db-1", "db-2", "db-3"], "{name}");
            assert_eq!(ids(Step::FirewallData), ["fw-4", "db-1", "db-2", "db-3"], "{name}");
            assert_eq!(step_request(&s, Step::Balance), Some("web-pool"), "{name}");
            assert_eq!(step_request(&s, Step::Database), Some("db-1"), "{name}");
        }
    }

    fn step_request(s: &Scenario, step: Step) -> Option<&str> {
        step.on(s).request_at.map(|i| s.nodes[i].id.as_str())
    }

    #[test]
    fn a_layout_without_firewalls_or_monitoring_says_so() {
        let mut s = presets::default_scenario();
        s.nodes.retain(|n| n.kind != NodeKind::Firewall && n.kind != NodeKind::Monitoring);
        for n in &mut s.nodes {
            n.agent = false;
        }
        let missing: Vec<Step> =
            Step::ALL.into_iter().filter(|st| st.on(&s).is_missing()).collect();
        assert_eq!(
            missing,
            [Step::FirewallEdge, Step::FirewallApp, Step::FirewallData, Step::Monitoring]
        );
        assert_eq!(Step::FirewallEdge.on(&s).missing, [Role::EdgeFirewall]);
    }

    #[test]
    fn without_firewall_one_step_three_lights_the_unguarded_load_balancer() {
        let mut s = presets::default_scenario();
        s.nodes.retain(|n| n.id != "fw-1");
        let view = Step::FirewallEdge.on(&s);
        assert_eq!(view.missing, [Role::EdgeFirewall]);
        assert_eq!(view.highlight, [s.index_of("lb").unwrap()]);
    }

    #[test]
    fn a_single_server_layout_lights_the_server_where_the_load_balancer_would_be() {
        let mut s = presets::default_scenario();
        s.nodes.retain(|n| n.kind != NodeKind::LoadBalancer && n.id != "server-2");
        let view = Step::Tls.on(&s);
        assert_eq!(view.missing, [Role::LoadBalancer]);
        assert_eq!(view.highlight, [s.index_of("server-1").unwrap()]);
    }

    #[test]
    fn the_padlock_opens_behind_the_load_balancer_only_when_it_terminates_tls() {
        let mut s = presets::default_scenario();
        let t = Topology::of(&s);
        let at = |step: Step, t: &Topology, mode| step.carried_encrypted(t, mode);
        for step in [Step::Browser, Step::Dns, Step::FirewallEdge, Step::Tls, Step::Response] {
            assert_eq!(at(step, &t, TlsMode::Terminate), Some(true), "{step:?}");
        }
        assert_eq!(at(Step::Balance, &t, TlsMode::Terminate), Some(false));
        assert_eq!(at(Step::FirewallApp, &t, TlsMode::Terminate), Some(false));
        assert_eq!(at(Step::Balance, &t, TlsMode::Reencrypt), Some(true));
        assert_eq!(at(Step::FirewallApp, &t, TlsMode::Passthrough), Some(true));
        assert_eq!(at(Step::Database, &t, TlsMode::Terminate), Some(true));
        assert_eq!(at(Step::Monitoring, &t, TlsMode::Terminate), None);
        s.database.tls = false;
        let t = Topology::of(&s);
        assert_eq!(at(Step::FirewallData, &t, TlsMode::Reencrypt), Some(false));
    }

    #[test]
    fn step_indices_clamp_into_the_tour() {
        for (i, step) in Step::ALL.into_iter().enumerate() {
            assert_eq!(Step::at(i), step);
        }
        assert_eq!(Step::at(99), Step::Response);
    }
}
