//! Self-study: predict-then-run challenges and a rehearsal of the design
//! review, with the learner's progress kept in localStorage.
//!
//! One job per module: [`challenges`] (the questions as data, and how the
//! sim's numbers pick the answer), [`runner`] (the one plan that plays a
//! challenge, on the live board or headless in tests), [`progress`] (the
//! versioned store), [`rehearsal`] (the checklist and timer). The panels
//! steer the board only through the [`SimHandle`](crate::sim_driver::SimHandle)
//! and the study's highlight.

mod challenge_panel;

pub mod challenges;
pub mod progress;
pub mod rehearsal;
pub mod runner;

use crate::erased::{handler, shown};
use crate::i18n::{k, t, use_i18n};
use crate::watched::Watched;
use leptos::prelude::*;
use progress::{Loaded, ProgressStore};

/// The self-study panels under the study panels.
#[component]
pub fn SelfStudyPanels() -> impl IntoView {
    let i18n = use_i18n();
    let store = ProgressStore::load();
    let notice = Watched::new(store.loaded == Loaded::Ignored);
    let summary = move || {
        store.progress.with(|p| {
            k::selfstudy::progress::summary(
                i18n.locale(),
                p.answered(),
                p.right(),
                p.ticks.len(),
                rehearsal::ReviewItem::ALL.len(),
            )
        })
    };
    view! {
        <section class="selfstudy" aria-labelledby="selfstudy-title" data-testid="selfstudy">
            <header class="selfstudy-head">
                <h2 id="selfstudy-title">{t(k::selfstudy::TITLE)}</h2>
                <p class="selfstudy-progress" data-testid="selfstudy-progress">{summary}</p>
            </header>
            {shown(
                move || notice.get(),
                move || {
                    view! {
                        <p class="selfstudy-notice" role="status" data-testid="selfstudy-notice">
                            {t(k::selfstudy::progress::IGNORED)}
                            " "
                            <button data-testid="selfstudy-notice-close" on:click=handler(move |_| notice.set(false))>
                                {t(k::selfstudy::progress::DISMISS)}
                            </button>
                        </p>
                    }
                    .into_any()
                },
            )}
            <div class="selfstudy-grid">
                <challenge_panel::ChallengePanel store=store />
                <rehearsal::RehearsalPanel store=store />
            </div>
        </section>
    }
}
