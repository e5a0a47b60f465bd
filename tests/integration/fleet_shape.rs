//! The benchmark fleet generator's real shape (`gen_fleet --span`): instances whose logs
//! span weeks, overlapping in time, scan into one file per (table, date) partition, the
//! same bytes with one thread and two.

use crate::util::eblog;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "../../benches/support/fleet/mod.rs"]
mod fleet;

/// Microseconds in a day.
const DAY_US: i64 = 86_400_000_000;

/// Writes a 6 MiB fleet of 4 instances (3 environments of both generations) into `dir`.
fn generate(dir: &Path, span_us: Option<i64>) {
    let spec = fleet::FleetSpec {
        seed: 7,
        size: 6 << 20,
        instances: Some(4),
        span_us,
    };
    let summary = fleet::generate(dir, &spec).unwrap();
    assert!(summary.bytes > 5 << 20, "{} bytes", summary.bytes);
}

/// Scans `fleet` into `out` with `threads` threads.
fn scan(fleet: &Path, out: &Path, threads: &str) {
    let run = eblog()
        .args(["scan", "--quiet", "-j", threads, "--out"])
        .arg(out)
        .arg(fleet)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Each table's Parquet files by partition directory (`records/date=…`), with their bytes.
fn partitions(dataset: &Path) -> BTreeMap<PathBuf, Vec<Vec<u8>>> {
    let mut out: BTreeMap<PathBuf, Vec<Vec<u8>>> = BTreeMap::new();
    for table in std::fs::read_dir(dataset).unwrap() {
        let table = table.unwrap().path();
        if !table.is_dir() {
            continue;
        }
        for partition in std::fs::read_dir(&table).unwrap() {
            let partition = partition.unwrap().path();
            let mut files: Vec<PathBuf> = std::fs::read_dir(&partition)
                .unwrap()
                .map(|f| f.unwrap().path())
                .collect();
            files.sort();
            let key = partition.strip_prefix(dataset).unwrap().to_path_buf();
            out.insert(
                key,
                files.iter().map(|f| std::fs::read(f).unwrap()).collect(),
            );
        }
    }
    out
}

/// Dated partitions of `table`.
fn dates(partitions: &BTreeMap<PathBuf, Vec<Vec<u8>>>, table: &str) -> usize {
    partitions
        .keys()
        .filter(|p| p.starts_with(table) && !p.ends_with("date=__HIVE_DEFAULT_PARTITION__"))
        .count()
}

#[test]
fn a_fleet_spanning_weeks_scans_into_one_file_per_date_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (busy, weeks) = (dir.path().join("busy"), dir.path().join("weeks"));
    generate(&busy, None);
    generate(&weeks, Some(21 * DAY_US));

    scan(&busy, &dir.path().join("busy-ds"), "2");
    let busy_dates = dates(&partitions(&dir.path().join("busy-ds")), "records");
    scan(&weeks, &dir.path().join("one"), "1");
    scan(&weeks, &dir.path().join("two"), "2");
    let (one, two) = (
        partitions(&dir.path().join("one")),
        partitions(&dir.path().join("two")),
    );

    // Without a span, each instance's 1.5 MiB lasts hours; with one, three weeks: 4
    // instances in 3 environments (each its own year) cover about 3 × 21 dates.
    let week_dates = dates(&two, "records");
    assert!(busy_dates <= 8, "{busy_dates} dates without a span");
    assert!(week_dates >= 60, "{week_dates} dates over three weeks");
    for table in ["records", "events", "commands", "http_requests"] {
        assert!(dates(&two, table) > 0, "{table} has dated partitions");
    }
    for (partition, files) in &two {
        assert_eq!(files.len(), 1, "{}: one file", partition.display());
    }
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (partition, files) in &one {
        assert!(
            files == &two[partition],
            "{}: same bytes",
            partition.display()
        );
    }
}
