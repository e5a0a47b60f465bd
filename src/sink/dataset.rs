//! Datasets: the tables `eblog scan` writes (`records/`, `events/`, Hive-partitioned by
//! `date=YYYY-MM-DD`, plus `manifest.json`), and the flat Parquet file of
//! `eblog parse --to parquet -o FILE`.
//!
//! Re-running on the same inputs writes the same bytes: file names, row order and
//! partitioning depend only on the inputs, and the manifest holds no time stamps.

use super::columns::{Cell, Column, Row, HTTP_COLUMNS};
use super::parquet::{
    events_batch, events_schema, http_requests_batch, http_requests_schema, records_batch,
    records_schema, FileWriter, PartitionFile, PartitionedWriter,
};
use crate::record::Record;
use crate::redact::Redactor;
use crate::scan::ScanSummary;
use crate::sink::{ChunkSink, Encoder};
use arrow_array::RecordBatch;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Version of the dataset layout and schemas, in the manifest.
pub const SCHEMA_VERSION: u32 = 1;

/// Memory the open Parquet writers of one table may buffer before the largest is flushed.
const TABLE_MEMORY_BUDGET: usize = 24 * 1024 * 1024;

/// Encodes records as one Arrow batch of the records table.
pub struct RecordsEncoder {
    /// The redactor, `None` when the user opted out.
    pub redactor: Option<Redactor>,
}

impl Encoder for RecordsEncoder {
    type Chunk = RecordBatch;

    fn encode(&self, records: Vec<Record>) -> io::Result<RecordBatch> {
        records_batch(&records, self.redactor.as_ref())
    }
}

/// Writes record batches to one flat Parquet file (temporary name until finished).
pub struct RecordsFileSink {
    writer: FileWriter,
}

impl RecordsFileSink {
    /// Starts the file at `path`.
    ///
    /// # Errors
    /// The file could not be created.
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            writer: FileWriter::new(path, records_schema())?,
        })
    }

    /// Closes the file and renames it into place; returns the rows written.
    ///
    /// # Errors
    /// Writing or renaming failed.
    pub fn finish(self) -> io::Result<u64> {
        self.writer.finish()
    }
}

impl ChunkSink for RecordsFileSink {
    type Chunk = RecordBatch;

    fn write(&mut self, batch: RecordBatch) -> io::Result<()> {
        self.writer.write(&batch)
    }
}

/// The tables of one chunk, encoded.
pub enum TablesChunk {
    /// Parquet: Arrow batches of the records, events and http_requests tables.
    Parquet(RecordBatch, RecordBatch, RecordBatch),
    /// JSON lines: the lines of each (table, date partition), in order.
    Jsonl(BTreeMap<(&'static str, String), Vec<u8>>),
}

/// The file format of a dataset's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// Parquet, zstd-compressed.
    Parquet,
    /// JSON lines.
    Jsonl,
}

/// Encodes records into the dataset's tables.
pub struct TablesEncoder {
    /// The redactor, `None` when the user opted out.
    pub redactor: Option<Redactor>,
    /// Parquet or JSON lines.
    pub format: TableFormat,
}

/// One row of the events table, for JSON-lines datasets (the Parquet table has the same
/// columns, from the same [`crate::sink::events::event_rows`]).
#[derive(Serialize)]
struct JsonEventRow<'a> {
    source: Cow<'a, str>,
    host: Cow<'a, str>,
    line: u64,
    instance_id: Option<Cow<'a, str>>,
    command: Option<Cow<'a, str>>,
    record_kind: &'a str,
    result_status: Cow<'a, str>,
    returncode: Option<i64>,
    ts: Option<String>,
    timestamp_unit: Option<eblog_grammars::result_json::TimestampUnit>,
    severity: Option<Cow<'a, str>>,
    msg: Cow<'a, str>,
}

/// The partition of a timestamp: its `YYYY-MM-DD`, else Hive's null partition
/// ([`super::parquet::UNKNOWN_DATE`]).
pub(crate) fn date_of(ts: Option<&str>) -> String {
    ts.and_then(|t| t.get(..10))
        .map_or_else(|| super::parquet::UNKNOWN_DATE.to_owned(), str::to_owned)
}

/// Adds `"host":HOST` as the last key of the JSON object `line` (`{...}\n`), as the
/// `records` table of a JSON-lines dataset has it.
fn with_host(line: &mut Vec<u8>, host: &str, redactor: Option<&Redactor>) -> io::Result<()> {
    if !line.ends_with(b"}\n") {
        return Err(io::Error::other("a JSON line that is not an object"));
    }
    line.truncate(line.len() - 2);
    let host = match redactor {
        Some(r) if r.might_contain_secret(host) => r.redact_text(host),
        _ => Cow::Borrowed(host),
    };
    line.extend_from_slice(b",\"host\":");
    sonic_rs::to_writer(&mut *line, host.as_ref()).map_err(io::Error::other)?;
    line.extend_from_slice(b"}\n");
    Ok(())
}

/// Appends the JSON line of `row` in `columns` (all but `date`, the partition; null cells
/// left out, as JSON lines leave out absent fields), redacting text that might hold a
/// secret unless `redactor` is `None`.
fn json_row(
    out: &mut Vec<u8>,
    columns: &[Column],
    row: &Row<'_>,
    redactor: Option<&Redactor>,
) -> io::Result<()> {
    let mut map = serde_json::Map::new();
    for column in columns.iter().filter(|c| c.name != super::columns::DATE) {
        let value = match (column.read)(row) {
            Cell::Text(v) => v.map(|t| match redactor {
                Some(r) if r.might_contain_secret(t) => {
                    serde_json::Value::from(r.redact_text(t).into_owned())
                }
                _ => serde_json::Value::from(t),
            }),
            Cell::Plain(v) | Cell::Date(v) => v.map(serde_json::Value::from),
            Cell::Int(v) => v.map(serde_json::Value::from),
            Cell::Float(v) => v.map(serde_json::Value::from),
            Cell::Time(text, _) => text.map(serde_json::Value::from),
        };
        if let Some(value) = value {
            map.insert(column.name.to_owned(), value);
        }
    }
    serde_json::to_writer(&mut *out, &map).map_err(io::Error::other)?;
    out.push(b'\n');
    Ok(())
}

impl TablesEncoder {
    fn jsonl<'a>(
        &self,
        records: &'a [Record],
    ) -> io::Result<BTreeMap<(&'static str, String), Vec<u8>>> {
        let mut parts: BTreeMap<(&'static str, String), Vec<u8>> = BTreeMap::new();
        let mut encoder = crate::sink::JsonLines::new(Vec::new(), self.redactor.clone());
        let mut record_hosts = super::parquet::HostCache::default();
        for record in records {
            crate::sink::RecordSink::record(&mut encoder, record)?;
            let mut line = std::mem::take(encoder.get_mut());
            with_host(
                &mut line,
                record_hosts.of(&record.source),
                self.redactor.as_ref(),
            )?;
            parts
                .entry(("records", date_of(record.ts.as_deref())))
                .or_default()
                .extend_from_slice(&line);
        }
        let clean = |text: &'a str| -> Cow<'a, str> {
            match &self.redactor {
                Some(r) if r.might_contain_secret(text) => {
                    Cow::Owned(r.redact_text(text).into_owned())
                }
                _ => Cow::Borrowed(text),
            }
        };
        let mut http_hosts = super::parquet::HostCache::default();
        for record in records {
            if !matches!(record.event, crate::record::Event::HttpRequest { .. }) {
                continue;
            }
            let row = Row {
                record,
                common: Default::default(),
                fields: "",
                micros: None,
                date: None,
                host: http_hosts.of(&record.source),
            };
            let out = parts
                .entry(("http_requests", date_of(record.ts.as_deref())))
                .or_default();
            json_row(out, HTTP_COLUMNS, &row, self.redactor.as_ref())?;
        }
        let mut hosts = super::parquet::HostCache::default();
        for row in crate::sink::events::event_rows(records) {
            let record = row.record;
            let event = row.event;
            let ts = event
                .timestamp_ms
                .and_then(|ms| crate::time::rfc3339_from_epoch_ms(ms, 3));
            let date = date_of(ts.as_deref().or(record.ts.as_deref()));
            let json = JsonEventRow {
                source: clean(&record.source),
                host: Cow::Owned(match &self.redactor {
                    Some(r) => r.redact_text(hosts.of(&record.source)).into_owned(),
                    None => hosts.of(&record.source).to_owned(),
                }),
                line: record.line,
                instance_id: record.instance_id.as_deref().map(clean),
                command: row.command.map(clean),
                record_kind: record.kind(),
                result_status: clean(row.status),
                returncode: row.returncode,
                ts,
                timestamp_unit: event.timestamp_unit,
                severity: event.severity.as_deref().map(clean),
                msg: clean(&event.msg),
            };
            let out = parts.entry(("events", date)).or_default();
            sonic_rs::to_writer(&mut *out, &json).map_err(io::Error::other)?;
            out.push(b'\n');
        }
        Ok(parts)
    }
}

impl Encoder for TablesEncoder {
    type Chunk = TablesChunk;

    fn encode(&self, records: Vec<Record>) -> io::Result<TablesChunk> {
        match self.format {
            TableFormat::Parquet => Ok(TablesChunk::Parquet(
                records_batch(&records, self.redactor.as_ref())?,
                events_batch(&records, self.redactor.as_ref())?,
                http_requests_batch(&records, self.redactor.as_ref())?,
            )),
            TableFormat::Jsonl => self.jsonl(&records).map(TablesChunk::Jsonl),
        }
    }
}

/// A JSON-lines partition (`TABLE/date=D/part-00000.jsonl`) being written under a
/// temporary name. The file is opened for each write and closed after it, so a dataset
/// of thousands of dates never holds thousands of open files.
pub(crate) struct JsonlPart {
    temp: PathBuf,
    path: PathBuf,
    rows: u64,
}

impl JsonlPart {
    /// Starts the partition of `date` in `table_dir`.
    pub(crate) fn create(table_dir: &Path, date: &str) -> io::Result<Self> {
        let folder = table_dir.join(format!("date={date}"));
        fs::create_dir_all(&folder)?;
        let path = folder.join("part-00000.jsonl");
        let temp = crate::output::temp_path(&path)?;
        File::create(&temp)?;
        Ok(JsonlPart {
            temp,
            path,
            rows: 0,
        })
    }

    /// Appends `rows` lines.
    pub(crate) fn write(&mut self, lines: &[u8], rows: u64) -> io::Result<()> {
        self.rows += rows;
        fs::OpenOptions::new()
            .append(true)
            .open(&self.temp)?
            .write_all(lines)
    }

    /// Renames the file into place; returns it as the manifest lists it (relative to
    /// `dir`).
    pub(crate) fn finish(self, dir: &Path) -> io::Result<TableFile> {
        // Not synced here: the dataset is synced once when it is published.
        fs::rename(&self.temp, &self.path)?;
        Ok(TableFile {
            path: self
                .path
                .strip_prefix(dir)
                .unwrap_or(&self.path)
                .to_string_lossy()
                .into_owned(),
            rows: self.rows,
        })
    }
}

/// Writes a dataset's tables.
pub enum DatasetSink {
    /// Parquet tables.
    Parquet {
        /// `records/`.
        records: PartitionedWriter,
        /// `events/`.
        events: PartitionedWriter,
        /// `http_requests/`.
        http: PartitionedWriter,
    },
    /// JSON-lines tables.
    Jsonl {
        /// The dataset directory.
        dir: PathBuf,
        /// Open partitions.
        parts: BTreeMap<(&'static str, String), JsonlPartHandle>,
    },
}

/// An open JSON-lines partition (opaque).
pub struct JsonlPartHandle(JsonlPart);

/// A file of the dataset, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableFile {
    /// Path relative to the dataset directory.
    pub path: String,
    /// Rows in the file.
    pub rows: u64,
}

impl DatasetSink {
    /// Starts a dataset in `dir` (a [`super::ownership::Staging`] directory).
    ///
    /// # Errors
    /// The table directories could not be created.
    pub fn new(dir: &Path, format: TableFormat) -> io::Result<Self> {
        Ok(match format {
            TableFormat::Parquet => DatasetSink::Parquet {
                records: PartitionedWriter::new(
                    &dir.join("records"),
                    records_schema(),
                    TABLE_MEMORY_BUDGET,
                )?,
                events: PartitionedWriter::new(
                    &dir.join("events"),
                    events_schema(),
                    TABLE_MEMORY_BUDGET / 4,
                )?,
                http: PartitionedWriter::new(
                    &dir.join("http_requests"),
                    http_requests_schema(),
                    TABLE_MEMORY_BUDGET / 4,
                )?,
            },
            TableFormat::Jsonl => DatasetSink::Jsonl {
                dir: dir.to_path_buf(),
                parts: BTreeMap::new(),
            },
        })
    }

    /// Closes every file, renames them into place, and lists them per table.
    ///
    /// # Errors
    /// Writing or renaming failed.
    pub fn finish(self, dir: &Path) -> io::Result<BTreeMap<&'static str, Vec<TableFile>>> {
        let relative = |files: Vec<PartitionFile>| -> Vec<TableFile> {
            files
                .into_iter()
                .map(|f| TableFile {
                    path: f
                        .path
                        .strip_prefix(dir)
                        .unwrap_or(&f.path)
                        .to_string_lossy()
                        .into_owned(),
                    rows: f.rows,
                })
                .collect()
        };
        let mut tables = BTreeMap::new();
        match self {
            DatasetSink::Parquet {
                records,
                events,
                http,
            } => {
                tables.insert("records", relative(records.finish()?));
                tables.insert("events", relative(events.finish()?));
                tables.insert("http_requests", relative(http.finish()?));
            }
            DatasetSink::Jsonl { parts, .. } => {
                tables.insert("records", Vec::new());
                tables.insert("events", Vec::new());
                tables.insert("http_requests", Vec::new());
                for ((table, _), JsonlPartHandle(part)) in parts {
                    let file = part.finish(dir)?;
                    tables.entry(table).or_insert_with(Vec::new).push(file);
                }
            }
        }
        Ok(tables)
    }
}

impl ChunkSink for DatasetSink {
    type Chunk = TablesChunk;

    fn write(&mut self, chunk: TablesChunk) -> io::Result<()> {
        match (self, chunk) {
            (
                DatasetSink::Parquet {
                    records,
                    events,
                    http,
                },
                TablesChunk::Parquet(r, e, h),
            ) => {
                records.write(&r)?;
                if e.num_rows() > 0 {
                    events.write(&e)?;
                }
                if h.num_rows() > 0 {
                    http.write(&h)?;
                }
                Ok(())
            }
            (DatasetSink::Jsonl { dir, parts }, TablesChunk::Jsonl(chunk)) => {
                for ((table, date), lines) in chunk {
                    let part = match parts.entry((table, date.clone())) {
                        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(JsonlPartHandle(JsonlPart::create(&dir.join(table), &date)?))
                        }
                    };
                    let rows = lines.iter().filter(|b| **b == b'\n').count() as u64;
                    part.0.write(&lines, rows)?;
                }
                Ok(())
            }
            _ => Err(io::Error::other(
                "a dataset chunk of the wrong table format",
            )),
        }
    }
}

/// The dataset's `manifest.json`.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    /// `eblog VERSION`: the marker that tells eblog's datasets from anything else (see
    /// [`super::ownership`]).
    pub created_by: String,
    /// The eblog version that wrote it.
    pub eblog_version: &'static str,
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The tables' file format.
    pub table_format: TableFormat,
    /// Totals and one entry per input.
    pub scan: &'a ScanSummary,
    /// Files per table.
    pub tables: BTreeMap<&'static str, Vec<TableFile>>,
}

/// The bytes of `manifest.json`.
///
/// # Errors
/// Serialization failed.
pub fn manifest_bytes(manifest: &Manifest<'_>) -> io::Result<Vec<u8>> {
    let mut text = serde_json::to_vec_pretty(manifest).map_err(io::Error::from)?;
    text.push(b'\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{parse_buffer, ParseOptions};
    use arrow_array::{Array, StringArray};

    /// Both table formats take the `events` rows from one iterator: on a cfn-hup log with
    /// actions' outputs and `Sending` results, every row agrees, `command` included.
    #[test]
    fn parquet_and_jsonl_events_agree_row_by_row() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cfn-hup.log");
        let text = fs::read(&path).unwrap();
        let mut records: Vec<Record> = Vec::new();
        parse_buffer(
            "cfn-hup.log",
            Some(&path),
            &text,
            ParseOptions::default(),
            &mut records,
        )
        .unwrap();
        let encode = |format| {
            TablesEncoder {
                redactor: Some(Redactor::new()),
                format,
            }
            .encode(records.clone())
            .unwrap()
        };
        let TablesChunk::Parquet(_, events, _) = encode(TableFormat::Parquet) else {
            panic!("a Parquet chunk")
        };
        let TablesChunk::Jsonl(parts) = encode(TableFormat::Jsonl) else {
            panic!("a JSON-lines chunk")
        };
        let lines: Vec<serde_json::Value> = parts
            .iter()
            .filter(|((table, _), _)| *table == "events")
            .flat_map(|(_, bytes)| bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()))
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        assert!(lines.len() >= 4, "{} rows", lines.len());
        assert_eq!(lines.len(), events.num_rows());
        let column = |name: &str| {
            events
                .column_by_name(name)
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone()
        };
        let (command, msg) = (column("command"), column("msg"));
        let mut sorted: Vec<&serde_json::Value> = lines.iter().collect();
        // JSON-lines parts are keyed by date: put the rows back in record order.
        sorted.sort_by_key(|l| l["line"].as_u64());
        for (i, line) in sorted.iter().enumerate() {
            let parquet_command = command.is_valid(i).then(|| command.value(i));
            assert_eq!(line["command"].as_str(), parquet_command, "row {i}");
            assert_eq!(line["msg"].as_str(), Some(msg.value(i)), "row {i}");
        }
        assert!(
            (0..events.num_rows()).any(|i| command.is_valid(i)),
            "the Sending results name their command"
        );
    }

    /// A JSON-lines dataset's `records` rows are the JSON lines of `parse` with the row's
    /// `host` added last; its `events` rows have it too.
    #[test]
    fn jsonl_rows_carry_their_host() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cfn-hup.log");
        let text = fs::read(&path).unwrap();
        let mut records: Vec<Record> = Vec::new();
        let source = "logs/i-0abc/var/log/cfn-hup.log";
        parse_buffer(
            source,
            Some(&path),
            &text,
            ParseOptions::default(),
            &mut records,
        )
        .unwrap();
        let chunk = TablesEncoder {
            redactor: Some(Redactor::new()),
            format: TableFormat::Jsonl,
        }
        .encode(records.clone())
        .unwrap();
        let TablesChunk::Jsonl(parts) = chunk else {
            panic!("a JSON-lines chunk")
        };
        let mut seen = BTreeMap::new();
        for ((table, _), bytes) in &parts {
            for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                let row: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_slice(line).unwrap();
                assert_eq!(row["host"], "logs/i-0abc/var/log", "{table}");
                *seen.entry(*table).or_insert(0) += 1;
                if *table == "records" {
                    assert_eq!(row.keys().next_back().map(String::as_str), Some("host"));
                }
            }
        }
        assert_eq!(seen.get("records"), Some(&records.len()));
        assert!(seen.get("events").is_some_and(|n| *n > 0));
    }
}
