//! The human table of command executions (`eblog commands`, `eblog show deploys`) and the
//! small renderers both use: durations, host labels, times, JSON lines. It imports
//! nothing of the commands that print it, so `collect` and `commands` both build on it.
#![forbid(unsafe_code)]

use super::table::{Cell, Keep, Shrink, Table};
use crate::correlate::Status;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

/// One row of the human table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    /// Start, compact (`2022-06-14 16:27:47`, UTC), or `-`.
    pub start: String,
    /// The instance id, when the logs name it.
    pub instance: Option<String>,
    /// Where the logs came from (`samples/al2`, `bundle.zip!/var/log`).
    pub host: String,
    /// The command.
    pub command: String,
    /// How it ended.
    pub status: Status,
    /// `20.3s`.
    pub duration: String,
    /// The failing step's path, or empty.
    pub failed_step: String,
}

/// How the table is printed.
#[derive(Debug, Clone, Copy)]
pub(super) struct TableStyle {
    /// Colour the status.
    pub colour: bool,
    /// Fit to this width (`None`: `--wide`).
    pub width: Option<usize>,
}

/// What the table says when it has no rows: how many executions there were before
/// `--failed`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Empty {
    /// Executions that passed the other filters.
    pub seen: usize,
    /// Whether `--failed` was given.
    pub failed_only: bool,
}

/// One JSON line of `value`.
pub(super) fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The colour of a status in tables.
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

/// `2022-06-14 16:27` (UTC, to the minute) of an RFC 3339 time; other text as it is.
pub(super) fn compact_time(ts: &str) -> String {
    time_as(ts, "%Y-%m-%d %H:%M")
}

/// An RFC 3339 time in UTC in `form`; other text as it is.
pub(super) fn time_as(ts: &str, form: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(ts) {
        Ok(dt) => dt.with_timezone(&chrono::Utc).format(form).to_string(),
        Err(_) => ts.to_owned(),
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
