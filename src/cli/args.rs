//! Command-line flags (clap). Only this module and `cli::run` know about them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// eblog: typed, structured records from AWS Elastic Beanstalk agent logs.
#[derive(Debug, Parser)]
#[command(name = "eblog", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse logs into JSON lines on stdout, one record per line, in input order.
    Parse(ParseArgs),
    /// List the formats eblog reads, or (with --kinds) the record kinds and their fields.
    Formats(FormatsArgs),
}

/// `eblog parse` flags.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to parse; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Force the format instead of detecting it (by file name, then by content).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Exit with status 1 when any input holds bytes that are not records (`unparsed`).
    #[arg(long)]
    pub strict: bool,
    /// Keep secrets (credentials, signatures) in the output instead of redacting them.
    #[arg(long)]
    pub no_redact: bool,
    /// Keep reading the files as they grow, like `tail -F` (survives rotation and
    /// truncation); stop with Ctrl-C.
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Time zone of the cfn-* logs' local-time stamps: UTC, +HH:MM, or an IANA name.
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub tz: String,
}

/// `eblog formats` flags.
#[derive(Debug, Args)]
pub struct FormatsArgs {
    /// List the record kinds and their fields instead.
    #[arg(long)]
    pub kinds: bool,
}

/// The `--format` values (kept apart from the library's `Format`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// cfn-hup.log
    CfnHup,
    /// cfn-init.log
    CfnInit,
    /// cfn-init-cmd.log
    CfnInitCmd,
    /// cfn-wire.log
    CfnWire,
    /// eb-commandprocessor.log
    CmdProcessor,
    /// eb-activity.log
    Activity,
}

impl From<FormatArg> for crate::record::Format {
    fn from(arg: FormatArg) -> Self {
        use crate::record::Format;
        match arg {
            FormatArg::CfnHup => Format::CfnHup,
            FormatArg::CfnInit => Format::CfnInit,
            FormatArg::CfnInitCmd => Format::CfnInitCmd,
            FormatArg::CfnWire => Format::CfnWire,
            FormatArg::CmdProcessor => Format::CmdProcessor,
            FormatArg::Activity => Format::Activity,
        }
    }
}
