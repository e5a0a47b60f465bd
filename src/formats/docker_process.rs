//! `/var/log/eb-docker-process.log`: the Docker platform's process manager, in the
//! engine's layout but no engine run (docs/formats.md "eb-docker-process.log").

use super::common::engine_header;
use super::{engine, no_context, ByName, FileName, Format, FormatSpec, NameTier};

/// What eb-docker-process.log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::DockerProcess,
    name: "eb-docker-process",
    usual_path: "/var/log/eb-docker-process.log",
    by_name: ByName::Rule(NameTier::Neighbour, |f: &FileName<'_>| {
        f.names("eb-docker-process.log")
    }),
    by_content: None,
    framing: engine::FRAMING,
    header: engine_header,
    decode: engine::decode,
    context: no_context,
};
