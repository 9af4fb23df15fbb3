//! Rehearsal for the design review: a speaking timer and the checklist of
//! the questions a reviewer asks, each with a model answer to open.
//!
//! The timer is the speaker's wall clock (it has nothing to do with
//! simulated time, which only the sim driver converts). Ticks are saved
//! with the rest of the progress.

use super::progress::ProgressStore;
use crate::erased::{dynamic, handler};
use crate::i18n::{k, t, use_i18n, Msg};
use crate::wall_clock::now_ms;
use crate::watched::Watched;
use leptos::prelude::*;

/// One question of the design review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewItem {
    /// What firewalls are for.
    Firewalls,
    /// Why traffic is served over HTTPS.
    Https,
    /// What monitoring is used for.
    MonitoringPurpose,
    /// How the monitoring tool collects data.
    MonitoringCollection,
    /// How to monitor the web server's QPS.
    WebQps,
    /// Issue: SSL terminated at the load balancer.
    SslTermination,
    /// Issue: one MySQL server accepts writes.
    OneWriter,
    /// Issue: every server runs every component.
    SharedBoxes,
}

impl ReviewItem {
    /// The review's questions, in the order they are usually asked.
    pub const ALL: [ReviewItem; 8] = [
        ReviewItem::Firewalls,
        ReviewItem::Https,
        ReviewItem::MonitoringPurpose,
        ReviewItem::MonitoringCollection,
        ReviewItem::WebQps,
        ReviewItem::SslTermination,
        ReviewItem::OneWriter,
        ReviewItem::SharedBoxes,
    ];

    /// Stable name for storage and test ids.
    pub fn slug(self) -> &'static str {
        match self {
            ReviewItem::Firewalls => "firewalls",
            ReviewItem::Https => "https",
            ReviewItem::MonitoringPurpose => "monitoring-purpose",
            ReviewItem::MonitoringCollection => "monitoring-collection",
            ReviewItem::WebQps => "web-qps",
            ReviewItem::SslTermination => "ssl-termination",
            ReviewItem::OneWriter => "one-writer",
            ReviewItem::SharedBoxes => "shared-boxes",
        }
    }

    /// The item named `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<ReviewItem> {
        ReviewItem::ALL.into_iter().find(|i| i.slug() == slug)
    }

    /// The question and its model answer.
    fn texts(self) -> (Msg, Msg) {
        use k::selfstudy::rehearsal::items as i;
        match self {
            ReviewItem::Firewalls => (i::firewalls::Q, i::firewalls::A),
            ReviewItem::Https => (i::https::Q, i::https::A),
            ReviewItem::MonitoringPurpose => (i::monitoring_purpose::Q, i::monitoring_purpose::A),
            ReviewItem::MonitoringCollection => {
                (i::monitoring_collection::Q, i::monitoring_collection::A)
            }
            ReviewItem::WebQps => (i::web_qps::Q, i::web_qps::A),
            ReviewItem::SslTermination => (i::ssl_termination::Q, i::ssl_termination::A),
            ReviewItem::OneWriter => (i::one_writer::Q, i::one_writer::A),
            ReviewItem::SharedBoxes => (i::shared_boxes::Q, i::shared_boxes::A),
        }
    }
}

/// `m:ss` for a duration in milliseconds (minutes grow past 59).
pub fn clock_text(ms: f64) -> String {
    let total = if ms.is_finite() && ms > 0.0 { (ms / 1000.0) as u64 } else { 0 };
    format!("{}:{:02}", total / 60, total % 60)
}

/// Wall milliseconds between two redraws of the running timer.
const TICK_MS: u64 = 250;

/// The timer and the checklist.
#[component]
pub(super) fn RehearsalPanel(store: ProgressStore) -> impl IntoView {
    let i18n = use_i18n();
    // Time banked by earlier runs of the timer, and when the current run began.
    let banked = Watched::new(0.0f64);
    let running_since = Watched::new(None::<f64>);
    let shown_ms = Watched::new(0.0f64);
    let interval = StoredValue::new_local(None::<IntervalHandle>);
    let stop_interval = move || {
        if let Some(h) = interval.try_update_value(Option::take).flatten() {
            h.clear();
        }
    };
    let refresh = move || {
        let extra = running_since.get_untracked().map_or(0.0, |s| now_ms() - s);
        shown_ms.set(banked.get_untracked() + extra);
    };
    let start_pause = move |_| match running_since.get_untracked() {
        Some(since) => {
            banked.update(|b| *b += now_ms() - since);
            running_since.set(None);
            stop_interval();
            refresh();
        }
        None => {
            running_since.set(Some(now_ms()));
            let handle =
                set_interval_with_handle(refresh, std::time::Duration::from_millis(TICK_MS)).ok();
            interval.set_value(handle);
        }
    };
    let reset = move |_| {
        stop_interval();
        running_since.set(None);
        banked.set(0.0);
        refresh();
    };
    on_cleanup(stop_interval);
    let running = move || running_since.get().is_some();
    let ticked = move || store.progress.with(|p| p.ticks.len());

    view! {
        <section class="study-panel selfstudy-rehearsal" aria-labelledby="rehearsal-title" data-testid="rehearsal">
            <header class="study-head">
                <h2 id="rehearsal-title">{t(k::selfstudy::rehearsal::TITLE)}</h2>
            </header>
            <p class="study-hint">{t(k::selfstudy::rehearsal::INTRO)}</p>
            <div class="rehearsal-timer">
                <span
                    class="rehearsal-clock"
                    role="timer"
                    aria-label=t(k::selfstudy::rehearsal::TIMER)
                    data-testid="rehearsal-clock"
                >
                    {dynamic(move || clock_text(shown_ms.get()))}
                </span>
                <button
                    class="study-primary"
                    data-testid="rehearsal-start"
                    aria-pressed=dynamic(move || running().to_string())
                    on:click=handler(start_pause)
                >
                    {move || {
                        if running() {
                            i18n.tr(k::selfstudy::rehearsal::PAUSE)
                        } else if shown_ms.get() > 0.0 {
                            i18n.tr(k::selfstudy::rehearsal::RESUME)
                        } else {
                            i18n.tr(k::selfstudy::rehearsal::START)
                        }
                    }}
                </button>
                <button data-testid="rehearsal-reset" on:click=handler(reset)>
                    {t(k::selfstudy::rehearsal::RESET)}
                </button>
            </div>
            <p class="rehearsal-count" data-testid="rehearsal-count">
                {dynamic(move || k::selfstudy::rehearsal::ticked(i18n.locale(), ticked(), ReviewItem::ALL.len()))}
            </p>
            <ol class="rehearsal-list">
                {ReviewItem::ALL.iter().map(|&item| view! { <ReviewRow item=item store=store /> }).collect_view()}
            </ol>
        </section>
    }
}

/// One question: its tick box, and its model answer to open.
#[component]
fn ReviewRow(item: ReviewItem, store: ProgressStore) -> impl IntoView {
    let (question, answer) = item.texts();
    let ticked = move || store.progress.with(|p| p.ticks.contains(&item));
    let id = format!("review-{}", item.slug());
    view! {
        <li class="rehearsal-item" data-testid=id.clone() data-ticked=dynamic(move || ticked().to_string())>
            <label class="rehearsal-question">
                <input
                    type="checkbox"
                    data-testid=format!("{id}-tick")
                    prop:checked=dynamic(ticked)
                    on:change=handler(move |e| store.update(|p| p.set_tick(item, event_target_checked(&e))))
                />
                {t(question)}
            </label>
            <details class="rehearsal-details">
                <summary data-testid=format!("{id}-open")>{t(k::selfstudy::rehearsal::MODEL_ANSWER)}</summary>
                <p class="rehearsal-answer">{t(answer)}</p>
            </details>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_reads_minutes_and_seconds() {
        assert_eq!(clock_text(0.0), "0:00");
        assert_eq!(clock_text(59_999.0), "0:59");
        assert_eq!(clock_text(61_000.0), "1:01");
        assert_eq!(clock_text(3_725_000.0), "62:05");
        assert_eq!(clock_text(f64::NAN), "0:00");
        assert_eq!(clock_text(-5.0), "0:00");
    }

    #[test]
    fn every_review_question_has_its_own_slug() {
        for item in ReviewItem::ALL {
            assert_eq!(ReviewItem::from_slug(item.slug()), Some(item));
        }
    }
}
