//! `eblog scan PATH... --out DIR`: a dataset of Parquet (or JSON-lines) tables.

use super::{report_inputs, summary_line, ScanArgs, ScanOutput, EXIT_FAILURE, EXIT_OK};
use crate::correlate::{correlate, is_relevant};
use crate::record::Record;
use crate::scan::{scan, total_bytes, ChunkSink, Encoder};
use crate::sink::commands::write_commands;
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
    let mut sink = CollectCommands {
        tables: sink,
        relevant: Vec::new(),
    };
    let scanned = scan(&args.paths, &options, &encoder, &mut sink, &advance);
    let CollectCommands {
        tables: sink,
        relevant,
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
    let mut executions = correlate(&relevant);
    drop(relevant);
    if let Some(redactor) = &redactor {
        executions.iter_mut().for_each(|e| e.redact(redactor));
    }
    match write_commands(out, format, &executions) {
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
        let relevant: Vec<Record> = records.iter().filter(|r| is_relevant(r)).cloned().collect();
        Ok((self.0.encode(records)?, relevant))
    }
}

/// Writes the tables and collects the records for `commands`.
struct CollectCommands {
    tables: DatasetSink,
    relevant: Vec<Record>,
}

impl ChunkSink for CollectCommands {
    type Chunk = (<TablesEncoder as Encoder>::Chunk, Vec<Record>);

    fn write(&mut self, (tables, relevant): Self::Chunk) -> io::Result<()> {
        self.relevant.extend(relevant);
        self.tables.write(tables)
    }
}
