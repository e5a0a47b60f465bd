//! Record filters shared by `parse`, `show`, `commands` and `diagnose`: a time window, a
//! minimum normalised severity, kinds, formats, hosts and a regular expression over the
//! message. They are applied where records are made (on the scanner's workers), before
//! any output.
#![forbid(unsafe_code)]

use crate::record::{Format, Record, Severity, KINDS};
use crate::sink::Encoder;
use crate::sink::RecordSink;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use regex::Regex;
use std::io;

/// Which records to keep; an empty filter keeps them all.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Keep records at or after this instant (µs since the epoch).
    pub since: Option<i64>,
    /// Keep records before this instant (µs since the epoch).
    pub until: Option<i64>,
    /// Keep records at least this severe ([`Severity::of`]).
    pub min_severity: Option<Severity>,
    /// Keep records of these kinds (empty: all).
    pub kinds: Vec<&'static str>,
    /// Keep records of these formats (empty: all).
    pub formats: Vec<Format>,
    /// Keep records whose instance id or host ([`crate::correlate::host_of`]) contains
    /// one of these (empty: all).
    pub hosts: Vec<String>,
    /// Keep records whose message matches.
    pub grep: Option<Regex>,
}

impl RecordFilter {
    /// Whether the filter keeps every record (and so need not be applied).
    pub fn is_empty(&self) -> bool {
        self.since.is_none()
            && self.until.is_none()
            && self.min_severity.is_none()
            && self.kinds.is_empty()
            && self.formats.is_empty()
            && self.hosts.is_empty()
            && self.grep.is_none()
    }

    /// Whether `record` passes. A record without a time fails a time bound, and one
    /// without a severity fails `min_severity`.
    pub fn matches(&self, record: &Record) -> bool {
        if !self.kinds.is_empty() && !self.kinds.contains(&record.kind()) {
            return false;
        }
        if !self.formats.is_empty() && !record.format.is_some_and(|f| self.formats.contains(&f)) {
            return false;
        }
        if let Some(min) = self.min_severity {
            let severity = Severity::of(record);
            if severity.is_none_or(|s| s < min) {
                return false;
            }
        }
        if (self.since.is_some() || self.until.is_some()) && !self.in_window(record) {
            return false;
        }
        if !self.hosts.is_empty() && !self.host_matches(record) {
            return false;
        }
        self.grep
            .as_ref()
            .is_none_or(|re| re.is_match(&record.message))
    }

    fn in_window(&self, record: &Record) -> bool {
        let Some(us) = crate::correlate::micros(record.ts.as_deref()) else {
            return false;
        };
        self.contains(us)
    }

    /// Whether an instant is inside `[since, until)`.
    pub fn contains(&self, us: i64) -> bool {
        self.since.is_none_or(|s| us >= s) && self.until.is_none_or(|u| us < u)
    }

    fn host_matches(&self, record: &Record) -> bool {
        let host = crate::correlate::host_of(&record.source);
        self.hosts.iter().any(|want| {
            host.contains(want.as_str())
                || record
                    .instance_id
                    .as_deref()
                    .is_some_and(|id| id.contains(want.as_str()))
        })
    }

    /// Whether a host (its label and instance id) passes `--host`.
    pub fn host_passes(&self, host: &str, instance_id: Option<&str>) -> bool {
        self.hosts.is_empty()
            || self.hosts.iter().any(|want| {
                host.contains(want.as_str())
                    || instance_id.is_some_and(|id| id.contains(want.as_str()))
            })
    }
}

/// The kind named `name`, as the records spell it; an error lists a few known ones.
///
/// # Errors
/// No kind has that name.
pub fn kind_named(name: &str) -> Result<&'static str, String> {
    KINDS
        .iter()
        .find(|k| k.kind == name)
        .map(|k| k.kind)
        .ok_or_else(|| {
            format!("{name:?} is not a record kind (`eblog formats --kinds` lists them)")
        })
}

/// A regular expression over messages; smart case, like `journalctl --grep`: a pattern
/// without upper-case letters matches any case.
///
/// # Errors
/// The pattern is not a valid regular expression.
pub fn grep_pattern(pattern: &str) -> Result<Regex, String> {
    let insensitive = !pattern.chars().any(char::is_uppercase);
    regex::RegexBuilder::new(pattern)
        .case_insensitive(insensitive)
        .build()
        .map_err(|e| format!("{pattern:?} is not a regular expression: {e}"))
}

/// A time as `--since`/`--until` take it, in µs since the epoch: RFC 3339
/// (`2022-06-14T16:27:47Z`, `...+02:00`), a date or date and time in UTC (`2022-06-14`,
/// `2022-06-14 16:27[:47]`, with a `T` or a space), `now`, `today` and `yesterday`
/// (midnight UTC), or a time before `now`: a number and a unit (`90s`, `30m`, `2h`,
/// `3d`, `1w`), optionally followed by `ago`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let now = Utc.with_ymd_and_hms(2022, 6, 14, 12, 0, 0).unwrap();
/// let two_hours_ago = Utc.with_ymd_and_hms(2022, 6, 14, 10, 0, 0).unwrap();
/// assert_eq!(eblog::filter::parse_time("2h", now), Ok(two_hours_ago.timestamp_micros()));
/// ```
///
/// # Errors
/// The text is none of these forms; the message lists them.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Ok(dt.timestamp_micros());
    }
    // `2022-06-14T17:00Z`: RFC 3339 without seconds, and the naive forms, in UTC.
    let naive_text = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    for form in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(naive_text, form) {
            return Ok(naive.and_utc().timestamp_micros());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return midnight(date);
    }
    let today = now.date_naive();
    match text.to_ascii_lowercase().as_str() {
        "now" => return Ok(now.timestamp_micros()),
        "today" => return midnight(today),
        "yesterday" => return midnight(today - Duration::days(1)),
        _ => {}
    }
    if let Some(ago) = relative(text) {
        return Ok(now.timestamp_micros().saturating_sub(ago));
    }
    Err(format!(
        "{text:?} is not a time: expected RFC 3339, YYYY-MM-DD[ HH:MM[:SS]] (UTC), \
         today, yesterday, now, or a time ago such as 90s, 30m, 2h, 3d, 1w"
    ))
}

fn midnight(date: NaiveDate) -> Result<i64, String> {
    date.and_hms_opt(0, 0, 0)
        .map(|naive| naive.and_utc().timestamp_micros())
        .ok_or_else(|| format!("{date} has no midnight"))
}

/// Microseconds of `2h`, `30 min`, `3d ago`; `None` for anything else.
fn relative(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('-');
    let text = text.strip_suffix("ago").unwrap_or(text).trim_end();
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(digits);
    let number: i64 = number.parse().ok()?;
    let seconds: i64 = match unit.trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 7 * 86_400,
        _ => return None,
    };
    number.checked_mul(seconds)?.checked_mul(1_000_000)
}

/// An encoder that drops the records a filter rejects before encoding the rest.
pub struct Filtered<'f, E> {
    /// The filter.
    pub filter: &'f RecordFilter,
    /// The encoder of the records kept.
    pub inner: E,
}

impl<E: Encoder> Encoder for Filtered<'_, E> {
    type Chunk = E::Chunk;

    fn encode(&self, mut records: Vec<Record>) -> io::Result<E::Chunk> {
        if !self.filter.is_empty() {
            records.retain(|r| self.filter.matches(r));
        }
        self.inner.encode(records)
    }
}

/// A sink that passes on the records a filter keeps.
pub struct FilteredSink<'f, S> {
    /// The filter.
    pub filter: &'f RecordFilter,
    /// Where kept records go.
    pub inner: S,
}

impl<S: RecordSink> RecordSink for FilteredSink<'_, S> {
    fn record(&mut self, record: &Record) -> io::Result<()> {
        if self.filter.matches(record) {
            self.inner.record(record)
        } else {
            Ok(())
        }
    }

    fn record_owned(&mut self, record: Record) -> io::Result<()> {
        if self.filter.matches(&record) {
            self.inner.record_owned(record)
        } else {
            Ok(())
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{test_record, Event};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2022, 6, 14, 12, 30, 0).unwrap()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .unwrap()
            .timestamp_micros()
    }

    #[test]
    fn times_in_every_form() {
        let cases = [
            ("2022-06-14T16:27:47Z", at(2022, 6, 14, 16, 27, 47)),
            ("2022-06-14T18:27:47+02:00", at(2022, 6, 14, 16, 27, 47)),
            ("2022-06-14 16:27:47", at(2022, 6, 14, 16, 27, 47)),
            ("2022-06-14T16:27", at(2022, 6, 14, 16, 27, 0)),
            ("2022-06-14T16:27Z", at(2022, 6, 14, 16, 27, 0)),
            ("2022-06-14", at(2022, 6, 14, 0, 0, 0)),
            ("today", at(2022, 6, 14, 0, 0, 0)),
            ("yesterday", at(2022, 6, 13, 0, 0, 0)),
            ("now", at(2022, 6, 14, 12, 30, 0)),
            ("2h", at(2022, 6, 14, 10, 30, 0)),
            ("3d", at(2022, 6, 11, 12, 30, 0)),
            ("90s", at(2022, 6, 14, 12, 28, 30)),
            ("30 min ago", at(2022, 6, 14, 12, 0, 0)),
            ("1w", at(2022, 6, 7, 12, 30, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_time(text, now()), Ok(expected), "{text}");
        }
        for bad in [
            "2 fortnights",
            "h",
            "",
            "2022-13-01",
            "99999999999999999999h",
        ] {
            let e = parse_time(bad, now()).unwrap_err();
            assert!(e.contains("is not a time"), "{bad}: {e}");
        }
    }

    fn record(ts: Option<&str>, level: Option<&str>, message: &str) -> Record {
        let mut r = test_record(1, ts, Event::Other, message);
        r.level = level.map(str::to_owned);
        r
    }

    #[test]
    fn each_filter_keeps_what_it_names() {
        let r = record(Some("2022-06-14T10:00:00Z"), Some("WARNING"), "Disk Full");
        let keep = |f: RecordFilter| f.matches(&r);
        assert!(keep(RecordFilter::default()));
        let window = |since, until| RecordFilter {
            since,
            until,
            ..RecordFilter::default()
        };
        assert!(keep(window(Some(at(2022, 6, 14, 10, 0, 0)), None)));
        assert!(!keep(window(Some(at(2022, 6, 14, 10, 0, 1)), None)));
        assert!(
            !keep(window(None, Some(at(2022, 6, 14, 10, 0, 0)))),
            "until excludes"
        );
        let level = |min| RecordFilter {
            min_severity: Some(min),
            ..RecordFilter::default()
        };
        assert!(keep(level(Severity::Warn)));
        assert!(!keep(level(Severity::Error)));
        let kinds = |k| RecordFilter {
            kinds: vec![k],
            ..RecordFilter::default()
        };
        assert!(keep(kinds("other")));
        assert!(!keep(kinds("error")));
        let formats = |f| RecordFilter {
            formats: vec![f],
            ..RecordFilter::default()
        };
        assert!(keep(formats(Format::CfnHup)));
        assert!(!keep(formats(Format::Engine)));
        let hosts = |h: &str| RecordFilter {
            hosts: vec![h.to_owned()],
            ..RecordFilter::default()
        };
        assert!(keep(hosts("i-0abc1234")), "instance id");
        assert!(keep(hosts("logs/i-0abc")), "host path");
        assert!(!keep(hosts("i-0ffff")));
        let grep = |p: &str| RecordFilter {
            grep: Some(grep_pattern(p).unwrap()),
            ..RecordFilter::default()
        };
        assert!(
            keep(grep("disk full")),
            "smart case: lower case matches any"
        );
        assert!(
            !keep(grep("Disk FULL")),
            "an upper-case letter makes it exact"
        );
        assert!(keep(grep("^Disk")));
    }

    #[test]
    fn records_without_time_or_level_fail_those_filters() {
        let r = record(None, None, "x");
        let since = RecordFilter {
            since: Some(0),
            ..RecordFilter::default()
        };
        assert!(!since.matches(&r));
        let level = RecordFilter {
            min_severity: Some(Severity::Trace),
            ..RecordFilter::default()
        };
        assert!(!level.matches(&r));
    }

    #[test]
    fn kinds_and_patterns_are_checked() {
        assert_eq!(kind_named("command_failed"), Ok("command_failed"));
        assert!(kind_named("deploy")
            .unwrap_err()
            .contains("formats --kinds"));
        assert!(grep_pattern("(").is_err());
    }
}
