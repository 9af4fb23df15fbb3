//! The dock beside the board: one tab per mode (Explore, Charts, Learn,
//! Practice) over the existing panels. Every panel is mounted once and only
//! hidden by CSS when its tab is closed, so a running tour, a challenge or
//! the rehearsal timer keeps its state across tabs. Each panel scrolls
//! inside itself; the page never does (assets/workspace.css).

use super::workspace::use_workspace;
use crate::erased::dynamic;
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
            let selected = move || ws.tab.get() == mode;
            view! {
                <button
                    type="button"
                    role="tab"
                    class="dock-tab"
                    id=format!("tab-{}", mode.code())
                    aria-controls=format!("panel-{}", mode.code())
                    aria-selected=dynamic(move || selected().to_string())
                    tabindex=dynamic(move || if selected() { "0" } else { "-1" })
                    data-testid=format!("tab-{}", mode.code())
                    on:click=move |_| {
                        // The open tab again folds the bottom sheet (narrow screens).
                        if ws.tab.get_untracked() == mode {
                            ws.sheet.update(|up| *up = !*up);
                        } else {
                            ws.open(mode);
                        }
                    }
                    on:keydown=move |e: web_sys::KeyboardEvent| {
                        // Arrow keys move along the tab list (WAI-ARIA tabs).
                        let step = match e.key().as_str() {
                            "ArrowRight" => 1,
                            "ArrowLeft" => TABS.len() - 1,
                            _ => return,
                        };
                        e.prevent_default();
                        e.stop_propagation();
                        let next = TABS[(i + step) % TABS.len()].0;
                        ws.open(next);
                        if let Some(el) = document().get_element_by_id(&format!("tab-{}", next.code())) {
                            let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
                        }
                    }
                >
                    <kbd aria-hidden="true">{i + 1}</kbd>
                    {t(label)}
                </button>
            }
        })
        .collect_view();
    let panel = |mode: Mode, content: AnyView| {
        view! {
            <div
                class="dock-panel"
                role="tabpanel"
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
        {panel(Mode::Charts, view! { <crate::charts::ChartsPanel /> }.into_any())}
        {panel(Mode::Learn, view! { <crate::study::StudyPanels /> }.into_any())}
        {panel(Mode::Practice, view! { <crate::selfstudy::SelfStudyPanels /> }.into_any())}
    }
}
