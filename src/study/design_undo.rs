//! The review's undo: the designs its fixes replaced, newest last, so Ctrl+Z
//! (or the panel's Undo button) can put the previous one back. Designs, not
//! texts: each entry is the scenario as it ran and the preset it came from.
//!
//! A fix restarts the run from a new scenario; an entry only holds while
//! that scenario is still the one running. Once something else replaced it
//! (a preset, an imported file), undoing would throw the user's later
//! choice away, so the history is forgotten instead.

use infraboard_sim::Scenario;
use std::sync::Arc;

/// How many fixes can be undone in a row (the oldest is forgotten past it).
pub(crate) const KEPT: usize = 8;

/// A design as the run had it.
#[derive(Clone, Debug)]
pub(crate) struct Design {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// The preset it came from (`None` for an imported or edited design).
    pub preset: Option<String>,
}

/// One fix: the design before it and the one it gave.
#[derive(Clone, Debug)]
struct Step {
    before: Design,
    after: Arc<Scenario>,
}

/// The fixes that can be undone, newest last, at most [`KEPT`].
#[derive(Clone, Debug, Default)]
pub(crate) struct DesignUndo {
    steps: Vec<Step>,
}

impl DesignUndo {
    /// Remembers that a fix replaced `before` by `after`.
    pub fn record(&mut self, before: Design, after: Arc<Scenario>) {
        if self.steps.len() == KEPT {
            self.steps.remove(0);
        }
        self.steps.push(Step { before, after });
    }

    /// The design to go back to when `running` is the design running now;
    /// `None` (and the history forgotten) when the last fix's design is no
    /// longer the one running.
    pub fn undo(&mut self, running: &Arc<Scenario>) -> Option<Design> {
        let last = self.steps.pop()?;
        if Arc::ptr_eq(&last.after, running) {
            Some(last.before)
        } else {
            self.steps.clear();
            None
        }
    }

    /// Whether there is a fix to undo while `running` runs.
    pub fn can_undo(&self, running: &Arc<Scenario>) -> bool {
        self.steps.last().is_some_and(|s| Arc::ptr_eq(&s.after, running))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    fn design(preset: Option<&str>) -> Design {
        Design { scenario: Arc::new(presets::default_scenario()), preset: preset.map(String::from) }
    }

    #[test]
    fn undo_walks_back_through_the_fixes_in_turn() {
        let mut undo = DesignUndo::default();
        let first = design(Some(presets::DEFAULT));
        let second = Arc::new(presets::default_scenario());
        let third = Arc::new(presets::default_scenario());
        undo.record(first.clone(), second.clone());
        undo.record(Design { scenario: second.clone(), preset: None }, third.clone());
        assert!(undo.can_undo(&third));
        let back = undo.undo(&third).expect("the second fix undoes");
        assert!(Arc::ptr_eq(&back.scenario, &second));
        assert_eq!(back.preset, None);
        let back = undo.undo(&second).expect("the first fix undoes");
        assert!(Arc::ptr_eq(&back.scenario, &first.scenario));
        assert_eq!(back.preset.as_deref(), Some(presets::DEFAULT));
        assert!(undo.undo(&first.scenario).is_none(), "nothing left to undo");
    }

    #[test]
    fn another_design_loaded_since_the_fix_forgets_the_history() {
        let mut undo = DesignUndo::default();
        let fixed = Arc::new(presets::default_scenario());
        undo.record(design(None), fixed.clone());
        let loaded = Arc::new(presets::default_scenario());
        assert!(!undo.can_undo(&loaded));
        assert!(undo.undo(&loaded).is_none());
        assert!(!undo.can_undo(&fixed), "forgotten, not kept for later");
    }

    #[test]
    fn only_the_latest_fixes_are_kept() {
        let mut undo = DesignUndo::default();
        let mut running = Arc::new(presets::default_scenario());
        let oldest = running.clone();
        for _ in 0..KEPT + 2 {
            let next = Arc::new(presets::default_scenario());
            undo.record(Design { scenario: running, preset: None }, next.clone());
            running = next;
        }
        let mut undone = 0;
        while let Some(back) = undo.undo(&running) {
            running = back.scenario;
            undone += 1;
        }
        assert_eq!(undone, KEPT);
        assert!(!Arc::ptr_eq(&running, &oldest), "the oldest fixes were forgotten");
    }
}
