use super::*;
use crate::error::MAX_DEPTH;
use serde_json::json;

/// An input and a function building the value it must decode to.
type Case = (&'static str, fn() -> Value);

const CASES: &[Case] = &[
    ("nil", || json!(null)),
    ("true", || json!(true)),
    ("false", || json!(false)),
    ("0", || json!(0)),
    ("-42", || json!(-42)),
    ("600", || json!(600)),
    ("123456789012345678901234567890", || {
        json!("123456789012345678901234567890")
    }),
    ("1.5", || json!(1.5)),
    ("1.0e-05", || json!(1e-05)),
    ("-2.5E+10", || json!(-2.5e10)),
    ("Infinity", || json!("Infinity")),
    ("-Infinity", || json!("-Infinity")),
    ("NaN", || json!("NaN")),
    (":sym", || json!("sym")),
    (":\"quoted sym\"", || json!("quoted sym")),
    (":+", || json!("+")),
    ("\"\"", || json!("")),
    ("\"abc\"", || json!("abc")),
    ("[]", || json!([])),
    ("{}", || json!({})),
    ("[\"logpublish\", \"logstreaming\"]", || {
        json!(["logpublish", "logstreaming"])
    }),
    ("[1, [2, [3]], {}, nil]", || json!([1, [2, [3]], {}, null])),
    ("[1,2,]", || json!([1, 2])),
    ("{\"k\"=>\"v\", \"n\"=>1}", || json!({"k": "v", "n": 1})),
    ("{\"k\" => \"v\", \"n\" => 1}", || json!({"k": "v", "n": 1})),
    (
        "{:sym=>1, :\"odd key\"=>2}",
        || json!({"sym": 1, "odd key": 2}),
    ),
    (
        "{sym: 1, other?: :x, \"a b\": nil}",
        || json!({"sym": 1, "other?": "x", "a b": null}),
    ),
    (
        "{1=>\"one\", nil=>2, [1, 2]=>3, 1.5=>4}",
        || json!({"1": "one", "nil": 2, "[1, 2]": 3, "1.5": 4}),
    ),
    ("{\"a\"=>1, \"a\"=>2}", || json!({"a": 2})),
    (
        "{\"o\"=>#<Object:0x0000563c2f1e8a40>, \"n\"=>1}",
        || json!({"o": "#<Object:0x0000563c2f1e8a40>", "n": 1}),
    ),
    (
        "[#<struct Point x=1, y=2>, #<Foo h={\"k\"=>\">\"} b=#<Bar>>]",
        || {
            json!([
                "#<struct Point x=1, y=2>",
                "#<Foo h={\"k\"=>\">\"} b=#<Bar>>"
            ])
        },
    ),
    (
        "{\"t\"=>2020-01-01 00:00:00 +0000}",
        || json!({"t": "2020-01-01 00:00:00 +0000"}),
    ),
    ("[#<unclosed, 2]", || json!(["#<unclosed", 2])),
    ("[1.2.3, 12abc, -]", || json!(["1.2.3", "12abc", "-"])),
    ("  {\"a\" =>  [ 1 ,2 ] }  ", || json!({"a": [1, 2]})),
];

#[test]
fn literals() {
    for (input, expected) in CASES {
        assert_eq!(parse_ruby_inspect(input), Ok(expected()), "input: {input}");
    }
}

/// String literals with escapes (as written in a log) and the decoded text.
const ESCAPES: &[(&str, &str)] = &[
    (r#""say \"hi\"""#, "say \"hi\""),
    (r#""a\\b""#, "a\\b"),
    (r#""\n\t\r\e\s""#, "\n\t\r\u{1b} "),
    (r#""\a\b\f\v""#, "\u{07}\u{08}\u{0c}\u{0b}"),
    (r##""\#{x} \#$y""##, "#{x} #$y"),
    (r#""\u00e9\u4E2D""#, "\u{e9}\u{4e2d}"),
    (r#""\u{1F600}\u{e9 4e2d}""#, "\u{1f600}\u{e9}\u{4e2d}"),
    (r#""\xE9\xff\x7""#, "\u{e9}\u{ff}\u{7}"),
    (r#""\0\012""#, "\0\n"),
    (r#""\ud800""#, "\\ud800"),
    (r#""\u{110000}""#, "\\u{110000}"),
    (r#""\u{}""#, "\\u{}"),
    (r#""\q\xZZ""#, "\\q\\xZZ"),
    ("\"caf\u{e9}\"", "caf\u{e9}"),
    ("\"line\\\ncontinued\"", "linecontinued"),
];

#[test]
fn escapes() {
    for (input, expected) in ESCAPES {
        assert_eq!(
            parse_ruby_inspect(input),
            Ok(json!(expected)),
            "input: {input}"
        );
    }
}

#[test]
fn received_command_hash() {
    // `Received command CMD-Startup: <payload>` as observed 2018-2020.
    let input = concat!(
        r#"{"execution_data"=>"{\"leader_election\":\"true\"}", "#,
        r#""instance_ids"=>["i-0abc1234def567890"], "command_name"=>"CMD-Startup", "#,
        r#""api_version"=>"1.0", "resource_name"=>"AWSEBAutoScalingGroup", "#,
        r#""request_id"=>"3627cff8-bad1-11e8-94d3-41166bc204f0", "command_timeout"=>"600", "#,
        r#""stage_num"=>0, "is_last_stage"=>false, "data"=>nil}"#
    );
    let expected = json!({
        "execution_data": "{\"leader_election\":\"true\"}",
        "instance_ids": ["i-0abc1234def567890"],
        "command_name": "CMD-Startup",
        "api_version": "1.0",
        "resource_name": "AWSEBAutoScalingGroup",
        "request_id": "3627cff8-bad1-11e8-94d3-41166bc204f0",
        "command_timeout": "600",
        "stage_num": 0,
        "is_last_stage": false,
        "data": null,
    });
    let parsed = parse_ruby_inspect(input).unwrap();
    assert_eq!(parsed, expected);
    let keys: Vec<_> = parsed.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.first().map(String::as_str), Some("execution_data"));
    assert_eq!(parse_json_or_ruby(input), Ok(expected.clone()));
    // Ruby >= 3.4 prints spaces around `=>`.
    let spaced = input.replace("=>", " => ");
    assert_eq!(parse_ruby_inspect(&spaced), Ok(expected));
}

#[test]
fn json_or_ruby() {
    let cases: &[(&str, Value)] = &[
        (
            r#"{"command_name":"CMD-TailLogs","execution_data":"*","instance_ids":["i-0abc1234def567890"]}"#,
            json!({"command_name": "CMD-TailLogs", "execution_data": "*", "instance_ids": ["i-0abc1234def567890"]}),
        ),
        (
            r#"{"command_name"=>"CMD-TailLogs", "execution_data"=>"*"}"#,
            json!({"command_name": "CMD-TailLogs", "execution_data": "*"}),
        ),
        (r#"{"a": null}"#, json!({"a": null})),
        ("[1, 2]", json!([1, 2])),
        ("not json at all", json!("not json at all")),
    ];
    for (input, expected) in cases {
        assert_eq!(parse_json_or_ruby(input), Ok(expected.clone()), "{input}");
    }
}

/// Malformed input, the offset reported, and a word the message must contain.
const ERRORS: &[(&str, usize, &str)] = &[
    ("", 0, "expected a Ruby literal"),
    ("{\"a\"=>1", 7, "',' or '}'"),
    ("{\"a\" 1}", 5, "'=>'"),
    ("{\"a\"=>}", 6, "expected a Ruby literal"),
    ("{\"a\"=>1, =>2}", 9, "expected a Ruby literal"),
    ("[1, 2", 5, "',' or ']'"),
    ("[1, , 2]", 4, "expected a Ruby literal"),
    (
        "[\"abc",
        5,
        "unterminated string literal (opened at byte 1)",
    ),
    ("\"abc\\", 5, "opened at byte 0"),
    ("[1] x", 4, "after the literal"),
    ("1, 2", 1, "after the literal"),
    ("}", 0, "expected a Ruby literal"),
];

#[test]
fn errors_carry_offsets() {
    for (input, offset, needle) in ERRORS {
        let err = parse_ruby_inspect(input).unwrap_err();
        assert_eq!(err.offset, *offset, "input: {input:?}: {err}");
        assert!(err.message.contains(needle), "input: {input:?}: {err}");
    }
}

#[test]
fn json_or_ruby_error_is_the_furthest() {
    // JSON stops at 5 (`=`), Ruby at 11 (`}`).
    let err = parse_json_or_ruby(r#"{"a"=>[1, 2}"#).unwrap_err();
    assert_eq!(err.offset, 11);
    assert!(err.message.contains("',' or ']'"), "{err}");
    // Not JSON (`x`), but Ruby: a quoted-symbol key and an unquoted token.
    assert_eq!(
        parse_json_or_ruby(r#"{"a": [1, x]}"#),
        Ok(json!({"a": [1, "x"]}))
    );
}

#[test]
fn depth_limit() {
    for deep in [
        "[".repeat(10_000),
        "{\"a\"=>".repeat(10_000),
        "{a: ".repeat(10_000),
    ] {
        let err = parse_ruby_inspect(&deep).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{err}");
        assert!(parse_json_or_ruby(&deep).is_err());
    }
    assert_eq!(
        parse_ruby_inspect(&"[".repeat(10_000)).unwrap_err().offset,
        MAX_DEPTH
    );
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse_ruby_inspect(&ok).is_ok());
    // Deeply nested `#<` objects are scanned without recursion.
    let objects = format!("{}{}", "#<".repeat(10_000), ">".repeat(10_000));
    assert_eq!(parse_ruby_inspect(&objects), Ok(Value::String(objects)));
    // Unclosed ones are not rescanned for each `#<`.
    let unclosed = "#<".repeat(200_000);
    assert_eq!(parse_ruby_inspect(&unclosed), Ok(Value::String(unclosed)));
}

proptest::proptest! {
    #[test]
    fn never_panics(input in "\\PC*") {
        let _ = parse_ruby_inspect(&input);
        let _ = parse_json_or_ruby(&input);
    }

    #[test]
    fn never_panics_on_inspect_like_text(input in "[\\[\\]{}\"=>#<:,\\\\xu0-9a-f .eE+-]{0,64}") {
        let _ = parse_ruby_inspect(&input);
        let _ = parse_json_or_ruby(&input);
    }
}
