//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The repository's `samples/` folder.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Every `.log` file in `samples/`, sorted by name.
pub fn sample_logs() -> Vec<PathBuf> {
    let mut logs: Vec<PathBuf> = std::fs::read_dir(samples_dir())
        .expect("samples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    logs.sort();
    logs
}

/// The `eblog` binary built for this test run.
pub fn eblog() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("eblog").expect("eblog binary builds")
}

/// Runs `eblog parse` with `args` and returns its stdout parsed as JSON lines.
pub fn parse_json(args: &[&str]) -> Vec<serde_json::Value> {
    let out = eblog()
        .arg("parse")
        .args(args)
        .output()
        .expect("eblog runs");
    assert!(
        out.status.success(),
        "eblog parse {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}

/// Parses JSON lines.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(stdout.to_vec())
        .expect("stdout is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}
