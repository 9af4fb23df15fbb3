//! The editor on the board: the Edit button (always there, bottom right
//! of the drawing) and, in edit mode, the toolbar under the drawing: the
//! notice of what the last change did, the palette, delete, duplicate,
//! undo and redo.

use super::{use_editor, Editor, Notice};
use crate::board::Selection;
use crate::erased::{dynamic, shown};
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
            on:click=move |_| editor.toggle()
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

/// A button of the toolbar. One enum, so every button is one view type
/// (one copy of its render code in the wasm).
#[derive(Clone, Copy)]
enum Tool {
    Add(Piece),
    Delete,
    Duplicate,
    Undo,
    Redo,
}

impl Tool {
    fn label(self) -> Msg {
        match self {
            Tool::Add(piece) => piece_name(piece),
            Tool::Delete => k::editor::DELETE,
            Tool::Duplicate => k::editor::DUPLICATE,
            Tool::Undo => k::editor::UNDO,
            Tool::Redo => k::editor::REDO,
        }
    }

    fn test_id(self) -> String {
        match self {
            Tool::Add(piece) => format!("piece-{}", piece.as_str()),
            Tool::Delete => "edit-delete".into(),
            Tool::Duplicate => "edit-duplicate".into(),
            Tool::Undo => "edit-undo".into(),
            Tool::Redo => "edit-redo".into(),
        }
    }

    fn keys(self) -> Option<&'static str> {
        match self {
            Tool::Delete => Some("Delete"),
            Tool::Undo => Some("Control+Z"),
            Tool::Redo => Some("Control+Shift+Z"),
            _ => None,
        }
    }

    fn enabled(self, editor: Editor, selection: Selection) -> bool {
        match self {
            Tool::Add(_) => true,
            Tool::Delete | Tool::Duplicate => selection.0.get().is_some(),
            Tool::Undo => editor.can(false),
            Tool::Redo => editor.can(true),
        }
    }

    fn run(self, editor: Editor) {
        match self {
            Tool::Add(piece) => editor.add(piece),
            Tool::Delete => {
                editor.remove_selected();
            }
            Tool::Duplicate => editor.duplicate_selected(),
            Tool::Undo => {
                editor.undo();
            }
            Tool::Redo => {
                editor.redo();
            }
        }
    }
}

fn button(tool: Tool, editor: Editor, selection: Selection) -> AnyView {
    view! {
        <button
            type="button"
            data-testid=tool.test_id()
            aria-keyshortcuts=tool.keys()
            disabled=dynamic(move || !tool.enabled(editor, selection))
            on:click=move |_| tool.run(editor)
        >
            {t(tool.label())}
        </button>
    }
    .into_any()
}

fn tools(editor: Editor) -> AnyView {
    let selection = expect_context::<Selection>();
    let i18n = use_i18n();
    let buttons = |tools: &mut dyn Iterator<Item = Tool>| {
        tools.map(|tool| button(tool, editor, selection)).collect::<Vec<_>>()
    };
    let palette = buttons(&mut Piece::ALL.into_iter().map(Tool::Add));
    let actions = buttons(&mut [Tool::Delete, Tool::Duplicate, Tool::Undo, Tool::Redo].into_iter());
    view! {
        <div class="edit-tools" role="toolbar" aria-label=t(k::editor::TOOLBAR) data-testid="edit-tools">
            <p class="edit-notice" role="status" data-testid="edit-notice">{dynamic(move || notice(editor, i18n.locale()))}</p>
            <span class="edit-group" role="group" aria-label=t(k::editor::PALETTE)>{palette}</span>
            <span class="edit-group">{actions}</span>
        </div>
    }
    .into_any()
}

/// The notice's words: what the last change did, or why it was refused.
fn notice(editor: Editor, locale: Locale) -> String {
    editor.notice.with(|n| match n {
        None => k::editor::HINT.text(locale).to_string(),
        Some(Notice::Restarted) => k::editor::notice::RESTARTED.text(locale).to_string(),
        Some(Notice::Moved) => k::editor::notice::MOVED.text(locale).to_string(),
        Some(Notice::Refused(EditError::Invalid(problems))) => {
            let mut text = k::editor::notice::REFUSED.text(locale).to_string();
            for d in problems.iter().take(3) {
                text.push(' ');
                text.push_str(&crate::share::problem_text(&d.problem, locale));
            }
            text
        }
        Some(Notice::Refused(_)) => k::editor::notice::CANNOT.text(locale).to_string(),
    })
}
