//! `/var/log/healthd/daemon.log`: the healthd agent's own log, Ruby Logger's short layout
//! (`I, [ts #pid]  INFO -- : ...`) (docs/formats.md "healthd/daemon.log").

use super::{no_context, ByName, Decoding, FileName, Format, FormatSpec, Framing, NameTier};
use super::{Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use crate::time::rfc3339;
use eblog_grammars::healthd;

/// What healthd's daemon.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::HealthdDaemon,
    name: "healthd-daemon",
    usual_path: "/var/log/healthd/daemon.log",
    // `daemon.log` is too common a name to trust outside `healthd/`.
    by_name: ByName::Rule(NameTier::Folder, |f: &FileName<'_>| {
        f.names("daemon.log") && f.in_folder("healthd")
    }),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: healthd::is_daemon_header,
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header: healthd::is_daemon_header,
        line_per_record: false,
        // Ruby's Logger opens a new file with a `# Logfile created` line.
        free_text: true,
        output_follows_run: false,
    },
    header,
    decode,
    context: no_context,
};

fn header<'a>(bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    let (message, h) = healthd::parse_daemon_header(bytes).ok()?;
    Some(Header {
        ts: rfc3339(&h.ts, ctx.zone),
        level: Some(h.level),
        pid: Some(h.pid),
        activity: None,
        message,
    })
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::generic::event(d.msg)
}
