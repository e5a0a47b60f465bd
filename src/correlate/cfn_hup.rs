//! cfn-hup's side of a command: the message it received, the handler it ran, and what it
//! sent back. On legacy hosts the handler is the command processor; on Amazon Linux 2/2023
//! it starts the platform engine.

use super::steps::clean_error;
use super::{rfc3339, span_ms, Execution, Host, SourceRef, Status, Step, Timed};
use crate::record::{ActionStatus, Event};
use eblog_grammars::result_json::CommandResult;

/// One command cfn-hup received and handed to its command hook.
pub(crate) struct HandlerRun<'r> {
    /// cfn-hup's invocation id.
    pub invocation_id: Option<String>,
    /// cfn-hup's command name (`ElasticBeanstalkCommand-AWSEBAutoScalingGroup`).
    pub cfn_command: Option<String>,
    /// The EB command inside the message's `Data` (`CMD-AppDeploy`), when it has one.
    pub eb_command: Option<String>,
    /// The EB request id inside `Data`.
    pub request_id: Option<String>,
    /// When the message was received.
    pub start_us: Option<i64>,
    /// When the hook's result was logged.
    pub end_us: Option<i64>,
    /// The hook's name (`aws-eb-command-handler`).
    pub hook: Option<String>,
    /// The result JSON the hook printed.
    pub result: Option<&'r CommandResult>,
    /// The hook's raw output, when it was not a result.
    pub output: Option<&'r str>,
    /// cfn-hup's verdict and the exit code it names.
    pub verdict: Option<(ActionStatus, Option<i64>)>,
    /// Whether cfn-hup said another listener is the leader (so this one ran nothing).
    pub not_leader: bool,
    /// The records read.
    pub records: Vec<Timed<'r>>,
}

impl HandlerRun<'_> {
    /// Whether an execution starting at `start_us` is this run's handler.
    pub fn covers(&self, start_us: Option<i64>) -> bool {
        const SLACK_US: i64 = 2_000_000;
        let (Some(start), Some(run_start)) = (start_us, self.start_us) else {
            return false;
        };
        start + SLACK_US >= run_start && self.end_us.is_none_or(|end| start <= end + SLACK_US)
    }
}

/// The EB command name and request id inside a cfn-hup message's `Data` string.
fn data_command(payload: Option<&serde_json::Value>) -> (Option<String>, Option<String>) {
    let data = payload
        .and_then(|p| p.get("Data"))
        .and_then(|d| d.as_str())
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
    let field = |name: &str| {
        data.as_ref()
            .and_then(|d| d.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    (field("command_name"), field("request_id"))
}

fn new_run<'r>(invocation_id: Option<&String>, t: Timed<'r>) -> HandlerRun<'r> {
    HandlerRun {
        invocation_id: invocation_id.cloned(),
        cfn_command: None,
        eb_command: None,
        request_id: None,
        start_us: t.us,
        end_us: None,
        hook: None,
        result: None,
        output: None,
        verdict: None,
        not_leader: false,
        records: Vec::new(),
    }
}

/// The open run of `invocation_id`, or a new one starting at `t`.
fn run_of<'a, 'r>(
    runs: &'a mut Vec<HandlerRun<'r>>,
    open: &mut bool,
    invocation_id: Option<&String>,
    t: Timed<'r>,
) -> &'a mut HandlerRun<'r> {
    let same = *open
        && runs
            .last()
            .is_some_and(|r| r.invocation_id.as_ref() == invocation_id);
    if !same {
        runs.push(new_run(invocation_id, t));
        *open = true;
    }
    let last = runs.len() - 1;
    &mut runs[last]
}

/// Reads cfn-hup's records (in time order) into handler runs.
pub(crate) fn handler_runs<'r>(records: &[Timed<'r>]) -> Vec<HandlerRun<'r>> {
    let mut runs: Vec<HandlerRun<'r>> = Vec::new();
    // Whether the last run still waits for its hook's verdict.
    let mut open = false;
    for &t in records {
        match &t.record.event {
            Event::CommandMessage {
                invocation_id,
                payload,
                command,
                ..
            } => {
                let run = run_of(&mut runs, &mut open, invocation_id.as_ref(), t);
                let (eb_command, request_id) = data_command(payload.as_ref());
                run.eb_command = run.eb_command.take().or(eb_command);
                run.request_id = run.request_id.take().or(request_id);
                run.cfn_command = run.cfn_command.take().or(command.clone());
                run.records.push(t);
            }
            Event::CommandReceived {
                invocation_id,
                command,
                ..
            } => {
                let run = run_of(&mut runs, &mut open, invocation_id.as_ref(), t);
                run.cfn_command = Some(command.clone());
                run.records.push(t);
            }
            Event::LeaderElection { is_leader, .. } if open => {
                if let Some(run) = runs.last_mut() {
                    if *is_leader == Some(false) {
                        run.not_leader = true;
                        run.end_us = t.us;
                        open = false;
                    }
                    run.records.push(t);
                }
            }
            Event::ActionEnvironment { .. } if open => {
                if let Some(run) = runs.last_mut() {
                    run.records.push(t);
                }
            }
            Event::ActionStart { action, .. } if open => {
                if let Some(run) = runs.last_mut() {
                    run.hook = Some(action.clone());
                    run.records.push(t);
                }
            }
            Event::ActionOutput {
                action,
                output,
                result,
            } if open => {
                if let Some(run) = runs.last_mut().filter(|r| r.hook.as_ref() == Some(action)) {
                    run.result = result.as_ref();
                    if result.is_none() && output != "<None>" {
                        run.output = Some(output);
                    }
                    run.records.push(t);
                }
            }
            Event::ActionResult {
                action,
                status,
                exit_code,
                ..
            } if open => {
                if let Some(run) = runs.last_mut().filter(|r| r.hook.as_ref() == Some(action)) {
                    run.verdict = Some((*status, *exit_code));
                    run.end_us = t.us;
                    run.records.push(t);
                    open = false;
                }
            }
            Event::ResultSent { payload, .. } => {
                let id = payload.as_ref().and_then(|p| p.invocation_id.as_ref());
                if let Some(run) = runs
                    .iter_mut()
                    .rev()
                    .find(|r| id.is_some() && r.invocation_id.as_ref() == id)
                {
                    run.records.push(t);
                }
            }
            _ => {}
        }
    }
    // A run whose end was never logged ends where the next begins.
    for i in 1..runs.len() {
        if runs[i - 1].end_us.is_none() {
            runs[i - 1].end_us = runs[i].start_us;
        }
    }
    runs
}

/// How a command processor result reads: `FAILURE` with `returncode` 0 is a command that
/// did not apply (`Ignoring not applicable command`), not a failure.
pub(crate) fn result_status(result: &CommandResult) -> Status {
    match result.status.as_str() {
        "SUCCESS" => Status::Success,
        "INST_TIMEOUT" => Status::Timeout,
        _ => {
            let codes: Vec<Option<i64>> = result.results.iter().map(|r| r.returncode).collect();
            if !codes.is_empty() && codes.iter().all(|c| *c == Some(0)) {
                Status::Skipped
            } else {
                Status::Failure
            }
        }
    }
}

/// The first `returncode` of a result.
pub(crate) fn result_code(result: &CommandResult) -> Option<i64> {
    result.results.iter().find_map(|r| r.returncode)
}

/// The first non-empty `msg` of a result.
pub(crate) fn result_msg(result: &CommandResult) -> Option<&str> {
    result
        .results
        .iter()
        .map(|r| r.msg.as_str())
        .find(|m| !m.trim().is_empty())
}

/// The runs no execution of the host's own logs accounts for, as executions built from
/// cfn-hup's records alone (the command processor's or engine's log is missing).
pub(crate) fn unmatched(
    host: &Host<'_>,
    runs: &[HandlerRun<'_>],
    known: &[Execution],
) -> Vec<Execution> {
    let _ = host;
    runs.iter()
        .filter(|run| !known.iter().any(|e| run.covers(e.start_us)))
        .map(execution_of)
        .collect()
}

fn execution_of(run: &HandlerRun<'_>) -> Execution {
    let status = match (run.result, run.verdict) {
        _ if run.not_leader => Status::Skipped,
        (Some(result), _) => result_status(result),
        (None, Some((ActionStatus::Success, _))) => Status::Success,
        (None, Some(_)) => Status::Failure,
        (None, None) => Status::Incomplete,
    };
    let exit_code = run.verdict.and_then(|(_, code)| code);
    let returncode = run.result.and_then(result_code).or(exit_code);
    let error = match run.result {
        Some(result) if status.is_failure() => result_msg(result).and_then(clean_error),
        _ if status.is_failure() => run.output.and_then(clean_error),
        _ => None,
    };
    let sources: Vec<SourceRef> = run.records.iter().map(Timed::source).collect();
    let mut steps = Vec::new();
    if let (Some(hook), Some(first)) = (&run.hook, run.records.first()) {
        let mut step = Step::new(hook.clone(), "hook", run.start_us, first.source());
        step.status = status;
        step.exit_code = exit_code;
        step.started = run.start_us.and_then(rfc3339);
        step.duration_ms = span_ms(run.start_us, run.end_us);
        step.end_us = run.end_us;
        if status.is_failure() {
            step.output.clone_from(&error);
        }
        steps.push(step);
    }
    let failed_step = status.is_failure().then(|| run.hook.clone()).flatten();
    Execution {
        instance_id: None,
        host: String::new(),
        platform: "cfn-hup",
        command: run
            .eb_command
            .clone()
            .or_else(|| run.cfn_command.clone())
            .unwrap_or_else(|| "unknown".to_owned()),
        id: run.request_id.clone().or_else(|| run.invocation_id.clone()),
        started: run.start_us.and_then(rfc3339),
        finished: run.end_us.and_then(rfc3339),
        duration_ms: span_ms(run.start_us, run.end_us),
        status,
        returncode,
        steps,
        failed_step,
        error,
        events: run
            .result
            .map(|r| r.results.iter().flat_map(|e| e.events.clone()).collect())
            .unwrap_or_default(),
        error_at: status
            .is_failure()
            .then(|| run.records.last().map(Timed::source))
            .flatten(),
        sources,
        start_us: run.start_us,
        end_us: run.end_us,
    }
}
