//! What the engine's queue holds: the scheduled steps of the requests in
//! flight (each carrying its request by value) and the recurring work.

use crate::event::{DropReason, RequestKind};
use crate::time::SimTime;

/// "No index yet" in a request's one-byte database field.
pub(super) const NONE8: u8 = u8::MAX;
/// "No backend yet" in a request's backend field.
pub(super) const NONE16: u16 = u16::MAX;

/// One request in flight, carried by value inside queued events.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Req {
    pub(super) id: u64,
    pub(super) start: SimTime,
    pub(super) kind: RequestKind,
    pub(super) resumed: bool,
    /// Whether it shows in the animation stream (decided when it starts,
    /// so a dot never vanishes half-way when the sampling rate changes).
    pub(super) sampled: bool,
    /// Which load balancer of a pair the user's connection went to: 0 the
    /// VIP holder or the first, 1 the second of an active-active pair.
    pub(super) lb: u8,
    /// Index into the load balancer's backends (a pool's servers one by
    /// one), or NONE16.
    pub(super) backend: u16,
    /// Index into the app tier's boxes (split tiers) once the web box
    /// handed it over, or NONE16.
    pub(super) app: u16,
    /// Index into the database instances, or NONE8.
    pub(super) db: u8,
    /// Epoch of the box holding it (web, then app box) when it got there
    /// (16 bits: a box would have to die 65,536 times while one request
    /// is in flight for two to be confused).
    pub(super) epoch: u16,
    /// Epoch of the MySQL instance (and its box) when the query reached it.
    pub(super) db_epoch: u16,
}

/// A [`DropReason`] packed small, so that queued events stay small.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PackedReason(u8, u16, u16);

impl PackedReason {
    pub(super) fn pack(r: DropReason) -> PackedReason {
        match r {
            DropReason::FirewallRule { firewall, rule } => {
                PackedReason(0, firewall as u16, rule as u16)
            }
            DropReason::FirewallDefaultDeny { firewall, port } => {
                PackedReason(1, firewall as u16, port)
            }
            DropReason::NoHealthyBackend => PackedReason(2, 0, 0),
            DropReason::PrimaryDown => PackedReason(3, 0, 0),
            DropReason::NoDatabase => PackedReason(4, 0, 0),
            DropReason::NodeDown => PackedReason(5, 0, 0),
            DropReason::Timeout => PackedReason(6, 0, 0),
            DropReason::DnsFailure => PackedReason(7, 0, 0),
            DropReason::VipOnDeadMaster => PackedReason(8, 0, 0),
            DropReason::PinnedToDeadLb => PackedReason(9, 0, 0),
        }
    }

    pub(super) fn unpack(self) -> DropReason {
        let PackedReason(code, a, b) = self;
        match code {
            0 => DropReason::FirewallRule { firewall: a.into(), rule: b.into() },
            1 => DropReason::FirewallDefaultDeny { firewall: a.into(), port: b },
            2 => DropReason::NoHealthyBackend,
            3 => DropReason::PrimaryDown,
            4 => DropReason::NoDatabase,
            5 => DropReason::NodeDown,
            6 => DropReason::Timeout,
            7 => DropReason::DnsFailure,
            8 => DropReason::VipOnDeadMaster,
            _ => DropReason::PinnedToDeadLb,
        }
    }
}

/// One entry of the engine's queue. The next user arrival is not one: it
/// is always there, so [`super::Simulation`] keeps its time in a field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Pending {
    AttackArrival,
    AtLb(Req),
    AtServer(Req),
    /// At an app box of split tiers, from a web box.
    AtApp(Req),
    AtDb(Req),
    DbDone(Req),
    Drop(Req, u16, PackedReason),
    AttackReach(Req, u16, u16),
    SecondTick,
    HealthCheck,
    ReplicationTick,
    AgentSample(u8),
    Deliver,
    AutoPromote(u32),
    /// The VIP holder of a load-balancer pair sends its VRRP advert.
    VrrpAdvert,
    /// The backup's master-down timer, armed by the advert of that
    /// generation; a later advert makes it stale.
    VrrpMasterDown(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_events_stay_small() {
        // The hot path moves these around the heap: keep them compact.
        assert!(std::mem::size_of::<Pending>() <= 48, "{}", std::mem::size_of::<Pending>());
    }
}
