//! eb-activity.log's activity trees. Each command the command processor runs is one top
//! activity (`Application update app-v1@5`) with stages, actions, hook scripts and
//! cfn-init's config sets and commands beneath it, each logged when it starts and ends.
//! A tree is built by path, not by nesting order, so an excerpt that starts or ends
//! inside a command still gives the steps it holds.

use super::cfn_hup::HandlerRun;
use super::steps::{clean_error, failed_leaf, failed_path};
use super::{rfc3339, span_ms, Execution, SourceRef, Status, Step, Timed};
use crate::record::{ActivityStatus, Event};
use std::collections::BTreeMap;

/// The records of one top activity, in time order.
pub(crate) struct ActivityRun<'r> {
    /// The top activity's name (label and deployment tag).
    pub head: String,
    /// The command processor's process id.
    pub pid: Option<u32>,
    /// The records.
    pub records: Vec<Timed<'r>>,
    /// Whether the top activity's end was read.
    ended: bool,
}

impl ActivityRun<'_> {
    /// First and last instant.
    pub fn span(&self) -> (Option<i64>, Option<i64>) {
        (
            self.records.iter().find_map(|t| t.us),
            self.records.iter().rev().find_map(|t| t.us),
        )
    }

    /// Whether this run belongs to the command processor run `pid` that lasted from
    /// `start` to `end` (a second of slack either side).
    pub fn belongs_to(&self, pid: Option<u32>, start: Option<i64>, end: Option<i64>) -> bool {
        const SLACK_US: i64 = 1_000_000;
        let same_pid = pid.is_none() || self.pid.is_none() || self.pid == pid;
        let (Some(start), Some(end)) = (start, end) else {
            return false;
        };
        let (Some(first), Some(last)) = self.span() else {
            return false;
        };
        same_pid && first <= end + SLACK_US && last + SLACK_US >= start
    }
}

/// Splits activity records (in time order) into top-activity runs.
pub(crate) fn activity_runs<'r>(records: &[Timed<'r>]) -> Vec<ActivityRun<'r>> {
    let mut runs: Vec<ActivityRun<'r>> = Vec::new();
    for &t in records {
        let Some(path) = t.record.activity.as_deref() else {
            continue;
        };
        let (head, is_top) = match path.split_once('/') {
            Some((head, _)) => (head, false),
            None => (path, true),
        };
        let starts_top = is_top && matches!(t.record.event, Event::ActivityStart { .. });
        let continues = runs.last().is_some_and(|run| {
            !starts_top
                && !run.ended
                && run.head == head
                && (run.pid.is_none() || t.record.pid.is_none() || run.pid == t.record.pid)
        });
        if !continues {
            runs.push(ActivityRun {
                head: head.to_owned(),
                pid: t.record.pid,
                records: Vec::new(),
                ended: false,
            });
        }
        if let Some(run) = runs.last_mut() {
            run.records.push(t);
            if is_top && matches!(t.record.event, Event::ActivityEnd { .. }) {
                run.ended = true;
            }
        }
    }
    runs
}

/// What an activity tree tells.
pub(crate) struct ActivityTree {
    /// The top activity's children, as steps.
    pub steps: Vec<Step>,
    /// The records read.
    pub sources: Vec<SourceRef>,
    /// When the top activity ended.
    pub end_us: Option<i64>,
    /// The top activity's `Result:` (`... - Command CMD-AppDeploy failed`).
    pub result: Option<String>,
    /// Whether the top activity or a step timed out.
    pub timed_out: bool,
}

/// One activity, while the tree is read.
#[derive(Default)]
struct Node {
    start_us: Option<i64>,
    end_us: Option<i64>,
    status: Option<Status>,
    output: Option<String>,
    source: Option<SourceRef>,
    children: Vec<String>,
}

/// Builds the tree of a run.
pub(crate) fn tree(run: &ActivityRun<'_>) -> ActivityTree {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut roots: Vec<String> = Vec::new();
    let mut out = ActivityTree {
        steps: Vec::new(),
        sources: Vec::new(),
        end_us: None,
        result: None,
        timed_out: false,
    };
    for t in &run.records {
        let Some(path) = t.record.activity.as_deref() else {
            continue;
        };
        out.sources.push(t.source());
        let Some((_, rest)) = path.split_once('/') else {
            if let Event::ActivityEnd { status, result, .. } = &t.record.event {
                out.end_us = t.us;
                out.result.clone_from(result);
                out.timed_out |= *status == ActivityStatus::TimedOut;
            }
            continue;
        };
        register(&mut nodes, &mut roots, rest);
        let Some(node) = nodes.get_mut(rest) else {
            continue;
        };
        read(node, t);
    }
    out.steps = roots.iter().map(|p| to_step(&nodes, p)).collect();
    out.timed_out |= out.steps.iter().any(|s| s.status == Status::Timeout);
    out
}

/// Makes sure `path` and its ancestors have nodes, children in order of first sight.
fn register(nodes: &mut BTreeMap<String, Node>, roots: &mut Vec<String>, path: &str) {
    if nodes.contains_key(path) {
        return;
    }
    nodes.insert(path.to_owned(), Node::default());
    match path.rsplit_once('/') {
        Some((parent, _)) => {
            register(nodes, roots, parent);
            if let Some(p) = nodes.get_mut(parent) {
                p.children.push(path.to_owned());
            }
        }
        None => roots.push(path.to_owned()),
    }
}

fn read(node: &mut Node, t: &Timed<'_>) {
    match &t.record.event {
        Event::ActivityStart { .. } => {
            node.start_us = node.start_us.or(t.us);
            node.source = Some(t.source());
        }
        Event::ActivityEnd { status, result, .. } => {
            node.end_us = t.us;
            let status = match status {
                ActivityStatus::Completed => Status::Success,
                ActivityStatus::TimedOut => Status::Timeout,
                ActivityStatus::Failed | ActivityStatus::InternalFailure => Status::Failure,
            };
            if node.status.is_none() || status != Status::Success {
                node.status = Some(status);
            }
            if status != Status::Success && node.output.is_none() {
                node.output = result.as_deref().and_then(clean_error);
            }
            node.source.get_or_insert_with(|| t.source());
        }
        Event::ActivityError {
            error, exceptions, ..
        } => {
            node.status = Some(Status::Failure);
            let root = exceptions
                .last()
                .map_or(error.as_str(), |e| e.message.as_str());
            node.output = clean_error(root);
            node.source = Some(t.source());
        }
        _ => {}
    }
}

fn to_step(nodes: &BTreeMap<String, Node>, path: &str) -> Step {
    let names: Vec<&str> = path.split('/').collect();
    let (name, kind) = activity_kind(&names);
    let node = nodes.get(path);
    let steps: Vec<Step> = node
        .map(|n| n.children.iter().map(|c| to_step(nodes, c)).collect())
        .unwrap_or_default();
    let (start_us, end_us) = node.map_or((None, None), |n| (n.start_us, n.end_us));
    let status = match node.and_then(|n| n.status) {
        Some(status) => status,
        None if steps.iter().any(|s| s.status.is_failure()) => Status::Failure,
        None => Status::Incomplete,
    };
    Step {
        name,
        kind,
        started: start_us.and_then(rfc3339),
        duration_ms: span_ms(start_us, end_us),
        status,
        exit_code: None,
        output: node.and_then(|n| n.output.clone()),
        source: node.and_then(|n| n.source.clone()),
        steps,
        start_us,
        end_us,
    }
}

/// A step's name and kind from its activity path below the top (`AppDeployStage0`,
/// `AppDeployPreHook`, `01unzip.sh`).
pub(crate) fn activity_kind(names: &[&str]) -> (String, &'static str) {
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

/// The command a top activity's label stands for (the command processor's CommandLabel
/// table, read backwards), else the label's first word.
fn command_of(head: &str, result: Option<&str>) -> String {
    // `... - Command CMD-AppDeploy failed` names it exactly.
    if let Some(name) = result.and_then(|r| {
        let at = r.find("Command CMD-")?;
        r[at + "Command ".len()..].split_whitespace().next()
    }) {
        return name.trim_end_matches('.').to_owned();
    }
    const LABELS: [(&str, &str); 7] = [
        ("Initialization", "CMD-PreInit"),
        ("Application deployment", "CMD-Startup"),
        ("Application update", "CMD-AppDeploy"),
        ("Application version switch", "CMD-AppDeploy"),
        ("Configuration update", "CMD-ConfigDeploy"),
        ("Application restart", "CMD-RestartAppServer"),
        ("Re-associating instance", "CMD-ImmutableDeploymentFlip"),
    ];
    LABELS
        .iter()
        .find(|(label, _)| head.starts_with(label))
        .map_or_else(
            || head.split_whitespace().next().unwrap_or(head).to_owned(),
            |(_, command)| (*command).to_owned(),
        )
}

/// An execution told by eb-activity.log alone (the command processor's log is missing).
pub(crate) fn execution(run: &ActivityRun<'_>, runs: &[HandlerRun<'_>]) -> Execution {
    let tree = tree(run);
    let (start_us, last_us) = run.span();
    let end_us = tree.end_us.or(last_us);
    let failed = tree.steps.iter().any(|s| s.status.is_failure())
        || tree
            .result
            .as_deref()
            .is_some_and(|r| r.trim_end().ends_with("failed"));
    let status = if tree.timed_out {
        Status::Timeout
    } else if failed {
        Status::Failure
    } else if tree.end_us.is_some() {
        Status::Success
    } else {
        Status::Incomplete
    };
    let handler = runs.iter().find(|r| r.covers(start_us));
    let mut sources = tree.sources;
    if let Some(handler) = handler {
        sources.extend(handler.records.iter().map(Timed::source));
    }
    let error = status
        .is_failure()
        .then(|| failed_leaf(&tree.steps).and_then(|s| s.output.clone()))
        .flatten();
    Execution {
        instance_id: None,
        host: String::new(),
        platform: "legacy",
        command: command_of(&run.head, tree.result.as_deref()),
        id: handler.and_then(|h| h.request_id.clone().or_else(|| h.invocation_id.clone())),
        started: start_us.and_then(rfc3339),
        finished: end_us.and_then(rfc3339),
        duration_ms: span_ms(start_us, end_us),
        status,
        returncode: None,
        failed_step: failed_path(&tree.steps),
        error_at: failed_leaf(&tree.steps).and_then(|s| s.source.clone()),
        error,
        steps: tree.steps,
        events: Vec::new(),
        sources,
        start_us,
        end_us,
    }
}

#[cfg(test)]
mod tests {
    use super::{activity_kind, command_of};

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

    #[test]
    fn labels_name_their_commands() {
        assert_eq!(
            command_of("Application update app-1@4", None),
            "CMD-AppDeploy"
        );
        assert_eq!(
            command_of(
                "Application deployment app@1",
                Some("Application deployment - Command CMD-SelfStartup succeeded")
            ),
            "CMD-SelfStartup"
        );
        assert_eq!(command_of("CMD-TailLogs", None), "CMD-TailLogs");
    }
}
