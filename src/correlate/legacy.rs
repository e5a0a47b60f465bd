//! Legacy (Amazon Linux AMI) executions: one per run of the command processor, which is
//! one process: its records in eb-commandprocessor.log share a process id, and so do the
//! activities it logs in eb-activity.log.

use super::cfn_hup::{result_code, result_msg, result_status, HandlerRun};
use super::steps::{clean_error, failed_leaf, failed_path, StepStack};
use super::{rfc3339, span_ms, Execution, Host, Status, Step, Timed};
use crate::record::{ActivityStatus, Event, Format};
use eblog_grammars::result_json::CommandResult;

/// The executions of a legacy host.
pub(crate) fn executions(host: &Host<'_>, runs: &[HandlerRun<'_>]) -> Vec<Execution> {
    let activities = host.records(Format::Activity);
    process_runs(host.records(Format::CmdProcessor))
        .into_iter()
        .filter_map(|records| Invocation::read(&records).map(|i| (i, records)))
        .map(|(invocation, records)| invocation.execution(&records, activities, runs))
        .collect()
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
        activities: &[Timed<'_>],
        runs: &[HandlerRun<'_>],
    ) -> Execution {
        let start_us = records.iter().find_map(|t| t.us);
        let mut end_us = records.iter().rev().find_map(|t| t.us);
        let pid = records.iter().find_map(|t| t.record.pid);
        let run = runs.iter().find(|r| r.covers(start_us));
        let mut status = self.status(run);
        let mut sources: Vec<_> = records.iter().map(Timed::source).collect();
        let tree = activity_tree(activities, pid, start_us, end_us);
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

/// Steps read from eb-activity.log.
struct ActivityTree {
    steps: Vec<Step>,
    sources: Vec<super::SourceRef>,
    end_us: Option<i64>,
    timed_out: bool,
}

/// The activity tree of the command processor run `pid` between `start_us` and `end_us`
/// (a second of slack either side): its top activity's children become steps.
fn activity_tree(
    activities: &[Timed<'_>],
    pid: Option<u32>,
    start_us: Option<i64>,
    end_us: Option<i64>,
) -> Option<ActivityTree> {
    const SLACK_US: i64 = 1_000_000;
    let (start, end) = (start_us?, end_us?);
    let in_run = |t: &Timed<'_>| {
        let same_pid = pid.is_none() || t.record.pid.is_none() || t.record.pid == pid;
        same_pid
            && t.us
                .is_some_and(|us| us + SLACK_US >= start && us <= end + SLACK_US)
    };
    let mut stack = StepStack::default();
    let mut tree = ActivityTree {
        steps: Vec::new(),
        sources: Vec::new(),
        end_us: None,
        timed_out: false,
    };
    let mut top: Option<&str> = None;
    for t in activities.iter().filter(|t| in_run(t)) {
        let Some(path) = t.record.activity.as_deref() else {
            continue;
        };
        let (head, rest) = match path.split_once('/') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        if *top.get_or_insert(head) != head {
            continue;
        }
        tree.sources.push(t.source());
        let Some(rest) = rest else {
            // The top activity itself: its end ends the command.
            if let Event::ActivityEnd { status, .. } = &t.record.event {
                tree.end_us = t.us;
                tree.timed_out |= *status == ActivityStatus::TimedOut;
            }
            continue;
        };
        let names: Vec<&str> = rest.split('/').collect();
        let depth = names.len() - 1;
        read_activity(&mut stack, &names, depth, t);
    }
    top?;
    tree.steps = stack.finish(tree.end_us, Status::Incomplete);
    tree.timed_out |= tree.steps.iter().any(|s| s.status == Status::Timeout);
    Some(tree)
}

/// Applies one activity record at `depth` of the tree.
fn read_activity(stack: &mut StepStack, names: &[&str], depth: usize, t: &Timed<'_>) {
    match &t.record.event {
        Event::ActivityStart { .. } => {
            let (name, kind) = activity_kind(names);
            stack.open(depth, Step::new(name, kind, t.us, t.source()), t.us);
        }
        Event::ActivityEnd { status, result, .. } if stack.depth() > depth => {
            if let Some(step) = stack.at_mut(depth) {
                step.end_us = t.us;
                step.status = match status {
                    ActivityStatus::Completed => Status::Success,
                    ActivityStatus::TimedOut => Status::Timeout,
                    ActivityStatus::Failed | ActivityStatus::InternalFailure => Status::Failure,
                };
                if step.status != Status::Success && step.output.is_none() {
                    step.output = result.as_deref().and_then(clean_error);
                }
            }
            stack.close_to(depth, t.us);
        }
        Event::ActivityError {
            error, exceptions, ..
        } if stack.depth() > depth => {
            if let Some(step) = stack.at_mut(depth) {
                step.status = Status::Failure;
                let root = exceptions
                    .last()
                    .map_or(error.as_str(), |e| e.message.as_str());
                step.output = clean_error(root);
            }
        }
        _ => {}
    }
}

/// A step's name and kind from its activity path below the top (`AppDeployStage0`,
/// `AppDeployPreHook`, `01unzip.sh`).
fn activity_kind(names: &[&str]) -> (String, &'static str) {
    let last = names.last().copied().unwrap_or_default();
    let under_addons = names.first().is_some_and(|n| n.starts_with("Addons"));
    let under_ebextension = names.get(1).is_some_and(|n| n.starts_with("EbExtension"));
    let kind = match names.len() {
        1 if under_addons => "addons",
        1 => "stage",
        2 if under_addons => "addon",
        2 => "action",
        3 if under_ebextension => "config_set",
        3 => "hook",
        4 if under_ebextension => "config",
        _ if last.starts_with("Command ") => "container_command",
        _ => "activity",
    };
    let name = last.strip_prefix("Command ").unwrap_or(last);
    (name.to_owned(), kind)
}

#[cfg(test)]
mod tests {
    use super::activity_kind;

    #[test]
    fn activity_paths_name_their_kinds() {
        assert_eq!(activity_kind(&["AppDeployStage0"]).1, "stage");
        assert_eq!(activity_kind(&["AddonsBefore"]).1, "addons");
        assert_eq!(
            activity_kind(&["AddonsBefore", "ConfigCWLAgent"]).1,
            "addon"
        );
        assert_eq!(
            activity_kind(&["AppDeployStage0", "AppDeployPreHook", "50npm.sh"]).1,
            "hook"
        );
        assert_eq!(
            activity_kind(&[
                "S0",
                "EbExtensionPreBuild",
                "Infra-EmbeddedPreBuild",
                "prebuild_0_x",
                "Command 01_a"
            ]),
            ("01_a".to_owned(), "container_command")
        );
    }
}
