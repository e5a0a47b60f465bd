//! The scanner driven into a sink: encoders run on the scanner's workers, one chunk sink
//! receives their output in input order. Above the scanner (it calls it); the record-level
//! [`super::RecordSink`] the decode loop writes into stays below, in `sink/mod.rs`.
#![forbid(unsafe_code)]

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
