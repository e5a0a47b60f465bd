//! Command-line flags (clap). Only this module and `cli` know about them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `eblog --version`: the package version, the commit and the build date (build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("EBLOG_COMMIT"),
    ", built ",
    env!("EBLOG_BUILD_DATE"),
    ")"
);

/// eblog: typed, structured records from AWS Elastic Beanstalk agent logs.
#[derive(Debug, Parser)]
#[command(name = "eblog", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Colour: `auto` (when stdout is a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), `always` or `never`.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value = "auto",
        global = true
    )]
    pub color: ColorArg,
    /// Say more: name every file skipped and why.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Say nothing but errors (no progress bar, summary or skipped-file count).
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is not set (CLICOLOR_FORCE forces it).
    Auto,
    /// Always colour, even into a pipe (`| less -R`).
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse logs into records on stdout (JSON lines by default), in input order.
    Parse(ParseArgs),
    /// Records for people: one line each, in the terminal's width, paged.
    Show(ShowArgs),
    /// Scan a fleet's logs into a dataset directory (Parquet tables, Hive-partitioned).
    Scan(ScanArgs),
    /// Command executions: what each deploy did, step by step, and how it ended.
    Commands(CommandsArgs),
    /// Why commands failed: the failing step, its error, where to look, and hints.
    Diagnose(DiagnoseArgs),
    /// List the formats eblog reads, or (with --kinds) the record kinds and their fields.
    Formats(FormatsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand into a directory.
    Man(ManArgs),
}

/// `eblog completions` flags.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `eblog man` flags.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `eblog.1` and `eblog-SUBCOMMAND.1` into this directory instead of printing
    /// `eblog.1`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Filters of time and host, shared by every subcommand that reads logs: on records
/// (`parse`, `show`) and on command executions (`commands`, `diagnose`).
#[derive(Debug, Args, Default)]
pub struct WindowArgs {
    /// Only from this time on: RFC 3339, `YYYY-MM-DD[ HH:MM[:SS]]` (UTC), `today`,
    /// `yesterday`, or a time ago (`30m`, `2h`, `3d`, `1w`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only hosts whose instance id or log directory contains TEXT (repeat for several).
    #[arg(long, visible_alias = "instance", value_name = "TEXT")]
    pub host: Vec<String>,
    /// Only records whose message matches this regular expression (commands, diagnose:
    /// executions whose command, failed step or error matches); smart case: a pattern
    /// without upper-case letters matches any case.
    #[arg(long, value_name = "REGEX")]
    pub grep: Option<String>,
}

/// Filters on records only (`parse`, `show`).
#[derive(Debug, Args, Default)]
pub struct RecordFilterArgs {
    /// Only records at least this severe: trace, debug, info, warn, error, fatal (levels
    /// as the formats write them are normalised: WARNING, nginx's crit, Ruby's ANY).
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Only records of these kinds (comma-separated or repeated; `eblog formats --kinds`).
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Only records of these formats (comma-separated or repeated); unlike --format, the
    /// formats are still detected.
    #[arg(long, value_enum, value_name = "FORMAT", value_delimiter = ',')]
    pub only_format: Vec<crate::record::Format>,
}

/// `eblog show` flags.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Files, directories, .gz or .zip bundles to show; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Time and host filters.
    #[command(flatten)]
    pub window: WindowArgs,
    /// Record filters.
    #[command(flatten)]
    pub filter: RecordFilterArgs,
    /// Shared flags.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Times in UTC instead of the local time zone.
    #[arg(long)]
    pub utc: bool,
    /// Show multi-line records whole, payloads pretty-printed, instead of their first line.
    #[arg(long, short = 'x')]
    pub expand: bool,
    /// Group the records under the command execution (deploy) they belong to.
    #[arg(long)]
    pub deploys: bool,
    /// With --deploys: only the last N executions (`--last 1`: the last deploy).
    #[arg(long, value_name = "N", requires = "deploys")]
    pub last: Option<usize>,
    /// Keep reading the files as they grow, like `parse -f`.
    #[arg(long, short = 'f', conflicts_with = "deploys")]
    pub follow: bool,
    /// Do not page the output, even on a terminal.
    #[arg(long)]
    pub no_pager: bool,
    /// Lines as wide as they are instead of cut to the terminal's width.
    #[arg(long)]
    pub wide: bool,
}

/// `eblog commands` flags.
#[derive(Debug, Args)]
pub struct CommandsArgs {
    /// Files, directories, .gz or .zip bundles of one or more instances' logs; `-` reads
    /// stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// One execution per line as JSON, every field, instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Only executions that failed or timed out.
    #[arg(long)]
    pub failed: bool,
    /// Time, host and text filters (on the executions: their start, host, and command,
    /// failed step or error).
    #[command(flatten)]
    pub window: WindowArgs,
    /// Show every column whole instead of fitting the table to the terminal.
    #[arg(long)]
    pub wide: bool,
    /// Also write a self-contained HTML timeline of the executions to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Shared flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `eblog diagnose` flags.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Files, directories, .gz or .zip bundles of one or more instances' logs; `-` reads
    /// stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// One diagnosis per line as JSON instead of the report.
    #[arg(long)]
    pub json: bool,
    /// Time, host and text filters (as `commands`).
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only findings of this severity or above: `warning` (the default: an application
    /// that did not answer after a deploy, and every failure) or `error` (failed or
    /// timed-out commands).
    #[arg(long, value_name = "SEVERITY", default_value = "warning")]
    pub min_severity: SeverityArg,
    /// Shared flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `diagnose --min-severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Every finding.
    Warning,
    /// Failed and timed-out commands only.
    Error,
}

/// Flags shared by `parse` and `scan`.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Force the format instead of detecting it (by file name, then by content).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<crate::record::Format>,
    /// Keep secrets (credentials, signatures) in the output instead of redacting them.
    #[arg(long)]
    pub no_redact: bool,
    /// Time zone of the local-time stamps (cfn-* logs, nginx error log, syslog): UTC,
    /// +HH:MM, or an IANA name.
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub tz: String,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Read every file instead of memory-mapping large ones.
    #[arg(long)]
    pub no_mmap: bool,
    /// The most bytes one record may hold (e.g. 8MiB, 512KiB, 1000000): a longer record
    /// is cut into `unparsed` pieces (`reason: record_too_large`), which bounds memory.
    #[arg(long, value_name = "SIZE", default_value = "8MiB", value_parser = parse_bytes)]
    pub max_record_bytes: usize,
}

/// A size in bytes: a number, with an optional unit (`KiB`, `MiB`, `GiB`, `KB`, `MB`...).
fn parse_bytes(text: &str) -> Result<usize, String> {
    let bytes = parse_size::parse_size(text).map_err(|e| format!("{text:?}: {e}"))?;
    match usize::try_from(bytes) {
        Ok(0) => Err("must be at least 1 byte".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{text:?} is too large")),
    }
}

/// `eblog parse` flags.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files, directories, .gz or .zip bundles to parse; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Shared flags.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Exit with status 1 when any input holds bytes that are not records (`unparsed`).
    #[arg(long)]
    pub strict: bool,
    /// Keep reading the files as they grow, like `tail -F` (survives rotation and
    /// truncation); stop with Ctrl-C.
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub to: ParseOutput,
    /// Time and host filters.
    #[command(flatten)]
    pub window: WindowArgs,
    /// Record filters.
    #[command(flatten)]
    pub filter: RecordFilterArgs,
    /// Write to this file instead of stdout (required for parquet).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `eblog scan` flags.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files, directories, .gz or .zip bundles to scan.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// The dataset directory to write: created, or holding a previous eblog dataset (its
    /// files are replaced once the new one is complete; files eblog did not write are
    /// left alone).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write into a non-empty directory that holds no eblog dataset (nothing there
    /// is touched; eblog's files are added beside).
    #[arg(long)]
    pub force: bool,
    /// Table file format.
    #[arg(long, value_enum, default_value = "parquet")]
    pub to: ScanOutput,
    /// Scan only shard K of N: a deterministic 1/N of the inputs, host by host.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::shard::Shard>,
    /// Shared flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `eblog parse --to` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseOutput {
    /// JSON lines: one record per line, every field.
    Jsonl,
    /// CSV of the envelope columns.
    Csv,
    /// One flat Parquet file of records (needs -o).
    Parquet,
}

/// `eblog scan --to` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanOutput {
    /// Parquet files, zstd-compressed.
    Parquet,
    /// JSON-lines files with the same layout.
    Jsonl,
}

/// `eblog formats` flags.
#[derive(Debug, Args)]
pub struct FormatsArgs {
    /// List the record kinds and their fields instead.
    #[arg(long)]
    pub kinds: bool,
}

/// The `--format` values: every format's name, from its spec.
impl ValueEnum for crate::record::Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}
