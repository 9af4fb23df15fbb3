//! Traffic controls: request rate (log slider plus a typed number), share of
//! writes, and attack traffic aimed at one port.

use super::input::{self, Checked, RATE_SLIDER_STEPS};
use super::{Ctx, Refusal};
use crate::erased::{dynamic, effect, handler};
use crate::i18n::{k, t, use_i18n, Locale};
use crate::watched::Watched;
use infraboard_sim::decimal;
use infraboard_sim::{Command, CommandError};
use leptos::prelude::*;

/// Attack traffic sent while the switch is on, in requests per second: enough
/// to show on the charts next to the default user traffic.
const ATTACK_QPS: f64 = 200.0;

/// Why a typed value was not used as typed, shown next to its control.
#[derive(Clone, Debug, PartialEq)]
enum Note {
    Clamped { asked: f64, used: f64 },
    Refused { text: String, kept: f64 },
    PortRefused { text: String, kept: u16 },
}

impl Note {
    fn text(&self, locale: Locale) -> String {
        let n = |v: f64| crate::i18n::format_number(locale, v, 0);
        match self {
            Note::Clamped { asked, used } => {
                k::controls::traffic::clamped(locale, n(*asked), n(*used))
            }
            Note::Refused { text, kept } => {
                k::controls::traffic::refused(locale, input::quote(text), n(*kept))
            }
            Note::PortRefused { text, kept } => {
                k::controls::traffic::port_refused(locale, input::quote(text), kept)
            }
        }
    }
}

/// Request rate, write share and attack traffic.
#[component]
pub fn TrafficControls(
    /// Simulation and live state.
    ctx: Ctx,
) -> impl IntoView {
    let i18n = use_i18n();
    let refused = RwSignal::new(None::<CommandError>);
    let rate = Memo::new(move |_| ctx.live.with(|l| l.rate));
    // What is in the number box: follows the slider, but a refused entry
    // stays visible next to its message until the user edits it.
    let typed = Watched::new(String::new());
    let rate_note = Watched::new(None::<Note>);
    // Enter fires both `change` and the form's `submit`: the second call
    // sees the text already handled and does nothing.
    let handled = StoredValue::new(String::new());
    effect(move || {
        let r = rate.get();
        let shown = crate::i18n::format_number(i18n.locale(), r, 0);
        handled.set_value(shown.clone());
        typed.set(shown);
    });
    let set_rate = move |value: f64| ctx.send(Command::SetRate { qps: value }, refused);
    let on_slider = move |ev: leptos::ev::Event| {
        let pos = event_target_value(&ev).parse::<u32>().unwrap_or(0);
        rate_note.set(None);
        set_rate(input::rate_at_slider(pos));
    };
    let submit_typed = move || {
        let text = typed.get_untracked();
        if text == handled.get_value() {
            return;
        }
        handled.set_value(text.clone());
        let comma_is_decimal = i18n.locale_untracked() == Locale::Fr;
        match input::check_rate(&text, comma_is_decimal) {
            Checked::Ok(v) => {
                rate_note.set(None);
                set_rate(v);
            }
            Checked::Clamped { asked, used } => {
                rate_note.set(Some(Note::Clamped { asked, used }));
                set_rate(used);
            }
            Checked::Refused => {
                rate_note.set(Some(Note::Refused { text, kept: rate.get_untracked() }));
            }
        }
    };

    let writes = Memo::new(move |_| ctx.live.with(|l| l.write_share));
    let on_writes = move |ev: leptos::ev::Event| {
        if let Some(pct) = decimal::parse(&event_target_value(&ev)) {
            let share = (pct / 100.0).clamp(0.0, 1.0);
            ctx.send(Command::SetWriteShare { share }, refused);
        }
    };

    let attack_on = Memo::new(move |_| ctx.live.with(|l| l.attack_qps > 0.0));
    let port = Memo::new(move |_| ctx.live.with(|l| l.attack_port));
    let port_typed = Watched::new(String::new());
    effect(move || port_typed.set(port.get().to_string()));
    let port_note = Watched::new(None::<Note>);
    let send_attack = move |on: bool, port: u16| {
        let qps = if on { ATTACK_QPS } else { 0.0 };
        ctx.send(Command::SetAttack { qps, port }, refused);
    };
    let port_handled = StoredValue::new(String::new());
    let submit_port = move || {
        let text = port_typed.get_untracked();
        if text == port_handled.get_value() {
            return;
        }
        port_handled.set_value(text.clone());
        let kept = port.get_untracked();
        let chosen = match input::check_port(&text) {
            Checked::Ok(v) => {
                port_note.set(None);
                v as u16
            }
            Checked::Clamped { asked, used } => {
                port_note.set(Some(Note::Clamped { asked, used }));
                used as u16
            }
            Checked::Refused => {
                port_note.set(Some(Note::PortRefused { text, kept }));
                return;
            }
        };
        // The port is part of the attack setting: sent even while it is off,
        // so switching it on aims where the box says.
        send_attack(attack_on.get_untracked(), chosen);
        // Enter fires `change` then `submit`: mark the clamped value as
        // handled too, or the second pass takes it as a new, valid entry
        // and wipes the note that says it was clamped.
        port_handled.set_value(chosen.to_string());
        port_typed.set(chosen.to_string());
    };

    view! {
        <fieldset class="ctl-group" data-testid="ctl-traffic">
            <legend>{t(k::controls::traffic::LEGEND)}</legend>
            <div class="ctl-row ctl-rate">
                <label for="ctl-rate-slider">{t(k::controls::traffic::RATE)}</label>
                <input
                    id="ctl-rate-slider"
                    data-testid="rate-slider"
                    type="range"
                    min="0"
                    max=RATE_SLIDER_STEPS
                    step="1"
                    prop:value=dynamic(move || input::slider_at_rate(rate.get()).to_string())
                    aria-valuetext=dynamic(move || i18n.rate(rate.get(), 0))
                    on:input=handler(on_slider)
                />
                <form
                    class="ctl-inline"
                    on:submit=handler(move |ev: web_sys::SubmitEvent| {
                        ev.prevent_default();
                        submit_typed();
                    })
                >
                    <input
                        id="ctl-rate-typed"
                        data-testid="rate-typed"
                        type="text"
                        inputmode="decimal"
                        size="8"
                        aria-label=t(k::controls::traffic::RATE_TYPED)
                        aria-describedby="ctl-rate-note"
                        aria-invalid=dynamic(move || rate_note.with(|n| matches!(n, Some(Note::Refused { .. }))).to_string())
                        prop:value=dynamic(move || typed.get())
                        on:input=handler(move |ev| typed.set(event_target_value(&ev)))
                        on:change=handler(move |_| submit_typed())
                    />
                    <span class="ctl-unit">{t(k::controls::traffic::RATE_UNIT)}</span>
                </form>
                <p id="ctl-rate-note" class="ctl-note" role="status" data-testid="rate-note">
                    {move || rate_note.get().map(|n| n.text(i18n.locale()))}
                </p>
            </div>
            <div class="ctl-row">
                <label for="ctl-writes">{t(k::controls::traffic::WRITES)}</label>
                <input
                    id="ctl-writes"
                    data-testid="writes-slider"
                    type="range"
                    min="0"
                    max="100"
                    step="1"
                    prop:value=dynamic(move || (writes.get() * 100.0).round().to_string())
                    on:input=handler(on_writes)
                />
                <output for="ctl-writes" class="ctl-value">
                    {move || format!("{} %", i18n.number(writes.get() * 100.0, 0))}
                </output>
            </div>
            <div class="ctl-row ctl-attack">
                <label class="ctl-check">
                    <input
                        type="checkbox"
                        data-testid="attack-toggle"
                        prop:checked=dynamic(move || attack_on.get())
                        on:change=handler(move |ev| send_attack(event_target_checked(&ev), port.get_untracked()))
                    />
                    {t(k::controls::traffic::ATTACK_ON)}
                </label>
                <form
                    class="ctl-inline"
                    on:submit=handler(move |ev: web_sys::SubmitEvent| {
                        ev.prevent_default();
                        submit_port();
                    })
                >
                    <label for="ctl-attack-port">{t(k::controls::traffic::ATTACK_PORT)}</label>
                    <input
                        id="ctl-attack-port"
                        data-testid="attack-port"
                        type="text"
                        inputmode="numeric"
                        size="6"
                        aria-describedby="ctl-port-note"
                        prop:value=dynamic(move || port_typed.get())
                        on:input=handler(move |ev| port_typed.set(event_target_value(&ev)))
                        on:change=handler(move |_| submit_port())
                    />
                </form>
                <p id="ctl-port-note" class="ctl-note" role="status" data-testid="port-note">
                    {move || port_note.get().map(|n| n.text(i18n.locale()))}
                </p>
            </div>
            <Refusal note=refused />
        </fieldset>
    }
}
