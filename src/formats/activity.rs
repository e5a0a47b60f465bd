//! `/var/log/eb-activity.log`: the legacy activity log, Ruby Logger's layout with an
//! activity path (`- [CMD-AppDeploy/AppDeployStage0/...]`) (docs/formats.md
//! "eb-activity.log").

use super::common::ruby_header;
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;
use eblog_grammars::ruby_logger;

/// What eb-activity.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::Activity,
    name: "activity",
    usual_path: "/var/log/eb-activity.log",
    by_name: ByName::Stems(&["eb-activity.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::RubyLogger,
        line: |line| ruby_logger::parse_header(line).is_ok_and(|(_, h)| h.activity.is_some()),
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
    crate::decode::activity::event(d.msg)
}
