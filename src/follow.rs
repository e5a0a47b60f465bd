//! Follow mode (`eblog parse --follow`): keep reading files as they grow, like `tail -F`.
//!
//! Each file is read from its start, then polled. A record is written when the next
//! header arrives, or once the file has been idle for [`FollowOptions::idle`], so a
//! multi-line record is not held back forever. Rotation by rename (a new file at the path)
//! and truncation (the file got shorter) end the current stream and start a new one at the
//! new file's first byte. A line still missing its `\n` waits until it is complete or the
//! run stops.
#![forbid(unsafe_code)]

use crate::framing::{detect_by_content, detect_by_name, DETECT_WINDOW};
use crate::pipeline::{ParseOptions, Stream};
use crate::sink::RecordSink;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How to follow.
#[derive(Debug, Clone, Copy)]
pub struct FollowOptions {
    /// Parse options (format, zone).
    pub parse: ParseOptions,
    /// Write an open record after the file has been idle this long.
    pub idle: Duration,
    /// Time between polls.
    pub poll: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            parse: ParseOptions::default(),
            idle: Duration::from_millis(1000),
            poll: Duration::from_millis(200),
        }
    }
}

/// Identity of an open file, to notice a rename rotation.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.ino() ^ meta.dev().rotate_left(32)
}

#[cfg(not(unix))]
fn identity(meta: &std::fs::Metadata) -> u64 {
    meta.created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// One followed file.
struct Followed {
    path: PathBuf,
    source: String,
    file: Option<(File, u64)>,
    /// Bytes read from the current file.
    position: u64,
    /// A line still missing its `\n`.
    partial: Vec<u8>,
    /// Complete lines read before the format could be told.
    head: Vec<u8>,
    stream: Option<Stream>,
    last_data: Instant,
}

impl Followed {
    fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            source: path.to_string_lossy().into_owned(),
            file: None,
            position: 0,
            partial: Vec::new(),
            head: Vec::new(),
            stream: None,
            last_data: Instant::now(),
        }
    }

    /// Ends the current file's stream: writes what is open, partial line included.
    fn close(&mut self, options: &FollowOptions, sink: &mut impl RecordSink) -> io::Result<()> {
        if !self.partial.is_empty() {
            let partial = std::mem::take(&mut self.partial);
            self.push_line(&partial, options, sink)?;
        }
        if !self.head.is_empty() {
            let format = detect_by_content(&self.head);
            self.start(format, options, sink)?;
        }
        if let Some(stream) = &mut self.stream {
            stream.finish(sink)?;
        }
        self.stream = None;
        self.file = None;
        self.position = 0;
        Ok(())
    }

    fn start(
        &mut self,
        format: Option<crate::record::Format>,
        options: &FollowOptions,
        sink: &mut impl RecordSink,
    ) -> io::Result<()> {
        let mut stream = Stream::new(&self.source, format, options.parse.zone);
        stream.set_max_record_bytes(options.parse.max_record_bytes);
        let written = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        stream.learn(&crate::formats::FileFacts {
            head: &self.head,
            name: None,
            written: written
                .map(crate::input::year_month)
                .or(options.parse.written),
        });
        let head = std::mem::take(&mut self.head);
        for line in crate::framing::pieces(&head, options.parse.max_record_bytes) {
            stream.feed(line, sink)?;
        }
        self.stream = Some(stream);
        Ok(())
    }

    fn push_line(
        &mut self,
        line: &[u8],
        options: &FollowOptions,
        sink: &mut impl RecordSink,
    ) -> io::Result<()> {
        if let Some(stream) = &mut self.stream {
            return stream.feed(line, sink);
        }
        let known = options.parse.format.or_else(|| detect_by_name(&self.path));
        self.head.extend_from_slice(line);
        let format = match known {
            Some(f) => Some(Some(f)),
            None if detect_by_content(line).is_some() => Some(detect_by_content(&self.head)),
            None if self.head.len() >= DETECT_WINDOW => Some(None),
            None => None,
        };
        match format {
            Some(format) => self.start(format, options, sink),
            None => Ok(()),
        }
    }

    /// Reads what was appended since the last poll; reopens after rotation or truncation.
    /// Returns whether anything was read.
    fn poll(&mut self, options: &FollowOptions, sink: &mut impl RecordSink) -> io::Result<bool> {
        let current = std::fs::metadata(&self.path).ok();
        let (rotated, truncated) = match (&self.file, &current) {
            (Some((_, id)), Some(meta)) => (
                identity(meta) != *id,
                identity(meta) == *id && meta.len() < self.position,
            ),
            // Renamed away and no new file yet, or not open: nothing to switch to.
            _ => (false, false),
        };
        let mut any = false;
        if rotated {
            // The writer may have appended to the old file before it let go of it.
            any |= self.read_more(options, sink)?;
        }
        if rotated || truncated {
            self.close(options, sink)?;
        }
        if self.file.is_none() {
            let Some(meta) = current else { return Ok(any) };
            let Ok(file) = File::open(&self.path) else {
                return Ok(any);
            };
            self.file = Some((file, identity(&meta)));
            self.position = 0;
        }
        any |= self.read_more(options, sink)?;
        Ok(any)
    }

    /// Reads the open file from the last position to its end, a block at a time, and
    /// feeds the complete lines, and the pieces of a line longer than the cap (so a
    /// line that never ends is held only up to the cap).
    fn read_more(
        &mut self,
        options: &FollowOptions,
        sink: &mut impl RecordSink,
    ) -> io::Result<bool> {
        const BLOCK: u64 = 4 * 1024 * 1024;
        let cap = options.parse.max_record_bytes.max(1);
        let mut any = false;
        loop {
            let Some((file, _)) = &mut self.file else {
                return Ok(any);
            };
            let mut fresh = Vec::new();
            file.seek(SeekFrom::Start(self.position))?;
            (&*file).take(BLOCK).read_to_end(&mut fresh)?;
            if fresh.is_empty() {
                return Ok(any);
            }
            any = true;
            self.position += fresh.len() as u64;
            self.last_data = Instant::now();
            let mut data = std::mem::take(&mut self.partial);
            data.extend_from_slice(&fresh);
            let complete = memchr::memrchr(b'\n', &data).map_or(0, |i| i + 1);
            let fed = complete + (data.len() - complete) / cap * cap;
            self.partial = data[fed..].to_vec();
            for line in crate::framing::pieces(&data[..fed], cap) {
                self.push_line(line, options, sink)?;
            }
            if (fresh.len() as u64) < BLOCK {
                return Ok(true);
            }
        }
    }

    /// Writes the open record once the file has been idle long enough.
    fn idle(&mut self, options: &FollowOptions, sink: &mut impl RecordSink) -> io::Result<()> {
        if self.last_data.elapsed() < options.idle {
            return Ok(());
        }
        if let Some(stream) = &mut self.stream {
            if stream.has_open_record() {
                stream.finish(sink)?;
            }
        }
        Ok(())
    }
}

/// Follows `paths` until `stop` is set, writing records to `sink` and flushing it after
/// each poll that wrote something. A path that does not exist yet is waited for.
///
/// # Errors
/// A read error of a followed file (other than it being absent) or a write error of the
/// sink.
pub fn follow(
    paths: &[PathBuf],
    options: FollowOptions,
    sink: &mut impl RecordSink,
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut files: Vec<Followed> = paths.iter().map(|p| Followed::new(p)).collect();
    while !stop.load(Ordering::Relaxed) {
        let mut any = false;
        for f in &mut files {
            any |= f.poll(&options, sink)?;
            f.idle(&options, sink)?;
        }
        sink.flush()?;
        if !any {
            std::thread::sleep(options.poll);
        }
    }
    for f in &mut files {
        f.poll(&options, sink)?;
        f.close(&options, sink)?;
    }
    sink.flush()
}
