//! Parquet: records and result events as Arrow record batches, written to a single file
//! (`eblog parse --to parquet -o FILE`) or to a Hive-partitioned table
//! (`eblog scan`: `records/date=YYYY-MM-DD/part-00000.parquet`, the README's "`eblog scan`" section).
//!
//! # The `records` table: one row per [`Record`](crate::record::Record)
//!
//! Its columns, their types and how each is read from a record are
//! [`crate::sink::columns::RECORD_COLUMNS`] (the README shows the same table).
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
//! | `source` | Utf8 | no | the record's `source` |
//! | `host` | Utf8 | no | the host of the record's `source` (as in `records` and `commands`) |
//! | `line` | Int64 | no | the record's `line` |
//! | `instance_id` | Utf8 | yes | the record's `instance_id` |
//! | `command` | Utf8 | yes | `result_sent`: the payload's `CommandName`; null otherwise |
//! | `record_kind` | Utf8 | no | the record's `kind` |
//! | `result_status` | Utf8 | yes | the result entry's `status`, else the result's `status` |
//! | `returncode` | Int64 | yes | the result entry's `returncode` |
//! | `ts` | Timestamp(Microsecond, "UTC") | yes | the event's `timestamp_ms` |
//! | `timestamp_unit` | Utf8 | yes | `s` or `ms`: the unit the event was written in |
//! | `severity` | Utf8 | yes | the event's `severity` |
//! | `msg` | Utf8 | no | the event's `msg` |
//! | `date` | Utf8 | yes | `YYYY-MM-DD` of the event's `ts`, else of the record's `ts`; Hive's null partition without either |
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

mod batch;
mod file;
mod partitioned;
mod schema;
#[cfg(test)]
mod tests;

pub(crate) use batch::HostCache;
pub use batch::{events_batch, http_requests_batch, records_batch};
pub use file::{writer_properties, FileWriter, PAGE_BYTES};
pub use partitioned::{PartitionFile, PartitionedWriter, MAX_OPEN_PARTITIONS};
pub(crate) use schema::timestamp;
pub use schema::{
    events_schema, http_requests_schema, records_schema, CREATED_BY, DATE_COLUMN,
    MAX_ROW_GROUP_ROWS, UNKNOWN_DATE,
};

use ::parquet::errors::ParquetError;
use arrow_schema::ArrowError;
use std::io;

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
