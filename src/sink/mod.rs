//! Sinks: where records go. The pipeline pushes records into a [`RecordSink`].
#![forbid(unsafe_code)]

pub mod build;
pub mod columns;
pub mod commands;
pub mod csv;
pub mod dataset;
pub mod events;
mod jsonl;
pub mod ownership;
pub mod parquet;

pub use jsonl::{json_line, JsonLines, JsonLinesEncoder, WriteSink};

use crate::record::Record;
use crate::scan::{ScanOptions, ScanSummary};
use std::io;
use std::path::PathBuf;

/// Turns a batch of records into an encoded chunk; runs on the scanner's worker threads.
pub trait Encoder: Sync {
    /// What one batch becomes (JSON-lines bytes, Arrow batches, ...).
    type Chunk: Send;

    /// Encodes `records`, which are in input order.
    ///
    /// # Errors
    /// An encoding error; the scan stops.
    fn encode(&self, records: Vec<Record>) -> io::Result<Self::Chunk>;
}

/// Receives encoded chunks in input order, on one writer thread.
pub trait ChunkSink: Send {
    /// What it receives.
    type Chunk: Send;

    /// Writes one chunk.
    ///
    /// # Errors
    /// A write error; the scan stops.
    fn write(&mut self, chunk: Self::Chunk) -> io::Result<()>;
}

/// Scans `paths` ([`crate::scan::scan`]) into `sink`, encoding with `encoder` on the
/// worker threads.
///
/// # Errors
/// As [`crate::scan::scan`]: an encoding or writing error.
pub fn scan_into<E, S>(
    paths: &[PathBuf],
    options: &ScanOptions,
    encoder: &E,
    sink: &mut S,
    progress: &(dyn Fn(u64) + Sync),
) -> io::Result<ScanSummary>
where
    E: Encoder,
    S: ChunkSink<Chunk = E::Chunk>,
{
    crate::scan::scan(
        paths,
        options,
        &|records| encoder.encode(records),
        &mut |chunk| sink.write(chunk),
        progress,
    )
}

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
