//! `show --deploys`: the records of each command execution under a header naming it,
//! one execution after another in order of start, so a person reads one deploy at a
//! time. A record belongs to an execution when it comes from the same host and its time
//! lies between the execution's start and end (an execution without an end runs until
//! the host's next one starts); the files of the host are merged in time order.

use super::super::table::printable;
use super::render::Renderer;
use crate::correlate::{correlate, host_of, micros, Execution};
use crate::filter::RecordFilter;
use crate::record::Record;
use anstyle::Style;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Writes the executions that pass `filter` (start within `--since`/`--until`, host
/// within `--host`; the `last` of them when given) with their records that pass the rest
/// of it; returns what was shown of what, for stderr.
pub(super) fn write(
    records: &[Record],
    filter: &RecordFilter,
    last: Option<usize>,
    renderer: &Renderer,
    out: &mut (dyn Write + Send),
) -> io::Result<String> {
    let executions = correlate(records);
    let by_host = timed_by_host(records);
    // Inside an execution, records are chosen by everything but time and host, which
    // chose the execution.
    let inside = RecordFilter {
        since: None,
        until: None,
        hosts: Vec::new(),
        ..filter.clone()
    };
    let chosen: Vec<usize> = executions
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.start_us.is_some_and(|start| filter.contains(start))
                && filter.host_passes(&e.host, e.instance_id.as_deref())
        })
        .map(|(i, _)| i)
        .collect();
    let skip = last.map_or(0, |n| chosen.len().saturating_sub(n));
    let mut shown_executions = 0;
    let mut shown_records = 0;
    for &i in &chosen[skip..] {
        let e = &executions[i];
        let Some(start) = e.start_us else { continue };
        let end = e
            .end_us
            .or_else(|| next_start(&executions[i + 1..], &e.host));
        let host_records = by_host.get(e.host.as_str()).map_or(&[][..], Vec::as_slice);
        let from = host_records.partition_point(|(us, _)| *us < start);
        let mut text = String::new();
        for (us, record) in &host_records[from..] {
            if end.is_some_and(|end| *us > end) {
                break;
            }
            if inside.matches(record) {
                renderer.render(record, &mut text);
                shown_records += 1;
            }
        }
        if shown_executions > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(header(e, renderer.colour).as_bytes())?;
        out.write_all(text.as_bytes())?;
        shown_executions += 1;
    }
    if shown_executions == 0 {
        writeln!(
            out,
            "no command executions found{}",
            if executions.is_empty() {
                String::new()
            } else {
                format!(
                    " in the time and hosts asked for ({} in all)",
                    executions.len()
                )
            }
        )?;
    }
    Ok(format!(
        "{shown_records} record(s) of {} in {shown_executions} execution(s) of {}",
        records.len(),
        executions.len()
    ))
}

/// The records of each host that have a time, in time order (stable: one instant keeps
/// input order).
fn timed_by_host(records: &[Record]) -> BTreeMap<String, Vec<(i64, &Record)>> {
    let mut by_host: BTreeMap<String, Vec<(i64, &Record)>> = BTreeMap::new();
    for record in records {
        if let Some(us) = micros(record.ts.as_deref()) {
            by_host
                .entry(host_of(&record.source))
                .or_default()
                .push((us, record));
        }
    }
    for list in by_host.values_mut() {
        list.sort_by_key(|(us, _)| *us);
    }
    by_host
}

/// When the host's next execution starts (the end of one that has none).
fn next_start(later: &[Execution], host: &str) -> Option<i64> {
    later
        .iter()
        .filter(|e| e.host == host)
        .find_map(|e| e.start_us)
}

/// `== app-deploy on i-0d7e… (samples/al2) · 2022-06-14 16:27:47 UTC · FAILURE after 20.3s ==`
/// and the failed step beneath.
fn header(e: &Execution, colour: bool) -> String {
    let status_style = super::super::commands::status_style(e.status);
    let bold = Style::new().bold();
    let paint = |style: Style, text: &str| {
        if colour {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    };
    let host = super::super::commands::host_label(&e.host);
    let place = match &e.instance_id {
        Some(id) => format!("{id} ({host})"),
        None => host,
    };
    let place = printable(&place);
    let started = e.started.as_deref().map_or_else(
        || "-".to_owned(),
        |t| super::super::collect::time_as(t, "%Y-%m-%d %H:%M:%S"),
    );
    let mut text = format!(
        "{} {} on {place} at {started} UTC: {} after {}\n",
        paint(bold, "=="),
        paint(bold, &printable(&e.command)),
        paint(status_style, e.status.name()),
        super::super::commands::human_duration(e.duration_ms),
    );
    if let Some(step) = &e.failed_step {
        text.push_str(&format!("   failed step: {}\n", printable(step)));
    }
    text
}
