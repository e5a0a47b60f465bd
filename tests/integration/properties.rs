//! Property tests: arbitrary bytes never panic the framer or the decoders, records always
//! partition their input, and streaming gives the same records as a whole buffer.

use crate::util::{assert_partition, format, input};
use eblog::pipeline::{parse_buffer, parse_stream, ParseOptions};
use eblog::record::{Format, Record};
use proptest::prelude::*;

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
