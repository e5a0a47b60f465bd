//! Diagnosis: for each failed execution (and each deploy the agents call a success after
//! which the application never answered), the failing step, the error trimmed to what
//! matters, where to look, and hints drawn from the records around it.

use super::steps::failed_leaf;
use super::{host_of, micros, rfc3339, Execution, SourceRef, Status, Step};
use crate::record::{Event, Format, Record};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// How long after a successful deploy upstream errors still count against it.
const AFTER_DEPLOY_US: i64 = 15 * 60 * 1_000_000;
/// The most error lines a report shows.
const MAX_ERROR_LINES: usize = 25;

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
}

/// The diagnosis of one execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    /// The execution diagnosed.
    #[serde(flatten)]
    pub execution: DiagnosedExecution,
    /// The failing step's kind (`hook`, `container_command`, `instruction`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_step_kind: Option<&'static str>,
    /// The error text trimmed to its last lines that matter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_excerpt: Option<String>,
    /// Where to look: the failing steps' records, then the rest of the execution's.
    pub look_at: Vec<SourceRef>,
    /// What the records suggest.
    pub hints: Vec<Hint>,
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
pub fn diagnose(records: &[Record], executions: &[Execution]) -> Vec<Diagnosis> {
    executions
        .iter()
        .filter_map(|e| {
            let mut hints = if e.status.is_failure() {
                failure_hints(records, e)
            } else {
                Vec::new()
            };
            if e.status == Status::Success && is_deploy(&e.command) {
                hints.extend(app_unreachable(records, e));
                if hints.is_empty() {
                    return None;
                }
            } else if !e.status.is_failure() {
                return None;
            }
            Some(diagnosis(e, hints))
        })
        .collect()
}

fn is_deploy(command: &str) -> bool {
    let c = command.to_ascii_lowercase();
    c.contains("deploy") || c.contains("startup") || c.contains("env-launch")
}

fn diagnosis(e: &Execution, hints: Vec<Hint>) -> Diagnosis {
    let leaf = failed_leaf(&e.steps);
    let mut look_at: Vec<SourceRef> = e.error_at.iter().cloned().collect();
    for source in hints.iter().flat_map(|h| h.sources.iter()) {
        if !look_at.contains(source) {
            look_at.push(source.clone());
        }
    }
    for source in failing_chain(&e.steps)
        .into_iter()
        .filter_map(|s| s.source.clone())
    {
        if !look_at.contains(&source) {
            look_at.push(source);
        }
    }
    for source in &e.sources {
        if !look_at.contains(source) {
            look_at.push(source.clone());
        }
    }
    Diagnosis {
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
        error_excerpt: e.error.as_deref().map(excerpt),
        look_at,
        hints,
    }
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
static APP_ERROR: LazyLock<Regex> =
    LazyLock::new(|| regex(r"Error\b|Exception|Traceback|\bERR!|\bpanic|\bFATAL|\bfatal:"));
/// The most application lines a hint quotes.
const APP_LINES: usize = 10;
static DOCKER: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\bdocker\b|\bcontainer\b|\bimage\b"));

fn failure_hints(records: &[Record], e: &Execution) -> Vec<Hint> {
    let mut hints = Vec::new();
    let error = e.error.as_deref().unwrap_or_default();
    let error_source: Vec<SourceRef> = failed_leaf(&e.steps)
        .and_then(|s| s.source.clone())
        .into_iter()
        .collect();
    hints.extend(empty_variables(records, e));
    for caps in MISSING_VAR.captures_iter(error) {
        if let Some(name) = caps.iter().skip(1).flatten().next() {
            hints.push(Hint {
                kind: "missing_variable",
                message: format!(
                    "the error names the variable {} as missing: set it in the environment's configuration (environment properties) and redeploy",
                    name.as_str()
                ),
                sources: error_source.clone(),
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
            });
        }
    }
    if OOM.is_match(error) {
        hints.push(Hint {
            kind: "out_of_memory",
            message: "the process was killed or could not allocate memory (exit status -9/137, ENOMEM): the instance looks out of memory; use a larger instance type or add swap".to_owned(),
            sources: error_source.clone(),
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
        });
    }
    hints.extend(truncated(records, e));
    hints.extend(docker(e));
    hints
}

/// Empty values in the action environment cfn-hup logged for the command.
fn empty_variables(records: &[Record], e: &Execution) -> Vec<Hint> {
    let (Some(start), Some(end)) = (e.start_us, e.end_us) else {
        return Vec::new();
    };
    let mut hints = Vec::new();
    for record in records.iter().filter(|r| host_of(&r.source) == e.host) {
        let Event::ActionEnvironment { env: Some(env) } = &record.event else {
            continue;
        };
        let Some(us) = micros(record.ts.as_deref()) else {
            continue;
        };
        if us + 5_000_000 < start || us > end {
            continue;
        }
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
                    file: record.source.to_string(),
                    line: record.line,
                }],
            });
        }
    }
    hints
}

/// A `(TRUNCATED)...` result message, and where the full text is.
fn truncated(records: &[Record], e: &Execution) -> Option<Hint> {
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
    })
}

/// The execution's own records (by source and line).
fn records_in<'r>(records: &'r [Record], e: &'r Execution) -> impl Iterator<Item = &'r Record> {
    records.iter().filter(move |r| {
        e.sources
            .iter()
            .any(|s| s.line == r.line && *s.file == *r.source)
    })
}

/// Docker images and containers the result events or the error name.
fn docker(e: &Execution) -> Option<Hint> {
    let named: Vec<&str> = e
        .events
        .iter()
        .map(|ev| ev.msg.as_str())
        .filter(|m| DOCKER.is_match(m))
        .collect();
    let in_error = e
        .error
        .as_deref()
        .is_some_and(|t| t.contains("docker") || t.contains("Docker"));
    if named.is_empty() && !in_error {
        return None;
    }
    let message = if named.is_empty() {
        "the failure comes from docker: see the error text for the image and build step".to_owned()
    } else {
        format!("docker: {}", named.join(" | "))
    };
    Some(Hint {
        kind: "docker",
        message,
        sources: Vec::new(),
    })
}

/// The first run of upstream errors no more than a minute apart.
fn first_burst<'r>(errors: &[&'r Record]) -> Vec<&'r Record> {
    const GAP_US: i64 = 60_000_000;
    let mut burst: Vec<&'r Record> = Vec::new();
    let mut last = None;
    for &record in errors {
        let us = micros(record.ts.as_deref());
        if let (Some(prev), Some(now)) = (last, us) {
            if now - prev > GAP_US {
                break;
            }
        }
        burst.push(record);
        last = us.or(last);
    }
    burst
}

/// After a successful deploy: the proxy could not reach the application.
fn app_unreachable(records: &[Record], e: &Execution) -> Option<Hint> {
    let finished = e.end_us?;
    let until = finished + AFTER_DEPLOY_US;
    let host_records = || records.iter().filter(|r| host_of(&r.source) == e.host);
    let in_window =
        |r: &Record| micros(r.ts.as_deref()).is_some_and(|us| us >= finished && us <= until);
    let mut upstream: Vec<&Record> = host_records()
        .filter(|r| {
            matches!(
                r.event,
                Event::ProxyError {
                    upstream_problem: Some(_),
                    ..
                }
            )
        })
        .filter(|r| in_window(r))
        .collect();
    upstream.sort_by_key(|r| micros(r.ts.as_deref()));
    let refused = first_burst(&upstream);
    let (Some(burst_start), Some(burst_end)) = (
        refused.first().and_then(|r| micros(r.ts.as_deref())),
        refused.last().and_then(|r| micros(r.ts.as_deref())),
    ) else {
        return None;
    };
    let in_window = |r: &Record| {
        micros(r.ts.as_deref()).is_some_and(|us| us >= burst_start && us <= burst_end + 1_000_000)
    };
    let gateway_errors = host_records()
        .filter(|r| r.format == Some(Format::NginxAccess))
        .filter(|r| {
            matches!(
                r.event,
                Event::HttpRequest {
                    status: Some(502..=504),
                    ..
                }
            )
        })
        .filter(|r| in_window(r))
        .count();
    let first = refused.first()?;
    let last = refused.last()?;
    let mut message = format!(
        "the deploy succeeded but the application did not answer: {} upstream error(s) in the proxy log from {} to {}",
        refused.len(),
        first.ts.as_deref().unwrap_or("?"),
        last.ts.as_deref().unwrap_or("?"),
    );
    if gateway_errors > 0 {
        message.push_str(&format!(
            ", {gateway_errors} 502/503/504 response(s) in the access log"
        ));
    }
    let app_lines: Vec<&Record> = host_records()
        .filter(|r| r.format == Some(Format::WebStdout))
        .filter(|r| micros(r.ts.as_deref()).is_some_and(|us| us >= finished && us <= burst_start))
        .collect();
    // From the first line that looks like an error (the crash), else the last lines.
    let tail = match app_lines
        .iter()
        .position(|r| APP_ERROR.is_match(&r.message))
    {
        Some(i) => {
            let from = i.saturating_sub(1);
            &app_lines[from..app_lines.len().min(from + APP_LINES)]
        }
        None => &app_lines[app_lines.len().saturating_sub(APP_LINES)..],
    };
    if !tail.is_empty() {
        message.push_str("; the application's output before the first error:");
        for line in tail {
            message.push_str("\n  ");
            message.push_str(line.message.trim_end());
        }
    }
    let mut sources = vec![source_of(first)];
    sources.extend(tail.last().map(|r| source_of(r)));
    let _ = rfc3339;
    Some(Hint {
        kind: "app_unreachable",
        message,
        sources,
    })
}

fn source_of(record: &Record) -> SourceRef {
    SourceRef {
        file: record.source.to_string(),
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
