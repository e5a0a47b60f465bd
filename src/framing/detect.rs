//! Format detection: by file name first, then by the first header line found in the
//! first [`DETECT_WINDOW`] bytes.

use super::lines;
use crate::record::Format;
use eblog_grammars::common::trim_eol;
use eblog_grammars::{amzn, ruby_logger};
use std::path::Path;

/// How many leading bytes content detection looks at.
pub const DETECT_WINDOW: usize = 64 * 1024;

/// The format a file name says, for the agents' own names and their rotations
/// (`cfn-hup.log`, `cfn-hup.log.1`, `eb-activity.log-20200821`, `eb-commandprocessor.log.gz`).
pub fn detect_by_name(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    // Longest prefixes first: `cfn-init-cmd.log` before `cfn-init.log`.
    const NAMES: [(&str, Format); 6] = [
        ("cfn-init-cmd.log", Format::CfnInitCmd),
        ("cfn-init.log", Format::CfnInit),
        ("cfn-hup.log", Format::CfnHup),
        ("cfn-wire.log", Format::CfnWire),
        ("eb-commandprocessor.log", Format::CmdProcessor),
        ("eb-activity.log", Format::Activity),
    ];
    NAMES
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|&(_, f)| f)
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

/// The format the first header lines of `head` say, or `None` when no line of the first
/// [`DETECT_WINDOW`] bytes is a header of any known format.
pub fn detect_by_content(head: &[u8]) -> Option<Format> {
    let head = &head[..head.len().min(DETECT_WINDOW)];
    let mut amzn_seen = false;
    for line in lines(head).map(trim_eol) {
        if let Ok((_, h)) = ruby_logger::parse_header(line) {
            return Some(if h.activity.is_some() {
                Format::Activity
            } else {
                Format::CmdProcessor
            });
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
