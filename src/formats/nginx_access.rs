//! `/var/log/nginx/access.log`: nginx's `main` (combined) access log, one request per
//! line (docs/formats.md "nginx access.log").

use super::{no_context, ByName, Decoding, FileName, Format, FormatSpec, Framing, NameTier};
use super::{Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use eblog_grammars::nginx;

/// What nginx's access log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::NginxAccess,
    name: "nginx-access",
    usual_path: "/var/log/nginx/access.log",
    by_name: ByName::Rule(NameTier::Folder, |f: &FileName<'_>| {
        f.in_folder("nginx") && f.names("access.log")
    }),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: is_header,
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header,
        line_per_record: true,
        free_text: false,
        output_follows_run: false,
    },
    header,
    decode,
    context: no_context,
};

fn is_header(line: &[u8]) -> bool {
    nginx::parse_access_line(line).is_some()
}

/// The line is the record: its stamp is one of its fields.
fn header<'a>(bytes: &'a [u8], _: &Context) -> Option<Header<'a>> {
    Some(Header::bare(bytes))
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::web::access(d.msg.first)
}
