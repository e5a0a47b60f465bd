//! A dataset directory owns only what eblog wrote there.
//!
//! `eblog scan --out DIR` writes the new dataset into a hidden staging directory inside
//! `DIR` (same file system, so moving a file is a rename). Only once every table is
//! complete are its files moved into place, then `manifest.json`, and only then are the
//! files the *previous* manifest lists (and the new one does not) removed. A file eblog did
//! not write is never removed or replaced: a manifest that is not eblog's is refused, a
//! non-empty directory without a manifest is refused (unless `--force`, which adds the
//! dataset beside what is there), and files a user added are left alone and reported.
#![forbid(unsafe_code)]

use super::dataset::TableFile;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The manifest's name in a dataset directory.
pub const MANIFEST: &str = "manifest.json";

/// The marker eblog's manifests carry in `created_by`: `eblog VERSION`.
pub const CREATOR: &str = "eblog";

/// A dataset being written: where its tables go until [`Staging::publish`].
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    staging: tempfile::TempDir,
    previous: Option<Previous>,
}

/// The eblog dataset a directory held before this scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    /// Who wrote it (`created_by`, or `eblog VERSION` for manifests before the marker).
    pub created_by: String,
    /// The files its manifest lists, relative to the directory.
    pub files: BTreeSet<String>,
}

/// What publishing a dataset did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// The previous dataset, when one was replaced.
    pub replaced: Option<Previous>,
    /// Files of the previous dataset that the new one does not have, removed.
    pub removed: Vec<String>,
    /// Files in the directory that no eblog manifest lists: left in place.
    pub foreign: Vec<String>,
}

/// Why a directory is refused (the caller names the directory).
fn refuse(_dir: &Path, why: String) -> io::Error {
    io::Error::new(io::ErrorKind::AlreadyExists, why)
}

/// Reads the eblog dataset `dir` holds, if any.
///
/// # Errors
/// `manifest.json` exists but is not eblog's (or cannot be read).
pub fn previous_dataset(dir: &Path) -> io::Result<Option<Previous>> {
    let path = dir.join(MANIFEST);
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let not_ours = || {
        refuse(
            dir,
            format!("{MANIFEST} was not written by eblog; refusing to write into this directory (choose another --out)"),
        )
    };
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(|_| not_ours())?;
    let created_by = match (value.get("created_by"), value.get("eblog_version")) {
        (Some(serde_json::Value::String(c)), _) if is_eblog(c) => c.clone(),
        (None, Some(serde_json::Value::String(v))) => format!("{CREATOR} {v}"),
        _ => return Err(not_ours()),
    };
    let Some(tables) = value.get("tables").and_then(serde_json::Value::as_object) else {
        return Err(not_ours());
    };
    let mut files = BTreeSet::new();
    for file in tables
        .values()
        .filter_map(serde_json::Value::as_array)
        .flatten()
    {
        let Some(path) = file.get("path").and_then(serde_json::Value::as_str) else {
            return Err(not_ours());
        };
        // A listed path must stay inside the directory: a crafted manifest must not make
        // eblog remove `../../etc/passwd`.
        if !is_inside(path) {
            return Err(not_ours());
        }
        files.insert(path.to_owned());
    }
    Ok(Some(Previous { created_by, files }))
}

fn is_eblog(created_by: &str) -> bool {
    created_by == CREATOR
        || created_by
            .strip_prefix(CREATOR)
            .is_some_and(|rest| rest.starts_with(' '))
}

/// Whether a relative path stays inside its directory (no root, no `..`).
fn is_inside(path: &str) -> bool {
    let path = Path::new(path);
    path.components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
        && path.components().next().is_some()
}

impl Staging {
    /// Makes `dir` ready: creates it, or checks that what it holds is an eblog dataset
    /// (replaced when this one is published), or empty; `force` also accepts a non-empty
    /// directory without a manifest (nothing there is touched).
    ///
    /// # Errors
    /// Why `dir` cannot take the dataset; nothing was written then.
    pub fn prepare(dir: &Path, force: bool) -> io::Result<Self> {
        let previous = match fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => {
                return Err(refuse(dir, "exists and is not a directory".into()))
            }
            Ok(_) => {
                let previous = previous_dataset(dir)?;
                let empty = fs::read_dir(dir)?.next().is_none();
                if previous.is_none() && !empty && !force {
                    return Err(refuse(
                        dir,
                        format!("is a non-empty directory without an eblog {MANIFEST}; refusing to write into it (--force adds the dataset beside what is there)"),
                    ));
                }
                previous
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir)?;
                None
            }
            Err(e) => return Err(e),
        };
        let staging = tempfile::Builder::new()
            .prefix(".eblog-staging-")
            .tempdir_in(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            staging,
            previous,
        })
    }

    /// Where the tables are written until they are published.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// The dataset this one replaces, if any.
    pub fn previous(&self) -> Option<&Previous> {
        self.previous.as_ref()
    }

    /// Moves the complete tables and `manifest` (the manifest's bytes) into place, then
    /// removes the previous dataset's files the new one does not have.
    ///
    /// # Errors
    /// A new file's path holds a file no eblog manifest lists (nothing was moved then), or
    /// moving failed.
    pub fn publish(
        self,
        tables: &BTreeMap<&'static str, Vec<TableFile>>,
        manifest: &[u8],
    ) -> io::Result<Published> {
        let new: BTreeSet<String> = tables.values().flatten().map(|f| f.path.clone()).collect();
        let listed = |p: &str| {
            self.previous
                .as_ref()
                .is_some_and(|prev| prev.files.contains(p))
        };
        for path in &new {
            let dest = self.dir.join(path);
            if let Some(odd) = not_a_real_directory(&self.dir, path) {
                return Err(refuse(
                    &self.dir,
                    format!("{odd} is a symlink or not a directory; eblog writes a dataset only into directories of its own"),
                ));
            }
            if fs::symlink_metadata(&dest).is_ok() && !listed(path) {
                return Err(refuse(
                    &self.dir,
                    format!("{path} exists and was not written by eblog; refusing to replace it"),
                ));
            }
        }
        for path in &new {
            let dest = self.dir.join(path);
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(self.staging.path().join(path), &dest)?;
        }
        let staged = self.staging.path().join(MANIFEST);
        fs::write(&staged, manifest)?;
        // Durability once for the whole dataset: its files, their directories and the
        // staged manifest reach the disk before the manifest says the dataset is complete.
        crate::output::sync_tree(&self.dir)?;
        fs::rename(&staged, self.dir.join(MANIFEST))?;
        crate::output::sync_parent(&self.dir.join(MANIFEST));
        let mut removed = Vec::new();
        if let Some(previous) = &self.previous {
            for path in previous.files.difference(&new) {
                if not_a_real_directory(&self.dir, path).is_some() {
                    continue; // through a symlink: not eblog's to remove
                }
                let old = self.dir.join(path);
                match fs::symlink_metadata(&old) {
                    Ok(meta) if meta.is_file() => {
                        fs::remove_file(&old)?;
                        remove_empty_parents(&self.dir, &old);
                        removed.push(path.clone());
                    }
                    _ => {}
                }
            }
        }
        let staging_name = self.staging.path().file_name().map(ToOwned::to_owned);
        // Removing the (now empty) staging directory; a failure leaves a hidden empty
        // directory, which the next scan reports.
        let _ = self.staging.close();
        let foreign = foreign_files(&self.dir, &new, staging_name.as_deref());
        Ok(Published {
            replaced: self.previous,
            removed,
            foreign,
        })
    }
}

/// The first directory on the way from `root` to the file `relative` that exists but is
/// a symlink or not a directory, if any (relative to `root`).
fn not_a_real_directory(root: &Path, relative: &str) -> Option<String> {
    let mut at = root.to_path_buf();
    let parent = Path::new(relative).parent()?;
    for part in parent.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Some(
                    at.strip_prefix(root)
                        .unwrap_or(&at)
                        .to_string_lossy()
                        .into_owned(),
                )
            }
            Err(_) => return None, // not there yet: eblog makes it
        }
    }
    None
}

/// Removes the directories between `file` and `root` that are left empty.
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// The files under `dir` that are neither in `ours` nor the manifest (relative paths,
/// sorted), the staging directory aside.
fn foreign_files(
    dir: &Path,
    ours: &BTreeSet<String>,
    staging: Option<&std::ffi::OsStr>,
) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || Some(e.file_name()) != staging)
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .into_owned();
            (relative != MANIFEST && !ours.contains(&relative)).then_some(relative)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(paths: &[&str]) -> BTreeMap<&'static str, Vec<TableFile>> {
        let files = paths
            .iter()
            .map(|p| TableFile {
                path: (*p).to_owned(),
                rows: 1,
            })
            .collect();
        BTreeMap::from([("records", files)])
    }

    fn manifest(paths: &[&str]) -> Vec<u8> {
        let files: Vec<serde_json::Value> = paths
            .iter()
            .map(|p| serde_json::json!({"path": p, "rows": 1}))
            .collect();
        serde_json::to_vec(
            &serde_json::json!({"created_by": "eblog 0.1.0", "tables": {"records": files}}),
        )
        .unwrap()
    }

    fn stage(staging: &Staging, path: &str) {
        let file = staging.path().join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, path).unwrap();
    }

    #[test]
    fn a_rescan_removes_only_what_the_old_manifest_listed() {
        let dir = tempfile::tempdir().unwrap();
        let old = [
            "records/date=2022-01-01/part-00000.parquet",
            "records/date=2022-01-02/part-00000.parquet",
        ];
        for p in old {
            fs::create_dir_all(dir.path().join(p).parent().unwrap()).unwrap();
            fs::write(dir.path().join(p), "old").unwrap();
        }
        fs::write(dir.path().join("records/date=2022-01-02/notes.txt"), "mine").unwrap();
        fs::write(dir.path().join(MANIFEST), manifest(&old)).unwrap();
        let staging = Staging::prepare(dir.path(), false).unwrap();
        assert_eq!(staging.previous().unwrap().files.len(), 2);
        stage(&staging, old[0]);
        let done = staging
            .publish(&table(&old[..1]), &manifest(&old[..1]))
            .unwrap();
        assert_eq!(done.removed, vec![old[1].to_owned()]);
        assert_eq!(
            done.foreign,
            vec!["records/date=2022-01-02/notes.txt".to_owned()]
        );
        assert_eq!(fs::read_to_string(dir.path().join(old[0])).unwrap(), old[0]);
        assert_eq!(
            fs::read_to_string(dir.path().join("records/date=2022-01-02/notes.txt")).unwrap(),
            "mine"
        );
        let hidden: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }

    #[test]
    fn a_manifest_that_is_not_eblogs_is_refused() {
        for text in ["{}", "not json", r#"{"created_by":"spark","tables":{}}"#] {
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join(MANIFEST), text).unwrap();
            let err = Staging::prepare(dir.path(), true).unwrap_err();
            assert!(
                err.to_string().contains("not written by eblog"),
                "{text}: {err}"
            );
            assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "{text}");
        }
    }

    #[test]
    fn a_manifest_listing_paths_outside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), manifest(&["../outside.txt"])).unwrap();
        assert!(Staging::prepare(dir.path(), false).is_err());
    }

    #[test]
    fn a_user_file_at_a_new_files_path_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = "records/date=2022-01-01/part-00000.parquet";
        fs::create_dir_all(dir.path().join(path).parent().unwrap()).unwrap();
        fs::write(dir.path().join(path), "mine").unwrap();
        let staging = Staging::prepare(dir.path(), true).unwrap();
        stage(&staging, path);
        let err = staging
            .publish(&table(&[path]), &manifest(&[path]))
            .unwrap_err();
        assert!(err.to_string().contains("not written by eblog"), "{err}");
        assert_eq!(fs::read_to_string(dir.path().join(path)).unwrap(), "mine");
        assert!(!dir.path().join(MANIFEST).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_partition_is_neither_written_through_nor_cleaned_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let path = "records/date=2022-01-01/part-00000.parquet";
        fs::write(outside.path().join("part-00000.parquet"), "theirs").unwrap();
        fs::create_dir(dir.path().join("records")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("records/date=2022-01-01"))
            .unwrap();
        fs::write(dir.path().join(MANIFEST), manifest(&[path])).unwrap();
        // The previous manifest lists a file behind the symlink: a new dataset without it
        // does not remove it.
        let staging = Staging::prepare(dir.path(), false).unwrap();
        let other = "records/date=2022-01-02/part-00000.parquet";
        stage(&staging, other);
        staging
            .publish(&table(&[other]), &manifest(&[other]))
            .unwrap();
        assert_eq!(
            fs::read_to_string(outside.path().join("part-00000.parquet")).unwrap(),
            "theirs"
        );
        // A new dataset with a file there is refused, and writes nothing through it.
        let staging = Staging::prepare(dir.path(), true).unwrap();
        stage(&staging, path);
        let err = staging
            .publish(&table(&[path]), &manifest(&[path]))
            .unwrap_err();
        assert!(err.to_string().contains("symlink"), "{err}");
        assert_eq!(
            fs::read_to_string(outside.path().join("part-00000.parquet")).unwrap(),
            "theirs"
        );
    }

    #[test]
    fn a_non_empty_directory_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x"), "mine").unwrap();
        assert!(Staging::prepare(dir.path(), false).is_err());
        assert!(Staging::prepare(dir.path(), true).is_ok());
    }
}
