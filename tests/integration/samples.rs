//! Every sample in `samples/`: golden outputs, full coverage, detection by content, typed
//! kinds for the lines that matter, and no planted credential in any output.

use crate::util::{eblog, json_lines, parse_json, sample_logs, sample_name, samples_dir};
use serde_json::Value;
use std::path::Path;

fn parse_file(path: &Path) -> Vec<Value> {
    parse_json(&[path.to_str().unwrap()])
}

fn name(path: &Path) -> String {
    sample_name(path)
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

/// Formats whose every message has a template; the others (hooks, healthd's daemon log)
/// are free text by nature.
const TEMPLATED: [&str; 9] = [
    "cfn-hup",
    "cfn-wire",
    "cmd-processor",
    "activity",
    "engine",
    "cfn-init",
    "cfn-init-cmd",
    "nginx-access",
    "nginx-error",
];

#[test]
fn at_most_a_few_percent_are_other() {
    for path in sample_logs() {
        let records = parse_file(&path);
        if !TEMPLATED.contains(&records[0]["format"].as_str().unwrap_or("")) {
            continue;
        }
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
            // eb-hooks.log is written in the engine's layout: by content it is engine.
            let hooks_as_engine = a["format"] == "hooks" && b["format"] == "engine";
            if hooks_as_engine {
                continue;
            }
            assert_eq!(a["format"], b["format"], "{}", name(&path));
            assert_eq!(a["kind"], b["kind"], "{} line {}", name(&path), a["line"]);
        }
        let stdin = eblog()
            .args(["parse", "-"])
            .write_stdin(std::fs::read(&path).unwrap())
            .output()
            .unwrap();
        let streamed = json_lines(&stdin.stdout);
        assert_eq!(
            streamed.len(),
            by_content.len(),
            "{} via stdin",
            name(&path)
        );
        assert_eq!(
            streamed.last().unwrap()["format"],
            by_content.last().unwrap()["format"],
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
            } else if line.contains("] Executing instruction: ") {
                "action_start"
            } else if line.contains("] CommandService Response: ") {
                "command_result"
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
    assert!(secrets.len() >= 9, "found {secrets:?}");
    let mut planted_in_samples = 0;
    for path in sample_logs() {
        let text = std::fs::read_to_string(&path).unwrap();
        planted_in_samples += secrets.iter().filter(|s| text.contains(s.as_str())).count();
        let out = eblog().arg("parse").arg(&path).output().unwrap();
        let output = String::from_utf8(out.stdout).unwrap();
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "{} leaks {secret}",
                name(&path)
            );
        }
        assert!(
            !output.contains("EbLogFakeSecret"),
            "{} leaks a secret",
            name(&path)
        );
        assert!(
            !output.contains("ASIA2EBLOGFAKE"),
            "{} leaks an access key id",
            name(&path)
        );
        assert!(
            !output.contains("FQoGZXIvYXdzEBLOGFAKE"),
            "{} leaks a session token",
            name(&path)
        );
    }
    assert!(
        planted_in_samples >= 8,
        "the samples carry the planted credentials"
    );
    let raw = eblog()
        .args(["parse", "--no-redact"])
        .arg(samples_dir().join("cfn-hup.log"))
        .output()
        .unwrap();
    let raw = String::from_utf8(raw.stdout).unwrap();
    assert!(
        raw.contains("ASIA2EBLOGFAKEA7Q3KD"),
        "--no-redact keeps secrets"
    );
    assert!(
        raw.contains("EbLogFakeSecretAw/xl9Oj8U2oh2rNHZmtt/Nxb"),
        "--no-redact keeps secrets"
    );
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

#[test]
fn cfn_hup_failed_deploy_trap_values() {
    let records = sample("cfn-hup.log");
    // Deploy #3: the command processor failed, cfn-hup still says SUCCESS.
    let received = record_with(
        &records,
        "(invocation id: 9531985d-5d9d-49f8-9818-e811892f902b)",
    )
    .unwrap();
    assert_eq!(received["kind"], "command_received");
    assert_eq!(
        received["command"],
        "ElasticBeanstalkCommand-AWSEBAutoScalingGroup"
    );
    let line = received["line"].as_u64().unwrap();
    let after = |kind: &str| {
        records
            .iter()
            .find(|r| r["line"].as_u64().unwrap() > line && r["kind"] == kind)
            .unwrap()
    };
    let env = &after("action_environment")["env"];
    assert_eq!(env["RESULT_SECRET_KEY"], "[REDACTED]");
    assert_eq!(env["RESULT_SESSION_TOKEN"], "[REDACTED]");
    assert_eq!(
        env["INVOCATION_ID"], "9531985d-5d9d-49f8-9818-e811892f902b",
        "ordinary keys stay"
    );
    let output = after("action_output");
    assert_eq!(output["result"]["status"], "FAILURE");
    assert_eq!(output["result"]["results"][0]["returncode"], 1);
    let verdict = after("action_result");
    assert_eq!(
        (verdict["status"].as_str(), verdict["action"].as_str()),
        (Some("SUCCESS"), Some("aws-eb-command-handler"))
    );
    let sent = after("result_sent");
    assert_eq!(sent["payload"]["status"], "SUCCESS");
    assert_eq!(
        sent["payload"]["result"]["status"], "FAILURE",
        "the double-encoded Data is decoded"
    );
    assert_eq!(
        sent["payload"]["result"]["results"][0]["events"][0]["timestamp_unit"],
        "s"
    );
    assert_eq!(
        sent["instance_id"], "i-0c41d7e98a2f6b531",
        "ListenerId names the instance"
    );
    assert_eq!(
        sent["queue"],
        "https://sqs.us-west-2.amazonaws.com/746218537054/cfn-cmd-results-usw2-04"
    );
}

#[test]
fn cfn_hup_continuations_and_failures() {
    let records = sample("cfn-hup.log");
    let output = records.iter().find(|r| r["line"] == 40).unwrap();
    assert_eq!(
        output["end_line"], 45,
        "raw output lines and the trailing empty line belong to the record"
    );
    assert_eq!(output["action"], "app-config-refresh");
    assert!(output["output"]
        .as_str()
        .unwrap()
        .ends_with("Reloading nginx: [  OK  ]"));
    let exited = records.iter().find(|r| r["line"] == 116).unwrap();
    assert_eq!(
        (exited["status"].as_str(), exited["exit_code"].as_i64()),
        (Some("FAILURE"), Some(1))
    );
    let none = records.iter().find(|r| r["line"] == 115).unwrap();
    assert_eq!(none["output"], "<None>");
    let error = records
        .iter()
        .find(|r| r["kind"] == "error" && r["exception"] == "ConnectionError")
        .unwrap();
    assert_eq!(error["level"], "ERROR");
    assert!(error["traceback"].as_array().unwrap().len() >= 2);
    assert!(
        error["end_line"].as_u64().unwrap() > error["line"].as_u64().unwrap(),
        "the traceback is in the record"
    );
    let skipped = records
        .iter()
        .find(|r| r["kind"] == "command_skipped")
        .unwrap();
    assert_eq!(
        skipped["invocation_id"],
        "9531985d-5d9d-49f8-9818-e811892f902b"
    );
    let refresh = records
        .iter()
        .find(|r| r["kind"] == "credentials_refresh" && r["next_refresh_s"].is_number())
        .unwrap();
    assert_eq!(refresh["next_refresh_s"], 3599.5);
    let message = records
        .iter()
        .find(|r| r["kind"] == "command_message")
        .unwrap();
    assert_eq!(
        message["payload"]["Expiration"]
            .as_i64()
            .map(|ms| ms > 1_500_000_000_000),
        Some(true),
        "py2 long parsed"
    );
}

#[test]
fn engine_failure_values() {
    let records = sample("al2/eb-engine.log");
    let failed = records
        .iter()
        .find(|r| r["kind"] == "command_failed" && r["step"] == "RunAppDeployPreBuildHooks")
        .unwrap();
    assert_eq!(failed["command"], "app-deploy");
    assert_eq!(failed["exit_code"], 1);
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("KeyError: 'ORDERS_DB_URL'"),
        "the stderr lines are in the error"
    );
    let after = |kind: &str| {
        records
            .iter()
            .find(|r| r["line"].as_u64() > failed["line"].as_u64() && r["kind"] == kind)
            .unwrap()
    };
    assert_eq!(after("command_result")["result"]["status"], "FAILURE");
    assert_eq!(after("command_finished")["command"], "app-deploy");
    let instructions = records
        .iter()
        .filter(|r| r["kind"] == "action_start")
        .count();
    assert!(
        instructions > 20,
        "every Executing instruction is an action_start: {instructions}"
    );
    let outputs: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "command_output")
        .collect();
    assert!(!outputs.is_empty() && outputs.iter().all(|r| r["command"].is_string()));
}
