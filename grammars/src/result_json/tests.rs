use super::*;

fn event(msg: &str, severity: &str, ms: i64, unit: TimestampUnit) -> ResultEvent {
    ResultEvent {
        msg: msg.to_owned(),
        severity: Some(severity.to_owned()),
        timestamp_ms: Some(ms),
        timestamp_unit: Some(unit),
    }
}

fn entry(status: &str, msg: &str, returncode: i64, events: Vec<ResultEvent>) -> ResultEntry {
    ResultEntry {
        status: Some(status.to_owned()),
        msg: msg.to_owned(),
        returncode: Some(returncode),
        events,
        config_set: None,
    }
}

fn result(status: &str, truncated: Option<bool>, entries: Vec<ResultEntry>) -> CommandResult {
    CommandResult {
        status: status.to_owned(),
        api_version: Some("1.0".to_owned()),
        truncated,
        results: entries,
    }
}

const SUCCESS: &str = r#"{"status":"SUCCESS","api_version":"1.0","results":[{"status":"SUCCESS","msg":"","returncode":0,"events":[]}]}"#;

const FAILURE: &str = concat!(
    r#"{"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","#,
    r#""msg":"(TRUNCATED)...npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\nnpm ERR! Failed at the app@1.0.0 start script.. \n"#,
    r#"Hook /opt/elasticbeanstalk/hooks/appdeploy/pre/50npm.sh failed. For more detail, check /var/log/eb-activity.log using console or EB CLI","#,
    r#""returncode":1,"events":[{"msg":"Failed to run npm install. Snapshot logs for more details.","severity":"ERROR","timestamp":1585322370},"#,
    r#"{"msg":"Failed to install dependencies.","severity":"ERROR","timestamp":1585323914015}]}],"truncated":"true"}"#
);

#[test]
fn success() {
    assert_eq!(
        parse_result_json(SUCCESS),
        Ok(result(
            "SUCCESS",
            None,
            vec![entry("SUCCESS", "", 0, vec![])]
        ))
    );
}

#[test]
fn failure_with_multiline_msg_and_mixed_units() {
    let msg = "(TRUNCATED)...npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\nnpm ERR! Failed at the app@1.0.0 start script.. \nHook /opt/elasticbeanstalk/hooks/appdeploy/pre/50npm.sh failed. For more detail, check /var/log/eb-activity.log using console or EB CLI";
    let expected = result(
        "FAILURE",
        Some(true),
        vec![entry(
            "FAILURE",
            msg,
            1,
            vec![
                event(
                    "Failed to run npm install. Snapshot logs for more details.",
                    "ERROR",
                    1_585_322_370_000,
                    TimestampUnit::Seconds,
                ),
                event(
                    "Failed to install dependencies.",
                    "ERROR",
                    1_585_323_914_015,
                    TimestampUnit::Milliseconds,
                ),
            ],
        )],
    );
    assert_eq!(parse_result_json(FAILURE), Ok(expected));
}

#[test]
fn legacy_1x_truncated_string_before_results() {
    let input = r#"{"status":"SUCCESS","api_version":"1.0","truncated":"false","results":[{"status":"SUCCESS","msg":"","returncode":0,"events":[]}]}"#;
    assert_eq!(
        parse_result_json(input),
        Ok(result(
            "SUCCESS",
            Some(false),
            vec![entry("SUCCESS", "", 0, vec![])]
        ))
    );
}

#[test]
fn inst_timeout() {
    let input = r#"{"status":"INST_TIMEOUT","api_version":"1.0","results":[{"status":"INST_TIMEOUT","msg":"Command execution timed out.","returncode":-2,"events":[]}]}"#;
    assert_eq!(
        parse_result_json(input),
        Ok(result(
            "INST_TIMEOUT",
            None,
            vec![entry(
                "INST_TIMEOUT",
                "Command execution timed out.",
                -2,
                vec![]
            )]
        ))
    );
}

#[test]
fn template_command_config_set_and_lenient_values() {
    let input = concat!(
            "{\"status\":\"FAILURE\",\"api_version\":1.0,\"extra\":{\"x\":[1]},\"results\":[",
            "{\"status\":\"FAILURE\",\"msg\":null,\"returncode\":\"7\",\"config_set\":\"Infra-EmbeddedPreBuild,Hook-PreAppDeploy\",",
            "\"events\":[{\"msg\":\"a\",\"timestamp\":\"1585322370\"},{\"msg\":\"b\",\"timestamp\":1585322370.5},",
            "{\"msg\":\"c\",\"timestamp\":\"1585323914015\",\"unknown\":true},{\"msg\":\"d\",\"timestamp\":null},{\"msg\":\"e\"}]}],",
            "\"truncated\":true}\n"
        );
    let parsed = parse_result_json(input).unwrap();
    assert_eq!(parsed.api_version.as_deref(), Some("1.0"));
    assert_eq!(parsed.truncated, Some(true));
    let entry = &parsed.results[0];
    assert_eq!(entry.msg, "");
    assert_eq!(entry.returncode, Some(7));
    assert_eq!(
        entry.config_set.as_deref(),
        Some("Infra-EmbeddedPreBuild,Hook-PreAppDeploy")
    );
    let stamps: Vec<_> = entry
        .events
        .iter()
        .map(|e| (e.timestamp_ms, e.timestamp_unit, e.severity.clone()))
        .collect();
    assert_eq!(
        stamps,
        vec![
            (Some(1_585_322_370_000), Some(TimestampUnit::Seconds), None),
            (Some(1_585_322_370_500), Some(TimestampUnit::Seconds), None),
            (
                Some(1_585_323_914_015),
                Some(TimestampUnit::Milliseconds),
                None
            ),
            (None, None, None),
            (None, None, None),
        ]
    );
}

#[test]
fn missing_fields_default() {
    assert_eq!(
        parse_result_json(r#"{"status":"SUCCESS"}"#),
        Ok(CommandResult {
            status: "SUCCESS".to_owned(),
            ..CommandResult::default()
        })
    );
    assert_eq!(
        parse_result_json(r#"{"status":"FAILURE","results":[{}]}"#)
            .unwrap()
            .results,
        vec![ResultEntry::default()]
    );
}

#[test]
fn serde_round_trip() {
    let parsed = parse_result_json(FAILURE).unwrap();
    let text = serde_json::to_string(&parsed).unwrap();
    assert!(text.contains(r#""timestamp_ms":1585322370000,"timestamp_unit":"s""#));
    assert_eq!(parse_result_json(&text), Ok(parsed));
}

/// Malformed input, the offset reported, and a word the message must contain.
const ERRORS: &[(&str, usize, &str)] = &[
    ("", 0, "expected a JSON object"),
    ("  [1]", 2, "expected a JSON object"),
    ("\"SUCCESS\"", 0, "expected a JSON object"),
    (r#"{"status":"SUCCESS","#, 20, "EOF"),
    (r#"{"status":"SUCCESS",}"#, 20, "trailing comma"),
    (r#"{"api_version":"1.0"}"#, 20, "missing field `status`"),
    (r#"{"status":"SUCCESS"} x"#, 21, "trailing characters"),
    (
        "{\"status\":\"SUCCESS\",\n\"results\":[{\"returncode\":\"x\"}]}",
        49,
        "an integer",
    ),
    (
        r#"{"status":"S","truncated":"maybe"}"#,
        33,
        "\"true\" or \"false\"",
    ),
    (
        r#"{"status":"S","results":[{"events":[{"timestamp":"soon"}]}]}"#,
        56,
        "invalid event timestamp",
    ),
    (r#"{"status":5}"#, 10, "invalid type"),
];

#[test]
fn errors_carry_offsets() {
    for (input, offset, needle) in ERRORS {
        let err = parse_result_json(input).unwrap_err();
        assert_eq!(err.offset, *offset, "input: {input:?}: {err}");
        assert!(err.message.contains(needle), "input: {input:?}: {err}");
    }
}

#[test]
fn depth_limit() {
    let deep = format!("{{\"status\":\"S\",\"x\":{}", "[".repeat(10_000));
    let err = parse_result_json(&deep).unwrap_err();
    // The object is level 1, so the 64th `[` is the 65th container.
    assert_eq!(err.offset, 18 + MAX_DEPTH - 1);
    assert!(err.message.contains("nested deeper"), "{err}");
    // Brackets inside strings do not count.
    let quoted = format!("{{\"status\":\"{}\"}}", "[".repeat(10_000));
    assert!(parse_result_json(&quoted).is_ok());
    assert!(parse_sent_message(&deep).is_err());
}

#[test]
fn sending_line_with_double_encoded_result() {
    let line = concat!(
            r#"Sending {"Status": "SUCCESS", "InvocationId": "3627cff8-bad1-11e8-94d3-41166bc204f0", "#,
            r#""DispatcherId": "arn:aws:cloudformation:us-west-2:123456789012:stack/awseb-e-abcdefghij-stack/0a1b2c3d|AWSEBAutoScalingGroup|3627cff8", "#,
            r#""ListenerId": "i-0abc1234def567890", "CommandName": "ElasticBeanstalkCommand-AWSEBAutoScalingGroup", "#,
            r#""Data": "{\"status\":\"SUCCESS\",\"api_version\":\"1.0\",\"results\":[{\"status\":\"SUCCESS\",\"msg\":\"\",\"returncode\":0,\"events\":[]}]}"} "#,
            "to queue https://sqs.us-west-2.amazonaws.com/123456789012/awseb-e-abcdefghij-stack-AWSEBCommandResultQueue-1A2B3C4D5E6F"
        );
    let (json, queue) = split_sending_line(line).unwrap();
    assert_eq!(
            queue,
            "https://sqs.us-west-2.amazonaws.com/123456789012/awseb-e-abcdefghij-stack-AWSEBCommandResultQueue-1A2B3C4D5E6F"
        );
    assert!(json.starts_with("{\"Status\"") && json.ends_with("]}\"}"));
    let sent = parse_sent_message(json).unwrap();
    assert_eq!(
            sent,
            SentMessage {
                dispatcher_id: Some("arn:aws:cloudformation:us-west-2:123456789012:stack/awseb-e-abcdefghij-stack/0a1b2c3d|AWSEBAutoScalingGroup|3627cff8".to_owned()),
                invocation_id: Some("3627cff8-bad1-11e8-94d3-41166bc204f0".to_owned()),
                command_name: Some("ElasticBeanstalkCommand-AWSEBAutoScalingGroup".to_owned()),
                status: Some("SUCCESS".to_owned()),
                listener_id: Some("i-0abc1234def567890".to_owned()),
                data: Some(SUCCESS.to_owned()),
                message: None,
                result: Some(result("SUCCESS", None, vec![entry("SUCCESS", "", 0, vec![])])),
            }
        );
}

#[test]
fn failure_message_without_result_data() {
    let json = r#"{"Message": "Result data was longer than 1024 bytes. Started with: {\"status\"", "Status": "FAILURE", "Data": "not json", "ListenerId": "i-0abc1234def567890"}"#;
    let sent = parse_sent_message(json).unwrap();
    assert_eq!(sent.status.as_deref(), Some("FAILURE"));
    assert_eq!(
        sent.message.as_deref(),
        Some("Result data was longer than 1024 bytes. Started with: {\"status\"")
    );
    assert_eq!(sent.data.as_deref(), Some("not json"));
    assert_eq!(sent.result, None);
    assert_eq!(sent.dispatcher_id, None);
}

#[test]
fn split_sending_line_cases() {
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        ("Sending {} to queue q", Some(("{}", "q"))),
        (
            "Sending {\"Data\": \" to queue \"} to queue https://x/q \n",
            Some(("{\"Data\": \" to queue \"}", "https://x/q")),
        ),
        ("Sending {} to queue ", None),
        ("Sending  to queue q", None),
        ("Deleting abc from queue q", None),
        ("Sending {}", None),
        ("", None),
    ];
    for (input, expected) in cases {
        assert_eq!(split_sending_line(input), *expected, "input: {input:?}");
    }
}

#[test]
fn json_value_helper() {
    assert_eq!(
        parse_json_value(" [1, {\"a\": null}] "),
        Ok(serde_json::json!([1, {"a": null}]))
    );
    let err = parse_json_value("{\n  \"a\": @\n}").unwrap_err();
    assert_eq!(err.offset, 9);
}

proptest::proptest! {
    #[test]
    fn never_panics(input in "\\PC*") {
        let _ = parse_result_json(&input);
        let _ = parse_sent_message(&input);
        let _ = split_sending_line(&input);
        let _ = parse_json_value(&input);
    }

    #[test]
    fn never_panics_on_json_like_text(input in "[\\[\\]{}\":,0-9.eE+ \\-\\\\ntruefalsmgip_]{0,80}") {
        let _ = parse_result_json(&input);
        let _ = parse_sent_message(&input);
    }

    #[test]
    fn offsets_stay_in_bounds(input in "\\PC*") {
        if let Err(e) = parse_result_json(&input) {
            proptest::prop_assert!(e.offset <= input.len());
        }
    }
}
