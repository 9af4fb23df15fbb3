//! Per-firewall rule tables: add, remove and reorder rules (first match
//! wins), e.g. open 3306 to the Internet and watch attack traffic reach
//! MySQL.

use super::input::{self, Checked};
use super::{Ctx, Refusal};
use crate::board::node_name;
use crate::erased::{dynamic, handler};
use crate::i18n::{k, t, use_i18n, Locale};
use infraboard_sim::{
    Action, Command, CommandError, NodeKind, NodeRef, Protocol, RuleSpec, Scenario, SourceSpec,
    Zone,
};
use leptos::prelude::*;

/// Sources offered when adding a rule, with their test ids.
const SOURCES: [(&str, Source); 4] = [
    ("internet", Source::Internet),
    ("lb", Source::Lb),
    ("app", Source::App),
    ("any", Source::Any),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    Internet,
    Lb,
    App,
    Any,
}

impl Source {
    fn spec(self, lb_id: &str) -> SourceSpec {
        match self {
            Source::Internet => SourceSpec::Zone(Zone::Internet),
            Source::Lb => SourceSpec::Node(lb_id.to_string()),
            Source::App => SourceSpec::Zone(Zone::App),
            Source::Any => SourceSpec::Any,
        }
    }
}

fn source_text(scenario: &Scenario, source: &SourceSpec, locale: Locale) -> String {
    match source {
        SourceSpec::Any => k::controls::firewall::SOURCE_ANY.text(locale).to_string(),
        SourceSpec::Zone(Zone::Internet) => {
            k::controls::firewall::SOURCE_INTERNET.text(locale).to_string()
        }
        SourceSpec::Zone(Zone::App) => k::controls::firewall::SOURCE_APP.text(locale).to_string(),
        SourceSpec::Zone(Zone::Data) => k::controls::firewall::SOURCE_DATA.text(locale).to_string(),
        SourceSpec::Zone(Zone::Edge) => k::board::zone::EDGE.text(locale).to_string(),
        SourceSpec::Zone(Zone::Ops) => k::board::zone::OPS.text(locale).to_string(),
        SourceSpec::Node(id) => match scenario.nodes.iter().position(|n| &n.id == id) {
            // Short in a rule table: there is one load balancer.
            Some(i) if scenario.nodes[i].kind == NodeKind::LoadBalancer => {
                k::controls::firewall::SOURCE_LB.text(locale).to_string()
            }
            Some(i) => node_name(scenario, i, locale),
            None => id.clone(),
        },
    }
}

/// The number in an id such as `fw-2`, for "Firewall 2".
fn number_of(id: &str) -> String {
    id.rsplit('-').next().unwrap_or(id).to_string()
}

/// One rule table per firewall of the scenario.
#[component]
pub fn FirewallControls(
    /// Simulation and live state.
    ctx: Ctx,
) -> impl IntoView {
    let sim = ctx.sim;
    let tables = move || {
        sim.with_design(|s| {
            let lb_id = s
                .nodes
                .iter()
                .find(|n| n.kind == NodeKind::LoadBalancer)
                .map(|n| n.id.clone())
                .unwrap_or_default();
            s.nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind == NodeKind::Firewall)
                .map(|(index, fw)| view! { <RuleTable ctx=ctx index=index firewall=fw.id.clone() lb_id=lb_id.clone() /> })
                .collect_view()
        })
    };
    view! {
        <fieldset class="ctl-group ctl-firewalls" data-testid="ctl-firewalls">
            <legend>{t(k::controls::firewall::LEGEND)}</legend>
            {tables}
        </fieldset>
    }
}

/// The form that adds a rule, as filled in so far (one signal for the
/// form: each type a signal holds costs its own code in the wasm).
#[derive(Clone)]
struct NewRule {
    action: Action,
    source: Source,
    port: String,
    /// What was typed as a port and refused, said under the form.
    refused_port: Option<String>,
}

/// The rules of one firewall, editable.
#[component]
fn RuleTable(
    /// Simulation and live state.
    ctx: Ctx,
    /// Node index of the firewall.
    index: usize,
    /// Node id of the firewall.
    firewall: String,
    /// Node id of the load balancer (a rule source).
    lb_id: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let refused = RwSignal::new(None::<CommandError>);
    let rules = Memo::new(move |_| {
        ctx.live.with(|l| {
            l.rules.iter().find(|(n, _)| *n == index).map(|(_, r)| r.clone()).unwrap_or_default()
        })
    });
    let n = number_of(&firewall);
    // Packets this firewall dropped (user and attack traffic, every rule).
    let dropped = move || {
        ctx.sim.frame.with(|f| {
            f.metrics
                .firewall_drops
                .iter()
                .filter(|(fw, _, _)| *fw == index)
                .map(|(_, _, n)| n)
                .sum::<u64>()
        })
    };
    let fw = StoredValue::new(firewall.clone());
    let send = move |command: Command| ctx.send(command, refused);
    let remove = move |index: usize| {
        send(Command::RemoveFirewallRule { firewall: NodeRef::Id(fw.get_value()), index });
    };
    let move_rule = move |from: usize, to: usize| {
        if from == to {
            return;
        }
        send(Command::MoveFirewallRule { firewall: NodeRef::Id(fw.get_value()), from, to });
        // Keep the keyboard on the rule that moved.
        let button = if to < from && to > 0 { "up" } else { "down" };
        focus_later(format!("[data-rule='{}-{to}'] .rule-{button}", fw.get_value()));
    };

    let form = RwSignal::new(NewRule {
        action: Action::Allow,
        source: Source::Internet,
        port: String::from("3306"),
        refused_port: None,
    });
    let lb_for_add = StoredValue::new(lb_id);
    let add = move || {
        let NewRule { action, source, port: text, .. } = form.get_untracked();
        let port = if text.trim().is_empty() || text.trim() == "*" {
            None
        } else {
            match input::check_port(&text) {
                Checked::Ok(p) => Some(p as u16),
                Checked::Clamped { .. } | Checked::Refused => {
                    form.update(|f| f.refused_port = Some(text));
                    return;
                }
            }
        };
        form.update(|f| f.refused_port = None);
        let rule = RuleSpec {
            action,
            source: source.spec(&lb_for_add.get_value()),
            port,
            protocol: Protocol::Tcp,
        };
        // New rules go first: an "allow" after a catch-all "deny" would never match.
        send(Command::AddFirewallRule {
            firewall: NodeRef::Id(fw.get_value()),
            index: Some(0),
            rule,
        });
    };

    let rows = move || {
        rules
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                let action = rule.action;
                let port = rule.port;
                let source = rule.source.clone();
                let key = format!("{}-{i}", fw.get_value());
                view! {
                    <li class="rule" data-rule=key class:deny=action == Action::Deny>
                        <span class="rule-number">{i + 1}</span>
                        <span class="rule-action">
                            {move || i18n.tr(match action {
                                Action::Allow => k::controls::firewall::ALLOW,
                                Action::Deny => k::controls::firewall::DENY,
                            })}
                        </span>
                        <span class="rule-port">
                            {move || port.map_or_else(|| i18n.tr(k::controls::firewall::ANY_PORT).to_string(), |p| p.to_string())}
                        </span>
                        <span class="rule-source">
                            {move || ctx.sim.with_design(|s| source_text(s, &source, i18n.locale()))}
                        </span>
                        <span class="rule-buttons">
                            <button
                                type="button"
                                class="rule-up"
                                disabled=i == 0
                                aria-label=dynamic(move || k::controls::firewall::up(i18n.locale(), i + 1))
                                on:click=handler(move |_| move_rule(i, i.saturating_sub(1)))
                            >
                                "↑"
                            </button>
                            <button
                                type="button"
                                class="rule-down"
                                disabled=dynamic(move || { i + 1 >= rules.with(|r| r.len()) })
                                aria-label=dynamic(move || k::controls::firewall::down(i18n.locale(), i + 1))
                                on:click=handler(move |_| move_rule(i, i + 1))
                            >
                                "↓"
                            </button>
                            <button
                                type="button"
                                class="rule-remove"
                                aria-label=dynamic(move || k::controls::firewall::remove(i18n.locale(), i + 1))
                                on:click=handler(move |_| remove(i))
                            >
                                "✕"
                            </button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    let fw_testid = firewall.clone();
    let (n1, n2) = (n.clone(), n.clone());
    let source_options = SOURCES
        .iter()
        .map(|(value, source)| {
            let source = *source;
            let label = move || {
                i18n.tr(match source {
                    Source::Internet => k::controls::firewall::SOURCE_INTERNET,
                    Source::Lb => k::controls::firewall::SOURCE_LB,
                    Source::App => k::controls::firewall::SOURCE_APP,
                    Source::Any => k::controls::firewall::SOURCE_ANY,
                })
            };
            view! { <option value=*value>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="fw" data-testid=format!("fw-{fw_testid}")>
            <h3 class="fw-name">
                {move || k::board::node::firewall_n(i18n.locale(), &n1)}
                <span class="fw-dropped" data-value=dropped>
                    {move || k::controls::firewall::dropped(i18n.locale(), i18n.number(dropped() as f64, 0))}
                </span>
            </h3>
            <ol class="rules" aria-label=dynamic(move || k::controls::firewall::rules(i18n.locale(), &n2))>
                {rows}
                <li class="rule rule-default">
                    <span class="rule-number">"*"</span>
                    <span>{t(k::controls::firewall::DEFAULT_DENY)}</span>
                </li>
            </ol>
            <form
                class="fw-add"
                on:submit=handler(move |ev: web_sys::SubmitEvent| {
                    ev.prevent_default();
                    add();
                })
            >
                <select
                    aria-label=t(k::controls::firewall::ACTION)
                    class="fw-add-action"
                    on:change=handler(move |ev| {
                        let action = if event_target_value(&ev) == "deny" { Action::Deny } else { Action::Allow };
                        form.update(|f| f.action = action);
                    })
                >
                    <option value="allow">{t(k::controls::firewall::ALLOW)}</option>
                    <option value="deny">{t(k::controls::firewall::DENY)}</option>
                </select>
                <input
                    type="text"
                    inputmode="numeric"
                    size="5"
                    class="fw-add-port"
                    aria-label=t(k::controls::firewall::PORT)
                    prop:value=dynamic(move || form.with(|f| f.port.clone()))
                    on:input=handler(move |ev| form.update(|f| f.port = event_target_value(&ev)))
                />
                <select
                    aria-label=t(k::controls::firewall::FROM)
                    class="fw-add-source"
                    on:change=handler(move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((_, s)) = SOURCES.iter().find(|(name, _)| *name == v) {
                            form.update(|f| f.source = *s);
                        }
                    })
                >
                    {source_options}
                </select>
                <button type="submit" class="fw-add-button">{t(k::controls::firewall::ADD)}</button>
                <p class="ctl-note" role="status">
                    {move || form.with(|f| f.refused_port.clone()).map(|text| {
                        k::controls::firewall::port_refused(i18n.locale(), input::quote(&text))
                    })}
                </p>
            </form>
            <Refusal note=refused />
        </div>
    }
}

/// Moves focus to the element matching `selector` after the list re-renders.
fn focus_later(selector: String) {
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        let el = document().query_selector(&selector).ok().flatten();
        if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}
