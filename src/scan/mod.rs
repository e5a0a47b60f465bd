//! The fleet scanner: discovers files, parses them in parallel across files and across
//! chunks of one large file, and hands encoded chunks to a sink in input order, so the
//! output is byte-identical whatever the thread count and whether files were mapped.
//!
//! How it works:
//! - Paths are expanded into jobs in a deterministic order (directories walked sorted by
//!   file name).
//! - A small file, a compressed file, an archive or a wrapper is one task: read, unwrapped,
//!   parsed and encoded by one worker.
//! - A large plain file is read region by region ([`source::RegionReader`]: mapped or read,
//!   [`ScanOptions::segment_bytes`] at a time), each region cut into chunks of about
//!   [`ScanOptions::chunk_bytes`] at record starts, so multi-line records never split; the
//!   newlines of the chunks are counted and summed to number their lines.
//! - Tasks are spawned on a rayon pool while the main thread plans the next ones; at most
//!   a few per thread are in flight. The main thread takes their results in input order
//!   and hands the encoded chunks to a writer thread that owns the sink. Memory stays
//!   bounded by what is in flight, not by the input.
//! - With one thread the same tasks run one after another on the calling thread, which
//!   also writes: `-j 1` uses one core, so that thread scaling compares like with like.
#![forbid(unsafe_code)]

mod regions;
pub mod source;

pub use regions::{unwraps_in_memory, CHUNK_MAX_LINES, WRAPPER_MAX_BYTES, WRAPPER_MAX_LINES};
pub use source::{MmapChoice, MMAP_MIN_BYTES};

use crate::decode::{decode, lookback, Context};
use crate::framing::{frame_with, is_line_per_record, wrapper, Framer, Span};
use crate::input::{self, Unit};
use crate::pipeline::{parse_unit, ParseOptions};
use crate::record::{Event, Format, Record};
use eblog_grammars::common::trim_eol;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Read, Seek};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;

/// How to scan.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Parse options (format, zone).
    pub parse: ParseOptions,
    /// Whether large files may be memory-mapped.
    pub mmap: MmapChoice,
    /// Target size of one parallel chunk of a large file.
    pub chunk_bytes: usize,
    /// Size of the region of a large file held in memory at once.
    pub segment_bytes: usize,
    /// Only the inputs of this shard ([`crate::shard`]); `None`: all of them.
    pub shard: Option<crate::shard::Shard>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            threads: 0,
            parse: ParseOptions::default(),
            mmap: MmapChoice::Auto,
            chunk_bytes: 1024 * 1024,
            segment_bytes: 8 * 1024 * 1024,
            shard: None,
        }
    }
}

/// How the scanner encodes a batch of records on a worker thread: any
/// `Fn(Vec<Record>) -> io::Result<C>` that can be shared between threads. (The traits
/// sinks implement live in [`crate::sink`], which calls [`scan`] with closures: the
/// scanner defines no trait for the layers above it.)
pub(crate) trait Encode: Sync {
    /// What one batch becomes.
    type Chunk: Send;

    /// Encodes `records`, which are in input order.
    fn encode(&self, records: Vec<Record>) -> io::Result<Self::Chunk>;
}

impl<C: Send, F> Encode for F
where
    F: Fn(Vec<Record>) -> io::Result<C> + Sync,
{
    type Chunk = C;

    fn encode(&self, records: Vec<Record>) -> io::Result<C> {
        self(records)
    }
}

/// What the scanner found in one input: a file, a member of an archive, or a section of
/// a wrapper.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputReport {
    /// The input's name as records carry it in `source`.
    pub source: String,
    /// Bytes parsed (decompressed).
    pub bytes: u64,
    /// The format used.
    pub format: Option<Format>,
    /// Records written.
    pub records: u64,
    /// Of which `unparsed`.
    pub unparsed: u64,
    /// Line and byte offset of the first unparsed record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_unparsed: Option<(u64, u64)>,
    /// Found in a directory or archive with no known format: not parsed.
    pub skipped: bool,
    /// Why the input could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl InputReport {
    fn merge(&mut self, other: &InputReport) {
        self.bytes += other.bytes;
        self.records += other.records;
        self.unparsed += other.unparsed;
        if self.first_unparsed.is_none() {
            self.first_unparsed = other.first_unparsed;
        }
        self.format = self.format.or(other.format);
        if self.error.is_none() {
            self.error.clone_from(&other.error);
        }
    }
}

/// What a whole scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanSummary {
    /// One report per input, in input order.
    pub inputs: Vec<InputReport>,
    /// Bytes parsed.
    pub bytes: u64,
    /// Records written.
    pub records: u64,
    /// Unparsed records.
    pub unparsed: u64,
    /// Inputs that could not be read.
    pub errors: u64,
    /// Inputs skipped for having no known format.
    pub skipped: u64,
    /// The shard scanned (`"K/N"`), when not all inputs were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::Shard>,
}

/// A file to scan.
struct Job {
    path: PathBuf,
    explicit: bool,
}

/// Expands `paths` into files, directories walked in file-name order. Unreadable paths
/// come back as errors, in place.
fn discover(paths: &[PathBuf]) -> Vec<Result<Job, (String, io::Error)>> {
    let mut jobs = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => jobs.extend(crate::input::walk_files(path).map(|f| {
                f.map(|path| Job {
                    path,
                    explicit: false,
                })
                .map_err(|e| (e.source, e.error))
            })),
            Ok(_) => jobs.push(Ok(Job {
                path: path.clone(),
                explicit: true,
            })),
            Err(e) => jobs.push(Err((path.to_string_lossy().into_owned(), e))),
        }
    }
    jobs
}

/// One unit of parallel work.
enum Task {
    /// An input read whole (a small file, a wrapper): unwrapped, parsed.
    Unit { key: usize, unit: Unit },
    /// A chunk of a large plain file or of a stream.
    Chunk {
        key: usize,
        region: Arc<source::Region>,
        range: Range<usize>,
        offset: u64,
        line: u64,
        ctx: Arc<Context>,
        /// `Some(mid_line)` when the chunk starts inside a record cut for being longer
        /// than the cap (and inside a line, when `mid_line`).
        continues: Option<bool>,
        /// Whether a record of the input started before this chunk.
        after_header: bool,
    },
}

impl Task {
    fn run(self, options: &ScanOptions) -> Done<Vec<Record>> {
        match self {
            Task::Unit { key, unit } => {
                let mut records = Vec::new();
                let reports = unit_reports(key, &unit, options, &mut records);
                (records, reports)
            }
            Task::Chunk {
                key,
                region,
                range,
                offset,
                line,
                ctx,
                continues,
                after_header,
            } => {
                let bytes = &region[range];
                // About one record per 256 input bytes: fewer copies as the list grows.
                let mut records = Vec::with_capacity(bytes.len() / 256);
                let mut report = InputReport {
                    source: ctx.source.to_string(),
                    format: ctx.format,
                    bytes: bytes.len() as u64,
                    ..InputReport::default()
                };
                let mut prev: Option<Event> = None;
                let mut framer = Framer::resume(ctx.format, line, offset)
                    .with_cap(options.parse.max_record_bytes)
                    .after_header(after_header);
                if let Some(mid_line) = continues {
                    framer = framer.continuing(mid_line);
                }
                for span in frame_with(bytes, framer) {
                    let inner =
                        &bytes[(span.start - offset) as usize..(span.end - offset) as usize];
                    let record = decode(&span, inner, &ctx, prev.as_ref());
                    prev = lookback(&record.event);
                    count(&mut report, &span, &record);
                    records.push(record);
                }
                (records, vec![(key, report)])
            }
        }
    }
}

fn count(report: &mut InputReport, span: &Span, record: &Record) {
    report.records += 1;
    if record.is_unparsed() {
        report.unparsed += 1;
        report.first_unparsed.get_or_insert((span.line, span.start));
    }
}

/// Parses one unit into `records`; returns the reports of the logs it held.
fn unit_reports(
    key: usize,
    unit: &Unit,
    options: &ScanOptions,
    records: &mut Vec<Record>,
) -> Vec<(usize, InputReport)> {
    let mut reports = Vec::new();
    // A Vec sink cannot fail.
    let done = parse_unit(unit, options.parse, records).unwrap_or_default();
    if done.skipped {
        reports.push((
            key,
            InputReport {
                source: unit.source.clone(),
                bytes: unit.data.len() as u64,
                skipped: true,
                ..InputReport::default()
            },
        ));
    }
    for (source, s) in done.logs {
        let report = InputReport {
            source,
            bytes: s.bytes,
            format: s.format,
            records: s.records,
            unparsed: s.unparsed,
            first_unparsed: s.first_unparsed,
            skipped: false,
            error: None,
        };
        reports.push((key, report));
    }
    reports
}

/// Whether a large file's `line` may start a chunk: a header of the format (for the
/// engine, one whose template is known, so that no `command_output` record needs the
/// record before it); any line in line-per-record formats or an unknown format.
fn is_cut_line(format: Option<Format>, line: &[u8]) -> bool {
    let Some(format) = format else { return true };
    if is_line_per_record(format) {
        return true;
    }
    if !crate::framing::is_header(format, line) {
        return false;
    }
    match format {
        _ if format.spec().framing.output_follows_run => eblog_grammars::engine::parse_header(line)
            .ok()
            .and_then(|(message, _)| std::str::from_utf8(message).ok())
            .and_then(eblog_grammars::engine::parse_message)
            .is_some_and(|m| {
                !matches!(
                    m,
                    eblog_grammars::engine::EngineMessage::RunningCommand { .. }
                )
            }),
        _ => true,
    }
}

/// The first record start at or after `from` in `buf`, if any (never 0: a cut at the very
/// start is no cut).
fn next_cut(buf: &[u8], from: usize, format: Option<Format>) -> Option<usize> {
    next_line_where(buf, from, |line| is_cut_line(format, line))
}

/// The start of the first line at or after `from` in `buf` (never 0: a cut at the very
/// start is no cut) whose text (without its line end) satisfies `wanted`.
fn next_line_where(buf: &[u8], from: usize, wanted: impl Fn(&[u8]) -> bool) -> Option<usize> {
    let from = from.max(1);
    let mut at = from - 1 + memchr::memchr(b'\n', buf.get(from - 1..)?)? + 1;
    while at < buf.len() {
        let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i + 1);
        if wanted(trim_eol(&buf[at..end])) {
            return Some(at);
        }
        at = end;
    }
    None
}

/// A task's encoded chunk and the reports of the inputs it covered (keyed by job).
type Done<C> = (C, Vec<(usize, InputReport)>);

/// Where a spawned task's result arrives.
type Pending<C> = mpsc::Receiver<io::Result<Done<C>>>;

/// The state the main thread keeps while it cuts the inputs into tasks, spawns them on
/// the pool and drains their results in input order.
struct Planner<'a, 's, E: Encode> {
    options: &'s ScanOptions,
    /// The pool's scope; `None` when the scan runs on one thread, and tasks run on the
    /// planning thread as they are planned.
    scope: Option<&'a rayon::Scope<'s>>,
    encoder: &'s E,
    /// Results still to come, oldest first, with the input bytes each covers.
    inflight: VecDeque<(Pending<E::Chunk>, usize)>,
    inflight_bytes: usize,
    max_tasks: usize,
    max_bytes: usize,
    reports: BTreeMap<usize, Vec<InputReport>>,
    progress: &'a (dyn Fn(u64) + Sync),
    /// Where chunks go, in input order: the writer thread's channel, or the sink itself
    /// when the scan runs on one thread.
    out: &'a mut dyn FnMut(E::Chunk, usize) -> io::Result<()>,
}

impl<E: Encode> Planner<'_, '_, E> {
    /// Spawns `task`, first draining the oldest results while too much is in flight.
    fn push(&mut self, task: Task, bytes: usize) -> io::Result<()> {
        let Some(scope) = self.scope else {
            let (records, reports) = task.run(self.options);
            let chunk = self.encoder.encode(records)?;
            return self.deliver(chunk, reports, bytes);
        };
        while !self.inflight.is_empty()
            && (self.inflight.len() >= self.max_tasks
                || self.inflight_bytes + bytes > self.max_bytes)
        {
            self.drain_one()?;
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let (options, encoder) = (self.options, self.encoder);
        scope.spawn(move |_| {
            let (records, reports) = task.run(options);
            // The receiver is gone only when the scan already failed.
            let _ = tx.send(encoder.encode(records).map(|chunk| (chunk, reports)));
        });
        self.inflight.push_back((rx, bytes));
        self.inflight_bytes += bytes;
        Ok(())
    }

    /// Waits for the oldest task, then hands its chunk to the writer.
    fn drain_one(&mut self) -> io::Result<()> {
        let Some((rx, bytes)) = self.inflight.pop_front() else {
            return Ok(());
        };
        self.inflight_bytes -= bytes;
        let (chunk, reports) = rx
            .recv()
            .map_err(|_| io::Error::other("a scan worker failed"))??;
        self.deliver(chunk, reports, bytes)
    }

    /// Files a task's reports and hands its chunk on.
    fn deliver(
        &mut self,
        chunk: E::Chunk,
        reports: Vec<(usize, InputReport)>,
        bytes: usize,
    ) -> io::Result<()> {
        for (key, report) in reports {
            let list = self.reports.entry(key).or_default();
            match list.iter_mut().find(|r| r.source == report.source) {
                Some(existing) => existing.merge(&report),
                None => list.push(report),
            }
        }
        (self.out)(chunk, bytes)?;
        (self.progress)(bytes as u64);
        Ok(())
    }

    /// Drains every result still in flight.
    fn flush(&mut self) -> io::Result<()> {
        while !self.inflight.is_empty() {
            self.drain_one()?;
        }
        Ok(())
    }

    fn job(&mut self, key: usize, job: Job) -> io::Result<()> {
        let meta = match std::fs::metadata(&job.path) {
            Ok(meta) => meta,
            Err(e) => return self.error(key, &job.path, e),
        };
        if !meta.is_file() {
            // A FIFO or a device: its length says nothing; it is streamed.
            return self.stream_file(key, job);
        }
        let small = meta.len() <= self.options.chunk_bytes as u64;
        let file = match std::fs::File::open(&job.path) {
            Ok(f) => f,
            Err(e) => return self.error(key, &job.path, e),
        };
        // A small file is read whole here (to count its lines); of a large one, the head.
        let want = if small {
            self.options.chunk_bytes
        } else {
            crate::framing::DETECT_WINDOW
        };
        let mut head = Vec::with_capacity(want.min(meta.len() as usize));
        if let Err(e) = file
            .try_clone()
            .and_then(|f| f.take(want as u64).read_to_end(&mut head))
        {
            return self.error(key, &job.path, e);
        }
        if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(b"PK\x03\x04") {
            // Decompressed as it is read: never inflated whole.
            return self.stream_file(key, job);
        }
        let mut data = None;
        if self.options.parse.format.is_none() && wrapper::detect(&head).is_some() {
            // A wrapper is unwrapped whole if it is small enough, in bytes and in lines.
            if small {
                data = Some(std::mem::take(&mut head));
            } else if meta.len() <= regions::WRAPPER_MAX_BYTES {
                match std::fs::read(&job.path) {
                    Ok(whole) => data = Some(whole),
                    Err(e) => return self.error(key, &job.path, e),
                }
            }
            data = data.filter(|d| regions::unwraps_in_memory(d));
        } else if small
            && memchr::memchr_iter(b'\n', &head)
                .nth(regions::CHUNK_MAX_LINES)
                .is_none()
        {
            data = Some(std::mem::take(&mut head));
        }
        if let Some(data) = data {
            // Read once, here: the task parses these bytes.
            let bytes = data.len();
            let unit = Unit {
                source: job.path.to_string_lossy().into_owned(),
                name: job.path,
                data,
                explicit: job.explicit,
                written: meta.modified().ok().map(input::year_month),
            };
            return self.push(Task::Unit { key, unit }, bytes);
        }
        if head.is_empty() {
            // A wrapper judged too large to unwrap, read again as a plain log.
            let reread = (&file).seek(io::SeekFrom::Start(0)).and_then(|_| {
                (&file)
                    .take(crate::framing::DETECT_WINDOW as u64)
                    .read_to_end(&mut head)
            });
            if let Err(e) = reread {
                return self.error(key, &job.path, e);
            }
        }
        self.large_file(key, job, file, meta, &head)
    }

    fn error(&mut self, key: usize, path: &Path, e: io::Error) -> io::Result<()> {
        let report = InputReport {
            source: path.to_string_lossy().into_owned(),
            error: Some(e.to_string()),
            ..InputReport::default()
        };
        self.reports.entry(key).or_default().push(report);
        Ok(())
    }
}

/// Total size of the files `paths` name (directories walked), for a progress bar.
pub fn total_bytes(paths: &[PathBuf]) -> u64 {
    discover(paths)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|j| std::fs::metadata(j.path).ok())
        .map(|m| m.len())
        .sum()
}

/// Scans `paths` with `options`, encoding records with `encoder` on the worker threads and
/// writing the chunks, in input order, to `sink` on a writer thread. `progress` is told
/// the bytes done after each window. With one thread (`-j 1`) there is no pool work and
/// no writer thread: the calling thread parses, encodes and writes each task in turn.
///
/// # Errors
/// An encoding or writing error. Unreadable inputs are not errors: they are reported in
/// the summary and the scan goes on.
pub fn scan<C, E, S>(
    paths: &[PathBuf],
    options: &ScanOptions,
    encoder: &E,
    sink: &mut S,
    progress: &(dyn Fn(u64) + Sync),
) -> io::Result<ScanSummary>
where
    C: Send,
    E: Fn(Vec<Record>) -> io::Result<C> + Sync,
    S: FnMut(C) -> io::Result<()> + Send,
{
    let threads = worker_threads(options);
    let reports = if threads == 1 {
        // One thread in all, no pool: plan, parse, encode and write in turn, so that
        // `-j 1` is what a single core does.
        let mut write = |chunk: C, _bytes: usize| sink(chunk);
        let (planned, reports) = plan(paths, options, encoder, None, &mut write, progress);
        planned?;
        reports
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(io::Error::other)?;
        let (tx, rx) = mpsc::sync_channel::<(C, bool)>(threads);
        let (written_tx, written_rx) = mpsc::channel::<()>();
        // A chunk of a task over this many input bytes (a record cut at the cap) may
        // encode to hundreds of MB: the planner waits until it is written before it hands
        // on the next, so that no more than one such chunk waits for the writer.
        let big = options.chunk_bytes.saturating_mul(4);
        std::thread::scope(|scope| -> io::Result<BTreeMap<usize, Vec<InputReport>>> {
            let writer = scope.spawn(move || -> io::Result<()> {
                for (chunk, acknowledge) in rx {
                    sink(chunk)?;
                    if acknowledge {
                        // The planner is gone only when the scan already failed.
                        let _ = written_tx.send(());
                    }
                }
                Ok(())
            });
            let mut send = move |chunk: C, bytes: usize| {
                let stopped = || io::Error::other("the output writer stopped");
                tx.send((chunk, bytes > big)).map_err(|_| stopped())?;
                if bytes > big {
                    written_rx.recv().map_err(|_| stopped())?;
                }
                Ok(())
            };
            // Dropping `send` when `plan` returns closes the channel: the writer drains
            // and ends.
            let (planned, reports) =
                plan(paths, options, encoder, Some(&pool), &mut send, progress);
            drop(send);
            let written = writer
                .join()
                .map_err(|_| io::Error::other("the output writer panicked"))?;
            // A write error explains a failed send better than the send does.
            written?;
            planned?;
            Ok(reports)
        })?
    };
    let mut summary = ScanSummary {
        shard: options.shard,
        ..ScanSummary::default()
    };
    for report in reports.into_values().flatten() {
        summary.bytes += report.bytes;
        summary.records += report.records;
        summary.unparsed += report.unparsed;
        summary.errors += u64::from(report.error.is_some());
        summary.skipped += u64::from(report.skipped);
        summary.inputs.push(report);
    }
    Ok(summary)
}

/// The worker threads `options` ask for: `threads`, or one per core when it is 0.
pub fn worker_threads(options: &ScanOptions) -> usize {
    if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    }
}

/// Plans every input of `paths` into tasks, runs them on `pool` (or on this thread when
/// there is none) and hands their chunks to `out` in input order; returns how planning
/// ended and the reports of every input, keyed by job.
fn plan<'s, E: Encode>(
    paths: &[PathBuf],
    options: &'s ScanOptions,
    encoder: &'s E,
    pool: Option<&rayon::ThreadPool>,
    out: &mut dyn FnMut(E::Chunk, usize) -> io::Result<()>,
    progress: &(dyn Fn(u64) + Sync),
) -> (io::Result<()>, BTreeMap<usize, Vec<InputReport>>) {
    let threads = pool.map_or(1, rayon::ThreadPool::current_num_threads);
    match pool {
        Some(pool) => pool.in_place_scope(|scope| {
            Planner::new(options, Some(scope), encoder, threads, progress, out).run(paths)
        }),
        None => Planner::new(options, None, encoder, threads, progress, out).run(paths),
    }
}

impl<'a, 's, E: Encode> Planner<'a, 's, E> {
    /// A planner that keeps about two tasks per thread in flight.
    fn new(
        options: &'s ScanOptions,
        scope: Option<&'a rayon::Scope<'s>>,
        encoder: &'s E,
        threads: usize,
        progress: &'a (dyn Fn(u64) + Sync),
        out: &'a mut dyn FnMut(E::Chunk, usize) -> io::Result<()>,
    ) -> Self {
        Planner {
            options,
            scope,
            encoder,
            inflight: VecDeque::new(),
            inflight_bytes: 0,
            max_tasks: threads * 2,
            max_bytes: threads * 2 * options.chunk_bytes,
            reports: BTreeMap::new(),
            progress,
            out,
        }
    }
}

impl<E: Encode> Planner<'_, '_, E> {
    /// Plans and runs every job, then drains what is still in flight.
    fn run(mut self, paths: &[PathBuf]) -> (io::Result<()>, BTreeMap<usize, Vec<InputReport>>) {
        let mut planned: io::Result<()> = Ok(());
        let shard = self.options.shard;
        let jobs = discover(paths).into_iter().filter(|job| {
            let path = job.as_ref().map_or_else(|(s, _)| Path::new(s), |j| &j.path);
            shard.is_none_or(|shard| shard.keeps(path))
        });
        for (key, job) in jobs.enumerate() {
            planned = match job {
                Ok(job) => self.job(key, job),
                Err((source, e)) => {
                    self.reports.entry(key).or_default().push(InputReport {
                        source,
                        error: Some(e.to_string()),
                        ..InputReport::default()
                    });
                    Ok(())
                }
            };
            if planned.is_err() {
                break;
            }
        }
        if planned.is_ok() {
            planned = self.flush();
        }
        (planned, std::mem::take(&mut self.reports))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_on_record_starts() {
        let text = b"2017-07-16 23:09:33,602 [ERROR] boom\nTraceback (most recent call last):\n  x\n2017-07-16 23:09:34,000 [INFO] ok\n";
        let cut = next_cut(text, 10, Some(Format::CfnHup)).unwrap();
        assert!(text[cut..].starts_with(b"2017-07-16 23:09:34"));
        assert_eq!(next_cut(text, cut + 1, Some(Format::CfnHup)), None);
        assert_eq!(next_cut(b"a\nb\n", 0, None), Some(2));
    }

    #[test]
    fn engine_cuts_avoid_records_that_need_the_one_before() {
        let text = b"2022/06/14 10:41:12.000000 [INFO] Executing instruction: X\n2022/06/14 10:41:12.000001 [INFO] Running command /bin/sh -c ls\n2022/06/14 10:41:12.000002 [INFO] web.service\n2022/06/14 10:41:12.000003 [INFO] Executing instruction: Y\n";
        let cut = next_cut(text, 20, Some(Format::Engine)).unwrap();
        assert!(
            text[cut..].ends_with(b"Executing instruction: Y\n")
                && text[cut..].starts_with(b"2022/06/14 10:41:12.000003")
        );
    }
}
