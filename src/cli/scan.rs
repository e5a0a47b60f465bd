//! `eblog scan PATH... --out DIR`: a dataset of Parquet (or JSON-lines) tables.

use super::{report_inputs, summary_line, ScanArgs, ScanOutput, EXIT_FAILURE, EXIT_OK};
use crate::correlate::{is_relevant, slim, Correlator};
use crate::record::Record;
use crate::scan::{scan, total_bytes, ChunkSink, Encoder};
use crate::sink::commands::CommandsTable;
use crate::sink::dataset::{
    prepare_dir, write_manifest, DatasetSink, Manifest, TableFormat, TablesEncoder, SCHEMA_VERSION,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::time::Instant;

pub(super) fn run(args: &ScanArgs) -> i32 {
    let (options, redactor) = match super::options(&args.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let out = &args.out;
    if let Err(e) = prepare_dir(out) {
        eprintln!("eblog: --out {}: {e}", out.display());
        return EXIT_FAILURE;
    }
    let format = match args.to {
        ScanOutput::Parquet => TableFormat::Parquet,
        ScanOutput::Jsonl => TableFormat::Jsonl,
    };
    let sink = match DatasetSink::new(out, format) {
        Ok(sink) => sink,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", out.display());
            return EXIT_FAILURE;
        }
    };
    let bar = progress_bar(args);
    let started = Instant::now();
    let encoder = WithCommands(TablesEncoder {
        redactor: redactor.clone(),
        format,
    });
    let advance = |bytes: u64| bar.inc(bytes);
    let commands_table = match CommandsTable::new(out, format) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", out.display());
            return EXIT_FAILURE;
        }
    };
    let mut sink = CollectCommands {
        tables: sink,
        commands: Correlator::new(None, None, false),
        commands_table,
        redactor: redactor.clone(),
    };
    let scanned = scan(&args.paths, &options, &encoder, &mut sink, &advance);
    let CollectCommands {
        tables: sink,
        commands,
        mut commands_table,
        ..
    } = sink;
    let summary = match scanned {
        Ok(summary) => summary,
        Err(e) => {
            bar.finish_and_clear();
            eprintln!("eblog: --out {}: {e}", out.display());
            return EXIT_FAILURE;
        }
    };
    bar.finish_and_clear();
    let mut tables = match sink.finish(out) {
        Ok(tables) => tables,
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", out.display());
            return EXIT_FAILURE;
        }
    };
    let (executions, _) = commands.finish();
    let written = write_executions(&mut commands_table, executions, redactor.as_ref())
        .and_then(|()| commands_table.finish());
    match written {
        Ok(files) => {
            tables.insert("commands", files);
        }
        Err(e) => {
            eprintln!("eblog: --out {}: {e}", out.display());
            return EXIT_FAILURE;
        }
    }
    let manifest = Manifest {
        eblog_version: env!("CARGO_PKG_VERSION"),
        schema_version: SCHEMA_VERSION,
        table_format: format,
        scan: &summary,
        tables,
    };
    if let Err(e) = write_manifest(out, &manifest) {
        eprintln!("eblog: --out {}: {e}", out.display());
        return EXIT_FAILURE;
    }
    let (unreadable, _) = report_inputs(&summary);
    if !args.quiet {
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

/// A progress bar by bytes on stderr when it is a terminal (and not `--quiet`).
fn progress_bar(args: &ScanArgs) -> ProgressBar {
    if args.quiet || !io::stderr().is_terminal() {
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
    type Chunk = (<TablesEncoder as Encoder>::Chunk, Vec<Record>);

    fn encode(&self, records: Vec<Record>) -> io::Result<Self::Chunk> {
        let relevant: Vec<Record> = records
            .iter()
            .filter(|r| is_relevant(r))
            .map(|r| {
                let mut r = r.clone();
                slim(&mut r);
                r
            })
            .collect();
        Ok((self.0.encode(records)?, relevant))
    }
}

/// Writes the tables and collects the records for `commands`.
struct CollectCommands {
    tables: DatasetSink,
    commands: Correlator,
    commands_table: CommandsTable,
    redactor: Option<crate::redact::Redactor>,
}

impl ChunkSink for CollectCommands {
    type Chunk = (<TablesEncoder as Encoder>::Chunk, Vec<Record>);

    fn write(&mut self, (tables, relevant): Self::Chunk) -> io::Result<()> {
        relevant.into_iter().for_each(|r| self.commands.push(r));
        let closed = self.commands.drain();
        write_executions(&mut self.commands_table, closed, self.redactor.as_ref())?;
        self.tables.write(tables)
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
