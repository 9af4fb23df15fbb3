//! TLS: where it ends and what it costs.
//!
//! The handshake costs are HAProxy's published figures for RSA-2048: about
//! 1,300 full and 13,000 resumed handshakes per second per core, i.e.
//! ≈ 0.77 ms and ≈ 0.08 ms of CPU each.

use crate::scenario::TlsMode;

/// CPU for a full handshake (new session), nanoseconds.
pub const FULL_HANDSHAKE_NS: u64 = 770_000;
/// CPU for a resumed session, nanoseconds.
pub const RESUMED_HANDSHAKE_NS: u64 = 80_000;

fn handshake(resumed: bool) -> u64 {
    if resumed {
        RESUMED_HANDSHAKE_NS
    } else {
        FULL_HANDSHAKE_NS
    }
}

/// TLS CPU the load balancer spends on one request.
///
/// Terminate: the client's handshake. Re-encrypt: that plus a resumed
/// handshake towards the server (HAProxy reuses backend sessions).
/// Passthrough: nothing, it only forwards TCP.
pub fn lb_cost_ns(mode: TlsMode, resumed: bool) -> u64 {
    match mode {
        TlsMode::Terminate => handshake(resumed),
        TlsMode::Reencrypt => handshake(resumed) + RESUMED_HANDSHAKE_NS,
        TlsMode::Passthrough => 0,
    }
}

/// TLS CPU the chosen server's Nginx spends on one request.
pub fn server_cost_ns(mode: TlsMode, resumed: bool) -> u64 {
    match mode {
        TlsMode::Terminate => 0,
        TlsMode::Reencrypt => RESUMED_HANDSHAKE_NS,
        TlsMode::Passthrough => handshake(resumed),
    }
}

/// Whether user data is encrypted between the load balancer and a server.
pub fn backend_encrypted(mode: TlsMode) -> bool {
    mode != TlsMode::Terminate
}

/// The port the load balancer talks to servers on (and health-checks).
pub fn backend_port(mode: TlsMode) -> u16 {
    match mode {
        TlsMode::Terminate => 80,
        TlsMode::Reencrypt | TlsMode::Passthrough => 443,
    }
}

/// Whether the load balancer parses HTTP (not in TCP passthrough mode).
pub fn lb_sees_http(mode: TlsMode) -> bool {
    mode != TlsMode::Passthrough
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_moves_with_the_certificate() {
        for resumed in [false, true] {
            let total = |m| lb_cost_ns(m, resumed) + server_cost_ns(m, resumed);
            assert!(total(TlsMode::Reencrypt) > total(TlsMode::Terminate));
            assert_eq!(server_cost_ns(TlsMode::Terminate, resumed), 0);
            assert_eq!(lb_cost_ns(TlsMode::Passthrough, resumed), 0);
        }
    }
}
