//! Controls about the machines and how traffic reaches them: the preset,
//! the SSL/TLS mode, the load-balancer algorithm, the database primary and
//! its failover, killing and restoring boxes, and monitoring agents.

use super::{Ctx, Refusal};
use crate::board::node_name;
use crate::erased::{dynamic, handler};
use crate::i18n::{k, t, use_i18n, Locale, Msg};
use crate::sim_driver::use_sim;
use infraboard_sim::{presets, Command, CommandError, Leg, NodeKind, NodeRef};
use infraboard_sim::{FailoverMode, LbAlgorithm, TlsMode};
use leptos::prelude::*;

/// Picks a built-in layout; loading one restarts the run.
#[component]
pub fn PresetPicker() -> impl IntoView {
    let sim = use_sim();
    let i18n = use_i18n();
    let options = presets::names()
        .map(|name| {
            view! {
                <option value=name selected=dynamic(move || sim.preset.get().as_deref() == Some(name))>
                    {move || preset_title(name, i18n.locale())}
                </option>
            }
        })
        .collect_view();
    view! {
        <fieldset class="ctl-group">
            <legend>{t(k::controls::preset::LEGEND)}</legend>
            <div class="ctl-row">
                <label for="ctl-preset">{t(k::controls::preset::LABEL)}</label>
                <select
                    id="ctl-preset"
                    data-testid="preset"
                    on:change=handler(move |ev| sim.load_preset(&event_target_value(&ev)))
                >
                    {options}
                </select>
                <p class="ctl-hint">{t(k::controls::preset::HINT)}</p>
            </div>
        </fieldset>
    }
}

/// A preset's title in words; a preset added to the sim without a title yet
/// shows its machine name rather than nothing.
pub(super) fn preset_title(name: &'static str, locale: Locale) -> &'static str {
    use k::controls::preset::names as n;
    let msg = match name {
        "lb-two-fullstack" => n::LB_TWO_FULLSTACK,
        "three-web-three-firewalls" => n::THREE_WEB_THREE_FIREWALLS,
        "two-web-one-db" => n::TWO_WEB_ONE_DB,
        "tiered-flow" => n::TIERED_FLOW,
        "three-identical" => n::THREE_IDENTICAL,
        "lb-two-fullstack-reencrypt" => n::LB_TWO_FULLSTACK_REENCRYPT,
        "lb-two-fullstack-auto-failover" => n::LB_TWO_FULLSTACK_AUTO_FAILOVER,
        "split-tiers" => n::SPLIT_TIERS,
        "lb-pair-active-passive" => n::LB_PAIR_ACTIVE_PASSIVE,
        "lb-pair-active-active" => n::LB_PAIR_ACTIVE_ACTIVE,
        "split-tiers-pools" => n::SPLIT_TIERS_POOLS,
        "big-day" => n::BIG_DAY,
        other => return other,
    };
    msg.text(locale)
}

/// A group of radio buttons for one closed choice; arrow keys move within it.
/// Each option is the command that picks it, and the simulation's current
/// setting is that same command: one component for every choice (a generic
/// one was compiled again for each setting's type).
#[component]
fn Choice(
    /// Visible title of the group.
    legend: Msg,
    /// `name` shared by the radio inputs.
    name: &'static str,
    /// Each option's command, label and test id.
    options: Vec<(Command, Msg, &'static str)>,
    /// The command that would pick what the simulation has now.
    current: Signal<Command>,
    /// Where the control lives.
    ctx: Ctx,
) -> impl IntoView {
    let note = RwSignal::new(None::<CommandError>);
    let radios = options
        .into_iter()
        .map(|(value, label, testid)| {
            let picked = value.clone();
            view! {
                <label class="ctl-radio">
                    <input
                        type="radio"
                        name=name
                        data-testid=testid
                        prop:checked=dynamic(move || current.with(|c| *c == picked))
                        on:change=handler(move |_| ctx.send(value.clone(), note))
                    />
                    {t(label)}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="ctl-group ctl-choice">
            <legend>{t(legend)}</legend>
            {radios}
            <Refusal note=note />
        </fieldset>
    }
}

/// SSL/TLS mode, plus the plaintext hops behind the load balancer that the
/// traffic actually took (the latest hop on each link): links the sim's
/// topology puts on the backend leg, from the load balancer to a server.
#[component]
pub fn TlsControls(
    /// Simulation and live state.
    ctx: Ctx,
) -> impl IntoView {
    let sim = ctx.sim;
    let i18n = use_i18n();
    let plaintext = Memo::new(move |_| {
        sim.with_sim(|s| {
            let topology = s.topology();
            sim.frame.with(|f| {
                f.links
                    .iter()
                    .filter(|l| l.hops > 0 && !l.encrypted)
                    .map(|l| (l.from as usize, l.to as usize))
                    .filter(|&(from, to)| topology.on_leg(Leg::Backend, from, to))
                    .collect::<Vec<_>>()
            })
        })
    });
    let options = vec![
        (Command::SetTls(TlsMode::Terminate), k::controls::tls::TERMINATE, "tls-terminate"),
        (Command::SetTls(TlsMode::Reencrypt), k::controls::tls::REENCRYPT, "tls-reencrypt"),
        (Command::SetTls(TlsMode::Passthrough), k::controls::tls::PASSTHROUGH, "tls-passthrough"),
    ];
    let hop_names = move || {
        let locale = i18n.locale();
        plaintext.with(|p| {
            if p.is_empty() {
                return i18n.tr(k::controls::tls::PLAINTEXT_NONE).to_string();
            }
            sim.with_design(|s| {
                let names: Vec<String> = p
                    .iter()
                    .map(|&(a, b)| {
                        format!("{} → {}", node_name(s, a, locale), node_name(s, b, locale))
                    })
                    .collect();
                k::controls::tls::hop_list(locale, p.len(), names.join(", "))
            })
        })
    };
    view! {
        <div class="ctl-tls">
            <Choice
                legend=k::controls::tls::LEGEND
                name="ctl-tls"
                options=options
                current=Signal::derive(move || Command::SetTls(ctx.live.with(|l| l.tls)))
                ctx=ctx
            />
            <p class="ctl-plaintext" data-testid="plaintext-hops" data-count=dynamic(move || plaintext.with(|p| p.len()))>
                <span>{t(k::controls::tls::PLAINTEXT_HOPS)}</span>
                " "
                <strong class:bad=dynamic(move || plaintext.with(|p| !p.is_empty()))>{hop_names}</strong>
            </p>
        </div>
    }
}

/// The load balancer's algorithm.
#[component]
pub fn LbControls(
    /// Simulation and live state.
    ctx: Ctx,
) -> impl IntoView {
    let options = vec![
        (
            Command::SetLbAlgorithm(LbAlgorithm::RoundRobin),
            k::controls::lb::ROUNDROBIN,
            "lb-roundrobin",
        ),
        (
            Command::SetLbAlgorithm(LbAlgorithm::LeastConn),
            k::controls::lb::LEASTCONN,
            "lb-leastconn",
        ),
        (Command::SetLbAlgorithm(LbAlgorithm::RandomOfTwo), k::controls::lb::RANDOM2, "lb-random2"),
    ];
    view! {
        <Choice
            legend=k::controls::lb::ALGORITHM
            name="ctl-lb"
            options=options
            current=Signal::derive(move || Command::SetLbAlgorithm(ctx.live.with(|l| l.algorithm)))
            ctx=ctx
        />
    }
}

/// The MySQL primary: kill it, promote the replica, bring the failed one
/// back, and choose manual or automatic failover.
#[component]
pub fn DatabaseControls(
    /// Simulation and live state.
    ctx: Ctx,
) -> impl IntoView {
    let sim = ctx.sim;
    let i18n = use_i18n();
    let note = RwSignal::new(None::<CommandError>);
    let primary_up = move || ctx.live.with(|l| l.primary_up);
    let state = move || {
        let locale = i18n.locale();
        let (up, node) = ctx.live.with(|l| (l.primary_up, l.primary_node));
        let host = node.map(|n| sim.with_design(|s| node_name(s, n, locale))).unwrap_or_default();
        let word = if up { k::controls::machines::UP } else { k::controls::machines::DOWN };
        k::controls::db::primary_on(locale, word.text(locale), host)
    };
    let primary_id = move || {
        let node = ctx.live.with(|l| l.primary_node);
        node.and_then(|n| sim.with_design(|s| s.nodes.get(n).map(|n| n.id.clone())))
    };
    let failover_options = vec![
        (
            Command::SetFailover(FailoverMode::Manual),
            k::controls::db::FAILOVER_MANUAL,
            "failover-manual",
        ),
        (Command::SetFailover(FailoverMode::Auto), k::controls::db::FAILOVER_AUTO, "failover-auto"),
    ];
    view! {
        <fieldset class="ctl-group" data-testid="ctl-db">
            <legend>{t(k::controls::db::LEGEND)}</legend>
            <p
                class="ctl-state"
                class:bad=dynamic(move || !primary_up())
                data-testid="primary-state"
                data-up=dynamic(move || primary_up().to_string())
                data-node=primary_id
            >
                {state}
            </p>
            <div class="ctl-row ctl-buttons">
                <button
                    type="button"
                    data-testid="kill-primary"
                    aria-pressed=dynamic(move || (!primary_up()).to_string())
                    on:click=handler(move |_| ctx.send(Command::Kill(NodeRef::PrimaryDb), note))
                >
                    {t(k::controls::db::KILL_PRIMARY)}
                </button>
                <button
                    type="button"
                    data-testid="promote"
                    on:click=handler(move |_| ctx.send(Command::Promote(NodeRef::ReplicaDb), note))
                >
                    {t(k::controls::db::PROMOTE)}
                </button>
                <button
                    type="button"
                    data-testid="restore-primary"
                    on:click=handler(move |_| ctx.send(Command::Restore(NodeRef::PrimaryDb), note))
                >
                    {t(k::controls::db::RESTORE_PRIMARY)}
                </button>
                <Refusal note=note />
            </div>
            <Choice
                legend=k::controls::db::FAILOVER
                name="ctl-failover"
                options=failover_options
                current=Signal::derive(move || Command::SetFailover(ctx.live.with(|l| l.failover)))
                ctx=ctx
            />
        </fieldset>
    }
}

/// Kill / restore the load balancer and each server, and switch their
/// monitoring agents.
#[component]
pub fn MachineControls(
    /// Simulation and live state.
    ctx: Ctx,
) -> impl IntoView {
    let sim = ctx.sim;
    let rows = move || {
        sim.with_design(|s| {
            s.nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| matches!(n.kind, NodeKind::LoadBalancer | NodeKind::Server))
                .map(|(index, n)| view! { <MachineRow ctx=ctx index=index id=n.id.clone() agent=n.agent /> })
                .collect_view()
        })
    };
    view! {
        <fieldset class="ctl-group" data-testid="ctl-machines">
            <legend>{t(k::controls::machines::LEGEND)}</legend>
            <ul class="ctl-machines">{rows}</ul>
        </fieldset>
    }
}

/// One box: its state, a kill/restore button and its agent switch.
#[component]
fn MachineRow(
    /// Simulation and live state.
    ctx: Ctx,
    /// Node index.
    index: usize,
    /// Node id.
    id: String,
    /// Whether the box has a monitoring agent at all.
    agent: bool,
) -> impl IntoView {
    let sim = ctx.sim;
    let i18n = use_i18n();
    let note = RwSignal::new(None::<CommandError>);
    let name = move || sim.with_design(|s| node_name(s, index, i18n.locale()));
    let down = move || ctx.live.with(|l| !l.up.get(index).copied().unwrap_or(true));
    let agent_on = move || ctx.live.with(|l| l.agent_on.get(index).copied().unwrap_or(false));
    let node = StoredValue::new(id.clone());
    let toggle = move |_| {
        let r = NodeRef::Id(node.get_value());
        ctx.send(if down() { Command::Restore(r) } else { Command::Kill(r) }, note);
    };
    // A pool's boxes die and come back one at a time too (the sim's
    // kill-one / restore-one); the main button still takes the whole pool.
    let pool = sim.scenario.with_untracked(|s| s.nodes[index].count.is_some_and(|c| c > 1));
    let one_box = pool.then(|| {
        let one = move |kill: bool| {
            let r = NodeRef::Id(node.get_value());
            ctx.send(if kill { Command::KillOne(r) } else { Command::RestoreOne(r) }, note);
        };
        view! {
            <button
                type="button"
                data-testid=format!("kill-one-{id}")
                aria-label=dynamic(move || k::controls::machines::kill_one_named(i18n.locale(), name()))
                on:click=handler(move |_| one(true))
            >
                {t(k::controls::machines::KILL_ONE)}
            </button>
            <button
                type="button"
                data-testid=format!("restore-one-{id}")
                aria-label=dynamic(move || k::controls::machines::restore_one_named(i18n.locale(), name()))
                on:click=handler(move |_| one(false))
            >
                {t(k::controls::machines::RESTORE_ONE)}
            </button>
        }
    });
    let agent_switch = agent.then(|| {
        view! {
            <label class="ctl-check ctl-agent">
                <input
                    type="checkbox"
                    data-testid=format!("agent-{id}")
                    prop:checked=agent_on
                    on:change=handler(move |ev| {
                        let on = event_target_checked(&ev);
                        ctx.send(Command::SetAgent { node: NodeRef::Id(node.get_value()), on }, note);
                    })
                />
                {move || k::controls::machines::agent_named(i18n.locale(), name())}
            </label>
        }
    });
    view! {
        <li class="ctl-machine" data-node=id.clone() class:down=down>
            <span class="ctl-machine-name">{name}</span>
            <span class="ctl-state">
                {move || i18n.tr(if down() { k::controls::machines::DOWN } else { k::controls::machines::UP })}
            </span>
            <button
                type="button"
                data-testid=format!("kill-{id}")
                aria-pressed=dynamic(move || down().to_string())
                aria-label=dynamic(move || {
                    if down() {
                        k::controls::machines::restore_named(i18n.locale(), name())
                    } else {
                        k::controls::machines::kill_named(i18n.locale(), name())
                    }
                })
                on:click=handler(toggle)
            >
                {move || i18n.tr(if down() { k::controls::machines::RESTORE } else { k::controls::machines::KILL })}
            </button>
            {one_box}
            {agent_switch}
            <Refusal note=note />
        </li>
    }
}
