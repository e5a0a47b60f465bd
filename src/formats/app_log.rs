//! An application's own log, one `app_output` record per line, stamped where the line
//! starts with a time (docs/formats.md "Application logs").

use super::{no_context, ByName, Decoding, FileName, Format, FormatSpec, Framing, NameTier};
use crate::decode::parts::{Context, Found, Header};

/// What an application log is.
pub const SPEC: FormatSpec = FormatSpec {
    format: Format::AppLog,
    name: "app-log",
    usual_path: "/var/log/nodejs/nodejs.log",
    by_name: ByName::Rule(NameTier::Neighbour, by_name),
    by_content: None,
    framing: Framing {
        // Every line the application writes is a record of its own.
        is_header: |_| true,
        line_per_record: true,
        free_text: false,
        output_follows_run: false,
    },
    header,
    decode,
    context: no_context,
};

/// `nodejs/nodejs.log`, `containers/*-stdouterr.log`, `eb-docker/containers/eb-current-app/*`,
/// `tomcat/catalina.*`, `web-1.log` and `web-1.error.log` (legacy Java SE's Procfile
/// processes, rotated too), `docker-events.log`, `ecs/ecs-agent.log`, `ecs/ecs-init.log`.
fn by_name(f: &FileName<'_>) -> bool {
    let name = f.name;
    let web_process = name
        .strip_prefix("web-")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(n, ext)| {
            let numbered = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
            numbered && (ext.starts_with("log") || ext.starts_with("error.log"))
        });
    f.names("nodejs.log")
        || name.contains("-stdouterr.log")
        || f.in_folder("eb-current-app")
        || (f.in_folder("tomcat") || f.in_folder("tomcat8")) && name.starts_with("catalina.")
        || f.names("docker-events.log")
        || f.in_folder("ecs") && (f.names("ecs-agent.log") || f.names("ecs-init.log"))
        || web_process
}

fn header<'a>(bytes: &'a [u8], _: &Context) -> Option<Header<'a>> {
    Some(Header {
        ts: crate::decode::web::leading_stamp(bytes),
        ..Header::bare(bytes)
    })
}

fn decode(d: &Decoding<'_>) -> Found {
    crate::decode::web::app_log(&d.ctx.source)
}
