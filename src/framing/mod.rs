//! Framing: cutting a file's bytes into records before any grammar sees them, and telling
//! which format a file holds.
//!
//! A record is a header line plus every following line that is not a header line of the
//! same format (docs/formats.md, "cfn-* multi-line rules", "Ruby multi-line rules"). Lines before the first header cannot belong to a
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
    (format.spec().framing.is_header)(line)
}

/// Whether every line of `format` is a record of its own (no continuation lines): a line
/// that is not a header is then `unparsed` by itself rather than glued to the one before.
pub fn is_line_per_record(format: Format) -> bool {
    format.spec().framing.line_per_record
}

/// Whether free text outside records is expected in `format` (hooks and bootstrap scripts
/// write raw output; Ruby's Logger opens a new file with a `# Logfile created` line):
/// such lines become `other` records, not `unparsed`.
pub fn allows_free_text(format: Format) -> bool {
    format.spec().framing.free_text
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
    /// A piece of a record (or line) longer than the cap ([`Framer::with_cap`]): the
    /// record is cut into pieces of at most the cap, none of which a grammar sees.
    TooLarge,
}

/// The default cap on one record's bytes (`--max-record-bytes`): 8 MiB. A record longer
/// than this is cut into [`SpanKind::TooLarge`] pieces, so memory stays bounded whatever
/// the input (an endless line, a decompression bomb).
pub const DEFAULT_MAX_RECORD_BYTES: usize = 8 * 1024 * 1024;

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
/// buffer and a stream. Lines are fed as [`pieces`] of at most the cap: a record (or a
/// line) that grows past the cap is cut into [`SpanKind::TooLarge`] pieces, the record so
/// far included, so no span is longer than the cap.
#[derive(Debug)]
pub struct Framer {
    format: Option<Format>,
    current: Option<Span>,
    next_line: u64,
    next_offset: u64,
    /// Whether a record has started: later stray lines are not "before the first header".
    seen_header: bool,
    /// The most bytes one span may hold.
    cap: u64,
    /// Whether the last piece fed ended inside a line (the line is longer than the cap).
    mid_line: bool,
}

impl Framer {
    /// A framer for `format`; `None` means the format is unknown and every line is
    /// unparsed.
    pub fn new(format: Option<Format>) -> Self {
        Self::resume(format, 1, 0)
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
            cap: DEFAULT_MAX_RECORD_BYTES as u64,
            mid_line: false,
        }
    }

    /// The same framer with `cap` as the most bytes one span may hold (at least 1).
    #[must_use]
    pub fn with_cap(mut self, cap: usize) -> Self {
        self.cap = cap.max(1) as u64;
        self
    }

    /// The same framer, starting inside a record already cut for being too large (the
    /// scanner's chunk after a forced cut); `mid_line` when the cut fell inside a line.
    #[must_use]
    pub fn continuing(mut self, mid_line: bool) -> Self {
        self.mid_line = mid_line;
        self.seen_header = true;
        self.current = Some(self.piece(self.next_offset, self.next_offset, SpanKind::TooLarge));
        self
    }

    /// The same framer, told whether a record of the input started before the bytes it
    /// is fed (lines before any header are `before_first_header`, after one `not_a_record`).
    #[must_use]
    pub fn after_header(mut self, seen: bool) -> Self {
        self.seen_header = seen;
        self
    }

    /// The cap this framer cuts at.
    pub fn cap(&self) -> usize {
        usize::try_from(self.cap).unwrap_or(usize::MAX)
    }

    fn piece(&self, start: u64, end: u64, kind: SpanKind) -> Span {
        Span {
            start,
            end,
            line: self.next_line,
            end_line: self.next_line,
            kind,
        }
    }

    /// Feeds the next line (with its `\n`, if it has one), or a piece of one no longer
    /// than the cap ([`pieces`]), and returns the span it completed, if any. A line without
    /// `\n` shorter than the cap must be the last one.
    pub fn push_line(&mut self, line: &[u8]) -> Option<Span> {
        let start = self.next_offset;
        let end = start + line.len() as u64;
        let at_line_start = !self.mid_line;
        // A piece as long as the cap without a line end: the line goes on.
        let partial = !line.ends_with(b"\n") && line.len() as u64 >= self.cap;
        let piece = self.piece(start, end, SpanKind::TooLarge);
        self.mid_line = partial;
        self.next_offset = end;
        if !partial {
            self.next_line += 1;
        }
        let whole = at_line_start && !partial;
        let header = at_line_start && self.format.is_some_and(|f| is_header(f, trim_eol(line)));
        if self.format.is_some_and(is_line_per_record) {
            let kind = match (whole, header) {
                (false, _) => SpanKind::TooLarge,
                (true, true) => SpanKind::Record,
                (true, false) => SpanKind::Stray,
            };
            return Some(Span { kind, ..piece });
        }
        if header {
            self.seen_header = true;
            let done = self.current.replace(Span {
                kind: SpanKind::Record,
                ..piece
            });
            return done.filter(|s| s.end > s.start);
        }
        let cap = self.cap;
        let Some(span) = self.current.as_mut() else {
            let kind = match (whole, self.seen_header) {
                (false, _) => SpanKind::TooLarge,
                (true, true) => SpanKind::Stray,
                (true, false) => SpanKind::Unparsed,
            };
            return Some(Span { kind, ..piece });
        };
        if span.end - span.start + line.len() as u64 > cap {
            // The record outgrew the cap: what it holds so far is its first piece.
            let done = Span {
                kind: SpanKind::TooLarge,
                ..*span
            };
            *span = piece;
            return Some(done);
        }
        span.end = end;
        span.end_line = piece.end_line;
        None
    }

    /// Ends the input and returns the last span, if one is open.
    pub fn finish(&mut self) -> Option<Span> {
        self.current.take().filter(|s| s.end > s.start)
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

/// Splits `buf` into lines, each with its `\n`, cutting a line longer than `cap` into
/// pieces of `cap` bytes (the last piece of each line holds its `\n`).
pub fn pieces(buf: &[u8], cap: usize) -> impl Iterator<Item = &[u8]> {
    let cap = cap.max(1);
    let mut rest = buf;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let window = &rest[..rest.len().min(cap)];
        let cut = memchr::memchr(b'\n', window).map_or(window.len(), |i| i + 1);
        let (line, tail) = rest.split_at(cut);
        rest = tail;
        Some(line)
    })
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

/// Frames a whole buffer of `format` into spans that cover it exactly, with the default
/// cap.
pub fn frame(buf: &[u8], format: Option<Format>) -> Vec<Span> {
    frame_with(buf, Framer::new(format))
}

/// Frames `buf` with `framer` (which knows the format, where `buf` starts and the cap).
pub fn frame_with(buf: &[u8], mut framer: Framer) -> Vec<Span> {
    let mut spans: Vec<Span> = pieces(buf, framer.cap())
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

    fn covers(spans: &[Span], len: usize) {
        assert_eq!(spans.first().map(|s| s.start), Some(0));
        assert_eq!(spans.last().map(|s| s.end), Some(len as u64));
        for pair in spans.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "{spans:?}");
        }
    }

    #[test]
    fn an_endless_line_is_cut_into_pieces_at_the_cap() {
        let text = vec![b'x'; 25];
        let spans = frame_with(&text, Framer::new(None).with_cap(10));
        covers(&spans, 25);
        let sizes: Vec<u64> = spans.iter().map(|s| s.end - s.start).collect();
        assert_eq!(sizes, vec![10, 10, 5]);
        assert!(spans
            .iter()
            .all(|s| s.kind == SpanKind::TooLarge && s.line == 1));
    }

    #[test]
    fn a_record_past_the_cap_becomes_pieces_and_the_next_one_parses() {
        let mut text = b"2017-07-16 23:09:33,602 [ERROR] boom\n".to_vec();
        for _ in 0..30 {
            text.extend_from_slice(b"continuation line of a payload\n");
        }
        let next = text.len() as u64;
        text.extend_from_slice(b"2017-07-16 23:09:34,000 [INFO] ok\n");
        let spans = frame_with(&text, Framer::new(Some(Format::CfnHup)).with_cap(256));
        covers(&spans, text.len());
        let last = spans.last().unwrap();
        assert_eq!((last.kind, last.start), (SpanKind::Record, next));
        assert!(spans[..spans.len() - 1]
            .iter()
            .all(|s| s.kind == SpanKind::TooLarge && s.end - s.start <= 256));
        assert_eq!(spans.len(), 1 + 1 + (next as usize - 1) / 256);
    }

    #[test]
    fn a_long_line_of_a_line_per_record_format_is_too_large_in_every_piece() {
        let mut text = vec![b'y'; 30];
        text.push(b'\n');
        text.extend_from_slice(b"short\n");
        let spans = frame_with(&text, Framer::new(Some(Format::NginxAccess)).with_cap(16));
        covers(&spans, text.len());
        let kinds: Vec<SpanKind> = spans.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![SpanKind::TooLarge, SpanKind::TooLarge, SpanKind::Stray]
        );
        assert_eq!((spans[1].line, spans[2].line), (1, 2));
    }

    #[test]
    fn a_chunk_continuing_a_cut_record_starts_as_a_piece() {
        let text = b"more payload\n2017-07-16 23:09:34,000 [INFO] ok\n";
        let framer = Framer::resume(Some(Format::CfnHup), 7, 100).continuing(false);
        let spans = frame_with(text, framer);
        assert_eq!(spans.len(), 2);
        assert_eq!(
            (spans[0].kind, spans[0].start, spans[0].end),
            (SpanKind::TooLarge, 100, 113)
        );
        assert_eq!((spans[1].kind, spans[1].line), (SpanKind::Record, 8));
    }

    #[test]
    fn unknown_format_makes_one_span_per_line() {
        let spans = frame(b"a\nb\n\nc", None);
        assert_eq!(spans.len(), 4);
        assert!(spans.iter().all(|s| s.kind == SpanKind::Unparsed));
    }
}
