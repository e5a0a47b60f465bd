//! The year of year-less stamps (web.stdout.log's syslog lines), from the same host's
//! other logs.
//!
//! Decoding a file alone, eblog takes the year from the file's first `YYYY-MM-DD` date,
//! else from its modification time, and files copied from git or S3 have fresh ones. The
//! host's other logs (the engine's, nginx's, cfn-init's) write whole dates: when the
//! application's year is not one of theirs, its lines take the year of the host's latest
//! record, the year before for months after that record's (as syslog's own rule).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::BTreeSet;

/// The years the records of one host name, and its latest instant.
#[derive(Default, Debug)]
pub(crate) struct HostYears {
    years: BTreeSet<i32>,
    latest_us: Option<i64>,
}

impl HostYears {
    /// Notes one dated record of the host (not a year-less one).
    pub fn add(&mut self, us: i64) {
        if let Some(dt) = DateTime::<Utc>::from_timestamp_micros(us) {
            self.years.insert(dt.year());
            self.latest_us = Some(self.latest_us.map_or(us, |l| l.max(us)));
        }
    }

    /// The instant of a year-less line stamped `us`, in the host's year; `us` itself when
    /// its year is one of the host's or the host names none.
    pub fn adjust(&self, us: i64) -> i64 {
        self.year_for(us)
            .and_then(|year| with_year(us, year))
            .unwrap_or(us)
    }

    /// The year the host gives a line stamped `us`, when it differs from the line's own.
    pub fn year_for(&self, us: i64) -> Option<i32> {
        let line = DateTime::<Utc>::from_timestamp_micros(us)?;
        if self.years.contains(&line.year()) {
            return None;
        }
        let latest = DateTime::<Utc>::from_timestamp_micros(self.latest_us?)?;
        Some(if line.month() > latest.month() {
            latest.year() - 1
        } else {
            latest.year()
        })
    }
}

/// `us` with its year replaced (`None` for 29 February in a common year).
fn with_year(us: i64, year: i32) -> Option<i64> {
    let dt = DateTime::<Utc>::from_timestamp_micros(us)?;
    let date = NaiveDate::from_ymd_opt(year, dt.month(), dt.day())?;
    Some(date.and_time(dt.time()).and_utc().timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_micros()
    }

    #[test]
    fn a_guessed_year_gives_way_to_the_hosts() {
        let mut host = HostYears::default();
        host.add(us("2022-10-03T17:30:02Z"));
        host.add(us("2022-10-03T17:39:54Z"));
        let line = us("2026-10-03T17:30:12Z");
        assert_eq!(host.year_for(line), Some(2022));
        assert_eq!(host.adjust(line), us("2022-10-03T17:30:12Z"));
        // December lines before a January engine log are the year before.
        let mut january = HostYears::default();
        january.add(us("2023-01-02T08:00:00Z"));
        assert_eq!(
            january.adjust(us("2026-12-31T23:59:59Z")),
            us("2022-12-31T23:59:59Z")
        );
    }

    #[test]
    fn a_year_the_host_names_and_a_host_without_dates_change_nothing() {
        let mut host = HostYears::default();
        host.add(us("2022-10-03T17:30:02Z"));
        let line = us("2022-10-03T17:30:12Z");
        assert_eq!(host.adjust(line), line);
        assert_eq!(
            HostYears::default().adjust(us("2026-01-01T00:00:00Z")),
            us("2026-01-01T00:00:00Z")
        );
        let leap = us("2024-02-29T10:00:00Z");
        assert_eq!(host.adjust(leap), leap, "no 29 February in 2022");
    }
}
