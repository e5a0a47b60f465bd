//! The schemas of the `records` and `events` tables, and the constants every file shares.

use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::sync::{Arc, OnceLock};

/// The `created_by` written in every file's footer: a constant, without a library
/// version, so that output bytes do not change with a dependency update.
pub const CREATED_BY: &str = "eblog";

/// The name of the column [`PartitionedWriter`] partitions by.
pub const DATE_COLUMN: &str = "date";

/// The partition value of rows whose `date` is null: Hive's null partition, which DuckDB,
/// polars, Spark, Athena and Trino read as a null `DATE` (a text value such as `unknown`
/// would make the column a string, and joins on `date` across tables fail).
pub const UNKNOWN_DATE: &str = "__HIVE_DEFAULT_PARTITION__";

/// The most rows one row group holds (before a memory-budget flush cuts it short).
pub const MAX_ROW_GROUP_ROWS: usize = 64 * 1024;

/// The time zone of every timestamp column.
pub(super) const UTC: &str = "UTC";

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
            Arc::new(Schema::new(
                crate::sink::columns::RECORD_COLUMNS
                    .iter()
                    .map(|c| Field::new(c.name, c.ty.data_type(), c.nullable))
                    .collect::<Vec<_>>(),
            ))
        })
        .clone()
}

/// The schema of the `http_requests` table ([`crate::sink::columns::HTTP_COLUMNS`]).
pub fn http_requests_schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(
                crate::sink::columns::HTTP_COLUMNS
                    .iter()
                    .map(|c| Field::new(c.name, c.ty.data_type(), c.nullable))
                    .collect::<Vec<_>>(),
            ))
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
                Field::new("source", DataType::Utf8, false),
                Field::new("host", DataType::Utf8, false),
                Field::new("line", DataType::Int64, false),
                Field::new("instance_id", DataType::Utf8, true),
                Field::new("command", DataType::Utf8, true),
                Field::new("record_kind", DataType::Utf8, false),
                Field::new("result_status", DataType::Utf8, true),
                Field::new("returncode", DataType::Int64, true),
                Field::new("ts", timestamp(), true),
                Field::new("timestamp_unit", DataType::Utf8, true),
                Field::new("severity", DataType::Utf8, true),
                Field::new("msg", DataType::Utf8, false),
                Field::new(DATE_COLUMN, DataType::Utf8, true),
            ]))
        })
        .clone()
}
