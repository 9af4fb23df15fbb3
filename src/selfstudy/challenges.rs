//! Predict-then-run challenges, as data over the simulation: each one names
//! a preset, the timed commands that set up the situation (a script of
//! [`Cue`]s for the engine's timeline), the window whose numbers answer the question, and how those
//! numbers pick the right answer. No answer is written down anywhere: the
//! truth is whatever the simulation reports for that window.
//!
//! Plain Rust, unit-tested natively by playing every challenge on the
//! engine's timeline the way the panel does ([`super::runner`]). Words
//! live in `locales/*/selfstudy.json`.

use crate::study::tour::Role;
use infraboard_sim::{
    presets, Action, AlertRule, Command, Cue, FailoverMode, Metrics, NodeKind, NodeRef, Protocol,
    RuleSpec, Scenario, SimTime, Simulation, Source, SourceSpec, TlsMode, Topology, Zone,
};

/// Rate and write share of the writer challenge: a few dozen writes a
/// second, so ten seconds of outage is a number worth estimating.
pub const WRITER_RATE_QPS: f64 = 200.0;
/// Share of requests that write in the writer challenge.
pub const WRITER_WRITE_SHARE: f64 = 0.3;
/// When the primary dies in the writer challenge, and how long we count.
pub const WRITER_KILL_S: u64 = 20;
/// Length of the writer challenge's counting window, seconds.
pub const WRITER_WINDOW_S: u64 = 10;
/// A numeric guess counts as right within this share of the sim's figure.
pub const NUMBER_TOLERANCE: f64 = 0.2;
/// Attack attempts per second in the "FW2 opened wide" challenge.
pub const ATTACK_QPS: f64 = 200.0;
/// When the trouble starts in the firewall and alert challenges.
const TROUBLE_S: u64 = 10;
/// Seconds watched after a firewall change.
const FIREWALL_WINDOW_S: u64 = 10;
/// Seconds the alert challenge waits for the first alert.
pub const ALERT_WINDOW_S: u64 = 40;
/// Seconds of traffic the TLS challenge looks at.
const TLS_WINDOW_S: u64 = 5;
/// Seconds watched during the database spike, and left out at its start so
/// the queues build up.
const SPIKE_WINDOW_S: u64 = 12;
const SPIKE_SETTLE_S: u64 = 2;
/// Seconds before the spike used as the calm baseline.
const SPIKE_BASELINE_S: u64 = 4;
/// The spike: a calm rate, then a database-heavy burst at `SPIKE_AT_S`.
const SPIKE_BASE_QPS: f64 = 200.0;
const SPIKE_AT_S: u64 = 10;
const SPIKE_QPS: f64 = 7000.0;
const SPIKE_WRITE_SHARE: f64 = 0.9;

/// Every challenge, in the order the panel lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChallengeId {
    /// Firewall 2 loses its "only from the load balancer" rules.
    Fw2Gone,
    /// Firewall 2 is opened to everything while an attacker aims at MySQL.
    Fw2Open,
    /// SSL terminated at the load balancer: which hops are clear text?
    TlsHops,
    /// The only MySQL writer dies; how many writes fail?
    WriterDown,
    /// A server dies; when does the monitoring service say so?
    AlertLag,
    /// A database-heavy spike on boxes that also serve the web.
    SharedSpike,
}

/// How the learner answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AnswerKind {
    /// One of `n` options (their words are in the locale files).
    Choice(usize),
    /// A number; right within [`NUMBER_TOLERANCE`] of the sim's figure.
    Number,
}

/// What the learner committed to before the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Prediction {
    /// Option index.
    Choice(usize),
    /// A number.
    Number(f64),
}

/// One challenge ready to play on a layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    /// Which one.
    pub id: ChallengeId,
    /// The built-in layout it plays on (loaded from time zero).
    pub preset: &'static str,
    /// Commands, timed from the start of the run.
    pub cues: Vec<Cue>,
    /// Start of the window that answers the question (the trouble).
    pub trouble_s: u64,
    /// End of that window: the run stops here.
    pub end_s: u64,
    /// The parts of the board to light while it plays.
    pub roles: &'static [Role],
    /// How it is answered.
    pub answer: AnswerKind,
}

/// Why a challenge cannot be set up (a preset changed shape).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotPlayable;

impl ChallengeId {
    /// Every challenge.
    pub const ALL: [ChallengeId; 6] = [
        ChallengeId::Fw2Gone,
        ChallengeId::Fw2Open,
        ChallengeId::TlsHops,
        ChallengeId::WriterDown,
        ChallengeId::AlertLag,
        ChallengeId::SharedSpike,
    ];

    /// Stable name for storage and test ids.
    pub fn slug(self) -> &'static str {
        match self {
            ChallengeId::Fw2Gone => "fw2-gone",
            ChallengeId::Fw2Open => "fw2-open",
            ChallengeId::TlsHops => "tls-hops",
            ChallengeId::WriterDown => "writer-down",
            ChallengeId::AlertLag => "alert-lag",
            ChallengeId::SharedSpike => "shared-spike",
        }
    }

    /// The challenge named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<ChallengeId> {
        ChallengeId::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The layout it plays on.
    pub fn preset(self) -> &'static str {
        match self {
            // Seed 002 states "Firewall 2 only allows traffic from the load
            // balancer" and puts both web servers behind it.
            ChallengeId::Fw2Gone => "tiered-flow",
            _ => presets::DEFAULT,
        }
    }

    /// The challenge set up on its preset.
    pub fn challenge(self) -> Result<Challenge, NotPlayable> {
        let s = presets::get(self.preset()).ok_or(NotPlayable)?;
        let (cues, trouble_s, window_s, roles, answer) = match self {
            ChallengeId::Fw2Gone => {
                let fw = app_firewall(&s).ok_or(NotPlayable)?;
                let lb = *Role::LoadBalancer.resolve(&s).first().ok_or(NotPlayable)?;
                let sim = Simulation::new(&s, 1).map_err(|_| NotPlayable)?;
                let rules = &sim.firewall(fw).ok_or(NotPlayable)?.rules;
                // Remove from the bottom up so the indices stay valid.
                let cues: Vec<Cue> = (0..rules.len())
                    .rev()
                    .filter(|&i| rules[i].source == Source::Node(lb))
                    .map(|index| {
                        Cue::at(
                            TROUBLE_S,
                            Command::RemoveFirewallRule { firewall: NodeRef::Index(fw), index },
                        )
                    })
                    .collect();
                if cues.is_empty() {
                    return Err(NotPlayable);
                }
                (cues, TROUBLE_S, FIREWALL_WINDOW_S, ROLES_APP_FW, AnswerKind::Choice(3))
            }
            ChallengeId::Fw2Open => {
                let fw = primary_firewall(&s).ok_or(NotPlayable)?;
                let allow_all = RuleSpec {
                    action: Action::Allow,
                    source: SourceSpec::Any,
                    port: None,
                    protocol: Protocol::Any,
                };
                let cues = vec![
                    Cue::at(
                        TROUBLE_S,
                        Command::AddFirewallRule {
                            firewall: NodeRef::Index(fw),
                            index: Some(0),
                            rule: allow_all,
                        },
                    ),
                    Cue::at(TROUBLE_S, Command::SetAttack { qps: ATTACK_QPS, port: 3306 }),
                ];
                (cues, TROUBLE_S, FIREWALL_WINDOW_S, ROLES_EDGE_AND_DB, AnswerKind::Choice(3))
            }
            ChallengeId::TlsHops => {
                let cues = vec![Cue::at(0, Command::SetTls(TlsMode::Terminate))];
                (cues, 0, TLS_WINDOW_S, ROLES_TLS, AnswerKind::Choice(4))
            }
            ChallengeId::WriterDown => {
                let cues = vec![
                    Cue::at(0, Command::SetFailover(FailoverMode::Manual)),
                    Cue::at(0, Command::SetRate { qps: WRITER_RATE_QPS }),
                    Cue::at(0, Command::SetWriteShare { share: WRITER_WRITE_SHARE }),
                    Cue::at(WRITER_KILL_S, Command::Kill(NodeRef::PrimaryDb)),
                ];
                (cues, WRITER_KILL_S, WRITER_WINDOW_S, ROLES_DB, AnswerKind::Number)
            }
            ChallengeId::AlertLag => {
                let victim = alert_victim(&s).ok_or(NotPlayable)?;
                let cues = vec![Cue::at(TROUBLE_S, Command::Kill(NodeRef::Index(victim)))];
                (cues, TROUBLE_S, ALERT_WINDOW_S, ROLES_MONITORING, AnswerKind::Choice(4))
            }
            ChallengeId::SharedSpike => {
                // Only a box that runs the web tier and MySQL together shows it.
                let web = Role::WebServers.resolve(&s);
                if !Role::DatabaseHosts.resolve(&s).iter().any(|b| web.contains(b)) {
                    return Err(NotPlayable);
                }
                let cues = vec![
                    Cue::at(0, Command::SetRate { qps: SPIKE_BASE_QPS }),
                    Cue::at(SPIKE_AT_S, Command::SetWriteShare { share: SPIKE_WRITE_SHARE }),
                    Cue::at(SPIKE_AT_S, Command::SetRate { qps: SPIKE_QPS }),
                ];
                (cues, SPIKE_AT_S, SPIKE_WINDOW_S, ROLES_SHARED, AnswerKind::Choice(3))
            }
        };
        Ok(Challenge {
            id: self,
            preset: self.preset(),
            cues,
            trouble_s,
            end_s: trouble_s + window_s,
            roles,
            answer,
        })
    }
}

const ROLES_APP_FW: &[Role] = &[Role::AppFirewall, Role::LoadBalancer];
const ROLES_EDGE_AND_DB: &[Role] = &[Role::EdgeFirewall, Role::DataFirewall];
const ROLES_TLS: &[Role] = &[Role::LoadBalancer, Role::WebServers];
const ROLES_DB: &[Role] = &[Role::DatabaseHosts];
const ROLES_SHARED: &[Role] = &[Role::WebServers, Role::DatabaseHosts];
const ROLES_MONITORING: &[Role] = &[Role::Agents, Role::MonitoringService];

/// Firewall 2: the first firewall in front of the web servers.
fn app_firewall(s: &Scenario) -> Option<usize> {
    Role::AppFirewall.resolve(s).first().copied()
}

/// The first firewall in front of the box running the MySQL primary.
pub fn primary_firewall(s: &Scenario) -> Option<usize> {
    let topology = Topology::of(s);
    let first = topology.guards_of(topology.primary_host()?).next();
    first
}

/// The box running the MySQL primary.
pub fn primary_box(s: &Scenario) -> Option<usize> {
    Topology::of(s).primary_host()
}

/// The server the alert challenge kills: the last web server that does not
/// hold the primary (so the question is about monitoring, not MySQL).
pub fn alert_victim(s: &Scenario) -> Option<usize> {
    let primary = primary_box(s);
    Role::WebServers.resolve(s).into_iter().rev().find(|&i| Some(i) != primary)
}

/// What the simulation reports about the window, the ground truth.
#[derive(Clone, Debug, PartialEq)]
pub enum Truth {
    /// User traffic after a firewall change.
    Served {
        /// User requests that arrived in the window.
        requests: u64,
        /// Those answered.
        served: u64,
        /// Requests refused by the changed firewall in the window.
        refused: u64,
        /// The changed firewall (node index).
        firewall: usize,
    },
    /// Attack attempts aimed at MySQL.
    Attacks {
        /// Attempts sent in the window.
        sent: u64,
        /// Attempts that reached a service.
        reached: u64,
        /// `(firewall node, attempts it stopped)`, in node order.
        stopped: Vec<(usize, u64)>,
    },
    /// Links that carried user data in clear text.
    Plaintext {
        /// `(from, to)` node pairs, in node order.
        hops: Vec<(usize, usize)>,
        /// Whether one of them is on the Internet side of the load balancer.
        outside: bool,
        /// Whether one of them is behind the load balancer.
        inside: bool,
    },
    /// Writes that failed in the window.
    FailedWrites {
        /// The count.
        failed: u64,
    },
    /// The first alert after the trouble.
    FirstAlert {
        /// `(milliseconds after the trouble, rule, host node)`, `None` when
        /// nothing fired in the window.
        first: Option<(u64, AlertRule, usize)>,
    },
    /// Users' p99 latency around a spike.
    Latency {
        /// Mean p99 just before, ms.
        before_ms: f64,
        /// Mean p99 during, ms.
        during_ms: f64,
    },
}

impl ChallengeId {
    /// Reads the truth from the metrics at the start (`at_trouble`) and end
    /// (`at_end`) of the challenge's window on layout `s`.
    pub fn measure(
        self,
        ch: &Challenge,
        s: &Scenario,
        at_trouble: &Metrics,
        at_end: &Metrics,
    ) -> Truth {
        let trouble = SimTime::from_secs(ch.trouble_s);
        match self {
            ChallengeId::Fw2Gone => {
                let firewall = app_firewall(s).unwrap_or(usize::MAX);
                Truth::Served {
                    requests: at_end.requests - at_trouble.requests,
                    served: at_end.served - at_trouble.served,
                    refused: firewall_drops(at_end, firewall)
                        - firewall_drops(at_trouble, firewall),
                    firewall,
                }
            }
            ChallengeId::Fw2Open => {
                let mut stopped: Vec<(usize, u64)> = (0..s.nodes.len())
                    .filter(|&i| s.nodes[i].kind == NodeKind::Firewall)
                    .map(|f| (f, firewall_drops(at_end, f) - firewall_drops(at_trouble, f)))
                    .filter(|&(_, n)| n > 0)
                    .collect();
                crate::small_sort::sort(&mut stopped);
                Truth::Attacks {
                    sent: at_end.attacks - at_trouble.attacks,
                    reached: at_end.attacks_reached - at_trouble.attacks_reached,
                    stopped,
                }
            }
            ChallengeId::TlsHops => {
                let lb = Role::LoadBalancer.resolve(s).first().copied();
                let mut hops = Vec::new();
                for from in 0..s.nodes.len() {
                    for to in 0..s.nodes.len() {
                        if at_end.was_plaintext(from, to) {
                            hops.push((from, to));
                        }
                    }
                }
                let is_outside = |&(from, to): &(usize, usize)| {
                    s.nodes[from].zone == Zone::Internet || Some(to) == lb
                };
                Truth::Plaintext {
                    outside: hops.iter().any(is_outside),
                    inside: hops.iter().any(|h| !is_outside(h)),
                    hops,
                }
            }
            ChallengeId::WriterDown => {
                Truth::FailedWrites { failed: at_end.writes_failed - at_trouble.writes_failed }
            }
            ChallengeId::AlertLag => Truth::FirstAlert {
                first: at_end
                    .alerts
                    .iter()
                    .find(|a| a.at >= trouble)
                    .map(|a| ((a.at.0 - trouble.0) / 1_000_000, a.rule, a.node)),
            },
            ChallengeId::SharedSpike => {
                let (t, end) = (ch.trouble_s, ch.end_s);
                let p99 = |from: u64, to: u64| mean_p99(at_end, from, to);
                Truth::Latency {
                    before_ms: p99(t.saturating_sub(SPIKE_BASELINE_S), t),
                    during_ms: p99(t + SPIKE_SETTLE_S, end),
                }
            }
        }
    }
}

/// Everything `firewall` has dropped so far, user and attack traffic.
fn firewall_drops(m: &Metrics, firewall: usize) -> u64 {
    m.firewall_drops.iter().filter(|(f, _, _)| *f == firewall).map(|(_, _, n)| n).sum()
}

/// Mean p99 latency over the completed seconds in `[from, to)` that served
/// something (0 when none).
fn mean_p99(m: &Metrics, from: u64, to: u64) -> f64 {
    let seconds: Vec<f64> = m
        .history
        .iter()
        .filter(|st| st.second >= from && st.second < to && st.served > 0)
        .map(|st| f64::from(st.latency_p99_ms))
        .collect();
    if seconds.is_empty() {
        0.0
    } else {
        seconds.iter().sum::<f64>() / seconds.len() as f64
    }
}

/// Alert delays (seconds) separating the options of the alert challenge.
pub const ALERT_BINS_S: [u64; 3] = [5, 15, 30];
/// Latency growth factors separating the options of the spike challenge.
pub const SPIKE_BINS: [f64; 2] = [1.5, 3.0];

impl Truth {
    /// For a choice question, the option the sim's numbers pick.
    pub fn correct_option(&self) -> Option<usize> {
        match self {
            // 0: only the LB, as before; 1: the Internet straight in;
            // 2: nothing, not even the LB. The firewall refusing traffic
            // means the LB no longer gets through.
            Truth::Served { refused, .. } => Some(if *refused == 0 { 0 } else { 2 }),
            // 0: all of them; 1: none (another firewall stops them); 2: some.
            Truth::Attacks { sent, reached, .. } => Some(if *reached == 0 {
                1
            } else if *reached >= *sent {
                0
            } else {
                2
            }),
            // 0: none; 1: Internet side only; 2: behind the LB only; 3: both.
            Truth::Plaintext { outside, inside, .. } => Some(match (outside, inside) {
                (false, false) => 0,
                (true, false) => 1,
                (false, true) => 2,
                (true, true) => 3,
            }),
            Truth::FailedWrites { .. } => None,
            // Bins: under 5 s, 5–15 s, 15–30 s, later or never.
            Truth::FirstAlert { first } => Some(match first {
                Some((ms, _, _)) => ALERT_BINS_S.iter().position(|&b| *ms < b * 1000).unwrap_or(3),
                None => 3,
            }),
            // Bins: under 1.5×, 1.5–3×, 3× or more.
            Truth::Latency { .. } => {
                let growth = self.latency_growth().unwrap_or(1.0);
                Some(SPIKE_BINS.iter().position(|&b| growth < b).unwrap_or(2))
            }
        }
    }

    /// For a number question, the sim's figure.
    pub fn value(&self) -> Option<f64> {
        match self {
            Truth::FailedWrites { failed } => Some(*failed as f64),
            _ => None,
        }
    }

    /// How many times the p99 grew during the spike.
    pub fn latency_growth(&self) -> Option<f64> {
        match self {
            Truth::Latency { before_ms, during_ms } if *before_ms > 0.0 => {
                Some(during_ms / before_ms)
            }
            _ => None,
        }
    }
}

/// The band of numbers counted as right around the sim's figure `truth`.
pub fn tolerance_band(truth: f64) -> (f64, f64) {
    let margin = (truth * NUMBER_TOLERANCE).max(5.0);
    ((truth - margin).max(0.0), truth + margin)
}

/// Whether `prediction` agrees with what the sim reported.
pub fn is_right(prediction: Prediction, truth: &Truth) -> bool {
    match prediction {
        Prediction::Choice(i) => truth.correct_option() == Some(i),
        Prediction::Number(n) => truth.value().is_some_and(|v| {
            let (lo, hi) = tolerance_band(v);
            n.is_finite() && n >= lo && n <= hi
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::runner::{marks, play_headless};
    use super::*;

    fn truth(id: ChallengeId) -> (Challenge, Truth) {
        let ch = id.challenge().unwrap_or_else(|_| panic!("{id:?} plays on its preset"));
        let t = play_headless(&ch, 1);
        println!("{id:?}: {t:?}");
        (ch, t)
    }

    #[test]
    fn every_challenge_sets_up_and_its_run_stops_at_the_window_end() {
        for id in ChallengeId::ALL {
            let ch = id.challenge().unwrap();
            assert_eq!(ChallengeId::from_slug(id.slug()), Some(id));
            assert!(ch.end_s > ch.trouble_s, "{id:?}");
            assert_eq!(marks(&ch)[1], (SimTime::from_secs(ch.end_s), true), "{id:?}");
            if let AnswerKind::Choice(n) = ch.answer {
                let (_, t) = truth(id);
                let right = t.correct_option().expect("a choice question picks an option");
                assert!(right < n, "{id:?}: option {right} of {n}");
            }
        }
    }

    #[test]
    fn without_its_lb_rules_firewall_2_lets_nothing_in_and_the_site_goes_down() {
        let (_, t) = truth(ChallengeId::Fw2Gone);
        let Truth::Served { requests, served, refused, .. } = t else { panic!() };
        assert!(refused > 0, "default deny refuses the load balancer");
        assert!(served * 2 < requests, "most requests fail: {served}/{requests}");
        assert_eq!(t.correct_option(), Some(2));
    }

    #[test]
    fn an_open_firewall_2_still_leaves_mysql_behind_firewall_1() {
        let (_, t) = truth(ChallengeId::Fw2Open);
        let Truth::Attacks { sent, reached, ref stopped } = t else { panic!() };
        assert!(sent > 1000, "{sent} attempts in 10 s");
        assert_eq!(reached, 0);
        let s = presets::default_scenario();
        let edge = Role::EdgeFirewall.resolve(&s);
        assert!(stopped.iter().all(|(f, _)| edge.contains(f)), "{stopped:?}");
        assert!(is_right(Prediction::Choice(1), &t));
        assert!(!is_right(Prediction::Choice(0), &t));
    }

    #[test]
    fn ssl_terminated_at_the_lb_leaves_only_the_inside_hops_in_clear() {
        let (_, t) = truth(ChallengeId::TlsHops);
        let Truth::Plaintext { ref hops, outside, inside } = t else { panic!() };
        assert!(!outside && inside, "{hops:?}");
        assert!(hops.len() >= 2);
        assert_eq!(t.correct_option(), Some(2));
    }

    #[test]
    fn a_dead_primary_fails_about_every_write_of_the_window() {
        let (_, t) = truth(ChallengeId::WriterDown);
        let failed = t.value().unwrap();
        let expected = WRITER_RATE_QPS * WRITER_WRITE_SHARE * WRITER_WINDOW_S as f64;
        assert!((failed - expected).abs() < 0.2 * expected, "{failed} vs ~{expected}");
        // The learner's arithmetic (rate × share × seconds) is counted right.
        assert!(is_right(Prediction::Number(expected), &t));
        assert!(!is_right(Prediction::Number(0.0), &t));
        assert!(!is_right(Prediction::Number(f64::NAN), &t));
        assert!(!is_right(Prediction::Choice(0), &t));
    }

    #[test]
    fn the_alert_for_a_dead_server_comes_late_by_the_monitoring_pipeline() {
        let (_, t) = truth(ChallengeId::AlertLag);
        let Truth::FirstAlert { first: Some((ms, _, node)) } = t else { panic!("{t:?}") };
        let s = presets::default_scenario();
        let m = s.monitoring;
        let pipeline_ms = u64::from(m.ship_delay_ms + m.ingest_delay_ms);
        assert!(ms >= pipeline_ms, "no alert before a sample crosses the pipeline: {ms} ms");
        assert!(ms < ALERT_WINDOW_S * 1000);
        assert_eq!(Some(node), alert_victim(&s), "the alert is about the dead server");
    }

    #[test]
    fn a_database_spike_slows_the_web_on_shared_boxes() {
        let (_, t) = truth(ChallengeId::SharedSpike);
        let growth = t.latency_growth().unwrap();
        assert!(growth > 2.0, "p99 grows {growth}×");
    }

    #[test]
    fn answers_are_checked_against_the_truth_given() {
        let t = Truth::FailedWrites { failed: 600 };
        assert_eq!(tolerance_band(600.0), (480.0, 720.0));
        assert!(is_right(Prediction::Number(480.0), &t));
        assert!(!is_right(Prediction::Number(479.0), &t));
        // Small figures keep a margin of a few writes.
        assert!(is_right(Prediction::Number(4.0), &Truth::FailedWrites { failed: 0 }));
        let t = Truth::FirstAlert { first: Some((24_000, AlertRule::NoData, 7)) };
        assert_eq!(t.correct_option(), Some(2));
        assert_eq!(Truth::FirstAlert { first: None }.correct_option(), Some(3));
        let t = Truth::Latency { before_ms: 100.0, during_ms: 120.0 };
        assert_eq!(t.correct_option(), Some(0));
        let t = Truth::Attacks { sent: 10, reached: 10, stopped: vec![] };
        assert_eq!(t.correct_option(), Some(0));
    }
}
