//! What correlation produces: command executions and their steps.

use eblog_grammars::result_json::ResultEvent;
use serde::Serialize;

/// How a command execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// The command ran to the end and its agent reported success.
    Success,
    /// A step failed.
    Failure,
    /// The command ran past its timeout (`INST_TIMEOUT`, `Activity timed out`).
    Timeout,
    /// The logs end before the command does (or begin after it started and hold no end).
    Incomplete,
    /// The logs end while the command runs, and it is the command that collected them
    /// (`bundle-log`, `tail-log`, `CMD-TailLogs`, ...): it was running when they were
    /// taken. Not a failure.
    Running,
    /// The command did not apply to this instance (the command processor's
    /// `Ignoring not applicable command`, a `FAILURE` with `returncode` 0): not a failure.
    Skipped,
}

impl Status {
    /// The name as serialized (`SUCCESS`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Status::Success => "SUCCESS",
            Status::Failure => "FAILURE",
            Status::Timeout => "TIMEOUT",
            Status::Incomplete => "INCOMPLETE",
            Status::Running => "RUNNING",
            Status::Skipped => "SKIPPED",
        }
    }

    /// Whether the execution went wrong (failed or timed out).
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Failure | Status::Timeout)
    }
}

/// A place in the input: a record's file and first line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct SourceRef {
    /// The input as records name it in `source` (shared with the records).
    pub file: std::sync::Arc<str>,
    /// First line of the record, 1-based.
    pub line: u64,
}

/// One step of an execution: a stage, action, instruction, hook, config set, cfn-init
/// command or shell command, with the steps beneath it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The step's name (`AppDeployPreHook`, `RunAppDeployPreBuildHooks`,
    /// `.platform/hooks/prebuild/01_install.sh`, `01_migrate`).
    pub name: String,
    /// `stage`, `addons`, `action`, `hook`, `instruction`, `config_set`, `config`,
    /// `container_command`, `command`, `activity`.
    pub kind: &'static str,
    /// RFC 3339 UTC start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Milliseconds from start to end, when both are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// How the step ended.
    pub status: Status,
    /// Exit code, when a record names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    /// The step's output or error text, when the logs hold it (hook output, command
    /// output, exception message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Where the step starts in the logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// Nested steps, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Start in microseconds since the epoch (internal).
    #[serde(skip)]
    pub(crate) start_us: Option<i64>,
    /// End in microseconds since the epoch (internal).
    #[serde(skip)]
    pub(crate) end_us: Option<i64>,
}

/// One command execution on one instance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Execution {
    /// EC2 instance id, when any record of its logs names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// Where its logs came from (the directory or bundle): executions of one host share it.
    pub host: String,
    /// `legacy` (command processor), `engine` (Amazon Linux 2/2023 platform engine),
    /// `cfn-hup` (only its log) or `cfn-init` (only cfn-init's logs).
    pub platform: &'static str,
    /// The command (`CMD-AppDeploy`, `app-deploy`, `self-startup`, ...).
    pub command: String,
    /// Request id (legacy) or cfn-hup invocation id, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// RFC 3339 UTC start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// RFC 3339 UTC end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished: Option<String>,
    /// Milliseconds from start to end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// How it ended.
    pub status: Status,
    /// The result's `returncode`, or the failing step's exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returncode: Option<i64>,
    /// The ordered steps.
    pub steps: Vec<Step>,
    /// The path of the failing step, outermost first, joined with `/`
    /// (`AppDeployStage0/AppDeployPreHook/50npm.sh`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_step: Option<String>,
    /// The cleaned error text: hook output, exception chain, command output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The result events (`results[].events[]`), timestamps normalised to milliseconds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<ResultEvent>,
    /// File and line of each record used.
    pub sources: Vec<SourceRef>,
    /// The record that says what went wrong (internal; diagnosis lists it first).
    #[serde(skip)]
    pub(crate) error_at: Option<SourceRef>,
    /// Start in microseconds since the epoch (internal).
    #[serde(skip)]
    pub(crate) start_us: Option<i64>,
    /// End in microseconds since the epoch (internal).
    #[serde(skip)]
    pub(crate) end_us: Option<i64>,
}
