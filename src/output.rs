//! Output files that respect what is already at their path.
//!
//! Every file eblog writes at a path the user named (`parse -o`, `--to csv|parquet -o`,
//! `commands --html`, a dataset's files as they are published) goes through
//! [`OutputFile`]:
//!
//! | what is at the path | what eblog does |
//! |---|---|
//! | nothing | writes `.NAME.eblog-XXXX.tmp` beside it, renames it into place; mode from the umask |
//! | a regular file (or a symlink to one) | same, into the symlink's target; the file's permissions (and, where allowed, owner) kept |
//! | a device, FIFO, socket or terminal (or a symlink to one), a file of `/proc` | opened and written in place: never replaced, never truncated |
//! | `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N` | opened for appending: what the shell's descriptor points to is written through, after what is there |
//! | a directory | an error |
//!
//! An interrupted or failed write never leaves a file that looks complete: the temporary
//! file is removed, and the old file (if any) stays as it was. Spills ([`spill_file`]) are
//! anonymous temporary files that never have a path.
#![forbid(unsafe_code)]

use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// A file being written at a user's path: a temporary file beside a regular file's path,
/// or the special file itself.
#[derive(Debug)]
pub struct OutputFile {
    path: PathBuf,
    target: Target,
}

#[derive(Debug)]
enum Target {
    /// Written beside `dest` and renamed onto it by [`OutputFile::commit`].
    Replace {
        temp: tempfile::NamedTempFile,
        dest: PathBuf,
        /// The replaced file's metadata: its owner and mode are given to the new file when
        /// it is complete (after the writes, which would clear a set-user-ID bit).
        keep: Option<Box<Metadata>>,
    },
    /// A device, FIFO, socket or terminal: written where it is.
    InPlace(File),
}

/// What a path holds, as far as writing it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// Nothing yet.
    Absent,
    /// A regular file (possibly through symlinks).
    Regular,
    /// A directory (possibly through symlinks).
    Directory,
    /// Anything else: a character or block device, a FIFO, a socket.
    Special,
}

/// What `path` holds, following symlinks. `/dev/stdout` and its kin count as special
/// whatever they resolve to (see [`is_descriptor_alias`]), and so do the files of `/proc`.
///
/// # Errors
/// The path could not be examined (other than not existing).
pub fn path_kind(path: &Path) -> io::Result<PathKind> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A dangling symlink: writing through it would create its target somewhere
            // the user may not expect; treat it as special (opened, so the error is
            // the system's).
            return Ok(match fs::symlink_metadata(path) {
                Ok(_) => PathKind::Special,
                Err(_) => PathKind::Absent,
            });
        }
        Err(e) => return Err(e),
    };
    Ok(kind_of(path, &meta))
}

fn kind_of(path: &Path, meta: &Metadata) -> PathKind {
    if meta.is_dir() {
        PathKind::Directory
    } else if is_descriptor_alias(path) || is_proc(path) || !meta.is_file() {
        PathKind::Special
    } else {
        PathKind::Regular
    }
}

/// Whether `path` names one of this process's open descriptors (`/dev/stdout`,
/// `/dev/fd/N`, `/proc/self/fd/N`): it may resolve to the regular file a shell redirected
/// to, which must be written through (appending, as the shell's `>>`, `{ ...; } >` and
/// `>` all leave the descriptor at the end of what is there), never replaced.
fn is_descriptor_alias(path: &Path) -> bool {
    path == Path::new("/dev/stdout")
        || path == Path::new("/dev/stderr")
        || path.starts_with("/dev/fd")
        || path.starts_with("/proc/self/fd")
        || path.starts_with("/proc/thread-self/fd")
        || (path.starts_with("/proc")
            && path
                .components()
                .nth(3)
                .is_some_and(|c| c.as_os_str() == "fd"))
}

/// Whether `path` is in the process file system (whose files are written in place).
fn is_proc(path: &Path) -> bool {
    path.starts_with("/proc") || fs::canonicalize(path).is_ok_and(|p| p.starts_with("/proc"))
}

impl OutputFile {
    /// Starts writing `path` as the table above says.
    ///
    /// # Errors
    /// `path` is a directory, or the file (temporary or special) cannot be opened.
    pub fn create(path: &Path) -> io::Result<Self> {
        let target = match path_kind(path)? {
            PathKind::Directory => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory; name a file to write",
                ))
            }
            PathKind::Special => Target::InPlace(
                OpenOptions::new()
                    .write(true)
                    .append(is_descriptor_alias(path))
                    .open(path)?,
            ),
            PathKind::Absent => Target::Replace {
                temp: temp_beside(path)?,
                dest: path.to_path_buf(),
                keep: None,
            },
            PathKind::Regular => {
                // Replace the file a symlink points to, not the symlink.
                let dest = fs::canonicalize(path)?;
                let meta = fs::metadata(&dest)?;
                Target::Replace {
                    temp: temp_beside(&dest)?,
                    dest,
                    keep: Some(Box::new(meta)),
                }
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            target,
        })
    }

    /// The path the user named.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open file to write to.
    pub fn file(&self) -> &File {
        match &self.target {
            Target::Replace { temp, .. } => temp.as_file(),
            Target::InPlace(file) => file,
        }
    }

    /// A second handle to the open file (for writers that own theirs).
    ///
    /// # Errors
    /// The handle could not be duplicated.
    pub fn try_clone_file(&self) -> io::Result<File> {
        self.file().try_clone()
    }

    /// Whether the output is written in place (a device, FIFO, socket or terminal).
    pub fn in_place(&self) -> bool {
        matches!(self.target, Target::InPlace(_))
    }

    /// Makes the written bytes durable and puts the file in place. Dropping an
    /// [`OutputFile`] without committing removes its temporary file.
    ///
    /// # Errors
    /// Syncing or renaming failed (the temporary file is then removed).
    pub fn commit(self) -> io::Result<()> {
        match self.target {
            Target::InPlace(_) => Ok(()),
            Target::Replace { temp, dest, keep } => {
                if let Some(meta) = &keep {
                    keep_owner_and_mode(temp.as_file(), meta)?;
                }
                temp.as_file().sync_all()?;
                temp.persist(&dest).map_err(|e| e.error)?;
                sync_parent(&dest);
                Ok(())
            }
        }
    }
}

/// `dir/.NAME.tmp`: the temporary name of `dir/NAME` while eblog writes it inside a
/// directory that is its own (a dataset's staging directory, where no user file can be).
/// Every temporary name eblog makes comes from here, [`run_path`], [`OutputFile`]'s
/// `.NAME.eblog-XXXX.tmp` beside a user's path, or the staging directory itself.
///
/// # Errors
/// `path` names no file (it ends in `..` or is a root).
pub fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file path", path.display()),
        )
    })?;
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(".tmp");
    Ok(path.with_file_name(temp))
}

/// `dir/.NAME.run-N.tmp`: the temporary name of sorted run `N` of `dir/NAME` (a
/// partition written in runs that are merged into `NAME` at the end).
///
/// # Errors
/// As [`temp_path`].
pub fn run_path(path: &Path, run: u32) -> io::Result<PathBuf> {
    let temp = temp_path(path)?;
    let name = temp
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.trim_end_matches(".tmp");
    Ok(path.with_file_name(format!("{name}.run-{run}.tmp")))
}

/// A temporary spill file (the executions `commands` sorts on disk): anonymous, in the
/// system's temporary directory, removed by the system when closed; it has no path, so it
/// can never replace anything.
///
/// # Errors
/// The temporary directory cannot hold a file.
pub fn spill_file() -> io::Result<File> {
    tempfile::tempfile()
}

/// A temporary file in `dest`'s directory, hidden, with the mode the umask gives a new
/// file (`0666 & !umask`).
fn temp_beside(dest: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(dest.file_name().unwrap_or_else(|| "eblog".as_ref()));
    prefix.push(".eblog-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask to the mode a file is created with.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Gives `file` the permissions of `meta` and, where this process may, its owner.
fn keep_owner_and_mode(file: &File, meta: &Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; for anyone else this fails harmlessly, and
        // the file stays the writer's own, as any editor's save would leave it.
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    file.set_permissions(meta.permissions())
}

/// Makes everything written under `dir` durable, in one call where the platform has one
/// (Linux: `syncfs(2)`, the file system holding `dir`), else file by file. A dataset is
/// synced once, before its manifest is put in place, not file by file as it is written.
///
/// # Errors
/// The sync failed (the data may not be on disk).
pub fn sync_tree(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let handle = File::open(dir)?;
        nix::unistd::syncfs(&handle).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        for entry in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                File::open(entry.path())?.sync_all()?;
            } else if entry.file_type().is_dir() {
                // Best effort: some platforms do not sync directories.
                let _ = File::open(entry.path()).and_then(|d| d.sync_all());
            }
        }
        Ok(())
    }
}

/// Makes a rename into `path`'s directory durable, where the platform lets a directory be
/// opened.
pub fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        // Best effort: some platforms and file systems do not sync directories.
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(path: &Path, text: &str) -> io::Result<()> {
        let out = OutputFile::create(path)?;
        out.file().write_all(text.as_bytes())?;
        out.commit()
    }

    #[test]
    fn a_new_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let out = OutputFile::create(&path).unwrap();
        out.file().write_all(b"x\n").unwrap();
        assert!(!path.exists());
        out.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "x\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_dropped_output_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(&path, "old").unwrap();
        let out = OutputFile::create(&path).unwrap();
        out.file().write_all(b"new").unwrap();
        drop(out);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = OutputFile::create(dir.path()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::IsADirectory);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_file_keeps_the_link_and_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&link, "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_set_user_id_bit_survives() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tool");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o4751)).unwrap();
        write(&path, "new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o4751);
    }

    #[test]
    fn dev_null_is_written_in_place() {
        if !Path::new("/dev/null").exists() {
            return;
        }
        let out = OutputFile::create(Path::new("/dev/null")).unwrap();
        assert!(out.in_place());
        out.file().write_all(b"gone").unwrap();
        out.commit().unwrap();
        assert_eq!(
            path_kind(Path::new("/dev/null")).unwrap(),
            PathKind::Special
        );
    }
}
