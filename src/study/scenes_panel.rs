//! The scenes panel: one click plays an issue on the live board (its
//! script goes on the engine's timeline, which lands each command at its
//! simulated time), the numbers that prove it fill in from the metrics,
//! and a second click plays the fix.

use super::scenes::{Phase, Proof, Scene, Script, Start, Timing, Unavailable};
use super::Highlight;
use crate::erased::{dynamic, shown};
use crate::i18n::{k, t, use_i18n, I18n, Msg};
use crate::sim_driver::{use_sim, SimHandle};
use infraboard_sim::decimal;
use infraboard_sim::Origin;
use leptos::prelude::*;

/// The scene being played.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Playing {
    scene: Scene,
    phase: Phase,
    timing: Timing,
    /// The preset the problem was played on, to come back to after a fix
    /// that loaded another layout.
    home: Option<&'static str>,
}

struct Texts {
    title: Msg,
    narration: Msg,
    fix_title: Msg,
    fix: Msg,
    missing: Msg,
}

fn texts(scene: Scene) -> Texts {
    use k::scenes::*;
    match scene {
        Scene::SslTermination => Texts {
            title: ssl::TITLE,
            narration: ssl::NARRATION,
            fix_title: ssl::FIX_TITLE,
            fix: ssl::FIX,
            missing: ssl::MISSING,
        },
        Scene::OneWriter => Texts {
            title: writer::TITLE,
            narration: writer::NARRATION,
            fix_title: writer::FIX_TITLE,
            fix: writer::FIX,
            missing: writer::MISSING,
        },
        Scene::SharedBox => Texts {
            title: shared::TITLE,
            narration: shared::NARRATION,
            fix_title: shared::FIX_TITLE,
            fix: shared::FIX,
            missing: shared::MISSING,
        },
    }
}

fn slug(scene: Scene) -> &'static str {
    match scene {
        Scene::SslTermination => "ssl",
        Scene::OneWriter => "writer",
        Scene::SharedBox => "shared",
    }
}

/// The proof in words, or `None` while there is nothing to show yet.
fn proof_text(
    i18n: I18n,
    phase: Phase,
    proof: &Proof,
    now_s: u64,
    trouble_s: u64,
) -> Option<String> {
    use k::scenes::*;
    let l = i18n.locale();
    let n = |v: f64| i18n.number(v, 0);
    let settled = now_s >= trouble_s + 3;
    match (*proof).clone() {
        Proof::Ssl { plaintext_links, eavesdropped, lb_cpu_before, lb_cpu_after } => {
            match (phase, lb_cpu_after) {
                (Phase::Fix, Some(after)) if settled => {
                    Some(ssl::fix_proof(l, plaintext_links, n(lb_cpu_before), n(after)))
                }
                _ if eavesdropped > 0 => {
                    Some(ssl::proof(l, plaintext_links, n(eavesdropped as f64)))
                }
                _ => None,
            }
        }
        Proof::Writer { failed, alerts, lost, outage_s } => {
            if now_s < trouble_s {
                return None;
            }
            let first = writer::proof(l, n(failed as f64), alerts);
            Some(match (phase, outage_s) {
                (Phase::Problem, Some(s)) => {
                    format!("{first} {}", writer::promoted(l, s, n(lost as f64)))
                }
                (Phase::Fix, Some(s)) => writer::fix_proof(l, s, n(failed as f64), n(lost as f64)),
                _ => first,
            })
        }
        Proof::Shared { web_cpu_pct, p99_before_ms, p99_during_ms } => settled.then(|| {
            let (cpu, before, after) = (n(web_cpu_pct), n(p99_before_ms), n(p99_during_ms));
            match phase {
                Phase::Problem => shared::proof(l, cpu, before, after),
                Phase::Fix => shared::fix_proof(l, cpu, before, after),
            }
        }),
    }
}

/// Sets the board up for a script; returns the second its cues count from.
fn start(sim: SimHandle, script: &Script, home: Option<&'static str>) -> u64 {
    match script.start {
        Start::Restart => match home {
            // Coming back from a fix that loaded another layout.
            Some(name) if sim.preset.get_untracked().as_deref() != Some(name) => {
                sim.load_preset(name)
            }
            _ => sim.restart(None),
        },
        Start::Preset(name) => sim.load_preset(name),
        Start::Continue => {}
    }
    sim.playing.set(true);
    sim.with_engine(|e| e.now().0 / 1_000_000_000)
}

/// The three scenes and the one playing.
#[component]
pub(super) fn ScenesPanel() -> impl IntoView {
    let sim = use_sim();
    let playing = RwSignal::new(None::<Playing>);
    let unavailable = RwSignal::new(None::<(Scene, Unavailable)>);

    let highlight = expect_context::<Highlight>();
    let ctx = Ctx { sim, playing, unavailable, highlight };
    view! {
        <section class="study-panel scenes" aria-labelledby="scenes-title" data-testid="scenes">
            <header class="study-head">
                <h2 id="scenes-title">{t(k::scenes::TITLE)}</h2>
            </header>
            <p class="study-hint">{t(k::scenes::INTRO)}</p>
            {Scene::ALL.iter().map(|&scene| view! { <SceneView scene=scene ctx=ctx /> }).collect_view()}
        </section>
    }
}

#[derive(Clone, Copy)]
struct Ctx {
    sim: SimHandle,
    playing: RwSignal<Option<Playing>>,
    unavailable: RwSignal<Option<(Scene, Unavailable)>>,
    highlight: Highlight,
}

impl Ctx {
    fn play(self, scene: Scene, phase: Phase) {
        let scenario = self.sim.scenario.get_untracked();
        let home = match self.playing.get_untracked() {
            Some(p) if p.scene == scene => p.home,
            _ => presets_name(self.sim),
        };
        // Replaying the problem after a fix that changed layout: judge the
        // layout the problem was played on.
        let judged = match (phase, home) {
            (Phase::Problem, Some(name)) => {
                infraboard_sim::presets::get(name).map(std::sync::Arc::new).unwrap_or(scenario)
            }
            _ => scenario,
        };
        let script = match scene.script(phase, &judged) {
            Ok(script) => script,
            Err(why) => {
                self.unavailable.set(Some((scene, why)));
                return;
            }
        };
        self.unavailable.set(None);
        let start_s = start(self.sim, &script, home);
        let timing = match script.start {
            Start::Continue => {
                let before =
                    self.playing.get_untracked().map(|p| p.timing.start_s).unwrap_or(start_s);
                Timing { start_s: before, fix_at_s: Some(start_s) }
            }
            _ => Timing { start_s, fix_at_s: None },
        };
        self.playing.set(Some(Playing { scene, phase, timing, home }));
        self.sim.schedule(Origin::Scene, &script.cues);
        let s = self.sim.scenario.get_untracked();
        let mut lit: Vec<usize> = scene.roles().iter().flat_map(|r| r.resolve(&s)).collect();
        crate::small_sort::sort(&mut lit);
        lit.dedup();
        self.highlight.0.set(lit);
    }
}

fn presets_name(sim: SimHandle) -> Option<&'static str> {
    let name = sim.preset.get_untracked()?;
    infraboard_sim::presets::names().find(|n| *n == name)
}

/// One scene: narration, play, numbers, fix.
#[component]
fn SceneView(scene: Scene, ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let sim = ctx.sim;
    let Texts { title, narration, fix_title, fix, missing } = texts(scene);
    let mine = move || ctx.playing.get().filter(|p| p.scene == scene);
    let phase = move || mine().map(|p| p.phase);
    // Read once per published frame; the text and the data attributes share it.
    let reading = Memo::new(move |_| {
        let p = mine()?;
        let plaintext = sim.frame.with(|f| f.links.iter().filter(|l| !l.encrypted).count());
        let now_s = sim.time_s() as u64;
        let proof = sim
            .frame
            .with(|f| sim.scenario.with(|s| scene.proof(s, &f.metrics, p.timing, plaintext)));
        let trouble = p.timing.fix_at_s.unwrap_or(p.timing.start_s + scene.trouble_at_s());
        Some((p.phase, proof, now_s, trouble))
    });
    let text = move || {
        reading.with(|r| {
            r.as_ref().map(|(phase, proof, now_s, trouble)| {
                proof_text(i18n, *phase, proof, *now_s, *trouble)
            })
        })
    };
    let numbers = move || {
        text().map(|shown| shown.unwrap_or_else(|| i18n.tr(k::scenes::WAITING).to_string()))
    };
    // The same numbers for tests and tools, whatever the wording.
    let field = move |pick: fn(&Proof) -> Option<String>| {
        move || reading.with(|r| r.as_ref().and_then(|(_, proof, _, _)| pick(proof)))
    };
    let why_not = move || {
        ctx.unavailable.get().filter(|(s, _)| *s == scene).map(|(_, why)| match why {
            Unavailable::NoSplitLayout => i18n.tr(k::scenes::shared::NO_SPLIT).to_string(),
            _ => k::scenes::unavailable(i18n.locale(), i18n.tr(missing)),
        })
    };
    let slug = slug(scene);
    view! {
        <article
            class="scene"
            data-testid=format!("scene-{slug}")
            data-phase=dynamic(move || match phase() {
                None => "",
                Some(Phase::Problem) => "problem",
                Some(Phase::Fix) => "fix",
            })
        >
            <h3>{t(title)}</h3>
            <p>{t(narration)}</p>
            <div class="topic-actions">
                <button
                    class="study-primary"
                    data-testid=format!("scene-play-{slug}")
                    on:click=move |_| ctx.play(scene, Phase::Problem)
                >
                    {dynamic(move || if phase().is_some() { i18n.tr(k::scenes::REPLAY) } else { i18n.tr(k::scenes::PLAY) })}
                </button>
                {shown(
                    move || phase() == Some(Phase::Problem),
                    move || {
                        view! {
                            <button
                                data-testid=format!("scene-fix-{slug}")
                                on:click=move |_| ctx.play(scene, Phase::Fix)
                            >
                                {t(k::scenes::APPLY_FIX)}
                            </button>
                        }
                        .into_any()
                    },
                )}
            </div>
            {shown(
                move || phase() == Some(Phase::Fix),
                move || view! { <h4>{t(fix_title)}</h4> <p>{t(fix)}</p> }.into_any(),
            )}
            <p
                class="scene-numbers"
                role="status"
                data-testid=format!("scene-numbers-{slug}")
                data-shown=dynamic(move || text().is_some_and(|t| t.is_some()).to_string())
                data-hops=field(|p| match p {
                    Proof::Ssl { plaintext_links, .. } => Some(plaintext_links.to_string()),
                    _ => None,
                })
                data-read=field(|p| match p {
                    Proof::Ssl { eavesdropped, .. } => Some(eavesdropped.to_string()),
                    _ => None,
                })
                data-failed=field(|p| match p {
                    Proof::Writer { failed, .. } => Some(failed.to_string()),
                    _ => None,
                })
                data-outage=field(|p| match p {
                    Proof::Writer { outage_s, .. } => outage_s.map(|s| s.to_string()),
                    _ => None,
                })
                data-cpu=field(|p| match p {
                    Proof::Shared { web_cpu_pct, .. } => Some(decimal::fixed(*web_cpu_pct, 0)),
                    _ => None,
                })
                data-p99-before=field(|p| match p {
                    Proof::Shared { p99_before_ms, .. } => Some(decimal::fixed(*p99_before_ms, 0)),
                    _ => None,
                })
                data-p99-during=field(|p| match p {
                    Proof::Shared { p99_during_ms, .. } => Some(decimal::fixed(*p99_during_ms, 0)),
                    _ => None,
                })
            >
                {dynamic(numbers)}
            </p>
            <p class="study-status" role="status">{dynamic(why_not)}</p>
        </article>
    }
}
