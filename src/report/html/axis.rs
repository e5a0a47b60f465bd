//! The time axis: the span shown, its ticks and their labels.

use super::*;

// ----------------------------------------------------------------------------------------
// The time axis.

/// The timeline's extent and its tick marks.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Axis {
    pub(super) start: i64,
    pub(super) end: i64,
}

/// Tick intervals to choose from, in seconds: 1 s up to a year.
pub(super) const TICK_STEPS_S: [i64; 22] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    172_800, 604_800, 2_592_000, 31_536_000,
];
/// Aim for at most this many ticks.
pub(super) const MAX_TICKS: i64 = 10;

impl Axis {
    /// The extent `start..end` widened to at least [`MIN_SPAN_US`] and padded by 2% on
    /// each side so bars do not touch the edges.
    pub(super) fn padded(start: i64, end: i64) -> Self {
        let span = end.saturating_sub(start).max(MIN_SPAN_US);
        let pad = span / 50;
        let start = start.saturating_sub(pad);
        Axis {
            start,
            end: start.saturating_add(span).saturating_add(2 * pad),
        }
    }

    pub(super) fn len(&self) -> i64 {
        self.end.saturating_sub(self.start).max(1)
    }

    /// Where `t` lies on the axis, in percent.
    pub(super) fn pct(&self, t: i64) -> f64 {
        (t.saturating_sub(self.start)) as f64 * 100.0 / self.len() as f64
    }

    /// A length in microseconds as percent of the axis.
    pub(super) fn pct_len(&self, d: i64) -> f64 {
        d.max(0) as f64 * 100.0 / self.len() as f64
    }

    /// The tick interval in microseconds: the smallest that needs at most
    /// [`MAX_TICKS`] ticks.
    pub(super) fn tick_step(&self) -> i64 {
        let len = self.len();
        TICK_STEPS_S
            .iter()
            .map(|s| s * 1_000_000)
            .find(|step| len / step <= MAX_TICKS)
            .unwrap_or_else(|| (len / MAX_TICKS).max(1))
    }

    /// Tick instants: the multiples of the tick step (UTC-aligned) inside the axis.
    pub(super) fn ticks(&self) -> Vec<i64> {
        let step = self.tick_step();
        let first = self
            .start
            .div_euclid(step)
            .saturating_add(1)
            .saturating_mul(step);
        let mut ticks = Vec::new();
        let mut t = first;
        while t <= self.end && ticks.len() as i64 <= MAX_TICKS * 2 {
            ticks.push(t);
            t = t.saturating_add(step);
        }
        ticks
    }

    /// The strftime format for tick labels, by tick step and span.
    pub(super) fn tick_format(&self) -> &'static str {
        let step = self.tick_step();
        let multi_day = date_of(self.start) != date_of(self.end);
        if step >= 86_400_000_000 {
            "%Y-%m-%d"
        } else if multi_day {
            "%m-%d %H:%M"
        } else if step >= 60_000_000 {
            "%H:%M"
        } else {
            "%H:%M:%S"
        }
    }
}

/// The UTC calendar date of an instant, for comparing days.
pub(super) fn date_of(us: i64) -> Option<chrono::NaiveDate> {
    chrono::DateTime::from_timestamp_micros(us).map(|dt| dt.date_naive())
}

/// Formats an instant with a strftime format, in UTC.
pub(super) fn fmt_instant(us: i64, format: &str) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .map(|dt| dt.format(format).to_string())
        .unwrap_or_else(|| "?".to_owned())
}

/// An instant as `2019-03-04 17:22:05Z`.
pub(super) fn fmt_time(us: i64) -> String {
    fmt_instant(us, "%Y-%m-%d %H:%M:%SZ")
}

/// A duration in milliseconds as `850 ms`, `12.3 s`, `4m 05s`, `2h 07m` or `3d 04h`.
pub(super) fn fmt_duration_ms(ms: i64) -> String {
    match ms {
        ms if ms < 0 => "?".to_owned(),
        ms if ms < 1000 => format!("{ms} ms"),
        ms if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        ms if ms < 3_600_000 => format!("{}m {:02}s", ms / 60_000, ms / 1000 % 60),
        ms if ms < 86_400_000 => format!("{}h {:02}m", ms / 3_600_000, ms / 60_000 % 60),
        ms => format!("{}d {:02}h", ms / 86_400_000, ms / 3_600_000 % 24),
    }
}
