//! Edit mode: drawing on the whiteboard. The editor holds no design of its
//! own: every change is a list of the sim's `design::Edit`s applied to the
//! running scenario through the sim's validation. A valid one runs (a move
//! keeps the run going, anything else starts it again from the edited
//! design, and a notice says which); a refused one changes nothing, says
//! why and flags the pieces it names on the board, while the last valid
//! design keeps running. Undo and redo go through the driver's history of
//! design changes (`sim_driver::history`), shared with the review's fixes.
//!
//! The board draws edit mode ([`Editing`]: on, the piece on the move, the
//! flagged pieces); `bar.rs` is the toolbar (palette, delete, duplicate,
//! undo, redo, the notice), `fields.rs` the inspector's fields for the
//! selected piece (name, cores, pool size, agent); `app/keys.rs` maps E,
//! the arrows, Enter, Delete, Escape and Ctrl+Z / Ctrl+Shift+Z here.

mod bar;
mod draft_steps;
mod fields;
mod verdict;

pub use bar::{EditToggle, EditTools};
pub use fields::EditFields;

use crate::board::{free_spot, Editing, Selection, GRID};
use crate::sim_driver::history::ChangeBy;
use crate::sim_driver::{use_sim, SimHandle};
use crate::watched::Watched;
use draft_steps::DraftSteps;
use infraboard_sim::design::{
    apply_all, compare, draft, fresh_id, Comparison, Edit, EditError, Piece,
};
use infraboard_sim::{presets, Diagnostic, NodeKind, Scenario};
use leptos::prelude::*;
use std::sync::Arc;

/// What the last edit did, for the editor's notice.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Notice {
    /// The design changed; the run started again from it.
    Restarted,
    /// Only the drawing changed; the run carries on.
    Moved,
    /// Refused: the design is unchanged.
    Refused(EditError),
    /// A draft (from an empty board) changed; it runs once nothing below
    /// is missing: what the model still needs, in its own words.
    Drafting(Vec<Diagnostic>),
    /// The drawing compared with the layout it was cleared from.
    Checked(Comparison),
}

/// The editor, in context (cheap to copy).
#[derive(Clone, Copy)]
pub struct Editor {
    sim: SimHandle,
    board: Editing,
    selection: Selection,
    pub(crate) notice: Watched<Option<Notice>>,
    /// Undo and redo within a draft.
    drafts: Watched<DraftSteps>,
    /// The preset the board was cleared from: the layout Check compares
    /// the drawing with.
    pub(crate) drawing_of: Watched<Option<String>>,
}

/// Puts the editor in context and tells the board who places a moved
/// piece. Call once, after the board's contexts.
pub fn provide_editor() -> Editor {
    let board = expect_context::<Editing>();
    let editor = Editor {
        sim: use_sim(),
        board,
        selection: expect_context::<Selection>(),
        notice: Watched::new(None),
        drafts: Watched::new(DraftSteps::default()),
        drawing_of: Watched::new(None),
    };
    board.set_placer(move |index, x, y| editor.place_at(index, x, y));
    // Another design loaded meanwhile (a preset, a file, a link) ends a draft.
    let sim = editor.sim;
    crate::erased::effect(move || {
        sim.scenario.track();
        if board.draft.with_untracked(Option::is_some) {
            board.draft.set(None);
            editor.drafts.set(DraftSteps::default());
        }
    });
    provide_context(editor);
    editor
}

impl Editor {
    /// Whether edit mode is on (reactive).
    pub fn on(&self) -> bool {
        self.board.on.get()
    }

    /// Whether edit mode is on, not tracked (for event handlers).
    pub fn is_on(&self) -> bool {
        self.board.on.get_untracked()
    }

    /// Edit mode on or off (E, the board's Edit button).
    pub fn toggle(&self) {
        if self.board.on.get_untracked() {
            self.leave();
        } else {
            self.board.on.set(true);
        }
    }

    /// Leaves edit mode; a move not placed yet is dropped.
    pub fn leave(&self) {
        self.board.moving.set(None);
        self.board.flagged.set(Vec::new());
        self.notice.set(None);
        self.board.on.set(false);
    }

    /// The design edits apply to: the draft while there is one, else the
    /// running design.
    pub(crate) fn base(&self) -> Arc<Scenario> {
        self.board.draft.get_untracked().unwrap_or_else(|| self.sim.scenario.get_untracked())
    }

    /// Clears the board to draw a design from nothing: a draft with no
    /// piece and the running design's settings, which runs as soon as it
    /// has what the model needs (the notice lists it). The run pauses.
    pub fn start_empty(&self) {
        let mut empty = (*self.sim.scenario.get_untracked()).clone();
        empty.nodes.clear();
        empty.lb_pair = None;
        let missing = empty.validate();
        // Check compares with a preset only: an edited design has no layout
        // to draw from memory.
        self.drawing_of.set(self.sim.preset.get_untracked());
        self.sim.playing.set(false);
        self.selection.0.set(None);
        self.board.moving.set(None);
        self.board.flagged.set(Vec::new());
        let previous = self.board.draft.get_untracked();
        if let Some(previous) = previous {
            self.drafts.update(|d| d.record(previous));
        }
        self.board.draft.set(Some(Arc::new(empty)));
        self.notice.set(Some(Notice::Drafting(missing)));
    }

    /// Compares the drawing (the draft, or the design it became) with the
    /// layout the board was cleared from; the notice gives the verdict.
    pub fn check(&self) {
        let layout = self.drawing_of.with_untracked(|p| p.as_deref().and_then(presets::get));
        if let Some(layout) = layout {
            self.notice.set(Some(Notice::Checked(compare(&self.base(), &layout))));
        }
    }

    /// Moves the selected piece by one grid step per arrow press (`dx`,
    /// `dy` in steps); placed with Enter. `false` when nothing is selected.
    pub fn nudge(&self, dx: f64, dy: f64) -> bool {
        let Some(index) = self.selection.0.get_untracked() else { return false };
        let at = self.base().nodes.get(index).map(|n| (n.x, n.y));
        let Some(at) = at else { return false };
        self.board.nudge(index, at, dx * GRID, dy * GRID);
        true
    }

    /// Places the piece on the move (Enter); `false` when none is.
    pub fn place(&self) -> bool {
        let moving = self.board.moving.get_untracked().is_some();
        self.board.place();
        moving
    }

    fn place_at(&self, index: usize, x: f64, y: f64) {
        let id = self.base().nodes.get(index).map(|n| n.id.clone());
        if let Some(id) = id {
            self.apply(vec![Edit::MoveNode { id, x, y }]);
        }
    }

    /// The selected piece's id, if any.
    fn selected_id(&self) -> Option<String> {
        let index = self.selection.0.get_untracked()?;
        self.base().nodes.get(index).map(|n| n.id.clone())
    }

    /// Removes the selected piece (Delete).
    pub fn remove_selected(&self) -> bool {
        let Some(id) = self.selected_id() else { return false };
        if self.apply(vec![Edit::RemoveNode(id)]) {
            self.selection.0.set(None);
        }
        true
    }

    /// A copy of the selected piece in a free spot beside it.
    pub fn duplicate_selected(&self) {
        let Some(id) = self.selected_id() else { return };
        let design = self.base();
        let Some(node) = design.index_of(&id).map(|i| &design.nodes[i]) else { return };
        let (x, y) = free_spot(&design, node.zone, Some((node.x, node.y)));
        let base = id.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches(['-', '_']);
        let to = fresh_id(&design, if base.is_empty() { "node" } else { base });
        self.apply_then_select(vec![Edit::DuplicateNode { from: id, to, x, y }]);
    }

    /// Adds `piece` in a free spot of its zone; a firewall guards the
    /// selected piece (or the load balancer when nothing is selected).
    pub fn add(&self, piece: Piece) {
        let design = self.base();
        let guarding = self.selected_id().or_else(|| {
            design.nodes.iter().find(|n| n.kind == NodeKind::LoadBalancer).map(|n| n.id.clone())
        });
        let near = (piece == Piece::Firewall)
            .then(|| guarding.as_deref().and_then(|g| design.index_of(g)))
            .flatten()
            .map(|i| (design.nodes[i].x - 140.0, design.nodes[i].y));
        let (x, y) = free_spot(&design, piece.zone(), near);
        self.apply_then_select(piece.add(&design, x, y, guarding.as_deref()));
    }

    fn apply_then_select(&self, edits: Vec<Edit>) {
        if self.apply(edits) {
            // A new node is the last one.
            let last = self.base().nodes.len().checked_sub(1);
            self.selection.0.set(last);
        }
    }

    /// Applies `edits` to the running design as one change: valid, the
    /// design runs and the change can be undone; refused, nothing changes
    /// and the notice and the flagged pieces say why. Returns whether it
    /// was made.
    pub fn apply(&self, edits: Vec<Edit>) -> bool {
        let drafting = self.board.draft.get_untracked();
        let running = drafting.clone().unwrap_or_else(|| self.sim.scenario.get_untracked());
        match apply_all(&running, &edits) {
            Ok(next) => {
                if drafting.is_some() {
                    // Complete: the draft becomes the running design.
                    self.board.draft.set(None);
                    self.drafts.set(DraftSteps::default());
                    self.sim.playing.set(true);
                }
                let restarted = self.sim.change_design(Arc::new(next), ChangeBy::Editor);
                self.settle(restarted);
                true
            }
            Err(EditError::Invalid(missing)) if drafting.is_some() => {
                // Not complete yet: the draft takes the edit, unchecked.
                let Ok(next) = draft(&running, &edits) else { return false };
                self.drafts.update(|d| d.record(running));
                self.board.flagged.set(Vec::new());
                self.board.draft.set(Some(Arc::new(next)));
                self.notice.set(Some(Notice::Drafting(missing)));
                true
            }
            Err(err) => {
                self.board.flagged.set(named(&running, &edits, &err));
                self.notice.set(Some(Notice::Refused(err)));
                false
            }
        }
    }

    /// Whether undo (`redo` false) or redo can act now (reactive).
    pub fn can(&self, redo: bool) -> bool {
        if self.board.draft.with(Option::is_some) {
            return !redo || self.drafts.with(DraftSteps::can_redo);
        }
        self.sim.next_design_step(redo).is_some()
    }

    /// Puts the design before the last change back (Ctrl+Z); `false` when
    /// there is nothing to undo.
    pub fn undo(&self) -> bool {
        self.step(false)
    }

    /// Makes the last undone change again (Ctrl+Shift+Z).
    pub fn redo(&self) -> bool {
        self.step(true)
    }

    fn step(&self, redo: bool) -> bool {
        if let Some(current) = self.board.draft.get_untracked() {
            // Within a draft, undo goes back a drawing step, and past the
            // first to the running design; redo takes an undone step again.
            let mut previous = None;
            self.drafts.update(|d| previous = d.step(current, redo));
            if redo && previous.is_none() {
                return false;
            }
            let missing = previous.as_ref().map(|p| p.validate()).unwrap_or_default();
            self.board.draft.set(previous);
            self.selection.0.set(None);
            self.notice.set(if missing.is_empty() {
                None
            } else {
                Some(Notice::Drafting(missing))
            });
            return true;
        }
        let Some((_, restarted)) = self.sim.step_design(redo) else { return false };
        self.settle(restarted);
        true
    }

    /// After the design changed: nothing on the move or flagged, and the
    /// notice says whether the run started again.
    fn settle(&self, restarted: bool) {
        self.board.moving.set(None);
        self.board.flagged.set(Vec::new());
        self.notice.set(Some(if restarted { Notice::Restarted } else { Notice::Moved }));
    }
}

/// The running design's pieces a refused change names: the nodes its
/// problems point at (found by id in what the change would have made) and
/// the nodes the change itself is about (a problem such as a missing load
/// balancer names none).
fn named(running: &Scenario, edits: &[Edit], err: &EditError) -> Vec<usize> {
    let ids: Vec<String> = match (err, draft(running, edits)) {
        (EditError::Invalid(problems), Ok(draft)) => problems
            .iter()
            .filter_map(|d| {
                let rest = d.path.strip_prefix("nodes[")?;
                let i: usize = rest[..rest.find(']')?].parse().ok()?;
                draft.nodes.get(i).map(|n| n.id.clone())
            })
            .collect(),
        _ => Vec::new(),
    };
    let named = ids.iter().map(String::as_str);
    let touched: Vec<String> = edits.iter().filter_map(edit_node).collect();
    let mut nodes: Vec<usize> = named
        .chain(touched.iter().map(String::as_str))
        .filter_map(|id| running.index_of(id))
        .collect();
    nodes.dedup();
    nodes
}

/// The node an edit is about, if it names one.
fn edit_node(edit: &Edit) -> Option<String> {
    match edit {
        Edit::RemoveNode(id) | Edit::MoveNode { id, .. } => Some(id.clone()),
        Edit::RenameNode { from, .. } | Edit::DuplicateNode { from, .. } => Some(from.clone()),
        Edit::SetCores { node, .. }
        | Edit::SetComponents { node, .. }
        | Edit::SetAgent { node, .. }
        | Edit::SetCount { node, .. } => Some(node.clone()),
        Edit::SetGuards { firewall, .. } => Some(firewall.clone()),
        _ => None,
    }
}

/// The editor in context.
pub fn use_editor() -> Option<Editor> {
    use_context::<Editor>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    #[test]
    fn a_refused_change_flags_the_pieces_it_names() {
        let s = presets::default_scenario();
        let lb = s.index_of("lb").unwrap();
        let edits = vec![Edit::RemoveNode("lb".into())];
        let err = apply_all(&s, &edits).unwrap_err();
        let flagged = named(&s, &edits, &err);
        assert!(flagged.contains(&lb), "the removed load balancer: {flagged:?}");
        assert!(flagged.contains(&s.index_of("fw-1").unwrap()), "its firewall guards nothing");
        let edits = vec![Edit::SetCores { node: "server-1".into(), cores: Some(999) }];
        let err = apply_all(&s, &edits).unwrap_err();
        assert_eq!(named(&s, &edits, &err), vec![s.index_of("server-1").unwrap()]);
    }
}
