//! The documentation of every kind: what `eblog formats --kinds` prints and what the
//! README's kinds table says (a test keeps the two in step).

/// The documentation of one kind.
#[derive(Debug, Clone, Copy)]
pub struct KindDoc {
    /// The snake_case kind name.
    pub kind: &'static str,
    /// Formats that produce it.
    pub formats: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Its own fields, beyond the envelope.
    pub fields: &'static str,
}

const fn doc(
    kind: &'static str,
    formats: &'static str,
    meaning: &'static str,
    fields: &'static str,
) -> KindDoc {
    KindDoc {
        kind,
        formats,
        meaning,
        fields,
    }
}

/// Every kind eblog emits, in the order of a deploy's life.
pub const KINDS: &[KindDoc] = &[
    doc(
        "queue_poll",
        "cfn-hup",
        "long poll of the command queue (`Receiving messages for queue`)",
        "queue",
    ),
    doc(
        "command_message",
        "cfn-hup",
        "`Processing message:` / `Command message:` dict",
        "stage, command, invocation_id, dispatcher_id, payload",
    ),
    doc(
        "command_received",
        "cfn-hup, cmd-processor, engine",
        "a command arrived (`Received command ...`)",
        "command, stage, invocation_id, request_id, payload",
    ),
    doc(
        "command_skipped",
        "cfn-hup",
        "a received command was not run (expired, already run, invalid)",
        "reason, invocation_id, command, detail",
    ),
    doc(
        "leader_election",
        "cfn-hup, cmd-processor, engine",
        "singleton/leader election",
        "is_leader, leader, hook",
    ),
    doc(
        "applicability",
        "cmd-processor, engine",
        "whether the command applies to this instance",
        "applicable",
    ),
    doc(
        "command_start",
        "cmd-processor, engine",
        "`Executing <label>` / `Executing command: X...`",
        "command, stage, label",
    ),
    doc(
        "stages_planned",
        "cmd-processor",
        "`Running stages of Command X from stage A to stage B...`",
        "command, from, to",
    ),
    doc(
        "stage_start",
        "cmd-processor",
        "`Running stage N of command X...`, `Running AddonsBefore/AddonsAfter ...`",
        "command, stage, name",
    ),
    doc(
        "actions_loaded",
        "cmd-processor",
        "`Loaded N actions for stage S.`",
        "stage, count",
    ),
    doc(
        "action_start",
        "cfn-hup, cmd-processor, engine",
        "`Running k of n actions: X...`, `Running action for HOOK`",
        "action, index, total",
    ),
    doc(
        "action_environment",
        "cfn-hup",
        "`Action environment: {...}` (secrets redacted)",
        "env",
    ),
    doc(
        "action_output",
        "cfn-hup",
        "`Action for HOOK output: ...`",
        "action, output, result",
    ),
    doc(
        "action_result",
        "cfn-hup",
        "cfn-hup's verdict on an action (SUCCESS even when the deploy failed: read `result`)",
        "action, status, exit_code, reason",
    ),
    doc(
        "command_succeeded",
        "cmd-processor",
        "`Command X succeeded!`",
        "command, stage",
    ),
    doc(
        "command_failed",
        "cmd-processor, engine",
        "`Command X failed!` / `Command execution failed: <chain>`",
        "command, stage, step, exit_code, error, exceptions",
    ),
    doc(
        "command_result",
        "cmd-processor, engine",
        "`Command processor returning results:` + result JSON",
        "result, parse_error",
    ),
    doc(
        "result_sent",
        "cfn-hup",
        "`Sending {...} to queue`: the result sent back, `Data` decoded",
        "queue, payload",
    ),
    doc(
        "message_deleted",
        "cfn-hup",
        "`Deleting ... from queue`",
        "queue",
    ),
    doc(
        "activity_start",
        "activity",
        "`Starting activity...`",
        "timeout_s",
    ),
    doc(
        "activity_end",
        "activity",
        "`Completed activity.`, `Activity failed.`, timed out, internal failure",
        "status, result, timeout_s",
    ),
    doc(
        "activity_error",
        "activity",
        "`Activity execution failed, because: <chain>`",
        "unexpected, error, exceptions",
    ),
    doc(
        "activity_retry",
        "activity",
        "`Retrying K of N...`",
        "attempt, limit",
    ),
    doc(
        "heartbeat",
        "cfn-hup, cmd-processor",
        "`cfn-hup processing is alive.` / `command processing is alive.` / the 1.x command heart-beat reporter",
        "loop",
    ),
    doc(
        "credentials_refresh",
        "cfn-hup",
        "listener or role credentials refreshed",
        "next_refresh_s",
    ),
    doc(
        "daemon_config",
        "cfn-hup",
        "umask, threading mode, data directory",
        "umask",
    ),
    doc(
        "retry",
        "cfn-hup",
        "HTTP retry back-off (`Sleeping for N seconds before retrying`)",
        "delay_s",
    ),
    doc(
        "client_call",
        "cfn-hup, cfn-init",
        "cfn client chatter (endpoints, describe, register)",
        "",
    ),
    doc(
        "hook_trigger",
        "cfn-hup",
        "a metadata hook decided whether to run",
        "hook, path, will_run",
    ),
    doc("shutdown", "cfn-hup", "`Shutting down cfn-hup`", ""),
    doc(
        "metadata",
        "cmd-processor",
        "stack properties and metadata reads",
        "",
    ),
    doc("addons", "cmd-processor", "addon discovery", ""),
    doc(
        "manifest",
        "cmd-processor, engine",
        "deployment manifest lookups",
        "",
    ),
    doc(
        "stage_check",
        "cmd-processor",
        "stage bookkeeping of multi-stage commands",
        "",
    ),
    doc("setup", "cmd-processor, engine", "command set-up chatter", ""),
    doc(
        "maintenance",
        "cmd-processor",
        "cfn-hup re-registration lines",
        "",
    ),
    doc("download", "cmd-processor, engine", "application source bundle download", ""),
    doc("engine_start", "engine", "a platform engine run began (`Starting...`)", ""),
    doc("command_exec", "engine", "`Running command /bin/sh -c ...` / `Running command: ...`", "command"),
    doc("command_output", "engine, cfn-init-cmd", "output of the command run just before, as a record of its own", "command"),
    doc("cleanup", "engine", "`Executing cleanup logic`", ""),
    doc("command_finished", "engine", "`Platform Engine finished execution on command: X`", "command"),
    doc("hook_dir", "engine", "a platform hook directory: started, missing, hook order, finished", "dir, state, hooks"),
    doc("hook_start", "engine", "`Running platform hook: PATH`", "hook"),
    doc("config_set_start", "engine, cfn-init, cfn-init-cmd", "a config set began", "config_set"),
    doc("config_set_end", "engine", "a config set ended", "config_set"),
    doc("config_start", "cfn-init, cfn-init-cmd", "a cfn-init config began", "config"),
    doc("process_warning", "engine", "`stopProcess Warning: process X is not registered`", "process"),
    doc("build", "cfn-init", "build banners and the config-set list", "state, config_sets"),
    doc(
        "cfn_command",
        "cfn-init, cfn-init-cmd",
        "a cfn-init command started, wrote output, succeeded or failed",
        "name, status, command, exit_code, output",
    ),
    doc(
        "cfn_step",
        "cfn-init, cfn-init-cmd",
        "another cfn-init step (packages, services, files, accounts, sources, block lines)",
        "group, step, subject, detail",
    ),
    doc(
        "bootstrap",
        "eb-cfn-init",
        "a bootstrap-script message (`Started EB Bootstrapping Script.`, `Command return code 1.`)",
        "step, detail",
    ),
    doc("xtrace", "eb-cfn-init", "a shell xtrace line (`+ curl ...`); raw output under it stays in its message", "command"),
    doc("taillog", "eb-cfn-init", "a `*** NAME taillog ***` block", "name"),
    doc("http_response", "cfn-wire", "`Response: STATUS URL [headers: ...]`", "status, url, headers"),
    doc("http_error", "cfn-wire", "`Response error: BODY`", "body"),
    doc(
        "http_request",
        "nginx-access, healthd",
        "one HTTP request",
        "client, method, path, request, status, body_bytes, request_time_ms, upstream_time_ms, referrer, user_agent, forwarded_for",
    ),
    doc(
        "proxy_error",
        "nginx-error",
        "an nginx error line, e.g. `connect() failed (111: Connection refused) while connecting to upstream`",
        "error, errno, reason, upstream_problem, client, request, upstream, host",
    ),
    doc("app_output", "web-stdout", "a line the application wrote", "host, program"),
    doc("section", "all (wrappers)", "header lines of a tail bundle or CloudWatch download section", "path"),
    doc(
        "error",
        "all",
        "an ERROR record without a kind of its own, with its traceback",
        "error, exception, detail, traceback",
    ),
    doc(
        "other",
        "all",
        "a well-formed record whose template eblog does not know",
        "",
    ),
    doc(
        "unparsed",
        "all",
        "bytes that are not a record of the file's format",
        "reason",
    ),
];
