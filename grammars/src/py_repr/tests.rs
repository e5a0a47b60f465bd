use super::*;
use crate::error::MAX_DEPTH;

#[test]
fn py2_byte_strings_in_utf8_are_decoded() {
    assert_eq!(
        parse_py_repr(r"{'EB_X': 'caf\xc3\xa9'}").unwrap(),
        serde_json::json!({"EB_X": "café"})
    );
    assert_eq!(
        parse_py_repr(r"'caf\xe9'").unwrap(),
        serde_json::json!("café"),
        "not UTF-8: Latin-1"
    );
    assert_eq!(
        parse_py_repr(r"u'caf\xc3\xa9'").unwrap(),
        serde_json::json!("cafÃ©"),
        "unicode: code points"
    );
}
use serde_json::json;

/// An input and a function building the value it must decode to.
type Case = (&'static str, fn() -> Value);

/// Whole literals and what they decode to.
const CASES: &[Case] = &[
    ("None", || json!(null)),
    ("True", || json!(true)),
    ("False", || json!(false)),
    ("0", || json!(0)),
    ("-17", || json!(-17)),
    ("1537227608000L", || json!(1_537_227_608_000_i64)),
    ("42l", || json!(42)),
    ("18446744073709551615", || json!(u64::MAX)),
    ("-9223372036854775808", || json!(i64::MIN)),
    ("123456789012345678901234567890L", || {
        json!("123456789012345678901234567890")
    }),
    ("-99999999999999999999", || json!("-99999999999999999999")),
    ("1.5", || json!(1.5)),
    ("1e-05", || json!(1e-05)),
    ("-2.5E+10", || json!(-2.5e10)),
    ("3.", || json!(3.0)),
    (".25", || json!(0.25)),
    ("41.7788930195", || json!(41.778_893_019_5)),
    ("inf", || json!("inf")),
    ("-inf", || json!("-inf")),
    ("nan", || json!("nan")),
    ("1e999", || json!("1e999")),
    ("'abc'", || json!("abc")),
    ("\"it's\"", || json!("it's")),
    ("u'abc'", || json!("abc")),
    ("U'abc'", || json!("abc")),
    ("b'abc'", || json!("abc")),
    ("r'a\\d+'", || json!("a\\d+")),
    ("ur'\\u00e9\\''", || json!("\\u00e9\\'")),
    ("Br'\\x41'", || json!("\\x41")),
    ("''", || json!("")),
    ("u\"\"", || json!("")),
    ("[]", || json!([])),
    ("[1, 2, 3]", || json!([1, 2, 3])),
    ("[1, 2,]", || json!([1, 2])),
    ("()", || json!([])),
    ("(1,)", || json!([1])),
    ("(1, 'a')", || json!([1, "a"])),
    ("(1)", || json!(1)),
    ("{}", || json!({})),
    ("set([1, 2])", || json!([1, 2])),
    ("set()", || json!([])),
    ("frozenset({'a'})", || json!(["a"])),
    ("frozenset()", || json!([])),
    ("{1, 2}", || json!([1, 2])),
    ("{'only'}", || json!(["only"])),
    (
        "{1: 'a', None: 2, (1, 'x'): 3, 'k': 4}",
        || json!({"1": "a", "None": 2, "(1, 'x')": 3, "k": 4}),
    ),
    ("{'a': 1, 'a': 2}", || json!({"a": 2})),
    ("{'a': [{'b': (None,)}]}", || json!({"a": [{"b": [null]}]})),
    ("  {'a' :1 ,'b':2 , }  ", || json!({"a": 1, "b": 2})),
    ("[\n 1,\n\t2\r\n]", || json!([1, 2])),
];

#[test]
fn literals() {
    for (input, expected) in CASES {
        assert_eq!(parse_py_repr(input), Ok(expected()), "input: {input}");
    }
}

/// String bodies with escapes: literal text (as written in a log) and decoded text.
const ESCAPES: &[(&str, &str)] = &[
    (r"'a\\b'", "a\\b"),
    (r"'it\'s'", "it's"),
    (r#"'say \"hi\"'"#, "say \"hi\""),
    (r"'\n\t\r'", "\n\t\r"),
    (r"'\a\b\f\v'", "\u{07}\u{08}\u{0c}\u{0b}"),
    (r"'\0'", "\0"),
    (r"'\012x'", "\nx"),
    (r"'\7777'", "\u{1ff}7"),
    (r"'caf\xe9'", "caf\u{e9}"),
    (r"u'caf\xe9'", "caf\u{e9}"),
    (r"b'\x00\xff'", "\u{0}\u{ff}"),
    (r"u'\u00e9\u4e2d'", "\u{e9}\u{4e2d}"),
    (r"u'\U0001f600'", "\u{1f600}"),
    (r"u'\ud83d\ude00'", "\u{1f600}"),
    (r"u'\udc80'", "\\udc80"),
    (r"u'\ud83d'", "\\ud83d"),
    (r"u'\U00110000'", "\\U00110000"),
    (r"b'\u00e9'", "\\u00e9"),
    (r"'\q\N{DASH}'", "\\q\\N{DASH}"),
    (r"'\x4'", "\\x4"),
    (r"'\u12'", "\\u12"),
    ("'line\\\ncontinued'", "linecontinued"),
    ("'caf\u{e9} \u{4e2d}'", "caf\u{e9} \u{4e2d}"),
];

#[test]
fn escapes() {
    for (input, expected) in ESCAPES {
        assert_eq!(parse_py_repr(input), Ok(json!(expected)), "input: {input}");
    }
}

#[test]
fn cfn_hup_command_message() {
    // `Command message: %s` as aws-cfn-bootstrap 1.4 (Python 2) logs it.
    let input = concat!(
        "{u'InvocationId': u'3627cff8-bad1-11e8-94d3-41166bc204f0', ",
        "u'DispatcherId': u'arn:aws:cloudformation:us-west-2:123456789012:stack/",
        "awseb-e-abcdefghij-stack/0a1b2c3d-bad1-11e8-9f00-0a1b2c3d4e5f|",
        "AWSEBAutoScalingGroup|3627cff8-bad1-11e8-94d3-41166bc204f0', ",
        "u'CommandName': u'ElasticBeanstalkCommand-AWSEBAutoScalingGroup', ",
        "u'Expiration': 1537227608000L, ",
        "u'ResultQueue': u'https://sqs.us-west-2.amazonaws.com/123456789012/",
        "awseb-e-abcdefghij-stack-AWSEBCommandResultQueue-1A2B3C4D5E6F', ",
        r#"u'Data': u'{"execution_data":"{\\"leader_election\\":\\"true\\"}","#,
        r#""instance_ids":["i-0abc1234def567890"],"command_name":"CMD-Startup"}', "#,
        "u'EventHandle': u'e7a1b2c3-0d4e-4f50-8a6b-7c8d9e0f1a2b'}"
    );
    let expected = json!({
        "InvocationId": "3627cff8-bad1-11e8-94d3-41166bc204f0",
        "DispatcherId": "arn:aws:cloudformation:us-west-2:123456789012:stack/awseb-e-abcdefghij-stack/0a1b2c3d-bad1-11e8-9f00-0a1b2c3d4e5f|AWSEBAutoScalingGroup|3627cff8-bad1-11e8-94d3-41166bc204f0",
        "CommandName": "ElasticBeanstalkCommand-AWSEBAutoScalingGroup",
        "Expiration": 1_537_227_608_000_i64,
        "ResultQueue": "https://sqs.us-west-2.amazonaws.com/123456789012/awseb-e-abcdefghij-stack-AWSEBCommandResultQueue-1A2B3C4D5E6F",
        "Data": r#"{"execution_data":"{\"leader_election\":\"true\"}","instance_ids":["i-0abc1234def567890"],"command_name":"CMD-Startup"}"#,
        "EventHandle": "e7a1b2c3-0d4e-4f50-8a6b-7c8d9e0f1a2b",
    });
    let parsed = parse_py_repr(input).unwrap();
    assert_eq!(parsed, expected);
    // Keys keep their logged order.
    let keys: Vec<_> = parsed.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.first().map(String::as_str), Some("InvocationId"));
    assert_eq!(keys.last().map(String::as_str), Some("EventHandle"));
}

#[test]
fn cfn_hup_action_environment() {
    // `Action environment: %s`: os.environ's 'str' values mixed with u'unicode' ones.
    let input = concat!(
            "{'LANG': 'en_US.UTF-8', 'SHLVL': '1', 'PATH': '/sbin:/usr/sbin:/bin:/usr/bin', ",
            "'CMD_DATA': u'{\"command_name\":\"CMD-TailLogs\",\"data\":\"66b7baa3\"}', ",
            "'INVOCATION_ID': u'66b7baa3-bad4-11e8-86eb-e5b79a448e72', ",
            "'LISTENER_ID': u'i-0abc1234def567890', 'STACK_NAME': 'arn:aws:cloudformation:us-west-2:123456789012:stack/awseb-e-abcdefghij-stack/0a1b2c3d', ",
            "'RESULT_ACCESS_KEY': u'AKIAIOSFODNN7EXAMPLE', 'HOSTNAME': 'ip-172-31-0-10', ",
            "'MOTD': 'caf\\xc3\\xa9 it\\'s', 'EVENT_HANDLE': u\"it's\"}"
        );
    let expected = json!({
        "LANG": "en_US.UTF-8",
        "SHLVL": "1",
        "PATH": "/sbin:/usr/sbin:/bin:/usr/bin",
        "CMD_DATA": "{\"command_name\":\"CMD-TailLogs\",\"data\":\"66b7baa3\"}",
        "INVOCATION_ID": "66b7baa3-bad4-11e8-86eb-e5b79a448e72",
        "LISTENER_ID": "i-0abc1234def567890",
        "STACK_NAME": "arn:aws:cloudformation:us-west-2:123456789012:stack/awseb-e-abcdefghij-stack/0a1b2c3d",
        "RESULT_ACCESS_KEY": "AKIAIOSFODNN7EXAMPLE",
        "HOSTNAME": "ip-172-31-0-10",
        "MOTD": "café it's",
        "EVENT_HANDLE": "it's",
    });
    assert_eq!(parse_py_repr(input), Ok(expected));
}

#[test]
fn prefix_reports_consumed_bytes() {
    let cases: &[(&str, Value, usize)] = &[
        ("{'a': 1} trailing", json!({"a": 1}), 8),
        ("  [1]  rest", json!([1]), 5),
        ("u'x'", json!("x"), 4),
        ("None, 2", json!(null), 4),
        ("12abc", json!(12), 2),
    ];
    for (input, value, used) in cases {
        assert_eq!(
            parse_py_repr_prefix(input),
            Ok((value.clone(), *used)),
            "input: {input}"
        );
    }
}

/// Malformed input, the offset reported, and a word the message must contain.
const ERRORS: &[(&str, usize, &str)] = &[
    ("", 0, "expected a Python literal"),
    ("   ", 3, "end of input"),
    ("[1, 2", 5, "',' or ']'"),
    ("[1 2]", 3, "',' or ']'"),
    ("[1, , 2]", 4, "expected a Python literal"),
    ("{'a' 1}", 5, "':', ',' or '}'"),
    ("{'a': 1, 'b'}", 12, "expected ':'"),
    ("{'a': }", 6, "expected a Python literal"),
    ("(1, 2", 5, "',' or ')'"),
    ("'abc", 4, "unterminated string literal (opened at byte 0)"),
    ("[u'abc\\", 7, "opened at byte 1"),
    ("[1] x", 4, "after the literal"),
    ("Nonesuch", 4, "after the literal"),
    ("set(1)", 4, "inside set(...)"),
    ("set([1]", 7, "')'"),
    ("{'k': <object at 0x7f>}", 6, "expected a Python literal"),
    ("@", 0, "'@'"),
    ("[ux]", 1, "expected a Python literal, found 'u'"),
    ("[settings]", 1, "expected a Python literal, found 's'"),
];

#[test]
fn errors_carry_offsets() {
    for (input, offset, needle) in ERRORS {
        let err = parse_py_repr(input).unwrap_err();
        assert_eq!(err.offset, *offset, "input: {input:?}: {err}");
        assert!(err.message.contains(needle), "input: {input:?}: {err}");
    }
}

#[test]
fn depth_limit() {
    let deep = "[".repeat(10_000);
    let err = parse_py_repr(&deep).unwrap_err();
    assert_eq!(err.offset, MAX_DEPTH);
    assert!(err.message.contains("nested deeper"), "{err}");

    let mixed = "{'a': (".repeat(5_000);
    assert!(parse_py_repr(&mixed).is_err());
    let sets = "set([".repeat(5_000);
    assert!(parse_py_repr(&sets).is_err());

    // Exactly MAX_DEPTH containers is fine.
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse_py_repr(&ok).is_ok());
    let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(parse_py_repr(&too_deep).unwrap_err().offset, MAX_DEPTH);
}

proptest::proptest! {
    #[test]
    fn never_panics(input in "\\PC*") {
        let _ = parse_py_repr(&input);
        let _ = parse_py_repr_prefix(&input);
    }

    #[test]
    fn never_panics_on_repr_like_text(input in "[\\[\\](){}'\"uUbBrR\\\\xXnN0-9a-f,: .eEL+-]{0,64}") {
        let _ = parse_py_repr(&input);
        if let Ok((_, used)) = parse_py_repr_prefix(&input) {
            proptest::prop_assert!(used <= input.len());
            proptest::prop_assert!(input.is_char_boundary(used));
        }
    }
}
