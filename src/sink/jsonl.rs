//! JSON lines: one record per line, redacted unless told otherwise.

use super::RecordSink;
use crate::record::Record;
use crate::redact::Redactor;
use std::io::{self, Write};

/// Writes each record as one line of JSON.
#[derive(Debug)]
pub struct JsonLines<W: Write> {
    out: W,
    redactor: Option<Redactor>,
}

impl<W: Write> JsonLines<W> {
    /// A writer to `out`; `redactor` is `None` only when the user opted out of redaction.
    pub fn new(out: W, redactor: Option<Redactor>) -> Self {
        Self { out, redactor }
    }

    /// The underlying writer, to take what was written.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> RecordSink for JsonLines<W> {
    fn record(&mut self, record: &Record) -> io::Result<()> {
        match &self.redactor {
            Some(redactor) if redactor.might_contain_secret(&record.message) => {
                let mut value = serde_json::to_value(record).map_err(io::Error::other)?;
                redactor.redact_value(&mut value);
                serde_json::to_writer(&mut self.out, &value).map_err(io::Error::from)?;
            }
            _ => serde_json::to_writer(&mut self.out, record).map_err(io::Error::from)?,
        }
        self.out.write_all(b"\n")
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
