//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The repository's `samples/` folder.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Every log file under `samples/` (not the READMEs or the wrapper samples of
/// `samples/bundles/`), sorted by path.
pub fn sample_logs() -> Vec<PathBuf> {
    let mut logs = Vec::new();
    let mut dirs = vec![samples_dir()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("samples/ exists") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                if !path.ends_with("bundles") {
                    dirs.push(path);
                }
            } else if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".log"))
            {
                logs.push(path);
            }
        }
    }
    logs.sort();
    logs
}

/// `samples/al2/nginx/error.log` → `al2/nginx/error.log`.
pub fn sample_name(path: &Path) -> String {
    path.strip_prefix(samples_dir())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
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
