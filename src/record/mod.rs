//! The record model: one [`Record`] per log record, with the envelope every format shares
//! (docs/architecture.md "A record's path") and a typed, kind-specific [`Event`].
//!
//! The JSON field names are a public contract: `source`, `line`, `end_line`, `offset`,
//! `bytes`, `format`, `ts`, `level`, `pid`, `activity`, `kind` and the kind's own fields,
//! `message`, `instance_id`, `environment_id`. Optional fields are left out when absent.
#![forbid(unsafe_code)]

mod event;
mod kinds;
mod severity;

pub use event::{ActionStatus, ActivityStatus, Event, ExceptionInfo};
pub use kinds::{KindDoc, KINDS};
pub use severity::Severity;

use serde::Serialize;
use std::sync::Arc;

/// The log formats eblog reads. What each one is (its name, paths, framing, decoder)
/// is in its [`crate::formats`] module, found through `Format::spec`; records and JSON
/// carry the format's name (`"cfn-hup"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `/var/log/cfn-hup.log` (aws-cfn-bootstrap's cfn-hup daemon).
    CfnHup,
    /// `/var/log/cfn-init.log`.
    CfnInit,
    /// `/var/log/cfn-init-cmd.log` (one record per command output line).
    CfnInitCmd,
    /// `/var/log/cfn-wire.log` (HTTP responses of the cfn clients).
    CfnWire,
    /// `/var/log/eb-commandprocessor.log` (legacy Ruby command processor).
    CmdProcessor,
    /// `/var/log/eb-activity.log` (legacy activity log).
    Activity,
    /// `/var/log/eb-engine.log` (Amazon Linux 2/2023 platform engine).
    Engine,
    /// `/var/log/eb-hooks.log` (platform hooks: engine-style lines and free text).
    Hooks,
    /// `/var/log/eb-cfn-init.log` (the bootstrap scripts' output).
    EbCfnInit,
    /// `/var/log/nginx/healthd/application.log.*` (healthd's request log).
    Healthd,
    /// `/var/log/healthd/daemon.log`.
    HealthdDaemon,
    /// `/var/log/nginx/access.log`.
    NginxAccess,
    /// `/var/log/nginx/error.log`.
    NginxError,
    /// `/var/log/web.stdout.log` (the application's output through syslog).
    WebStdout,
    /// `/var/log/eb-tools.log` and `/var/log/eb-publish-logs.log` (EB's log publishing and
    /// tools: cfn-hup's layout on legacy hosts, the engine's on Amazon Linux 2/2023).
    EbTools,
    /// `/var/log/eb-docker-process.log` (the Docker platform's process manager, in the
    /// engine's layout; no command execution of its own).
    DockerProcess,
    /// An application's own log, one `app_output` record per line, stamped where the
    /// line starts with a time: `nodejs/nodejs.log`, `containers/*-stdouterr.log`,
    /// `eb-docker/containers/eb-current-app/*`, `tomcat/catalina.*`, `web-1.log`,
    /// `docker-events.log`, `ecs/ecs-agent.log`, `ecs/ecs-init.log`.
    AppLog,
    /// `/var/log/cloud-init.log` (cloud-init's own log of the instance's boot).
    CloudInit,
}

/// One log record: a header line and its continuation lines, or a run of bytes that is
/// not a record of the file's format (`kind: "unparsed"`).
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// The input as the user named it (`-` for stdin).
    pub source: Arc<str>,
    /// First physical line of the record, 1-based.
    pub line: u64,
    /// Last physical line of the record, 1-based.
    pub end_line: u64,
    /// Byte offset of the record's first byte in its file.
    pub offset: u64,
    /// Length of the record in bytes, line terminators included: records of one file
    /// cover it exactly, so `offset + bytes` is the next record's `offset`.
    pub bytes: u64,
    /// The format of the file the record came from; absent when it could not be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// RFC 3339 UTC timestamp with the source's precision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts: Option<String>,
    /// The level as written, trimmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Process id, where the format writes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// eb-activity.log activity path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// The kind and its typed fields.
    #[serde(flatten)]
    pub event: Event,
    /// The whole message after the header, continuation lines included (for unparsed
    /// records, the text itself). Invalid UTF-8 is replaced by U+FFFD; `offset` and
    /// `bytes` lead back to the exact bytes.
    pub message: String,
    /// EC2 instance id, from the path or the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// Elastic Beanstalk environment id, from the path or the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<String>,
}

impl Record {
    /// The snake_case kind name of the record.
    pub fn kind(&self) -> &'static str {
        self.event.kind()
    }

    /// Whether the record holds bytes that are not a record of the format.
    pub fn is_unparsed(&self) -> bool {
        matches!(self.event, Event::Unparsed { .. })
    }
}

/// A cfn-hup record for unit tests: line `line` of an instance's `cfn-hup.log`.
#[cfg(test)]
pub(crate) fn test_record(line: u64, ts: Option<&str>, event: Event, message: &str) -> Record {
    Record {
        source: Arc::from("logs/i-0abc/var/log/cfn-hup.log"),
        line,
        end_line: line,
        offset: line * 100,
        bytes: 100,
        format: Some(Format::CfnHup),
        ts: ts.map(str::to_owned),
        level: Some("INFO".to_owned()),
        pid: Some(3127),
        activity: None,
        event,
        message: message.to_owned(),
        instance_id: Some("i-0abc1234def567890".to_owned()),
        environment_id: Some("e-abcdefghij".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::KINDS;

    /// Every kind `Event::kind` can return is documented in `KINDS` (and so in
    /// `eblog formats --kinds` and, by the CLI test, in the README).
    #[test]
    fn every_kind_is_documented() {
        let source = include_str!("event.rs");
        let kinds: Vec<&str> = source
            .lines()
            .filter_map(|l| {
                l.trim()
                    .split_once("=> \"")
                    .map(|(_, rest)| rest.trim_end_matches(['"', ',']))
            })
            .collect();
        assert!(kinds.len() > 40, "found {} kinds", kinds.len());
        for kind in kinds {
            assert!(
                KINDS.iter().any(|k| k.kind == kind),
                "kind {kind} is not documented in KINDS"
            );
        }
    }
}
