//! Inputs: the paths a user names, expanded into [`Unit`]s — one named byte buffer per
//! log file, whether it is a plain file, a file found in a directory, a `.gz` file or a
//! member of a `.zip` bundle.
//!
//! Directories are walked recursively in a deterministic order (sorted by file name).
//! Compression is recognised by content (gzip and zip magic bytes), so a renamed file still
//! opens; a `.gz` suffix is dropped from the name used for format detection.
#![forbid(unsafe_code)]

use flate2::read::MultiGzDecoder;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One log file's bytes, with the names eblog reports and detects by.
#[derive(Debug)]
pub struct Unit {
    /// The name records carry in `source`: the path as given, or `bundle.zip!/var/log/x.log`
    /// for a zip member.
    pub source: String,
    /// The name format detection looks at (the inner path, `.gz` removed).
    pub name: PathBuf,
    /// The (decompressed) bytes.
    pub data: Vec<u8>,
    /// Whether the user named this file on the command line (always parsed), rather than
    /// eblog finding it in a directory or an archive (skipped when its format is unknown).
    pub explicit: bool,
    /// Year and month the file was last modified (UTC), when known.
    pub written: Option<(i32, u32)>,
}

/// The UTC year and month of `time`.
pub fn year_month(time: std::time::SystemTime) -> (i32, u32) {
    let utc: chrono::DateTime<chrono::Utc> = time.into();
    (chrono::Datelike::year(&utc), chrono::Datelike::month(&utc))
}

/// An input that could not be read, with the path that names it.
#[derive(Debug)]
pub struct InputError {
    /// The path (or `archive!member`) as the user would name it.
    pub source: String,
    /// What went wrong.
    pub error: io::Error,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.error)
    }
}

impl std::error::Error for InputError {}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZIP_MAGIC: [u8; 4] = *b"PK\x03\x04";

/// Expands `path` into units, calling `each` for every unit or error in a deterministic
/// order. `explicit` says whether the user named `path` itself.
pub fn expand(path: &Path, explicit: bool, each: &mut dyn FnMut(Result<Unit, InputError>)) {
    let source = path.to_string_lossy().into_owned();
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, each),
        Ok(meta) => match std::fs::read(path) {
            Ok(data) => {
                let written = meta.modified().ok().map(year_month);
                open_bytes(source, path.to_path_buf(), data, explicit, written, each);
            }
            Err(error) => each(Err(InputError { source, error })),
        },
        Err(error) => each(Err(InputError { source, error })),
    }
}

fn walk(dir: &Path, each: &mut dyn FnMut(Result<Unit, InputError>)) {
    for file in walk_files(dir) {
        match file {
            Ok(path) => expand(&path, false, each),
            Err(e) => each(Err(e)),
        }
    }
}

/// The files under `dir`, in file-name order, links followed: the one directory walker
/// (`parse`, `commands` and `scan` read directories through it). An entry that cannot be
/// read, or a link that loops, comes back as an error in its place.
pub fn walk_files(dir: &Path) -> impl Iterator<Item = Result<PathBuf, InputError>> + '_ {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(move |entry| match entry {
            Ok(entry) if entry.file_type().is_file() => Some(Ok(entry.into_path())),
            Ok(_) => None,
            Err(e) => {
                let source = e.path().unwrap_or(dir).to_string_lossy().into_owned();
                let error = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("filesystem loop"));
                Some(Err(InputError { source, error }))
            }
        })
}

/// Turns a file's bytes into units: unzips a zip bundle, gunzips a gzip file, or passes
/// the bytes on.
pub fn open_bytes(
    source: String,
    name: PathBuf,
    data: Vec<u8>,
    explicit: bool,
    written: Option<(i32, u32)>,
    each: &mut dyn FnMut(Result<Unit, InputError>),
) {
    if data.starts_with(&ZIP_MAGIC) {
        unzip(&source, data, each);
    } else if data.starts_with(&GZIP_MAGIC) {
        // A stream cut short still yields what was decompressed before the cut: it is
        // parsed, and the cut is reported.
        let (inner, cut) = gunzip_partial(&data);
        if !inner.is_empty() || cut.is_none() {
            each(Ok(Unit {
                source: source.clone(),
                name: strip_gz(&name),
                data: inner,
                explicit,
                written,
            }));
        }
        if let Some(error) = cut {
            each(Err(InputError { source, error }));
        }
    } else {
        each(Ok(Unit {
            source,
            name,
            data,
            explicit,
            written,
        }))
    }
}

fn strip_gz(name: &Path) -> PathBuf {
    match name.extension() {
        Some(ext) if ext == "gz" => name.with_extension(""),
        _ => name.to_path_buf(),
    }
}

/// Decompresses a whole gzip stream (all members).
pub fn gunzip(data: &[u8]) -> io::Result<Vec<u8>> {
    match gunzip_partial(data) {
        (out, None) => Ok(out),
        (_, Some(e)) => Err(e),
    }
}

/// Decompresses as much of a gzip stream as can be read, and the error that stopped it
/// early, if any (a file cut short, a corrupt block).
pub fn gunzip_partial(data: &[u8]) -> (Vec<u8>, Option<io::Error>) {
    let mut out = Vec::with_capacity(data.len().saturating_mul(4));
    let mut decoder = MultiGzDecoder::new(data);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match decoder.read(&mut buf) {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                let at = out.len();
                return (
                    out,
                    Some(io::Error::new(
                        e.kind(),
                        format!("{e} (after {at} decompressed bytes; those were parsed)"),
                    )),
                );
            }
        }
    }
}

fn unzip(source: &str, data: Vec<u8>, each: &mut dyn FnMut(Result<Unit, InputError>)) {
    let mut archive = match zip::ZipArchive::new(io::Cursor::new(data)) {
        Ok(archive) => archive,
        Err(e) => {
            return each(Err(InputError {
                source: source.to_owned(),
                error: io::Error::other(e),
            }))
        }
    };
    let names = member_names(&archive);
    for (name, index) in names {
        let member_source = format!("{source}!/{}", name.trim_start_matches('/'));
        let mut bytes = Vec::new();
        let read = archive
            .by_index(index)
            .map_err(io::Error::other)
            .and_then(|mut f| f.read_to_end(&mut bytes));
        match read {
            Ok(_) => open_bytes(
                member_source,
                PathBuf::from(&name),
                bytes,
                false,
                None,
                each,
            ),
            Err(error) => each(Err(InputError {
                source: member_source,
                error,
            })),
        }
    }
}

/// The files of a zip archive (directories left out): their names, in name order, with
/// their indexes.
pub fn member_names<R: Read + std::io::Seek>(archive: &zip::ZipArchive<R>) -> Vec<(String, usize)> {
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| archive.name_for_index(i).map(|n| (n.to_owned(), i)))
        .filter(|(n, _)| !n.ends_with('/'))
        .collect();
    names.sort();
    names
}

/// Opens a file for streaming (follow mode, very large inputs).
pub fn open_file(path: &Path) -> Result<File, InputError> {
    File::open(path).map_err(|error| InputError {
        source: path.to_string_lossy().into_owned(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(path: &Path, explicit: bool) -> Vec<Result<Unit, InputError>> {
        let mut out = Vec::new();
        expand(path, explicit, &mut |u| out.push(u));
        out
    }

    #[test]
    fn gz_files_are_decompressed_and_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfn-hup.log.1.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"hello\n").unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let units = collect(&path, true);
        let unit = units[0].as_ref().unwrap();
        assert_eq!(unit.data, b"hello\n");
        assert_eq!(unit.name.file_name().unwrap(), "cfn-hup.log.1");
        assert!(unit.source.ends_with("cfn-hup.log.1.gz"));
    }

    #[test]
    fn zip_members_are_named_inside_the_archive_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("var/log/eb-engine.log", options).unwrap();
        zip.write_all(b"b\n").unwrap();
        zip.start_file("var/log/cfn-hup.log", options).unwrap();
        zip.write_all(b"a\n").unwrap();
        zip.finish().unwrap();
        let units: Vec<Unit> = collect(&path, true)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let sources: Vec<&str> = units.iter().map(|u| u.source.as_str()).collect();
        assert_eq!(sources.len(), 2);
        assert!(
            sources[0].ends_with("bundle.zip!/var/log/cfn-hup.log"),
            "{sources:?}"
        );
        assert!(sources[1].ends_with("bundle.zip!/var/log/eb-engine.log"));
        assert!(!units[0].explicit);
    }

    #[test]
    fn directories_walk_sorted_and_missing_paths_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.log"), "z").unwrap();
        std::fs::write(dir.path().join("a.log"), "a").unwrap();
        let units: Vec<Unit> = collect(dir.path(), true)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let names: Vec<&[u8]> = units.iter().map(|u| &u.data[..]).collect();
        assert_eq!(names, vec![&b"a"[..], b"z"]);
        let missing = collect(&dir.path().join("nope"), true);
        let err = missing[0].as_ref().unwrap_err();
        assert!(err.to_string().contains("nope"));
    }

    #[test]
    fn a_truncated_gzip_keeps_what_was_read_and_reports_the_cut() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.log.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&b"hello world\n".repeat(1000)).unwrap();
        let bytes = gz.finish().unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let units = collect(&path, true);
        let partial = units[0].as_ref().unwrap();
        assert!(!partial.data.is_empty() && partial.data.len() < 12_000);
        assert!(b"hello world\n".repeat(1000).starts_with(&partial.data));
        let err = units[1].as_ref().unwrap_err().to_string();
        assert!(
            err.contains("x.log.gz") && err.contains("decompressed bytes"),
            "{err}"
        );
    }
}
