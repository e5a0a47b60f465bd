//! Inputs and wrappers: a tail bundle, a CloudWatch download, a zip bundle, a `.gz` file,
//! stdin and directories give the same records as the plain files they hold.

use crate::util::{eblog, json_lines, parse_json, samples_dir};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// The fields that must not change when a log is wrapped.
fn essence(r: &Value) -> (Value, Value, Value, Value) {
    (
        r["format"].clone(),
        r["kind"].clone(),
        r["ts"].clone(),
        r["message"].clone(),
    )
}

fn plain(path: &Path) -> Vec<Value> {
    parse_json(&[path.to_str().unwrap()])
}

/// Writes the last `n` lines of a sample under `dir/var/log/<name>` and parses it.
fn plain_tail(sample: &str, n: usize, dir: &Path, name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(samples_dir().join(sample)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(n)..].join("\n") + "\n";
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, tail).unwrap();
    plain(&path)
}

fn section<'a>(records: &'a [Value], suffix: &str) -> Vec<&'a Value> {
    records
        .iter()
        .filter(|r| r["source"].as_str().is_some_and(|s| s.ends_with(suffix)))
        .collect()
}

#[test]
fn tail_bundle_sections_match_the_plain_files() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = plain(&samples_dir().join("bundles/tail-bundle.txt"));
    let sections: Vec<&Value> = bundle.iter().filter(|r| r["kind"] == "section").collect();
    assert_eq!(sections.len(), 3);
    assert_eq!(sections[0]["path"], "/var/log/eb-engine.log");
    assert_eq!(
        (
            sections[0]["line"].as_u64(),
            sections[0]["end_line"].as_u64()
        ),
        (Some(1), Some(3))
    );
    for (sample, name) in [
        ("al2/eb-engine.log", "eb-engine.log"),
        ("al2/nginx/error.log", "nginx/error.log"),
        ("al2/web.stdout.log", "web.stdout.log"),
    ] {
        let expected = plain_tail(sample, 40, dir.path(), &format!("var/log/{name}"));
        let found = section(&bundle, &format!("tail-bundle.txt!/var/log/{name}"));
        let blank_separator = usize::from(found.last().is_some_and(|r| r["message"] == ""));
        assert_eq!(found.len() - blank_separator, expected.len(), "{name}");
        for (a, b) in found.iter().zip(&expected) {
            assert_eq!(essence(a), essence(b), "{name}");
        }
        assert!(
            found[0]["line"].as_u64().unwrap() > 3,
            "lines point into the bundle"
        );
    }
    assert_eq!(bundle.iter().filter(|r| r["kind"] == "unparsed").count(), 0);
    let total: u64 = bundle.iter().map(|r| r["bytes"].as_u64().unwrap()).sum();
    assert_eq!(
        total,
        std::fs::metadata(samples_dir().join("bundles/tail-bundle.txt"))
            .unwrap()
            .len()
    );
}

#[test]
fn cloudwatch_download_names_the_instance() {
    let dir = tempfile::tempdir().unwrap();
    let download = plain(&samples_dir().join("bundles/cloudwatch.txt"));
    let expected = plain_tail(
        "al2/nginx/error.log",
        30,
        dir.path(),
        "var/log/nginx/error.log",
    );
    let found = section(&download, "/var/log/nginx/error.log");
    assert_eq!(found.len(), expected.len());
    for (a, b) in found.iter().zip(&expected) {
        assert_eq!(essence(a), essence(b));
        assert_eq!(a["instance_id"], "i-0d7e3a91c4b52f806");
    }
    let text = std::fs::read_to_string(samples_dir().join("bundles/cloudwatch.txt")).unwrap();
    let offset = found[0]["offset"].as_u64().unwrap() as usize;
    assert!(
        text[offset..].starts_with("[i-0d7e3a91c4b52f806] "),
        "offsets point at the prefixed line"
    );
}

#[test]
fn zip_bundle_and_gz_match_the_plain_files() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("bundle.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, sample) in [
        ("var/log/eb-engine.log", "al2/eb-engine.log"),
        ("var/log/nginx/access.log", "al2/nginx/access.log"),
        ("var/log/messages", "README.md"),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(samples_dir().join(sample)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let out = eblog().arg("parse").arg(&zip_path).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("skipped 1 file(s)"),
        "var/log/messages is skipped"
    );
    let zipped = json_lines(&out.stdout);
    for (name, sample) in [
        ("var/log/eb-engine.log", "al2/eb-engine.log"),
        ("var/log/nginx/access.log", "al2/nginx/access.log"),
    ] {
        let expected = plain(&samples_dir().join(sample));
        let found = section(&zipped, &format!("bundle.zip!/{name}"));
        assert_eq!(found.len(), expected.len(), "{name}");
        for (a, b) in found.iter().zip(&expected) {
            assert_eq!(essence(a), essence(b));
            assert_eq!((&a["line"], &a["offset"]), (&b["line"], &b["offset"]));
        }
    }

    let gz_path = dir.path().join("_var_log_eb-engine.log-1655200000.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(samples_dir().join("al2/eb-engine.log")).unwrap())
        .unwrap();
    std::fs::write(&gz_path, gz.finish().unwrap()).unwrap();
    let gunzipped = plain(&gz_path);
    let expected = plain(&samples_dir().join("al2/eb-engine.log"));
    assert_eq!(gunzipped.len(), expected.len());
    for (a, b) in gunzipped.iter().zip(&expected) {
        assert_eq!(essence(a), essence(b));
    }
}

#[test]
fn stdin_matches_the_file() {
    for sample in [
        "al2/eb-engine.log",
        "al2023/eb-engine.log",
        "al2/cfn-init.log",
    ] {
        let bytes = std::fs::read(samples_dir().join(sample)).unwrap();
        let streamed = json_lines(
            &eblog()
                .args(["parse", "-"])
                .write_stdin(bytes)
                .output()
                .unwrap()
                .stdout,
        );
        let expected = plain(&samples_dir().join(sample));
        assert_eq!(streamed.len(), expected.len(), "{sample}");
        for (a, b) in streamed.iter().zip(&expected) {
            assert_eq!(essence(a), essence(b), "{sample}");
        }
    }
    // A wrapper on stdin is read whole and unwrapped.
    let bundle = std::fs::read(samples_dir().join("bundles/tail-bundle.txt")).unwrap();
    let streamed = json_lines(
        &eblog()
            .args(["parse", "-"])
            .write_stdin(bundle)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(streamed[1]["source"], "-!/var/log/eb-engine.log");
}

#[test]
fn directories_skip_unknown_files_but_named_files_are_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("var/log");
    std::fs::create_dir_all(&log).unwrap();
    std::fs::copy(
        samples_dir().join("al2/eb-engine.log"),
        log.join("eb-engine.log"),
    )
    .unwrap();
    for other in ["messages", "cron", "yum.log", "cloud-init-output.log"] {
        std::fs::write(
            log.join(other),
            "Sep 14 17:51:06 kernel: hello\nnot a log line\n",
        )
        .unwrap();
    }
    let out = eblog().arg("parse").arg(dir.path()).output().unwrap();
    let records = json_lines(&out.stdout);
    assert!(records.iter().all(|r| r["format"] == "engine"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("skipped 4 file(s)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A file named on the command line is parsed whatever it holds.
    let named = json_lines(
        &eblog()
            .arg("parse")
            .arg(log.join("yum.log"))
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(named.len(), 2);
    assert!(named.iter().all(|r| r["kind"] == "unparsed"));
}
