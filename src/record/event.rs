//! The kind-specific part of a record: one enum variant per kind, serialized with its
//! snake_case name in the `kind` field and its own fields beside it.

use eblog_grammars::result_json::{CommandResult, SentMessage};
use serde::Serialize;
use serde_json::Value;

/// How an action ended, in the words of the agent that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActionStatus {
    /// The action exited 0 (cfn-hup: `succeeded, returning SUCCESS`).
    Success,
    /// The action failed.
    Failure,
    /// A metadata hook failed and will be retried on the next iteration.
    Retry,
}

/// How an activity ended (eb-activity.log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    /// `Completed activity.`
    Completed,
    /// `Activity failed.`
    Failed,
    /// `Activity timed out...`
    TimedOut,
    /// `Activity internal failure.`
    InternalFailure,
}

/// One exception of a Ruby exception chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionInfo {
    /// The exception message, indentation removed.
    pub message: String,
    /// Its class, e.g. `ElasticBeanstalk::ExternalInvocationError`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Backtrace lines, when the chain has them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backtrace: Vec<String>,
}

/// The kind of a record and its typed fields. See [`super::KINDS`] for the documentation
/// of every kind, which `eblog formats --kinds` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// cfn-hup's `Processing message:` / `Command message:` dict.
    CommandMessage {
        /// `processing` or `command`: which of the two lines.
        stage: &'static str,
        /// `CommandName` of the dict.
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
        /// `InvocationId` of the dict.
        #[serde(skip_serializing_if = "Option::is_none")]
        invocation_id: Option<String>,
        /// `DispatcherId` of the dict.
        #[serde(skip_serializing_if = "Option::is_none")]
        dispatcher_id: Option<String>,
        /// The parsed dict.
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<Value>,
    },
    /// A command arrived: cfn-hup's `Received command X (invocation id: Y)`, the command
    /// processor's `Received command X: {...}`.
    CommandReceived {
        /// Command name (`ElasticBeanstalkCommand-AWSEBAutoScalingGroup`, `CMD-AppDeploy`).
        command: String,
        /// Stage of the command, when the name carries one.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<u32>,
        /// cfn-hup invocation id.
        #[serde(skip_serializing_if = "Option::is_none")]
        invocation_id: Option<String>,
        /// Command processor request id.
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        /// The parsed command request (JSON or Ruby hash).
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<Value>,
    },
    /// cfn-hup did not run a command it received.
    CommandSkipped {
        /// `expired`, `already_run` or `invalid`.
        reason: &'static str,
        /// Invocation id, when named.
        #[serde(skip_serializing_if = "Option::is_none")]
        invocation_id: Option<String>,
        /// Command name, when named.
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
        /// The rest of the template's text.
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// Leader election for singleton commands (cfn-hup and the command processor).
    LeaderElection {
        /// Whether this instance is the leader, when the record says.
        #[serde(skip_serializing_if = "Option::is_none")]
        is_leader: Option<bool>,
        /// Leader listener id, when named.
        #[serde(skip_serializing_if = "Option::is_none")]
        leader: Option<String>,
        /// Hook name, when named.
        #[serde(skip_serializing_if = "Option::is_none")]
        hook: Option<String>,
    },
    /// The command processor checked whether a command applies to this instance.
    Applicability {
        /// The verdict, on the verdict lines.
        #[serde(skip_serializing_if = "Option::is_none")]
        applicable: Option<bool>,
    },
    /// The command processor began executing a command (`Executing ...`).
    CommandStart {
        /// Command name, on the `Executing command` lines.
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
        /// Stage, when the name carries one.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<u32>,
        /// The activity label, on `Executing <label>` lines.
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// `Running stages of Command X from stage A to stage B...`.
    StagesPlanned {
        /// Command name.
        command: String,
        /// First stage.
        from: u32,
        /// Last stage.
        to: u32,
    },
    /// A stage began: `Running stage N of command X...`, or an addon phase
    /// (`Running AddonsBefore for command X...`).
    StageStart {
        /// Command name.
        command: String,
        /// Stage number, for numbered stages.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<u32>,
        /// `AddonsBefore` or `AddonsAfter`, for addon phases.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// `Loaded N actions for stage S.`
    ActionsLoaded {
        /// Stage number.
        stage: u32,
        /// How many actions the stage has.
        count: u32,
    },
    /// An action began: the command processor's `Running k of n actions: X...`,
    /// cfn-hup's `Running action for HOOK`.
    ActionStart {
        /// Action or hook name.
        action: String,
        /// 1-based position in the stage (command processor).
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
        /// Actions in the stage (command processor).
        #[serde(skip_serializing_if = "Option::is_none")]
        total: Option<u32>,
    },
    /// cfn-hup's `Action environment: {...}`, secrets redacted.
    ActionEnvironment {
        /// The environment, as an object.
        #[serde(skip_serializing_if = "Option::is_none")]
        env: Option<Value>,
    },
    /// cfn-hup's `Action for HOOK output: ...`.
    ActionOutput {
        /// Hook name.
        action: String,
        /// The action's stdout (`<None>` when there was none).
        output: String,
        /// The output parsed as a command processor result, when it is one.
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<CommandResult>,
    },
    /// cfn-hup's verdict on an action.
    ActionResult {
        /// Hook name.
        action: String,
        /// `SUCCESS`, `FAILURE` or `RETRY`.
        status: ActionStatus,
        /// Exit code, when written.
        #[serde(skip_serializing_if = "Option::is_none")]
        exit_code: Option<i64>,
        /// Why, when the template says (output too long).
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// `Command X succeeded!`
    CommandSucceeded {
        /// Command name.
        command: String,
        /// Stage, when the name carries one.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<u32>,
    },
    /// `Command X failed!` or `Command execution failed: <exception chain>`.
    CommandFailed {
        /// Command name, on `Command X failed!`.
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
        /// Stage, when the name carries one.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<u32>,
        /// The step that failed (the engine's instruction).
        #[serde(skip_serializing_if = "Option::is_none")]
        step: Option<String>,
        /// The exit status the error text names (`... failed with error exit status 1`).
        #[serde(skip_serializing_if = "Option::is_none")]
        exit_code: Option<i64>,
        /// The error text: the outermost exception message (`Command execution failed:`),
        /// the engine's error text.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// The exception chain, outermost first.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        exceptions: Vec<ExceptionInfo>,
    },
    /// `Command processor returning results:` and the result JSON.
    CommandResult {
        /// The typed result; absent when the JSON could not be parsed.
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<CommandResult>,
        /// Why the JSON could not be parsed.
        #[serde(skip_serializing_if = "Option::is_none")]
        parse_error: Option<String>,
    },
    /// cfn-hup's `Sending {...} to queue URL`: the result sent back to the service.
    ResultSent {
        /// Queue URL.
        queue: String,
        /// The message sent.
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<SentMessage>,
    },
    /// cfn-hup's `Deleting HANDLE from queue URL`.
    MessageDeleted {
        /// Queue URL.
        queue: String,
    },
    /// cfn-hup's `Receiving messages for queue URL` (one per long poll).
    QueuePoll {
        /// Queue URL.
        queue: String,
    },
    /// cfn-hup's `... processing is alive.`
    Heartbeat {
        /// `cfn-hup` (metadata loop) or `command` (command loop).
        #[serde(rename = "loop")]
        loop_name: String,
    },
    /// Listener or role credentials refreshed.
    CredentialsRefresh {
        /// Seconds until the next refresh.
        #[serde(skip_serializing_if = "Option::is_none")]
        next_refresh_s: Option<f64>,
    },
    /// cfn-hup daemon configuration (umask, threading, data directory).
    DaemonConfig {
        /// Umask as written.
        #[serde(skip_serializing_if = "Option::is_none")]
        umask: Option<String>,
    },
    /// Back-off of the cfn clients' retry loop.
    Retry {
        /// Delay in seconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        delay_s: Option<f64>,
    },
    /// cfn client calls: endpoints, describe, register, credentials.
    ClientCall,
    /// A cfn-hup metadata hook decided whether to run.
    HookTrigger {
        /// Hook name.
        hook: String,
        /// Watched path, when named.
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// Whether the action runs.
        will_run: bool,
    },
    /// `Shutting down cfn-hup`.
    Shutdown,
    /// Stack properties and environment metadata reads (command processor).
    Metadata,
    /// Addon discovery (command processor).
    Addons,
    /// Deployment manifest lookups (command processor).
    Manifest,
    /// Stage bookkeeping of multi-stage commands (command processor).
    StageCheck,
    /// Command set-up chatter (command processor).
    Setup,
    /// `infra-reregister-cfn-hup.rb` maintenance lines.
    Maintenance,
    /// Application source bundle download (command processor).
    Download,
    /// `Starting activity...` (eb-activity.log).
    ActivityStart {
        /// Timeout in seconds, when the activity has one.
        #[serde(skip_serializing_if = "Option::is_none")]
        timeout_s: Option<u64>,
    },
    /// An activity ended (eb-activity.log).
    ActivityEnd {
        /// `completed`, `failed`, `timed_out` or `internal_failure`.
        status: ActivityStatus,
        /// The `Result:` text, indentation removed.
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<String>,
        /// The timeout, for `timed out after N seconds`.
        #[serde(skip_serializing_if = "Option::is_none")]
        timeout_s: Option<u64>,
    },
    /// `Activity execution failed, because: ...` (eb-activity.log).
    ActivityError {
        /// `true` for `Activity has unexpected exception`.
        unexpected: bool,
        /// The outermost exception message.
        error: String,
        /// The exception chain, outermost first.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        exceptions: Vec<ExceptionInfo>,
    },
    /// `Retrying K of N...` / `Reached activity retry limit of N.`
    ActivityRetry {
        /// Attempt number.
        #[serde(skip_serializing_if = "Option::is_none")]
        attempt: Option<u32>,
        /// Retry limit.
        limit: u32,
    },
    /// cfn-wire.log `Response: STATUS URL [headers: ...]`.
    HttpResponse {
        /// HTTP status code.
        status: u16,
        /// Request URL (signed query parameters redacted).
        url: String,
        /// Response headers, parsed.
        #[serde(skip_serializing_if = "Option::is_none")]
        headers: Option<Value>,
    },
    /// cfn-wire.log `Response error: BODY`.
    HttpError {
        /// The response body.
        body: String,
    },
    /// A platform engine run began (`Starting...`).
    EngineStart,
    /// The engine ran a shell command (`Running command /bin/sh -c ...`).
    CommandExec {
        /// The command line.
        command: String,
    },
    /// Output of the command run just before, logged as a record of its own.
    CommandOutput {
        /// The command whose output it is, when the record before names it.
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
    },
    /// `Executing cleanup logic`.
    Cleanup,
    /// `Platform Engine finished execution on command: X`.
    CommandFinished {
        /// The engine command.
        command: String,
    },
    /// A platform hook directory: started, missing, its order, finished.
    HookDir {
        /// The directory as written.
        dir: String,
        /// `start`, `missing`, `order` or `finished`.
        state: &'static str,
        /// The hooks, for `order`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        hooks: Vec<String>,
    },
    /// `Running platform hook: PATH`.
    HookStart {
        /// The hook path.
        hook: String,
    },
    /// A config set began (`Starting executing the config set X.`, cfn-init's
    /// `Running configSet X`).
    ConfigSetStart {
        /// The config set.
        config_set: String,
    },
    /// A config set ended (`Finished executing the config set X.`).
    ConfigSetEnd {
        /// The config set.
        config_set: String,
    },
    /// A process the engine manages was not registered (`stopProcess Warning: ...`).
    ProcessWarning {
        /// The process, when named.
        #[serde(skip_serializing_if = "Option::is_none")]
        process: Option<String>,
    },
    /// One HTTP request, from nginx's access log or healthd's application log.
    HttpRequest {
        /// Client address (access log).
        #[serde(skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        /// Method (access log).
        #[serde(skip_serializing_if = "Option::is_none")]
        method: Option<String>,
        /// Path, without the query string in healthd's log.
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        /// The request line as written (access log).
        #[serde(skip_serializing_if = "Option::is_none")]
        request: Option<String>,
        /// HTTP status.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Response body bytes (access log).
        #[serde(skip_serializing_if = "Option::is_none")]
        body_bytes: Option<u64>,
        /// Request time in milliseconds (healthd).
        #[serde(skip_serializing_if = "Option::is_none")]
        request_time_ms: Option<f64>,
        /// Upstream time in milliseconds (healthd).
        #[serde(skip_serializing_if = "Option::is_none")]
        upstream_time_ms: Option<f64>,
        /// Referrer (access log).
        #[serde(skip_serializing_if = "Option::is_none")]
        referrer: Option<String>,
        /// User agent (access log).
        #[serde(skip_serializing_if = "Option::is_none")]
        user_agent: Option<String>,
        /// X-Forwarded-For.
        #[serde(skip_serializing_if = "Option::is_none")]
        forwarded_for: Option<String>,
    },
    /// An nginx error-log line, its key-value tail typed.
    ProxyError {
        /// The message before the key-value tail.
        error: String,
        /// `errno` of `(111: Connection refused)`.
        #[serde(skip_serializing_if = "Option::is_none")]
        errno: Option<i32>,
        /// Reason of `(111: Connection refused)`.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// `connect_failed`, `prematurely_closed`, `timed_out`, `reset`,
        /// `no_live_upstreams` or `other`, when the upstream is to blame.
        #[serde(skip_serializing_if = "Option::is_none")]
        upstream_problem: Option<&'static str>,
        /// `client:`.
        #[serde(skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        /// `request:`.
        #[serde(skip_serializing_if = "Option::is_none")]
        request: Option<String>,
        /// `upstream:`.
        #[serde(skip_serializing_if = "Option::is_none")]
        upstream: Option<String>,
        /// `host:`.
        #[serde(skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// A line the application wrote (web.stdout.log).
    AppOutput {
        /// Host name of the syslog line.
        host: String,
        /// Syslog tag (`web`).
        program: String,
    },
    /// A cfn-init build banner or config-set list.
    Build {
        /// `start`, `complete`, `failed`, `config_sets`, `config_sets_completed`.
        state: &'static str,
        /// The config sets, for `config_sets`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        config_sets: Vec<String>,
    },
    /// A cfn-init config began (`Running config X`, cfn-init-cmd.log's `Config X`).
    ConfigStart {
        /// The config.
        config: String,
    },
    /// A cfn-init command (`commands`/`container_commands` of `.ebextensions`).
    CfnCommand {
        /// The command's name (`01_migrate`), where the line names it.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// `start`, `test`, `output`, `success`, `failure`, `failure_ignored`.
        status: &'static str,
        /// The command line, on failure.
        #[serde(skip_serializing_if = "Option::is_none")]
        command: Option<String>,
        /// Exit code, when written.
        #[serde(skip_serializing_if = "Option::is_none")]
        exit_code: Option<i64>,
        /// The output, for `output`.
        #[serde(skip_serializing_if = "Option::is_none")]
        output: Option<String>,
    },
    /// Another cfn-init step: packages, services, files, accounts, sources, commands.
    CfnStep {
        /// `packages`, `services`, `files`, `accounts`, `sources`, `commands`, `other`.
        group: &'static str,
        /// What happened, snake_case.
        step: String,
        /// What it happened to (package manager, service, path, ...).
        #[serde(skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        /// More text the template carries.
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A bootstrap-script message of eb-cfn-init.log.
    Bootstrap {
        /// What the script says, snake_case (`started_bootstrap`, `command_return_code`).
        step: String,
        /// The value the message carries (URL, config set, return code, output).
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    /// A shell xtrace line (`+ curl ...`) of a bootstrap script.
    Xtrace {
        /// The traced command.
        command: String,
    },
    /// A `******* NAME taillog *******` block of eb-cfn-init.log.
    Taillog {
        /// The tailed log.
        name: String,
    },
    /// The header lines of a section of a wrapper (tail bundle, CloudWatch download).
    Section {
        /// The path of the log the section holds.
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
    },
    /// An error: an `ERROR` record whose template has no kind of its own.
    Error {
        /// The error text (the message's first line).
        error: String,
        /// Exception type of the Python traceback, when there is one.
        #[serde(skip_serializing_if = "Option::is_none")]
        exception: Option<String>,
        /// The traceback's message or the Ruby exception text after the first line.
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
        /// Traceback lines (`File "...", line N, in f`), outermost first.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        traceback: Vec<String>,
    },
    /// A well-formed record whose template eblog does not know.
    Other,
    /// Bytes that are not a record of the file's format.
    Unparsed {
        /// Why: `before_first_header`, `not_a_record` (a stray line where a record was
        /// due), `unknown_format`, `record_too_large` (a piece of a record longer than
        /// `--max-record-bytes`).
        reason: &'static str,
    },
}

impl Event {
    /// The snake_case kind name, as serialized in `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::CommandMessage { .. } => "command_message",
            Event::CommandReceived { .. } => "command_received",
            Event::CommandSkipped { .. } => "command_skipped",
            Event::LeaderElection { .. } => "leader_election",
            Event::Applicability { .. } => "applicability",
            Event::CommandStart { .. } => "command_start",
            Event::StagesPlanned { .. } => "stages_planned",
            Event::StageStart { .. } => "stage_start",
            Event::ActionsLoaded { .. } => "actions_loaded",
            Event::ActionStart { .. } => "action_start",
            Event::ActionEnvironment { .. } => "action_environment",
            Event::ActionOutput { .. } => "action_output",
            Event::ActionResult { .. } => "action_result",
            Event::CommandSucceeded { .. } => "command_succeeded",
            Event::CommandFailed { .. } => "command_failed",
            Event::CommandResult { .. } => "command_result",
            Event::ResultSent { .. } => "result_sent",
            Event::MessageDeleted { .. } => "message_deleted",
            Event::QueuePoll { .. } => "queue_poll",
            Event::Heartbeat { .. } => "heartbeat",
            Event::CredentialsRefresh { .. } => "credentials_refresh",
            Event::DaemonConfig { .. } => "daemon_config",
            Event::Retry { .. } => "retry",
            Event::ClientCall => "client_call",
            Event::HookTrigger { .. } => "hook_trigger",
            Event::Shutdown => "shutdown",
            Event::Metadata => "metadata",
            Event::Addons => "addons",
            Event::Manifest => "manifest",
            Event::StageCheck => "stage_check",
            Event::Setup => "setup",
            Event::Maintenance => "maintenance",
            Event::Download => "download",
            Event::ActivityStart { .. } => "activity_start",
            Event::ActivityEnd { .. } => "activity_end",
            Event::ActivityError { .. } => "activity_error",
            Event::ActivityRetry { .. } => "activity_retry",
            Event::HttpResponse { .. } => "http_response",
            Event::HttpError { .. } => "http_error",
            Event::Section { .. } => "section",
            Event::Bootstrap { .. } => "bootstrap",
            Event::Xtrace { .. } => "xtrace",
            Event::Taillog { .. } => "taillog",
            Event::Build { .. } => "build",
            Event::ConfigStart { .. } => "config_start",
            Event::CfnCommand { .. } => "cfn_command",
            Event::CfnStep { .. } => "cfn_step",
            Event::EngineStart => "engine_start",
            Event::CommandExec { .. } => "command_exec",
            Event::CommandOutput { .. } => "command_output",
            Event::Cleanup => "cleanup",
            Event::CommandFinished { .. } => "command_finished",
            Event::HookDir { .. } => "hook_dir",
            Event::HookStart { .. } => "hook_start",
            Event::ConfigSetStart { .. } => "config_set_start",
            Event::ConfigSetEnd { .. } => "config_set_end",
            Event::ProcessWarning { .. } => "process_warning",
            Event::HttpRequest { .. } => "http_request",
            Event::ProxyError { .. } => "proxy_error",
            Event::AppOutput { .. } => "app_output",
            Event::Error { .. } => "error",
            Event::Other => "other",
            Event::Unparsed { .. } => "unparsed",
        }
    }
}
