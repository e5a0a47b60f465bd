//! cfn-init's side of an engine run: the configs and container commands of each config
//! set, from `cfn-init.log` and `cfn-init-cmd.log` read together.
//!
//! cfn-init.log at its default INFO level names a command only when it ends (`Command 01
//! succeeded`, `Command 01 (chkconfig awslogs on) failed`); its `Running command` and
//! `Command 01 output:` lines are DEBUG. cfn-init-cmd.log holds every command's start, its
//! output line by line and its exit code (`Exited with error code 1`). So the steps come
//! from cfn-init.log, and cfn-init-cmd.log fills in what it leaves out: the output, the
//! exit code, the start, and the commands and configs it does not name.

use super::steps::{clean_error, failed_leaf, failed_path, StepStack};
use super::{rfc3339, span_ms, Execution, Host, SourceRef, Status, Step, Timed};
use crate::record::{Event, Format};

/// The name of a config a fragment begins inside of, until a line names it.
const UNNAMED_CONFIG: &str = "(config)";

/// A second of slack around a config set's window (the logs' clocks and precision).
const SLACK_US: i64 = 1_000_000;

/// How far before a failed instruction's end cfn-init's build is looked for when the logs
/// do not hold the config set that ran it (an excerpt that begins at the engine's error).
const LOOKBACK_US: i64 = 5 * 60 * 1_000_000;

/// Gives every config set step the configs and container commands cfn-init logged while
/// it ran. A config set whose cfn-init steps failed fails, and so does the shell command
/// that ran cfn-init for it.
pub(super) fn nest_config_sets(
    steps: &mut [Step],
    cfn_init: &[Timed<'_>],
    cfn_init_cmd: &[Timed<'_>],
    end_us: Option<i64>,
    sources: &mut Vec<SourceRef>,
) {
    for step in steps.iter_mut() {
        let nested = step.steps.iter().any(|s| s.kind == "config");
        if step.kind == "config_set" && !nested {
            let until = step.end_us.or(end_us);
            let mut children = window_steps(cfn_init, step.start_us, until, sources);
            let detail = window_steps(cfn_init_cmd, step.start_us, until, sources);
            merge(&mut children, detail);
            if children.iter().any(|c| c.status == Status::Failure) {
                step.status = Status::Failure;
            }
            if step.status == Status::Failure {
                fail_shell_command(&mut step.steps);
            }
            step.steps.extend(children);
        } else if refers_to_cfn_init(step) {
            // An excerpt that begins at the engine's error: the build that failed is the
            // last one cfn-init began before it.
            let until = step.end_us.or(end_us);
            let from = until.map(|u| build_start(cfn_init, u));
            let mut children = window_steps(cfn_init, from, until, sources);
            let detail = window_steps(cfn_init_cmd, from, until, sources);
            merge(&mut children, detail);
            step.steps.extend(children);
        } else {
            nest_config_sets(&mut step.steps, cfn_init, cfn_init_cmd, end_us, sources);
        }
    }
}

/// A failed step without any config set below it whose error sends the reader to
/// cfn-init.log (`EbExtension build failed. Please refer to /var/log/cfn-init.log`).
fn refers_to_cfn_init(step: &Step) -> bool {
    fn has_config_set(step: &Step) -> bool {
        step.steps
            .iter()
            .any(|s| s.kind == "config_set" || s.kind == "config" || has_config_set(s))
    }
    step.status == Status::Failure
        && step
            .output
            .as_deref()
            .is_some_and(|o| o.contains("cfn-init.log"))
        && !has_config_set(step)
}

/// Where the cfn-init build that ended by `until` began: its `Starting build` banner
/// within [`LOOKBACK_US`], else the start of that look-back.
fn build_start(cfn_init: &[Timed<'_>], until: i64) -> i64 {
    let earliest = until - LOOKBACK_US;
    cfn_init
        .iter()
        .filter(|t| matches!(t.record.event, Event::Build { state: "start", .. }))
        .filter_map(|t| t.us)
        .filter(|&us| us >= earliest && us <= until + SLACK_US)
        .max()
        .unwrap_or(earliest)
}

/// The command a build error names at its end: `Command 01_mount failed` (in
/// `Unhandled exception during build: ...` or `Error encountered during build of X: ...`).
fn failed_command_named(error: &str) -> Option<&str> {
    let (_, rest) = error.rsplit_once("Command ")?;
    let name = rest.trim_end().strip_suffix(" failed")?;
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
}

/// The builds of a host whose only agent logs are cfn-init's (a pasted cfn-init.log): one
/// execution per build, `Starting build` to `Build complete` / `BUILD FAILED` (a fragment's
/// first build begins at its first record), its configs and commands as steps, completed
/// from cfn-init-cmd.log.
pub(super) fn standalone(host: &Host<'_>) -> Vec<Execution> {
    let cfn_init = host.records(Format::CfnInit);
    let cfn_init_cmd = host.records(Format::CfnInitCmd);
    let mut builds: Vec<Build> = Vec::new();
    let mut open: Option<Build> = None;
    for t in cfn_init {
        let state = match &t.record.event {
            Event::Build { state, .. } => Some(*state),
            _ => None,
        };
        if state == Some("start") {
            builds.extend(open.take());
        } else if open.is_none() {
            // After `BUILD FAILED`: `Unhandled exception during build` is that build's.
            if let Some(last) = builds.last_mut() {
                last.end_us = t.us.or(last.end_us);
                continue;
            }
        }
        let build = open.get_or_insert(Build {
            start_us: t.us,
            end_us: t.us,
            ended: None,
        });
        build.end_us = t.us.or(build.end_us);
        if let Some(end @ ("complete" | "failed")) = state {
            build.ended = Some(end);
            builds.extend(open.take());
        }
    }
    builds.extend(open);
    builds
        .into_iter()
        .map(|b| b.execution(cfn_init, cfn_init_cmd))
        .collect()
}

/// One cfn-init run found in cfn-init.log.
struct Build {
    start_us: Option<i64>,
    end_us: Option<i64>,
    /// `complete` or `failed`, when its banner was read.
    ended: Option<&'static str>,
}

impl Build {
    fn execution(self, cfn_init: &[Timed<'_>], cfn_init_cmd: &[Timed<'_>]) -> Execution {
        let mut sources = Vec::new();
        let mut steps = window_steps(cfn_init, self.start_us, self.end_us, &mut sources);
        let detail = window_steps(cfn_init_cmd, self.start_us, self.end_us, &mut sources);
        merge(&mut steps, detail);
        let failed = steps.iter().any(|s| s.status == Status::Failure);
        let status = match self.ended {
            _ if failed => Status::Failure,
            Some("failed") => Status::Failure,
            Some(_) => Status::Success,
            None => Status::Incomplete,
        };
        let leaf = failed_leaf(&steps);
        let error = status
            .is_failure()
            .then(|| super::engine::error_text(&steps, None))
            .flatten();
        Execution {
            instance_id: None,
            host: String::new(),
            platform: "cfn-init",
            command: "cfn-init".to_owned(),
            id: None,
            started: self.start_us.and_then(rfc3339),
            finished: self.end_us.and_then(rfc3339),
            duration_ms: span_ms(self.start_us, self.end_us),
            status,
            returncode: leaf.and_then(|s| s.exit_code),
            failed_step: failed_path(&steps),
            error,
            events: Vec::new(),
            error_at: leaf.and_then(|s| s.source.clone()),
            sources,
            start_us: self.start_us,
            end_us: self.end_us,
            steps,
        }
    }
}

/// Marks the shell command that ran cfn-init (else the config set's last shell command)
/// as failed: its non-zero exit is what made the engine stop.
fn fail_shell_command(steps: &mut [Step]) {
    let is_command = |s: &Step| s.kind == "command";
    let target = steps
        .iter()
        .rposition(|s| is_command(s) && s.name.contains("cfn-init"))
        .or_else(|| steps.iter().rposition(is_command));
    if let Some(step) = target.and_then(|i| steps.get_mut(i)) {
        step.status = Status::Failure;
    }
}

/// cfn-init's configs and commands of one log between `from` and `until`.
fn window_steps(
    cfn: &[Timed<'_>],
    from: Option<i64>,
    until: Option<i64>,
    sources: &mut Vec<SourceRef>,
) -> Vec<Step> {
    let (Some(from), Some(until)) = (from, until) else {
        return Vec::new();
    };
    let mut reader = Reader::default();
    let window = cfn.iter().filter(|t| {
        t.us.is_some_and(|us| us + SLACK_US >= from && us <= until + SLACK_US)
    });
    for t in window {
        if reader.read(t) {
            sources.push(t.source());
        }
    }
    reader.stack.finish(Some(until), Status::Success)
}

/// Reads one log's cfn-init records into configs (depth 0) and their commands (depth 1).
#[derive(Default)]
struct Reader {
    stack: StepStack,
    /// When the last record used was written: where a command logged only at its end
    /// (INFO level) began, at the latest.
    last_us: Option<i64>,
    /// cfn-init-cmd.log is inside a `Test for Command X` block: its result is the test's.
    in_test: bool,
    /// A container command has failed in what was read.
    command_failed: bool,
}

impl Reader {
    /// Applies one record; returns whether it was used.
    fn read(&mut self, t: &Timed<'_>) -> bool {
        let used = match &t.record.event {
            Event::ConfigStart { config } => {
                self.in_test = false;
                let step = Step::new(config.clone(), "config", t.us, t.source());
                self.stack.open(0, step, t.us);
                true
            }
            Event::CfnCommand {
                name,
                status,
                command,
                exit_code,
                output,
            } => self.command(
                t,
                name.as_deref(),
                status,
                command.as_deref(),
                *exit_code,
                output.as_deref(),
            ),
            Event::CommandOutput { .. } if t.record.format == Some(Format::CfnInitCmd) => {
                self.output_line(&t.record.message);
                true
            }
            Event::Error { error, .. } if t.record.format == Some(Format::CfnInit) => {
                self.config_error(error, &t.record.message, t)
            }
            _ => false,
        };
        if used {
            self.last_us = t.us.or(self.last_us);
        }
        used
    }

    fn command(
        &mut self,
        t: &Timed<'_>,
        name: Option<&str>,
        status: &str,
        command: Option<&str>,
        exit_code: Option<i64>,
        output: Option<&str>,
    ) -> bool {
        let us = t.us;
        match (status, name) {
            ("test", _) => {
                self.stack.close_to(self.stack.depth().min(1), us);
                self.in_test = true;
            }
            ("start", Some(name)) => {
                self.in_test = false;
                let depth = self.stack.depth().min(1);
                let step = Step::new(name, "container_command", us, t.source());
                self.stack.open(depth, step, us);
            }
            // The verdict of a `test`: a failed test skips the command, it does not fail.
            ("success" | "failure_ignored" | "failure", _) if self.in_test => self.in_test = false,
            ("success" | "failure_ignored", _) => {
                if let Some(step) = self.named(name, t) {
                    step.end_us = us;
                }
                self.stack.close_to(self.stack.depth().min(1), us);
            }
            ("failure", _) => {
                self.command_failed = true;
                if let Some(step) = self.named(name, t) {
                    step.end_us = us;
                    step.status = Status::Failure;
                    step.exit_code = step.exit_code.or(exit_code);
                    if step.output.is_none() {
                        step.output = command.map(|c| format!("$ {c}"));
                    }
                }
                if let Some(config) = self.stack.at_mut(0) {
                    config.status = Status::Failure;
                }
                self.stack.close_to(self.stack.depth().min(1), us);
            }
            ("output", Some(name)) => self.attach_output(name, output),
            _ => return false,
        }
        true
    }

    /// The open container command `name` names (any, when `name` is `None`); a command
    /// named at its end only (cfn-init.log at INFO level) is opened here, begun at the
    /// last record before it.
    fn named(&mut self, name: Option<&str>, t: &Timed<'_>) -> Option<&mut Step> {
        let open_matches = self
            .stack
            .innermost_of(&["container_command"])
            .is_some_and(|s| name.is_none_or(|n| s.name == n));
        if !open_matches {
            let name = name?;
            if self.stack.depth() == 0 {
                // A fragment that begins inside a config: it is named further down
                // (`Error encountered during build of X`).
                let step = Step::new(UNNAMED_CONFIG, "config", self.last_us.or(t.us), t.source());
                self.stack.open(0, step, t.us);
            }
            let start = self.last_us.or(t.us);
            let step = Step::new(name, "container_command", start, t.source());
            self.stack.open(1, step, start);
        }
        self.stack.innermost_of(&["container_command"])
    }

    /// An ERROR of cfn-init inside a config: a tool's failure (`chkconfig failed with
    /// error 1. Output: ...`, `Yum failed. Output: ...`) is kept on the config, and
    /// `Error encountered during build of X: reason` fails the config; when no container
    /// command failed, the config is the failing step and those lines its error. The
    /// build's own end (`BUILD FAILED`, `Unhandled exception during build`) is not used,
    /// unless it is the only line that names the command that failed (an excerpt).
    fn config_error(&mut self, error: &str, message: &str, t: &Timed<'_>) -> bool {
        const BUILD_ERROR: &str = "Error encountered during build of ";
        let build_end =
            error.starts_with("Unhandled exception during build") || error.contains("BUILD FAILED");
        let named = failed_command_named(error).filter(|_| !self.command_failed);
        if let Some(name) = named {
            self.fail_named(name, error, t);
        }
        if build_end {
            return named.is_some();
        }
        let Some(config) = self.stack.at_mut(0) else {
            return false;
        };
        let command_failed = config.steps.iter().any(|s| s.status == Status::Failure);
        let text = match error.strip_prefix(BUILD_ERROR) {
            Some(rest) => {
                config.status = Status::Failure;
                if config.name == UNNAMED_CONFIG {
                    if let Some((name, _)) = rest.split_once(": ") {
                        config.name = name.to_owned();
                    }
                }
                // `config: reason`; the traceback below it is cfn-init's own.
                let reason = rest.split_once(": ").map_or(rest, |(_, r)| r);
                reason.to_owned()
            }
            None => match clean_error(message) {
                Some(text) => text,
                None => return false,
            },
        };
        if !command_failed {
            let output = config.output.get_or_insert_with(String::new);
            if !output.is_empty() {
                output.push('\n');
            }
            output.push_str(&text);
        }
        true
    }

    /// Fails the container command `name` that only a build error line names; the line
    /// is its output.
    fn fail_named(&mut self, name: &str, line: &str, t: &Timed<'_>) {
        self.command_failed = true;
        if let Some(step) = self.named(Some(name), t) {
            step.end_us = t.us;
            step.status = Status::Failure;
            step.source = Some(t.source());
            if step.output.is_none() {
                step.output = Some(line.to_owned());
            }
        }
        if let Some(config) = self.stack.at_mut(0) {
            config.status = Status::Failure;
        }
        self.stack.close_to(self.stack.depth().min(1), t.us);
    }

    /// One line of cfn-init-cmd.log output, added to the open command's output.
    fn output_line(&mut self, message: &str) {
        if self.in_test {
            return;
        }
        if let Some(step) = self.stack.innermost_of(&["container_command"]) {
            let line = message.strip_prefix('\t').unwrap_or(message);
            let text = step.output.get_or_insert_with(String::new);
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    }

    /// Puts cfn-init's `Command X output:` text on the (already closed) failed step it
    /// names, after the command line.
    fn attach_output(&mut self, name: &str, output: Option<&str>) {
        let Some(output) = output.and_then(clean_error) else {
            return;
        };
        let Some(config) = self.stack.at_mut(0) else {
            return;
        };
        let step = config.steps.iter_mut().rev().find(|s| s.name == name);
        if let Some(step) = step.filter(|s| s.status == Status::Failure) {
            step.output = Some(match step.output.take() {
                Some(command) => format!("{command}\n{output}"),
                None => output,
            });
        }
    }
}

/// Completes cfn-init.log's configs with cfn-init-cmd.log's (`detail`): the same config
/// (by name, in order) gets the commands, exit codes and output it lacks.
fn merge(primary: &mut Vec<Step>, detail: Vec<Step>) {
    // Only cfn-init.log's own configs are matched (those added below are not).
    let mut taken = vec![false; primary.len()];
    for config in detail {
        let found = (0..taken.len()).find(|&i| !taken[i] && primary[i].name == config.name);
        match found {
            Some(i) => {
                taken[i] = true;
                merge_config(&mut primary[i], config);
            }
            None => primary.push(config),
        }
    }
    primary.sort_by_key(|s| s.start_us.unwrap_or(i64::MIN));
}

fn merge_config(into: &mut Step, from: Step) {
    if from.status == Status::Failure {
        into.status = Status::Failure;
    }
    for command in from.steps {
        let same = into
            .steps
            .iter_mut()
            .find(|s| s.name == command.name && s.kind == command.kind);
        match same {
            Some(step) => fill(step, command),
            None => into.steps.push(command),
        }
    }
    into.steps.sort_by_key(|s| s.start_us.unwrap_or(i64::MIN));
}

/// What cfn-init-cmd.log knows of a command cfn-init.log names: its exit code, its output
/// (when cfn-init.log gave only the command line), its start.
fn fill(into: &mut Step, from: Step) {
    into.exit_code = into.exit_code.or(from.exit_code);
    if from.status == Status::Failure {
        into.status = Status::Failure;
    }
    if into.status == Status::Failure {
        match (&mut into.output, from.output) {
            (Some(text), Some(more)) if !text.contains('\n') => {
                text.push('\n');
                text.push_str(&more);
            }
            (None, Some(more)) => into.output = Some(more),
            _ => {}
        }
    }
    // cfn-init-cmd.log logs the start; cfn-init.log at INFO level only the end.
    if let Some(start) = from.start_us {
        if into.end_us.is_none_or(|end| start <= end) {
            into.start_us = Some(start);
            into.seal();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, kind: &'static str, start: i64) -> Step {
        let source = SourceRef {
            file: "cfn-init-cmd.log".into(),
            line: 1,
        };
        Step::new(name, kind, Some(start), source)
    }

    #[test]
    fn a_build_error_names_the_command_that_failed_at_its_end() {
        let named = failed_command_named;
        assert_eq!(
            named("Unhandled exception during build: Command 01_mount failed"),
            Some("01_mount")
        );
        assert_eq!(
            named("Error encountered during build of prebuild_0_app: Command hooks failed"),
            Some("hooks")
        );
        assert_eq!(
            named("Unhandled exception during build: Could not enable service awslogs"),
            None
        );
        assert_eq!(named("Command 01 (chkconfig awslogs on) failed"), None);
    }

    #[test]
    fn configs_only_the_detailed_log_names_are_added_in_time_order() {
        let mut primary = vec![step("b", "config", 20)];
        let mut failed = step("01_x", "container_command", 5);
        failed.status = Status::Failure;
        failed.exit_code = Some(2);
        let mut a = step("a", "config", 1);
        a.steps.push(failed);
        let c = step("c", "config", 30);
        let c2 = step("c", "config", 40);
        merge(&mut primary, vec![a, step("b", "config", 21), c, c2]);
        let names: Vec<&str> = primary.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "c"]);
        assert_eq!(primary[0].steps[0].exit_code, Some(2));
    }

    #[test]
    fn the_detailed_log_fills_in_a_failed_commands_output_and_exit_code() {
        let mut into = step("02_logs", "container_command", 50);
        into.status = Status::Failure;
        into.output = Some("$ chkconfig awslogs on".to_owned());
        into.end_us = Some(60);
        let mut from = step("02_logs", "container_command", 40);
        from.status = Status::Failure;
        from.exit_code = Some(1);
        from.output = Some("error reading information on service awslogs".to_owned());
        fill(&mut into, from);
        assert_eq!(into.exit_code, Some(1));
        assert_eq!(
            into.output.as_deref(),
            Some("$ chkconfig awslogs on\nerror reading information on service awslogs")
        );
        assert_eq!(into.start_us, Some(40), "the detailed log knows the start");
        assert_eq!(into.duration_ms, Some(0));
    }
}
