//! The controls panel: every switch a user flips to break or fix the
//! infrastructure, each one visible, labelled, reachable by keyboard and
//! undone by its opposite.
//!
//! Controls never keep their own copy of a setting: they show what the
//! running simulation reports ([`Live`], re-read whenever the driver
//! publishes), and change it only by sending a sim `Command` through
//! [`SimHandle::apply`]. So after a restart, a preset change or a jump back
//! on the timeline they show the truth without any reset logic. A refused
//! command is shown in words next to the control that sent it.

mod firewall;
pub mod input;
mod machines;
mod traffic;

use crate::i18n::{k, t, Locale};
use crate::sim_driver::{use_sim, SimHandle};
use infraboard_sim::{
    Command, CommandError, FailoverMode, LbAlgorithm, NodeKind, Origin, RuleSpec, Simulation,
    TlsMode,
};
use leptos::prelude::*;

/// The settings and states the controls show, read from the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    /// Where TLS ends.
    pub tls: TlsMode,
    /// Manual or automatic failover.
    pub failover: FailoverMode,
    /// HAProxy's algorithm.
    pub algorithm: LbAlgorithm,
    /// User requests per second.
    pub rate: f64,
    /// Share of writes, 0 to 1.
    pub write_share: f64,
    /// Attack attempts per second (0 = off).
    pub attack_qps: f64,
    /// Port attacked.
    pub attack_port: u16,
    /// Per node: up (not killed).
    pub up: Vec<bool>,
    /// Per node: a monitoring agent is switched on there.
    pub agent_on: Vec<bool>,
    /// The node of the current MySQL primary.
    pub primary_node: Option<usize>,
    /// Whether the current primary takes writes.
    pub primary_up: bool,
    /// Whether some MySQL process is down (there is something to restore).
    pub some_db_down: bool,
    /// Per firewall node: its live rule table.
    pub rules: Vec<(usize, Vec<RuleSpec>)>,
}

impl Live {
    fn read(sim: &Simulation) -> Live {
        let scenario = sim.scenario();
        let n = scenario.nodes.len();
        let traffic = sim.traffic();
        let dbs = sim.databases();
        Live {
            tls: sim.tls_mode(),
            failover: sim.failover_mode(),
            algorithm: sim.load_balancer().algorithm,
            rate: traffic.rate_qps,
            write_share: traffic.write_share,
            attack_qps: traffic.attack_qps,
            attack_port: traffic.attack_port,
            up: (0..n).map(|i| sim.is_up(i)).collect(),
            agent_on: (0..n).map(|i| sim.cpu_box(i).is_some_and(|b| b.agent_on)).collect(),
            primary_node: sim.primary_node(),
            primary_up: dbs.iter().any(|d| d.primary && d.up),
            some_db_down: dbs.iter().any(|d| !d.up),
            rules: (0..n)
                .filter(|&i| scenario.nodes[i].kind == NodeKind::Firewall)
                .filter_map(|i| {
                    let fw = sim.firewall(i)?;
                    Some((i, fw.rules.iter().map(|r| r.to_spec(scenario)).collect()))
                })
                .collect(),
        }
    }
}

/// What every control needs: the simulation handle and its live state.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The running simulation.
    pub sim: SimHandle,
    /// Its settings and states, refreshed with every published frame.
    pub live: Memo<Live>,
}

impl Ctx {
    fn new(sim: SimHandle) -> Ctx {
        let live = Memo::new(move |_| sim.with_sim(Live::read));
        Ctx { sim, live }
    }

    /// Sends a command; a refusal is written into `note` (cleared on success).
    pub fn send(&self, command: Command, note: RwSignal<Option<CommandError>>) {
        note.set(self.sim.apply(command, Origin::Control).err());
    }
}

/// A refused command in words.
pub fn refusal(e: &CommandError, locale: Locale) -> String {
    use k::controls::refused as r;
    match e {
        CommandError::UnknownNode(n) => r::unknown_node(locale, n),
        CommandError::NoSuchRole(_) => r::NO_SUCH_ROLE.text(locale).to_string(),
        CommandError::CannotKill(n) => r::cannot_kill(locale, n),
        CommandError::AlreadyDown(n) => r::already_down(locale, n),
        CommandError::AlreadyUp(n) => r::already_up(locale, n),
        CommandError::NotAReplica(n) => r::not_a_replica(locale, n),
        CommandError::PrimaryStillUp => r::PRIMARY_STILL_UP.text(locale).to_string(),
        CommandError::NotAFirewall(n) => r::not_a_firewall(locale, n),
        CommandError::NotABox(n) => r::not_a_box(locale, n),
        CommandError::NotAPool(n) => r::not_a_pool(locale, n),
        CommandError::RuleIndexOutOfRange { index, len } => r::rule_index(locale, index + 1, len),
        CommandError::TooManyRules => r::TOO_MANY_RULES.text(locale).to_string(),
        CommandError::OutOfRange { min, max, .. } => r::out_of_range(
            locale,
            crate::i18n::format_number(locale, *min, 0),
            crate::i18n::format_number(locale, *max, 0),
        ),
    }
}

/// The refusal message slot next to a control.
#[component]
pub fn Refusal(
    /// The latest refusal of this control, if any.
    note: RwSignal<Option<CommandError>>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! {
        <p class="ctl-note" role="status">
            {move || note.with(|n| n.as_ref().map(|e| refusal(e, i18n.locale())))}
        </p>
    }
}

/// The whole controls panel.
#[component]
pub fn ControlsPanel() -> impl IntoView {
    let ctx = Ctx::new(use_sim());
    view! {
        <section class="ctl-panel" aria-labelledby="ctl-title" data-testid="controls">
            <h2 id="ctl-title" class="ctl-title">{t(k::controls::TITLE)}</h2>
            <machines::PresetPicker />
            <traffic::TrafficControls ctx=ctx />
            <machines::TlsControls ctx=ctx />
            <machines::LbControls ctx=ctx />
            <machines::DatabaseControls ctx=ctx />
            <machines::MachineControls ctx=ctx />
            <firewall::FirewallControls ctx=ctx />
        </section>
    }
}
