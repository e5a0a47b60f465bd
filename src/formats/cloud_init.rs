//! `/var/log/cloud-init.log`: cloud-init's own log, which every Elastic Beanstalk
//! instance writes while it boots (user data, the bootstrap that installs the platform
//! agents) (docs/formats.md "cloud-init.log").

use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::{Context, Found, Header};
use crate::time::rfc3339;
use eblog_grammars::cloud_init;

/// What cloud-init.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CloudInit,
    name: "cloud-init",
    usual_path: "/var/log/cloud-init.log",
    // Not `cloud-init-output.log`, the raw output of the same boot.
    by_name: ByName::Stems(&["cloud-init.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: cloud_init::is_header,
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header: cloud_init::is_header,
        line_per_record: false,
        free_text: false,
        output_follows_run: false,
    },
    header,
    decode,
    context: no_context,
};

/// Local time in the context's zone (UTC on EC2 images); no pid.
fn header<'a>(bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    let (message, h) = cloud_init::parse_header(bytes).ok()?;
    Some(Header {
        ts: rfc3339(&h.ts, ctx.zone),
        level: Some(h.level),
        pid: None,
        activity: None,
        message,
    })
}

/// No templates of its own: `error` (with the Python traceback that follows) for error
/// levels, `other` for the rest.
fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::generic::event(d.msg)
}
