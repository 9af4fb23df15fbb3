//! Undo and redo inside a draft (a design drawn from an empty board that
//! the model does not take yet): the drafts before the one drawn now and
//! the ones undone. The driver's history starts where the draft runs.

use infraboard_sim::Scenario;
use std::sync::Arc;

/// The states of the draft around the one drawn now.
#[derive(Default)]
pub(super) struct DraftSteps {
    /// Before the one drawn now, oldest first.
    before: Vec<Arc<Scenario>>,
    /// Undone, the last undone last; a new drawing step forgets them.
    undone: Vec<Arc<Scenario>>,
}

impl DraftSteps {
    /// A drawing step was made from `previous`.
    pub(super) fn record(&mut self, previous: Arc<Scenario>) {
        self.before.push(previous);
        self.undone.clear();
    }

    /// Whether redo has a step to take again.
    pub(super) fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Leaves `current` for the draft one step back (`redo` false) or
    /// forward; `None` when there is none. Back past the first step, the
    /// draft ends and nothing is left to redo.
    pub(super) fn step(&mut self, current: Arc<Scenario>, redo: bool) -> Option<Arc<Scenario>> {
        let (from, to) = match redo {
            true => (&mut self.undone, &mut self.before),
            false => (&mut self.before, &mut self.undone),
        };
        let next = from.pop();
        match next {
            Some(_) => to.push(current),
            None if !redo => self.undone.clear(),
            None => {}
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(name: &str) -> Arc<Scenario> {
        let mut s = infraboard_sim::presets::default_scenario();
        s.name = name.into();
        Arc::new(s)
    }

    #[test]
    fn undo_and_redo_walk_the_drawing_steps_and_a_new_step_forgets_the_undone() {
        let (a, b, c) = (design("a"), design("b"), design("c"));
        let mut steps = DraftSteps::default();
        steps.record(a.clone());
        steps.record(b.clone());
        // Drawn now: c.
        assert_eq!(steps.step(c.clone(), false).unwrap().name, "b");
        assert_eq!(steps.step(b.clone(), false).unwrap().name, "a");
        assert!(steps.can_redo());
        assert_eq!(steps.step(a.clone(), true).unwrap().name, "b");
        assert_eq!(steps.step(b.clone(), true).unwrap().name, "c");
        assert!(steps.step(c.clone(), true).is_none(), "nothing more to redo");
        steps.step(c.clone(), false);
        steps.record(b);
        assert!(!steps.can_redo(), "a new step forgets what was undone");
    }

    #[test]
    fn back_past_the_first_step_ends_the_draft_with_nothing_to_redo() {
        let mut steps = DraftSteps::default();
        assert!(steps.step(design("empty"), false).is_none());
        assert!(!steps.can_redo());
    }
}
