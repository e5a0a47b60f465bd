//! `/var/log/cfn-wire.log`: the HTTP responses the cfn clients receive
//! (docs/formats.md "cfn-wire.log").

use super::common::{amzn_header, amzn_message_starts};
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;

/// What cfn-wire.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CfnWire,
    name: "cfn-wire",
    usual_path: "/var/log/cfn-wire.log",
    by_name: ByName::Stems(&["cfn-wire.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::Amzn,
        line: |line| amzn_message_starts(line, &["Response: ", "Response error: "]),
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header: eblog_grammars::amzn::is_header,
        line_per_record: false,
        free_text: false,
        output_follows_run: false,
    },
    header: amzn_header,
    decode,
    context: no_context,
};

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::cfn_wire::event(d.msg)
}
