//! The command-line layer: flags → options → library calls → exit code.
//!
//! Exit codes: 0 success; 1 an input could not be read, `--strict` found unparsed bytes,
//! or the output could not be written; 2 usage errors. A closed stdout pipe ends the
//! program quietly with 0.

mod args;

pub use args::{Cli, Command, FormatArg, FormatsArgs, ParseArgs};

use crate::pipeline::{parse_buffer, parse_stream, ParseOptions, StreamError, Summary};
use crate::record::{Format, KINDS};
use crate::redact::Redactor;
use crate::sink::{JsonLines, RecordSink};
use crate::time::Zone;
use clap::Parser;
use std::io::{self, Write};
use std::path::Path;

/// Exit status: success.
pub const EXIT_OK: i32 = 0;
/// Exit status: unreadable input, unparsed bytes under `--strict`, or failed output.
pub const EXIT_FAILURE: i32 = 1;
/// Exit status: usage error.
pub const EXIT_USAGE: i32 = 2;

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
    match cli.command {
        Command::Parse(args) => parse(&args),
        Command::Formats(args) => formats(&args),
    }
}

/// How writing the output ended.
enum Outcome {
    /// The reader of stdout went away: stop quietly.
    PipeClosed,
    /// Writing failed for another reason.
    WriteFailed(io::Error),
}

fn write_outcome(e: io::Error) -> Outcome {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Outcome::PipeClosed
    } else {
        Outcome::WriteFailed(e)
    }
}

fn parse(args: &ParseArgs) -> i32 {
    let zone: Zone = match args.tz.parse() {
        Ok(zone) => zone,
        Err(e) => {
            eprintln!("eblog: --tz: {e}");
            return EXIT_USAGE;
        }
    };
    let options = ParseOptions {
        format: args.format.map(Format::from),
        zone,
    };
    let redactor = (!args.no_redact).then(Redactor::new);
    let stdout = io::stdout();
    let mut sink = JsonLines::new(
        io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        redactor,
    );

    let stdin_only = [Path::new("-").to_path_buf()];
    let paths = if args.paths.is_empty() {
        &stdin_only[..]
    } else {
        &args.paths[..]
    };
    let mut status = EXIT_OK;
    for path in paths {
        let (source, result) = parse_one(path, options, &mut sink);
        match result {
            Ok(summary) => {
                if report_unparsed(&source, &summary) && args.strict {
                    status = EXIT_FAILURE;
                }
            }
            Err(Failure::Input(message)) => {
                eprintln!("eblog: {message}");
                status = EXIT_FAILURE;
            }
            Err(Failure::Output(outcome)) => return finish_output(outcome),
        }
    }
    match sink.flush() {
        Ok(()) => status,
        Err(e) => finish_output(write_outcome(e)).max(status),
    }
}

fn finish_output(outcome: Outcome) -> i32 {
    match outcome {
        Outcome::PipeClosed => EXIT_OK,
        Outcome::WriteFailed(e) => {
            eprintln!("eblog: error writing output: {e}");
            EXIT_FAILURE
        }
    }
}

enum Failure {
    /// The input could not be read; the message names it.
    Input(String),
    /// The output could not be written.
    Output(Outcome),
}

fn parse_one(
    path: &Path,
    options: ParseOptions,
    sink: &mut impl RecordSink,
) -> (String, Result<Summary, Failure>) {
    let source = path.to_string_lossy().into_owned();
    if source == "-" {
        let result =
            parse_stream("-", io::stdin().lock(), options, sink).map_err(|e: StreamError| {
                if e.reading {
                    Failure::Input(format!(
                        "-: read error at byte offset {}: {}",
                        e.offset, e.error
                    ))
                } else {
                    Failure::Output(write_outcome(e.error))
                }
            });
        return (source, result);
    }
    let buf = match std::fs::read(path) {
        Ok(buf) => buf,
        Err(e) => {
            return (
                source.clone(),
                Err(Failure::Input(format!("{source}: {e}"))),
            )
        }
    };
    let result = parse_buffer(&source, Some(path), &buf, options, sink)
        .map_err(|e| Failure::Output(write_outcome(e)));
    (source, result)
}

/// Tells the user about unparsed bytes; returns whether there were any.
fn report_unparsed(source: &str, summary: &Summary) -> bool {
    let Some((line, offset)) = summary.first_unparsed else {
        return false;
    };
    let why = match summary.format {
        None => "its format could not be detected (try --format)".to_owned(),
        Some(f) => format!("not {f} records"),
    };
    eprintln!(
        "eblog: {source}: {} unparsed record(s), first at line {line} (byte offset {offset}): {why}",
        summary.unparsed
    );
    true
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
        Err(e) => finish_output(write_outcome(e)),
    }
}
