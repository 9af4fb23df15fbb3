//! No user-visible English hides in a component: every word on screen comes
//! from `locales/`, so French readers never meet a stray English label.
//!
//! A light lexer (not a Rust parser) reads `src/**/*.rs` except `src/i18n/`
//! (where language data such as "Français" legitimately lives) and flags:
//! - in `view!` markup, a text node or a visible attribute value
//!   (`aria-label`, `title`, `placeholder`, `alt`, …) holding a word;
//! - anywhere, a string passed to a call that draws text (`caption`,
//!   `x_desc`, `fill_text`, `set_text_content`, …);
//! - anywhere else, a string that reads like prose (a capitalised word such
//!   as "Pause", or three words or more), outside `expect`, `panic!`,
//!   logging, attributes and `#[cfg(test)]` modules.
//!
//! Product names, acronyms shared by both languages, symbols and numbers
//! are allowed. Robust enough to catch the usual slip, not a proof.

// Reads the source tree from disk: a native test only.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Words that read the same in English and French.
const ALLOWED_WORDS: &[&str] = &[
    "HAProxy",
    "Nginx",
    "MySQL",
    "Sumo",
    "Logic",
    "Infraboard",
    "www",
    "foobar",
    "com",
    "DNS",
    "SSL",
    "TLS",
    "HTTP",
    "HTTPS",
    "TCP",
    "IP",
    "CPU",
    "ms",
    "px",
    "WebM",
    "PNG",
    "SVG",
    "CSV",
    "JSON",
];

/// The product names among them (a word next to one usually translates).
const PRODUCT_NAMES: &[&str] = &["HAProxy", "Nginx", "MySQL", "Sumo", "Logic"];

/// DOM `KeyboardEvent.key` values and other API names compared in code.
const ALLOWED_LITERALS: &[&str] = &[
    "Enter",
    "Escape",
    "Tab",
    "Home",
    "End",
    "Space",
    "Backspace",
    "Delete",
    "PageUp",
    "PageDown",
    "Shift",
    "Control",
    "Alt",
    "Meta",
];

/// Attributes a reader sees or a screen reader speaks.
const VISIBLE_ATTRIBUTES: &[&str] = &[
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
    "title",
    "placeholder",
    "alt",
    "label",
];

/// Calls whose string argument ends up on screen.
const TEXT_SINKS: &[&str] = &[
    "caption",
    "x_desc",
    "y_desc",
    "label",
    "fill_text",
    "stroke_text",
    "set_text_content",
    "set_inner_text",
    "set_title",
    "alert_with_message",
    "confirm_with_message",
];

/// Calls whose strings are for developers (panics, logs, assertions).
const DEVELOPER_CALLS: &[&str] = &[
    "expect",
    "expect_err",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "dbg",
    "println",
    "eprintln",
    "log",
    "warn",
    "error",
    "debug",
    "info",
    "trace",
    "log_1",
    "warn_1",
    "error_1",
    "debug_1",
    "concat",
    "env",
    "include",
    "include_str",
    "cfg",
    "doc",
    "key",
    "event_listener",
    "query_selector",
    "get_element_by_id",
    "set_attribute",
    "get_item",
    "set_item",
    "get_context",
    "dyn_into",
    "unchecked_into",
];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String, usize),
    Ident(String),
    Punct(char),
}

/// Tokens of a Rust source, comments dropped; `usize` is the line.
fn lex(src: &str) -> Vec<Tok> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < b.len() {
        let c = b[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                line += usize::from(b[i] == '\n');
                i += 1;
            }
            i += 2;
        } else if c == '"' || (c == 'r' || c == 'b') && is_string_start(&b, i) {
            let (text, next, lines) = read_string(&b, i);
            out.push(Tok::Str(text, line));
            line += lines;
            i = next;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{202F}') or a lifetime ('a).
            if b.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(b[start..i].iter().collect()));
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

fn is_string_start(b: &[char], i: usize) -> bool {
    let mut j = i;
    if b[j] == 'b' {
        j += 1;
    }
    if b.get(j) == Some(&'r') {
        j += 1;
        while b.get(j) == Some(&'#') {
            j += 1;
        }
    }
    j > i && b.get(j) == Some(&'"') && (i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_'))
}

/// Reads a (raw, byte) string literal at `i`: its text, the index after it,
/// and the newlines it spans.
fn read_string(b: &[char], mut i: usize) -> (String, usize, usize) {
    let mut raw_hashes = None;
    if b[i] == 'b' {
        i += 1;
    }
    if b[i] == 'r' {
        i += 1;
        let mut n = 0;
        while b[i] == '#' {
            n += 1;
            i += 1;
        }
        raw_hashes = Some(n);
    }
    i += 1; // opening quote
    let (mut text, mut lines) = (String::new(), 0);
    while i < b.len() {
        let c = b[i];
        lines += usize::from(c == '\n');
        match raw_hashes {
            Some(n) if c == '"' && (0..n).all(|k| b.get(i + 1 + k) == Some(&'#')) => {
                return (text, i + 1 + n, lines);
            }
            None if c == '\\' => {
                text.push(*b.get(i + 1).unwrap_or(&' '));
                i += 2;
                continue;
            }
            None if c == '"' => return (text, i + 1, lines),
            _ => text.push(c),
        }
        i += 1;
    }
    (text, i, lines)
}

/// Words (letter runs of two or more) not on the allow-list.
fn words_needing_translation(text: &str) -> Vec<String> {
    if ALLOWED_LITERALS.contains(&text) {
        return Vec::new();
    }
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 2)
        .filter(|w| !ALLOWED_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Prose outside markup: a capitalised word ("Pause", "Load balancer") or
/// three words or more ("write failed: primary down").
fn reads_like_prose(text: &str) -> bool {
    let words = words_needing_translation(text);
    if words.is_empty() || text.contains("::") || text.contains('/') && !text.contains(' ') {
        return false;
    }
    let first = text.trim_start();
    let mut chars = first.chars();
    let capitalised = chars.next().is_some_and(char::is_uppercase)
        && chars.next().is_some_and(char::is_lowercase)
        && !first.split_whitespace().next().unwrap_or("").chars().skip(1).any(char::is_uppercase);
    // Whole words only: "14px", "sans-serif" or "node-3" are code, not prose.
    let plain_words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation() && c != '-'))
        .filter(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic));
    // "MySQL primary": a product name qualified by a word that translates.
    let qualified_product = text.contains(' ')
        && text.split(|c: char| !c.is_alphabetic()).any(|w| PRODUCT_NAMES.contains(&w));
    capitalised || qualified_product || plain_words.count() >= 3
}

/// A format string that glues values with a colon or semicolon
/// (`"{}: {}"`): French puts a space before them, so the pattern belongs in
/// the catalog.
fn joins_with_punctuation(text: &str) -> bool {
    text.contains('{') && (text.contains(": ") || text.contains("; "))
}

/// One finding: line and literal.
type Finding = (usize, String);

/// Scans one source file.
fn scan(src: &str) -> Vec<Finding> {
    let toks = lex(src);
    let skip = test_module_ranges(&toks);
    let mut findings = Vec::new();
    let mut in_markup = vec![false; toks.len()];
    // Pass 1: `view!` markup.
    let mut i = 0;
    while i + 2 < toks.len() {
        let is_view = toks[i] == Tok::Ident("view".into())
            && toks[i + 1] == Tok::Punct('!')
            && matches!(toks[i + 2], Tok::Punct('{') | Tok::Punct('('));
        if is_view && !skip.iter().any(|r| r.contains(&i)) {
            scan_view(&toks, i + 2, &mut findings, &mut in_markup);
        }
        i += 1;
    }
    // Pass 2: everything else.
    let mut calls: Vec<Option<String>> = Vec::new(); // enclosing `(` openers
    let mut attr_depth = None;
    for (i, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Punct('#') if toks.get(i + 1) == Some(&Tok::Punct('[')) => {
                attr_depth.get_or_insert(calls.len());
            }
            Tok::Punct('(') | Tok::Punct('[') | Tok::Punct('{') => {
                let name = match (i.checked_sub(2).map(|j| &toks[j]), toks.get(i - 1)) {
                    (Some(Tok::Ident(n)), Some(Tok::Punct('!'))) => Some(n.clone()),
                    (_, Some(Tok::Ident(n))) => Some(n.clone()),
                    _ => None,
                };
                calls.push(name);
            }
            Tok::Punct(')') | Tok::Punct(']') | Tok::Punct('}') => {
                calls.pop();
                if attr_depth == Some(calls.len()) {
                    attr_depth = None;
                }
            }
            Tok::Str(text, line) => {
                if in_markup[i] || attr_depth.is_some() || skip.iter().any(|r| r.contains(&i)) {
                    continue;
                }
                let callee = calls.last().cloned().flatten().unwrap_or_default();
                let developer =
                    calls.iter().flatten().any(|c| DEVELOPER_CALLS.contains(&c.as_str()));
                let flagged = if TEXT_SINKS.contains(&callee.as_str()) {
                    !words_needing_translation(text).is_empty()
                } else {
                    !developer && (reads_like_prose(text) || joins_with_punctuation(text))
                };
                if flagged {
                    findings.push((*line, text.clone()));
                }
            }
            _ => {}
        }
    }
    findings.sort();
    findings.dedup();
    findings
}

/// Token ranges of `#[cfg(test)] mod … { … }` blocks.
fn test_module_ranges(toks: &[Tok]) -> Vec<std::ops::Range<usize>> {
    let cfg_test = [
        Tok::Punct('#'),
        Tok::Punct('['),
        Tok::Ident("cfg".into()),
        Tok::Punct('('),
        Tok::Ident("test".into()),
        Tok::Punct(')'),
        Tok::Punct(']'),
    ];
    let mut out = Vec::new();
    for start in 0..toks.len() {
        if !toks[start..].starts_with(&cfg_test) {
            continue;
        }
        let Some(open) = (start..toks.len()).find(|&j| toks[j] == Tok::Punct('{')) else {
            continue;
        };
        out.push(start..matching(toks, open));
    }
    out
}

/// Index of the bracket closing the one at `open` (any of `({[`).
fn matching(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0i32;
    for (j, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(') | Tok::Punct('[') | Tok::Punct('{') => depth += 1,
            Tok::Punct(')') | Tok::Punct(']') | Tok::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// Markup of one `view! { … }`: text nodes and visible attribute values.
/// Code inside `{ … }` is left to pass 2 (and to nested `view!` scans).
fn scan_view(toks: &[Tok], open: usize, findings: &mut Vec<Finding>, in_markup: &mut [bool]) {
    let close = matching(toks, open);
    let (mut braces, mut parens) = (0, 0);
    let mut attribute: Option<String> = None;
    for i in open + 1..close {
        match &toks[i] {
            Tok::Punct('{') => braces += 1,
            Tok::Punct('}') => braces -= 1,
            _ if braces > 0 => {}
            Tok::Punct('(') => parens += 1,
            Tok::Punct(')') => parens -= 1,
            Tok::Punct('=') if parens == 0 => attribute = Some(attribute_name(toks, i)),
            Tok::Punct('>') | Tok::Punct('<') if parens == 0 => attribute = None,
            Tok::Str(text, line) => {
                in_markup[i] = true;
                let value_of = if toks[i - 1] == Tok::Punct('=') || parens > 0 {
                    attribute.as_deref()
                } else {
                    None
                };
                let visible = match value_of {
                    Some(name) => VISIBLE_ATTRIBUTES.contains(&name),
                    None => true, // a text node
                };
                if visible && !words_needing_translation(text).is_empty() {
                    findings.push((*line, text.clone()));
                }
            }
            _ => {}
        }
    }
}

/// `aria-label` from the tokens `aria` `-` `label` before `=` at `eq`.
fn attribute_name(toks: &[Tok], eq: usize) -> String {
    // Identifiers joined by `-` or `:`; two identifiers in a row are a tag
    // name and an attribute (`<span title=`), so the walk stops there.
    let mut parts = Vec::new();
    let mut j = eq;
    while let Some(Tok::Ident(s)) = j.checked_sub(1).map(|k| &toks[k]) {
        parts.push(s.clone());
        j -= 1;
        match j.checked_sub(1).map(|k| &toks[k]) {
            Some(Tok::Punct(c @ ('-' | ':'))) => {
                parts.push(c.to_string());
                j -= 1;
            }
            _ => break,
        }
    }
    parts.reverse();
    parts.concat()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "i18n") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_user_visible_literal_in_the_app_source() {
    let src_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src_dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no source found under {}", src_dir.display());
    let mut report = Vec::new();
    for file in files {
        let src = std::fs::read_to_string(&file).expect("readable source");
        for (line, text) in scan(&src) {
            let rel = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&file);
            report.push(format!("{}:{line}: {text:?}", rel.display()));
        }
    }
    assert!(
        report.is_empty(),
        "user-visible text must come from locales/ (see ARCHITECTURE.md, \"How to add a string\"):\n  {}",
        report.join("\n  ")
    );
}

#[test]
fn the_scanner_finds_what_it_should_and_nothing_else() {
    let src = r##"
        fn a() -> impl IntoView {
            let label = move || if on { "Pause" } else { "Play" };
            let cls = "link dns-link";
            let font = "700 14px system-ui, sans-serif";
            let x = v.expect("the Default preset is valid");
            ctx.fill_text("FW1: 3306 denied", 1.0, 2.0);
            chart.caption("QPS", ("sans-serif", 14));
            let hops = format!("{}: {}", n, list.join(", "));
            view! {
                <p class="figure big" data-testid="qps" aria-label="Run controls">"QPS"</p>
                <span title=format!("Server {}", n) class=format!("node {}", k)>"t = " {x} " s"</span>
                <b>{t(k::common::PLAY)} "HAProxy" "12,345.6" "→"</b>
                {if up { "MySQL primary" } else { "DNS" }}
                <text>{move || if on { "Up" } else { "→" }}</text>
            }
        }
        #[cfg(test)]
        mod tests { fn t() { let _ = "Some English here"; } }
    "##;
    let found: Vec<String> = scan(src).into_iter().map(|(_, s)| s).collect();
    let mut want = [
        "Pause",
        "Play",
        "FW1: 3306 denied",
        "QPS",
        "Run controls",
        "Server {}",
        "Up",
        "MySQL primary",
        "{}: {}",
    ]
    .map(String::from)
    .to_vec();
    want.sort();
    want.dedup();
    let mut found_sorted = found.clone();
    found_sorted.sort();
    found_sorted.dedup();
    assert_eq!(found_sorted, want, "scanner output: {found:?}");
}
