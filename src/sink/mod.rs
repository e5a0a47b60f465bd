//! Sinks: where records go. The pipeline pushes records into a [`RecordSink`].
#![forbid(unsafe_code)]

pub mod build;
pub mod columns;
pub mod commands;
pub mod csv;
pub mod dataset;
mod drive;
pub mod events;
mod jsonl;
pub mod ownership;
pub mod parquet;

pub use drive::{scan_into, ChunkSink, Encoder};
pub use jsonl::{json_line, JsonLines, JsonLinesEncoder, WriteSink};

use crate::record::Record;
use std::io;

/// Receives records in input order.
pub trait RecordSink {
    /// Takes one record.
    ///
    /// # Errors
    /// The sink's I/O error; the pipeline stops on the first one.
    fn record(&mut self, record: &Record) -> io::Result<()>;

    /// Takes one record by value: sinks that keep records override it to avoid a copy.
    ///
    /// # Errors
    /// As [`record`](Self::record).
    fn record_owned(&mut self, record: Record) -> io::Result<()> {
        self.record(&record)
    }

    /// Pushes buffered output on (called when the input would block, for streams).
    ///
    /// # Errors
    /// The sink's I/O error.
    fn flush(&mut self) -> io::Result<()>;
}

impl<S: RecordSink + ?Sized> RecordSink for &mut S {
    fn record(&mut self, record: &Record) -> io::Result<()> {
        (**self).record(record)
    }

    fn record_owned(&mut self, record: Record) -> io::Result<()> {
        (**self).record_owned(record)
    }

    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }
}

/// A sink that keeps the records, for tests and library users.
impl RecordSink for Vec<Record> {
    fn record(&mut self, record: &Record) -> io::Result<()> {
        self.push(record.clone());
        Ok(())
    }

    fn record_owned(&mut self, record: Record) -> io::Result<()> {
        self.push(record);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
