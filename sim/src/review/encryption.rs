//! Plaintext hops: where user data crosses the network unencrypted, and
//! why, as the topology's encrypted-hop answers have it.

use super::{Design, Finding, FindingKind, Severity};
use crate::design::Edit;
use crate::scenario::TlsMode;
use crate::topology::Leg;

pub(super) fn check(d: &Design, out: &mut Vec<Finding>) {
    let mode = d.s.tls.mode;
    let db_hosts: Vec<usize> = d.topo.mysql_hosts().collect();
    for (leg, kind, fix) in [
        (Leg::Backend, FindingKind::PlaintextBackend, Edit::SetTlsMode(TlsMode::Reencrypt)),
        (Leg::Database, FindingKind::PlaintextDatabase, Edit::SetDatabaseTls(true)),
    ] {
        if d.topo.leg_encrypted(leg, mode) {
            continue;
        }
        let mut links: Vec<(usize, usize)> = Vec::new();
        for &web in d.topo.web_servers() {
            for &db in db_hosts.iter().chain(std::iter::once(&web)) {
                for hop in d.topo.request_path(web, db, mode) {
                    if hop.leg == leg && !hop.encrypted && !links.contains(&(hop.from, hop.to)) {
                        links.push((hop.from, hop.to));
                    }
                }
            }
        }
        if links.is_empty() {
            continue;
        }
        let mut nodes: Vec<usize> = Vec::new();
        for n in links.iter().flat_map(|&(a, b)| [a, b]) {
            if let Err(at) = nodes.binary_search(&n) {
                nodes.insert(at, n);
            }
        }
        out.push(Finding {
            kind,
            severity: Severity::High,
            nodes,
            links,
            rule: None,
            // Nothing to trigger: every request shows it, with an open
            // padlock on these links.
            show_me: Vec::new(),
            fix: vec![fix],
        });
    }
}
