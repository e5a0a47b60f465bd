//! Planning one input that is read region by region: a large plain file (mapped or read),
//! or a stream of unknown length — a gzip file or zip member decompressed as it is read, a
//! FIFO, a character device. Each region is cut into chunks at record starts and the
//! chunks are parsed in parallel, so memory is bounded by the regions in flight, never by
//! the input: a gzip or zip member is never inflated whole, and an entry's declared size
//! is never trusted.

use super::source::{Region, RegionReader};
use super::{next_cut, next_line_where, Encode, InputReport, Job, Planner, Task};
use crate::decode::Context;
use crate::framing::{wrapper, DETECT_WINDOW};
use crate::pipeline::{choose_format, is_foreign};
use crate::record::Format;
use flate2::read::MultiGzDecoder;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A wrapper (tail bundle, CloudWatch download) is unwrapped in memory up to this size;
/// a larger one is parsed as a plain log of the format its content shows.
pub const WRAPPER_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// ... and up to this many lines: each line of a wrapper costs about 700 bytes while it is
/// unwrapped (its record, its place in the section), so a file of newlines must not be.
pub const WRAPPER_MAX_LINES: usize = 100_000;

/// A chunk holds at most about this many lines (records cost ~500 bytes each whatever
/// their size, so a chunk of 1 MiB of newlines must not become a million records).
pub const CHUNK_MAX_LINES: usize = 16 * 1024;

/// Whether `data` is small enough, in bytes and lines, to be unwrapped in memory.
pub fn unwraps_in_memory(data: &[u8]) -> bool {
    data.len() as u64 <= WRAPPER_MAX_BYTES
        && memchr::memchr_iter(b'\n', data)
            .nth(WRAPPER_MAX_LINES)
            .is_none()
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// Bytes of an input, region by region.
pub(super) trait Regions {
    /// The bytes from `start` to `end`, fewer at the end of the input.
    fn region(&mut self, start: u64, end: u64) -> io::Result<Region>;
    /// The input's length, `u64::MAX` while a stream's end has not been reached.
    fn len(&self) -> u64;
}

impl Regions for RegionReader {
    fn region(&mut self, start: u64, end: u64) -> io::Result<Region> {
        RegionReader::region(self, start, end)
    }

    fn len(&self) -> u64 {
        RegionReader::len(self)
    }
}

/// A stream read forward into regions: only the bytes from the last region's start on
/// are held. A read error ends the stream; what was read before it is parsed, and the
/// error is reported with the offset it stopped at.
pub(super) struct StreamRegions<R: Read> {
    reader: R,
    buf: Vec<u8>,
    buf_start: u64,
    end: bool,
    error: Option<io::Error>,
}

impl<R: Read> StreamRegions<R> {
    /// A stream whose first bytes, `head`, were read already.
    pub(super) fn new(reader: R, head: Vec<u8>) -> Self {
        Self {
            reader,
            buf: head,
            buf_start: 0,
            end: false,
            error: None,
        }
    }

    /// A stream that ended with `error` after its first bytes, `head`.
    fn ended(reader: R, head: Vec<u8>, error: &io::Error) -> Self {
        Self {
            error: Some(cut_short(error, head.len() as u64)),
            end: true,
            ..Self::new(reader, head)
        }
    }

    /// The read error that ended the stream, if one did.
    pub(super) fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn fill(&mut self, want: usize) {
        let mut block = vec![0u8; 256 * 1024];
        while self.buf.len() < want && !self.end {
            let room = (want - self.buf.len()).min(block.len());
            match self.reader.read(&mut block[..room]) {
                Ok(0) => self.end = true,
                Ok(n) => self.buf.extend_from_slice(&block[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(cut_short(&e, self.buf_start + self.buf.len() as u64));
                    self.end = true;
                }
            }
        }
    }
}

impl<R: Read> Regions for StreamRegions<R> {
    fn region(&mut self, start: u64, end: u64) -> io::Result<Region> {
        // Regions are asked for in order: bytes before `start` are done with.
        let drop = usize::try_from(start.saturating_sub(self.buf_start))
            .map_err(io::Error::other)?
            .min(self.buf.len());
        self.buf.drain(..drop);
        self.buf_start += drop as u64;
        let want = usize::try_from(end.saturating_sub(self.buf_start)).map_err(io::Error::other)?;
        self.fill(want);
        Ok(Region::Read(self.buf[..want.min(self.buf.len())].to_vec()))
    }

    fn len(&self) -> u64 {
        if self.end {
            self.buf_start + self.buf.len() as u64
        } else {
            u64::MAX
        }
    }
}

/// Reads up to `max` bytes (fewer at the end of the input), and the error that stopped
/// the reading early, if one did (what was read before it is kept).
fn read_head(reader: &mut impl Read, max: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = Vec::with_capacity(max.min(DETECT_WINDOW));
    let error = reader.take(max as u64).read_to_end(&mut head).err();
    (head, error)
}

/// A read error, saying how far the reading got.
fn cut_short(e: &io::Error, at: u64) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{e} (after {at} decompressed bytes; those were parsed)"),
    )
}

/// What one streamed input is called.
pub(super) struct Names {
    /// `source` of its records.
    pub source: String,
    /// The name format detection looks at (`.gz` removed, the member's path).
    pub name: PathBuf,
    /// Named by the user (never skipped).
    pub explicit: bool,
    /// Year and month it was written, when known.
    pub written: Option<(i32, u32)>,
}

fn strip_gz(name: &Path) -> PathBuf {
    match name.extension() {
        Some(ext) if ext == "gz" => name.with_extension(""),
        _ => name.to_path_buf(),
    }
}

impl<E: Encode> Planner<'_, '_, E> {
    /// A large plain file, read region by region.
    pub(super) fn large_file(
        &mut self,
        key: usize,
        job: Job,
        file: std::fs::File,
        meta: std::fs::Metadata,
        head: &[u8],
    ) -> io::Result<()> {
        let names = Names {
            source: job.path.to_string_lossy().into_owned(),
            name: job.path.clone(),
            explicit: job.explicit,
            written: meta.modified().ok().map(crate::input::year_month),
        };
        let Some(ctx) = self.context(key, &names, head, meta.len()) else {
            return Ok(());
        };
        let mut reader =
            RegionReader::new(file, meta.len(), meta.modified().ok(), self.options.mmap);
        if reader.is_empty() {
            // It shrank to nothing since it was looked at: an empty input.
            let unit = crate::input::Unit {
                source: names.source,
                name: job.path,
                data: Vec::new(),
                explicit: job.explicit,
                written: names.written,
            };
            return self.push(Task::Unit { key, unit }, 0);
        }
        self.chunks(key, &ctx, &mut reader)
    }

    /// A file that is not a regular file (a FIFO, a character device) or a compressed
    /// file: streamed, decompressed as it is read.
    pub(super) fn stream_file(&mut self, key: usize, job: Job) -> io::Result<()> {
        let file = match std::fs::File::open(&job.path) {
            Ok(f) => f,
            Err(e) => return self.error(key, &job.path, e),
        };
        let written = file
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .map(crate::input::year_month);
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let magic = match reader.fill_buf() {
            Ok(buf) => buf.get(..4).unwrap_or(buf).to_vec(),
            Err(e) => return self.error(key, &job.path, e),
        };
        let names = Names {
            source: job.path.to_string_lossy().into_owned(),
            name: job.path.clone(),
            explicit: job.explicit,
            written,
        };
        if magic.starts_with(&ZIP_MAGIC) {
            return match zip::ZipArchive::new(reader.into_inner()) {
                Ok(archive) => self.zip_members(key, &names.source, archive),
                Err(e) => self.error(key, &job.path, io::Error::other(e)),
            };
        }
        self.stream(key, names, reader)
    }

    /// Streams `reader` (gunzipped first if it holds gzip) as one input.
    fn stream(&mut self, key: usize, mut names: Names, mut reader: impl BufRead) -> io::Result<()> {
        let gzip = reader.fill_buf().is_ok_and(|b| b.starts_with(&GZIP_MAGIC));
        if gzip {
            names.name = strip_gz(&names.name);
            return self.stream_plain(key, names, MultiGzDecoder::new(reader));
        }
        self.stream_plain(key, names, reader)
    }

    fn stream_plain(&mut self, key: usize, names: Names, mut reader: impl Read) -> io::Result<()> {
        let (head, error) = read_head(&mut reader, DETECT_WINDOW);
        if error.is_none()
            && self.options.parse.format.is_none()
            && wrapper::detect(&head).is_some()
        {
            return self.wrapper(key, names, head, reader);
        }
        let Some(ctx) = self.context(key, &names, &head, head.len() as u64) else {
            return Ok(());
        };
        let empty = head.is_empty();
        let mut regions = match &error {
            Some(e) => StreamRegions::ended(reader, head, e),
            None => StreamRegions::new(reader, head),
        };
        if !empty {
            self.chunks(key, &ctx, &mut regions)?;
        }
        match regions.take_error() {
            Some(e) => self.stream_error(key, &names.source, e),
            None if empty => {
                self.reports.entry(key).or_default().push(InputReport {
                    source: names.source,
                    format: ctx.format,
                    ..InputReport::default()
                });
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// A wrapper, read whole (up to [`WRAPPER_MAX_BYTES`]) and unwrapped by one task; a
    /// larger one is parsed as a plain log.
    fn wrapper(
        &mut self,
        key: usize,
        names: Names,
        head: Vec<u8>,
        reader: impl Read,
    ) -> io::Result<()> {
        let mut data = head;
        let mut reader = reader;
        if let Err(e) = (&mut reader)
            .take(WRAPPER_MAX_BYTES + 1 - data.len() as u64)
            .read_to_end(&mut data)
        {
            return self.stream_error(key, &names.source, e);
        }
        if !unwraps_in_memory(&data) {
            let Some(ctx) = self.context(key, &names, &data, data.len() as u64) else {
                return Ok(());
            };
            let mut regions = StreamRegions::new(reader, data);
            self.chunks(key, &ctx, &mut regions)?;
            return match regions.take_error() {
                Some(e) => self.stream_error(key, &names.source, e),
                None => Ok(()),
            };
        }
        let bytes = data.len();
        let unit = crate::input::Unit {
            source: names.source,
            name: names.name,
            data,
            explicit: names.explicit,
            written: names.written,
        };
        self.push(Task::Unit { key, unit }, bytes)
    }

    /// The members of a zip archive, in name order, each streamed: a member's declared
    /// size is never trusted, and no member is inflated whole.
    pub(super) fn zip_members<R: Read + Seek>(
        &mut self,
        key: usize,
        source: &str,
        mut archive: zip::ZipArchive<R>,
    ) -> io::Result<()> {
        let names = crate::input::member_names(&archive);
        for (name, index) in names {
            let member_source = format!("{source}!/{}", name.trim_start_matches('/'));
            let member = match archive.by_index(index) {
                Ok(member) => member,
                Err(e) => {
                    self.stream_error(key, &member_source, io::Error::other(e))?;
                    continue;
                }
            };
            let mut reader = BufReader::with_capacity(256 * 1024, member);
            if reader.fill_buf().is_ok_and(|b| b.starts_with(&ZIP_MAGIC)) {
                let why = io::Error::other("a zip archive inside a zip archive is not opened");
                drop(reader);
                self.stream_error(key, &member_source, why)?;
                continue;
            }
            let names = Names {
                source: member_source,
                name: PathBuf::from(&name),
                explicit: false,
                written: None,
            };
            self.stream(key, names, reader)?;
        }
        Ok(())
    }

    /// Reports a read error of a streamed input.
    fn stream_error(&mut self, key: usize, source: &str, e: io::Error) -> io::Result<()> {
        self.reports.entry(key).or_default().push(InputReport {
            source: source.to_owned(),
            error: Some(e.to_string()),
            ..InputReport::default()
        });
        Ok(())
    }

    /// The decoding context of an input, or `None` when it is skipped (found in a
    /// directory or archive, of no known format: reported as skipped).
    fn context(
        &mut self,
        key: usize,
        names: &Names,
        head: &[u8],
        bytes: u64,
    ) -> Option<Arc<Context>> {
        let format = choose_format(self.options.parse.format, Some(&names.name), head);
        if is_foreign(format, Some(&names.name)) && !names.explicit {
            self.reports.entry(key).or_default().push(InputReport {
                source: names.source.clone(),
                bytes,
                skipped: true,
                ..InputReport::default()
            });
            return None;
        }
        let facts = crate::formats::FileFacts {
            head,
            name: Some(&names.source),
            written: names.written.or(self.options.parse.written),
        };
        let ctx =
            crate::formats::file_context(&names.source, format, self.options.parse.zone, &facts);
        Some(Arc::new(ctx))
    }

    /// Cuts `reader`'s bytes into segments, each into chunks at record starts, and spawns
    /// a task per chunk.
    fn chunks(
        &mut self,
        key: usize,
        ctx: &Arc<Context>,
        reader: &mut impl Regions,
    ) -> io::Result<()> {
        let format = ctx.format;
        let (mut start, mut line) = (0u64, 1u64);
        let mut continues = None;
        let mut header_seen = false;
        while start < reader.len() {
            let (region, end, forced) = match self.segment(reader, start, format) {
                Ok(segment) => segment,
                // One input's read error is that input's: what came before is parsed,
                // the error is reported with the offset, and the scan goes on.
                Err(e) => {
                    let why =
                        io::Error::new(e.kind(), format!("read error at byte offset {start}: {e}"));
                    return self.stream_error(key, &ctx.source, why);
                }
            };
            if end <= start {
                break; // the file shrank while it was read: keep what was there
            }
            let region = Arc::new(region);
            let mut len = (end - start) as usize;
            let mut cuts = vec![0];
            // Where the first record of the input starts, if in this region.
            let first_header = if header_seen {
                None
            } else if header_at_start(&region[..len], format) {
                Some(0)
            } else {
                next_header(&region[..len], 0, format)
            };
            loop {
                let from = cuts[cuts.len() - 1];
                let unparsed_until = match (header_seen, first_header) {
                    (true, _) => 0,
                    (false, Some(h)) => h,
                    (false, None) => usize::MAX,
                };
                match self.chunk_cut(&region[..len], from, format, unparsed_until) {
                    Some(next) => cuts.push(next),
                    None => break,
                }
            }
            let seen_before = header_seen;
            header_seen |= first_header.is_some();
            if forced {
                // End the region on a piece boundary of its last chunk, so that a line
                // without end is cut into pieces of exactly the cap.
                let cap = self.options.parse.max_record_bytes.max(1);
                let last = cuts[cuts.len() - 1];
                let aligned = last + (len - last) / cap * cap;
                if aligned > last {
                    len = aligned;
                }
            }
            let end = start + len as u64;
            cuts.push(len);
            let ranges: Vec<Range<usize>> = cuts.windows(2).map(|w| w[0]..w[1]).collect();
            // Sequential: the workers are busy with the tasks already spawned meanwhile.
            let newlines: Vec<u64> = ranges
                .iter()
                .map(|r| memchr::memchr_iter(b'\n', &region[r.clone()]).count() as u64)
                .collect();
            let next_continues = forced.then(|| region[..len].last() != Some(&b'\n'));
            for (range, n) in ranges.into_iter().zip(newlines) {
                let bytes = range.len();
                // Whether a record started before this chunk (else its leading lines are
                // `before_first_header`, as in one piece).
                let after_header = seen_before || first_header.is_some_and(|h| h < range.start);
                let task = Task::Chunk {
                    after_header,
                    key,
                    region: Arc::clone(&region),
                    offset: start + range.start as u64,
                    range,
                    line,
                    ctx: Arc::clone(ctx),
                    continues: continues.take(),
                };
                line += n;
                self.push(task, bytes)?;
            }
            continues = next_continues;
            start = end;
        }
        Ok(())
    }

    /// Where the chunk of `region` starting at `from` ends: at the first line that may
    /// start a chunk past [`Self::chunk_target`], looked for within a quarter of a chunk; else
    /// at the first record start there (so a log of lines that may not start chunks still
    /// gets chunks of bounded size); `None` when the rest of the region is the last chunk.
    ///
    /// `unparsed_until` is where the input's first record starts (`usize::MAX` when not in
    /// this region, 0 when one started before it): lines before it are `unparsed` one by
    /// one, so any of them may start a chunk (a file of a million blank lines must not be
    /// one chunk of a million records).
    fn chunk_cut(
        &self,
        region: &[u8],
        from: usize,
        format: Option<Format>,
        unparsed_until: usize,
    ) -> Option<usize> {
        let target = self.chunk_target(region, from);
        let window = region
            .len()
            .min(target.saturating_add(self.options.chunk_bytes / 4));
        next_cut(&region[..window], target, format)
            .or_else(|| next_safe_record(region, from, target, format))
            .or_else(|| next_line(region, target).filter(|&line| line <= unparsed_until))
    }

    /// Where the chunk of `region` starting at `from` should end, at the latest: after
    /// `chunk_bytes`, or after [`CHUNK_MAX_LINES`] lines if that comes first.
    fn chunk_target(&self, region: &[u8], from: usize) -> usize {
        let by_bytes = from + self.options.chunk_bytes;
        let window = &region[from..region.len().min(by_bytes)];
        match memchr::memchr_iter(b'\n', window).nth(CHUNK_MAX_LINES) {
            Some(i) => from + i + 1,
            None => by_bytes,
        }
    }

    /// The region from `start` up to the first record start at or after
    /// `start + segment_bytes` (or the end of the input), and whether the cut was forced:
    /// when no record starts within the cap beyond that point, the region ends there,
    /// inside a record longer than the cap (whose pieces are `record_too_large`).
    fn segment(
        &self,
        reader: &mut impl Regions,
        start: u64,
        format: Option<Format>,
    ) -> io::Result<(Region, u64, bool)> {
        let target = self.options.segment_bytes;
        // Past this much beyond `target` without a record start, the record under way is
        // longer than the cap: the cut is forced.
        let most = self
            .options
            .parse
            .max_record_bytes
            .saturating_add(64 * 1024);
        let mut slack = (1024 * 1024).min(most);
        loop {
            let want_end = start.saturating_add((target + slack) as u64);
            let region = reader.region(start, want_end)?;
            let got_end = start + region.len() as u64;
            if let Some(cut) = next_cut(&region, target, format) {
                return Ok((region, start + cut as u64, false));
            }
            if got_end >= reader.len() || got_end < want_end {
                // The rest of the input (a file may have shrunk since it was opened).
                return Ok((region, got_end, false));
            }
            if slack >= most {
                // No line that may start a chunk: cut at any record start rather than
                // inside a record (a command's output may then lose the record before
                // it); only a record longer than the cap is cut inside.
                if let Some(cut) = next_safe_record(&region, 0, target, format) {
                    return Ok((region, start + cut as u64, false));
                }
                return Ok((region, got_end, true));
            }
            slack = slack.saturating_mul(4).min(most);
        }
    }
}

/// The first record start at or after `target` in `buf` at which a chunk may start
/// without changing how any record decodes: for the engine's formats, whose output records
/// are told by the command run before them, one not inside a run's output (scanning from
/// `from`, where no run is open); for the others, any record start.
fn next_safe_record(
    buf: &[u8],
    from: usize,
    target: usize,
    format: Option<Format>,
) -> Option<usize> {
    use eblog_grammars::engine::{parse_header, parse_message, EngineMessage};
    let Some(f) = format.filter(|f| f.spec().framing.output_follows_run) else {
        return next_header(buf, target, format);
    };
    let mut in_run = false;
    let mut at = from;
    while at < buf.len() {
        let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i + 1);
        let line = eblog_grammars::common::trim_eol(&buf[at..end]);
        if crate::framing::is_header(f, line) {
            if at >= target && at > from && !in_run {
                return Some(at);
            }
            let template = parse_header(line)
                .ok()
                .and_then(|(message, _)| std::str::from_utf8(message).ok())
                .and_then(parse_message);
            match template {
                Some(EngineMessage::RunningCommand { .. }) => in_run = true,
                Some(_) => in_run = false,
                None => {}
            }
        }
        at = end;
    }
    None
}

/// Whether `buf` starts with a header line of `format` (any line when it is unknown).
fn header_at_start(buf: &[u8], format: Option<Format>) -> bool {
    let end = memchr::memchr(b'\n', buf).map_or(buf.len(), |i| i + 1);
    !buf.is_empty()
        && format.is_none_or(|f| {
            crate::framing::is_header(f, eblog_grammars::common::trim_eol(&buf[..end]))
        })
}

/// The start of the first line at or after `from` in `buf` (never 0).
fn next_line(buf: &[u8], from: usize) -> Option<usize> {
    next_line_where(buf, from, |_| true)
}

/// The first start of a record (a header line of `format`; any line when it is unknown)
/// at or after `from` in `buf`.
fn next_header(buf: &[u8], from: usize, format: Option<Format>) -> Option<usize> {
    next_line_where(buf, from, |line| {
        format.is_none_or(|f| crate::framing::is_header(f, line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_gives_regions_in_order_and_learns_its_length() {
        let data: Vec<u8> = (0..100u8).collect();
        let mut regions = StreamRegions::new(&data[10..], data[..10].to_vec());
        assert_eq!(regions.len(), u64::MAX);
        assert_eq!(&regions.region(0, 30).unwrap()[..], &data[..30]);
        assert_eq!(&regions.region(20, 60).unwrap()[..], &data[20..60]);
        assert_eq!(&regions.region(60, 500).unwrap()[..], &data[60..]);
        assert_eq!(regions.len(), 100);
        assert!(regions.take_error().is_none());
    }
}
