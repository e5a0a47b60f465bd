//! `/var/log/cfn-init.log`: aws-cfn-bootstrap's cfn-init, which runs an environment's
//! `.ebextensions` config sets (docs/formats.md "cfn-init.log").

use super::common::{amzn_header, amzn_message_starts};
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;

/// cfn-init.log messages that cfn-hup never writes.
const MARKERS: [&str; 8] = [
    "-----------------------Starting build",
    "-----------------------Build complete",
    "-----------------------BUILD FAILED",
    "Running configSets: ",
    "Running configSet ",
    "Running config ",
    "ConfigSets completed",
    "Unhandled exception during build",
];

/// What cfn-init.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CfnInit,
    name: "cfn-init",
    usual_path: "/var/log/cfn-init.log",
    by_name: ByName::Stems(&["cfn-init.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::Amzn,
        line: |line| amzn_message_starts(line, &MARKERS),
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
    crate::decode::cfn_init::cfn_init(d.msg)
}
