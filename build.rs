//! Build script: the commit and build date that `eblog --version` shows.
//!
//! The commit comes from `git rev-parse` when the sources are a git checkout with git
//! installed; otherwise (a crates.io download, a tarball) it is `unknown`. The date is
//! `SOURCE_DATE_EPOCH` when set (reproducible builds), else the time of the build.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    println!("cargo:rustc-env=EBLOG_COMMIT={commit}");
    println!("cargo:rustc-env=EBLOG_BUILD_DATE={}", civil_date(seconds));
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // A new commit or checkout moves HEAD's reflog; without git nothing is watched but
    // the script itself.
    println!("cargo:rerun-if-changed=build.rs");
    for what in ["HEAD", "logs/HEAD"] {
        if let Some(path) = git(&["rev-parse", "--git-path", what]) {
            if std::path::Path::new(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
}

/// Runs git in the package's directory; `None` when git is missing or fails, or when the
/// package is not the top of its own checkout (sources unpacked inside some other
/// repository must not take that repository's commit).
fn git(args: &[&str]) -> Option<String> {
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let top = run_git(&dir, &["rev-parse", "--show-toplevel"])?;
    let same = std::fs::canonicalize(&top).ok()? == std::fs::canonicalize(&dir).ok()?;
    if !same {
        return None;
    }
    run_git(&dir, args)
}

fn run_git(dir: &std::path::Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `YYYY-MM-DD` (UTC) of seconds since the epoch (Howard Hinnant's days-to-civil).
fn civil_date(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
