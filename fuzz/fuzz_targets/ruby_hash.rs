//! Ruby `Hash#inspect` / `Array#inspect` literals (`parse_ruby_inspect`) and the JSON-or-Ruby
//! payload of `Received command` (`parse_json_or_ruby`), on arbitrary text (lossy UTF-8).
#![no_main]

use eblog_grammars::ruby_hash;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    let ruby = ruby_hash::parse_ruby_inspect(text);
    if let Err(e) = &ruby {
        assert!(
            e.offset <= text.len(),
            "error offset {} > {}",
            e.offset,
            text.len()
        );
    }
    let either = ruby_hash::parse_json_or_ruby(text);
    match &either {
        Ok(value) => {
            // JSON is tried first: when serde_json reads the text, that is the result.
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
                assert_eq!(
                    &json, value,
                    "parse_json_or_ruby did not keep the JSON reading"
                );
            } else if let Ok(r) = &ruby {
                assert_eq!(r, value, "parse_json_or_ruby differs from the Ruby reading");
            }
        }
        Err(e) => {
            assert!(
                e.offset <= text.len(),
                "error offset {} > {}",
                e.offset,
                text.len()
            );
            assert!(
                ruby.is_err(),
                "Ruby reading succeeded but parse_json_or_ruby failed"
            );
        }
    }
});
