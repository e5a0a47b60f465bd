//! Faults while reading: files truncated, rewritten and deleted under the reader,
//! unreadable and missing paths.

use super::*;

// ---------------------------------------------------------------------------------------
// 4. Faults
// ---------------------------------------------------------------------------------------

/// A log of `ENGINE_LINE`s of at least `len` bytes.
fn engine_log(len: usize) -> Vec<u8> {
    ENGINE_LINE.repeat(len / ENGINE_LINE.len() + 1).into_bytes()
}

#[test]
fn a_region_reader_survives_truncation_rewrite_and_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(MMAP_MIN_BYTES as usize + 1000);
    let len = data.len() as u64;

    // Truncated after opening: what is left is read, the rest is gone. The file was just
    // written, so it is read, not mapped (a mapping would raise SIGBUS here).
    std::fs::write(&path, &data).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().ok();
    let mut reader = RegionReader::new(File::open(&path).unwrap(), len, modified, MmapChoice::Auto);
    assert!(
        !reader.is_mapped(),
        "modified less than QUIET_FOR ago: read"
    );
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(1_000_000)
        .unwrap();
    assert_eq!(&reader.region(0, len).unwrap()[..], &data[..1_000_000]);
    assert!(reader.region(2_000_000, len).unwrap().is_empty());

    // Rewritten in place: the new bytes are read.
    let other = data.to_ascii_lowercase();
    std::fs::write(&path, &other).unwrap();
    assert_eq!(&reader.region(10, 5000).unwrap()[..], &other[10..5000]);

    // Deleted: the open file is still there to read.
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        &reader.region(len - 100, len).unwrap()[..],
        &other[other.len() - 100..]
    );
}

/// The guard of the mapping itself: a quiet file is mapped, but a file truncated after it
/// was opened is read from then on. Without the guard this test dies by SIGBUS (the
/// mapping of the lost pages is touched); with it, the bytes that are left come back.
/// (Pages of a region mapped before the truncation and still in use are not covered: that
/// window is what `QUIET_FOR` keeps small.)
#[test]
fn a_mapped_file_truncated_after_opening_is_read_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(MMAP_MIN_BYTES as usize + 3 * 65536);
    let len = data.len() as u64;
    std::fs::write(&path, &data).unwrap();
    age(&path);
    let modified = std::fs::metadata(&path).unwrap().modified().ok();
    let mut reader = RegionReader::new(File::open(&path).unwrap(), len, modified, MmapChoice::Auto);
    assert!(
        reader.is_mapped(),
        "quiet for over {QUIET_FOR:?} and large: mapped"
    );
    {
        let first = reader.region(0, 200_000).unwrap();
        assert!(matches!(first, eblog::scan::source::Region::Mapped(..)));
        assert_eq!(&first[..], &data[..200_000]);
    }
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(300_000)
        .unwrap();
    let rest = reader.region(100_000, len).unwrap();
    assert_eq!(&rest[..], &data[100_000..300_000]);
    assert!(
        matches!(rest, eblog::scan::source::Region::Read(..)),
        "no longer mapped"
    );
    assert!(!reader.is_mapped());
}

/// An encoder that truncates the file on its first call, that is while the scanner is
/// still planning the regions after the first.
struct TruncateOnce {
    inner: JsonLinesEncoder,
    path: PathBuf,
    to: u64,
    calls: AtomicUsize,
}

impl Encoder for TruncateOnce {
    type Chunk = Vec<u8>;

    fn encode(&self, records: Vec<Record>) -> io::Result<Vec<u8>> {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            File::options()
                .write(true)
                .open(&self.path)?
                .set_len(self.to)?;
        }
        self.inner.encode(records)
    }
}

#[test]
fn a_file_truncated_mid_scan_is_read_as_far_as_it_went() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(2 << 20);
    std::fs::write(&path, &data).unwrap();
    let to = (ENGINE_LINE.len() * 3000) as u64;
    let encoder = TruncateOnce {
        inner: JsonLinesEncoder { redactor: None },
        path: path.clone(),
        to,
        calls: AtomicUsize::new(0),
    };
    // Regions of 64 KiB in chunks of 4 KiB: the first region is read before any chunk is
    // encoded; the planner waits for the first chunk (which truncates the file) before
    // it reads the second region.
    let options = ScanOptions {
        threads: 1,
        chunk_bytes: 4096,
        segment_bytes: 65536,
        ..ScanOptions::default()
    };
    let mut out = WriteSink(Vec::new());
    let summary = scan(
        std::slice::from_ref(&path),
        &options,
        &encoder,
        &mut out,
        &|_| {},
    )
    .unwrap();
    assert_eq!(summary.errors, 0);
    assert_eq!(summary.bytes, to, "read as far as it went");
    assert_eq!(summary.records, 3000);
    let records = json_lines(&out.0);
    assert_eq!(records.len(), 3000);
    let mut offset = 0;
    for r in &records {
        assert_eq!(r["offset"].as_u64(), Some(offset));
        offset += r["bytes"].as_u64().unwrap();
    }
    assert_eq!(offset, to);
}

/// A large log truncated, rewritten, deleted and recreated in a loop while eblog reads it,
/// over and over. What this proves: every run ends by itself with status 0 or 1 (1 only
/// when the file was missing at that moment, reported with its path), never by a signal,
/// and writes only whole JSON lines. The file is over `MMAP_MIN_BYTES`, so it would be
/// mapped if it were quiet (checked on an aged copy); it is rewritten continually, so the
/// `QUIET_FOR` rule has the scanner read it instead — which is what keeps the truncations
/// from raising SIGBUS.
#[test]
fn a_file_changed_while_it_is_read_never_kills_eblog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eb-engine.log");
    let data = engine_log(MMAP_MIN_BYTES as usize + (2 << 20));
    std::fs::write(&path, &data).unwrap();

    let aged = dir.path().join("aged-eb-engine.log");
    std::fs::write(&aged, &data).unwrap();
    age(&aged);
    let would_map = |p: &Path| {
        let meta = std::fs::metadata(p).unwrap();
        RegionReader::new(
            File::open(p).unwrap(),
            meta.len(),
            meta.modified().ok(),
            MmapChoice::Auto,
        )
        .is_mapped()
    };
    assert!(would_map(&aged), "a quiet copy is mapped");
    assert!(!would_map(&path), "the file being changed is read");

    let stop = Arc::new(AtomicBool::new(false));
    let changer = {
        let (stop, path, data) = (Arc::clone(&stop), path.clone(), data.clone());
        std::thread::spawn(move || {
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                let cut = (round * 7919 * 131) % data.len() as u64;
                let _ = match round % 3 {
                    0 => File::options()
                        .write(true)
                        .open(&path)
                        .and_then(|f| f.set_len(cut)),
                    1 => std::fs::write(&path, &data),
                    _ => std::fs::remove_file(&path)
                        .and_then(|()| std::fs::write(&path, &data[..cut as usize])),
                };
                std::thread::sleep(Duration::from_millis(3));
            }
        })
    };
    let runs: [&[&str]; 4] = [
        &["parse"],
        &["parse", "-j", "1"],
        &["parse", "--no-mmap"],
        &["commands", "--json"],
    ];
    let mut ok = 0;
    for _ in 0..2 {
        for args in runs {
            let out = eblog(args.iter().map(OsStr::new).chain([path.as_os_str()]));
            match code(&out) {
                0 => ok += 1,
                1 => assert!(
                    stderr(&out).contains(&*path.to_string_lossy()),
                    "{}",
                    stderr(&out)
                ),
                other => panic!("exit {other}: {}", stderr(&out)),
            }
            for line in String::from_utf8(out.stdout).unwrap().lines() {
                let _: Value = serde_json::from_str(line).expect("whole JSON lines");
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    changer.join().unwrap();
    assert!(ok > 0, "some runs found the file");
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_and_missing_paths_among_good_ones() {
    // Unreadable for root too: `/proc/self/mem` opens but fails to read (EIO at offset
    // 0), also when a directory holds a link to it; a path below a file is "not a
    // directory"; a dangling symlink is missing.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("cfn-hup.log");
    std::fs::write(&good, HUP_LINE).unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::os::unix::fs::symlink("/proc/self/mem", tree.join("eb-engine.log")).unwrap();
    std::fs::copy(
        samples_dir().join("al2/eb-engine.log"),
        tree.join("eb-engine.log.1"),
    )
    .unwrap();
    let dangling = dir.path().join("eb-activity.log");
    std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
    let below_file = good.join("x.log");
    let bad: [&Path; 4] = [
        Path::new("/proc/self/mem"),
        &tree.join("eb-engine.log"),
        &dangling,
        &below_file,
    ];
    let mut args: Vec<&OsStr> = bad.iter().map(|p| p.as_os_str()).collect();
    args.push(good.as_os_str());
    args.push(tree.as_os_str());

    let out = eblog(
        [OsStr::new("parse")]
            .into_iter()
            .chain(args.iter().copied()),
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    for path in bad {
        assert!(
            err.contains(&format!("eblog: {}: ", path.display())),
            "{path:?} is named: {err}"
        );
    }
    let records = json_lines(&out.stdout);
    assert_eq!(
        records.iter().filter(|r| r["kind"] == "heartbeat").count(),
        1,
        "the good file"
    );
    assert!(
        records.iter().filter(|r| r["format"] == "engine").count() > 100,
        "the good file in the tree"
    );

    let dataset = dir.path().join("dataset");
    let out = eblog(
        [
            OsStr::new("scan"),
            OsStr::new("--quiet"),
            OsStr::new("--out"),
            dataset.as_os_str(),
        ]
        .into_iter()
        .chain(args.iter().copied()),
    );
    assert_eq!(code(&out), 1);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dataset.join("manifest.json")).unwrap()).unwrap();
    // `tree/eb-engine.log` twice: named, and found in `tree`.
    assert_eq!(manifest["scan"]["errors"], 5);
    assert_eq!(
        manifest["scan"]["records"].as_u64(),
        Some(records.len() as u64)
    );

    for sub in ["commands", "diagnose"] {
        let out = eblog(
            [OsStr::new(sub), OsStr::new("--json")]
                .into_iter()
                .chain(args.iter().copied()),
        );
        assert_eq!(code(&out), 1, "{sub}");
        let err = stderr(&out);
        for path in bad {
            assert!(
                err.contains(&format!("eblog: {}: ", path.display())),
                "{sub}: {err}"
            );
        }
        assert!(!out.stdout.is_empty(), "{sub}: the good files are used");
    }
}
