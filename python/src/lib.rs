//! `eblog._eblog`: the native half of the `eblog` Python package.
//!
//! Every function parses with the eblog library's own pipeline (the scanner for paths,
//! [`eblog::pipeline::parse_unit`] for bytes) and encodes with the same Arrow builders as
//! the dataset's `records` and `commands` tables; the batches reach Python through the
//! Arrow C stream interface (a PyCapsule named `arrow_array_stream`), not re-encoded.
//! The GIL is released while parsing. The Python wrappers in `eblog/__init__.py` turn the
//! streams into `pyarrow` objects.

mod bytes;
mod options;
mod stream;

use options::Options;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use stream::Stream;

/// Streams the records of `paths` (files, directories, `.gz`, `.zip` bundles), in the
/// order `eblog scan` reads them, parsed on `threads` worker threads (0: one per core).
#[pyfunction]
#[pyo3(signature = (paths, *, format=None, redact=true, tz="UTC", threads=0))]
fn read_stream(
    paths: Vec<PathBuf>,
    format: Option<&str>,
    redact: bool,
    tz: &str,
    threads: usize,
) -> PyResult<Stream> {
    let options = Options::new(format, redact, tz, threads)?;
    Ok(Stream::records(paths, options))
}

/// Parses one file's bytes named `name` (an empty or a `.zip` / `.gz` file as well) into
/// a stream of records batches.
#[pyfunction]
#[pyo3(signature = (data, *, name, format=None, redact=true, tz="UTC", written=None, explicit=true))]
#[allow(clippy::too_many_arguments)]
fn parse_bytes_stream(
    py: Python<'_>,
    data: &[u8],
    name: String,
    format: Option<&str>,
    redact: bool,
    tz: &str,
    written: Option<(i32, u32)>,
    explicit: bool,
) -> PyResult<Stream> {
    let options = Options::new(format, redact, tz, 1)?;
    let batches = py
        .detach(|| {
            let file = bytes::File {
                name,
                data: data.to_vec(),
                written,
                explicit,
            };
            bytes::records(file, &options)
        })
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    Ok(Stream::batches(
        eblog::sink::parquet::records_schema(),
        batches,
    ))
}

/// The command executions of `paths`, correlated host by host as `eblog scan` builds its
/// `commands` table, as a stream of one batch.
#[pyfunction]
#[pyo3(signature = (paths, *, redact=true, tz="UTC", threads=0))]
fn commands_stream(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    redact: bool,
    tz: &str,
    threads: usize,
) -> PyResult<Stream> {
    let options = Options::new(None, redact, tz, threads)?;
    let batch = py
        .detach(|| stream::commands_of_paths(&paths, &options))
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    Ok(Stream::batches(
        eblog::sink::commands::commands_schema(),
        vec![batch],
    ))
}

/// The command executions of files already in memory, `(name, data)` pairs; the files of
/// one host should be given together.
#[pyfunction]
#[pyo3(signature = (files, *, redact=true, tz="UTC"))]
fn commands_bytes_stream(
    py: Python<'_>,
    files: Vec<(String, Bound<'_, PyBytes>)>,
    redact: bool,
    tz: &str,
) -> PyResult<Stream> {
    let options = Options::new(None, redact, tz, 1)?;
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, data)| (name, data.as_bytes().to_vec()))
        .collect();
    let batch = py
        .detach(|| bytes::commands(files, &options))
        .map_err(|e| PyOSError::new_err(e.to_string()))?;
    Ok(Stream::batches(
        eblog::sink::commands::commands_schema(),
        vec![batch],
    ))
}

/// An empty stream with the `records` table's schema.
#[pyfunction]
fn records_schema_stream() -> Stream {
    Stream::batches(eblog::sink::parquet::records_schema(), Vec::new())
}

/// An empty stream with the `commands` table's schema.
#[pyfunction]
fn commands_schema_stream() -> Stream {
    Stream::batches(eblog::sink::commands::commands_schema(), Vec::new())
}

/// The host a file belongs to, as correlation groups files: the part of its name before
/// a bundle's `!`, else its directory, with `nginx/`, `healthd/` and the application
/// logs' folders folded into their parent.
#[pyfunction]
fn host_of(source: &str) -> String {
    eblog::correlate::host_of(source)
}

/// The version of the eblog library this module was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The module: functions returning [`Stream`]s, wrapped by `eblog/__init__.py`.
#[pymodule]
fn _eblog(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Stream>()?;
    m.add_function(wrap_pyfunction!(read_stream, m)?)?;
    m.add_function(wrap_pyfunction!(parse_bytes_stream, m)?)?;
    m.add_function(wrap_pyfunction!(commands_stream, m)?)?;
    m.add_function(wrap_pyfunction!(commands_bytes_stream, m)?)?;
    m.add_function(wrap_pyfunction!(records_schema_stream, m)?)?;
    m.add_function(wrap_pyfunction!(commands_schema_stream, m)?)?;
    m.add_function(wrap_pyfunction!(host_of, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
