//! The message templates of eb-engine.log (and eb-hooks.log) and the script lines of
//! eb-cfn-init.log (its `[...Z]` header, messages, parameter lines and raw lines), on
//! arbitrary text (lossy UTF-8), on each of its lines, and on the text after a header.
#![no_main]

use eblog_fuzz::{assert_str_within, assert_suffix, assert_timestamp, str_lines, touch};
use eblog_grammars::eb_cfn_init::{self, RawLine};
use eblog_grammars::engine;
use libfuzzer_sys::fuzz_target;

fn check(text: &str) {
    if let Some(m) = engine::parse_message(text) {
        touch(&m);
    }
    if let Some(m) = eb_cfn_init::parse_message(text) {
        touch(&m);
    }
    if let Some(p) = eb_cfn_init::parse_parameter(text) {
        assert!(!p.name.is_empty());
        assert_str_within(text, p.name, "parameter name");
        assert_str_within(text, p.value, "parameter value");
    }
    match eb_cfn_init::classify_raw_line(text) {
        RawLine::TaillogStart { name } => assert_str_within(text, name, "taillog name"),
        other => {
            touch(&other);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in str_lines(&text) {
        check(line);
        let bytes = line.as_bytes();
        if let Ok((rest, h)) = engine::parse_header(bytes) {
            assert_suffix(bytes, rest, "engine rest");
            assert_timestamp(&h.ts, "engine ts");
            if let Some(message) = line.get(line.len() - rest.len()..) {
                check(message);
            }
        }
        match eb_cfn_init::parse_header(bytes) {
            Ok((rest, h)) => {
                assert_suffix(bytes, rest, "script rest");
                assert_timestamp(&h.ts, "script ts");
                if let Some(message) = line.get(line.len() - rest.len()..) {
                    check(message);
                }
            }
            Err(_) => assert!(!eb_cfn_init::is_header(bytes), "is_header without a header"),
        }
    }
});
