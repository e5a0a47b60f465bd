//! The page model: executions grouped into lanes (one per host/instance), with their
//! times resolved, before any markup.

use super::*;

// ----------------------------------------------------------------------------------------
// The view: executions grouped into lanes, with their times resolved.

/// Start and end of something, in microseconds since the epoch, where known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Interval {
    pub(super) start: Option<i64>,
    pub(super) end: Option<i64>,
}

/// One execution as the report places it.
pub(super) struct Entry<'a> {
    pub(super) exec: &'a Execution,
    /// Position in the input: the anchor `exec-N` links to its section.
    pub(super) index: usize,
    pub(super) span: Interval,
}

/// The executions of one host/instance, earliest first (those without times last).
pub(super) struct Lane<'a> {
    pub(super) host: &'a str,
    pub(super) instance: Option<&'a str>,
    pub(super) entries: Vec<Entry<'a>>,
}

/// Everything the page is drawn from.
pub(super) struct Report<'a> {
    pub(super) total: usize,
    pub(super) lanes: Vec<Lane<'a>>,
    /// The timeline's extent (padded), when any execution has a time.
    pub(super) axis: Option<Axis>,
    /// The first start and last end, unpadded, for the header.
    pub(super) span: Option<(i64, i64)>,
}

impl<'a> Report<'a> {
    pub(super) fn new(executions: &'a [Execution]) -> Self {
        let mut groups: BTreeMap<(&'a str, Option<&'a str>), Vec<Entry<'a>>> = BTreeMap::new();
        for (index, exec) in executions.iter().enumerate() {
            let entry = Entry {
                exec,
                index,
                span: exec_interval(exec),
            };
            groups
                .entry((exec.host.as_str(), exec.instance_id.as_deref()))
                .or_default()
                .push(entry);
        }
        let lanes: Vec<Lane<'a>> = groups
            .into_iter()
            .map(|((host, instance), mut entries)| {
                entries.sort_by_key(|e| {
                    (
                        e.span.start.or(e.span.end).is_none(),
                        e.span.start.or(e.span.end),
                        e.index,
                    )
                });
                Lane {
                    host,
                    instance,
                    entries,
                }
            })
            .collect();
        let span = overall_span(&lanes);
        Report {
            total: executions.len(),
            lanes,
            axis: span.map(|(a, b)| Axis::padded(a, b)),
            span,
        }
    }

    pub(super) fn count(&self, status: Status) -> usize {
        self.entries().filter(|e| e.exec.status == status).count()
    }

    pub(super) fn entries(&self) -> impl Iterator<Item = &Entry<'a>> {
        self.lanes.iter().flat_map(|lane| lane.entries.iter())
    }
}

/// The earliest and latest instant of any execution.
pub(super) fn overall_span(lanes: &[Lane<'_>]) -> Option<(i64, i64)> {
    let instants = lanes
        .iter()
        .flat_map(|lane| lane.entries.iter())
        .flat_map(|e| [e.span.start, e.span.end])
        .flatten();
    instants.fold(None, |acc, t| match acc {
        None => Some((t, t)),
        Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
    })
}

/// Parses an RFC 3339 timestamp into microseconds since the epoch.
pub(super) fn parse_us(ts: Option<&str>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(ts?)
        .ok()
        .map(|dt| dt.timestamp_micros())
}

/// Milliseconds to microseconds, saturating.
pub(super) fn ms_to_us(ms: i64) -> i64 {
    ms.saturating_mul(1000)
}

/// An execution's start and end: the internal microseconds, else the RFC 3339 strings,
/// else start plus duration. An end before the start is clamped to the start.
pub(super) fn exec_interval(e: &Execution) -> Interval {
    let start = e.start_us.or_else(|| parse_us(e.started.as_deref()));
    let end = e
        .end_us
        .or_else(|| parse_us(e.finished.as_deref()))
        .or_else(|| Some(start?.saturating_add(ms_to_us(e.duration_ms?))));
    Interval {
        start,
        end: end.map(|end| start.map_or(end, |s| end.max(s))),
    }
}

/// An execution's duration in milliseconds: as recorded, else from its interval.
pub(super) fn exec_duration_ms(e: &Execution, span: Interval) -> Option<i64> {
    e.duration_ms
        .or_else(|| Some(span.end?.saturating_sub(span.start?) / 1000))
}

/// A step's start in microseconds, where known.
pub(super) fn step_start_us(step: &Step) -> Option<i64> {
    step.start_us.or_else(|| parse_us(step.started.as_deref()))
}

/// A step's duration in microseconds: as recorded, else from its internal end.
pub(super) fn step_duration_us(step: &Step) -> Option<i64> {
    step.duration_ms
        .map(ms_to_us)
        .or_else(|| Some(step.end_us?.saturating_sub(step_start_us(step)?)))
        .map(|d| d.max(0))
}
