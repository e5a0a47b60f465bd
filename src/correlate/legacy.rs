//! Legacy (Amazon Linux AMI) executions: one per run of the command processor, which is
//! one process: its records in eb-commandprocessor.log share a process id, and so do the
//! activities it logs in eb-activity.log.

use super::activity::{self, activity_runs, tree, ActivityTree};
use super::cfn_hup::{result_code, result_msg, result_status, HandlerRun};
use super::steps::{clean_error, failed_leaf, failed_path, StepStack};
use super::{rfc3339, span_ms, Execution, Host, Status, Step, Timed};
use crate::record::{Event, Format};
use eblog_grammars::result_json::CommandResult;

/// The executions of a legacy host: one per command processor run, and one per top
/// activity of eb-activity.log that no command processor run accounts for.
pub(crate) fn executions(host: &Host<'_>, runs: &[HandlerRun<'_>]) -> Vec<Execution> {
    let activities = activity_runs(host.records(Format::Activity));
    let mut used = vec![false; activities.len()];
    let mut out: Vec<Execution> = process_runs(host.records(Format::CmdProcessor))
        .into_iter()
        .filter_map(|records| Invocation::read(&records).map(|i| (i, records)))
        .map(|(invocation, records)| {
            let start = records.iter().find_map(|t| t.us);
            let end = records.iter().rev().find_map(|t| t.us);
            let pid = records.iter().find_map(|t| t.record.pid);
            let own = activities
                .iter()
                .enumerate()
                .find(|(i, a)| !used[*i] && a.belongs_to(pid, start, end));
            let tree = own.map(|(i, a)| {
                used[i] = true;
                tree(a)
            });
            invocation.execution(&records, tree, runs)
        })
        .collect();
    for (run, _) in activities.iter().zip(&used).filter(|(_, used)| !**used) {
        out.push(activity::execution(run, runs));
    }
    out
}

/// Splits the command processor's records into runs of one process id.
fn process_runs<'r>(records: &[Timed<'r>]) -> Vec<Vec<Timed<'r>>> {
    let mut out: Vec<Vec<Timed<'r>>> = Vec::new();
    let mut last_pid = None;
    for &t in records {
        let pid = t.record.pid;
        match out.last_mut() {
            Some(run) if pid.is_none() || pid == last_pid => run.push(t),
            _ => out.push(vec![t]),
        }
        if pid.is_some() {
            last_pid = pid;
        }
    }
    out
}

/// What one command processor run says about its command.
#[derive(Default)]
struct Invocation<'r> {
    command: Option<String>,
    stage: Option<u32>,
    request_id: Option<String>,
    not_applicable: bool,
    failed: bool,
    succeeded: bool,
    failure_text: Option<String>,
    error_record: Option<String>,
    result: Option<&'r CommandResult>,
    error_at: Option<super::SourceRef>,
}

impl<'r> Invocation<'r> {
    /// Reads a run; `None` when it holds no command (maintenance chatter only).
    fn read(records: &[Timed<'r>]) -> Option<Self> {
        let mut inv = Invocation::default();
        let mut relevant = false;
        for t in records {
            let about_command = inv.take(&t.record.event);
            relevant |= about_command;
            let is_error = matches!(
                t.record.event,
                Event::CommandFailed { .. } | Event::Error { .. }
            );
            if is_error && inv.error_at.is_none() {
                inv.error_at = Some(t.source());
            }
        }
        relevant.then_some(inv)
    }

    /// Takes what one record says; returns whether it is about a command.
    fn take(&mut self, event: &'r Event) -> bool {
        match event {
            Event::CommandReceived {
                command,
                stage,
                request_id,
                ..
            } => {
                self.command = Some(command.clone());
                self.stage = *stage;
                self.request_id.clone_from(request_id);
            }
            Event::CommandStart {
                command: Some(command),
                stage,
                ..
            } => {
                self.command.get_or_insert_with(|| command.clone());
                self.stage = self.stage.or(*stage);
            }
            Event::Applicability {
                applicable: Some(false),
            } => self.not_applicable = true,
            Event::CommandFailed {
                command,
                error,
                exceptions,
                ..
            } => {
                self.failed = true;
                if let Some(command) = command {
                    self.command.get_or_insert_with(|| command.clone());
                }
                let root = exceptions.last().map(|e| &e.message).or(error.as_ref());
                if self.failure_text.is_none() {
                    self.failure_text = root.cloned();
                }
            }
            Event::CommandSucceeded { command, .. } => {
                self.succeeded = true;
                self.command.get_or_insert_with(|| command.clone());
            }
            Event::CommandResult { result, .. } => self.result = result.as_ref(),
            Event::Error { error, detail, .. } => {
                let text = match detail {
                    Some(d) => format!("{error}\n{d}"),
                    None => error.clone(),
                };
                self.error_record.get_or_insert(text);
            }
            _ => return false,
        }
        true
    }

    fn status(&self, run: Option<&HandlerRun<'_>>) -> Status {
        if let Some(result) = self.result {
            return result_status(result);
        }
        if self.not_applicable {
            return Status::Skipped;
        }
        if self.failed || self.error_record.is_some() {
            return Status::Failure;
        }
        if self.succeeded {
            return Status::Success;
        }
        match run.and_then(|r| r.result) {
            Some(result) => result_status(result),
            None => match run.and_then(|r| r.verdict) {
                Some((crate::record::ActionStatus::Success, _)) => Status::Success,
                Some(_) => Status::Failure,
                None => Status::Incomplete,
            },
        }
    }

    fn execution(
        self,
        records: &[Timed<'r>],
        tree: Option<ActivityTree>,
        runs: &[HandlerRun<'_>],
    ) -> Execution {
        let start_us = records.iter().find_map(|t| t.us);
        let mut end_us = records.iter().rev().find_map(|t| t.us);
        let run = runs.iter().find(|r| r.covers(start_us));
        let mut status = self.status(run);
        let mut sources: Vec<_> = records.iter().map(Timed::source).collect();
        let steps = match tree {
            Some(tree) => {
                sources.extend(tree.sources);
                end_us = end_us.max(tree.end_us);
                if tree.timed_out && status != Status::Skipped {
                    status = Status::Timeout;
                }
                tree.steps
            }
            None => fallback_steps(records, status, end_us),
        };
        if let Some(run) = run {
            sources.extend(run.records.iter().map(Timed::source));
        }
        let result = self.result.or(run.and_then(|r| r.result));
        let error = status
            .is_failure()
            .then(|| self.error_text(&steps, result))
            .flatten();
        let command = match (self.command, self.stage) {
            (Some(c), Some(s)) => format!("{c}(stage {s})"),
            (Some(c), None) => c,
            (None, _) => run
                .and_then(|r| r.eb_command.clone())
                .unwrap_or_else(|| "unknown".to_owned()),
        };
        Execution {
            instance_id: None,
            host: String::new(),
            platform: "legacy",
            command,
            id: self
                .request_id
                .or_else(|| run.and_then(|r| r.request_id.clone()))
                .or_else(|| run.and_then(|r| r.invocation_id.clone())),
            started: start_us.and_then(rfc3339),
            finished: end_us.and_then(rfc3339),
            duration_ms: span_ms(start_us, end_us),
            status,
            returncode: result
                .and_then(result_code)
                .or_else(|| run.and_then(|r| r.verdict).and_then(|(_, code)| code)),
            failed_step: failed_path(&steps),
            steps,
            error,
            events: result
                .map(|r| r.results.iter().flat_map(|e| e.events.clone()).collect())
                .unwrap_or_default(),
            error_at: self.error_at,
            sources,
            start_us,
            end_us,
        }
    }

    /// The error text: the failing hook's output, else the root exception, else the
    /// result's message, else the error record.
    fn error_text(&self, steps: &[Step], result: Option<&CommandResult>) -> Option<String> {
        failed_leaf(steps)
            .and_then(|s| s.output.clone())
            .or_else(|| self.failure_text.clone())
            .or_else(|| result.and_then(result_msg).map(str::to_owned))
            .or_else(|| self.error_record.clone())
            .and_then(|t| clean_error(&t))
    }
}

/// Steps from the command processor's own stage and action lines, when eb-activity.log
/// is missing: each ends where the next begins.
fn fallback_steps(records: &[Timed<'_>], status: Status, end_us: Option<i64>) -> Vec<Step> {
    let mut stack = StepStack::default();
    for t in records {
        match &t.record.event {
            Event::StageStart { stage, name, .. } => {
                let (title, kind) = match (stage, name) {
                    (Some(n), _) => (format!("stage {n}"), "stage"),
                    (None, Some(name)) => (name.clone(), "addons"),
                    (None, None) => continue,
                };
                stack.open(0, Step::new(title, kind, t.us, t.source()), t.us);
            }
            Event::ActionStart { action, .. } if stack.depth() > 0 => {
                stack.open(
                    1,
                    Step::new(action.clone(), "action", t.us, t.source()),
                    t.us,
                );
            }
            Event::CommandFailed { .. } | Event::Error { .. } if stack.depth() > 0 => {
                stack.fail_open(None, None);
            }
            Event::CommandSucceeded { .. } | Event::CommandResult { .. } => {
                stack.close_to(0, t.us);
            }
            _ => {}
        }
    }
    stack.finish(end_us, status)
}
