//! Never damage what eblog did not make, and bounded memory on any input (issue #17):
//! outputs onto device nodes, FIFOs, symlinks and directories; datasets that own only
//! their files; endless lines, gzip and zip bombs, measured by the child's peak RSS.
#![cfg(target_os = "linux")]

use crate::util::{json_lines, samples_dir};
use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("eblog")
}

fn run(args: &[&OsStr]) -> Output {
    Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("eblog runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mknod_char(path: &Path, major: u32, minor: u32) -> bool {
    Command::new("mknod")
        .arg(path)
        .arg("c")
        .arg(major.to_string())
        .arg(minor.to_string())
        .status()
        .is_ok_and(|s| s.success())
}

fn engine_log() -> PathBuf {
    samples_dir().join("al2/eb-engine.log")
}

/// Every way of writing a file the user names, with its arguments before the path.
fn output_flags() -> Vec<Vec<&'static str>> {
    vec![
        vec!["parse", "-o"],
        vec!["parse", "--to", "csv", "-o"],
        vec!["parse", "--to", "parquet", "-o"],
        vec!["commands", "--html"],
    ]
}

fn write_to(flags: &[&str], target: &Path) -> Output {
    let mut args: Vec<&OsStr> = flags.iter().map(OsStr::new).collect();
    args.push(target.as_os_str());
    let log = engine_log();
    args.push(log.as_os_str());
    run(&args)
}

#[test]
fn a_device_node_is_written_in_place_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("null");
    if !mknod_char(&node, 1, 3) {
        eprintln!("skipped: mknod needs root");
        return;
    }
    for flags in output_flags() {
        let out = write_to(&flags, &node);
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {}", stderr(&out));
        let meta = fs::symlink_metadata(&node).unwrap();
        assert!(meta.file_type().is_char_device(), "{flags:?}: replaced");
    }
    // A symlink to a device: the device is written, the link stays.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&node, &link).unwrap();
    let out = write_to(&["parse", "-o"], &link);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // /dev/full: written in place, the error is the device's.
    let full = dir.path().join("full");
    assert!(mknod_char(&full, 1, 7));
    let out = write_to(&["parse", "-o"], &full);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
    assert!(fs::metadata(&full).unwrap().file_type().is_char_device());
    // A socket cannot be opened for writing: an error, and the socket stays.
    let socket = dir.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let out = write_to(&["parse", "-o"], &socket);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("sock"), "{}", stderr(&out));
    assert!(fs::metadata(&socket).unwrap().file_type().is_socket());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        4,
        "no temporary file left"
    );
}

#[test]
fn a_fifo_reader_gets_the_records_and_the_fifo_stays() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for flags in output_flags() {
        let reader_path = fifo.clone();
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            fs::File::open(reader_path)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        });
        let out = write_to(&flags, &fifo);
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {}", stderr(&out));
        let bytes = reader.join().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        match flags[..] {
            ["parse", "-o"] => assert_eq!(json_lines(&bytes)[0]["format"], "engine"),
            ["parse", "--to", "csv", "-o"] => assert!(text.starts_with("source,")),
            ["parse", "--to", "parquet", "-o"] => {
                assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
            }
            _ => assert!(text.starts_with("<!DOCTYPE html>"), "{}", &text[..40]),
        }
        assert!(
            bytes.len() > 2000,
            "{flags:?}: the reader got {} bytes",
            bytes.len()
        );
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
}

#[test]
fn regular_files_keep_their_mode_and_new_ones_get_the_umasks() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("existing.jsonl");
    fs::write(&existing, "old\n").unwrap();
    fs::set_permissions(&existing, fs::Permissions::from_mode(0o604)).unwrap();
    for flags in output_flags() {
        let out = write_to(&flags, &existing);
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {}", stderr(&out));
        let meta = fs::metadata(&existing).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o604, "{flags:?}");
        assert_ne!(fs::read(&existing).unwrap(), b"old\n");
    }
    for (umask, mode) in [("022", 0o644), ("077", 0o600), ("027", 0o640)] {
        let new = dir.path().join(format!("new-{umask}.html"));
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
            .arg(bin())
            .args([
                OsStr::new("commands"),
                OsStr::new("--html"),
                new.as_os_str(),
            ])
            .arg(engine_log())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let got = fs::metadata(&new).unwrap().permissions().mode() & 0o777;
        assert_eq!(got, mode, "umask {umask}");
    }
}

#[test]
fn a_directory_as_output_is_an_error_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("keep.txt"), "mine").unwrap();
    for flags in output_flags() {
        let out = write_to(&flags, &target);
        assert_eq!(out.status.code(), Some(1), "{flags:?}");
        assert!(
            stderr(&out).contains("is a directory"),
            "{flags:?}: {}",
            stderr(&out)
        );
        assert_eq!(fs::read_to_string(target.join("keep.txt")).unwrap(), "mine");
        assert_eq!(fs::read_dir(&target).unwrap().count(), 1);
    }
}

fn scan(out_dir: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec![OsStr::new("scan"), OsStr::new("--out"), out_dir.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    let log = engine_log();
    args.push(log.as_os_str());
    run(&args)
}

#[test]
fn a_stray_manifest_is_refused_and_nothing_is_deleted() {
    for text in [
        "{}",
        "[1, 2]",
        r#"{"tables": {"records": [{"path": "records/mine.txt"}]}}"#,
    ] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("manifest.json"), text).unwrap();
        fs::create_dir(dir.path().join("records")).unwrap();
        fs::write(dir.path().join("records/mine.txt"), "mine").unwrap();
        for extra in [&[][..], &["--force"][..]] {
            let out = scan(dir.path(), extra);
            assert_eq!(out.status.code(), Some(1), "{text} {extra:?}");
            assert!(
                stderr(&out).contains("not written by eblog"),
                "{}",
                stderr(&out)
            );
            assert_eq!(
                fs::read_to_string(dir.path().join("records/mine.txt")).unwrap(),
                "mine"
            );
            assert_eq!(
                fs::read_to_string(dir.path().join("manifest.json")).unwrap(),
                text
            );
            assert_eq!(
                fs::read_dir(dir.path()).unwrap().count(),
                2,
                "nothing added"
            );
        }
    }
}

#[test]
fn a_rescan_keeps_a_users_files_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dataset");
    let first = scan(&out_dir, &["--quiet"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let partition = fs::read_dir(out_dir.join("records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let notes = partition.join("notes.txt");
    fs::write(&notes, "mine").unwrap();
    fs::write(out_dir.join("README.txt"), "about this dataset").unwrap();
    let again = scan(&out_dir, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "mine");
    assert_eq!(
        fs::read_to_string(out_dir.join("README.txt")).unwrap(),
        "about this dataset"
    );
    let err = stderr(&again);
    assert!(err.contains("replaced the dataset eblog"), "{err}");
    assert!(
        err.contains("2 file(s) eblog did not write are left in place"),
        "{err}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out_dir.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["created_by"]
        .as_str()
        .unwrap()
        .starts_with("eblog "));
    let hidden = fs::read_dir(&out_dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(hidden, 0, "no staging directory left");
}

#[test]
fn force_adds_a_dataset_beside_a_users_files_and_never_over_them() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mine.txt"), "mine").unwrap();
    let refused = scan(dir.path(), &["--quiet"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    let forced = scan(dir.path(), &["--quiet", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert_eq!(
        fs::read_to_string(dir.path().join("mine.txt")).unwrap(),
        "mine"
    );
    assert!(dir.path().join("manifest.json").exists());
}

/// Runs eblog with `stdin` and returns its exit status and peak RSS in KiB, read from
/// `/proc/PID/status` (VmHWM, the high-water mark) until it exits.
fn peak_rss(
    args: &[&OsStr],
    stdin: Option<Box<dyn FnOnce(std::process::ChildStdin) + Send>>,
) -> (Option<i32>, u64) {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let feeder = stdin.map(|feed| {
        let pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || feed(pipe))
    });
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let code = loop {
        if let Ok(text) = fs::read_to_string(&status) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    (code, peak)
}

const LIMIT_KIB: u64 = 400 * 1024;

#[test]
fn an_endless_line_on_stdin_or_in_a_file_is_bounded() {
    let (code, peak) = peak_rss(
        &[OsStr::new("parse"), OsStr::new("-")],
        Some(Box::new(|mut pipe| {
            let block = vec![0u8; 1 << 20];
            for _ in 0..400 {
                if pipe.write_all(&block).is_err() {
                    return;
                }
            }
        })),
    );
    assert_eq!(code, Some(0));
    assert!(peak > 0 && peak < LIMIT_KIB, "stdin: peak RSS {peak} KiB");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("eb-engine.log");
    // A sparse file: 256 MiB of zeros (32 times the cap), no line end, no disk used.
    fs::File::create(&file).unwrap().set_len(256 << 20).unwrap();
    for threads in ["1", "2", "8"] {
        let (code, peak) = peak_rss(
            &[
                OsStr::new("parse"),
                OsStr::new("-j"),
                OsStr::new(threads),
                file.as_os_str(),
            ],
            None,
        );
        assert_eq!(code, Some(0));
        assert!(
            peak > 0 && peak < LIMIT_KIB,
            "file -j {threads}: peak RSS {peak} KiB"
        );
    }
    let out_dir = dir.path().join("dataset");
    let (code, peak) = peak_rss(
        &[
            OsStr::new("scan"),
            OsStr::new("--out"),
            out_dir.as_os_str(),
            file.as_os_str(),
        ],
        None,
    );
    assert_eq!(code, Some(0));
    assert!(peak > 0 && peak < LIMIT_KIB, "scan: peak RSS {peak} KiB");
    for sub in ["commands", "diagnose"] {
        let (code, peak) = peak_rss(&[OsStr::new(sub), file.as_os_str()], None);
        assert_eq!(code, Some(0), "{sub}");
        assert!(peak > 0 && peak < LIMIT_KIB, "{sub}: peak RSS {peak} KiB");
    }
}

#[test]
fn the_pieces_of_an_endless_line_hold_every_byte_once() {
    let out = Command::new(bin())
        .args(["parse", "--max-record-bytes", "1MiB", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            let mut pipe = child.stdin.take().unwrap();
            std::thread::spawn(move || pipe.write_all(&vec![b'z'; (5 << 20) + 17]));
            child.wait_with_output()
        })
        .unwrap();
    let records = json_lines(&out.stdout);
    let sizes: Vec<u64> = records
        .iter()
        .map(|r| r["bytes"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, vec![1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 17]);
    let mut offset = 0;
    for r in &records {
        assert_eq!(
            (r["kind"].as_str(), r["reason"].as_str()),
            (Some("unparsed"), Some("record_too_large"))
        );
        assert_eq!(r["offset"].as_u64(), Some(offset));
        assert_eq!(
            r["message"].as_str().unwrap().len() as u64,
            r["bytes"].as_u64().unwrap()
        );
        offset += r["bytes"].as_u64().unwrap();
    }
}

/// 300 MiB of zeros as 300 gzip members of 1 MiB each: about 300 KB on disk.
fn gzip_bomb(path: &Path) {
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    member.write_all(&vec![0u8; 1 << 20]).unwrap();
    let member = member.finish().unwrap();
    fs::write(path, member.repeat(300)).unwrap();
}

/// A zip whose one member inflates to 300 MiB of zeros.
fn zip_bomb(path: &Path) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    zip.start_file("var/log/eb-engine.log", options).unwrap();
    let block = vec![0u8; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&block).unwrap();
    }
    zip.start_file("var/log/cfn-hup.log", options).unwrap();
    zip.write_all(b"2017-07-16 23:09:33,602 [INFO] cfn-hup processing is alive.\n")
        .unwrap();
    zip.finish().unwrap();
}

#[test]
fn gzip_and_zip_bombs_are_streamed_within_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("cfn-hup.log.1.gz");
    gzip_bomb(&gz);
    let zip = dir.path().join("bundle.zip");
    zip_bomb(&zip);
    assert!(fs::metadata(&gz).unwrap().len() < 2 << 20);
    for sub in ["parse", "commands", "diagnose"] {
        for bomb in [&gz, &zip] {
            let (code, peak) = peak_rss(&[OsStr::new(sub), bomb.as_os_str()], None);
            assert_eq!(code, Some(0), "{sub} {bomb:?}");
            assert!(
                peak > 0 && peak < LIMIT_KIB,
                "{sub} {bomb:?}: peak RSS {peak} KiB"
            );
        }
    }
    let gz_file = fs::File::open(&gz).unwrap();
    let (code, peak) = peak_rss(
        &[OsStr::new("parse"), OsStr::new("-")],
        Some(Box::new(move |mut pipe| {
            let mut gz_file = gz_file;
            let _ = std::io::copy(&mut gz_file, &mut pipe);
        })),
    );
    assert_eq!(code, Some(0));
    assert!(
        peak > 0 && peak < LIMIT_KIB,
        "stdin gzip: peak RSS {peak} KiB"
    );
    // Every decompressed byte is in one record.
    let out = run(&[OsStr::new("parse"), zip.as_os_str()]);
    let records = json_lines(&out.stdout);
    let engine: u64 = records
        .iter()
        .filter(|r| r["source"].as_str().unwrap().ends_with("eb-engine.log"))
        .map(|r| r["bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(engine, 300 << 20);
    assert!(records.iter().any(|r| r["format"] == "cfn-hup"));
}

#[test]
fn many_tiny_lines_and_wrappers_of_them_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // 1 MiB of newlines: a million blank records in a file small enough to be one task.
    let blank = dir.path().join("eb-engine.log");
    fs::write(&blank, vec![b'\n'; 1 << 20]).unwrap();
    // A console-output wrapper followed by a million newlines.
    let wrapped = dir.path().join("console.txt");
    let mut text = b"[eb-cfn-init]: + echo hi\n".to_vec();
    text.extend(vec![b'\n'; 4 << 20]);
    fs::write(&wrapped, &text).unwrap();
    for input in [&blank, &wrapped] {
        for sub in ["parse", "commands"] {
            let (code, peak) = peak_rss(&[OsStr::new(sub), input.as_os_str()], None);
            assert_eq!(code, Some(0), "{sub} {input:?}");
            assert!(
                peak > 0 && peak < LIMIT_KIB,
                "{sub} {input:?}: peak RSS {peak} KiB"
            );
        }
    }
    let (code, peak) = peak_rss(
        &[OsStr::new("parse"), OsStr::new("-")],
        Some(Box::new(move |mut pipe| {
            let _ = pipe.write_all(&text);
        })),
    );
    assert_eq!(code, Some(0));
    assert!(
        peak > 0 && peak < LIMIT_KIB,
        "stdin wrapper: peak RSS {peak} KiB"
    );
}

#[test]
fn ordinary_records_are_never_cut_however_large_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("eb-engine.log");
    // 20 MiB of records whose template no chunk may start at (`x`), none long.
    let line = "2022/06/14 10:41:12.923512 [INFO] x\n";
    fs::write(&log, line.repeat((20 << 20) / line.len())).unwrap();
    for extra in [
        &[][..],
        &["-j", "1"][..],
        &["--max-record-bytes", "1MiB"][..],
    ] {
        let mut args: Vec<&OsStr> = vec![OsStr::new("parse"), OsStr::new("--strict")];
        args.extend(extra.iter().map(OsStr::new));
        args.push(log.as_os_str());
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{extra:?}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("record_too_large"), "{extra:?}");
    }
}

#[test]
fn dev_stdout_appends_to_what_the_shell_redirected_to() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    let script = format!(
        "{{ echo HEADER; \"$0\" parse -o /dev/stdout \"$1\"; }} > '{}'",
        file.display()
    );
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin())
        .arg(engine_log())
        .status()
        .unwrap();
    assert!(status.success());
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("HEADER\n{"), "{}", &text[..40]);
    assert!(fs::metadata(&file).unwrap().file_type().is_file());
}
