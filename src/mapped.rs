//! The one module of eblog that holds `unsafe` code: memory-mapping a region of a file.
//! Every other module is `#![forbid(unsafe_code)]`; the scanner reaches the mapping only
//! through [`map_region`], from [`crate::scan::source`].
#![allow(unsafe_code)]

use memmap2::{Mmap, MmapOptions};
use std::fs::File;
use std::io;

/// Maps `len` bytes of `file` from `offset` (a multiple of the page size) read-only.
///
/// Contract: call it only for a file that is not being written. The scanner maps only
/// regular files that have not been modified for
/// [`QUIET_FOR`](crate::scan::source::QUIET_FOR) (see
/// [`RegionReader::new`](crate::scan::source::RegionReader::new)); every other file is
/// read into a buffer instead.
///
/// # Errors
/// The mapping failed (the operating system's error).
pub(crate) fn map_region(file: &File, offset: u64, len: usize) -> io::Result<Mmap> {
    // SAFETY: `memmap2` requires that the mapped file is not modified for as long as the
    // map lives, since the returned `Mmap` is handed out as an immutable `&[u8]`. The
    // mapping is read-only and private to this process, and it is never handed out
    // mutably. Another process can still change the file: a write changes bytes under a
    // `&[u8]` (the records then hold whatever text was read, never invalid memory), and a
    // truncation makes reads past the new end raise SIGBUS. The caller's contract above
    // is the guard against both: files modified within `QUIET_FOR` are read, not mapped,
    // so a log being written or rotated is never mapped.
    unsafe { MmapOptions::new().offset(offset).len(len).map(file) }
}
