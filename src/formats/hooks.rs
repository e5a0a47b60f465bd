//! `/var/log/eb-hooks.log`: the platform hooks' log, engine-style lines and the hooks' own
//! raw output (docs/formats.md "eb-hooks.log").

use super::common::engine_header;
use super::{engine, no_context, ByName, Format, FormatSpec, Framing};

/// What eb-hooks.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::Hooks,
    name: "hooks",
    usual_path: "/var/log/eb-hooks.log",
    by_name: ByName::Stems(&["eb-hooks.log"]),
    // Its lines are the engine's: content says `engine`.
    by_content: None,
    framing: Framing {
        free_text: true,
        ..engine::FRAMING
    },
    header: engine_header,
    decode: engine::decode,
    context: no_context,
};
