//! The line headers of the legacy and engine logs: `amzn` (cfn-hup.log, cfn-init.log,
//! cfn-wire.log, cfn-init-cmd.log's `amzn_cmd`), the Ruby logger header (eb-commandprocessor.log,
//! eb-activity.log) and the eb-engine.log header, on arbitrary bytes and on each line of them.
#![no_main]

use eblog_fuzz::{assert_suffix, assert_timestamp, assert_within, byte_lines};
use eblog_grammars::{amzn, common, engine, ruby_logger};
use libfuzzer_sys::fuzz_target;

fn check(line: &[u8]) {
    let trimmed = common::trim_eol(line);
    assert_within(line, trimmed, "trim_eol");

    match amzn::parse_header(line) {
        Ok((rest, h)) => {
            assert_suffix(line, rest, "amzn rest");
            assert_within(line, h.level.as_bytes(), "amzn level");
            assert!(!h.level.is_empty() && h.level.len() <= 12);
            assert!(h.ts.fraction_digits >= 1);
            assert_timestamp(&h.ts, "amzn ts");
        }
        Err(_) => assert!(!amzn::is_header(line), "is_header without a header"),
    }

    match ruby_logger::parse_header(line) {
        Ok((rest, h)) => {
            assert_suffix(line, rest, "ruby rest");
            assert_within(line, h.level.as_bytes(), "ruby level");
            if let Some(activity) = h.activity {
                assert_within(line, activity.as_bytes(), "ruby activity");
            }
            assert_timestamp(&h.ts, "ruby ts");
        }
        Err(_) => assert!(!ruby_logger::is_header(line), "is_header without a header"),
    }

    match engine::parse_header(line) {
        Ok((rest, h)) => {
            assert_suffix(line, rest, "engine rest");
            assert_within(line, h.level.as_bytes(), "engine level");
            assert!(h.ts.fraction_digits >= 1);
            assert_timestamp(&h.ts, "engine ts");
        }
        Err(_) => assert!(!engine::is_header(line), "is_header without a header"),
    }

    // The shared timestamp combinators on their own.
    for parsed in [
        common::python_timestamp(line),
        common::ruby_timestamp(line),
        common::slash_timestamp(line),
    ] {
        if let Ok((rest, ts)) = parsed {
            assert_suffix(line, rest, "timestamp rest");
            assert_timestamp(&ts, "timestamp");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for line in byte_lines(data) {
        check(line);
    }
});
