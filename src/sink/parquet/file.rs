//! Writer properties, temporary names, and the flat one-file writer (`eblog parse --to parquet`).

use super::*;
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::{Compression, ZstdLevel};
use ::parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use ::parquet::schema::types::ColumnPath;
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use std::fmt;
use std::fs::File;
use std::io;
use std::path::Path;

// ---------------------------------------------------------------------------------------
// Writing files
// ---------------------------------------------------------------------------------------

/// The writer properties of every file eblog writes: zstd level 1 (level 3 made `eblog
/// scan` about 10% slower, see BENCHMARKS.md), data and dictionary pages of at
/// most [`PAGE_BYTES`] (each open column of each open partition buffers one page before it
/// is compressed, which bounds memory), dictionary encoding
/// (off for the long free-text columns `message`, `fields` and `msg`, where it would only
/// cost time), page-level statistics truncated to 64 bytes, row groups of at most
/// [`MAX_ROW_GROUP_ROWS`] rows, Parquet format 1.0 (read by every engine), and the constant
/// [`CREATED_BY`]. Nothing in them depends on the time, the host or a random seed.
pub fn writer_properties() -> WriterProperties {
    // 1 is within zstd's 1..=22; the default (1) is only a fallback that cannot happen.
    let zstd = ZstdLevel::try_new(1).unwrap_or_default();
    let mut builder = WriterProperties::builder()
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_compression(Compression::ZSTD(zstd))
        .set_dictionary_enabled(true)
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_statistics_truncate_length(Some(64))
        .set_column_index_truncate_length(Some(64))
        .set_max_row_group_size(MAX_ROW_GROUP_ROWS)
        .set_data_page_size_limit(PAGE_BYTES)
        .set_dictionary_page_size_limit(PAGE_BYTES)
        .set_created_by(CREATED_BY.to_owned())
        .set_key_value_metadata(None);
    for free_text in ["message", "fields", "msg"] {
        builder = builder.set_column_dictionary_enabled(ColumnPath::from(free_text), false);
    }
    builder.build()
}

pub(super) use crate::output::{run_path, temp_path};

/// Finishes a writer (footer written, as `close()` does). Not synced: a dataset is made
/// durable once, when it is published ([`crate::output::sync_tree`]).
pub(super) fn close_writer(mut writer: ArrowWriter<File>) -> io::Result<()> {
    writer.finish().map_err(parquet_error)?;
    Ok(())
}

/// Largest data or dictionary page: 128 KiB (with 256 KiB, `eblog scan`'s peak RSS on a
/// 1 GB fleet was about 25 MB higher; BENCHMARKS.md).
pub const PAGE_BYTES: usize = 128 * 1024;

/// Writes one flat Parquet file (`eblog parse --to parquet -o FILE`), all columns kept,
/// through [`crate::output::OutputFile`]: under a temporary name beside a regular file
/// until [`finish`](Self::finish) renames it, in place on a device or FIFO. A writer
/// dropped without `finish` removes its temporary file.
pub struct FileWriter {
    output: Option<crate::output::OutputFile>,
    writer: Option<ArrowWriter<File>>,
    rows: u64,
}

impl fmt::Debug for FileWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileWriter")
            .field("output", &self.output)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl FileWriter {
    /// A writer of `path` for batches of `schema`, with [`writer_properties`].
    ///
    /// # Errors
    ///
    /// `path` names a directory, or its file cannot be created.
    pub fn new(path: &Path, schema: SchemaRef) -> io::Result<Self> {
        Self::with_properties(path, schema, writer_properties())
    }

    /// A writer of `path` for batches of `schema`, with `props`.
    ///
    /// # Errors
    ///
    /// `path` names a directory, or its file cannot be created.
    pub fn with_properties(
        path: &Path,
        schema: SchemaRef,
        props: WriterProperties,
    ) -> io::Result<Self> {
        let output = crate::output::OutputFile::create(path)?;
        let file = output.try_clone_file()?;
        // On failure `output` is dropped here, which removes its temporary file.
        let writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(parquet_error)?;
        Ok(Self {
            output: Some(output),
            writer: Some(writer),
            rows: 0,
        })
    }

    /// Appends the rows of `batch`.
    ///
    /// # Errors
    ///
    /// `batch` does not have the writer's schema, or the file cannot be written.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the writer is finished"))?;
        writer.write(batch).map_err(parquet_error)?;
        self.rows += batch.num_rows() as u64;
        Ok(())
    }

    /// Closes the file and puts it in place; returns how many rows it holds.
    ///
    /// # Errors
    ///
    /// The file cannot be completed or renamed (the temporary file is then removed).
    pub fn finish(mut self) -> io::Result<u64> {
        let (Some(mut writer), Some(output)) = (self.writer.take(), self.output.take()) else {
            return Err(io::Error::other("the writer is finished"));
        };
        writer.finish().map_err(parquet_error)?;
        drop(writer);
        output.commit()?;
        Ok(self.rows)
    }
}

impl Drop for FileWriter {
    /// Closes a writer that was not finished; its [`crate::output::OutputFile`] removes
    /// the temporary file.
    fn drop(&mut self) {
        drop(self.writer.take());
        drop(self.output.take());
    }
}
