//! `/var/log/nginx/healthd/application.log.YYYY-MM-DD-HH`: the proxy's request log in
//! healthd's `appstat` layout, one request per line (docs/formats.md "healthd").

use super::{no_context, ByName, Decoding, FileName, Format, FormatSpec, Framing, NameTier};
use super::{Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use eblog_grammars::healthd;

/// What healthd's request log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::Healthd,
    name: "healthd",
    usual_path: "/var/log/nginx/healthd/application.log.YYYY-MM-DD-HH",
    by_name: ByName::Rule(NameTier::Folder, |f: &FileName<'_>| {
        f.name.contains("application.log") && f.in_folder("healthd")
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
    healthd::parse_appstat_line(line).is_some()
}

/// The line is the record: its stamp is one of its fields.
fn header<'a>(bytes: &'a [u8], _: &Context) -> Option<Header<'a>> {
    Some(Header::bare(bytes))
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::web::healthd(d.msg.first)
}
