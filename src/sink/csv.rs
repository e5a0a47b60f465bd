//! CSV: the envelope columns, one row per record, for spreadsheet-minded pipelines.

use super::columns::{envelope_columns, Cell, Row};
use super::RecordSink;
use crate::record::Record;
use crate::redact::Redactor;
use std::io::{self, Write};

/// The columns, in order: the envelope columns of [`super::columns::RECORD_COLUMNS`].
pub fn columns() -> impl Iterator<Item = &'static str> {
    super::columns::envelope_columns().map(|c| c.name)
}

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
            out.write_record(columns()).map_err(io::Error::other)?;
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

impl<W: Write> RecordSink for Csv<W> {
    fn record(&mut self, r: &Record) -> io::Result<()> {
        let view = Row::envelope(r);
        let mut row: Vec<String> = envelope_columns()
            .map(|c| match (c.read)(&view) {
                Cell::Text(v) | Cell::Plain(v) | Cell::Date(v) => v.unwrap_or_default().to_owned(),
                Cell::Int(v) => v.map(|v| v.to_string()).unwrap_or_default(),
                Cell::Float(v) => v.map(|v| v.to_string()).unwrap_or_default(),
                Cell::Time(text, _) => text.unwrap_or_default().to_owned(),
            })
            .collect();
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

impl crate::sink::Encoder for CsvEncoder {
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
