//! The eblog crate's whole-buffer pipeline (`eblog::pipeline::parse_buffer`): format
//! detection, framing into records and decoding, on arbitrary bytes taken as a whole file.
//! Runs auto-detection and one forced format (picked by the input's first byte), and checks
//! that the records partition the input: contiguous, in order, covering every byte.
#![no_main]

use eblog::pipeline::{parse_buffer, ParseOptions};
use eblog::record::{Format, Record};
use libfuzzer_sys::fuzz_target;

fn assert_partition(records: &[Record], input: &[u8], format: Option<Format>) {
    let mut offset = 0u64;
    let mut line = 1u64;
    for (i, r) in records.iter().enumerate() {
        assert_eq!(
            r.offset, offset,
            "record {i} ({format:?}) is not contiguous"
        );
        assert_eq!(
            r.line, line,
            "record {i} ({format:?}): line numbers not contiguous"
        );
        assert!(r.bytes > 0, "record {i} ({format:?}) is empty");
        assert!(
            r.end_line >= r.line,
            "record {i} ({format:?}) ends before it starts"
        );
        let end = r
            .offset
            .checked_add(r.bytes)
            .expect("offset + bytes overflows");
        assert!(
            end <= input.len() as u64,
            "record {i} ({format:?}) runs past the input"
        );
        let bytes = &input[r.offset as usize..end as usize];
        let newlines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
        let open = u64::from(!bytes.ends_with(b"\n"));
        assert_eq!(
            r.end_line - r.line + 1,
            newlines + open,
            "record {i} ({format:?}): end_line does not count its lines"
        );
        offset = end;
        line = r.end_line + 1;
    }
    assert_eq!(
        offset,
        input.len() as u64,
        "records ({format:?}) do not cover the input"
    );
}

fn run(input: &[u8], format: Option<Format>) {
    let mut records: Vec<Record> = Vec::new();
    let options = ParseOptions {
        format,
        ..ParseOptions::default()
    };
    let summary = parse_buffer("fuzz.log", None, input, options, &mut records)
        .expect("a Vec sink never fails");
    assert_eq!(summary.records, records.len() as u64);
    assert_eq!(summary.bytes, input.len() as u64);
    assert!(summary.unparsed <= summary.records);
    if format.is_some() {
        assert_eq!(summary.format, format);
    }
    assert_partition(&records, input, format);
    // Every record must serialize (the JSON Lines sink's path).
    serde_json::to_string(&records).expect("records serialize");
}

fuzz_target!(|data: &[u8]| {
    run(data, None);
    if let Some(&first) = data.first() {
        let forced = Format::ALL[usize::from(first) % Format::ALL.len()];
        run(data, Some(forced));
    }
});
