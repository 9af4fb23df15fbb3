//! Built-in scenarios, one per layout in the design notes, stored as JSON data.

use crate::scenario::Scenario;

/// Name of the preset the app opens with.
pub const DEFAULT: &str = "lb-two-fullstack";

const SOURCES: &[(&str, &str)] =
    &[("lb-two-fullstack", include_str!("../presets/lb-two-fullstack.json"))];

/// Names of all built-in presets, default first.
pub fn names() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// The JSON text of a built-in preset.
pub fn source(name: &str) -> Option<&'static str> {
    SOURCES.iter().find(|(n, _)| *n == name).map(|(_, json)| *json)
}

/// The default scenario, parsed.
pub fn default_scenario() -> Scenario {
    serde_json::from_str(source(DEFAULT).expect("default preset exists"))
        .expect("built-in presets are valid")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_preset_parses() {
        for name in super::names() {
            let json = super::source(name).unwrap();
            let parsed: Result<crate::Scenario, _> = serde_json::from_str(json);
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
        }
    }
}
