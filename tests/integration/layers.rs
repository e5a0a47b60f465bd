//! The layers of `src/` point one way (docs/architecture.md "Layers"): no file imports
//! (`crate::...`) from a layer above its own, and no two modules import each other.
//! Test modules (`#[cfg(test)]` onwards) and comments are not looked at.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layer of a file under `src/` (lower is lower), and its module's name for the
/// cycle check. The decode directory holds two layers: the template decoders and the
/// pieces they share (below the formats) and the decode loop, `decode/mod.rs` (above).
fn layer(rel: &str) -> (u8, String) {
    let top = rel.split('/').next().unwrap_or(rel).trim_end_matches(".rs");
    let rank = match rel {
        "decode/mod.rs" => return (5, "decode-loop".into()),
        // The sink traits, which the pipeline writes into.
        "sink/mod.rs" => return (5, "sink-traits".into()),
        _ => match top {
            "time" | "ids" | "mapped" | "redact" | "output" | "lib" => 0,
            "record" => 1,
            "decode" => 2,
            "formats" => 3,
            "framing" => 4,
            "pipeline" | "follow" | "input" => 6,
            "scan" | "shard" => 7,
            "sink" | "correlate" | "filter" | "report" => 8,
            "cli" | "main" => 9,
            other => panic!("src/{rel}: module `{other}` has no layer in this test: give it one"),
        },
    };
    (rank, top.to_owned())
}

/// The file a `crate::a::b` path names: the deepest existing module file.
fn resolve(src: &Path, segments: &[&str]) -> Option<String> {
    let mut best = None;
    let mut dir = PathBuf::new();
    for seg in segments {
        let file = dir.join(format!("{seg}.rs"));
        let module = dir.join(seg).join("mod.rs");
        if src.join(&file).is_file() {
            best = Some(file);
        } else if src.join(&module).is_file() {
            best = Some(module);
        } else {
            break;
        }
        dir.push(seg);
    }
    best.map(|p| p.to_string_lossy().replace('\\', "/"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file (`cli/collect.rs` → `cli::collect`, `cli/mod.rs` → `cli`).
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// The leading module-name segments of `text` (`a::b::Item` → `a`, `b`).
fn segments(text: &str) -> Vec<&str> {
    text.split("::")
        .map(|s| {
            let end = s
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                .unwrap_or(s.len());
            &s[..end]
        })
        .take_while(|s| !s.is_empty() && *s != "super")
        .collect()
}

/// The files a line's `crate::` and `super::` paths name.
fn targets(src: &Path, module: &[String], line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        if let Some(t) = resolve(src, &segments(&line[at + "crate::".len()..])) {
            found.push(t);
        }
    }
    let mut at = 0;
    while let Some(i) = line[at..].find("super::") {
        let start = at + i;
        let mut rest = &line[start..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        at = line.len() - rest.len();
        if ups > module.len() {
            continue;
        }
        let mut path: Vec<&str> = module[..module.len() - ups]
            .iter()
            .map(String::as_str)
            .collect();
        path.extend(segments(rest));
        let target = if path.is_empty() {
            Some("lib.rs".to_owned())
        } else {
            resolve(src, &path)
        };
        found.extend(target.map(|t| through_reexport(&t, rest)));
    }
    found
}

/// The template decoders take the shared pieces through `decode/mod.rs`'s re-export
/// (`use super::{Found, Message}`): those items are defined in `decode/parts.rs`.
fn through_reexport(target: &str, rest: &str) -> String {
    const PARTS: [&str; 4] = ["Found", "Message", "Context", "text"];
    let names: Vec<&str> = rest
        .trim_start_matches('{')
        .split(['}', ';'])
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    if target == "decode/mod.rs" && names.iter().all(|n| PARTS.contains(n)) {
        "decode/parts.rs".to_owned()
    } else {
        target.to_owned()
    }
}

/// Every `(importing file, imported file)` of `src/`.
fn imports() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let module = module_of(&rel);
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for target in targets(&src, &module, line) {
                if target != rel {
                    edges.push((rel.clone(), target));
                }
            }
        }
    }
    edges.sort();
    edges.dedup();
    edges
}

/// Known cycles being taken apart on other branches (the sink traits that `scan/`
/// defines move into `sink/`); each is a pair of module names.
const KNOWN_CYCLES: [(&str, &str); 0] = [];

#[test]
fn no_file_imports_from_a_layer_above_its_own() {
    let edges = imports();
    assert!(edges.len() > 50, "the scan found the imports: {edges:?}");
    let upward: Vec<String> = edges
        .iter()
        .filter(|(from, to)| layer(to).0 > layer(from).0)
        .map(|(from, to)| {
            format!(
                "src/{from} (layer {}) imports src/{to} (layer {})",
                layer(from).0,
                layer(to).0
            )
        })
        .collect();
    assert!(
        upward.is_empty(),
        "imports that point up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let modules: BTreeSet<(String, String)> = imports()
        .iter()
        .map(|(from, to)| (layer(from).1, layer(to).1))
        .filter(|(a, b)| a != b)
        .collect();
    let known = |a: &str, b: &str| {
        KNOWN_CYCLES
            .iter()
            .any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
    };
    let cycles: Vec<String> = modules
        .iter()
        .filter(|(a, b)| a < b && modules.contains(&(b.clone(), a.clone())) && !known(a, b))
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    assert!(
        cycles.is_empty(),
        "modules that import each other: {cycles:?}"
    );
}

#[test]
fn the_cli_files_do_not_import_each_other() {
    // `cli/collect.rs` and `cli/commands.rs` both build on `cli/exec_table.rs`.
    let edges = imports();
    let cli: BTreeSet<(&str, &str)> = edges
        .iter()
        .filter(|(a, b)| a.starts_with("cli/") && b.starts_with("cli/"))
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let pairs: Vec<_> = cli
        .iter()
        .filter(|(a, b)| a < b && cli.contains(&(*b, *a)))
        .collect();
    assert!(pairs.is_empty(), "{pairs:?}");
}
