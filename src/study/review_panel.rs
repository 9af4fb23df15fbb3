//! The design review panel: the sim's findings for the design running
//! (`infraboard_sim::review::review`, never worked out here), each with its
//! severity, words, and the parts it concerns (lit on the board while the
//! finding is pointed at or focused). "Show me" puts the finding's script on
//! the engine's timeline (`Origin::ShowMe`); "Fix" makes its design edits
//! and restarts the run from the edited design, since the engine runs one
//! scenario from time zero and cannot swap it under a run in progress (the
//! panel says so). Ctrl+Z (`app/keys.rs`, through [`ReviewState::undo_key`])
//! or the Undo button puts the previous design back (the driver's history
//! of design changes, shared with the editor), and
//! its findings with it.

use super::review_measured::measured_sentence;
use super::review_texts::{kind_texts, severity_text};
use crate::board::{node_name, Highlight};
use crate::erased::{dynamic, handler, shown};
use crate::i18n::{k, t, use_i18n, Msg};
use crate::sim_driver::history::ChangeBy;
use crate::sim_driver::{use_sim, SimHandle};
use crate::watched::Watched;
use infraboard_sim::review::{demonstrate, review, Demonstration, Finding};
use infraboard_sim::Origin;
use leptos::prelude::*;
use std::sync::Arc;

/// What the panel last did, said under its heading.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Notice {
    /// A finding's "show me" is playing.
    Showing,
    /// A fix restarted the run from the edited design.
    Fixed,
    /// An undo restarted the run from the design before the fix.
    Undone,
    /// The fix could not be made to this design.
    Refused,
}

impl Notice {
    fn text(self) -> Msg {
        match self {
            Notice::Showing => k::review::SHOWING,
            Notice::Fixed => k::review::FIXED,
            Notice::Undone => k::review::UNDONE,
            Notice::Refused => k::review::REFUSED,
        }
    }
}

/// The review's state: what it lit, its undo history and its notice. In
/// context (from [`super::provide_study`]) so Ctrl+Z (`app/keys.rs`) can undo.
#[derive(Clone, Copy)]
pub struct ReviewState {
    sim: SimHandle,
    highlight: Highlight,
    /// What the board had lit before a finding was pointed at (another
    /// panel's, or the "show me" playing), put back when the pointer leaves.
    resting: Watched<Vec<usize>>,
    /// Whether a finding is pointed at or focused (its nodes are lit).
    pointed: Watched<bool>,
    notice: Watched<Option<Notice>>,
    /// Set when the review sheet is asked for: every finding measures its
    /// "show me", so the sheet has all the figures.
    sheet: Watched<bool>,
    /// The findings (by their place in the list) whose "show me" was
    /// pressed: their figures show under them. A new list starts empty.
    shown: Watched<Vec<usize>>,
}

impl ReviewState {
    /// A fresh state over the run and the board's highlight.
    pub(super) fn new(sim: SimHandle, highlight: Highlight) -> ReviewState {
        ReviewState {
            sim,
            highlight,
            resting: Watched::new(Vec::new()),
            pointed: Watched::new(false),
            notice: Watched::new(None),
            sheet: Watched::new(false),
            shown: Watched::new(Vec::new()),
        }
    }

    /// Prints the review sheet: the findings measure themselves, and once
    /// they are drawn (the next tick) the sheet copies them. The request
    /// ends with the copy, so the next design's findings do not each play
    /// a run as soon as they are listed.
    pub(crate) fn print_sheet(self, locale: crate::i18n::Locale) {
        self.sheet.set(true);
        let name = self.sim.scenario.with_untracked(|s| s.name.clone());
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            super::review_sheet::print(&name, locale);
            self.sheet.set(false);
        });
    }

    /// What the finding's "show me" costs on a fresh run of the design (the
    /// figures every reader and the CLI get for this design and seed).
    fn measure(self, finding: &Finding) -> Option<Demonstration> {
        let seed = self.sim.seed.get_untracked();
        self.sim.scenario.with_untracked(|s| demonstrate(s, finding, seed).ok())
    }

    /// Whether the next Ctrl+Z takes back one of the review's fixes (then
    /// [`Self::undo`] says so in the review's words).
    pub fn owns_next_undo(self) -> bool {
        self.sim.next_design_step_untracked(false) == Some(ChangeBy::Review)
    }

    fn light(self, nodes: Vec<usize>) {
        if !self.pointed.get_untracked() {
            self.resting.set(self.highlight.0.get_untracked());
            self.pointed.set(true);
        }
        self.highlight.0.set(nodes);
    }

    fn unlight(self) {
        if self.pointed.get_untracked() {
            self.pointed.set(false);
            self.highlight.0.set(self.resting.get_untracked());
        }
    }

    /// Plays the finding on the board.
    fn show_me(self, finding: &Finding) {
        self.sim.schedule(Origin::ShowMe, &finding.show_me);
        self.sim.playing.set(true);
        self.resting.set(finding.nodes.clone());
        self.highlight.0.set(finding.nodes.clone());
        self.notice.set(Some(Notice::Showing));
    }

    fn fix(self, finding: &Finding) {
        let before = self.sim.scenario.get_untracked();
        match finding.apply_fix(&before) {
            Ok(after) => {
                self.sim.change_design(Arc::new(after), ChangeBy::Review);
                self.settle(Notice::Fixed);
            }
            Err(_) => self.notice.set(Some(Notice::Refused)),
        }
    }

    fn can_undo(self) -> bool {
        self.sim.next_design_step(false) == Some(ChangeBy::Review)
    }

    /// Takes back the last design change (Ctrl+Z or the Undo button);
    /// whether there was one.
    pub fn undo(self) -> bool {
        let done = self.sim.step_design(false).is_some();
        if done {
            self.settle(Notice::Undone);
        }
        done
    }

    /// After a fix or its undo: the run plays from the new design, nothing
    /// lit, and the notice says what happened.
    fn settle(self, notice: Notice) {
        self.sim.playing.set(true);
        self.pointed.set(false);
        self.resting.set(Vec::new());
        self.highlight.0.set(Vec::new());
        self.notice.set(Some(notice));
    }
}

/// The review of the running design.
#[component]
pub(super) fn ReviewPanel() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let ctx = expect_context::<ReviewState>();
    // Reads the scenario alone: only a new design rebuilds the list, never
    // a frame publication.
    let list = move || {
        let findings = sim.with_design(review);
        // A new design's findings: none shows its figures yet.
        if ctx.shown.with_untracked(|s| !s.is_empty()) {
            ctx.shown.set(Vec::new());
        }
        if findings.is_empty() {
            view! { <p class="review-none" data-testid="review-none">{t(k::review::NONE)}</p> }
                .into_any()
        } else {
            let items = findings
                .into_iter()
                .enumerate()
                .map(|(at, f)| view! { <li><FindingView finding=Arc::new(f) at=at ctx=ctx /></li> })
                .collect_view();
            view! { <ul class="findings">{items}</ul> }.into_any()
        }
    };
    view! {
        <section class="study-panel review" aria-labelledby="review-title" data-testid="review">
            <header class="study-head">
                <h2 id="review-title">{t(k::review::TITLE)}</h2>
            </header>
            <p class="study-hint">{t(k::review::INTRO)}</p>
            // What a fix or an undo did, and the Undo button, stay in sight
            // while the findings scroll under them (assets/study.css).
            <div class="review-bar">
                <p class="study-status review-notice" role="status" data-testid="review-notice">
                    {dynamic(move || ctx.notice.get().map(|n| i18n.tr(n.text()).to_string()))}
                </p>
                {shown(
                    move || ctx.can_undo(),
                    move || {
                        view! {
                            <button data-testid="review-undo" on:click=handler(move |_| { ctx.undo(); })>
                                {t(k::review::UNDO)}
                            </button>
                        }
                        .into_any()
                    },
                )}
            </div>
            {list}
        </section>
    }
}

/// One finding: severity, title, why, the parts, and its actions.
#[component]
fn FindingView(finding: Arc<Finding>, at: usize, ctx: ReviewState) -> impl IntoView {
    let i18n = use_i18n();
    let texts = kind_texts(finding.kind);
    let kind = finding.kind.as_str();
    let severity = finding.severity;
    let nodes = finding.nodes.clone();
    let concerns = {
        let nodes = nodes.clone();
        move || {
            let names = ctx.sim.with_design(|s| {
                nodes.iter().map(|&n| node_name(s, n, i18n.locale())).collect::<Vec<_>>()
            });
            k::review::concerns(i18n.locale(), names.join(", "))
        }
    };
    let lit = nodes.clone();
    let light = move || ctx.light(lit.clone());
    let light_too = light.clone();
    // Once "show me" is pressed the figures show under the finding,
    // measured again only when the locale or the sheet redraws them.
    let shown = move || ctx.shown.with(|s| s.contains(&at));
    let show_me = {
        let finding = finding.clone();
        view! {
            <button
                class="study-primary"
                data-testid="review-show-me"
                on:click=handler(move |_| {
                    ctx.show_me(&finding);
                    ctx.shown.update(|s| s.push(at));
                })
            >
                {t(k::review::SHOW_ME)}
            </button>
        }
    };
    let measured = finding.clone();
    let figures = move || {
        if !(shown() || ctx.sheet.get()) {
            return None;
        }
        let m = ctx.measure(&measured)?;
        Some(view! {
            <p class="finding-measured" data-testid="finding-measured">
                {measured_sentence(i18n.locale(), measured.kind, &m)}
            </p>
        })
    };
    let fix = finding.fixable().then(|| {
        let finding = finding.clone();
        view! {
            <button data-testid="review-fix" on:click=handler(move |_| ctx.fix(&finding))>
                {t(k::review::FIX)}
            </button>
        }
    });
    let title_id = format!("finding-{kind}-{}", nodes.first().copied().unwrap_or_default());
    let severity_id = format!("{title_id}-severity");
    // Named by its severity then its title ("High One load balancer").
    let labelled_by = format!("{severity_id} {title_id}");
    view! {
        <article
            class="finding"
            // Focusable, so the keyboard can light a finding with no action too.
            tabindex="0"
            aria-labelledby=labelled_by
            data-testid="finding"
            data-kind=kind
            data-severity=severity.as_str()
            on:mouseenter=handler(move |_| light())
            on:focusin=handler(move |_| light_too())
            on:mouseleave=handler(move |_| ctx.unlight())
            on:focusout=handler(move |_| ctx.unlight())
        >
            <div class="finding-head">
                <span id=severity_id class=format!("severity severity-{}", severity.as_str())>
                    {t(severity_text(severity))}
                </span>
                <h3 id=title_id>{t(texts.title)}</h3>
            </div>
            <p>{t(texts.why)}</p>
            <p class="finding-nodes">{dynamic(concerns)}</p>
            <p class="finding-fix">{t(texts.fix)}</p>
            <div class="topic-actions">{show_me}{fix}</div>
            {figures}
        </article>
    }
}
