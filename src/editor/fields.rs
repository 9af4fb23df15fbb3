//! The inspector's fields for the selected piece in edit mode: its id
//! (rename), a box's cores and monitoring agent, a pool's size, and how the
//! load balancers work together. Each shows the running design's value and
//! a change is one edit through the editor (refused values say why in the
//! editor's notice and leave the field showing the design's value).

use super::use_editor;
use crate::erased::shown;
use crate::i18n::{k, t, Msg};
use crate::sim_driver::use_sim;
use infraboard_sim::design::Edit;
use infraboard_sim::{Component, NodeKind, PairMode};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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

/// Makes the edits for a typed number (none: the value is not taken).
type ToEdits = Box<dyn Fn(u32) -> Vec<Edit> + Send + Sync>;

/// A labelled field. `number` reads it as a whole number and makes the
/// edits; without it the field is the id, whose text renames the piece.
fn field(label: Msg, test_id: &'static str, value: String, number: Option<ToEdits>) -> AnyView {
    let editor = use_editor();
    let kind = if number.is_some() { "number" } else { "text" };
    let old = value.clone();
    let change = move |ev: web_sys::Event| {
        let text = value_of(&ev);
        let text = text.trim();
        let edits = match &number {
            Some(to_edits) => text.parse::<u32>().map(to_edits).unwrap_or_default(),
            None if !text.is_empty() && text != old => {
                vec![Edit::RenameNode { from: old.clone(), to: text.to_ascii_lowercase() }]
            }
            None => Vec::new(),
        };
        if let (Some(editor), false) = (editor, edits.is_empty()) {
            editor.apply(edits);
        }
    };
    view! {
        <label class="edit-field">
            <span>{t(label)}</span>
            <input type=kind data-testid=test_id prop:value=value on:change=change />
        </label>
    }
    .into_any()
}

fn fields(index: usize) -> AnyView {
    let Some(editor) = use_editor() else { return ().into_any() };
    let design = use_sim().scenario.get_untracked();
    let Some(node) = design.nodes.get(index) else { return ().into_any() };
    let id = node.id.clone();
    let is_box = matches!(node.kind, NodeKind::Server | NodeKind::LoadBalancer);
    let mysql = node
        .components
        .iter()
        .any(|c| matches!(c, Component::MysqlPrimary | Component::MysqlReplica));
    let mut rows = vec![field(k::editor::field::ID, "edit-id", id.clone(), None)];
    if is_box {
        let node = id.clone();
        let cores: ToEdits =
            Box::new(move |n| vec![Edit::SetCores { node: node.clone(), cores: Some(n) }]);
        let value = design.nodes[index].cores_or_default().to_string();
        rows.push(field(k::editor::field::CORES, "edit-cores", value, Some(cores)));
    }
    if node.kind == NodeKind::Server && !mysql {
        let node = id.clone();
        let count: ToEdits = Box::new(move |n| {
            let count = (n != 1).then(|| u16::try_from(n).unwrap_or(u16::MAX));
            vec![Edit::SetCount { node: node.clone(), count }]
        });
        let value = design.nodes[index].boxes().to_string();
        rows.push(field(k::editor::field::POOL, "edit-pool", value, Some(count)));
    }
    if is_box {
        let (node, on) = (id.clone(), !design.nodes[index].agent);
        rows.push(
            view! {
                <label class="edit-field">
                    <input type="checkbox" data-testid="edit-agent" prop:checked=!on
                        on:change=move |_| { editor.apply(vec![Edit::SetAgent { node: node.clone(), on }]); } />
                    <span>{t(k::editor::field::AGENT)}</span>
                </label>
            }
            .into_any(),
        );
    }
    if node.kind == NodeKind::LoadBalancer {
        let pair = design.lb_pair.map(|p| p.mode);
        let choices = [
            (None, k::editor::field::PAIR_ONE),
            (Some(PairMode::ActivePassive), k::editor::field::PAIR_VIP),
            (Some(PairMode::ActiveActive), k::editor::field::PAIR_DNS),
        ]
        .map(|(mode, label)| {
            view! {
                <button type="button" aria-pressed=(pair == mode).to_string()
                    on:click=move |_| { editor.apply(vec![Edit::SetPairMode(mode)]); }>
                    {t(label)}
                </button>
            }
        });
        rows.push(
            view! {
                <div class="edit-field" role="group" aria-label=t(k::editor::field::PAIR)>
                    <span>{t(k::editor::field::PAIR)}</span>
                    {choices}
                </div>
            }
            .into_any(),
        );
    }
    view! {
        <div class="edit-fields ctl-panel" data-testid="edit-fields">
            <h3>{t(k::editor::field::HEADING)}</h3>
            {rows}
        </div>
    }
    .into_any()
}
