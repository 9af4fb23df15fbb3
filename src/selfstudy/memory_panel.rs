//! The draw-from-memory panel: an empty board of places, a palette of
//! pieces, and "check" against the chosen preset. Keyboard first: pick a
//! piece (a toggle button), then press "place here" on a place; every
//! placed piece is a button that removes it.

use super::memory::{compare, expected, places, Check, Finding, Piece, Place};
use super::progress::ProgressStore;
use crate::controls::preset_title;
use crate::erased::dynamic;
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use infraboard_sim::presets;
use leptos::prelude::*;

fn piece_msg(p: Piece) -> Msg {
    use k::selfstudy::memory::piece as m;
    match p {
        Piece::Dns => m::DNS,
        Piece::Firewall => m::FIREWALL,
        Piece::LoadBalancer => m::LOAD_BALANCER,
        Piece::Certificate => m::CERTIFICATE,
        Piece::Nginx => m::NGINX,
        Piece::App => m::APP,
        Piece::MysqlPrimary => m::MYSQL_PRIMARY,
        Piece::MysqlReplica => m::MYSQL_REPLICA,
        Piece::Agent => m::AGENT,
        Piece::MonitoringService => m::MONITORING,
    }
}

fn place_name(p: Place, l: Locale) -> String {
    use k::selfstudy::memory::place as m;
    match p {
        Place::Internet => m::INTERNET.text(l).to_string(),
        Place::Edge => m::EDGE.text(l).to_string(),
        Place::Server(n) => k::board::node::server_n(l, n),
        Place::Ops => m::OPS.text(l).to_string(),
    }
}

fn finding_text(f: Finding, l: Locale) -> String {
    use k::selfstudy::memory::finding as m;
    let piece = |p: Piece| piece_msg(p).text(l);
    match f {
        Finding::Missing(p, at) => m::missing(l, piece(p), place_name(at, l)),
        Finding::Extra(p, at) => m::extra(l, piece(p), place_name(at, l)),
        Finding::Misplaced { piece: p, found, expected } => {
            m::misplaced(l, piece(p), place_name(found, l), place_name(expected, l))
        }
        Finding::Unguarded { place, guarded } => {
            m::unguarded(l, place_name(place, l), piece(guarded))
        }
    }
}

/// The empty board, the palette and the check.
#[component]
pub(super) fn MemoryPanel(store: ProgressStore) -> impl IntoView {
    let i18n = use_i18n();
    let preset = RwSignal::new(presets::DEFAULT);
    let picked = RwSignal::new(None::<Piece>);
    let placed = RwSignal::new(Vec::<(Piece, Place)>::new());
    let check = RwSignal::new(None::<Check>);
    let scenario =
        Memo::new(move |_| presets::get(preset.get()).unwrap_or_else(presets::default_scenario));
    let run_check = move |_| {
        let c = scenario.with(|s| compare(&expected(s), &placed.get_untracked()));
        store.update(|p| p.record_memory(c.score));
        check.set(Some(c));
    };

    let palette = Piece::ALL
        .iter()
        .map(|&piece| {
            view! {
                <button
                    class="memory-piece"
                    data-testid=format!("memory-piece-{}", piece.slug())
                    // Not the bare piece name: the board's own node carries that name.
                    aria-label=dynamic(move || k::selfstudy::memory::pick(i18n.locale(), i18n.tr(piece_msg(piece))))
                    aria-pressed=dynamic(move || (picked.get() == Some(piece)).to_string())
                    on:click=move |_| picked.update(|p| *p = if *p == Some(piece) { None } else { Some(piece) })
                >
                    {t(piece_msg(piece))}
                </button>
            }
        })
        .collect_view();

    let board = move || {
        scenario.with(places).into_iter().map(|place| {
            let here = move || {
                placed.with(|v| v.iter().enumerate().filter(|(_, (_, at))| *at == place).map(|(i, (p, _))| (i, *p)).collect::<Vec<_>>())
            };
            view! {
                <li class="memory-place" data-testid=format!("memory-place-{}", place.slug())>
                    <h3>{move || place_name(place, i18n.locale())}</h3>
                    <ul class="memory-placed">
                        {move || here().into_iter().map(|(i, piece)| view! {
                            <li>
                                <button
                                    class="memory-chip"
                                    aria-label=dynamic(move || k::selfstudy::memory::remove(i18n.locale(), i18n.tr(piece_msg(piece)), place_name(place, i18n.locale())))
                                    on:click=move |_| {
                                        placed.update(|v| { if i < v.len() { v.remove(i); } });
                                        check.set(None);
                                    }
                                >
                                    {t(piece_msg(piece))}
                                    <span aria-hidden="true">" ×"</span>
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <button
                        class="memory-drop"
                        data-testid=format!("memory-drop-{}", place.slug())
                        disabled=dynamic(move || picked.get().is_none())
                        aria-label=dynamic(move || match picked.get() {
                            Some(p) => k::selfstudy::memory::put(i18n.locale(), i18n.tr(piece_msg(p)), place_name(place, i18n.locale())),
                            None => i18n.tr(k::selfstudy::memory::PICK_FIRST).to_string(),
                        })
                        on:click=move |_| {
                            if let Some(p) = picked.get_untracked() {
                                placed.update(|v| v.push((p, place)));
                                check.set(None);
                            }
                        }
                    >
                        {t(k::selfstudy::memory::PLACE_HERE)}
                    </button>
                </li>
            }
        }).collect_view()
    };

    let result = move || {
        check.get().map(|c| {
            let l = i18n.locale();
            view! {
                <div class="memory-result" role="status" data-testid="memory-result" data-score=c.score data-findings=c.findings.len()>
                    <p class="memory-score">
                        {k::selfstudy::memory::score(l, c.right, c.expected, c.score)}
                    </p>
                    {if c.findings.is_empty() {
                        view! { <p>{t(k::selfstudy::memory::PERFECT)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="memory-findings">
                                {c.findings.iter().map(|f| {
                                    let kind = match f {
                                        Finding::Missing(..) => "missing",
                                        Finding::Extra(..) => "extra",
                                        Finding::Misplaced { .. } => "misplaced",
                                        Finding::Unguarded { .. } => "unguarded",
                                    };
                                    view! { <li data-kind=kind>{finding_text(*f, l)}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
            }
        })
    };

    view! {
        <section class="study-panel selfstudy-memory" aria-labelledby="memory-title" data-testid="memory">
            <header class="study-head">
                <h2 id="memory-title">{t(k::selfstudy::memory::TITLE)}</h2>
            </header>
            <p class="study-hint">{t(k::selfstudy::memory::INTRO)}</p>
            <label class="memory-preset">
                {t(k::selfstudy::memory::LAYOUT)}
                <select
                    data-testid="memory-preset"
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        if let Some(name) = presets::names().find(|n| *n == v) {
                            preset.set(name);
                            check.set(None);
                        }
                    }
                >
                    {presets::names().map(|name| view! {
                        <option value=name selected=dynamic(move || preset.get() == name)>
                            {dynamic(move || preset_title(name, i18n.locale()))}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <div class="memory-palette" role="group" aria-label=t(k::selfstudy::memory::PALETTE)>
                {palette}
            </div>
            <ul class="memory-board" aria-label=t(k::selfstudy::memory::BOARD)>{board}</ul>
            <div class="topic-actions">
                <button class="study-primary" data-testid="memory-check" on:click=run_check>
                    {t(k::selfstudy::memory::CHECK)}
                </button>
                <button
                    data-testid="memory-clear"
                    on:click=move |_| {
                        placed.set(Vec::new());
                        check.set(None);
                    }
                >
                    {t(k::selfstudy::memory::CLEAR)}
                </button>
            </div>
            {result}
        </section>
    }
}
