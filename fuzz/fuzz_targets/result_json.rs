//! The command result JSON (`parse_result_json`), cfn-hup's `Sending ... to queue ...`
//! line (`split_sending_line`) and its JSON body (`parse_sent_message`), on arbitrary text
//! (lossy UTF-8).
#![no_main]

use eblog_fuzz::assert_str_within;
use eblog_grammars::result_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    match result_json::parse_result_json(text) {
        Ok(result) => {
            let _ = serde_json::to_string(&result);
        }
        Err(e) => assert!(
            e.offset <= text.len(),
            "error offset {} > {}",
            e.offset,
            text.len()
        ),
    }

    let mut bodies = vec![text];
    if let Some((json, queue)) = result_json::split_sending_line(text) {
        assert!(!json.is_empty() && !queue.is_empty());
        assert_str_within(text, json, "sending json");
        assert_str_within(text, queue, "sending queue");
        bodies.push(json);
    }
    for body in bodies {
        match result_json::parse_sent_message(body) {
            Ok(sent) => {
                let _ = serde_json::to_string(&sent);
            }
            Err(e) => {
                assert!(
                    e.offset <= body.len(),
                    "error offset {} > {}",
                    e.offset,
                    body.len()
                )
            }
        }
    }
});
