//! `eblog parse`: records on stdout (or `-o FILE`) as JSON lines, CSV or one Parquet file.

use super::filters::record_filter;
use super::{
    report_inputs, summary_line, write_failed, ParseArgs, ParseOutput, Ui, EXIT_FAILURE, EXIT_OK,
    EXIT_USAGE,
};
use crate::filter::{Filtered, FilteredSink, RecordFilter};
use crate::framing::wrapper;
use crate::input;
use crate::pipeline::{parse_stream, parse_unit, Summary};
use crate::redact::Redactor;
use crate::scan::{scan, InputReport, JsonLinesEncoder, ScanOptions, ScanSummary, WriteSink};
use crate::sink::csv::{Csv, CsvEncoder};
use crate::sink::{JsonLines, RecordSink};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

pub(super) fn run(args: &ParseArgs, ui: &Ui) -> i32 {
    let (options, redactor) = match super::options(&args.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let filter = match record_filter(&args.window, Some(&args.filter)) {
        Ok(f) => f,
        Err(code) => return code,
    };
    // Under --strict, unparsed bytes are an error, said even with -q.
    let ui = &Ui {
        quiet: ui.quiet && !args.strict,
        ..*ui
    };
    if args.follow {
        return follow(args, &options, redactor, &filter);
    }
    let stdin_only = [PathBuf::from("-")];
    let paths = if args.paths.is_empty() {
        &stdin_only[..]
    } else {
        &args.paths[..]
    };
    if args.to == ParseOutput::Parquet {
        return parquet(args, paths, &options, redactor, &filter, ui);
    }
    // `-o FILE` is written under a temporary name and renamed onto FILE at the end.
    let mut temp = None;
    let mut out: Box<dyn Write + Send> = match &args.output {
        Some(path) => match super::temp_beside(path).and_then(|t| {
            let file = t.as_file().try_clone()?;
            Ok((t, file))
        }) {
            Ok((t, file)) => {
                temp = Some(t);
                Box::new(io::BufWriter::with_capacity(256 * 1024, file))
            }
            Err(e) => {
                eprintln!("eblog: {}: {e}", path.display());
                return EXIT_FAILURE;
            }
        },
        None => Box::new(io::BufWriter::with_capacity(256 * 1024, io::stdout())),
    };
    // A failed write names the file written to (`-o FILE`), or says "output" (stdout).
    let write_failed = |e: &io::Error| match &args.output {
        Some(path) if e.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("eblog: {}: error writing output: {e}", path.display());
            EXIT_FAILURE
        }
        _ => write_failed(e),
    };
    if args.to == ParseOutput::Csv {
        if let Err(e) = Csv::new(&mut out, true, None).and_then(Csv::into_inner) {
            return write_failed(&e);
        }
    }
    let started = Instant::now();
    let mut total = ScanSummary::default();
    for group in groups(paths) {
        let result = if group[0].as_os_str() == "-" {
            stdin(args.to, &options, redactor.clone(), &filter, &mut out)
        } else {
            files_to(
                args.to,
                &group,
                &options,
                redactor.clone(),
                &filter,
                &mut out,
            )
        };
        match result {
            Ok(summary) => merge(&mut total, summary),
            Err(e) => return write_failed(&e),
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    drop(out);
    if let (Some(temp), Some(path)) = (temp, &args.output) {
        if let Err(e) = temp.persist(path) {
            eprintln!("eblog: {}: {}", path.display(), e.error);
            return EXIT_FAILURE;
        }
    }
    let (unreadable, unparsed) = report_inputs(&total, ui);
    if io::stderr().is_terminal() && !ui.quiet {
        eprintln!("{}", summary_line(&total, started.elapsed().as_secs_f64()));
    }
    if unreadable || (unparsed && args.strict) {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// `paths` in runs: the files between two `-`, and each `-` alone, in order; none empty.
pub(super) fn groups(paths: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut groups: Vec<Vec<PathBuf>> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            groups.push(std::mem::take(&mut files));
            groups.push(vec![path.clone()]);
        } else {
            files.push(path.clone());
        }
    }
    groups.push(files);
    groups.retain(|g| !g.is_empty());
    groups
}

/// A flag that Ctrl-C (SIGINT) sets, for `--follow` to end cleanly.
pub(super) fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    if let Err(e) = ctrlc::set_handler(move || handler_stop.store(true, Ordering::Relaxed)) {
        eprintln!("eblog: cannot catch Ctrl-C: {e}");
    }
    stop
}

/// Adds what one run of inputs found to the total.
pub(super) fn merge(total: &mut ScanSummary, part: ScanSummary) {
    total.bytes += part.bytes;
    total.records += part.records;
    total.unparsed += part.unparsed;
    total.errors += part.errors;
    total.skipped += part.skipped;
    total.inputs.extend(part.inputs);
}

/// Scans files in parallel into the output.
pub(super) fn files_to(
    to: ParseOutput,
    paths: &[PathBuf],
    options: &ScanOptions,
    redactor: Option<Redactor>,
    filter: &RecordFilter,
    out: &mut (dyn Write + Send),
) -> io::Result<ScanSummary> {
    let mut sink = WriteSink(out);
    let none = |_: u64| {};
    match to {
        ParseOutput::Csv => {
            let encoder = Filtered {
                filter,
                inner: CsvEncoder { redactor },
            };
            scan(paths, options, &encoder, &mut sink, &none)
        }
        _ => {
            let encoder = Filtered {
                filter,
                inner: JsonLinesEncoder { redactor },
            };
            scan(paths, options, &encoder, &mut sink, &none)
        }
    }
}

fn report(source: &str, summary: &Summary) -> InputReport {
    InputReport {
        source: source.to_owned(),
        bytes: summary.bytes,
        format: summary.format,
        records: summary.records,
        unparsed: summary.unparsed,
        first_unparsed: summary.first_unparsed,
        skipped: false,
        error: None,
    }
}

fn single(report: InputReport) -> ScanSummary {
    ScanSummary {
        bytes: report.bytes,
        records: report.records,
        unparsed: report.unparsed,
        errors: u64::from(report.error.is_some()),
        skipped: u64::from(report.skipped),
        inputs: vec![report],
    }
}

/// Streams stdin into the output, unless it starts like a wrapper or a compressed file,
/// which need the whole input: those are read to the end and parsed as one unit.
fn stdin(
    to: ParseOutput,
    options: &ScanOptions,
    redactor: Option<Redactor>,
    filter: &RecordFilter,
    out: &mut (dyn Write + Send),
) -> io::Result<ScanSummary> {
    match to {
        ParseOutput::Csv => stdin_into(
            options,
            &mut FilteredSink {
                filter,
                inner: Csv::new(out, false, redactor)?,
            },
        ),
        _ => stdin_into(
            options,
            &mut FilteredSink {
                filter,
                inner: JsonLines::new(out, redactor),
            },
        ),
    }
}

/// Parses stdin into `sink`: streamed record by record, or read whole first when it
/// starts like a wrapper or a compressed file.
pub(super) fn stdin_into(
    options: &ScanOptions,
    sink: &mut impl RecordSink,
) -> io::Result<ScanSummary> {
    let read_error = |e: io::Error, offset: u64| {
        Ok(single(InputReport {
            source: "-".into(),
            error: Some(format!("read error at byte offset {offset}: {e}")),
            ..InputReport::default()
        }))
    };
    let mut reader = io::BufReader::with_capacity(64 * 1024, EofLatch::new(io::stdin().lock()));
    let head = match reader.fill_buf() {
        Ok(head) => head,
        Err(e) => return read_error(e, 0),
    };
    let whole = options.parse.format.is_none()
        && (head.starts_with(b"\x1f\x8b")
            || head.starts_with(b"PK\x03\x04")
            || wrapper::detect(head).is_some());
    if !whole {
        return match parse_stream("-", reader, options.parse, sink) {
            Ok(summary) => Ok(single(report("-", &summary))),
            Err(e) if e.reading => read_error(e.error, e.offset),
            Err(e) => Err(e.error),
        };
    }
    let mut data = Vec::new();
    if let Err(e) = reader.read_to_end(&mut data) {
        return read_error(e, data.len() as u64);
    }
    let mut total = ScanSummary::default();
    let mut failed: io::Result<()> = Ok(());
    input::open_bytes(
        "-".to_owned(),
        PathBuf::from("-"),
        data,
        true,
        options.parse.written,
        &mut |unit| match unit {
            Ok(unit) => match parse_unit(&unit, options.parse, sink) {
                Ok(done) => {
                    for (source, s) in &done.logs {
                        merge(&mut total, single(report(source, s)));
                    }
                }
                Err(e) => failed = Err(e),
            },
            Err(e) => merge(
                &mut total,
                single(InputReport {
                    source: e.source.clone(),
                    error: Some(e.error.to_string()),
                    ..InputReport::default()
                }),
            ),
        },
    );
    failed.map(|()| total)
}

/// A reader that stays at its end once it has reached it. A terminal reports the end of
/// input once per Ctrl-D and would be read again after it: latched, one Ctrl-D ends
/// the input, whatever reads it afterwards (format detection, then the stream).
struct EofLatch<R> {
    inner: R,
    ended: bool,
}

impl<R> EofLatch<R> {
    fn new(inner: R) -> Self {
        EofLatch {
            inner,
            ended: false,
        }
    }
}

impl<R: Read> Read for EofLatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ended || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.ended = n == 0;
        Ok(n)
    }
}

/// `--to parquet -o FILE`: one flat records file.
fn parquet(
    args: &ParseArgs,
    paths: &[PathBuf],
    options: &ScanOptions,
    redactor: Option<Redactor>,
    filter: &RecordFilter,
    ui: &Ui,
) -> i32 {
    let Some(output) = &args.output else {
        eprintln!("eblog: --to parquet writes a file: name it with -o FILE");
        return EXIT_USAGE;
    };
    if paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("eblog: --to parquet reads files, not stdin");
        return EXIT_USAGE;
    }
    let mut sink = match crate::sink::dataset::RecordsFileSink::create(output) {
        Ok(sink) => sink,
        Err(e) => {
            eprintln!("eblog: {}: {e}", output.display());
            return EXIT_FAILURE;
        }
    };
    let encoder = Filtered {
        filter,
        inner: crate::sink::dataset::RecordsEncoder { redactor },
    };
    let summary = match scan(paths, options, &encoder, &mut sink, &|_| {}) {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!("eblog: {}: {e}", output.display());
            return EXIT_FAILURE;
        }
    };
    if let Err(e) = sink.finish() {
        eprintln!("eblog: {}: {e}", output.display());
        return EXIT_FAILURE;
    }
    let (unreadable, unparsed) = report_inputs(&summary, ui);
    if unreadable || (unparsed && args.strict) {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

fn follow(
    args: &ParseArgs,
    options: &ScanOptions,
    redactor: Option<Redactor>,
    filter: &RecordFilter,
) -> i32 {
    if args.paths.is_empty() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("eblog: --follow needs file paths (stdin is followed already: `tail -F x | eblog parse -`)");
        return EXIT_USAGE;
    }
    if args.to != ParseOutput::Jsonl || args.output.is_some() {
        eprintln!("eblog: --follow writes JSON lines to stdout (no --to, no -o)");
        return EXIT_USAGE;
    }
    let stop = stop_on_ctrl_c();
    let mut sink = FilteredSink {
        filter,
        inner: JsonLines::new(io::BufWriter::new(io::stdout().lock()), redactor),
    };
    let follow_options = crate::follow::FollowOptions {
        parse: options.parse,
        ..Default::default()
    };
    match crate::follow::follow(&args.paths, follow_options, &mut sink, &stop) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("eblog: --follow: {e}");
            EXIT_FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `parts` in turn, each read returning one part (`""` is an end of input).
    struct Parts(Vec<&'static str>);

    impl Read for Parts {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let part = self.0.remove(0).as_bytes();
            buf[..part.len()].copy_from_slice(part);
            Ok(part.len())
        }
    }

    #[test]
    fn one_end_of_input_ends_it() {
        // A terminal: a line, Ctrl-D, then more typed after it.
        let mut latched = EofLatch::new(Parts(vec!["a\n", "", "b\n"]));
        let mut all = String::new();
        latched.read_to_string(&mut all).unwrap();
        assert_eq!(all, "a\n");
        assert_eq!(latched.read(&mut [0; 4]).unwrap(), 0, "still ended");
    }
}
