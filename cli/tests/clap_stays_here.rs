//! The argument parser belongs to the command line only: neither the
//! simulation crate nor the browser app may depend on it (it would grow the
//! wasm and tie the sans-IO core to a CLI crate).

use std::process::Command;

/// The crates `package` is built from (normal and build dependencies, for
/// every target), one name a line.
fn build_tree(package: &str) -> Vec<String> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--manifest-path", manifest, "-p", package])
        .args(["--target", "all", "-e", "normal,build", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn clap_is_in_the_cli_only() {
    assert!(build_tree("infraboard-cli").iter().any(|c| c == "clap"), "the check sees clap");
    for package in ["infraboard-sim", "infraboard"] {
        let tree = build_tree(package);
        assert!(tree.iter().any(|c| c == package), "cargo tree did not list {package}");
        let clap: Vec<&String> = tree.iter().filter(|c| c.starts_with("clap")).collect();
        assert!(clap.is_empty(), "{package} depends on {clap:?}");
    }
}
