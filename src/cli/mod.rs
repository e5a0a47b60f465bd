//! The command-line layer: flags → options → library calls → exit code.
//!
//! Exit codes: 0 success; 1 an input could not be read, `--strict` found unparsed bytes,
//! or the output could not be written; 2 usage errors. A closed stdout pipe ends the
//! program quietly with 0.

mod args;

pub use args::{Cli, Command, FormatArg, FormatsArgs, ParseArgs};

use crate::framing::wrapper;
use crate::input;
use crate::pipeline::{parse_stream, parse_unit, ParseOptions, Summary};
use crate::record::{Format, KINDS};
use crate::redact::Redactor;
use crate::sink::{JsonLines, RecordSink};
use crate::time::Zone;
use clap::Parser;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
    let now = chrono::Utc::now();
    let options = ParseOptions {
        format: args.format.map(Format::from),
        zone,
        // Stdin has no modification time: it is being written now.
        written: Some((chrono::Datelike::year(&now), chrono::Datelike::month(&now))),
    };
    let redactor = (!args.no_redact).then(Redactor::new);
    let stdout = io::stdout();
    let mut sink = JsonLines::new(
        io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        redactor,
    );

    if args.follow {
        return follow(args, options, &mut sink);
    }
    let stdin_only = [Path::new("-").to_path_buf()];
    let paths = if args.paths.is_empty() {
        &stdin_only[..]
    } else {
        &args.paths[..]
    };
    let mut run = Run {
        options,
        status: EXIT_OK,
        strict: args.strict,
        skipped: 0,
        output: None,
    };
    for path in paths {
        if path.as_os_str() == "-" {
            run.stdin(&mut sink);
        } else {
            input::expand(path, true, &mut |unit| run.unit(unit, &mut sink));
        }
        if run.output.is_some() {
            break;
        }
    }
    if run.skipped > 0 {
        eprintln!(
            "eblog: skipped {} file(s) of no known format found in directories or archives",
            run.skipped
        );
    }
    if let Some(outcome) = run.output.take() {
        return finish_output(outcome);
    }
    match sink.flush() {
        Ok(()) => run.status,
        Err(e) => finish_output(write_outcome(e)).max(run.status),
    }
}

fn follow(args: &ParseArgs, options: ParseOptions, sink: &mut impl RecordSink) -> i32 {
    if args.paths.is_empty() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("eblog: --follow needs file paths (stdin is followed already: `tail -F x | eblog parse -`)");
        return EXIT_USAGE;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    if let Err(e) = ctrlc::set_handler(move || handler_stop.store(true, Ordering::Relaxed)) {
        eprintln!("eblog: cannot catch Ctrl-C: {e}");
    }
    let options = crate::follow::FollowOptions {
        parse: options,
        ..Default::default()
    };
    match crate::follow::follow(&args.paths, options, sink, &stop) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("eblog: --follow: {e}");
            EXIT_FAILURE
        }
    }
}

/// The state of one `eblog parse` run across its inputs.
struct Run {
    options: ParseOptions,
    status: i32,
    strict: bool,
    skipped: u64,
    /// Set when writing failed: the run stops.
    output: Option<Outcome>,
}

impl Run {
    fn logged(&mut self, source: &str, summary: &Summary) {
        if report_unparsed(source, summary) && self.strict {
            self.status = EXIT_FAILURE;
        }
    }

    fn unit(&mut self, unit: Result<input::Unit, input::InputError>, sink: &mut impl RecordSink) {
        if self.output.is_some() {
            return;
        }
        match unit {
            Ok(unit) => match parse_unit(&unit, self.options, sink) {
                Ok(done) => {
                    self.skipped += u64::from(done.skipped);
                    for (source, summary) in &done.logs {
                        self.logged(source, summary);
                    }
                }
                Err(e) => self.output = Some(write_outcome(e)),
            },
            Err(e) => {
                eprintln!("eblog: {e}");
                self.status = EXIT_FAILURE;
            }
        }
    }

    /// Streams stdin, unless it starts like a wrapper or a compressed file, which need the
    /// whole input: those are read to the end and parsed as one unit.
    fn stdin(&mut self, sink: &mut impl RecordSink) {
        let mut reader = io::BufReader::with_capacity(64 * 1024, io::stdin().lock());
        let head = match reader.fill_buf() {
            Ok(head) => head,
            Err(e) => {
                eprintln!("eblog: -: read error at byte offset 0: {e}");
                self.status = EXIT_FAILURE;
                return;
            }
        };
        let whole = self.options.format.is_none()
            && (head.starts_with(b"\x1f\x8b")
                || head.starts_with(b"PK\x03\x04")
                || wrapper::detect(head).is_some());
        if whole {
            let mut data = Vec::new();
            if let Err(e) = reader.read_to_end(&mut data) {
                eprintln!("eblog: -: read error: {e}");
                self.status = EXIT_FAILURE;
                return;
            }
            let now = chrono::Utc::now();
            let written = Some((chrono::Datelike::year(&now), chrono::Datelike::month(&now)));
            input::open_bytes(
                "-".to_owned(),
                PathBuf::from("-"),
                data,
                true,
                written,
                &mut |unit| self.unit(unit, sink),
            );
            return;
        }
        match parse_stream("-", reader, self.options, sink) {
            Ok(summary) => self.logged("-", &summary),
            Err(e) if e.reading => {
                eprintln!(
                    "eblog: -: read error at byte offset {}: {}",
                    e.offset, e.error
                );
                self.status = EXIT_FAILURE;
            }
            Err(e) => self.output = Some(write_outcome(e.error)),
        }
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
