//! Turns the translation files in `locales/<locale>/<namespace>.json` into
//! Rust: one table of strings per locale and one typed key per message, so a
//! misspelt key or a missing interpolation variable is a compile error
//! instead of a blank on screen.
//!
//! English is the reference locale: its files define the keys. Another
//! locale that lacks a key falls back to English with a build warning (the
//! `tests/i18n_catalog.rs` test is what fails on it, so a half-translated
//! tree still builds while a translator works).

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Locales in `Locale` enum order (src/i18n/mod.rs); the first is the reference.
const LOCALES: [&str; 2] = ["en", "fr"];

/// One message: its path (namespace first), and the text in each locale.
struct Message {
    path: Vec<String>,
    texts: Vec<String>,
    vars: Vec<String>,
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let locales_dir = root.join("locales");
    println!("cargo::rerun-if-changed=locales");
    for locale in LOCALES {
        println!("cargo::rerun-if-changed=locales/{locale}");
    }

    let mut per_locale: Vec<BTreeMap<Vec<String>, String>> = Vec::new();
    for locale in LOCALES {
        per_locale.push(load_locale(&locales_dir.join(locale)));
    }

    let reference = &per_locale[0];
    let mut messages = Vec::new();
    for (path, en) in reference {
        let vars = variables(en).unwrap_or_else(|e| fail(&format!("en: {}: {e}", path.join("."))));
        let mut texts = vec![en.clone()];
        for (i, locale) in LOCALES.iter().enumerate().skip(1) {
            match per_locale[i].get(path) {
                Some(text) => texts.push(text.clone()),
                None => {
                    println!(
                        "cargo::warning=i18n: {locale} lacks {}; showing English",
                        path.join(".")
                    );
                    texts.push(en.clone());
                }
            }
        }
        messages.push(Message { path: path.clone(), texts, vars });
    }
    for (i, locale) in LOCALES.iter().enumerate().skip(1) {
        for path in per_locale[i].keys().filter(|p| !reference.contains_key(*p)) {
            println!(
                "cargo::warning=i18n: {locale} has {} which en lacks; ignored",
                path.join(".")
            );
        }
    }

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let all: Vec<&Message> = messages.iter().collect();
    let fr_file = write_locale_file(&out_dir, "fr", &joined_texts(&all, 1));
    let later: Vec<&Message> = messages.iter().filter(|m| is_later(m)).collect();
    let en_later_file = write_locale_file(&out_dir, "en-later", &joined_texts(&later, 0));
    std::fs::write(out_dir.join("catalog.rs"), generate(&messages, &fr_file, &en_later_file))
        .expect("write generated catalog");
}

/// Texts no reader needs before acting on the board: the panels opened
/// later (Learn and Practice), what the inspector says once something is
/// selected, the shortcut help, the build-up captions, the editor (its
/// toolbar opens from the board's Edit button), the inside of the
/// closed "Share & export" menu, and the messages about a broken link, an
/// import, a refused command, a refused full screen or an unknown language
/// or mode in the address; and the names of what goes wrong in a run (drop
/// reasons, alerts), which only show once something has. Their English is a
/// file fetched once the page runs, so the live board does not wait for it.
/// Each is a key prefix (keys sort by path, so each is one run of ids).
const LATER: [&[&str]; 39] = [
    &["editor"],
    &["explain"],
    &["review"],
    &["selfstudy"],
    &["tour"],
    &["inspector", "what"],
    &["inspector", "why"],
    &["inspector", "field"],
    &["present", "help"],
    &["present", "stage"],
    &["share", "link"],
    &["share", "import"],
    &["controls", "refused"],
    &["share", "link_hint"],
    &["share", "save_heading"],
    &["share", "export_json"],
    &["share", "import_json"],
    &["share", "export_heading"],
    &["share", "export_svg"],
    &["share", "export_png"],
    &["share", "export_csv"],
    &["share", "record_start"],
    &["share", "record_stop"],
    &["share", "recording"],
    &["share", "no_recorder"],
    &["share", "record_failed"],
    &["share", "export_failed"],
    &["share", "drop_hint"],
    &["share", "dismiss"],
    &["share", "review_sheet"],
    &["present", "fullscreen_refused"],
    &["present", "pointer"],
    &["common", "notice_unknown_language"],
    &["common", "notice_language_unavailable"],
    &["common", "notice_unknown_mode"],
    &["charts", "reason"],
    &["charts", "alert"],
    &["board", "drop"],
    &["board", "tour_token"],
];

fn is_later(m: &Message) -> bool {
    LATER.iter().any(|prefix| {
        m.path.len() >= prefix.len() && prefix.iter().zip(&m.path).all(|(p, part)| part == p)
    })
}

/// Writes `<stem>.txt` into OUT_DIR (native builds read it at compile time)
/// and publishes it for the bundle under a name made from its content;
/// returns that name.
fn write_locale_file(out_dir: &Path, stem: &str, text: &str) -> String {
    let name = format!("{stem}-{:016x}.txt", fnv1a(text.as_bytes()));
    std::fs::write(out_dir.join(format!("{stem}.txt")), text).expect("write a locale file");
    publish_for_bundle(out_dir, &name, text);
    name
}

/// Separates the messages in a locale file; no message may contain it.
const SEPARATOR: char = '\u{1f}';

/// Every message of locale `i` in key order, separated by [`SEPARATOR`]:
/// the file the app fetches when a reader picks that language.
fn joined_texts(messages: &[&Message], i: usize) -> String {
    for m in messages {
        if m.texts[i].contains(SEPARATOR) {
            fail(&format!("{}: U+001F is reserved as the separator", m.path.join(".")));
        }
    }
    let texts: Vec<&str> = messages.iter().map(|m| m.texts[i].as_str()).collect();
    texts.join(&SEPARATOR.to_string())
}

/// 64-bit FNV-1a: names the file after its content, so a browser or the
/// service worker never pairs a new wasm with an old file of texts.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Writes the French file where Trunk's post-build hook picks it up for
/// the bundle: `<target>/<triple>/<profile>/i18n/` (OUT_DIR is
/// `<that>/build/<package>-<hash>/out`). The hook finds the exact name the
/// wasm asks for, so a stale file beside it is never shipped.
fn publish_for_bundle(out_dir: &Path, name: &str, text: &str) {
    let Some(profile_dir) = out_dir.ancestors().nth(3) else { return };
    let dir = profile_dir.join("i18n");
    std::fs::create_dir_all(&dir).expect("create the i18n folder under target");
    std::fs::write(dir.join(name), text).expect("write the French texts for the bundle");
}

fn fail(msg: &str) -> ! {
    panic!("i18n: {msg}");
}

/// Reads every `<namespace>.json` of one locale into dotted paths → text.
fn load_locale(dir: &Path) -> BTreeMap<Vec<String>, String> {
    let mut out = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        // Per file as well as per directory: the directory entry only
        // notices added or removed files on every platform.
        println!("cargo::rerun-if-changed={}", file.display());
        let namespace = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        check_ident(&namespace, &file);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", file.display())));
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| fail(&format!("{} is not valid JSON: {e}", file.display())));
        let Value::Object(map) = value else {
            fail(&format!("{} must hold a JSON object", file.display()));
        };
        flatten(&map, vec![namespace], &file, &mut out);
    }
    out
}

fn flatten(
    map: &Map<String, Value>,
    prefix: Vec<String>,
    file: &Path,
    out: &mut BTreeMap<Vec<String>, String>,
) {
    for (key, value) in map {
        check_ident(key, file);
        let mut path = prefix.clone();
        path.push(key.clone());
        match value {
            Value::String(s) => {
                out.insert(path, s.clone());
            }
            Value::Object(m) => flatten(m, path, file, out),
            _ => fail(&format!(
                "{}: {} must be a string or an object",
                file.display(),
                path.join(".")
            )),
        }
    }
}

/// Keys become Rust names, so they are lower snake case and not keywords.
fn check_ident(name: &str, file: &Path) {
    let ok_chars = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    const RESERVED: &[&str] = &[
        "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
        "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
        "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
        "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
        "locale",
    ];
    if !ok_chars || RESERVED.contains(&name) {
        fail(&format!(
            "{}: key {name:?} must be lower_snake_case and not a Rust keyword",
            file.display()
        ));
    }
}

/// The `{name}` placeholders of a text, in order of first use.
fn variables(text: &str) -> Result<Vec<String>, String> {
    let mut vars: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("stray '}}' in {text:?}"));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed '{{' in {text:?}"))?;
        let name = &after[..close];
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(format!("placeholder {{{name}}} must be lower_snake_case in {text:?}"));
        }
        if !vars.iter().any(|v| v == name) {
            vars.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    Ok(vars)
}

/// A module tree node: messages at this level and child modules.
#[derive(Default)]
struct Module {
    items: Vec<usize>,
    children: BTreeMap<String, Module>,
}

fn generate(messages: &[Message], fr_file: &str, en_later_file: &str) -> String {
    let mut src =
        String::from("// @generated by build.rs from locales/*/*.json; edit those instead.\n\n");
    // English, the reference, is compiled in: every message end to end, and
    // where each ends. A table of 2-byte offsets gzips to a third of a table
    // of `&str` (a 4-byte address and a 4-byte length each), about 4 KB less
    // in the wasm (BENCHMARKS.md, "Bundle size"). The other locales are
    // files fetched on demand (`joined_texts`), about 8 KB gzip the first
    // board no longer waits for.
    fn en_text(m: &Message) -> &str {
        if is_later(m) {
            ""
        } else {
            m.texts[0].as_str()
        }
    }
    let en: String = messages.iter().map(en_text).collect();
    let offset = if en.len() <= usize::from(u16::MAX) { "u16" } else { "u32" };
    writeln!(src, "/// Every English message's text end to end.").unwrap();
    writeln!(src, "pub(crate) static EN_TEXT: &str = {en:?};\n").unwrap();
    writeln!(src, "/// Where message `id` ends in [`EN_TEXT`] (it starts where `id - 1` ends).")
        .unwrap();
    let mut end = 0;
    let ends: Vec<String> = messages
        .iter()
        .map(|m| {
            end += en_text(m).len();
            end.to_string()
        })
        .collect();
    writeln!(
        src,
        "pub(crate) static EN_ENDS: [{offset}; {}] = [{}];\n",
        messages.len(),
        ends.join(", ")
    )
    .unwrap();
    writeln!(src, "/// How many messages the catalog has, in every locale.").unwrap();
    writeln!(src, "pub(crate) const MESSAGES: usize = {};\n", messages.len()).unwrap();
    writeln!(src, "/// The French file beside index.html (its name is its content's hash).")
        .unwrap();
    writeln!(src, "#[cfg_attr(not(target_arch = \"wasm32\"), allow(dead_code))]").unwrap();
    writeln!(src, "pub(crate) const FR_FILE: &str = {fr_file:?};\n").unwrap();
    // The later namespaces' messages, as id ranges: keys sort namespace first,
    // so each namespace is one run of ids.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (id, m) in messages.iter().enumerate() {
        if !is_later(m) {
            continue;
        }
        match ranges.last_mut() {
            Some((_, end)) if *end == id => *end = id + 1,
            _ => ranges.push((id, id + 1)),
        }
    }
    let ranges: Vec<String> = ranges.iter().map(|(a, b)| format!("({a}, {b})")).collect();
    writeln!(src, "/// Ids whose English text is in [`EN_LATER_FILE`], as `[start, end)` runs.")
        .unwrap();
    writeln!(
        src,
        "pub(crate) static EN_LATER_IDS: [(u16, u16); {}] = [{}];\n",
        ranges.len(),
        ranges.join(", ")
    )
    .unwrap();
    writeln!(src, "#[cfg_attr(not(target_arch = \"wasm32\"), allow(dead_code))]").unwrap();
    writeln!(src, "pub(crate) const EN_LATER_FILE: &str = {en_later_file:?};\n").unwrap();
    writeln!(src, "/// The messages separator inside a locale file.").unwrap();
    writeln!(src, "pub(crate) const SEPARATOR: char = {SEPARATOR:?};\n").unwrap();

    let mut tree = Module::default();
    for (id, m) in messages.iter().enumerate() {
        let mut node = &mut tree;
        for part in &m.path[..m.path.len() - 1] {
            node = node.children.entry(part.clone()).or_default();
        }
        node.items.push(id);
    }
    writeln!(src, "/// Typed keys: `k::<namespace>::<KEY>` for plain messages, and").unwrap();
    writeln!(
        src,
        "/// `k::<namespace>::<key>(locale, vars…)` for messages with `{{placeholders}}`."
    )
    .unwrap();
    writeln!(src, "#[allow(dead_code)]\npub mod k {{").unwrap();
    write_module(&mut src, &tree, messages, 1);
    writeln!(src, "}}").unwrap();
    src
}

fn write_module(src: &mut String, module: &Module, messages: &[Message], depth: usize) {
    let pad = "    ".repeat(depth);
    for &id in &module.items {
        let m = &messages[id];
        let name = m.path.last().expect("non-empty path");
        writeln!(src, "{pad}/// en: {:?}", m.texts[0]).unwrap();
        if m.vars.is_empty() {
            writeln!(
                src,
                "{pad}pub const {}: crate::i18n::Msg = crate::i18n::Msg({id});",
                name.to_uppercase()
            )
            .unwrap();
        } else {
            let params: Vec<String> =
                m.vars.iter().map(|v| format!("{v}: impl ::core::fmt::Display")).collect();
            let args: Vec<String> = m.vars.iter().map(|v| format!("({v:?}, &{v})")).collect();
            writeln!(
                src,
                "{pad}pub fn {name}(locale: crate::i18n::Locale, {}) -> String {{\n{pad}    crate::i18n::fill(crate::i18n::Msg({id}).text(locale), &[{}])\n{pad}}}",
                params.join(", "),
                args.join(", ")
            )
            .unwrap();
        }
    }
    for (name, child) in &module.children {
        writeln!(src, "{pad}pub mod {name} {{").unwrap();
        write_module(src, child, messages, depth + 1);
        writeln!(src, "{pad}}}").unwrap();
    }
}
