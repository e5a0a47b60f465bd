//! Follow mode: appends, rotation by rename, truncation, idle flush and Ctrl-C.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const A: &str = "[2019-03-04T17:22:05.123Z] INFO  [3127]  : Running 1 of 2 actions: First...\n";
const B: &str = "[2019-03-04T17:22:06.000Z] INFO  [3127]  : Running 2 of 2 actions: Second...\n";
const C: &str = "[2019-03-04T17:23:00.000Z] INFO  [4000]  : Command CMD-AppDeploy succeeded!\n";
const FAILED: &str = "[2019-03-04T17:24:00.000Z] ERROR [4000]  : Command execution failed: x (A::B)\ncaused by: y (C::D)\n";

fn append(path: &std::path::Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// The next JSON record from the child, waiting at most a few seconds.
fn next(rx: &mpsc::Receiver<String>) -> serde_json::Value {
    let line = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a record within 10 s");
    serde_json::from_str(&line).unwrap()
}

#[test]
fn follows_appends_rotation_and_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("eb-commandprocessor.log");
    append(&log, A);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
        .args(["parse", "--follow"])
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });

    // The existing line is held until the idle time passes (it could still grow).
    let first = next(&rx);
    assert_eq!(
        (first["line"].as_u64(), first["action"].as_str()),
        (Some(1), Some("First"))
    );

    append(&log, B);
    let second = next(&rx);
    assert_eq!(
        (second["line"].as_u64(), second["index"].as_u64()),
        (Some(2), Some(2))
    );

    // A multi-line record arrives whole and is written after the idle time.
    append(&log, FAILED);
    let failed = next(&rx);
    assert_eq!(
        (failed["kind"].as_str(), failed["end_line"].as_u64()),
        (Some("command_failed"), Some(4))
    );
    assert_eq!(failed["exceptions"][1]["class"], "C::D");

    // Rotation by rename: a new file starts at line 1.
    std::fs::rename(&log, dir.path().join("eb-commandprocessor.log.1")).unwrap();
    append(&log, C);
    let rotated = next(&rx);
    assert_eq!(
        (rotated["line"].as_u64(), rotated["kind"].as_str()),
        (Some(1), Some("command_succeeded"))
    );

    // Truncation: the file starts over.
    std::fs::write(&log, "").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    append(&log, B);
    let truncated = next(&rx);
    assert_eq!(
        (truncated["line"].as_u64(), truncated["action"].as_str()),
        (Some(1), Some("Second"))
    );

    // Ctrl-C ends the run cleanly.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    assert!(
        rx.recv_timeout(Duration::from_millis(200)).is_err(),
        "nothing after the last record"
    );
}

#[test]
fn follow_needs_paths() {
    crate::util::eblog()
        .args(["parse", "--follow"])
        .assert()
        .code(2);
}
