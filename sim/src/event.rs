//! What the simulation reports: a closed set of events drained by the caller.

use crate::time::SimTime;

/// What a request does to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// A page view that only reads.
    Read,
    /// A request that writes (sign-up, order, comment …).
    Write,
}

/// One thing that happened, in time order.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A request crossed one link of the diagram.
    Hop {
        /// Request id, unique within a run.
        request: u64,
        /// Read or write.
        kind: RequestKind,
        /// Index of the node it left (in `Scenario::nodes`).
        from: usize,
        /// Index of the node it reached.
        to: usize,
        /// When it left `from`.
        depart: SimTime,
        /// When it reaches `to`.
        arrive: SimTime,
        /// Whether the user's data was encrypted on this link.
        encrypted: bool,
    },
    /// A request got its response.
    Served {
        /// Request id.
        request: u64,
        /// When the response left the load balancer.
        at: SimTime,
    },
}
