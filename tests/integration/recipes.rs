//! The recipes for other viewers (`contrib/`): lnav's format for eblog's JSON lines and
//! hl's configuration read the fields eblog writes and place every level the samples
//! hold where eblog's own severity puts it.

use crate::util::{eblog, json_lines};
use eblog::record::Severity;
use std::collections::BTreeSet;
use std::path::Path;

fn contrib(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("contrib")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every record of the samples, as `eblog parse` writes them.
fn sample_records() -> Vec<serde_json::Value> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let out = eblog().arg("parse").arg(samples).output().unwrap();
    assert!(out.status.success());
    json_lines(&out.stdout)
}

fn field_names(records: &[serde_json::Value]) -> BTreeSet<String> {
    records
        .iter()
        .filter_map(|r| r.as_object())
        .flat_map(|o| o.keys().cloned())
        .collect()
}

/// The levels the samples hold, and those the formats write that no sample holds
/// (Ruby's `FATAL` and `ANY`, nginx's `notice`, `crit`, `alert`, `emerg`, Python's
/// `CRITICAL`).
fn levels(records: &[serde_json::Value]) -> BTreeSet<String> {
    let mut levels: BTreeSet<String> = records
        .iter()
        .filter_map(|r| r["level"].as_str().map(str::to_owned))
        .collect();
    let unseen = [
        "FATAL", "ANY", "notice", "crit", "alert", "emerg", "CRITICAL",
    ];
    levels.extend(unseen.map(str::to_owned));
    levels
}

#[test]
fn lnav_format_reads_eblog_fields_and_levels() {
    let format: serde_json::Value =
        serde_json::from_str(&contrib("lnav/eblog.json")).expect("the lnav format is JSON");
    let format = &format["eblog_records"];
    assert_eq!(format["json"], true);
    let records = sample_records();
    let fields = field_names(&records);
    for key in ["timestamp-field", "level-field", "body-field"] {
        let field = format[key].as_str().expect(key);
        assert!(
            fields.contains(field),
            "{key}: {field} is not a field eblog writes"
        );
    }
    for (name, _) in format["value"].as_object().expect("values") {
        assert!(
            fields.contains(name),
            "value {name} is not a field eblog writes"
        );
    }
    for part in format["line-format"].as_array().expect("line-format") {
        if let Some(field) = part["field"].as_str() {
            assert!(
                field == "__timestamp__" || fields.contains(field),
                "{field}"
            );
        }
    }
    let patterns: Vec<(String, regex::Regex)> = format["level"]
        .as_object()
        .expect("levels")
        .iter()
        .map(|(level, re)| {
            let re = regex::Regex::new(re.as_str().unwrap()).expect("the level pattern compiles");
            (level.clone(), re)
        })
        .collect();
    let seen = levels(&records);
    assert!(seen.len() >= 14, "{seen:?}");
    for level in &seen {
        let matched: Vec<&str> = patterns
            .iter()
            .filter(|(_, re)| re.is_match(level))
            .map(|(name, _)| name.as_str())
            .collect();
        let expected: &[&str] = match Severity::from_level(level) {
            Some(Severity::Trace) => &["trace"],
            Some(Severity::Debug) => &["debug"],
            Some(Severity::Info) => &["info"],
            Some(Severity::Warn) => &["warning"],
            Some(Severity::Error) => &["error"],
            Some(Severity::Fatal) => &["critical", "fatal"],
            None => &[],
        };
        assert_eq!(matched.len(), 1, "{level:?} matches {matched:?}");
        assert!(
            expected.contains(&matched[0]),
            "{level:?}: lnav {matched:?}, eblog {expected:?}"
        );
    }
}

/// `key: [a, b, c]` lines under a YAML block, as name → items.
fn flow_lists(yaml: &str) -> Vec<(String, Vec<String>)> {
    yaml.lines()
        .filter_map(|line| {
            let (key, rest) = line.trim().split_once(':')?;
            let list = rest.trim().strip_prefix('[')?.strip_suffix(']')?;
            let items = list
                .split(',')
                .map(|i| i.trim().trim_matches('\'').to_owned());
            Some((
                key.trim().trim_start_matches("- ").to_owned(),
                items.collect(),
            ))
        })
        .collect()
}

#[test]
fn hl_config_reads_eblog_fields_and_levels() {
    let yaml = contrib("hl/config.yaml");
    let lists = flow_lists(&yaml);
    let list = |key: &str| -> Vec<String> {
        lists
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let records = sample_records();
    let fields = field_names(&records);
    // time, logger, level and message names, in the order they appear.
    let names: Vec<&Vec<String>> = lists
        .iter()
        .filter(|(k, _)| k == "names")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in names.iter().flat_map(|n| n.iter()) {
        assert!(fields.contains(name), "{name} is not a field eblog writes");
    }
    for hidden in list("hide") {
        assert!(fields.contains(&hidden), "{hidden}");
    }
    for level in levels(&records) {
        let placed: Vec<&str> = ["debug", "info", "warning", "error"]
            .into_iter()
            .filter(|hl| list(hl).contains(&level))
            .collect();
        let expected = match Severity::from_level(&level) {
            Some(Severity::Trace | Severity::Debug) => "debug",
            Some(Severity::Info) => "info",
            Some(Severity::Warn) => "warning",
            Some(Severity::Error | Severity::Fatal) => "error",
            None => "none",
        };
        assert_eq!(placed, [expected], "{level:?}");
    }
}

/// Where lnav is installed, the format is installed into a scratch home and lnav reads
/// eblog's output of one log with it: its levels agree with eblog's severities.
#[test]
fn lnav_reads_eblog_output_with_the_format_where_installed() {
    let installed = std::process::Command::new("lnav")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("lnav is not installed: lnav run skipped");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lnav = |args: &[&str]| {
        let out = std::process::Command::new("lnav")
            .args(args)
            .env("HOME", home.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    lnav(&["-i", root.join("contrib/lnav/eblog.json").to_str().unwrap()]);
    let log = home.path().join("engine.jsonl");
    let out = eblog()
        .arg("parse")
        .arg(root.join("samples/al2/eb-engine.log"))
        .output()
        .unwrap();
    std::fs::write(&log, &out.stdout).unwrap();
    let records = json_lines(&out.stdout);
    let count = |want: Severity| {
        records
            .iter()
            .filter(|r| r["level"].as_str().and_then(Severity::from_level) == Some(want))
            .count()
    };
    let table = lnav(&[
        "-n",
        "-c",
        ";SELECT log_level, count(*) AS n FROM eblog_records GROUP BY log_level",
        log.to_str().unwrap(),
    ]);
    for (level, severity) in [
        ("info", Severity::Info),
        ("warning", Severity::Warn),
        ("error", Severity::Error),
    ] {
        let row = table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(level))
            .unwrap_or_else(|| panic!("no {level} row in {table}"));
        let n: usize = row
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert_eq!(n, count(severity), "{level}: {table}");
    }
}
