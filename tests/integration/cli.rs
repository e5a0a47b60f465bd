//! The command line: exit codes, stdin, missing files, broken pipes, flags.

use crate::util::{eblog, json_lines, parse_json, samples_dir};
use predicates::str::contains;
use std::io::{Read, Write};
use std::process::{Command, Stdio};

const CMD_LINE: &str =
    "[2019-03-04T17:22:05.123Z] INFO  [3127]  : Running 2 of 6 actions: AppDeployPreHook...\n";
const HUP_LINE: &str = "2019-03-04 17:22:05,123 [INFO] Received command ElasticBeanstalkCommand-AWSEBAutoScalingGroup (invocation id: 11111111-2222-3333-4444-555555555555)\n";

#[test]
fn stdin_with_dash_and_without_paths() {
    for args in [&["parse", "-"][..], &["parse"][..]] {
        let out = eblog().args(args).write_stdin(CMD_LINE).output().unwrap();
        assert!(out.status.success());
        let records = json_lines(&out.stdout);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["source"], "-");
        assert_eq!(records[0]["format"], "cmd-processor");
        assert_eq!(records[0]["kind"], "action_start");
        assert_eq!(records[0]["action"], "AppDeployPreHook");
        assert_eq!(records[0]["index"], 2);
        assert_eq!(records[0]["total"], 6);
    }
}

#[test]
fn missing_file_is_reported_and_others_still_parse() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("x.log");
    std::fs::write(&good, HUP_LINE).unwrap();
    let missing = dir.path().join("nope.log");
    let out = eblog()
        .arg("parse")
        .arg(&missing)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nope.log"), "{stderr}");
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["kind"], "command_received");
    assert_eq!(
        records[0]["invocation_id"],
        "11111111-2222-3333-4444-555555555555"
    );
}

#[test]
fn strict_fails_on_unparsed_and_names_line_and_offset() {
    let input = format!("garbage first line\n{CMD_LINE}");
    eblog()
        .args(["parse", "-"])
        .write_stdin(input.clone())
        .assert()
        .success();
    eblog()
        .args(["parse", "--strict", "-"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stderr(contains(
            "1 unparsed record(s), first at line 1 (byte offset 0)",
        ));
}

#[test]
fn undetectable_input_is_unparsed_line_by_line() {
    let out = eblog()
        .args(["parse", "-"])
        .write_stdin("hello\nworld\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["kind"], "unparsed");
    assert_eq!(records[1]["reason"], "unknown_format");
    assert_eq!(records[1]["message"], "world");
    assert_eq!(records[1]["offset"], 6);
    assert!(String::from_utf8_lossy(&out.stderr).contains("format could not be detected"));
}

#[test]
fn forced_format_overrides_detection() {
    // A cmd-processor line forced to be read as cfn-hup: no header matches, all unparsed.
    let out = eblog()
        .args(["parse", "--format", "cfn-hup", "-"])
        .write_stdin(CMD_LINE)
        .output()
        .unwrap();
    let records = json_lines(&out.stdout);
    assert_eq!(records[0]["kind"], "unparsed");
    assert_eq!(records[0]["format"], "cfn-hup");
}

#[test]
fn tz_shifts_local_cfn_stamps_only() {
    let out = eblog()
        .args(["parse", "--tz", "+02:00", "-"])
        .write_stdin(HUP_LINE)
        .output()
        .unwrap();
    assert_eq!(json_lines(&out.stdout)[0]["ts"], "2019-03-04T15:22:05.123Z");
    let out = eblog()
        .args(["parse", "--tz", "America/New_York", "-"])
        .write_stdin(CMD_LINE)
        .output()
        .unwrap();
    assert_eq!(
        json_lines(&out.stdout)[0]["ts"],
        "2019-03-04T17:22:05.123Z",
        "Ruby logs are UTC already"
    );
}

#[test]
fn usage_errors_exit_2() {
    eblog()
        .args(["parse", "--tz", "Mars/Base"])
        .assert()
        .code(2)
        .stderr(contains("--tz"));
    eblog()
        .args(["parse", "--format", "nginx"])
        .assert()
        .code(2);
    eblog().arg("frobnicate").assert().code(2);
}

#[test]
fn broken_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("eb-commandprocessor.log");
    std::fs::write(&big, CMD_LINE.repeat(200_000)).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
        .arg("parse")
        .arg(&big)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "no panic or error message: {stderr}");
}

#[test]
fn full_disk_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux
    };
    let out = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
        .args(["parse", "-"])
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(CMD_LINE.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error writing output"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn formats_kinds_lists_every_kind_and_the_readme_documents_them() {
    let out = eblog().args(["formats", "--kinds"]).output().unwrap();
    let listing = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(samples_dir().join("../README.md")).unwrap();
    for kind in eblog::record::KINDS {
        assert!(
            listing
                .lines()
                .any(|l| l.starts_with(&format!("{}\t", kind.kind))),
            "{}",
            kind.kind
        );
        assert!(
            readme.contains(&format!("| `{}` |", kind.kind)),
            "README documents kind {}",
            kind.kind
        );
    }
    let out = eblog().arg("formats").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("cmd-processor\t/var/log/eb-commandprocessor.log"));
}

#[test]
fn crlf_and_invalid_utf8_lose_nothing() {
    let mut input = b"2019-03-04 17:22:05,123 [INFO] Running action for h\xff\r\n".to_vec();
    input.extend_from_slice(b"2019-03-04 17:22:05,124 [DEBUG] Action for h output: a\r\nb\r\n");
    let out = eblog()
        .args(["parse", "-"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["action"], "h\u{fffd}");
    assert_eq!(records[1]["output"], "a\nb");
    let total: u64 = records.iter().map(|r| r["bytes"].as_u64().unwrap()).sum();
    assert_eq!(total, input.len() as u64);
}

#[test]
fn parse_json_helper_reads_samples() {
    // Guards the helper the sample tests rely on.
    let records = parse_json(&[samples_dir()
        .join("eb-commandprocessor.log")
        .to_str()
        .unwrap()]);
    assert!(!records.is_empty());
}

#[test]
fn review_regressions() {
    // --follow writes to stdout only.
    eblog()
        .args(["parse", "--follow", "-o", "/tmp/never", "x.log"])
        .assert()
        .code(2);
    // A piece of cfn-init.log on stdin, taken for cfn-hup, still gets cfn-init kinds.
    let piece = "2022-03-15 19:47:12,101 [INFO] Running command 01_migrate\n2022-03-15 19:47:13,101 [ERROR] Command 01_migrate (python manage.py migrate) failed\n";
    let records = json_lines(
        &eblog()
            .args(["parse", "-"])
            .write_stdin(piece)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(records[1]["kind"], "cfn_command");
    assert_eq!(records[1]["status"], "failure");
    assert_eq!(records[1]["command"], "python manage.py migrate");
    // A stray line in a line-per-record format says so.
    let access = "172.31.6.201 - - [14/Sep/2022:18:41:08 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"-\"\nnot an access line\n";
    let records = json_lines(
        &eblog()
            .args(["parse", "--format", "nginx-access", "-"])
            .write_stdin(access)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(
        (records[1]["kind"].as_str(), records[1]["reason"].as_str()),
        (Some("unparsed"), Some("not_a_record"))
    );
}

#[test]
fn bundle_sections_of_unknown_logs_are_free_text() {
    let bundle = "-------------------------------------\n/var/log/cloud-init-output.log\n-------------------------------------\nCloud-init v. 19.3 running 'init-local'\n\n-------------------------------------\n/var/log/cfn-hup.log\n-------------------------------------\n2019-05-14 10:41:24,903 [INFO] command processing is alive.\n";
    let out = eblog()
        .args(["parse", "--strict", "-"])
        .write_stdin(bundle)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_lines(&out.stdout);
    let cloud_init = records
        .iter()
        .find(|r| r["source"] == "-!/var/log/cloud-init-output.log")
        .unwrap();
    assert_eq!(cloud_init["kind"], "other");
    assert!(records.iter().any(|r| r["kind"] == "heartbeat"));
}
