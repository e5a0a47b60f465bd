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
//! The text follows the templates of `samples/` (and `shared/formats/FORMATS.md`), with
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
            Inst::new(&mut rng, out, &envs[env], env, k, budget, &mut inst_ids)
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
// Random numbers
// ---------------------------------------------------------------------------------------

/// splitmix64: tiny, fast, and good enough for synthetic logs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose whole output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn hex(&mut self, n: usize) -> String {
        self.chars(n, b"0123456789abcdef")
    }

    fn chars(&mut self, n: usize, alphabet: &[u8]) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len() as u64) as usize] as char)
            .collect()
    }

    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-{}{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            *self.pick(&['8', '9', 'a', 'b']),
            self.hex(3),
            self.hex(12)
        )
    }

    fn digits(&mut self, n: usize) -> String {
        let mut s = self.chars(n, b"0123456789");
        if s.starts_with('0') {
            s.replace_range(0..1, "7");
        }
        s
    }
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// ---------------------------------------------------------------------------------------
// Formatting into byte buffers
// ---------------------------------------------------------------------------------------

trait Put {
    fn s(&mut self, s: &str) -> &mut Self;
    fn n(&mut self, n: u64) -> &mut Self;
    fn nl(&mut self) -> &mut Self;
    /// `n` zero-padded to `width` digits.
    fn z(&mut self, n: u64, width: usize) -> &mut Self;
    /// Milliseconds as seconds with three decimals: `84` -> `0.084`.
    fn secs3(&mut self, ms: u64) -> &mut Self;
}

impl Put for Vec<u8> {
    #[inline]
    fn s(&mut self, s: &str) -> &mut Self {
        self.extend_from_slice(s.as_bytes());
        self
    }

    #[inline]
    fn n(&mut self, mut n: u64) -> &mut Self {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.extend_from_slice(&tmp[i..]);
        self
    }

    #[inline]
    fn nl(&mut self) -> &mut Self {
        self.push(b'\n');
        self
    }

    #[inline]
    fn z(&mut self, n: u64, width: usize) -> &mut Self {
        let mut tmp = [b'0'; 20];
        let mut i = tmp.len();
        let mut m = n;
        while m > 0 {
            i -= 1;
            tmp[i] = b'0' + (m % 10) as u8;
            m /= 10;
        }
        let start = i.min(tmp.len() - width);
        self.extend_from_slice(&tmp[start..]);
        self
    }

    fn secs3(&mut self, ms: u64) -> &mut Self {
        self.n(ms / 1000).s(".").z(ms % 1000, 3)
    }
}

/// Escapes `s` as the body of a JSON string.
fn json_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

const SEC: i64 = 1_000_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy)]
struct Tm {
    y: u64,
    mo: u64,
    d: u64,
    h: u64,
    mi: u64,
    s: u64,
    us: u64,
}

fn civil_from_days(z: i64) -> (i64, u64, u64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u64, d: u64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn tm(us: i64) -> Tm {
    let secs = us.div_euclid(SEC);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u64;
    let (y, mo, d) = civil_from_days(days);
    Tm {
        y: y as u64,
        mo,
        d,
        h: sod / 3600,
        mi: sod / 60 % 60,
        s: sod % 60,
        us: us.rem_euclid(SEC) as u64,
    }
}

fn ymd(v: &mut Vec<u8>, t: &Tm, sep: &str) {
    v.z(t.y, 4).s(sep).z(t.mo, 2).s(sep).z(t.d, 2);
}

fn hms(v: &mut Vec<u8>, t: &Tm) {
    v.z(t.h, 2).s(":").z(t.mi, 2).s(":").z(t.s, 2);
}

/// `2019-05-14 06:59:14,602` (Python logging, cfn-*).
fn ts_py(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s(" ");
    hms(v, &t);
    v.s(",").z(t.us / 1000, 3);
}

/// `2019-05-14T06:58:41.207Z` (Ruby logger, eb-cfn-init script messages, node apps).
fn ts_iso_ms(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s("T");
    hms(v, &t);
    v.s(".").z(t.us / 1000, 3).s("Z");
}

/// `2022/06/14 09:12:03.418207` (eb-engine.log).
fn ts_engine(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "/");
    v.s(" ");
    hms(v, &t);
    v.s(".").z(t.us, 6);
}

/// `2022/09/14 17:50:58` (nginx error.log).
fn ts_nginx_err(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "/");
    v.s(" ");
    hms(v, &t);
}

/// `14/Sep/2022:18:00:03 +0000` (nginx access.log).
fn ts_access(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    v.z(t.d, 2)
        .s("/")
        .s(MONTHS[t.mo as usize - 1])
        .s("/")
        .z(t.y, 4)
        .s(":");
    hms(v, &t);
    v.s(" +0000");
}

/// `Sep 14 17:51:06` / `Sep  4 17:51:06` (syslog, web.stdout.log).
fn ts_syslog(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    v.s(MONTHS[t.mo as usize - 1]).s(" ");
    if t.d < 10 {
        v.s(" ");
    }
    v.n(t.d).s(" ");
    hms(v, &t);
}

/// `1663178403.207` (healthd application.log, nginx `$msec`).
fn ts_msec(v: &mut Vec<u8>, us: i64) {
    v.n((us / SEC) as u64).s(".").z((us % SEC / 1000) as u64, 3);
}

/// `2022-09-14T17:51:01.318204` (Ruby default Logger::Formatter, healthd daemon.log).
fn ts_ruby6(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s("T");
    hms(v, &t);
    v.s(".").z(t.us, 6);
}

/// `2022-09-14 18:00:41` (gunicorn / Spring Boot).
fn ts_plain(v: &mut Vec<u8>, us: i64) {
    let t = tm(us);
    ymd(v, &t, "-");
    v.s(" ");
    hms(v, &t);
}

fn ms_of(us: i64) -> u64 {
    (us / 1000) as u64
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
            dir: out.join(&env.id).join(&id).join("var/log"),
            ip,
            id,
        }
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
            token: format!("FQoGZXIvYXdzEBLOGFAKE{}=", rng.chars(330, B64)),
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

// ---------------------------------------------------------------------------------------
// Legacy instances: cfn-hup.log, eb-commandprocessor.log, eb-activity.log
// ---------------------------------------------------------------------------------------

/// Share of a legacy instance's bytes that cfn-hup.log should hold.
const CFN_HUP_SHARE: f64 = 0.38;

fn amzn<'v>(v: &'v mut Vec<u8>, t: i64, level: &str) -> &'v mut Vec<u8> {
    ts_py(v, t);
    v.s(" [").s(level).s("] ")
}

fn pid_field(v: &mut Vec<u8>, pid: u64) {
    let start = v.len();
    v.s("[").n(pid).s("]");
    while v.len() - start < 7 {
        v.push(b' ');
    }
}

/// `[ts] LEVEL [pid]  : ` — `level` is already padded to five characters.
fn ruby<'v>(v: &'v mut Vec<u8>, t: i64, level: &str, pid: u64) -> &'v mut Vec<u8> {
    v.s("[");
    ts_iso_ms(v, t);
    v.s("] ").s(level).s(" ");
    pid_field(v, pid);
    v.s(" : ")
}

/// `[ts] INFO  [pid]  - [path] : `
fn act_hdr<'v>(v: &'v mut Vec<u8>, t: i64, pid: u64, path: &str) -> &'v mut Vec<u8> {
    v.s("[");
    ts_iso_ms(v, t);
    v.s("] INFO  ");
    pid_field(v, pid);
    v.s(" - [").s(path).s("] : ")
}

struct CommandIds {
    event_handle: String,
    invocation: String,
    request: String,
    receipt: String,
    expiration: u64,
}

/// A hook run by a legacy action, with what it printed.
struct Hook {
    name: String,
    dir: &'static str,
    lines: Vec<String>,
}

struct Legacy<'a> {
    env: &'a Env,
    inst: &'a Inst,
    rng: Rng,
    t: i64,
    cfn: LogFile,
    cp: LogFile,
    act: LogFile,
    stats: Stats,
    creds: Creds,
    next_cfn_alive: i64,
    next_cmd_alive: i64,
    next_refresh: i64,
    deploy_id: u64,
    serial: u64,
    pid: u64,
}

impl<'a> Legacy<'a> {
    fn new(env: &'a Env, inst: &'a Inst) -> Self {
        let mut rng = Rng::new(inst.seed);
        let dir = &inst.dir;
        let mut cfn = LogFile::new("cfn-hup.log", dir.join("cfn-hup.log"));
        if rng.chance(0.6) {
            let at = (inst.budget as f64 * CFN_HUP_SHARE * rng.range(25, 45) as f64 / 100.0) as u64;
            cfn = cfn.rotating(dir.join("cfn-hup.log.1.gz"), at);
        }
        Legacy {
            creds: Creds::new(&mut rng),
            t: inst.start,
            next_cfn_alive: inst.start + 15 * MIN,
            next_cmd_alive: inst.start + 5 * MIN,
            next_refresh: inst.start + HOUR,
            deploy_id: rng.range(1, 40),
            serial: rng.range(1, 60),
            pid: rng.range(2000, 3000),
            cp: LogFile::new(
                "eb-commandprocessor.log",
                dir.join("eb-commandprocessor.log"),
            ),
            act: LogFile::new("eb-activity.log", dir.join("eb-activity.log")),
            stats: Stats::default(),
            cfn,
            rng,
            env,
            inst,
        }
    }

    fn total(&self) -> u64 {
        self.cfn.len() + self.cp.len() + self.act.len()
    }

    fn tick(&mut self, lo_ms: u64, hi_ms: u64) {
        self.t += self.rng.range(lo_ms * 1000, hi_ms * 1000) as i64;
    }

    fn run(mut self) -> io::Result<Stats> {
        self.boot();
        while self.total() < self.inst.budget {
            let share = self.cfn.len() as f64 / self.total().max(1) as f64;
            if share < CFN_HUP_SHARE {
                let polls = self.rng.range(3, 60);
                self.idle(polls);
            } else {
                self.command();
            }
            self.cfn.boundary(&mut self.stats)?;
            self.cp.boundary(&mut self.stats)?;
            self.act.boundary(&mut self.stats)?;
        }
        let mut stats = std::mem::take(&mut self.stats);
        self.cfn.finish(&mut stats)?;
        self.cp.finish(&mut stats)?;
        self.act.finish(&mut stats)?;
        Ok(stats)
    }

    // --- cfn-hup ---------------------------------------------------------------------

    fn boot(&mut self) {
        let (env, inst) = (self.env, self.inst);
        self.preinit();
        self.tick(5000, 20000);
        let v = &mut self.cfn.buf;
        let t = self.t;
        amzn(v, t, "INFO")
            .s("No umask value specified in config file. Using the default one: 022\n");
        let cf = format!("https://cloudformation.{}.amazonaws.com", env.region);
        let sqs = format!("https://sqs.{}.amazonaws.com", env.region);
        amzn(v, t + 311_000, "DEBUG")
            .s("CloudFormation client initialized with endpoint ")
            .s(&cf)
            .nl();
        amzn(v, t + 312_000, "DEBUG").s("Creating /var/lib/cfn-hup/data\n");
        amzn(v, t + 313_000, "DEBUG")
            .s("SQS client initialized with endpoint ")
            .s(&sqs)
            .nl();
        amzn(v, t + 313_000, "DEBUG")
            .s("CloudFormation client initialized with endpoint ")
            .s(&cf)
            .nl();
        amzn(v, t + 329_000, "DEBUG")
            .s("Describing resource AWSEBAutoScalingGroup in stack ")
            .s(&env.stack_name)
            .nl();
        amzn(v, t + 646_000, "DEBUG").s("No change in path Resources.AWSEBAutoScalingGroup.Metadata for hook app-config-refresh\n");
        amzn(v, t + 648_000, "DEBUG")
            .s("Registering listener ")
            .s(&inst.id)
            .s(" for stack ")
            .s(&env.stack_name)
            .nl();
        self.t += 1_000_000;
        self.refresh_credentials();
        self.next_refresh = self.t + HOUR - 500_000;
        self.next_cfn_alive = self.t + 15 * MIN;
        self.next_cmd_alive = self.t + 5 * MIN;
    }

    fn refresh_credentials(&mut self) {
        let (env, inst) = (self.env, self.inst);
        self.creds = Creds::new(&mut self.rng);
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "INFO").s("Refreshing listener credentials\n");
        amzn(v, t, "DEBUG")
            .s("Get listener credentials for listener ")
            .s(&inst.id)
            .s(" in stack ")
            .s(&env.stack_name)
            .nl();
        if self.rng.chance(0.02) {
            // The instance identity document fails now and then: raw HTML, then the traceback.
            amzn(v, t + 6_000, "ERROR")
                .s(HTTP_500_BODY)
                .s(HTTP_500_TRACEBACK);
            amzn(v, t + 7_000, "DEBUG")
                .s("Sleeping for 0.")
                .n(self.rng.range(100_000, 999_999))
                .s(" seconds before retrying\n");
        }
        let dt = self.rng.range(200, 500) as i64 * 1000;
        amzn(v, t + dt, "INFO")
            .s("Scheduling next credential refresh in 3599.4")
            .n(self.rng.range(9_000_000, 9_999_999))
            .s(" seconds\n");
        self.t += dt;
    }

    /// Long polls of the command queue, with the periodic chatter in between.
    fn idle(&mut self, polls: u64) {
        let inst = self.inst;
        let queue = &inst.listener_queue;
        for _ in 0..polls {
            let t = self.t;
            let v = &mut self.cfn.buf;
            amzn(v, t, "DEBUG")
                .s("Receiving messages for queue ")
                .s(queue)
                .nl();
            self.t += 20 * SEC + self.rng.range(2_000, 400_000) as i64;
            if self.rng.chance(0.004) {
                self.connection_error();
            }
            if self.t >= self.next_cmd_alive {
                let t = self.t;
                amzn(&mut self.cfn.buf, t, "INFO").s("command processing is alive.\n");
                self.next_cmd_alive += 5 * MIN + self.rng.range(0, 30_000_000) as i64;
                self.t += 1000;
            }
            if self.t >= self.next_cfn_alive {
                self.metadata_check();
                self.next_cfn_alive += 15 * MIN;
            }
            if self.t >= self.next_refresh {
                self.refresh_credentials();
                self.next_refresh += HOUR;
            }
        }
    }

    fn connection_error(&mut self) {
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "ERROR")
            .s("ConnectionError\n")
            .s(CONNECTION_RESET_TRACEBACK);
        let delay = self.rng.range(100_000, 2_999_999);
        amzn(v, t + 500_000, "DEBUG")
            .s("Sleeping for ")
            .n(delay / 1_000_000)
            .s(".")
            .z(delay % 1_000_000, 6)
            .s(" seconds before retrying\n");
        self.t += 500_000 + delay as i64;
    }

    fn metadata_check(&mut self) {
        let env = self.env;
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "INFO").s("cfn-hup processing is alive.\n");
        amzn(v, t + 1000, "DEBUG")
            .s("Describing resource AWSEBAutoScalingGroup in stack ")
            .s(&env.stack_name)
            .nl();
        self.t += 250_000 + self.rng.range(0, 100_000) as i64;
        let t = self.t;
        if self.rng.chance(0.08) {
            let v = &mut self.cfn.buf;
            amzn(v, t, "INFO").s(
                "Data has changed from previous state; action for app-config-refresh will be run\n",
            );
            amzn(v, t, "INFO").s("Running action for app-config-refresh\n");
            let t2 = t + self.rng.range(1_000_000, 4_000_000) as i64;
            amzn(v, t2, "DEBUG")
                .s("Action for app-config-refresh output: fetching s3://")
                .s(self.env.app)
                .s("-config/prod/app.env\nwrote /etc/")
                .s(self.env.app)
                .s("/app.env (")
                .n(self.rng.range(8, 40))
                .s(" keys)\nnginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\nReloading nginx: [  OK  ]\n\n");
            self.t = t2;
        } else {
            amzn(&mut self.cfn.buf, t, "DEBUG").s("No change in path Resources.AWSEBAutoScalingGroup.Metadata for hook app-config-refresh\n");
        }
    }

    fn new_ids(&mut self) -> CommandIds {
        CommandIds {
            event_handle: self.rng.uuid(),
            invocation: self.rng.uuid(),
            request: self.rng.uuid(),
            receipt: format!("AQEB{}==", self.rng.chars(300, B64)),
            expiration: ms_of(self.t) + self.rng.range(600_000, 1_800_000),
        }
    }

    /// The command JSON (`Data`), plain.
    fn data_json(ids: &CommandIds, command: &str, target: &str) -> String {
        let tail = if command == "CMD-TailLogs" {
            format!(r#""data":"{}""#, ids.request)
        } else {
            r#""execution_data":"{\"leader_election\":\"true\"}""#.to_string()
        };
        format!(
            r#"{{"api_version":"1.0","request_id":"{}","command_name":"{command}","resource_name":"AWSEBAutoScalingGroup","instance_ids":["{target}"],{tail}}}"#,
            ids.request
        )
    }

    /// cfn-hup's side of a command's start: the message, the dicts, the action start.
    fn cfn_receive(&mut self, ids: &CommandIds, data: &str) {
        let (env, inst) = (self.env, self.inst);
        let data_py = data.replace('\\', "\\\\");
        let msg = format!(
            "{{u'EventHandle': u'{}', u'DispatcherId': u'{}', u'CommandName': u'ElasticBeanstalkCommand-AWSEBAutoScalingGroup', u'Expiration': {}, u'ResultQueue': u'{}', u'Data': u'{}', u'InvocationId': u'{}'}}",
            ids.event_handle, env.stack_arn, ids.expiration, env.result_queue, data_py, ids.invocation
        );
        let t = self.t;
        let v = &mut self.cfn.buf;
        amzn(v, t, "DEBUG")
            .s("Receiving messages for queue ")
            .s(&inst.listener_queue)
            .nl();
        self.t += self.rng.range(1_000_000, 19_000_000) as i64;
        let t = self.t;
        amzn(v, t, "DEBUG").s("Processing message: ").s(&msg).nl();
        amzn(v, t, "DEBUG").s("Command message: ").s(&msg).nl();
        amzn(v, t, "INFO")
            .s("Received command ElasticBeanstalkCommand-AWSEBAutoScalingGroup (invocation id: ")
            .s(&ids.invocation)
            .s(")\n");
        let t = t + 8000;
        amzn(v, t, "INFO").s("Running action for aws-eb-command-handler\n");
        let c = &self.creds;
        amzn(v, t, "DEBUG").s("Action environment: {'UPSTART_EVENTS': 'runlevel', 'PATH': '/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin', 'RESULT_QUEUE': u'")
            .s(&env.result_queue).s("', 'DISPATCHER_ID': u'").s(&env.stack_arn)
            .s("', 'LANG': 'en_US.UTF-8', 'TERM': 'linux', 'SHLVL': '1', 'LISTENER_ID': u'").s(&inst.id)
            .s("', 'PREVLEVEL': 'N', 'UPSTART_INSTANCE': '', 'INVOCATION_ID': u'").s(&ids.invocation)
            .s("', 'RESULT_ACCESS_KEY': u'").s(&c.akid)
            .s("', 'RESULT_SECRET_KEY': u'").s(&c.secret)
            .s("', 'RESULT_SESSION_TOKEN': u'").s(&c.token)
            .s("', 'CMD_DATA': u'").s(&data_py)
            .s("', 'UPSTART_JOB': 'cfn-hup', '_': '/opt/aws/bin/cfn-hup', 'STACK_NAME': '").s(&env.stack_name)
            .s("', 'PWD': '/', 'RUNLEVEL': '3', 'CMD_NAME': u'ElasticBeanstalkCommand-AWSEBAutoScalingGroup', 'EVENT_HANDLE': u'").s(&ids.event_handle)
            .s("'}\n");
        self.t = t + 400_000;
    }

    /// cfn-hup's side of a command's end. `output` is what the command processor printed
    /// (`None` when it died), `exit` its exit status.
    fn cfn_finish(
        &mut self,
        ids: &CommandIds,
        output: Option<&str>,
        exit: u32,
        message: Option<&str>,
    ) {
        let (env, inst) = (self.env, self.inst);
        self.tick(50, 400);
        let t = self.t;
        let v = &mut self.cfn.buf;
        match output {
            Some(out) => amzn(v, t, "DEBUG")
                .s("Action for aws-eb-command-handler output: ")
                .s(out)
                .nl(),
            None => amzn(v, t, "DEBUG").s("Action for aws-eb-command-handler output: <None>\n"),
        };
        let status = if exit == 0 {
            amzn(v, t, "INFO")
                .s("Action for aws-eb-command-handler succeeded, returning SUCCESS\n");
            "SUCCESS"
        } else {
            amzn(v, t, "WARNING")
                .s("Action for aws-eb-command-handler exited with ")
                .n(exit.into())
                .s(", returning FAILURE\n");
            "FAILURE"
        };
        let mut body = String::with_capacity(256);
        match (output, message) {
            (Some(out), _) => {
                body.push_str(r#", "Data": ""#);
                json_escape(&mut body, out);
            }
            (None, Some(msg)) => {
                body.push_str(r#", "Message": ""#);
                json_escape(&mut body, msg);
            }
            (None, None) => body.push_str(r#", "Message": ""#),
        }
        amzn(v, t + 1000, "DEBUG").s("Sending {\"Status\": \"").s(status).s("\", \"DispatcherId\": \"").s(&env.stack_arn)
            .s("\", \"ListenerId\": \"").s(&inst.id)
            .s("\", \"CommandName\": \"ElasticBeanstalkCommand-AWSEBAutoScalingGroup\", \"InvocationId\": \"").s(&ids.invocation)
            .s("\"").s(&body).s("\"} to queue ").s(&env.result_queue).nl();
        let t = t + self.rng.range(100_000, 250_000) as i64;
        amzn(v, t, "DEBUG")
            .s("Deleting ")
            .s(&ids.receipt)
            .s(" from queue ")
            .s(&inst.listener_queue)
            .nl();
        self.t = t + self.rng.range(900_000, 1_200_000) as i64;
        if self.rng.chance(0.04) {
            // The message comes back: SQS redelivery after the visibility timeout.
            let polls = self.rng.range(1, 12);
            self.idle(polls);
            let t = self.t;
            let v = &mut self.cfn.buf;
            amzn(v, t, "INFO")
                .s("Already ran ")
                .s(&env.stack_arn)
                .s("|ElasticBeanstalkCommand-AWSEBAutoScalingGroup|")
                .s(&ids.invocation)
                .s(", deleting\n");
            let receipt = format!("AQEB{}==", self.rng.chars(300, B64));
            amzn(v, t + 1000, "DEBUG")
                .s("Deleting ")
                .s(&receipt)
                .s(" from queue ")
                .s(&inst.listener_queue)
                .nl();
            self.t += 1_000_000;
        }
    }

    // --- eb-commandprocessor.log / eb-activity.log -----------------------------------

    fn cp(&mut self, level: &str, msg: &str) {
        let t = self.t;
        ruby(&mut self.cp.buf, t, level, self.pid).s(msg).nl();
    }

    fn act_start(&mut self, path: &str) {
        let t = self.t;
        act_hdr(&mut self.act.buf, t, self.pid, path).s("Starting activity...\n");
    }

    fn act_done(&mut self, path: &str, result: &[String]) {
        let t = self.t;
        let v = act_hdr(&mut self.act.buf, t, self.pid, path);
        if result.is_empty() {
            v.s("Completed activity.\n");
        } else {
            v.s("Completed activity. Result:\n");
            for line in result {
                v.s("  ").s(line).nl();
            }
        }
    }

    fn act_failed(&mut self, path: &str) {
        let t = self.t;
        act_hdr(&mut self.act.buf, t, self.pid, path).s("Activity failed.\n");
    }

    /// The command processor's start: checks, the command, metadata and manifest chatter.
    fn cp_preamble(&mut self, command: &str, payload: &str) {
        let inst = self.inst;
        self.cp(
            "DEBUG",
            "Reading config file: /etc/elasticbeanstalk/.aws-eb-stack.properties",
        );
        self.tick(1, 2);
        self.cp(
            "DEBUG",
            "Checking if the command processor should execute...",
        );
        self.tick(1, 4);
        self.cp(
            "DEBUG",
            &format!(
                "Checking whether the command is applicable to instance ({})..",
                inst.id
            ),
        );
        self.cp(
            "INFO ",
            &format!("Command is applicable to this instance ({})..", inst.id),
        );
        self.cp("DEBUG", "Checking if the received command stage is valid..");
        self.cp("INFO ", "No stage_num in command. Valid stage..");
        self.tick(0, 1);
        self.cp("INFO ", &format!("Received command {command}: {payload}"));
        self.cp("INFO ", "Command processor should execute command.");
        self.cp("DEBUG", "Storing current stage..");
        self.cp(
            "DEBUG",
            "Stage_num does not exist. Not saving null stage. Returning..",
        );
        self.tick(0, 1);
        self.cp(
            "DEBUG",
            "Reading config file: /etc/elasticbeanstalk/.aws-eb-stack.properties",
        );
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_ContainerConfigFileContent||commands..");
        self.tick(1, 3);
        self.addons();
        self.cp("DEBUG", "Refreshing metadata...");
        self.tick(600, 2400);
    }

    fn addons(&mut self) {
        self.cp(
            "DEBUG",
            "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_API||_Commands..",
        );
        self.cp(
            "INFO ",
            "Found enabled addons: [\"logpublish\", \"logstreaming\"].",
        );
        self.tick(2, 4);
        self.cp("INFO ", "Updating Command definition of addon logpublish.");
        self.cp(
            "INFO ",
            "Updating Command definition of addon logstreaming.",
        );
    }

    fn cp_metadata(&mut self, manifest: bool) {
        let env = self.env;
        self.cp("DEBUG", "Refreshed environment metadata.");
        self.cp(
            "INFO ",
            "Recreated directory /opt/elasticbeanstalk/deploy/configuration/.",
        );
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_AppSourceUrlFileContent||url..");
        self.tick(0, 1);
        self.cp("INFO ", "Created appsource url file at /opt/elasticbeanstalk/deploy/configuration/appsourceurl.");
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_ContainerConfigFileContent..");
        self.tick(2, 5);
        self.cp("INFO ", "Created container config file at /opt/elasticbeanstalk/deploy/configuration/containerconfiguration.");
        self.cp("DEBUG", "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||_ContainerConfigFileContent||commands..");
        self.tick(1, 3);
        self.addons();
        if manifest {
            self.cp(
                "DEBUG",
                "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||ManifestFileS3Key..",
            );
            self.tick(1, 3);
            let key = format!(
                "resources/environments/{}/_runtime/versions/manifest_{}",
                env.id,
                ms_of(self.t) - self.rng.range(20_000, 90_000)
            );
            self.cp(
                "INFO ",
                &format!(
                    "Loading manifest from bucket '{}' using specified S3 key '{key}'.",
                    env.bucket
                ),
            );
            self.tick(250, 500);
            self.cp(
                "INFO ",
                &format!(
                    "Updated manifest cache: deployment ID {} and serial {}.",
                    self.deploy_id, self.serial
                ),
            );
        }
    }

    fn next_pid(&mut self) {
        self.pid = (self.pid + self.rng.range(50, 4000)) % 32_000 + 300;
    }

    /// CMD-PreInit at first boot (run by ebbootstrap, not via cfn-hup).
    fn preinit(&mut self) {
        let env = self.env;
        self.cp_preamble(
            "CMD-PreInit",
            r#"{"api_version":"1.0","request_id":"0","command_name":"CMD-PreInit"}"#,
        );
        self.cp_metadata(false);
        self.cp(
            "DEBUG",
            "Retrieving metadata for key: AWS::ElasticBeanstalk::Ext||ManifestFileS3Key..",
        );
        self.tick(300, 500);
        let prefix = format!(
            "resources/environments/{}/_runtime/versions/manifest_",
            env.id
        );
        self.cp(
            "INFO ",
            &format!(
                "Finding latest manifest from bucket '{}' with prefix '{prefix}'.",
                env.bucket
            ),
        );
        self.tick(300, 400);
        self.cp(
            "INFO ",
            &format!(
                "Found manifest with key '{prefix}{}'.",
                ms_of(self.t) - 3_000_000_000
            ),
        );
        self.tick(30, 40);
        self.cp(
            "INFO ",
            &format!(
                "Updated manifest cache: deployment ID {} and serial {}.",
                self.deploy_id, self.serial
            ),
        );
        self.cp("DEBUG", "Loaded definition of Command CMD-PreInit.");
        self.cp("INFO ", "Executing Initialization");
        self.act_start("Initialization");
        self.cp("INFO ", "Executing command: CMD-PreInit...");
        self.cp("INFO ", "Executing command CMD-PreInit activities...");
        self.cp("DEBUG", "Setting environment variables..");
        self.cp("INFO ", "Running AddonsBefore for command CMD-PreInit...");
        self.act_start("Initialization/AddonsBefore");
        self.act_done("Initialization/AddonsBefore", &[]);
        self.cp(
            "DEBUG",
            "Running stages of Command CMD-PreInit from stage 0 to stage 0...",
        );
        self.cp("INFO ", "Running stage 0 of command CMD-PreInit...");
        self.act_start("Initialization/PreInitStage0");
        self.cp("DEBUG", "Loaded 2 actions for stage 0.");
        self.cp("INFO ", "Running 1 of 2 actions: DownloadSourceBundle...");
        let label = version_label(&mut self.rng, self.t - DAY);
        self.download_bundle("Initialization/PreInitStage0/DownloadSourceBundle", &label);
        self.cp("INFO ", "Running 2 of 2 actions: PreInitHook...");
        let hooks = vec![
            Hook {
                name: "10setup_user.sh".into(),
                dir: "preinit",
                lines: vec![
                    "+ id -u webapp".into(),
                    "+ useradd --system --shell /sbin/nologin --home-dir /var/app webapp".into(),
                    "+ install -d -o webapp -g webapp -m 0755 /var/log/app /var/run/app".into(),
                ],
            },
            Hook {
                name: "20nginx_conf.sh".into(),
                dir: "preinit",
                lines: vec![
                    "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok".into(),
                    "nginx: configuration file /etc/nginx/nginx.conf test is successful".into(),
                ],
            },
        ];
        self.run_hooks("Initialization/PreInitStage0/PreInitHook", &hooks, None);
        self.act_done(
            "Initialization/PreInitStage0",
            &["Initialization - Command CMD-PreInit stage 0 completed".into()],
        );
        self.cp("INFO ", "Running AddonsAfter for command CMD-PreInit...");
        self.act_start("Initialization/AddonsAfter");
        self.tick(0, 2);
        self.act_done("Initialization/AddonsAfter", &[]);
        self.cp("INFO ", "Command CMD-PreInit succeeded!");
        self.act_done(
            "Initialization",
            &["Initialization - Command CMD-PreInit succeeded".into()],
        );
        self.tick(0, 2);
        self.cp("INFO ", "Command processor returning results: ");
        self.cp.buf.s(&result_json(None, false)).nl();
    }

    fn download_bundle(&mut self, path: &str, label: &str) {
        let env = self.env;
        self.act_start(path);
        let child = self.pid + self.rng.range(5, 30);
        let mut lines = Vec::with_capacity(6);
        let mut line = |rng: &mut Rng, t: &mut i64, text: String| {
            let mut v = Vec::with_capacity(160);
            v.s("[");
            ts_iso_ms(&mut v, *t);
            v.s("] INFO  ");
            pid_field(&mut v, child);
            v.s(" : ").s(&text);
            lines.push(String::from_utf8(v).expect("ascii"));
            *t += rng.range(1000, 220_000) as i64;
        };
        let mut t = self.t + self.rng.range(300_000, 450_000) as i64;
        let rng = &mut self.rng;
        line(
            rng,
            &mut t,
            "Application version will be saved to /opt/elasticbeanstalk/deploy/appsource.".into(),
        );
        line(
            rng,
            &mut t,
            format!(
                "Using manifest cache with deployment ID {} and serial {}.",
                self.deploy_id, self.serial
            ),
        );
        line(rng, &mut t, "Attempting to download application source bundle to: '/opt/elasticbeanstalk/deploy/appsource/source_bundle'.".into());
        line(rng, &mut t, format!(
            "Downloading from bucket '{}' with key '{}/{label}.zip' and version '' to '/opt/elasticbeanstalk/deploy/appsource/source_bundle'.",
            env.bucket, env.app
        ));
        let size = rng.range(1_000_000, 9_000_000);
        let etag = rng.hex(32);
        line(
            rng,
            &mut t,
            format!("Size: {size}, ETag: \"{etag}\", Metadata: {{}}."),
        );
        line(
            rng,
            &mut t,
            "Successfully downloaded to '/opt/elasticbeanstalk/deploy/appsource/source_bundle'."
                .into(),
        );
        self.t = t + 4000;
        self.act_done(path, &lines);
    }

    /// Runs hooks of one directory; `fail` is the index of a hook that fails.
    /// Returns the failing hook's path and output.
    fn run_hooks(
        &mut self,
        path: &str,
        hooks: &[Hook],
        fail: Option<usize>,
    ) -> Option<(String, Vec<String>)> {
        self.act_start(path);
        for (i, hook) in hooks.iter().enumerate() {
            let p = format!("{path}/{}", hook.name);
            self.act_start(&p);
            self.tick(20, 3000);
            if fail == Some(i) {
                let t = self.t;
                let v = act_hdr(&mut self.act.buf, t, self.pid, &p);
                v.s("Activity execution failed, because: ");
                chain_link(v, &hook.lines, "ElasticBeanstalk::ExternalInvocationError");
                v.s("caused by: ");
                chain_link(v, &hook.lines, "Executor::NonZeroExitStatus");
                v.s("\n\n");
                self.act_failed(&p);
                self.act_failed(path);
                let hook_path = format!("/opt/elasticbeanstalk/hooks/{}/{}", hook.dir, hook.name);
                return Some((hook_path, hook.lines.clone()));
            }
            self.act_done(&p, &hook.lines);
        }
        let dir = hooks.first().map_or("appdeploy/pre", |h| h.dir);
        self.act_done(
            path,
            &[format!(
                "Successfully execute hooks in directory /opt/elasticbeanstalk/hooks/{dir}."
            )],
        );
        None
    }

    fn command(&mut self) {
        let roll = self.rng.below(100);
        self.idle(1);
        match roll {
            0..=69 => self.app_deploy(),
            70..=89 => self.tail_logs(),
            90..=96 => self.not_applicable(),
            _ => self.enomem(),
        }
    }

    fn pre_hooks(&mut self, fail: bool) -> (Vec<Hook>, Option<usize>) {
        let env = self.env;
        let rng = &mut self.rng;
        let files: Vec<String> = (0..rng.range(3, 18))
            .map(|_| {
                format!(
                    "    inflating: /tmp/deployment/application/{}  ",
                    rng.pick(&[
                        "package.json",
                        "server.js",
                        "app.py",
                        "requirements.txt",
                        "src/index.js",
                        "src/routes/orders.js",
                        "src/db.js",
                        "templates/base.html",
                        "static/app.css",
                        ".ebextensions/10-upload-dir.config",
                        "Procfile",
                        "config/settings.py",
                    ])
                )
            })
            .collect();
        let unzip = |name: &str| {
            let mut lines = vec![
                "+ unzip -o -d /tmp/deployment/application /opt/elasticbeanstalk/deploy/appsource/source_bundle".to_string(),
                "Archive:  /opt/elasticbeanstalk/deploy/appsource/source_bundle".to_string(),
            ];
            lines.extend(files.iter().cloned());
            Hook {
                name: name.into(),
                dir: "appdeploy/pre",
                lines,
            }
        };
        match env.runtime {
            Runtime::Node | Runtime::Java => {
                let pkg = *rng.pick(&[
                    "@northwind/ledger-core",
                    "express-session",
                    "pg",
                    "aws-sdk",
                    "lodash",
                ]);
                let install: Vec<String> = if fail {
                    let t = tm(self.t);
                    vec![
                        "+ /opt/elasticbeanstalk/containerfiles/ebnode.py --action npm-install".into(),
                        "Running npm install:  /opt/elasticbeanstalk/node-install/node-v10.15.3-linux-x64/bin/npm".into(),
                        "Running npm with --production flag".into(),
                        "npm ERR! code ETARGET".into(),
                        format!("npm ERR! notarget No matching version found for {pkg}@^{}.{}.0", rng.range(2, 9), rng.range(0, 9)),
                        String::new(),
                        "npm ERR! A complete log of this run can be found in:".into(),
                        format!("npm ERR!     /root/.npm/_logs/{}-{:02}-{:02}T{:02}_{:02}_{:02}_{}Z-debug.log", t.y, t.mo, t.d, t.h, t.mi, t.s, rng.range(100, 999)),
                        "Failed to run npm install. Snapshot logs for more details.".into(),
                        format!("UTC {}/{:02}/{:02} {:02}:{:02}:{:02} cannot find application npm debug log at /tmp/deployment/application/npm-debug.log", t.y, t.mo, t.d, t.h, t.mi, t.s),
                    ]
                } else {
                    let mut l = vec![
                        "+ /opt/elasticbeanstalk/containerfiles/ebnode.py --action npm-install".to_string(),
                        "Running npm install:  /opt/elasticbeanstalk/node-install/node-v10.15.3-linux-x64/bin/npm".into(),
                        "Running npm with --production flag".into(),
                        String::new(),
                    ];
                    for m in ["bcrypt@3.0.6", "sharp@0.23.4", "node-sass@4.13.1"]
                        .iter()
                        .take(rng.range(0, 3) as usize)
                    {
                        let name = m.split('@').next().unwrap_or(m);
                        l.push(format!(
                            "> {m} install /tmp/deployment/application/node_modules/{name}"
                        ));
                        l.push("> node-pre-gyp install --fallback-to-build".into());
                        l.push(String::new());
                        l.push(format!("[{name}] Success: \"/tmp/deployment/application/node_modules/{name}/lib/binding/{name}.node\" is installed via remote"));
                    }
                    l.push(format!(
                        "added {} packages from {} contributors and audited {} packages in {}.{}s",
                        rng.range(50, 900),
                        rng.range(40, 600),
                        rng.range(900, 3000),
                        rng.range(4, 60),
                        rng.range(100, 999)
                    ));
                    l.push(format!("found {} vulnerabilities", rng.range(0, 3)));
                    l.push(String::new());
                    l
                };
                let hooks = vec![
                    Hook {
                        name: "00clean_dir.sh".into(),
                        dir: "appdeploy/pre",
                        lines: vec![
                            "+ '[' -d /tmp/deployment/application ']'".into(),
                            "+ rm -rf /tmp/deployment/application".into(),
                            "+ mkdir -p /tmp/deployment/application".into(),
                        ],
                    },
                    unzip("01unzip.sh"),
                    Hook {
                        name: "40install_node.sh".into(),
                        dir: "appdeploy/pre",
                        lines: vec![
                            "+ /opt/elasticbeanstalk/containerfiles/ebnode.py --action node-install".into(),
                            "Node.js 10.15.3 is already installed in /opt/elasticbeanstalk/node-install/node-v10.15.3-linux-x64".into(),
                        ],
                    },
                    Hook { name: "50npm.sh".into(), dir: "appdeploy/pre", lines: install },
                ];
                (hooks, fail.then_some(3))
            }
            Runtime::Python => {
                let pkgs = [
                    "Django", "psycopg2", "celery", "requests", "boto3", "gunicorn", "redis",
                    "Pillow",
                ];
                let install: Vec<String> = if fail {
                    let p = *rng.pick(&pkgs);
                    let bad = format!(
                        "{p}=={}.{}.{}",
                        rng.range(1, 9),
                        rng.range(0, 30),
                        rng.range(50, 99)
                    );
                    vec![
                        "+ /opt/python/run/venv/bin/pip install -r /opt/python/ondeck/app/requirements.txt".into(),
                        format!("Collecting {bad} (from -r /opt/python/ondeck/app/requirements.txt (line {}))", rng.range(1, 30)),
                        format!("  Could not find a version that satisfies the requirement {bad} (from -r /opt/python/ondeck/app/requirements.txt (line 4)) (from versions: 1.0, 1.1, 2.0)"),
                        format!("No matching distribution found for {bad} (from -r /opt/python/ondeck/app/requirements.txt (line 4))"),
                        "You are using pip version 9.0.1, however version 19.1.1 is available.".into(),
                        "You should consider upgrading via the 'pip install --upgrade pip' command.".into(),
                        "2019-05-14 18:35:31,120 ERROR    Error installing dependencies: Command '/opt/python/run/venv/bin/pip install -r /opt/python/ondeck/app/requirements.txt' returned non-zero exit status 1".into(),
                        "Traceback (most recent call last):".into(),
                        "  File \"/opt/elasticbeanstalk/hooks/appdeploy/pre/03deploy.py\", line 22, in main".into(),
                        "    install_dependencies()".into(),
                        "  File \"/opt/elasticbeanstalk/hooks/appdeploy/pre/03deploy.py\", line 18, in install_dependencies".into(),
                        "    check_call('%s install -r %s' % (os.path.join(APP_VIRTUAL_ENV, 'bin', 'pip'), requirements_file), shell=True)".into(),
                        "  File \"/usr/lib64/python2.7/subprocess.py\", line 186, in check_call".into(),
                        "    raise CalledProcessError(retcode, cmd)".into(),
                        "CalledProcessError: Command '/opt/python/run/venv/bin/pip install -r /opt/python/ondeck/app/requirements.txt' returned non-zero exit status 1".into(),
                    ]
                } else {
                    let mut l = Vec::new();
                    let n = rng.range(2, 8) as usize;
                    for p in pkgs.iter().take(n) {
                        let ver = format!(
                            "{}.{}.{}",
                            rng.range(1, 5),
                            rng.range(0, 30),
                            rng.range(0, 9)
                        );
                        l.push(format!("Collecting {p}=={ver} (from -r /opt/python/ondeck/app/requirements.txt (line {}))", rng.range(1, 30)));
                        l.push(format!("  Downloading https://files.pythonhosted.org/packages/{}/{}/{}/{p}-{ver}-py2.py3-none-any.whl ({}kB)", rng.hex(2), rng.hex(2), rng.hex(60), rng.range(20, 9000)));
                    }
                    l.push(format!(
                        "Installing collected packages: {}",
                        pkgs[..n].join(", ")
                    ));
                    l.push(format!("Successfully installed {}", pkgs[..n].join(" ")));
                    l
                };
                let hooks = vec![
                    Hook {
                        name: "01new.py".into(),
                        dir: "appdeploy/pre",
                        lines: vec![],
                    },
                    unzip("02unzip.py"),
                    Hook {
                        name: "03deploy.py".into(),
                        dir: "appdeploy/pre",
                        lines: install,
                    },
                    Hook {
                        name: "04configen.py".into(),
                        dir: "appdeploy/pre",
                        lines: vec![],
                    },
                ];
                (hooks, fail.then_some(2))
            }
        }
    }

    fn app_deploy(&mut self) {
        let (env, inst) = (self.env, self.inst);
        let fail = self.rng.chance(0.22);
        let ids = self.new_ids();
        let data = Self::data_json(&ids, "CMD-AppDeploy", &inst.id);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        self.deploy_id += 1;
        self.serial += 1;
        let built = self.t - self.rng.range(20, 90) as i64 * SEC;
        let label = version_label(&mut self.rng, built);
        let payload = format!(
            r#"{{"api_version"=>"1.0", "request_id"=>"{}", "command_name"=>"CMD-AppDeploy", "resource_name"=>"AWSEBAutoScalingGroup", "instance_ids"=>["{}"], "execution_data"=>"{{\"leader_election\":\"true\"}}"}}"#,
            ids.request, inst.id
        );
        self.cp_preamble("CMD-AppDeploy", &payload);
        self.cp_metadata(true);
        self.cp("DEBUG", "Loaded definition of Command CMD-AppDeploy.");
        self.cp("INFO ", "Executing Application update");
        let top = format!("Application update {label}@{}", self.deploy_id);
        self.act_start(&top);
        self.cp("INFO ", "Executing command: CMD-AppDeploy...");
        self.cp("INFO ", "Executing command CMD-AppDeploy activities...");
        self.cp("DEBUG", "Setting environment variables..");
        self.cp("INFO ", "Running AddonsBefore for command CMD-AppDeploy...");
        let ab = format!("{top}/AddonsBefore");
        self.act_start(&ab);
        let cw = format!("{ab}/ConfigCWLAgent");
        self.act_start(&cw);
        self.act_start(&format!("{cw}/10-config.sh"));
        self.tick(200, 300);
        self.act_done(
            &format!("{cw}/10-config.sh"),
            &[
                "Found log streaming option: StreamLogs=false".into(),
                "Log streaming is not enabled for this environment, nothing to configure.".into(),
            ],
        );
        self.act_done(&cw, &["Successfully execute hooks in directory /opt/elasticbeanstalk/addons/logstreaming/hooks/config.".into()]);
        self.tick(1, 3);
        self.act_done(&ab, &[]);
        self.cp(
            "DEBUG",
            "Running stages of Command CMD-AppDeploy from stage 0 to stage 1...",
        );
        self.cp("INFO ", "Running stage 0 of command CMD-AppDeploy...");
        self.cp("INFO ", "Running leader election...");
        self.tick(400, 700);
        let leader = self.inst.index % 3 == 0 || self.rng.chance(0.3);
        self.cp(
            "INFO ",
            if leader {
                "Instance is Leader."
            } else {
                "Instance is not Leader."
            },
        );
        self.cp("DEBUG", "Loaded 6 actions for stage 0.");
        let s0 = format!("{top}/AppDeployStage0");
        self.act_start(&s0);
        self.cp("INFO ", "Running 1 of 6 actions: InfraWriteConfig...");
        self.act_start(&format!("{s0}/InfraWriteConfig"));
        self.tick(2, 6);
        self.act_done(&format!("{s0}/InfraWriteConfig"), &[]);
        self.cp("INFO ", "Running 2 of 6 actions: DownloadSourceBundle...");
        self.download_bundle(&format!("{s0}/DownloadSourceBundle"), &label);
        self.cp("INFO ", "Running 3 of 6 actions: EbExtensionPreBuild...");
        let pre = format!("{s0}/EbExtensionPreBuild");
        self.act_start(&pre);
        self.tick(500, 900);
        let infra = format!("{pre}/Infra-EmbeddedPreBuild");
        self.act_start(&infra);
        let cfg = format!("{infra}/prebuild_0_{}", env.app.replace('-', "_"));
        self.tick(3, 8);
        self.act_start(&cfg);
        self.tick(900, 2000);
        for cmd in ["Command 01_ensure_upload_dir", "Command 02_collect_static"]
            .iter()
            .take(self.rng.range(0, 2) as usize)
        {
            let p = format!("{cfg}/{cmd}");
            self.act_start(&p);
            self.tick(10, 400);
            self.act_done(&p, &[]);
        }
        self.act_done(&cfg, &[]);
        self.act_done(&infra, &[]);
        self.tick(500, 800);
        self.act_done(&pre, &[]);
        self.cp("INFO ", "Running 4 of 6 actions: AppDeployPreHook...");
        let (hooks, fail_at) = self.pre_hooks(fail);
        let failed = self.run_hooks(&format!("{s0}/AppDeployPreHook"), &hooks, fail_at);
        if let Some((hook_path, lines)) = failed {
            self.act_failed(&s0);
            self.tick(0, 2);
            self.act_done(
                &top,
                &["Application update - Command CMD-AppDeploy failed".into()],
            );
            let t = self.t;
            let pid = self.pid;
            let v = ruby(&mut self.cp.buf, t, "ERROR", pid);
            v.s("Command execution failed: Activity failed. (ElasticBeanstalk::ActivityFatalError)\ncaused by: ");
            chain_link(v, &lines, "ElasticBeanstalk::ExternalInvocationError");
            v.s("caused by: ");
            chain_link(v, &lines, "Executor::NonZeroExitStatus");
            v.s("\n\n");
            self.cp("ERROR", "Command CMD-AppDeploy failed!");
            self.tick(2, 6);
            let text = lines.join("\n");
            let tail_at = text.len().saturating_sub(self.rng.range(220, 420) as usize);
            let msg = format!(
                "(TRUNCATED)...{}. \nHook {hook_path} failed. For more detail, check /var/log/eb-activity.log using console or EB CLI",
                &text[tail_at..]
            );
            let ms = ms_of(self.t);
            let events = [
                (
                    lines
                        .iter()
                        .rev()
                        .find(|l| !l.is_empty())
                        .cloned()
                        .unwrap_or_default(),
                    ms / 1000,
                ),
                (format!("Hook {hook_path} failed."), ms),
            ];
            let result = result_json(Some((&msg, &events)), true);
            self.cp("INFO ", "Command processor returning results: ");
            self.cp.buf.s(&result).nl();
            self.cfn_finish(&ids, Some(&result), 0, None);
            return;
        }
        self.cp("INFO ", "Running 5 of 6 actions: EbExtensionPostBuild...");
        let post = format!("{s0}/EbExtensionPostBuild");
        self.act_start(&post);
        self.tick(500, 800);
        self.act_start(&format!("{post}/Infra-EmbeddedPostBuild"));
        self.act_done(&format!("{post}/Infra-EmbeddedPostBuild"), &[]);
        self.tick(20, 60);
        self.act_done(&post, &[]);
        self.cp("INFO ", "Running 6 of 6 actions: InfraCleanEbextension...");
        self.act_start(&format!("{s0}/InfraCleanEbextension"));
        self.tick(1, 3);
        self.act_done(
            &format!("{s0}/InfraCleanEbextension"),
            &["Cleaned ebextensions subdirectories from /tmp/deployment/application.".into()],
        );
        self.act_done(
            &s0,
            &["Application update - Command CMD-AppDeploy stage 0 completed".into()],
        );
        self.cp("INFO ", "Running stage 1 of command CMD-AppDeploy...");
        self.cp("DEBUG", "Loaded 2 actions for stage 1.");
        let s1 = format!("{top}/AppDeployStage1");
        self.act_start(&s1);
        self.cp("INFO ", "Running 1 of 2 actions: AppDeployEnactHook...");
        let enact = match env.runtime {
            Runtime::Python => vec![Hook {
                name: "01flip.py".into(),
                dir: "appdeploy/enact",
                lines: vec![
                    "httpd: stopped".into(),
                    "httpd: started".into(),
                    format!(
                        "httpd                            RUNNING   pid {}, uptime 0:00:0{}",
                        self.pid + 40,
                        self.rng.range(1, 9)
                    ),
                ],
            }],
            _ => vec![
                Hook {
                    name: "01flip.sh".into(),
                    dir: "appdeploy/enact",
                    lines: vec![
                        "+ rm -rf /var/app/current.prev".into(),
                        "+ '[' -d /var/app/current ']'".into(),
                        "+ mv /var/app/current /var/app/current.prev".into(),
                        "+ mv /tmp/deployment/application /var/app/current".into(),
                    ],
                },
                Hook {
                    name: "90restart_app.sh".into(),
                    dir: "appdeploy/enact",
                    lines: vec![
                        "+ initctl restart nodejs".into(),
                        format!("nodejs start/running, process {}", self.pid + 480),
                    ],
                },
            ],
        };
        self.run_hooks(&format!("{s1}/AppDeployEnactHook"), &enact, None);
        self.cp("INFO ", "Running 2 of 2 actions: AppDeployPostHook...");
        let postd = vec![Hook {
            name: "01_monitor_pids.sh".into(),
            dir: "appdeploy/post",
            lines: vec![
                "+ /opt/elasticbeanstalk/bin/healthd-track-pidfile --proxy nginx".into(),
                "+ /opt/elasticbeanstalk/bin/healthd-track-pidfile --name application --location /var/run/app/app.pid".into(),
            ],
        }];
        self.run_hooks(&format!("{s1}/AppDeployPostHook"), &postd, None);
        self.act_done(
            &s1,
            &["Application version switch - Command CMD-AppDeploy stage 1 completed".into()],
        );
        self.cp("INFO ", "Running AddonsAfter for command CMD-AppDeploy...");
        let aa = format!("{top}/AddonsAfter");
        self.act_start(&aa);
        let lr = format!("{aa}/ConfigLogRotation");
        self.act_start(&lr);
        self.act_start(&format!("{lr}/10-config.sh"));
        self.tick(100, 300);
        self.act_done(&format!("{lr}/10-config.sh"), &["Hourly log rotation to S3 is not enabled, leaving logrotate configuration unchanged.".into()]);
        self.act_done(&lr, &["Successfully execute hooks in directory /opt/elasticbeanstalk/addons/logpublish/hooks/config.".into()]);
        self.act_done(&aa, &[]);
        self.cp("INFO ", "Command CMD-AppDeploy succeeded!");
        self.act_done(
            &top,
            &["Application update - Command CMD-AppDeploy succeeded".into()],
        );
        self.tick(1, 3);
        self.cp("INFO ", "Command processor returning results: ");
        let result = result_json(None, false);
        self.cp.buf.s(&result).nl();
        self.cfn_finish(&ids, Some(&result), 0, None);
    }

    fn tail_logs(&mut self) {
        let inst = self.inst;
        let ids = self.new_ids();
        let data = Self::data_json(&ids, "CMD-TailLogs", &inst.id);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        let payload = format!(
            r#"{{"api_version"=>"1.0", "request_id"=>"{}", "command_name"=>"CMD-TailLogs", "resource_name"=>"AWSEBAutoScalingGroup", "instance_ids"=>["{}"], "data"=>"{}"}}"#,
            ids.request, inst.id, ids.request
        );
        self.cp_preamble("CMD-TailLogs", &payload);
        self.cp_metadata(false);
        self.cp("DEBUG", "Loaded definition of Command CMD-TailLogs.");
        self.cp("INFO ", "Executing CMD-TailLogs");
        self.act_start("CMD-TailLogs");
        self.cp("INFO ", "Executing command: CMD-TailLogs...");
        self.cp("INFO ", "Executing command CMD-TailLogs activities...");
        self.cp("DEBUG", "Setting environment variables..");
        self.cp("INFO ", "Running AddonsBefore for command CMD-TailLogs...");
        self.act_start("CMD-TailLogs/AddonsBefore");
        self.act_done("CMD-TailLogs/AddonsBefore", &[]);
        self.cp(
            "DEBUG",
            "Running stages of Command CMD-TailLogs from stage 0 to stage 0...",
        );
        self.cp("INFO ", "Running stage 0 of command CMD-TailLogs...");
        self.cp("DEBUG", "Loaded 1 actions for stage 0.");
        self.act_start("CMD-TailLogs/TailLogs");
        self.cp("INFO ", "Running 1 of 1 actions: TailLogs...");
        self.act_start("CMD-TailLogs/TailLogs/TailLogs");
        self.tick(300, 1500);
        let files: Vec<String> = [
            "/var/log/eb-activity.log",
            "/var/log/nginx/error.log",
            "/var/log/eb-commandprocessor.log",
            "/var/log/nodejs/nodejs.log",
            "/var/log/httpd/error_log",
            "/var/log/eb-version-deployment.log",
        ]
        .iter()
        .map(|f| format!("Tailing {f}"))
        .collect();
        self.act_done("CMD-TailLogs/TailLogs/TailLogs", &files);
        self.act_done(
            "CMD-TailLogs/TailLogs",
            &["CMD-TailLogs - stage 0 - Command CMD-TailLogs stage 0 completed".into()],
        );
        self.cp("INFO ", "Running AddonsAfter for command CMD-TailLogs...");
        self.act_start("CMD-TailLogs/AddonsAfter");
        self.act_done("CMD-TailLogs/AddonsAfter", &[]);
        self.cp("INFO ", "Command CMD-TailLogs succeeded!");
        self.act_done(
            "CMD-TailLogs",
            &["CMD-TailLogs - Command CMD-TailLogs succeeded".into()],
        );
        self.cp("INFO ", "Command processor returning results: ");
        let result = result_json(None, false);
        self.cp.buf.s(&result).nl();
        self.cfn_finish(&ids, Some(&result), 0, None);
    }

    /// A command aimed at another instance of the environment.
    fn not_applicable(&mut self) {
        let inst = self.inst;
        let ids = self.new_ids();
        let other = format!("i-0{}", self.rng.hex(16));
        let data = Self::data_json(&ids, "CMD-TailLogs", &other);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        self.cp(
            "DEBUG",
            "Reading config file: /etc/elasticbeanstalk/.aws-eb-stack.properties",
        );
        self.cp(
            "DEBUG",
            "Checking if the command processor should execute...",
        );
        self.tick(1, 3);
        self.cp(
            "DEBUG",
            &format!(
                "Checking whether the command is applicable to instance ({})..",
                inst.id
            ),
        );
        self.cp(
            "INFO ",
            &format!(
                "Command should not be executed on this instance ({}).",
                inst.id
            ),
        );
        self.cp("WARN ", "Command processor shouldn't execute command.");
        let out = r#"{"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","msg":"Ignoring not applicable command. For more detail, check /var/log/eb-activity.log using console or EB CLI","returncode":0,"events":[]}]}"#;
        self.cfn_finish(&ids, Some(out), 0, None);
    }

    /// The Ruby process dies (no memory): a backtrace, no result; cfn-hup sends stderr.
    fn enomem(&mut self) {
        let (env, inst) = (self.env, self.inst);
        let ids = self.new_ids();
        let data = Self::data_json(&ids, "CMD-TailLogs", &inst.id);
        self.cfn_receive(&ids, &data);
        self.next_pid();
        let payload = format!(
            r#"{{"api_version"=>"1.0", "request_id"=>"{}", "command_name"=>"CMD-TailLogs", "resource_name"=>"AWSEBAutoScalingGroup", "instance_ids"=>["{}"], "data"=>"{}"}}"#,
            ids.request, inst.id, ids.request
        );
        self.cp_preamble("CMD-TailLogs", &payload);
        let head = format!(
            "Cannot allocate memory - /opt/aws/bin/cfn-get-metadata --region='{}' --stack='{}' --resource='AWSEBAutoScalingGroup' (Errno::ENOMEM)",
            env.region, env.stack_name
        );
        let t = self.t;
        let pid = self.pid;
        let v = ruby(&mut self.cp.buf, t, "ERROR", pid);
        v.s(&head).nl();
        for (i, frame) in ENOMEM_BACKTRACE.iter().enumerate() {
            v.s(if i == 0 { "\tat " } else { "\tfrom " }).s(frame).nl();
        }
        v.s("\n\n");
        let mut msg = format!(
            "{}:in `popen': {head}",
            ENOMEM_BACKTRACE[0].split(":in").next().unwrap_or("")
        );
        for frame in &ENOMEM_BACKTRACE[1..] {
            msg.push_str("\n\tfrom ");
            msg.push_str(frame);
        }
        if msg.len() > 1003 {
            msg = format!("{}...{}", &msg[..500], &msg[msg.len() - 500..]);
        }
        self.cfn_finish(&ids, None, 1, Some(&msg));
    }
}

/// One link of a Ruby exception chain: first line as is, the others indented by two
/// spaces, the class after the last one.
fn chain_link(v: &mut Vec<u8>, lines: &[String], class: &str) {
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            v.s("  ");
        }
        v.s(line);
        if i + 1 == lines.len() {
            v.s(" (").s(class).s(")");
        }
        v.nl();
    }
}

const HTTP_500_BODY: &str = "HTTP Error 500 : <?xml version=\"1.0\" encoding=\"iso-8859-1\"?>
<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"
         \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">
<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">
 <head>
  <title>500 - Internal Server Error</title>
 </head>
 <body>
  <h1>500 - Internal Server Error</h1>
 </body>
</html>
";

const HTTP_500_TRACEBACK: &str = "Traceback (most recent call last):
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 162, in _retry
    return f(*args, **kwargs)
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 255, in get_instance_identity_signature
    resp.raise_for_status()
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/packages/requests/models.py\", line 840, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
HTTPError: 500 Server Error: Internal Server Error for url: http://169.254.169.254/latest/dynamic/instance-identity/signature
";

const CONNECTION_RESET_TRACEBACK: &str = "Traceback (most recent call last):
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 162, in _retry
    return f(*args, **kwargs)
  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 234, in _timeout
    raise exc[0]
ConnectionError: ('Connection aborted.', error(104, 'Connection reset by peer'))
";

const ENOMEM_BACKTRACE: [&str; 8] = [
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/executor-1.2/lib/executor/exec.rb:86:in `popen'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/executor-1.2/lib/executor/exec.rb:86:in `exec'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/executor-1.2/lib/executor/exec.rb:64:in `sh'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/lib/elasticbeanstalk/cfn-wrapper.rb:104:in `call_cfn_script'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/lib/elasticbeanstalk/environment-metadata.rb:252:in `refresh_metadata'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/lib/elasticbeanstalk/command-processor.rb:136:in `load_command'",
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.2.0/gems/beanstalk-core-2.11/bin/command-processor:47:in `<top (required)>'",
    "/opt/elasticbeanstalk/lib/ruby/bin/command-processor:23:in `<main>'",
];

// ---------------------------------------------------------------------------------------
// AL2 / AL2023 instances
// ---------------------------------------------------------------------------------------

/// Share of an AL2 instance's bytes that the deploy logs (engine, cfn-init family) hold.
const DEPLOY_SHARE: f64 = 0.3;

fn engine<'v>(v: &'v mut Vec<u8>, t: i64, level: &str) -> &'v mut Vec<u8> {
    ts_engine(v, t);
    v.s(" [").s(level).s("] ")
}

fn cmd_hdr<'v>(v: &'v mut Vec<u8>, t: i64, pid: u64, level: &str) -> &'v mut Vec<u8> {
    ts_py(v, t);
    v.s(" P").n(pid).s(" [").s(level).s("] ")
}

struct Route {
    method: &'static str,
    path: &'static str,
    id: bool,
    query: &'static str,
    status: u64,
    size: (u64, u64),
    ms: (u64, u64),
    referer: &'static str,
}

const ROUTES: [Route; 12] = [
    Route {
        method: "GET",
        path: "/api/orders",
        id: false,
        query: "?status=open",
        status: 200,
        size: (900, 6000),
        ms: (20, 180),
        referer: "/dashboard",
    },
    Route {
        method: "GET",
        path: "/api/orders/",
        id: true,
        query: "",
        status: 200,
        size: (300, 1200),
        ms: (8, 60),
        referer: "/dashboard",
    },
    Route {
        method: "POST",
        path: "/api/orders",
        id: false,
        query: "",
        status: 201,
        size: (200, 600),
        ms: (60, 400),
        referer: "/checkout",
    },
    Route {
        method: "GET",
        path: "/api/customers/me",
        id: false,
        query: "",
        status: 200,
        size: (300, 800),
        ms: (5, 40),
        referer: "/account",
    },
    Route {
        method: "GET",
        path: "/api/items",
        id: false,
        query: "?page=2&per_page=50",
        status: 200,
        size: (4000, 30000),
        ms: (30, 300),
        referer: "/catalog",
    },
    Route {
        method: "GET",
        path: "/api/items/",
        id: true,
        query: "",
        status: 200,
        size: (500, 3000),
        ms: (5, 50),
        referer: "/catalog",
    },
    Route {
        method: "PUT",
        path: "/api/cart/",
        id: true,
        query: "",
        status: 200,
        size: (100, 400),
        ms: (10, 90),
        referer: "/cart",
    },
    Route {
        method: "GET",
        path: "/static/app.js",
        id: false,
        query: "",
        status: 200,
        size: (80000, 240000),
        ms: (1, 5),
        referer: "/",
    },
    Route {
        method: "GET",
        path: "/static/app.css",
        id: false,
        query: "",
        status: 200,
        size: (20000, 60000),
        ms: (1, 4),
        referer: "/",
    },
    Route {
        method: "POST",
        path: "/api/orders/import",
        id: false,
        query: "",
        status: 201,
        size: (60, 120),
        ms: (800, 3000),
        referer: "",
    },
    Route {
        method: "GET",
        path: "/api/reports/monthly",
        id: false,
        query: "?month=2022-08",
        status: 200,
        size: (8000, 40000),
        ms: (300, 4000),
        referer: "/reports",
    },
    Route {
        method: "GET",
        path: "/favicon.ico",
        id: false,
        query: "",
        status: 200,
        size: (1150, 1150),
        ms: (1, 2),
        referer: "/",
    },
];

const AGENTS: [&str; 6] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Safari/605.1.15",
    "python-requests/2.28.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:106.0) Gecko/20100101 Firefox/106.0",
    "okhttp/4.10.0",
];

struct Modern<'a> {
    env: &'a Env,
    inst: &'a Inst,
    host: String,
    rng: Rng,
    t: i64,
    stats: Stats,
    engine: LogFile,
    cfninit: LogFile,
    cmdlog: LogFile,
    ebcfn: LogFile,
    access: LogFile,
    error: LogFile,
    daemon: LogFile,
    web: LogFile,
    healthd: Option<(i64, LogFile)>,
    healthd_closed: u64,
    app_pid: u64,
    healthd_pid: u64,
    workers: [u64; 2],
    conn: u64,
    cfn_pid: u64,
    rate: u64,
    clients: Vec<String>,
    next_job: i64,
    venv: String,
}

impl<'a> Modern<'a> {
    fn new(env: &'a Env, inst: &'a Inst) -> Self {
        let mut rng = Rng::new(inst.seed);
        let dir = &inst.dir;
        let mut engine = LogFile::new("eb-engine.log", dir.join("eb-engine.log"));
        if rng.chance(0.6) {
            let at =
                (inst.budget as f64 * DEPLOY_SHARE * 0.7 * rng.range(25, 45) as f64 / 100.0) as u64;
            engine = engine.rotating(dir.join("eb-engine.log.1.gz"), at);
        }
        let clients = (0..rng.range(5, 40))
            .map(|_| {
                let (a, b, c) = *rng.pick(&[(203, 0, 113), (198, 51, 100), (192, 0, 2)]);
                format!("{a}.{b}.{c}.{}", rng.range(1, 254))
            })
            .collect();
        let nginx = rng.range(2800, 3200);
        Modern {
            host: inst.host(),
            t: inst.start,
            engine,
            cfninit: LogFile::new("cfn-init.log", dir.join("cfn-init.log")),
            cmdlog: LogFile::new("cfn-init-cmd.log", dir.join("cfn-init-cmd.log")),
            ebcfn: LogFile::new("eb-cfn-init.log", dir.join("eb-cfn-init.log")),
            access: LogFile::new("nginx/access.log", dir.join("nginx/access.log")),
            error: LogFile::new("nginx/error.log", dir.join("nginx/error.log")),
            daemon: LogFile::new("healthd/daemon.log", dir.join("healthd/daemon.log")),
            web: LogFile::new("web.stdout.log", dir.join("web.stdout.log")),
            healthd: None,
            healthd_closed: 0,
            app_pid: rng.range(3300, 3500),
            healthd_pid: rng.range(3050, 3150),
            workers: [nginx + 2, nginx + 3],
            conn: rng.range(1, 100),
            cfn_pid: rng.range(2500, 2600),
            rate: rng.range(4, 30),
            venv: format!(
                "staging-{}",
                rng.chars(
                    8,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                )
            ),
            next_job: inst.start + 5 * MIN,
            stats: Stats::default(),
            clients,
            rng,
            env,
            inst,
        }
    }

    fn deploy_bytes(&self) -> u64 {
        self.engine.len() + self.cfninit.len() + self.cmdlog.len() + self.ebcfn.len()
    }

    fn total(&self) -> u64 {
        self.deploy_bytes()
            + self.access.len()
            + self.error.len()
            + self.daemon.len()
            + self.web.len()
            + self.healthd_closed
            + self.healthd.as_ref().map_or(0, |(_, f)| f.len())
    }

    fn tick(&mut self, lo_ms: u64, hi_ms: u64) {
        self.t += self.rng.range(lo_ms * 1000, hi_ms * 1000) as i64;
    }

    fn run(mut self) -> io::Result<Stats> {
        self.boot();
        while self.total() < self.inst.budget {
            if (self.deploy_bytes() as f64) < DEPLOY_SHARE * self.total() as f64 {
                self.command();
            } else {
                let minutes = self.rng.range(5, 50);
                for _ in 0..minutes {
                    self.traffic_minute()?;
                    if self.total() >= self.inst.budget {
                        break;
                    }
                }
            }
            self.boundaries()?;
        }
        let mut stats = std::mem::take(&mut self.stats);
        for f in [
            self.engine,
            self.cfninit,
            self.cmdlog,
            self.ebcfn,
            self.access,
            self.error,
            self.daemon,
            self.web,
        ] {
            f.finish(&mut stats)?;
        }
        if let Some((_, f)) = self.healthd {
            f.finish(&mut stats)?;
        }
        Ok(stats)
    }

    fn boundaries(&mut self) -> io::Result<()> {
        let st = &mut self.stats;
        self.engine.boundary(st)?;
        self.cfninit.boundary(st)?;
        self.cmdlog.boundary(st)?;
        self.ebcfn.boundary(st)?;
        self.access.boundary(st)?;
        self.error.boundary(st)?;
        self.daemon.boundary(st)?;
        self.web.boundary(st)?;
        if let Some((_, f)) = &mut self.healthd {
            f.boundary(st)?;
        }
        Ok(())
    }

    fn eng(&mut self, level: &str, msg: &str) {
        self.t += self.rng.range(2, 90) as i64;
        let t = self.t;
        engine(&mut self.engine.buf, t, level).s(msg).nl();
    }

    fn run_cmd(&mut self, cmd: &str) {
        self.t += self.rng.range(5, 40) as i64;
        let t = self.t;
        let prefix = self.env.run_cmd_prefix();
        engine(&mut self.engine.buf, t, "INFO")
            .s(prefix)
            .s(cmd)
            .nl();
    }

    fn instruction(&mut self, name: &str) {
        self.tick(0, 1);
        self.eng("INFO", &format!("Executing instruction: {name}"));
    }

    // --- boot ---------------------------------------------------------------------------

    fn boot(&mut self) {
        let env = self.env;
        let region = env.region;
        let signal_url = format!(
            "https://cloudformation-waitcondition-{region}.s3.{region}.amazonaws.com/arn%3Aaws%3Acloudformation%3A{region}%3A{}%3Astack/{}/{}/AWSEBInstanceLaunchWaitHandle?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={}&X-Amz-SignedHeaders=host&X-Amz-Expires=86399&X-Amz-Credential=AKIA2EBLOGFAKE{}%2F{}%2F{region}%2Fs3%2Faws4_request&X-Amz-Signature={}",
            env.account,
            env.stack_name,
            env.stack_arn.rsplit('/').next().unwrap_or(""),
            {
                let t = tm(env.start);
                format!("{}{:02}{:02}T{:02}{:02}{:02}Z", t.y, t.mo, t.d, t.h, t.mi, t.s)
            },
            self.rng.chars(6, UPPER32),
            {
                let t = tm(env.start);
                format!("{}{:02}{:02}", t.y, t.mo, t.d)
            },
            self.rng.hex(64)
        );
        let assets = format!(
            "https://elasticbeanstalk-platform-assets-{region}.s3.amazonaws.com/stalks/{}",
            env.stalk
        );
        let t = self.t;
        let v = &mut self.ebcfn.buf;
        v.s("[");
        let tt = tm(t);
        ymd(v, &tt, "-");
        v.s("T");
        hms(v, &tt);
        v.s("Z] Started EB User Data\n+ SLEEP_TIME=2\n+ SLEEP_TIME_MAX=3600\n+ true\n+ curl ")
            .s(&assets)
            .s("/lib/UserDataScript.sh\n");
        v.s("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\n  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n100  4627  100  4627    0     0  79775      0 --:--:-- --:--:-- --:--:-- 79775\n");
        v.s("+ RESULT=0\n+ [[ 0 -ne 0 ]]\n+ /bin/bash /tmp/ebbootstrap.sh '")
            .s(&signal_url)
            .s("' ")
            .s(&env.stack_arn)
            .s(" ")
            .s(&env.healthd_group)
            .s(" https://elasticbeanstalk-health.")
            .s(region)
            .s(".amazonaws.com '' ")
            .s(&assets)
            .s(" ")
            .s(region)
            .nl();
        self.t += 700_000;
        let msgs: Vec<String> = vec![
            "Started EB Bootstrapping Script.".into(),
            format!(
                "Received parameters:\n TARBALLS = \n EB_GEMS = \n SIGNAL_URL = {signal_url}\n STACK_ID = {}\n REGION = {region}\n GUID = \n HEALTHD_GROUP_ID = {}\n HEALTHD_ENDPOINT = https://elasticbeanstalk-health.{region}.amazonaws.com\n PROXY_SERVER = \n HEALTHD_PROXY_LOG_LOCATION = \n PLATFORM_ASSETS_URL = {assets}",
                env.stack_arn, env.healthd_group
            ),
            format!("engine url is set to {assets}/lib/platform-engine.zip"),
            "first init of instance.".into(),
            "Started executing cfn_init _OnInstanceBoot.".into(),
            "Running cfn-init ConfigSet: _OnInstanceBoot.".into(),
            "Using stack-id from userdata".into(),
        ];
        for m in &msgs {
            self.script(m);
            self.tick(5, 40);
        }
        // cfn-init's own boot build, and its command log.
        let boot_start = self.cfninit.buf.len();
        self.cfn_init_build("_OnInstanceBoot", "AWSEBBaseConfig", false, false);
        let boot_text = String::from_utf8_lossy(&self.cfninit.buf[boot_start..]).into_owned();
        self.script("Command Returned: ");
        self.script("Completed executing cfn_init.");
        self.script("finished _OnInstanceBoot");
        self.tick(100, 900);
        let t = self.t;
        let v = &mut self.ebcfn.buf;
        let tt = tm(t);
        v.s("--");
        ymd(v, &tt, "-");
        v.s(" ");
        hms(v, &tt);
        v.s("--  ").s(&assets).s("/lib/platform-engine.zip\n");
        v.s("Resolving elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com (elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com)... 52.218.229.33\n");
        v.s("Connecting to elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com (elasticbeanstalk-platform-assets-")
            .s(region)
            .s(".s3.amazonaws.com)|52.218.229.33|:443... connected.\n");
        v.s("HTTP request sent, awaiting response... 200 OK\nLength: 8617493 (8.2M) [application/zip]\nSaving to: '/tmp/platform-engine.zip'\n\n");
        v.s("     0K .......... .......... .......... .......... ..........  0% 31.2M 0s\n    50K .......... .......... .......... .......... ..........  1% 48.5M 0s\n  8400K .......... ......                                  100% 96.1M=0.1s\n\n");
        ymd(v, &tt, "-");
        v.s(" ");
        hms(v, &tt);
        v.s(" (84.7 MB/s) - '/tmp/platform-engine.zip' saved [8617493/8617493]\n\nArchive:  /tmp/platform-engine.zip\n  inflating: /opt/elasticbeanstalk/bin/platform-engine  \n  inflating: /opt/elasticbeanstalk/bin/get-config  \n  inflating: /opt/elasticbeanstalk/bin/restart-app-server  \n");
        self.tick(1000, 3000);
        // nginx and healthd start with the instance; the app starts in FlipApplication.
        let t = self.t;
        let w = self.workers[0] - 2;
        let v = &mut self.error.buf;
        ts_nginx_err(v, t);
        v.s(" [warn] ").n(w).s("#").n(w).s(": could not build optimal types_hash, you should increase either types_hash_max_size: 1024 or types_hash_bucket_size: 64; ignoring types_hash_bucket_size\n");
        let hp = self.healthd_pid;
        let v = &mut self.daemon.buf;
        v.s("# Logfile created on ");
        ts_plain(v, t);
        v.s(" +0000 by logger.rb/v1.4.2\n");
        let hd = |v: &mut Vec<u8>, t: i64, sev: &str, prog: &str| {
            v.s(&sev[..1]).s(", [");
            ts_ruby6(v, t);
            v.s(" #").n(hp).s("] ");
            if sev.len() < 5 {
                v.s(" ");
            }
            v.s(sev).s(" -- ").s(prog).s(": ");
        };
        hd(v, t + 10_000, "INFO", "");
        v.s("healthd 1.0.6 starting\n");
        hd(v, t + 12_000, "INFO", "");
        v.s("configuration: group_id=")
            .s(&env.healthd_group)
            .s(", endpoint=https://elasticbeanstalk-health.")
            .s(region)
            .s(".amazonaws.com\n");
        hd(v, t + 90_000, "INFO", "appstat");
        v.s("reading /var/log/nginx/healthd/application.log (proxy: nginx, timestamp: completion, unit: sec)\n");
        hd(v, t + 92_000, "INFO", "system");
        v.s("tracking pid file /var/pids/nginx.pid\n");
        hd(v, t + 93_000, "INFO", "system");
        v.s("tracking pid file /var/pids/web.pid\n");
        hd(v, t + 20 * SEC, "INFO", "");
        v.s("published first batch of health data (seq 1)\n");
        // The engine's first run: env-launch with the first deploy.
        self.engine_start("userdata-exec");
        self.eng("INFO", "This is a workflow controlled instance.");
        self.eng("INFO", "Engine command: (env-launch)\n");
        self.instruction("SyncClock");
        self.eng("INFO", "Starting SyncClock");
        self.tick(5, 15);
        self.run_cmd("chronyc -a makestep");
        self.tick(3, 10);
        self.eng("INFO", "200 OK\n");
        self.download(false);
        self.deploy_steps(None);
        self.instruction("SetupPublishLogCronjob");
        self.eng("INFO", "Setup publish logs cron job...");
        self.eng("INFO", "Copying file /opt/elasticbeanstalk/config/private/logtasks/cron/publishlogs to /etc/cron.d/publishlogs");
        self.instruction("MarkBootstrapped");
        self.eng("INFO", "Starting MarkBootstrapped");
        self.eng("INFO", "Instance has NOT been bootstrapped");
        self.eng("INFO", "Marked instance as Bootstrapped");
        self.instruction("Save CFN Stack Info");
        self.eng("INFO", "Starting SwitchCFNStack");
        self.eng("INFO", "Executing cleanup logic");
        self.eng(
            "INFO",
            "Platform Engine finished execution on command: env-launch\n",
        );
        // Bootstrap script ends: signal, then the tails of the logs it knows.
        self.tick(500, 5000);
        self.script("Successfully bootstrapped instance.");
        self.script(&format!(
            "Sending signal 0 to CFN wait condition {signal_url}"
        ));
        self.tick(300, 700);
        for name in [
            "eb-commandprocessor",
            "eb-activity",
            "eb-tools",
            "eb-version-deployment",
            "cfn-init",
            "cfn-hup",
        ] {
            self.script(&format!("Tailing /var/log/{name}.log"));
            let v = &mut self.ebcfn.buf;
            v.s("\n******************* ")
                .s(name)
                .s(" taillog *******************\n");
            if name == "cfn-init" {
                v.s(&boot_text);
            } else {
                v.s("***").s(name).s(" is not available yet.***\n");
            }
            v.s("******************* End of taillog *******************\n\n\n");
            self.tick(5, 10);
        }
        self.script("Completed EB Bootstrapping Script.");
        self.ebcfn.buf.s("+ RESULT=0\n+ [[ 0 -ne 0 ]]\n+ exit 0\n");
    }

    /// An eb-cfn-init.log script message: `[ts] text`.
    fn script(&mut self, msg: &str) {
        let t = self.t;
        let v = &mut self.ebcfn.buf;
        v.s("[");
        ts_iso_ms(v, t);
        v.s("] ").s(msg).nl();
    }

    fn engine_start(&mut self, ebcmd: &str) {
        let env = self.env;
        self.eng("INFO", "Starting...");
        self.eng("INFO", "Starting EBPlatform-PlatformEngine");
        self.eng("INFO", "reading event message file");
        self.tick(0, 1);
        self.eng("INFO", &format!("Engine received EB command {ebcmd}\n"));
        self.tick(70, 100);
        for res in ["AWSEBAutoScalingGroup", "AWSEBBeanstalkMetadata"] {
            self.run_cmd(&format!(
                "/opt/aws/bin/cfn-get-metadata -s {} -r {res} --region {}",
                env.stack_arn, env.region
            ));
            self.tick(330, 420);
        }
    }

    fn download(&mut self, manifest: bool) {
        let env = self.env;
        self.eng("INFO", "Downloading EB Application...");
        self.eng("INFO", &format!("Region: {}", env.region));
        self.eng("INFO", &format!("envID: {}", env.id));
        self.eng("INFO", &format!("envBucket: {}", env.bucket));
        if manifest {
            self.eng("INFO", "Using manifest file name from command request");
            let key = format!(
                "resources/environments/{}/_runtime/versions/manifest_{}",
                env.id,
                ms_of(self.t) - self.rng.range(30_000, 90_000)
            );
            if self.rng.chance(0.4) {
                self.eng("INFO", "Unable to get version manifest file.");
                self.eng("INFO", "Downloading latest manifest available.");
                self.eng("INFO", "Download latest app version manifest");
                self.eng(
                    "INFO",
                    &format!(
                        "resources/environments/{}/_runtime/versions/manifest",
                        env.id
                    ),
                );
                self.tick(30, 60);
                self.eng("INFO", &format!("latestManifest key *: {key}\n"));
            }
            self.eng(
                "INFO",
                &format!("Downloading: bucket: {}, object: /{key}", env.bucket),
            );
            self.tick(10, 20);
            self.eng("INFO", "Download successful148bytes downloaded");
            self.eng("INFO", "Trying to read and parse version manifest...");
        }
        let built = self.t - self.rng.range(40, 200) as i64 * SEC;
        let label = version_label(&mut self.rng, built);
        self.eng("INFO", &format!("Downloading: bucket: {}, object: /resources/environments/{}/_runtime/_versions/{}/{label}", env.bucket, env.id, env.app));
        self.tick(40, 400);
        let size = if env.runtime == Runtime::Java {
            self.rng.range(10_000_000, 40_000_000)
        } else {
            self.rng.range(30_000, 900_000)
        };
        self.eng(
            "INFO",
            &format!("Download successful{size}bytes downloaded"),
        );
    }

    /// The deploy instructions shared by env-launch and app-deploy. `fail` names the step
    /// that fails; returns whether the deploy failed.
    fn deploy_steps(&mut self, fail: Option<Failure>) -> bool {
        let env = self.env;
        let configsets_fail = fail == Some(Failure::EbExtension);
        self.instruction("PreBuildEbExtension");
        self.eng(
            "INFO",
            "Starting executing the config set Infra-EmbeddedPreBuild.",
        );
        self.run_cmd(&format!("/opt/aws/bin/cfn-init -s {} -r AWSEBAutoScalingGroup --region {} --configsets Infra-EmbeddedPreBuild", env.stack_arn, env.region));
        let cfg = format!("prebuild_0_{}", env.app.replace('-', "_"));
        self.cfn_init_build("Infra-EmbeddedPreBuild", &cfg, true, configsets_fail);
        if configsets_fail {
            self.eng("ERROR", "An error occurred during execution of command [app-deploy] - [PreBuildEbExtension]. Stop running the command. Error: EbExtension build failed. Please refer to /var/log/cfn-init.log for more details. \n");
            return true;
        }
        self.eng(
            "INFO",
            "Finished executing the config set Infra-EmbeddedPreBuild.\n",
        );
        self.instruction("StageApplication");
        self.eng(
            "INFO",
            "extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/",
        );
        self.run_cmd("/usr/bin/unzip -q -o /opt/elasticbeanstalk/deployment/app_source_bundle -d /var/app/staging/");
        self.tick(10, 400);
        self.eng("INFO", "finished extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/ successfully");
        self.instruction("RunAppDeployPreBuildHooks");
        if !self.hooks(
            "prebuild",
            &["01_install.sh"],
            fail == Some(Failure::PrebuildHook),
        ) {
            return true;
        }
        if !self.install_dependencies(fail == Some(Failure::Dependencies)) {
            return true;
        }
        self.instruction("PostBuildEbExtension");
        self.eng(
            "INFO",
            "Starting executing the config set Infra-EmbeddedPostBuild.",
        );
        self.run_cmd(&format!("/opt/aws/bin/cfn-init -s {} -r AWSEBAutoScalingGroup --region {} --configsets Infra-EmbeddedPostBuild", env.stack_arn, env.region));
        let cfg = format!("postbuild_0_{}", env.app.replace('-', "_"));
        self.cfn_init_build("Infra-EmbeddedPostBuild", &cfg, false, false);
        self.eng(
            "INFO",
            "Finished executing the config set Infra-EmbeddedPostBuild.\n",
        );
        self.instruction("CleanEbExtensions");
        self.eng(
            "INFO",
            "Cleaned ebextensions subdirectories from app staging directory.",
        );
        self.instruction("RunAppDeployPreDeployHooks");
        self.hooks("predeploy", &["01_migrate.sh"], false);
        self.instruction("stop X-Ray");
        self.eng("INFO", "stop X-Ray ...");
        self.tick(5, 10);
        self.eng(
            "WARN",
            "stopProcess Warning: process xray is not registered ",
        );
        self.instruction("stop proxy");
        self.run_cmd("systemctl show -p PartOf httpd.service");
        self.tick(5, 10);
        self.eng(
            "WARN",
            "deregisterProcess Warning: process httpd is not registered, skipping...\n",
        );
        self.run_cmd("systemctl stop nginx.service");
        self.tick(30, 60);
        self.instruction("FlipApplication");
        self.eng("INFO", "Fetching environment variables...");
        self.eng("INFO", "setting default port 8080 to application");
        self.eng("INFO", "Register application processes...");
        self.eng("INFO", "Registering the proc: web\n");
        self.tick(50, 150);
        self.run_cmd("systemctl restart web.service");
        self.tick(500, 1500);
        self.app_restart();
        self.instruction("start proxy with new configuration");
        self.run_cmd("systemctl start nginx.service");
        self.tick(50, 150);
        for step in ["configureSqsd", "startSqsd"] {
            self.instruction(step);
            let verb = if step == "configureSqsd" {
                "configure"
            } else {
                "start"
            };
            self.eng(
                "INFO",
                &format!("This is a web server environment instance, skip {verb} sqsd daemon ..."),
            );
        }
        self.instruction("Track pids in healthd");
        self.eng("INFO", "This is an enhanced health env...");
        self.run_cmd("systemctl show -p ConsistsOf eb-app.target | cut -d= -f2");
        self.tick(5, 15);
        self.eng("INFO", "web.service\n");
        self.instruction("RunAppDeployPostDeployHooks");
        self.hooks("postdeploy", &["01_warm_cache.sh"], false);
        false
    }

    /// Platform hooks of one phase; false when one failed (the error is logged).
    fn hooks(&mut self, phase: &str, names: &[&str], fail: bool) -> bool {
        self.eng(
            "INFO",
            &format!("Executing platform hooks in .platform/hooks/{phase}/"),
        );
        if self.rng.chance(0.3) && !fail {
            self.eng(
                "INFO",
                &format!("The dir .platform/hooks/{phase}/ does not exist"),
            );
            self.eng(
                "INFO",
                &format!("Finished running scripts in /var/app/staging/.platform/hooks/{phase}"),
            );
            return true;
        }
        self.eng(
            "INFO",
            &format!(
                "Following platform hooks will be executed in order: [{}]",
                names.join(" ")
            ),
        );
        for name in names {
            self.eng(
                "INFO",
                &format!("Running platform hook: .platform/hooks/{phase}/{name}"),
            );
            self.tick(1000, 20_000);
            if fail {
                let var =
                    *self
                        .rng
                        .pick(&["ORDERS_DB_URL", "REDIS_URL", "SECRET_KEY_BASE", "QUEUE_URL"]);
                let t = self.t;
                engine(&mut self.engine.buf, t, "ERROR")
                    .s("An error occurred during execution of command [app-deploy] - [RunAppDeployPreBuildHooks]. Stop running the command. Error: Command .platform/hooks/")
                    .s(phase).s("/").s(name)
                    .s(" failed with error exit status 1. Stderr:Traceback (most recent call last):\n  File \"scripts/check_settings.py\", line 9, in <module>\n    db_url = os.environ[\"")
                    .s(var)
                    .s("\"]\n  File \"/usr/lib64/python3.8/os.py\", line 675, in __getitem__\n    raise KeyError(key) from None\nKeyError: '")
                    .s(var)
                    .s("'\n \n\n");
                return false;
            }
        }
        self.eng(
            "INFO",
            &format!("Finished running the platform hooks in .platform/hooks/{phase}/"),
        );
        true
    }

    fn install_dependencies(&mut self, fail: bool) -> bool {
        let env = self.env;
        let rng = &mut self.rng;
        let (instruction, cmd, lines): (&str, String, Vec<String>) = match env.runtime {
            Runtime::Java => ("Java Specific Build Application", String::new(), vec![]),
            Runtime::Python => {
                let pkgs = [
                    "Flask",
                    "gunicorn",
                    "psycopg2",
                    "SQLAlchemy",
                    "alembic",
                    "boto3",
                    "botocore",
                    "requests",
                    "urllib3",
                    "Jinja2",
                    "itsdangerous",
                    "Werkzeug",
                    "click",
                    "redis",
                    "celery",
                ];
                let n = rng.range(3, pkgs.len() as u64) as usize;
                let mut lines = Vec::with_capacity(3 * n + 2);
                let mut vers = Vec::with_capacity(n);
                for p in &pkgs[..n] {
                    let ver = format!(
                        "{}.{}.{}",
                        rng.range(0, 5),
                        rng.range(0, 30),
                        rng.range(0, 12)
                    );
                    lines.push(format!("Collecting {p}=={ver}"));
                    lines.push(format!(
                        "  Downloading {p}-{ver}-py3-none-any.whl ({} kB)",
                        rng.range(20, 900)
                    ));
                    if rng.chance(0.3) {
                        lines.push(format!("Requirement already satisfied: setuptools in ./{}/lib/python3.8/site-packages (from {p}=={ver}) (57.0.0)", "venv"));
                    }
                    vers.push(format!("{p}-{ver}"));
                }
                if fail {
                    let bad = format!(
                        "{}=={}.{}.{}",
                        pkgs[n - 1],
                        rng.range(5, 9),
                        rng.range(0, 9),
                        rng.range(50, 99)
                    );
                    lines.push(format!("ERROR: Could not find a version that satisfies the requirement {bad} (from versions: 0.1, 0.2, 1.0)"));
                    lines.push(format!("ERROR: No matching distribution found for {bad}"));
                } else {
                    lines.push(format!(
                        "Installing collected packages: {}",
                        pkgs[..n].join(", ")
                    ));
                    lines.push(format!("Successfully installed {}", vers.join(" ")));
                }
                (
                    "InstallDependency",
                    format!(
                        "/var/app/venv/{}/bin/pip install -r requirements.txt",
                        self.venv
                    ),
                    lines,
                )
            }
            Runtime::Node => {
                let mut lines = vec![
                    String::new(),
                    format!(
                        "> {}@{}.{}.0 postinstall /var/app/staging",
                        env.app,
                        rng.range(1, 4),
                        rng.range(0, 20)
                    ),
                    "> node scripts/postinstall.js".into(),
                    String::new(),
                ];
                for _ in 0..rng.range(0, 6) {
                    lines.push(format!(
                        "npm WARN deprecated {}@{}.{}.{}: this library is no longer supported",
                        rng.pick(&["request", "uuid", "har-validator", "querystring", "core-js"]),
                        rng.range(1, 4),
                        rng.range(0, 9),
                        rng.range(0, 9)
                    ));
                }
                if fail {
                    lines.push("npm ERR! code ERESOLVE".into());
                    lines.push("npm ERR! ERESOLVE unable to resolve dependency tree".into());
                    lines.push("npm ERR! Could not resolve dependency:".into());
                    lines.push(format!(
                        "npm ERR! peer react@\"^{}.0.0\" from react-dom@{}.2.0",
                        rng.range(16, 18),
                        rng.range(16, 18)
                    ));
                } else {
                    lines.push(format!(
                        "added {} packages, and audited {} packages in {}s",
                        rng.range(100, 900),
                        rng.range(100, 900),
                        rng.range(3, 40)
                    ));
                    lines.push(String::new());
                    lines.push(format!(
                        "{} packages are looking for funding",
                        rng.range(10, 120)
                    ));
                    lines.push("  run `npm fund` for details".into());
                    lines.push(String::new());
                    lines.push("found 0 vulnerabilities".into());
                }
                (
                    "InstallDependency",
                    "npm --production install".into(),
                    lines,
                )
            }
        };
        self.instruction(instruction);
        if cmd.is_empty() {
            self.tick(100, 400);
            return true;
        }
        self.run_cmd(&cmd);
        self.tick(2000, 30_000);
        let t = self.t;
        let v = engine(&mut self.engine.buf, t, if fail { "ERROR" } else { "INFO" });
        if fail {
            v.s("An error occurred during execution of command [app-deploy] - [")
                .s(instruction)
                .s("]. Stop running the command. Error: fail to install dependencies with ")
                .s(&cmd)
                .s(" with error: Command /bin/sh -c ")
                .s(&cmd)
                .s(" failed with error exit status 1. Stderr:");
        }
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                v.nl();
            }
            v.s(l);
        }
        v.s("\n\n");
        !fail
    }

    /// One cfn-init build: cfn-init.log and the matching cfn-init-cmd.log blocks.
    fn cfn_init_build(&mut self, configset: &str, config: &str, packages: bool, fail: bool) {
        let env = self.env;
        self.cfn_pid += self.rng.range(100, 900);
        let pid = self.cfn_pid;
        self.tick(100, 300);
        let mut t = self.t;
        let c = &mut self.cfninit.buf;
        let k = &mut self.cmdlog.buf;
        let rng = &mut self.rng;
        macro_rules! step {
            ($rng:expr, $lo:expr, $hi:expr) => {{
                t += $rng.range($lo, $hi) as i64;
                t
            }};
        }
        if configset != "_OnInstanceBoot" {
            amzn(c, t, "DEBUG")
                .s("CloudFormation client initialized with endpoint https://cloudformation.")
                .s(env.region)
                .s(".amazonaws.com\n");
            amzn(c, step!(rng, 500, 2000), "DEBUG")
                .s("Describing resource AWSEBAutoScalingGroup in stack ")
                .s(&env.stack_arn)
                .nl();
        }
        amzn(c, step!(rng, 100_000, 200_000), "INFO")
            .s("-----------------------Starting build-----------------------\n");
        amzn(c, step!(rng, 5000, 9000), "INFO")
            .s("Running configSets: ")
            .s(configset)
            .nl();
        amzn(c, step!(rng, 2000, 3000), "INFO")
            .s("Running configSet ")
            .s(configset)
            .nl();
        cmd_hdr(k, t, pid, "INFO")
            .s("************************************************************\n");
        cmd_hdr(k, t, pid, "INFO").s("ConfigSet ").s(configset).nl();
        amzn(c, step!(rng, 2000, 3000), "INFO")
            .s("Running config ")
            .s(config)
            .nl();
        cmd_hdr(k, t, pid, "INFO")
            .s("++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\n");
        cmd_hdr(k, t, pid, "INFO").s("Config ").s(config).nl();
        if configset == "_OnInstanceBoot" {
            for name in ["clearbackupfiles", "writeinstancemetadata"] {
                let t0 = step!(rng, 400_000, 10_000_000);
                cmd_hdr(k, t0, pid, "INFO")
                    .s("============================================================\n");
                cmd_hdr(k, t0, pid, "INFO").s("Command ").s(name).nl();
                let t1 = step!(rng, 10_000, 800_000);
                cmd_hdr(k, t1, pid, "INFO").s("Completed successfully.\n");
                amzn(c, t1 + 1000, "INFO")
                    .s("Command ")
                    .s(name)
                    .s(" succeeded\n");
            }
        } else if packages {
            let pk = [
                "postgresql-devel",
                "jq",
                "gcc",
                "libxml2-devel",
                "ImageMagick",
            ];
            let n = rng.range(1, 4) as usize;
            let list = pk[..n]
                .iter()
                .map(|p| format!("'{p}'"))
                .collect::<Vec<_>>()
                .join(", ");
            if rng.chance(0.5) {
                amzn(c, step!(rng, 1_000_000, 5_000_000), "DEBUG")
                    .s("Installing/updating [")
                    .s(&list)
                    .s("] via yum\n");
                let t0 = t;
                cmd_hdr(k, t0, pid, "INFO")
                    .s("============================================================\n");
                cmd_hdr(k, t0, pid, "INFO")
                    .s("yum install ")
                    .s(&pk[..n].join(" "))
                    .nl();
                let t1 = step!(rng, 5_000_000, 20_000_000);
                cmd_hdr(k, t1, pid, "INFO")
                    .s("-----------------------Command Output-----------------------\n");
                for line in YUM_OUTPUT {
                    cmd_hdr(k, t1, pid, "INFO").s("\t").s(line).nl();
                }
                for (i, p) in pk[..n].iter().enumerate() {
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("\t  Installing : ")
                        .s(p)
                        .s("-1.5-1.amzn2.0.2.x86_64                        ")
                        .n(i as u64 + 1)
                        .s("/")
                        .n(n as u64)
                        .nl();
                }
                for (i, p) in pk[..n].iter().enumerate() {
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("\t  Verifying  : ")
                        .s(p)
                        .s("-1.5-1.amzn2.0.2.x86_64                        ")
                        .n(i as u64 + 1)
                        .s("/")
                        .n(n as u64)
                        .nl();
                }
                cmd_hdr(k, t1, pid, "INFO").s("\t\n");
                cmd_hdr(k, t1, pid, "INFO").s("\tComplete!\n");
                cmd_hdr(k, t1, pid, "INFO")
                    .s("------------------------------------------------------------\n");
                cmd_hdr(k, t1, pid, "INFO").s("Completed successfully.\n");
                amzn(c, t1 + 2000, "INFO")
                    .s("Yum installed [")
                    .s(&list)
                    .s("]\n");
            } else {
                for p in &pk[..n] {
                    amzn(c, step!(rng, 300_000, 600_000), "DEBUG")
                        .s(p)
                        .s(" will not be installed as it is already present\n");
                }
                amzn(c, step!(rng, 1000, 3000), "DEBUG")
                    .s("All yum packages were already installed\n");
            }
        } else {
            amzn(c, step!(rng, 500, 1500), "DEBUG").s("No packages specified\n");
        }
        if configset != "_OnInstanceBoot" {
            for what in ["groups", "users", "sources"] {
                amzn(c, step!(rng, 300, 1200), "DEBUG")
                    .s("No ")
                    .s(what)
                    .s(" specified\n");
            }
            if packages {
                let app = env.app;
                amzn(c, step!(rng, 1000, 2000), "DEBUG")
                    .s("Writing content to /etc/")
                    .s(app)
                    .s("/settings.env\n");
                amzn(c, step!(rng, 1000, 2000), "DEBUG")
                    .s("Setting mode for /etc/")
                    .s(app)
                    .s("/settings.env to 000640\n");
                amzn(c, step!(rng, 1000, 2000), "DEBUG")
                    .s("Setting owner 0 and group 0 for /etc/")
                    .s(app)
                    .s("/settings.env\n");
            } else {
                amzn(c, step!(rng, 300, 1200), "DEBUG").s("No files specified\n");
            }
            let cmds: &[(&str, &str)] = if packages {
                &[
                    ("01_mkdir_logs", "mkdir -p /var/log/app"),
                    ("02_migrate", "python manage.py migrate"),
                ]
            } else {
                &[
                    (
                        "01_collectstatic",
                        "python manage.py collectstatic --noinput",
                    ),
                    ("02_chown_media", "chown -R webapp /var/app/staging/media"),
                ]
            };
            for (i, (name, shell)) in cmds.iter().enumerate() {
                let fails = fail && i + 1 == cmds.len();
                let t0 = step!(rng, 1000, 3000);
                amzn(c, t0, "DEBUG").s("Running command ").s(name).nl();
                amzn(c, t0, "DEBUG").s("No test for command ").s(name).nl();
                cmd_hdr(k, t0, pid, "INFO")
                    .s("============================================================\n");
                cmd_hdr(k, t0, pid, "INFO").s("Command ").s(name).nl();
                let t1 = step!(rng, 10_000, 3_000_000);
                let output: Vec<String> = if fails {
                    vec![
                        "  File \"manage.py\", line 17".into(),
                        "    ) from exc".into(),
                        "         ^".into(),
                        "SyntaxError: invalid syntax".into(),
                    ]
                } else if *name == "01_collectstatic" {
                    vec![
                        String::new(),
                        format!(
                            "{} static files copied to '/var/app/staging/static'.",
                            rng.range(20, 400)
                        ),
                    ]
                } else if *name == "02_migrate" {
                    let mut l = vec![
                        "Operations to perform:".to_string(),
                        "  Apply all migrations: admin, auth, contenttypes, orders, sessions"
                            .into(),
                        "Running migrations:".into(),
                    ];
                    for m in 0..rng.range(0, 4) {
                        l.push(format!(
                            "  Applying orders.{:04}_auto_{}... OK",
                            40 + m,
                            rng.digits(8)
                        ));
                    }
                    l
                } else {
                    vec![]
                };
                if !output.is_empty() {
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("-----------------------Command Output-----------------------\n");
                    for l in &output {
                        cmd_hdr(k, t1, pid, "INFO").s("\t").s(l).nl();
                    }
                    cmd_hdr(k, t1, pid, "INFO")
                        .s("------------------------------------------------------------\n");
                }
                if fails {
                    cmd_hdr(k, t1, pid, "ERROR").s("Exited with error code 1\n");
                    amzn(c, t1 + 1000, "ERROR")
                        .s("Command ")
                        .s(name)
                        .s(" (")
                        .s(shell)
                        .s(") failed\n");
                    amzn(c, t1 + 2000, "DEBUG")
                        .s("Command ")
                        .s(name)
                        .s(" output: ")
                        .s(&output.join("\n"))
                        .s("\n\n");
                    amzn(c, t1 + 4000, "ERROR")
                        .s("Error encountered during build of ")
                        .s(config)
                        .s(": Command ")
                        .s(name)
                        .s(" failed\n")
                        .s(CFN_INIT_TRACEBACK_SHORT)
                        .s(name)
                        .s(" failed\n");
                    amzn(c, t1 + 5000, "ERROR")
                        .s("-----------------------BUILD FAILED!------------------------\n");
                    amzn(c, t1 + 6000, "ERROR")
                        .s("Unhandled exception during build: Command ")
                        .s(name)
                        .s(" failed\n")
                        .s(CFN_INIT_TRACEBACK_LONG)
                        .s(name)
                        .s(" failed\n");
                    self.t = t1 + 10_000;
                    return;
                }
                cmd_hdr(k, t1, pid, "INFO").s("Completed successfully.\n");
                amzn(c, t1 + 1000, "INFO")
                    .s("Command ")
                    .s(name)
                    .s(" succeeded\n");
                amzn(c, t1 + 2000, "DEBUG")
                    .s("Command ")
                    .s(name)
                    .s(" output: ")
                    .s(&output.join("\n"))
                    .nl();
                if !output.is_empty() {
                    c.nl();
                }
            }
            amzn(c, step!(rng, 1000, 2000), "DEBUG").s("No services specified\n");
        }
        amzn(c, step!(rng, 2000, 4000), "INFO").s("ConfigSets completed\n");
        amzn(c, step!(rng, 1000, 2000), "INFO")
            .s("-----------------------Build complete-----------------------\n");
        self.t = t + 300_000;
    }

    fn command(&mut self) {
        let roll = self.rng.below(100);
        self.tick(1000, 60_000);
        self.engine_start("cfn-hup-exec");
        let cmd = if roll < 85 { "app-deploy" } else { "tail-log" };
        self.eng(
            "INFO",
            &format!("checking whether command {cmd} is applicable to this instance..."),
        );
        self.eng(
            "INFO",
            "this command is applicable to the instance, thus instance should execute command",
        );
        self.eng("INFO", &format!("Engine command: ({cmd})\n"));
        if cmd == "tail-log" {
            self.instruction("GetTailLogs");
            self.eng("INFO", "Tail Logs...");
            for f in [
                "/var/log/nginx/error.log",
                "/var/log/eb-engine.log",
                "/var/log/web.stdout.log",
                "/var/log/nginx/access.log",
                "/var/log/eb-hooks.log",
            ] {
                self.tick(1, 3);
                self.run_cmd(&format!("tail -n 100 {f}"));
            }
            self.eng("INFO", "Executing cleanup logic");
            self.response(false);
            self.eng(
                "INFO",
                "Platform Engine finished execution on command: tail-log\n",
            );
            return;
        }
        self.download(true);
        self.instruction("ElectLeader");
        let (env, inst) = (self.env, self.inst);
        self.eng(
            "INFO",
            &format!("Running leader election for instance {}...", inst.id),
        );
        self.eng(
            "INFO",
            "Calling the cfn-elect-cmd-leader to elect the command leader.",
        );
        let inv = self.rng.uuid();
        self.run_cmd(&format!(
            "/opt/aws/bin/cfn-elect-cmd-leader --stack {} --command-name ElasticBeanstalkCommand-AWSEBAutoScalingGroup --invocation-id {inv} --listener-id {} --region {}",
            env.stack_arn, inst.id, env.region
        ));
        self.tick(300, 500);
        self.eng(
            "INFO",
            if inst.index % 2 == 0 {
                "Instance is Leader."
            } else {
                "Instance is NOT Leader."
            },
        );
        self.instruction("stopSqsd");
        self.eng(
            "INFO",
            "This is a web server environment instance, skip stop sqsd daemon ...",
        );
        let fail = match self.rng.below(100) {
            0..=7 => Some(Failure::PrebuildHook),
            8..=13 => Some(Failure::EbExtension),
            14..=19 if env.runtime != Runtime::Java => Some(Failure::Dependencies),
            _ => None,
        };
        let failed = self.deploy_steps(fail);
        self.eng("INFO", "Executing cleanup logic");
        self.response(failed);
        self.eng(
            "INFO",
            "Platform Engine finished execution on command: app-deploy\n",
        );
    }

    fn response(&mut self, failed: bool) {
        let ms = ms_of(self.t);
        let ts = if self.env.event_secs { ms / 1000 } else { ms };
        let t = self.t;
        let v = engine(&mut self.engine.buf, t, "INFO");
        if failed {
            v.s(r#"CommandService Response: {"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","msg":"Engine execution has encountered an error.","returncode":1,"events":[{"msg":"Instance deployment failed. For details, see 'eb-engine.log'.","timestamp":"#)
                .n(ts)
                .s(r#","severity":"ERROR"}]}]}"#);
        } else {
            v.s(r#"CommandService Response: {"status":"SUCCESS","api_version":"1.0","results":[{"status":"SUCCESS","msg":"Engine execution has succeeded.","returncode":0,"events":[{"msg":"Instance deployment completed successfully.","timestamp":"#)
                .n(ts)
                .s(r#","severity":"INFO"}]}]}"#);
        }
        v.s("\n\n");
    }

    // --- web tier -------------------------------------------------------------------

    fn web_line(&mut self, t: i64) -> &mut Vec<u8> {
        let v = &mut self.web.buf;
        ts_syslog(v, t);
        v.s(" ").s(&self.host).s(" web: ")
    }

    fn app_log(&mut self, t: i64, level: &str, msg: &str) {
        let runtime = self.env.runtime;
        let pid = self.app_pid;
        let v = self.web_line(t);
        match runtime {
            Runtime::Node => {
                v.s("[");
                ts_iso_ms(v, t);
                v.s("] ").s(level).s(": ").s(msg).nl();
            }
            Runtime::Python => {
                v.s("[");
                ts_plain(v, t);
                v.s(" +0000] [")
                    .n(pid)
                    .s("] [")
                    .s(&level.to_ascii_uppercase())
                    .s("] ")
                    .s(msg)
                    .nl();
            }
            Runtime::Java => {
                ts_plain(v, t);
                v.s(".")
                    .z((t % SEC / 1000) as u64, 3)
                    .s("  ")
                    .s(&level.to_ascii_uppercase())
                    .s(" ")
                    .n(pid)
                    .s(" --- [nio-8080-exec-")
                    .n(t as u64 % 10 + 1)
                    .s("] c.e.app.web.RequestLogger           : ")
                    .s(msg)
                    .nl();
            }
        }
    }

    fn app_start(&mut self) {
        let env = self.env;
        let t = self.t;
        match env.runtime {
            Runtime::Node => {
                self.web_line(t).s("> ").s(env.app).s("@2.14.0 start\n");
                self.web_line(t).s("> node server.js\n");
                self.app_log(
                    t + 400_000,
                    "info",
                    &format!(
                        "{} 2.14.0 starting (pid {}, node v16.17.0, NODE_ENV=production)",
                        env.app, self.app_pid
                    ),
                );
            }
            Runtime::Python => {
                let pid = self.app_pid;
                self.app_log(t, "info", "Starting gunicorn 20.1.0");
                self.app_log(
                    t + 2000,
                    "info",
                    &format!("Listening at: http://127.0.0.1:8000 ({pid})"),
                );
                self.app_log(t + 3000, "info", "Using worker: gthread");
                self.app_log(
                    t + 5000,
                    "info",
                    &format!("Booting worker with pid: {}", self.app_pid + 2),
                );
            }
            Runtime::Java => {
                self.web_line(t).s("\n");
                self.web_line(t)
                    .s("  .   ____          _            __ _ _\n");
                self.web_line(t)
                    .s(" :: Spring Boot ::                (v3.2.1)\n");
                self.app_log(
                    t + 900_000,
                    "info",
                    &format!(
                        "Starting Application v1.0.0 using Java 21.0.1 with PID {}",
                        self.app_pid
                    ),
                );
                self.app_log(
                    t + 7_000_000,
                    "info",
                    "Started Application in 7.21 seconds (process running for 8.02)",
                );
            }
        }
        self.app_log(
            t + 1_000_000,
            "info",
            &format!(
                "connecting to postgres at {}-prod.{}.{}.rds.amazonaws.com:5432/app (pool max 20)",
                env.app,
                &env.id[2..],
                env.region
            ),
        );
        self.app_log(t + 1_100_000, "info", "listening on port 8080");
    }

    fn app_restart(&mut self) {
        self.app_pid += self.rng.range(100, 3000);
        let t = self.t;
        let hp = self.healthd_pid;
        let v = &mut self.daemon.buf;
        v.s("I, [");
        ts_ruby6(v, t + 5 * SEC);
        v.s(" #")
            .n(hp)
            .s("]  INFO -- system: pid file /var/pids/web.pid now points to ")
            .n(self.app_pid)
            .nl();
        self.app_start();
    }

    /// The application dies; nginx answers 502 until it is back.
    fn crash(&mut self) -> i64 {
        let env = self.env;
        let t = self.t;
        match env.runtime {
            Runtime::Node => {
                self.app_log(
                    t,
                    "warn",
                    "reconcile: batch has no items (deleted while pending?)",
                );
                for l in NODE_CRASH {
                    self.web_line(t).s(l).nl();
                }
            }
            Runtime::Python => {
                let pid = self.app_pid + 2;
                self.app_log(t, "error", "Exception in worker process");
                for l in PY_CRASH {
                    self.web_line(t).s(l).nl();
                }
                self.app_log(t, "info", &format!("Worker exiting (pid: {pid})"));
                self.app_log(t + 300_000, "info", "Shutting down: Master");
                self.app_log(t + 300_000, "info", "Reason: Worker failed to boot.");
            }
            Runtime::Java => {
                self.app_log(
                    t,
                    "error",
                    "Servlet.service() for servlet [dispatcherServlet] threw exception",
                );
                for l in JAVA_CRASH {
                    self.web_line(t).s(l).nl();
                }
            }
        }
        let hp = self.healthd_pid;
        let pid = self.app_pid;
        let v = &mut self.daemon.buf;
        v.s("W, [");
        ts_ruby6(v, t + 3 * SEC);
        v.s(" #")
            .n(hp)
            .s("]  WARN -- system: pid ")
            .n(pid)
            .s(" from /var/pids/web.pid is not running\n");
        t + self.rng.range(15, 60) as i64 * SEC
    }

    fn healthd_file(&mut self) -> io::Result<&mut LogFile> {
        let hour = self.t.div_euclid(HOUR);
        if self.healthd.as_ref().map(|(h, _)| *h) != Some(hour) {
            let first = self.healthd.is_none();
            if let Some((_, f)) = self.healthd.take() {
                self.healthd_closed += f.len();
                f.finish(&mut self.stats)?;
            }
            let tt = tm(self.t);
            let name = format!(
                "application.log.{:04}-{:02}-{:02}-{:02}",
                tt.y, tt.mo, tt.d, tt.h
            );
            let path = self.inst.dir.join("nginx/healthd").join(&name);
            // healthd looks for the new hour's file before nginx has written to it.
            if !first {
                let hp = self.healthd_pid;
                let v = &mut self.daemon.buf;
                v.s("W, [");
                ts_ruby6(v, hour * HOUR + self.rng.range(100_000, 200_000) as i64);
                v.s(" #")
                    .n(hp)
                    .s("]  WARN -- : log file \"/var/log/nginx/healthd/")
                    .s(&name)
                    .s("\" does not exist\n");
            }
            self.healthd = Some((hour, LogFile::new("nginx/healthd/application.log.*", path)));
        }
        Ok(&mut self.healthd.as_mut().expect("set above").1)
    }

    fn traffic_minute(&mut self) -> io::Result<()> {
        let env = self.env;
        let inst = self.inst;
        let end = self.t + MIN;
        let n = self.rate + self.rng.below(self.rate / 2 + 2);
        let mut down_until = if self.rng.chance(0.002) {
            self.crash()
        } else {
            0
        };
        let gap = MIN / (n as i64 + 3);
        for i in 0..n + 2 {
            self.t += gap / 2 + self.rng.below(gap as u64) as i64;
            let t = self.t;
            let health = i >= n;
            let lb = &inst.lbs[(i % 2) as usize];
            let (route, id) = if health {
                (None, 0)
            } else {
                let r = &ROUTES[self.rng.below(ROUTES.len() as u64) as usize];
                (Some(r), self.rng.range(10_000, 99_999))
            };
            let client = if health {
                "-".to_string()
            } else {
                self.rng.pick(&self.clients).clone()
            };
            let down = t < down_until;
            let (mut status, mut size, mut ms) = match route {
                None => (200, 15, self.rng.range(1, 3)),
                Some(r) => (
                    r.status,
                    self.rng.range(r.size.0, r.size.1),
                    self.rng.range(r.ms.0, r.ms.1),
                ),
            };
            if !health && !down {
                match self.rng.below(1000) {
                    0..=24 => (status, size) = (404, 74),
                    25..=34 => (status, size) = (304, 0),
                    35..=39 => (status, size) = (401, 41),
                    40..=41 => (status, size) = (500, 52),
                    _ => {}
                }
            }
            if down {
                status = 502;
                size = 157;
                ms = 0;
            }
            let timeout =
                !health && !down && route.is_some_and(|r| r.ms.1 > 2000) && self.rng.chance(0.02);
            if timeout {
                status = 504;
                size = 167;
                ms = 60_000;
            }
            let worker = self.workers[self.rng.below(2) as usize];
            // access.log
            let v = &mut self.access.buf;
            v.s(lb).s(" - - [");
            ts_access(v, t);
            v.s("] \"");
            let (method, path) = match route {
                None => ("GET", "/"),
                Some(r) => (r.method, r.path),
            };
            v.s(method).s(" ").s(path);
            if id != 0 && route.is_some_and(|r| r.id) {
                v.n(id);
            }
            if let Some(r) = route {
                v.s(r.query);
            }
            v.s(" HTTP/1.1\" ").n(status).s(" ").n(size).s(" \"");
            match route {
                Some(r) if !r.referer.is_empty() => v.s("https://").s(&env.cname).s(r.referer),
                _ => v.s("-"),
            };
            v.s("\" \"");
            v.s(if health {
                "ELB-HealthChecker/2.0"
            } else {
                AGENTS[(id % AGENTS.len() as u64) as usize]
            });
            v.s("\" \"").s(&client).s("\"\n");
            // healthd
            let f = self.healthd_file()?;
            let v = &mut f.buf;
            ts_msec(v, t);
            v.s("\"").s(path);
            if id != 0 && route.is_some_and(|r| r.id) {
                v.n(id);
            }
            v.s("\"").n(status).s("\"").secs3(ms).s("\"");
            if down {
                v.s("0.000");
            } else {
                v.secs3(ms.saturating_sub(1));
            }
            v.s("\"").s(&client).nl();
            // nginx error.log for upstream trouble
            if down || timeout {
                self.conn += 1;
                let conn = self.conn;
                let v = &mut self.error.buf;
                ts_nginx_err(v, t);
                v.s(" [error] ")
                    .n(worker)
                    .s("#")
                    .n(worker)
                    .s(": *")
                    .n(conn)
                    .s(" ");
                if down {
                    v.s("connect() failed (111: Connection refused) while connecting to upstream");
                } else {
                    v.s("upstream timed out (110: Connection timed out) while reading response header from upstream");
                }
                v.s(", client: ")
                    .s(lb)
                    .s(", server: , request: \"")
                    .s(method)
                    .s(" ")
                    .s(path)
                    .s(" HTTP/1.1\", upstream: \"http://127.0.0.1:8080")
                    .s(path)
                    .s("\", host: \"");
                if health {
                    v.s("172.31.")
                        .n(self.inst.ip[2].into())
                        .s(".")
                        .n(self.inst.ip[3].into());
                } else {
                    v.s(&env.cname);
                }
                v.s("\"");
                if let Some(r) = route.filter(|r| !r.referer.is_empty()) {
                    v.s(", referrer: \"https://")
                        .s(&env.cname)
                        .s(r.referer)
                        .s("\"");
                }
                v.nl();
            } else if method == "POST" && path.ends_with("import") && self.rng.chance(0.03) {
                self.conn += 1;
                let conn = self.conn;
                let v = &mut self.error.buf;
                ts_nginx_err(v, t);
                v.s(" [warn] ").n(worker).s("#").n(worker).s(": *").n(conn).s(" a client request body is buffered to a temporary file /var/lib/nginx/tmp/client_body/").z(conn % 10_000, 10).s(", client: ").s(lb).s(", server: , request: \"POST ").s(path).s(" HTTP/1.1\", host: \"").s(&env.cname).s("\"\n");
            }
            // the application's own line
            if !health && !down && self.rng.chance(0.3) {
                let msg = if route.is_some_and(|r| r.id) {
                    format!("{method} {path}{id} {status} {ms}ms")
                } else {
                    format!("{method} {path} {status} {ms}ms")
                };
                self.app_log(t, if status >= 500 { "error" } else { "info" }, &msg);
            }
            if down && t + gap >= down_until {
                self.t = down_until;
                self.app_restart();
                down_until = 0;
            }
        }
        if self.t >= self.next_job {
            let t = self.t;
            let (a, b) = (self.rng.range(0, 40), self.rng.range(100, 2000));
            self.app_log(
                t,
                "info",
                &format!("reconcile: settled {a} of {a} pending orders in 0.{b}s"),
            );
            self.next_job = t + 5 * MIN;
        }
        if self.rng.chance(0.001) {
            let t = self.t;
            let hp = self.healthd_pid;
            let v = &mut self.daemon.buf;
            v.s("E, [");
            ts_ruby6(v, t);
            v.s(" #")
                .n(hp)
                .s("] ERROR -- : Net::ReadTimeout with #<TCPSocket:(closed)> (Net::ReadTimeout)\n")
                .s(HEALTHD_BACKTRACE);
            v.s("W, [");
            ts_ruby6(v, t + 1000);
            v.s(" #")
                .n(hp)
                .s("]  WARN -- : publish failed, retrying in 10s\n");
            v.s("I, [");
            ts_ruby6(v, t + 10 * SEC);
            v.s(" #")
                .n(hp)
                .s("]  INFO -- : publish succeeded after 1 retry\n");
        }
        self.t = self.t.max(end);
        if let Some((_, f)) = &mut self.healthd {
            f.boundary(&mut self.stats)?;
        }
        self.access.boundary(&mut self.stats)?;
        self.web.boundary(&mut self.stats)?;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    PrebuildHook,
    EbExtension,
    Dependencies,
}

const YUM_OUTPUT: [&str; 17] = [
    "Loaded plugins: extras_suggestions, langpacks, priorities, update-motd",
    "Resolving Dependencies",
    "--> Running transaction check",
    "--> Finished Dependency Resolution",
    "",
    "Dependencies Resolved",
    "",
    "================================================================================",
    " Package                Arch        Version                 Repository     Size",
    "================================================================================",
    "Installing:",
    "",
    "Transaction Summary",
    "================================================================================",
    "Downloading packages:",
    "Running transaction check",
    "Running transaction",
];

const CFN_INIT_TRACEBACK_SHORT: &str = "Traceback (most recent call last):
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 576, in run_config
    CloudFormationCarpenter(config, self._auth_config, self.strict_mode).build(worklog)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 276, in build
    changes['commands'] = CommandTool().apply(self._config.commands)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/command_tool.py\", line 127, in apply
    raise ToolError(u\"Command %s failed\" % name)
cfnbootstrap.construction_errors.ToolError: Command ";

const CFN_INIT_TRACEBACK_LONG: &str = "Traceback (most recent call last):
  File \"/opt/aws/bin/cfn-init\", line 176, in <module>
    worklog.build(metadata, configSets, strict_mode)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 137, in build
    Contractor(metadata, strict_mode).build(configSets, self)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 564, in build
    self.run_config(config, worklog)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 576, in run_config
    CloudFormationCarpenter(config, self._auth_config, self.strict_mode).build(worklog)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/construction.py\", line 276, in build
    changes['commands'] = CommandTool().apply(self._config.commands)
  File \"/usr/lib/python3.7/site-packages/cfnbootstrap/command_tool.py\", line 127, in apply
    raise ToolError(u\"Command %s failed\" % name)
cfnbootstrap.construction_errors.ToolError: Command ";

const HEALTHD_BACKTRACE: &str =
    "/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/protocol.rb:217:in `rbuf_fill'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/protocol.rb:191:in `readuntil'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/protocol.rb:201:in `readline'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/http/response.rb:42:in `read_status_line'
/opt/elasticbeanstalk/lib/ruby/lib/ruby/2.7.0/net/http.rb:1528:in `transport_request'
";

const NODE_CRASH: [&str; 16] = [
    "/var/app/current/src/jobs/reconcile.js:31",
    "const total = batch.items.reduce((sum, item) => sum + item.amountCents, 0);",
    "^",
    "TypeError: Cannot read properties of undefined (reading 'reduce')",
    "at summarize (/var/app/current/src/jobs/reconcile.js:31:35)",
    "at Array.map (<anonymous>)",
    "at Timeout.runReconcile [as _onTimeout] (/var/app/current/src/jobs/reconcile.js:58:30)",
    "at listOnTimeout (node:internal/timers:559:17)",
    "at processTimers (node:internal/timers:502:7)",
    "Node.js v16.17.0",
    "npm ERR! code 1",
    "npm ERR! path /var/app/current",
    "npm ERR! command failed",
    "npm ERR! command sh -c node server.js",
    "npm ERR! A complete log of this run can be found in:",
    "npm ERR!     /home/webapp/.npm/_logs/debug-0.log",
];

const PY_CRASH: [&str; 9] = [
    "Traceback (most recent call last):",
    "  File \"/var/app/venv/lib/python3.8/site-packages/gunicorn/arbiter.py\", line 589, in spawn_worker",
    "    worker.init_process()",
    "  File \"/var/app/venv/lib/python3.8/site-packages/gunicorn/workers/gthread.py\", line 92, in init_process",
    "    super().init_process()",
    "  File \"/var/app/current/application.py\", line 41, in <module>",
    "    db = create_engine(os.environ[\"DATABASE_URL\"], pool_size=20)",
    "  File \"/usr/lib64/python3.8/os.py\", line 675, in __getitem__",
    "KeyError: 'DATABASE_URL'",
];

const JAVA_CRASH: [&str; 8] = [
    "java.lang.OutOfMemoryError: Java heap space",
    "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
    "\tat java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)",
    "\tat java.base/java.lang.StringBuilder.append(StringBuilder.java:179)",
    "\tat com.example.app.reports.MonthlyReport.render(MonthlyReport.java:88)",
    "\tat com.example.app.web.ReportController.monthly(ReportController.java:41)",
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "\t... 48 common frames omitted",
];

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
