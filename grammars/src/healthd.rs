//! The two logs of the enhanced-health agent (docs/formats.md "healthd", "healthd/daemon.log"): the terse per-request
//! `application.log.YYYY-MM-DD-HH` that nginx or Apache writes for healthd, and healthd's
//! own `daemon.log` written by Ruby's default `Logger::Formatter`.
//!
//! <pre>
//! appstat-line  = time DQUOTE path DQUOTE status DQUOTE req-time DQUOTE up-time DQUOTE xff
//!                                          ; exactly six fields, no surrounding quotes
//! time          = nginx-msec / apache-sec
//! nginx-msec    = 1*12DIGIT "." 3DIGIT     ; $msec: completion time, seconds with ms
//! apache-sec    = 1*12DIGIT                ; %{%s}t: arrival time, whole seconds
//! path          = *(%x00-21 / %x23-FF)     ; $uri / %U, kept as written
//! status        = 3DIGIT / "-"
//! req-time      = nginx: secs / "-"        ; $request_time, seconds ("0.083")
//!               / apache: 1*18DIGIT / "-"  ; %D, whole microseconds
//! up-time       = nginx: up-list / "-"     ; $upstream_response_time
//!               / apache: 1*18DIGIT / "-"  ; %D again
//! up-list       = up-entry *( ( ", " / " : " ) up-entry )
//! up-entry      = secs / "-"
//! secs          = 1*15DIGIT [ "." 1*9DIGIT ]
//! xff           = 1*(%x00-21 / %x23-FF)    ; "-" when the header was absent
//!
//! daemon-header = sev-char ", [" local-ts SP "#" 1*10DIGIT "]" 1*SP level
//!                 " -- " [ progname ] ":" [ SP ]          ; message follows
//! local-ts      = 4DIGIT "-" 2DIGIT "-" 2DIGIT "T" 2DIGIT ":" 2DIGIT ":" 2DIGIT
//!                 "." 1*9DIGIT                            ; "%Y-%m-%dT%H:%M:%S.%6N"
//! level         = 1*5UPALPHA     ; DEBUG / INFO / WARN / ERROR / FATAL / ANY, right-justified
//! sev-char      = UPALPHA        ; the first letter of level
//! progname      = text up to the first ": "
//! </pre>
//!
//! application.log has no continuation lines: every line is one request. The proxy is told
//! apart by the time field alone: three decimals mean nginx (times in seconds), none means
//! Apache (times in microseconds). A line whose sixth field is empty is rejected, like
//! healthd's own reader does (`partial line read ... skipping`): nginx and Apache both
//! write `-` for a missing `X-Forwarded-For`, so an empty field means a cut-off line.
//! An upstream-time list (nginx tried several upstream servers) is reported as the sum
//! of its entries, the total time spent waiting on upstreams; healthd itself only reads
//! the request time.
//!
//! daemon.log records may go on over continuation lines (Ruby's `Logger` writes an
//! exception as `message (Class)` followed by its backtrace), and a freshly created file
//! starts with a `# Logfile created on ...` line that is no header either.

use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::opt;
use nom::{IResult, Parser};

use crate::common::{digits, fraction, trim_eol, Timestamp};

/// Which front-end proxy wrote an application.log line, told by its time field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proxy {
    /// nginx: `$msec` time with milliseconds (completion time), latencies in seconds.
    Nginx,
    /// Apache httpd: whole-second time (arrival time), latencies in microseconds.
    Apache,
}

/// One request of a healthd `application.log`, borrowing its text fields from the line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppStatLine<'a> {
    /// The time field in milliseconds since the Unix epoch (nginx: when the request
    /// completed; Apache: when it arrived, whole seconds times 1000).
    pub epoch_ms: i64,
    /// Which proxy wrote the line, and so the precision of `epoch_ms` and the unit the
    /// latencies were written in.
    pub precision: Proxy,
    /// The request path without the query string, as written (nginx escapes `"` and
    /// non-printable bytes as `\xHH`; the escapes are not decoded).
    pub path: &'a str,
    /// HTTP status; `None` for `-`.
    pub status: Option<u16>,
    /// Request time in milliseconds; `None` for `-`.
    pub request_time_ms: Option<f64>,
    /// Upstream response time in milliseconds; `None` for `-`. When nginx tried several
    /// upstream servers the field is a list (`0.001, 0.002` or `0.001 : 0.002`): this is
    /// the **sum** of its numeric entries (the time spent waiting on upstreams in total);
    /// `-` entries count for nothing, and a list of only `-` entries is `None`.
    pub upstream_time_ms: Option<f64>,
    /// The `X-Forwarded-For` header as written (may be a comma-separated list); `None`
    /// for `-`.
    pub forwarded_for: Option<&'a str>,
}

/// `1*max DIGIT` as a `u64`; `max` stays at or below 19 so that the value fits.
fn number(input: &[u8], max: usize) -> IResult<&[u8], u64> {
    let (rest, d) = take_while_m_n(1, max, |b: u8| b.is_ascii_digit()).parse(input)?;
    let value = d
        .iter()
        .fold(0u64, |acc, &b| acc * 10 + u64::from(b - b'0'));
    Ok((rest, value))
}

/// `secs = 1*15DIGIT ["." 1*9DIGIT]`, as milliseconds.
fn seconds_as_ms(input: &[u8]) -> IResult<&[u8], f64> {
    let (rest, (whole, frac)) = (|i| number(i, 15), opt((char('.'), fraction))).parse(input)?;
    let nanos = frac.map(|(_, (n, _))| n).unwrap_or(0);
    // Whole milliseconds are exact in an f64 up to 2^53; the fraction of a millisecond
    // is only present when more than three decimals were written.
    Ok((rest, whole as f64 * 1000.0 + f64::from(nanos) / 1_000_000.0))
}

/// Runs `p` on the whole of `field`; `None` unless it consumed everything.
fn whole<'a, T>(field: &'a [u8], mut p: impl FnMut(&'a [u8]) -> IResult<&'a [u8], T>) -> Option<T> {
    match p(field) {
        Ok(([], v)) => Some(v),
        _ => None,
    }
}

/// `Some(None)` for `-`, `Some(Some(v))` for a value `p` reads in full, `None` otherwise.
fn dash_or<'a, T>(
    field: &'a [u8],
    p: impl FnMut(&'a [u8]) -> IResult<&'a [u8], T>,
) -> Option<Option<T>> {
    if field == b"-" {
        Some(None)
    } else {
        whole(field, p).map(Some)
    }
}

/// The epoch time field: `(ms, proxy)`.
fn epoch(field: &[u8]) -> Option<(i64, Proxy)> {
    let (rest, secs) = number(field, 12).ok()?;
    let secs = i64::try_from(secs).ok()?;
    if rest.is_empty() {
        return Some((secs * 1000, Proxy::Apache));
    }
    let (rest, (_, ms)) = (char('.'), digits(3)).parse(rest).ok()?;
    rest.is_empty()
        .then_some((secs * 1000 + i64::from(ms), Proxy::Nginx))
}

/// nginx's `$upstream_response_time`: a list separated by `", "` or `" : "`.
fn upstream_list(field: &[u8]) -> Option<Option<f64>> {
    if field.is_empty() {
        return None;
    }
    let mut total: Option<f64> = None;
    let mut rest = field;
    loop {
        let value;
        if let Some(after) = rest.strip_prefix(b"-") {
            value = None;
            rest = after;
        } else {
            let (after, ms) = seconds_as_ms(rest).ok()?;
            value = Some(ms);
            rest = after;
        }
        if let Some(ms) = value {
            total = Some(total.unwrap_or(0.0) + ms);
        }
        if rest.is_empty() {
            return Some(total);
        }
        rest = rest
            .strip_prefix(b", ")
            .or_else(|| rest.strip_prefix(b" : "))?;
    }
}

/// Parses one line of a healthd `application.log` (one trailing `\n` or `\r\n` is
/// ignored).
///
/// Returns `None` unless the line has exactly six `"`-separated fields and every typed
/// field reads in full: the time (`1437609879.311` or `1437609879`), a three-digit status
/// or `-`, and the two latencies in the unit the time field implies.
pub fn parse_appstat_line(line: &[u8]) -> Option<AppStatLine<'_>> {
    let line = trim_eol(line);
    let mut fields = line.split(|&b| b == b'"');
    let mut next = || fields.next();
    let (time, path, status, req, up, xff) = (next()?, next()?, next()?, next()?, next()?, next()?);
    if next().is_some() || xff.is_empty() {
        return None;
    }
    let (epoch_ms, precision) = epoch(time)?;
    let path = std::str::from_utf8(path).ok()?;
    let status = dash_or(status, |i| {
        let (rest, s) = digits(3).parse(i)?;
        // Three digits are at most 999.
        Ok((rest, s as u16))
    })?;
    let (request_time_ms, upstream_time_ms) = match precision {
        Proxy::Nginx => (dash_or(req, seconds_as_ms)?, upstream_list(up)?),
        Proxy::Apache => {
            let usec = |i| number(i, 18).map(|(r, us)| (r, us as f64 / 1000.0));
            (dash_or(req, usec)?, dash_or(up, usec)?)
        }
    };
    let forwarded_for = match xff {
        b"-" => None,
        other => Some(std::str::from_utf8(other).ok()?),
    };
    Some(AppStatLine {
        epoch_ms,
        precision,
        path,
        status,
        request_time_ms,
        upstream_time_ms,
        forwarded_for,
    })
}

/// The parsed header of one healthd `daemon.log` line (Ruby `Logger::Formatter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaemonHeader<'a> {
    /// Local wall-clock time (UTC on Elastic Beanstalk), microseconds as written.
    pub ts: Timestamp,
    /// Process id of the healthd process.
    pub pid: u32,
    /// The severity label, without its padding (`INFO`, `WARN`, ...).
    pub level: &'a str,
    /// The logger's program name, written between `-- ` and `: `; `None` when empty.
    pub progname: Option<&'a str>,
}

/// `2015-07-23T00:21:20.123456` (no zone: Ruby's `Logger` writes local time).
fn local_timestamp(input: &[u8]) -> IResult<&[u8], Timestamp> {
    let (rest, (year, _, month, _, day, _, hour, _, minute, _, second, _, frac)) = (
        digits(4),
        char('-'),
        digits(2),
        char('-'),
        digits(2),
        char('T'),
        digits(2),
        char(':'),
        digits(2),
        char(':'),
        digits(2),
        char('.'),
        fraction,
    )
        .parse(input)?;
    // digits(4) and digits(2) are at most 9999 and 99.
    let ts = Timestamp {
        year: year as u16,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanos: frac.0,
        fraction_digits: frac.1,
    };
    Ok((rest, ts))
}

fn fail(input: &[u8], kind: nom::error::ErrorKind) -> nom::Err<nom::error::Error<&[u8]>> {
    nom::Err::Error(nom::error::Error::new(input, kind))
}

/// Parses the header at the start of a healthd `daemon.log` line; the remaining input is
/// the message text.
///
/// The single space after the progname's `:` belongs to the header; a line cut right
/// after the `:` still parses, with an empty message.
pub fn parse_daemon_header(line: &[u8]) -> IResult<&[u8], DaemonHeader<'_>> {
    let (rest, (sev, _, ts, _, pid, _, _, label, _)) = (
        take_while_m_n(1, 1, |b: u8| b.is_ascii_uppercase()),
        tag(", ["),
        local_timestamp,
        tag(" #"),
        |i| number(i, 10),
        char(']'),
        take_while1(|b| b == b' '),
        take_while_m_n(1, 5, |b: u8| b.is_ascii_uppercase()),
        tag(" -- "),
    )
        .parse(line)?;
    if sev.first() != label.first() {
        return Err(fail(line, nom::error::ErrorKind::Verify));
    }
    let pid = u32::try_from(pid).map_err(|_| fail(line, nom::error::ErrorKind::Digit))?;
    // The progname ends at the first ": "; a line cut after the colon ends with ":".
    let (progname, message) = match rest.windows(2).position(|w| w == b": ") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None if rest.last() == Some(&b':') => (&rest[..rest.len() - 1], &rest[rest.len()..]),
        None => return Err(fail(rest, nom::error::ErrorKind::TakeUntil)),
    };
    let progname = match progname {
        b"" => None,
        p => Some(std::str::from_utf8(p).map_err(|_| fail(rest, nom::error::ErrorKind::Verify))?),
    };
    // Only ASCII upper-case letters were taken.
    let level = std::str::from_utf8(label).unwrap_or_default();
    Ok((
        message,
        DaemonHeader {
            ts,
            pid,
            level,
            progname,
        },
    ))
}

/// Whether `line` starts with a healthd `daemon.log` header.
pub fn is_daemon_header(line: &[u8]) -> bool {
    // Cheap rejection before running the grammar: "X, [" opens every header.
    line.len() >= 4
        && line[0].is_ascii_uppercase()
        && &line[1..4] == b", ["
        && parse_daemon_header(line).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line<'a>(
        epoch_ms: i64,
        precision: Proxy,
        path: &'a str,
        status: Option<u16>,
        request_time_ms: Option<f64>,
        upstream_time_ms: Option<f64>,
        forwarded_for: Option<&'a str>,
    ) -> AppStatLine<'a> {
        AppStatLine {
            epoch_ms,
            precision,
            path,
            status,
            request_time_ms,
            upstream_time_ms,
            forwarded_for,
        }
    }

    #[test]
    fn appstat_fixtures() {
        let cases: &[(&[u8], AppStatLine)] = &[
            (
                b"1437609879.311\"/\"200\"0.083\"0.083\"177.72.242.17",
                line(
                    1_437_609_879_311,
                    Proxy::Nginx,
                    "/",
                    Some(200),
                    Some(83.0),
                    Some(83.0),
                    Some("177.72.242.17"),
                ),
            ),
            (
                b"1663179667.904\"/api/orders\"502\"0.001\"0.000\"198.51.100.23, 10.0.4.7\n",
                line(
                    1_663_179_667_904,
                    Proxy::Nginx,
                    "/api/orders",
                    Some(502),
                    Some(1.0),
                    Some(0.0),
                    Some("198.51.100.23, 10.0.4.7"),
                ),
            ),
            (
                b"1663178401.007\"/\"200\"0.002\"0.002\"-\r\n",
                line(
                    1_663_178_401_007,
                    Proxy::Nginx,
                    "/",
                    Some(200),
                    Some(2.0),
                    Some(2.0),
                    None,
                ),
            ),
            // No upstream contacted (served by nginx itself).
            (
                b"1663178405.120\"/favicon.ico\"404\"0.000\"-\"203.0.113.9",
                line(
                    1_663_178_405_120,
                    Proxy::Nginx,
                    "/favicon.ico",
                    Some(404),
                    Some(0.0),
                    None,
                    Some("203.0.113.9"),
                ),
            ),
            // Several upstream tries: summed.
            (
                b"1663178405.120\"/a\"200\"3.512\"3.001, 0.510\"-",
                line(
                    1_663_178_405_120,
                    Proxy::Nginx,
                    "/a",
                    Some(200),
                    Some(3512.0),
                    Some(3511.0),
                    None,
                ),
            ),
            (
                b"1663178405.120\"/a\"504\"60.002\"60.001 : -\"-",
                line(
                    1_663_178_405_120,
                    Proxy::Nginx,
                    "/a",
                    Some(504),
                    Some(60002.0),
                    Some(60001.0),
                    None,
                ),
            ),
            (
                b"1663178405.120\"/a\"502\"0.000\"-, -\"-",
                line(
                    1_663_178_405_120,
                    Proxy::Nginx,
                    "/a",
                    Some(502),
                    Some(0.0),
                    None,
                    None,
                ),
            ),
            // Apache: whole seconds, microseconds.
            (
                b"1437609879\"/\"200\"83123\"83123\"177.72.242.17",
                line(
                    1_437_609_879_000,
                    Proxy::Apache,
                    "/",
                    Some(200),
                    Some(83.123),
                    Some(83.123),
                    Some("177.72.242.17"),
                ),
            ),
            (
                b"1437609880\"/bad/path\"404\"1234\"1234\"-",
                line(
                    1_437_609_880_000,
                    Proxy::Apache,
                    "/bad/path",
                    Some(404),
                    Some(1.234),
                    Some(1.234),
                    None,
                ),
            ),
            // Dashes everywhere they are allowed; escaped quote in the path.
            (
                b"1663178405.120\"/q\\x22x\"-\"-\"-\"-",
                line(
                    1_663_178_405_120,
                    Proxy::Nginx,
                    "/q\\x22x",
                    None,
                    None,
                    None,
                    None,
                ),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_appstat_line(input).as_ref(),
                Some(expected),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn appstat_near_misses() {
        for bad in [
            &b""[..],
            b"\n",
            // Five fields (the partial line healthd skips), seven fields.
            b"1437609879.311\"/\"200\"0.083\"0.083",
            b"1437609879.311\"/\"200\"0.083\"0.083\"",
            b"1437609879.311\"/\"200\"0.083\"0.083\"1.2.3.4\"x",
            // Time with two or four decimals, signs, spaces.
            b"1437609879.31\"/\"200\"0.083\"0.083\"-",
            b"1437609879.3112\"/\"200\"0.083\"0.083\"-",
            b"-1437609879.311\"/\"200\"0.083\"0.083\"-",
            b" 1437609879.311\"/\"200\"0.083\"0.083\"-",
            b"\"/\"200\"0.083\"0.083\"-",
            // Status not three digits.
            b"1437609879.311\"/\"20\"0.083\"0.083\"-",
            b"1437609879.311\"/\"2000\"0.083\"0.083\"-",
            // Latencies: garbage, a bad list separator, a float in an Apache line.
            b"1437609879.311\"/\"200\"fast\"0.083\"-",
            b"1437609879.311\"/\"200\"0.083\"0.083;0.1\"-",
            b"1437609879.311\"/\"200\"0.083\"0.083, \"-",
            b"1437609879.311\"/\"200\"0.083\"\"-",
            b"1437609879\"/\"200\"0.083\"83\"-",
            // The nginx access.log "main" format.
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"curl\" \"-\"",
            // Not UTF-8.
            b"1437609879.311\"/\xff\"200\"0.083\"0.083\"-",
        ] {
            assert_eq!(
                parse_appstat_line(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    fn ts((y, mo, d, h, mi, s): (u16, u8, u8, u8, u8, u8), nanos: u32, fd: u8) -> Timestamp {
        Timestamp {
            year: y,
            month: mo,
            day: d,
            hour: h,
            minute: mi,
            second: s,
            nanos,
            fraction_digits: fd,
        }
    }

    #[test]
    fn daemon_header_fixtures() {
        let cases: &[(&[u8], DaemonHeader, &[u8])] = &[
            (
                b"W, [2015-07-23T00:21:20.123456 #1922]  WARN -- : log file \"/var/log/nginx/healthd/application.log.2015-07-23-00\" does not exist",
                DaemonHeader {
                    ts: ts((2015, 7, 23, 0, 21, 20), 123_456_000, 6),
                    pid: 1922,
                    level: "WARN",
                    progname: None,
                },
                b"log file \"/var/log/nginx/healthd/application.log.2015-07-23-00\" does not exist",
            ),
            (
                b"I, [2022-09-14T17:52:11.004518 #3105]  INFO -- healthd: starting",
                DaemonHeader {
                    ts: ts((2022, 9, 14, 17, 52, 11), 4_518_000, 6),
                    pid: 3105,
                    level: "INFO",
                    progname: Some("healthd"),
                },
                b"starting",
            ),
            (
                b"E, [2022-09-14T18:12:40.918273 #3105] ERROR -- : boom (RuntimeError)",
                DaemonHeader {
                    ts: ts((2022, 9, 14, 18, 12, 40), 918_273_000, 6),
                    pid: 3105,
                    level: "ERROR",
                    progname: None,
                },
                b"boom (RuntimeError)",
            ),
            (
                b"A, [2022-09-14T18:12:40.918273 #7]   ANY -- Healthd::Plugin: x: y",
                DaemonHeader {
                    ts: ts((2022, 9, 14, 18, 12, 40), 918_273_000, 6),
                    pid: 7,
                    level: "ANY",
                    progname: Some("Healthd::Plugin"),
                },
                b"x: y",
            ),
            // Empty message, with and without the trailing space.
            (
                b"D, [2022-09-14T18:12:40.9 #7] DEBUG -- : ",
                DaemonHeader {
                    ts: ts((2022, 9, 14, 18, 12, 40), 900_000_000, 1),
                    pid: 7,
                    level: "DEBUG",
                    progname: None,
                },
                b"",
            ),
            (
                b"F, [2022-09-14T18:12:40.918273 #7] FATAL -- :",
                DaemonHeader {
                    ts: ts((2022, 9, 14, 18, 12, 40), 918_273_000, 6),
                    pid: 7,
                    level: "FATAL",
                    progname: None,
                },
                b"",
            ),
        ];
        for (input, expected, message) in cases {
            let (rest, h) = parse_daemon_header(input).unwrap();
            assert_eq!(&h, expected, "{:?}", String::from_utf8_lossy(input));
            assert_eq!(rest, *message);
            assert!(is_daemon_header(input));
        }
    }

    #[test]
    fn daemon_header_near_misses() {
        for bad in [
            &b""[..],
            b"# Logfile created on 2022-09-14 17:52:10 +0000 by logger.rb/v1.4.2",
            b"/opt/elasticbeanstalk/lib/ruby/lib/ruby/gems/2.6.0/gems/healthd-appstat-1.0.6/lib/healthd-appstat/plugin.rb:42:in `block in read'",
            // The docs' placeholder date.
            b"W, [DATE-TIME #1922] WARN -- : log file does not exist",
            // Severity letter and label disagree.
            b"I, [2015-07-23T00:21:20.123456 #1922]  WARN -- : x",
            // No fraction, a zone, no pid, lower-case level, missing " -- ".
            b"W, [2015-07-23T00:21:20 #1922]  WARN -- : x",
            b"W, [2015-07-23T00:21:20.123456Z #1922]  WARN -- : x",
            b"W, [2015-07-23T00:21:20.123456 #]  WARN -- : x",
            b"W, [2015-07-23T00:21:20.123456 #1922]  warn -- : x",
            b"W, [2015-07-23T00:21:20.123456 #1922]  WARN : x",
            b"W, [2015-07-23T00:21:20.123456 #1922]WARN -- : x",
            b"W, [2015-07-23T00:21:20.123456 #1922]  WARN -- no colon",
            // pid beyond u32.
            b"W, [2015-07-23T00:21:20.123456 #9999999999]  WARN -- : x",
            // The ruby_logger (eb-commandprocessor.log) header.
            b"[2019-05-14T06:58:41.207Z] DEBUG [2318]  : Reading config file",
        ] {
            assert!(
                parse_daemon_header(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
            assert!(!is_daemon_header(bad));
        }
    }

    fn sample(name: &str) -> Vec<u8> {
        let path = format!("{}/../samples/al2/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn sample_application_log_parses_in_full() {
        let bytes = sample("nginx/healthd/application.log.2022-09-14-18");
        let lines: Vec<AppStatLine> = bytes
            .split_inclusive(|&b| b == b'\n')
            .map(|l| parse_appstat_line(l).expect("every line parses"))
            .collect();
        assert_eq!(lines.len(), 46);
        // Every request falls in the file's hour, 2022-09-14 18:00 UTC.
        assert!(lines.iter().all(|l| l.precision == Proxy::Nginx
            && (1_663_178_400_000..1_663_182_000_000).contains(&l.epoch_ms)));
        let count = |status| lines.iter().filter(|l| l.status == Some(status)).count();
        assert_eq!((count(200), count(201), count(404)), (23, 3, 1));
        assert_eq!((count(502), count(504)), (18, 1));
        let health_checks = lines.iter().filter(|l| l.forwarded_for.is_none()).count();
        assert_eq!(health_checks, 21);
    }

    #[test]
    fn sample_daemon_log_headers() {
        let bytes = sample("healthd/daemon.log");
        let lines: Vec<&[u8]> = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), 21);
        let headers: Vec<DaemonHeader> = lines
            .iter()
            .filter_map(|l| parse_daemon_header(l).ok().map(|(_, h)| h))
            .collect();
        // Not headers: the "# Logfile created" line and a five-line Ruby backtrace.
        assert_eq!(headers.len(), 15);
        assert!(headers.iter().all(|h| h.pid == 3105));
        let level = |name| headers.iter().filter(|h| h.level == name).count();
        assert_eq!((level("INFO"), level("WARN"), level("ERROR")), (8, 6, 1));
        let named = headers.iter().filter(|h| h.progname.is_some()).count();
        assert_eq!(named, 6);
    }

    proptest! {
        #[test]
        fn never_panics(input in proptest::collection::vec(any::<u8>(), 0..160)) {
            let _ = parse_appstat_line(&input);
            let _ = parse_daemon_header(&input);
            let _ = is_daemon_header(&input);
        }

        #[test]
        fn never_panics_on_appstat_like_text(input in "[0-9.\"/a-z, :\\-]{0,60}") {
            let _ = parse_appstat_line(input.as_bytes());
        }

        #[test]
        fn never_panics_on_mutated_lines(at in 0usize..120, byte in any::<u8>(), cut in 0usize..120) {
            for valid in [
                &b"1663179667.904\"/api/orders\"502\"0.001\"0.000, 1.5 : -\"198.51.100.23"[..],
                b"W, [2015-07-23T00:21:20.123456 #1922]  WARN -- healthd: log file",
            ] {
                let mut v = valid.to_vec();
                if let Some(b) = v.get_mut(at) {
                    *b = byte;
                }
                v.truncate(cut);
                let _ = parse_appstat_line(&v);
                let _ = parse_daemon_header(&v);
                let _ = is_daemon_header(&v);
            }
        }
    }
}
