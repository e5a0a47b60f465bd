//! The invariants as property tests: partition, determinism, JSON that parses back,
//! output independent of threads, chunking and mapping.

use super::*;

// ---------------------------------------------------------------------------------------
// 2. Invariants as property tests
// ---------------------------------------------------------------------------------------

/// The names a user's files have: by name a format, a wrapper, or nothing.
fn name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "x.log",
        "bundle.txt",
        "eb-engine.log",
        "cfn-hup.log",
        "eb-commandprocessor.log",
        "eb-activity.log",
        "nginx/access.log",
        "web.stdout.log",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// For any bytes, under any name and format, wrappers included (`properties.rs` covers
    /// plain logs through `parse_buffer`): records are contiguous and cover the input.
    #[test]
    fn records_of_any_unit_partition_it(data in input(), name in name(), format in format()) {
        let unit = unit(name, data);
        let records = parse_records(&unit, format);
        assert_partition(&records, &unit.data);
    }

    /// Parsing the same bytes twice gives the same output, byte for byte (no hash-map
    /// order, clock or address leaks into it).
    #[test]
    fn parsing_is_deterministic(data in input(), name in name(), format in format()) {
        let unit = unit(name, data);
        let a = parse_jsonl(&unit, format, Some(Redactor::new()));
        let b = parse_jsonl(&unit, format, Some(Redactor::new()));
        prop_assert_eq!(a, b);
    }

    /// Every line eblog writes parses back as JSON and says what the record says.
    #[test]
    fn json_output_parses_back(data in input(), name in name(), format in format()) {
        let unit = unit(name, data);
        let records = parse_records(&unit, format);
        for redactor in [None, Some(Redactor::new())] {
            let redacted = redactor.is_some();
            let out = parse_jsonl(&unit, format, redactor);
            let text = String::from_utf8(out).expect("JSON lines are UTF-8");
            prop_assert!(text.is_empty() || text.ends_with('\n'));
            let lines: Vec<&str> = text.lines().collect();
            prop_assert_eq!(lines.len(), records.len());
            for (line, record) in lines.iter().zip(&records) {
                let v: Value = serde_json::from_str(line).expect("each line is JSON");
                prop_assert_eq!(v["offset"].as_u64(), Some(record.offset));
                prop_assert_eq!(v["bytes"].as_u64(), Some(record.bytes));
                prop_assert_eq!(v["line"].as_u64(), Some(record.line));
                prop_assert_eq!(v["end_line"].as_u64(), Some(record.end_line));
                prop_assert_eq!(v["kind"].as_str(), Some(record.kind()));
                if !redacted {
                    // (A secret in a wrapper's section path is redacted in `source` too.)
                    prop_assert_eq!(v["source"].as_str(), Some(&*record.source));
                    prop_assert_eq!(v["message"].as_str(), Some(record.message.as_str()));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The scanner's output does not depend on the thread count or on where it cuts a
    /// file into regions and chunks, and equals parsing the file whole.
    #[test]
    fn scan_output_does_not_depend_on_threads_or_chunks(
        data in input(),
        name in name(),
        chunk in 16usize..400,
        segment in 64usize..2000,
        threads in 2usize..5,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &data).unwrap();
        let paths = [path.clone()];
        let whole = ScanOptions { threads: 1, ..ScanOptions::default() };
        let chunked = ScanOptions {
            threads,
            chunk_bytes: chunk,
            segment_bytes: segment,
            mmap: MmapChoice::Never,
            ..ScanOptions::default()
        };
        let (a, sa) = scan_jsonl(&paths, &whole);
        let (b, sb) = scan_jsonl(&paths, &chunked);
        prop_assert_eq!(&sa, &sb);
        prop_assert!(a == b, "chunked:\n{}\nwhole:\n{}", String::from_utf8_lossy(&b), String::from_utf8_lossy(&a));
        let source = path.to_string_lossy().into_owned();
        let written = std::fs::metadata(&path).unwrap().modified().ok().map(eblog::input::year_month);
        let reference = parse_jsonl(&Unit { source, name: path.clone(), written, ..unit(name, data) }, None, Some(Redactor::new()));
        prop_assert!(a == reference, "scan:\n{}\nwhole buffer:\n{}", String::from_utf8_lossy(&a), String::from_utf8_lossy(&reference));
    }
}

proptest! {
    // Each case writes and scans a file over MMAP_MIN_BYTES three times.
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    /// A mapped large file gives the bytes a read one gives, with one thread or several.
    #[test]
    fn mapping_never_changes_the_output(lines in prop::collection::vec(line(), 1..40), name in name()) {
        let block = lines.concat();
        prop_assume!(!block.is_empty());
        let data = block.repeat((MMAP_MIN_BYTES as usize + 300_000) / block.len() + 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &data).unwrap();
        age(&path);
        let meta = std::fs::metadata(&path).unwrap();
        let reader = RegionReader::new(File::open(&path).unwrap(), meta.len(), meta.modified().ok(), MmapChoice::Auto);
        prop_assert!(reader.is_mapped(), "the test maps the file");
        let paths = [path];
        // Regions of 1 MiB: several mappings, at offsets that are not aligned.
        let small = ScanOptions { segment_bytes: 1 << 20, chunk_bytes: 200_000, ..ScanOptions::default() };
        let (mapped, _) = scan_jsonl(&paths, &ScanOptions { threads: 3, ..small });
        let (read, _) = scan_jsonl(&paths, &ScanOptions { threads: 1, mmap: MmapChoice::Never, ..small });
        let (default, _) = scan_jsonl(&paths, &ScanOptions { threads: 2, ..ScanOptions::default() });
        prop_assert!(mapped == read, "mapped and read differ");
        prop_assert!(mapped == default, "region sizes change the output");
    }
}
