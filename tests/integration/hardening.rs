//! Hardening: the invariants as property tests (partition, determinism, JSON that parses
//! back, output independent of threads, chunking and mapping), hostile inputs and faults
//! for every subcommand (`parse`, `scan`, `commands`, `diagnose`), and the guards around
//! the one module with `unsafe` code.
//!
//! What the other modules already cover is not repeated here: `adversarial.rs` (NUL
//! bytes, lone CR, an 8 MiB line, deep nesting in a Python repr, a cut result JSON, a cut
//! gzip, a corrupt zip, empty files and a directory loop, all for `parse`), `cli.rs`
//! (missing file, broken pipe and `/dev/full` for `parse -`), `properties.rs` (partition
//! of plain logs, streaming = whole buffer) and `scanner.rs` (threads and mapping on the
//! samples, `--out` a file or a busy directory).

use crate::util::{assert_partition, format, input, json_lines, line, samples_dir};
use eblog::input::Unit;
use eblog::pipeline::{parse_unit, ParseOptions};
use eblog::record::{Format, Record};
use eblog::redact::Redactor;
use eblog::scan::source::{RegionReader, QUIET_FOR};
use eblog::scan::{MmapChoice, ScanOptions, ScanSummary, MMAP_MIN_BYTES};
use eblog::sink::{scan_into as scan, Encoder, JsonLines, JsonLinesEncoder, WriteSink};
use proptest::prelude::*;
use serde_json::Value;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const ENGINE_LINE: &str =
    "2022/06/14 10:41:12.923512 [INFO] Executing instruction: RunAppDeployPreBuildHooks\n";
const HUP_LINE: &str = "2019-05-14 10:41:24,903 [INFO] command processing is alive.\n";

/// Runs the `eblog` binary with `args`, stdin empty.
fn eblog<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(assert_cmd::cargo::cargo_bin("eblog"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("eblog runs")
}

/// The exit code, after checking that eblog was not killed by a signal (SIGBUS, SIGSEGV,
/// an abort) and did not panic.
fn code(out: &Output) -> i32 {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "eblog panicked: {}",
        stderr.chars().take(2000).collect::<String>()
    );
    out.status
        .code()
        .unwrap_or_else(|| panic!("eblog died by a signal: {:?}; {stderr}", out.status))
}

/// Asserts that eblog failed (exit 1, no panic, no signal) and said `expected` on stderr.
fn assert_fails_with(out: &Output, expected: &str) {
    assert_eq!(code(out), 1, "{}", stderr(out));
    assert!(
        stderr(out).contains(expected),
        "expected {expected:?} on stderr: {}",
        stderr(out)
    );
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Deterministic pseudo-random bytes (xorshift64*).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// Sets a file's modification time an hour back, so that the scanner may map it.
fn age(path: &Path) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// The text eblog gives bytes that are not a record: lossy UTF-8, line ends trimmed,
/// CRLF as LF (written out independently of `decode::text`).
fn lossy_text(bytes: &[u8]) -> String {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    String::from_utf8_lossy(&bytes[..end]).replace("\r\n", "\n")
}

fn unit(name: &str, data: Vec<u8>) -> Unit {
    Unit {
        source: name.to_owned(),
        name: PathBuf::from(name),
        data,
        explicit: true,
        written: Some((2022, 6)),
    }
}

fn parse_records(unit: &Unit, format: Option<Format>) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let options = ParseOptions {
        format,
        ..ParseOptions::default()
    };
    parse_unit(unit, options, &mut records).expect("a Vec sink cannot fail");
    records
}

fn parse_jsonl(unit: &Unit, format: Option<Format>, redactor: Option<Redactor>) -> Vec<u8> {
    let mut sink = JsonLines::new(Vec::new(), redactor);
    let options = ParseOptions {
        format,
        ..ParseOptions::default()
    };
    parse_unit(unit, options, &mut sink).expect("a Vec sink cannot fail");
    sink.into_inner()
}

/// Scans `paths` into JSON lines with `options`.
fn scan_jsonl(paths: &[PathBuf], options: &ScanOptions) -> (Vec<u8>, ScanSummary) {
    let mut out = WriteSink(Vec::new());
    let encoder = JsonLinesEncoder {
        redactor: Some(Redactor::new()),
    };
    let summary = scan(paths, options, &encoder, &mut out, &|_| {}).expect("scan to memory");
    (out.0, summary)
}

// ---------------------------------------------------------------------------------------
// 2. Invariants as property tests
// ---------------------------------------------------------------------------------------

/// The names a user's files have: by name a format, a wrapper, or nothing.
fn name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "x.log",
        "bundle.txt",
        "eb-engine.log",
        "cfn-hup.log",
        "eb-commandprocessor.log",
        "eb-activity.log",
        "nginx/access.log",
        "web.stdout.log",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// For any bytes, under any name and format, wrappers included (`properties.rs` covers
    /// plain logs through `parse_buffer`): records are contiguous and cover the input.
    #[test]
    fn records_of_any_unit_partition_it(data in input(), name in name(), format in format()) {
        let unit = unit(name, data);
        let records = parse_records(&unit, format);
        assert_partition(&records, &unit.data);
    }

    /// Parsing the same bytes twice gives the same output, byte for byte (no hash-map
    /// order, clock or address leaks into it).
    #[test]
    fn parsing_is_deterministic(data in input(), name in name(), format in format()) {
        let unit = unit(name, data);
        let a = parse_jsonl(&unit, format, Some(Redactor::new()));
        let b = parse_jsonl(&unit, format, Some(Redactor::new()));
        prop_assert_eq!(a, b);
    }

    /// Every line eblog writes parses back as JSON and says what the record says.
    #[test]
    fn json_output_parses_back(data in input(), name in name(), format in format()) {
        let unit = unit(name, data);
        let records = parse_records(&unit, format);
        for redactor in [None, Some(Redactor::new())] {
            let redacted = redactor.is_some();
            let out = parse_jsonl(&unit, format, redactor);
            let text = String::from_utf8(out).expect("JSON lines are UTF-8");
            prop_assert!(text.is_empty() || text.ends_with('\n'));
            let lines: Vec<&str> = text.lines().collect();
            prop_assert_eq!(lines.len(), records.len());
            for (line, record) in lines.iter().zip(&records) {
                let v: Value = serde_json::from_str(line).expect("each line is JSON");
                prop_assert_eq!(v["offset"].as_u64(), Some(record.offset));
                prop_assert_eq!(v["bytes"].as_u64(), Some(record.bytes));
                prop_assert_eq!(v["line"].as_u64(), Some(record.line));
                prop_assert_eq!(v["end_line"].as_u64(), Some(record.end_line));
                prop_assert_eq!(v["kind"].as_str(), Some(record.kind()));
                if !redacted {
                    // (A secret in a wrapper's section path is redacted in `source` too.)
                    prop_assert_eq!(v["source"].as_str(), Some(&*record.source));
                    prop_assert_eq!(v["message"].as_str(), Some(record.message.as_str()));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The scanner's output does not depend on the thread count or on where it cuts a
    /// file into regions and chunks, and equals parsing the file whole.
    #[test]
    fn scan_output_does_not_depend_on_threads_or_chunks(
        data in input(),
        name in name(),
        chunk in 16usize..400,
        segment in 64usize..2000,
        threads in 2usize..5,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &data).unwrap();
        let paths = [path.clone()];
        let whole = ScanOptions { threads: 1, ..ScanOptions::default() };
        let chunked = ScanOptions {
            threads,
            chunk_bytes: chunk,
            segment_bytes: segment,
            mmap: MmapChoice::Never,
            ..ScanOptions::default()
        };
        let (a, sa) = scan_jsonl(&paths, &whole);
        let (b, sb) = scan_jsonl(&paths, &chunked);
        prop_assert_eq!(&sa, &sb);
        prop_assert!(a == b, "chunked:\n{}\nwhole:\n{}", String::from_utf8_lossy(&b), String::from_utf8_lossy(&a));
        let source = path.to_string_lossy().into_owned();
        let written = std::fs::metadata(&path).unwrap().modified().ok().map(eblog::input::year_month);
        let reference = parse_jsonl(&Unit { source, name: path.clone(), written, ..unit(name, data) }, None, Some(Redactor::new()));
        prop_assert!(a == reference, "scan:\n{}\nwhole buffer:\n{}", String::from_utf8_lossy(&a), String::from_utf8_lossy(&reference));
    }
}

proptest! {
    // Each case writes and scans a file over MMAP_MIN_BYTES three times.
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    /// A mapped large file gives the bytes a read one gives, with one thread or several.
    #[test]
    fn mapping_never_changes_the_output(lines in prop::collection::vec(line(), 1..40), name in name()) {
        let block = lines.concat();
        prop_assume!(!block.is_empty());
        let data = block.repeat((MMAP_MIN_BYTES as usize + 300_000) / block.len() + 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &data).unwrap();
        age(&path);
        let meta = std::fs::metadata(&path).unwrap();
        let reader = RegionReader::new(File::open(&path).unwrap(), meta.len(), meta.modified().ok(), MmapChoice::Auto);
        prop_assert!(reader.is_mapped(), "the test maps the file");
        let paths = [path];
        // Regions of 1 MiB: several mappings, at offsets that are not aligned.
        let small = ScanOptions { segment_bytes: 1 << 20, chunk_bytes: 200_000, ..ScanOptions::default() };
        let (mapped, _) = scan_jsonl(&paths, &ScanOptions { threads: 3, ..small });
        let (read, _) = scan_jsonl(&paths, &ScanOptions { threads: 1, mmap: MmapChoice::Never, ..small });
        let (default, _) = scan_jsonl(&paths, &ScanOptions { threads: 2, ..ScanOptions::default() });
        prop_assert!(mapped == read, "mapped and read differ");
        prop_assert!(mapped == default, "region sizes change the output");
    }
}

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

// ---------------------------------------------------------------------------------------
// 4. Faults
// ---------------------------------------------------------------------------------------

/// A log of `ENGINE_LINE`s of at least `len` bytes.
fn engine_log(len: usize) -> Vec<u8> {
    ENGINE_LINE.repeat(len / ENGINE_LINE.len() + 1).into_bytes()
}

#[test]
fn a_region_reader_survives_truncation_rewrite_and_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(MMAP_MIN_BYTES as usize + 1000);
    let len = data.len() as u64;

    // Truncated after opening: what is left is read, the rest is gone. The file was just
    // written, so it is read, not mapped (a mapping would raise SIGBUS here).
    std::fs::write(&path, &data).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().ok();
    let mut reader = RegionReader::new(File::open(&path).unwrap(), len, modified, MmapChoice::Auto);
    assert!(
        !reader.is_mapped(),
        "modified less than QUIET_FOR ago: read"
    );
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(1_000_000)
        .unwrap();
    assert_eq!(&reader.region(0, len).unwrap()[..], &data[..1_000_000]);
    assert!(reader.region(2_000_000, len).unwrap().is_empty());

    // Rewritten in place: the new bytes are read.
    let other = data.to_ascii_lowercase();
    std::fs::write(&path, &other).unwrap();
    assert_eq!(&reader.region(10, 5000).unwrap()[..], &other[10..5000]);

    // Deleted: the open file is still there to read.
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        &reader.region(len - 100, len).unwrap()[..],
        &other[other.len() - 100..]
    );
}

/// The guard of the mapping itself: a quiet file is mapped, but a file truncated after it
/// was opened is read from then on. Without the guard this test dies by SIGBUS (the
/// mapping of the lost pages is touched); with it, the bytes that are left come back.
/// (Pages of a region mapped before the truncation and still in use are not covered: that
/// window is what `QUIET_FOR` keeps small.)
#[test]
fn a_mapped_file_truncated_after_opening_is_read_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(MMAP_MIN_BYTES as usize + 3 * 65536);
    let len = data.len() as u64;
    std::fs::write(&path, &data).unwrap();
    age(&path);
    let modified = std::fs::metadata(&path).unwrap().modified().ok();
    let mut reader = RegionReader::new(File::open(&path).unwrap(), len, modified, MmapChoice::Auto);
    assert!(
        reader.is_mapped(),
        "quiet for over {QUIET_FOR:?} and large: mapped"
    );
    {
        let first = reader.region(0, 200_000).unwrap();
        assert!(matches!(first, eblog::scan::source::Region::Mapped(..)));
        assert_eq!(&first[..], &data[..200_000]);
    }
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(300_000)
        .unwrap();
    let rest = reader.region(100_000, len).unwrap();
    assert_eq!(&rest[..], &data[100_000..300_000]);
    assert!(
        matches!(rest, eblog::scan::source::Region::Read(..)),
        "no longer mapped"
    );
    assert!(!reader.is_mapped());
}

/// An encoder that truncates the file on its first call, that is while the scanner is
/// still planning the regions after the first.
struct TruncateOnce {
    inner: JsonLinesEncoder,
    path: PathBuf,
    to: u64,
    calls: AtomicUsize,
}

impl Encoder for TruncateOnce {
    type Chunk = Vec<u8>;

    fn encode(&self, records: Vec<Record>) -> io::Result<Vec<u8>> {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            File::options()
                .write(true)
                .open(&self.path)?
                .set_len(self.to)?;
        }
        self.inner.encode(records)
    }
}

#[test]
fn a_file_truncated_mid_scan_is_read_as_far_as_it_went() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(2 << 20);
    std::fs::write(&path, &data).unwrap();
    let to = (ENGINE_LINE.len() * 3000) as u64;
    let encoder = TruncateOnce {
        inner: JsonLinesEncoder { redactor: None },
        path: path.clone(),
        to,
        calls: AtomicUsize::new(0),
    };
    // Regions of 64 KiB in chunks of 4 KiB: the first region is read before any chunk is
    // encoded; the planner waits for the first chunk (which truncates the file) before
    // it reads the second region.
    let options = ScanOptions {
        threads: 1,
        chunk_bytes: 4096,
        segment_bytes: 65536,
        ..ScanOptions::default()
    };
    let mut out = WriteSink(Vec::new());
    let summary = scan(
        std::slice::from_ref(&path),
        &options,
        &encoder,
        &mut out,
        &|_| {},
    )
    .unwrap();
    assert_eq!(summary.errors, 0);
    assert_eq!(summary.bytes, to, "read as far as it went");
    assert_eq!(summary.records, 3000);
    let records = json_lines(&out.0);
    assert_eq!(records.len(), 3000);
    let mut offset = 0;
    for r in &records {
        assert_eq!(r["offset"].as_u64(), Some(offset));
        offset += r["bytes"].as_u64().unwrap();
    }
    assert_eq!(offset, to);
}

/// A large log truncated, rewritten, deleted and recreated in a loop while eblog reads it,
/// over and over. What this proves: every run ends by itself with status 0 or 1 (1 only
/// when the file was missing at that moment, reported with its path), never by a signal,
/// and writes only whole JSON lines. The file is over `MMAP_MIN_BYTES`, so it would be
/// mapped if it were quiet (checked on an aged copy); it is rewritten continually, so the
/// `QUIET_FOR` rule has the scanner read it instead — which is what keeps the truncations
/// from raising SIGBUS.
#[test]
fn a_file_changed_while_it_is_read_never_kills_eblog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(MMAP_MIN_BYTES as usize + (2 << 20));
    std::fs::write(&path, &data).unwrap();

    let aged = dir.path().join("aged-eb-engine.log");
    std::fs::write(&aged, &data).unwrap();
    age(&aged);
    let would_map = |p: &Path| {
        let meta = std::fs::metadata(p).unwrap();
        RegionReader::new(
            File::open(p).unwrap(),
            meta.len(),
            meta.modified().ok(),
            MmapChoice::Auto,
        )
        .is_mapped()
    };
    assert!(would_map(&aged), "a quiet copy is mapped");
    assert!(!would_map(&path), "the file being changed is read");

    let stop = Arc::new(AtomicBool::new(false));
    let changer = {
        let (stop, path, data) = (Arc::clone(&stop), path.clone(), data.clone());
        std::thread::spawn(move || {
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                let cut = (round * 7919 * 131) % data.len() as u64;
                let _ = match round % 3 {
                    0 => File::options()
                        .write(true)
                        .open(&path)
                        .and_then(|f| f.set_len(cut)),
                    1 => std::fs::write(&path, &data),
                    _ => std::fs::remove_file(&path)
                        .and_then(|()| std::fs::write(&path, &data[..cut as usize])),
                };
                std::thread::sleep(Duration::from_millis(3));
            }
        })
    };
    let runs: [&[&str]; 4] = [
        &["parse"],
        &["parse", "-j", "1"],
        &["parse", "--no-mmap"],
        &["commands", "--json"],
    ];
    let mut ok = 0;
    for _ in 0..2 {
        for args in runs {
            let out = eblog(args.iter().map(OsStr::new).chain([path.as_os_str()]));
            match code(&out) {
                0 => ok += 1,
                1 => assert!(
                    stderr(&out).contains(&*path.to_string_lossy()),
                    "{}",
                    stderr(&out)
                ),
                other => panic!("exit {other}: {}", stderr(&out)),
            }
            for line in String::from_utf8(out.stdout).unwrap().lines() {
                let _: Value = serde_json::from_str(line).expect("whole JSON lines");
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    changer.join().unwrap();
    assert!(ok > 0, "some runs found the file");
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_and_missing_paths_among_good_ones() {
    // Unreadable for root too: `/proc/self/mem` opens but fails to read (EIO at offset
    // 0), also when a directory holds a link to it; a path below a file is "not a
    // directory"; a dangling symlink is missing.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("cfn-hup.log");
    std::fs::write(&good, HUP_LINE).unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::os::unix::fs::symlink("/proc/self/mem", tree.join("eb-engine.log")).unwrap();
    std::fs::copy(
        samples_dir().join("al2/eb-engine.log"),
        tree.join("eb-engine.log.1"),
    )
    .unwrap();
    let dangling = dir.path().join("eb-activity.log");
    std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
    let below_file = good.join("x.log");
    let bad: [&Path; 4] = [
        Path::new("/proc/self/mem"),
        &tree.join("eb-engine.log"),
        &dangling,
        &below_file,
    ];
    let mut args: Vec<&OsStr> = bad.iter().map(|p| p.as_os_str()).collect();
    args.push(good.as_os_str());
    args.push(tree.as_os_str());

    let out = eblog(
        [OsStr::new("parse")]
            .into_iter()
            .chain(args.iter().copied()),
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    for path in bad {
        assert!(
            err.contains(&format!("eblog: {}: ", path.display())),
            "{path:?} is named: {err}"
        );
    }
    let records = json_lines(&out.stdout);
    assert_eq!(
        records.iter().filter(|r| r["kind"] == "heartbeat").count(),
        1,
        "the good file"
    );
    assert!(
        records.iter().filter(|r| r["format"] == "engine").count() > 100,
        "the good file in the tree"
    );

    let dataset = dir.path().join("dataset");
    let out = eblog(
        [
            OsStr::new("scan"),
            OsStr::new("--quiet"),
            OsStr::new("--out"),
            dataset.as_os_str(),
        ]
        .into_iter()
        .chain(args.iter().copied()),
    );
    assert_eq!(code(&out), 1);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dataset.join("manifest.json")).unwrap()).unwrap();
    // `tree/eb-engine.log` twice: named, and found in `tree`.
    assert_eq!(manifest["scan"]["errors"], 5);
    assert_eq!(
        manifest["scan"]["records"].as_u64(),
        Some(records.len() as u64)
    );

    for sub in ["commands", "diagnose"] {
        let out = eblog(
            [OsStr::new(sub), OsStr::new("--json")]
                .into_iter()
                .chain(args.iter().copied()),
        );
        assert_eq!(code(&out), 1, "{sub}");
        let err = stderr(&out);
        for path in bad {
            assert!(
                err.contains(&format!("eblog: {}: ", path.display())),
                "{sub}: {err}"
            );
        }
        assert!(!out.stdout.is_empty(), "{sub}: the good files are used");
    }
}

#[cfg(target_os = "linux")]
/// Runs eblog with a 64 KiB file-size limit (RLIMIT_FSIZE) and SIGXFSZ ignored, so that
/// its writes past the limit fail with EFBIG as they would on a full disk.
fn with_file_size_limit(args: &[&OsStr]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("eblog"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs eblog")
}

/// Runs eblog with its stdout a pipe whose reading end is already closed.
fn with_closed_stdout(args: &[&OsStr]) -> Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_subcommand_quietly() {
    let al2 = samples_dir().join("al2");
    let runs: [&[&OsStr]; 6] = [
        &[OsStr::new("parse"), al2.as_os_str()],
        &[
            OsStr::new("parse"),
            OsStr::new("--to"),
            OsStr::new("csv"),
            al2.as_os_str(),
        ],
        &[OsStr::new("commands"), al2.as_os_str()],
        &[
            OsStr::new("commands"),
            OsStr::new("--json"),
            al2.as_os_str(),
        ],
        &[OsStr::new("diagnose"), al2.as_os_str()],
        &[OsStr::new("formats"), OsStr::new("--kinds")],
    ];
    for args in runs {
        let out = with_closed_stdout(args);
        assert_eq!(code(&out), 0, "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}: quiet");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_in_every_subcommand() {
    let al2 = samples_dir().join("al2");
    let runs: [&[&OsStr]; 5] = [
        &[OsStr::new("parse"), al2.as_os_str()],
        &[OsStr::new("commands"), al2.as_os_str()],
        &[
            OsStr::new("commands"),
            OsStr::new("--json"),
            al2.as_os_str(),
        ],
        &[
            OsStr::new("diagnose"),
            OsStr::new("--json"),
            al2.as_os_str(),
        ],
        &[OsStr::new("formats")],
    ];
    for args in runs {
        let out = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(File::options().write(true).open("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(code(&out), 1, "{args:?}");
        assert!(
            stderr(&out).contains("error writing output: No space left on device"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_under_out_leaves_no_complete_looking_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("eb-engine.log");
    std::fs::write(
        &log,
        std::fs::read(samples_dir().join("al2/eb-engine.log"))
            .unwrap()
            .repeat(40),
    )
    .unwrap();

    // A previous dataset stays as it was when the new one cannot be completed: the new
    // one is staged and published only when complete.
    let out_dir = dir.path().join("dataset");
    let small = samples_dir().join("al2/eb-engine.log");
    let first = eblog([
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        out_dir.as_os_str(),
        small.as_os_str(),
    ]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let manifest = std::fs::read(out_dir.join("manifest.json")).unwrap();
    let before = listing(&out_dir);
    let out = with_file_size_limit(&[
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        out_dir.as_os_str(),
        log.as_os_str(),
    ]);
    assert_fails_with(
        &out,
        &format!("eblog: --out {}: File too large", out_dir.display()),
    );
    assert_eq!(
        std::fs::read(out_dir.join("manifest.json")).unwrap(),
        manifest
    );
    assert_eq!(
        listing(&out_dir),
        before,
        "the previous dataset is untouched"
    );

    // The tables' files: a write limit (RLIMIT_FSIZE, with SIGXFSZ ignored, so writes fail
    // with EFBIG as on a full disk) stops the Parquet and JSON-lines writers mid-table.
    // Nothing is left under a final name.
    for to in ["parquet", "jsonl"] {
        let out_dir = dir.path().join(format!("limited-{to}"));
        let out = with_file_size_limit(&[
            OsStr::new("scan"),
            OsStr::new("--quiet"),
            OsStr::new("--to"),
            OsStr::new(to),
            OsStr::new("--out"),
            out_dir.as_os_str(),
            log.as_os_str(),
        ]);
        assert_eq!(code(&out), 1, "{to}");
        assert!(
            stderr(&out).contains(&format!(
                "eblog: --out {}: File too large",
                out_dir.display()
            )),
            "{to}: {}",
            stderr(&out)
        );
        let mut dirs = vec![out_dir.clone()];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(d).unwrap() {
                let p = entry.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    assert!(
                        name.starts_with('.') && name.ends_with(".tmp"),
                        "{to}: {p:?} looks complete"
                    );
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn parse_output_files_on_a_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let log = samples_dir().join("al2/eb-engine.log");

    // `-o FILE` when the disk fills up (a file-size limit stands in for it): the error
    // names the file, and no FILE is left: the output is written under a temporary name
    // and renamed onto FILE only when complete.
    let big = dir.path().join("big.log");
    let mut text = std::fs::read_to_string(&log).unwrap();
    while text.len() < 512 * 1024 {
        text = text.clone() + &text;
    }
    std::fs::write(&big, text).unwrap();
    let target = dir.path().join("out.jsonl");
    let out = with_file_size_limit(&[
        OsStr::new("parse"),
        OsStr::new("-o"),
        target.as_os_str(),
        big.as_os_str(),
    ]);
    assert_fails_with(
        &out,
        &format!(
            "eblog: {}: error writing output: File too large",
            target.display()
        ),
    );
    assert!(!target.exists(), "no half-written FILE");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the temporary file is removed: {leftovers:?}"
    );
    std::fs::remove_file(&big).unwrap();

    // `--to parquet -o FILE`: written under a temporary name, renamed when complete. When
    // the disk fills up there is no FILE, and the temporary file is removed.
    let parquet = dir.path().join("out.parquet");
    let big = dir.path().join("big.log");
    std::fs::write(&big, std::fs::read(&log).unwrap().repeat(200)).unwrap();
    let out = with_file_size_limit(&[
        OsStr::new("parse"),
        OsStr::new("--to"),
        OsStr::new("parquet"),
        OsStr::new("-o"),
        parquet.as_os_str(),
        big.as_os_str(),
    ]);
    assert_fails_with(
        &out,
        &format!("eblog: {}: File too large", parquet.display()),
    );
    assert!(!parquet.exists());
    assert_eq!(
        listing(dir.path()),
        vec!["big.log".to_owned()],
        "no temporary file is left"
    );
    // A device that is full is written in place, fails, and stays the device.
    let out = eblog([
        OsStr::new("parse"),
        OsStr::new("--to"),
        OsStr::new("parquet"),
        OsStr::new("-o"),
        OsStr::new("/dev/full"),
        log.as_os_str(),
    ]);
    assert_fails_with(&out, "eblog: /dev/full: No space left on device");
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &std::fs::metadata("/dev/full").unwrap().file_type()
    ));
}

/// The files under `dir`, relative and sorted.
#[cfg(target_os = "linux")]
fn listing(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    // A missing input beside: had any work been done, it would be reported too.
    let missing = dir.path().join("missing.log");
    let below_file = file.join("dataset");
    let mut places = vec![below_file.as_path()];
    if cfg!(target_os = "linux") {
        places.push(Path::new("/proc/eblog-dataset")); // no directory can be made there
    }
    for out_dir in places {
        let out = eblog([
            OsStr::new("scan"),
            OsStr::new("--out"),
            out_dir.as_os_str(),
            missing.as_os_str(),
        ]);
        assert_eq!(code(&out), 1);
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("eblog: --out {}: ", out_dir.display())),
            "{err}"
        );
        assert!(
            !err.contains("missing.log"),
            "refused before reading inputs: {err}"
        );
    }
    let target = dir.path().join("no/such/dir/out.jsonl");
    for to in ["jsonl", "csv", "parquet"] {
        let out = eblog([
            OsStr::new("parse"),
            OsStr::new("--to"),
            OsStr::new(to),
            OsStr::new("-o"),
            target.as_os_str(),
            missing.as_os_str(),
        ]);
        assert_eq!(code(&out), 1, "{to}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("eblog: {}: ", target.display())),
            "{to}: {err}"
        );
        assert!(!err.contains("missing.log"), "{to}: {err}");
    }
    let html = dir.path().join("no/such/dir/report.html");
    let out = eblog([
        OsStr::new("commands"),
        OsStr::new("--html"),
        html.as_os_str(),
        samples_dir().join("al2").as_os_str(),
    ]);
    assert_fails_with(&out, &format!("eblog: --html {}: ", html.display()));
}

#[test]
fn commands_and_diagnose_usage_errors_exit_2() {
    let al2 = samples_dir().join("al2");
    for sub in ["commands", "diagnose"] {
        let out = eblog([
            OsStr::new(sub),
            OsStr::new("--since"),
            OsStr::new("the day before"),
            al2.as_os_str(),
        ]);
        assert_eq!(code(&out), 2, "{sub}");
        assert!(stderr(&out).contains("--since"));
        let out = eblog([sub, "--no-such-flag", "x.log"]);
        assert_eq!(code(&out), 2, "{sub}");
        let out = eblog([sub, "--tz", "Mars/Base", "x.log"]);
        assert_eq!(code(&out), 2, "{sub}");
    }
}

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
            _ => assert!(
                text.contains("#![forbid(unsafe_code)]"),
                "{name} forbids unsafe code"
            ),
        }
    }
    for path in &all {
        let text = std::fs::read_to_string(path).unwrap();
        let blocks: Vec<usize> = text.match_indices("unsafe {").map(|(i, _)| i).collect();
        if path.ends_with("mapped.rs") {
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
