//! Arbitrary input never panics a grammar, and the header grammars never claim bytes they
//! did not see.

use eblog_grammars::{
    activity, amzn, cfn_hup, cfn_wire, cmd_processor, py_traceback, ruby_exception, ruby_logger,
};
use proptest::prelude::*;

/// Strings that start like the real thing, then go astray.
fn near_miss() -> impl Strategy<Value = String> {
    let prefixes = prop::sample::select(vec![
        "",
        "2017-07-16 23:09:33,602 [",
        "2017-07-16 23:09:33,602 P12 [INFO] ",
        "[2018-09-17T23:29:07.266Z] INFO  [",
        "[2018-09-17T23:29:07.266Z] INFO  [2273]  - [",
        "Received command ",
        "Action for ",
        "Sending {",
        "Running ",
        "Command ",
        "Invocation ",
        "Response: 200 ",
        "Completed activity.",
        "Traceback (most recent call last):\n  File ",
        "caused by: ",
    ]);
    (prefixes, any::<String>()).prop_map(|(p, tail)| format!("{p}{tail}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn header_grammars_never_panic(line in near_miss(), bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        for input in [line.as_bytes(), &bytes[..]] {
            if let Ok((rest, _)) = amzn::parse_header(input) {
                prop_assert!(rest.len() <= input.len());
            }
            if let Ok((rest, _)) = ruby_logger::parse_header(input) {
                prop_assert!(rest.len() <= input.len());
            }
            let _ = amzn::is_header(input);
            let _ = ruby_logger::is_header(input);
        }
    }

    #[test]
    fn template_grammars_never_panic(text in near_miss()) {
        let _ = cfn_hup::parse_message(&text);
        let _ = cmd_processor::parse_message(&text);
        let _ = activity::parse_message(&text);
        let _ = cfn_wire::parse_message(&text);
        let _ = ruby_exception::parse_chain(&text);
        let _ = py_traceback::parse_traceback(&text);
        let _ = cmd_processor::CommandName::parse(&text);
    }
}
