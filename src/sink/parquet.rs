//! Parquet: records and result events as Arrow record batches, written to a single file
//! (`eblog parse --to parquet -o FILE`) or to a Hive-partitioned table
//! (`eblog scan`: `records/date=YYYY-MM-DD/part-00000.parquet`, DESIGN.md "Datasets").
//!
//! # The `records` table: one row per [`Record`]
//!
//! | column | Arrow type | null | from |
//! |---|---|---|---|
//! | `source` | Dictionary(Int32, Utf8) | no | [`Record::source`] |
//! | `line` | Int64 | no | [`Record::line`] |
//! | `end_line` | Int64 | no | [`Record::end_line`] |
//! | `offset` | Int64 | no | [`Record::offset`] |
//! | `bytes` | Int64 | no | [`Record::bytes`] |
//! | `format` | Dictionary(Int8, Utf8) | yes | [`Record::format`], its [name](crate::record::Format::name) |
//! | `ts` | Timestamp(Microsecond, "UTC") | yes | [`Record::ts`] parsed as RFC 3339 (sub-µs digits truncated; null when absent or unparsable) |
//! | `level` | Dictionary(Int32, Utf8) | yes | [`Record::level`] |
//! | `pid` | Int32 | yes | [`Record::pid`] |
//! | `activity` | Utf8 | yes | [`Record::activity`] |
//! | `kind` | Dictionary(Int8, Utf8) | no | [`Record::kind`] |
//! | `command` | Utf8 | yes | the event's `command` field; `result_sent`: the payload's `CommandName` |
//! | `action` | Utf8 | yes | the event's `action` field (`action_start`, `action_output`, `action_result`) |
//! | `step` | Utf8 | yes | the event's `step` field (`command_failed`, `cfn_step`, `bootstrap`) |
//! | `status` | Utf8 | yes | `action_result` (`SUCCESS`...), `activity_end` (`completed`...), `cfn_command` (`success`...), the result JSON's `status` (`command_result`, `action_output`), `result_sent`'s `Status` (else its result's status) |
//! | `exit_code` | Int64 | yes | `exit_code` (`action_result`, `cfn_command`), or the first `returncode` of a result JSON |
//! | `error` | Utf8 | yes | the event's `error` field (`command_failed`, `activity_error`, `proxy_error`, `error`) |
//! | `request_id` | Utf8 | yes | `command_received`'s `request_id` |
//! | `invocation_id` | Utf8 | yes | the event's `invocation_id`; `result_sent`: the payload's `InvocationId` |
//! | `fields` | Utf8 | no | the JSON of the event: `kind` and every kind-specific field, as in JSON lines |
//! | `message` | Utf8 | no | [`Record::message`] |
//! | `instance_id` | Dictionary(Int32, Utf8) | yes | [`Record::instance_id`] |
//! | `environment_id` | Dictionary(Int32, Utf8) | yes | [`Record::environment_id`] |
//! | `date` | Utf8 | yes | `YYYY-MM-DD` of `ts` (UTC); null without `ts`. The Hive partition key |
//!
//! The typed columns (`command` to `invocation_id`) copy fields that `fields` holds too, so
//! that the common questions need no JSON functions; `fields` stays the lossless source.
//!
//! # The `events` table: one row per result event
//!
//! One row per `results[].events[]` entry of every command result a record holds
//! (`command_result`, `action_output` and `result_sent` records), in record order, then
//! result order, then event order.
//!
//! | column | Arrow type | null | from |
//! |---|---|---|---|
//! | `source` | Dictionary(Int32, Utf8) | no | the record's `source` |
//! | `line` | Int64 | no | the record's `line` |
//! | `instance_id` | Dictionary(Int32, Utf8) | yes | the record's `instance_id` |
//! | `command` | Utf8 | yes | `result_sent`: the payload's `CommandName`; null otherwise |
//! | `record_kind` | Dictionary(Int8, Utf8) | no | the record's `kind` |
//! | `result_status` | Utf8 | yes | the result entry's `status`, else the result's `status` |
//! | `returncode` | Int64 | yes | the result entry's `returncode` |
//! | `ts` | Timestamp(Microsecond, "UTC") | yes | the event's `timestamp_ms` |
//! | `timestamp_unit` | Dictionary(Int8, Utf8) | yes | `s` or `ms`: the unit the event was written in |
//! | `severity` | Dictionary(Int32, Utf8) | yes | the event's `severity` |
//! | `msg` | Utf8 | no | the event's `msg` |
//! | `date` | Utf8 | yes | `YYYY-MM-DD` of the event's `ts`, else of the record's `ts` |
//!
//! # Redaction
//!
//! With a [`Redactor`], a record whose `message` or `activity` might hold a secret
//! ([`Redactor::might_contain_secret`]) has every string column redacted with
//! [`Redactor::redact_text`], and its `fields` JSON with [`Redactor::redact_value`]. Other
//! records skip redaction: every field of a record comes from its message text.
//!
//! # Files
//!
//! Files are written under a hidden temporary name in their final directory
//! (`.part-00000.parquet.tmp`) and renamed into place only once complete, so an interrupted
//! run leaves no file that looks complete (Spark and Hive skip names starting with `.`,
//! and `*.parquet` globs do not match them). The same batches in the same order give
//! byte-identical files: [`writer_properties`] fixes `created_by`, and the only key-value
//! metadata is the Arrow schema that [`ArrowWriter`] stores (`ARROW:schema`), which lets
//! readers get dictionary and time zone types back.

use crate::record::{ActionStatus, ActivityStatus, Event, Record};
use crate::redact::Redactor;
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use ::parquet::schema::types::ColumnPath;
use arrow_array::builder::{
    Int32Builder, Int64Builder, StringBuilder, StringDictionaryBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::types::{Int32Type, Int8Type};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, Datelike, NaiveDate};
use eblog_grammars::result_json::{CommandResult, TimestampUnit};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The `created_by` written in every file's footer: a constant, without a library
/// version, so that output bytes do not change with a dependency update.
pub const CREATED_BY: &str = "eblog";

/// The name of the column [`PartitionedWriter`] partitions by.
pub const DATE_COLUMN: &str = "date";

/// The partition value of rows whose `date` is null (`date=unknown/`).
pub const UNKNOWN_DATE: &str = "unknown";

/// The most rows one row group holds (before a memory-budget flush cuts it short).
pub const MAX_ROW_GROUP_ROWS: usize = 64 * 1024;

/// The time zone of every timestamp column.
const UTC: &str = "UTC";

fn dict(key: DataType) -> DataType {
    DataType::Dictionary(Box::new(key), Box::new(DataType::Utf8))
}

/// The type of every timestamp column: microseconds, UTC.
pub(crate) fn timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into()))
}

/// The schema of the `records` table: one row per record (see the module documentation
/// for what each column holds).
pub fn records_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                Field::new("source", dict(DataType::Int32), false),
                Field::new("line", DataType::Int64, false),
                Field::new("end_line", DataType::Int64, false),
                Field::new("offset", DataType::Int64, false),
                Field::new("bytes", DataType::Int64, false),
                Field::new("format", dict(DataType::Int8), true),
                Field::new("ts", timestamp(), true),
                Field::new("level", dict(DataType::Int32), true),
                Field::new("pid", DataType::Int32, true),
                Field::new("activity", DataType::Utf8, true),
                Field::new("kind", dict(DataType::Int8), false),
                Field::new("command", DataType::Utf8, true),
                Field::new("action", DataType::Utf8, true),
                Field::new("step", DataType::Utf8, true),
                Field::new("status", DataType::Utf8, true),
                Field::new("exit_code", DataType::Int64, true),
                Field::new("error", DataType::Utf8, true),
                Field::new("request_id", DataType::Utf8, true),
                Field::new("invocation_id", DataType::Utf8, true),
                Field::new("fields", DataType::Utf8, false),
                Field::new("message", DataType::Utf8, false),
                Field::new("instance_id", dict(DataType::Int32), true),
                Field::new("environment_id", dict(DataType::Int32), true),
                Field::new(DATE_COLUMN, DataType::Utf8, true),
            ]))
        })
        .clone()
}

/// The schema of the `events` table: one row per result event (see the module
/// documentation for what each column holds).
pub fn events_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                Field::new("source", dict(DataType::Int32), false),
                Field::new("line", DataType::Int64, false),
                Field::new("instance_id", dict(DataType::Int32), true),
                Field::new("command", DataType::Utf8, true),
                Field::new("record_kind", dict(DataType::Int8), false),
                Field::new("result_status", DataType::Utf8, true),
                Field::new("returncode", DataType::Int64, true),
                Field::new("ts", timestamp(), true),
                Field::new("timestamp_unit", dict(DataType::Int8), true),
                Field::new("severity", dict(DataType::Int32), true),
                Field::new("msg", DataType::Utf8, false),
                Field::new(DATE_COLUMN, DataType::Utf8, true),
            ]))
        })
        .clone()
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

fn arrow_error(e: ArrowError) -> io::Error {
    match e {
        ArrowError::IoError(_, e) => e,
        other => io::Error::other(other),
    }
}

fn parquet_error(e: ParquetError) -> io::Error {
    match e {
        ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(other) => io::Error::other(other),
        },
        other => io::Error::other(other),
    }
}

fn invalid_input(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

// ---------------------------------------------------------------------------------------
// Building batches
// ---------------------------------------------------------------------------------------

/// The redactor to use for one record: `Some` only when redaction is on and the record's
/// message or activity might hold a secret.
fn redactor_for<'r>(redactor: Option<&'r Redactor>, record: &Record) -> Option<&'r Redactor> {
    redactor.filter(|r| {
        r.might_contain_secret(&record.message)
            || record
                .activity
                .as_deref()
                .is_some_and(|a| r.might_contain_secret(a))
    })
}

fn clean<'a>(redactor: Option<&Redactor>, text: &'a str) -> Cow<'a, str> {
    match redactor {
        Some(r) => r.redact_text(text),
        None => Cow::Borrowed(text),
    }
}

fn clean_opt<'a>(redactor: Option<&Redactor>, text: Option<&'a str>) -> Option<Cow<'a, str>> {
    text.map(|t| clean(redactor, t))
}

fn append_dict<K>(builder: &mut StringDictionaryBuilder<K>, value: Option<&str>) -> io::Result<()>
where
    K: arrow_array::types::ArrowDictionaryKeyType,
{
    match value {
        Some(v) => builder.append(v).map(|_| ()).map_err(arrow_error),
        None => {
            builder.append_null();
            Ok(())
        }
    }
}

/// Appends `YYYY-MM-DD` of `date` to `out`; `false` (nothing appended) for years outside
/// 0..=9999, which have no four-digit form.
fn push_date(out: &mut String, date: NaiveDate) -> bool {
    use std::fmt::Write as _;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return false;
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{year:04}-{:02}-{:02}", date.month(), date.day());
    true
}

/// A parsed timestamp: microseconds since the epoch and the UTC date.
#[derive(Clone, Copy)]
struct Instant {
    micros: i64,
    date: NaiveDate,
}

fn parse_ts(ts: &str) -> Option<Instant> {
    let parsed = DateTime::parse_from_rfc3339(ts).ok()?;
    Some(Instant {
        micros: parsed.timestamp_micros(),
        date: parsed.naive_utc().date(),
    })
}

fn instant_from_millis(ms: i64) -> Option<Instant> {
    let micros = ms.checked_mul(1000)?;
    let date = DateTime::from_timestamp_micros(micros)?.date_naive();
    Some(Instant { micros, date })
}

/// The serialized name of an [`ActionStatus`] (as in JSON lines).
fn action_status(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Success => "SUCCESS",
        ActionStatus::Failure => "FAILURE",
        ActionStatus::Retry => "RETRY",
    }
}

/// The serialized name of an [`ActivityStatus`] (as in JSON lines).
fn activity_status(status: ActivityStatus) -> &'static str {
    match status {
        ActivityStatus::Completed => "completed",
        ActivityStatus::Failed => "failed",
        ActivityStatus::TimedOut => "timed_out",
        ActivityStatus::InternalFailure => "internal_failure",
    }
}

/// The first `returncode` of a result's entries.
fn result_code(result: &CommandResult) -> Option<i64> {
    result.results.iter().find_map(|entry| entry.returncode)
}

/// The typed common fields of an event.
#[derive(Default)]
struct Common<'a> {
    command: Option<&'a str>,
    action: Option<&'a str>,
    step: Option<&'a str>,
    status: Option<&'a str>,
    exit_code: Option<i64>,
    error: Option<&'a str>,
    request_id: Option<&'a str>,
    invocation_id: Option<&'a str>,
}

fn common(event: &Event) -> Common<'_> {
    let mut c = Common::default();
    match event {
        Event::CommandMessage {
            command,
            invocation_id,
            ..
        }
        | Event::CommandSkipped {
            command,
            invocation_id,
            ..
        } => {
            c.command = command.as_deref();
            c.invocation_id = invocation_id.as_deref();
        }
        Event::CommandReceived {
            command,
            invocation_id,
            request_id,
            ..
        } => {
            c.command = Some(command);
            c.invocation_id = invocation_id.as_deref();
            c.request_id = request_id.as_deref();
        }
        Event::CommandStart { command, .. } | Event::CommandOutput { command } => {
            c.command = command.as_deref();
        }
        Event::StagesPlanned { command, .. }
        | Event::StageStart { command, .. }
        | Event::CommandSucceeded { command, .. }
        | Event::CommandExec { command }
        | Event::CommandFinished { command }
        | Event::Xtrace { command } => c.command = Some(command),
        Event::CommandFailed {
            command,
            step,
            error,
            exit_code,
            ..
        } => {
            c.command = command.as_deref();
            c.step = step.as_deref();
            c.error = error.as_deref();
            c.exit_code = *exit_code;
        }
        Event::ActionStart { action, .. } => c.action = Some(action),
        Event::ActionOutput { action, result, .. } => {
            c.action = Some(action);
            if let Some(result) = result {
                c.status = Some(&result.status);
                c.exit_code = result_code(result);
            }
        }
        Event::ActionResult {
            action,
            status,
            exit_code,
            ..
        } => {
            c.action = Some(action);
            c.status = Some(action_status(*status));
            c.exit_code = *exit_code;
        }
        Event::CommandResult {
            result: Some(result),
            ..
        } => {
            c.status = Some(&result.status);
            c.exit_code = result_code(result);
        }
        Event::ResultSent {
            payload: Some(payload),
            ..
        } => {
            c.command = payload.command_name.as_deref();
            c.invocation_id = payload.invocation_id.as_deref();
            c.status = payload
                .status
                .as_deref()
                .or(payload.result.as_ref().map(|r| r.status.as_str()));
            c.exit_code = payload.result.as_ref().and_then(result_code);
        }
        Event::ActivityEnd { status, .. } => c.status = Some(activity_status(*status)),
        Event::ActivityError { error, .. }
        | Event::ProxyError { error, .. }
        | Event::Error { error, .. } => c.error = Some(error),
        Event::CfnCommand {
            status,
            command,
            exit_code,
            ..
        } => {
            c.command = command.as_deref();
            c.status = Some(status);
            c.exit_code = *exit_code;
        }
        Event::CfnStep { step, .. } | Event::Bootstrap { step, .. } => c.step = Some(step),
        _ => {}
    }
    c
}

/// Builds the `records` batch ([`records_schema`]) of `records`, in their order, redacting
/// records that might hold a secret when `redactor` is `Some`.
///
/// ```
/// use eblog::record::{Event, Record};
/// use eblog::redact::Redactor;
/// use eblog::sink::parquet::records_batch;
///
/// let record = Record {
///     source: "eb-engine.log".into(), line: 1, end_line: 1, offset: 0, bytes: 40,
///     format: None, ts: Some("2023-05-01T10:00:00.5Z".into()), level: Some("INFO".into()),
///     pid: None, activity: None, event: Event::Other,
///     message: "export RDS_PASSWORD=hunter2".into(), instance_id: None, environment_id: None,
/// };
/// let batch = records_batch(&[record], Some(&Redactor::new()))?;
/// assert_eq!(batch.num_rows(), 1);
/// let message = batch.column_by_name("message").unwrap();
/// let message = message.as_any().downcast_ref::<arrow_array::StringArray>().unwrap();
/// assert_eq!(message.value(0), "export RDS_PASSWORD=[REDACTED]");
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
///
/// A record's event that cannot be serialized to JSON, or a dictionary column with more
/// distinct values than its key type holds (not possible below 2^31 rows).
pub fn records_batch(records: &[Record], redactor: Option<&Redactor>) -> io::Result<RecordBatch> {
    let n = records.len();
    let mut source = StringDictionaryBuilder::<Int32Type>::with_capacity(n, 16, 1024);
    let mut line = Int64Builder::with_capacity(n);
    let mut end_line = Int64Builder::with_capacity(n);
    let mut offset = Int64Builder::with_capacity(n);
    let mut bytes = Int64Builder::with_capacity(n);
    let mut format = StringDictionaryBuilder::<Int8Type>::with_capacity(n, 16, 256);
    let mut ts = TimestampMicrosecondBuilder::with_capacity(n).with_timezone(UTC);
    let mut level = StringDictionaryBuilder::<Int32Type>::with_capacity(n, 16, 128);
    let mut pid = Int32Builder::with_capacity(n);
    let mut activity = StringBuilder::new();
    let mut kind = StringDictionaryBuilder::<Int8Type>::with_capacity(n, 64, 1024);
    let mut command = StringBuilder::new();
    let mut action = StringBuilder::new();
    let mut step = StringBuilder::new();
    let mut status = StringBuilder::new();
    let mut exit_code = Int64Builder::with_capacity(n);
    let mut error = StringBuilder::new();
    let mut request_id = StringBuilder::new();
    let mut invocation_id = StringBuilder::new();
    let mut fields = StringBuilder::with_capacity(n, n * 48);
    let mut message =
        StringBuilder::with_capacity(n, records.iter().map(|r| r.message.len()).sum());
    let mut instance_id = StringDictionaryBuilder::<Int32Type>::with_capacity(n, 16, 512);
    let mut environment_id = StringDictionaryBuilder::<Int32Type>::with_capacity(n, 16, 512);
    let mut date = StringBuilder::with_capacity(n, n * 10);

    let mut json = Vec::with_capacity(256);
    let mut day = String::with_capacity(10);
    for record in records {
        let red = redactor_for(redactor, record);

        append_dict(&mut source, Some(&clean(red, &record.source)))?;
        line.append_value(signed(record.line));
        end_line.append_value(signed(record.end_line));
        offset.append_value(signed(record.offset));
        bytes.append_value(signed(record.bytes));
        append_dict(&mut format, record.format.map(|f| f.name()))?;
        let instant = record.ts.as_deref().and_then(parse_ts);
        ts.append_option(instant.map(|i| i.micros));
        append_dict(
            &mut level,
            clean_opt(red, record.level.as_deref()).as_deref(),
        )?;
        pid.append_option(record.pid.and_then(|p| i32::try_from(p).ok()));
        activity.append_option(clean_opt(red, record.activity.as_deref()));
        append_dict(&mut kind, Some(record.kind()))?;

        let c = common(&record.event);
        command.append_option(clean_opt(red, c.command));
        action.append_option(clean_opt(red, c.action));
        step.append_option(clean_opt(red, c.step));
        status.append_option(clean_opt(red, c.status));
        exit_code.append_option(c.exit_code);
        error.append_option(clean_opt(red, c.error));
        request_id.append_option(clean_opt(red, c.request_id));
        invocation_id.append_option(clean_opt(red, c.invocation_id));

        json.clear();
        match red {
            Some(r) => {
                let mut value = serde_json::to_value(&record.event).map_err(io::Error::other)?;
                r.redact_value(&mut value);
                serde_json::to_writer(&mut json, &value).map_err(io::Error::other)?;
            }
            // sonic-rs writes the bytes serde_json writes, faster (see `sink::jsonl`).
            None => sonic_rs::to_writer(&mut json, &record.event).map_err(io::Error::other)?,
        }
        // Both write UTF-8 only; the check cannot fail but costs little.
        fields.append_value(std::str::from_utf8(&json).map_err(io::Error::other)?);

        message.append_value(clean(red, &record.message));
        append_dict(
            &mut instance_id,
            clean_opt(red, record.instance_id.as_deref()).as_deref(),
        )?;
        append_dict(
            &mut environment_id,
            clean_opt(red, record.environment_id.as_deref()).as_deref(),
        )?;

        day.clear();
        match instant {
            Some(i) if push_date(&mut day, i.date) => date.append_value(&day),
            _ => date.append_null(),
        }
    }

    let columns: Vec<ArrayRef> = vec![
        Arc::new(source.finish()),
        Arc::new(line.finish()),
        Arc::new(end_line.finish()),
        Arc::new(offset.finish()),
        Arc::new(bytes.finish()),
        Arc::new(format.finish()),
        Arc::new(ts.finish()),
        Arc::new(level.finish()),
        Arc::new(pid.finish()),
        Arc::new(activity.finish()),
        Arc::new(kind.finish()),
        Arc::new(command.finish()),
        Arc::new(action.finish()),
        Arc::new(step.finish()),
        Arc::new(status.finish()),
        Arc::new(exit_code.finish()),
        Arc::new(error.finish()),
        Arc::new(request_id.finish()),
        Arc::new(invocation_id.finish()),
        Arc::new(fields.finish()),
        Arc::new(message.finish()),
        Arc::new(instance_id.finish()),
        Arc::new(environment_id.finish()),
        Arc::new(date.finish()),
    ];
    RecordBatch::try_new(records_schema(), columns).map_err(arrow_error)
}

/// A count or offset as the signed 64-bit integer every engine reads (Spark has no
/// unsigned Parquet integers); no input reaches 2^63 bytes.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Builds the `events` batch ([`events_schema`]): one row per result event of every
/// record in `records` that holds a command result, redacting like [`records_batch`].
///
/// # Errors
///
/// A dictionary column with more distinct values than its key type holds (not possible
/// below 2^31 rows).
pub fn events_batch(records: &[Record], redactor: Option<&Redactor>) -> io::Result<RecordBatch> {
    let mut source = StringDictionaryBuilder::<Int32Type>::new();
    let mut line = Int64Builder::new();
    let mut instance_id = StringDictionaryBuilder::<Int32Type>::new();
    let mut command = StringBuilder::new();
    let mut record_kind = StringDictionaryBuilder::<Int8Type>::new();
    let mut result_status = StringBuilder::new();
    let mut returncode = Int64Builder::new();
    let mut ts = TimestampMicrosecondBuilder::new().with_timezone(UTC);
    let mut timestamp_unit = StringDictionaryBuilder::<Int8Type>::new();
    let mut severity = StringDictionaryBuilder::<Int32Type>::new();
    let mut msg = StringBuilder::new();
    let mut date = StringBuilder::new();

    let mut day = String::with_capacity(10);
    for row in crate::sink::events::event_rows(records) {
        let record = row.record;
        let red = redactor_for(redactor, record);
        append_dict(&mut source, Some(&clean(red, &record.source)))?;
        line.append_value(signed(record.line));
        append_dict(
            &mut instance_id,
            clean_opt(red, record.instance_id.as_deref()).as_deref(),
        )?;
        command.append_option(clean_opt(red, row.command).as_deref());
        append_dict(&mut record_kind, Some(record.kind()))?;
        result_status.append_value(clean(red, row.status));
        returncode.append_option(row.returncode);
        let event = row.event;
        let instant = event.timestamp_ms.and_then(instant_from_millis);
        ts.append_option(instant.map(|i| i.micros));
        let unit = event.timestamp_unit.map(|u| match u {
            TimestampUnit::Seconds => "s",
            TimestampUnit::Milliseconds => "ms",
        });
        append_dict(&mut timestamp_unit, unit)?;
        append_dict(
            &mut severity,
            clean_opt(red, event.severity.as_deref()).as_deref(),
        )?;
        msg.append_value(clean(red, &event.msg));
        day.clear();
        match instant.or_else(|| record.ts.as_deref().and_then(parse_ts)) {
            Some(i) if push_date(&mut day, i.date) => date.append_value(&day),
            _ => date.append_null(),
        }
    }

    let columns: Vec<ArrayRef> = vec![
        Arc::new(source.finish()),
        Arc::new(line.finish()),
        Arc::new(instance_id.finish()),
        Arc::new(command.finish()),
        Arc::new(record_kind.finish()),
        Arc::new(result_status.finish()),
        Arc::new(returncode.finish()),
        Arc::new(ts.finish()),
        Arc::new(timestamp_unit.finish()),
        Arc::new(severity.finish()),
        Arc::new(msg.finish()),
        Arc::new(date.finish()),
    ];
    RecordBatch::try_new(events_schema(), columns).map_err(arrow_error)
}

// ---------------------------------------------------------------------------------------
// Writing files
// ---------------------------------------------------------------------------------------

/// The writer properties of every file eblog writes: zstd level 1 (level 3 made `eblog
/// scan` about 10% slower, see BENCHMARKS.md), data and dictionary pages of at
/// most [`PAGE_BYTES`] (each open column of each open partition buffers one page before it
/// is compressed, which bounds memory), dictionary encoding
/// (off for the long free-text columns `message`, `fields` and `msg`, where it would only
/// cost time), page-level statistics truncated to 64 bytes, row groups of at most
/// [`MAX_ROW_GROUP_ROWS`] rows, Parquet format 1.0 (read by every engine), and the constant
/// [`CREATED_BY`]. Nothing in them depends on the time, the host or a random seed.
pub fn writer_properties() -> WriterProperties {
    // 1 is within zstd's 1..=22; the default (1) is only a fallback that cannot happen.
    let zstd = ZstdLevel::try_new(1).unwrap_or_default();
    let mut builder = WriterProperties::builder()
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_compression(Compression::ZSTD(zstd))
        .set_dictionary_enabled(true)
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_statistics_truncate_length(Some(64))
        .set_column_index_truncate_length(Some(64))
        .set_max_row_group_size(MAX_ROW_GROUP_ROWS)
        .set_data_page_size_limit(PAGE_BYTES)
        .set_dictionary_page_size_limit(PAGE_BYTES)
        .set_created_by(CREATED_BY.to_owned())
        .set_key_value_metadata(None);
    for free_text in ["message", "fields", "msg"] {
        builder = builder.set_column_dictionary_enabled(ColumnPath::from(free_text), false);
    }
    builder.build()
}

/// `dir/.NAME.run-N.tmp`: the temporary name of run `N` of `dir/NAME`.
fn run_path(path: &Path, run: u32) -> io::Result<PathBuf> {
    let temp = temp_path(path)?;
    let name = temp
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.trim_end_matches(".tmp");
    Ok(path.with_file_name(format!("{name}.run-{run}.tmp")))
}

/// `dir/.NAME.tmp`: the temporary name of `dir/NAME` while it is written.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| invalid_input(format!("{}: not a file path", path.display())))?;
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(".tmp");
    Ok(path.with_file_name(temp))
}

/// Finishes a writer (footer written, as `close()` does). Not synced: a dataset is made
/// durable once, when it is published ([`crate::output::sync_tree`]).
fn close_writer(mut writer: ArrowWriter<File>) -> io::Result<()> {
    writer.finish().map_err(parquet_error)?;
    Ok(())
}

/// One file a [`PartitionedWriter`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionFile {
    /// Its path: `TABLE/date=YYYY-MM-DD/part-NNNNN.parquet`.
    pub path: PathBuf,
    /// How many rows it holds.
    pub rows: u64,
}

struct Partition {
    /// The final path.
    path: PathBuf,
    /// Where the file is written until [`PartitionedWriter::finish`].
    temp: PathBuf,
    writer: ArrowWriter<File>,
    rows: u64,
    /// Sequence number of the last write, for closing the least recently used.
    used: u64,
}

/// Largest data or dictionary page: 128 KiB (with 256 KiB, `eblog scan`'s peak RSS on a
/// 1 GB fleet was about 25 MB higher; BENCHMARKS.md).
pub const PAGE_BYTES: usize = 128 * 1024;

/// Most partitions a table keeps open: each open Parquet writer holds column buffers and
/// encoder state outside the byte budget, so a fleet spanning months of dates would
/// otherwise hold hundreds. The least recently written one is closed first, as a run;
/// later rows of its date start another run, and [`PartitionedWriter::finish`] merges the
/// runs of a date, in order, into its one file. Which partitions close depends only on the
/// order of the rows, so output stays deterministic.
pub const MAX_OPEN_PARTITIONS: usize = 6;

/// Writes a Hive-partitioned table: `TABLE/date=YYYY-MM-DD/part-00000.parquet`, one file
/// per value of the batches' `date` column (`date=unknown` for null), rows in their input
/// order.
///
/// The files leave the `date` column out: query engines (DuckDB's `hive_partitioning`,
/// Spark, Athena, Trino) add it from the directory name, and a copy in the file would
/// clash with it. Every file of a table has the same schema: the input schema without
/// `date`.
///
/// Files are written as `.part-00000.parquet.tmp` and renamed by [`finish`](Self::finish);
/// a writer dropped without `finish` removes its temporary files. Memory stays near the
/// budget given to [`new`](Self::new): after each batch, while the row groups in progress
/// take more, the largest is flushed to its file. The same batches in the same order give
/// byte-identical files. Files of earlier runs in other partitions are left as they are.
///
/// ```
/// use eblog::sink::parquet::{records_batch, records_schema, PartitionedWriter};
/// # let dir = tempfile::tempdir()?;
/// # let records: Vec<eblog::record::Record> = Vec::new();
/// let mut table = PartitionedWriter::new(&dir.path().join("records"), records_schema(), 64 << 20)?;
/// table.write(&records_batch(&records, None)?)?;
/// let files = table.finish()?;
/// assert!(files.is_empty());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct PartitionedWriter {
    // Boxed: the writer is moved around and kept in enums; its state is large.
    t: Box<Table>,
}

/// The state of a [`PartitionedWriter`].
struct Table {
    table_dir: PathBuf,
    schema: SchemaRef,
    file_schema: SchemaRef,
    date_index: usize,
    keep: Vec<usize>,
    props: WriterProperties,
    budget: usize,
    file_name: String,
    base_part: u32,
    partitions: BTreeMap<String, Partition>,
    /// Runs already closed (least recently used): final path, temporary name, rows.
    closed: Vec<(PathBuf, PathBuf, u64)>,
    /// How many runs each date has had, to name the next one.
    runs: BTreeMap<String, u32>,
    writes: u64,
}

impl fmt::Debug for PartitionedWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartitionedWriter")
            .field("table_dir", &self.t.table_dir)
            .field("file_name", &self.t.file_name)
            .field("budget", &self.t.budget)
            .field("partitions", &self.t.partitions.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl PartitionedWriter {
    /// A writer of the table in `table_dir` (created if missing) for batches of `schema`,
    /// which must have a nullable or non-null Utf8 `date` column, with [`writer_properties`]
    /// and about `memory_budget_bytes` of row groups in progress over all partitions.
    ///
    /// # Errors
    ///
    /// `schema` has no Utf8 `date` column, or `table_dir` cannot be created.
    pub fn new(
        table_dir: &Path,
        schema: SchemaRef,
        memory_budget_bytes: usize,
    ) -> io::Result<Self> {
        let (date_index, field) = schema
            .column_with_name(DATE_COLUMN)
            .ok_or_else(|| invalid_input(format!("the schema has no {DATE_COLUMN:?} column")))?;
        if field.data_type() != &DataType::Utf8 {
            return Err(invalid_input(format!(
                "the {DATE_COLUMN:?} column is {}, not Utf8",
                field.data_type()
            )));
        }
        let keep: Vec<usize> = (0..schema.fields().len())
            .filter(|&i| i != date_index)
            .collect();
        let file_schema = Arc::new(schema.project(&keep).map_err(arrow_error)?);
        fs::create_dir_all(table_dir)?;
        Ok(Self {
            t: Box::new(Table {
                table_dir: table_dir.to_path_buf(),
                schema,
                file_schema,
                date_index,
                keep,
                props: writer_properties(),
                budget: memory_budget_bytes,
                file_name: part_name(0),
                base_part: 0,
                partitions: BTreeMap::new(),
                closed: Vec::new(),
                runs: BTreeMap::new(),
                writes: 0,
            }),
        })
    }

    /// Uses `props` instead of [`writer_properties`] for the files opened from now on.
    pub fn with_properties(mut self, props: WriterProperties) -> Self {
        self.t.props = props;
        self
    }

    /// Names the files `part-NNNNN.parquet` with `part` instead of 0, so that shards of one
    /// table written apart (one per machine) can be copied into one directory.
    pub fn with_part_number(mut self, part: u32) -> Self {
        self.t.file_name = part_name(part);
        self.t.base_part = part;
        self
    }

    /// The schema of the files: the input schema without `date`.
    pub fn file_schema(&self) -> &SchemaRef {
        &self.t.file_schema
    }

    /// Routes the rows of `batch` to their partitions' files, in order.
    ///
    /// # Errors
    ///
    /// `batch` does not have the writer's schema, a `date` is neither null nor
    /// `YYYY-MM-DD`, or a file cannot be created or written.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        self.t.write(batch)
    }

    /// Closes every file and renames it into place; returns the files, sorted by path.
    ///
    /// # Errors
    ///
    /// A file cannot be completed or renamed. When completing fails, no file is renamed;
    /// either way the temporary files left are removed.
    pub fn finish(mut self) -> io::Result<Vec<PartitionFile>> {
        let partitions = std::mem::take(&mut self.t.partitions);
        let mut first_error = None;
        let mut closed = std::mem::take(&mut self.t.closed);
        for (_, p) in partitions {
            if let Err(e) = close_writer(p.writer) {
                first_error.get_or_insert(e);
            }
            closed.push((p.path, p.temp, p.rows));
        }
        if let Some(e) = first_error {
            for (_, temp, _) in &closed {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
        // The runs of each file, in the order they were written.
        let mut by_path: BTreeMap<PathBuf, Vec<(PathBuf, u64)>> = BTreeMap::new();
        for (path, temp, rows) in closed {
            by_path.entry(path).or_default().push((temp, rows));
        }
        let mut files = Vec::with_capacity(by_path.len());
        let mut pending: Vec<(PathBuf, Vec<(PathBuf, u64)>)> = by_path.into_iter().collect();
        while let Some((path, runs)) = pending.pop() {
            let done = self.t.complete(&path, &runs);
            if let Err(e) = done {
                for (_, runs) in pending.iter().chain(std::iter::once(&(path, runs))) {
                    for (temp, _) in runs {
                        let _ = fs::remove_file(temp);
                    }
                }
                return Err(e);
            }
            files.push(PartitionFile {
                path,
                rows: runs.iter().map(|(_, rows)| rows).sum(),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

impl Table {
    /// Puts the file at `path` in place from its runs: the one run renamed, or the runs
    /// merged in order into one file (then removed).
    fn complete(&self, path: &Path, runs: &[(PathBuf, u64)]) -> io::Result<()> {
        if let [(temp, _)] = runs {
            fs::rename(temp, path)?;
        } else {
            let merged = temp_path(path)?;
            let result = self
                .merge(&merged, runs)
                .and_then(|()| fs::rename(&merged, path));
            if result.is_err() {
                let _ = fs::remove_file(&merged);
            }
            result?;
            for (temp, _) in runs {
                fs::remove_file(temp)?;
            }
        }
        Ok(())
    }

    /// Writes the rows of `runs`, in order, into one file at `into`, a row group at a
    /// time (memory: one run's row group read, the budget's worth written).
    fn merge(&self, into: &Path, runs: &[(PathBuf, u64)]) -> io::Result<()> {
        use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let file = File::create(into)?;
        let mut writer =
            ArrowWriter::try_new(file, self.file_schema.clone(), Some(self.props.clone()))
                .map_err(parquet_error)?;
        for (temp, _) in runs {
            let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(temp)?)
                .map_err(parquet_error)?
                .with_batch_size(8192)
                .build()
                .map_err(parquet_error)?;
            for batch in reader {
                let batch = batch.map_err(arrow_error)?;
                writer.write(&batch).map_err(parquet_error)?;
                if writer.in_progress_size() > self.budget.max(PAGE_BYTES) {
                    writer.flush().map_err(parquet_error)?;
                }
            }
        }
        close_writer(writer)
    }

    fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        if batch.schema().fields() != self.schema.fields() {
            return Err(invalid_input(
                "the batch's schema is not the writer's schema".to_owned(),
            ));
        }
        let dates = batch
            .column(self.date_index)
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| invalid_input(format!("the {DATE_COLUMN:?} column is not Utf8")))?;
        let data = batch.project(&self.keep).map_err(arrow_error)?;
        let date_at = |row: usize| dates.is_valid(row).then(|| dates.value(row));

        // The runs of equal dates, grouped by date in order of first appearance.
        let rows = batch.num_rows();
        let mut groups: Vec<(Option<&str>, Vec<Run>)> = Vec::new();
        let mut start = 0;
        while start < rows {
            let date = date_at(start);
            let mut end = start + 1;
            while end < rows && date_at(end) == date {
                end += 1;
            }
            match groups.iter_mut().find(|(d, _)| *d == date) {
                Some((_, runs)) => runs.push((start, end)),
                None => groups.push((date, vec![(start, end)])),
            }
            start = end;
        }

        for (date, runs) in groups {
            // A date in one run (the usual case: a file's records are in time order) is
            // written as a zero-copy slice; a date in many runs is gathered into one
            // batch, unless a column type cannot be gathered.
            let gathered = match runs.as_slice() {
                [_] => None,
                _ => gather_batch(&data, &runs)?,
            };
            self.writes += 1;
            let used = self.writes;
            let partition = self.partition(date)?;
            partition.used = used;
            match gathered {
                Some(batch) => {
                    partition.writer.write(&batch).map_err(parquet_error)?;
                    partition.rows += batch.num_rows() as u64;
                }
                None => {
                    for (start, end) in runs {
                        partition
                            .writer
                            .write(&data.slice(start, end - start))
                            .map_err(parquet_error)?;
                        partition.rows += (end - start) as u64;
                    }
                }
            }
        }
        self.enforce_budget()
    }

    fn partition(&mut self, date: Option<&str>) -> io::Result<&mut Partition> {
        let key = date.unwrap_or(UNKNOWN_DATE);
        if !self.partitions.contains_key(key) {
            if let Some(date) = date {
                if !is_date(date) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{DATE_COLUMN} {date:?} is not YYYY-MM-DD"),
                    ));
                }
            }
            if self.partitions.len() >= MAX_OPEN_PARTITIONS {
                self.close_least_recent()?;
            }
            let dir = self.table_dir.join(format!("{DATE_COLUMN}={key}"));
            fs::create_dir_all(&dir)?;
            let path = dir.join(&self.file_name);
            let run = self.runs.entry(key.to_owned()).or_insert(0);
            let temp = run_path(&path, *run)?;
            *run += 1;
            let file = File::create(&temp)?;
            let writer =
                ArrowWriter::try_new(file, self.file_schema.clone(), Some(self.props.clone()))
                    .map_err(parquet_error)?;
            self.partitions.insert(
                key.to_owned(),
                Partition {
                    path,
                    temp,
                    writer,
                    rows: 0,
                    used: 0,
                },
            );
        }
        self.partitions
            .get_mut(key)
            .ok_or_else(|| io::Error::other("partition vanished"))
    }

    /// Flushes the largest row group in progress while all of them take more than the
    /// budget.
    /// Closes the partition written least recently (ties: the first in date order).
    fn close_least_recent(&mut self) -> io::Result<()> {
        let Some(key) = self
            .partitions
            .iter()
            .min_by_key(|(_, p)| p.used)
            .map(|(k, _)| k.clone())
        else {
            return Ok(());
        };
        if let Some(p) = self.partitions.remove(&key) {
            close_writer(p.writer)?;
            self.closed.push((p.path, p.temp, p.rows));
        }
        Ok(())
    }

    fn enforce_budget(&mut self) -> io::Result<()> {
        loop {
            let total: usize = self
                .partitions
                .values()
                .map(|p| p.writer.in_progress_size())
                .sum();
            if total <= self.budget {
                return Ok(());
            }
            // Ties go to the last partition in date order: deterministic.
            let Some(largest) = self
                .partitions
                .values_mut()
                .max_by_key(|p| p.writer.in_progress_size())
            else {
                return Ok(());
            };
            if largest.writer.in_progress_size() == 0 {
                return Ok(());
            }
            largest.writer.flush().map_err(parquet_error)?;
        }
    }
}

impl Drop for PartitionedWriter {
    /// Removes the temporary files of a writer that was not finished.
    fn drop(&mut self) {
        for (_, p) in std::mem::take(&mut self.t.partitions) {
            drop(p.writer);
            let _ = fs::remove_file(&p.temp);
        }
        for (_, temp, _) in std::mem::take(&mut self.t.closed) {
            let _ = fs::remove_file(&temp);
        }
    }
}

/// A run of rows of a batch with the same date: `(start, end)`, end exclusive.
type Run = (usize, usize);

/// The rows of `runs` (`start..end` ranges, in order) of `batch` as one batch; `None` when
/// a column has a type [`gather`] does not handle.
fn gather_batch(batch: &RecordBatch, runs: &[Run]) -> io::Result<Option<RecordBatch>> {
    let rows: Vec<usize> = runs.iter().flat_map(|&(start, end)| start..end).collect();
    let mut columns = Vec::with_capacity(batch.num_columns());
    for column in batch.columns() {
        match gather(column, &rows) {
            Some(c) => columns.push(c),
            None => return Ok(None),
        }
    }
    RecordBatch::try_new(batch.schema(), columns)
        .map(Some)
        .map_err(arrow_error)
}

/// `array[rows]` for the types the eblog tables use (Utf8, integers, timestamps, string
/// dictionaries, which keep their values array); `None` for other types. (arrow's `take`
/// lives in `arrow-select`, which eblog does not depend on.)
fn gather(array: &ArrayRef, rows: &[usize]) -> Option<ArrayRef> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int16Type, Int64Type, TimestampMicrosecondType};
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            let out: StringArray = rows
                .iter()
                .map(|&i| a.is_valid(i).then(|| a.value(i)))
                .collect();
            Some(Arc::new(out))
        }
        DataType::Int64 => Some(gather_primitive::<Int64Type>(array, rows)),
        DataType::Int32 => Some(gather_primitive::<Int32Type>(array, rows)),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Some(gather_primitive::<TimestampMicrosecondType>(array, rows))
        }
        DataType::Dictionary(key, value) if **value == DataType::Utf8 => match **key {
            DataType::Int8 => gather_dictionary::<Int8Type>(array, rows),
            DataType::Int16 => gather_dictionary::<Int16Type>(array, rows),
            DataType::Int32 => gather_dictionary::<Int32Type>(array, rows),
            _ => None,
        },
        _ => None,
    }
}

fn gather_primitive<T: arrow_array::types::ArrowPrimitiveType>(
    array: &ArrayRef,
    rows: &[usize],
) -> ArrayRef {
    use arrow_array::cast::AsArray;
    let a = array.as_primitive::<T>();
    let out: arrow_array::PrimitiveArray<T> = rows
        .iter()
        .map(|&i| a.is_valid(i).then(|| a.value(i)))
        .collect();
    // Keeps the time zone of timestamps.
    Arc::new(out.with_data_type(array.data_type().clone()))
}

fn gather_dictionary<K: arrow_array::types::ArrowDictionaryKeyType>(
    array: &ArrayRef,
    rows: &[usize],
) -> Option<ArrayRef> {
    use arrow_array::cast::AsArray;
    let d = array.as_dictionary::<K>();
    let keys = d.keys();
    let out: arrow_array::PrimitiveArray<K> = rows
        .iter()
        .map(|&i| keys.is_valid(i).then(|| keys.value(i)))
        .collect();
    let out = arrow_array::DictionaryArray::try_new(out, d.values().clone()).ok()?;
    Some(Arc::new(out))
}

fn part_name(part: u32) -> String {
    format!("part-{part:05}.parquet")
}

/// Whether `s` is `YYYY-MM-DD` (digits and dashes; a safe directory name).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Writes one flat Parquet file (`eblog parse --to parquet -o FILE`), all columns kept,
/// through [`crate::output::OutputFile`]: under a temporary name beside a regular file
/// until [`finish`](Self::finish) renames it, in place on a device or FIFO. A writer
/// dropped without `finish` removes its temporary file.
pub struct FileWriter {
    output: Option<crate::output::OutputFile>,
    writer: Option<ArrowWriter<File>>,
    rows: u64,
}

impl fmt::Debug for FileWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileWriter")
            .field("output", &self.output)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl FileWriter {
    /// A writer of `path` for batches of `schema`, with [`writer_properties`].
    ///
    /// # Errors
    ///
    /// `path` names a directory, or its file cannot be created.
    pub fn new(path: &Path, schema: SchemaRef) -> io::Result<Self> {
        Self::with_properties(path, schema, writer_properties())
    }

    /// A writer of `path` for batches of `schema`, with `props`.
    ///
    /// # Errors
    ///
    /// `path` names a directory, or its file cannot be created.
    pub fn with_properties(
        path: &Path,
        schema: SchemaRef,
        props: WriterProperties,
    ) -> io::Result<Self> {
        let output = crate::output::OutputFile::create(path)?;
        let file = output.try_clone_file()?;
        // On failure `output` is dropped here, which removes its temporary file.
        let writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(parquet_error)?;
        Ok(Self {
            output: Some(output),
            writer: Some(writer),
            rows: 0,
        })
    }

    /// Appends the rows of `batch`.
    ///
    /// # Errors
    ///
    /// `batch` does not have the writer's schema, or the file cannot be written.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the writer is finished"))?;
        writer.write(batch).map_err(parquet_error)?;
        self.rows += batch.num_rows() as u64;
        Ok(())
    }

    /// Closes the file and puts it in place; returns how many rows it holds.
    ///
    /// # Errors
    ///
    /// The file cannot be completed or renamed (the temporary file is then removed).
    pub fn finish(mut self) -> io::Result<u64> {
        let (Some(mut writer), Some(output)) = (self.writer.take(), self.output.take()) else {
            return Err(io::Error::other("the writer is finished"));
        };
        writer.finish().map_err(parquet_error)?;
        drop(writer);
        output.commit()?;
        Ok(self.rows)
    }
}

impl Drop for FileWriter {
    /// Closes a writer that was not finished; its [`crate::output::OutputFile`] removes
    /// the temporary file.
    fn drop(&mut self) {
        drop(self.writer.take());
        drop(self.output.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use arrow_array::cast::AsArray;
    use arrow_array::types::TimestampMicrosecondType;
    use arrow_array::{DictionaryArray, Int64Array, TimestampMicrosecondArray};
    use eblog_grammars::result_json::{ResultEntry, ResultEvent, SentMessage};
    use serde_json::{json, Value};

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
                "records/date=unknown/part-00000.parquet".to_owned(),
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
            &dict(DataType::Int8)
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
}
