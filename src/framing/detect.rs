//! Format detection: by file name first, then by the first header line found in the
//! first [`DETECT_WINDOW`] bytes.

use super::lines;
use crate::record::Format;
use eblog_grammars::common::trim_eol;
use std::path::Path;

pub use crate::formats::DETECT_WINDOW;

/// The format a file's path says, for the agents' own names, their rotations
/// (`cfn-hup.log.1`, `eb-activity.log-20200821`, `eb-commandprocessor.log.gz`), the
/// flattened names of logs published to S3 (`_var_log_eb-engine.log-1600000000.gz`), and
/// the proxy's logs by their folder (`nginx/access.log`, `nginx/healthd/application.log.*`).
/// Each format's rule is its spec's [`crate::formats::ByName`].
pub fn detect_by_name(path: &Path) -> Option<Format> {
    crate::formats::detect_by_name(path)
}

/// The format the first header lines of `head` say, or `None` when no line of the first
/// [`DETECT_WINDOW`] bytes is a header of any known format. Each format's test is its
/// spec's [`crate::formats::Sniff`]: the first line one format claims for sure decides;
/// failing that, a format whose family's lines were seen (cfn-hup for any cfn-* line).
pub fn detect_by_content(head: &[u8]) -> Option<Format> {
    let head = &head[..head.len().min(DETECT_WINDOW)];
    let mut fallback = None;
    for line in lines(head).map(trim_eol) {
        if let Some(format) = crate::formats::sniff_line(line) {
            return Some(format);
        }
        if fallback.is_none() {
            fallback = crate::formats::sniff_fallback(line);
        }
    }
    fallback
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
