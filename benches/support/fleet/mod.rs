//! A deterministic generator of large synthetic Elastic Beanstalk fleets, for benchmarks.
//!
//! [`generate`] writes `OUT/<env-id>/<instance-id>/var/log/...` for environments of both
//! platform generations:
//!
//! * legacy (Amazon Linux AMI) instances: `cfn-hup.log` (and, for some, a rotated
//!   `cfn-hup.log.1.gz`), `eb-commandprocessor.log`, `eb-activity.log`;
//! * Amazon Linux 2 / 2023 instances: `eb-engine.log` (and, for some, `eb-engine.log.1.gz`),
//!   `cfn-init.log`, `cfn-init-cmd.log`, `eb-cfn-init.log`, `nginx/access.log`,
//!   `nginx/error.log`, hourly `nginx/healthd/application.log.YYYY-MM-DD-HH`,
//!   `healthd/daemon.log` and `web.stdout.log`.
//!
//! The text follows the templates of `samples/` (and `docs/formats.md`), with
//! every id, time, name and output drawn from a hand-written splitmix64 generator: the
//! output depends only on the seed, the size and the instance count. Each instance lives
//! through one timeline (clocks only advance), so its files tell one story: cfn-hup
//! receives a command, the command processor runs its stages and the activity log its
//! hooks, under the same ids and times; on AL2 the engine's deploys run cfn-init, whose
//! command log matches, while nginx, healthd and the application serve traffic, with crash
//! windows that show up as 502s, upstream errors and stack traces in all of them.
//! Deploys succeed and fail (hook exit codes, npm/pip errors, cfn-init command failures,
//! Ruby exception chains, Python tracebacks), multi-line records appear where the agents
//! write them (tracebacks, command output, `returning results:` JSON, indented activity
//! results). All credentials are fake and carry the `EBLOGFAKE` / `EbLogFake` markers of
//! the samples.
//!
//! Sizes count uncompressed bytes: a `.gz` file counts with its decompressed length.
//! The generator stops each instance once its share of the requested size is written, so
//! the total lands within a few KiB per instance of the request.
//!
//! This file is a plain module included with `#[path]` by `examples/gen_fleet.rs` and by
//! `benches/scanner.rs`; it does no I/O besides creating the directories and files it
//! writes.
#![allow(dead_code)]

mod legacy;
mod modern;
mod rng;
mod text;

use legacy::*;
use modern::*;
pub use rng::Rng;
use rng::*;
use text::*;

use flate2::write::GzEncoder;
use flate2::Compression;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/// What to generate.
#[derive(Debug, Clone)]
pub struct FleetSpec {
    /// Seed of every random choice.
    pub seed: u64,
    /// Total uncompressed bytes to write (approximately).
    pub size: u64,
    /// Number of instances; `None` picks one per 16 MiB (at least 4).
    pub instances: Option<usize>,
    /// How long each instance's logs last, in microseconds: time between the agents'
    /// bursts of activity is stretched (quiet hours, as on a real instance) so that an
    /// instance's last line is about this long after its first. `None`: no quiet time,
    /// so an instance's share of the size lasts as long as its traffic makes it (hours
    /// to a day at the default instance count). Weeks give the real shape of a fleet
    /// whose files span many dates; years give one whose dates spread wide.
    pub span_us: Option<i64>,
}

/// Bytes and files of one kind of log.
#[derive(Debug, Default, Clone, Copy)]
pub struct KindStats {
    /// Files written.
    pub files: u64,
    /// Uncompressed bytes.
    pub bytes: u64,
}

/// What [`generate`] wrote.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Environments.
    pub environments: usize,
    /// Instances, by platform: legacy, AL2, AL2023.
    pub instances: [usize; 3],
    /// Files written.
    pub files: u64,
    /// Of which gzip-compressed.
    pub gz_files: u64,
    /// Uncompressed bytes of all files (gz files count decompressed).
    pub bytes: u64,
    /// Bytes on disk.
    pub disk_bytes: u64,
    /// Per kind of log (`cfn-hup.log`, `nginx/access.log`, ...).
    pub by_kind: BTreeMap<&'static str, KindStats>,
}

impl Summary {
    fn merge(&mut self, other: Stats) {
        self.files += other.files;
        self.gz_files += other.gz_files;
        self.bytes += other.bytes;
        self.disk_bytes += other.disk_bytes;
        for (k, v) in other.by_kind {
            let e = self.by_kind.entry(k).or_default();
            e.files += v.files;
            e.bytes += v.bytes;
        }
    }
}

/// The default number of instances for a fleet of `size` bytes: one per 16 MiB, at least 4.
pub fn default_instances(size: u64) -> usize {
    ((size / (16 << 20)) as usize).clamp(4, 4096)
}

/// Parses a size such as `1GiB`, `64MiB`, `20MB`, `500k` or `123456` (bytes).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: f64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        "t" | "tb" => 1_000_000_000_000,
        "tib" => 1 << 40,
        _ => return None,
    };
    Some((num * mult as f64) as u64)
}

/// Writes a fleet under `out` (created if needed) and says what it wrote.
///
/// Instances are generated in parallel (rayon); each instance draws from its own generator,
/// seeded from [`FleetSpec::seed`] and its index, so the files do not depend on scheduling.
///
/// # Errors
/// I/O errors creating directories or writing files.
pub fn generate(out: &Path, spec: &FleetSpec) -> io::Result<Summary> {
    let n = spec
        .instances
        .unwrap_or_else(|| default_instances(spec.size))
        .max(1);
    let mut rng = Rng::new(spec.seed ^ 0x0EB1_06F1_EE70_0001);
    let n_envs = if n <= 3 { n } else { n.div_ceil(4).max(3) };
    let mut env_ids = HashSet::new();
    let envs: Vec<Env> = (0..n_envs)
        .map(|i| Env::new(&mut rng, i, &mut env_ids))
        .collect();
    let weights: Vec<f64> = (0..n).map(|_| 0.7 + 0.6 * rng.unit()).collect();
    let total_w: f64 = weights.iter().sum();
    let mut inst_ids = HashSet::new();
    let insts: Vec<Inst> = (0..n)
        .map(|k| {
            let env = k % n_envs;
            let budget = (spec.size as f64 * weights[k] / total_w) as u64;
            let mut inst = Inst::new(&mut rng, out, &envs[env], env, k, budget, &mut inst_ids);
            inst.span_us = spec.span_us;
            inst
        })
        .collect();
    fs::create_dir_all(out)?;
    let results: Vec<io::Result<Stats>> = insts
        .par_iter()
        .map(|inst| {
            let env = &envs[inst.env];
            match env.platform {
                Platform::Legacy => Legacy::new(env, inst).run(),
                Platform::Al2 | Platform::Al2023 => Modern::new(env, inst).run(),
            }
        })
        .collect();
    let mut summary = Summary {
        environments: n_envs,
        ..Summary::default()
    };
    for inst in &insts {
        summary.instances[envs[inst.env].platform as usize] += 1;
    }
    for r in results {
        summary.merge(r?);
    }
    Ok(summary)
}

// ---------------------------------------------------------------------------------------
// Output files
// ---------------------------------------------------------------------------------------

/// Counts of one instance (or part of one).
#[derive(Debug, Default)]
struct Stats {
    files: u64,
    gz_files: u64,
    bytes: u64,
    disk_bytes: u64,
    by_kind: BTreeMap<&'static str, KindStats>,
}

impl Stats {
    fn add(&mut self, kind: &'static str, path: &Path, bytes: u64, gz: bool) {
        self.files += 1;
        self.bytes += bytes;
        self.gz_files += u64::from(gz);
        self.disk_bytes += fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let name: &'static str = if gz {
            match kind {
                "cfn-hup.log" => "cfn-hup.log.1.gz",
                "eb-engine.log" => "eb-engine.log.1.gz",
                k => k,
            }
        } else {
            kind
        };
        let e = self.by_kind.entry(name).or_default();
        e.files += 1;
        e.bytes += bytes;
    }
}

enum Sink {
    Closed,
    Plain(BufWriter<File>),
    Gz(Box<GzEncoder<BufWriter<File>>>),
}

/// Flush a file's buffer once it holds this much.
const FLUSH_AT: usize = 1 << 18;

/// One log file being written: lines are built in `buf` and written out at record
/// boundaries. With `rotated` set, the first `rotate_at` bytes (cut at a record boundary)
/// go into that gzip file instead, as logrotate would have left them.
struct LogFile {
    kind: &'static str,
    live: PathBuf,
    rotated: Option<PathBuf>,
    rotate_at: u64,
    buf: Vec<u8>,
    sink: Sink,
    written: u64,
    file_bytes: u64,
}

impl LogFile {
    fn new(kind: &'static str, live: PathBuf) -> Self {
        LogFile {
            kind,
            live,
            rotated: None,
            rotate_at: 0,
            buf: Vec::with_capacity(FLUSH_AT + (1 << 16)),
            sink: Sink::Closed,
            written: 0,
            file_bytes: 0,
        }
    }

    fn rotating(mut self, rotated: PathBuf, rotate_at: u64) -> Self {
        self.rotated = Some(rotated);
        self.rotate_at = rotate_at;
        self
    }

    /// Uncompressed bytes of this log so far, rotated part included.
    fn len(&self) -> u64 {
        self.written + self.buf.len() as u64
    }

    /// Called between records: rotates or flushes when it is time.
    fn boundary(&mut self, stats: &mut Stats) -> io::Result<()> {
        if self.rotated.is_some() && self.len() >= self.rotate_at {
            self.flush_buf()?;
            self.close(stats)?;
            self.rotated = None;
        } else if self.buf.len() >= FLUSH_AT {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        if matches!(self.sink, Sink::Closed) {
            let path = self.rotated.as_ref().unwrap_or(&self.live);
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir)?;
            }
            let file = BufWriter::with_capacity(1 << 16, File::create(path)?);
            self.sink = match self.rotated {
                Some(_) => Sink::Gz(Box::new(GzEncoder::new(file, Compression::fast()))),
                None => Sink::Plain(file),
            };
        }
        match &mut self.sink {
            Sink::Plain(w) => w.write_all(&self.buf)?,
            Sink::Gz(w) => w.write_all(&self.buf)?,
            Sink::Closed => unreachable!("opened above"),
        }
        self.written += self.buf.len() as u64;
        self.file_bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    fn close(&mut self, stats: &mut Stats) -> io::Result<()> {
        match std::mem::replace(&mut self.sink, Sink::Closed) {
            Sink::Closed => return Ok(()),
            Sink::Plain(mut w) => {
                w.flush()?;
                stats.add(self.kind, &self.live, self.file_bytes, false);
            }
            Sink::Gz(w) => {
                w.finish()?.flush()?;
                let path = self.rotated.as_ref().expect("gz only while rotating");
                stats.add(self.kind, path, self.file_bytes, true);
            }
        }
        self.file_bytes = 0;
        Ok(())
    }

    fn finish(mut self, stats: &mut Stats) -> io::Result<()> {
        self.flush_buf()?;
        self.close(stats)
    }
}

// ---------------------------------------------------------------------------------------
// Environments and instances
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    Legacy = 0,
    Al2 = 1,
    Al2023 = 2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runtime {
    Node,
    Python,
    Java,
}

const REGIONS: [&str; 8] = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
];

const APPS: [&str; 12] = [
    "orders-api",
    "ledger-web",
    "invoice-svc",
    "catalog",
    "payments-gw",
    "checkout-web",
    "inventory",
    "notifier",
    "reports",
    "accounts",
    "search-api",
    "shipping",
];

struct Env {
    id: String,
    platform: Platform,
    runtime: Runtime,
    region: &'static str,
    account: String,
    stack_name: String,
    stack_arn: String,
    app: &'static str,
    app_id: String,
    result_queue: String,
    queue_account: String,
    cname: String,
    bucket: String,
    healthd_group: String,
    /// First boot of the environment's instances.
    start: i64,
    /// AL2 CommandService events in seconds (2020-era engines) rather than ms.
    event_secs: bool,
    /// Platform branch of AL2/AL2023 environments, as the asset URLs name it.
    stalk: String,
}

impl Env {
    fn new(rng: &mut Rng, index: usize, ids: &mut HashSet<String>) -> Env {
        let platform = match index {
            0 => Platform::Legacy,
            1 => Platform::Al2,
            2 => Platform::Al2023,
            _ => match rng.below(20) {
                0..=6 => Platform::Legacy,
                7..=14 => Platform::Al2,
                _ => Platform::Al2023,
            },
        };
        let runtime = match platform {
            Platform::Legacy => *rng.pick(&[Runtime::Node, Runtime::Python]),
            Platform::Al2 => *rng.pick(&[Runtime::Node, Runtime::Python, Runtime::Python]),
            Platform::Al2023 => *rng.pick(&[Runtime::Java, Runtime::Python, Runtime::Node]),
        };
        let id = loop {
            let id = format!("e-{}", rng.chars(10, LOWER_ALNUM));
            if ids.insert(id.clone()) {
                break id;
            }
        };
        let region = *rng.pick(&REGIONS);
        let account = rng.digits(12);
        let stack_name = format!("awseb-{id}-stack");
        let stack_arn = format!(
            "arn:aws:cloudformation:{region}:{account}:stack/{stack_name}/{}",
            rng.uuid()
        );
        let app = *rng.pick(&APPS);
        let (y0, y1) = match platform {
            Platform::Legacy => (2017, 2020),
            Platform::Al2 => (2020, 2023),
            Platform::Al2023 => (2023, 2025),
        };
        let year = rng.range(y0, y1) as i64;
        // Feb..Oct, so that a few weeks of logs never cross a new year (syslog stamps).
        let month = rng.range(2, 10);
        let day = rng.range(1, 28);
        let start = days_from_civil(year, month, day) * DAY + rng.below(DAY as u64) as i64;
        let queue_account = rng.digits(12);
        let parts: Vec<&str> = region.split('-').collect();
        let short = format!("{}{}{}", parts[0], &parts[1][..1], parts[2]);
        let result_queue = format!(
            "https://sqs.{region}.amazonaws.com/{queue_account}/cfn-cmd-results-{short}-0{}",
            rng.range(1, 6)
        );
        let cname = format!(
            "{app}-prod.eba-{}.{region}.elasticbeanstalk.com",
            rng.chars(8, LOWER_ALNUM)
        );
        let bucket = format!("elasticbeanstalk-{region}-{account}");
        let stalk = match (platform, runtime) {
            (Platform::Al2023, Runtime::Java) => "eb_corretto_21_amazon_linux_2023_4.",
            (Platform::Al2023, Runtime::Python) => "eb_python311_amazon_linux_2023_4.",
            (Platform::Al2023, Runtime::Node) => "eb_nodejs20_amazon_linux_2023_6.",
            (_, Runtime::Node) => "eb_nodejs16_amazon_linux_2_5.",
            _ => "eb_python38_amazon_linux_2_3.",
        };
        let stalk = format!(
            "{stalk}{}.{}_{year}{:02}{:02}{}",
            rng.range(1, 9),
            rng.range(100, 2999),
            month,
            day,
            rng.digits(6)
        );
        Env {
            platform,
            runtime,
            region,
            stack_name,
            stack_arn,
            app,
            app_id: rng.hex(7),
            result_queue,
            queue_account,
            cname,
            bucket,
            healthd_group: rng.uuid(),
            start,
            event_secs: platform == Platform::Al2 && year <= 2020,
            stalk,
            account,
            id,
        }
    }

    fn run_cmd_prefix(&self) -> &'static str {
        if self.platform == Platform::Al2023 {
            "Running command: "
        } else {
            "Running command /bin/sh -c "
        }
    }
}

struct Inst {
    env: usize,
    index: usize,
    id: String,
    ip: [u8; 4],
    listener_queue: String,
    lbs: [String; 2],
    budget: u64,
    seed: u64,
    start: i64,
    /// [`FleetSpec::span_us`].
    span_us: Option<i64>,
    dir: PathBuf,
}

impl Inst {
    fn new(
        rng: &mut Rng,
        out: &Path,
        env: &Env,
        env_index: usize,
        index: usize,
        budget: u64,
        ids: &mut HashSet<String>,
    ) -> Inst {
        let id = loop {
            let id = format!("i-0{}", rng.hex(16));
            if ids.insert(id.clone()) {
                break id;
            }
        };
        let ip = [172, 31, rng.range(0, 63) as u8, rng.range(2, 254) as u8];
        let lb = |rng: &mut Rng| format!("172.31.{}.{}", rng.range(0, 63), rng.range(2, 254));
        Inst {
            env: env_index,
            index,
            listener_queue: format!(
                "https://sqs.{}.amazonaws.com/{}/cfn-cmd-listener-{}",
                env.region,
                env.queue_account,
                rng.uuid()
            ),
            lbs: [lb(rng), lb(rng)],
            budget,
            seed: rng.next_u64(),
            start: env.start + rng.below((6 * HOUR) as u64) as i64,
            span_us: None,
            dir: out.join(&env.id).join(&id).join("var/log"),
            ip,
            id,
        }
    }

    /// Where the clock should stand once `written` of the instance's bytes are out, when
    /// a span is asked for: as far into the span as the bytes are into the budget.
    fn paced_clock(&self, written: u64) -> Option<i64> {
        let span = self.span_us?;
        let share = written as f64 / self.budget.max(1) as f64;
        Some(self.start + (span as f64 * share.min(1.0)) as i64)
    }

    fn host(&self) -> String {
        format!(
            "ip-{}-{}-{}-{}",
            self.ip[0], self.ip[1], self.ip[2], self.ip[3]
        )
    }
}

struct Creds {
    akid: String,
    secret: String,
    token: String,
}

impl Creds {
    fn new(rng: &mut Rng) -> Creds {
        Creds {
            akid: format!("ASIA2EBLOGFAKE{}", rng.chars(6, UPPER32)),
            secret: format!("EbLogFakeSecret{}", rng.chars(25, B64)),
            // STS session tokens run 600 to 1 000 characters.
            token: format!("FQoGZXIvYXdzEBLOGFAKE{}=", rng.chars(720, B64)),
        }
    }
}

fn version_label(rng: &mut Rng, t: i64) -> String {
    let tm = tm(t);
    format!(
        "app-{}-{:02}{:02}{:02}_{:02}{:02}{:02}",
        rng.hex(7),
        tm.y % 100,
        tm.mo,
        tm.d,
        tm.h,
        tm.mi,
        tm.s
    )
}

fn result_json(fail: Option<(&str, &[(String, u64)])>, truncated: bool) -> String {
    match fail {
        None => r#"{"status":"SUCCESS","api_version":"1.0","results":[{"status":"SUCCESS","msg":"","returncode":0,"events":[]}]}"#.to_string(),
        Some((msg, events)) => {
            let mut s = String::with_capacity(1024);
            s.push_str(r#"{"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","msg":""#);
            json_escape(&mut s, msg);
            s.push_str(r#"","returncode":1,"events":["#);
            for (i, (m, ts)) in events.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push_str(r#"{"msg":""#);
                json_escape(&mut s, m);
                s.push_str(r#"","severity":"ERROR","timestamp":"#);
                s.push_str(&ts.to_string());
                s.push('}');
            }
            s.push_str("]}]");
            if truncated {
                s.push_str(r#","truncated":"true""#);
            }
            s.push('}');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_round_trip() {
        use super::*;
        for days in [-1000, 0, 10_000, 18_000, 19_999, 20_500] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let mut v = Vec::new();
        ts_py(&mut v, 1_557_817_154_602_000);
        assert_eq!(v, b"2019-05-14 06:59:14,602");
    }

    #[test]
    fn sizes() {
        use super::parse_size;
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("64MiB"), Some(64 << 20));
        assert_eq!(parse_size("20MB"), Some(20_000_000));
        assert_eq!(parse_size("1.5k"), Some(1500));
        assert_eq!(parse_size("x"), None);
    }
}
