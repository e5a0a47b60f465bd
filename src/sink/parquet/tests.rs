//! Tests of the Parquet tables and writers.

use super::batch::*;
use super::file::*;
use super::partitioned::*;
use super::schema::*;
use crate::record::{ActionStatus, ActivityStatus, Event, Record};
use crate::redact::Redactor;
use crate::sink::columns::{action_status, activity_status};
use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use ::parquet::basic::Compression;
use ::parquet::file::properties::WriterProperties;
use arrow_array::cast::AsArray;
use arrow_array::types::TimestampMicrosecondType;
use arrow_array::types::{Int32Type, Int8Type};
use arrow_array::{Array, RecordBatch, StringArray};
use arrow_array::{DictionaryArray, Int64Array, TimestampMicrosecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::DateTime;
use eblog_grammars::result_json::{CommandResult, TimestampUnit};
use eblog_grammars::result_json::{ResultEntry, ResultEvent, SentMessage};
use serde_json::{json, Value};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SECRET: &str = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
const DAY1: &str = "2017-07-16";
const DAY2: &str = "2020-03-27";

use crate::record::test_record as record;

fn result(status: &str) -> CommandResult {
    CommandResult {
        status: status.to_owned(),
        api_version: Some("1.0".to_owned()),
        truncated: Some(false),
        results: vec![ResultEntry {
            status: Some(status.to_owned()),
            msg: "Hook failed.".to_owned(),
            returncode: Some(1),
            events: vec![
                ResultEvent {
                    msg: "npm install failed".to_owned(),
                    severity: Some("ERROR".to_owned()),
                    timestamp_ms: Some(1_585_322_370_000),
                    timestamp_unit: Some(TimestampUnit::Seconds),
                },
                ResultEvent {
                    msg: "Deploy failed".to_owned(),
                    severity: Some("INFO".to_owned()),
                    timestamp_ms: Some(1_585_322_371_234),
                    timestamp_unit: Some(TimestampUnit::Milliseconds),
                },
            ],
            config_set: None,
        }],
    }
}

/// Records of many kinds on two dates, plus one without a timestamp; dates interleave.
fn records() -> Vec<Record> {
    vec![
        record(
            1,
            Some("2017-07-16T23:09:33.602Z"),
            Event::CommandReceived {
                command: "CMD-AppDeploy".into(),
                stage: None,
                invocation_id: Some("inv-1".into()),
                request_id: Some("req-1".into()),
                payload: Some(json!({"command_name": "CMD-AppDeploy"})),
            },
            "Received command CMD-AppDeploy: {...}",
        ),
        record(
            2,
            Some("2017-07-16T23:09:34.000001Z"),
            Event::ActionEnvironment {
                env: Some(json!({"RESULT_SECRET_KEY": SECRET, "PATH": "/usr/bin"})),
            },
            &format!(
                "Action environment: {{'RESULT_SECRET_KEY': u'{SECRET}', 'PATH': u'/usr/bin'}}"
            ),
        ),
        record(
            3,
            Some("2020-03-27T15:19:30.123456Z"),
            Event::CommandResult {
                result: Some(result("FAILURE")),
                parse_error: None,
            },
            "Command processor returning results: {...}",
        ),
        record(
            4,
            Some("2017-07-16T23:10:00Z"),
            Event::ActionResult {
                action: "aws-eb-command-handler".into(),
                status: ActionStatus::Success,
                exit_code: Some(0),
                reason: None,
            },
            "Action for aws-eb-command-handler succeeded, returning SUCCESS",
        ),
        record(
            5,
            None,
            Event::Unparsed {
                reason: "before_first_header",
            },
            "garbage\n",
        ),
        record(
            6,
            Some("2020-03-27T15:19:40Z"),
            Event::ResultSent {
                queue: "https://sqs.us-west-2.amazonaws.com/1/q".into(),
                payload: Some(SentMessage {
                    invocation_id: Some("inv-2".into()),
                    command_name: Some("ElasticBeanstalkCommand-AWSEBAutoScalingGroup".into()),
                    status: Some("FAILURE".into()),
                    result: Some(result("FAILURE")),
                    ..SentMessage::default()
                }),
            },
            "Sending {...} to queue https://sqs.us-west-2.amazonaws.com/1/q",
        ),
        record(
            7,
            Some("2020-03-27T15:19:41Z"),
            Event::ActivityEnd {
                status: ActivityStatus::TimedOut,
                result: None,
                timeout_s: Some(600),
            },
            "Activity timed out",
        ),
        record(
            8,
            Some("2020-03-27T15:19:42Z"),
            Event::Other,
            "something else",
        ),
    ]
}

fn read(path: &Path) -> Vec<RecordBatch> {
    let file = File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn strings(batches: &[RecordBatch], column: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for batch in batches {
        let col = batch.column_by_name(column).unwrap();
        match col.data_type() {
            DataType::Utf8 => {
                out.extend(col.as_string::<i32>().iter().map(|v| v.map(str::to_owned)))
            }
            DataType::Dictionary(key, _) if **key == DataType::Int8 => {
                let d: &DictionaryArray<Int8Type> = col.as_dictionary();
                let values = d.values().as_string::<i32>();
                out.extend(
                    d.keys()
                        .iter()
                        .map(|k| k.map(|k| values.value(k as usize).to_owned())),
                );
            }
            DataType::Dictionary(key, _) if **key == DataType::Int32 => {
                let d: &DictionaryArray<Int32Type> = col.as_dictionary();
                let values = d.values().as_string::<i32>();
                out.extend(
                    d.keys()
                        .iter()
                        .map(|k| k.map(|k| values.value(k as usize).to_owned())),
                );
            }
            other => panic!("{column} is {other}"),
        }
    }
    out
}

fn micros(batches: &[RecordBatch], column: &str) -> Vec<Option<i64>> {
    batches
        .iter()
        .flat_map(|b| {
            let a: &TimestampMicrosecondArray = b
                .column_by_name(column)
                .unwrap()
                .as_primitive::<TimestampMicrosecondType>();
            a.iter().collect::<Vec<_>>()
        })
        .collect()
}

fn u64s(batches: &[RecordBatch], column: &str) -> Vec<u64> {
    batches
        .iter()
        .flat_map(|b| {
            let a: &Int64Array = b
                .column_by_name(column)
                .unwrap()
                .as_any()
                .downcast_ref()
                .unwrap();
            a.values().iter().map(|&v| v as u64).collect::<Vec<_>>()
        })
        .collect()
}

fn i64s(batches: &[RecordBatch], column: &str) -> Vec<Option<i64>> {
    batches
        .iter()
        .flat_map(|b| {
            let a: &Int64Array = b
                .column_by_name(column)
                .unwrap()
                .as_any()
                .downcast_ref()
                .unwrap();
            a.iter().collect::<Vec<_>>()
        })
        .collect()
}

fn us(ts: &str) -> i64 {
    DateTime::parse_from_rfc3339(ts).unwrap().timestamp_micros()
}

/// Every file under `dir`, recursively, sorted.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Writes both tables of `records()` under `root`, as `eblog scan` would.
fn write_tables(
    root: &Path,
    props: WriterProperties,
    budget: usize,
    redact: bool,
) -> (Vec<PartitionFile>, Vec<PartitionFile>) {
    let redactor = Redactor::new();
    let redactor = redact.then_some(&redactor);
    let recs = records();
    let mut table = PartitionedWriter::new(&root.join("records"), records_schema(), budget)
        .unwrap()
        .with_properties(props.clone());
    let mut events = PartitionedWriter::new(&root.join("events"), events_schema(), budget)
        .unwrap()
        .with_properties(props);
    // Two batches, so that partitions receive rows more than once.
    for chunk in recs.chunks(5) {
        table
            .write(&records_batch(chunk, redactor).unwrap())
            .unwrap();
        events
            .write(&events_batch(chunk, redactor).unwrap())
            .unwrap();
    }
    (table.finish().unwrap(), events.finish().unwrap())
}

#[test]
fn statuses_serialize_as_in_json_lines() {
    for s in [
        ActionStatus::Success,
        ActionStatus::Failure,
        ActionStatus::Retry,
    ] {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(action_status(s)));
    }
    for s in [
        ActivityStatus::Completed,
        ActivityStatus::Failed,
        ActivityStatus::TimedOut,
        ActivityStatus::InternalFailure,
    ] {
        assert_eq!(serde_json::to_value(s).unwrap(), json!(activity_status(s)));
    }
}

#[test]
fn records_batch_columns() {
    let recs = records();
    let batch = records_batch(&recs, Some(&Redactor::new())).unwrap();
    assert_eq!(batch.schema(), records_schema());
    let batches = [batch];
    assert_eq!(u64s(&batches, "line"), (1..=8).collect::<Vec<_>>());
    let ts = micros(&batches, "ts");
    assert_eq!(ts[0], Some(1_500_246_573_602_000));
    assert_eq!(ts[1], Some(us("2017-07-16T23:09:34.000001Z")));
    assert_eq!(ts[2], Some(1_585_322_370_123_456));
    assert_eq!(ts[4], None);
    let date = strings(&batches, "date");
    assert_eq!(date[0].as_deref(), Some(DAY1));
    assert_eq!(date[2].as_deref(), Some(DAY2));
    assert_eq!(date[4], None);
    let kind = strings(&batches, "kind");
    assert_eq!(kind[0].as_deref(), Some("command_received"));
    assert_eq!(kind[4].as_deref(), Some("unparsed"));
    assert_eq!(strings(&batches, "format")[0].as_deref(), Some("cfn-hup"));
    assert_eq!(
        strings(&batches, "command")[0].as_deref(),
        Some("CMD-AppDeploy")
    );
    assert_eq!(strings(&batches, "request_id")[0].as_deref(), Some("req-1"));
    assert_eq!(
        strings(&batches, "invocation_id")[5].as_deref(),
        Some("inv-2")
    );
    assert_eq!(
        strings(&batches, "command")[5].as_deref(),
        Some("ElasticBeanstalkCommand-AWSEBAutoScalingGroup")
    );
    let status = strings(&batches, "status");
    assert_eq!(status[2].as_deref(), Some("FAILURE"));
    assert_eq!(status[3].as_deref(), Some("SUCCESS"));
    assert_eq!(status[6].as_deref(), Some("timed_out"));
    assert_eq!(status[7], None);
    let exit = i64s(&batches, "exit_code");
    assert_eq!(exit[2], Some(1));
    assert_eq!(exit[3], Some(0));
    assert_eq!(exit[0], None);
    assert_eq!(
        strings(&batches, "action")[3].as_deref(),
        Some("aws-eb-command-handler")
    );
}

#[test]
fn partitioned_tables_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (records_files, events_files) =
        write_tables(dir.path(), writer_properties(), 64 << 20, true);
    let root = dir.path();
    let names: Vec<_> = records_files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            format!("records/date={DAY1}/part-00000.parquet"),
            format!("records/date={DAY2}/part-00000.parquet"),
            "records/date=__HIVE_DEFAULT_PARTITION__/part-00000.parquet".to_owned(),
        ]
    );
    assert_eq!(
        records_files.iter().map(|f| f.rows).collect::<Vec<_>>(),
        [3, 4, 1]
    );

    // Day 1: lines 1, 2, 4 in input order, the date column left to the directory.
    let day1 = read(&records_files[0].path);
    assert!(day1[0].schema().column_with_name("date").is_none());
    assert_eq!(
        day1[0].schema().fields().len(),
        records_schema().fields().len() - 1
    );
    assert_eq!(u64s(&day1, "line"), [1, 2, 4]);
    assert_eq!(
        micros(&day1, "ts"),
        [
            Some(us("2017-07-16T23:09:33.602Z")),
            Some(us("2017-07-16T23:09:34.000001Z")),
            Some(us("2017-07-16T23:10:00Z")),
        ]
    );
    assert_eq!(
        day1[0].schema().field_with_name("ts").unwrap().data_type(),
        &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
    );
    assert_eq!(
        day1[0]
            .schema()
            .field_with_name("kind")
            .unwrap()
            .data_type(),
        // Plain text, as in every table: polars reads a dictionary as a categorical,
        // which does not join with a string column.
        &DataType::Utf8
    );
    assert_eq!(
        strings(&day1, "kind"),
        [
            Some("command_received"),
            Some("action_environment"),
            Some("action_result")
        ]
        .map(|s| s.map(str::to_owned))
    );
    assert_eq!(
        strings(&day1, "instance_id")[0].as_deref(),
        Some("i-0abc1234def567890")
    );
    assert_eq!(strings(&day1, "level")[2].as_deref(), Some("INFO"));

    // fields: the JSON of the event, kind included; the secret redacted.
    let fields = strings(&day1, "fields");
    let recs = records();
    let first: Value = serde_json::from_str(fields[0].as_deref().unwrap()).unwrap();
    assert_eq!(first, serde_json::to_value(&recs[0].event).unwrap());
    assert_eq!(first["kind"], "command_received");
    let env: Value = serde_json::from_str(fields[1].as_deref().unwrap()).unwrap();
    assert_eq!(
        env,
        json!({"kind": "action_environment", "env": {"RESULT_SECRET_KEY": "[REDACTED]", "PATH": "/usr/bin"}})
    );
    let message = strings(&day1, "message");
    assert_eq!(
        message[1].as_deref(),
        Some("Action environment: {'RESULT_SECRET_KEY': u'[REDACTED]', 'PATH': u'/usr/bin'}")
    );

    // Day 2 and unknown.
    let day2 = read(&records_files[1].path);
    assert_eq!(u64s(&day2, "line"), [3, 6, 7, 8]);
    let unknown = read(&records_files[2].path);
    assert_eq!(u64s(&unknown, "line"), [5]);
    assert_eq!(micros(&unknown, "ts"), [None]);
    let unparsed: Value =
        serde_json::from_str(strings(&unknown, "fields")[0].as_deref().unwrap()).unwrap();
    assert_eq!(
        unparsed,
        json!({"kind": "unparsed", "reason": "before_first_header"})
    );

    // Events: 2 from the command result, 2 from the result sent, all on day 2.
    assert_eq!(events_files.len(), 1);
    assert_eq!(events_files[0].rows, 4);
    assert!(events_files[0]
        .path
        .ends_with(format!("events/date={DAY2}/part-00000.parquet")));
    let events = read(&events_files[0].path);
    assert_eq!(u64s(&events, "line"), [3, 3, 6, 6]);
    assert_eq!(
        micros(&events, "ts"),
        [
            Some(1_585_322_370_000_000),
            Some(1_585_322_371_234_000),
            Some(1_585_322_370_000_000),
            Some(1_585_322_371_234_000)
        ]
    );
    assert_eq!(
        strings(&events, "timestamp_unit"),
        [Some("s"), Some("ms"), Some("s"), Some("ms")].map(|s| s.map(str::to_owned))
    );
    assert_eq!(
        strings(&events, "record_kind"),
        [
            Some("command_result"),
            Some("command_result"),
            Some("result_sent"),
            Some("result_sent")
        ]
        .map(|s| s.map(str::to_owned))
    );
    assert_eq!(strings(&events, "severity")[0].as_deref(), Some("ERROR"));
    assert_eq!(strings(&events, "msg")[1].as_deref(), Some("Deploy failed"));
    assert_eq!(
        strings(&events, "result_status")[0].as_deref(),
        Some("FAILURE")
    );
    assert_eq!(i64s(&events, "returncode"), [Some(1); 4]);
    let command = strings(&events, "command");
    assert_eq!(command[0], None);
    assert_eq!(
        command[2].as_deref(),
        Some("ElasticBeanstalkCommand-AWSEBAutoScalingGroup")
    );

    // No temporary file remains; the secret is in no file.
    for file in all_files(root) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp") && !name.starts_with('.'), "{name}");
        let bytes = fs::read(&file).unwrap();
        assert!(!contains(&bytes, SECRET.as_bytes()), "{}", file.display());
        assert!(contains(&bytes, CREATED_BY.as_bytes()));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn secret_absent_from_uncompressed_bytes() {
    // Uncompressed files show every string as written: the check would see the secret.
    let plain = WriterProperties::builder()
        .set_compression(Compression::UNCOMPRESSED)
        .build();
    let dir = tempfile::tempdir().unwrap();
    write_tables(&dir.path().join("redacted"), plain.clone(), 64 << 20, true);
    write_tables(&dir.path().join("raw"), plain, 64 << 20, false);
    let leaks = |root: &Path| {
        all_files(root)
            .iter()
            .any(|f| contains(&fs::read(f).unwrap(), SECRET.as_bytes()))
    };
    assert!(!leaks(&dir.path().join("redacted")));
    assert!(
        leaks(&dir.path().join("raw")),
        "the control run must show the secret"
    );
}

#[test]
fn deterministic_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_tables(a.path(), writer_properties(), 64 << 20, true);
    write_tables(b.path(), writer_properties(), 64 << 20, true);
    let fa = all_files(a.path());
    let fb = all_files(b.path());
    assert_eq!(fa.len(), 4);
    assert_eq!(
        fa.iter()
            .map(|f| f.strip_prefix(a.path()).unwrap())
            .collect::<Vec<_>>(),
        fb.iter()
            .map(|f| f.strip_prefix(b.path()).unwrap())
            .collect::<Vec<_>>()
    );
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(
            fs::read(x).unwrap(),
            fs::read(y).unwrap(),
            "{}",
            x.display()
        );
    }
    // The footer holds only the Arrow schema as key-value metadata.
    let file = File::open(&fa[0]).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let meta = builder.metadata().file_metadata();
    assert_eq!(meta.created_by(), Some(CREATED_BY));
    let keys: Vec<_> = meta
        .key_value_metadata()
        .unwrap()
        .iter()
        .map(|kv| kv.key.as_str())
        .collect();
    assert_eq!(keys, ["ARROW:schema"]);
}

#[test]
fn budget_flushes_row_groups_and_keeps_order() {
    let dir = tempfile::tempdir().unwrap();
    let recs = records();
    let mut table = PartitionedWriter::new(dir.path(), records_schema(), 0).unwrap();
    for r in &recs {
        table
            .write(&records_batch(std::slice::from_ref(r), None).unwrap())
            .unwrap();
    }
    let files = table.finish().unwrap();
    let file = File::open(&files[1].path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    assert_eq!(builder.metadata().num_row_groups(), 4);
    assert_eq!(u64s(&read(&files[1].path), "line"), [3, 6, 7, 8]);
}

/// Rows of 20 dates, interleaved (more than [`MAX_OPEN_PARTITIONS`] are open at once):
/// still one file per date, its rows in input order, and no run left behind.
#[test]
fn many_interleaved_dates_still_give_one_file_per_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = PartitionedWriter::new(dir.path(), records_schema(), 1 << 20).unwrap();
    let mut line = 0;
    for round in 0..5 {
        let batch: Vec<Record> = (1..=20)
            .map(|day| {
                line += 1;
                let ts = format!("2022-01-{day:02}T10:00:{round:02}.000Z");
                record(line, Some(&ts), Event::Other, "x")
            })
            .collect();
        table.write(&records_batch(&batch, None).unwrap()).unwrap();
    }
    let files = table.finish().unwrap();
    assert_eq!(files.len(), 20);
    assert!(files
        .iter()
        .all(|f| f.rows == 5 && f.path.ends_with("part-00000.parquet")));
    assert_eq!(all_files(dir.path()).len(), 20, "no run left behind");
    // 2022-01-03's rows: lines 3, 23, 43, 63, 83, in that order.
    let third = files
        .iter()
        .find(|f| f.path.to_string_lossy().contains("2022-01-03"))
        .unwrap();
    assert_eq!(u64s(&read(&third.path), "line"), [3, 23, 43, 63, 83]);
}

#[test]
fn temporary_files_until_finish() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join(format!("date={DAY1}"));
    let mut table = PartitionedWriter::new(dir.path(), records_schema(), 1 << 20).unwrap();
    table
        .write(&records_batch(&records()[..2], None).unwrap())
        .unwrap();
    assert!(part.join(".part-00000.parquet.run-0.tmp").exists());
    assert!(!part.join("part-00000.parquet").exists());
    drop(table);
    assert!(!part.join(".part-00000.parquet.run-0.tmp").exists());
    assert!(!part.join("part-00000.parquet").exists());

    let mut table = PartitionedWriter::new(dir.path(), records_schema(), 1 << 20)
        .unwrap()
        .with_part_number(7);
    table
        .write(&records_batch(&records()[..2], None).unwrap())
        .unwrap();
    let files = table.finish().unwrap();
    assert_eq!(
        files,
        [PartitionFile {
            path: part.join("part-00007.parquet"),
            rows: 2
        }]
    );
    assert_eq!(all_files(dir.path()), [part.join("part-00007.parquet")]);
}

#[test]
fn rejects_bad_dates_and_schemas() {
    let dir = tempfile::tempdir().unwrap();
    assert!(PartitionedWriter::new(dir.path(), Arc::new(Schema::empty()), 0).is_err());
    let schema = Arc::new(Schema::new(vec![Field::new("date", DataType::Utf8, true)]));
    let mut table = PartitionedWriter::new(dir.path(), schema.clone(), 0).unwrap();
    let batch =
        RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(vec!["../x"]))]).unwrap();
    let err = table.write(&batch).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    assert!(table
        .write(&records_batch(&records(), None).unwrap())
        .is_err());
}

#[test]
fn flat_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.parquet");
    let mut writer = FileWriter::new(&path, records_schema()).unwrap();
    writer
        .write(&records_batch(&records(), None).unwrap())
        .unwrap();
    let temporary = all_files(dir.path());
    assert_eq!(temporary.len(), 1);
    assert!(temporary[0]
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(".out.parquet.eblog-")));
    assert!(!path.exists());
    assert_eq!(writer.finish().unwrap(), 8);
    assert_eq!(all_files(dir.path()), std::slice::from_ref(&path));
    let batches = read(&path);
    assert_eq!(u64s(&batches, "line"), (1..=8).collect::<Vec<_>>());
    assert_eq!(strings(&batches, "date")[4], None);
    assert_eq!(strings(&batches, "date")[7].as_deref(), Some(DAY2));
    // Without a redactor the secret stays.
    let fields = strings(&batches, "fields");
    assert!(fields[1].as_deref().unwrap().contains(SECRET));
}

#[test]
fn empty_input() {
    assert_eq!(records_batch(&[], None).unwrap().num_rows(), 0);
    assert_eq!(events_batch(&records()[..2], None).unwrap().num_rows(), 0);
}

/// Engines join tables on shared columns: a column two tables share has one type, no
/// table has a dictionary (polars: categorical) column, and a step's struct fields do not
/// collide with the command's columns when unnested.
#[test]
fn same_column_same_type_in_every_table() {
    let commands = crate::sink::commands::commands_schema();
    let mut seen: std::collections::BTreeMap<String, DataType> = Default::default();
    for schema in [
        records_schema(),
        events_schema(),
        http_requests_schema(),
        commands.clone(),
    ] {
        for field in schema.fields() {
            assert!(
                !matches!(field.data_type(), DataType::Dictionary(..)),
                "{} is a dictionary",
                field.name()
            );
            let first = seen
                .entry(field.name().clone())
                .or_insert_with(|| field.data_type().clone());
            assert_eq!(first, field.data_type(), "{}", field.name());
        }
    }
    for shared in [
        "source",
        "line",
        "instance_id",
        "command",
        "ts",
        "status",
        "date",
    ] {
        assert!(seen.contains_key(shared), "{shared}");
    }
    let DataType::List(item) = commands.field_with_name("steps").unwrap().data_type() else {
        panic!("steps is a list")
    };
    let DataType::Struct(fields) = item.data_type() else {
        panic!("steps holds structs")
    };
    for field in fields {
        assert!(
            commands.field_with_name(field.name()).is_err(),
            "step field {} collides with a commands column",
            field.name()
        );
    }
}

/// `host` is the host of each row's source in `records` and `events`, as in `commands`.
#[test]
fn records_and_events_carry_the_host_of_their_source() {
    let mut all = records();
    let mut other = all[0].clone();
    other.source = "bundle.zip!var/log/nginx/access.log".into();
    all.push(other);
    let batch = records_batch(&all, None).unwrap();
    let hosts = strings(&[batch], "host");
    assert_eq!(hosts.len(), all.len());
    for (record, host) in all.iter().zip(&hosts) {
        assert_eq!(
            host.as_deref(),
            Some(crate::correlate::host_of(&record.source).as_str())
        );
    }
    assert_eq!(hosts[0].as_deref(), Some("logs/i-0abc/var/log"));
    assert_eq!(hosts.last().unwrap().as_deref(), Some("bundle.zip!var/log"));
    let events = events_batch(&all, None).unwrap();
    assert!(events.num_rows() > 0);
    let hosts = strings(&[events], "host");
    assert!(
        hosts
            .iter()
            .all(|h| h.as_deref() == Some("logs/i-0abc/var/log")),
        "{hosts:?}"
    );
}

/// `severity` puts every spelling of a level on one scale; `level` stays as written.
#[test]
fn severity_is_one_vocabulary_beside_the_raw_level() {
    let levels = ["WARNING", "warn", "FATAL", "ANY", "INFO"];
    let rows: Vec<Record> = levels
        .iter()
        .zip(1..)
        .map(|(level, line)| {
            let mut r = record(line, None, Event::Other, "x");
            r.level = Some((*level).into());
            r
        })
        .collect();
    let batch = records_batch(&rows, None).unwrap();
    let batches = [batch];
    let want = ["warn", "warn", "fatal", "fatal", "info"].map(|s| Some(s.to_owned()));
    assert_eq!(strings(&batches, "severity"), want);
    assert_eq!(
        strings(&batches, "level"),
        levels.map(|l| Some(l.to_owned()))
    );
}
