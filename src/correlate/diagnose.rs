//! Diagnosis: for each failed execution (and each deploy the agents call a success after
//! which the application never answered), the failing step, the error trimmed to what
//! matters, where to look, and hints drawn from the records around it.

mod app;

use super::host_year::HostYears;
use super::steps::failed_leaf;
use super::{host_of, micros, Execution, SourceRef, Status, Step};
use crate::record::{Event, Format, Record};
use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The most error lines a report shows.
const MAX_ERROR_LINES: usize = 25;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look: the deploy succeeded but the application did not answer for a
    /// sustained time.
    Warning,
    /// A command failed or timed out.
    Error,
}

impl Severity {
    /// The name as serialized (`warning`, `error`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One hint: what the records suggest, and the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hint {
    /// `empty_variable`, `missing_variable`, `exit_code`, `out_of_memory`,
    /// `permission_denied`, `truncated`, `docker`, `app_unreachable`.
    pub kind: &'static str,
    /// The hint, in a sentence.
    pub message: String,
    /// Where the evidence is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRef>,
    /// The application's crash the hint quotes, summarised by its language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crash: Option<super::crash::Crash>,
}

/// The diagnosis of one execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    /// `error` for a failed or timed-out command, `warning` for an application that
    /// did not answer after a successful deploy.
    pub severity: Severity,
    /// The execution diagnosed.
    #[serde(flatten)]
    pub execution: DiagnosedExecution,
    /// The failing step's kind (`hook`, `container_command`, `instruction`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_step_kind: Option<&'static str>,
    /// Where the failing step is logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_step_source: Option<SourceRef>,
    /// The error text trimmed to its last lines that matter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_excerpt: Option<String>,
    /// Where to look, as line ranges: the lines that say how the failing step failed
    /// first (cfn-init's failure line and the command's output, the engine's error
    /// line), then the hints' evidence, the failing steps' records and the rest of the
    /// execution's; adjacent lines of one file are one range.
    pub look_at: Vec<LineRange>,
    /// What the records suggest.
    pub hints: Vec<Hint>,
}

/// Lines of one file, `file:line` to `end_line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRange {
    /// The input as records name it in `source`.
    pub file: std::sync::Arc<str>,
    /// First line, 1-based.
    pub line: u64,
    /// Last line (the same as `line` for a one-line record).
    pub end_line: u64,
}

impl std::fmt::Display for LineRange {
    /// `eb-engine.log:286` or `eb-engine.log:286-291`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.end_line > self.line {
            write!(f, "{}:{}-{}", self.file, self.line, self.end_line)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// The execution fields a diagnosis repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosedExecution {
    /// Host (directory or bundle).
    pub host: String,
    /// Instance id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// Command.
    pub command: String,
    /// Request or invocation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// Status.
    pub status: Status,
    /// Return code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returncode: Option<i64>,
    /// Path of the failing step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_step: Option<String>,
}

/// Diagnoses `executions` (built from `records`): every failure, and every successful
/// deploy followed by an application that did not answer.
pub fn diagnose<R: std::borrow::Borrow<Record>>(
    records: &[R],
    executions: &[Execution],
) -> Vec<Diagnosis> {
    let index = Index::new(records);
    let records = &index;
    executions
        .iter()
        .filter_map(|e| {
            let mut hints = if e.status.is_failure() {
                failure_hints(records, e)
            } else {
                Vec::new()
            };
            if e.status == Status::Success && is_deploy(&e.command) {
                hints.extend(app::app_unreachable(records, e));
                if hints.is_empty() {
                    return None;
                }
            } else if !e.status.is_failure() {
                return None;
            }
            let severity = if e.status.is_failure() {
                Severity::Error
            } else {
                Severity::Warning
            };
            Some(diagnosis(records, e, hints, severity))
        })
        .collect()
}

fn is_deploy(command: &str) -> bool {
    let c = command.to_ascii_lowercase();
    c.contains("deploy") || c.contains("startup") || c.contains("env-launch")
}

fn diagnosis(
    records: &Index<'_>,
    e: &Execution,
    hints: Vec<Hint>,
    severity: Severity,
) -> Diagnosis {
    let chain = failing_chain(&e.steps);
    // The step `failed_step` names: the deepest failing one that is not a shell command.
    let leaf = chain
        .iter()
        .rev()
        .find(|s| s.kind != "command")
        .or(chain.last())
        .copied();
    let mut look_at: Vec<SourceRef> = leaf
        .map(|l| cause_records(records, e, l))
        .unwrap_or_default();
    let rest = e
        .error_at
        .iter()
        .chain(hints.iter().flat_map(|h| h.sources.iter()))
        .chain(chain.iter().filter_map(|s| s.source.as_ref()))
        .chain(&e.sources);
    for source in rest {
        if !look_at.contains(source) {
            look_at.push(source.clone());
        }
    }
    let look_at = ranges(records, &look_at);
    Diagnosis {
        severity,
        execution: DiagnosedExecution {
            host: e.host.clone(),
            instance_id: e.instance_id.clone(),
            command: e.command.clone(),
            id: e.id.clone(),
            started: e.started.clone(),
            duration_ms: e.duration_ms,
            status: e.status,
            returncode: e.returncode,
            failed_step: e.failed_step.clone(),
        },
        failed_step_kind: leaf.map(|s| s.kind),
        failed_step_source: leaf.and_then(|s| s.source.clone()),
        error_excerpt: e.error.as_deref().map(excerpt),
        look_at,
        hints,
    }
}

/// The records that say how a failing container command (or config) failed, in file order:
/// cfn-init.log's `Command X (...) failed` and `Command X output:` lines, and
/// cfn-init-cmd.log's output and `Exited with error code N` of that command; else the
/// line the command was named on.
fn cause_records(records: &Index<'_>, e: &Execution, leaf: &Step) -> Vec<SourceRef> {
    if leaf.kind == "config" {
        // A config that failed without a failing command: cfn-init's ERROR lines.
        return records_in(records, e)
            .filter(|r| r.format == Some(Format::CfnInit) && matches!(r.event, Event::Error { .. }))
            .map(source_of)
            .collect();
    }
    if leaf.kind != "container_command" {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut in_block = false;
    for record in records_in(records, e) {
        let Event::CfnCommand { name, status, .. } = &record.event else {
            if in_block && matches!(record.event, Event::CommandOutput { .. }) {
                found.push(source_of(record));
            }
            continue;
        };
        let named = name.as_deref() == Some(leaf.name.as_str());
        match (record.format, *status) {
            (Some(Format::CfnInit), "failure" | "output") if named => found.push(source_of(record)),
            (Some(Format::CfnInitCmd), "start") => in_block = named,
            (Some(Format::CfnInitCmd), "failure") if in_block => {
                found.push(source_of(record));
                in_block = false;
            }
            (Some(Format::CfnInitCmd), _) => in_block = false,
            _ => {}
        }
    }
    if found.is_empty() {
        // A command that only a build error line names (an excerpt): that line.
        found.extend(leaf.source.clone());
    }
    found
}

/// `sources` as line ranges, each record to its last line, a record that continues the
/// range before it (same file, the next line or the one after: cfn-init-cmd.log's block
/// lines between a command's output and its exit code) merged into it.
fn ranges(records: &Index<'_>, sources: &[SourceRef]) -> Vec<LineRange> {
    let mut out: Vec<LineRange> = Vec::new();
    for source in sources {
        let end_line = records
            .by_place
            .get(&(&*source.file, source.line))
            .map_or(source.line, |r| r.end_line.max(source.line));
        if let Some(last) = out.last_mut() {
            let continues = last.file == source.file
                && source.line >= last.line
                && source.line <= last.end_line + 2;
            if continues {
                last.end_line = last.end_line.max(end_line);
                continue;
            }
        }
        out.push(LineRange {
            file: source.file.clone(),
            line: source.line,
            end_line,
        });
    }
    out
}

/// The failing steps, outermost first.
fn failing_chain(steps: &[Step]) -> Vec<&Step> {
    let mut chain = Vec::new();
    let mut level = steps;
    while let Some(step) = level.iter().rev().find(|s| s.status.is_failure()) {
        chain.push(step);
        level = &step.steps;
    }
    chain
}

/// The error's first line and its last lines (where tools print the cause).
fn excerpt(error: &str) -> String {
    let lines: Vec<&str> = error.lines().collect();
    if lines.len() <= MAX_ERROR_LINES {
        return error.to_owned();
    }
    let tail = &lines[lines.len() - (MAX_ERROR_LINES - 2)..];
    format!(
        "{}\n[... {} lines ...]\n{}",
        lines[0],
        lines.len() - 1 - tail.len(),
        tail.join("\n")
    )
}

fn regex(pattern: &str) -> Regex {
    // The patterns are literals of this module, tested below.
    Regex::new(pattern).expect("valid regex")
}

static MISSING_VAR: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"KeyError: '([A-Za-z_][A-Za-z0-9_]*)'|([A-Za-z_][A-Za-z0-9_]*): unbound variable|(?:environment variable|env var)\s+["'`]?([A-Z_][A-Z0-9_]*)["'`]?\s+(?:is\s+)?(?:not set|missing|undefined|empty|required)"#,
    )
});
static PERMISSION: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)permission denied|fork/exec [^:]+: permission denied"));
static OOM: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)exit status -9\b|exit status 137\b|signal: killed|Killed\s*$|Cannot allocate memory|ENOMEM|out of memory|MemoryError",
    )
});
static EMPTY_ENV_FLAG: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:--env|-e)\s+([A-Za-z_][A-Za-z0-9_]*)=(?:\s|$)"));
static DOCKER_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r#"(?m)docker run\b[^\n]*[ \t]([a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9._-]+)?)[ \t]*$|(?:image|FROM)\s+"?([a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+)"#,
    )
});
static CONTAINER_ID: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?m)^[ \t]*([0-9a-f]{12}|[0-9a-f]{64})[ \t]*$|container ([0-9a-f]{12})\b")
});
static DOCKER: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\bdocker\b|\bcontainer\b|\bimage\b"));

/// The records diagnosis looks things up in, indexed once: by place, and per host the
/// kinds the hints read, in time order.
struct Index<'r> {
    by_place: HashMap<(&'r str, u64), &'r Record>,
    hosts: HashMap<String, HostIndex<'r>>,
}

/// One host's records of the kinds hints read, each with its instant, in time order.
#[derive(Default)]
struct HostIndex<'r> {
    environments: Vec<(i64, &'r Record)>,
    upstream_errors: Vec<(i64, &'r Record)>,
    gateway_errors: Vec<(i64, &'r Record)>,
    /// The application's lines, their instants in the host's year (see [`HostYears`]).
    app_lines: Vec<(i64, &'r Record)>,
    /// Lines of application logs that carry no time stamp at all (`nodejs.log`), in
    /// input order.
    undated_app_lines: Vec<&'r Record>,
    /// The years of the host's dated records.
    years: HostYears,
    /// The year the application's lines were given from the host's other logs, when
    /// it differs from the one they were decoded with.
    app_year: Option<i32>,
}

impl<'r> Index<'r> {
    fn new<R: std::borrow::Borrow<Record>>(records: &'r [R]) -> Self {
        let mut index = Index {
            by_place: HashMap::with_capacity(records.len()),
            hosts: HashMap::new(),
        };
        // An application log's unstamped lines (a Java stack) take the stamp of the
        // line above them in the same file.
        let mut last_app: HashMap<&'r str, i64> = HashMap::new();
        for record in records {
            let record: &'r Record = record.borrow();
            index
                .by_place
                .insert((&*record.source, record.line), record);
            let app = matches!(record.event, Event::AppOutput { .. });
            let us = match micros(record.ts.as_deref()) {
                Some(us) => us,
                None if app => match last_app.get(&*record.source) {
                    Some(&us) => us,
                    None => {
                        let host = index.hosts.entry(host_of(&record.source)).or_default();
                        host.undated_app_lines.push(record);
                        continue;
                    }
                },
                None => continue,
            };
            if app {
                last_app.insert(&record.source, us);
            }
            let host = index.hosts.entry(host_of(&record.source)).or_default();
            let list = match &record.event {
                Event::ActionEnvironment { env: Some(_) } => &mut host.environments,
                Event::ProxyError {
                    upstream_problem: Some(_),
                    ..
                } => &mut host.upstream_errors,
                Event::HttpRequest {
                    status: Some(502..=504),
                    ..
                } if record.format == Some(Format::NginxAccess) => &mut host.gateway_errors,
                Event::AppOutput { .. } => &mut host.app_lines,
                _ => {
                    host.years.add(us);
                    continue;
                }
            };
            if record.format != Some(Format::WebStdout) {
                host.years.add(us);
            }
            list.push((us, record));
        }
        for host in index.hosts.values_mut() {
            host.app_year = host
                .app_lines
                .first()
                .and_then(|(us, _)| host.years.year_for(*us));
            for (us, _) in &mut host.app_lines {
                *us = host.years.adjust(*us);
            }
            for list in [
                &mut host.environments,
                &mut host.upstream_errors,
                &mut host.gateway_errors,
                &mut host.app_lines,
            ] {
                list.sort_by_key(|(us, _)| *us);
            }
        }
        index
    }

    fn host(&self, name: &str) -> Option<&HostIndex<'r>> {
        self.hosts.get(name)
    }
}

/// The entries of a time-ordered list from `from` to `to`, both included.
fn between<'a, 'r>(list: &'a [(i64, &'r Record)], from: i64, to: i64) -> &'a [(i64, &'r Record)] {
    let start = list.partition_point(|(us, _)| *us < from);
    let end = list.partition_point(|(us, _)| *us <= to).max(start);
    &list[start..end]
}

fn failure_hints(records: &Index<'_>, e: &Execution) -> Vec<Hint> {
    let mut hints = Vec::new();
    let error = e.error.as_deref().unwrap_or_default();
    let error_source: Vec<SourceRef> = failed_leaf(&e.steps)
        .and_then(|s| s.source.clone())
        .into_iter()
        .collect();
    hints.extend(empty_variables(records, e));
    hints.extend(empty_env_flags(records, e));
    for caps in MISSING_VAR.captures_iter(error) {
        if let Some(name) = caps.iter().skip(1).flatten().next() {
            hints.push(Hint {
                kind: "missing_variable",
                message: format!(
                    "the error names the variable {} as missing: set it in the environment's configuration (environment properties) and redeploy",
                    name.as_str()
                ),
                sources: error_source.clone(),
                            crash: None,
            });
        }
    }
    if let Some(leaf) = failed_leaf(&e.steps) {
        if let Some(code) = leaf.exit_code.filter(|c| *c != 0) {
            hints.push(Hint {
                kind: "exit_code",
                message: format!(
                    "{} {} exited with status {code}",
                    leaf.kind.replace('_', " "),
                    leaf.name
                ),
                sources: error_source.clone(),
                crash: None,
            });
        }
    }
    if OOM.is_match(error) {
        hints.push(Hint {
            kind: "out_of_memory",
            message: "the process was killed or could not allocate memory (exit status -9/137, ENOMEM): the instance looks out of memory; use a larger instance type or add swap".to_owned(),
            sources: error_source.clone(),
                    crash: None,
        });
    }
    if PERMISSION.is_match(error) {
        let hook = failed_leaf(&e.steps)
            .filter(|s| s.kind == "hook")
            .map_or_else(|| "the hook".to_owned(), |s| s.name.clone());
        hints.push(Hint {
            kind: "permission_denied",
            message: format!("permission denied running {hook}: hooks need the execute bit (chmod +x, or `git update-index --chmod=+x` before bundling)"),
            sources: error_source.clone(),
                    crash: None,
        });
    }
    hints.extend(truncated(records, e));
    hints.extend(docker(e));
    hints
}

/// Empty values in the action environment cfn-hup logged for the command.
fn empty_variables(records: &Index<'_>, e: &Execution) -> Vec<Hint> {
    let (Some(start), Some(end), Some(host)) = (e.start_us, e.end_us, records.host(&e.host)) else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    for (_, record) in between(&host.environments, start - 5_000_000, end) {
        let Event::ActionEnvironment { env: Some(env) } = &record.event else {
            continue;
        };
        let Some(map) = env.as_object() else {
            continue;
        };
        let empty: Vec<&str> = map
            .iter()
            // Upstart's own variables are empty on every run.
            .filter(|(k, _)| !k.starts_with("UPSTART_"))
            .filter(|(_, v)| v.as_str().is_some_and(|s| s.trim().is_empty()))
            .map(|(k, _)| k.as_str())
            .collect();
        if !empty.is_empty() {
            hints.push(Hint {
                kind: "empty_variable",
                message: format!(
                    "empty in the action environment: {}",
                    empty
                        .iter()
                        .map(|k| format!("{k}="))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                sources: vec![SourceRef {
                    file: record.source.clone(),
                    line: record.line,
                }],
                crash: None,
            });
        }
    }
    hints
}

/// Empty `--env NAME=` flags in a `docker run` the execution's hooks printed (the
/// legacy Docker platform passes environment properties that way).
fn empty_env_flags(records: &Index<'_>, e: &Execution) -> Option<Hint> {
    let mut names: Vec<String> = Vec::new();
    let mut first: Option<SourceRef> = None;
    let mut texts: Vec<(&str, Option<SourceRef>)> = records_in(records, e)
        .map(|r| (r.message.as_str(), Some(source_of(r))))
        .collect();
    if let Some(error) = e.error.as_deref() {
        texts.push((error, e.error_at.clone()));
    }
    for (text, source) in texts {
        for caps in EMPTY_ENV_FLAG.captures_iter(text) {
            let name = caps[1].to_owned();
            if !names.contains(&name) {
                names.push(name);
                if first.is_none() {
                    first.clone_from(&source);
                }
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    Some(Hint {
        kind: "empty_variable",
        message: format!(
            "the container was started with empty environment variables: {} (set them in the environment's configuration)",
            names.iter().map(|n| format!("{n}=")).collect::<Vec<_>>().join(", ")
        ),
        sources: first.into_iter().collect(),
            crash: None,
    })
}

/// A `(TRUNCATED)...` result message, and where the full text is.
fn truncated(records: &Index<'_>, e: &Execution) -> Option<Hint> {
    let cut = e.events.iter().any(|ev| ev.msg.contains("(TRUNCATED)"))
        || records_in(records, e).any(|r| r.message.contains("(TRUNCATED)..."));
    if !cut {
        return None;
    }
    let full = failed_leaf(&e.steps).and_then(|s| s.source.clone());
    let message = match &full {
        Some(s) => format!(
            "the result message was truncated to its last 256 characters; the full output is at {}:{}",
            s.file, s.line
        ),
        None => "the result message was truncated to its last 256 characters; the full output is in eb-activity.log".to_owned(),
    };
    Some(Hint {
        kind: "truncated",
        message,
        sources: full.into_iter().collect(),
        crash: None,
    })
}

/// The execution's own records (by source and line).
fn records_in<'a>(records: &'a Index<'a>, e: &'a Execution) -> impl Iterator<Item = &'a Record> {
    e.sources
        .iter()
        .filter_map(move |s| records.by_place.get(&(&*s.file, s.line)).copied())
}

/// Docker images and containers the result events or the error name.
fn docker(e: &Execution) -> Option<Hint> {
    let named: Vec<&str> = e
        .events
        .iter()
        .map(|ev| ev.msg.as_str())
        .filter(|m| DOCKER.is_match(m))
        .collect();
    let error = e.error.as_deref().unwrap_or_default();
    let in_error = error.to_ascii_lowercase().contains("docker");
    if named.is_empty() && !in_error {
        return None;
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(image) = DOCKER_IMAGE
        .captures(error)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
    {
        facts.push(format!("image {}", image.as_str()));
    }
    if let Some(id) = CONTAINER_ID
        .captures(error)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
    {
        facts.push(format!("container {}", id.as_str()));
    }
    facts.extend(named.iter().map(|m| (*m).to_owned()));
    let message = if facts.is_empty() {
        "docker: the failure comes from docker; see the error text for the build step".to_owned()
    } else {
        format!("docker: {}", facts.join("; "))
    };
    Some(Hint {
        kind: "docker",
        message,
        sources: e.error_at.iter().cloned().collect(),
        crash: None,
    })
}

fn source_of(record: &Record) -> SourceRef {
    SourceRef {
        file: record.source.clone(),
        line: record.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_patterns_match_what_tools_print() {
        let caps = MISSING_VAR.captures("KeyError: 'ORDERS_DB_URL'").unwrap();
        assert_eq!(caps.get(1).unwrap().as_str(), "ORDERS_DB_URL");
        let caps = MISSING_VAR
            .captures("line 3: DB_HOST: unbound variable")
            .unwrap();
        assert_eq!(caps.get(2).unwrap().as_str(), "DB_HOST");
        assert!(OOM.is_match("failed with error exit status -9. Stderr:"));
        assert!(OOM.is_match("Cannot allocate memory - /opt/aws/bin/cfn-get-metadata"));
        assert!(!OOM.is_match("exit status 1"));
        assert!(PERMISSION.is_match("fork/exec .platform/hooks/predeploy/01.sh: permission denied"));
    }

    #[test]
    fn excerpts_keep_the_first_and_last_lines() {
        let long: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
        let text = excerpt(&long.join("\n"));
        assert!(text.starts_with("line 0\n[... 76 lines ...]\nline 77"));
        assert!(text.ends_with("line 99"));
        assert_eq!(excerpt("a\nb"), "a\nb");
    }
}
