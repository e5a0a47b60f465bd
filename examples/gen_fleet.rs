//! Writes a deterministic synthetic fleet of Elastic Beanstalk logs, for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_fleet -- --out target/bench-fleet-1GiB --size 1GiB [--seed 42] [--instances N] [--span 14d]
//! ```
//!
//! The tree is `OUT/<env-id>/<instance-id>/var/log/...`, legacy and AL2/AL2023 instances
//! mixed (see `benches/support/fleet/`). The same seed, size and instance count always
//! give the same bytes. `--span` stretches each instance's logs over that long (quiet
//! time between bursts, as on real instances): `14d` gives a fleet of the real shape,
//! files spanning weeks and many dates; `20y` one whose dates spread over decades. A summary goes to stderr; `--quiet` leaves only the last line, the
//! total of uncompressed bytes.

#[path = "../benches/support/fleet/mod.rs"]
mod fleet;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen_fleet --out DIR --size SIZE [--seed N] [--instances N] [--span DURATION] [--quiet]
  SIZE: bytes, or with a unit: 20MB, 64MiB, 1GiB (uncompressed bytes; .gz files count decompressed)
  DURATION: how long each instance's logs last, e.g. 36h, 14d, 3w, 20y (default: as long as the traffic makes them)";

struct Args {
    out: PathBuf,
    spec: fleet::FleetSpec,
    quiet: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut size = None;
    let mut seed = 42;
    let mut instances = None;
    let mut span_us = None;
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--out" | "-o" => out = Some(PathBuf::from(value("--out")?)),
            "--size" | "-s" => {
                let v = value("--size")?;
                size = Some(fleet::parse_size(&v).ok_or_else(|| format!("bad size: {v}"))?);
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("bad seed: {v}"))?;
            }
            "--instances" | "-n" => {
                let v = value("--instances")?;
                let n: usize = v.parse().map_err(|_| format!("bad instance count: {v}"))?;
                if n == 0 {
                    return Err("--instances must be at least 1".into());
                }
                instances = Some(n);
            }
            "--span" => {
                let v = value("--span")?;
                let span =
                    humantime::parse_duration(&v).map_err(|e| format!("bad span {v}: {e}"))?;
                span_us = Some(
                    i64::try_from(span.as_micros()).map_err(|_| format!("span too long: {v}"))?,
                );
            }
            "--quiet" | "-q" => quiet = true,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Args {
        out: out.ok_or("--out is required")?,
        spec: fleet::FleetSpec {
            seed,
            size: size.ok_or("--size is required")?,
            instances,
            span_us,
        },
        quiet,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("gen_fleet: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let summary = match fleet::generate(&args.out, &args.spec) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gen_fleet: {}: {e}", args.out.display());
            return ExitCode::FAILURE;
        }
    };
    let secs = start.elapsed().as_secs_f64();
    if !args.quiet {
        let [legacy, al2, al2023] = summary.instances;
        eprintln!(
            "gen_fleet: {} (seed {}): {} environments, {} instances ({legacy} legacy, {al2} AL2, {al2023} AL2023)",
            args.out.display(),
            args.spec.seed,
            summary.environments,
            legacy + al2 + al2023
        );
        eprintln!(
            "{:<34} {:>7} {:>14} {:>7}",
            "kind", "files", "bytes", "share"
        );
        for (kind, k) in &summary.by_kind {
            eprintln!(
                "{kind:<34} {:>7} {:>14} {:>6.1}%",
                k.files,
                k.bytes,
                100.0 * k.bytes as f64 / summary.bytes.max(1) as f64
            );
        }
        eprintln!(
            "total: {} files ({} gz), {} bytes uncompressed ({:.1} MiB, requested {:.1} MiB), {} bytes on disk, in {secs:.2}s ({:.0} MB/s)",
            summary.files,
            summary.gz_files,
            summary.bytes,
            summary.bytes as f64 / (1 << 20) as f64,
            args.spec.size as f64 / (1 << 20) as f64,
            summary.disk_bytes,
            summary.bytes as f64 / 1e6 / secs.max(1e-9)
        );
    }
    println!("{}", summary.bytes);
    ExitCode::SUCCESS
}
