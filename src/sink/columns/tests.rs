//! Tests of the column tables: JSON lines and Parquet agree, the README shows the tables.

use super::*;
use crate::pipeline::{parse_buffer, ParseOptions};
use crate::sink::parquet::records_batch;
use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// Every record of every log under `samples/`.
fn sample_records() -> Vec<Record> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut records = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        let skip = path
            .extension()
            .is_some_and(|e| e == "md" || e == "zip" || e == "gz");
        if !entry.file_type().is_file() || skip {
            continue;
        }
        let text = std::fs::read(path).unwrap();
        let name = path.strip_prefix(&dir).unwrap().to_string_lossy();
        // Files eblog does not read give no records; that is not this test's concern.
        let _ = parse_buffer(
            &name,
            Some(path),
            &text,
            ParseOptions::default(),
            &mut records,
        );
    }
    records
}

/// The value of `column` at `row` as JSON lines would write it (`None`: null).
fn json_of(batch: &RecordBatch, column: &Column, row: usize) -> Option<Value> {
    let array = batch.column_by_name(column.name).unwrap();
    if array.is_null(row) {
        return None;
    }
    Some(match column.ty {
        ColumnType::Text | ColumnType::Date => {
            Value::from(array.as_string::<i32>().value(row).to_owned())
        }
        ColumnType::Int64 => Value::from(array.as_primitive::<Int64Type>().value(row)),
        ColumnType::Int32 => Value::from(array.as_primitive::<Int32Type>().value(row)),
        ColumnType::Timestamp => {
            Value::from(array.as_primitive::<TimestampMicrosecondType>().value(row))
        }
        ColumnType::Float64 => Value::from(
            array
                .as_primitive::<arrow_array::types::Float64Type>()
                .value(row),
        ),
    })
}

/// A JSON-lines `ts` as Parquet holds it: microseconds since the epoch.
fn micros(ts: &Value) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(ts.as_str()?)
        .ok()
        .map(|t| t.timestamp_micros())
}

/// Records of the kinds no sample holds.
fn unsampled_records() -> Vec<Record> {
    use crate::record::test_record;
    vec![
        test_record(
            1,
            Some("2016-03-02T10:00:00Z"),
            Event::ActivityRetry {
                attempt: Some(2),
                limit: 3,
            },
            "Retrying activity (attempt 2 of 3)",
        ),
        test_record(2, None, Event::Maintenance, "maintenance mode"),
        test_record(
            3,
            None,
            Event::Section {
                path: Some("/var/log/eb-engine.log".into()),
            },
            "/var/log/eb-engine.log",
        ),
    ]
}

#[test]
fn json_keys_and_parquet_columns_agree_for_every_kind() {
    let mut records = sample_records();
    records.extend(unsampled_records());
    let batch = records_batch(&records, None).unwrap();
    let mut kinds = BTreeSet::new();
    for (i, record) in records.iter().enumerate() {
        let at = format!("{} {}:{}", record.kind(), record.source, record.line);
        let mut line = Vec::new();
        crate::sink::json_line(&mut line, record, None).unwrap();
        let json: Map<String, Value> = serde_json::from_slice(&line).unwrap();
        let fields = batch.column_by_name("fields").unwrap();
        let fields: Map<String, Value> =
            serde_json::from_str(fields.as_string::<i32>().value(i)).unwrap();
        // Each envelope column is the JSON key of its name, null exactly when absent.
        for column in envelope_columns() {
            let parquet = json_of(&batch, column, i);
            let json = json.get(column.name);
            match (column.ty, parquet, json) {
                (ColumnType::Timestamp, Some(p), Some(j)) => {
                    assert_eq!(p.as_i64(), micros(j), "{} of {at}", column.name)
                }
                // An unparsable `ts` is kept as text in JSON lines, null in Parquet.
                (ColumnType::Timestamp, None, Some(j)) => {
                    assert_eq!(micros(j), None, "{} of {at}", column.name)
                }
                (_, p, j) => assert_eq!(p.as_ref(), j, "{} of {at}", column.name),
            }
        }
        // Every other JSON key is a field of the kind, in `fields` with the same value,
        // and `fields` holds nothing else.
        for (key, value) in &json {
            if envelope_columns().all(|c| c.name != key) {
                assert_eq!(fields.get(key), Some(value), "{key} of {at}");
            }
        }
        for key in fields.keys() {
            assert!(json.contains_key(key), "{key} of {at}: not in JSON lines");
        }
        kinds.insert(record.kind());
    }
    let missing: Vec<&str> = crate::record::KINDS
        .iter()
        .map(|k| k.kind)
        .filter(|k| !kinds.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "kinds without a sample record: {missing:?}"
    );
}

#[test]
fn readme_documents_every_column() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&markdown_table()),
        "README.md's records table is not this one:\n{}",
        markdown_table()
    );
    let http = markdown_table_of(HTTP_COLUMNS);
    assert!(
        readme.contains(&http),
        "README.md's http_requests table is not this one:\n{http}"
    );
}

#[test]
fn every_column_reads_a_cell_of_its_type() {
    let record = crate::record::test_record(1, None, Event::Other, "x");
    let row = Row::envelope(&record);
    for column in RECORD_COLUMNS {
        let ok = matches!(
            (column.ty, (column.read)(&row)),
            (ColumnType::Text, Cell::Text(_) | Cell::Plain(_))
                | (ColumnType::Int64 | ColumnType::Int32, Cell::Int(_))
                | (ColumnType::Float64, Cell::Float(_))
                | (ColumnType::Timestamp, Cell::Time(..))
                | (ColumnType::Date, Cell::Date(_))
        );
        assert!(ok, "{}", column.name);
        assert!(
            column.nullable || !(column.read)(&row).is_null(),
            "{}",
            column.name
        );
    }
}

#[test]
fn http_requests_rows_are_the_http_request_records_typed() {
    use crate::record::Format;
    let records = sample_records();
    let http: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind() == "http_request")
        .collect();
    assert!(http.len() > 10, "{} requests", http.len());
    let batch = crate::sink::parquet::http_requests_batch(&records, None).unwrap();
    assert_eq!(batch.num_rows(), http.len());
    let status = batch.column_by_name("http_status").unwrap();
    let status = status.as_primitive::<Int32Type>();
    let method = batch.column_by_name("method").unwrap();
    let method = method.as_string::<i32>();
    let took = batch.column_by_name("request_time_ms").unwrap();
    let took = took.as_primitive::<arrow_array::types::Float64Type>();
    for (i, r) in http.iter().enumerate() {
        let Event::HttpRequest {
            status: s,
            method: m,
            request_time_ms: t,
            ..
        } = &r.event
        else {
            panic!("an http_request record")
        };
        assert_eq!(
            status.is_valid(i).then(|| status.value(i)),
            s.map(i32::from)
        );
        assert_eq!(method.is_valid(i).then(|| method.value(i)), m.as_deref());
        assert_eq!(took.is_valid(i).then(|| took.value(i)), *t);
    }
    assert!(http.iter().any(|r| r.format == Some(Format::NginxAccess)));
    assert!(http.iter().any(|r| r.format == Some(Format::Healthd)));
    assert!(took.null_count() < took.len(), "healthd's times are typed");
}
