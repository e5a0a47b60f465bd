//! Amazon Linux 2/2023 executions: one per platform-engine run, from `Starting...` to
//! `Platform Engine finished execution on command: X`. Instructions are the steps; hooks,
//! config sets and shell commands nest under them; cfn-init's configs and container
//! commands nest under their config set.

use super::cfn_hup::{result_code, result_status, HandlerRun};
use super::steps::{clean_error, failed_leaf, failed_path, StepStack};
use super::{rfc3339, span_ms, Execution, Host, Status, Step, Timed};
use crate::record::{Event, Format};
use eblog_grammars::result_json::CommandResult;

/// The executions of an Amazon Linux 2/2023 host.
pub(crate) fn executions(host: &Host<'_>, runs: &[HandlerRun<'_>]) -> Vec<Execution> {
    let cfn_init = host.records(Format::CfnInit);
    let cfn_init_cmd = host.records(Format::CfnInitCmd);
    let mut out = Vec::new();
    let mut current: Option<EngineRun<'_>> = None;
    for &t in host.records(Format::Engine) {
        if matches!(t.record.event, Event::EngineStart) {
            if let Some(run) = current.take_if(|r| r.begun) {
                out.push(run.execution(runs, cfn_init, cfn_init_cmd));
            }
        }
        // A run past its cleanup or response ends at the next record that is not its
        // closing lines, even without `Platform Engine finished`: fragments of several
        // runs (pasted excerpts) follow each other without `Starting...`.
        let closing = matches!(
            t.record.event,
            Event::Cleanup | Event::CommandResult { .. } | Event::CommandFinished { .. }
        );
        if !closing {
            if let Some(run) = current.take_if(|r| r.wound_up) {
                out.push(run.execution(runs, cfn_init, cfn_init_cmd));
            }
        }
        let run = current.get_or_insert_with(|| EngineRun::new(t.us));
        run.read(t);
        if run.finished_us.is_some() {
            if let Some(run) = current.take() {
                out.push(run.execution(runs, cfn_init, cfn_init_cmd));
            }
        }
    }
    if let Some(run) = current.filter(|r| r.begun) {
        out.push(run.execution(runs, cfn_init, cfn_init_cmd));
    }
    out
}

/// One engine run being read.
struct EngineRun<'r> {
    start_us: Option<i64>,
    last_us: Option<i64>,
    finished_us: Option<i64>,
    /// Whether anything beyond `Starting...` was read.
    begun: bool,
    /// Whether its cleanup or its response was read: what follows, bar the closing
    /// lines, is another run's.
    wound_up: bool,
    command: Option<String>,
    stack: StepStack,
    failure: Option<Failure>,
    result: Option<&'r CommandResult>,
    records: Vec<Timed<'r>>,
    /// The instance the run names (leader election).
    instance_id: Option<String>,
}

/// The engine's error line.
pub(super) struct Failure {
    at: super::SourceRef,
    instruction: Option<String>,
    exit_code: Option<i64>,
    error: Option<String>,
}

impl<'r> EngineRun<'r> {
    fn new(start_us: Option<i64>) -> Self {
        EngineRun {
            start_us,
            last_us: start_us,
            finished_us: None,
            begun: false,
            wound_up: false,
            command: None,
            stack: StepStack::default(),
            failure: None,
            result: None,
            records: Vec::new(),
            instance_id: None,
        }
    }

    /// Reads one engine record.
    fn read(&mut self, t: Timed<'r>) {
        let us = t.us;
        self.last_us = us.or(self.last_us);
        self.records.push(t);
        if self.instance_id.is_none() {
            self.instance_id = super::instance_named(t.record);
        }
        let event = &t.record.event;
        if !matches!(event, Event::CommandOutput { .. })
            && self
                .stack
                .innermost_mut()
                .is_some_and(|s| s.kind == "command")
        {
            let depth = self.stack.depth() - 1;
            self.stack.close_to(depth, us);
        }
        match event {
            Event::EngineStart => return,
            Event::CommandStart {
                command: Some(command),
                ..
            } => self.command = Some(command.clone()),
            Event::ActionStart { action, .. } => {
                let step = Step::new(action.clone(), "instruction", us, t.source());
                self.stack.open(0, step, us);
            }
            Event::HookStart { hook } => {
                let depth = self.stack.depth().min(1);
                self.stack
                    .open(depth, Step::new(hook.clone(), "hook", us, t.source()), us);
            }
            Event::HookDir { state, .. } if *state != "start" && *state != "order" => {
                self.close_kind("hook", us);
            }
            Event::ConfigSetStart { config_set } => {
                let depth = self.stack.depth().min(1);
                let step = Step::new(config_set.clone(), "config_set", us, t.source());
                self.stack.open(depth, step, us);
            }
            Event::ConfigSetEnd { .. } => self.close_kind("config_set", us),
            Event::CommandExec { command } => {
                let depth = self.stack.depth();
                let step = Step::new(command.clone(), "command", us, t.source());
                self.stack.open(depth, step, us);
            }
            Event::CommandFailed {
                command,
                step,
                exit_code,
                error,
                ..
            } => {
                // A fragment that begins after `Engine command: (X)` still names it here.
                if self.command.is_none() {
                    self.command.clone_from(command);
                }
                self.fail(step.as_deref(), *exit_code, error.as_deref(), t);
            }
            Event::Cleanup => {
                self.stack.close_to(0, us);
                self.wound_up = true;
            }
            Event::CommandResult { result, .. } => {
                self.result = result.as_ref();
                self.wound_up = true;
            }
            Event::CommandFinished { command } => {
                self.command.get_or_insert_with(|| command.clone());
                self.finished_us = us.or(self.last_us);
            }
            _ => {}
        }
        self.begun = true;
    }

    /// Closes the innermost open step of `kind` and everything inside it.
    fn close_kind(&mut self, kind: &str, us: Option<i64>) {
        let depth = self.stack.depth();
        let found = (0..depth)
            .rev()
            .find(|&d| self.stack.at_mut(d).is_some_and(|s| s.kind == kind));
        if let Some(d) = found {
            self.stack.close_to(d, us);
        }
    }

    fn fail(
        &mut self,
        instruction: Option<&str>,
        exit_code: Option<i64>,
        error: Option<&str>,
        t: Timed<'r>,
    ) {
        let error = error.and_then(clean_error);
        if let Some(name) = instruction {
            // The instruction the error line names is the outermost step, also when the
            // logs begin inside it (a fragment): then it holds the steps still open.
            let outermost = self.stack.at_mut(0).map(|s| (s.kind, s.name == name));
            match outermost {
                None => {
                    let step = Step::new(name, "instruction", t.us, t.source());
                    self.stack.open(0, step, t.us);
                }
                Some(("instruction", _)) | Some((_, true)) => {}
                Some(_) => self
                    .stack
                    .wrap_open(Step::new(name, "instruction", None, t.source())),
            }
        }
        self.stack.fail_open(exit_code, error.as_deref());
        self.failure = Some(Failure {
            at: t.source(),
            instruction: instruction.map(str::to_owned),
            exit_code,
            error,
        });
    }

    fn status(&self) -> Status {
        if let Some(result) = self.result {
            return result_status(result);
        }
        if self.failure.is_some() {
            return Status::Failure;
        }
        if self.finished_us.is_some() {
            Status::Success
        } else {
            Status::Incomplete
        }
    }

    fn execution(
        self,
        runs: &[HandlerRun<'_>],
        cfn_init: &[Timed<'_>],
        cfn_init_cmd: &[Timed<'_>],
    ) -> Execution {
        let status = self.status();
        let end_us = self.finished_us.or(self.last_us);
        let mut sources: Vec<_> = self.records.iter().map(Timed::source).collect();
        let mut steps = self.stack.finish(end_us, status);
        super::cfn_init::nest_config_sets(&mut steps, cfn_init, cfn_init_cmd, end_us, &mut sources);
        let run = runs.iter().find(|r| r.covers(self.start_us));
        if let Some(run) = run {
            sources.extend(run.records.iter().map(Timed::source));
        }
        let failure = self.failure;
        let error = status
            .is_failure()
            .then(|| error_text(&steps, failure.as_ref()))
            .flatten();
        let returncode = self
            .result
            .and_then(result_code)
            .or_else(|| failure.as_ref().and_then(|f| f.exit_code));
        let failed_step =
            failed_path(&steps).or_else(|| failure.as_ref().and_then(|f| f.instruction.clone()));
        Execution {
            instance_id: self.instance_id,
            host: String::new(),
            platform: "engine",
            command: self
                .command
                .or_else(|| command_of_instructions(&steps))
                .unwrap_or_else(|| "unknown".to_owned()),
            id: run.and_then(|r| r.invocation_id.clone()),
            started: self.start_us.and_then(rfc3339),
            finished: end_us.and_then(rfc3339),
            duration_ms: span_ms(self.start_us, end_us),
            status,
            returncode,
            steps,
            failed_step,
            error,
            events: self
                .result
                .map(|r| r.results.iter().flat_map(|e| e.events.clone()).collect())
                .unwrap_or_default(),
            error_at: failure.as_ref().map(|f| f.at.clone()),
            sources,
            start_us: self.start_us,
            end_us,
        }
    }
}

/// The command a run's instructions belong to only, for an excerpt that begins after the
/// command is named: the log-collecting commands' `GetTailLogs` and `GetBundleLogs`.
fn command_of_instructions(steps: &[Step]) -> Option<String> {
    steps.iter().find_map(|s| match (s.kind, s.name.as_str()) {
        ("instruction", "GetTailLogs") => Some("tail-log".to_owned()),
        ("instruction", "GetBundleLogs") => Some("bundle-log".to_owned()),
        _ => None,
    })
}

/// The engine's error text, followed by the failing container command's output when
/// the failure lives in cfn-init.
pub(super) fn error_text(steps: &[Step], failure: Option<&Failure>) -> Option<String> {
    let engine_error = failure.and_then(|f| f.error.clone());
    let leaf = failed_leaf(steps);
    let leaf_text = leaf.and_then(|s| {
        let output = s.output.as_deref()?;
        (Some(output) != engine_error.as_deref()).then(|| {
            let exit = s
                .exit_code
                .map(|c| format!(" (exit code {c})"))
                .unwrap_or_default();
            format!(
                "{} {} failed{exit}:\n{output}",
                s.kind.replace('_', " "),
                s.name
            )
        })
    });
    match (engine_error, leaf_text) {
        (Some(e), Some(l)) => Some(format!("{e}\n{l}")),
        (e, l) => e.or(l),
    }
}
