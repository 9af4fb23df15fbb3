//! The three weak spots of the design, as scenes that play on the live
//! board: each is a script of timed [`Command`]s for the problem and one for
//! the fix, plus the numbers (read from the simulation's metrics) that prove
//! the point. Narration lives in `locales/*/scenes.json`.
//!
//! Plain Rust, unit-tested natively: the tests play every script on the
//! default layout and check that its numbers say what the narration says.

use super::tour::Role;
use infraboard_sim::{
    presets, Command, Component, Cue, DropCode, FailoverMode, Metrics, NodeRef, Scenario,
    SecondStats, SimTime, TlsMode,
};

/// User requests per second while the SSL scene plays: enough that the
/// load balancer's encryption work shows in its CPU.
const SSL_RATE_QPS: f64 = 2000.0;
/// Rate and write share while the MySQL scene plays (a few dozen writes a
/// second, so every second of outage costs visible writes).
const WRITER_RATE_QPS: f64 = 200.0;
const WRITER_WRITE_SHARE: f64 = 0.3;
/// When the primary is stopped, and when the operator promotes by hand
/// (paged, logs in, checks, types the command).
const WRITER_KILL_S: u64 = 5;
const WRITER_PROMOTE_S: u64 = 45;
/// The shared-box scene: a calm baseline, then a database-heavy burst.
const SHARED_BASE_QPS: f64 = 200.0;
const SHARED_BURST_S: u64 = 10;
const SHARED_BURST_QPS: f64 = 7000.0;
const SHARED_BURST_WRITE_SHARE: f64 = 0.9;
/// Seconds left out after a change before averaging, so the queues settle.
const SETTLE_S: u64 = 2;

/// One of the three issues the seeds list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scene {
    /// SSL is terminated at the load balancer: clear text behind it.
    SslTermination,
    /// Only one MySQL accepts writes.
    OneWriter,
    /// Every server runs every component.
    SharedBox,
}

/// Which half of a scene.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// The design as drawn, broken where it is weak.
    Problem,
    /// The same situation with the fix applied.
    Fix,
}

/// How a script starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Restart the current layout from time zero (same seed).
    Restart,
    /// Load this built-in preset (same seed), from time zero.
    Preset(&'static str),
    /// Keep running: the cues count from now.
    Continue,
}

/// What to play for one phase of a scene.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    /// How the board gets to the starting point.
    pub start: Start,
    /// The commands, timed from the start.
    pub cues: Vec<Cue>,
}

/// Why a layout cannot play a scene.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// No load balancer, so no SSL termination to discuss.
    NoLoadBalancer,
    /// No MySQL primary with a replica.
    NoReplica,
    /// No server runs the web tier and MySQL together.
    NotShared,
    /// No built-in layout with separate tiers to show the fix on.
    NoSplitLayout,
}

impl Scene {
    /// Every scene, in the seeds' order.
    pub const ALL: [Scene; 3] = [Scene::SslTermination, Scene::OneWriter, Scene::SharedBox];

    /// The script of `phase` on layout `s`.
    pub fn script(self, phase: Phase, s: &Scenario) -> Result<Script, Unavailable> {
        use Command::*;
        match (self, phase) {
            (Scene::SslTermination, _) if Role::LoadBalancer.resolve(s).is_empty() => {
                Err(Unavailable::NoLoadBalancer)
            }
            (Scene::SslTermination, Phase::Problem) => Ok(Script {
                start: Start::Restart,
                cues: vec![
                    Cue::at(0, SetTls(TlsMode::Terminate)),
                    Cue::at(0, SetRate { qps: SSL_RATE_QPS }),
                ],
            }),
            (Scene::SslTermination, Phase::Fix) => Ok(Script {
                start: Start::Continue,
                cues: vec![Cue::at(0, SetTls(TlsMode::Reencrypt))],
            }),
            (Scene::OneWriter, _) if !has_primary_and_replica(s) => Err(Unavailable::NoReplica),
            (Scene::OneWriter, phase) => {
                let mode =
                    if phase == Phase::Problem { FailoverMode::Manual } else { FailoverMode::Auto };
                let mut cues = vec![
                    Cue::at(0, SetFailover(mode)),
                    Cue::at(0, SetRate { qps: WRITER_RATE_QPS }),
                    Cue::at(0, SetWriteShare { share: WRITER_WRITE_SHARE }),
                    Cue::at(WRITER_KILL_S, Kill(NodeRef::PrimaryDb)),
                ];
                if phase == Phase::Problem {
                    cues.push(Cue::at(WRITER_PROMOTE_S, Promote(NodeRef::ReplicaDb)));
                }
                Ok(Script { start: Start::Restart, cues })
            }
            (Scene::SharedBox, Phase::Problem) if shared_boxes(s).is_empty() => {
                Err(Unavailable::NotShared)
            }
            (Scene::SharedBox, phase) => {
                let start = match phase {
                    Phase::Problem => Start::Restart,
                    Phase::Fix => Start::Preset(split_preset().ok_or(Unavailable::NoSplitLayout)?),
                };
                Ok(Script {
                    start,
                    cues: vec![
                        Cue::at(0, SetRate { qps: SHARED_BASE_QPS }),
                        Cue::at(SHARED_BURST_S, SetWriteShare { share: SHARED_BURST_WRITE_SHARE }),
                        Cue::at(SHARED_BURST_S, SetRate { qps: SHARED_BURST_QPS }),
                    ],
                })
            }
        }
    }

    /// The parts of the board the scene is about (lit while it plays).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Scene::SslTermination => &[Role::LoadBalancer, Role::WebServers],
            Scene::OneWriter => &[Role::DatabaseHosts],
            Scene::SharedBox => &[Role::WebServers, Role::DatabaseHosts],
        }
    }

    /// The simulated second (after the script's start) when the scene's
    /// trouble begins: the numbers "before" are taken ahead of it.
    pub fn trouble_at_s(self) -> u64 {
        match self {
            Scene::SslTermination => 0,
            Scene::OneWriter => WRITER_KILL_S,
            Scene::SharedBox => SHARED_BURST_S,
        }
    }
}

fn has_primary_and_replica(s: &Scenario) -> bool {
    let has = |c: Component| s.nodes.iter().any(|n| n.components.contains(&c));
    has(Component::MysqlPrimary) && has(Component::MysqlReplica)
}

/// Servers that run Nginx and MySQL on the same box.
fn shared_boxes(s: &Scenario) -> Vec<usize> {
    let web = Role::WebServers.resolve(s);
    Role::DatabaseHosts.resolve(s).into_iter().filter(|i| web.contains(i)).collect()
}

/// The first built-in layout where no box mixes tiers, with a web tier and
/// a MySQL primary and replica on separate boxes, and settings left at the
/// defaults of the default layout (so the only difference the fix shows is
/// the split).
pub fn split_preset() -> Option<&'static str> {
    let default = presets::default_scenario();
    let one_mysql_per_box = |s: &Scenario| {
        s.nodes.iter().all(|n| {
            n.components
                .iter()
                .filter(|c| matches!(c, Component::MysqlPrimary | Component::MysqlReplica))
                .count()
                <= 1
        })
    };
    presets::names().find(|&name| {
        presets::get(name).is_some_and(|s| {
            shared_boxes(&s).is_empty()
                && !Role::WebServers.resolve(&s).is_empty()
                && has_primary_and_replica(&s)
                && one_mysql_per_box(&s)
                && s.tls == default.tls
                && s.database == default.database
        })
    })
}

/// The numbers that prove a scene's point, read from the metrics.
#[derive(Clone, Debug, PartialEq)]
pub enum Proof {
    /// SSL terminated at the load balancer.
    Ssl {
        /// Links whose latest user traffic was clear text (from the board).
        plaintext_links: usize,
        /// Requests served while the links behind HAProxy were clear text:
        /// an eavesdropper inside read every one.
        eavesdropped: u64,
        /// Load balancer CPU before the fix, percent.
        lb_cpu_before: f64,
        /// Load balancer CPU since the fix, percent (`None` before it).
        lb_cpu_after: Option<f64>,
    },
    /// One MySQL writer.
    Writer {
        /// Write requests that failed since the scene began.
        failed: u64,
        /// Alerts the monitoring service raised since the crash.
        alerts: usize,
        /// Acknowledged writes the promoted replica never had.
        lost: u64,
        /// Seconds from the crash until writes worked again (`None` while
        /// they still fail).
        outage_s: Option<u64>,
    },
    /// Every server runs every component.
    Shared {
        /// Highest CPU among the boxes running Nginx during the burst, percent.
        web_cpu_pct: f64,
        /// Latency p99 before the burst, ms.
        p99_before_ms: f64,
        /// Latency p99 during the burst, ms.
        p99_during_ms: f64,
    },
}

/// When the scene's scripts started, in simulated seconds since the run's
/// start (a restart makes the problem start at 0).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timing {
    /// Start of the script being measured.
    pub start_s: u64,
    /// When the fix was applied on top of a running problem (SSL scene).
    pub fix_at_s: Option<u64>,
}

impl Scene {
    /// Reads the proof from the metrics of a run playing this scene.
    /// `plaintext_links` comes from the board's link states.
    pub fn proof(self, s: &Scenario, m: &Metrics, timing: Timing, plaintext_links: usize) -> Proof {
        // The engine lands every cue at its scripted time.
        let trouble = timing.start_s + self.trouble_at_s();
        match self {
            Scene::SslTermination => {
                let lb_slot = Role::LoadBalancer.resolve(s).first().and_then(|&n| m.box_slot(n));
                let fix = timing.fix_at_s.unwrap_or(u64::MAX);
                let cpu = |from: u64, to: u64| {
                    lb_slot.map_or(0.0, |slot| mean(m, from, to, |st| f64::from(st.cpu_pct[slot])))
                };
                Proof::Ssl {
                    plaintext_links,
                    eavesdropped: m
                        .history
                        .iter()
                        .filter(|st| st.second >= timing.start_s && st.second < fix)
                        .map(|st| u64::from(st.served))
                        .sum(),
                    lb_cpu_before: cpu(timing.start_s + SETTLE_S, fix),
                    lb_cpu_after: timing.fix_at_s.map(|f| cpu(f + SETTLE_S, u64::MAX)),
                }
            }
            Scene::OneWriter => {
                let failing = |st: &SecondStats| st.dropped[DropCode::PrimaryDown as usize] > 0;
                let last_failing =
                    m.history.iter().rev().find(|st| st.second >= trouble && failing(st));
                let outage_s = last_failing.and_then(|last| {
                    m.history
                        .iter()
                        .any(|st| st.second > last.second + 1)
                        .then(|| last.second + 1 - trouble)
                });
                Proof::Writer {
                    failed: m.writes_failed,
                    alerts: m.alerts.iter().filter(|a| a.at >= SimTime::from_secs(trouble)).count(),
                    lost: m.lost_writes,
                    outage_s,
                }
            }
            Scene::SharedBox => {
                let web: Vec<usize> =
                    Role::WebServers.resolve(s).iter().filter_map(|&n| m.box_slot(n)).collect();
                let during = trouble + SETTLE_S;
                let web_cpu_pct = web
                    .iter()
                    .map(|&slot| mean(m, during, u64::MAX, |st| f64::from(st.cpu_pct[slot])))
                    .fold(0.0, f64::max);
                Proof::Shared {
                    web_cpu_pct,
                    p99_before_ms: mean(m, timing.start_s + SETTLE_S, trouble, |st| {
                        f64::from(st.latency_p99_ms)
                    }),
                    p99_during_ms: mean(m, during, u64::MAX, |st| f64::from(st.latency_p99_ms)),
                }
            }
        }
    }
}

/// Mean of `f` over the completed seconds in `[from, to)` (0 when none).
fn mean(m: &Metrics, from: u64, to: u64, f: impl Fn(&SecondStats) -> f64) -> f64 {
    let (sum, n) = m
        .history
        .iter()
        .filter(|st| st.second >= from && st.second < to)
        .fold((0.0, 0u32), |(sum, n), st| (sum + f(st), n + 1));
    if n == 0 {
        0.0
    } else {
        sum / f64::from(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::{Event, NodeKind, Origin, RequestKind, Simulation, Timeline};
    use std::collections::HashMap;

    /// A run playing a script, with what the board would show about links.
    struct Run {
        sim: Simulation,
        timeline: Timeline,
        /// Latest encryption state per link carrying user data.
        links: HashMap<(usize, usize), bool>,
    }

    impl Run {
        /// Starts `script` the way the panel does (restart or preset).
        fn new(s: &Scenario, script: &Script) -> Run {
            let scenario = match script.start {
                Start::Preset(name) => presets::get(name).unwrap(),
                _ => s.clone(),
            };
            let sim = Simulation::new(&scenario, 1).unwrap();
            let mut run = Run { sim, timeline: Timeline::new(), links: HashMap::new() };
            run.then(script);
            run
        }

        /// Plays a further script from now on (the fix on top of the problem).
        fn then(&mut self, script: &Script) {
            self.timeline.schedule(Origin::Scene, self.sim.now(), &script.cues);
        }

        /// Runs `secs` simulated seconds in slices of 100 ms, the timeline
        /// landing each cue at its time.
        fn run(&mut self, secs: u64) {
            let end = self.sim.now().plus_nanos(secs * 1_000_000_000);
            let mut refused = Vec::new();
            loop {
                self.timeline.land_due(&mut self.sim, &mut refused);
                assert_eq!(refused, [], "scene commands apply");
                while let Some(e) = self.sim.poll_event() {
                    if let Event::Hop { from, to, encrypted, kind, .. } = e {
                        if kind != RequestKind::Attack {
                            self.links.insert((from, to), encrypted);
                        }
                    }
                }
                if self.sim.now() >= end {
                    break;
                }
                let next = self.sim.now().plus_nanos(100_000_000).min(end);
                self.timeline.run_to(&mut self.sim, next, &mut refused).unwrap();
            }
        }

        fn plaintext_links(&self) -> usize {
            self.links.values().filter(|&&e| !e).count()
        }

        fn now_s(&self) -> u64 {
            self.sim.now().0 / 1_000_000_000
        }

        fn proof(&self, scene: Scene, timing: Timing) -> Proof {
            scene.proof(self.sim.scenario(), self.sim.metrics(), timing, self.plaintext_links())
        }
    }

    #[test]
    fn every_script_applies_on_the_default_layout() {
        let s = presets::default_scenario();
        for scene in Scene::ALL {
            for phase in [Phase::Problem, Phase::Fix] {
                let script = scene
                    .script(phase, &s)
                    .unwrap_or_else(|e| panic!("{scene:?} {phase:?}: {e:?}"));
                let mut run = Run::new(&s, &script);
                run.run(60); // `run` panics if the simulation refuses a command
                assert_eq!(
                    run.timeline.next_at(),
                    None,
                    "{scene:?} {phase:?}: cues left after 60 s"
                );
            }
        }
    }

    #[test]
    fn ssl_scene_shows_clear_text_then_locks_it_at_a_cpu_cost() {
        let s = presets::default_scenario();
        let scene = Scene::SslTermination;
        let mut run = Run::new(&s, &scene.script(Phase::Problem, &s).unwrap());
        run.run(12);
        let before = run.proof(scene, Timing::default());
        let Proof::Ssl { plaintext_links, eavesdropped, lb_cpu_before, lb_cpu_after: None } =
            before
        else {
            panic!("{before:?}")
        };
        assert!(plaintext_links >= 2, "the hops to both servers are clear text: {plaintext_links}");
        assert!(eavesdropped > 0);

        let fix_at = run.now_s();
        run.then(&scene.script(Phase::Fix, &s).unwrap());
        run.run(12);
        let after = run.proof(scene, Timing { start_s: 0, fix_at_s: Some(fix_at) });
        println!("ssl: {before:?} then {after:?}");
        let Proof::Ssl {
            plaintext_links, eavesdropped: read, lb_cpu_after: Some(cpu_after), ..
        } = after
        else {
            panic!("{after:?}")
        };
        assert_eq!(plaintext_links, 0, "re-encryption locks every hop");
        assert_eq!(read, eavesdropped, "nothing more is read once the hops are locked");
        assert!(
            cpu_after > lb_cpu_before,
            "re-encrypting costs the LB CPU: {lb_cpu_before} → {cpu_after}"
        );
    }

    #[test]
    fn one_writer_scene_fails_writes_until_promotion_and_auto_failover_shortens_it() {
        let s = presets::default_scenario();
        let scene = Scene::OneWriter;
        let mut manual = Run::new(&s, &scene.script(Phase::Problem, &s).unwrap());
        manual.run(60);
        let p = manual.proof(scene, Timing::default());
        println!("manual: {p:?}");
        let Proof::Writer { failed, alerts, outage_s, .. } = p else { unreachable!() };
        assert!(failed > 100, "about 60 writes a second fail for 40 s: {failed}");
        assert!(alerts > 0, "the monitoring noticed");
        let manual_outage = outage_s.expect("writes work again after the promotion");
        assert_eq!(manual_outage, WRITER_PROMOTE_S - WRITER_KILL_S);

        let mut auto = Run::new(&s, &scene.script(Phase::Fix, &s).unwrap());
        auto.run(60);
        let q = auto.proof(scene, Timing::default());
        println!("auto: {q:?}");
        let Proof::Writer { failed: auto_failed, outage_s, .. } = q else { unreachable!() };
        let auto_outage = outage_s.expect("the orchestrator promotes the replica");
        assert!(auto_outage < manual_outage, "{auto_outage} s vs {manual_outage} s");
        assert!(
            auto_failed > 0,
            "automatic failover still fails the writes of the detection delay"
        );
        assert!(auto_failed < failed);
    }

    #[test]
    fn shared_box_burst_loads_the_web_boxes_and_the_split_layout_spares_them() {
        let s = presets::default_scenario();
        let scene = Scene::SharedBox;
        let mut shared = Run::new(&s, &scene.script(Phase::Problem, &s).unwrap());
        shared.run(25);
        let p = shared.proof(scene, Timing::default());
        println!("shared: {p:?}");
        let Proof::Shared { web_cpu_pct, p99_before_ms, p99_during_ms } = p else { unreachable!() };
        assert!(web_cpu_pct > 95.0, "the box with the primary saturates: {web_cpu_pct} %");
        assert!(
            p99_during_ms > 2.0 * p99_before_ms,
            "pages slow down: {p99_before_ms} → {p99_during_ms} ms"
        );

        let fix = scene.script(Phase::Fix, &s).expect("a split layout is built in");
        assert!(matches!(fix.start, Start::Preset(_)), "the fix loads the split layout");
        let mut apart = Run::new(&s, &fix);
        apart.run(25);
        let q = apart.proof(scene, Timing::default());
        println!("split: {q:?}");
        let Proof::Shared { web_cpu_pct: split_cpu, p99_before_ms, p99_during_ms } = q else {
            unreachable!()
        };
        assert!(
            split_cpu < 0.6 * web_cpu_pct,
            "web boxes: {web_cpu_pct} % shared, {split_cpu} % split"
        );
        assert!(
            p99_during_ms < 1.5 * p99_before_ms,
            "web latency holds: {p99_before_ms} → {p99_during_ms} ms"
        );
    }

    #[test]
    fn layouts_that_cannot_play_a_scene_say_why() {
        let split = presets::get(split_preset().unwrap()).unwrap();
        assert_eq!(Scene::SharedBox.script(Phase::Problem, &split), Err(Unavailable::NotShared));
        let mut no_lb = presets::default_scenario();
        no_lb.nodes.retain(|n| n.kind != NodeKind::LoadBalancer);
        assert_eq!(
            Scene::SslTermination.script(Phase::Problem, &no_lb),
            Err(Unavailable::NoLoadBalancer)
        );
        let mut no_replica = presets::default_scenario();
        for n in &mut no_replica.nodes {
            n.components.retain(|c| *c != Component::MysqlReplica);
        }
        assert_eq!(Scene::OneWriter.script(Phase::Fix, &no_replica), Err(Unavailable::NoReplica));
    }
}
