//! The Hive-partitioned table writer of `eblog scan`: one file per `date` partition.

use super::file::{close_writer, run_path, temp_path};
use super::*;
use ::parquet::arrow::ArrowWriter;
use ::parquet::file::properties::WriterProperties;
use arrow_array::types::{Int32Type, Int8Type};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, SchemaRef, TimeUnit};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file a [`PartitionedWriter`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionFile {
    /// Its path: `TABLE/date=YYYY-MM-DD/part-NNNNN.parquet`.
    pub path: PathBuf,
    /// How many rows it holds.
    pub rows: u64,
}

pub(super) struct Partition {
    /// The final path.
    path: PathBuf,
    /// Where the file is written until [`PartitionedWriter::finish`].
    temp: PathBuf,
    writer: ArrowWriter<File>,
    rows: u64,
    /// Sequence number of the last write, for closing the least recently used.
    used: u64,
}

/// Most partitions a table keeps open: each open Parquet writer holds column buffers and
/// encoder state outside the byte budget, so a fleet spanning months of dates would
/// otherwise hold hundreds. The least recently written one is closed first, as a run;
/// later rows of its date start another run, and [`PartitionedWriter::finish`] merges the
/// runs of a date, in order, into its one file. Which partitions close depends only on the
/// order of the rows, so output stays deterministic.
pub const MAX_OPEN_PARTITIONS: usize = 6;

/// Writes a Hive-partitioned table: `TABLE/date=YYYY-MM-DD/part-00000.parquet`, one file
/// per value of the batches' `date` column (`date=unknown` for null), rows in their input
/// order.
///
/// The files leave the `date` column out: query engines (DuckDB's `hive_partitioning`,
/// Spark, Athena, Trino) add it from the directory name, and a copy in the file would
/// clash with it. Every file of a table has the same schema: the input schema without
/// `date`.
///
/// Files are written as `.part-00000.parquet.tmp` and renamed by [`finish`](Self::finish);
/// a writer dropped without `finish` removes its temporary files. Memory stays near the
/// budget given to [`new`](Self::new): after each batch, while the row groups in progress
/// take more, the largest is flushed to its file. The same batches in the same order give
/// byte-identical files. Files of earlier runs in other partitions are left as they are.
///
/// ```
/// use eblog::sink::parquet::{records_batch, records_schema, PartitionedWriter};
/// # let dir = tempfile::tempdir()?;
/// # let records: Vec<eblog::record::Record> = Vec::new();
/// let mut table = PartitionedWriter::new(&dir.path().join("records"), records_schema(), 64 << 20)?;
/// table.write(&records_batch(&records, None)?)?;
/// let files = table.finish()?;
/// assert!(files.is_empty());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct PartitionedWriter {
    // Boxed: the writer is moved around and kept in enums; its state is large.
    t: Box<Table>,
}

/// The state of a [`PartitionedWriter`].
pub(super) struct Table {
    table_dir: PathBuf,
    schema: SchemaRef,
    file_schema: SchemaRef,
    date_index: usize,
    keep: Vec<usize>,
    props: WriterProperties,
    budget: usize,
    file_name: String,
    base_part: u32,
    partitions: BTreeMap<String, Partition>,
    /// Runs already closed (least recently used): final path, temporary name, rows.
    closed: Vec<(PathBuf, PathBuf, u64)>,
    /// How many runs each date has had, to name the next one.
    runs: BTreeMap<String, u32>,
    writes: u64,
}

impl fmt::Debug for PartitionedWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartitionedWriter")
            .field("table_dir", &self.t.table_dir)
            .field("file_name", &self.t.file_name)
            .field("budget", &self.t.budget)
            .field("partitions", &self.t.partitions.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl PartitionedWriter {
    /// A writer of the table in `table_dir` (created if missing) for batches of `schema`,
    /// which must have a nullable or non-null Utf8 `date` column, with [`writer_properties`]
    /// and about `memory_budget_bytes` of row groups in progress over all partitions.
    ///
    /// # Errors
    ///
    /// `schema` has no Utf8 `date` column, or `table_dir` cannot be created.
    pub fn new(
        table_dir: &Path,
        schema: SchemaRef,
        memory_budget_bytes: usize,
    ) -> io::Result<Self> {
        let (date_index, field) = schema
            .column_with_name(DATE_COLUMN)
            .ok_or_else(|| invalid_input(format!("the schema has no {DATE_COLUMN:?} column")))?;
        if field.data_type() != &DataType::Utf8 {
            return Err(invalid_input(format!(
                "the {DATE_COLUMN:?} column is {}, not Utf8",
                field.data_type()
            )));
        }
        let keep: Vec<usize> = (0..schema.fields().len())
            .filter(|&i| i != date_index)
            .collect();
        let file_schema = Arc::new(schema.project(&keep).map_err(arrow_error)?);
        fs::create_dir_all(table_dir)?;
        Ok(Self {
            t: Box::new(Table {
                table_dir: table_dir.to_path_buf(),
                schema,
                file_schema,
                date_index,
                keep,
                props: writer_properties(),
                budget: memory_budget_bytes,
                file_name: part_name(0),
                base_part: 0,
                partitions: BTreeMap::new(),
                closed: Vec::new(),
                runs: BTreeMap::new(),
                writes: 0,
            }),
        })
    }

    /// Uses `props` instead of [`writer_properties`] for the files opened from now on.
    pub fn with_properties(mut self, props: WriterProperties) -> Self {
        self.t.props = props;
        self
    }

    /// Names the files `part-NNNNN.parquet` with `part` instead of 0, so that shards of one
    /// table written apart (one per machine) can be copied into one directory.
    pub fn with_part_number(mut self, part: u32) -> Self {
        self.t.file_name = part_name(part);
        self.t.base_part = part;
        self
    }

    /// The schema of the files: the input schema without `date`.
    pub fn file_schema(&self) -> &SchemaRef {
        &self.t.file_schema
    }

    /// Routes the rows of `batch` to their partitions' files, in order.
    ///
    /// # Errors
    ///
    /// `batch` does not have the writer's schema, a `date` is neither null nor
    /// `YYYY-MM-DD`, or a file cannot be created or written.
    pub fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        self.t.write(batch)
    }

    /// Closes every file and renames it into place; returns the files, sorted by path.
    ///
    /// # Errors
    ///
    /// A file cannot be completed or renamed. When completing fails, no file is renamed;
    /// either way the temporary files left are removed.
    pub fn finish(mut self) -> io::Result<Vec<PartitionFile>> {
        let partitions = std::mem::take(&mut self.t.partitions);
        let mut first_error = None;
        let mut closed = std::mem::take(&mut self.t.closed);
        for (_, p) in partitions {
            if let Err(e) = close_writer(p.writer) {
                first_error.get_or_insert(e);
            }
            closed.push((p.path, p.temp, p.rows));
        }
        if let Some(e) = first_error {
            for (_, temp, _) in &closed {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
        // The runs of each file, in the order they were written.
        let mut by_path: BTreeMap<PathBuf, Vec<(PathBuf, u64)>> = BTreeMap::new();
        for (path, temp, rows) in closed {
            by_path.entry(path).or_default().push((temp, rows));
        }
        let mut files = Vec::with_capacity(by_path.len());
        let mut pending: Vec<(PathBuf, Vec<(PathBuf, u64)>)> = by_path.into_iter().collect();
        while let Some((path, runs)) = pending.pop() {
            let done = self.t.complete(&path, &runs);
            if let Err(e) = done {
                for (_, runs) in pending.iter().chain(std::iter::once(&(path, runs))) {
                    for (temp, _) in runs {
                        let _ = fs::remove_file(temp);
                    }
                }
                return Err(e);
            }
            files.push(PartitionFile {
                path,
                rows: runs.iter().map(|(_, rows)| rows).sum(),
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

impl Table {
    /// Puts the file at `path` in place from its runs: the one run renamed, or the runs
    /// merged in order into one file (then removed).
    fn complete(&self, path: &Path, runs: &[(PathBuf, u64)]) -> io::Result<()> {
        if let [(temp, _)] = runs {
            fs::rename(temp, path)?;
        } else {
            let merged = temp_path(path)?;
            let result = self
                .merge(&merged, runs)
                .and_then(|()| fs::rename(&merged, path));
            if result.is_err() {
                let _ = fs::remove_file(&merged);
            }
            result?;
            for (temp, _) in runs {
                fs::remove_file(temp)?;
            }
        }
        Ok(())
    }

    /// Writes the rows of `runs`, in order, into one file at `into`, a row group at a
    /// time (memory: one run's row group read, the budget's worth written).
    fn merge(&self, into: &Path, runs: &[(PathBuf, u64)]) -> io::Result<()> {
        use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let file = File::create(into)?;
        let mut writer =
            ArrowWriter::try_new(file, self.file_schema.clone(), Some(self.props.clone()))
                .map_err(parquet_error)?;
        for (temp, _) in runs {
            let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(temp)?)
                .map_err(parquet_error)?
                .with_batch_size(8192)
                .build()
                .map_err(parquet_error)?;
            for batch in reader {
                let batch = batch.map_err(arrow_error)?;
                writer.write(&batch).map_err(parquet_error)?;
                if writer.in_progress_size() > self.budget.max(PAGE_BYTES) {
                    writer.flush().map_err(parquet_error)?;
                }
            }
        }
        close_writer(writer)
    }

    fn write(&mut self, batch: &RecordBatch) -> io::Result<()> {
        if batch.schema().fields() != self.schema.fields() {
            return Err(invalid_input(
                "the batch's schema is not the writer's schema".to_owned(),
            ));
        }
        let dates = batch
            .column(self.date_index)
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| invalid_input(format!("the {DATE_COLUMN:?} column is not Utf8")))?;
        let data = batch.project(&self.keep).map_err(arrow_error)?;
        let date_at = |row: usize| dates.is_valid(row).then(|| dates.value(row));

        // The runs of equal dates, grouped by date in order of first appearance.
        let rows = batch.num_rows();
        let mut groups: Vec<(Option<&str>, Vec<Run>)> = Vec::new();
        let mut start = 0;
        while start < rows {
            let date = date_at(start);
            let mut end = start + 1;
            while end < rows && date_at(end) == date {
                end += 1;
            }
            match groups.iter_mut().find(|(d, _)| *d == date) {
                Some((_, runs)) => runs.push((start, end)),
                None => groups.push((date, vec![(start, end)])),
            }
            start = end;
        }

        for (date, runs) in groups {
            // A date in one run (the usual case: a file's records are in time order) is
            // written as a zero-copy slice; a date in many runs is gathered into one
            // batch, unless a column type cannot be gathered.
            let gathered = match runs.as_slice() {
                [_] => None,
                _ => gather_batch(&data, &runs)?,
            };
            self.writes += 1;
            let used = self.writes;
            let partition = self.partition(date)?;
            partition.used = used;
            match gathered {
                Some(batch) => {
                    partition.writer.write(&batch).map_err(parquet_error)?;
                    partition.rows += batch.num_rows() as u64;
                }
                None => {
                    for (start, end) in runs {
                        partition
                            .writer
                            .write(&data.slice(start, end - start))
                            .map_err(parquet_error)?;
                        partition.rows += (end - start) as u64;
                    }
                }
            }
        }
        self.enforce_budget()
    }

    fn partition(&mut self, date: Option<&str>) -> io::Result<&mut Partition> {
        let key = date.unwrap_or(UNKNOWN_DATE);
        if !self.partitions.contains_key(key) {
            if let Some(date) = date {
                if !is_date(date) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{DATE_COLUMN} {date:?} is not YYYY-MM-DD"),
                    ));
                }
            }
            if self.partitions.len() >= MAX_OPEN_PARTITIONS {
                self.close_least_recent()?;
            }
            let dir = self.table_dir.join(format!("{DATE_COLUMN}={key}"));
            fs::create_dir_all(&dir)?;
            let path = dir.join(&self.file_name);
            let run = self.runs.entry(key.to_owned()).or_insert(0);
            let temp = run_path(&path, *run)?;
            *run += 1;
            let file = File::create(&temp)?;
            let writer =
                ArrowWriter::try_new(file, self.file_schema.clone(), Some(self.props.clone()))
                    .map_err(parquet_error)?;
            self.partitions.insert(
                key.to_owned(),
                Partition {
                    path,
                    temp,
                    writer,
                    rows: 0,
                    used: 0,
                },
            );
        }
        self.partitions
            .get_mut(key)
            .ok_or_else(|| io::Error::other("partition vanished"))
    }

    /// Flushes the largest row group in progress while all of them take more than the
    /// budget.
    /// Closes the partition written least recently (ties: the first in date order).
    fn close_least_recent(&mut self) -> io::Result<()> {
        let Some(key) = self
            .partitions
            .iter()
            .min_by_key(|(_, p)| p.used)
            .map(|(k, _)| k.clone())
        else {
            return Ok(());
        };
        if let Some(p) = self.partitions.remove(&key) {
            close_writer(p.writer)?;
            self.closed.push((p.path, p.temp, p.rows));
        }
        Ok(())
    }

    fn enforce_budget(&mut self) -> io::Result<()> {
        loop {
            let total: usize = self
                .partitions
                .values()
                .map(|p| p.writer.in_progress_size())
                .sum();
            if total <= self.budget {
                return Ok(());
            }
            // Ties go to the last partition in date order: deterministic.
            let Some(largest) = self
                .partitions
                .values_mut()
                .max_by_key(|p| p.writer.in_progress_size())
            else {
                return Ok(());
            };
            if largest.writer.in_progress_size() == 0 {
                return Ok(());
            }
            largest.writer.flush().map_err(parquet_error)?;
        }
    }
}

impl Drop for PartitionedWriter {
    /// Removes the temporary files of a writer that was not finished.
    fn drop(&mut self) {
        for (_, p) in std::mem::take(&mut self.t.partitions) {
            drop(p.writer);
            let _ = fs::remove_file(&p.temp);
        }
        for (_, temp, _) in std::mem::take(&mut self.t.closed) {
            let _ = fs::remove_file(&temp);
        }
    }
}

/// A run of rows of a batch with the same date: `(start, end)`, end exclusive.
pub(super) type Run = (usize, usize);

/// The rows of `runs` (`start..end` ranges, in order) of `batch` as one batch; `None` when
/// a column has a type [`gather`] does not handle.
pub(super) fn gather_batch(batch: &RecordBatch, runs: &[Run]) -> io::Result<Option<RecordBatch>> {
    let rows: Vec<usize> = runs.iter().flat_map(|&(start, end)| start..end).collect();
    let mut columns = Vec::with_capacity(batch.num_columns());
    for column in batch.columns() {
        match gather(column, &rows) {
            Some(c) => columns.push(c),
            None => return Ok(None),
        }
    }
    RecordBatch::try_new(batch.schema(), columns)
        .map(Some)
        .map_err(arrow_error)
}

/// `array[rows]` for the types the eblog tables use (Utf8, integers, timestamps, string
/// dictionaries, which keep their values array); `None` for other types. (arrow's `take`
/// lives in `arrow-select`, which eblog does not depend on.)
pub(super) fn gather(array: &ArrayRef, rows: &[usize]) -> Option<ArrayRef> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int16Type, Int64Type, TimestampMicrosecondType};
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            let out: StringArray = rows
                .iter()
                .map(|&i| a.is_valid(i).then(|| a.value(i)))
                .collect();
            Some(Arc::new(out))
        }
        DataType::Int64 => Some(gather_primitive::<Int64Type>(array, rows)),
        DataType::Int32 => Some(gather_primitive::<Int32Type>(array, rows)),
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Some(gather_primitive::<TimestampMicrosecondType>(array, rows))
        }
        DataType::Dictionary(key, value) if **value == DataType::Utf8 => match **key {
            DataType::Int8 => gather_dictionary::<Int8Type>(array, rows),
            DataType::Int16 => gather_dictionary::<Int16Type>(array, rows),
            DataType::Int32 => gather_dictionary::<Int32Type>(array, rows),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn gather_primitive<T: arrow_array::types::ArrowPrimitiveType>(
    array: &ArrayRef,
    rows: &[usize],
) -> ArrayRef {
    use arrow_array::cast::AsArray;
    let a = array.as_primitive::<T>();
    let out: arrow_array::PrimitiveArray<T> = rows
        .iter()
        .map(|&i| a.is_valid(i).then(|| a.value(i)))
        .collect();
    // Keeps the time zone of timestamps.
    Arc::new(out.with_data_type(array.data_type().clone()))
}

pub(super) fn gather_dictionary<K: arrow_array::types::ArrowDictionaryKeyType>(
    array: &ArrayRef,
    rows: &[usize],
) -> Option<ArrayRef> {
    use arrow_array::cast::AsArray;
    let d = array.as_dictionary::<K>();
    let keys = d.keys();
    let out: arrow_array::PrimitiveArray<K> = rows
        .iter()
        .map(|&i| keys.is_valid(i).then(|| keys.value(i)))
        .collect();
    let out = arrow_array::DictionaryArray::try_new(out, d.values().clone()).ok()?;
    Some(Arc::new(out))
}

pub(super) fn part_name(part: u32) -> String {
    format!("part-{part:05}.parquet")
}

/// Whether `s` is `YYYY-MM-DD` (digits and dashes; a safe directory name).
pub(super) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        })
}
