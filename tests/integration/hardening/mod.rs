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
//!
//! One module per concern (`properties`, `hostile`, `faults`, `outputs`, `limits`); the
//! helpers they share are here.

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

mod faults;
mod hostile;
mod limits;
mod outputs;
mod properties;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

pub(super) const ENGINE_LINE: &str =
    "2022/06/14 10:41:12.923512 [INFO] Executing instruction: RunAppDeployPreBuildHooks\n";
pub(super) const HUP_LINE: &str = "2019-05-14 10:41:24,903 [INFO] command processing is alive.\n";

/// Runs the `eblog` binary with `args`, stdin empty.
pub(super) fn eblog<I, S>(args: I) -> Output
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
pub(super) fn code(out: &Output) -> i32 {
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
pub(super) fn assert_fails_with(out: &Output, expected: &str) {
    assert_eq!(code(out), 1, "{}", stderr(out));
    assert!(
        stderr(out).contains(expected),
        "expected {expected:?} on stderr: {}",
        stderr(out)
    );
}

pub(super) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Deterministic pseudo-random bytes (xorshift64*).
pub(super) fn noise(seed: u64, len: usize) -> Vec<u8> {
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
pub(super) fn age(path: &Path) {
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// The text eblog gives bytes that are not a record: lossy UTF-8, line ends trimmed,
/// CRLF as LF (written out independently of `decode::text`).
pub(super) fn lossy_text(bytes: &[u8]) -> String {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    String::from_utf8_lossy(&bytes[..end]).replace("\r\n", "\n")
}

pub(super) fn unit(name: &str, data: Vec<u8>) -> Unit {
    Unit {
        source: name.to_owned(),
        name: PathBuf::from(name),
        data,
        explicit: true,
        written: Some((2022, 6)),
    }
}

pub(super) fn parse_records(unit: &Unit, format: Option<Format>) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let options = ParseOptions {
        format,
        ..ParseOptions::default()
    };
    parse_unit(unit, options, &mut records).expect("a Vec sink cannot fail");
    records
}

pub(super) fn parse_jsonl(
    unit: &Unit,
    format: Option<Format>,
    redactor: Option<Redactor>,
) -> Vec<u8> {
    let mut sink = JsonLines::new(Vec::new(), redactor);
    let options = ParseOptions {
        format,
        ..ParseOptions::default()
    };
    parse_unit(unit, options, &mut sink).expect("a Vec sink cannot fail");
    sink.into_inner()
}

/// Scans `paths` into JSON lines with `options`.
pub(super) fn scan_jsonl(paths: &[PathBuf], options: &ScanOptions) -> (Vec<u8>, ScanSummary) {
    let mut out = WriteSink(Vec::new());
    let encoder = JsonLinesEncoder {
        redactor: Some(Redactor::new()),
    };
    let summary = scan(paths, options, &encoder, &mut out, &|_| {}).expect("scan to memory");
    (out.0, summary)
}
