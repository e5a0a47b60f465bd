//! Format detection: by file name first, then by the first header line found in the
//! first [`DETECT_WINDOW`] bytes.

use super::lines;
use crate::record::Format;
use eblog_grammars::common::trim_eol;
use eblog_grammars::{amzn, ruby_logger};
use std::path::Path;

/// How many leading bytes content detection looks at.
pub const DETECT_WINDOW: usize = 64 * 1024;

/// The agents' own file names, longest first where one is a prefix of another.
const NAMES: [(&str, Format); 11] = [
    ("eb-cfn-init.log", Format::EbCfnInit),
    ("cfn-init-cmd.log", Format::CfnInitCmd),
    ("cfn-init.log", Format::CfnInit),
    ("cfn-hup.log", Format::CfnHup),
    ("cfn-wire.log", Format::CfnWire),
    ("eb-commandprocessor.log", Format::CmdProcessor),
    ("eb-activity.log", Format::Activity),
    ("eb-engine.log", Format::Engine),
    ("eb-hooks.log", Format::Hooks),
    ("web.stdout.log", Format::WebStdout),
    ("daemon.log", Format::HealthdDaemon),
];

/// Whether `name` holds `stem` where a file name would: at its start or after a separator
/// of a flattened path (`_var_log_eb-engine.log-1600000000`).
fn names(name: &str, stem: &str) -> bool {
    name.match_indices(stem)
        .any(|(at, _)| at == 0 || matches!(name.as_bytes()[at - 1], b'_' | b'/' | b'-' | b'.'))
}

/// The format a file's path says, for the agents' own names, their rotations
/// (`cfn-hup.log.1`, `eb-activity.log-20200821`, `eb-commandprocessor.log.gz`), the
/// flattened names of logs published to S3 (`_var_log_eb-engine.log-1600000000.gz`), and
/// the proxy's logs by their folder (`nginx/access.log`, `nginx/healthd/application.log.*`).
pub fn detect_by_name(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    let full = path.to_string_lossy();
    let in_folder = |folder: &str| {
        full.contains(&format!("{folder}/")) || full.contains(&format!("_{folder}_"))
    };
    if name.contains("application.log") && in_folder("healthd") {
        return Some(Format::Healthd);
    }
    if in_folder("nginx") {
        if names(name, "access.log") {
            return Some(Format::NginxAccess);
        }
        if names(name, "error.log") {
            return Some(Format::NginxError);
        }
    }
    if let Some(format) = bundle_neighbour(name, &in_folder) {
        return Some(format);
    }
    NAMES
        .iter()
        .filter(|(_, f)| *f != Format::HealthdDaemon || in_folder("healthd"))
        .find(|(stem, _)| names(name, stem))
        .map(|&(_, f)| f)
}

/// The other files of an instance bundle that eblog reads, by path only: EB's
/// log-publishing and tools logs (cfn-hup's or the engine's layout by content, but
/// neither agent), the Docker platform's process log (the engine's layout, not an engine
/// run) and the application's own logs.
fn bundle_neighbour(name: &str, in_folder: &dyn Fn(&str) -> bool) -> Option<Format> {
    if names(name, "eb-tools.log") || names(name, "eb-publish-logs.log") {
        return Some(Format::EbTools);
    }
    if names(name, "eb-docker-process.log") {
        return Some(Format::DockerProcess);
    }
    // `web-1.log`, `web-1.error.log` (legacy Java SE's Procfile processes), rotated too.
    let web_process = name
        .strip_prefix("web-")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(n, ext)| {
            let numbered = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
            numbered && (ext.starts_with("log") || ext.starts_with("error.log"))
        });
    let app = names(name, "nodejs.log")
        || name.contains("-stdouterr.log")
        || in_folder("eb-current-app")
        || (in_folder("tomcat") || in_folder("tomcat8")) && name.starts_with("catalina.")
        || names(name, "docker-events.log")
        || in_folder("ecs") && (names(name, "ecs-agent.log") || names(name, "ecs-init.log"))
        || web_process;
    app.then_some(Format::AppLog)
}

/// cfn-init.log messages that cfn-hup never writes.
const CFN_INIT_MARKERS: [&str; 8] = [
    "-----------------------Starting build",
    "-----------------------Build complete",
    "-----------------------BUILD FAILED",
    "Running configSets: ",
    "Running configSet ",
    "Running config ",
    "ConfigSets completed",
    "Unhandled exception during build",
];

/// cfn-hup.log messages that cfn-init never writes.
const CFN_HUP_MARKERS: [&str; 8] = [
    "Receiving messages for queue",
    "command processing is alive.",
    "cfn-hup processing is alive.",
    "Received command ",
    "Running action for ",
    "Setting umask value to",
    "No umask value specified",
    "Refreshing listener credentials",
];

/// Formats that one line tells apart on its own.
fn single_line_format(line: &[u8]) -> Option<Format> {
    use eblog_grammars::{eb_cfn_init, engine, healthd, nginx, web_stdout};
    if engine::is_header(line) {
        Some(Format::Engine)
    } else if eb_cfn_init::is_header(line) {
        Some(Format::EbCfnInit)
    } else if healthd::parse_appstat_line(line).is_some() {
        Some(Format::Healthd)
    } else if healthd::is_daemon_header(line) {
        Some(Format::HealthdDaemon)
    } else if nginx::parse_access_line(line).is_some() {
        Some(Format::NginxAccess)
    } else if nginx::is_error_header(line) {
        Some(Format::NginxError)
    } else if web_stdout::is_header(line) {
        Some(Format::WebStdout)
    } else {
        None
    }
}

/// The format the first header lines of `head` say, or `None` when no line of the first
/// [`DETECT_WINDOW`] bytes is a header of any known format.
pub fn detect_by_content(head: &[u8]) -> Option<Format> {
    let head = &head[..head.len().min(DETECT_WINDOW)];
    let mut amzn_seen = false;
    for line in lines(head).map(trim_eol) {
        // The Ruby logger's `[ts] LEVEL [pid]` starts like eb-cfn-init's `[ts] `: try it first.
        if let Ok((_, h)) = ruby_logger::parse_header(line) {
            return Some(if h.activity.is_some() {
                Format::Activity
            } else {
                Format::CmdProcessor
            });
        }
        if let Some(format) = single_line_format(line) {
            return Some(format);
        }
        if let Ok((message, h)) = amzn::parse_header(line) {
            if h.pid.is_some() {
                return Some(Format::CfnInitCmd);
            }
            amzn_seen = true;
            if message.starts_with(b"Response: ") || message.starts_with(b"Response error: ") {
                return Some(Format::CfnWire);
            }
            if CFN_INIT_MARKERS
                .iter()
                .any(|m| message.starts_with(m.as_bytes()))
            {
                return Some(Format::CfnInit);
            }
            if CFN_HUP_MARKERS
                .iter()
                .any(|m| message.starts_with(m.as_bytes()))
            {
                return Some(Format::CfnHup);
            }
        }
    }
    amzn_seen.then_some(Format::CfnHup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_rotations() {
        for (name, format) in [
            ("/var/log/cfn-hup.log", Format::CfnHup),
            ("cfn-hup.log.3", Format::CfnHup),
            ("cfn-init-cmd.log", Format::CfnInitCmd),
            ("cfn-init.log", Format::CfnInit),
            ("logs/eb-activity.log-20200821", Format::Activity),
            ("eb-commandprocessor.log.gz", Format::CmdProcessor),
        ] {
            assert_eq!(detect_by_name(Path::new(name)), Some(format), "{name}");
        }
        assert_eq!(detect_by_name(Path::new("x.log")), None);
        for (name, format) in [
            ("_var_log_eb-engine.log-1600000000.gz", Format::Engine),
            ("var/log/eb-engine.log", Format::Engine),
            ("eb-hooks.log", Format::Hooks),
            ("/var/log/nginx/access.log", Format::NginxAccess),
            ("/var/log/nginx/access.log-20220914.gz", Format::NginxAccess),
            ("/var/log/nginx/error.log", Format::NginxError),
            (
                "/var/log/nginx/healthd/application.log.2022-09-14-18",
                Format::Healthd,
            ),
            ("/var/log/healthd/daemon.log", Format::HealthdDaemon),
            ("web.stdout.log", Format::WebStdout),
            ("eb-cfn-init.log", Format::EbCfnInit),
        ] {
            assert_eq!(detect_by_name(Path::new(name)), Some(format), "{name}");
        }
        assert_eq!(
            detect_by_name(Path::new("/var/log/error.log")),
            None,
            "an error.log outside nginx/"
        );
        assert_eq!(detect_by_name(Path::new("/var/log/daemon.log")), None);
        for (name, format) in [
            ("/var/log/eb-publish-logs.log", Format::EbTools),
            ("/var/log/eb-tools.log", Format::EbTools),
            ("_var_log_eb-tools.log-1713025085.gz", Format::EbTools),
            ("/var/log/eb-docker-process.log", Format::DockerProcess),
            ("/var/log/nodejs/nodejs.log", Format::AppLog),
            (
                "/var/log/containers/web-4f2a9c0d1e7b-stdouterr.log",
                Format::AppLog,
            ),
            (
                "/var/log/eb-docker/containers/eb-current-app/eb-4f2a9c0d1e7b-stdouterr.log",
                Format::AppLog,
            ),
            (
                "/var/log/eb-docker/containers/eb-current-app/unexpected-quit.log",
                Format::AppLog,
            ),
            ("/var/log/tomcat/catalina.2021-07-13.log", Format::AppLog),
            ("/var/log/tomcat8/catalina.out", Format::AppLog),
            ("/var/log/web-1.log", Format::AppLog),
            ("/var/log/web-1.error.log", Format::AppLog),
            ("/var/log/docker-events.log", Format::AppLog),
            ("/var/log/ecs/ecs-agent.log.2020-08-16-10", Format::AppLog),
            ("/var/log/ecs/ecs-init.log", Format::AppLog),
        ] {
            assert_eq!(detect_by_name(Path::new(name)), Some(format), "{name}");
        }
        for name in [
            "/var/log/catalina.out",
            "/var/log/web-x.log",
            "/var/log/webapp-1.log",
        ] {
            assert_eq!(detect_by_name(Path::new(name)), None, "{name}");
        }
        assert_eq!(
            detect_by_name(Path::new("my-cfn-hup.log.bak")),
            Some(Format::CfnHup)
        );
    }

    #[test]
    fn content_decides_between_siblings() {
        assert_eq!(
            detect_by_content(b"[2018-09-17T23:29:07.266Z] INFO  [2273]  - [CMD-TailLogs] : Starting activity...\n"),
            Some(Format::Activity)
        );
        assert_eq!(
            detect_by_content(b"[2018-09-17T23:29:07.266Z] DEBUG [2273]  : Reading\n"),
            Some(Format::CmdProcessor)
        );
        assert_eq!(
            detect_by_content(b"noise\n2018-03-26 20:13:12,518 [INFO] -----------------------Starting build-----------------------\n"),
            Some(Format::CfnInit)
        );
        assert_eq!(
            detect_by_content(
                b"2018-03-26 20:13:12,518 [DEBUG] Response: 200 https://x [headers: {}]\n"
            ),
            Some(Format::CfnWire)
        );
        assert_eq!(
            detect_by_content(b"2018-03-26 20:13:12,518 [INFO] anything\n"),
            Some(Format::CfnHup)
        );
        assert_eq!(
            detect_by_content(b"2018-03-26 20:13:12,518 P123 [INFO] Command x\n"),
            Some(Format::CfnInitCmd)
        );
        assert_eq!(detect_by_content(b"hello\nworld\n"), None);
    }
}
