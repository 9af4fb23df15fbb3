//! The built-in presets as stored: their names and JSON texts
//! (`sim/presets/*.json`, compiled in). Plain data, the bottom layer: the
//! validation reads these texts to resolve `"extends"`, and the `presets`
//! module hands them out parsed.

/// Name of the preset the app opens with.
pub const DEFAULT: &str = "lb-two-fullstack";

const SOURCES: &[(&str, &str)] = &[
    // Seed 004 (the default): LB box + two full-stack servers.
    ("lb-two-fullstack", include_str!("../presets/lb-two-fullstack.json")),
    // Seed 000: three web servers, external / web-tier / DB-tier firewalls.
    ("three-web-three-firewalls", include_str!("../presets/three-web-three-firewalls.json")),
    // Seed 001: two web servers + one database server (primary-replica).
    ("two-web-one-db", include_str!("../presets/two-web-one-db.json")),
    // Seed 002: the ten-step flow through three tiers.
    ("tiered-flow", include_str!("../presets/tiered-flow.json")),
    // Seed 003: three identical servers, a firewall each.
    ("three-identical", include_str!("../presets/three-identical.json")),
    // The fixes the seeds point to.
    ("lb-two-fullstack-reencrypt", include_str!("../presets/lb-two-fullstack-reencrypt.json")),
    (
        "lb-two-fullstack-auto-failover",
        include_str!("../presets/lb-two-fullstack-auto-failover.json"),
    ),
    ("split-tiers", include_str!("../presets/split-tiers.json")),
    // Scaling up: the load balancer's single point of failure gone.
    ("lb-pair-active-passive", include_str!("../presets/lb-pair-active-passive.json")),
    ("lb-pair-active-active", include_str!("../presets/lb-pair-active-active.json")),
    // Split tiers grown into pools, and the same on its busiest day.
    ("split-tiers-pools", include_str!("../presets/split-tiers-pools.json")),
    ("big-day", include_str!("../presets/big-day.json")),
];

/// Names of all built-in presets, default first.
pub fn names() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// The JSON text of a built-in preset as stored (it may use `extends`).
pub fn source(name: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(n, _)| *n == name).map(|(_, json)| *json)
}
