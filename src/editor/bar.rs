//! The editor on the board: the Edit button (always there, bottom right
//! of the drawing) and, in edit mode, the toolbar under the drawing: the
//! notice of what the last change did, the palette, delete, duplicate,
//! undo and redo.

use super::{use_editor, Editor, Notice};
use crate::board::Selection;
use crate::erased::{dynamic, handler, shown};
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use infraboard_sim::design::{EditError, Piece};
use leptos::prelude::*;

fn piece_name(piece: Piece) -> Msg {
    use k::editor::piece as p;
    match piece {
        Piece::Firewall => p::FIREWALL,
        Piece::LoadBalancer => p::LOAD_BALANCER,
        Piece::WebServer => p::WEB_SERVER,
        Piece::WebOnly => p::WEB_ONLY,
        Piece::AppOnly => p::APP_ONLY,
        Piece::DbPrimary => p::DB_PRIMARY,
        Piece::DbReplica => p::DB_REPLICA,
        Piece::Monitoring => p::MONITORING,
        Piece::Dns => p::DNS,
        Piece::User => p::USER,
    }
}

/// The Edit button, a layer of the board (its bottom right corner).
#[component]
pub fn EditToggle() -> impl IntoView {
    let Some(editor) = use_editor() else { return ().into_any() };
    view! {
        <button
            type="button"
            class="edit-toggle"
            data-testid="edit-toggle"
            aria-pressed=dynamic(move || editor.on().to_string())
            aria-keyshortcuts="E"
            on:click=handler(move |_| editor.toggle())
        >
            {t(k::board::EDIT)}
        </button>
    }
    .into_any()
}

/// In edit mode, the toolbar under the board.
#[component]
pub fn EditTools() -> impl IntoView {
    let Some(editor) = use_editor() else { return ().into_any() };
    shown(move || editor.on(), move || tools(editor))
}

fn tools(editor: Editor) -> AnyView {
    let selection = expect_context::<Selection>();
    let none_selected = move || selection.0.get().is_none();
    let i18n = use_i18n();
    let palette = Piece::ALL
        .iter()
        .map(|&piece| {
            view! {
                <button type="button" data-piece=piece.as_str() on:click=handler(move |_| editor.add(piece))>
                    {t(piece_name(piece))}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="edit-tools" role="toolbar" aria-label=t(k::editor::TOOLBAR) data-testid="edit-tools">
            <p class="edit-notice" role="status" tabindex="0" data-testid="edit-notice">{dynamic(move || notice(editor, i18n.locale()))}</p>
            <span class="edit-group" role="group" aria-label=t(k::editor::PALETTE)>{palette}</span>
            <span class="edit-group">
                <button type="button" data-testid="edit-delete" disabled=dynamic(none_selected) on:click=handler(move |_| { editor.remove_selected(); })>
                    {t(k::editor::DELETE)}
                </button>
                <button type="button" data-testid="edit-duplicate" disabled=dynamic(none_selected) on:click=handler(move |_| editor.duplicate_selected())>
                    {t(k::editor::DUPLICATE)}
                </button>
                <button type="button" data-testid="edit-undo" aria-keyshortcuts="Control+Z" disabled=dynamic(move || !editor.can(false)) on:click=handler(move |_| { editor.undo(); })>
                    {t(k::editor::UNDO)}
                </button>
                <button type="button" data-testid="edit-redo" aria-keyshortcuts="Control+Shift+Z" disabled=dynamic(move || !editor.can(true)) on:click=handler(move |_| { editor.redo(); })>
                    {t(k::editor::REDO)}
                </button>
                <button type="button" data-testid="edit-empty" on:click=handler(move |_| editor.start_empty())>
                    {t(k::editor::EMPTY)}
                </button>
                <button type="button" data-testid="edit-check" disabled=dynamic(move || editor.drawing_of.with(Option::is_none)) on:click=handler(move |_| editor.check())>
                    {t(k::editor::check::BUTTON)}
                </button>
            </span>
        </div>
    }
    .into_any()
}

/// The notice's words: what the last change did, or why it was refused.
fn notice(editor: Editor, locale: Locale) -> String {
    use k::editor::notice as n;
    editor.notice.with(|notice| {
        let (lead, problems) = match notice {
            None => (k::editor::HINT, &[][..]),
            Some(Notice::Restarted) => (n::RESTARTED, &[][..]),
            Some(Notice::Moved) => (n::MOVED, &[][..]),
            Some(Notice::Refused(EditError::Invalid(problems))) => {
                (n::REFUSED, &problems[..problems.len().min(3)])
            }
            Some(Notice::Refused(_)) => (n::CANNOT, &[][..]),
            Some(Notice::Checked(comparison)) => {
                return super::verdict::verdict_text(comparison, locale);
            }
            Some(Notice::Drafting(missing)) => (n::DRAFTING, &missing[..]),
        };
        let mut text = lead.text(locale).to_string();
        for d in problems {
            text.push(' ');
            text.push_str(&crate::share::problem_text(&d.problem, locale));
        }
        text
    })
}
