//! No two top-level modules of the simulation import each other, directly
//! or around a circle: the layering (ARCHITECTURE.md) stays a ladder, so a
//! module can be read, tested and changed from the bottom up. The graph is
//! read from the `crate::` paths of the non-test code (`support/import_graph.rs`).

// `edges` serves the app's layering test (tests/no_import_cycles.rs), which
// shares this scanner; the sim has no layers to check.
#[allow(dead_code)]
#[path = "support/import_graph.rs"]
mod import_graph;

use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn the_simulations_modules_import_each_other_in_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let cycles = import_graph::cycles(&src);
    assert!(cycles.is_empty(), "{}", import_graph::explain(&src, &cycles));
}

/// A throwaway source folder, unique to this test process and case,
/// removed on drop.
struct Crate(PathBuf);

impl Crate {
    fn with(case: &str, files: &[(&str, &str)]) -> Crate {
        let root = std::env::temp_dir()
            .join(format!("infraboard-import-graph-{}-{case}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (path, text) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Crate(root)
    }

    fn cycles(&self) -> Vec<Vec<String>> {
        import_graph::cycles(&self.0)
    }
}

impl Drop for Crate {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn names(groups: &[&[&str]]) -> Vec<Vec<String>> {
    groups.iter().map(|g| g.iter().map(|m| m.to_string()).collect()).collect()
}

#[test]
fn a_circle_through_use_trees_inline_paths_and_folders_is_found() {
    let src = Crate::with(
        "circle",
        &[
            ("lib.rs", "mod a; mod b; mod c; mod d;"),
            ("a.rs", "use crate::{b::B, d};"),
            // A folder module: every file in it is `b`.
            ("b/mod.rs", "mod inner;"),
            ("b/inner.rs", "fn f() { crate::c::run(); }"),
            ("c.rs", "pub fn run() { let _ = crate::a::A; }"),
            ("d.rs", "pub struct D;"),
        ],
    );
    assert_eq!(src.cycles(), names(&[&["a", "b", "c"]]));
    let message = import_graph::explain(&src.0, &src.cycles());
    assert!(message.contains("b → c  (b/inner.rs:1)"), "{message}");
}

#[test]
fn the_crate_roots_re_exports_name_their_module() {
    let src = Crate::with(
        "alias",
        &[
            ("lib.rs", "mod a; mod b;\npub use crate::a::{Thing as Renamed, Other};"),
            ("a.rs", "use crate::b::B;"),
            ("b.rs", "fn f(_: crate::Renamed) {}"),
        ],
    );
    assert_eq!(src.cycles(), names(&[&["a", "b"]]));
}

#[test]
fn test_code_plain_comments_and_literals_are_not_imports() {
    let src = Crate::with(
        "ignored",
        &[
            ("lib.rs", "mod a; mod b;"),
            ("a.rs", "use crate::b::B;"),
            (
                "b.rs",
                concat!(
                    "// See crate::a.\n",
                    "/* crate::a::X /* nested */ crate::a */\n",
                    "const S: &str = \"crate::a\"; const R: &str = r#\"crate::a\"#;\n",
                    "const Q: char = '\"'; fn f<'x>(_: &'x str) {}\n",
                    "macro_rules! m { () => { $crate::a::X } }\n",
                    "#[cfg(test)]\nfn helper() -> [u8; 1] { let _ = crate::a::X; [0] }\n",
                    "#[cfg(test)]\nmod checks;\n",
                    "#[cfg(test)]\nmod tests { use crate::a::X; }\n",
                ),
            ),
            ("b/checks.rs", "use crate::a::X;"),
        ],
    );
    assert_eq!(src.cycles(), Vec::<Vec<String>>::new());
}

#[test]
fn a_doc_link_names_its_module() {
    for doc in ["/// See [`crate::a::f`].", "//! [`A`](crate::a::A) says why.", "/** crate::a */"] {
        let src = Crate::with(
            "doc",
            &[
                ("lib.rs", "mod a; mod b;"),
                ("a.rs", "use crate::b::B;"),
                ("b.rs", &format!("{doc}\npub struct B;")),
            ],
        );
        assert_eq!(src.cycles(), names(&[&["a", "b"]]), "{doc}");
    }
}

#[test]
fn a_doc_link_to_a_root_re_export_does_not_tie_modules() {
    let src = Crate::with(
        "doc-face",
        &[
            ("lib.rs", "mod a; mod b;\npub use crate::a::A;"),
            ("a.rs", "use crate::b::B;\npub struct A;"),
            ("b.rs", "/// Used by [`crate::A`].\npub struct B;"),
        ],
    );
    assert_eq!(src.cycles(), Vec::<Vec<String>>::new());
}

#[test]
fn code_after_a_test_block_still_counts() {
    let src = Crate::with(
        "after",
        &[
            ("lib.rs", "mod a; mod b;"),
            ("a.rs", "use crate::b::B;"),
            ("b.rs", "#[cfg(test)]\nmod tests {}\npub fn late() { crate::a::f() }"),
        ],
    );
    assert_eq!(src.cycles(), names(&[&["a", "b"]]));
}
