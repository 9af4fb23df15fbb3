//! The inspector's fields for the selected piece in edit mode: its id
//! (rename), a box's cores and monitoring agent, a pool's size, and how the
//! load balancers work together. Each shows the running design's value and
//! a change is one edit through the editor (refused values say why in the
//! editor's notice and leave the field showing the design's value).

use super::use_editor;
use crate::board::node_name;
use crate::erased::{handler, shown};
use crate::i18n::{k, t, use_i18n, Msg};
use infraboard_sim::design::{with_mode, Edit};
use infraboard_sim::{Component, NodeKind, PairMode};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The components a server box can run: their names in a scenario (the
/// test hook) and as the board shows them.
const COMPONENTS: [(Component, &str, Msg); 4] = [
    (Component::Nginx, "nginx", k::board::component::NGINX),
    (Component::App, "app", k::board::component::APP),
    (Component::MysqlPrimary, "mysql-primary", k::board::component::MYSQL_PRIMARY),
    (Component::MysqlReplica, "mysql-replica", k::board::component::MYSQL_REPLICA),
];

/// The typed value of a change event's field.
fn value_of(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The fields for node `index`, shown only in edit mode.
#[component]
pub fn EditFields(index: usize) -> impl IntoView {
    let Some(editor) = use_editor() else { return ().into_any() };
    shown(move || editor.on(), move || fields(index))
}

fn fields(index: usize) -> AnyView {
    let Some(editor) = use_editor() else { return ().into_any() };
    let design = editor.base();
    let Some(node) = design.nodes.get(index) else { return ().into_any() };
    let id = node.id.clone();
    let is_box = matches!(node.kind, NodeKind::Server | NodeKind::LoadBalancer);
    let mysql = node
        .components
        .iter()
        .any(|c| matches!(c, Component::MysqlPrimary | Component::MysqlReplica));
    let pool = node.kind == NodeKind::Server && !mysql;
    let lb = node.kind == NodeKind::LoadBalancer;
    let (cores, count, agent) = (node.cores_or_default(), node.boxes(), node.agent);
    let pair = design.lb_pair.map(|p| p.mode);
    let rename = {
        let id = id.clone();
        move |ev: web_sys::Event| {
            let to = value_of(&ev).trim().to_ascii_lowercase();
            if !to.is_empty() && to != id {
                editor.apply(vec![Edit::RenameNode { from: id.clone(), to }]);
            }
        }
    };
    let cores_field = is_box.then(|| {
        let id = id.clone();
        number_field(k::editor::field::CORES, "edit-cores", "256", cores, move |n| {
            editor.apply(vec![Edit::SetCores { node: id.clone(), cores: Some(n) }]);
        })
    });
    let pool_field = pool.then(|| {
        let id = id.clone();
        number_field(k::editor::field::POOL, "edit-pool", "1000", count, move |n| {
            let count = (n != 1).then(|| u16::try_from(n).unwrap_or(u16::MAX));
            editor.apply(vec![Edit::SetCount { node: id.clone(), count }]);
        })
    });
    let agent_field = is_box.then(|| {
        let id = id.clone();
        view! {
            <label class="edit-field">
                <input type="checkbox" data-testid="edit-agent" prop:checked=agent
                    on:change=handler(move |_| { editor.apply(vec![Edit::SetAgent { node: id.clone(), on: !agent }]); }) />
                <span>{t(k::editor::field::AGENT)}</span>
            </label>
        }
    });
    // What a server box runs: one checkbox per component, in the model's order.
    let components_field = (node.kind == NodeKind::Server).then(|| {
        let chosen = node.components.clone();
        let boxes = COMPONENTS
            .into_iter()
            .map(|(c, hook, label)| {
                let (id, chosen) = (id.clone(), chosen.clone());
                let on = chosen.contains(&c);
                let change = handler(move |_: web_sys::Event| {
                    let components =
                        COMPONENTS.iter().map(|&(x, _, _)| x).filter(|&x| (x == c) != chosen.contains(&x)).collect();
                    editor.apply(vec![Edit::SetComponents { node: id.clone(), components }]);
                });
                view! {
                    <label class="edit-check">
                        <input type="checkbox" data-component=hook prop:checked=on on:change=change />
                        <span>{t(label)}</span>
                    </label>
                }
            })
            .collect_view();
        group(k::editor::field::COMPONENTS, boxes.into_any())
    });
    // What a firewall stands in front of: the boxes it can guard.
    let guards_field = (node.kind == NodeKind::Firewall).then(|| {
        let guarded: Vec<String> = node.guarded().map(str::to_string).collect();
        let locale = use_i18n().locale_untracked();
        let boxes = design
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Server | NodeKind::LoadBalancer))
            .map(|(i, n)| {
                let (fw, target, guarded) = (id.clone(), n.id.clone(), guarded.clone());
                let on = guarded.contains(&target);
                let name = node_name(&design, i, locale);
                let change = handler(move |_: web_sys::Event| {
                    let mut guards = guarded.clone();
                    if on {
                        guards.retain(|g| *g != target);
                    } else {
                        guards.push(target.clone());
                    }
                    editor.apply(vec![Edit::SetGuards { firewall: fw.clone(), guards }]);
                });
                view! {
                    <label class="edit-check">
                        <input type="checkbox" data-guards=n.id.clone() prop:checked=on on:change=change />
                        <span>{name}</span>
                    </label>
                }
            })
            .collect_view();
        group(k::editor::field::GUARDS, boxes.into_any())
    });
    let pair_field = lb.then(|| {
        let choice = |mode: Option<PairMode>, label| {
            view! {
                <button type="button" aria-pressed=(pair == mode).to_string()
                    on:click=handler(move |_| { editor.apply(vec![Edit::SetLbPair(with_mode(&editor.base(), mode))]); })>
                    {t(label)}
                </button>
            }
        };
        let choices = view! {
            {choice(None, k::editor::field::PAIR_ONE)}
            {choice(Some(PairMode::ActivePassive), k::editor::field::PAIR_VIP)}
            {choice(Some(PairMode::ActiveActive), k::editor::field::PAIR_DNS)}
        };
        group(k::editor::field::PAIR, choices.into_any())
    });
    view! {
        <div class="edit-fields ctl-panel" data-testid="edit-fields">
            <h3>{t(k::editor::field::HEADING)}</h3>
            <label class="edit-field">
                <span>{t(k::editor::field::ID)}</span>
                <input type="text" maxlength="64" data-testid="edit-id" prop:value=id.clone() on:change=handler(rename) />
            </label>
            {cores_field}
            {pool_field}
            {agent_field}
            {components_field}
            {guards_field}
            {pair_field}
        </div>
    }
    .into_any()
}

/// A titled group of the fields' checkboxes or buttons.
fn group(title: Msg, items: AnyView) -> AnyView {
    view! {
        <div class="edit-field" role="group" aria-label=t(title)>
            <span>{t(title)}</span>
            {items}
        </div>
    }
    .into_any()
}

/// A whole-number field from 1 to `max` showing `value`; a number typed is
/// handed to `set` (anything else is left for the field to show as invalid).
fn number_field(
    label: Msg,
    testid: &'static str,
    max: &'static str,
    value: impl ToString,
    set: impl Fn(u32) + 'static,
) -> AnyView {
    view! {
        <label class="edit-field">
            <span>{t(label)}</span>
            <input type="number" min="1" max=max data-testid=testid prop:value=value.to_string()
                on:change=handler(move |ev| if let Ok(n) = value_of(&ev).trim().parse::<u32>() { set(n) }) />
        </label>
    }
    .into_any()
}
