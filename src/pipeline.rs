//! The parse pipeline for one input: detection → framing → decoding → sink, for a whole
//! buffer ([`parse_buffer`]) or a stream read line by line ([`parse_stream`]).

use crate::decode::{decode, Context};
use crate::framing::{detect_by_content, detect_by_name, lines, Framer, Span, DETECT_WINDOW};
use crate::record::Format;
use crate::sink::RecordSink;
use crate::time::Zone;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Options of a parse.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Force this format instead of detecting it.
    pub format: Option<Format>,
    /// Zone of the cfn-* local-time stamps.
    pub zone: Zone,
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
    let ctx = Context::new(source, format, options.zone);
    let mut summary = Summary {
        format,
        bytes: buf.len() as u64,
        ..Summary::default()
    };
    let mut framer = Framer::new(format);
    let mut emit = |span: Span, summary: &mut Summary| -> io::Result<()> {
        // Spans are cut from `buf` by the framer, so their bounds lie inside it.
        let bytes = &buf[span.start as usize..span.end as usize];
        let record = decode(&span, bytes, &ctx);
        summary.count(&span, record.is_unparsed());
        sink.record(&record)
    };
    for line in lines(buf) {
        if let Some(span) = framer.push_line(line) {
            emit(span, &mut summary)?;
        }
    }
    if let Some(span) = framer.finish() {
        emit(span, &mut summary)?;
    }
    Ok(summary)
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

/// The open part of a stream: the framer, and the bytes from offset `base` on (the
/// record still growing and the line just read).
struct Stream {
    ctx: Context,
    framer: Framer,
    pending: Vec<u8>,
    base: u64,
    summary: Summary,
}

impl Stream {
    /// Appends `line` and frames it, writing the record it completes, if any.
    fn feed(&mut self, line: &[u8], sink: &mut impl RecordSink) -> io::Result<()> {
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
        let record = decode(&span, &self.pending[from..to], &self.ctx);
        self.summary.count(&span, record.is_unparsed());
        self.pending.drain(..to);
        self.base = span.end;
        sink.record(&record)
    }

    fn finish(&mut self, sink: &mut impl RecordSink) -> io::Result<()> {
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

    // Detection: read lines until one is a header of some format, or the window is full.
    let mut head = Vec::new();
    let format = match options.format {
        Some(f) => Some(f),
        None => loop {
            let before = head.len();
            let n = reader
                .read_until(b'\n', &mut head)
                .map_err(|e| read_err(e, before as u64))?;
            if n == 0 || head.len() >= DETECT_WINDOW {
                break detect_by_content(&head);
            }
            if detect_by_content(&head[before..]).is_some() {
                break detect_by_content(&head);
            }
        },
    };

    let mut stream = Stream {
        ctx: Context::new(source, format, options.zone),
        framer: Framer::new(format),
        pending: Vec::new(),
        base: 0,
        summary: Summary {
            format,
            ..Summary::default()
        },
    };
    for line in lines(&head) {
        stream
            .feed(line, sink)
            .map_err(|e| write_err(e, stream.base))?;
    }
    drop(head);
    let mut line = Vec::new();
    loop {
        if reader.buffer().is_empty() {
            sink.flush().map_err(|e| write_err(e, stream.base))?;
        }
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
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
