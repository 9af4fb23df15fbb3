//! The learner's progress (challenge results, checklist ticks, best
//! draw-from-memory score), kept in localStorage under a versioned key.
//!
//! The stored text is a few `name=value` lines we write ourselves, so no
//! JSON library ships in the bundle. Anything else under the key (a
//! hand-edited value, another tool's data, a future format) is ignored as a
//! whole and reported as a [`Loaded::Ignored`] notice: never a crash, never
//! half-read progress. Parsing is plain Rust, tested natively.

use super::challenges::ChallengeId;
use super::rehearsal::ReviewItem;
use crate::watched::Watched;

/// The localStorage key; a new format gets a new version.
pub const STORAGE_KEY: &str = "infraboard.selfstudy.v1";

/// Everything the self-study remembers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// The latest result of each answered challenge (right or not), in
    /// [`ChallengeId::ALL`] order.
    pub results: Vec<(ChallengeId, bool)>,
    /// Ticked review questions, in [`ReviewItem::ALL`] order.
    pub ticks: Vec<ReviewItem>,
    /// Best draw-from-memory score, percent.
    pub best_memory: Option<u8>,
}

impl Progress {
    /// Challenges answered.
    pub fn answered(&self) -> usize {
        self.results.len()
    }

    /// Challenges answered right.
    pub fn right(&self) -> usize {
        self.results.iter().filter(|(_, ok)| *ok).count()
    }

    /// Records a challenge result (the latest one counts).
    pub fn record(&mut self, id: ChallengeId, right: bool) {
        self.results.retain(|(c, _)| *c != id);
        self.results.push((id, right));
        crate::small_sort::sort_by_key(&mut self.results, |(c, _)| {
            ChallengeId::ALL.iter().position(|x| x == c)
        });
    }

    /// Ticks or unticks a review question.
    pub fn set_tick(&mut self, item: ReviewItem, on: bool) {
        self.ticks.retain(|i| *i != item);
        if on {
            self.ticks.push(item);
            crate::small_sort::sort_by_key(&mut self.ticks, |i| {
                ReviewItem::ALL.iter().position(|x| x == i)
            });
        }
    }

    /// The stored text.
    pub fn to_text(&self) -> String {
        let results: Vec<String> = self
            .results
            .iter()
            .map(|(c, ok)| format!("{}:{}", c.slug(), if *ok { "right" } else { "wrong" }))
            .collect();
        let ticks: Vec<&str> = self.ticks.iter().map(|i| i.slug()).collect();
        let mut out = format!("results={}\nticks={}\n", results.join(","), ticks.join(","));
        if let Some(m) = self.best_memory {
            out.push_str(&format!("memory={m}\n"));
        }
        out
    }

    /// Reads the stored text; any line we did not write makes it foreign.
    pub fn from_text(text: &str) -> Result<Progress, Foreign> {
        let mut p = Progress::default();
        let items = |v: &str| v.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (name, value) = line.split_once('=').ok_or(Foreign)?;
            let list: Vec<String> = items(value);
            match name {
                "results" => {
                    for entry in list {
                        let (slug, verdict) = entry.split_once(':').ok_or(Foreign)?;
                        let id = ChallengeId::from_slug(slug).ok_or(Foreign)?;
                        let right = match verdict {
                            "right" => true,
                            "wrong" => false,
                            _ => return Err(Foreign),
                        };
                        p.record(id, right);
                    }
                }
                "ticks" => {
                    for slug in list {
                        p.set_tick(ReviewItem::from_slug(&slug).ok_or(Foreign)?, true);
                    }
                }
                "memory" => {
                    let score: u8 = value.parse().map_err(|_| Foreign)?;
                    if score > 100 {
                        return Err(Foreign);
                    }
                    p.best_memory = Some(score);
                }
                _ => return Err(Foreign),
            }
        }
        Ok(p)
    }
}

/// The stored entry is not progress we wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Foreign;

/// What was found in storage at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// Nothing stored, or storage unavailable: a fresh start.
    Fresh,
    /// Progress read back.
    Restored,
    /// Something unreadable was there; it was ignored (and will be
    /// replaced at the next save).
    Ignored,
}

/// Decides what a stored value means.
pub fn load_text(stored: Option<&str>) -> (Progress, Loaded) {
    match stored {
        None => (Progress::default(), Loaded::Fresh),
        Some(text) => match Progress::from_text(text) {
            Ok(p) => (p, Loaded::Restored),
            Err(Foreign) => (Progress::default(), Loaded::Ignored),
        },
    }
}

/// The progress shared by the self-study panels; every change is saved.
#[derive(Clone, Copy)]
pub struct ProgressStore {
    /// The current progress.
    pub progress: Watched<Progress>,
    /// What was found at start (the panel shows a notice for `Ignored`).
    pub loaded: Loaded,
}

impl ProgressStore {
    /// Reads localStorage once.
    pub fn load() -> ProgressStore {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let (progress, loaded) = load_text(stored.as_deref());
        ProgressStore { progress: Watched::new(progress), loaded }
    }

    /// Changes the progress and saves it.
    pub fn update(self, f: impl FnOnce(&mut Progress)) {
        self.progress.update(f);
        if let Some(s) = storage() {
            // Private browsing may refuse storage: progress then lasts the visit.
            let _ = s.set_item(STORAGE_KEY, &self.progress.with_untracked(Progress::to_text));
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_a_round_trip() {
        let mut p = Progress::default();
        p.record(ChallengeId::WriterDown, false);
        p.record(ChallengeId::Fw2Gone, true);
        p.record(ChallengeId::WriterDown, true);
        p.set_tick(ReviewItem::OneWriter, true);
        p.set_tick(ReviewItem::Firewalls, true);
        p.best_memory = Some(85);
        assert_eq!((p.answered(), p.right()), (2, 2));
        let text = p.to_text();
        assert_eq!(Progress::from_text(&text), Ok(p.clone()));
        assert_eq!(load_text(Some(&text)), (p, Loaded::Restored));
        assert_eq!(load_text(None), (Progress::default(), Loaded::Fresh));
    }

    #[test]
    fn corrupt_or_foreign_entries_are_ignored_whole() {
        for bad in [
            "{\"results\": []}",
            "results=fw2-gone:maybe",
            "results=no-such-challenge:right",
            "ticks=firewalls,unknown",
            "memory=250",
            "memory=-1",
            "memory=lots",
            "colour=blue",
            "results=fw2-gone:right\n\u{0}garbage",
        ] {
            assert_eq!(load_text(Some(bad)), (Progress::default(), Loaded::Ignored), "{bad:?}");
        }
        // An empty entry is simply nothing yet.
        assert_eq!(load_text(Some("")), (Progress::default(), Loaded::Restored));
    }
}
