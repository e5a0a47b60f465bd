//! The parse pipeline for one input: detection → framing → decoding → sink, for a whole
//! buffer ([`parse_buffer`]) or a stream read line by line ([`parse_stream`]).
#![forbid(unsafe_code)]

use crate::decode::{decode, lookback, text, Context};
/// The syslog year helpers, where they were before the formats had modules of their own.
pub use crate::formats::web_stdout::{infer_year, year_from_name};
use crate::formats::{file_context, FileFacts};
use crate::framing::wrapper::{self, Section};
use crate::framing::{
    detect_by_content, detect_by_name, frame_with, pieces, Framer, Span, DEFAULT_MAX_RECORD_BYTES,
    DETECT_WINDOW,
};
use crate::input::Unit;
use crate::record::{Event, Format, Record};
use crate::sink::RecordSink;
use crate::time::Zone;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// Options of a parse.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    /// Force this format instead of detecting it.
    pub format: Option<Format>,
    /// Zone of the cfn-* local-time stamps.
    pub zone: Zone,
    /// Year and month the input was last written, for stamps without a year
    /// (web.stdout.log) when the text itself names no date.
    pub written: Option<(i32, u32)>,
    /// The most bytes one record may hold; a longer one is cut into `unparsed` pieces
    /// (`reason: record_too_large`).
    pub max_record_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            format: None,
            zone: Zone::default(),
            written: None,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// What one input held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// The format used, `None` when it could not be told.
    pub format: Option<Format>,
    /// Records written.
    pub records: u64,
    /// Of which `unparsed`.
    pub unparsed: u64,
    /// The first unparsed record's line and byte offset.
    pub first_unparsed: Option<(u64, u64)>,
    /// Bytes read.
    pub bytes: u64,
}

impl Summary {
    fn count(&mut self, span: &Span, unparsed: bool) {
        self.records += 1;
        if unparsed {
            self.unparsed += 1;
            self.first_unparsed.get_or_insert((span.line, span.start));
        }
    }
}

/// Whether a log found in a directory, an archive or a bundle is not one of eblog's: its
/// format is unknown, or it is a system syslog (`messages`, `cron`, `secure`) that shares
/// web.stdout.log's layout but not its name.
pub fn is_foreign(format: Option<Format>, name: Option<&Path>) -> bool {
    match format {
        None => true,
        Some(f) => {
            f.spec().by_content.is_some_and(|s| s.needs_name)
                && name.and_then(detect_by_name).is_none()
        }
    }
}

/// Picks the format of an input: forced, by name, then by content.
pub fn choose_format(forced: Option<Format>, path: Option<&Path>, head: &[u8]) -> Option<Format> {
    forced
        .or_else(|| path.and_then(detect_by_name))
        .or_else(|| detect_by_content(head))
}

/// Parses a whole buffer named `source` into `sink`.
///
/// # Errors
/// Only the sink's errors: bad input becomes `unparsed` records, never an error.
pub fn parse_buffer(
    source: &str,
    path: Option<&Path>,
    buf: &[u8],
    options: ParseOptions,
    sink: &mut impl RecordSink,
) -> io::Result<Summary> {
    let format = choose_format(options.format, path, buf);
    let facts = FileFacts {
        head: buf,
        name: Some(source),
        written: options.written,
    };
    let ctx = file_context(source, format, options.zone, &facts);
    let mut summary = Summary {
        format,
        bytes: buf.len() as u64,
        ..Summary::default()
    };
    let mut framer = Framer::new(format).with_cap(options.max_record_bytes);
    let mut prev: Option<Event> = None;
    let mut emit = |span: Span, summary: &mut Summary| -> io::Result<()> {
        // Spans are cut from `buf` by the framer, so their bounds lie inside it.
        let bytes = &buf[span.start as usize..span.end as usize];
        let record = decode(&span, bytes, &ctx, prev.as_ref());
        prev = lookback(&record.event);
        summary.count(&span, record.is_unparsed());
        sink.record_owned(record)
    };
    for line in pieces(buf, options.max_record_bytes) {
        if let Some(span) = framer.push_line(line) {
            emit(span, &mut summary)?;
        }
    }
    if let Some(span) = framer.finish() {
        emit(span, &mut summary)?;
    }
    Ok(summary)
}

/// What became of one input unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitSummary {
    /// One summary per log: one for a plain file, one per section of a wrapper.
    pub logs: Vec<(String, Summary)>,
    /// The unit was found in a directory or archive and holds no known format: skipped.
    pub skipped: bool,
}

/// Parses one input unit: a wrapper's sections one by one, or the plain log. A unit found
/// in a directory or an archive whose format is unknown is skipped (and says so); a unit
/// the user named is always parsed.
///
/// # Errors
/// Only the sink's errors.
pub fn parse_unit(
    unit: &Unit,
    options: ParseOptions,
    sink: &mut impl RecordSink,
) -> io::Result<UnitSummary> {
    if options.format.is_none() {
        if let Some((_, sections)) = wrapper::unwrap(&unit.data) {
            let mut logs = Vec::with_capacity(sections.len());
            for section in &sections {
                logs.push(parse_section(
                    &unit.source,
                    &unit.data,
                    section,
                    options,
                    sink,
                )?);
            }
            return Ok(UnitSummary {
                logs,
                skipped: false,
            });
        }
    }
    let format = choose_format(options.format, Some(&unit.name), &unit.data);
    if is_foreign(format, Some(&unit.name)) && !unit.explicit {
        return Ok(UnitSummary {
            logs: Vec::new(),
            skipped: true,
        });
    }
    let options = ParseOptions {
        format,
        written: unit.written.or(options.written),
        ..options
    };
    let summary = parse_buffer(&unit.source, Some(&unit.name), &unit.data, options, sink)?;
    Ok(UnitSummary {
        logs: vec![(unit.source.clone(), summary)],
        skipped: false,
    })
}

/// Parses one section of a wrapper: its header lines become a `section` record, its lines
/// are framed as the log its path names, and every record's lines and offsets are mapped
/// back into the outer file.
fn parse_section(
    outer_source: &str,
    outer: &[u8],
    section: &Section,
    options: ParseOptions,
    sink: &mut impl RecordSink,
) -> io::Result<(String, Summary)> {
    let source = match &section.path {
        Some(path) => format!("{outer_source}!{path}"),
        None => outer_source.to_owned(),
    };
    let mut summary = Summary::default();
    if let Some(h) = section.header {
        let bytes = &outer[h.offset as usize..h.end as usize];
        let header = Record {
            source: Arc::from(outer_source),
            line: h.line,
            end_line: h.end_line,
            offset: h.offset,
            bytes: h.end - h.offset,
            format: None,
            ts: None,
            level: None,
            pid: None,
            activity: None,
            event: Event::Section {
                path: section.path.clone(),
            },
            message: text(bytes).into_owned(),
            instance_id: section.instance_id.clone(),
            environment_id: section
                .path
                .as_deref()
                .and_then(crate::ids::environment_id)
                .map(str::to_owned),
        };
        summary.records += 1;
        sink.record_owned(header)?;
    }
    let mut inner = Vec::new();
    for l in &section.lines {
        inner.extend_from_slice(&outer[l.inner_start..l.inner_end]);
    }
    let name = section.path.as_deref().map(Path::new);
    let mut format = choose_format(options.format, name, &inner);
    // What directories and archives skip, a bundle keeps as free text (`other` records),
    // not as unparsed.
    let free_text = options.format.is_none() && is_foreign(format, name);
    if free_text {
        format = None;
    }
    summary.format = format;
    summary.bytes = section.lines.last().map_or(0, |l| l.inner_end as u64)
        - section.lines.first().map_or(0, |l| l.offset);
    let facts = FileFacts {
        head: &inner,
        name: None,
        written: options.written,
    };
    let mut ctx = file_context(&source, format, options.zone, &facts);
    ctx.free_text = free_text;
    if section.instance_id.is_some() {
        ctx.instance_id.clone_from(&section.instance_id);
    }
    let mut prev: Option<Event> = None;
    let framer = Framer::new(format).with_cap(options.max_record_bytes);
    for span in frame_with(&inner, framer) {
        let mut record = decode(
            &span,
            &inner[span.start as usize..span.end as usize],
            &ctx,
            prev.as_ref(),
        );
        prev = lookback(&record.event);
        // Inner lines are numbered from 1 in the order of `section.lines`.
        let first = section.lines[(span.line - 1) as usize];
        let last = section.lines[(span.end_line - 1) as usize];
        record.line = first.line;
        record.end_line = last.line;
        record.offset = first.offset;
        record.bytes = last.inner_end as u64 - first.offset;
        summary.count(
            &Span {
                line: record.line,
                start: record.offset,
                ..span
            },
            record.is_unparsed(),
        );
        sink.record_owned(record)?;
    }
    Ok((source, summary))
}

/// An I/O error and whether it came from the input (rather than the sink).
#[derive(Debug)]
pub struct StreamError {
    /// The error.
    pub error: io::Error,
    /// `true` when reading failed, `false` when writing did.
    pub reading: bool,
    /// Byte offset reached in the input.
    pub offset: u64,
}

/// Frames and decodes a log fed one line at a time (stdin, follow mode). Holds the
/// framer and the bytes from offset `base` on: the record still growing and the line just
/// read.
#[derive(Debug)]
pub struct Stream {
    ctx: Context,
    framer: Framer,
    pending: Vec<u8>,
    base: u64,
    summary: Summary,
    prev: Option<Event>,
}

impl Stream {
    /// A stream named `source` in `format` (`None`: unknown, every line unparsed).
    pub fn new(source: &str, format: Option<Format>, zone: Zone) -> Self {
        Self {
            ctx: Context::new(source, format, zone),
            framer: Framer::new(format),
            pending: Vec::new(),
            base: 0,
            summary: Summary {
                format,
                ..Summary::default()
            },
            prev: None,
        }
    }

    /// Sets the most bytes one record may hold ([`Framer::with_cap`]); lines must then be
    /// fed in [`pieces`] of at most that many bytes.
    pub fn set_max_record_bytes(&mut self, cap: usize) {
        let framer = std::mem::replace(&mut self.framer, Framer::new(None));
        self.framer = framer.with_cap(cap);
    }

    /// The most bytes one record may hold.
    pub fn max_record_bytes(&self) -> usize {
        self.framer.cap()
    }

    /// Sets the year (and month) of stamps that carry none (web.stdout.log).
    pub fn set_year(&mut self, year: Option<(i32, u32)>) {
        self.ctx.year = year;
    }

    /// Tells the stream's format what is known of its file ([`FileFacts`]): the one place
    /// a format's per-file context is worked out, as for whole files.
    pub fn learn(&mut self, facts: &FileFacts<'_>) {
        if let Some(format) = self.ctx.format {
            (format.spec().context)(&mut self.ctx, facts);
        }
    }

    /// What the stream has held so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Whether a record is open (fed but not yet written).
    pub fn has_open_record(&self) -> bool {
        self.framer.pending_start() < self.framer.offset()
    }

    /// Appends `line` (a line, or a piece of one no longer than the cap) and frames it,
    /// writing the record it completes, if any.
    ///
    /// # Errors
    /// The sink's error.
    pub fn feed(&mut self, line: &[u8], sink: &mut impl RecordSink) -> io::Result<()> {
        self.pending.extend_from_slice(line);
        self.summary.bytes += line.len() as u64;
        let start = self.pending.len() - line.len();
        let span = self.framer.push_line(&self.pending[start..]);
        match span {
            Some(span) => self.emit(span, sink),
            None => Ok(()),
        }
    }

    fn emit(&mut self, span: Span, sink: &mut impl RecordSink) -> io::Result<()> {
        // Spans returned by the framer start at or after `base` (everything before was
        // drained) and end within the bytes fed so far.
        let from = (span.start - self.base) as usize;
        let to = (span.end - self.base) as usize;
        let record = decode(
            &span,
            &self.pending[from..to],
            &self.ctx,
            self.prev.as_ref(),
        );
        self.prev = lookback(&record.event);
        self.summary.count(&span, record.is_unparsed());
        self.pending.drain(..to);
        self.base = span.end;
        sink.record_owned(record)
    }

    /// Writes the open record, if any, without waiting for the next header. Lines fed
    /// afterwards that are not headers become `unparsed` records.
    ///
    /// # Errors
    /// The sink's error.
    pub fn finish(&mut self, sink: &mut impl RecordSink) -> io::Result<()> {
        match self.framer.finish() {
            Some(span) => self.emit(span, sink),
            None => Ok(()),
        }
    }
}

/// Parses a stream line by line, writing each record as soon as the next header shows it
/// is complete, and flushing the sink whenever the input has nothing buffered (so
/// `tail -F log | eblog parse -` shows records as they come).
///
/// # Errors
/// A read error of the input or a write error of the sink, with the offset reached.
pub fn parse_stream(
    source: &str,
    reader: impl Read,
    options: ParseOptions,
    sink: &mut impl RecordSink,
) -> Result<Summary, StreamError> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let read_err = |error, offset| StreamError {
        error,
        reading: true,
        offset,
    };
    let write_err = |error, offset| StreamError {
        error,
        reading: false,
        offset,
    };

    let cap = options.max_record_bytes.max(1);
    // Detection: read lines until one is a header of some format, or the window is full.
    let mut head = Vec::new();
    let format = match options.format {
        Some(f) => Some(f),
        None => loop {
            let before = head.len();
            let room = DETECT_WINDOW.saturating_sub(before).max(1);
            let n =
                read_piece(&mut reader, &mut head, room).map_err(|e| read_err(e, before as u64))?;
            if n == 0 || head.len() >= DETECT_WINDOW {
                break detect_by_content(&head);
            }
            if detect_by_content(&head[before..]).is_some() {
                break detect_by_content(&head);
            }
        },
    };

    let mut stream = Stream::new(source, format, options.zone);
    stream.set_max_record_bytes(cap);
    stream.learn(&FileFacts {
        head: &head,
        name: None,
        written: options.written,
    });
    // The bytes read for detection are read again, through the same pieces as the rest.
    let mut reader = BufReader::with_capacity(64 * 1024, io::Cursor::new(head).chain(reader));
    let mut line = Vec::new();
    loop {
        if reader.buffer().is_empty() {
            sink.flush().map_err(|e| write_err(e, stream.base))?;
        }
        line.clear();
        let n = read_piece(&mut reader, &mut line, cap)
            .map_err(|e| read_err(e, stream.summary.bytes))?;
        if n == 0 {
            break;
        }
        stream
            .feed(&line, sink)
            .map_err(|e| write_err(e, stream.base))?;
    }
    stream.finish(sink).map_err(|e| write_err(e, stream.base))?;
    sink.flush().map_err(|e| write_err(e, stream.base))?;
    Ok(stream.summary)
}

/// Parses a stream named `source` whose name for detection is `name` (an archive member,
/// a decompressed file): the format comes from the name, then the content. Returns `None`
/// when the stream is not one of eblog's and, not being `explicit`, is skipped.
///
/// # Errors
/// As [`parse_stream`].
pub fn parse_named_stream(
    source: &str,
    name: &Path,
    mut reader: impl Read,
    explicit: bool,
    options: ParseOptions,
    sink: &mut impl RecordSink,
) -> Result<Option<Summary>, StreamError> {
    let mut head = Vec::new();
    (&mut reader)
        .take(DETECT_WINDOW as u64)
        .read_to_end(&mut head)
        .map_err(|error| StreamError {
            error,
            reading: true,
            offset: 0,
        })?;
    let format = choose_format(options.format, Some(name), &head);
    if is_foreign(format, Some(name)) && !explicit {
        return Ok(None);
    }
    let options = ParseOptions { format, ..options };
    parse_stream(source, io::Cursor::new(head).chain(reader), options, sink).map(Some)
}

/// Reads into `out` up to and including the next `\n`, or `max` bytes, whichever comes
/// first: a line with no end (`/dev/zero`, a broken writer) is read in bounded pieces.
/// Returns the bytes read, 0 at the end of the input.
///
/// # Errors
/// The reader's error (interruptions are retried).
pub fn read_piece(reader: &mut impl BufRead, out: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    let mut read = 0;
    while read < max {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let window = &buf[..buf.len().min(max - read)];
        let (take, done) = match memchr::memchr(b'\n', window) {
            Some(i) => (i + 1, true),
            None => (window.len(), false),
        };
        out.extend_from_slice(&window[..take]);
        reader.consume(take);
        read += take;
        if done {
            break;
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_and_published_names_say_when_they_were_written() {
        assert_eq!(
            year_from_name("/var/log/web.stdout.log-20220915"),
            Some((2022, 9))
        );
        assert_eq!(
            year_from_name("b.zip!/var/log/_var_log_web.stdout.log-1663180800.gz"),
            Some((2022, 9))
        );
        assert_eq!(year_from_name("/var/log/web.stdout.log"), None);
        assert_eq!(year_from_name("i-0123456789abcdef0/web.stdout.log.1"), None);
        assert_eq!(year_from_name("web.stdout.log-99999999"), None);
    }
}
