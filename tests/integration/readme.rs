//! The README shows what eblog prints: every `console` block's commands are run against
//! `samples/` and their output compared with the block (a line `...` stands for any
//! lines, none included).

use std::path::Path;
use std::process::Command;

/// A command shown in the README and the output shown under it.
struct Example {
    line: usize,
    command: String,
    output: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (i, line) in readme.lines().enumerate() {
        if !in_console {
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.starts_with("```") {
            in_console = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: i + 1,
                command: command.to_owned(),
                output: Vec::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.output.push(line.to_owned());
        }
    }
    examples
}

/// Whether `actual` is `expected`, where an expected `...` line stands for any lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first().is_some_and(|a| a == first) && matches(rest, &actual[1..])
        }
    }
}

/// Programs a README example may call besides eblog, so that it runs on any machine.
const TOOLS: [&str; 5] = ["head", "tail", "cut", "grep", "wc"];

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let examples = examples(&readme);
    assert!(examples.len() >= 4, "found {} examples", examples.len());
    let bin = Path::new(env!("CARGO_BIN_EXE_eblog"))
        .parent()
        .expect("the binary's directory");
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH joins");
    let mut wrong = Vec::new();
    for example in &examples {
        for stage in example.command.split('|') {
            let program = stage.split_whitespace().next().unwrap_or("");
            assert!(
                program == "eblog" || TOOLS.contains(&program),
                "README.md:{}: {program} is not a tool every machine has",
                example.line
            );
        }
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(&example.command).current_dir(root);
        for var in crate::util::TERMINAL_VARS {
            cmd.env_remove(var);
        }
        let out = cmd
            .env("PATH", &path)
            .env("TZ", "UTC")
            .output()
            .expect("sh runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let actual: Vec<&str> = stdout.lines().collect();
        if !matches(&example.output, &actual) {
            wrong.push(format!(
                "README.md:{}: $ {}\n--- shown\n{}\n--- printed\n{}",
                example.line,
                example.command,
                example.output.join("\n"),
                stdout.trim_end()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_wildcard_matches_any_lines() {
    let expected: Vec<String> = ["a", "...", "z"].map(str::to_owned).to_vec();
    assert!(matches(&expected, &["a", "z"]));
    assert!(matches(&expected, &["a", "b", "c", "z"]));
    assert!(!matches(&expected, &["a", "b"]));
    assert!(!matches(&expected, &["b", "z"]));
}
