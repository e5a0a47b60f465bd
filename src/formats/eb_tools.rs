//! `/var/log/eb-tools.log` and `/var/log/eb-publish-logs.log`: EB's log publishing and
//! tools, in cfn-hup's layout on legacy hosts and the engine's on Amazon Linux 2/2023
//! (docs/formats.md "eb-tools.log").

use super::common::{amzn_header, engine_header};
use super::{no_context, ByName, Decoding, FileName, Format, FormatSpec, Framing, NameTier};
use crate::decode::parts::{Context, Found, Header};

/// What eb-tools.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::EbTools,
    name: "eb-tools",
    usual_path: "/var/log/eb-tools.log",
    by_name: ByName::Rule(NameTier::Neighbour, |f: &FileName<'_>| {
        f.names("eb-tools.log") || f.names("eb-publish-logs.log")
    }),
    // Its lines are cfn-hup's or the engine's: content says one of those.
    by_content: None,
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

fn is_header(line: &[u8]) -> bool {
    eblog_grammars::amzn::is_header(line) || eblog_grammars::engine::is_header(line)
}

fn header<'a>(bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    amzn_header(bytes, ctx).or_else(|| engine_header(bytes, ctx))
}

/// Log publishing names the instance in the S3 keys it uploads to.
fn decode(d: &Decoding<'_>) -> Found {
    let mut found = crate::decode::generic::event(d.msg);
    found.instance_id = crate::ids::instance_id(d.msg.first).map(str::to_owned);
    found
}
