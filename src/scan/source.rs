//! Reading a region of a large file: memory-mapped (through `src/mapped.rs`, the only
//! `unsafe` in eblog) or read into a buffer. Both give the same bytes, so the scanner's
//! output does not depend on which was used.

use memmap2::Mmap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Deref;
use std::time::{Duration, SystemTime};

/// How the scanner reads large files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MmapChoice {
    /// Map large regular files that have not been written for [`QUIET_FOR`]; read the rest.
    #[default]
    Auto,
    /// Never map: read every file.
    Never,
}

/// Files smaller than this are read whole: mapping many small files is slower than
/// reading them (see BENCHMARKS.md for the measurement).
pub const MMAP_MIN_BYTES: u64 = 4 * 1024 * 1024;

/// A file modified less than this long ago may still be written to: it is read, not
/// mapped, because a mapped page that a concurrent truncation removes raises SIGBUS.
pub const QUIET_FOR: Duration = Duration::from_secs(5);

/// Alignment of mapping offsets (a multiple of every page size and of Windows' 64 KiB
/// allocation granularity).
const MAP_ALIGN: u64 = 64 * 1024;

/// Bytes of one region of a file.
pub enum Region {
    /// A mapping of the region, plus how many leading bytes belong to the alignment.
    Mapped(Mmap, usize),
    /// The region read into memory.
    Read(Vec<u8>),
}

impl Deref for Region {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Region::Mapped(map, skip) => &map[*skip..],
            Region::Read(buf) => buf,
        }
    }
}

/// An open large file the scanner reads region by region.
pub struct RegionReader {
    file: File,
    len: u64,
    map: bool,
    /// The modification time the file had when the decision to map was taken.
    modified: Option<SystemTime>,
}

impl RegionReader {
    /// Opens `file` of length `len`; `choice` and the file's age decide whether regions are
    /// mapped.
    pub fn new(file: File, len: u64, modified: Option<SystemTime>, choice: MmapChoice) -> Self {
        let quiet = modified
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= QUIET_FOR);
        let map = choice == MmapChoice::Auto && len >= MMAP_MIN_BYTES && quiet;
        Self {
            file,
            len,
            map,
            modified,
        }
    }

    /// Whether the open file still has the length and modification time it had when the
    /// decision to map was taken (a truncation or a write changes the time).
    fn unchanged(&self) -> bool {
        self.file
            .metadata()
            .is_ok_and(|m| m.len() >= self.len && m.modified().ok() == self.modified)
    }

    /// Whether regions are mapped.
    pub fn is_mapped(&self) -> bool {
        self.map
    }

    /// Length of the file when it was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes from `start` to `end` (clamped to the file's length at open). A mapped
    /// file that was truncated or written since it was opened is read from then on: its
    /// regions are not mapped any more.
    pub fn region(&mut self, start: u64, end: u64) -> io::Result<Region> {
        let end = end.min(self.len);
        let start = start.min(end);
        if self.map && !self.unchanged() {
            self.map = false;
        }
        if self.map {
            let aligned = start - start % MAP_ALIGN;
            let len = usize::try_from(end - aligned).map_err(io::Error::other)?;
            if len == 0 {
                return Ok(Region::Read(Vec::new()));
            }
            // Only files quiet for `QUIET_FOR` (see `new`) and unchanged since get here:
            // `map_region`'s contract.
            let map = crate::mapped::map_region(&self.file, aligned, len)?;
            return Ok(Region::Mapped(map, (start - aligned) as usize));
        }
        let mut buf = vec![0; usize::try_from(end - start).map_err(io::Error::other)?];
        self.file.seek(SeekFrom::Start(start))?;
        let mut filled = 0;
        while filled < buf.len() {
            match self.file.read(&mut buf[filled..]) {
                Ok(0) => break, // the file shrank since it was opened: keep what was there
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        buf.truncate(filled);
        Ok(Region::Read(buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn mapped_and_read_regions_agree() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        let data: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        file.write_all(&data).unwrap();
        let len = data.len() as u64;
        let old = SystemTime::now() - Duration::from_secs(60);
        let mut mapped = RegionReader {
            file: file.reopen().unwrap(),
            len,
            map: true,
            modified: file.as_file().metadata().unwrap().modified().ok(),
        };
        let mut read = RegionReader::new(file.reopen().unwrap(), len, Some(old), MmapChoice::Never);
        assert!(!read.is_mapped());
        for (start, end) in [(0, 10), (70_000, 140_001), (len - 3, len + 50)] {
            let a = mapped.region(start, end).unwrap();
            assert!(
                matches!(a, Region::Mapped(..)),
                "an unchanged file stays mapped"
            );
            let b = read.region(start, end).unwrap();
            assert_eq!(&a[..], &b[..]);
            assert_eq!(&a[..], &data[start as usize..end.min(len) as usize]);
        }
    }

    #[test]
    fn fresh_or_small_files_are_not_mapped() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let fresh = RegionReader::new(
            file.reopen().unwrap(),
            MMAP_MIN_BYTES,
            Some(SystemTime::now()),
            MmapChoice::Auto,
        );
        assert!(!fresh.is_mapped());
        let old = SystemTime::now() - Duration::from_secs(60);
        let small = RegionReader::new(file.reopen().unwrap(), 10, Some(old), MmapChoice::Auto);
        assert!(!small.is_mapped());
        let big = RegionReader::new(
            file.reopen().unwrap(),
            MMAP_MIN_BYTES,
            Some(old),
            MmapChoice::Auto,
        );
        assert!(big.is_mapped());
    }
}
