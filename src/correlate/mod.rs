//! Correlation: the records of one host, across files and formats, become command
//! executions ([`Execution`]): what each command did, step by step, how long each step
//! took, and why it failed.
//!
//! How it works:
//! - Records are grouped by host ([`host_of`]): the directory (or bundle) their file came
//!   from, `nginx/` and `healthd/` subdirectories folded into their parent, so one
//!   instance's `/var/log` is one host.
//! - cfn-hup's command handler runs ([`cfn_hup`]) are read first: the invocation id, the
//!   EB command inside the message, and what cfn-hup sent back.
//! - Legacy hosts ([`legacy`]): each run of the command processor (one process id) is one
//!   execution; eb-activity.log's activity tree gives its steps and the failing hook's
//!   output.
//! - Amazon Linux 2/2023 hosts ([`engine`]): each platform-engine run is one execution;
//!   its instructions, hooks, commands and config sets are the steps, cfn-init.log's
//!   container commands nest under their config set.
//! - The traps of the formats are handled there: cfn-hup's `returning SUCCESS` for failed
//!   deploys (the command's own result wins), `FAILURE` with `returncode` 0 for commands
//!   that do not apply (status `SKIPPED`), logs that begin or end mid-command
//!   (`INCOMPLETE`).

mod cfn_hup;
pub mod diagnose;
mod engine;
mod legacy;
mod model;
mod steps;

pub use model::{Execution, SourceRef, Status, Step};

use crate::record::{Event, Format, Record};
use std::collections::BTreeMap;

/// Whether correlation (or diagnosis) needs a record of this kind; the others can be
/// dropped while reading a large fleet.
pub fn is_relevant(record: &Record) -> bool {
    match &record.event {
        Event::QueuePoll { .. }
        | Event::Heartbeat { .. }
        | Event::CredentialsRefresh { .. }
        | Event::DaemonConfig { .. }
        | Event::ClientCall
        | Event::Metadata
        | Event::Addons
        | Event::Manifest
        | Event::StageCheck
        | Event::Download
        | Event::HttpResponse { .. }
        | Event::Section { .. }
        | Event::Xtrace { .. }
        | Event::Taillog { .. }
        | Event::Unparsed { .. } => false,
        Event::HttpRequest { status, .. } => status.is_some_and(|s| s >= 500),
        Event::ProxyError {
            upstream_problem, ..
        } => upstream_problem.is_some(),
        _ => !matches!(record.format, Some(Format::CfnWire) | Some(Format::Healthd)),
    }
}

/// The host a record belongs to: the part of its source before a bundle's `!`, else its
/// directory, with trailing `nginx`, `httpd` and `healthd` components removed.
pub fn host_of(source: &str) -> String {
    let (outer, inner) = match source.split_once('!') {
        Some((outer, inner)) => (outer, Some(inner)),
        None => (source, None),
    };
    match inner {
        Some(inner) => format!("{outer}!{}", strip_log_subdirs(parent(inner))),
        None => strip_log_subdirs(parent(outer)).to_owned(),
    }
}

fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

fn strip_log_subdirs(mut dir: &str) -> &str {
    loop {
        let (head, last) = match dir.rfind('/') {
            Some(i) => (&dir[..i], &dir[i + 1..]),
            None => ("", dir),
        };
        if !matches!(last, "nginx" | "httpd" | "healthd") {
            return dir;
        }
        dir = if head.is_empty() { "." } else { head };
    }
}

/// Microseconds since the epoch of a record's RFC 3339 `ts`.
pub(crate) fn micros(ts: Option<&str>) -> Option<i64> {
    let parsed = chrono::DateTime::parse_from_rfc3339(ts?).ok()?;
    Some(parsed.timestamp_micros())
}

/// RFC 3339 UTC text of microseconds since the epoch, millisecond precision.
pub(crate) fn rfc3339(us: i64) -> Option<String> {
    let dt = chrono::DateTime::from_timestamp_micros(us)?;
    Some(dt.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// Milliseconds between two instants, when both are known and in order.
pub(crate) fn span_ms(start: Option<i64>, end: Option<i64>) -> Option<i64> {
    match (start, end) {
        (Some(s), Some(e)) if e >= s => Some((e - s) / 1000),
        _ => None,
    }
}

/// A record with its instant, as correlation reads it.
#[derive(Clone, Copy)]
pub(crate) struct Timed<'r> {
    /// Microseconds since the epoch, when the record has a time.
    pub us: Option<i64>,
    /// The record.
    pub record: &'r Record,
}

impl<'r> Timed<'r> {
    /// Where the record is.
    pub fn source(&self) -> SourceRef {
        SourceRef {
            file: self.record.source.to_string(),
            line: self.record.line,
        }
    }
}

/// The records of one host, split by format, each list in time order (ties keep input
/// order).
pub(crate) struct Host<'r> {
    /// The host key.
    pub name: String,
    /// The instance id, when a record names it.
    pub instance_id: Option<String>,
    /// Records by format.
    pub by_format: BTreeMap<Format, Vec<Timed<'r>>>,
    /// How often each instance id is named.
    instance_counts: BTreeMap<String, usize>,
}

impl<'r> Host<'r> {
    /// The records of `format`, in time order.
    pub fn records(&self, format: Format) -> &[Timed<'r>] {
        self.by_format.get(&format).map_or(&[], Vec::as_slice)
    }
}

/// Groups records by host, in the order hosts first appear.
fn hosts(records: &[Record]) -> Vec<Host<'_>> {
    let mut order: Vec<String> = Vec::new();
    let mut grouped: BTreeMap<String, Host<'_>> = BTreeMap::new();
    for record in records {
        let Some(format) = record.format else {
            continue;
        };
        let name = host_of(&record.source);
        let host = grouped.entry(name.clone()).or_insert_with(|| {
            order.push(name.clone());
            Host {
                name,
                instance_id: None,
                by_format: BTreeMap::new(),
                instance_counts: BTreeMap::new(),
            }
        });
        if let Some(id) = instance_named(record) {
            *host.instance_counts.entry(id).or_default() += 1;
        }
        host.by_format.entry(format).or_default().push(Timed {
            us: micros(record.ts.as_deref()),
            record,
        });
    }
    for host in grouped.values_mut() {
        // The instance named most often (ties: the smallest id, for determinism).
        host.instance_id = host
            .instance_counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(id, _)| id.clone());
        for list in host.by_format.values_mut() {
            // Stable: records of one instant keep their input order.
            list.sort_by_key(|t| t.us.unwrap_or(i64::MIN));
        }
    }
    order
        .into_iter()
        .filter_map(|name| grouped.remove(&name))
        .collect()
}

/// The instance a record names: its envelope's, or the one in a leader-election or
/// applicability message.
pub(crate) fn instance_named(record: &Record) -> Option<String> {
    if let Some(id) = &record.instance_id {
        return Some(id.clone());
    }
    // cfn-hup names the *leader* in its election lines, which may be another instance.
    let names_self = match record.event {
        Event::LeaderElection { .. } => record.format == Some(Format::Engine),
        Event::Applicability { .. } => true,
        _ => false,
    };
    if names_self {
        crate::ids::instance_id(&record.message).map(str::to_owned)
    } else {
        None
    }
}

/// Builds the command executions the records tell of, in order of start time (executions
/// without one first, hosts in input order).
pub fn correlate(records: &[Record]) -> Vec<Execution> {
    let mut all = Vec::new();
    for host in hosts(records) {
        let runs = cfn_hup::handler_runs(host.records(Format::CfnHup));
        let mut executions = legacy::executions(&host, &runs);
        executions.extend(engine::executions(&host, &runs));
        executions.extend(cfn_hup::unmatched(&host, &runs, &executions));
        for execution in &mut executions {
            execution.host.clone_from(&host.name);
            if execution.instance_id.is_none() {
                execution.instance_id.clone_from(&host.instance_id);
            }
            execution.sources.sort();
            execution.sources.dedup();
        }
        all.extend(executions);
    }
    // Chronological, like `last`; executions of one instant keep host order.
    all.sort_by_key(|e| e.start_us.unwrap_or(i64::MIN));
    all
}

/// When an execution started, in microseconds since the epoch.
pub fn started_us(execution: &Execution) -> Option<i64> {
    execution.start_us
}

impl Execution {
    /// Redacts secrets in every text the execution carries (error, step names and
    /// outputs, event messages).
    pub fn redact(&mut self, redactor: &crate::redact::Redactor) {
        if let Some(error) = &mut self.error {
            redact_string(error, redactor);
        }
        for event in &mut self.events {
            redact_string(&mut event.msg, redactor);
        }
        redact_steps(&mut self.steps, redactor);
    }
}

fn redact_string(text: &mut String, redactor: &crate::redact::Redactor) {
    if let std::borrow::Cow::Owned(clean) = redactor.redact_text(text) {
        *text = clean;
    }
}

fn redact_steps(steps: &mut [Step], redactor: &crate::redact::Redactor) {
    for step in steps {
        redact_string(&mut step.name, redactor);
        if let Some(output) = &mut step.output {
            redact_string(output, redactor);
        }
        redact_steps(&mut step.steps, redactor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_fold_log_subdirectories() {
        assert_eq!(
            host_of("fleet/i-1/var/log/eb-engine.log"),
            "fleet/i-1/var/log"
        );
        assert_eq!(
            host_of("fleet/i-1/var/log/nginx/healthd/application.log"),
            "fleet/i-1/var/log"
        );
        assert_eq!(host_of("eb-engine.log"), ".");
        assert_eq!(host_of("nginx/error.log"), ".");
        assert_eq!(
            host_of("bundle.txt!/var/log/nginx/error.log"),
            "bundle.txt!/var/log"
        );
    }

    #[test]
    fn times_round_trip() {
        let us = micros(Some("2019-05-14T18:35:31.446Z")).unwrap();
        assert_eq!(rfc3339(us).as_deref(), Some("2019-05-14T18:35:31.446Z"));
        assert_eq!(span_ms(Some(1_000), Some(2_501_000)), Some(2500));
        assert_eq!(span_ms(Some(5), Some(1)), None);
    }
}
