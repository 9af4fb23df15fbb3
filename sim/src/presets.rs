//! Built-in scenarios, one per layout in the design notes plus the "fixed"
//! layouts they point to, stored as JSON data in `sim/presets/`.
//!
//! A preset may start with `"extends": "<preset>"`: it is then that preset
//! with the given fields replaced (JSON merge patch, RFC 7386), so variants
//! repeat nothing. Settings a preset leaves out take the defaults in code
//! (see [`crate::Scenario`] and its settings types). Every preset answers to the role names
//! `primary-db` and `replica-db` in commands.
//!
//! The texts themselves are in `preset_sources` (below the validation,
//! which reads them to resolve `extends`); this module, above it, hands
//! them out parsed.

use crate::scenario::Scenario;

pub use crate::preset_sources::{names, source, DEFAULT};

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
