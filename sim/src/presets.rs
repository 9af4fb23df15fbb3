//! Built-in scenarios, one per layout in the design notes plus the "fixed"
//! layouts they point to, stored as JSON data in `sim/presets/`.
//!
//! A preset may start with `"extends": "<preset>"`: it is then that preset
//! with the given fields replaced (JSON merge patch, RFC 7386), so variants
//! repeat nothing. Settings a preset leaves out take the defaults in code
//! (see [`crate::Scenario`] and its settings types). Every preset answers to the role names
//! `primary-db` and `replica-db` in commands.

use crate::scenario::Scenario;

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
];

/// Names of all built-in presets, default first.
pub fn names() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// The JSON text of a built-in preset as stored (it may use `extends`).
pub fn source(name: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(n, _)| *n == name).map(|(_, json)| *json)
}

/// A built-in preset, parsed and validated.
pub fn get(name: &str) -> Option<Scenario> {
    Scenario::from_json(source(name)?).ok()
}

/// A built-in preset as complete JSON, every default written out (what
/// `infraboard-sim show` prints; editing it and loading it back works).
pub fn full_json(name: &str) -> Option<String> {
    get(name).map(|s| s.to_json_pretty())
}

/// The default scenario, parsed.
pub fn default_scenario() -> Scenario {
    get(DEFAULT).expect("the default preset is valid (tested)")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_preset_is_valid_and_round_trips() {
        for name in super::names() {
            let json = super::source(name).unwrap();
            let parsed = crate::Scenario::from_json(json);
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
            let scenario = parsed.unwrap();
            assert_eq!(scenario.name, name);
            let again = crate::Scenario::from_json(&super::full_json(name).unwrap()).unwrap();
            assert_eq!(again, scenario, "{name}");
        }
        assert_eq!(super::names().next(), Some(super::DEFAULT));
    }
}
