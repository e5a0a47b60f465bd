//! Building the Arrow batches of the `records` and `events` tables from records.

use super::schema::UTC;
use super::*;
use crate::record::Record;
use crate::redact::Redactor;
use crate::sink::columns::{common, Cell, ColumnType, Row, HTTP_COLUMNS, RECORD_COLUMNS};
use arrow_array::builder::{
    Float64Builder, Int32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use chrono::{DateTime, Datelike, NaiveDate};
use eblog_grammars::result_json::TimestampUnit;
use std::borrow::Cow;
use std::io;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// Building batches
// ---------------------------------------------------------------------------------------

/// The redactor to use for one record: `Some` only when redaction is on and the record's
/// message or activity might hold a secret.
pub(super) fn redactor_for<'r>(
    redactor: Option<&'r Redactor>,
    record: &Record,
) -> Option<&'r Redactor> {
    redactor.filter(|r| {
        r.might_contain_secret(&record.message)
            || record
                .activity
                .as_deref()
                .is_some_and(|a| r.might_contain_secret(a))
    })
}

pub(super) fn clean<'a>(redactor: Option<&Redactor>, text: &'a str) -> Cow<'a, str> {
    match redactor {
        Some(r) => r.redact_text(text),
        None => Cow::Borrowed(text),
    }
}

pub(super) fn clean_opt<'a>(
    redactor: Option<&Redactor>,
    text: Option<&'a str>,
) -> Option<Cow<'a, str>> {
    text.map(|t| clean(redactor, t))
}

/// Appends `YYYY-MM-DD` of `date` to `out`; `false` (nothing appended) for years outside
/// 0..=9999, which have no four-digit form.
pub(super) fn push_date(out: &mut String, date: NaiveDate) -> bool {
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
pub(super) struct Instant {
    micros: i64,
    date: NaiveDate,
}

pub(super) fn parse_ts(ts: &str) -> Option<Instant> {
    let parsed = DateTime::parse_from_rfc3339(ts).ok()?;
    Some(Instant {
        micros: parsed.timestamp_micros(),
        date: parsed.naive_utc().date(),
    })
}

pub(super) fn instant_from_millis(ms: i64) -> Option<Instant> {
    let micros = ms.checked_mul(1000)?;
    let date = DateTime::from_timestamp_micros(micros)?.date_naive();
    Some(Instant { micros, date })
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
    let mut builders: Vec<Builder> = RECORD_COLUMNS
        .iter()
        .map(|c| Builder::new(c.ty, n))
        .collect();
    let mut json = Vec::with_capacity(256);
    let mut day = String::with_capacity(10);
    let mut hosts = HostCache::default();
    for record in records {
        let red = redactor_for(redactor, record);
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
        let fields = std::str::from_utf8(&json).map_err(io::Error::other)?;
        let instant = record.ts.as_deref().and_then(parse_ts);
        day.clear();
        let date = match instant {
            Some(i) if push_date(&mut day, i.date) => Some(day.as_str()),
            _ => None,
        };
        let row = Row {
            record,
            common: common(&record.event),
            fields,
            micros: instant.map(|i| i.micros),
            date,
            host: hosts.of(&record.source),
        };
        for (column, builder) in RECORD_COLUMNS.iter().zip(&mut builders) {
            builder.append((column.read)(&row), red, column.name)?;
        }
    }
    let columns: Vec<ArrayRef> = builders.iter_mut().map(Builder::finish).collect();
    RecordBatch::try_new(records_schema(), columns).map_err(arrow_error)
}

/// Builds the `http_requests` batch ([`http_requests_schema`]): one row per `http_request`
/// record of `records`, in their order, redacting like [`records_batch`].
///
/// # Errors
/// A column reader that gives a cell of another type than its column's (a bug).
pub fn http_requests_batch(
    records: &[Record],
    redactor: Option<&Redactor>,
) -> io::Result<RecordBatch> {
    let requests = records
        .iter()
        .filter(|r| matches!(r.event, crate::record::Event::HttpRequest { .. }));
    let mut builders: Vec<Builder> = HTTP_COLUMNS.iter().map(|c| Builder::new(c.ty, 0)).collect();
    let mut day = String::with_capacity(10);
    let mut hosts = HostCache::default();
    for record in requests {
        let red = redactor_for(redactor, record);
        let instant = record.ts.as_deref().and_then(parse_ts);
        day.clear();
        let date = match instant {
            Some(i) if push_date(&mut day, i.date) => Some(day.as_str()),
            _ => None,
        };
        let row = Row {
            record,
            common: Default::default(),
            fields: "",
            micros: instant.map(|i| i.micros),
            date,
            host: hosts.of(&record.source),
        };
        for (column, builder) in HTTP_COLUMNS.iter().zip(&mut builders) {
            builder.append((column.read)(&row), red, column.name)?;
        }
    }
    let columns: Vec<ArrayRef> = builders.iter_mut().map(Builder::finish).collect();
    RecordBatch::try_new(http_requests_schema(), columns).map_err(arrow_error)
}

/// The host of a record's source ([`crate::correlate::host_of`]), worked out once per run
/// of records from one source.
#[derive(Default)]
pub(crate) struct HostCache {
    source: String,
    host: String,
}

impl HostCache {
    /// The host of `source`.
    pub(crate) fn of(&mut self, source: &str) -> &str {
        if self.source != source || self.host.is_empty() {
            self.source.clear();
            self.source.push_str(source);
            self.host = crate::correlate::host_of(source);
        }
        &self.host
    }
}

/// The Arrow builder of one column of [`RECORD_COLUMNS`].
enum Builder {
    Text(StringBuilder),
    Int64(Int64Builder),
    Int32(Int32Builder),
    Float64(Float64Builder),
    Timestamp(TimestampMicrosecondBuilder),
}

impl Builder {
    fn new(ty: ColumnType, rows: usize) -> Self {
        match ty {
            ColumnType::Text | ColumnType::Date => {
                Builder::Text(StringBuilder::with_capacity(rows, rows * 16))
            }
            ColumnType::Int64 => Builder::Int64(Int64Builder::with_capacity(rows)),
            ColumnType::Int32 => Builder::Int32(Int32Builder::with_capacity(rows)),
            ColumnType::Float64 => Builder::Float64(Float64Builder::with_capacity(rows)),
            ColumnType::Timestamp => Builder::Timestamp(
                TimestampMicrosecondBuilder::with_capacity(rows).with_timezone(UTC),
            ),
        }
    }

    /// Appends `cell`, redacting [`Cell::Text`] with `red`.
    fn append(&mut self, cell: Cell<'_>, red: Option<&Redactor>, name: &str) -> io::Result<()> {
        match (self, cell) {
            (Builder::Text(b), Cell::Text(v)) => b.append_option(clean_opt(red, v)),
            (Builder::Text(b), Cell::Plain(v) | Cell::Date(v)) => b.append_option(v),
            (Builder::Int64(b), Cell::Int(v)) => b.append_option(v),
            (Builder::Int32(b), Cell::Int(v)) => {
                b.append_option(v.and_then(|v| i32::try_from(v).ok()));
            }
            (Builder::Float64(b), Cell::Float(v)) => b.append_option(v),
            (Builder::Timestamp(b), Cell::Time(_, micros)) => b.append_option(micros),
            _ => {
                return Err(io::Error::other(format!(
                    "column {name}: a cell of another type"
                )))
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Int64(b) => Arc::new(b.finish()),
            Builder::Int32(b) => Arc::new(b.finish()),
            Builder::Float64(b) => Arc::new(b.finish()),
            Builder::Timestamp(b) => Arc::new(b.finish()),
        }
    }
}

/// A count or offset as the signed 64-bit integer every engine reads (Spark has no
/// unsigned Parquet integers); no input reaches 2^63 bytes.
pub(super) fn signed(n: u64) -> i64 {
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
    let mut source = StringBuilder::new();
    let mut host = StringBuilder::new();
    let mut hosts = HostCache::default();
    let mut line = Int64Builder::new();
    let mut instance_id = StringBuilder::new();
    let mut command = StringBuilder::new();
    let mut record_kind = StringBuilder::new();
    let mut result_status = StringBuilder::new();
    let mut returncode = Int64Builder::new();
    let mut ts = TimestampMicrosecondBuilder::new().with_timezone(UTC);
    let mut timestamp_unit = StringBuilder::new();
    let mut severity = StringBuilder::new();
    let mut msg = StringBuilder::new();
    let mut date = StringBuilder::new();

    let mut day = String::with_capacity(10);
    for row in crate::sink::events::event_rows(records) {
        let record = row.record;
        let red = redactor_for(redactor, record);
        source.append_value(clean(red, &record.source));
        host.append_value(clean(red, hosts.of(&record.source)));
        line.append_value(signed(record.line));
        instance_id.append_option(clean_opt(red, record.instance_id.as_deref()));
        command.append_option(clean_opt(red, row.command).as_deref());
        record_kind.append_value(record.kind());
        result_status.append_value(clean(red, row.status));
        returncode.append_option(row.returncode);
        let event = row.event;
        let instant = event.timestamp_ms.and_then(instant_from_millis);
        ts.append_option(instant.map(|i| i.micros));
        let unit = event.timestamp_unit.map(|u| match u {
            TimestampUnit::Seconds => "s",
            TimestampUnit::Milliseconds => "ms",
        });
        timestamp_unit.append_option(unit);
        severity.append_option(clean_opt(red, event.severity.as_deref()));
        msg.append_value(clean(red, &event.msg));
        day.clear();
        match instant.or_else(|| record.ts.as_deref().and_then(parse_ts)) {
            Some(i) if push_date(&mut day, i.date) => date.append_value(&day),
            _ => date.append_null(),
        }
    }

    let columns: Vec<ArrayRef> = vec![
        Arc::new(source.finish()),
        Arc::new(host.finish()),
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
