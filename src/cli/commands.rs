//! `eblog commands` and `eblog diagnose`: command executions for people (a table, a
//! report) and for machines (`--json`), and the HTML timeline.

use super::args::SeverityArg;
use super::collect::{Collector, Form, TableStyle};
use super::exec_table::write_json;
/// Kept here for `show deploys`, which reads them from this module.
pub(super) use super::exec_table::{host_label, human_duration, status_style};
use super::filters::record_filter;
use super::{
    report_inputs, write_failed, CommandsArgs, DiagnoseArgs, Ui, EXIT_FAILURE, EXIT_FOUND_FAILURE,
    EXIT_OK,
};
use crate::correlate::diagnose::{Diagnosis, Severity};
use crate::correlate::{is_relevant, shapes_executions, slim, BoxedRecords, Correlator, Execution};
use crate::filter::RecordFilter;
use crate::pipeline::parse_buffer;
use crate::record::Record;
use crate::redact::Redactor;
use crate::scan::{ScanOptions, ScanSummary};
use crate::sink::{scan_into as scan, ChunkSink, Encoder};
use anstyle::Style;
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
