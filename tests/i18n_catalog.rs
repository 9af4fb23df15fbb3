//! The translation files agree with each other: every message exists in
//! every locale, with the same `{placeholders}`, and none is left blank.
//! `build.rs` only warns about these (so a half-done translation still
//! builds); this test is where they fail.

// Reads the source tree from disk: a native test only.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const REFERENCE: &str = "en";

fn locales_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// locale → namespace file names.
fn locale_dirs() -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(locales_dir()).expect("locales/ exists") {
        let path = entry.expect("readable entry").path();
        if !path.is_dir() {
            continue;
        }
        let locale = path.file_name().unwrap().to_string_lossy().into_owned();
        let files = std::fs::read_dir(&path)
            .expect("readable locale dir")
            .map(|e| e.expect("readable entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        out.insert(locale, files);
    }
    out
}

/// Every message of one locale as `namespace.dotted.key` → text.
fn messages(locale: &str) -> BTreeMap<String, String> {
    fn walk(value: &Value, prefix: &str, file: &Path, out: &mut BTreeMap<String, String>) {
        match value {
            Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            Value::Object(map) => {
                for (k, v) in map {
                    walk(v, &format!("{prefix}.{k}"), file, out);
                }
            }
            other => panic!("{}: {prefix} is {other}, not a string or object", file.display()),
        }
    }
    let mut out = BTreeMap::new();
    for file in &locale_dirs()[locale] {
        let path = locales_dir().join(locale).join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let json: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
        assert!(json.is_object(), "{} must hold a JSON object", path.display());
        walk(&json, file.trim_end_matches(".json"), &path, &mut out);
    }
    out
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        out.insert(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    out
}

#[test]
fn every_locale_has_the_same_namespace_files() {
    let dirs = locale_dirs();
    assert!(dirs.len() >= 2, "expected at least en and fr under locales/, found {dirs:?}");
    let reference = &dirs[REFERENCE];
    for (locale, files) in &dirs {
        assert_eq!(files, reference, "locales/{locale}/ and locales/{REFERENCE}/ differ in files");
    }
}

#[test]
fn every_key_exists_in_every_locale() {
    let reference = messages(REFERENCE);
    let mut problems = Vec::new();
    for locale in locale_dirs().keys().filter(|l| *l != REFERENCE) {
        let other = messages(locale);
        for key in reference.keys().filter(|k| !other.contains_key(*k)) {
            problems.push(format!("{locale} lacks {key}"));
        }
        for key in other.keys().filter(|k| !reference.contains_key(*k)) {
            problems.push(format!("{locale} has {key}, which {REFERENCE} lacks"));
        }
    }
    assert!(problems.is_empty(), "translation keys differ:\n  {}", problems.join("\n  "));
}

#[test]
fn every_translation_uses_the_same_placeholders() {
    let reference = messages(REFERENCE);
    let mut problems = Vec::new();
    for locale in locale_dirs().keys().filter(|l| *l != REFERENCE) {
        for (key, text) in messages(locale) {
            let Some(en) = reference.get(&key) else { continue };
            let (want, got) = (placeholders(en), placeholders(&text));
            if want != got {
                problems.push(format!("{locale} {key}: {got:?}, {REFERENCE} has {want:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "placeholders differ:\n  {}", problems.join("\n  "));
}

#[test]
fn no_message_is_blank() {
    let mut problems = Vec::new();
    for locale in locale_dirs().keys() {
        for (key, text) in messages(locale) {
            if text.trim().is_empty() {
                problems.push(format!("{locale} {key}"));
            }
        }
    }
    assert!(problems.is_empty(), "blank messages:\n  {}", problems.join("\n  "));
}

#[test]
fn the_checks_catch_a_broken_pair() {
    // The helpers above would miss nothing if they compare what they should:
    // a renamed placeholder is a difference.
    assert_ne!(placeholders("Firewall {n}"), placeholders("Pare-feu {num}"));
    assert_eq!(placeholders("{a} {b} {a}"), ["a", "b"].map(String::from).into());
}
