//! Edit mode as the board sees it ([`Editing`], in context): whether it is
//! on, the piece being moved and where it would go (drawn there before it
//! is placed), the pieces a refused edit names (drawn flagged), the draft
//! (a design being drawn that the model does not run yet, drawn instead of
//! the running one, without live state) and who is told when a move is
//! placed. The board only draws and reports; the editor
//! (src/editor) turns a placed move into the sim's edit.

use crate::sim_driver::SimHandle;
use crate::watched::Watched;
use infraboard_sim::Scenario;
use leptos::prelude::*;
use std::sync::Arc;

/// Board units between two grid lines a moved piece snaps to.
pub const GRID: f64 = 10.0;

/// A placed move's receiver: node index and new centre.
type Placer = Arc<dyn Fn(usize, f64, f64) + Send + Sync>;

/// Edit mode's state on the board.
#[derive(Clone, Copy)]
pub struct Editing {
    /// Whether edit mode is on.
    pub on: Watched<bool>,
    /// The piece being moved (index into `Scenario::nodes`) and its centre
    /// now, snapped; `None` when nothing is on the move.
    pub moving: Watched<Option<(usize, (f64, f64))>>,
    /// Nodes the latest refused edit names (indices into the running design).
    pub flagged: Watched<Vec<usize>>,
    /// A design being drawn that does not pass the model's checks yet (from
    /// an empty board); `None` while the board shows the running design.
    pub draft: Watched<Option<Arc<Scenario>>>,
    placer: StoredValue<Option<Placer>>,
}

impl Editing {
    /// Who receives a placed move (the editor, once).
    pub fn set_placer(&self, placer: impl Fn(usize, f64, f64) + Send + Sync + 'static) {
        self.placer.set_value(Some(Arc::new(placer)));
    }

    /// Moves piece `index` (now at `from`, or where it is already on the
    /// move) by `(dx, dy)` board units, snapped and kept on the board.
    pub fn nudge(&self, index: usize, from: (f64, f64), dx: f64, dy: f64) {
        let (x, y) = match self.moving.get_untracked() {
            Some((i, at)) if i == index => at,
            _ => from,
        };
        self.moving.set(Some((index, snap(x + dx, y + dy))));
    }

    /// Places the piece on the move where it stands (the editor makes the
    /// edit); nothing happens when nothing moves.
    pub fn place(&self) {
        let Some((index, (x, y))) = self.moving.get_untracked() else { return };
        self.moving.set(None);
        if let Some(placer) = self.placer.get_value() {
            placer(index, x, y);
        }
    }
}

/// The design the board draws and whether it is the running one (live
/// state comes from the run only then): the draft while there is one, else
/// the running design. Tracked.
pub fn drawn(editing: Option<Editing>, sim: SimHandle) -> (Arc<Scenario>, bool) {
    match editing.and_then(|e| e.draft.get()) {
        Some(draft) => (draft, false),
        None => (sim.scenario.get(), true),
    }
}

/// Puts edit mode (off) in context; call once, above the board and the editor.
pub fn provide_editing() -> Editing {
    let editing = Editing {
        on: Watched::new(false),
        moving: Watched::new(None),
        flagged: Watched::new(Vec::new()),
        draft: Watched::new(None),
        placer: StoredValue::new(None),
    };
    provide_context(editing);
    editing
}

/// The grid point nearest `(x, y)`, kept inside the board (1000 × 600)
/// with a margin, so a placed piece always validates.
pub fn snap(x: f64, y: f64) -> (f64, f64) {
    let on_grid = |v: f64, max: f64| ((v / GRID).round() * GRID).clamp(20.0, max - 20.0);
    (on_grid(x, 1000.0), on_grid(y, 600.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snap_goes_to_the_nearest_grid_point_inside_the_board() {
        assert_eq!(snap(714.0, 456.0), (710.0, 460.0));
        assert_eq!(snap(-50.0, 900.0), (20.0, 580.0));
        assert_eq!(snap(f64::from(1000), 0.0), (980.0, 20.0));
    }
}
