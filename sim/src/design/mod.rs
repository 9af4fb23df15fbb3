//! Changes to a design, as data: what the editor, the review's fixes and
//! any other tool do to a [`Scenario`](crate::Scenario) before it runs.
//!
//! One edit type for every tool ([`Edit`]), so an undo stack, a shared
//! link or a review's fix all speak the same language; applying one always
//! goes through the scenario's validation, so an edit can never produce a
//! design the simulation would refuse. [`Piece`] is what an editor's
//! palette adds, as edits.

mod compare;
mod edit;
mod piece;

pub use compare::{compare, Comparison, Role, Shape};
pub use edit::{apply_all, draft, Edit, EditError};
pub use piece::{fresh_id, same_but_layout, with_mode, Piece};
