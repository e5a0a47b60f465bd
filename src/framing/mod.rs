//! Framing: cutting a file's bytes into records before any grammar sees them, and telling
//! which format a file holds.
//!
//! A record is a header line plus every following line that is not a header line of the
//! same format (FORMATS.md §1.3, §2.2). Lines before the first header cannot belong to a
//! record and each becomes an `unparsed` span of its own. Every byte belongs to exactly one
//! span: spans are contiguous and together cover the input.
#![forbid(unsafe_code)]

mod detect;
pub mod wrapper;

pub use detect::{detect_by_content, detect_by_name, DETECT_WINDOW};

use crate::record::Format;
use eblog_grammars::common::trim_eol;

/// Whether `line` (without its line terminator) starts a record of `format`.
pub fn is_header(format: Format, line: &[u8]) -> bool {
    use eblog_grammars::{amzn, eb_cfn_init, engine, healthd, nginx, ruby_logger, web_stdout};
    match format {
        Format::CfnHup | Format::CfnInit | Format::CfnWire | Format::CfnInitCmd => {
            amzn::is_header(line)
        }
        Format::CmdProcessor | Format::Activity => ruby_logger::is_header(line),
        Format::Engine | Format::Hooks => engine::is_header(line),
        // Script lines, xtrace lines and taillog blocks each start a record; raw tool
        // output continues the one before.
        Format::EbCfnInit => {
            eb_cfn_init::is_header(line)
                || std::str::from_utf8(line).is_ok_and(|l| {
                    matches!(
                        eb_cfn_init::classify_raw_line(l),
                        eb_cfn_init::RawLine::Xtrace { .. }
                            | eb_cfn_init::RawLine::TaillogStart { .. }
                    )
                })
        }
        Format::Healthd => healthd::parse_appstat_line(line).is_some(),
        Format::HealthdDaemon => healthd::is_daemon_header(line),
        Format::NginxAccess => nginx::parse_access_line(line).is_some(),
        Format::NginxError => nginx::is_error_header(line),
        Format::WebStdout => web_stdout::is_header(line),
        Format::EbTools => amzn::is_header(line) || engine::is_header(line),
        Format::DockerProcess => engine::is_header(line),
        // Every line the application writes is a record of its own.
        Format::AppLog => true,
    }
}

/// Whether every line of `format` is a record of its own (no continuation lines): a line
/// that is not a header is then `unparsed` by itself rather than glued to the one before.
pub fn is_line_per_record(format: Format) -> bool {
    matches!(
        format,
        Format::CfnInitCmd
            | Format::Healthd
            | Format::NginxAccess
            | Format::WebStdout
            | Format::AppLog
    )
}

/// Whether free text outside records is expected in `format` (hooks and bootstrap scripts
/// write raw output; Ruby's Logger opens a new file with a `# Logfile created` line):
/// such lines become `other` records, not `unparsed`.
pub fn allows_free_text(format: Format) -> bool {
    matches!(
        format,
        Format::Hooks | Format::EbCfnInit | Format::HealthdDaemon | Format::EbTools
    )
}

/// What a span of bytes is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// A header line and its continuation lines.
    Record,
    /// A line before the first header, or a line of a file whose format is unknown.
    Unparsed,
    /// A line that is not a record where one was due: a non-record line of a
    /// line-per-record format, or a line after a record was closed early (follow mode).
    Stray,
}

/// A run of whole lines of the input: one record, or one unparsed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u64,
    /// Offset one past the last byte (line terminator included).
    pub end: u64,
    /// First line, 1-based.
    pub line: u64,
    /// Last line, 1-based.
    pub end_line: u64,
    /// Record or unparsed line.
    pub kind: SpanKind,
}

/// Groups lines into spans, one line at a time, so that the same code frames a whole
/// buffer and a stream.
#[derive(Debug)]
pub struct Framer {
    format: Option<Format>,
    current: Option<Span>,
    next_line: u64,
    next_offset: u64,
    /// Whether a record has started: later stray lines are not "before the first header".
    seen_header: bool,
}

impl Framer {
    /// A framer for `format`; `None` means the format is unknown and every line is
    /// unparsed.
    pub fn new(format: Option<Format>) -> Self {
        Self {
            format,
            current: None,
            next_line: 1,
            next_offset: 0,
            seen_header: false,
        }
    }

    /// A framer for a piece of a file that starts at byte `offset`, on line `line`: the
    /// scanner frames chunks of one large file in parallel, each cut at a record start.
    pub fn resume(format: Option<Format>, line: u64, offset: u64) -> Self {
        Self {
            format,
            current: None,
            next_line: line,
            next_offset: offset,
            // A chunk after the first starts at a record start: a record came before.
            seen_header: line > 1,
        }
    }

    /// Feeds the next line (with its `\n`, if it has one) and returns the span it
    /// completed, if any. A line without `\n` must be the last one.
    pub fn push_line(&mut self, line: &[u8]) -> Option<Span> {
        let start = self.next_offset;
        let end = start + line.len() as u64;
        let number = self.next_line;
        self.next_offset = end;
        self.next_line += 1;
        let header = self.format.is_some_and(|f| is_header(f, trim_eol(line)));
        if self.format.is_some_and(is_line_per_record) {
            let kind = if header {
                SpanKind::Record
            } else {
                SpanKind::Stray
            };
            return Some(Span {
                start,
                end,
                line: number,
                end_line: number,
                kind,
            });
        }
        if header {
            self.seen_header = true;
            let done = self.current.take();
            self.current = Some(Span {
                start,
                end,
                line: number,
                end_line: number,
                kind: SpanKind::Record,
            });
            return done;
        }
        match &mut self.current {
            Some(span) => {
                span.end = end;
                span.end_line = number;
                None
            }
            None => Some(Span {
                start,
                end,
                line: number,
                end_line: number,
                kind: if self.seen_header {
                    SpanKind::Stray
                } else {
                    SpanKind::Unparsed
                },
            }),
        }
    }

    /// Ends the input and returns the last span, if one is open.
    pub fn finish(&mut self) -> Option<Span> {
        self.current.take()
    }

    /// Offset of the first byte not yet fed.
    pub fn offset(&self) -> u64 {
        self.next_offset
    }

    /// Offset of the first byte of the open span (the record still growing), or of the next
    /// line when none is open: bytes before it belong to spans already returned.
    pub fn pending_start(&self) -> u64 {
        self.current.map_or(self.next_offset, |s| s.start)
    }
}

/// Splits `buf` into lines, each with its `\n` (the last may lack one).
pub fn lines(buf: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = buf;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(cut);
        rest = tail;
        Some(line)
    })
}

/// Frames a whole buffer of `format` into spans that cover it exactly.
pub fn frame(buf: &[u8], format: Option<Format>) -> Vec<Span> {
    frame_from(buf, format, 1, 0)
}

/// Frames `buf`, a piece of a file starting at `line` and byte `offset`.
pub fn frame_from(buf: &[u8], format: Option<Format>, line: u64, offset: u64) -> Vec<Span> {
    let mut framer = Framer::resume(format, line, offset);
    let mut spans: Vec<Span> = lines(buf)
        .filter_map(|line| framer.push_line(line))
        .collect();
    spans.extend(framer.finish());
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_lines_join_their_header() {
        let text = b"junk\n2017-07-16 23:09:33,602 [ERROR] boom\nTraceback (most recent call last):\n\n2017-07-16 23:09:34,000 [INFO] ok";
        let spans = frame(text, Some(Format::CfnHup));
        assert_eq!(spans.len(), 3);
        assert_eq!(
            (spans[0].kind, spans[0].line, spans[0].end),
            (SpanKind::Unparsed, 1, 5)
        );
        assert_eq!(
            (spans[1].kind, spans[1].line, spans[1].end_line),
            (SpanKind::Record, 2, 4)
        );
        assert_eq!((spans[2].line, spans[2].end), (5, text.len() as u64));
    }

    #[test]
    fn crlf_headers_are_recognised() {
        let text = b"[2018-09-17T23:29:07.266Z] INFO  [2273]  : a\r\nmore\r\n[2018-09-17T23:29:07.267Z] INFO  [2273]  : b\r\n";
        let spans = frame(text, Some(Format::CmdProcessor));
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].end_line, 2);
    }

    #[test]
    fn unknown_format_makes_one_span_per_line() {
        let spans = frame(b"a\nb\n\nc", None);
        assert_eq!(spans.len(), 4);
        assert!(spans.iter().all(|s| s.kind == SpanKind::Unparsed));
    }
}
