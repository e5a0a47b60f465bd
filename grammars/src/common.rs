//! Combinators shared by the line grammars: fixed-width digits and the two timestamp
//! shapes the agents write.
//!
//! <pre>
//! python-ts = 4DIGIT "-" 2DIGIT "-" 2DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT "," 3DIGIT
//!                                              ; logging.Formatter default, local time
//! ruby-ts   = 4DIGIT "-" 2DIGIT "-" 2DIGIT "T" 2DIGIT ":" 2DIGIT ":" 2DIGIT
//!             [ "." 1*9DIGIT ] "Z"              ; Time#utc.iso8601(3)
//! </pre>

use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{map_res, opt};
use nom::sequence::delimited;
use nom::{IResult, Parser};

/// A calendar date and wall-clock time as written in a log line, before any time-zone
/// interpretation. `fraction_digits` keeps the source's precision (3 for milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    /// Four-digit year.
    pub year: u16,
    /// Month, 1–12 (not range-checked by the grammar).
    pub month: u8,
    /// Day of month, 1–31 (not range-checked by the grammar).
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60.
    pub second: u8,
    /// Fractional second in nanoseconds.
    pub nanos: u32,
    /// How many fraction digits the source wrote (0 when it wrote none).
    pub fraction_digits: u8,
}

/// Exactly `n` ASCII digits, as a number.
pub fn digits<'a>(
    n: usize,
) -> impl Parser<&'a [u8], Output = u32, Error = nom::error::Error<&'a [u8]>> {
    map_res(
        take_while_m_n(n, n, |b: u8| b.is_ascii_digit()),
        |d: &[u8]| {
            // Every byte is an ASCII digit, so the text is UTF-8 and at most 9 digits fit a u32.
            std::str::from_utf8(d)
                .map_err(|_| ())
                .and_then(|s| s.parse::<u32>().map_err(|_| ()))
        },
    )
}

/// One to nine fraction digits, scaled to nanoseconds; returns (nanos, digit count).
pub fn fraction(input: &[u8]) -> IResult<&[u8], (u32, u8)> {
    let (rest, d) = take_while_m_n(1, 9, |b: u8| b.is_ascii_digit()).parse(input)?;
    let mut value: u32 = 0;
    for &b in d {
        value = value * 10 + u32::from(b - b'0');
    }
    // d.len() is between 1 and 9 (take_while_m_n above), so the scale fits a u32.
    let scale = 10u32.pow(9 - d.len() as u32);
    Ok((rest, (value * scale, d.len() as u8)))
}

fn date(input: &[u8]) -> IResult<&[u8], (u16, u8, u8)> {
    let (rest, (y, _, m, _, d)) =
        (digits(4), char('-'), digits(2), char('-'), digits(2)).parse(input)?;
    Ok((rest, (y as u16, m as u8, d as u8)))
}

fn clock(input: &[u8]) -> IResult<&[u8], (u8, u8, u8)> {
    let (rest, (h, _, mi, _, s)) =
        (digits(2), char(':'), digits(2), char(':'), digits(2)).parse(input)?;
    Ok((rest, (h as u8, mi as u8, s as u8)))
}

/// `2023/12/14 22:06:05`: the date and time of Go's `log` package (eb-engine.log, with a
/// fraction after it) and of nginx's error log; no fraction.
pub fn slash_timestamp(input: &[u8]) -> IResult<&[u8], Timestamp> {
    let (rest, (y, _, mo, _, d, _, (hour, minute, second))) = (
        digits(4),
        char('/'),
        digits(2),
        char('/'),
        digits(2),
        char(' '),
        clock,
    )
        .parse(input)?;
    // Fixed-width digit runs: 4 digits fit a u16, 2 digits a u8.
    let (year, month, day) = (y as u16, mo as u8, d as u8);
    Ok((
        rest,
        Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos: 0,
            fraction_digits: 0,
        },
    ))
}

/// `[LEVEL]`: a run of 1 to 12 upper-case ASCII letters in brackets (the amzn and engine
/// headers), returned without the brackets.
pub fn bracketed_level(input: &[u8]) -> IResult<&[u8], &str> {
    let (rest, name) = delimited(
        char('['),
        take_while_m_n(1, 12, |b: u8| b.is_ascii_uppercase()),
        char(']'),
    )
    .parse(input)?;
    // Only ASCII upper-case letters were taken, which are valid UTF-8.
    Ok((rest, std::str::from_utf8(name).unwrap_or_default()))
}

/// `2018-03-26 20:13:12,721`: Python `logging`'s default `asctime`.
pub fn python_timestamp(input: &[u8]) -> IResult<&[u8], Timestamp> {
    let (rest, ((year, month, day), _, (hour, minute, second), _, (nanos, fraction_digits))) =
        (date, char(' '), clock, char(','), fraction).parse(input)?;
    Ok((
        rest,
        Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
            fraction_digits,
        },
    ))
}

/// `2018-09-17T23:29:07.266Z`: Ruby's `Time#utc.iso8601(3)`.
pub fn ruby_timestamp(input: &[u8]) -> IResult<&[u8], Timestamp> {
    let (rest, ((year, month, day), _, (hour, minute, second), frac, _)) =
        (date, char('T'), clock, opt((char('.'), fraction)), tag("Z")).parse(input)?;
    let (nanos, fraction_digits) = frac.map(|(_, f)| f).unwrap_or((0, 0));
    Ok((
        rest,
        Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
            fraction_digits,
        },
    ))
}

/// The bytes of `line` with one trailing `\n` and then one `\r` removed.
pub fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_timestamp_reads_milliseconds() {
        let (rest, ts) = python_timestamp(b"2017-07-16 23:09:33,602 [DEBUG]").unwrap();
        assert_eq!(rest, b" [DEBUG]");
        assert_eq!((ts.year, ts.month, ts.day), (2017, 7, 16));
        assert_eq!((ts.hour, ts.minute, ts.second), (23, 9, 33));
        assert_eq!((ts.nanos, ts.fraction_digits), (602_000_000, 3));
    }

    #[test]
    fn ruby_timestamp_reads_z_suffix_and_optional_fraction() {
        let (_, ts) = ruby_timestamp(b"2018-09-17T23:29:07.266Z] ").unwrap();
        assert_eq!(
            (ts.second, ts.nanos, ts.fraction_digits),
            (7, 266_000_000, 3)
        );
        let (_, ts) = ruby_timestamp(b"2018-09-17T23:29:07Z").unwrap();
        assert_eq!((ts.nanos, ts.fraction_digits), (0, 0));
    }

    #[test]
    fn timestamps_reject_near_misses() {
        for bad in [
            &b"2017-07-16 23:09:33.602"[..],
            b"2017-7-16 23:09:33,602",
            b"2017-07-16T23:09:33,602",
            b"2017-07-16 23:09",
            b"",
        ] {
            assert!(
                python_timestamp(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(ruby_timestamp(b"2018-09-17T23:29:07.266").is_err());
    }

    #[test]
    fn trim_eol_strips_lf_and_crlf() {
        assert_eq!(trim_eol(b"a\r\n"), b"a");
        assert_eq!(trim_eol(b"a\n"), b"a");
        assert_eq!(trim_eol(b"a"), b"a");
    }
}
