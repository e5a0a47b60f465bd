//! Hostile inputs in every subcommand: random bytes, a 64 MB line, deep nesting, a
//! zip with a bad entry, empty files, a directory loop.

use super::*;

// ---------------------------------------------------------------------------------------
// 3. Adversarial inputs, in every subcommand
// ---------------------------------------------------------------------------------------

#[test]
fn random_bytes_become_unparsed_records_and_strict_fails() {
    let dir = tempfile::tempdir().unwrap();
    let data = noise(0x5eed, 300_000);
    let path = dir.path().join("x.log");
    std::fs::write(&path, &data).unwrap();
    let out = eblog([
        OsStr::new("parse"),
        OsStr::new("--no-redact"),
        path.as_os_str(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = json_lines(&out.stdout);
    assert!(records.len() > 100);
    let mut lossy = 0;
    for r in &records {
        let (offset, bytes) = (
            r["offset"].as_u64().unwrap() as usize,
            r["bytes"].as_u64().unwrap() as usize,
        );
        let raw = &data[offset..offset + bytes];
        let kind = if raw.iter().all(u8::is_ascii_whitespace) {
            (Some("other"), None) // a blank line is not bad input
        } else {
            (Some("unparsed"), Some("unknown_format"))
        };
        assert_eq!((r["kind"].as_str(), r["reason"].as_str()), kind);
        let text = lossy_text(raw);
        assert_eq!(
            r["message"].as_str(),
            Some(text.as_str()),
            "the bytes' text, lossily decoded"
        );
        lossy += usize::from(text.contains('\u{fffd}'));
    }
    assert!(
        lossy > 100,
        "invalid UTF-8 became U+FFFD in {lossy} records"
    );
    let total: u64 = records.iter().map(|r| r["bytes"].as_u64().unwrap()).sum();
    assert_eq!(total, data.len() as u64);
    assert!(stderr(&out).contains("x.log"), "{}", stderr(&out));
    let unparsed = records.iter().filter(|r| r["kind"] == "unparsed").count();
    let counts = (Some(records.len() as u64), Some(unparsed as u64));

    let strict = eblog([
        OsStr::new("parse"),
        OsStr::new("--strict"),
        path.as_os_str(),
    ]);
    assert_eq!(code(&strict), 1);
    let expected = format!("x.log: {unparsed} unparsed record(s), first at line 1 (byte offset 0)");
    assert!(stderr(&strict).contains(&expected), "{}", stderr(&strict));

    // Under a format's name, the bytes are that format's unparsed records.
    let named = dir.path().join("eb-engine.log");
    std::fs::write(&named, &data).unwrap();
    let out = eblog([
        OsStr::new("parse"),
        OsStr::new("--strict"),
        named.as_os_str(),
    ]);
    assert_eq!(code(&out), 1);
    let records = json_lines(&out.stdout);
    assert!(records.iter().all(|r| r["format"] == "engine"
        && (r["kind"] == "other" || r["reason"] == "before_first_header")));
    assert!(records.iter().filter(|r| r["kind"] == "unparsed").count() > 100);

    // The dataset counts them; commands and diagnose find nothing and say so.
    let dataset = dir.path().join("dataset");
    let out = eblog([
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        dataset.as_os_str(),
        path.as_os_str(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dataset.join("manifest.json")).unwrap()).unwrap();
    let scanned = (
        manifest["scan"]["records"].as_u64(),
        manifest["scan"]["unparsed"].as_u64(),
    );
    assert_eq!(scanned, counts, "the dataset counts what parse wrote");
    assert_eq!(manifest["scan"]["bytes"].as_u64(), Some(data.len() as u64));
    let out = eblog([OsStr::new("commands"), path.as_os_str()]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "no command executions found\n"
    );
    let out = eblog([
        OsStr::new("diagnose"),
        OsStr::new("--json"),
        path.as_os_str(),
    ]);
    assert_eq!(code(&out), 0);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_64_mb_line_is_cut_at_the_cap_or_kept_whole_under_a_raised_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let head = "2022/06/14 10:41:12.923512 [INFO] Running command /bin/sh -c echo ";
    let mut text = String::with_capacity(head.len() + (64 << 20) + 200);
    text.push_str(head);
    text.push_str(&"x".repeat(64 << 20));
    text.push('\n');
    text.push_str(ENGINE_LINE);
    std::fs::write(&path, &text).unwrap();
    // At the default cap (8 MiB): eight pieces of the line, unparsed, every byte in one of
    // them, offsets chained; the next line is a record again.
    let out = eblog([OsStr::new("parse"), path.as_os_str()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = json_lines(&out.stdout);
    let line_len = (text.len() - ENGINE_LINE.len()) as u64;
    let pieces = &records[..records.len() - 1];
    assert_eq!(
        pieces.len(),
        9,
        "64 MiB + the stamp: 8 full pieces and a short one"
    );
    let mut offset = 0;
    for piece in pieces {
        assert_eq!(piece["reason"], "record_too_large");
        assert_eq!(piece["offset"].as_u64(), Some(offset));
        assert!(piece["bytes"].as_u64().unwrap() <= 8 << 20);
        offset += piece["bytes"].as_u64().unwrap();
    }
    assert_eq!(offset, line_len);
    assert_eq!(records[records.len() - 1]["line"].as_u64(), Some(2));
    // Under a raised cap, the line is one record.
    let out = eblog([
        OsStr::new("parse"),
        OsStr::new("--max-record-bytes"),
        OsStr::new("65MiB"),
        path.as_os_str(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["kind"], "command_exec");
    assert_eq!(
        records[0]["bytes"].as_u64(),
        Some((text.len() - ENGINE_LINE.len()) as u64)
    );
    let message = records[0]["message"].as_str().unwrap();
    assert!(message.starts_with("Running command /bin/sh -c echo xxx"));
    let stamp = "2022/06/14 10:41:12.923512 [INFO] ".len();
    assert_eq!(
        message.len(),
        head.len() - stamp + (64 << 20),
        "the whole line"
    );
    assert_eq!(
        (records[1]["line"].as_u64(), records[1]["format"].as_str()),
        (Some(2), Some("engine"))
    );
    for sub in ["commands", "diagnose"] {
        let out = eblog([OsStr::new(sub), OsStr::new("--json"), path.as_os_str()]);
        assert_eq!(code(&out), 0, "{sub}: {}", stderr(&out));
    }
}

#[test]
fn deep_nesting_in_json_and_ruby_payloads_keeps_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-commandprocessor.log");
    let deep_json = format!(
        "{{\"status\":\"FAILURE\",\"results\":{}",
        "[".repeat(200_000)
    );
    let deep_ruby = format!("{{\"api_version\"=>{}", "[".repeat(200_000));
    std::fs::write(
        &path,
        format!(
            "[2019-05-14T10:41:25.323Z] INFO  [8734]  : Received command CMD-AppDeploy: {deep_ruby}\n\
             [2019-05-14T18:35:31.452Z] INFO  [8734]  : Command processor returning results: \n{deep_json}\n"
        ),
    )
    .unwrap();
    let out = eblog([
        OsStr::new("parse"),
        OsStr::new("--strict"),
        path.as_os_str(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(
        (records[0]["kind"].as_str(), records[0]["command"].as_str()),
        (Some("command_received"), Some("CMD-AppDeploy"))
    );
    assert!(
        records[0].get("payload").is_none(),
        "the payload is left unparsed"
    );
    assert!(
        records[0]["message"]
            .as_str()
            .unwrap()
            .ends_with(&"[".repeat(1000)),
        "its text is kept"
    );
    assert_eq!(records[1]["kind"], "command_result");
    assert!(records[1].get("result").is_none());
    let why = format!(
        "containers nested deeper than {} levels",
        eblog_grammars::error::MAX_DEPTH
    );
    assert!(
        records[1]["parse_error"]
            .as_str()
            .unwrap()
            .starts_with(&why),
        "{}",
        records[1]["parse_error"]
    );
    for sub in ["commands", "diagnose"] {
        let out = eblog([OsStr::new(sub), OsStr::new("--json"), path.as_os_str()]);
        assert_eq!(code(&out), 0, "{sub}: {}", stderr(&out));
    }
}

#[test]
fn a_zip_with_one_bad_entry_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("bundle.zip");
    let bad_text = "2019-05-14 10:41:24,903 [INFO] BAD-ENTRY-MARKER is in this line.\n";
    let mut zip = zip::ZipWriter::new(File::create(&zip_path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("var/log/cfn-hup.log", stored).unwrap();
    zip.write_all(bad_text.as_bytes()).unwrap();
    zip.start_file("var/log/eb-engine.log", stored).unwrap();
    zip.write_all(ENGINE_LINE.as_bytes()).unwrap();
    zip.finish().unwrap();
    // Flip one byte of the first entry's data: its CRC no longer matches.
    let mut bytes = std::fs::read(&zip_path).unwrap();
    let at = bytes
        .windows(16)
        .position(|w| w == b"BAD-ENTRY-MARKER")
        .unwrap();
    bytes[at] = b'b';
    std::fs::write(&zip_path, &bytes).unwrap();
    let good = dir.path().join("cfn-hup.log");
    std::fs::write(&good, HUP_LINE).unwrap();

    let out = eblog([OsStr::new("parse"), zip_path.as_os_str(), good.as_os_str()]);
    assert_eq!(code(&out), 1, "an input could not be read");
    let err = stderr(&out);
    assert!(
        err.contains("bundle.zip!/var/log/cfn-hup.log"),
        "the bad entry is named: {err}"
    );
    let records = json_lines(&out.stdout);
    let sources: Vec<&str> = records
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("bundle.zip!/var/log/eb-engine.log")),
        "{sources:?}"
    );
    assert!(
        sources.last().unwrap().ends_with("/cfn-hup.log") && !sources.last().unwrap().contains('!')
    );
    // Members are streamed, never inflated whole: what came before the bad checksum was
    // parsed, and the error says so.
    assert!(
        err.contains("bundle.zip!/var/log/cfn-hup.log") && err.contains("those were parsed"),
        "{err}"
    );

    let dataset = dir.path().join("dataset");
    let out = eblog([
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        dataset.as_os_str(),
        zip_path.as_os_str(),
        good.as_os_str(),
    ]);
    assert_fails_with(&out, "bundle.zip!/var/log/cfn-hup.log");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dataset.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["scan"]["errors"], 1);
    // The good member, the good file, and the bad member's line read before the check.
    assert_eq!(manifest["scan"]["records"], 3);
    for sub in ["commands", "diagnose"] {
        let out = eblog([OsStr::new(sub), zip_path.as_os_str(), good.as_os_str()]);
        assert_fails_with(&out, "bundle.zip!/var/log/cfn-hup.log");
    }
}

#[test]
fn empty_files_in_scan_commands_and_diagnose() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("eb-engine.log");
    std::fs::write(&empty, "").unwrap();
    let dataset = dir.path().join("dataset");
    let out = eblog([
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        dataset.as_os_str(),
        empty.as_os_str(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dataset.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        (
            manifest["scan"]["records"].as_u64(),
            manifest["scan"]["bytes"].as_u64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(
        manifest["scan"]["inputs"][0]["source"].as_str(),
        Some(&*empty.to_string_lossy())
    );
    let out = eblog([
        OsStr::new("commands"),
        OsStr::new("--json"),
        empty.as_os_str(),
    ]);
    assert_eq!((code(&out), out.stdout.len()), (0, 0));
    let out = eblog([OsStr::new("diagnose"), empty.as_os_str()]);
    assert_eq!(code(&out), 0);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("nothing failed: 0 command execution(s)")
    );
}

#[cfg(unix)]
#[test]
fn a_directory_loop_in_scan_and_commands() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs/var/log");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::copy(
        samples_dir().join("al2/eb-engine.log"),
        logs.join("eb-engine.log"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("logs"), logs.join("loop")).unwrap();
    let root = dir.path().join("logs");
    let dataset = dir.path().join("dataset");
    let out = eblog([
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        dataset.as_os_str(),
        root.as_os_str(),
    ]);
    assert_fails_with(&out, "loop");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dataset.join("manifest.json")).unwrap()).unwrap();
    assert!(
        manifest["scan"]["records"].as_u64().unwrap() > 100,
        "the rest is scanned"
    );
    let out = eblog([
        OsStr::new("commands"),
        OsStr::new("--json"),
        root.as_os_str(),
    ]);
    assert_fails_with(&out, "loop");
    assert_eq!(
        json_lines(&out.stdout).len(),
        5,
        "the engine log's executions"
    );
}
