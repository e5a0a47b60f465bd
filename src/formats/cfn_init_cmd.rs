//! `/var/log/cfn-init-cmd.log`: one record per line of the commands cfn-init runs, each
//! line stamped with the process id (`P1234`) (docs/formats.md "cfn-init-cmd.log").

use super::common::{amzn_header, amzn_parts};
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;

/// What cfn-init-cmd.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CfnInitCmd,
    name: "cfn-init-cmd",
    usual_path: "/var/log/cfn-init-cmd.log",
    by_name: ByName::Stems(&["cfn-init-cmd.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::Amzn,
        // Only this cfn-* log writes a pid.
        line: |line| amzn_parts(line).is_some_and(|(_, pid)| pid),
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header: eblog_grammars::amzn::is_header,
        line_per_record: true,
        free_text: false,
        output_follows_run: false,
    },
    header: amzn_header,
    decode,
    context: no_context,
};

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::cfn_init::cmd_log(d.msg)
}
