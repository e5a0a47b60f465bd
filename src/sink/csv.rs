//! CSV: the envelope columns, one row per record, for spreadsheet-minded pipelines.

use super::RecordSink;
use crate::record::Record;
use crate::redact::Redactor;
use std::io::{self, Write};

/// The columns, in order.
pub const COLUMNS: [&str; 14] = [
    "source",
    "line",
    "end_line",
    "offset",
    "bytes",
    "format",
    "ts",
    "level",
    "pid",
    "activity",
    "kind",
    "message",
    "instance_id",
    "environment_id",
];

/// Writes records as CSV rows of the envelope (the kind-specific fields are left to JSON
/// lines and Parquet).
pub struct Csv<W: Write> {
    out: csv::Writer<W>,
    redactor: Option<Redactor>,
}

impl<W: Write> Csv<W> {
    /// A writer to `out`; with `header`, the column names come first.
    pub fn new(out: W, header: bool, redactor: Option<Redactor>) -> io::Result<Self> {
        let mut out = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        if header {
            out.write_record(COLUMNS).map_err(io::Error::other)?;
        }
        Ok(Self { out, redactor })
    }

    /// The underlying writer, flushed.
    ///
    /// # Errors
    /// The flush's error.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl<W: Write> RecordSink for Csv<W> {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        let mut row = [
            r.source.to_string(),
            r.line.to_string(),
            r.end_line.to_string(),
            r.offset.to_string(),
            r.bytes.to_string(),
            r.format.map(|f| f.name().to_owned()).unwrap_or_default(),
            opt(&r.ts),
            opt(&r.level),
            opt(&r.pid),
            opt(&r.activity),
            r.kind().to_owned(),
            r.message.clone(),
            opt(&r.instance_id),
            opt(&r.environment_id),
        ];
        if let Some(redactor) = &self.redactor {
            // Every column: a secret may sit in the activity path or the source, too.
            for cell in &mut row {
                if redactor.might_contain_secret(cell) {
                    *cell = redactor.redact_text(cell).into_owned();
                }
            }
        }
        self.out
            .write_record(&row)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(io) => io,
                other => io::Error::other(format!("{other:?}")),
            })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Encodes chunks of records as CSV rows (no header) for the scanner.
pub struct CsvEncoder {
    /// The redactor, `None` when the user opted out.
    pub redactor: Option<Redactor>,
}

impl crate::scan::Encoder for CsvEncoder {
    type Chunk = Vec<u8>;

    fn encode(&self, records: Vec<Record>) -> io::Result<Vec<u8>> {
        let mut csv = Csv::new(
            Vec::with_capacity(records.len() * 160),
            false,
            self.redactor.clone(),
        )?;
        for record in &records {
            csv.record(record)?;
        }
        csv.into_inner()
    }
}
