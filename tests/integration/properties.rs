//! Property tests: arbitrary bytes never panic the framer or the decoders, records always
//! partition their input, and streaming gives the same records as a whole buffer.

use eblog::pipeline::{parse_buffer, parse_stream, ParseOptions};
use eblog::record::{Format, Record};
use proptest::prelude::*;

/// Lines that look like the formats (and near misses), so that random inputs exercise the
/// grammars and not only the unparsed path.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let templates = prop_oneof![
        Just("2017-07-16 23:09:33,602 [INFO] Received command X (invocation id: y)".to_string()),
        Just("2017-07-16 23:09:33,602 [DEBUG] Action environment: {'A_TOKEN': u'x', 'B': [1, (2,), None]}".to_string()),
        Just("2017-07-16 23:09:33,602 [ERROR] boom".to_string()),
        Just("Traceback (most recent call last):".to_string()),
        Just("[2018-09-17T23:29:07.266Z] INFO  [2273]  : Running 1 of 2 actions: X...".to_string()),
        Just("[2018-09-17T23:29:07.266Z] INFO  [2273]  : Command processor returning results: ".to_string()),
        Just("{\"status\":\"FAILURE\",\"results\":[{\"msg\":\"x\",\"returncode\":1,\"events\":[{\"timestamp\":1}]}]}".to_string()),
        Just("[2018-09-17T23:29:07.266Z] INFO  [2273]  - [A/B] : Completed activity. Result:".to_string()),
        Just("[2018-09-17T23:29:07.266Z] ERROR [2273]  : Command execution failed: x (A::B)".to_string()),
        Just("caused by: y (C)".to_string()),
        "[ -~]{0,40}",
    ];
    (
        templates,
        prop::collection::vec(any::<u8>(), 0..4),
        prop_oneof![Just("\n"), Just("\r\n"), Just("")],
    )
        .prop_map(|(text, noise, eol)| {
            let mut bytes = text.into_bytes();
            bytes.extend(noise.into_iter().filter(|b| *b != b'\n'));
            bytes.extend_from_slice(eol.as_bytes());
            bytes
        })
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(line(), 0..30).prop_map(|lines| lines.concat()),
        prop::collection::vec(any::<u8>(), 0..400),
    ]
}

fn format() -> impl Strategy<Value = Option<Format>> {
    prop_oneof![
        Just(None),
        prop::sample::select(Format::ALL.to_vec()).prop_map(Some)
    ]
}

fn assert_partition(records: &[Record], input: &[u8]) {
    let mut offset = 0u64;
    let mut line = 1u64;
    for r in records {
        assert_eq!(r.offset, offset, "records are contiguous");
        assert_eq!(r.line, line, "line numbers are contiguous");
        assert!(r.end_line >= r.line && r.bytes > 0);
        let bytes = &input[r.offset as usize..(r.offset + r.bytes) as usize];
        let newlines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
        let last_line_open = !bytes.ends_with(b"\n");
        assert_eq!(
            r.end_line - r.line + 1,
            newlines + u64::from(last_line_open),
            "end_line counts the record's lines"
        );
        offset += r.bytes;
        line = r.end_line + 1;
    }
    assert_eq!(offset, input.len() as u64, "records cover the input");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn records_partition_any_input(input in input(), format in format()) {
        let mut records: Vec<Record> = Vec::new();
        let options = ParseOptions { format, ..ParseOptions::default() };
        let summary = parse_buffer("prop.log", None, &input, options, &mut records).unwrap();
        assert_partition(&records, &input);
        prop_assert_eq!(summary.records, records.len() as u64);
    }

    /// Forced formats only: detection on a stream decides on the first header line (it
    /// cannot wait), a whole buffer may look further.
    #[test]
    fn streaming_matches_whole_buffer(input in input(), format in prop::sample::select(Format::ALL.to_vec())) {
        let options = ParseOptions { format: Some(format), ..ParseOptions::default() };
        let mut whole: Vec<Record> = Vec::new();
        parse_buffer("-", None, &input, options, &mut whole).unwrap();
        let mut streamed: Vec<Record> = Vec::new();
        let summary = parse_stream("-", &input[..], options, &mut streamed).map_err(|e| e.error).unwrap();
        prop_assert_eq!(summary.bytes, input.len() as u64);
        let a = serde_json::to_string(&whole).unwrap();
        let b = serde_json::to_string(&streamed).unwrap();
        prop_assert_eq!(a, b);
    }
}
