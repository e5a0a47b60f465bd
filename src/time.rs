//! Turning the timestamps the agents write into RFC 3339 UTC strings.
//!
//! The Ruby logs are written in UTC. cfn-* logs are written in the instance's local time,
//! which is UTC on Elastic Beanstalk; [`Zone`] says otherwise (`--tz`).
#![forbid(unsafe_code)]

use chrono::{FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use eblog_grammars::common::Timestamp;
use std::str::FromStr;

/// The time zone local-time stamps were written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    /// Coordinated Universal Time (the default, and what EB instances use).
    #[default]
    Utc,
    /// A fixed offset such as `+02:00`.
    Fixed(FixedOffset),
    /// An IANA zone such as `Europe/Berlin`, with its daylight-saving rules.
    Named(chrono_tz::Tz),
}

impl FromStr for Zone {
    type Err = String;

    /// Accepts `UTC`/`Z`, `+HH:MM`/`-HHMM`, or an IANA name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("utc") || s == "Z" {
            return Ok(Zone::Utc);
        }
        if s.starts_with(['+', '-']) {
            let parsed = chrono::DateTime::parse_from_str(
                &format!("2000-01-01 00:00 {s}"),
                "%Y-%m-%d %H:%M %:z",
            )
            .or_else(|_| {
                chrono::DateTime::parse_from_str(
                    &format!("2000-01-01 00:00 {s}"),
                    "%Y-%m-%d %H:%M %z",
                )
            });
            return parsed
                .map(|dt| Zone::Fixed(*dt.offset()))
                .map_err(|_| format!("invalid UTC offset {s:?}: expected +HH:MM"));
        }
        s.parse::<chrono_tz::Tz>()
            .map(Zone::Named)
            .map_err(|_| format!("unknown time zone {s:?}: expected UTC, +HH:MM or an IANA name such as Europe/Berlin"))
    }
}

fn naive(ts: &Timestamp) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(i32::from(ts.year), u32::from(ts.month), u32::from(ts.day))?
        .and_hms_nano_opt(
            u32::from(ts.hour),
            u32::from(ts.minute),
            u32::from(ts.second),
            ts.nanos,
        )
}

fn to_utc(local: NaiveDateTime, zone: Zone) -> Option<NaiveDateTime> {
    let pick = |r: LocalResult<NaiveDateTime>| r.earliest();
    match zone {
        Zone::Utc => Some(local),
        Zone::Fixed(off) => pick(
            off.from_local_datetime(&local)
                .map(|d| d.with_timezone(&Utc).naive_utc()),
        ),
        Zone::Named(tz) => pick(
            tz.from_local_datetime(&local)
                .map(|d| d.with_timezone(&Utc).naive_utc()),
        ),
    }
}

/// Formats `ts` as RFC 3339 UTC (`2017-07-16T23:09:33.602Z`), keeping the number of
/// fraction digits the source wrote. `zone` is the zone the stamp was written in.
/// Returns `None` for an impossible date (`2017-02-30`) or a local time that does not
/// exist in `zone`.
pub fn rfc3339(ts: &Timestamp, zone: Zone) -> Option<String> {
    let local = naive(ts)?;
    let utc = if zone == Zone::Utc {
        local
    } else {
        to_utc(local, zone)?
    };
    Some(format_utc(&utc, ts.fraction_digits))
}

/// Appends `value` as exactly `width` decimal digits (the low ones).
fn push_digits(out: &mut String, mut value: u32, width: usize) {
    let mut buf = [b'0'; 10];
    for slot in buf[..width].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    out.extend(buf[..width].iter().map(|&b| char::from(b)));
}

/// Writes `utc` as `YYYY-MM-DDThh:mm:ss[.f]Z` with `digits` fraction digits, by hand: this
/// runs once per record, and chrono's formatter parses its pattern every time.
fn format_utc(utc: &NaiveDateTime, digits: u8) -> String {
    use chrono::{Datelike, Timelike};
    let mut out = String::with_capacity(32);
    push_digits(&mut out, utc.year().clamp(0, 9999) as u32, 4);
    for (sep, value) in [
        ('-', utc.month()),
        ('-', utc.day()),
        ('T', utc.hour()),
        (':', utc.minute()),
        (':', utc.second()),
    ] {
        out.push(sep);
        push_digits(&mut out, value, 2);
    }
    if digits > 0 {
        let digits = usize::from(digits.min(9));
        out.push('.');
        let nanos = utc.nanosecond() % 1_000_000_000;
        push_digits(&mut out, nanos / 10u32.pow(9 - digits as u32), digits);
    }
    out.push('Z');
    out
}

/// Formats epoch milliseconds as RFC 3339 UTC with `fraction_digits` (0 or 3) digits.
pub fn rfc3339_from_epoch_ms(epoch_ms: i64, fraction_digits: u8) -> Option<String> {
    let utc = chrono::DateTime::<Utc>::from_timestamp_millis(epoch_ms)?.naive_utc();
    let ts = Timestamp {
        year: u16::try_from(chrono::Datelike::year(&utc)).ok()?,
        month: chrono::Datelike::month(&utc) as u8,
        day: chrono::Datelike::day(&utc) as u8,
        hour: chrono::Timelike::hour(&utc) as u8,
        minute: chrono::Timelike::minute(&utc) as u8,
        second: chrono::Timelike::second(&utc) as u8,
        nanos: chrono::Timelike::nanosecond(&utc),
        fraction_digits,
    };
    rfc3339(&ts, Zone::Utc)
}

/// Formats `ts`, written at `offset_s` seconds east of UTC, as RFC 3339 UTC.
pub fn rfc3339_with_offset(ts: &Timestamp, offset_s: i32) -> Option<String> {
    rfc3339(ts, Zone::Fixed(FixedOffset::east_opt(offset_s)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(y: u16, mo: u8, d: u8, h: u8, mi: u8, s: u8, ms: u32) -> Timestamp {
        Timestamp {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
            nanos: ms * 1_000_000,
            fraction_digits: 3,
        }
    }

    #[test]
    fn utc_keeps_milliseconds() {
        assert_eq!(
            rfc3339(&stamp(2017, 7, 16, 23, 9, 33, 602), Zone::Utc).as_deref(),
            Some("2017-07-16T23:09:33.602Z")
        );
    }

    #[test]
    fn fixed_and_named_zones_shift_to_utc() {
        let ts = stamp(2017, 7, 16, 1, 0, 0, 5);
        let plus2: Zone = "+02:00".parse().unwrap();
        assert_eq!(
            rfc3339(&ts, plus2).as_deref(),
            Some("2017-07-15T23:00:00.005Z")
        );
        let berlin: Zone = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            rfc3339(&ts, berlin).as_deref(),
            Some("2017-07-15T23:00:00.005Z")
        );
        let winter = stamp(2017, 1, 16, 1, 0, 0, 5);
        assert_eq!(
            rfc3339(&winter, berlin).as_deref(),
            Some("2017-01-16T00:00:00.005Z")
        );
    }

    #[test]
    fn epoch_and_offset_forms() {
        assert_eq!(
            rfc3339_from_epoch_ms(1_437_609_879_311, 3).as_deref(),
            Some("2015-07-23T00:04:39.311Z")
        );
        assert_eq!(
            rfc3339_from_epoch_ms(1_437_609_879_000, 0).as_deref(),
            Some("2015-07-23T00:04:39Z")
        );
        let local = stamp(2015, 7, 23, 2, 21, 20, 0);
        let ts = Timestamp {
            fraction_digits: 0,
            ..local
        };
        assert_eq!(
            rfc3339_with_offset(&ts, 7200).as_deref(),
            Some("2015-07-23T00:21:20Z")
        );
    }

    #[test]
    fn impossible_dates_and_bad_zones() {
        assert_eq!(rfc3339(&stamp(2017, 2, 30, 0, 0, 0, 0), Zone::Utc), None);
        assert!("Mars/Olympus".parse::<Zone>().is_err());
        assert!("+25:00".parse::<Zone>().is_err());
    }
}
