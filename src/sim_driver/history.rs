//! Undo and redo of design changes, as whole designs: each step is the
//! design before and the design after (`Arc<Scenario>` and the preset it
//! came from), and which tool made it. Every tool that replaces the running
//! design by another (the editor's edits, the design review's fixes) records
//! a step through [`super::SimHandle::change_design`], so Ctrl+Z walks back
//! through all of them in the order they were made.
//!
//! A step only holds while its design is the one running: once something
//! else replaced it (a preset, an imported file), undoing would throw the
//! user's later choice away, so the history is forgotten instead.

use infraboard_sim::Scenario;
use std::sync::Arc;

/// How many changes can be undone in a row (the oldest is forgotten past it).
pub(crate) const KEPT: usize = 64;

/// A design as the run had it.
#[derive(Clone, Debug)]
pub(crate) struct Design {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// The preset it came from (`None` for an imported or edited design).
    pub preset: Option<String>,
}

/// The tool that made a change, so the undo of a review's fix can say so
/// in the review's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeBy {
    /// Edit mode.
    Editor,
    /// A finding's Fix.
    Review,
}

#[derive(Clone, Debug)]
struct Step {
    before: Design,
    after: Design,
    by: ChangeBy,
}

/// The changes that can be undone (newest last) and redone (next last).
#[derive(Clone, Debug, Default)]
pub(crate) struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Remembers that `before` was replaced by `after`; what could be
    /// redone is forgotten (a new change starts a new future).
    pub fn record(&mut self, before: Design, after: Design, by: ChangeBy) {
        if self.undo.len() == KEPT {
            self.undo.remove(0);
        }
        self.undo.push(Step { before, after, by });
        self.redo.clear();
    }

    /// The design to go back to while `running` runs; `None` (and the
    /// history forgotten) when the last change's design is not running.
    pub fn undo(&mut self, running: &Arc<Scenario>) -> Option<Design> {
        let step = self.take(running, false)?;
        let back = step.before.clone();
        self.redo.push(step);
        Some(back)
    }

    /// The design an undo replaced, while the design it put back runs.
    pub fn redo(&mut self, running: &Arc<Scenario>) -> Option<Design> {
        let step = self.take(running, true)?;
        let again = step.after.clone();
        self.undo.push(step);
        Some(again)
    }

    /// Who made the step [`Self::undo`] (`redo` false) or [`Self::redo`]
    /// would take while `running` runs, if there is one.
    pub fn next_by(&self, redo: bool, running: &Arc<Scenario>) -> Option<ChangeBy> {
        let steps = if redo { &self.redo } else { &self.undo };
        steps.last().filter(|_| self.can(redo, running)).map(|s| s.by)
    }

    /// Whether [`Self::undo`] (`redo` false) or [`Self::redo`] has a step
    /// while `running` runs.
    pub fn can(&self, redo: bool, running: &Arc<Scenario>) -> bool {
        let end = if redo {
            self.redo.last().map(|s| &s.before)
        } else {
            self.undo.last().map(|s| &s.after)
        };
        end.is_some_and(|d| Arc::ptr_eq(&d.scenario, running))
    }

    fn take(&mut self, running: &Arc<Scenario>, redo: bool) -> Option<Step> {
        if !self.can(redo, running) {
            if !self.undo.is_empty() || !self.redo.is_empty() {
                // Another design runs since: this history is not its own.
                let holds = |s: &Step| {
                    Arc::ptr_eq(&s.before.scenario, running)
                        || Arc::ptr_eq(&s.after.scenario, running)
                };
                if !self.undo.iter().chain(&self.redo).any(holds) {
                    *self = History::default();
                }
            }
            return None;
        }
        if redo {
            self.redo.pop()
        } else {
            self.undo.pop()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    fn design() -> Design {
        Design { scenario: Arc::new(presets::default_scenario()), preset: None }
    }

    #[test]
    fn undo_and_redo_walk_the_changes_both_ways() {
        let mut h = History::default();
        let (a, b, c) = (design(), design(), design());
        h.record(a.clone(), b.clone(), ChangeBy::Editor);
        h.record(b.clone(), c.clone(), ChangeBy::Editor);
        assert!(h.can(false, &c.scenario) && !h.can(true, &c.scenario));
        let back = h.undo(&c.scenario).unwrap();
        assert!(Arc::ptr_eq(&back.scenario, &b.scenario));
        let back = h.undo(&b.scenario).unwrap();
        assert!(Arc::ptr_eq(&back.scenario, &a.scenario));
        assert!(h.undo(&a.scenario).is_none(), "nothing left to undo");
        let again = h.redo(&a.scenario).unwrap();
        assert!(Arc::ptr_eq(&again.scenario, &b.scenario));
        let again = h.redo(&b.scenario).unwrap();
        assert!(Arc::ptr_eq(&again.scenario, &c.scenario));
        assert!(h.redo(&c.scenario).is_none(), "nothing left to redo");
    }

    #[test]
    fn each_step_says_which_tool_made_it() {
        let mut h = History::default();
        let (a, b, c) = (design(), design(), design());
        h.record(a.clone(), b.clone(), ChangeBy::Review);
        h.record(b.clone(), c.clone(), ChangeBy::Editor);
        assert_eq!(h.next_by(false, &c.scenario), Some(ChangeBy::Editor));
        assert_eq!(h.next_by(false, &a.scenario), None, "not while another design runs");
        h.undo(&c.scenario).unwrap();
        assert_eq!(h.next_by(false, &b.scenario), Some(ChangeBy::Review));
        assert_eq!(h.next_by(true, &b.scenario), Some(ChangeBy::Editor));
    }

    #[test]
    fn a_new_change_after_an_undo_forgets_the_redo() {
        let mut h = History::default();
        let (a, b, c) = (design(), design(), design());
        h.record(a.clone(), b.clone(), ChangeBy::Editor);
        h.undo(&b.scenario).unwrap();
        h.record(a.clone(), c.clone(), ChangeBy::Editor);
        assert!(!h.can(true, &c.scenario));
        assert!(h.redo(&a.scenario).is_none());
    }

    #[test]
    fn another_design_loaded_since_forgets_the_history() {
        let mut h = History::default();
        let (a, b) = (design(), design());
        h.record(a, b.clone(), ChangeBy::Editor);
        let loaded = Arc::new(presets::default_scenario());
        assert!(h.undo(&loaded).is_none());
        assert!(!h.can(false, &b.scenario), "forgotten, not kept for later");
    }

    #[test]
    fn only_the_latest_changes_are_kept() {
        let mut h = History::default();
        let mut running = design();
        for _ in 0..KEPT + 3 {
            let next = design();
            h.record(running, next.clone(), ChangeBy::Editor);
            running = next;
        }
        let mut undone = 0;
        while let Some(back) = h.undo(&running.scenario) {
            running = back;
            undone += 1;
        }
        assert_eq!(undone, KEPT);
    }
}
