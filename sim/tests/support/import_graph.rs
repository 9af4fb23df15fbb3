//! The import graph between a crate's top-level modules, read from the
//! `crate::` paths of its non-test code, and the cycles in it.
//!
//! Shared by the tests that keep a crate free of import cycles (the sim's
//! `sim/tests/no_import_cycles.rs`, the app's `tests/no_import_cycles.rs`,
//! through `#[path = ".../import_graph.rs"] mod import_graph;`). Standard library
//! only, so any test can include it.
//!
//! What counts: every `crate::NAME` path of the code, in `use` trees
//! (`crate::{a::X, b}` names `a` and `b`) and inline (`crate::a::f()`),
//! where NAME is a top-level module (a file `src/NAME.rs` or a folder
//! `src/NAME/`) or, in code, a name the crate root re-exports (`pub use
//! crate::a::X;` in `lib.rs`: `crate::X` is `a`'s). Doc comments count too
//! when a link names a module (`[`crate::a::X`]` ties the docs to `a`'s
//! internals); a link to a root re-export (`[`crate::X`]`) is to the crate's
//! public face and does not. Plain comments and literals never count.
//!
//! A file belongs to the top-level module it lies in. Skipped: the crate
//! roots (`lib.rs`, `main.rs`), `src/bin/` (other crates), and test code:
//! an item under `#[cfg(test)]` (a `mod tests { … }` block, a helper) and
//! the file of a `#[cfg(test)] mod NAME;`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The groups of top-level modules that import each other in a circle
/// (strongly connected components of more than one module), each sorted by
/// name; empty when the graph has no cycle.
pub fn cycles(src_dir: &Path) -> Vec<Vec<String>> {
    let graph = Graph::read(src_dir);
    let mut found = strongly_connected(&graph.successors());
    found.retain(|group| group.len() > 1);
    for group in &mut found {
        group.sort();
    }
    found.sort();
    found
}

/// For a failure message: each group, then each import between two of its
/// modules with the first place it is written (`from → to  (file:line)`).
pub fn explain(src_dir: &Path, groups: &[Vec<String>]) -> String {
    let graph = Graph::read(src_dir);
    let mut out = String::new();
    for group in groups {
        out.push_str(&format!("cycle between {}:\n", group.join(", ")));
        for ((from, to), at) in &graph.edges {
            if group.contains(from) && group.contains(to) {
                out.push_str(&format!("  {from} → {to}  ({at})\n"));
            }
        }
    }
    out
}

/// Every import `from → to` between two top-level modules, with the first
/// place (`path:line`, relative to `src_dir`) that writes it, sorted.
pub fn edges(src_dir: &Path) -> Vec<(String, String, String)> {
    Graph::read(src_dir).edges.into_iter().map(|((from, to), at)| (from, to, at)).collect()
}

/// Edges `from → to` between top-level modules, each with the first place
/// (`path:line`, relative to the source folder) that writes it.
struct Graph {
    edges: BTreeMap<(String, String), String>,
    modules: BTreeSet<String>,
}

impl Graph {
    fn read(src_dir: &Path) -> Graph {
        let mut files = Vec::new();
        rust_files(src_dir, &mut files);
        files.sort();
        let top = |file: &Path| -> Option<String> {
            let rel = file.strip_prefix(src_dir).ok()?;
            let mut parts = rel.components();
            let first = parts.next()?.as_os_str().to_str()?.to_owned();
            let is_file = parts.next().is_none();
            match (first.as_str(), is_file) {
                ("lib.rs" | "main.rs", true) | ("bin", false) => None,
                (name, true) => Some(name.strip_suffix(".rs").unwrap_or(name).to_owned()),
                (name, false) => Some(name.to_owned()),
            }
        };
        let modules: BTreeSet<String> = files.iter().filter_map(|f| top(f)).collect();
        let mut texts: Vec<(PathBuf, Vec<(Token, usize)>)> = files
            .iter()
            .map(|f| {
                let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                (f.clone(), tokens(&text))
            })
            .collect();
        // The crate root's `use crate::a::X;` lets `crate::X` name `a`.
        let mut aliases = BTreeMap::new();
        for (file, toks) in &texts {
            if file.parent() == Some(src_dir) && file.file_name().is_some_and(|n| n == "lib.rs") {
                for (path, alias) in crate_paths(toks).into_iter().flat_map(|(p, _, _)| p) {
                    let leaf = alias.or_else(|| path.last().cloned());
                    if let (Some(leaf), Some(first)) = (leaf, path.first()) {
                        if path.len() > 1 && modules.contains(first) {
                            aliases.entry(leaf).or_insert_with(|| first.clone());
                        }
                    }
                }
            }
        }
        // Files declared `#[cfg(test)] mod NAME;` are test code.
        let mut test_files: BTreeSet<PathBuf> = BTreeSet::new();
        for (file, toks) in &mut texts {
            let (code, test_mods) = without_test_items(toks);
            *toks = code;
            let children = children_dir(file);
            for name in test_mods {
                test_files.insert(children.join(format!("{name}.rs")));
                test_files.insert(children.join(&name));
            }
        }
        let mut edges = BTreeMap::new();
        for (file, toks) in &texts {
            if test_files.iter().any(|t| file.starts_with(t)) || whole_file_is_test(toks) {
                continue;
            }
            let Some(from) = top(file) else { continue };
            let rel = file.strip_prefix(src_dir).unwrap_or(file).display().to_string();
            for (paths, line, doc) in crate_paths(toks) {
                for (path, _) in paths {
                    let Some(first) = path.first() else { continue };
                    let to = if modules.contains(first) {
                        first.clone()
                    } else if let Some(module) = aliases.get(first).filter(|_| !doc) {
                        module.clone()
                    } else {
                        continue;
                    };
                    if to != from {
                        edges.entry((from.clone(), to)).or_insert_with(|| format!("{rel}:{line}"));
                    }
                }
            }
        }
        Graph { edges, modules }
    }

    fn successors(&self) -> BTreeMap<String, Vec<String>> {
        let mut next: BTreeMap<String, Vec<String>> =
            self.modules.iter().map(|m| (m.clone(), Vec::new())).collect();
        for (from, to) in self.edges.keys() {
            next.entry(from.clone()).or_default().push(to.clone());
        }
        next
    }
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Where the files of `file`'s child modules live.
fn children_dir(file: &Path) -> PathBuf {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name {
        "mod.rs" | "lib.rs" | "main.rs" => file.parent().unwrap_or(file).to_path_buf(),
        _ => file.with_extension(""),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    /// `::`
    PathSep,
    /// `crate` opening a path in a doc comment.
    DocCrate,
    Punct(char),
}

/// The tokens of a Rust source (with their line numbers), without comments,
/// string and character literals.
fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            let start = i;
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            let doc = matches!(at(start + 2), '/' | '!') && at(start + 3) != '/';
            if doc {
                doc_links(&chars[start..i], line, &mut out);
            }
        } else if c == '/' && at(i + 1) == '*' {
            let (start, first_line) = (i, line);
            let doc = matches!(at(i + 2), '*' | '!') && at(i + 3) != '/';
            let mut depth = 0;
            loop {
                if i >= chars.len() {
                    break;
                } else if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
            if doc {
                doc_links(&chars[start..i.min(chars.len())], first_line, &mut out);
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1, None, &mut line);
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                // An escaped character literal: up to its closing quote.
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                // A lifetime or label: its name reads as an identifier.
                i += 1;
            }
        } else if ident_char(c) {
            let start = i;
            while i < chars.len() && ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let raw = matches!(word.as_str(), "r" | "br" | "cr");
            if (raw || word == "b" || word == "c") && at(i) == '"' {
                i = skip_string(&chars, i + 1, raw.then_some(0), &mut line);
            } else if raw && at(i) == '#' {
                let mut hashes = 0;
                while at(i) == '#' {
                    hashes += 1;
                    i += 1;
                }
                if at(i) == '"' {
                    i = skip_string(&chars, i + 1, Some(hashes), &mut line);
                } else {
                    // A raw identifier (`r#type`): the name comes next.
                    continue;
                }
            } else if word == "b" && at(i) == '\'' {
                // A byte literal: the quote is handled as a character's.
                continue;
            } else {
                out.push((Token::Ident(word), line));
            }
        } else if c == ':' && at(i + 1) == ':' {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// The `crate::a::b` paths a doc comment links to (rustdoc resolves them,
/// so they name the module as code does), as tokens. Only these are read:
/// a doc comment's prose is not code.
fn doc_links(text: &[char], mut line: usize, out: &mut Vec<(Token, usize)>) {
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    let starts_path = |i: usize| {
        text[i..].starts_with(&['c', 'r', 'a', 't', 'e', ':', ':'])
            && (i == 0 || !(ident_char(text[i - 1]) || text[i - 1] == '$'))
    };
    let mut i = 0;
    while i < text.len() {
        if text[i] == '\n' {
            line += 1;
        }
        if !starts_path(i) {
            i += 1;
            continue;
        }
        out.push((Token::DocCrate, line));
        i += "crate".len();
        while text[i..].starts_with(&[':', ':']) && text.get(i + 2).is_some_and(|&c| ident_char(c))
        {
            i += 2;
            let start = i;
            while i < text.len() && ident_char(text[i]) {
                i += 1;
            }
            out.push((Token::PathSep, line));
            out.push((Token::Ident(text[start..i].iter().collect()), line));
        }
        // Whatever follows in the prose is not part of the path.
        out.push((Token::Punct(' '), line));
    }
}

/// Skips a string literal's body from `i` (after its opening quote) and
/// returns the index after its end. A raw string (`raw_hashes`: how many
/// `#` it was opened with) has no escapes and ends at a quote followed by
/// that many `#`.
fn skip_string(chars: &[char], mut i: usize, raw_hashes: Option<usize>, line: &mut usize) -> usize {
    let hashes = raw_hashes.unwrap_or(0);
    while i < chars.len() {
        match chars[i] {
            '\\' if raw_hashes.is_none() => {
                *line += usize::from(chars.get(i + 1) == Some(&'\n'));
                i += 2;
            }
            '"' if chars[i + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes => {
                return i + 1 + hashes;
            }
            c => {
                *line += usize::from(c == '\n');
                i += 1;
            }
        }
    }
    i
}

/// Whether the file starts with `#![cfg(test)]`: all of it is test code.
fn whole_file_is_test(toks: &[(Token, usize)]) -> bool {
    let kinds: Vec<&Token> = toks.iter().map(|(t, _)| t).collect();
    kinds.windows(7).any(|w| {
        w == [
            &Token::Punct('#'),
            &Token::Punct('!'),
            &Token::Punct('['),
            &Token::Ident("cfg".into()),
            &Token::Punct('('),
            &Token::Ident("test".into()),
            &Token::Punct(')'),
        ]
    })
}

/// The tokens without the items under `#[cfg(test)]`, and the names of the
/// modules declared that way in a file of their own (`#[cfg(test)] mod x;`).
fn without_test_items(toks: &[(Token, usize)]) -> (Vec<(Token, usize)>, Vec<String>) {
    let is = |i: usize, t: Token| toks.get(i).is_some_and(|(x, _)| *x == t);
    let ident = |i: usize, name: &str| is(i, Token::Ident(name.into()));
    let mut out = Vec::new();
    let mut test_mods = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let cfg_test = is(i, Token::Punct('#'))
            && is(i + 1, Token::Punct('['))
            && ident(i + 2, "cfg")
            && is(i + 3, Token::Punct('('))
            && ident(i + 4, "test")
            && is(i + 5, Token::Punct(')'))
            && is(i + 6, Token::Punct(']'));
        if !cfg_test {
            out.push(toks[i].clone());
            i += 1;
            continue;
        }
        i += 7;
        // Further attributes of the same item.
        while is(i, Token::Punct('#')) && is(i + 1, Token::Punct('[')) {
            i = past_group(toks, i + 1);
        }
        // The item: up to a `;` or the closing bracket of its body, at depth 0.
        let start = i;
        let mut depth = 0i32;
        while i < toks.len() {
            match toks[i].0 {
                Token::Punct('(' | '[' | '{') => depth += 1,
                Token::Punct(')' | ']' | '}') => {
                    depth -= 1;
                    if depth == 0 && toks[i].0 == Token::Punct('}') {
                        i += 1;
                        break;
                    }
                }
                Token::Punct(';') if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let item: Vec<&Token> = toks[start..i].iter().map(|(t, _)| t).collect();
        if let [.., Token::Ident(m), Token::Ident(name), Token::Punct(';')] = item.as_slice() {
            if m == "mod" {
                test_mods.push(name.clone());
            }
        }
    }
    (out, test_mods)
}

/// The index after the bracketed group that opens at `open`.
fn past_group(toks: &[(Token, usize)], open: usize) -> usize {
    let mut depth = 0i32;
    let mut i = open;
    while i < toks.len() {
        match toks[i].0 {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// A path below `crate::` (its segments) and the name it is imported as.
type CratePath = (Vec<String>, Option<String>);

/// Every `crate::…` path or use tree (not `$crate::`), with its line and
/// whether it is a doc comment's link.
fn crate_paths(toks: &[(Token, usize)]) -> Vec<(Vec<CratePath>, usize, bool)> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let after_dollar = i > 0 && toks[i - 1].0 == Token::Punct('$');
        let doc = toks[i].0 == Token::DocCrate;
        if (doc || toks[i].0 == Token::Ident("crate".into()) && !after_dollar)
            && toks.get(i + 1).is_some_and(|(t, _)| *t == Token::PathSep)
        {
            out.push((use_tree(toks, i + 2).0, toks[i].1, doc));
        }
    }
    out
}

/// Reads a path or use tree from `i`: its branches and the index after it.
fn use_tree(toks: &[(Token, usize)], mut i: usize) -> (Vec<CratePath>, usize) {
    let tok = |i: usize| toks.get(i).map(|(t, _)| t.clone());
    let mut segments = Vec::new();
    loop {
        match tok(i) {
            Some(Token::Ident(name)) => {
                segments.push(name);
                i += 1;
            }
            Some(Token::Punct('{')) => {
                let mut branches = Vec::new();
                i += 1;
                while let Some(t) = tok(i) {
                    if t == Token::Punct('}') {
                        i += 1;
                        break;
                    }
                    let (inner, next) = use_tree(toks, i);
                    if next == i {
                        break;
                    }
                    for (path, alias) in inner {
                        branches.push(([segments.clone(), path].concat(), alias));
                    }
                    i = next;
                    if tok(i) == Some(Token::Punct(',')) {
                        i += 1;
                    }
                }
                return (branches, i);
            }
            Some(Token::Punct('*')) => {
                segments.push("*".into());
                i += 1;
                break;
            }
            _ => break,
        }
        if tok(i) == Some(Token::PathSep) {
            i += 1;
        } else {
            break;
        }
    }
    let mut alias = None;
    if tok(i) == Some(Token::Ident("as".into())) {
        if let Some(Token::Ident(name)) = tok(i + 1) {
            alias = Some(name);
            i += 2;
        }
    }
    (vec![(segments, alias)], i)
}

/// Tarjan's strongly connected components of `graph`.
fn strongly_connected(graph: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, Vec<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            s.found.push(group);
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.found
}
