//! The explanations panel: why each part is there and the review's
//! questions, each with a "show me" that sends its demonstration's commands
//! to the running simulation and lights the parts it is about.

use super::explain::{NotInLayout, Topic};
use crate::board::Highlight;
use crate::erased::{dynamic, handler, shown};
use crate::i18n::{k, t, use_i18n, Msg};
use crate::sim_driver::use_sim;
use crate::watched::Watched;
use infraboard_sim::Origin;
use leptos::prelude::*;

/// The texts of one topic: heading, explanation, what "show me" does.
struct Texts {
    heading: Msg,
    body: Msg,
    demo: Msg,
}

fn texts(topic: Topic) -> Texts {
    use k::explain::{items, questions};
    let (heading, body, demo) = match topic {
        Topic::FirewallEdge => (items::fw_edge::TITLE, items::fw_edge::BODY, items::fw_edge::DEMO),
        Topic::FirewallApp => (items::fw_app::TITLE, items::fw_app::BODY, items::fw_app::DEMO),
        Topic::FirewallData => (items::fw_data::TITLE, items::fw_data::BODY, items::fw_data::DEMO),
        Topic::Certificate => {
            (items::certificate::TITLE, items::certificate::BODY, items::certificate::DEMO)
        }
        Topic::AgentLb => (items::agent_lb::TITLE, items::agent_lb::BODY, items::agent_lb::DEMO),
        Topic::AgentWeb => {
            (items::agent_web::TITLE, items::agent_web::BODY, items::agent_web::DEMO)
        }
        Topic::AgentDb => (items::agent_db::TITLE, items::agent_db::BODY, items::agent_db::DEMO),
        Topic::WhyFirewalls => (
            questions::firewalls::QUESTION,
            questions::firewalls::ANSWER,
            questions::firewalls::DEMO,
        ),
        Topic::WhyHttps => {
            (questions::https::QUESTION, questions::https::ANSWER, questions::https::DEMO)
        }
        Topic::WhyMonitoring => (
            questions::monitoring::QUESTION,
            questions::monitoring::ANSWER,
            questions::monitoring::DEMO,
        ),
        Topic::HowCollect => {
            (questions::collect::QUESTION, questions::collect::ANSWER, questions::collect::DEMO)
        }
        Topic::HowQps => (questions::qps::QUESTION, questions::qps::ANSWER, questions::qps::DEMO),
    };
    Texts { heading, body, demo }
}

/// A stable machine name for tests and styling.
fn slug(topic: Topic) -> &'static str {
    match topic {
        Topic::FirewallEdge => "fw-edge",
        Topic::FirewallApp => "fw-app",
        Topic::FirewallData => "fw-data",
        Topic::Certificate => "certificate",
        Topic::AgentLb => "agent-lb",
        Topic::AgentWeb => "agent-web",
        Topic::AgentDb => "agent-db",
        Topic::WhyFirewalls => "q-firewalls",
        Topic::WhyHttps => "q-https",
        Topic::WhyMonitoring => "q-monitoring",
        Topic::HowCollect => "q-collect",
        Topic::HowQps => "q-qps",
    }
}

/// What the last "show me" did.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Showing(Topic),
    NotInLayout(Topic),
    Refused(Topic),
}

/// Every topic, grouped: the parts, then the questions.
#[component]
pub(super) fn ExplainPanel() -> impl IntoView {
    let outcome = Watched::new(None::<Outcome>);
    let topics = |list: &'static [Topic]| {
        list.iter().map(|&topic| view! { <TopicView topic=topic outcome=outcome /> }).collect_view()
    };
    view! {
        <section class="study-panel explain" aria-labelledby="explain-title" data-testid="explain">
            <header class="study-head">
                <h2 id="explain-title">{t(k::explain::TITLE)}</h2>
            </header>
            <h3 class="study-subhead">{t(k::explain::ELEMENTS_HEADING)}</h3>
            <div class="topics">{topics(&Topic::ELEMENTS)}</div>
            <h3 class="study-subhead">{t(k::explain::QUESTIONS_HEADING)}</h3>
            <div class="topics">{topics(&Topic::QUESTIONS)}</div>
        </section>
    }
}

/// One explanation, folded until opened.
#[component]
fn TopicView(topic: Topic, outcome: Watched<Option<Outcome>>) -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let highlight = expect_context::<Highlight>();
    let Texts { heading, body, demo } = texts(topic);
    let show_me = move |_| {
        let scenario = sim.scenario.get_untracked();
        let rate = sim.with_engine(|e| e.sim().traffic().rate_qps);
        highlight.0.set(topic.highlight(&scenario));
        let result = match topic.demo(&scenario, rate) {
            Err(NotInLayout(_)) => Outcome::NotInLayout(topic),
            Ok(commands) => {
                // All or nothing is not possible after the first command has
                // run, so stop at the first refusal and say so.
                let refused = commands.into_iter().any(|c| sim.apply(c, Origin::ShowMe).is_err());
                if refused {
                    Outcome::Refused(topic)
                } else {
                    sim.playing.set(true);
                    Outcome::Showing(topic)
                }
            }
        };
        outcome.set(Some(result));
    };
    let put_back = move |_| {
        sim.restart(None);
        highlight.0.set(Vec::new());
        outcome.set(None);
    };
    let status = move || match outcome.get() {
        Some(Outcome::Showing(t)) if t == topic => Some(i18n.tr(k::explain::SHOWING).to_string()),
        Some(Outcome::NotInLayout(t)) if t == topic => {
            Some(i18n.tr(k::explain::NOT_IN_LAYOUT).to_string())
        }
        Some(Outcome::Refused(t)) if t == topic => Some(
            sim.message
                .with(|m| match m {
                    Some(crate::sim_driver::DriverMessage::CommandRefused(_, e)) => {
                        Some(k::explain::refused(
                            i18n.locale(),
                            crate::controls::refusal(e, i18n.locale()),
                        ))
                    }
                    _ => None,
                })
                .unwrap_or_else(|| i18n.tr(k::explain::NOT_IN_LAYOUT).to_string()),
        ),
        _ => None,
    };
    let showing = move || matches!(outcome.get(), Some(Outcome::Showing(t)) if t == topic);
    let pipeline = (topic == Topic::HowQps).then(|| {
        view! {
            <ol class="qps-pipeline">
                <li>{t(k::explain::questions::qps::PIPELINE_COUNT)}</li>
                <li>{t(k::explain::questions::qps::PIPELINE_SHIP)}</li>
                <li>{t(k::explain::questions::qps::PIPELINE_ALERT)}</li>
            </ol>
        }
    });
    view! {
        <details class="topic" data-testid=format!("topic-{}", slug(topic))>
            <summary>{t(heading)}</summary>
            <p>{t(body)}</p>
            {pipeline}
            <p class="topic-demo">{t(demo)}</p>
            <div class="topic-actions">
                <button
                    class="study-primary"
                    data-testid=format!("show-me-{}", slug(topic))
                    on:click=handler(show_me)
                >
                    {t(k::explain::SHOW_ME)}
                </button>
                {shown(
                    showing,
                    move || {
                        view! {
                            <button data-testid=format!("put-back-{}", slug(topic)) on:click=handler(put_back)>
                                {t(k::explain::UNDO)}
                            </button>
                        }
                        .into_any()
                    },
                )}
            </div>
            <p class="study-status" role="status">{dynamic(status)}</p>
        </details>
    }
}
