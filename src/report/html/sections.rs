//! The per-execution sections: summary, facts, error text and the steps' waterfall.

use super::*;
use maud::{html, Markup};

// ----------------------------------------------------------------------------------------
// Per-execution sections.

/// The executions, lane by lane, each a collapsible section. `used` is the bytes of the
/// page laid out before them: once the page passes [`PAGE_DETAIL_LIMIT`], later
/// executions are left out and a note counts them.
pub(super) fn sections(report: &Report<'_>, diagnoses: &[Option<String>], used: usize) -> Markup {
    let mut used = used;
    let mut failures_opened = 0;
    let mut lanes = Vec::with_capacity(report.lanes.len());
    for lane in &report.lanes {
        let mut shown = Vec::new();
        let mut left_out = 0;
        for entry in &lane.entries {
            if used > PAGE_DETAIL_LIMIT {
                left_out += 1;
                continue;
            }
            let open = entry.exec.status.is_failure() && failures_opened < OPEN_FAILURES_LIMIT;
            failures_opened += usize::from(open);
            let diagnosis = diagnoses.get(entry.index).and_then(Option::as_deref);
            let section = execution(entry, open, diagnosis);
            used += section.0.len();
            shown.push(section);
        }
        lanes.push(lane_sections(lane, &shown, left_out));
    }
    html! {
        section class="executions" {
            h2 { "Executions" }
            @for lane in &lanes { "\n" (lane) }
        }
    }
}

/// One lane's heading, its executions' sections and the note on those left out.
fn lane_sections(lane: &Lane<'_>, shown: &[Markup], left_out: usize) -> Markup {
    html! {
        section class="lane-execs" {
            h3 {
                (clean(lane.host))
                @if let Some(instance) = lane.instance {
                    " " span class="inst" { (clean(instance)) }
                }
            }
            @for section in shown { "\n" (section) }
            @if left_out > 0 {
                p class="cut" {
                    (plural(left_out, "execution"))
                    " left out of the details here: the page holds at most "
                    (PAGE_DETAIL_LIMIT >> 20) " MiB of them ("
                    code { "eblog commands --json" } " lists every one)."
                }
            }
        }
    }
}

/// One execution's section, its diagnosis (as `eblog diagnose` words it) first.
pub(super) fn execution(entry: &Entry<'_>, open: bool, diagnosis: Option<&str>) -> Markup {
    let e = entry.exec;
    html! {
        details class={ "exec " (status_classes(e.status)) } id={ "exec-" (entry.index) }
            data-status=(e.status.name()) open[open] {
            (summary(entry))
            div class="exec-body" {
                @if let Some(text) = diagnosis {
                    @let (cut, truncated) = truncate(text.trim_end(), ERROR_TEXT_LIMIT);
                    h4 { "Diagnosis" }
                    pre class="error diagnosis" { (clean(cut)) @if truncated { "\n[...]" } }
                }
                (facts(entry))
                @if let Some(error) = &e.error {
                    h4 { "Error" }
                    (pre("error", error, ERROR_TEXT_LIMIT))
                }
                h4 { "Steps" }
                (waterfall(entry))
                (events(e))
            }
        }
    }
}

/// The summary line: status, command, start, duration, failed step.
pub(super) fn summary(entry: &Entry<'_>) -> Markup {
    let e = entry.exec;
    let when = entry
        .span
        .start
        .map_or_else(|| "start unknown".to_owned(), fmt_time);
    html! {
        summary {
            span class={ "badge " (status_class(e.status)) } { (e.status.name()) }
            span class="cmd" { (clean(&e.command)) }
            span class="when" { (clean(&when)) }
            @if let Some(ms) = exec_duration_ms(e, entry.span) {
                span class="dur" { (fmt_duration_ms(ms)) }
            }
            @if let Some(step) = &e.failed_step {
                span class="fstep" { "failed at " (clean(step)) }
            }
        }
    }
}

/// The facts list: command, id, platform, host, instance, times, status, return code,
/// failed step, sources.
pub(super) fn facts(entry: &Entry<'_>) -> Markup {
    let e = entry.exec;
    let duration = exec_duration_ms(e, entry.span).map(fmt_duration_ms);
    let returncode = e.returncode.map(|c| c.to_string());
    let sources = sources_text(e);
    let rows: [(&str, Option<&str>); 11] = [
        ("Command", Some(e.command.as_str())),
        ("Id", e.id.as_deref()),
        ("Status", Some(e.status.name())),
        ("Started", e.started.as_deref()),
        ("Finished", e.finished.as_deref()),
        ("Duration", duration.as_deref()),
        ("Return code", returncode.as_deref()),
        ("Failed step", e.failed_step.as_deref()),
        ("Host", Some(e.host.as_str())),
        ("Instance", e.instance_id.as_deref()),
        ("Platform", Some(e.platform)),
    ];
    html! {
        dl class="facts" {
            @for (label, value) in rows {
                @if let Some(value) = value { dt { (label) } dd { (clean(value)) } }
            }
            @if let Some(sources) = sources { dt { "Sources" } dd { (clean(&sources)) } }
        }
    }
}

/// `N records: file:line, …` — the first few sources.
pub(super) fn sources_text(e: &Execution) -> Option<String> {
    const SHOWN: usize = 3;
    if e.sources.is_empty() {
        return None;
    }
    let first = e
        .sources
        .iter()
        .take(SHOWN)
        .map(|s| format!("{}:{}", s.file, s.line));
    let mut text = format!(
        "{}: {}",
        plural(e.sources.len(), "record"),
        first.collect::<Vec<_>>().join(", ")
    );
    if e.sources.len() > SHOWN {
        text.push_str(", …");
    }
    Some(text)
}

/// Text in a `<pre>`, cut at `limit` bytes.
pub(super) fn pre(class: &str, text: &str, limit: usize) -> Markup {
    let (shown, cut) = truncate(text, limit);
    html! {
        pre class=(class) { (clean(shown)) }
        @if cut {
            div class="cut" {
                "… cut at " (limit / 1024) " KiB of " (text.len() / 1024) " KiB"
            }
        }
    }
}

/// One step laid out in the waterfall.
pub(super) struct StepRow<'a> {
    pub(super) step: &'a Step,
    pub(super) depth: usize,
    /// Microseconds from the waterfall's origin.
    pub(super) offset: Option<i64>,
    /// Microseconds.
    pub(super) duration: Option<i64>,
}

/// Flattens steps depth-first. A step with a known start is placed by it; one without
/// follows its previous sibling (or starts with its parent).
pub(super) fn flatten<'a>(
    steps: &'a [Step],
    depth: usize,
    origin: Option<i64>,
    parent: Option<i64>,
    rows: &mut Vec<StepRow<'a>>,
) {
    if depth > MAX_STEP_DEPTH {
        return;
    }
    let mut cursor = parent;
    for step in steps {
        let offset = match (step_start_us(step), origin) {
            (Some(start), Some(origin)) => Some(start.saturating_sub(origin)),
            _ => cursor,
        };
        let duration = step_duration_us(step);
        rows.push(StepRow {
            step,
            depth,
            offset,
            duration,
        });
        flatten(&step.steps, depth + 1, origin, offset, rows);
        cursor = match (offset, duration) {
            (Some(o), Some(d)) => Some(o.saturating_add(d)),
            _ => offset.or(cursor),
        };
    }
}

/// The origin of an execution's waterfall: its start, else its earliest step start.
pub(super) fn waterfall_origin(entry: &Entry<'_>) -> Option<i64> {
    pub(super) fn earliest(steps: &[Step], depth: usize) -> Option<i64> {
        if depth > MAX_STEP_DEPTH {
            return None;
        }
        steps
            .iter()
            .flat_map(|s| [step_start_us(s), earliest(&s.steps, depth + 1)])
            .flatten()
            .min()
    }
    entry.span.start.or_else(|| earliest(&entry.exec.steps, 0))
}

/// The steps as rows of bars proportional to their durations, nested steps indented.
pub(super) fn waterfall(entry: &Entry<'_>) -> Markup {
    let e = entry.exec;
    if e.steps.is_empty() {
        return html! { p class="cut" { "No steps recorded." } };
    }
    let mut rows = Vec::new();
    flatten(&e.steps, 0, waterfall_origin(entry), Some(0), &mut rows);
    let exec_len = exec_duration_ms(e, entry.span).map_or(0, ms_to_us);
    let rows_len = rows
        .iter()
        .map(|r| {
            r.offset
                .unwrap_or(0)
                .saturating_add(r.duration.unwrap_or(0))
        })
        .max()
        .unwrap_or(0);
    let total = exec_len.max(rows_len).max(1);
    let mut output_left = EXEC_OUTPUT_LIMIT;
    let drawn: Vec<Markup> = rows
        .iter()
        .take(MAX_STEP_ROWS)
        .map(|row| step_row(row, total, &mut output_left))
        .collect();
    html! {
        div class="wf" {
            @for row in &drawn { "\n" (row) }
        }
        @if rows.len() > MAX_STEP_ROWS {
            p class="cut" {
                (plural(rows.len() - MAX_STEP_ROWS, "step"))
                " more left out (at most " (MAX_STEP_ROWS) " are drawn)."
            }
        }
    }
}

/// One waterfall row: name (indented), bar, duration, and the output when there is one.
pub(super) fn step_row(row: &StepRow<'_>, total: i64, output_left: &mut usize) -> Markup {
    let step = row.step;
    let classes = status_classes(step.status);
    let left = pct(row.offset.unwrap_or(0) as f64 * 100.0 / total as f64);
    let width = row.duration.map(|d| pct(d as f64 * 100.0 / total as f64));
    let duration = row
        .duration
        .map_or_else(|| "—".to_owned(), |d| fmt_duration_ms(d / 1000));
    let output = step
        .output
        .as_deref()
        .map(|text| step_output(text, output_left));
    html! {
        div class={ "wf-row " (classes) } data-status=(step.status.name())
            title=(clean(&step_tooltip(step))) {
            div class="wf-name" {
                span class="kind" { (clean(step.kind)) }
                span class="nm" style={ "padding-left:" (row.depth.min(12) * 16) "px" } {
                    (clean(&step.name))
                }
                @if let Some(code) = step.exit_code.filter(|&c| c != 0) {
                    span class="exit" { "exit " (code) }
                }
            }
            div class="wf-track" {
                @if let Some(width) = width {
                    div class={ "wf-bar " (classes) } style={ "left:" (left) ";width:" (width) } {}
                } @else {
                    div class={ "wf-bar nodur " (classes) } style={ "left:" (left) } {}
                }
            }
            div class="wf-dur" { (duration) }
            @if let Some(output) = output {
                details class="wf-out" open[step.status.is_failure()] {
                    summary { "output" }
                    (output)
                }
            }
        }
    }
}

/// A step's output, cut to what is left of the execution's share of the page
/// (`output_left`, bytes, lowered by what this one shows).
fn step_output(text: &str, output_left: &mut usize) -> Markup {
    if *output_left == 0 {
        return html! {
            p class="cut" {
                "Output left out: this execution's outputs fill the "
                (EXEC_OUTPUT_LIMIT >> 10) " KiB the page gives each."
            }
        };
    }
    let limit = STEP_OUTPUT_LIMIT.min(*output_left);
    *output_left -= text.len().min(limit);
    pre("output", text, limit)
}

/// A step's tooltip: name, kind, status, duration, exit code, start, source.
pub(super) fn step_tooltip(step: &Step) -> String {
    let mut lines = vec![
        step.name.clone(),
        format!("{} · {}", step.kind, step.status.name()),
    ];
    let duration =
        step_duration_us(step).map_or_else(|| "unknown".to_owned(), |d| fmt_duration_ms(d / 1000));
    lines.push(format!("duration {duration}"));
    if let Some(code) = step.exit_code {
        lines.push(format!("exit code {code}"));
    }
    if let Some(start) = step_start_us(step) {
        lines.push(format!("started {}", fmt_time(start)));
    }
    if let Some(source) = &step.source {
        lines.push(format!("source {}:{}", source.file, source.line));
    }
    lines.join("\n")
}

/// The result events, when there are any.
pub(super) fn events(e: &Execution) -> Markup {
    html! {
        @if !e.events.is_empty() {
            h4 { "Result events" }
            table class="events" {
                @for event in &e.events {
                    @let when = event
                        .timestamp_ms
                        .map_or_else(String::new, |ms| fmt_time(ms_to_us(ms)));
                    tr {
                        td { (clean(&when)) }
                        td { (clean(event.severity.as_deref().unwrap_or(""))) }
                        td { (clean(&event.msg)) }
                    }
                }
            }
        }
    }
}
