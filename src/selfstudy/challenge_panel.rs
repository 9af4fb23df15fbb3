//! The challenges panel: pick a challenge, commit a prediction, then the
//! board loads the challenge's layout and the engine plays it as a script
//! (see [`super::runner`]): its commands land and its readings are taken
//! at their exact times, and the board stops on the last instant of the
//! window. The panel then shows what the sim counted, whether the
//! prediction agrees, and why.

use super::challenges::{
    tolerance_band, AnswerKind, Challenge, ChallengeId, Prediction, Truth, ALERT_WINDOW_S,
    ATTACK_QPS, WRITER_KILL_S, WRITER_RATE_QPS, WRITER_WINDOW_S, WRITER_WRITE_SHARE,
};
use super::progress::ProgressStore;
use super::runner::{marks, truth_of, Readings};
use crate::board::node_name;
use crate::board::Highlight;
use crate::erased::{dynamic, effect, handler, shown};
use crate::feed::rule_name;
use crate::i18n::{k, t, use_i18n, I18n, Msg};
use crate::sim_driver::{use_sim, SimHandle};
use crate::watched::Watched;
use infraboard_sim::decimal;
use infraboard_sim::{presets, Origin, Scenario, SimTime};
use leptos::prelude::*;
use std::sync::Arc;

/// Simulated seconds per wall second while a challenge plays (the user's
/// speed is kept when it is faster).
const RUN_SPEED: f64 = 10.0;

/// Where the panel stands.
#[derive(Clone, Debug, PartialEq)]
enum RunState {
    /// Waiting for a prediction.
    Idle,
    /// The board is playing the challenge.
    Running(Prediction),
    /// The sim has answered.
    Done { prediction: Prediction, truth: Truth },
    /// The layout could not be set up, or the user moved the board away.
    Interrupted,
}

/// The non-reactive part of a run (the challenge, the scenario it runs on).
#[derive(Default)]
struct Live {
    challenge: Option<Challenge>,
    scenario: Option<Arc<Scenario>>,
    /// The latest mark whose reading the panel has seen taken: a run back
    /// before it rewound past what was measured.
    last_read: SimTime,
}

/// The texts of one challenge.
struct Texts {
    title: Msg,
    options: &'static [Msg],
    explain: Msg,
}

fn texts(id: ChallengeId) -> Texts {
    use k::selfstudy::challenge as c;
    match id {
        ChallengeId::Fw2Gone => Texts {
            title: c::fw2_gone::TITLE,
            options: &[
                c::fw2_gone::OPT_LB_ONLY,
                c::fw2_gone::OPT_INTERNET,
                c::fw2_gone::OPT_NOTHING,
            ],
            explain: c::fw2_gone::EXPLAIN,
        },
        ChallengeId::Fw2Open => Texts {
            title: c::fw2_open::TITLE,
            options: &[c::fw2_open::OPT_ALL, c::fw2_open::OPT_NONE, c::fw2_open::OPT_SOME],
            explain: c::fw2_open::EXPLAIN,
        },
        ChallengeId::TlsHops => Texts {
            title: c::tls_hops::TITLE,
            options: &[
                c::tls_hops::OPT_NONE,
                c::tls_hops::OPT_OUTSIDE,
                c::tls_hops::OPT_INSIDE,
                c::tls_hops::OPT_ALL,
            ],
            explain: c::tls_hops::EXPLAIN,
        },
        ChallengeId::WriterDown => {
            Texts { title: c::writer_down::TITLE, options: &[], explain: c::writer_down::EXPLAIN }
        }
        ChallengeId::AlertLag => Texts {
            title: c::alert_lag::TITLE,
            options: &[
                c::alert_lag::OPT_UNDER_5,
                c::alert_lag::OPT_5_15,
                c::alert_lag::OPT_15_30,
                c::alert_lag::OPT_LATER,
            ],
            explain: c::alert_lag::EXPLAIN,
        },
        ChallengeId::SharedSpike => Texts {
            title: c::shared_spike::TITLE,
            options: &[
                c::shared_spike::OPT_FLAT,
                c::shared_spike::OPT_SOME,
                c::shared_spike::OPT_MUCH,
            ],
            explain: c::shared_spike::EXPLAIN,
        },
    }
}

/// The question, with the layout's own names and settings filled in.
fn question(id: ChallengeId, i18n: I18n) -> String {
    use k::selfstudy::challenge as c;
    let l = i18n.locale();
    let s = presets::get(id.preset()).unwrap_or_else(presets::default_scenario);
    let name = |node: Option<usize>| node.map(|n| node_name(&s, n, l)).unwrap_or_default();
    match id {
        ChallengeId::Fw2Gone => {
            let fw = crate::study::tour::Role::AppFirewall.resolve(&s).first().copied();
            c::fw2_gone::question(l, name(fw))
        }
        ChallengeId::Fw2Open => {
            let fw = super::challenges::primary_firewall(&s);
            let host = super::challenges::primary_box(&s);
            c::fw2_open::question(l, name(fw), name(host), i18n.number(ATTACK_QPS, 0))
        }
        ChallengeId::TlsHops => c::tls_hops::QUESTION.text(l).to_string(),
        ChallengeId::WriterDown => c::writer_down::question(
            l,
            i18n.number(WRITER_RATE_QPS, 0),
            i18n.number(WRITER_WRITE_SHARE * 100.0, 0),
            WRITER_KILL_S,
            WRITER_WINDOW_S,
        ),
        ChallengeId::AlertLag => {
            let m = s.monitoring;
            c::alert_lag::question(
                l,
                name(super::challenges::alert_victim(&s)),
                m.interval_s,
                i18n.number(f64::from(m.ship_delay_ms + m.ingest_delay_ms) / 1000.0, 0),
                m.no_data_intervals,
            )
        }
        ChallengeId::SharedSpike => c::shared_spike::QUESTION.text(l).to_string(),
    }
}

/// What the sim counted, in words.
fn truth_text(truth: &Truth, ch: &Challenge, s: &Scenario, i18n: I18n) -> String {
    use k::selfstudy::truth as w;
    let l = i18n.locale();
    let n = |v: f64| i18n.number(v, 0);
    let secs = ch.end_s - ch.trouble_s;
    match truth {
        Truth::Served { requests, served, refused, firewall } => w::served(
            l,
            node_name(s, *firewall, l),
            n(*refused as f64),
            n(*served as f64),
            n(*requests as f64),
            secs,
        ),
        Truth::Attacks { sent, reached, stopped } => {
            let by: Vec<String> = stopped
                .iter()
                .map(|(f, count)| w::stopped_by(l, node_name(s, *f, l), n(*count as f64)))
                .collect();
            let by = if by.is_empty() { w::NOBODY.text(l).to_string() } else { by.join(", ") };
            w::attacks(l, n(*sent as f64), n(*reached as f64), by, secs)
        }
        Truth::Plaintext { hops, .. } => {
            if hops.is_empty() {
                w::NO_PLAINTEXT.text(l).to_string()
            } else {
                let list: Vec<String> = hops
                    .iter()
                    .map(|(a, b)| w::hop(l, node_name(s, *a, l), node_name(s, *b, l)))
                    .collect();
                w::plaintext(l, list.join(", "))
            }
        }
        Truth::FailedWrites { failed } => {
            w::failed_writes(l, n(*failed as f64), ch.trouble_s, ch.end_s)
        }
        Truth::FirstAlert { first: Some((ms, rule, node)) } => w::first_alert(
            l,
            i18n.number(*ms as f64 / 1000.0, 1),
            rule_name(*rule, l),
            node_name(s, *node, l),
        ),
        Truth::FirstAlert { first: None } => w::no_alert(l, ALERT_WINDOW_S),
        Truth::Latency { before_ms, during_ms } => w::latency(
            l,
            n(*before_ms),
            n(*during_ms),
            i18n.number(truth.latency_growth().unwrap_or(1.0), 1),
        ),
    }
}

/// The figure tests compare with the rest of the page (a count the feed
/// or the board also shows, or the deciding number).
fn figure(truth: &Truth) -> String {
    match truth {
        Truth::Served { refused, .. } => refused.to_string(),
        Truth::Attacks { reached, .. } => reached.to_string(),
        Truth::Plaintext { hops, .. } => hops.len().to_string(),
        Truth::FailedWrites { failed } => failed.to_string(),
        Truth::FirstAlert { first } => first.map(|(ms, _, _)| ms.to_string()).unwrap_or_default(),
        Truth::Latency { during_ms, .. } => decimal::fixed(*during_ms, 0),
    }
}

/// The challenges and the one being answered.
#[component]
pub(super) fn ChallengePanel(store: ProgressStore) -> impl IntoView {
    let sim = use_sim();
    let selected = Watched::new(ChallengeId::ALL[0]);
    let state = Watched::new(RunState::Idle);
    // The open card's chosen option or typed number; each card starts with none.
    let choice = Watched::new(None::<usize>);
    let number = Watched::new(String::new());
    let live = StoredValue::new_local(Live::default());
    let highlight = use_context::<Highlight>();

    // Follow the run as simulated time passes.
    effect(move || {
        sim.frame.track();
        if matches!(state.get_untracked(), RunState::Running(_)) {
            follow(sim, live, state, store);
        }
    });

    let list = move || {
        ChallengeId::ALL
            .iter()
            .enumerate()
            .map(|(i, &id)| {
                let result = move || {
                    store
                        .progress
                        .with(|p| p.results.iter().find(|(c, _)| *c == id).map(|(_, ok)| *ok))
                };
                view! {
                    <li>
                        <button
                            class="challenge-pick"
                            data-testid=format!("challenge-pick-{}", id.slug())
                            data-result=dynamic(move || match result() {
                                Some(true) => "right",
                                Some(false) => "wrong",
                                None => "",
                            })
                            aria-current=dynamic(move || (selected.get() == id).then_some("true"))
                            disabled=dynamic(move || matches!(state.get(), RunState::Running(_)))
                            on:click=handler(move |_| {
                                selected.set(id);
                                state.set(RunState::Idle);
                            })
                        >
                            <span class="challenge-n">{i + 1}</span>
                            " "
                            {t(texts(id).title)}
                            <span class="challenge-mark" aria-hidden="true">
                                {dynamic(move || match result() {
                                    Some(true) => "✓",
                                    Some(false) => "✗",
                                    None => "",
                                })}
                            </span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <section class="study-panel selfstudy-challenges" aria-labelledby="challenges-title" data-testid="challenges">
            <header class="study-head">
                <h2 id="challenges-title">{t(k::selfstudy::challenge::PANEL_TITLE)}</h2>
            </header>
            <p class="study-hint">{t(k::selfstudy::challenge::INTRO)}</p>
            <ol class="challenge-list">{list}</ol>
            {dynamic(move || {
                let id = selected.get();
                view! { <ChallengeCard id=id state=state choice=choice number=number live=live store=store sim=sim highlight=highlight /> }.into_any()
            })}
        </section>
    }
}

/// One challenge: question, answer, run, truth.
#[component]
fn ChallengeCard(
    id: ChallengeId,
    state: Watched<RunState>,
    choice: Watched<Option<usize>>,
    number: Watched<String>,
    live: StoredValue<Live, LocalStorage>,
    store: ProgressStore,
    sim: SimHandle,
    highlight: Option<Highlight>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Texts { title, options, explain } = texts(id);
    choice.set(None);
    number.set(String::new());
    let kind = id.challenge().map(|c| c.answer);
    let prediction = move || match kind {
        Ok(AnswerKind::Choice(_)) => choice.get().map(Prediction::Choice),
        Ok(AnswerKind::Number) => {
            let text =
                number.get().trim().replace([' ', '\u{a0}', '\u{202f}'], "").replace(',', ".");
            decimal::parse(&text).filter(|v| v.is_finite() && *v >= 0.0).map(Prediction::Number)
        }
        Err(_) => None,
    };
    let locked = move || !matches!(state.get(), RunState::Idle);
    let commit = move || {
        if let Some(p) = prediction() {
            start(id, p, sim, live, state, store, highlight);
        }
    };
    let slug = id.slug();
    let answer_view = match kind {
        Ok(AnswerKind::Number) => view! {
            <label class="challenge-number">
                {t(k::selfstudy::challenge::YOUR_NUMBER)}
                <input
                    type="text"
                    inputmode="numeric"
                    data-testid="challenge-number"
                    prop:value=dynamic(move || number.get())
                    disabled=dynamic(locked)
                    on:input=handler(move |e| number.set(event_target_value(&e)))
                    on:keydown=handler(move |e: web_sys::KeyboardEvent| {
                        if e.key() == "Enter" {
                            commit();
                        }
                    })
                />
            </label>
        }
        .into_any(),
        _ => view! {
            <fieldset class="challenge-options" disabled=dynamic(locked)>
                <legend>{t(k::selfstudy::challenge::YOUR_CHOICE)}</legend>
                {options
                    .iter()
                    .enumerate()
                    .map(|(i, &msg)| {
                        let verdict = move || match state.get() {
                            RunState::Done { truth, .. } if truth.correct_option() == Some(i) => "correct",
                            RunState::Done { prediction: Prediction::Choice(c), .. } if c == i => "chosen-wrong",
                            _ => "",
                        };
                        view! {
                            <label class="challenge-option" data-state=dynamic(verdict)>
                                <input
                                    type="radio"
                                    name=format!("challenge-{slug}")
                                    data-testid=format!("challenge-option-{i}")
                                    prop:checked=dynamic(move || choice.get() == Some(i))
                                    on:change=handler(move |_| choice.set(Some(i)))
                                />
                                {t(msg)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
    };
    let result = move || match state.get() {
        RunState::Done { prediction, truth } => {
            let right = super::challenges::is_right(prediction, &truth);
            let (text, band) = live.with_value(|l| {
                let ch = l.challenge.clone()?;
                let s = l.scenario.clone()?;
                let band = truth.value().map(|v| {
                    let (lo, hi) = tolerance_band(v);
                    k::selfstudy::challenge::band(
                        i18n.locale(),
                        i18n.number(lo, 0),
                        i18n.number(hi, 0),
                    )
                });
                Some((truth_text(&truth, &ch, &s, i18n), band))
            })?;
            let yours = match prediction {
                Prediction::Choice(c) => {
                    options.get(c).map(|m| i18n.tr(*m).to_string()).unwrap_or_default()
                }
                Prediction::Number(v) => i18n.number(v, 0),
            };
            Some(view! {
                <div
                    class="challenge-result"
                    class:right=right
                    role="status"
                    data-testid="challenge-result"
                    data-verdict=if right { "right" } else { "wrong" }
                    data-figure=figure(&truth)
                    data-correct=truth.correct_option().map(|c| c.to_string()).unwrap_or_default()
                >
                    <p class="challenge-verdict">
                        {if right { i18n.tr(k::selfstudy::challenge::RIGHT) } else { i18n.tr(k::selfstudy::challenge::WRONG) }}
                    </p>
                    <p>
                        <strong>{t(k::selfstudy::challenge::SIM_SAYS)}</strong>
                        " "
                        <span data-testid="challenge-truth">{text}</span>
                    </p>
                    <p>{k::selfstudy::challenge::you_said(i18n.locale(), yours)} " " {band}</p>
                    <p class="challenge-explain">{t(explain)}</p>
                </div>
            }
            .into_any())
        }
        _ => None,
    };
    let running = move || match state.get() {
        RunState::Running(_) => {
            let end = live.with_value(|l| l.challenge.as_ref().map_or(0, |c| c.end_s));
            Some(k::selfstudy::challenge::running(
                i18n.locale(),
                i18n.number(sim.time_s().min(end as f64), 0),
                end,
            ))
        }
        RunState::Interrupted => Some(i18n.tr(k::selfstudy::challenge::INTERRUPTED).to_string()),
        _ => None,
    };
    view! {
        <article
            class="challenge"
            data-testid=format!("challenge-{slug}")
            data-state=dynamic(move || match state.get() {
                RunState::Idle => "idle",
                RunState::Running(_) => "running",
                RunState::Done { .. } => "done",
                RunState::Interrupted => "interrupted",
            })
        >
            <h3>{t(title)}</h3>
            <p class="challenge-question" data-testid="challenge-question">{dynamic(move || question(id, i18n))}</p>
            {answer_view}
            <div class="topic-actions">
                <button
                    class="study-primary"
                    data-testid="challenge-run"
                    disabled=dynamic(move || locked() || prediction().is_none())
                    on:click=handler(move |_| commit())
                >
                    {t(k::selfstudy::challenge::COMMIT)}
                </button>
                {shown(
                    move || matches!(state.get(), RunState::Done { .. } | RunState::Interrupted),
                    move || {
                        view! {
                            <button
                                data-testid="challenge-again"
                                on:click=handler(move |_| {
                                    state.set(RunState::Idle);
                                    choice.set(None);
                                    number.set(String::new());
                                })
                            >
                                {t(k::selfstudy::challenge::AGAIN)}
                            </button>
                        }
                        .into_any()
                    },
                )}
            </div>
            <p class="study-status" role="status" data-testid="challenge-status">{dynamic(running)}</p>
            {dynamic(result)}
        </article>
    }
}

/// Sets the board up for `id` and starts its script.
fn start(
    id: ChallengeId,
    prediction: Prediction,
    sim: SimHandle,
    live: StoredValue<Live, LocalStorage>,
    state: Watched<RunState>,
    store: ProgressStore,
    highlight: Option<Highlight>,
) {
    let Ok(ch) = id.challenge() else {
        state.set(RunState::Interrupted);
        return;
    };
    sim.load_preset(ch.preset);
    if sim.preset.get_untracked().as_deref() != Some(ch.preset) {
        state.set(RunState::Interrupted);
        return;
    }
    let scenario = sim.scenario.get_untracked();
    if let Some(h) = highlight {
        h.0.set(crate::study::tour::Role::all_of(ch.roles, &scenario));
    }
    // Marks first: one at time zero is read before the cues due then land.
    for (at, pause) in marks(&ch) {
        sim.watch(Origin::Challenge, at, pause);
    }
    sim.schedule(Origin::Challenge, &ch.cues);
    live.set_value(Live {
        challenge: Some(ch),
        scenario: Some(scenario),
        last_read: SimTime::ZERO,
    });
    let speed = sim.speed.get_untracked();
    if speed.is_nan() || speed < RUN_SPEED {
        sim.speed.set(RUN_SPEED);
    }
    state.set(RunState::Running(prediction));
    follow(sim, live, state, store);
    sim.playing.set(true);
}

/// Follows the run the engine plays: the truth once both readings are in;
/// an interruption when the board went elsewhere (another layout, a
/// restart), a command was refused, or the run was rewound past a reading.
fn follow(
    sim: SimHandle,
    live: StoredValue<Live, LocalStorage>,
    state: Watched<RunState>,
    store: ProgressStore,
) {
    let RunState::Running(prediction) = state.get_untracked() else { return };
    let Some((ch, scenario, last_read)) =
        live.with_value(|l| Some((l.challenge.clone()?, l.scenario.clone()?, l.last_read)))
    else {
        return;
    };
    let same_board = Arc::ptr_eq(&scenario, &sim.scenario.get_untracked());
    let (now, readings, still_set, refused) = sim.with_engine(|e| {
        (
            e.now(),
            Readings::of(&ch, e),
            e.marks().iter().any(|m| m.origin == Origin::Challenge),
            e.refused().iter().any(|r| r.entry.origin == Origin::Challenge),
        )
    });
    if !same_board || !still_set || refused || now < last_read {
        sim.stop_script(Origin::Challenge);
        state.set(RunState::Interrupted);
        return;
    }
    let [(opens, _), (ends, _)] = marks(&ch);
    let read = match (&readings.at_trouble, &readings.at_end) {
        (_, Some(_)) => ends,
        (Some(_), None) => opens,
        _ => last_read,
    };
    live.update_value(|l| l.last_read = read);
    let Some(truth) = truth_of(&ch, &scenario, &readings) else { return };
    // The engine paused on the window's end; nothing of the script is left.
    sim.playing.set(false);
    sim.stop_script(Origin::Challenge);
    store.update(|p| p.record(ch.id, super::challenges::is_right(prediction, &truth)));
    state.set(RunState::Done { prediction, truth });
}
