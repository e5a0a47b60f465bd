//! `/var/log/cfn-hup.log`: aws-cfn-bootstrap's cfn-hup daemon, which on Elastic Beanstalk
//! also runs the commands the service sends (docs/formats.md "cfn-hup.log").

use super::common::{amzn_header, amzn_message_starts, amzn_parts};
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;

/// cfn-hup.log messages that cfn-init never writes.
const MARKERS: [&str; 8] = [
    "Receiving messages for queue",
    "command processing is alive.",
    "cfn-hup processing is alive.",
    "Received command ",
    "Running action for ",
    "Setting umask value to",
    "No umask value specified",
    "Refreshing listener credentials",
];

/// What cfn-hup.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CfnHup,
    name: "cfn-hup",
    usual_path: "/var/log/cfn-hup.log",
    by_name: ByName::Stems(&["cfn-hup.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::Amzn,
        line: |line| amzn_message_starts(line, &MARKERS),
        // Any cfn-* line, when no line said which of them the file is.
        fallback: Some(|line| amzn_parts(line).is_some()),
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
    crate::decode::cfn_hup::event(d.msg)
}
