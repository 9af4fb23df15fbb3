//! `?`: every keyboard shortcut of the app in one modal list. Esc (or `?`
//! again, or Close) shuts it; Tab stays inside while it is open, and the
//! focus goes back where it was. Keys pressed inside never reach the
//! page-wide shortcuts, so the board does not move behind it.

use super::Present;
use crate::erased::{effect, handler, shown};
use crate::i18n::{k, t, Msg};
use leptos::html::{Button, Div};
use leptos::prelude::*;

/// One row: the keys and what they do.
type Row = (Msg, Msg);

/// The shortcuts by group. Kept beside the handlers' owners: `app/keys.rs`
/// (time, modes, presenter keys, edit mode, the design's undo), `study/tour_panel.rs`
/// (the tour), the board's nodes (`board/node.rs`) and `present/pointer.rs`.
fn groups() -> [(Msg, Vec<Row>); 6] {
    use k::present::help::{does, group, key};
    [
        (
            group::TIME,
            vec![
                (key::SPACE, does::PLAY),
                (key::RIGHT, does::STEP_FORWARD),
                (key::LEFT, does::STEP_BACK),
            ],
        ),
        (
            group::TOUR,
            vec![
                (key::RIGHT, does::TOUR_NEXT),
                (key::LEFT, does::TOUR_PREV),
                (key::ESC, does::TOUR_LEAVE),
            ],
        ),
        (
            group::BOARD,
            vec![(key::TAB, does::TAB), (key::ENTER, does::SELECT), (key::CTRL_Z, does::UNDO_FIX)],
        ),
        (
            group::EDIT,
            vec![
                (key::E, does::EDIT),
                (key::ARROWS, does::EDIT_MOVE),
                (key::ENTER_ONLY, does::EDIT_PLACE),
                (key::DELETE, does::EDIT_DELETE),
                (key::ESC, does::EDIT_LEAVE),
                (key::CTRL_Z, does::UNDO),
                (key::CTRL_SHIFT_Z, does::REDO),
            ],
        ),
        (
            group::MODES,
            vec![
                (key::DIGIT_1, does::MODE_EXPLORE),
                (key::DIGIT_2, does::MODE_CHARTS),
                (key::DIGIT_3, does::MODE_LEARN),
                (key::DIGIT_4, does::MODE_PRACTICE),
                (key::DIGIT_5, does::MODE_PRESENT),
            ],
        ),
        (
            group::PRESENT,
            vec![
                (key::P, does::PRESENT),
                (key::T, does::THEME),
                (key::B, does::BUILD),
                (key::SHIFT_B, does::UNBUILD),
                (key::ESC, does::WHOLE),
                (key::L, does::POINTER),
                (key::ARROWS, does::POINTER_MOVE),
                (key::QUESTION, does::HELP),
            ],
        ),
    ]
}

/// The modal list, mounted only while open.
#[component]
pub(super) fn HelpOverlay() -> impl IntoView {
    let present = expect_context::<Present>();
    view! {
        {shown(move || present.help.get(), move || view! { <HelpDialog present=present /> }.into_any())}
    }
}

#[component]
fn HelpDialog(present: Present) -> impl IntoView {
    let list = NodeRef::<Div>::new();
    let close = NodeRef::<Button>::new();
    // Into the dialog as it opens.
    effect(move || {
        if let Some(button) = close.get() {
            let _ = button.focus();
        }
    });
    let on_key = move |e: web_sys::KeyboardEvent| {
        match e.key().as_str() {
            "Escape" | "?" => {
                e.prevent_default();
                present.close_help();
            }
            "Tab" => {
                // The focus cycles between the list and the Close button.
                e.prevent_default();
                let on_close = close
                    .get_untracked()
                    .is_some_and(|b| document().active_element().is_some_and(|a| a == **b));
                if on_close {
                    if let Some(l) = list.get_untracked() {
                        let _ = l.focus();
                    }
                } else if let Some(b) = close.get_untracked() {
                    let _ = b.focus();
                }
            }
            _ => {}
        }
        // Nothing typed here moves the board behind.
        e.stop_propagation();
    };
    let sections = groups()
        .into_iter()
        .map(|(title, rows)| {
            let rows = rows
                .into_iter()
                .map(|(keys, does)| {
                    view! {
                        <tr>
                            <th scope="row"><kbd>{t(keys)}</kbd></th>
                            <td>{t(does)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="help-group">
                    <h3>{t(title)}</h3>
                    <table>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="help-backdrop" on:click=handler(move |_| present.close_help())></div>
        <div
            class="help-dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="help-title"
            data-testid="help"
            on:keydown=handler(on_key)
        >
            <header class="help-head">
                <h2 id="help-title">{t(k::present::help::TITLE)}</h2>
                <button
                    type="button"
                    class="help-close"
                    node_ref=close
                    data-testid="help-close"
                    on:click=handler(move |_| present.close_help())
                >
                    {t(k::present::help::CLOSE)}
                </button>
            </header>
            <p class="help-intro">{t(k::present::help::INTRO)}</p>
            <div
                class="help-list"
                node_ref=list
                tabindex="0"
                role="region"
                aria-labelledby="help-title"
                data-testid="help-list"
            >
                {sections}
            </div>
            <p class="help-foot">{t(k::present::help::CLOSE_HINT)}</p>
        </div>
    }
}
