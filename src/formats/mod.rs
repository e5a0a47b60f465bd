//! What each log format is, one module per format: its name, where it is usually found,
//! how its files are recognised (by name, by content), how its bytes are cut into records,
//! its header grammar and template decoder, and what it needs to know about its file.
//!
//! [`Format::spec`] is the one `match` on the format; everything else ([`Format::ALL`],
//! [`Format::name`], detection in [`crate::framing`], the `--format` values, `eblog
//! formats`, the decode loop, the scanner's cut points) reads the [`FormatSpec`].
//!
//! Adding a format (docs/architecture.md "Adding a format"): a grammar module in
//! `grammars/`, a module here that exports its `SPEC`, one `Format` variant (with its arm in
//! [`Format::spec`] and its entry in [`SPECS`]), a sample in `samples/` and its snapshot.
#![forbid(unsafe_code)]

pub mod activity;
pub mod app_log;
pub mod cfn_hup;
pub mod cfn_init;
pub mod cfn_init_cmd;
pub mod cfn_wire;
pub mod cloud_init;
pub mod cmd_processor;
mod common;
pub mod docker_process;
pub mod eb_cfn_init;
pub mod eb_tools;
pub mod engine;
pub mod healthd;
pub mod healthd_daemon;
pub mod hooks;
pub mod nginx_access;
pub mod nginx_error;
pub mod web_stdout;

use crate::decode::parts::{Context, Found, Header, Message};
use crate::record::{Event, Format};
use crate::time::Zone;
use std::borrow::Cow;
use std::fmt;
use std::path::Path;

/// How many leading bytes content detection (and a format's [`FileFacts::head`]) looks at.
pub const DETECT_WINDOW: usize = 64 * 1024;

/// Everything eblog knows about one format.
#[derive(Debug, Clone, Copy)]
pub struct FormatSpec {
    /// The variant this spec describes.
    pub format: Format,
    /// The name used in records (`format`), on the command line (`--format`) and in
    /// datasets.
    pub name: &'static str,
    /// The file the format is usually found in.
    pub usual_path: &'static str,
    /// How a file's path tells the format.
    pub by_name: ByName,
    /// How a file's first lines tell the format; `None` for formats told by name only.
    pub by_content: Option<Sniff>,
    /// How the format's bytes are cut into records.
    pub framing: Framing,
    /// The header grammar: a record's bytes → its envelope and message.
    pub(crate) header: for<'a> fn(&'a [u8], &Context) -> Option<Header<'a>>,
    /// The template decoder: a record's message → its kind and fields.
    pub(crate) decode: fn(&Decoding<'_>) -> Found,
    /// What the format needs to know about its file beyond its bytes (web.stdout.log's
    /// syslog year); [`no_context`] for most.
    pub(crate) context: fn(&mut Context, &FileFacts<'_>),
}

/// How a file's path tells its format.
#[derive(Debug, Clone, Copy)]
pub enum ByName {
    /// Never by name (content or `--format` only).
    Never,
    /// The agent's own file names (stems): found at the start of the file name or after a
    /// separator, so rotations (`cfn-hup.log.1`, `eb-activity.log-20200821`) and the
    /// flattened names of published logs (`_var_log_eb-engine.log-1600000000.gz`) match.
    /// Checked after every [`ByName::Rule`]; where several stems match, the longest wins
    /// (`eb-cfn-init.log` before `cfn-init.log`).
    Stems(&'static [&'static str]),
    /// A rule on the path, checked before the stems, tier by tier, in [`SPECS`] order
    /// within a tier.
    Rule(NameTier, fn(&FileName<'_>) -> bool),
}

/// The order in which path rules are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameTier {
    /// Rules that need a folder (`nginx/`, `healthd/`): the proxy's and healthd's logs.
    Folder,
    /// The other files of a bundle that eblog reads by path only.
    Neighbour,
}

/// A file's path, as name detection looks at it.
#[derive(Debug)]
pub struct FileName<'a> {
    /// The last component.
    pub name: &'a str,
    /// The whole path, lossily.
    pub full: Cow<'a, str>,
}

impl FileName<'_> {
    /// Whether the file name holds `stem` where a file name would: at its start or after
    /// a separator of a flattened path (`_var_log_eb-engine.log-1600000000`).
    pub fn names(&self, stem: &str) -> bool {
        names(self.name, stem)
    }

    /// Whether the path goes through `folder` (`nginx/access.log`, `_var_log_nginx_...`).
    pub fn in_folder(&self, folder: &str) -> bool {
        self.full.contains(&format!("{folder}/")) || self.full.contains(&format!("_{folder}_"))
    }
}

/// Whether `name` holds `stem` at its start or after a separator.
fn names(name: &str, stem: &str) -> bool {
    name.match_indices(stem)
        .any(|(at, _)| at == 0 || matches!(name.as_bytes()[at - 1], b'_' | b'/' | b'-' | b'.'))
}

/// How one line tells a format.
#[derive(Debug, Clone, Copy)]
pub struct Sniff {
    /// Lines are tried against the tiers in order, formats in [`SPECS`] order within one.
    pub tier: SniffTier,
    /// Whether `line` (without its terminator) is a line only this format writes.
    pub line: fn(&[u8]) -> bool,
    /// Whether `line` is a line of this format or a sibling's: the format taken when no
    /// line of the window told a format for sure (cfn-hup, for any cfn-* line).
    pub fallback: Option<fn(&[u8]) -> bool>,
    /// Whether content alone is not enough in a directory or an archive (system syslogs
    /// share web.stdout.log's layout): the file must also have the format's name.
    pub needs_name: bool,
}

/// The order in which content detection tries formats on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SniffTier {
    /// Ruby's Logger (`[ts] LEVEL [pid]`), which starts like eb-cfn-init's `[ts] `.
    RubyLogger,
    /// Formats whose header line is theirs alone.
    OwnLine,
    /// The cfn-* layout (`YYYY-MM-DD HH:MM:SS,mmm [LEVEL]`), told apart by message.
    Amzn,
}

/// How a format's bytes are cut into records.
#[derive(Debug, Clone, Copy)]
pub struct Framing {
    /// Whether a line (without its terminator) starts a record.
    pub is_header: fn(&[u8]) -> bool,
    /// Every line is a record of its own (no continuation lines): a line that is not a
    /// header is `unparsed` by itself rather than glued to the one before.
    pub line_per_record: bool,
    /// Free text outside records is expected (hooks and bootstrap scripts write raw
    /// output): such lines become `other` records, not `unparsed`.
    pub free_text: bool,
    /// Some records are told by the record before them (the engine's command output
    /// follows its `Running command`): the scanner cuts a file into chunks only at a
    /// header outside a command run. Otherwise any header is a safe cut.
    pub output_follows_run: bool,
}

/// What a template decoder is given.
pub(crate) struct Decoding<'a> {
    /// The message, split into level, first line and continuation.
    pub msg: &'a Message<'a>,
    /// The record's whole bytes.
    pub bytes: &'a [u8],
    /// The file's context.
    pub ctx: &'a Context,
    /// The event of the record before, where [`crate::decode::lookback`] keeps one.
    pub prev: Option<&'a Event>,
    /// Whether the header carried a time stamp.
    pub stamped: bool,
}

/// What is known about a file besides its bytes, for [`FormatSpec::context`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FileFacts<'a> {
    /// The file's first bytes (at least the detection window where the file is that long).
    pub head: &'a [u8],
    /// The file's name, where a date in it may be trusted (logrotate's, S3's).
    pub name: Option<&'a str>,
    /// The year and month the file was last written, where known.
    pub written: Option<(i32, u32)>,
}

/// For formats that need nothing beyond their bytes.
pub(crate) fn no_context(_: &mut Context, _: &FileFacts<'_>) {}

/// A decoding context for `source` in `format`: the ids its path names and whatever the
/// format needs to know of the file ([`FileFacts`]).
pub fn file_context(
    source: &str,
    format: Option<Format>,
    zone: Zone,
    facts: &FileFacts<'_>,
) -> Context {
    let mut ctx = Context::new(source, format, zone);
    if let Some(format) = format {
        (format.spec().context)(&mut ctx, facts);
    }
    ctx
}

/// Every format's spec, in [`Format`]'s declaration order (a test checks it): the order
/// `eblog formats` lists them and detection tries them.
pub const SPECS: &[FormatSpec] = &[
    cfn_hup::SPEC,
    cfn_init::SPEC,
    cfn_init_cmd::SPEC,
    cfn_wire::SPEC,
    cmd_processor::SPEC,
    activity::SPEC,
    engine::SPEC,
    hooks::SPEC,
    eb_cfn_init::SPEC,
    healthd::SPEC,
    healthd_daemon::SPEC,
    nginx_access::SPEC,
    nginx_error::SPEC,
    web_stdout::SPEC,
    eb_tools::SPEC,
    docker_process::SPEC,
    app_log::SPEC,
    cloud_init::SPEC,
];

impl Format {
    /// Every format, in the order `eblog formats` lists them.
    pub const ALL: [Format; SPECS.len()] = {
        let mut all = [Format::CfnHup; SPECS.len()];
        let mut i = 0;
        while i < SPECS.len() {
            all[i] = SPECS[i].format;
            i += 1;
        }
        all
    };

    /// What the format is.
    pub fn spec(self) -> &'static FormatSpec {
        match self {
            Format::CfnHup => &cfn_hup::SPEC,
            Format::CfnInit => &cfn_init::SPEC,
            Format::CfnInitCmd => &cfn_init_cmd::SPEC,
            Format::CfnWire => &cfn_wire::SPEC,
            Format::CmdProcessor => &cmd_processor::SPEC,
            Format::Activity => &activity::SPEC,
            Format::Engine => &engine::SPEC,
            Format::Hooks => &hooks::SPEC,
            Format::EbCfnInit => &eb_cfn_init::SPEC,
            Format::Healthd => &healthd::SPEC,
            Format::HealthdDaemon => &healthd_daemon::SPEC,
            Format::NginxAccess => &nginx_access::SPEC,
            Format::NginxError => &nginx_error::SPEC,
            Format::WebStdout => &web_stdout::SPEC,
            Format::EbTools => &eb_tools::SPEC,
            Format::DockerProcess => &docker_process::SPEC,
            Format::AppLog => &app_log::SPEC,
            Format::CloudInit => &cloud_init::SPEC,
        }
    }

    /// The name used in records and on the command line.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The file the format is usually found in.
    pub fn usual_path(self) -> &'static str {
        self.spec().usual_path
    }

    /// Looks a format up by its [`name`](Format::name).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Format {
    /// As a unit variant renamed to [`Format::name`], as `#[serde(rename)]` would.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("Format", *self as u32, self.name())
    }
}

/// The format a file's path says (see [`ByName`]).
pub fn detect_by_name(path: &Path) -> Option<Format> {
    let file = FileName {
        name: path.file_name()?.to_str()?,
        full: path.to_string_lossy(),
    };
    for tier in [NameTier::Folder, NameTier::Neighbour] {
        let found = SPECS.iter().find(|s| match s.by_name {
            ByName::Rule(t, rule) => t == tier && rule(&file),
            _ => false,
        });
        if let Some(spec) = found {
            return Some(spec.format);
        }
    }
    SPECS
        .iter()
        .filter_map(|s| match s.by_name {
            ByName::Stems(stems) => stems
                .iter()
                .filter(|stem| file.names(stem))
                .map(|stem| (stem.len(), s.format))
                .max_by_key(|&(len, _)| len),
            _ => None,
        })
        // The longest stem wins; between equal lengths, the first in SPECS order.
        .reduce(|best, next| if next.0 > best.0 { next } else { best })
        .map(|(_, format)| format)
}

/// The format `line` tells for sure, trying tiers in order.
pub(crate) fn sniff_line(line: &[u8]) -> Option<Format> {
    [SniffTier::RubyLogger, SniffTier::OwnLine, SniffTier::Amzn]
        .into_iter()
        .find_map(|tier| {
            SPECS
                .iter()
                .filter_map(|s| s.by_content.map(|sniff| (s.format, sniff)))
                .find(|(_, sniff)| sniff.tier == tier && (sniff.line)(line))
                .map(|(format, _)| format)
        })
}

/// The format taken when no line told one for sure but `line` is one of its family's.
pub(crate) fn sniff_fallback(line: &[u8]) -> Option<Format> {
    SPECS.iter().find_map(|s| {
        let fallback = s.by_content?.fallback?;
        fallback(line).then_some(s.format)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_follow_the_enum_and_name_their_own_variant() {
        for (i, spec) in SPECS.iter().enumerate() {
            assert_eq!(spec.format as usize, i, "{}", spec.name);
            assert_eq!(spec.format.spec().name, spec.name);
            assert_eq!(Format::from_name(spec.name), Some(spec.format));
        }
        let mut names: Vec<_> = SPECS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SPECS.len(), "format names are unique");
    }

    #[test]
    fn the_longest_stem_wins_and_rules_come_first() {
        let by_name = |p: &str| detect_by_name(Path::new(p));
        assert_eq!(by_name("/var/log/eb-cfn-init.log"), Some(Format::EbCfnInit));
        assert_eq!(by_name("/var/log/cfn-init.log.1"), Some(Format::CfnInit));
        assert_eq!(by_name("/var/log/cloud-init.log"), Some(Format::CloudInit));
        assert_eq!(
            by_name("_var_log_cloud-init.log-1700000000.gz"),
            Some(Format::CloudInit)
        );
        // The raw output of the same boot is another file.
        assert_eq!(by_name("/var/log/cloud-init-output.log"), None);
        // A folder rule before the stems: an application log under eb-current-app/.
        assert_eq!(
            by_name("/var/log/eb-docker/containers/eb-current-app/eb-engine.log"),
            Some(Format::AppLog)
        );
    }

    #[test]
    fn content_tiers_and_the_cfn_fallback() {
        let sniff = |line: &[u8]| sniff_line(line);
        assert_eq!(
            sniff(b"2026-11-30 07:14:31,118 - util.py[DEBUG]: Cloud-init v. 22.2.2 running 'init'"),
            Some(Format::CloudInit)
        );
        // Ruby's Logger is tried before eb-cfn-init's `[ts] `.
        assert_eq!(
            sniff(b"[2019-03-04T17:22:05.123Z] INFO  [3127]  : Running 2 of 6 actions: X..."),
            Some(Format::CmdProcessor)
        );
        let plain = b"2018-03-26 20:13:12,518 [INFO] anything";
        assert_eq!(
            sniff(plain),
            None,
            "no cfn-* log claims a plain line for sure"
        );
        assert_eq!(sniff_fallback(plain), Some(Format::CfnHup));
        assert_eq!(sniff_fallback(b"hello"), None);
    }

    #[test]
    fn only_web_stdout_reads_the_files_year() {
        let facts = FileFacts {
            head: b"Sep 14 18:41:06 ip-1 web[3390]: 2022-09-14T18:41:06Z up\n",
            name: Some("/var/log/web.stdout.log-20210101"),
            written: Some((2025, 1)),
        };
        let ctx = file_context("web.stdout.log", Some(Format::WebStdout), Zone::Utc, &facts);
        assert_eq!(ctx.year, Some((2022, 9)), "the file's own date first");
        let no_date = FileFacts {
            head: b"Sep 14 18:41:06 ip-1 web[3390]: up\n",
            ..facts
        };
        let ctx = file_context("x", Some(Format::WebStdout), Zone::Utc, &no_date);
        assert_eq!(ctx.year, Some((2021, 1)), "then the name's date");
        let ctx = file_context(
            "x",
            Some(Format::WebStdout),
            Zone::Utc,
            &FileFacts {
                name: None,
                ..no_date
            },
        );
        assert_eq!(ctx.year, Some((2025, 1)), "then the modification time");
        let ctx = file_context("x", Some(Format::Engine), Zone::Utc, &facts);
        assert_eq!(ctx.year, None);
    }

    #[test]
    fn serialises_as_its_name() {
        assert_eq!(
            serde_json::to_string(&Format::DockerProcess)
                .ok()
                .as_deref(),
            Some("\"eb-docker-process\"")
        );
    }
}
