//! `eblog commands` and `eblog diagnose`: command executions for people (a table, a
//! report) and for machines (`--json`), and the HTML timeline.

use super::args::SeverityArg;
use super::collect::{Collector, Form, Row};
use super::{
    report_inputs, write_failed, CommandsArgs, DiagnoseArgs, EXIT_FAILURE, EXIT_FOUND_FAILURE,
    EXIT_OK, EXIT_USAGE,
};
use crate::correlate::diagnose::{Diagnosis, Severity};
use crate::correlate::{is_relevant, shapes_executions, slim, BoxedRecords, Correlator, Status};
use crate::pipeline::parse_buffer;
use crate::record::Record;
use crate::redact::Redactor;
use crate::scan::{scan, ChunkSink, Encoder, ScanOptions, ScanSummary};
use anstyle::{AnsiColor, Style};
use std::io::{self, IsTerminal, Read, Write};
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

/// A time bound of `--since`/`--until`: RFC 3339, or `YYYY-MM-DD[ HH:MM[:SS]]` in UTC.
fn parse_bound(flag: &str, text: Option<&str>) -> Result<Option<i64>, i32> {
    let Some(text) = text else {
        return Ok(None);
    };
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(Some(dt.timestamp_micros()));
    }
    let forms = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    for form in forms {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text, form) {
            return Ok(Some(naive.and_utc().timestamp_micros()));
        }
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if let Some(naive) = date.and_hms_opt(0, 0, 0) {
            return Ok(Some(naive.and_utc().timestamp_micros()));
        }
    }
    eprintln!(
        "eblog: {flag}: {text:?} is not a time: expected RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]]"
    );
    Err(EXIT_USAGE)
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

/// Correlates `paths`: `form` says what `commands` keeps of each execution (`None`:
/// diagnose).
fn load(
    paths: &[PathBuf],
    common: &super::CommonArgs,
    bounds: (Option<&str>, Option<&str>),
    form: Option<(Form, bool)>,
) -> Result<Loaded, i32> {
    let (options, redactor) = super::options(common)?;
    let since = parse_bound("--since", bounds.0)?;
    let until = parse_bound("--until", bounds.1)?;
    let correlator = match form {
        // The page shows each execution's diagnosis.
        Some((Form::Whole, _)) => Correlator::with_diagnoses(since, until),
        _ => Correlator::new(since, until, form.is_none()),
    };
    let collector = match form {
        Some((form, failed_only)) => Some(
            Collector::new(form, failed_only, redactor.clone()).map_err(|e| {
                eprintln!("eblog: {e}");
                EXIT_FAILURE
            })?,
        ),
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
    let (unreadable, _) = report_inputs(&summary);
    Ok(Loaded {
        count,
        collector,
        diagnoses,
        redactor,
        unreadable,
    })
}

/// `eblog commands`.
pub(super) fn run(args: &CommandsArgs) -> i32 {
    let bounds = (args.since.as_deref(), args.until.as_deref());
    let form = match (&args.html, args.json) {
        (Some(_), _) => Form::Whole,
        (None, true) => Form::Json,
        (None, false) => Form::Table,
    };
    let loaded = match load(&args.paths, &args.common, bounds, Some((form, args.failed))) {
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
    let written = collector.write(&mut out, args.json, colour_wanted());
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
        if write_report(&mut text, std::slice::from_ref(&d), 1, false).is_ok() {
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
pub(super) fn diagnose(args: &DiagnoseArgs) -> i32 {
    let bounds = (args.since.as_deref(), args.until.as_deref());
    let loaded = match load(&args.paths, &args.common, bounds, None) {
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
        write_report(&mut out, &diagnoses, loaded.count, colour_wanted())
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

/// Colour when stdout is a terminal and `NO_COLOR` is not set.
fn colour_wanted() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn status_style(status: Status) -> Style {
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

/// The human table of `rows` (each with its execution's status, for colour).
pub(super) fn write_table(
    out: &mut impl Write,
    rows: &[(Row, Status)],
    colour: bool,
) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "no command executions found");
    }
    let header = [
        "START",
        "INSTANCE",
        "COMMAND",
        "STATUS",
        "DURATION",
        "FAILED STEP",
    ];
    let mut widths = header.map(str::len);
    for (row, _) in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == 5 {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(header))?;
    for (row, status) in rows {
        let mut text = line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]]);
        if colour {
            let style = status_style(*status);
            let padded = format!("{:<w$}", row[3], w = widths[3]);
            let at = widths[0] + widths[1] + widths[2] + 6;
            if text.get(at..at + padded.len()) == Some(padded.as_str()) {
                text.replace_range(
                    at..at + row[3].len(),
                    &format!("{style}{}{style:#}", row[3]),
                );
            }
        }
        writeln!(out, "{text}")?;
    }
    Ok(())
}

fn write_report(
    out: &mut impl Write,
    diagnoses: &[Diagnosis],
    total: usize,
    colour: bool,
) -> io::Result<()> {
    if diagnoses.is_empty() {
        return writeln!(out, "nothing failed: {total} command execution(s), none failed or left the application unreachable");
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
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(Some(350)), "350ms");
        assert_eq!(human_duration(Some(12_500)), "12.5s");
        assert_eq!(human_duration(Some(123_000)), "2m03s");
        assert_eq!(human_duration(Some(3_720_000)), "1h02m");
        assert_eq!(human_duration(None), "-");
    }

    #[test]
    fn bounds_accept_dates_and_rfc3339() {
        assert_eq!(parse_bound("--since", Some("1970-01-01")), Ok(Some(0)));
        assert_eq!(
            parse_bound("--since", Some("1970-01-01 00:01")),
            Ok(Some(60_000_000))
        );
        assert_eq!(
            parse_bound("--since", Some("1970-01-01T00:00:01Z")),
            Ok(Some(1_000_000))
        );
        assert_eq!(parse_bound("--since", Some("yesterday")), Err(EXIT_USAGE));
    }
}
