//! Arrow C streams handed to Python: a [`Stream`] holds a `RecordBatchReader` until
//! Python takes it through `__arrow_c_stream__` (the Arrow PyCapsule interface).

use crate::options::Options;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};
use eblog::correlate::{shapes_executions, slim, BoxedRecords, Correlator};
use eblog::record::Record;
use eblog::scan::ScanSummary;
use eblog::sink::dataset::RecordsEncoder;
use eblog::sink::{scan_into as scan, ChunkSink, Encoder};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::ffi::CString;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Mutex;

/// The reader a [`Stream`] hands over.
type Reader = Box<dyn RecordBatchReader + Send>;

/// A one-shot Arrow stream: `__arrow_c_stream__()` exports it once as a PyCapsule named
/// `arrow_array_stream` (pyarrow, polars and DuckDB all read those).
#[pyclass(module = "eblog._eblog")]
pub struct Stream {
    reader: Mutex<Option<Reader>>,
}

impl Stream {
    /// A stream over batches already built.
    pub fn batches(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
        Self::new(Box::new(reader))
    }

    /// The records of `paths`, parsed by the scanner on a thread of its own while Python
    /// reads the batches already made.
    pub fn records(paths: Vec<PathBuf>, options: Options) -> Self {
        let (tx, rx) = mpsc::sync_channel(4);
        let error_tx = tx.clone();
        std::thread::spawn(move || {
            let encoder = RecordsEncoder {
                redactor: options.redactor,
            };
            let mut sink = SendBatches(tx);
            let done = scan(&paths, &options.scan, &encoder, &mut sink, &|_| {});
            drop(sink);
            let failed = match done {
                Ok(summary) => input_errors(&summary),
                Err(e) => Some(e),
            };
            if let Some(e) = failed {
                // The reader is gone when Python stopped reading: nobody to tell.
                let _ = error_tx.send(Err(ArrowError::IoError(e.to_string(), e)));
            }
        });
        let schema = eblog::sink::parquet::records_schema();
        Self::new(Box::new(Received { schema, rx }))
    }

    fn new(reader: Reader) -> Self {
        Self {
            reader: Mutex::new(Some(reader)),
        }
    }
}

#[pymethods]
impl Stream {
    /// Exports the stream (once) as an `arrow_array_stream` PyCapsule. A requested
    /// schema is not honoured: the stream always has the table's own schema.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader = self
            .reader
            .lock()
            .map_err(|_| PyValueError::new_err("the stream's lock is poisoned"))?
            .take()
            .ok_or_else(|| PyValueError::new_err("the stream was already read"))?;
        let stream = FFI_ArrowArrayStream::new(reader);
        // A constant without a NUL byte.
        let name = CString::new("arrow_array_stream").expect("no NUL in the name");
        PyCapsule::new(py, stream, Some(name))
    }
}

/// One error naming every input that could not be read, or `None` when all were.
fn input_errors(summary: &ScanSummary) -> Option<io::Error> {
    let failed: Vec<String> = summary
        .inputs
        .iter()
        .filter_map(|i| i.error.as_ref().map(|e| format!("{}: {e}", i.source)))
        .collect();
    (!failed.is_empty()).then(|| io::Error::other(format!("eblog: {}", failed.join("; "))))
}

/// Hands the scanner's batches to the reader; fails (stopping the scan) once the reader
/// is dropped.
struct SendBatches(mpsc::SyncSender<Result<RecordBatch, ArrowError>>);

impl ChunkSink for SendBatches {
    type Chunk = RecordBatch;

    fn write(&mut self, batch: RecordBatch) -> io::Result<()> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        self.0
            .send(Ok(batch))
            .map_err(|_| io::Error::other("the reader was closed"))
    }
}

/// The reading end: batches as the scanner makes them, then the scan's error, if any.
struct Received {
    schema: SchemaRef,
    rx: mpsc::Receiver<Result<RecordBatch, ArrowError>>,
}

impl Iterator for Received {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rx.recv().ok()
    }
}

impl RecordBatchReader for Received {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// Keeps, on the worker threads, the records correlation needs (slimmed), as `eblog
/// scan` does for its `commands` table.
pub struct ExecutionRecords;

impl Encoder for ExecutionRecords {
    type Chunk = BoxedRecords;

    fn encode(&self, records: Vec<Record>) -> io::Result<BoxedRecords> {
        Ok(records
            .into_iter()
            .filter(shapes_executions)
            .map(|mut r| {
                slim(&mut r);
                Box::new(r)
            })
            .collect())
    }
}

/// Feeds the records to a correlator, in input order.
struct Correlate(Correlator);

impl ChunkSink for Correlate {
    type Chunk = BoxedRecords;

    fn write(&mut self, records: BoxedRecords) -> io::Result<()> {
        records.into_iter().for_each(|r| self.0.push(r));
        Ok(())
    }
}

/// The executions of `paths` as one batch of the `commands` table.
pub fn commands_of_paths(paths: &[PathBuf], options: &Options) -> io::Result<RecordBatch> {
    let mut sink = Correlate(Correlator::new(None, None, false));
    let summary = scan(paths, &options.scan, &ExecutionRecords, &mut sink, &|_| {})?;
    if let Some(e) = input_errors(&summary) {
        return Err(e);
    }
    let (executions, _) = sink.0.finish();
    crate::bytes::executions_batch(executions, options)
}
