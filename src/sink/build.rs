//! The dataset build of `eblog scan`, behind one call: the inputs scanned into the
//! `records` and `events` tables, the `commands` table correlated beside them (on a thread
//! of its own when the scan has more than one), the manifest written, and the whole
//! staged in a hidden directory and published into place ([`super::ownership`]).
//!
//! ```
//! use eblog::sink::build::{build_dataset, DatasetOptions};
//! use eblog::sink::dataset::TableFormat;
//! # let dir = tempfile::tempdir()?;
//! let log = dir.path().join("eb-engine.log");
//! std::fs::write(&log, "2023/05/01 10:00:00.000000 [INFO] Starting...\n")?;
//! let options = DatasetOptions::new(dir.path().join("out"), TableFormat::Parquet);
//! let built = build_dataset(&[log], &options, &|_| {})?;
//! assert_eq!(built.summary.records, 1);
//! assert!(dir.path().join("out/manifest.json").exists());
//! # Ok::<(), std::io::Error>(())
//! ```

use super::commands::CommandsTable;
use super::dataset::{
    manifest_bytes, DatasetSink, Manifest, TableFile, TableFormat, TablesEncoder, SCHEMA_VERSION,
};
use super::ownership::{Published, Staging};
use super::{scan_into, ChunkSink, Encoder};
use crate::correlate::{shapes_executions, slim, BoxedRecords, Correlator};
use crate::record::Record;
use crate::redact::Redactor;
use crate::scan::{worker_threads, ScanOptions, ScanSummary};
use std::io;
use std::path::PathBuf;
use std::sync::mpsc;

/// What [`build_dataset`] builds, and how.
#[derive(Debug, Clone)]
pub struct DatasetOptions {
    /// The dataset directory.
    pub out: PathBuf,
    /// Replace a directory that holds files eblog did not write (`--force`).
    pub force: bool,
    /// Parquet or JSON-lines tables.
    pub format: TableFormat,
    /// How the inputs are found and parsed.
    pub scan: ScanOptions,
    /// The redactor; `None` only when the user opted out.
    pub redactor: Option<Redactor>,
}

impl DatasetOptions {
    /// Options for a dataset in `out`, with default scan options and redaction on.
    pub fn new(out: PathBuf, format: TableFormat) -> Self {
        DatasetOptions {
            out,
            force: false,
            format,
            scan: ScanOptions::default(),
            redactor: Some(Redactor::new()),
        }
    }
}

/// A dataset built and published.
#[derive(Debug)]
pub struct BuiltDataset {
    /// Totals and one report per input (unreadable inputs included).
    pub summary: ScanSummary,
    /// What publishing replaced, removed and left in place.
    pub published: Published,
}

/// Scans `paths` into the dataset `options.out`: tables staged, manifest written, then
/// published in one step. `progress` is told the input bytes done as the scan goes.
///
/// # Errors
/// The output directory cannot be prepared (or holds files eblog did not write, without
/// `force`), a table cannot be written, or publishing fails; nothing is published then.
/// Unreadable inputs are not errors: they are in [`BuiltDataset::summary`].
pub fn build_dataset(
    paths: &[PathBuf],
    options: &DatasetOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> io::Result<BuiltDataset> {
    let staging = Staging::prepare(&options.out, options.force)?;
    // The tables are written into the staging directory and published when complete.
    let out = staging.path();
    let format = options.format;
    let tables = DatasetSink::new(out, format)?;
    let encoder = WithCommands(TablesEncoder {
        redactor: options.redactor.clone(),
        format,
    });
    let commands = CommandsWriter {
        correlator: Correlator::new(None, None, false),
        table: CommandsTable::new(out, format)?,
        redactor: options.redactor.clone(),
    };
    let mut sink = CollectCommands {
        tables,
        commands: if worker_threads(&options.scan) == 1 {
            Commands::Inline(Box::new(commands))
        } else {
            Commands::spawn(commands)
        },
    };
    let scanned = scan_into(paths, &options.scan, &encoder, &mut sink, progress);
    let CollectCommands { tables, commands } = sink;
    let summary = match scanned {
        Ok(summary) => summary,
        Err(e) => {
            commands.abandon();
            return Err(e);
        }
    };
    let mut files = match tables.finish(out) {
        Ok(files) => files,
        Err(e) => {
            commands.abandon();
            return Err(e);
        }
    };
    files.insert("commands", commands.finish()?);
    let manifest = Manifest {
        created_by: format!(
            "{} {}",
            super::ownership::CREATOR,
            env!("CARGO_PKG_VERSION")
        ),
        eblog_version: env!("CARGO_PKG_VERSION"),
        schema_version: SCHEMA_VERSION,
        table_format: format,
        scan: &summary,
        tables: files,
    };
    let published = staging.publish(&manifest.tables, &manifest_bytes(&manifest)?)?;
    Ok(BuiltDataset { summary, published })
}

/// Encodes the tables and keeps, beside them, the records correlation needs for the
/// `commands` table.
struct WithCommands(TablesEncoder);

impl Encoder for WithCommands {
    type Chunk = (<TablesEncoder as Encoder>::Chunk, BoxedRecords);

    fn encode(&self, records: Vec<Record>) -> io::Result<Self::Chunk> {
        // Copies, not the records themselves: a copy slimmed here is small and compact,
        // and the records are freed on the thread that allocated them. Handing over the
        // originals cost 25% more CPU with glibc's allocator and, with jemalloc, the same
        // CPU for a peak RSS 20-25 MB higher (BENCHMARKS.md).
        let relevant: BoxedRecords = records
            .iter()
            .filter(|r| shapes_executions(r))
            .map(|r| {
                let mut r = r.clone();
                slim(&mut r);
                Box::new(r)
            })
            .collect();
        Ok((self.0.encode(records)?, relevant))
    }
}

/// Writes the tables and hands the records correlation needs to the `commands` writer.
struct CollectCommands {
    tables: DatasetSink,
    commands: Commands,
}

impl ChunkSink for CollectCommands {
    type Chunk = (<TablesEncoder as Encoder>::Chunk, BoxedRecords);

    fn write(&mut self, (tables, relevant): Self::Chunk) -> io::Result<()> {
        self.commands.push(relevant)?;
        self.tables.write(tables)
    }
}

/// Correlates records into executions as they stream, host by host, and appends each
/// closed host's executions to the `commands` table.
struct CommandsWriter {
    correlator: Correlator,
    table: CommandsTable,
    redactor: Option<Redactor>,
}

impl CommandsWriter {
    fn push(&mut self, relevant: BoxedRecords) -> io::Result<()> {
        relevant.into_iter().for_each(|r| self.correlator.push(r));
        let closed = self.correlator.drain();
        write_executions(&mut self.table, closed, self.redactor.as_ref())
    }

    fn finish(mut self) -> io::Result<Vec<TableFile>> {
        let (executions, _) = self.correlator.finish();
        write_executions(&mut self.table, executions, self.redactor.as_ref())?;
        self.table.finish()
    }
}

/// Where the `commands` table is built: on the writer's thread when the scan has one
/// thread, else on a thread of its own, so that correlation runs beside the Parquet
/// encoding of the other tables instead of after it.
enum Commands {
    Inline(Box<CommandsWriter>),
    /// `Some(records)` to correlate, then `None` to finish the table; a channel closed
    /// without `None` (the scan failed) leaves no table behind. `done` is taken when the
    /// thread has been joined early, to report the error that stopped it.
    Thread {
        records: mpsc::SyncSender<Option<BoxedRecords>>,
        done: Option<CommandsThread>,
    },
}

/// The thread building the `commands` table; it ends with the table's files.
type CommandsThread = std::thread::JoinHandle<io::Result<Vec<TableFile>>>;

impl Commands {
    fn spawn(mut writer: CommandsWriter) -> Self {
        let (records, rx) = mpsc::sync_channel::<Option<BoxedRecords>>(2);
        let done = std::thread::spawn(move || {
            for message in rx {
                match message {
                    // An error ends the thread at once: the next send fails, and the
                    // scan stops with this error (`Commands::push`).
                    Some(relevant) => writer.push(relevant)?,
                    None => return writer.finish(),
                }
            }
            Err(io::Error::other("the scan stopped"))
        });
        Commands::Thread {
            records,
            done: Some(done),
        }
    }

    fn push(&mut self, relevant: BoxedRecords) -> io::Result<()> {
        match self {
            Commands::Inline(writer) => writer.push(relevant),
            Commands::Thread { records, done } => match records.send(Some(relevant)) {
                Ok(()) => Ok(()),
                // The thread ended: with its error, which explains the failed send.
                Err(_) => Err(join(done.take())
                    .err()
                    .unwrap_or_else(|| io::Error::other("the commands writer stopped"))),
            },
        }
    }

    /// Stops without writing the table (the scan failed); waits for the thread to
    /// remove its temporary files.
    fn abandon(self) {
        if let Commands::Thread { records, done } = self {
            drop(records);
            let _ = join(done);
        }
    }

    fn finish(self) -> io::Result<Vec<TableFile>> {
        match self {
            Commands::Inline(writer) => writer.finish(),
            Commands::Thread { records, done } => {
                // A send fails only when the thread ended with an error, which joining
                // reports.
                let _ = records.send(None);
                drop(records);
                join(done)
            }
        }
    }
}

/// Waits for the commands thread (if it was not joined already) and returns its result.
fn join(done: Option<CommandsThread>) -> io::Result<Vec<TableFile>> {
    match done {
        Some(thread) => thread
            .join()
            .map_err(|_| io::Error::other("the commands writer panicked"))?,
        None => Err(io::Error::other("the commands writer stopped")),
    }
}

/// Redacts executions and appends them to the `commands` table.
fn write_executions(
    table: &mut CommandsTable,
    mut executions: Vec<crate::correlate::Execution>,
    redactor: Option<&Redactor>,
) -> io::Result<()> {
    if let Some(redactor) = redactor {
        executions.iter_mut().for_each(|e| e.redact(redactor));
    }
    table.write(&executions)
}
