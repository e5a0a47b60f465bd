//! Hostile inputs: every byte still ends up in exactly one record, nothing panics, and
//! what could not be read is reported with its path.

use crate::util::{eblog, json_lines};
use std::io::Write;

fn parse_file(
    path: &std::path::Path,
    extra: &[&str],
) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let out = eblog().arg("parse").args(extra).arg(path).output().unwrap();
    (
        out.status.code(),
        json_lines(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn total_bytes(records: &[serde_json::Value]) -> u64 {
    records.iter().map(|r| r["bytes"].as_u64().unwrap()).sum()
}

#[test]
fn nul_bytes_invalid_utf8_and_lone_cr_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cfn-hup.log");
    let mut bytes =
        b"2019-05-14 10:41:24,903 [INFO] Running action for h\x00ok\rstill the same line\n"
            .to_vec();
    bytes.extend_from_slice(b"\xff\xfe raw bytes before nothing\n");
    bytes.extend_from_slice(b"2019-05-14 10:41:25,000 [ERROR] boom\x00\n\x00\x00\n");
    std::fs::write(&path, &bytes).unwrap();
    let (code, records, _) = parse_file(&path, &["--strict"]);
    assert_eq!(
        code,
        Some(0),
        "no unparsed bytes: the junk lines continue a record"
    );
    assert_eq!(records.len(), 2);
    assert_eq!(total_bytes(&records), bytes.len() as u64);
    assert_eq!(records[0]["action"], "h\u{0}ok\rstill the same line");
    assert!(records[0]["message"].as_str().unwrap().contains('\u{fffd}'));
}

#[test]
fn deep_nesting_and_cut_json_degrade_to_fields_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let hup = dir.path().join("cfn-hup.log");
    let deep = format!(
        "2019-05-14 10:41:24,911 [DEBUG] Action environment: {}\n",
        "[".repeat(200_000)
    );
    std::fs::write(&hup, &deep).unwrap();
    let (code, records, _) = parse_file(&hup, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(records[0]["kind"], "action_environment");
    assert!(
        records[0].get("env").is_none(),
        "the payload is left unparsed, the record kept"
    );

    let cmd = dir.path().join("eb-commandprocessor.log");
    std::fs::write(&cmd, "[2019-05-14T18:35:31.452Z] INFO  [31877] : Command processor returning results: \n{\"status\":\"FAILURE\",\"api_version\":\"1.0\",\"results\":[{\"status\":\"FAILURE\",\"msg\":\"cut he\n").unwrap();
    let (_, records, _) = parse_file(&cmd, &[]);
    assert_eq!(records[0]["kind"], "command_result");
    assert!(
        records[0]["parse_error"].as_str().unwrap().contains("byte"),
        "{}",
        records[0]
    );
}

#[test]
fn one_very_long_line_is_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let mut text =
        String::from("2022/06/14 10:41:12.923512 [INFO] Running command /bin/sh -c echo ");
    text.push_str(&"x".repeat(8 * 1024 * 1024));
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    // Under the cap (raised from its 8 MiB default), the line is one record.
    let (code, records, _) = parse_file(&path, &["--max-record-bytes", "9MiB"]);
    assert_eq!(code, Some(0));
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["kind"], "command_exec");
    assert_eq!(records[0]["bytes"].as_u64(), Some(text.len() as u64));
}

#[test]
fn empty_and_blank_files() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("cfn-hup.log");
    std::fs::write(&empty, "").unwrap();
    let (code, records, stderr) = parse_file(&empty, &["--strict"]);
    assert_eq!((code, records.len()), (Some(0), 0), "{stderr}");
    let blank = dir.path().join("eb-activity.log");
    std::fs::write(&blank, "\n\n  \n").unwrap();
    let (code, records, _) = parse_file(&blank, &["--strict"]);
    assert_eq!(code, Some(0), "blank lines are not bad input");
    assert!(records.iter().all(|r| r["kind"] == "other"));
    assert_eq!(total_bytes(&records), 5);
}

#[test]
fn a_bad_zip_and_a_cut_gzip_are_reported_with_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("bundle.zip");
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB, 300));
    std::fs::write(&zip, bytes).unwrap();
    let gz = dir.path().join("cfn-hup.log.1.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(
        &"2019-05-14 10:41:24,903 [INFO] command processing is alive.\n"
            .repeat(2000)
            .into_bytes(),
    )
    .unwrap();
    let compressed = enc.finish().unwrap();
    std::fs::write(&gz, &compressed[..compressed.len() / 2]).unwrap();
    let good = dir.path().join("eb-activity.log");
    std::fs::write(
        &good,
        "[2019-05-14T06:58:43.560Z] INFO  [2318]  - [Initialization] : Starting activity...\n",
    )
    .unwrap();
    let out = eblog()
        .arg("parse")
        .arg(&zip)
        .arg(&gz)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bundle.zip"), "{stderr}");
    assert!(
        stderr.contains("cfn-hup.log.1.gz") && stderr.contains("decompressed bytes"),
        "{stderr}"
    );
    let records = json_lines(&out.stdout);
    let heartbeats = records.iter().filter(|r| r["kind"] == "heartbeat").count();
    assert!(
        heartbeats > 0 && heartbeats < 2000,
        "the part before the cut is parsed: {heartbeats}"
    );
    assert_eq!(
        records.last().unwrap()["kind"],
        "activity_start",
        "the good file is still parsed"
    );
}

#[cfg(unix)]
#[test]
fn a_directory_loop_is_reported_and_the_rest_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("var/log");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("cfn-hup.log"),
        "2019-05-14 10:41:24,903 [INFO] command processing is alive.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), logs.join("loop")).unwrap();
    let out = eblog().arg("parse").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("loop"), "{stderr}");
    let records = json_lines(&out.stdout);
    assert_eq!(
        records.iter().filter(|r| r["kind"] == "heartbeat").count(),
        1
    );
}
