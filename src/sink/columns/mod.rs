//! The one column table of the `records` table: every column's name, Arrow type,
//! nullability, documentation and how it is read from a record, described once.
//!
//! The Parquet schema ([`super::parquet::records_schema`]), the Arrow builders
//! ([`super::parquet::records_batch`]), the CSV header and rows ([`super::csv`]) and the
//! README's column table ([`markdown_table`], kept in step by a test) all come from
//! [`RECORD_COLUMNS`]. Adding a column is one entry here plus its documentation.
//!
//! The *envelope* columns are the fields of [`Record`] itself: they are the JSON-lines keys
//! outside the kind's own fields, and the CSV columns. The other columns are typed copies
//! of kind fields (`command` ... `invocation_id`), the lossless `fields` JSON, and the
//! `date` partition.

use crate::record::{ActionStatus, ActivityStatus, Event, Record};
use arrow_schema::{DataType, TimeUnit};
use eblog_grammars::result_json::CommandResult;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text (Arrow `Utf8`, Parquet `BYTE_ARRAY` / `STRING`).
    Text,
    /// A signed 64-bit integer (`INT64`).
    Int64,
    /// A signed 32-bit integer (`INT32`).
    Int32,
    /// Microseconds since the epoch, UTC (`TIMESTAMP(MICROS, UTC)`).
    Timestamp,
    /// A 64-bit float (`DOUBLE`).
    Float64,
    /// A calendar date: the Hive partition key, read by engines as `DATE`.
    Date,
}

impl ColumnType {
    /// The Arrow type.
    pub fn data_type(self) -> DataType {
        match self {
            ColumnType::Text => DataType::Utf8,
            ColumnType::Int64 => DataType::Int64,
            ColumnType::Int32 => DataType::Int32,
            ColumnType::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            ColumnType::Float64 => DataType::Float64,
            // The partition key: `YYYY-MM-DD` text in batches; engines read it from the
            // directory name (`date=2023-05-01`) as a DATE.
            ColumnType::Date => DataType::Utf8,
        }
    }

    /// The name the README gives the type (DuckDB's SQL names).
    pub fn sql_name(self) -> &'static str {
        match self {
            ColumnType::Text => "VARCHAR",
            ColumnType::Int64 => "BIGINT",
            ColumnType::Int32 => "INTEGER",
            ColumnType::Timestamp => "TIMESTAMP WITH TIME ZONE",
            ColumnType::Float64 => "DOUBLE",
            ColumnType::Date => "DATE",
        }
    }
}

/// What a column holds for one record, before redaction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Text a secret may hide in: redacted when redaction is on.
    Text(Option<&'a str>),
    /// Text eblog made (a kind, a format name, redacted JSON): written as it is.
    Plain(Option<&'a str>),
    /// An integer.
    Int(Option<i64>),
    /// A float.
    Float(Option<f64>),
    /// A time stamp: the text the record holds (for CSV and JSON lines) and its
    /// microseconds since the epoch (for Parquet; `None` when absent or unparsable).
    Time(Option<&'a str>, Option<i64>),
    /// A date, `YYYY-MM-DD`.
    Date(Option<&'a str>),
}

impl Cell<'_> {
    /// Whether the cell is null.
    pub fn is_null(&self) -> bool {
        match self {
            Cell::Text(v) | Cell::Plain(v) => v.is_none(),
            Cell::Int(v) => v.is_none(),
            Cell::Float(v) => v.is_none(),
            Cell::Time(text, _) => text.is_none(),
            Cell::Date(v) => v.is_none(),
        }
    }
}

/// One record as the columns read it: the record, its typed kind fields, its `fields`
/// JSON (already redacted) and its parsed time stamp.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The record.
    pub record: &'a Record,
    /// The typed kind fields.
    pub common: Common<'a>,
    /// The JSON text of the event (`fields`).
    pub fields: &'a str,
    /// `ts` in microseconds since the epoch.
    pub micros: Option<i64>,
    /// The UTC date of `ts`, `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    /// The host the record's file came from ([`crate::correlate::host_of`]).
    pub host: &'a str,
}

impl<'a> Row<'a> {
    /// The row of `record` for the envelope columns only (CSV): no `fields` JSON, no
    /// typed kind fields.
    pub fn envelope(record: &'a Record) -> Self {
        Row {
            record,
            common: Common::default(),
            fields: "",
            micros: None,
            date: None,
            host: "",
        }
    }
}

/// One column of the `records` table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The column name (also the JSON-lines key of an envelope column).
    pub name: &'static str,
    /// Its type.
    pub ty: ColumnType,
    /// Whether it may be null.
    pub nullable: bool,
    /// A field of the record itself: a JSON-lines key and a CSV column.
    pub envelope: bool,
    /// What it holds (the README's table).
    pub doc: &'static str,
    /// How it is read from a row.
    pub read: for<'a> fn(&Row<'a>) -> Cell<'a>,
}

const fn column(
    name: &'static str,
    ty: ColumnType,
    nullable: bool,
    envelope: bool,
    doc: &'static str,
    read: for<'a> fn(&Row<'a>) -> Cell<'a>,
) -> Column {
    Column {
        name,
        ty,
        nullable,
        envelope,
        doc,
        read,
    }
}

use ColumnType::{Date, Float64, Int32, Int64, Text, Timestamp};

/// A count or offset as the signed 64-bit integer every engine reads (Spark has no
/// unsigned Parquet integers); no input reaches 2^63 bytes.
fn signed(n: u64) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The name of the `date` partition column.
pub const DATE: &str = "date";

/// Every column of the `records` table, in order (the last, `date`, is the Hive
/// partition and is not stored inside the files).
pub const RECORD_COLUMNS: &[Column] = &[
    column(
        "source",
        Text,
        false,
        true,
        "the file (or archive member) the record came from",
        |r| Cell::Text(Some(&r.record.source)),
    ),
    column(
        "line",
        Int64,
        false,
        true,
        "the line the record starts on (1-based)",
        |r| Cell::Int(signed(r.record.line)),
    ),
    column("end_line", Int64, false, true, "the line it ends on", |r| {
        Cell::Int(signed(r.record.end_line))
    }),
    column(
        "offset",
        Int64,
        false,
        true,
        "byte offset of its start in the file",
        |r| Cell::Int(signed(r.record.offset)),
    ),
    column("bytes", Int64, false, true, "its length in bytes", |r| {
        Cell::Int(signed(r.record.bytes))
    }),
    column(
        "format",
        Text,
        true,
        true,
        "the log format (`eblog formats`)",
        |r| Cell::Plain(r.record.format.map(|f| f.name())),
    ),
    column(
        "ts",
        Timestamp,
        true,
        true,
        "its time stamp, UTC, µs (null when the line has none)",
        |r| Cell::Time(r.record.ts.as_deref(), r.micros),
    ),
    column(
        "level",
        Text,
        true,
        true,
        "the level as written (`INFO`, `WARN`, ...)",
        |r| Cell::Text(r.record.level.as_deref()),
    ),
    column(
        "pid",
        Int32,
        true,
        true,
        "the process id the line names",
        |r| Cell::Int(r.record.pid.map(i64::from)),
    ),
    column(
        "activity",
        Text,
        true,
        true,
        "the legacy activity path (`eb-activity.log`)",
        |r| Cell::Text(r.record.activity.as_deref()),
    ),
    column(
        "kind",
        Text,
        false,
        true,
        "what the record is (the kinds table above)",
        |r| Cell::Plain(Some(r.record.kind())),
    ),
    column(
        "command",
        Text,
        true,
        false,
        "the command the event names; `result_sent`: the payload's `CommandName`",
        |r| Cell::Text(r.common.command),
    ),
    column(
        "action",
        Text,
        true,
        false,
        "the cfn-hup action (`action_start`, `action_output`, `action_result`)",
        |r| Cell::Text(r.common.action),
    ),
    column(
        "step",
        Text,
        true,
        false,
        "the step (`command_failed`, `cfn_step`, `bootstrap`)",
        |r| Cell::Text(r.common.step),
    ),
    column(
        "status",
        Text,
        true,
        false,
        "`action_result`, `activity_end`, `cfn_command`, a result JSON's or `result_sent`'s status",
        |r| Cell::Text(r.common.status),
    ),
    column(
        "exit_code",
        Int64,
        true,
        false,
        "`exit_code`, or a result JSON's first `returncode`",
        |r| Cell::Int(r.common.exit_code),
    ),
    column("error", Text, true, false, "the event's `error`", |r| {
        Cell::Text(r.common.error)
    }),
    column(
        "request_id",
        Text,
        true,
        false,
        "`command_received`'s `request_id`",
        |r| Cell::Text(r.common.request_id),
    ),
    column(
        "invocation_id",
        Text,
        true,
        false,
        "the event's `invocation_id`; `result_sent`: the payload's `InvocationId`",
        |r| Cell::Text(r.common.invocation_id),
    ),
    column(
        "fields",
        Text,
        false,
        false,
        "the JSON of the event: `kind` and every kind field, as in JSON lines",
        |r| Cell::Plain(Some(r.fields)),
    ),
    column("message", Text, false, true, "the record's text", |r| {
        Cell::Text(Some(&r.record.message))
    }),
    column(
        "instance_id",
        Text,
        true,
        true,
        "the EC2 instance (`i-...`)",
        |r| Cell::Text(r.record.instance_id.as_deref()),
    ),
    column(
        "environment_id",
        Text,
        true,
        true,
        "the Elastic Beanstalk environment (`e-...`)",
        |r| Cell::Text(r.record.environment_id.as_deref()),
    ),
    column(
        "severity",
        Text,
        true,
        false,
        "`level` on one scale (`trace`, `debug`, `info`, `warn`, `error`, `fatal`: `WARNING` and `warn` are `warn`, `FATAL`, `crit` and Ruby's `ANY` are `fatal`); for records without a level, what the record says (an HTTP status: 5xx `error`, 4xx `warn`)",
        |r| Cell::Plain(crate::record::Severity::of(r.record).map(crate::record::Severity::name)),
    ),
    column(
        "host",
        Text,
        false,
        false,
        "the instance directory, bundle or download the file came from (as in `commands`)",
        |r| Cell::Text(Some(r.host)),
    ),
    column(
        DATE,
        Date,
        true,
        false,
        "the UTC date of `ts`: the Hive partition (`__HIVE_DEFAULT_PARTITION__`, read as null, without `ts`)",
        |r| Cell::Date(r.date),
    ),
];

/// The fields of a record's `http_request` event, `None` for other records.
struct Http<'a> {
    client: Option<&'a str>,
    method: Option<&'a str>,
    path: Option<&'a str>,
    status: Option<u16>,
    bytes: Option<u64>,
    request_time_ms: Option<f64>,
    upstream_time_ms: Option<f64>,
    user_agent: Option<&'a str>,
    forwarded_for: Option<&'a str>,
}

fn http<'a>(row: &Row<'a>) -> Option<Http<'a>> {
    match &row.record.event {
        Event::HttpRequest {
            client,
            method,
            path,
            status,
            body_bytes,
            request_time_ms,
            upstream_time_ms,
            user_agent,
            forwarded_for,
            ..
        } => Some(Http {
            client: client.as_deref(),
            method: method.as_deref(),
            path: path.as_deref(),
            status: *status,
            bytes: *body_bytes,
            request_time_ms: *request_time_ms,
            upstream_time_ms: *upstream_time_ms,
            user_agent: user_agent.as_deref(),
            forwarded_for: forwarded_for.as_deref(),
        }),
        _ => None,
    }
}

/// Every column of the `http_requests` table: one row per `http_request` record (nginx
/// access logs and healthd's request logs), partitioned by `date` like `records`.
pub const HTTP_COLUMNS: &[Column] = &[
    column(
        "ts",
        Timestamp,
        true,
        false,
        "the request's time stamp, UTC, µs",
        |r| Cell::Time(r.record.ts.as_deref(), r.micros),
    ),
    column("host", Text, false, false, "as in `records`", |r| {
        Cell::Text(Some(r.host))
    }),
    column("instance_id", Text, true, false, "as in `records`", |r| {
        Cell::Text(r.record.instance_id.as_deref())
    }),
    column("source", Text, false, false, "as in `records`", |r| {
        Cell::Text(Some(&r.record.source))
    }),
    column("line", Int64, false, false, "as in `records`", |r| {
        Cell::Int(signed(r.record.line))
    }),
    column(
        "method",
        Text,
        true,
        false,
        "`GET`, `POST`, ... (access log)",
        |r| Cell::Text(http(r).and_then(|h| h.method)),
    ),
    column(
        "path",
        Text,
        true,
        false,
        "the path (healthd: without the query string)",
        |r| Cell::Text(http(r).and_then(|h| h.path)),
    ),
    column(
        "http_status",
        Int32,
        true,
        false,
        "the HTTP status (not `status`: that is text in `records` and `commands`)",
        |r| Cell::Int(http(r).and_then(|h| h.status).map(i64::from)),
    ),
    column(
        "body_bytes",
        Int64,
        true,
        false,
        "response body bytes (access log)",
        |r| Cell::Int(http(r).and_then(|h| h.bytes).and_then(signed)),
    ),
    column(
        "request_time_ms",
        Float64,
        true,
        false,
        "request time in ms (healthd)",
        |r| Cell::Float(http(r).and_then(|h| h.request_time_ms)),
    ),
    column(
        "upstream_time_ms",
        Float64,
        true,
        false,
        "upstream time in ms (healthd)",
        |r| Cell::Float(http(r).and_then(|h| h.upstream_time_ms)),
    ),
    column(
        "client",
        Text,
        true,
        false,
        "the client address (access log)",
        |r| Cell::Text(http(r).and_then(|h| h.client)),
    ),
    column(
        "forwarded_for",
        Text,
        true,
        false,
        "`X-Forwarded-For`",
        |r| Cell::Text(http(r).and_then(|h| h.forwarded_for)),
    ),
    column(
        "user_agent",
        Text,
        true,
        false,
        "the user agent (access log)",
        |r| Cell::Text(http(r).and_then(|h| h.user_agent)),
    ),
    column(DATE, Date, true, false, "as in `records`", |r| {
        Cell::Date(r.date)
    }),
];

/// The envelope columns, in order: the CSV columns.
pub fn envelope_columns() -> impl Iterator<Item = &'static Column> {
    RECORD_COLUMNS.iter().filter(|c| c.envelope)
}

/// The README's table of the `records` columns.
pub fn markdown_table() -> String {
    markdown_table_of(RECORD_COLUMNS)
}

/// The README's table of `columns`.
pub fn markdown_table_of(columns: &[Column]) -> String {
    let mut out = String::from("| column | type | null | what |\n|---|---|---|---|\n");
    for c in columns {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            c.name,
            c.ty.sql_name(),
            if c.nullable { "yes" } else { "no" },
            c.doc
        ));
    }
    out
}

/// The typed common fields of an event.
#[derive(Debug, Default, Clone, Copy)]
pub struct Common<'a> {
    /// `command`.
    pub command: Option<&'a str>,
    /// `action`.
    pub action: Option<&'a str>,
    /// `step`.
    pub step: Option<&'a str>,
    /// `status`.
    pub status: Option<&'a str>,
    /// `exit_code`.
    pub exit_code: Option<i64>,
    /// `error`.
    pub error: Option<&'a str>,
    /// `request_id`.
    pub request_id: Option<&'a str>,
    /// `invocation_id`.
    pub invocation_id: Option<&'a str>,
}

/// The serialized name of an [`ActionStatus`] (as in JSON lines).
pub(crate) fn action_status(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Success => "SUCCESS",
        ActionStatus::Failure => "FAILURE",
        ActionStatus::Retry => "RETRY",
    }
}

/// The serialized name of an [`ActivityStatus`] (as in JSON lines).
pub(crate) fn activity_status(status: ActivityStatus) -> &'static str {
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

/// The typed common fields of `event`.
pub fn common(event: &Event) -> Common<'_> {
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

#[cfg(test)]
mod tests;
