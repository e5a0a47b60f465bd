//! The per-execution sections: summary, facts, error text and the steps' waterfall.

use super::*;

// ----------------------------------------------------------------------------------------
// Per-execution sections.

/// The executions, lane by lane, each a collapsible section.
pub(super) fn sections(out: &mut String, report: &Report<'_>) -> fmt::Result {
    out.push_str("<section class=\"executions\">\n<h2>Executions</h2>\n");
    let mut failures_opened = 0;
    for lane in &report.lanes {
        write!(out, "<section class=\"lane-execs\"><h3>{}", esc(lane.host))?;
        if let Some(instance) = lane.instance {
            write!(out, " <span class=\"inst\">{}</span>", esc(instance))?;
        }
        out.push_str("</h3>\n");
        let mut left_out = 0;
        for entry in &lane.entries {
            if out.len() > PAGE_DETAIL_LIMIT {
                left_out += 1;
                continue;
            }
            let open = entry.exec.status.is_failure() && failures_opened < OPEN_FAILURES_LIMIT;
            failures_opened += usize::from(open);
            execution(out, entry, open)?;
        }
        if left_out > 0 {
            writeln!(
                out,
                "<p class=\"cut\">{} left out of the details here: the page holds at most {} MiB of them (<code>eblog commands --json</code> lists every one).</p>",
                plural(left_out, "execution"),
                PAGE_DETAIL_LIMIT >> 20
            )?;
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
    Ok(())
}

/// One execution's section.
pub(super) fn execution(out: &mut String, entry: &Entry<'_>, open: bool) -> fmt::Result {
    let e = entry.exec;
    write!(
        out,
        "<details class=\"exec {}\" id=\"exec-{}\" data-status=\"{}\"{}>",
        status_classes(e.status),
        entry.index,
        e.status.name(),
        if open { " open" } else { "" }
    )?;
    summary(out, entry)?;
    out.push_str("<div class=\"exec-body\">\n");
    facts(out, entry)?;
    if let Some(error) = &e.error {
        out.push_str("<h4>Error</h4>\n");
        pre(out, "error", error, ERROR_TEXT_LIMIT)?;
    }
    out.push_str("<h4>Steps</h4>\n");
    waterfall(out, entry)?;
    events(out, e)?;
    out.push_str("</div></details>\n");
    Ok(())
}

/// The summary line: status, command, start, duration, failed step.
pub(super) fn summary(out: &mut String, entry: &Entry<'_>) -> fmt::Result {
    let e = entry.exec;
    write!(
        out,
        "<summary><span class=\"badge {}\">{}</span><span class=\"cmd\">{}</span>",
        status_class(e.status),
        e.status.name(),
        esc(&e.command)
    )?;
    let when = entry
        .span
        .start
        .map_or_else(|| "start unknown".to_owned(), fmt_time);
    write!(out, "<span class=\"when\">{}</span>", esc(&when))?;
    if let Some(ms) = exec_duration_ms(e, entry.span) {
        write!(out, "<span class=\"dur\">{}</span>", fmt_duration_ms(ms))?;
    }
    if let Some(step) = &e.failed_step {
        write!(out, "<span class=\"fstep\">failed at {}</span>", esc(step))?;
    }
    out.push_str("</summary>\n");
    Ok(())
}

/// The facts list: command, id, platform, host, instance, times, status, return code,
/// failed step, sources.
pub(super) fn facts(out: &mut String, entry: &Entry<'_>) -> fmt::Result {
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
    out.push_str("<dl class=\"facts\">");
    for (label, value) in rows {
        if let Some(value) = value {
            write!(out, "<dt>{label}</dt><dd>{}</dd>", esc(value))?;
        }
    }
    if let Some(sources) = sources {
        write!(out, "<dt>Sources</dt><dd>{}</dd>", esc(&sources))?;
    }
    out.push_str("</dl>\n");
    Ok(())
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

/// Text in a `<pre>`, escaped and cut at `limit` bytes.
pub(super) fn pre(out: &mut String, class: &str, text: &str, limit: usize) -> fmt::Result {
    let (shown, cut) = truncate(text, limit);
    write!(out, "<pre class=\"{class}\">{}</pre>", esc(shown))?;
    if cut {
        write!(
            out,
            "<div class=\"cut\">… cut at {} KiB of {} KiB</div>",
            limit / 1024,
            text.len() / 1024
        )?;
    }
    out.push('\n');
    Ok(())
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
pub(super) fn waterfall(out: &mut String, entry: &Entry<'_>) -> fmt::Result {
    let e = entry.exec;
    if e.steps.is_empty() {
        out.push_str("<p class=\"cut\">No steps recorded.</p>\n");
        return Ok(());
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
    out.push_str("<div class=\"wf\">\n");
    let mut output_left = EXEC_OUTPUT_LIMIT;
    for row in rows.iter().take(MAX_STEP_ROWS) {
        step_row(out, row, total, &mut output_left)?;
    }
    out.push_str("</div>\n");
    if rows.len() > MAX_STEP_ROWS {
        writeln!(
            out,
            "<p class=\"cut\">{} more left out (at most {MAX_STEP_ROWS} are drawn).</p>",
            plural(rows.len() - MAX_STEP_ROWS, "step")
        )?;
    }
    Ok(())
}

/// One waterfall row: name (indented), bar, duration, and the output when there is one.
pub(super) fn step_row(
    out: &mut String,
    row: &StepRow<'_>,
    total: i64,
    output_left: &mut usize,
) -> fmt::Result {
    let step = row.step;
    let classes = status_classes(step.status);
    write!(
        out,
        "<div class=\"wf-row {classes}\" data-status=\"{}\" title=\"{}\"><div class=\"wf-name\"><span class=\"kind\">{}</span><span class=\"nm\" style=\"padding-left:{}px\">{}</span>",
        step.status.name(),
        esc(&step_tooltip(step)),
        esc(step.kind),
        row.depth.min(12) * 16,
        esc(&step.name)
    )?;
    if let Some(code) = step.exit_code.filter(|&c| c != 0) {
        write!(out, "<span class=\"exit\">exit {code}</span>")?;
    }
    out.push_str("</div><div class=\"wf-track\">");
    let left = row.offset.unwrap_or(0) as f64 * 100.0 / total as f64;
    match row.duration {
        Some(d) => write!(
            out,
            "<div class=\"wf-bar {classes}\" style=\"left:{};width:{}\"></div>",
            pct(left),
            pct(d as f64 * 100.0 / total as f64)
        )?,
        None => write!(
            out,
            "<div class=\"wf-bar nodur {classes}\" style=\"left:{}\"></div>",
            pct(left)
        )?,
    }
    let duration = row
        .duration
        .map_or_else(|| "—".to_owned(), |d| fmt_duration_ms(d / 1000));
    write!(out, "</div><div class=\"wf-dur\">{duration}</div>")?;
    if let Some(output) = &step.output {
        let open = if step.status.is_failure() {
            " open"
        } else {
            ""
        };
        write!(
            out,
            "<details class=\"wf-out\"{open}><summary>output</summary>"
        )?;
        if *output_left == 0 {
            write!(
                out,
                "<p class=\"cut\">Output left out: this execution's outputs fill the {} KiB the page gives each.</p>",
                EXEC_OUTPUT_LIMIT >> 10
            )?;
        } else {
            let limit = STEP_OUTPUT_LIMIT.min(*output_left);
            pre(out, "output", output, limit)?;
            *output_left -= output.len().min(limit);
        }
        out.push_str("</details>");
    }
    out.push_str("</div>\n");
    Ok(())
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
pub(super) fn events(out: &mut String, e: &Execution) -> fmt::Result {
    if e.events.is_empty() {
        return Ok(());
    }
    out.push_str("<h4>Result events</h4>\n<table class=\"events\">");
    for event in &e.events {
        let when = event
            .timestamp_ms
            .map_or_else(String::new, |ms| fmt_time(ms_to_us(ms)));
        write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&when),
            esc(event.severity.as_deref().unwrap_or("")),
            esc(&event.msg)
        )?;
    }
    out.push_str("</table>\n");
    Ok(())
}
