//! The network between two places: the firewalls' verdict on a way
//! (remembered per way and port until the next command), the time the way
//! takes, and the `Hop` events of a sampled request.

use super::pending::{PackedReason, Pending, Req};
use super::{push_event, Simulation};
use crate::event::{DropReason, Event, RequestKind};
use crate::firewall::Verdict;
use crate::time::SimTime;

/// The firewalls' verdict on one way through the network, for one port.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct RouteVerdict {
    /// The port it holds for; `None` until computed.
    port: Option<u16>,
    /// How many firewalls of the way let the packet through.
    passed: u8,
    /// Why the next one stops it, or `None` if none does.
    stop: Option<PackedReason>,
    /// Whether its links are already marked as crossed in plaintext
    /// (marking them again would change nothing).
    plain_marked: bool,
}

impl RouteVerdict {
    pub(super) const UNKNOWN: RouteVerdict =
        RouteVerdict { port: None, passed: 0, stop: None, plain_marked: false };
}

impl Simulation {
    /// The firewalls' verdict on the way from `from` to `to` for `port`:
    /// how many let it through, and why the next one stops it (if one does).
    #[inline]
    fn route(&mut self, from: usize, to: usize, port: u16) -> RouteVerdict {
        let i = from * self.topo.len() + to;
        let known = self.routes[i];
        if known.port == Some(port) {
            return known;
        }
        let topo = &*self.topo;
        let crossings = topo.crossings(from, to);
        let mut verdict = RouteVerdict {
            port: Some(port),
            passed: crossings.len() as u8,
            stop: None,
            plain_marked: false,
        };
        for (j, &k) in crossings.iter().enumerate() {
            let fw_node = topo.firewall_nodes[k as usize];
            let reason = if !self.node_up[fw_node] {
                // A dead firewall passes nothing.
                Some(DropReason::NodeDown)
            } else {
                match self.firewalls[k as usize].check(from, topo.zones[from], port) {
                    Verdict::Allow => None,
                    Verdict::DeniedByRule(rule) => {
                        Some(DropReason::FirewallRule { firewall: fw_node, rule })
                    }
                    Verdict::DefaultDeny => {
                        Some(DropReason::FirewallDefaultDeny { firewall: fw_node, port })
                    }
                }
            };
            if let Some(reason) = reason {
                verdict.passed = j as u8;
                verdict.stop = Some(PackedReason::pack(reason));
                break;
            }
        }
        self.routes[i] = verdict;
        verdict
    }

    /// Moves a request from `from` to `to` leaving at `depart`, through the
    /// firewalls in between. Emits the hops (if sampled); on a drop schedules
    /// it where it happens and returns `None`, else the arrival time.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(super) fn travel(
        &mut self,
        req: Req,
        from: usize,
        to: usize,
        depart: SimTime,
        port: u16,
        encrypted: bool,
        first_leg_ns: u64,
    ) -> Option<SimTime> {
        let route = self.route(from, to, port);
        let plain = !encrypted && req.kind != RequestKind::Attack;
        if req.sampled || (plain && !route.plain_marked) {
            return self.travel_hop_by_hop(req, from, to, depart, port, encrypted, first_leg_ns);
        }
        // Nothing to report or mark on the way: only its length matters.
        let lan = self.topo.lan_ns;
        let legs = u64::from(route.passed);
        let at = depart.plus_nanos(first_leg_ns).plus_nanos(legs * (lan / 2));
        match route.stop {
            Some(reason) => {
                let k = self.topo.crossings(from, to)[usize::from(route.passed)];
                let fw = self.topo.firewall_nodes[k as usize];
                self.queue.push(at, Pending::Drop(req, fw as u16, reason));
                None
            }
            None => Some(at),
        }
    }

    /// [`Simulation::travel`] link by link: reports each hop of a sampled
    /// request, marks plaintext links.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    fn travel_hop_by_hop(
        &mut self,
        req: Req,
        from: usize,
        to: usize,
        depart: SimTime,
        port: u16,
        encrypted: bool,
        first_leg_ns: u64,
    ) -> Option<SimTime> {
        let route = self.route(from, to, port);
        let (passed, stop) = (usize::from(route.passed), route.stop);
        let sampled = req.sampled;
        // Borrow the topology field by field (no Arc clone on the hot path).
        let topo = &*self.topo;
        let lan = topo.lan_ns;
        let mut at = depart;
        let mut here = from;
        let mut leg = first_leg_ns;
        let plain = !encrypted && req.kind != RequestKind::Attack;
        let crossings = topo.crossings(from, to);
        // The firewalls passed, then the one that stops it or `to`.
        let last =
            if stop.is_some() { topo.firewall_nodes[crossings[passed] as usize] } else { to };
        let through = crossings[..passed].iter().map(|&k| topo.firewall_nodes[k as usize]);
        for next in through.chain(std::iter::once(last)) {
            let arrive = at.plus_nanos(leg);
            if sampled {
                push_event(
                    &mut self.out,
                    &mut self.events_forgotten,
                    Event::Hop {
                        request: req.id,
                        kind: req.kind,
                        from: here,
                        to: next,
                        depart: at,
                        arrive,
                        encrypted,
                    },
                );
            }
            if plain {
                self.metrics.plaintext[here].insert(next);
            }
            at = arrive;
            here = next;
            leg = lan / 2;
        }
        if plain {
            let i = from * self.topo.len() + to;
            self.routes[i].plain_marked = true;
        }
        match stop {
            Some(reason) => {
                self.queue.push(at, Pending::Drop(req, last as u16, reason));
                None
            }
            None => Some(at),
        }
    }
}
