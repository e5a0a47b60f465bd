//! The application's `/var/log/web.stdout.log` on Amazon Linux 2 and AL2023: what the
//! `web` systemd unit prints goes through journald to rsyslog, which writes it in the
//! traditional BSD syslog file format.
//!
//! <pre>
//! header  = month SP day SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP host SP tag [ "[" pid "]" ]
//!           ":" [ SP ]                           ; message follows
//! month   = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun"
//!         / "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
//! day     = SP DIGIT / 2DIGIT                    ; "Mar  1", "Mar 11"; 1-31
//! host    = 1*(%x21-FF)                          ; ip-10-0-1-23
//! tag     = 1*(%x21-FF except "[" / ":")         ; the SyslogIdentifier, "web"
//! pid     = 1*10DIGIT
//! </pre>
//!
//! The line carries no year and no zone: the caller supplies the year (see
//! [`SyslogHeader::timestamp`]); Elastic Beanstalk instances run in UTC. Hours, minutes
//! and seconds are range-checked (0–23, 0–59, 0–60) so that text which merely starts
//! with a month name is not taken for a header.
//!
//! syslog writes every output line with its own header, so a multi-line message (a
//! Python traceback, a Node.js stack) is many header lines; grouping them back into one
//! record is the framer's job. In the web.stdout.log files seen on Elastic Beanstalk the
//! tag is a bare `web:` (no pid) and the leading white space of each message is gone, so
//! the indentation of traceback lines does not survive; `[pid]` is read when present.

use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{opt, verify};
use nom::sequence::delimited;
use nom::{IResult, Parser};

use crate::common::{digits, Timestamp};
use crate::nginx::month_abbrev;

/// The parsed header of one syslog-format line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyslogHeader<'a> {
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60.
    pub second: u8,
    /// The host name rsyslog wrote (`ip-10-0-1-23`).
    pub host: &'a str,
    /// The syslog tag without pid and colon (`web`).
    pub tag: &'a str,
    /// The `[pid]` after the tag, when written.
    pub pid: Option<u32>,
}

impl SyslogHeader<'_> {
    /// The header's time as a [`Timestamp`] in the given year (whole seconds).
    pub fn timestamp(&self, year: u16) -> Timestamp {
        Timestamp {
            year,
            month: self.month,
            day: self.day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
            nanos: 0,
            fraction_digits: 0,
        }
    }
}

/// `SP DIGIT` or `2DIGIT`, 1–31.
fn day(input: &[u8]) -> IResult<&[u8], u8> {
    let padded = (char(' '), digits(1)).map(|(_, d)| d);
    // digits(2) is at most 99.
    verify(
        nom::branch::alt((padded, digits(2))).map(|d| d as u8),
        |d| (1..=31).contains(d),
    )
    .parse(input)
}

/// Exactly two digits, at most `max`.
fn two_digits<'a>(
    max: u8,
) -> impl Parser<&'a [u8], Output = u8, Error = nom::error::Error<&'a [u8]>> {
    // digits(2) is at most 99.
    verify(digits(2).map(|d| d as u8), move |d| *d <= max)
}

fn pid(input: &[u8]) -> IResult<&[u8], u32> {
    let (rest, d) = delimited(
        char('['),
        take_while_m_n(1, 10, |b: u8| b.is_ascii_digit()),
        char(']'),
    )
    .parse(input)?;
    // At most ten ASCII digits: UTF-8, and the parse fails only beyond u32::MAX.
    let value = std::str::from_utf8(d)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Digit))
        })?;
    Ok((rest, value))
}

/// Parses the syslog header at the start of `line`; the remaining input is the message.
///
/// One space after the tag's colon belongs to the header; a line that ends right after
/// the colon is a header with an empty message.
pub fn parse_header(line: &[u8]) -> IResult<&[u8], SyslogHeader<'_>> {
    let (rest, (month, _, day, _, hour, _, minute, _, second, _)) = (
        month_abbrev,
        char(' '),
        day,
        char(' '),
        two_digits(23),
        char(':'),
        two_digits(59),
        char(':'),
        two_digits(60),
        char(' '),
    )
        .parse(line)?;
    let (rest, (host, _, tag_name, pid, _, _)) = (
        take_while1(|b: u8| b > b' '),
        char(' '),
        take_while1(|b: u8| b > b' ' && b != b'[' && b != b':'),
        opt(pid),
        char(':'),
        opt(tag(" ")),
    )
        .parse(rest)?;
    let utf8 = |b| {
        std::str::from_utf8(b).map_err(|_| {
            nom::Err::Error(nom::error::Error::new(line, nom::error::ErrorKind::Verify))
        })
    };
    Ok((
        rest,
        SyslogHeader {
            month,
            day,
            hour,
            minute,
            second,
            host: utf8(host)?,
            tag: utf8(tag_name)?,
            pid,
        },
    ))
}

/// Whether `line` starts with a syslog header.
pub fn is_header(line: &[u8]) -> bool {
    // Cheap rejection before running the grammar: "Mmm dd hh:" has spaces at 3 and 6.
    line.len() >= 18 && line[3] == b' ' && line[6] == b' ' && parse_header(line).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header<'a>(
        (month, day): (u8, u8),
        (hour, minute, second): (u8, u8, u8),
        host: &'a str,
        tag: &'a str,
        pid: Option<u32>,
    ) -> SyslogHeader<'a> {
        SyslogHeader {
            month,
            day,
            hour,
            minute,
            second,
            host,
            tag,
            pid,
        }
    }

    #[test]
    fn header_fixtures() {
        let cases: &[(&[u8], SyslogHeader, &[u8])] = &[
            (
                b"Mar 11 18:10:12 ip-10-0-1-23 web[4321]: text",
                header((3, 11), (18, 10, 12), "ip-10-0-1-23", "web", Some(4321)),
                b"text",
            ),
            (
                b"Mar  1 00:00:00 ip-10-0-1-23 web[4321]: Listening on 8080\n",
                header((3, 1), (0, 0, 0), "ip-10-0-1-23", "web", Some(4321)),
                b"Listening on 8080\n",
            ),
            (
                b"Sep 14 18:41:07 ip-172-31-29-114 web: File \"/var/app/current/app.py\", line 3",
                header((9, 14), (18, 41, 7), "ip-172-31-29-114", "web", None),
                b"File \"/var/app/current/app.py\", line 3",
            ),
            // rsyslog keeps a second space when the message itself started with one.
            (
                b"Dec 31 23:59:60 host systemd[1]:  indented",
                header((12, 31), (23, 59, 60), "host", "systemd", Some(1)),
                b" indented",
            ),
            // Empty messages, with and without the space.
            (
                b"Jan 05 07:08:09 h web: ",
                header((1, 5), (7, 8, 9), "h", "web", None),
                b"",
            ),
            (
                b"Jan  5 07:08:09 h web[77]:",
                header((1, 5), (7, 8, 9), "h", "web", Some(77)),
                b"",
            ),
            (
                b"Feb 28 12:00:00 ip-10-0-1-23 kernel:text",
                header((2, 28), (12, 0, 0), "ip-10-0-1-23", "kernel", None),
                b"text",
            ),
        ];
        for (input, expected, message) in cases {
            let (rest, h) = parse_header(input).unwrap();
            assert_eq!(&h, expected, "{:?}", String::from_utf8_lossy(input));
            assert_eq!(rest, *message);
            assert!(is_header(input));
        }
        let (_, h) = parse_header(b"Sep 14 18:41:07 h web: x").unwrap();
        assert_eq!(
            h.timestamp(2022),
            Timestamp {
                year: 2022,
                month: 9,
                day: 14,
                hour: 18,
                minute: 41,
                second: 7,
                nanos: 0,
                fraction_digits: 0
            }
        );
    }

    #[test]
    fn header_near_misses() {
        for bad in [
            &b""[..],
            b"Sep 14 18:41:07",
            b"Sep 14 18:41:07 ip-10-0-1-23",
            b"Sep 14 18:41:07 ip-10-0-1-23 web",
            b"Sep 14 18:41:07 ip-10-0-1-23 web text",
            b"Sep 14 18:41:07 ip-10-0-1-23 web[]: x",
            b"Sep 14 18:41:07 ip-10-0-1-23 web[12a]: x",
            b"Sep 14 18:41:07 ip-10-0-1-23 web[99999999999]: x",
            b"Sep 14 18:41:07 ip-10-0-1-23 web[4321] x",
            b"Sep 14 18:41:07 ip-10-0-1-23 [4321]: x",
            b"Sep 14 18:41:07  web: x",
            b"Sep 1 18:41:07 ip-10-0-1-23 web: x",
            b"Sep  0 18:41:07 ip-10-0-1-23 web: x",
            b"Sep 32 18:41:07 ip-10-0-1-23 web: x",
            b"Sep 14 24:41:07 ip-10-0-1-23 web: x",
            b"Sep 14 18:60:07 ip-10-0-1-23 web: x",
            b"Sep 14 18:41:61 ip-10-0-1-23 web: x",
            b"Sep 14 18:41 ip-10-0-1-23 web: x",
            b"sep 14 18:41:07 ip-10-0-1-23 web: x",
            b"Sept 14 18:41:07 ip-10-0-1-23 web: x",
            b"2022-09-14T18:41:07+00:00 ip-10-0-1-23 web: x",
            b"Sep 14 18:41:07 ip-10-0-1-23 web\xff: x",
            b"Traceback (most recent call last):",
            b"September 14, the server was restarted",
        ] {
            assert!(
                parse_header(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
            assert!(!is_header(bad));
        }
    }

    #[test]
    fn sample_web_stdout_log_is_all_headers() {
        let path = format!(
            "{}/../samples/al2/web.stdout.log",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut n = 0;
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let (_, h) = parse_header(line).expect("every line is a header");
            assert_eq!((h.month, h.day), (9, 14));
            assert_eq!((h.host, h.tag, h.pid), ("ip-172-31-29-114", "web", None));
            n += 1;
        }
        assert_eq!(n, 51);
    }

    proptest! {
        #[test]
        fn never_panics(input in proptest::collection::vec(any::<u8>(), 0..120)) {
            let _ = parse_header(&input);
            let _ = is_header(&input);
        }

        #[test]
        fn never_panics_on_mutated_lines(at in 0usize..60, byte in any::<u8>(), cut in 0usize..60) {
            let mut v = b"Sep  4 18:41:07 ip-172-31-29-114 web[4321]: x".to_vec();
            if let Some(b) = v.get_mut(at) {
                *b = byte;
            }
            v.truncate(cut);
            if let Ok((rest, h)) = parse_header(&v) {
                prop_assert!(rest.len() <= v.len());
                prop_assert!((1..=12).contains(&h.month) && (1..=31).contains(&h.day));
            }
            let _ = is_header(&v);
        }
    }
}
