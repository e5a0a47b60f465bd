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
#![forbid(unsafe_code)]

mod activity;
mod cfn_hup;
mod cfn_init;
pub mod crash;
pub mod diagnose;
mod engine;
mod host_year;
mod legacy;
mod model;
mod steps;

pub use model::{Execution, SourceRef, Status, Step};

use crate::record::{Event, Format, Record};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Whether correlation (or diagnosis) uses a record; the others are dropped while
/// reading, so memory grows with the commands, not with the logs.
pub fn is_relevant(record: &Record) -> bool {
    let Some(format) = record.format else {
        return false;
    };
    match format {
        Format::CfnHup => matches!(
            record.event,
            Event::CommandMessage { .. }
                | Event::CommandReceived { .. }
                | Event::LeaderElection { .. }
                | Event::ActionStart { .. }
                | Event::ActionEnvironment { .. }
                | Event::ActionOutput { .. }
                | Event::ActionResult { .. }
                | Event::ResultSent { .. }
        ),
        Format::CmdProcessor => matches!(
            record.event,
            Event::CommandReceived { .. }
                | Event::CommandStart { .. }
                | Event::Applicability { .. }
                | Event::CommandFailed { .. }
                | Event::CommandSucceeded { .. }
                | Event::CommandResult { .. }
                | Event::Error { .. }
                | Event::StageStart { .. }
                | Event::ActionStart { .. }
        ),
        Format::Activity => matches!(
            record.event,
            Event::ActivityStart { .. } | Event::ActivityEnd { .. } | Event::ActivityError { .. }
        ),
        // Chatter and command output are left out: a shell command's step then ends
        // where the next step-making record begins.
        Format::Engine => matches!(
            record.event,
            Event::EngineStart
                | Event::CommandReceived { .. }
                | Event::CommandStart { .. }
                | Event::ActionStart { .. }
                | Event::HookStart { .. }
                | Event::HookDir { .. }
                | Event::ConfigSetStart { .. }
                | Event::ConfigSetEnd { .. }
                | Event::CommandExec { .. }
                | Event::CommandFailed { .. }
                | Event::Cleanup
                | Event::CommandResult { .. }
                | Event::CommandFinished { .. }
                | Event::LeaderElection { .. }
        ),
        Format::CfnInit => matches!(
            record.event,
            Event::ConfigStart { .. }
                | Event::CfnCommand { .. }
                | Event::Error { .. }
                | Event::Build { .. }
        ),
        Format::CfnInitCmd => matches!(
            record.event,
            Event::ConfigStart { .. } | Event::CfnCommand { .. } | Event::CommandOutput { .. }
        ),
        Format::NginxAccess => matches!(
            record.event,
            Event::HttpRequest {
                status: Some(500..),
                ..
            }
        ),
        Format::NginxError => matches!(
            record.event,
            Event::ProxyError {
                upstream_problem: Some(_),
                ..
            }
        ),
        Format::WebStdout | Format::AppLog => matches!(record.event, Event::AppOutput { .. }),
        // Its S3 keys name the instance (`.../e-x/i-0123.../...`): the host's id.
        Format::EbTools => record.instance_id.is_some(),
        _ => false,
    }
}

/// Whether correlation into executions (without diagnosis) reads `record`: a relevant
/// record other than the web tier's (nginx, the app's output), which only diagnosis
/// hints look at.
pub fn shapes_executions(record: &Record) -> bool {
    is_relevant(record)
        && !matches!(
            record.format,
            Some(Format::NginxAccess | Format::NginxError | Format::WebStdout | Format::AppLog)
        )
}

/// Drops what correlation does not read from a relevant record: the message text of
/// kinds whose fields say it all, the result text of activities that completed below
/// the top.
pub fn slim(record: &mut Record) {
    let keep_message = match &record.event {
        Event::ActivityEnd { status, result, .. } => {
            let below_top = record.activity.as_deref().is_some_and(|a| a.contains('/'));
            if below_top && *status == crate::record::ActivityStatus::Completed {
                if let Event::ActivityEnd { result, .. } = &mut record.event {
                    *result = None;
                }
                false
            } else {
                result.is_some() || *status != crate::record::ActivityStatus::Completed
            }
        }
        Event::CommandOutput { .. } => record.format == Some(Format::CfnInitCmd),
        Event::Error { .. }
        | Event::CommandFailed { .. }
        | Event::ActivityError { .. }
        | Event::AppOutput { .. }
        | Event::LeaderElection { .. }
        | Event::Applicability { .. }
        | Event::CommandResult { .. }
        | Event::ActionOutput { .. } => true,
        _ => false,
    };
    if !keep_message {
        record.message = String::new();
    }
    record.level = None;
    slim_payload(&mut record.event);
}

/// Keeps of a payload only what correlation reads: the `Data` of cfn-hup's message, the
/// empty values of an action environment, the result of a sent message.
fn slim_payload(event: &mut Event) {
    match event {
        Event::CommandMessage { payload, .. } => {
            let data = payload
                .as_mut()
                .and_then(|p| p.get_mut("Data"))
                .map(serde_json::Value::take);
            *payload = data.map(|d| serde_json::json!({ "Data": d }));
        }
        Event::ActionEnvironment { env: Some(env) } => {
            if let Some(map) = env.as_object_mut() {
                map.retain(|_, v| v.as_str().is_some_and(|s| s.trim().is_empty()));
            }
        }
        Event::ResultSent {
            payload: Some(payload),
            ..
        } => {
            payload.data = None;
            payload.message = None;
            payload.result = None;
        }
        Event::ActionOutput { output, result, .. } if result.is_some() => output.clear(),
        _ => {}
    }
}

/// The host a record belongs to (moved to [`crate::ids`], where the scanner's shard
/// selection can reach it too).
pub use crate::ids::host_of;

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
            file: self.record.source.clone(),
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
fn hosts<R: Borrow<Record>>(records: &[R]) -> Vec<Host<'_>> {
    let mut order: Vec<String> = Vec::new();
    let mut grouped: BTreeMap<String, Host<'_>> = BTreeMap::new();
    for record in records {
        let record: &Record = record.borrow();
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
pub fn correlate<R: Borrow<Record>>(records: &[R]) -> Vec<Execution> {
    let mut all = Vec::new();
    for host in hosts(records) {
        let runs = cfn_hup::handler_runs(host.records(Format::CfnHup));
        let mut executions = legacy::executions(&host, &runs);
        executions.extend(engine::executions(&host, &runs));
        executions.extend(cfn_hup::unmatched(&host, &runs, &executions));
        if executions.is_empty() {
            // cfn-init's logs alone (people paste cfn-init.log): its builds.
            executions = cfn_init::standalone(&host);
        }
        label_log_collection(&mut executions);
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

/// The command that collected the logs being read (`bundle-log`, `tail-log`,
/// `CMD-TailLogs`, `CMD-BundleLogs`) is still running when they are taken: a host's last
/// execution, cut short by the end of its logs, is `RUNNING` rather than `INCOMPLETE`.
fn label_log_collection(executions: &mut [Execution]) {
    let last = executions
        .iter_mut()
        .max_by_key(|e| e.start_us.unwrap_or(i64::MIN));
    if let Some(e) = last.filter(|e| e.status == Status::Incomplete && collects_logs(&e.command)) {
        e.status = Status::Running;
        running_steps(&mut e.steps);
    }
}

/// Whether `command` is one of the log-collecting commands (`bundle-log`, `tail-log`,
/// `CMD-BundleLogs`, `CMD-TailLogs`, `CMD-SystemTailLogs`).
pub(crate) fn collects_logs(command: &str) -> bool {
    let c = command.to_ascii_lowercase().replace(['-', '_'], "");
    c.contains("taillog") || c.contains("bundlelog")
}

fn running_steps(steps: &mut [Step]) {
    for step in steps {
        if step.status == Status::Incomplete {
            step.status = Status::Running;
        }
        running_steps(&mut step.steps);
    }
}

/// Correlates records as they stream in, one host at a time, so memory holds the
/// records of the hosts being read rather than of the whole input.
///
/// Records arrive in input order, and a directory walk gives each host's files one after
/// the other: when records of a new host arrive and more than a few hosts are open, the
/// least recently fed one is correlated and its records dropped. A host whose files are
/// not contiguous in the input (paths named in an interleaved order) may then be
/// correlated in parts.
pub struct Correlator {
    open: Vec<(String, BoxedRecords)>,
    executions: Vec<Execution>,
    diagnoses: Option<Vec<diagnose::Diagnosis>>,
    /// Whether the executions are kept too when diagnosing (`commands --html`).
    keep_executions: bool,
    since: Option<i64>,
    until: Option<i64>,
    counted: usize,
}

/// Records on their way to correlation: boxed on purpose, so that a growing list doubles
/// its pointers, not 480-byte records, and a record moves between lists and threads by
/// pointer (measured: scan of a 1 GiB fleet peaked at 320 MB boxed, 350 MB unboxed).
#[allow(clippy::vec_box)]
pub type BoxedRecords = Vec<Box<Record>>;

/// Hosts held open at once.
const OPEN_HOSTS: usize = 1;

impl Correlator {
    /// A correlator keeping executions that started in `[since, until)`; with
    /// `diagnose`, it also diagnoses them while their records are at hand.
    pub fn new(since: Option<i64>, until: Option<i64>, diagnose: bool) -> Self {
        Correlator {
            open: Vec::new(),
            executions: Vec::new(),
            diagnoses: diagnose.then(Vec::new),
            keep_executions: !diagnose,
            since,
            until,
            counted: 0,
        }
    }

    /// A correlator that keeps the executions and their diagnoses (for a page that
    /// shows both).
    pub fn with_diagnoses(since: Option<i64>, until: Option<i64>) -> Self {
        Correlator {
            keep_executions: true,
            ..Correlator::new(since, until, true)
        }
    }

    /// Whether it diagnoses failures (and so reads the web tier's records too).
    pub fn is_diagnosing(&self) -> bool {
        self.diagnoses.is_some()
    }

    /// Takes one record that passed [`is_relevant`] and was [`slim`]med (the readers do
    /// both on their worker threads).
    pub fn push(&mut self, record: Box<Record>) {
        let host = host_of(&record.source);
        if let Some(i) = self.open.iter().position(|(h, _)| *h == host) {
            let last = self.open.len() - 1;
            if i != last {
                let entry = self.open.remove(i);
                self.open.push(entry);
            }
            if let Some((_, records)) = self.open.last_mut() {
                records.push(record);
            }
            return;
        }
        if self.open.len() >= OPEN_HOSTS {
            let (_, records) = self.open.remove(0);
            self.close(&records);
        }
        self.open.push((host, vec![record]));
    }

    fn close(&mut self, records: &[Box<Record>]) {
        let (since, until) = (self.since, self.until);
        let executions: Vec<Execution> = correlate(records)
            .into_iter()
            .filter(|e| match e.start_us {
                Some(start) => since.is_none_or(|s| start >= s) && until.is_none_or(|u| start < u),
                None => since.is_none() && until.is_none(),
            })
            .collect();
        self.counted += executions.len();
        if let Some(diagnoses) = &mut self.diagnoses {
            diagnoses.extend(diagnose::diagnose(records, &executions));
        }
        // Diagnosis alone keeps its diagnoses only.
        if self.keep_executions {
            self.executions.extend(executions);
        }
    }

    /// Takes the executions of the hosts correlated so far (in host order, each host's by
    /// start), so a caller that writes them as they come holds no more than a host's.
    pub fn drain(&mut self) -> Vec<Execution> {
        std::mem::take(&mut self.executions)
    }

    /// How many executions were correlated (and kept by the time bounds) so far.
    pub fn count(&self) -> usize {
        self.counted
    }

    /// Correlates what is still open and returns the executions in order of start time,
    /// and the diagnoses (when asked for) in the same order.
    pub fn finish(self) -> (Vec<Execution>, Vec<diagnose::Diagnosis>) {
        let (executions, diagnoses, _) = self.finish_counted();
        (executions, diagnoses)
    }

    /// As [`finish`](Self::finish), with the number of executions correlated over the
    /// whole input (diagnosis keeps only the diagnoses, so the executions may be fewer).
    pub fn finish_counted(mut self) -> (Vec<Execution>, Vec<diagnose::Diagnosis>, usize) {
        for (_, records) in std::mem::take(&mut self.open) {
            self.close(&records);
        }
        let counted = self.counted;
        let mut executions = self.executions;
        executions.sort_by_key(|e| e.start_us.unwrap_or(i64::MIN));
        let mut diagnoses = self.diagnoses.unwrap_or_default();
        diagnoses.sort_by(|a, b| a.execution.started.cmp(&b.execution.started));
        (executions, diagnoses, counted)
    }
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
        assert_eq!(
            host_of("fleet/i-1/var/log/eb-docker/containers/eb-current-app/x-stdouterr.log"),
            "fleet/i-1/var/log"
        );
        assert_eq!(
            host_of("b.zip!/var/log/tomcat/catalina.out"),
            "b.zip!/var/log"
        );
        assert_eq!(host_of("eb-engine.log"), ".");
        assert_eq!(host_of("nginx/error.log"), ".");
        assert_eq!(
            host_of("bundle.txt!/var/log/nginx/error.log"),
            "bundle.txt!/var/log"
        );
    }

    #[test]
    fn log_collecting_commands_are_known_by_name() {
        for name in [
            "bundle-log",
            "tail-log",
            "CMD-TailLogs",
            "CMD-BundleLogs",
            "CMD-SystemTailLogs",
        ] {
            assert!(collects_logs(name), "{name}");
        }
        for name in [
            "app-deploy",
            "CMD-AppDeploy",
            "restart-app-server",
            "CMD-RestartAppServer",
        ] {
            assert!(!collects_logs(name), "{name}");
        }
    }

    #[test]
    fn times_round_trip() {
        let us = micros(Some("2019-05-14T18:35:31.446Z")).unwrap();
        assert_eq!(rfc3339(us).as_deref(), Some("2019-05-14T18:35:31.446Z"));
        assert_eq!(span_ms(Some(1_000), Some(2_501_000)), Some(2500));
        assert_eq!(span_ms(Some(5), Some(1)), None);
    }
}
