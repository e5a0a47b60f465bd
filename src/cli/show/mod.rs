//! `eblog show`: records for people, one line each, in the terminal's width, paged when
//! stdout is a terminal; `--follow` as `parse -f`; `--deploys` groups them under the
//! command execution they belong to.

mod deploys;
mod pager;
mod render;

use super::filters::record_filter;
use super::parse::stdin_into;
use super::{report_inputs, write_failed, ShowArgs, Ui, EXIT_FAILURE, EXIT_OK, EXIT_USAGE};
use crate::filter::RecordFilter;
use crate::record::Record;
use crate::scan::{ScanOptions, ScanSummary};
use crate::sink::RecordSink;
use crate::sink::{scan_into as scan, ChunkSink, Encoder};
use render::Renderer;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// `eblog show`.
pub(super) fn run(args: &ShowArgs, ui: &Ui) -> i32 {
    let (options, redactor) = match super::options(&args.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let filter = match record_filter(&args.window, Some(&args.filter)) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let stdin_only = [PathBuf::from("-")];
    let paths = if args.paths.is_empty() {
        &stdin_only[..]
    } else {
        &args.paths[..]
    };
    if args.follow && paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("eblog: --follow needs file paths (stdin is followed already: `tail -F x | eblog show -`)");
        return EXIT_USAGE;
    }
    let renderer = Renderer {
        utc: args.utc,
        colour: ui.colour(),
        width: if args.expand {
            None
        } else {
            ui.width(args.wide)
        },
        expand: args.expand,
        in_deploy: args.deploys,
        redactor,
    };
    let paging = !args.no_pager && !args.follow && io::stdout().is_terminal();
    let mut pager = if paging { pager::Pager::start() } else { None };
    let stdout = io::stdout();
    let how = How {
        args,
        options: &options,
        filter: &filter,
        renderer: &renderer,
    };
    let result = match pager.as_mut().and_then(pager::Pager::input) {
        Some(input) => how.show(paths, &mut io::BufWriter::new(input)),
        None => how.show(paths, &mut io::BufWriter::new(stdout)),
    };
    if let Some(pager) = pager {
        // The user left the pager: nothing more to say.
        let _ = pager.finish();
    }
    // Said after the pager is gone, so that it does not write over the pager's screen.
    match result {
        Ok(Some((summary, told))) => {
            if let Some(told) = told.filter(|_| !ui.quiet) {
                eprintln!("eblog: {told}");
            }
            let (unreadable, _) = report_inputs(&summary, ui);
            if unreadable {
                EXIT_FAILURE
            } else {
                EXIT_OK
            }
        }
        Ok(None) => EXIT_OK,
        Err(e) => write_failed(&e),
    }
}

/// What `show` was asked.
struct How<'a> {
    args: &'a ShowArgs,
    options: &'a ScanOptions,
    filter: &'a RecordFilter,
    renderer: &'a Renderer,
}

impl How<'_> {
    /// Writes the records to `out`; returns what the inputs held and, for `--deploys`,
    /// what was shown of them; `None` for `--follow` (which has no summary).
    fn show(
        &self,
        paths: &[PathBuf],
        out: &mut (dyn Write + Send),
    ) -> io::Result<Option<(ScanSummary, Option<String>)>> {
        let (options, filter, renderer) = (self.options, self.filter, self.renderer);
        if self.args.follow {
            follow(paths, options, filter, renderer, out)?;
            return Ok(None);
        }
        if self.args.deploys {
            let (records, summary) = read_all(paths, options)?;
            let told = deploys::write(&records, filter, self.args.last, renderer, out)?;
            out.flush()?;
            return Ok(Some((summary, Some(told))));
        }
        let summary = lines(paths, options, filter, renderer, out)?;
        out.flush()?;
        Ok(Some((summary, None)))
    }
}

/// The records of a run of one file: where they come from and their lines.
struct Piece {
    source: Arc<str>,
    header: String,
    lines: String,
}

/// Renders records on the scanner's workers, one piece per run of one source.
struct Lines<'a> {
    filter: &'a RecordFilter,
    renderer: &'a Renderer,
}

impl Encoder for Lines<'_> {
    type Chunk = Vec<Piece>;

    fn encode(&self, records: Vec<Record>) -> io::Result<Vec<Piece>> {
        let mut pieces: Vec<Piece> = Vec::new();
        for record in records.iter().filter(|r| self.filter.matches(r)) {
            let same = pieces.last().is_some_and(|p| p.source == record.source);
            if !same {
                let mut header = String::new();
                self.renderer.file_header(record, &mut header);
                pieces.push(Piece {
                    source: record.source.clone(),
                    header,
                    lines: String::new(),
                });
            }
            if let Some(piece) = pieces.last_mut() {
                self.renderer.render(record, &mut piece.lines);
            }
        }
        Ok(pieces)
    }
}

/// Writes pieces in order, a `==> file <==` line where the source changes.
struct Pieces<'w> {
    out: &'w mut (dyn Write + Send),
    last: Option<Arc<str>>,
}

impl Pieces<'_> {
    fn piece(&mut self, source: &Arc<str>, header: &str, lines: &str) -> io::Result<()> {
        if self.last.as_ref() != Some(source) {
            if self.last.is_some() {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(header.as_bytes())?;
            self.last = Some(source.clone());
        }
        self.out.write_all(lines.as_bytes())
    }
}

impl ChunkSink for Pieces<'_> {
    type Chunk = Vec<Piece>;

    fn write(&mut self, chunk: Vec<Piece>) -> io::Result<()> {
        for p in &chunk {
            self.piece(&p.source, &p.header, &p.lines)?;
        }
        Ok(())
    }
}

/// The same for records pushed one at a time (stdin, `--follow`).
struct PieceSink<'a, 'w> {
    pieces: Pieces<'w>,
    filter: &'a RecordFilter,
    renderer: &'a Renderer,
    scratch: (String, String),
}

impl RecordSink for PieceSink<'_, '_> {
    fn record(&mut self, record: &Record) -> io::Result<()> {
        if !self.filter.matches(record) {
            return Ok(());
        }
        let (header, lines) = &mut self.scratch;
        header.clear();
        lines.clear();
        self.renderer.file_header(record, header);
        self.renderer.render(record, lines);
        self.pieces.piece(&record.source, header, lines)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pieces.out.flush()
    }
}

/// Records as lines, files in parallel and stdin streamed, in the order of `paths`.
fn lines(
    paths: &[PathBuf],
    options: &ScanOptions,
    filter: &RecordFilter,
    renderer: &Renderer,
    out: &mut (dyn Write + Send),
) -> io::Result<ScanSummary> {
    let mut total = ScanSummary::default();
    let mut pieces = Pieces { out, last: None };
    for group in super::parse::groups(paths) {
        let summary = if group[0].as_os_str() == "-" {
            let mut sink = PieceSink {
                pieces,
                filter,
                renderer,
                scratch: Default::default(),
            };
            let summary = stdin_into(options, &mut sink)?;
            pieces = sink.pieces;
            summary
        } else {
            let encoder = Lines { filter, renderer };
            scan(&group, options, &encoder, &mut pieces, &|_| {})?
        };
        super::parse::merge(&mut total, summary);
    }
    Ok(total)
}

/// Every record of `paths`, in input order (for `--deploys`).
fn read_all(paths: &[PathBuf], options: &ScanOptions) -> io::Result<(Vec<Record>, ScanSummary)> {
    struct Keep;
    impl Encoder for Keep {
        type Chunk = Vec<Record>;
        fn encode(&self, records: Vec<Record>) -> io::Result<Vec<Record>> {
            Ok(records)
        }
    }
    struct Into<'v>(&'v mut Vec<Record>);
    impl ChunkSink for Into<'_> {
        type Chunk = Vec<Record>;
        fn write(&mut self, chunk: Vec<Record>) -> io::Result<()> {
            self.0.extend(chunk);
            Ok(())
        }
    }
    let mut records = Vec::new();
    let mut total = ScanSummary::default();
    for group in super::parse::groups(paths) {
        let summary = if group[0].as_os_str() == "-" {
            stdin_into(options, &mut records)?
        } else {
            scan(&group, options, &Keep, &mut Into(&mut records), &|_| {})?
        };
        super::parse::merge(&mut total, summary);
    }
    Ok((records, total))
}

/// `--follow`: the files as they grow, as lines.
fn follow(
    paths: &[PathBuf],
    options: &ScanOptions,
    filter: &RecordFilter,
    renderer: &Renderer,
    out: &mut (dyn Write + Send),
) -> io::Result<()> {
    let stop = super::parse::stop_on_ctrl_c();
    let mut sink = PieceSink {
        pieces: Pieces { out, last: None },
        filter,
        renderer,
        scratch: Default::default(),
    };
    let follow_options = crate::follow::FollowOptions {
        parse: options.parse,
        ..Default::default()
    };
    match crate::follow::follow(paths, follow_options, &mut sink, &stop) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(io::Error::new(e.kind(), format!("--follow: {e}")))
        }
        _ => Ok(()),
    }
}
