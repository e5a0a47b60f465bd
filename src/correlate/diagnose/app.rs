//! The application's side of a deploy the agents call a success: the proxy could not
//! reach it for a sustained time, and the crash in its output says why.

use super::{between, regex, source_of, Hint, Index};
use crate::correlate::{crash, Execution};
use crate::record::Record;
use regex::Regex;
use std::sync::LazyLock;

/// How long after a successful deploy upstream errors still count against it.
const AFTER_DEPLOY_US: i64 = 15 * 60 * 1_000_000;
/// An application that did not answer after a deploy is a finding when the proxy's
/// upstream errors last at least this long (first to last of the burst)...
const SUSTAINED_US: i64 = 60 * 1_000_000;
/// ... or number at least this many: a restart's single 502 is not.
const SUSTAINED_ERRORS: usize = 10;
static APP_ERROR: LazyLock<Regex> =
    LazyLock::new(|| regex(r"Error\b|Exception|Traceback|\bERR!|\bpanic|\bFATAL|\bfatal:"));
/// The most application lines a hint quotes.
const APP_LINES: usize = 10;

/// The first run of upstream errors no more than a minute apart.
fn first_burst<'a, 'r>(errors: &'a [(i64, &'r Record)]) -> &'a [(i64, &'r Record)] {
    const GAP_US: i64 = 60_000_000;
    let end = errors
        .windows(2)
        .position(|pair| pair[1].0 - pair[0].0 > GAP_US)
        .map_or(errors.len(), |i| i + 1);
    &errors[..end]
}

/// After a successful deploy: the proxy could not reach the application, for a minute or
/// more or ten times or more in its first burst of upstream errors (a blip is not
/// reported).
pub(super) fn app_unreachable(records: &Index<'_>, e: &Execution) -> Option<Hint> {
    let finished = e.end_us?;
    let host = records.host(&e.host)?;
    let refused = first_burst(between(
        &host.upstream_errors,
        finished,
        finished + AFTER_DEPLOY_US,
    ));
    let (burst_start, burst_end) = (refused.first()?.0, refused.last()?.0);
    if burst_end - burst_start < SUSTAINED_US && refused.len() < SUSTAINED_ERRORS {
        return None;
    }
    let gateway_errors = between(&host.gateway_errors, burst_start, burst_end + 1_000_000).len();
    let refused: Vec<&Record> = refused.iter().map(|(_, r)| *r).collect();
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
    let mut sources = vec![source_of(first)];
    // The application restarts during the deploy and may crash before it ends (and
    // its stamps may have whole seconds only); a crash loop prints over the whole
    // burst. So the output is read from the deploy's start to the burst's end.
    let from = e.start_us.unwrap_or(finished);
    let timed_lines = between(&host.app_lines, from, burst_end);
    let app_lines: Vec<&Record> = timed_lines.iter().map(|(_, r)| *r).collect();
    let texts: Vec<&str> = app_lines.iter().map(|r| r.message.as_str()).collect();
    let mut crash = crash::first_crash(&texts);
    if crash.is_none() {
        crash = undated_crash(&host.undated_app_lines, &mut message, &mut sources);
    } else if let Some(c) = &crash {
        message.push_str("; the application crashed:\n");
        message.push_str(&c.summary());
        sources.extend(app_lines.get(c.at).map(|r| source_of(r)));
    }
    match &crash {
        Some(_) => {}
        None => {
            let before: Vec<&Record> = timed_lines
                .iter()
                .skip_while(|(us, _)| *us < finished)
                .take_while(|(us, _)| *us <= burst_start)
                .map(|(_, r)| *r)
                .collect();
            let tail = output_tail(&before);
            if !tail.is_empty() {
                message.push_str("; the application's output before the first error:");
                for (line, count) in collapse(tail) {
                    message.push_str("\n  ");
                    message.push_str(line.trim_end());
                    if count > 1 {
                        message.push_str(&format!(" (x{count})"));
                    }
                }
            }
            sources.extend(tail.last().map(|r| source_of(r)));
        }
    }
    if let (Some(year), false) = (host.app_year, app_lines.is_empty()) {
        message.push_str(&format!(
            "\n(the application's stamps carry no year: {year}, from this host's other logs)"
        ));
    }
    Some(Hint {
        kind: "app_unreachable",
        message,
        sources,
        crash,
    })
}

/// The most undated lines (the end of an application log without time stamps) read for
/// a crash.
const UNDATED_LINES: usize = 2_000;

/// A crash at the end of the host's application logs that carry no time stamps at all
/// (`nodejs/nodejs.log`): they cannot be placed in the deploy's window, so the last
/// lines are read, and the hint says so.
fn undated_crash(
    lines: &[&Record],
    message: &mut String,
    sources: &mut Vec<crate::correlate::SourceRef>,
) -> Option<crash::Crash> {
    let tail = &lines[lines.len().saturating_sub(UNDATED_LINES)..];
    let texts: Vec<&str> = tail.iter().map(|r| r.message.as_str()).collect();
    let found = crash::first_crash(&texts)?;
    let record = tail.get(found.at)?;
    message.push_str(&format!(
        "; {} (no time stamps, so not placed in time) holds a crash:\n",
        record.source
    ));
    message.push_str(&found.summary());
    sources.push(source_of(record));
    Some(found)
}

/// The application's lines to quote when no crash is recognised: from a few lines
/// before the first line that looks like an error, else the last lines.
fn output_tail<'a, 'r>(lines: &'a [&'r Record]) -> &'a [&'r Record] {
    match lines.iter().position(|r| APP_ERROR.is_match(&r.message)) {
        Some(i) => {
            // A few lines of context: stack traces print the failing code above.
            let from = i.saturating_sub(3);
            &lines[from..lines.len().min(from + APP_LINES)]
        }
        None => &lines[lines.len().saturating_sub(APP_LINES)..],
    }
}

/// Runs of one repeated line, each with its count.
fn collapse<'r>(lines: &[&'r Record]) -> Vec<(&'r str, usize)> {
    let mut runs: Vec<(&'r str, usize)> = Vec::new();
    for record in lines {
        let text = record.message.as_str();
        match runs.last_mut() {
            Some((last, count)) if last.trim_end() == text.trim_end() => *count += 1,
            _ => runs.push((text, 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{test_record, Event};

    #[test]
    fn repeated_lines_collapse_with_their_count() {
        let records: Vec<Record> = [
            "retrying in 5s",
            "retrying in 5s",
            "retrying in 5s",
            "gave up",
        ]
        .iter()
        .enumerate()
        .map(|(i, m)| test_record(i as u64 + 1, None, Event::Other, m))
        .collect();
        let refs: Vec<&Record> = records.iter().collect();
        assert_eq!(collapse(&refs), [("retrying in 5s", 3), ("gave up", 1)]);
        // The tail starts a few lines above the first error-looking line.
        let lines: Vec<Record> = (0..20)
            .map(|i| {
                let text = if i == 12 {
                    "Error: boom".to_owned()
                } else {
                    format!("line {i}")
                };
                test_record(i + 1, None, Event::Other, &text)
            })
            .collect();
        let refs: Vec<&Record> = lines.iter().collect();
        let tail = output_tail(&refs);
        assert_eq!(tail.first().map(|r| r.line), Some(10));
        assert_eq!(tail.len(), APP_LINES);
    }
}
