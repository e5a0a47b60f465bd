//! `/var/log/eb-engine.log`: the Amazon Linux 2/2023 platform engine
//! (docs/formats.md "eb-engine.log").

use super::common::engine_header;
use super::{no_context, ByName, Decoding, Format, FormatSpec, Framing, Sniff, SniffTier};
use crate::decode::parts::Found;

/// The engine's framing, shared by the formats written in its layout (hooks, the Docker
/// process manager): a command's output records follow its `Running command` record, so
/// the scanner cuts only outside a run.
pub(crate) const FRAMING: Framing = Framing {
    is_header: eblog_grammars::engine::is_header,
    line_per_record: false,
    free_text: false,
    output_follows_run: true,
};

/// What eb-engine.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::Engine,
    name: "engine",
    usual_path: "/var/log/eb-engine.log",
    by_name: ByName::Stems(&["eb-engine.log"]),
    by_content: Some(Sniff {
        tier: SniffTier::OwnLine,
        line: eblog_grammars::engine::is_header,
        fallback: None,
        needs_name: false,
    }),
    framing: FRAMING,
    header: engine_header,
    decode,
    context: no_context,
};

/// The engine's template decoder, shared by the formats in its layout.
pub(crate) fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::engine::event(d.msg, d.prev)
}
