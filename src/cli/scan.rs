//! `eblog scan PATH... --out DIR`: a dataset of Parquet (or JSON-lines) tables.

use super::{report_inputs, summary_line, ScanArgs, ScanOutput, Ui, EXIT_FAILURE, EXIT_OK};
use crate::correlate::{shapes_executions, slim, BoxedRecords, Correlator};
use crate::record::Record;
use crate::scan::{scan, total_bytes, worker_threads, ChunkSink, Encoder};
use crate::sink::commands::CommandsTable;
use crate::sink::dataset::{
    manifest_bytes, DatasetSink, Manifest, TableFormat, TablesEncoder, SCHEMA_VERSION,
};
use crate::sink::ownership::{Published, Staging};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::sync::mpsc;
use std::time::Instant;

pub(super) fn run(args: &ScanArgs, ui: &Ui) -> i32 {
    let (mut options, redactor) = match super::options(&args.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    options.shard = args.shard;
    let staging = match Staging::prepare(&args.out, args.force) {
        Ok(staging) => staging,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    };
    // The tables are written into the staging directory and published when complete.
    let out = staging.path();
    let format = match args.to {
        ScanOutput::Parquet => TableFormat::Parquet,
        ScanOutput::Jsonl => TableFormat::Jsonl,
    };
    let sink = match DatasetSink::new(out, format) {
        Ok(sink) => sink,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    };
    let bar = progress_bar(args, ui);
    let started = Instant::now();
    let encoder = WithCommands(TablesEncoder {
        redactor: redactor.clone(),
        format,
    });
    let advance = |bytes: u64| bar.inc(bytes);
    let commands_table = match CommandsTable::new(out, format) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    };
    let commands = CommandsWriter {
        correlator: Correlator::new(None, None, false),
        table: commands_table,
        redactor: redactor.clone(),
    };
    let mut sink = CollectCommands {
        tables: sink,
        commands: if worker_threads(&options) == 1 {
            Commands::Inline(Box::new(commands))
        } else {
            Commands::spawn(commands)
        },
    };
    let scanned = scan(&args.paths, &options, &encoder, &mut sink, &advance);
    let CollectCommands {
        tables: sink,
        commands,
    } = sink;
    let summary = match scanned {
        Ok(summary) => summary,
        Err(e) => {
            commands.abandon();
            bar.finish_and_clear();
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    };
    bar.finish_and_clear();
    let mut tables = match sink.finish(out) {
        Ok(tables) => tables,
        Err(e) => {
            commands.abandon();
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    };
    match commands.finish() {
        Ok(files) => {
            tables.insert("commands", files);
        }
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", args.out.display());
            return EXIT_FAILURE;
        }
    }
    let manifest = Manifest {
        created_by: format!(
            "{} {}",
            crate::sink::ownership::CREATOR,
            env!("CARGO_PKG_VERSION")
        ),
        eblog_version: env!("CARGO_PKG_VERSION"),
        schema_version: SCHEMA_VERSION,
        table_format: format,
        scan: &summary,
        tables,
    };
    let published =
        match manifest_bytes(&manifest).and_then(|m| staging.publish(&manifest.tables, &m)) {
            Ok(published) => published,
            Err(e) => {
                eprintln!("eblog: --out {}: {e}", args.out.display());
                return EXIT_FAILURE;
            }
        };
    report_published(&args.out, &published, ui.quiet);
    let (unreadable, _) = report_inputs(&summary, ui);
    if !ui.quiet {
        eprintln!(
            "{}",
            summary_line(&summary, started.elapsed().as_secs_f64())
        );
    }
    if unreadable {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// Tells the user what a re-scan replaced and which files of the directory eblog did not
/// write (left in place).
fn report_published(dir: &std::path::Path, published: &Published, quiet: bool) {
    if quiet {
        return;
    }
    if let Some(previous) = &published.replaced {
        eprintln!(
            "eblog: --out {}: replaced the dataset {} wrote ({} file(s); {} no longer written, removed)",
            dir.display(),
            previous.created_by,
            previous.files.len(),
            published.removed.len()
        );
    }
    if let Some(first) = published.foreign.first() {
        eprintln!(
            "eblog: --out {}: {} file(s) eblog did not write are left in place, e.g. {first}",
            dir.display(),
            published.foreign.len()
        );
    }
}

/// A progress bar by bytes on stderr when it is a terminal (and not `--quiet`).
fn progress_bar(args: &ScanArgs, ui: &Ui) -> ProgressBar {
    if ui.quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar =
        ProgressBar::with_draw_target(Some(total_bytes(&args.paths)), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
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
    redactor: Option<crate::redact::Redactor>,
}

impl CommandsWriter {
    fn push(&mut self, relevant: BoxedRecords) -> io::Result<()> {
        relevant.into_iter().for_each(|r| self.correlator.push(r));
        let closed = self.correlator.drain();
        write_executions(&mut self.table, closed, self.redactor.as_ref())
    }

    fn finish(mut self) -> io::Result<Vec<crate::sink::dataset::TableFile>> {
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
type CommandsThread = std::thread::JoinHandle<io::Result<Vec<crate::sink::dataset::TableFile>>>;

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

    fn finish(self) -> io::Result<Vec<crate::sink::dataset::TableFile>> {
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
fn join(done: Option<CommandsThread>) -> io::Result<Vec<crate::sink::dataset::TableFile>> {
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
    redactor: Option<&crate::redact::Redactor>,
) -> io::Result<()> {
    if let Some(redactor) = redactor {
        executions.iter_mut().for_each(|e| e.redact(redactor));
    }
    table.write(&executions)
}
