//! Every sample in `samples/`: golden outputs, full coverage, detection by content, typed
//! kinds for the lines that matter, and no planted credential in any output.

use crate::util::{eblog, json_lines, parse_json, sample_logs, samples_dir};
use serde_json::Value;
use std::path::Path;

fn parse_file(path: &Path) -> Vec<Value> {
    parse_json(&[path.to_str().unwrap()])
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn there_are_samples_of_the_three_legacy_files() {
    let names: Vec<String> = sample_logs().iter().map(|p| name(p)).collect();
    for expected in ["cfn-hup.log", "eb-commandprocessor.log", "eb-activity.log"] {
        assert!(
            names.iter().any(|n| n == expected),
            "samples/{expected} exists"
        );
    }
}

#[test]
fn golden_outputs() {
    for path in sample_logs() {
        let out = eblog()
            .current_dir(samples_dir())
            .args(["parse", &name(&path)])
            .output()
            .unwrap();
        assert!(out.status.success());
        insta::assert_snapshot!(name(&path), String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn records_cover_every_line_and_byte_in_order() {
    for path in sample_logs() {
        let bytes = std::fs::read(&path).unwrap();
        let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64
            + u64::from(!bytes.ends_with(b"\n"));
        let records = parse_file(&path);
        let (mut next_line, mut next_offset) = (1, 0);
        for r in &records {
            assert_eq!(r["line"], next_line, "{}: line order", name(&path));
            assert_eq!(r["offset"], next_offset, "{}: byte order", name(&path));
            assert_ne!(
                r["kind"],
                "unparsed",
                "{}: line {} is unparsed",
                name(&path),
                r["line"]
            );
            next_line = r["end_line"].as_u64().unwrap() + 1;
            next_offset = r["offset"].as_u64().unwrap() + r["bytes"].as_u64().unwrap();
        }
        assert_eq!(next_line - 1, lines, "{}: every line", name(&path));
        assert_eq!(
            next_offset,
            bytes.len() as u64,
            "{}: every byte",
            name(&path)
        );
    }
}

#[test]
fn at_most_a_few_percent_are_other() {
    for path in sample_logs() {
        let records = parse_file(&path);
        let other: Vec<&Value> = records.iter().filter(|r| r["kind"] == "other").collect();
        let share = other.len() as f64 / records.len() as f64;
        assert!(
            share <= 0.05,
            "{}: {} of {} records are `other`: {:#?}",
            name(&path),
            other.len(),
            records.len(),
            other.iter().map(|r| &r["message"]).collect::<Vec<_>>()
        );
    }
}

#[test]
fn content_detection_agrees_with_names() {
    let dir = tempfile::tempdir().unwrap();
    for path in sample_logs() {
        let by_name = parse_file(&path);
        let renamed = dir.path().join("x.log");
        std::fs::copy(&path, &renamed).unwrap();
        let by_content = parse_file(&renamed);
        assert_eq!(by_name.len(), by_content.len(), "{}", name(&path));
        for (a, b) in by_name.iter().zip(&by_content) {
            assert_eq!(a["format"], b["format"], "{}", name(&path));
            assert_eq!(a["kind"], b["kind"], "{} line {}", name(&path), a["line"]);
        }
        let stdin = eblog()
            .args(["parse", "-"])
            .write_stdin(std::fs::read(&path).unwrap())
            .output()
            .unwrap();
        let streamed = json_lines(&stdin.stdout);
        assert_eq!(streamed.len(), by_name.len(), "{} via stdin", name(&path));
        assert_eq!(
            streamed[0]["format"],
            by_name[0]["format"],
            "{} via stdin",
            name(&path)
        );
    }
}

/// The first record whose first line contains `needle`.
fn record_with<'a>(records: &'a [Value], line: &str) -> Option<&'a Value> {
    records.iter().find(|r| {
        r["message"]
            .as_str()
            .is_some_and(|m| m.lines().next().unwrap_or("").contains(line))
    })
}

#[test]
fn lines_that_matter_get_their_typed_kind() {
    for path in sample_logs() {
        let text = std::fs::read_to_string(&path).unwrap();
        let records = parse_file(&path);
        for (number, line) in text.lines().enumerate() {
            let number = number as u64 + 1;
            let expected = if line.contains("] : Running ") && line.contains(" actions: ") {
                "action_start"
            } else if line.contains("Command processor returning results:") {
                "command_result"
            } else if line.contains("] Received command ") && line.contains("(invocation id: ") {
                "command_received"
            } else {
                continue;
            };
            let record = records
                .iter()
                .find(|r| r["line"] == number)
                .unwrap_or_else(|| panic!("{}:{number} starts a record", name(&path)));
            assert_eq!(record["kind"], expected, "{}:{number}", name(&path));
            if expected == "command_result" {
                assert!(
                    record["result"]["status"].is_string(),
                    "{}:{number}: result parsed",
                    name(&path)
                );
            }
        }
    }
}

/// The planted credentials listed in samples/README.md: every `code` span of the list
/// under the "Planted credentials" heading.
fn planted_credentials() -> Vec<String> {
    let readme = std::fs::read_to_string(samples_dir().join("README.md")).unwrap();
    let section = readme
        .split("Planted credentials")
        .nth(1)
        .expect("samples/README.md lists planted credentials");
    let section = section.split("\n#").next().unwrap_or(section);
    section
        .lines()
        .filter(|l| l.trim_start().starts_with(['-', '*']))
        .filter_map(|l| l.split('`').nth(1))
        .filter(|s| s.len() >= 8)
        .map(str::to_owned)
        .collect()
}

#[test]
fn planted_credentials_never_reach_the_output() {
    let secrets = planted_credentials();
    assert!(secrets.len() >= 3, "found {secrets:?}");
    let all_samples = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"));
    let mut text_in = String::new();
    for path in all_samples {
        text_in.push_str(&std::fs::read_to_string(&path).unwrap());
        let out = eblog().arg("parse").arg(&path).output().unwrap();
        let output = String::from_utf8(out.stdout).unwrap();
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "{} leaks {secret}",
                name(&path)
            );
        }
        let raw = eblog()
            .args(["parse", "--no-redact"])
            .arg(&path)
            .output()
            .unwrap();
        let raw = String::from_utf8(raw.stdout).unwrap();
        if secrets.iter().any(|s| {
            text_in.contains(s.as_str())
                && std::fs::read_to_string(&path).unwrap().contains(s.as_str())
        }) {
            assert!(
                secrets.iter().any(|s| raw.contains(s.as_str())),
                "--no-redact keeps {}'s secrets",
                name(&path)
            );
        }
    }
    for secret in &secrets {
        assert!(
            text_in.contains(secret.as_str()),
            "planted credential {secret} is in a sample"
        );
    }
}

fn sample(file: &str) -> Vec<Value> {
    parse_file(&samples_dir().join(file))
}

#[test]
fn command_processor_failed_deploy_values() {
    let records = sample("eb-commandprocessor.log");
    let received = record_with(
        &records,
        "Received command CMD-AppDeploy: {\"api_version\"=>\"1.0\", \"request_id\"=>\"efae3c0c",
    )
    .unwrap();
    assert_eq!(received["kind"], "command_received");
    assert_eq!(received["pid"], 31877, "5-digit pid");
    assert_eq!(received["command"], "CMD-AppDeploy");
    assert_eq!(
        received["request_id"],
        "efae3c0c-7676-11e9-ac71-0a3b7c9e1d24"
    );
    assert_eq!(
        received["payload"]["resource_name"], "AWSEBAutoScalingGroup",
        "Ruby hash parsed"
    );

    let chain = record_with(&records, "Command execution failed: Activity failed.").unwrap();
    assert_eq!(chain["kind"], "command_failed");
    assert_eq!(chain["error"], "Activity failed.");
    let exceptions = chain["exceptions"].as_array().unwrap();
    let classes: Vec<&str> = exceptions
        .iter()
        .map(|e| e["class"].as_str().unwrap())
        .collect();
    assert_eq!(
        classes,
        [
            "ElasticBeanstalk::ActivityFatalError",
            "ElasticBeanstalk::ExternalInvocationError",
            "Executor::NonZeroExitStatus"
        ]
    );
    assert!(
        exceptions[2]["message"]
            .as_str()
            .unwrap()
            .contains("npm ERR! code ETARGET\n"),
        "indentation removed"
    );
    let failed = records
        .iter()
        .find(|r| r["line"] == chain["end_line"].as_u64().unwrap() + 1)
        .unwrap();
    assert_eq!(
        (failed["kind"].as_str(), failed["command"].as_str()),
        (Some("command_failed"), Some("CMD-AppDeploy")),
        "the two empty lines belong to the chain"
    );

    let result = &records
        .iter()
        .find(|r| r["line"] == failed["line"].as_u64().unwrap() + 1)
        .unwrap()["result"];
    assert_eq!(result["status"], "FAILURE");
    assert_eq!(result["truncated"], true, "the string \"true\" is a bool");
    let entry = &result["results"][0];
    assert_eq!(entry["returncode"], 1);
    assert!(entry["msg"].as_str().unwrap().starts_with("(TRUNCATED)..."));
    let events = entry["events"].as_array().unwrap();
    assert_eq!(
        events[0]["timestamp_ms"], 1_557_858_931_000_i64,
        "seconds normalised"
    );
    assert_eq!(events[0]["timestamp_unit"], "s");
    assert_eq!(events[1]["timestamp_ms"], 1_557_858_931_392_i64);
    assert_eq!(events[1]["timestamp_unit"], "ms");
}

#[test]
fn command_processor_lifecycle_values() {
    let records = sample("eb-commandprocessor.log");
    let pre_init = record_with(&records, "Received command CMD-PreInit: {").unwrap();
    assert_eq!(
        pre_init["payload"]["request_id"], "0",
        "JSON payload parsed"
    );
    assert_eq!(pre_init["pid"], 2318, "4-digit pid");
    let tail = record_with(&records, "Received command CMD-TailLogs").unwrap();
    assert_eq!(tail["pid"], 611, "3-digit pid");
    assert_eq!(
        tail["instance_id"],
        Value::Null,
        "the record itself names no instance"
    );
    let applicable = record_with(
        &records,
        "Command is applicable to this instance (i-0c41d7e98a2f6b531)",
    )
    .unwrap();
    assert_eq!(
        (
            applicable["kind"].as_str(),
            applicable["applicable"].as_bool()
        ),
        (Some("applicability"), Some(true))
    );
    assert_eq!(applicable["instance_id"], "i-0c41d7e98a2f6b531");
    let refused = record_with(&records, "Command processor shouldn't execute command.").unwrap();
    assert_eq!(
        (refused["level"].as_str(), refused["applicable"].as_bool()),
        (Some("WARN"), Some(false))
    );
    let action = record_with(&records, "Running 4 of 6 actions: AppDeployPreHook...").unwrap();
    assert_eq!(
        (
            action["index"].as_u64(),
            action["total"].as_u64(),
            action["action"].as_str()
        ),
        (Some(4), Some(6), Some("AppDeployPreHook"))
    );
    let ok = record_with(&records, "Command CMD-AppDeploy succeeded!").unwrap();
    assert_eq!(ok["kind"], "command_succeeded");
    let result = &records
        .iter()
        .find(|r| r["line"] == ok["line"].as_u64().unwrap() + 1)
        .unwrap()["result"];
    assert_eq!(result["status"], "SUCCESS");
    assert_eq!(result["results"][0]["returncode"], 0);
}

#[test]
fn activity_log_values() {
    let records = sample("eb-activity.log");
    let download = record_with(&records, "Completed activity. Result:").unwrap();
    assert_eq!(
        download["activity"],
        "Initialization/PreInitStage0/DownloadSourceBundle"
    );
    assert_eq!(download["status"], "completed");
    assert!(
        download["result"]
            .as_str()
            .unwrap()
            .starts_with("[2019-05-14T06:58:43.941Z] INFO  [2341]  : Application version"),
        "indented result lines are not headers and lose their indentation"
    );
    let error = records
        .iter()
        .find(|r| r["kind"] == "activity_error")
        .unwrap();
    assert!(error["activity"]
        .as_str()
        .unwrap()
        .ends_with("/AppDeployPreHook/50npm.sh"));
    assert_eq!(
        error["exceptions"][1]["class"],
        "Executor::NonZeroExitStatus"
    );
    let top = records
        .iter()
        .rev()
        .find(|r| {
            r["activity"].as_str().is_some_and(|a| !a.contains('/')) && r["kind"] == "activity_end"
        })
        .unwrap();
    assert_eq!(
        top["status"], "completed",
        "the top-level activity completes even when the command failed"
    );
    let failed_top = records
        .iter()
        .find(|r| r["result"].as_str() == Some("Application update - Command CMD-AppDeploy failed"))
        .unwrap();
    assert_eq!(failed_top["pid"], 31877);
}
