//! Share, save and export: the run in the page address (`link`, over
//! `crate::url_state`), scenario files in and out (`import`, through the
//! simulation's validation), the board as SVG / PNG, the metrics as CSV
//! (`export`) and the board as a WebM video (`record`).
//!
//! [`ShareControls`] is the "Share & export" menu in the top bar;
//! [`ShareOverlays`] holds what shows over the page: the notice about an
//! ignored part of a link, the report of a refused file, and the drop zone.
//! Imported text (a scenario's name, a problem's detail) only ever reaches
//! the page as text nodes, never as HTML.

mod export;
mod import;

pub use import::problem_text;
mod link;
mod record;

use crate::erased::{dynamic, handler, shown};
use crate::i18n::{k, t, use_i18n};
use crate::sim_driver::{use_sim, SimHandle};
use crate::study::TourState;
use crate::url_state::LinkNotice;
use crate::watched::Watched;
use import::ImportError;
use infraboard_sim::decimal;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// What the last import did.
#[derive(Clone, Debug, PartialEq)]
enum ImportOutcome {
    /// The board now runs this scenario (its name).
    Opened(String),
    /// Refused; the board is as it was.
    Refused(ImportError),
}

/// A message about an export or the recording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Recording,
    NoRecorder,
    RecordFailed,
    ExportFailed,
}

/// State shared by the menu and the page layers.
#[derive(Clone, Copy)]
struct Share {
    link_notices: Watched<Vec<LinkNotice>>,
    replay: link::LinkReplay,
    import: Watched<Option<ImportOutcome>>,
    dragging: Watched<bool>,
    status: Watched<Option<Status>>,
}

thread_local! {
    static SHARE: RefCell<Option<Share>> = const { RefCell::new(None) };
    static RECORDING: RefCell<Option<record::Recording>> = const { RefCell::new(None) };
}

/// The menu and the layers are siblings in the page, so they meet here
/// rather than through a context (a new page gets new signals).
fn share() -> Share {
    SHARE.with(|s| {
        let mut s = s.borrow_mut();
        match *s {
            Some(share) if share.dragging.is_live() => share,
            _ => {
                let share = Share {
                    link_notices: Watched::new(Vec::new()),
                    replay: link::LinkReplay::new(),
                    import: Watched::new(None),
                    dragging: Watched::new(false),
                    status: Watched::new(None),
                };
                *s = Some(share);
                share
            }
        }
    })
}

/// Opens a file the user picked or dropped, if it passes; otherwise says why.
fn open_file(file: web_sys::File, share: Share, sim: SimHandle) {
    if let Err(e) = import::check_size(file.size() as u64) {
        share.import.set(Some(ImportOutcome::Refused(e)));
        return;
    }
    let on_text = Closure::<dyn FnMut(JsValue)>::new(move |text: JsValue| {
        let text = text.as_string().unwrap_or_default();
        share.import.set(Some(match import::read_scenario(&text) {
            Ok(scenario) => {
                let name = scenario.name.clone();
                sim.load_scenario(scenario);
                ImportOutcome::Opened(name)
            }
            Err(e) => ImportOutcome::Refused(e),
        }));
    });
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        share.import.set(Some(ImportOutcome::Refused(ImportError::Unreadable)));
    });
    let _ = file.text().then2(&on_text, &on_error);
    // The promise holds them until it settles; JS's collector frees them.
    let _ = (on_text.into_js_value(), on_error.into_js_value());
}

/// The "Share & export" menu in the top bar.
#[component]
pub fn ShareControls() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let review = use_context::<crate::study::ReviewState>();
    let share = share();
    let picker = NodeRef::<leptos::html::Input>::new();

    let save_json = move |_| {
        let scenario = sim.scenario.get_untracked();
        let _ = export::download_text(
            &scenario.to_json_pretty(),
            "application/json",
            &import::file_name(&scenario.name),
        );
    };
    let save_svg = move |_| match export::board_svg() {
        Some(svg) => {
            let _ = export::download_text(&svg, "image/svg+xml", "infraboard-diagram.svg");
        }
        None => share.status.set(Some(Status::ExportFailed)),
    };
    let save_png = move |_| {
        export::download_png("infraboard-diagram.png", move || {
            share.status.set(Some(Status::ExportFailed))
        })
    };
    let save_csv = move |_| {
        let csv = sim.with_engine(|e| e.sim().report().to_csv());
        let _ = export::download_text(&csv, "text/csv", "infraboard-metrics.csv");
    };
    let recording = move || share.status.get() == Some(Status::Recording);
    let toggle_recording = move |_| {
        if let Some(running) = RECORDING.with(|r| r.borrow_mut().take()) {
            running.stop();
            share.status.set(None);
            return;
        }
        match record::Recording::start(sim, "infraboard-board.webm") {
            Ok(running) => {
                RECORDING.with(|r| *r.borrow_mut() = Some(running));
                share.status.set(Some(Status::Recording));
            }
            Err(record::RecordError::Unsupported) => share.status.set(Some(Status::NoRecorder)),
            Err(record::RecordError::Failed) => share.status.set(Some(Status::RecordFailed)),
        }
    };
    let on_pick = move |_| {
        let Some(input) = picker.get_untracked() else { return };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            open_file(file, share, sim);
        }
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };

    view! {
        <details class="share-menu" data-testid="share-menu">
            <summary>{t(k::share::MENU)}</summary>
            <div class="share-panel">
                <p class="share-hint">
                    {t(k::share::LINK_HINT)}
                </p>
                <h3>{t(k::share::SAVE_HEADING)}</h3>
                <button type="button" data-testid="export-json" on:click=handler(save_json)>
                    {t(k::share::EXPORT_JSON)}
                </button>
                <button
                    type="button"
                    data-testid="import-json"
                    on:click=handler(move |_| {
                        if let Some(input) = picker.get_untracked() {
                            input.click();
                        }
                    })
                >
                    {t(k::share::IMPORT_JSON)}
                </button>
                <input
                    type="file"
                    accept=".json,application/json"
                    class="share-file"
                    data-testid="import-file"
                    node_ref=picker
                    on:change=handler(on_pick)
                    hidden
                />
                <h3>{t(k::share::EXPORT_HEADING)}</h3>
                <button type="button" data-testid="export-svg" on:click=handler(save_svg)>
                    {t(k::share::EXPORT_SVG)}
                </button>
                <button type="button" data-testid="export-png" on:click=handler(save_png)>
                    {t(k::share::EXPORT_PNG)}
                </button>
                <button type="button" data-testid="export-csv" on:click=handler(save_csv)>
                    {t(k::share::EXPORT_CSV)}
                </button>
                <button
                    type="button"
                    data-testid="review-sheet-print"
                    on:click=handler(move |_| {
                        if let Some(review) = review {
                            review.print_sheet(i18n.locale());
                        }
                    })
                >
                    {t(k::share::REVIEW_SHEET)}
                </button>
                <button
                    type="button"
                    data-testid="record"
                    aria-pressed=dynamic(move || recording().to_string())
                    on:click=handler(toggle_recording)
                >
                    {dynamic(move || {
                        if recording() { t(k::share::RECORD_STOP)() } else { t(k::share::RECORD_START)() }
                    })}
                </button>
            </div>
        </details>
    }
}

/// Page-level layers: the link notice, the import report, the drop zone and
/// the export/recording status. Also opens the run the address carries and
/// keeps the address following the board.
#[component]
pub fn ShareOverlays() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let share = share();
    let tour = use_context::<TourState>();
    link::open_from_address(sim, tour, share.replay, share.link_notices);
    link::follow_in_address(sim, tour, share.replay);
    install_drop(share, sim);

    let link_lines = move || {
        let locale = i18n.locale();
        share
            .link_notices
            .get()
            .iter()
            .map(|n| view! { <li>{link::notice_text(n, locale)}</li> })
            .collect_view()
    };
    let import_report = move || {
        let locale = i18n.locale();
        share.import.get().map(|outcome| match outcome {
            ImportOutcome::Opened(name) => view! {
                <p class="share-opened">{k::share::import::opened(locale, name)}</p>
            }
            .into_any(),
            ImportOutcome::Refused(error) => {
                let lines = match error {
                    ImportError::Invalid(problems) => problems
                        .iter()
                        .map(|d| {
                            let (field, text) = import::problem_line(d, locale);
                            view! {
                                <li>
                                    <code class="share-field">{field}</code>
                                    " "
                                    <span>{text}</span>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any(),
                    other => {
                        let text = match other {
                            ImportError::TooLarge { bytes } => k::share::import::too_large(
                                locale,
                                bytes.div_ceil(1024),
                                import::MAX_IMPORT_BYTES / 1024,
                            ),
                            ImportError::NotOneFile => {
                                k::share::import::NOT_ONE_FILE.text(locale).to_string()
                            }
                            _ => k::share::import::UNREADABLE.text(locale).to_string(),
                        };
                        view! { <li>{text}</li> }.into_any()
                    }
                };
                view! {
                    <h2>{t(k::share::import::REFUSED_TITLE)}</h2>
                    <ul class="share-problems" data-testid="import-problems">{lines}</ul>
                    <p>{t(k::share::import::KEPT)}</p>
                }
                .into_any()
            }
        })
    };
    let status_text = move || {
        share.status.get().map(|s| match s {
            Status::Recording => t(k::share::RECORDING)(),
            Status::NoRecorder => t(k::share::NO_RECORDER)(),
            Status::RecordFailed => t(k::share::RECORD_FAILED)(),
            Status::ExportFailed => t(k::share::EXPORT_FAILED)(),
        })
    };

    let replay = share.replay;
    let replay_text = move || {
        replay.progress.get().map(|p| {
            k::share::link::replaying(
                i18n.locale(),
                decimal::fixed(p.now_s, 0),
                decimal::fixed(p.end_s, 0),
            )
        })
    };
    let replay_share = move || replay.progress.get().map_or(0.0, |p| p.now_s / p.end_s.max(1e-9));

    view! {
        {shown(
            move || replay.progress.with(Option::is_some),
            move || {
                view! {
                    <div class="share-replay-backdrop">
                        <section
                            class="share-notice share-replay"
                            role="dialog"
                            aria-modal="true"
                            aria-labelledby="share-replay-title"
                            data-testid="link-replay"
                        >
                            <h2 id="share-replay-title">{t(k::share::link::REPLAYING_TITLE)}</h2>
                            <p role="status">{dynamic(replay_text)}</p>
                            <progress max="1" prop:value=dynamic(replay_share)></progress>
                            <button
                                type="button"
                                autofocus
                                data-testid="link-replay-stop"
                                on:click=handler(move |_| replay.stop.set(true))
                            >
                                {t(k::share::link::STOP_HERE)}
                            </button>
                        </section>
                    </div>
                }
                .into_any()
            },
        )}
        {shown(
            move || share.link_notices.with(|n| !n.is_empty()),
            move || {
                view! {
                    <section class="share-notice" role="status" data-testid="link-notice">
                        <h2>{t(k::share::link::TITLE)}</h2>
                        <ul>{dynamic(move || link_lines().into_any())}</ul>
                        <p>{t(k::share::link::REST_OPENED)}</p>
                        <button type="button" on:click=handler(move |_| share.link_notices.set(Vec::new()))>
                            {t(k::share::DISMISS)}
                        </button>
                    </section>
                }
                .into_any()
            },
        )}
        {shown(
            move || share.import.with(Option::is_some),
            move || {
                view! {
                    <section class="share-notice share-import" role="status" data-testid="import-report">
                        {dynamic(import_report)}
                        <button type="button" on:click=handler(move |_| share.import.set(None))>
                            {t(k::share::DISMISS)}
                        </button>
                    </section>
                }
                .into_any()
            },
        )}
        {shown(
            move || share.status.with(Option::is_some),
            move || {
                view! {
                    <p class="share-status" role="status" data-testid="share-status">
                        {dynamic(status_text)}
                    </p>
                }
                .into_any()
            },
        )}
        {shown(
            move || share.dragging.get(),
            move || {
                view! {
                    <div class="share-drop" data-testid="drop-zone">
                        <p>{t(k::share::DROP_HINT)}</p>
                    </div>
                }
                .into_any()
            },
        )}
    }
}

/// Drag and drop of a scenario file anywhere on the page.
fn install_drop(share: Share, sim: SimHandle) {
    let has_files = |e: &web_sys::DragEvent| {
        e.data_transfer().is_some_and(|d| {
            d.types().iter().any(|t| t.as_string().is_some_and(|t| t.eq_ignore_ascii_case("files")))
        })
    };
    let over = window_event_listener(leptos::ev::dragover, move |e| {
        if has_files(&e) {
            e.prevent_default();
            share.dragging.set(true);
        }
    });
    let leave = window_event_listener(leptos::ev::dragleave, move |e| {
        // Leaving for another element of the page fires too; only leaving
        // the window (no related target) ends the drag.
        if e.related_target().is_none() {
            share.dragging.set(false);
        }
    });
    let drop = window_event_listener(leptos::ev::drop, move |e| {
        share.dragging.set(false);
        let Some(files) = e.data_transfer().and_then(|d| d.files()) else { return };
        e.prevent_default();
        if files.length() != 1 {
            share.import.set(Some(ImportOutcome::Refused(ImportError::NotOneFile)));
            return;
        }
        if let Some(file) = files.get(0) {
            open_file(file, share, sim);
        }
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop.remove();
    });
}
