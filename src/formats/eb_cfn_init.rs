//! `/var/log/eb-cfn-init.log`: the output of the bootstrap scripts cfn-init runs on
//! Amazon Linux 2 (`[ts] ` script lines, `+ ` xtrace lines, taillog blocks, raw tool
//! output) (docs/formats.md "eb-cfn-init.log").

use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use crate::time::{rfc3339, Zone};
use eblog_grammars::eb_cfn_init;

/// What eb-cfn-init.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::EbCfnInit,
    name: "eb-cfn-init",
    usual_path: "/var/log/eb-cfn-init.log",
    by_name: ByName::Stems(&["eb-cfn-init.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: eb_cfn_init::is_header,
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header,
        line_per_record: false,
        free_text: true,
        output_follows_run: false,
    },
    header,
    decode,
    context: no_context,
};

/// Script lines, xtrace lines and taillog blocks each start a record; raw tool output
/// continues the one before.
fn is_header(line: &[u8]) -> bool {
    eb_cfn_init::is_header(line)
        || std::str::from_utf8(line).is_ok_and(|l| {
            matches!(
                eb_cfn_init::classify_raw_line(l),
                eb_cfn_init::RawLine::Xtrace { .. } | eb_cfn_init::RawLine::TaillogStart { .. }
            )
        })
}

/// A stamped script line, or a record with no header (xtrace, taillog).
fn header<'a>(bytes: &'a [u8], _: &Context) -> Option<Header<'a>> {
    Some(match eb_cfn_init::parse_header(bytes) {
        Ok((message, h)) => Header {
            ts: rfc3339(&h.ts, Zone::Utc),
            message,
            ..Header::bare(bytes)
        },
        Err(_) => Header::bare(bytes),
    })
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::cfn_init::script(d.msg, d.stamped)
}
