//! `/var/log/eb-commandprocessor.log`: the legacy (Amazon Linux AMI) Ruby command
//! processor, in Ruby Logger's layout without an activity path
//! (docs/formats.md "eb-commandprocessor.log").

use super::common::ruby_header;
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;
use eblog_grammars::ruby_logger;

/// What eb-commandprocessor.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::CmdProcessor,
    name: "cmd-processor",
    usual_path: "/var/log/eb-commandprocessor.log",
    by_name: ByName::Stems(&["eb-commandprocessor.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::RubyLogger,
        line: |line| ruby_logger::parse_header(line).is_ok_and(|(_, h)| h.activity.is_none()),
        fallback: None,
        needs_name: false,
    }),
    framing: Framing {
        is_header: ruby_logger::is_header,
        line_per_record: false,
        free_text: false,
        output_follows_run: false,
    },
    header: ruby_header,
    decode,
    context: no_context,
};

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::cmd_processor::event(d.msg)
}
