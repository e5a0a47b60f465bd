//! `eblog parse`: records on stdout (or `-o FILE`) as JSON lines, CSV or one Parquet file.

use super::filters::record_filter;
use super::{
    report_inputs, summary_line, write_failed, ParseArgs, ParseOutput, Ui, EXIT_FAILURE, EXIT_OK,
    EXIT_USAGE,
};
use crate::filter::{Filtered, FilteredSink, RecordFilter};
use crate::framing::wrapper;
use crate::input;
use crate::output::OutputFile;
use crate::pipeline::{parse_named_stream, parse_stream, parse_unit, Summary};
use crate::redact::Redactor;
use crate::scan::WRAPPER_MAX_BYTES;
use crate::scan::{InputReport, ScanOptions, ScanSummary};
use crate::sink::csv::{Csv, CsvEncoder};
use crate::sink::{scan_into as scan, JsonLinesEncoder, WriteSink};
use crate::sink::{JsonLines, RecordSink};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
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
    // `-o FILE`: a regular file is written under a temporary name and renamed onto FILE
    // at the end; a device, FIFO or terminal is written in place (`crate::output`).
    let mut output = None;
    let mut out: Box<dyn Write + Send> = match &args.output {
        Some(path) => match OutputFile::create(path).and_then(|o| {
            let file = o.try_clone_file()?;
            Ok((o, file))
        }) {
            Ok((o, file)) => {
                output = Some(o);
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
    if let Some(output) = output {
        if let Err(e) = output.commit() {
            eprintln!(
                "eblog: {}: {e}",
                args.output.as_deref().unwrap_or(Path::new("-")).display()
            );
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
        shard: None,
    }
}

/// Streams stdin into the output: decompressed as it is read when it is gzip; a wrapper
/// (tail bundle, CloudWatch download) or a zip archive is read whole first, up to
/// [`WRAPPER_MAX_BYTES`] (a larger wrapper is parsed as a plain log; a larger zip archive
/// is refused: name the file instead).
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

fn read_error(e: io::Error, offset: u64) -> io::Result<ScanSummary> {
    Ok(single(InputReport {
        source: "-".into(),
        error: Some(format!("read error at byte offset {offset}: {e}")),
        ..InputReport::default()
    }))
}

/// Parses stdin into `sink`: streamed record by record (gunzipped as it is read), or
/// read whole first, within bounds, when it is a wrapper or a zip archive.
pub(super) fn stdin_into(
    options: &ScanOptions,
    sink: &mut impl RecordSink,
) -> io::Result<ScanSummary> {
    let mut reader = io::BufReader::with_capacity(64 * 1024, EofLatch::new(io::stdin().lock()));
    let head = match reader.fill_buf() {
        Ok(head) => head,
        Err(e) => return read_error(e, 0),
    };
    if head.starts_with(b"PK\x03\x04") && options.parse.format.is_none() {
        return zip_stdin(reader, options, sink);
    }
    if head.starts_with(b"\x1f\x8b") {
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        return plain_stdin(
            io::BufReader::with_capacity(64 * 1024, decoder),
            options,
            sink,
        );
    }
    plain_stdin(reader, options, sink)
}

/// Stdin as one log, or as a wrapper read whole.
fn plain_stdin(
    mut reader: impl BufRead,
    options: &ScanOptions,
    sink: &mut impl RecordSink,
) -> io::Result<ScanSummary> {
    let head = match reader.fill_buf() {
        Ok(head) => head,
        Err(e) => return read_error(e, 0),
    };
    let wrapped = options.parse.format.is_none() && wrapper::detect(head).is_some();
    if !wrapped {
        return stream_stdin(reader, options, sink);
    }
    let mut data = Vec::new();
    if let Err(e) = (&mut reader)
        .take(WRAPPER_MAX_BYTES + 1)
        .read_to_end(&mut data)
    {
        return read_error(e, data.len() as u64);
    }
    if !crate::scan::unwraps_in_memory(&data) {
        return stream_stdin(io::Cursor::new(data).chain(reader), options, sink);
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

fn stream_stdin(
    reader: impl BufRead,
    options: &ScanOptions,
    sink: &mut impl RecordSink,
) -> io::Result<ScanSummary> {
    match parse_stream("-", reader, options.parse, sink) {
        Ok(summary) => Ok(single(report("-", &summary))),
        Err(e) if e.reading => read_error(e.error, e.offset),
        Err(e) => Err(e.error),
    }
}

/// A zip archive on stdin: read whole (up to [`WRAPPER_MAX_BYTES`]), its members
/// streamed one by one, never inflated whole.
fn zip_stdin(
    mut reader: impl BufRead,
    options: &ScanOptions,
    sink: &mut impl RecordSink,
) -> io::Result<ScanSummary> {
    let mut data = Vec::new();
    if let Err(e) = (&mut reader)
        .take(WRAPPER_MAX_BYTES + 1)
        .read_to_end(&mut data)
    {
        return read_error(e, data.len() as u64);
    }
    if data.len() as u64 > WRAPPER_MAX_BYTES {
        let why = io::Error::other(format!(
            "a zip archive on stdin larger than {} MiB is not read into memory: name the file instead",
            WRAPPER_MAX_BYTES >> 20
        ));
        return read_error(why, data.len() as u64);
    }
    let mut archive = match zip::ZipArchive::new(io::Cursor::new(data)) {
        Ok(archive) => archive,
        Err(e) => return read_error(io::Error::other(e), 0),
    };
    let names = input::member_names(&archive);
    let mut total = ScanSummary::default();
    for (name, index) in names {
        let source = format!("-!/{}", name.trim_start_matches('/'));
        let failed = |total: &mut ScanSummary, error: String| {
            merge(
                total,
                single(InputReport {
                    source: source.clone(),
                    error: Some(error),
                    ..InputReport::default()
                }),
            );
        };
        let member = match archive.by_index(index) {
            Ok(member) => member,
            Err(e) => {
                failed(&mut total, e.to_string());
                continue;
            }
        };
        let mut member = io::BufReader::with_capacity(64 * 1024, member);
        let gzip = member.fill_buf().is_ok_and(|b| b.starts_with(b"\x1f\x8b"));
        let path = PathBuf::from(&name);
        let parsed = if gzip {
            let name = path.with_extension("");
            let decoder = flate2::bufread::MultiGzDecoder::new(member);
            parse_named_stream(&source, &name, decoder, false, options.parse, sink)
        } else {
            parse_named_stream(&source, &path, member, false, options.parse, sink)
        };
        match parsed {
            Ok(Some(summary)) => merge(&mut total, single(report(&source, &summary))),
            Ok(None) => {
                total.skipped += 1;
                total.inputs.push(InputReport {
                    source,
                    skipped: true,
                    ..InputReport::default()
                });
            }
            Err(e) if e.reading => failed(
                &mut total,
                format!("read error at byte offset {}: {}", e.offset, e.error),
            ),
            Err(e) => return Err(e.error),
        }
    }
    Ok(total)
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
