//! Faults while writing: a closed or full stdout, a full disk under `--out` and `-o`,
//! outputs refused before any work, usage errors.

use super::*;

#[cfg(target_os = "linux")]
/// Runs eblog with a 64 KiB file-size limit (RLIMIT_FSIZE) and SIGXFSZ ignored, so that
/// its writes past the limit fail with EFBIG as they would on a full disk.
fn with_file_size_limit(args: &[&OsStr]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("eblog"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs eblog")
}

/// Runs eblog with its stdout a pipe whose reading end is already closed.
fn with_closed_stdout(args: &[&OsStr]) -> Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_subcommand_quietly() {
    let al2 = samples_dir().join("al2");
    let runs: [&[&OsStr]; 6] = [
        &[OsStr::new("parse"), al2.as_os_str()],
        &[
            OsStr::new("parse"),
            OsStr::new("--to"),
            OsStr::new("csv"),
            al2.as_os_str(),
        ],
        &[OsStr::new("commands"), al2.as_os_str()],
        &[
            OsStr::new("commands"),
            OsStr::new("--json"),
            al2.as_os_str(),
        ],
        &[OsStr::new("diagnose"), al2.as_os_str()],
        &[OsStr::new("formats"), OsStr::new("--kinds")],
    ];
    for args in runs {
        let out = with_closed_stdout(args);
        assert_eq!(code(&out), 0, "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}: quiet");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_in_every_subcommand() {
    let al2 = samples_dir().join("al2");
    let runs: [&[&OsStr]; 5] = [
        &[OsStr::new("parse"), al2.as_os_str()],
        &[OsStr::new("commands"), al2.as_os_str()],
        &[
            OsStr::new("commands"),
            OsStr::new("--json"),
            al2.as_os_str(),
        ],
        &[
            OsStr::new("diagnose"),
            OsStr::new("--json"),
            al2.as_os_str(),
        ],
        &[OsStr::new("formats")],
    ];
    for args in runs {
        let out = Command::new(assert_cmd::cargo::cargo_bin("eblog"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(File::options().write(true).open("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(code(&out), 1, "{args:?}");
        assert!(
            stderr(&out).contains("error writing output: No space left on device"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_under_out_leaves_no_complete_looking_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("eb-engine.log");
    std::fs::write(
        &log,
        std::fs::read(samples_dir().join("al2/eb-engine.log"))
            .unwrap()
            .repeat(40),
    )
    .unwrap();

    // A previous dataset stays as it was when the new one cannot be completed: the new
    // one is staged and published only when complete.
    let out_dir = dir.path().join("dataset");
    let small = samples_dir().join("al2/eb-engine.log");
    let first = eblog([
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        out_dir.as_os_str(),
        small.as_os_str(),
    ]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let manifest = std::fs::read(out_dir.join("manifest.json")).unwrap();
    let before = listing(&out_dir);
    let out = with_file_size_limit(&[
        OsStr::new("scan"),
        OsStr::new("--quiet"),
        OsStr::new("--out"),
        out_dir.as_os_str(),
        log.as_os_str(),
    ]);
    assert_fails_with(
        &out,
        &format!("eblog: --out {}: File too large", out_dir.display()),
    );
    assert_eq!(
        std::fs::read(out_dir.join("manifest.json")).unwrap(),
        manifest
    );
    assert_eq!(
        listing(&out_dir),
        before,
        "the previous dataset is untouched"
    );

    // The tables' files: a write limit (RLIMIT_FSIZE, with SIGXFSZ ignored, so writes fail
    // with EFBIG as on a full disk) stops the Parquet and JSON-lines writers mid-table.
    // Nothing is left under a final name.
    for to in ["parquet", "jsonl"] {
        let out_dir = dir.path().join(format!("limited-{to}"));
        let out = with_file_size_limit(&[
            OsStr::new("scan"),
            OsStr::new("--quiet"),
            OsStr::new("--to"),
            OsStr::new(to),
            OsStr::new("--out"),
            out_dir.as_os_str(),
            log.as_os_str(),
        ]);
        assert_eq!(code(&out), 1, "{to}");
        assert!(
            stderr(&out).contains(&format!(
                "eblog: --out {}: File too large",
                out_dir.display()
            )),
            "{to}: {}",
            stderr(&out)
        );
        let mut dirs = vec![out_dir.clone()];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(d).unwrap() {
                let p = entry.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    assert!(
                        name.starts_with('.') && name.ends_with(".tmp"),
                        "{to}: {p:?} looks complete"
                    );
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn parse_output_files_on_a_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let log = samples_dir().join("al2/eb-engine.log");

    // `-o FILE` when the disk fills up (a file-size limit stands in for it): the error
    // names the file, and no FILE is left: the output is written under a temporary name
    // and renamed onto FILE only when complete.
    let big = dir.path().join("big.log");
    let mut text = std::fs::read_to_string(&log).unwrap();
    while text.len() < 512 * 1024 {
        text = text.clone() + &text;
    }
    std::fs::write(&big, text).unwrap();
    let target = dir.path().join("out.jsonl");
    let out = with_file_size_limit(&[
        OsStr::new("parse"),
        OsStr::new("-o"),
        target.as_os_str(),
        big.as_os_str(),
    ]);
    assert_fails_with(
        &out,
        &format!(
            "eblog: {}: error writing output: File too large",
            target.display()
        ),
    );
    assert!(!target.exists(), "no half-written FILE");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the temporary file is removed: {leftovers:?}"
    );
    std::fs::remove_file(&big).unwrap();

    // `--to parquet -o FILE`: written under a temporary name, renamed when complete. When
    // the disk fills up there is no FILE, and the temporary file is removed.
    let parquet = dir.path().join("out.parquet");
    let big = dir.path().join("big.log");
    std::fs::write(&big, std::fs::read(&log).unwrap().repeat(200)).unwrap();
    let out = with_file_size_limit(&[
        OsStr::new("parse"),
        OsStr::new("--to"),
        OsStr::new("parquet"),
        OsStr::new("-o"),
        parquet.as_os_str(),
        big.as_os_str(),
    ]);
    assert_fails_with(
        &out,
        &format!("eblog: {}: File too large", parquet.display()),
    );
    assert!(!parquet.exists());
    assert_eq!(
        listing(dir.path()),
        vec!["big.log".to_owned()],
        "no temporary file is left"
    );
    // A device that is full is written in place, fails, and stays the device.
    let out = eblog([
        OsStr::new("parse"),
        OsStr::new("--to"),
        OsStr::new("parquet"),
        OsStr::new("-o"),
        OsStr::new("/dev/full"),
        log.as_os_str(),
    ]);
    assert_fails_with(&out, "eblog: /dev/full: No space left on device");
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(
        &std::fs::metadata("/dev/full").unwrap().file_type()
    ));
}

/// The files under `dir`, relative and sorted.
#[cfg(target_os = "linux")]
fn listing(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    // A missing input beside: had any work been done, it would be reported too.
    let missing = dir.path().join("missing.log");
    let below_file = file.join("dataset");
    let mut places = vec![below_file.as_path()];
    if cfg!(target_os = "linux") {
        places.push(Path::new("/proc/eblog-dataset")); // no directory can be made there
    }
    for out_dir in places {
        let out = eblog([
            OsStr::new("scan"),
            OsStr::new("--out"),
            out_dir.as_os_str(),
            missing.as_os_str(),
        ]);
        assert_eq!(code(&out), 1);
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("eblog: --out {}: ", out_dir.display())),
            "{err}"
        );
        assert!(
            !err.contains("missing.log"),
            "refused before reading inputs: {err}"
        );
    }
    let target = dir.path().join("no/such/dir/out.jsonl");
    for to in ["jsonl", "csv", "parquet"] {
        let out = eblog([
            OsStr::new("parse"),
            OsStr::new("--to"),
            OsStr::new(to),
            OsStr::new("-o"),
            target.as_os_str(),
            missing.as_os_str(),
        ]);
        assert_eq!(code(&out), 1, "{to}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("eblog: {}: ", target.display())),
            "{to}: {err}"
        );
        assert!(!err.contains("missing.log"), "{to}: {err}");
    }
    let html = dir.path().join("no/such/dir/report.html");
    let out = eblog([
        OsStr::new("commands"),
        OsStr::new("--html"),
        html.as_os_str(),
        samples_dir().join("al2").as_os_str(),
    ]);
    assert_fails_with(&out, &format!("eblog: --html {}: ", html.display()));
}

#[test]
fn commands_and_diagnose_usage_errors_exit_2() {
    let al2 = samples_dir().join("al2");
    for sub in ["commands", "diagnose"] {
        let out = eblog([
            OsStr::new(sub),
            OsStr::new("--since"),
            OsStr::new("the day before"),
            al2.as_os_str(),
        ]);
        assert_eq!(code(&out), 2, "{sub}");
        assert!(stderr(&out).contains("--since"));
        let out = eblog([sub, "--no-such-flag", "x.log"]);
        assert_eq!(code(&out), 2, "{sub}");
        let out = eblog([sub, "--tz", "Mars/Base", "x.log"]);
        assert_eq!(code(&out), 2, "{sub}");
    }
}
