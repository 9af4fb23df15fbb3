//! The app's top-level modules import each other in no cycle, and only
//! downwards through its layers (ARCHITECTURE.md, "App layering"): the
//! utilities, then the driver, then the drawing layers, then the panels,
//! then the app shell. A module may use its own layer's modules (without a
//! cycle) and any lower layer's, never a higher one's. The graph is read from
//! the `crate::` paths of the non-test code (`sim/tests/support/import_graph.rs`, shared with the sim's own test).

#[path = "../sim/tests/support/import_graph.rs"]
mod import_graph;

use std::path::{Path, PathBuf};

/// The layers, lowest first. Every top-level module of `src/` is in one.
const LAYERS: [(&str, &[&str]); 5] = [
    (
        "utilities",
        &[
            "erased",
            "watched",
            "small_sort",
            "wall_clock",
            "locale",
            "url_state",
            "i18n",
            "offline",
        ],
    ),
    ("driver", &["sim_driver"]),
    ("drawing", &["board", "canvas", "charts"]),
    (
        "panels",
        &[
            "controls",
            "editor",
            "study",
            "selfstudy",
            "present",
            "share",
            "inspector",
            "feed",
            "error_overlay",
        ],
    ),
    ("app shell", &["app"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

#[test]
fn the_apps_modules_import_each_other_in_no_cycle() {
    let src = src();
    let cycles = import_graph::cycles(&src);
    assert!(cycles.is_empty(), "{}", import_graph::explain(&src, &cycles));
}

#[test]
fn no_module_imports_a_higher_layer() {
    let mut wrong = Vec::new();
    for (from, to, at) in import_graph::edges(&src()) {
        let (Some(low), Some(high)) = (layer_of(&from), layer_of(&to)) else {
            wrong.push(format!("{from} → {to}  ({at}): a module in no layer of LAYERS"));
            continue;
        };
        if high > low {
            wrong.push(format!("{from} ({}) → {to} ({})  ({at})", LAYERS[low].0, LAYERS[high].0));
        }
    }
    assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(src()).expect("src/ is readable") {
        let path = entry.expect("a readable entry").path();
        let Some(name) = path.file_stem().and_then(|n| n.to_str()) else { continue };
        let module = path.is_dir() || path.extension().is_some_and(|e| e == "rs");
        if module && !matches!(name, "lib" | "main") && layer_of(name).is_none() {
            missing.push(name.to_string());
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "modules with no layer in LAYERS: {missing:?}");
}
