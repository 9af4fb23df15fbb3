//! The build-up of the diagram, the seeds' story told one stage at a time:
//! one server, then a load balancer in front of two, then the firewalls,
//! then the SSL certificate, then the monitoring. Pure data over the
//! scenario (natively tested on every preset): the board and the request
//! layer ask it which parts are drawn. Presenter mode moves through the
//! stages ([`BuildUp`] is the stage in force, in context).

use super::geometry::talks;
use crate::watched::Watched;
use infraboard_sim::{Component, NodeKind, Scenario, Topology};

/// How far presenter mode has built the diagram: `None` is the whole board
/// (also outside presenter mode), `Some(stage)` draws only that stage's parts.
#[derive(Clone, Copy)]
pub struct BuildUp(pub Watched<Option<Stage>>);

impl BuildUp {
    /// Whether node `index` is left off the board at the current stage (tracked).
    pub fn hides_node(self, scenario: &Scenario, index: usize) -> bool {
        self.0.with(|s| s.is_some_and(|s| !s.shows_node(scenario, index)))
    }

    /// The parts of the drawing not built yet, for the diagram's `data-hide`
    /// attribute (space-separated, CSS matches them with `~=`; tracked).
    pub fn hidden_parts(self) -> &'static str {
        match self.0.get() {
            Some(s) if !s.shows_certificate() => "certificate agents",
            Some(s) if !s.shows_agents() => "agents",
            _ => "",
        }
    }
}

/// How far the diagram is built. The order is the story's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The user, DNS and a single server doing everything.
    OneServer,
    /// + the load balancer and every server behind it.
    LoadBalancer,
    /// + every firewall.
    Firewalls,
    /// + the SSL certificate (and the padlocks on the links).
    Ssl,
    /// + the monitoring service and an agent on each machine: all parts.
    Monitoring,
}

impl Stage {
    /// Every stage, in the order they are built.
    pub const ALL: [Stage; 5] =
        [Stage::OneServer, Stage::LoadBalancer, Stage::Firewalls, Stage::Ssl, Stage::Monitoring];

    /// 1 for the first stage.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// `b`: from the whole board to the first stage, one stage further, and
    /// past the last back to the whole board (`None`).
    pub fn forward(current: Option<Stage>) -> Option<Stage> {
        match current {
            None => Some(Stage::OneServer),
            Some(s) => Stage::ALL.get(s as usize + 1).copied(),
        }
    }

    /// `Shift+B`: one stage back; from the whole board to the last stage
    /// (so a presenter can take the picture apart); the first stays first.
    pub fn back(current: Option<Stage>) -> Option<Stage> {
        match current {
            None => Some(Stage::Monitoring),
            Some(s) => Some(Stage::ALL[(s as usize).saturating_sub(1)]),
        }
    }

    /// Whether node `index` of `scenario` is on the board at this stage.
    pub fn shows_node(self, scenario: &Scenario, index: usize) -> bool {
        let Some(node) = scenario.nodes.get(index) else { return false };
        match node.kind {
            NodeKind::User | NodeKind::Dns => true,
            NodeKind::Server => {
                self >= Stage::LoadBalancer || first_server(scenario) == Some(index)
            }
            NodeKind::LoadBalancer => self >= Stage::LoadBalancer,
            NodeKind::Firewall => self >= Stage::Firewalls,
            NodeKind::Monitoring => self >= Stage::Monitoring,
        }
    }

    /// Whether the SSL certificate and the padlocks are drawn.
    pub fn shows_certificate(self) -> bool {
        self >= Stage::Ssl
    }

    /// Whether the monitoring agents (badges and the links they ship on) are drawn.
    pub fn shows_agents(self) -> bool {
        self >= Stage::Monitoring
    }

    /// The lines to draw while the firewalls that the real links pass
    /// through are not built yet, as (from, to) node indices: the user
    /// straight to the one server, then who talks to whom on the whole
    /// board (each load balancer of a pair, the tiers of split tiers),
    /// without a load balancer the user to each server that runs Nginx.
    /// None once the firewalls stand.
    pub fn shortcuts(self, scenario: &Scenario) -> Vec<(usize, usize)> {
        let t = Topology::of(scenario);
        let Some(user) = t.user() else { return Vec::new() };
        match (self, t.load_balancer()) {
            (Stage::OneServer, _) => {
                first_server(scenario).map(|s| vec![(user, s)]).unwrap_or_default()
            }
            (Stage::LoadBalancer, Some(_)) => talks(&t),
            (Stage::LoadBalancer, None) => t.web_servers().iter().map(|&s| (user, s)).collect(),
            _ => Vec::new(),
        }
    }
}

/// The one server of the first stage: the first that runs Nginx (it is the
/// one that answers users), else the first server at all.
fn first_server(scenario: &Scenario) -> Option<usize> {
    let servers = || scenario.nodes.iter().enumerate().filter(|(_, n)| n.kind == NodeKind::Server);
    servers()
        .find(|(_, n)| n.components.contains(&Component::Nginx))
        .or_else(|| servers().next())
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    fn shown(stage: Stage, s: &Scenario) -> Vec<usize> {
        (0..s.nodes.len()).filter(|&i| stage.shows_node(s, i)).collect()
    }

    fn count(stage: Stage, s: &Scenario, kind: NodeKind) -> usize {
        shown(stage, s).into_iter().filter(|&i| s.nodes[i].kind == kind).count()
    }

    #[test]
    fn keys_walk_the_stages_in_order_and_out() {
        let mut seen = Vec::new();
        let mut at = Stage::forward(None);
        while let Some(s) = at {
            seen.push(s);
            at = Stage::forward(at);
        }
        assert_eq!(seen, Stage::ALL);
        // Back from the whole board lands on the last stage, then walks down
        // and stops at the first.
        let mut at = None;
        let mut down = Vec::new();
        for _ in 0..7 {
            at = Stage::back(at);
            down.push(at.unwrap().number());
        }
        assert_eq!(down, [5, 4, 3, 2, 1, 1, 1]);
    }

    #[test]
    fn every_preset_starts_with_one_server_and_ends_with_everything() {
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            let servers = s.nodes.iter().filter(|n| n.kind == NodeKind::Server).count();
            assert_eq!(count(Stage::OneServer, &s, NodeKind::Server), 1, "{name}");
            assert_eq!(count(Stage::OneServer, &s, NodeKind::LoadBalancer), 0, "{name}");
            assert_eq!(count(Stage::OneServer, &s, NodeKind::Firewall), 0, "{name}");
            assert_eq!(count(Stage::LoadBalancer, &s, NodeKind::Server), servers, "{name}");
            assert_eq!(count(Stage::Ssl, &s, NodeKind::Monitoring), 0, "{name}");
            assert_eq!(shown(Stage::Monitoring, &s).len(), s.nodes.len(), "{name}: all parts");
            // Each stage keeps what the one before drew.
            for pair in Stage::ALL.windows(2) {
                let (before, after) = (shown(pair[0], &s), shown(pair[1], &s));
                assert!(before.iter().all(|i| after.contains(i)), "{name}: {pair:?}");
            }
        }
    }

    #[test]
    fn the_one_server_is_one_that_answers_users() {
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            let one = shown(Stage::OneServer, &s)
                .into_iter()
                .find(|&i| s.nodes[i].kind == NodeKind::Server)
                .unwrap();
            assert!(s.nodes[one].components.contains(&Component::Nginx), "{name}");
        }
    }

    #[test]
    fn until_the_firewalls_stand_the_traffic_is_drawn_straight() {
        let s = presets::default_scenario();
        let id = |pairs: Vec<(usize, usize)>| -> Vec<(String, String)> {
            pairs.into_iter().map(|(a, b)| (s.nodes[a].id.clone(), s.nodes[b].id.clone())).collect()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(id(Stage::OneServer.shortcuts(&s)), [pair("user", "server-1")]);
        assert_eq!(
            id(Stage::LoadBalancer.shortcuts(&s)),
            [pair("user", "lb"), pair("lb", "server-1"), pair("lb", "server-2")]
        );
        for stage in [Stage::Firewalls, Stage::Ssl, Stage::Monitoring] {
            assert!(stage.shortcuts(&s).is_empty());
        }
        // Every shortcut joins two parts the stage draws, on every preset.
        for name in presets::names() {
            let s = presets::get(name).unwrap();
            for stage in Stage::ALL {
                for (a, b) in stage.shortcuts(&s) {
                    assert!(stage.shows_node(&s, a) && stage.shows_node(&s, b), "{name} {stage:?}");
                }
            }
        }
    }

    #[test]
    fn each_stage_adds_what_its_name_says() {
        let s = presets::default_scenario();
        let added = |stage: Stage| -> Vec<NodeKind> {
            let before = Stage::ALL.get((stage as usize).wrapping_sub(1)).copied();
            shown(stage, &s)
                .into_iter()
                .filter(|&i| before.is_none_or(|b| !b.shows_node(&s, i)))
                .map(|i| s.nodes[i].kind)
                .collect()
        };
        assert_eq!(added(Stage::LoadBalancer), [NodeKind::LoadBalancer, NodeKind::Server]);
        assert_eq!(added(Stage::Firewalls), [NodeKind::Firewall; 3]);
        assert_eq!(added(Stage::Ssl), []);
        assert!(Stage::Ssl.shows_certificate() && !Stage::Firewalls.shows_certificate());
        assert_eq!(added(Stage::Monitoring), [NodeKind::Monitoring]);
        assert!(Stage::Monitoring.shows_agents() && !Stage::Ssl.shows_agents());
    }
}
