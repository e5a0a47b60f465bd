//! Building a tree of steps from records that open and close them in order.

use super::{rfc3339, span_ms, SourceRef, Status, Step};

impl Step {
    /// A step that starts at `start_us`, successful until told otherwise.
    pub(crate) fn new(
        name: impl Into<String>,
        kind: &'static str,
        start_us: Option<i64>,
        source: SourceRef,
    ) -> Self {
        Step {
            name: name.into(),
            kind,
            started: None,
            duration_ms: None,
            status: Status::Success,
            exit_code: None,
            output: None,
            source: Some(source),
            steps: Vec::new(),
            start_us,
            end_us: None,
        }
    }

    /// Fills in the serialized times from the internal ones.
    pub(crate) fn seal(&mut self) {
        self.started = self.start_us.and_then(rfc3339);
        self.duration_ms = span_ms(self.start_us, self.end_us);
    }
}

/// Open steps, innermost last, and the closed top-level steps.
#[derive(Default)]
pub(crate) struct StepStack {
    roots: Vec<Step>,
    open: Vec<Step>,
}

impl StepStack {
    /// How many steps are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// Opens `step` at `depth` (0 = top level), closing the open steps at that depth and
    /// deeper at `now`.
    pub fn open(&mut self, depth: usize, step: Step, now: Option<i64>) {
        self.close_to(depth.min(self.open.len()), now);
        self.open.push(step);
    }

    /// Closes open steps until `depth` remain, ending them at `now` (unless they have an
    /// end already).
    pub fn close_to(&mut self, depth: usize, now: Option<i64>) {
        while self.open.len() > depth {
            let Some(mut step) = self.open.pop() else {
                break;
            };
            if step.end_us.is_none() {
                step.end_us = now.or(step.start_us);
            }
            step.seal();
            match self.open.last_mut() {
                Some(parent) => parent.steps.push(step),
                None => self.roots.push(step),
            }
        }
    }

    /// Puts `step` around the open steps: it becomes the outermost open step, starting
    /// when the first of them did (unless it has a start of its own).
    pub fn wrap_open(&mut self, mut step: Step) {
        if step.start_us.is_none() {
            step.start_us = self.open.first().and_then(|s| s.start_us);
        }
        self.open.insert(0, step);
    }

    /// The open step at `depth`.
    pub fn at_mut(&mut self, depth: usize) -> Option<&mut Step> {
        self.open.get_mut(depth)
    }

    /// The innermost open step.
    pub fn innermost_mut(&mut self) -> Option<&mut Step> {
        self.open.last_mut()
    }

    /// The innermost open step of one of `kinds`.
    pub fn innermost_of(&mut self, kinds: &[&str]) -> Option<&mut Step> {
        self.open.iter_mut().rev().find(|s| kinds.contains(&s.kind))
    }

    /// Marks every open step as failed; the innermost gets the exit code and output.
    pub fn fail_open(&mut self, exit_code: Option<i64>, output: Option<&str>) {
        let last = self.open.len().saturating_sub(1);
        for (i, step) in self.open.iter_mut().enumerate() {
            step.status = Status::Failure;
            if i == last {
                step.exit_code = step.exit_code.or(exit_code);
                if step.output.is_none() {
                    step.output = output.map(str::to_owned);
                }
            }
        }
    }

    /// Closes everything; open steps end at `now` with `status` when it is not success.
    pub fn finish(mut self, now: Option<i64>, status: Status) -> Vec<Step> {
        if status == Status::Incomplete {
            for step in &mut self.open {
                if step.status == Status::Success {
                    step.status = Status::Incomplete;
                }
            }
        }
        self.close_to(0, now);
        self.roots
    }
}

/// The path of the failing step, outermost first (`AppDeployStage0/AppDeployPreHook/x.sh`).
/// Shell commands the engine ran are not part of it: the instruction, hook or container
/// command that ran them is the step that failed (the error text names the command).
pub(crate) fn failed_path(steps: &[Step]) -> Option<String> {
    let mut names = Vec::new();
    let mut level = steps;
    while let Some(step) = level
        .iter()
        .rev()
        .find(|s| matches!(s.status, Status::Failure | Status::Timeout))
    {
        if step.kind == "command" && !names.is_empty() {
            break;
        }
        names.push(step.name.as_str());
        level = &step.steps;
    }
    (!names.is_empty()).then(|| names.join("/"))
}

/// The deepest failing step.
pub(crate) fn failed_leaf(steps: &[Step]) -> Option<&Step> {
    let mut found = None;
    let mut level = steps;
    while let Some(step) = level
        .iter()
        .rev()
        .find(|s| matches!(s.status, Status::Failure | Status::Timeout))
    {
        found = Some(step);
        level = &step.steps;
    }
    found
}

/// Error text cleaned for people: trailing blanks and blank lines removed, a lone space
/// line (the engine's stderr terminator) dropped.
pub(crate) fn clean_error(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines.iter().position(|l| !l.is_empty())?;
    let end = lines.iter().rposition(|l| !l.is_empty())?;
    Some(lines[start..=end].join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src() -> SourceRef {
        SourceRef {
            file: "f".into(),
            line: 1,
        }
    }

    #[test]
    fn nested_steps_close_in_order_and_time_themselves() {
        let mut stack = StepStack::default();
        stack.open(0, Step::new("stage", "stage", Some(0), src()), Some(0));
        stack.open(1, Step::new("a", "action", Some(1_000), src()), Some(1_000));
        stack.open(1, Step::new("b", "action", Some(3_000), src()), Some(3_000));
        stack.fail_open(Some(2), Some("boom"));
        let steps = stack.finish(Some(10_000), Status::Failure);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].duration_ms, Some(10));
        assert_eq!(steps[0].steps[0].duration_ms, Some(2));
        assert_eq!(steps[0].steps[0].status, Status::Success);
        assert_eq!(steps[0].steps[1].status, Status::Failure);
        assert_eq!(steps[0].steps[1].exit_code, Some(2));
        assert_eq!(failed_path(&steps).as_deref(), Some("stage/b"));
        assert_eq!(failed_leaf(&steps).map(|s| s.name.as_str()), Some("b"));
    }

    #[test]
    fn errors_lose_blank_edges() {
        assert_eq!(
            clean_error("\n a\n \nb  \n \n\n").as_deref(),
            Some(" a\n\nb")
        );
        assert_eq!(clean_error(" \n"), None);
    }
}
