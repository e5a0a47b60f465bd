//! `/var/log/nginx/error.log`: nginx's error log (`YYYY/MM/DD HH:MM:SS [level] pid#tid:`),
//! local time (docs/formats.md "nginx error.log").

use super::{no_context, ByName, Decoding, FileName, Format, FormatSpec, Framing, NameTier};
use super::{Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use crate::time::rfc3339;
use eblog_grammars::nginx;

/// What nginx's error log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::NginxError,
    name: "nginx-error",
    usual_path: "/var/log/nginx/error.log",
    by_name: ByName::Rule(NameTier::Folder, |f: &FileName<'_>| {
        f.in_folder("nginx") && f.names("error.log")
    }),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: nginx::is_error_header,
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header: nginx::is_error_header,
        line_per_record: false,
        free_text: false,
        output_follows_run: false,
    },
    header,
    decode,
    context: no_context,
};

fn header<'a>(bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    let (message, h) = nginx::parse_error_header(bytes).ok()?;
    Some(Header {
        ts: rfc3339(&h.ts, ctx.zone),
        level: Some(h.level),
        pid: Some(h.pid),
        activity: None,
        message,
    })
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::web::error(d.msg)
}
