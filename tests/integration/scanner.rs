//! The scanner: output is identical whatever the thread count, whether large files are
//! mapped or read, and equal to parsing each file as one buffer; datasets are
//! deterministic.

use crate::util::{eblog, samples_dir};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A fleet with large files (several chunks and regions each) and small ones, its files
/// dated an hour ago so that large ones may be mapped.
fn fleet(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (sample, name, copies) in [
        (
            "eb-commandprocessor.log",
            "i-0aaaaaaaaaaaaaaaa/var/log/eb-commandprocessor.log",
            150,
        ),
        (
            "al2/eb-engine.log",
            "i-0bbbbbbbbbbbbbbbb/var/log/eb-engine.log",
            1000,
        ),
        (
            "al2/nginx/access.log",
            "i-0bbbbbbbbbbbbbbbb/var/log/nginx/access.log",
            300,
        ),
        ("cfn-hup.log", "i-0aaaaaaaaaaaaaaaa/var/log/cfn-hup.log", 2),
    ] {
        let text = std::fs::read(samples_dir().join(sample)).unwrap();
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text.repeat(copies)).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
        files.push(path);
    }
    files
}

fn run(args: &[&str], dir: &Path) -> Vec<u8> {
    let out = eblog().args(args).arg(dir).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn parse_output_does_not_depend_on_threads_or_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let files = fleet(dir.path());
    assert!(
        std::fs::metadata(&files[1]).unwrap().len() > 16 * 1024 * 1024,
        "a file larger than one region"
    );
    let one = run(&["parse", "-j", "1", "--no-mmap"], dir.path());
    let two = run(&["parse", "-j", "2"], dir.path());
    let four = run(&["parse", "-j", "4", "--no-mmap"], dir.path());
    assert!(
        one == two && two == four,
        "same bytes for -j 1 (read), -j 2 (mapped) and -j 4"
    );

    // Chunked parsing gives the records of parsing each file whole.
    let mut whole: Vec<u8> = Vec::new();
    let mut sorted = files.clone();
    sorted.sort();
    for path in &sorted {
        let bytes = std::fs::read(path).unwrap();
        let source = path.to_string_lossy();
        let mut sink =
            eblog::sink::JsonLines::new(Vec::new(), Some(eblog::redact::Redactor::new()));
        eblog::pipeline::parse_buffer(
            &source,
            Some(path),
            &bytes,
            eblog::pipeline::ParseOptions::default(),
            &mut sink,
        )
        .unwrap();
        whole.extend(sink.into_inner());
    }
    assert_eq!(one.len(), whole.len());
    assert!(one == whole, "chunked output equals whole-buffer output");
}

#[test]
fn datasets_are_deterministic_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    fleet(dir.path());
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    for (target, threads) in [(&a, "1"), (&b, "2")] {
        let status = eblog()
            .args(["scan", "--quiet", "-j", threads, "--out"])
            .arg(target)
            .arg(dir.path())
            .output()
            .unwrap()
            .status;
        assert!(status.success());
    }
    let files = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<(PathBuf, Vec<u8>)> = walk(root)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(
        fa.iter().map(|f| &f.0).collect::<Vec<_>>(),
        fb.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert!(fa == fb, "byte-identical datasets");
    assert!(fa.iter().any(|(p, _)| p.ends_with("manifest.json")));
    assert!(
        fa.iter()
            .all(|(p, _)| !p.to_string_lossy().contains(".tmp")),
        "no temporary file left"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("manifest.json")).unwrap()).unwrap();
    let rows: u64 = manifest["tables"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rows"].as_u64().unwrap())
        .sum();
    assert_eq!(
        rows,
        manifest["scan"]["records"].as_u64().unwrap(),
        "every record is in the records table"
    );
    assert!(manifest["tables"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rows"].as_u64().unwrap() > 0));
}

#[test]
fn out_must_be_a_directory_eblog_may_write() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let out = eblog()
        .args(["scan", "--out"])
        .arg(&file)
        .arg(samples_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
    let busy = dir.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("precious.txt"), "x").unwrap();
    let out = eblog()
        .args(["scan", "--out"])
        .arg(&busy)
        .arg(samples_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(busy.join("precious.txt").exists());
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A fleet whose dates spread over eight years: hosts each writing a line every third day,
/// overlapping in time (the same days), in files that each span years.
fn years(dir: &Path) -> Vec<PathBuf> {
    let start = chrono::NaiveDate::from_ymd_opt(1995, 1, 1).unwrap();
    (0..4)
        .map(|host| {
            let mut text = String::new();
            for day in (host * 30..3000).step_by(3) {
                let date = start + chrono::Days::new(day);
                text.push_str(&format!(
                    "{} 10:00:0{host},000 [INFO] command processing is alive.\n",
                    date.format("%Y-%m-%d")
                ));
            }
            let path = dir.join(format!("host-{host}/cfn-hup.log"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path.parent().unwrap().to_path_buf()
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn dates_over_years_give_one_file_per_partition_with_few_open_files() {
    let dir = tempfile::tempdir().unwrap();
    let hosts = years(dir.path());
    for to in ["parquet", "jsonl"] {
        let out = dir.path().join(format!("dataset-{to}"));
        // 64 open files at most: a writer holding a file per date would fail here.
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -n 64; exec \"$0\" \"$@\"")
            .arg(assert_cmd::cargo::cargo_bin("eblog"))
            .args(["scan", "--quiet", "--to", to, "-j", "2", "--out"])
            .arg(&out)
            .args(&hosts)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{to}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        let files = walk(&out.join("records"));
        let partitions: std::collections::BTreeSet<_> = files
            .iter()
            .map(|f| f.parent().unwrap().to_path_buf())
            .collect();
        assert!(partitions.len() > 990, "{to}: {} dates", partitions.len());
        assert_eq!(files.len(), partitions.len(), "{to}: one file per date");
    }
}
