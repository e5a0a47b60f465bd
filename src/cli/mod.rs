//! The command-line layer: flags → options → library calls → exit code.
//!
//! Exit codes: 0 success; 1 an input could not be read, `--strict` found unparsed bytes,
//! or the output could not be written; 2 usage errors. A closed stdout pipe ends the
//! program quietly with 0.
#![forbid(unsafe_code)]

mod args;
mod collect;
mod commands;
mod exec_table;
mod filters;
mod install;
mod parse;
mod scan;
mod show;
mod table;
mod ui;

pub use args::{
    Cli, ColorArg, Command, CommandsArgs, CommonArgs, CompletionsArgs, DiagnoseArgs, FormatsArgs,
    ManArgs, ParseArgs, ParseOutput, RecordFilterArgs, ScanArgs, ScanOutput, ShowArgs, WindowArgs,
    VERSION,
};
pub use ui::Ui;

use crate::pipeline::ParseOptions;
use crate::record::{Format, KINDS};
use crate::redact::Redactor;
use crate::scan::{InputReport, MmapChoice, ScanOptions, ScanSummary};
use crate::time::Zone;
use clap::Parser;
use std::io::{self, Write};

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: unreadable input, unparsed bytes under `--strict`, or failed output.
pub const EXIT_FAILURE: i32 = 1;
/// Exit status: usage error.
pub const EXIT_USAGE: i32 = 2;
/// Exit status of `diagnose`: a command failed or timed out (every input was read).
pub const EXIT_FOUND_FAILURE: i32 = 3;

/// Runs eblog with the process's arguments and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            // Printing help or a usage error can only fail on a closed stream; nothing
            // more can be said then.
            let _ = e.print();
            return code;
        }
    };
    let ui = Ui {
        color: cli.color,
        verbose: cli.verbose,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Parse(args) => parse::run(&args, &ui),
        Command::Show(args) => show::run(&args, &ui),
        Command::Scan(args) => scan::run(&args, &ui),
        Command::Commands(args) => commands::run(&args, &ui),
        Command::Diagnose(args) => commands::diagnose(&args, &ui),
        Command::Formats(args) => formats(&args),
        Command::Completions(args) => install::completions(&args),
        Command::Man(args) => install::man(&args),
    }
}

/// Scan options and the redactor from the shared flags, or a usage error's exit code.
fn options(common: &CommonArgs) -> Result<(ScanOptions, Option<Redactor>), i32> {
    let zone: Zone = common.tz.parse().map_err(|e| {
        eprintln!("eblog: --tz: {e}");
        EXIT_USAGE
    })?;
    let now = chrono::Utc::now();
    let parse = ParseOptions {
        format: common.format,
        zone,
        // Stdin has no modification time: it is being written now.
        written: Some((chrono::Datelike::year(&now), chrono::Datelike::month(&now))),
        max_record_bytes: common.max_record_bytes,
    };
    let scan = ScanOptions {
        threads: common.threads,
        parse,
        mmap: if common.no_mmap {
            MmapChoice::Never
        } else {
            MmapChoice::Auto
        },
        ..ScanOptions::default()
    };
    Ok((scan, (!common.no_redact).then(Redactor::new)))
}

/// The exit code for a failed write: a closed pipe ends quietly.
fn write_failed(e: &io::Error) -> i32 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        EXIT_OK
    } else {
        eprintln!("eblog: error writing output: {e}");
        EXIT_FAILURE
    }
}

/// Tells the user what went wrong with the inputs; returns (any unreadable, any unparsed).
/// Unreadable inputs are errors, always said; unparsed bytes and the skipped files'
/// count are warnings, which `-q` silences; `-v` names every skipped file.
fn report_inputs(summary: &ScanSummary, ui: &Ui) -> (bool, bool) {
    let mut unparsed = false;
    for input in &summary.inputs {
        if let Some(error) = &input.error {
            eprintln!("eblog: {}: {error}", input.source);
        } else if input.skipped {
            if ui.verbose {
                eprintln!(
                    "eblog: skipped {}: not a log eblog reads (by its name and its first 64 KiB); name the file itself or use --format to parse it",
                    input.source
                );
            }
        } else {
            unparsed |= report_unparsed(input, ui);
        }
    }
    if summary.skipped > 0 && !ui.quiet && !ui.verbose {
        eprintln!(
            "eblog: skipped {} file(s) of no known format found in directories or archives (-v names them)",
            summary.skipped
        );
    }
    (summary.errors > 0, unparsed)
}

/// Tells the user about unparsed bytes (unless `-q`); returns whether there were any.
fn report_unparsed(input: &InputReport, ui: &Ui) -> bool {
    let Some((line, offset)) = input.first_unparsed else {
        return false;
    };
    if ui.quiet {
        return true;
    }
    let why = match input.format {
        None => "its format could not be detected (try --format)".to_owned(),
        Some(f) => format!("not {f} records"),
    };
    eprintln!(
        "eblog: {}: {} unparsed record(s), first at line {line} (byte offset {offset}): {why}",
        input.source, input.unparsed
    );
    true
}

/// The one-line summary for people.
fn summary_line(summary: &ScanSummary, seconds: f64) -> String {
    let files = summary
        .inputs
        .iter()
        .filter(|i| !i.skipped && i.error.is_none())
        .count();
    let mb = summary.bytes as f64 / 1e6;
    format!(
        "eblog: {files} input(s), {mb:.1} MB, {} records, {} unparsed, {} error(s), {} skipped in {seconds:.2} s ({:.1} MB/s)",
        summary.records,
        summary.unparsed,
        summary.errors,
        summary.skipped,
        if seconds > 0.0 { mb / seconds } else { 0.0 }
    )
}

fn formats(args: &FormatsArgs) -> i32 {
    let mut out = String::new();
    if args.kinds {
        out.push_str("KIND\tFORMATS\tFIELDS\tMEANING\n");
        for k in KINDS {
            let fields = if k.fields.is_empty() { "-" } else { k.fields };
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\n",
                k.kind, k.formats, fields, k.meaning
            ));
        }
    } else {
        out.push_str("FORMAT\tUSUAL PATH\n");
        for f in Format::ALL {
            out.push_str(&format!("{}\t{}\n", f.name(), f.usual_path()));
        }
    }
    match io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(e) => write_failed(&e),
    }
}
