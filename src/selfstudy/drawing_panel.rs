//! Draw from memory: the learner opens a layout (the preset picker), then
//! draws it again on an empty board with edit mode (src/editor), and Check
//! compares the drawing with that layout through the sim's `design::compare` (by what each piece is and
//! how it is wired, never by position or name), listing what is missing
//! and what is extra in words. The drawing runs as soon as the model takes
//! it, like any design drawn on the board.

use crate::board::{drawn, Editing};
use crate::editor::use_editor;
use crate::erased::{dynamic, handler};
use crate::i18n::{k, t, use_i18n, Locale};
use crate::sim_driver::use_sim;
use crate::watched::Watched;
use infraboard_sim::design::{compare, Comparison, Role, Shape};
use infraboard_sim::{presets, Component, NodeKind, PairMode};
use leptos::prelude::*;

/// The panel (in Practice).
#[component]
pub(super) fn DrawingPanel() -> impl IntoView {
    let Some(editor) = use_editor() else { return ().into_any() };
    let sim = use_sim();
    let i18n = use_i18n();
    let editing = use_context::<Editing>();
    // The layout being drawn: the preset on the board when drawing started.
    let layout = Watched::new(None::<String>);
    let checked = RwSignal::new(false);
    let start = handler(move |_: web_sys::MouseEvent| {
        checked.set(false);
        layout.set(sim.preset.get_untracked());
        if !editor.is_on() {
            editor.toggle();
        }
        editor.start_empty();
    });
    // The verdict follows the drawing once asked for.
    let verdict = move || {
        if !checked.get() {
            return String::new();
        }
        let (design, _) = drawn(editing, sim);
        let Some(target) = layout.with(|l| l.as_deref().and_then(presets::get)) else {
            return String::new();
        };
        verdict_text(&compare(&design, &target), i18n.locale())
    };
    view! {
        <section class="study-panel selfstudy-drawing" aria-labelledby="drawing-title" data-testid="drawing">
            <h3 id="drawing-title">{t(k::selfstudy::memory::TITLE)}</h3>
            <p class="study-hint">{t(k::selfstudy::memory::INTRO)}</p>
            <button type="button" data-testid="drawing-start" on:click=start>{t(k::selfstudy::memory::START)}</button>
            <button type="button" data-testid="drawing-check" on:click=handler(move |_| checked.set(true))>
                {t(k::selfstudy::memory::CHECK)}
            </button>
            <p class="drawing-verdict" role="status" data-testid="drawing-verdict">{dynamic(verdict)}</p>
        </section>
    }
    .into_any()
}

/// The verdict in words, one line each (the stylesheet keeps the breaks):
/// each missing and each extra piece, the load balancers' mode, or "well
/// drawn".
fn verdict_text(c: &Comparison, locale: Locale) -> String {
    use k::selfstudy::memory as m;
    if c.matches() {
        return m::PERFECT.text(locale).to_string();
    }
    let mut lines = String::new();
    let missing = c.missing.iter().map(|s| m::missing(locale, shape_text(s, locale)));
    let extra = c.extra.iter().map(|s| m::extra(locale, shape_text(s, locale)));
    let pair = c.pair.map(|(expected, found)| {
        m::pair(locale, mode_text(expected, locale), mode_text(found, locale))
    });
    for line in missing.chain(extra).chain(pair) {
        push_line(&mut lines, &line, "\n");
    }
    lines
}

/// `text` after `out`, with `between` when `out` is not empty.
fn push_line(out: &mut String, text: &str, between: &str) {
    if !out.is_empty() {
        out.push_str(between);
    }
    out.push_str(text);
}

fn mode_text(mode: Option<PairMode>, locale: Locale) -> &'static str {
    use k::editor::field as f;
    match mode {
        None => f::PAIR_ONE,
        Some(PairMode::ActivePassive) => f::PAIR_VIP,
        Some(PairMode::ActiveActive) => f::PAIR_DNS,
    }
    .text(locale)
}

/// A piece in words: what it is, what it stands in front of, its agent.
fn shape_text(s: &Shape, locale: Locale) -> String {
    use k::selfstudy::memory::piece as p;
    let piece = if s.role.kind == NodeKind::Firewall && !s.guards.is_empty() {
        let mut what = String::new();
        for g in &s.guards {
            push_line(&mut what, &role_text(g, locale), ", ");
        }
        p::firewall_before(locale, what)
    } else {
        role_text(&s.role, locale)
    };
    if s.agent {
        p::with_agent(locale, piece)
    } else {
        piece
    }
}

fn role_text(r: &Role, locale: Locale) -> String {
    use k::selfstudy::memory::piece as p;
    let parts = || {
        let mut names = String::new();
        for c in &r.components {
            let name = match c {
                Component::Nginx => k::board::component::NGINX,
                Component::App => k::board::component::APP,
                Component::MysqlPrimary => k::board::component::MYSQL_PRIMARY,
                Component::MysqlReplica => k::board::component::MYSQL_REPLICA,
            };
            push_line(&mut names, name.text(locale), ", ");
        }
        names
    };
    match r.kind {
        NodeKind::User => p::USER.text(locale).to_string(),
        NodeKind::Dns => p::DNS.text(locale).to_string(),
        NodeKind::LoadBalancer => p::LOAD_BALANCER.text(locale).to_string(),
        NodeKind::Monitoring => p::MONITORING.text(locale).to_string(),
        NodeKind::Firewall => p::FIREWALL.text(locale).to_string(),
        NodeKind::Server if r.boxes > 1 => p::pool(locale, r.boxes, parts()),
        NodeKind::Server => p::server(locale, parts()),
    }
}
