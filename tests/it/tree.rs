//! The source tree keeps its shape: a folder per pipeline stage, few files at the top, and
//! types that flow one way. Read from `src/` itself; no build needed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::root;

/// A module's path from the crate root: `["checks", "ha"]`; the root is `[]`.
type ModulePath = Vec<String>;

fn module_path(src: &Path, file: &Path) -> ModulePath {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut segments: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if segments.last().is_some_and(|s| s == "mod") {
        segments.pop();
    }
    if segments == ["lib"] || segments == ["main"] {
        segments.clear();
    }
    segments
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file outside its tests, without comments.
fn code(text: &str) -> String {
    let outside_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    outside_tests
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names after `crate::` or `super::`, made absolute; `{a, b}` groups
/// give one path each.
fn named_paths(code: &str, module: &ModulePath) -> Vec<ModulePath> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut paths = Vec::new();
    for (anchor, base) in [
        ("crate::", Vec::new()),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        for (at, _) in code.match_indices(anchor) {
            if at > 0 && code[..at].ends_with(ident) {
                continue;
            }
            let rest = &code[at + anchor.len()..];
            let mut path = base.clone();
            let mut tail = rest;
            loop {
                let name: String = tail.chars().take_while(|c| ident(*c)).collect();
                if name.is_empty() {
                    break;
                }
                tail = &tail[name.len()..];
                path.push(name);
                match tail.strip_prefix("::") {
                    Some(t) => tail = t,
                    None => break,
                }
            }
            if let Some(group) = tail.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                for item in group.split(',') {
                    let first: String = item.trim().chars().take_while(|c| ident(*c)).collect();
                    if !first.is_empty() {
                        let mut p = path.clone();
                        p.push(first);
                        paths.push(p);
                    }
                }
            }
            paths.push(path);
        }
    }
    paths
}

/// Edges between modules: who names whom.
fn module_graph() -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<ModulePath> = files.iter().map(|f| module_path(&src, f)).collect();
    let resolve = |p: &ModulePath| -> Option<ModulePath> {
        (0..=p.len())
            .rev()
            .map(|n| p[..n].to_vec())
            .find(|m| modules.contains(m))
    };
    let mut graph: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
    for file in &files {
        let module = module_path(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for named in named_paths(&code(&text), &module) {
            if let Some(target) = resolve(&named).filter(|t| *t != module) {
                graph.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    graph
}

/// A cycle of `edges`, if there is one, as the nodes around it.
fn cycle<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
    fn visit<N: Ord + Clone>(
        n: &N,
        edges: &BTreeMap<N, BTreeSet<N>>,
        done: &mut BTreeSet<N>,
        stack: &mut Vec<N>,
    ) -> Option<Vec<N>> {
        if let Some(at) = stack.iter().position(|s| s == n) {
            return Some(stack[at..].to_vec());
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.clone());
        for next in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, edges, done, stack) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut done, &mut Vec::new()))
}

#[test]
fn top_level_modules_import_one_way() {
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in module_graph() {
        for t in to {
            if let (Some(a), Some(b)) = (from.first(), t.first()) {
                if a != b {
                    top.entry(a.clone()).or_default().insert(b.clone());
                }
            }
        }
    }
    assert!(
        top["cli"].contains("scan"),
        "the graph reads imports: {top:?}"
    );
    assert_eq!(cycle(&top), None, "top-level modules import each other");
    for (from, forbidden) in [
        ("collect", "checks"),
        ("checks", "collect"),
        ("checks", "report"),
    ] {
        assert!(
            !top.get(from).is_some_and(|t| t.contains(forbidden)),
            "{from} imports {forbidden}"
        );
    }
}

#[test]
fn modules_of_one_folder_import_one_way() {
    let mut siblings: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
    for (from, to) in module_graph() {
        for t in to {
            if from.len() >= 2
                && t.len() == from.len()
                && t[..t.len() - 1] == from[..from.len() - 1]
            {
                siblings.entry(from.clone()).or_default().insert(t);
            }
        }
    }
    assert_eq!(
        cycle(&siblings),
        None,
        "modules of one folder import each other"
    );
}

#[test]
fn cycles_are_found() {
    let edges: BTreeMap<&str, BTreeSet<&str>> = [
        ("a", ["b"].into()),
        ("b", ["c"].into()),
        ("c", ["a"].into()),
    ]
    .into();
    assert_eq!(cycle(&edges), Some(vec!["a", "b", "c"]));
    let code = "use crate::checks::{Finding, scope::narrow};\nsuper::edge::label(x); // crate::cli";
    let named = named_paths(code, &vec!["checks".into(), "ha".into()]);
    assert!(named.contains(&vec!["checks".to_owned(), "scope".to_owned()]));
    assert!(named.contains(&vec![
        "checks".to_owned(),
        "edge".to_owned(),
        "label".to_owned()
    ]));
}

#[test]
fn the_top_of_src_holds_at_most_eight_files() {
    let files: Vec<String> = std::fs::read_dir(root().join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() <= 8, "{files:?}");
}
