//! `eblog commands` and `eblog diagnose`: command executions for people (a table, a
//! report) and for machines (`--json`), and the HTML timeline.

use super::args::SeverityArg;
use super::collect::{Collector, Empty, Form, Row, TableStyle};
use super::filters::record_filter;
use super::table::{Cell, Keep, Shrink, Table};
use super::{
    report_inputs, write_failed, CommandsArgs, DiagnoseArgs, Ui, EXIT_FAILURE, EXIT_FOUND_FAILURE,
    EXIT_OK,
};
use crate::correlate::diagnose::{Diagnosis, Severity};
use crate::correlate::{
    is_relevant, shapes_executions, slim, BoxedRecords, Correlator, Execution, Status,
};
use crate::filter::RecordFilter;
use crate::pipeline::parse_buffer;
use crate::record::Record;
use crate::redact::Redactor;
use crate::scan::{ScanOptions, ScanSummary};
use crate::sink::{scan_into as scan, ChunkSink, Encoder};
use anstyle::{AnsiColor, Style};
use std::io::{self, Read, Write};
use std::path::PathBuf;

/// Keeps the records correlation needs, slimmed: those of the web tier too when
/// `diagnose` (its hints read them).
struct RelevantRecords {
    diagnose: bool,
}

impl Encoder for RelevantRecords {
    type Chunk = BoxedRecords;

    fn encode(&self, records: Vec<Record>) -> io::Result<BoxedRecords> {
        let keep = if self.diagnose {
            is_relevant
        } else {
            shapes_executions
        };
        Ok(records
            .into_iter()
            .filter(keep)
            .map(|mut r| {
                slim(&mut r);
                Box::new(r)
            })
            .collect())
    }
}

/// Feeds records, in input order, to a correlator, and the executions of each host it
/// closes to a collector (`commands`; `diagnose` keeps diagnoses in the correlator).
struct Feed(Correlator, Option<Collector>);

impl ChunkSink for Feed {
    type Chunk = BoxedRecords;

    fn write(&mut self, chunk: BoxedRecords) -> io::Result<()> {
        chunk.into_iter().for_each(|r| self.0.push(r));
        match &mut self.1 {
            Some(collector) => collector.take(self.0.drain()),
            None => Ok(()),
        }
    }
}

/// Reads `paths` (`-` is stdin) into `correlator`, handing closed hosts' executions to
/// `collector`.
fn read_into(
    paths: &[PathBuf],
    options: &ScanOptions,
    correlator: Correlator,
    collector: Option<Collector>,
) -> io::Result<(Feed, ScanSummary)> {
    let mut sink = Feed(correlator, collector);
    let files: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let relevant = RelevantRecords {
        diagnose: sink.0.is_diagnosing(),
    };
    let summary = scan(&files, options, &relevant, &mut sink, &|_| {})?;
    if paths.iter().any(|p| p.as_os_str() == "-") {
        let mut buf = Vec::new();
        io::stdin().lock().read_to_end(&mut buf)?;
        let mut from_stdin: Vec<Record> = Vec::new();
        parse_buffer("-", None, &buf, options.parse, &mut from_stdin)?;
        sink.write(relevant.encode(from_stdin)?)?;
    }
    Ok((sink, summary))
}

/// What both subcommands start with: the executions of the inputs (in the collector,
/// for `commands`) or their diagnoses.
struct Loaded {
    /// Executions correlated (within the time bounds), kept or not.
    count: usize,
    collector: Option<Collector>,
    diagnoses: Vec<Diagnosis>,
    redactor: Option<Redactor>,
    unreadable: bool,
}

/// Whether an execution passes `--host` and `--grep` (its command, failed step or error).
fn execution_passes(filter: &RecordFilter, e: &Execution) -> bool {
    let texts = [
        Some(e.command.as_str()),
        e.failed_step.as_deref(),
        e.error.as_deref(),
    ];
    passes(filter, &e.host, e.instance_id.as_deref(), &texts)
}

/// Whether a diagnosis passes `--host` and `--grep` (its command, failed step or error).
fn diagnosis_passes(filter: &RecordFilter, d: &Diagnosis) -> bool {
    let e = &d.execution;
    let texts = [
        Some(e.command.as_str()),
        e.failed_step.as_deref(),
        d.error_excerpt.as_deref(),
    ];
    passes(filter, &e.host, e.instance_id.as_deref(), &texts)
}

fn passes(filter: &RecordFilter, host: &str, id: Option<&str>, texts: &[Option<&str>]) -> bool {
    filter.host_passes(host, id)
        && filter
            .grep
            .as_ref()
            .is_none_or(|re| texts.iter().flatten().any(|t| re.is_match(t)))
}

/// Correlates `paths`: `form` says what `commands` keeps of each execution (`None`:
/// diagnose).
fn load(
    paths: &[PathBuf],
    common: &super::CommonArgs,
    filter: &RecordFilter,
    form: Option<(Form, bool)>,
    ui: &Ui,
) -> Result<Loaded, i32> {
    let (options, redactor) = super::options(common)?;
    let correlator = match form {
        // The page shows each execution's diagnosis.
        Some((Form::Whole, _)) => Correlator::with_diagnoses(filter.since, filter.until),
        _ => Correlator::new(filter.since, filter.until, form.is_none()),
    };
    let collector = match form {
        Some((form, failed_only)) => {
            let filter = filter.clone();
            let keep = Box::new(move |e: &Execution| execution_passes(&filter, e));
            Some(
                Collector::new(form, failed_only, redactor.clone(), keep).map_err(|e| {
                    eprintln!("eblog: {e}");
                    EXIT_FAILURE
                })?,
            )
        }
        None => None,
    };
    let loaded = read_into(paths, &options, correlator, collector).and_then(|(feed, summary)| {
        let Feed(correlator, mut collector) = feed;
        let (rest, diagnoses, count) = correlator.finish_counted();
        if let Some(collector) = &mut collector {
            collector.take(rest)?;
        }
        Ok((collector, diagnoses, count, summary))
    });
    let (collector, diagnoses, count, summary) = loaded.map_err(|e| {
        eprintln!("eblog: {e}");
        EXIT_FAILURE
    })?;
    let (unreadable, _) = report_inputs(&summary, ui);
    let diagnoses = diagnoses
        .into_iter()
        .filter(|d| diagnosis_passes(filter, d))
        .collect();
    Ok(Loaded {
        count,
        collector,
        diagnoses,
        redactor,
        unreadable,
    })
}

/// `eblog commands`.
pub(super) fn run(args: &CommandsArgs, ui: &Ui) -> i32 {
    let filter = match record_filter(&args.window, None) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let form = match (&args.html, args.json) {
        (Some(_), _) => Form::Whole,
        (None, true) => Form::Json,
        (None, false) => Form::Table,
    };
    let loaded = match load(
        &args.paths,
        &args.common,
        &filter,
        Some((form, args.failed)),
        ui,
    ) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let Some(mut collector) = loaded.collector else {
        // Not reached: `load` makes a collector whenever it is given a form.
        eprintln!("eblog: internal error: no executions were collected");
        return EXIT_FAILURE;
    };
    if let (Some(path), Some(executions)) = (&args.html, collector.executions()) {
        let notes = diagnosis_notes(executions, loaded.diagnoses, loaded.redactor.as_ref());
        let page = crate::report::html::render_with_diagnoses(
            executions,
            &notes,
            "eblog: command executions",
        );
        let written = crate::output::OutputFile::create(path).and_then(|out| {
            out.file().write_all(page.as_bytes())?;
            out.commit()
        });
        if let Err(e) = written {
            eprintln!("eblog: --html {}: {e}", path.display());
            return EXIT_FAILURE;
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let style = TableStyle {
        colour: ui.colour(),
        width: ui.width(args.wide),
    };
    let written = collector.write(&mut out, args.json, style);
    if let Err(e) = written.and_then(|()| out.flush()) {
        return write_failed(&e);
    }
    if loaded.unreadable {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// Each execution's diagnosis as the report prints it (redacted), by position.
fn diagnosis_notes(
    executions: &[crate::correlate::Execution],
    diagnoses: Vec<Diagnosis>,
    redactor: Option<&Redactor>,
) -> Vec<Option<String>> {
    let mut by_key: std::collections::HashMap<(String, Option<String>, String), String> =
        std::collections::HashMap::new();
    for mut d in diagnoses {
        if let Some(redactor) = redactor {
            redact_diagnosis(&mut d, redactor);
        }
        let mut text = Vec::new();
        // Writing into a Vec cannot fail.
        if write_report(&mut text, std::slice::from_ref(&d), (1, false), false).is_ok() {
            let e = d.execution;
            by_key.insert(
                (e.host, e.started, e.command),
                String::from_utf8_lossy(&text).into_owned(),
            );
        }
    }
    executions
        .iter()
        .map(|e| {
            by_key
                .get(&(e.host.clone(), e.started.clone(), e.command.clone()))
                .cloned()
        })
        .collect()
}

/// `eblog diagnose`.
pub(super) fn diagnose(args: &DiagnoseArgs, ui: &Ui) -> i32 {
    let filter = match record_filter(&args.window, None) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let loaded = match load(&args.paths, &args.common, &filter, None, ui) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let min = match args.min_severity {
        SeverityArg::Warning => Severity::Warning,
        SeverityArg::Error => Severity::Error,
    };
    let mut diagnoses = loaded.diagnoses;
    diagnoses.retain(|d| d.severity >= min);
    let failed = diagnoses.iter().any(|d| d.severity == Severity::Error);
    if let Some(redactor) = &loaded.redactor {
        diagnoses
            .iter_mut()
            .for_each(|d| redact_diagnosis(d, redactor));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = if args.json {
        diagnoses.iter().try_for_each(|d| write_json(&mut out, d))
    } else {
        let narrowed = !filter.hosts.is_empty() || filter.grep.is_some();
        write_report(&mut out, &diagnoses, (loaded.count, narrowed), ui.colour())
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        return write_failed(&e);
    }
    // An unreadable input wins: the diagnosis may then be missing what it held.
    if loaded.unreadable {
        EXIT_FAILURE
    } else if failed {
        EXIT_FOUND_FAILURE
    } else {
        EXIT_OK
    }
}

pub(super) fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

pub(super) fn status_style(status: Status) -> Style {
    let colour = match status {
        Status::Success => AnsiColor::Green,
        Status::Failure => AnsiColor::Red,
        Status::Timeout => AnsiColor::Yellow,
        Status::Incomplete | Status::Running | Status::Skipped => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// `1h02m`, `2m03s`, `12.5s`, `350ms`.
pub(crate) fn human_duration(ms: Option<i64>) -> String {
    let Some(ms) = ms else {
        return "-".to_owned();
    };
    match ms {
        ms if ms < 1_000 => format!("{ms}ms"),
        ms if ms < 60_000 => format!("{:.1}s", ms as f64 / 1000.0),
        ms if ms < 3_600_000 => format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000),
        ms => format!("{}h{:02}m", ms / 3_600_000, (ms % 3_600_000) / 60_000),
    }
}

/// The human table of `rows`, fitted to `style.width` (FAILED STEP gives way first,
/// then COMMAND); a HOST column when an instance id is missing or one instance's logs
/// came from two places.
pub(super) fn write_table(
    out: &mut impl Write,
    rows: &[Row],
    style: TableStyle,
    empty: Empty,
) -> io::Result<()> {
    if rows.is_empty() {
        return match (empty.failed_only, empty.seen) {
            (_, 0) => writeln!(out, "no command executions found"),
            (true, n) => writeln!(out, "no failed executions ({n} in all)"),
            // Not reached: executions seen and not failed-only are rows.
            (false, n) => writeln!(out, "no command executions shown ({n} in all)"),
        };
    }
    let with_host = needs_host_column(rows);
    let labels = if with_host {
        short_labels(rows.iter().map(|r| r.host.as_str()))
    } else {
        std::collections::BTreeMap::new()
    };
    let mut table = Table {
        header: vec!["START (UTC)", "INSTANCE"],
        rows: Vec::new(),
    };
    if with_host {
        table.header.push("HOST");
    }
    table
        .header
        .extend(["COMMAND", "STATUS", "TOOK", "FAILED STEP"]);
    for row in rows {
        let mut cells = vec![
            Cell::plain(row.start.as_str()),
            Cell::plain(row.instance.as_deref().unwrap_or("-")),
        ];
        if with_host {
            let label = labels.get(row.host.as_str()).cloned();
            cells.push(Cell::plain(label.unwrap_or_else(|| host_label(&row.host))));
        }
        cells.extend([
            Cell::plain(row.command.as_str()),
            Cell {
                text: row.status.name().to_owned(),
                style: status_style(row.status),
            },
            Cell::plain(row.duration.as_str()),
            Cell::plain(row.failed_step.as_str()),
        ]);
        table.rows.push(cells);
    }
    let shrink = shrink_steps(table.header.len(), with_host);
    out.write_all(table.render(style.width, &shrink, style.colour).as_bytes())
}

/// How the table gives way when it does not fit: HOST (its start kept) to 16 columns, FAILED STEP (its
/// end kept: the failing hook or command) to 24, COMMAND to 13 (`CMD-AppDeploy`), then
/// all three down to their headers, and last below them: an 80-column terminal holds
/// every table.
fn shrink_steps(columns: usize, with_host: bool) -> Vec<Shrink> {
    let failed = columns - 1;
    let command = columns - 4;
    let step = |column, floor, keep| Shrink {
        column,
        floor,
        keep,
    };
    let host = |floor| with_host.then(|| step(2, floor, Keep::Start));
    [
        host(16),
        Some(step(failed, 24, Keep::End)),
        Some(step(command, 13, Keep::Start)),
        Some(step(failed, 12, Keep::End)),
        host(8),
        Some(step(command, 10, Keep::Start)),
        Some(step(failed, 11, Keep::End)),
        host(4),
        Some(step(command, 7, Keep::Start)),
        Some(step(failed, 6, Keep::End)),
        Some(step(command, 6, Keep::Start)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Whether the instance column alone cannot tell the rows' hosts apart: an execution
/// without an instance id, or one instance id under two hosts (two copies of its logs).
fn needs_host_column(rows: &[Row]) -> bool {
    let mut hosts: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for row in rows {
        let Some(id) = row.instance.as_deref() else {
            return true;
        };
        match hosts.insert(id, row.host.as_str()) {
            Some(other) if other != row.host => return true,
            _ => {}
        }
    }
    false
}

/// The shortest label of each host that still tells it from the others: the last parts
/// of its [`host_label`] (`al2023` for `samples/al2023`, `i-1/var/log`'s `i-1`), more of
/// them where two hosts end alike.
fn short_labels<'h>(
    hosts: impl Iterator<Item = &'h str>,
) -> std::collections::BTreeMap<&'h str, String> {
    let mut full: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    for host in hosts {
        full.entry(host).or_insert_with(|| host_label(host));
    }
    let tail = |label: &str, parts: usize| -> String {
        let pieces: Vec<&str> = label.split('/').collect();
        pieces[pieces.len().saturating_sub(parts)..].join("/")
    };
    let most = full
        .values()
        .map(|l| l.split('/').count())
        .max()
        .unwrap_or(1);
    let mut labels = std::collections::BTreeMap::new();
    for (host, label) in &full {
        let short = (1..=most)
            .map(|parts| tail(label, parts))
            .find(|candidate| {
                full.iter()
                    .filter(|(other, _)| *other != host)
                    .all(|(_, l)| tail(l, candidate.split('/').count()) != *candidate)
            })
            .unwrap_or_else(|| label.clone());
        labels.insert(*host, short);
    }
    labels
}

/// A host as people read it: its log directory without the trailing `/var/log`; for a
/// bundle, the bundle's file name and the place inside it (`cloudwatch.txt!orders-api`).
pub(super) fn host_label(host: &str) -> String {
    if let Some((outer, inner)) = host.split_once('!') {
        let file = outer.rsplit('/').next().unwrap_or(outer);
        let inner = inner.strip_suffix("/var/log").unwrap_or(inner);
        let last = inner.rsplit('/').find(|part| !part.is_empty());
        return match last {
            Some(last) => format!("{file}!{last}"),
            None => file.to_owned(),
        };
    }
    match host.strip_suffix("/var/log").unwrap_or(host) {
        "" | "." => "./".to_owned(),
        s => s.to_owned(),
    }
}

/// The report of `diagnoses`; `(total, narrowed)`: executions in the time window, and
/// whether `--host`/`--grep` chose among them.
fn write_report(
    out: &mut impl Write,
    diagnoses: &[Diagnosis],
    (total, narrowed): (usize, bool),
    colour: bool,
) -> io::Result<()> {
    if diagnoses.is_empty() {
        return match narrowed {
            // The count is of the time window: say that the hosts or text chose fewer.
            true => writeln!(out, "nothing failed among the hosts and text asked for ({total} command execution(s) in the time asked for)"),
            false => writeln!(out, "nothing failed: {total} command execution(s), none failed or left the application unreachable"),
        };
    }
    let bold = if colour {
        Style::new().bold()
    } else {
        Style::new()
    };
    for (i, d) in diagnoses.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let e = &d.execution;
        let status = if colour {
            let style = status_style(e.status);
            format!("{style}{}{style:#}", e.status.name())
        } else {
            e.status.name().to_owned()
        };
        writeln!(
            out,
            "{}: {bold}{}{bold:#} on {} at {}: {status} after {}{}",
            d.severity.name(),
            e.command,
            e.instance_id.as_deref().unwrap_or(&e.host),
            e.started.as_deref().unwrap_or("an unknown time"),
            human_duration(e.duration_ms),
            e.returncode
                .map(|c| format!(" (return code {c})"))
                .unwrap_or_default()
        )?;
        if let Some(id) = &e.id {
            writeln!(out, "  id: {id}")?;
        }
        if let Some(step) = &e.failed_step {
            let kind = d
                .failed_step_kind
                .map(|k| format!(" ({})", k.replace('_', " ")))
                .unwrap_or_default();
            let at = d
                .failed_step_source
                .as_ref()
                .map(|s| format!(" at {}:{}", s.file, s.line))
                .unwrap_or_default();
            writeln!(out, "  failed step: {step}{kind}{at}")?;
        }
        if let Some(error) = &d.error_excerpt {
            writeln!(out, "  error:")?;
            for line in error.lines() {
                writeln!(out, "    {line}")?;
            }
        }
        for hint in &d.hints {
            // Every piece of evidence: a crash's line follows the proxy's first error.
            let at = (!hint.sources.is_empty()).then(|| {
                let places: Vec<String> = hint
                    .sources
                    .iter()
                    .map(|s| format!("{}:{}", s.file, s.line))
                    .collect();
                format!("({})", places.join(", "))
            });
            let mut lines = hint.message.lines();
            let first = lines.next().unwrap_or_default();
            let rest: Vec<&str> = lines.collect();
            // The evidence's place goes after the hint's last line.
            match (&at, rest.is_empty()) {
                (Some(at), true) => writeln!(out, "  hint: {first} {at}")?,
                _ => writeln!(out, "  hint: {first}")?,
            }
            for line in &rest {
                writeln!(out, "        {line}")?;
            }
            if let (Some(at), false) = (&at, rest.is_empty()) {
                writeln!(out, "        {at}")?;
            }
        }
        writeln!(out, "  look at:")?;
        for range in d.look_at.iter().take(8) {
            writeln!(out, "    {range}")?;
        }
        if d.look_at.len() > 8 {
            writeln!(
                out,
                "    ... {} more place(s) (--json lists them all)",
                d.look_at.len() - 8
            )?;
        }
    }
    Ok(())
}

/// Redacts every text a diagnosis carries.
fn redact_diagnosis(d: &mut Diagnosis, redactor: &Redactor) {
    let redact = |text: &mut String| {
        if let std::borrow::Cow::Owned(clean) = redactor.redact_text(text) {
            *text = clean;
        }
    };
    if let Some(error) = &mut d.error_excerpt {
        redact(error);
    }
    for hint in &mut d.hints {
        redact(&mut hint.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_read_short() {
        assert_eq!(host_label("fleet/i-1/var/log"), "fleet/i-1");
        assert_eq!(host_label("."), "./");
        assert_eq!(
            host_label("b/cloudwatch.txt!/aws/elasticbeanstalk/orders-api-prod"),
            "cloudwatch.txt!orders-api-prod"
        );
        assert_eq!(host_label("b/tail-bundle.txt!"), "tail-bundle.txt");
        assert_eq!(host_label("x.zip!/var/log"), "x.zip");
    }

    #[test]
    fn host_labels_are_as_short_as_they_can_be() {
        let hosts = [
            "samples",
            "samples/al2",
            "fleet/a/i-1/var/log",
            "fleet/b/i-1/var/log",
            "b/tail-bundle.txt!",
        ];
        let labels = short_labels(hosts.into_iter());
        let got: Vec<&str> = hosts.iter().map(|h| labels[h].as_str()).collect();
        assert_eq!(got, ["samples", "al2", "a/i-1", "b/i-1", "tail-bundle.txt"]);
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(Some(350)), "350ms");
        assert_eq!(human_duration(Some(12_500)), "12.5s");
        assert_eq!(human_duration(Some(123_000)), "2m03s");
        assert_eq!(human_duration(Some(3_720_000)), "1h02m");
        assert_eq!(human_duration(None), "-");
    }
}
