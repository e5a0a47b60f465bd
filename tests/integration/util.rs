//! Helpers shared by the integration tests.

use eblog::record::{Format, Record};
use proptest::prelude::*;
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

/// Asserts that records partition `input`: contiguous byte ranges and line numbers,
/// covering it exactly.
pub fn assert_partition(records: &[Record], input: &[u8]) {
    let (mut offset, mut line) = (0u64, 1u64);
    for r in records {
        assert_eq!(r.offset, offset, "contiguous at record {r:?}");
        assert_eq!(r.line, line, "lines contiguous at record {r:?}");
        assert!(r.bytes > 0 && r.end_line >= r.line, "{r:?}");
        let bytes = &input[r.offset as usize..(r.offset + r.bytes) as usize];
        let newlines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
        let open = u64::from(!bytes.ends_with(b"\n"));
        assert_eq!(r.end_line - r.line + 1, newlines + open, "{r:?}");
        offset += r.bytes;
        line = r.end_line + 1;
    }
    assert_eq!(offset, input.len() as u64, "records cover the input");
}

/// Lines of every format family, wrapper headers and prefixes, and near misses, with a
/// little noise and every kind of line end, so that random inputs reach the grammars, the
/// wrappers and the unparsed path.
pub fn line() -> impl Strategy<Value = Vec<u8>> {
    let templates = prop_oneof![
        Just("2017-07-16 23:09:33,602 [INFO] Received command X (invocation id: y)"),
        Just("2017-07-16 23:09:33,602 [DEBUG] Action environment: {'A_TOKEN': u'x', 'B': [1, (2,), None]}"),
        Just("2017-07-16 23:09:33,602 [ERROR] boom"),
        Just("Traceback (most recent call last):"),
        Just("[2018-09-17T23:29:07.266Z] INFO  [2273]  : Running 1 of 2 actions: X..."),
        Just("[2018-09-17T23:29:07.266Z] INFO  [2273]  : Command processor returning results: "),
        Just("{\"status\":\"FAILURE\",\"results\":[{\"msg\":\"x\",\"returncode\":1,\"events\":[{\"timestamp\":1}]}]}"),
        Just("[2018-09-17T23:29:07.266Z] INFO  [2273]  - [A/B] : Completed activity. Result:"),
        Just("[2018-09-17T23:29:07.266Z] ERROR [2273]  : Command execution failed: x (A::B)"),
        Just("caused by: y (C)"),
        Just("2022/06/14 10:41:12.923512 [INFO] Executing instruction: RunAppDeployPreBuildHooks"),
        Just("2022/06/14 10:41:12.923513 [INFO] Running command /bin/sh -c systemctl show -p PartOf web.service"),
        Just("2022/06/14 10:41:12.923514 [ERROR] An error occurred during execution of command [app-deploy] - [RunAppDeployPreBuildHooks]. Stop running the command. Error: x"),
        Just("172.31.6.201 - - [14/Sep/2022:18:41:08 +0000] \"GET / HTTP/1.1\" 502 5 \"-\" \"curl\" \"-\""),
        Just("-------------------------------------"),
        Just("/var/log/eb-engine.log"),
        Just("/var/log/cfn-hup.log"),
        Just("==== i-0d7e3a91c4b52f806 ===="),
        Just("==== i-0d7e3a91c4b52f806 - /aws/elasticbeanstalk/env/var/log/eb-engine.log ===="),
        Just("[i-0d7e3a91c4b52f806] 2022/06/14 10:41:12.923512 [INFO] Executing instruction: X"),
        Just("[eb-cfn-init]: [2022-06-14T10:41:12.000Z] Started EB Bootstrapping Script."),
        Just("[eb-cfn-init]: + curl -s http://x"),
        Just(""),
    ];
    let text = prop_oneof![
        4 => templates.prop_map(str::to_owned),
        1 => "[ -~]{0,40}",
    ];
    (
        text,
        prop::collection::vec(any::<u8>(), 0..3),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("")],
    )
        .prop_map(|(text, noise, eol)| {
            let mut bytes = text.into_bytes();
            bytes.extend(noise.into_iter().filter(|b| *b != b'\n'));
            bytes.extend_from_slice(eol.as_bytes());
            bytes
        })
}

/// Runs of template lines (a wrapper's sections hold several lines), or arbitrary bytes.
pub fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(line(), 0..40).prop_map(|lines| lines.concat()),
        1 => prop::collection::vec(any::<u8>(), 0..600),
    ]
}

/// No format (detection), or any one format.
pub fn format() -> impl Strategy<Value = Option<Format>> {
    prop_oneof![
        3 => Just(None),
        1 => prop::sample::select(Format::ALL.to_vec()).prop_map(Some),
    ]
}

/// The variables that change how eblog draws for a terminal (width, colour, pager):
/// removed from a test's environment so that its output is the same everywhere.
pub const TERMINAL_VARS: [&str; 6] = [
    "COLUMNS",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "PAGER",
    "TERM",
];
