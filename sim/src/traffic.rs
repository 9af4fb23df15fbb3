//! Traffic: Poisson arrivals of user requests (a read/write mix, new or
//! resumed TLS sessions) and of attack attempts from the Internet.

use crate::event::RequestKind;
use crate::rng::Rng;
use crate::scenario::Traffic as TrafficSpec;
use crate::validate::{MAX_RATE_QPS, MIN_RATE_QPS};

/// The current traffic settings (changed by commands).
#[derive(Clone, Debug, PartialEq)]
pub struct Traffic {
    /// User requests per second.
    pub rate_qps: f64,
    /// Share of writes.
    pub write_share: f64,
    /// Share of resumed TLS sessions.
    pub resumed_share: f64,
    /// Attack attempts per second (0 = none).
    pub attack_qps: f64,
    /// Port attacked.
    pub attack_port: u16,
}

impl Traffic {
    /// From the scenario (assumed valid; clamped anyway).
    pub fn new(spec: &TrafficSpec) -> Traffic {
        let (attack_qps, attack_port) = spec.attack.map_or((0.0, 3306), |a| (a.qps, a.port));
        Traffic {
            rate_qps: spec.rate_qps.clamp(MIN_RATE_QPS, MAX_RATE_QPS),
            write_share: spec.write_share.clamp(0.0, 1.0),
            resumed_share: spec.resumed_share.clamp(0.0, 1.0),
            attack_qps: attack_qps.clamp(0.0, MAX_RATE_QPS),
            attack_port,
        }
    }

    /// Nanoseconds to the next user request (exponential gap, at least 1).
    #[inline]
    pub fn next_gap_ns(&self, rng: &mut Rng) -> u64 {
        (rng.exp(1e9 / self.rate_qps) as i64 as u64).max(1)
    }

    /// Nanoseconds to the next attack attempt, if attacks are on.
    pub fn next_attack_gap_ns(&self, rng: &mut Rng) -> Option<u64> {
        (self.attack_qps > 0.0).then(|| (rng.exp(1e9 / self.attack_qps) as u64).max(1))
    }

    /// Draws a request's kind and whether its TLS session resumes.
    pub fn draw(&self, rng: &mut Rng) -> (RequestKind, bool) {
        // One 64-bit draw, 32 bits per question: ample precision for a
        // share, at half the generator steps of two `next_f64`.
        const SCALE: f64 = 4_294_967_296.0;
        let bits = rng.next_u64();
        let write = ((bits >> 32) as f64) < self.write_share * SCALE;
        let resumed = ((bits & 0xffff_ffff) as f64) < self.resumed_share * SCALE;
        (if write { RequestKind::Write } else { RequestKind::Read }, resumed)
    }
}
