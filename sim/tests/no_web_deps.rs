//! The simulation must stay pure and portable: it runs natively (CLI, tests,
//! benchmarks) exactly as in the browser, so nothing web- or UI-specific may
//! enter its dependency tree, not even through a transitive or target-specific
//! dependency.

use std::process::Command;

/// Crates that would tie the simulation to the browser or to the UI.
const FORBIDDEN: &[&str] = &["wasm-bindgen", "web-sys", "js-sys", "leptos"];

/// The names of every crate in `package`'s dependency tree, for every target
/// platform and every kind of edge (normal, build, dev).
fn dependency_names(package: &str) -> Vec<String> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--manifest-path", manifest, "-p", package])
        .args(["--target", "all", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The forbidden crates (and their `-`/`_` satellites such as `leptos_dom`)
/// found in `package`'s dependency tree.
fn web_crates_in_tree_of(package: &str) -> Vec<String> {
    let names = dependency_names(package);
    assert!(names.iter().any(|n| n == package), "cargo tree did not list {package}: {names:?}");
    let is_forbidden = |name: &str| {
        FORBIDDEN.iter().any(|f| {
            name.strip_prefix(f).is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_']))
        })
    };
    let mut found: Vec<String> = names.into_iter().filter(|n| is_forbidden(n)).collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn sim_dependency_tree_has_no_web_or_ui_crate() {
    let found = web_crates_in_tree_of("infraboard-sim");
    assert!(found.is_empty(), "infraboard-sim depends on web/UI crates: {found:?}");
}

/// The same check on the web app, which must use them: proves the check above
/// can see such crates (a typo in `cargo tree`'s arguments or output parsing
/// would otherwise make it pass for ever).
#[test]
fn the_check_sees_web_crates_where_they_are() {
    let found = web_crates_in_tree_of("infraboard");
    for crate_name in FORBIDDEN {
        assert!(found.iter().any(|n| n == crate_name), "{crate_name} not seen in the app's tree");
    }
}
