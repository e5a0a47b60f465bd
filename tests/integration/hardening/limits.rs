//! Limits documented, `unsafe` confined.

use super::*;

// ---------------------------------------------------------------------------------------
// 5 and 6. Limits documented, `unsafe` confined
// ---------------------------------------------------------------------------------------

#[test]
fn the_readme_documents_the_limits() {
    let readme = std::fs::read_to_string(samples_dir().join("../README.md")).unwrap();
    let limits = readme
        .split("\n## Limits\n")
        .nth(1)
        .expect("a Limits section");
    let limits = limits.split("\n## ").next().unwrap();
    let depth = eblog_grammars::error::MAX_DEPTH;
    assert!(limits.contains(&format!("{depth} levels")), "{limits}");
    assert!(limits.contains("`parse_error`"));
}

/// Every module of the crate forbids `unsafe` code except `src/mapped.rs`, whose `unsafe`
/// block is explained by a `// SAFETY:` comment; no other file holds an `unsafe` block.
#[test]
fn unsafe_code_lives_in_one_module() {
    let src = samples_dir().join("../src");
    let mut top: Vec<PathBuf> = Vec::new();
    let mut all: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                top.extend(Some(p.join("mod.rs")).filter(|m| m.exists() && d == src));
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                if d == src {
                    top.push(p.clone());
                }
                all.push(p);
            }
        }
    }
    assert!(top.len() >= 16, "{top:?}");
    for path in &top {
        let name = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        match name.as_str() {
            "lib.rs" => assert!(text.contains("#![deny(unsafe_code)]")),
            "mapped.rs" => assert!(text.contains("#![allow(unsafe_code)]")),
            // The binary exports jemalloc's options: one `no_mangle` static, explained.
            "main.rs" => {
                assert!(text.contains("#![deny(unsafe_code)]"));
                assert_eq!(text.matches("#[allow(unsafe_code)]").count(), 1);
                assert!(text.contains("// SAFETY:") && text.contains("#[no_mangle]"));
            }
            _ => assert!(
                text.contains("#![forbid(unsafe_code)]"),
                "{name} forbids unsafe code"
            ),
        }
    }
    for path in &all {
        let text = std::fs::read_to_string(path).unwrap();
        let blocks: Vec<usize> = text.match_indices("unsafe {").map(|(i, _)| i).collect();
        if path.ends_with("main.rs") && path.parent() == Some(src.as_path()) {
            assert!(blocks.is_empty(), "{path:?}");
        } else if path.ends_with("mapped.rs") {
            assert_eq!(blocks.len(), 1);
            assert!(
                text[..blocks[0]].contains("// SAFETY:"),
                "the block is explained"
            );
        } else {
            assert!(
                blocks.is_empty() && !text.contains("allow(unsafe_code)"),
                "{path:?}"
            );
        }
    }
}
