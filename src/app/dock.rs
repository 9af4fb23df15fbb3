//! The dock beside the board: one tab per mode (Explore, Charts, Learn,
//! Practice) over the existing panels. Every panel is mounted once and only
//! hidden by CSS when its tab is closed, so a running tour, a challenge or
//! the rehearsal timer keeps its state across tabs. Each panel scrolls
//! inside itself; the page never does (assets/workspace.css).

use super::workspace::use_workspace;
use crate::erased::{dynamic, handler};
use crate::i18n::{k, t, Msg};
use crate::inspector::Inspector;
use crate::url_state::Mode;
use leptos::prelude::*;

/// The tabs and their label, in key order (1 to 4; 5 is presenter mode).
const TABS: [(Mode, Msg); 4] = [
    (Mode::Explore, k::common::mode::EXPLORE),
    (Mode::Charts, k::common::mode::CHARTS),
    (Mode::Learn, k::common::mode::LEARN),
    (Mode::Practice, k::common::mode::PRACTICE),
];

/// The tab list and the four panels.
#[component]
pub fn Dock() -> impl IntoView {
    let ws = use_workspace();
    let tabs = TABS
        .into_iter()
        .enumerate()
        .map(|(i, (mode, label))| {
            // Every tab is in the Tab order (no roving focus to script).
            view! {
                <button
                    type="button"
                    role="tab"
                    class="dock-tab"
                    id=format!("tab-{}", mode.code())
                    aria-controls=format!("panel-{}", mode.code())
                    aria-selected=dynamic(move || (ws.tab.get() == mode).to_string())
                    data-testid=format!("tab-{}", mode.code())
                    on:click=handler(move |_| {
                        // The open tab again folds the bottom sheet (narrow screens).
                        if ws.tab.get_untracked() == mode {
                            ws.sheet.update(|up| *up = !*up);
                        } else {
                            ws.open(mode);
                        }
                    })
                >
                    <kbd aria-hidden="true">{i + 1}</kbd>
                    {t(label)}
                </button>
            }
        })
        .collect_view();
    let charts_shown: crate::charts::Shown = std::sync::Arc::new(move || ws.mode() == Mode::Charts);
    let panel = |mode: Mode, content: AnyView| {
        view! {
            <div
                class="dock-panel"
                role="tabpanel"
                // Focusable, so a keyboard can scroll a panel with no control in it (charts).
                tabindex="0"
                id=format!("panel-{}", mode.code())
                aria-labelledby=format!("tab-{}", mode.code())
                data-panel=mode.code()
            >
                {content}
            </div>
        }
    };
    view! {
        <div class="dock-tabs" role="tablist" aria-label=t(k::common::mode::LABEL)>{tabs}</div>
        {panel(Mode::Explore, view! {
            <aside class="side">
                <Inspector />
                <crate::controls::ControlsPanel />
            </aside>
        }.into_any())}
        {panel(Mode::Charts, view! { <crate::charts::ChartsPanel shown=charts_shown /> }.into_any())}
        {panel(Mode::Learn, view! { <crate::study::StudyPanels /> }.into_any())}
        {panel(Mode::Practice, view! { <crate::selfstudy::SelfStudyPanels /> }.into_any())}
    }
}
