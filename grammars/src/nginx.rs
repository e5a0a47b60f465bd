//! nginx's `/var/log/nginx/access.log` in Elastic Beanstalk's `main` format
//! (docs/formats.md "nginx access.log") and `/var/log/nginx/error.log`.
//!
//! <pre>
//! access-line = client SP "-" SP user SP "[" time-local "]" SP
//!               DQUOTE request DQUOTE SP status SP bytes SP
//!               DQUOTE referrer DQUOTE SP DQUOTE user-agent DQUOTE SP DQUOTE xff DQUOTE
//! client      = 1*(%x21-FF)                   ; $remote_addr
//! user        = 1*OCTET, up to the first " [" ; $remote_user, "-" when none
//! time-local  = 2DIGIT "/" month "/" 4DIGIT ":" 2DIGIT ":" 2DIGIT ":" 2DIGIT
//!               SP ( "+" / "-" ) 4DIGIT       ; 23/Jul/2015:00:21:20 +0000
//! month       = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun"
//!             / "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
//! request     = quoted ; "GET /path HTTP/1.1" when well formed, else anything ("-", "\x16\x03...")
//! status      = 3DIGIT
//! bytes       = 1*20DIGIT / "-"                ; $body_bytes_sent
//! referrer, user-agent, xff = quoted          ; "-" when the header was absent
//! quoted      = *(%x00-21 / %x23-FF)          ; nginx writes '"' as \x22
//!
//! error-header = 4DIGIT "/" 2DIGIT "/" 2DIGIT SP 2DIGIT ":" 2DIGIT ":" 2DIGIT SP
//!                "[" level "]" SP 1*10DIGIT "#" 1*10DIGIT ":" [ SP ]
//!                [ "*" 1*20DIGIT SP ]          ; message follows
//! level        = "debug" / "info" / "notice" / "warn" / "error" / "crit" / "alert" / "emerg"
//! error-text   = message [ SP "(" errno ": " reason ")" ] [ " while " action ] [ tail ]
//! tail         = ", client: " value *( ", " key ": " value )
//! key          = "client" / "server" / "request" / "subrequest" / "upstream" / "host"
//!              / "referrer"
//! value        = DQUOTE text DQUOTE / text    ; request, upstream, host, referrer are quoted
//! </pre>
//!
//! Access-log fields are kept as written: nginx's `\xHH` escapes are not decoded. A
//! request line that is not `METHOD SP PATH SP HTTP/x.y` is kept whole in `request` with
//! the three parts `None`. An error-log record is one line; lines without a header
//! (nginx's start-up complaints on stderr, say) belong to the record before them.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_until, take_while, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{opt, value};
use nom::sequence::delimited;
use nom::{IResult, Parser};

use crate::common::{digits, slash_timestamp, trim_eol, Timestamp};

/// One line of access.log in the `main` format, borrowing from the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessLine<'a> {
    /// `$remote_addr`: behind a load balancer, the balancer node's address.
    pub client: &'a str,
    /// `$remote_user`; `None` for `-`.
    pub user: Option<&'a str>,
    /// `$time_local` as a wall-clock time in the zone of `utc_offset_s` (whole seconds).
    pub ts: Timestamp,
    /// The zone offset written after the time, in seconds east of UTC (`+0000` → 0).
    pub utc_offset_s: i32,
    /// The request method, when `request` is `METHOD PATH PROTOCOL`.
    pub method: Option<&'a str>,
    /// The request target (path and query), when `request` is `METHOD PATH PROTOCOL`.
    pub path: Option<&'a str>,
    /// The protocol (`HTTP/1.1`), when `request` is `METHOD PATH PROTOCOL`.
    pub protocol: Option<&'a str>,
    /// `$request`: the whole request line as written (may be `-` or escaped junk).
    pub request: &'a str,
    /// `$status`.
    pub status: u16,
    /// `$body_bytes_sent`; `None` for `-`.
    pub bytes: Option<u64>,
    /// `$http_referer`; `None` for `-`.
    pub referrer: Option<&'a str>,
    /// `$http_user_agent`; `None` for `-`.
    pub user_agent: Option<&'a str>,
    /// `$http_x_forwarded_for` (may be a comma-separated list); `None` for `-`.
    pub forwarded_for: Option<&'a str>,
}

fn fail(input: &[u8], kind: nom::error::ErrorKind) -> nom::Err<nom::error::Error<&[u8]>> {
    nom::Err::Error(nom::error::Error::new(input, kind))
}

fn utf8(bytes: &[u8]) -> Result<&str, nom::Err<nom::error::Error<&[u8]>>> {
    std::str::from_utf8(bytes).map_err(|_| fail(bytes, nom::error::ErrorKind::Verify))
}

/// An English three-letter month abbreviation (`Jan` ... `Dec`, exact case) as 1–12.
pub(crate) fn month_abbrev(input: &[u8]) -> IResult<&[u8], u8> {
    alt((
        value(1, tag("Jan")),
        value(2, tag("Feb")),
        value(3, tag("Mar")),
        value(4, tag("Apr")),
        value(5, tag("May")),
        value(6, tag("Jun")),
        value(7, tag("Jul")),
        value(8, tag("Aug")),
        value(9, tag("Sep")),
        value(10, tag("Oct")),
        value(11, tag("Nov")),
        value(12, tag("Dec")),
    ))
    .parse(input)
}

/// `1*max DIGIT` as a `u64`; an error when the value does not fit.
fn number(input: &[u8], max: usize) -> IResult<&[u8], u64> {
    let (rest, d) = take_while_m_n(1, max, |b: u8| b.is_ascii_digit()).parse(input)?;
    let value = d.iter().try_fold(0u64, |acc, &b| {
        acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    });
    match value {
        Some(v) => Ok((rest, v)),
        None => Err(fail(input, nom::error::ErrorKind::Digit)),
    }
}

/// `23/Jul/2015:00:21:20 +0000` → (wall-clock time, offset in seconds).
fn time_local(input: &[u8]) -> IResult<&[u8], (Timestamp, i32)> {
    let (rest, (day, _, month, _, year, _, hour, _, minute, _, second, _, sign, hh, mm)) = (
        digits(2),
        char('/'),
        month_abbrev,
        char('/'),
        digits(4),
        char(':'),
        digits(2),
        char(':'),
        digits(2),
        char(':'),
        digits(2),
        char(' '),
        alt((value(1i32, char('+')), value(-1i32, char('-')))),
        digits(2),
        digits(2),
    )
        .parse(input)?;
    // digits(n) for n <= 4 is at most 9999, so every narrowing below is lossless.
    let ts = Timestamp {
        year: year as u16,
        month,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanos: 0,
        fraction_digits: 0,
    };
    let offset = sign * (hh as i32 * 3600 + mm as i32 * 60);
    Ok((rest, (ts, offset)))
}

/// `DQUOTE *(any but DQUOTE) DQUOTE`, as UTF-8 text.
fn quoted(input: &[u8]) -> IResult<&[u8], &str> {
    let (rest, text) = delimited(char('"'), take_while(|b| b != b'"'), char('"')).parse(input)?;
    Ok((rest, utf8(text)?))
}

fn dash(text: &str) -> Option<&str> {
    (text != "-").then_some(text)
}

/// `METHOD SP PATH SP HTTP/x.y` → the three parts.
fn split_request(request: &str) -> Option<(&str, &str, &str)> {
    let mut parts = request.split(' ');
    let (method, path, protocol) = (parts.next()?, parts.next()?, parts.next()?);
    let method_ok = !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    let version = protocol.strip_prefix("HTTP/")?;
    let (major, minor) = version.split_once('.').unwrap_or((version, "0"));
    let version_ok = [major, minor]
        .iter()
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (parts.next().is_none() && method_ok && !path.is_empty() && version_ok)
        .then_some((method, path, protocol))
}

fn access_line<'a>(line: &'a [u8]) -> IResult<&'a [u8], AccessLine<'a>> {
    let (rest, (client, _, user, _, (ts, utc_offset_s), _)) = (
        take_while1(|b: u8| b != b' '),
        tag(" - "),
        take_until(" ["),
        tag(" ["),
        time_local,
        tag("] "),
    )
        .parse(line)?;
    if user.is_empty() {
        return Err(fail(rest, nom::error::ErrorKind::TakeUntil));
    }
    let (rest, (request, _, status, _, bytes, _, referrer, _, user_agent, _, forwarded_for)) = (
        quoted,
        char(' '),
        digits(3),
        char(' '),
        alt((value(None, char('-')), |i: &'a [u8]| {
            number(i, 20).map(|(r, n)| (r, Some(n)))
        })),
        char(' '),
        quoted,
        char(' '),
        quoted,
        char(' '),
        quoted,
    )
        .parse(rest)?;
    let (client, user) = (utf8(client)?, utf8(user)?);
    let parts = split_request(request);
    Ok((
        rest,
        AccessLine {
            client,
            user: dash(user),
            ts,
            utc_offset_s,
            method: parts.map(|p| p.0),
            path: parts.map(|p| p.1),
            protocol: parts.map(|p| p.2),
            request,
            // Three digits are at most 999.
            status: status as u16,
            bytes,
            referrer: dash(referrer),
            user_agent: dash(user_agent),
            forwarded_for: dash(forwarded_for),
        },
    ))
}

/// Parses one access.log line in the `main` format (one trailing `\n` or `\r\n` is
/// ignored); `None` when any field is missing or malformed or text follows the last
/// field.
pub fn parse_access_line(line: &[u8]) -> Option<AccessLine<'_>> {
    match access_line(trim_eol(line)) {
        Ok(([], parsed)) => Some(parsed),
        _ => None,
    }
}

/// The parsed header of one error.log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorHeader<'a> {
    /// Local wall-clock time (UTC on Elastic Beanstalk), whole seconds.
    pub ts: Timestamp,
    /// The level name as written (`error`, `warn`, ...).
    pub level: &'a str,
    /// Process id of the nginx process (a worker, or the master).
    pub pid: u32,
    /// Thread id (the same as `pid` for nginx's single-threaded workers).
    pub tid: u32,
    /// The `*N` connection number, present when the error concerns a connection.
    pub connection: Option<u64>,
}

fn error_level(input: &[u8]) -> IResult<&[u8], &str> {
    let (rest, name) = alt((
        tag("debug"),
        tag("info"),
        tag("notice"),
        tag("warn"),
        tag("error"),
        tag("crit"),
        tag("alert"),
        tag("emerg"),
    ))
    .parse(input)?;
    // The tags are ASCII.
    Ok((rest, std::str::from_utf8(name).unwrap_or_default()))
}

fn id(input: &[u8]) -> IResult<&[u8], u32> {
    let (rest, n) = number(input, 10)?;
    let n = u32::try_from(n).map_err(|_| fail(input, nom::error::ErrorKind::Digit))?;
    Ok((rest, n))
}

/// Parses the header at the start of an error.log line; the remaining input is the
/// message text (after the `*N ` connection number, which belongs to the header).
pub fn parse_error_header(line: &[u8]) -> IResult<&[u8], ErrorHeader<'_>> {
    let (rest, (ts, _)) = (slash_timestamp, char(' ')).parse(line)?;
    let (rest, (level, _, pid, _, tid, _, _)) = (
        delimited(char('['), error_level, char(']')),
        char(' '),
        id,
        char('#'),
        id,
        char(':'),
        opt(char(' ')),
    )
        .parse(rest)?;
    let (rest, connection) = opt(delimited(char('*'), |i| number(i, 20), char(' '))).parse(rest)?;
    Ok((
        rest,
        ErrorHeader {
            ts,
            level,
            pid,
            tid,
            connection,
        },
    ))
}

/// Whether `line` starts with an error.log header.
pub fn is_error_header(line: &[u8]) -> bool {
    // Cheap rejection before running the grammar: "YYYY/MM/DD " opens every header.
    line.len() >= 24 && line[4] == b'/' && line[7] == b'/' && parse_error_header(line).is_ok()
}

/// What an upstream-related error.log message says went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpstreamProblem {
    /// `connect() failed (111: Connection refused) while connecting to upstream` (or
    /// `connect() to unix:... failed`): nothing listens where the application should.
    ConnectFailed,
    /// `upstream prematurely closed connection`: the application went away mid-request.
    PrematurelyClosed,
    /// `upstream timed out (110: Connection timed out)`.
    TimedOut,
    /// `recv() failed (104: Connection reset by peer)` while talking to the upstream.
    Reset,
    /// `no live upstreams`.
    NoLiveUpstreams,
    /// Any other message whose `while` clause mentions the upstream.
    Other,
}

/// An error.log message split into its free text and nginx's typed key-value tail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMessage<'a> {
    /// The text before the key-value tail: message, errno part and `while` clause.
    pub text: &'a str,
    /// The message proper: `text` without the ` (errno: reason)` part and the `while`
    /// clause (`connect() failed`).
    pub message: &'a str,
    /// The errno of a `(111: Connection refused)` part.
    pub errno: Option<i32>,
    /// The reason text of a `(111: Connection refused)` part.
    pub reason: Option<&'a str>,
    /// What nginx was doing: the text after ` while ` (`connecting to upstream`).
    pub action: Option<&'a str>,
    /// The upstream failure this message reports, if it is one.
    pub upstream_problem: Option<UpstreamProblem>,
    /// `client: ADDR`.
    pub client: Option<&'a str>,
    /// `server: NAME` (empty when the server block has no `server_name`).
    pub server: Option<&'a str>,
    /// `request: "LINE"`, unquoted.
    pub request: Option<&'a str>,
    /// `subrequest: "URI"`, unquoted.
    pub subrequest: Option<&'a str>,
    /// `upstream: "URL"`, unquoted.
    pub upstream: Option<&'a str>,
    /// `host: "HOST"`, unquoted.
    pub host: Option<&'a str>,
    /// `referrer: "URL"`, unquoted.
    pub referrer: Option<&'a str>,
}

const TAIL_KEYS: [&str; 7] = [
    "client",
    "server",
    "request",
    "subrequest",
    "upstream",
    "host",
    "referrer",
];

/// If `s[i..]` starts with `", KEY: "` (or `", KEY:"` at the very end) for a known key,
/// the key's index and where its value starts.
fn key_at(s: &str, i: usize) -> Option<(usize, usize)> {
    let after = s.get(i..)?.strip_prefix(", ")?;
    TAIL_KEYS.iter().enumerate().find_map(|(k, key)| {
        let v = after.strip_prefix(key)?.strip_prefix(':')?;
        let start = s.len() - v.len();
        match v.strip_prefix(' ') {
            Some(_) => Some((k, start + 1)),
            None if v.is_empty() => Some((k, start)),
            None => None,
        }
    })
}

/// Fills the key-value fields from `tail`, which starts with `, client: `.
fn read_tail<'a>(tail: &'a str, out: &mut ErrorMessage<'a>) {
    let mut pos = 0;
    while let Some((key, start)) = key_at(tail, pos) {
        let next_key = |from: usize| {
            (from..tail.len())
                .find(|&j| tail.is_char_boundary(j) && key_at(tail, j).is_some())
                .unwrap_or(tail.len())
        };
        // A quoted value ends at a '"' that is followed by the next key or the end.
        let quoted = tail[start..].starts_with('"').then(|| {
            (start + 1..tail.len()).find(|&j| {
                tail.as_bytes()[j] == b'"' && (j + 1 == tail.len() || key_at(tail, j + 1).is_some())
            })
        });
        let (value, end) = match quoted.flatten() {
            Some(close) => (&tail[start + 1..close], close + 1),
            None => {
                let end = next_key(start);
                (&tail[start..end], end)
            }
        };
        let slot = match key {
            0 => &mut out.client,
            1 => &mut out.server,
            2 => &mut out.request,
            3 => &mut out.subrequest,
            4 => &mut out.upstream,
            5 => &mut out.host,
            _ => &mut out.referrer,
        };
        slot.get_or_insert(value);
        if end <= pos {
            break;
        }
        pos = end;
    }
}

/// ` (111: Connection refused)` at the end of `body` → (message, errno, reason).
fn errno_part(body: &str) -> Option<(&str, i32, &str)> {
    let inner = body.strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let (code, reason) = inner[open + 2..].split_once(": ")?;
    if code.is_empty() || code.len() > 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((&body[..open], code.parse().ok()?, reason))
}

fn classify(message: &str, errno: Option<i32>, action: Option<&str>) -> Option<UpstreamProblem> {
    let upstream_action = action.is_some_and(|a| a.contains("upstream"));
    if message.starts_with("connect()") && action == Some("connecting to upstream") {
        Some(UpstreamProblem::ConnectFailed)
    } else if message == "upstream prematurely closed connection" {
        Some(UpstreamProblem::PrematurelyClosed)
    } else if message == "upstream timed out" {
        Some(UpstreamProblem::TimedOut)
    } else if message.starts_with("no live upstreams") {
        Some(UpstreamProblem::NoLiveUpstreams)
    } else if upstream_action && errno == Some(104) {
        Some(UpstreamProblem::Reset)
    } else if upstream_action {
        Some(UpstreamProblem::Other)
    } else {
        None
    }
}

/// Splits the text of an error.log message (what follows [`parse_error_header`]) into
/// its parts. Never fails: text without any of the parts comes back whole in `text` and
/// `message`. One trailing `\n` or `\r\n` is ignored.
///
/// The tail starts at the first `, client: `; its values end at the next `, KEY: ` of a
/// known key, and quoted values lose their quotes. The `while` clause starts at the last
/// ` while ` before the tail; the errno part is a ` (DIGITS: reason)` that ends the text
/// before it.
pub fn parse_error_message(text: &str) -> ErrorMessage<'_> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let (head, tail) = match text.find(", client: ") {
        Some(i) => (&text[..i], Some(&text[i..])),
        None => (text, None),
    };
    let (body, action) = match head.rfind(" while ") {
        Some(i) => (&head[..i], Some(&head[i + 7..])),
        None => (head, None),
    };
    let (message, errno, reason) = match errno_part(body) {
        Some((m, e, r)) => (m, Some(e), Some(r)),
        None => (body, None, None),
    };
    let mut out = ErrorMessage {
        text: head,
        message,
        errno,
        reason,
        action,
        upstream_problem: classify(message, errno, action),
        client: None,
        server: None,
        request: None,
        subrequest: None,
        upstream: None,
        host: None,
        referrer: None,
    };
    if let Some(tail) = tail {
        read_tail(tail, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts((year, month, day): (u16, u8, u8), (hour, minute, second): (u8, u8, u8)) -> Timestamp {
        Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos: 0,
            fraction_digits: 0,
        }
    }

    const CURL: &str = "curl/7.22.0 (x86_64-pc-linux-gnu) libcurl/7.22.0 OpenSSL/1.0.1 zlib/1.2.3.4 libidn/1.23 librtmp/2.3";

    #[test]
    fn access_fixtures() {
        let docs = format!(
            "172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"{CURL}\" \"177.72.242.17\"\n"
        );
        let cases: Vec<(&[u8], AccessLine)> = vec![
            (
                docs.as_bytes(),
                AccessLine {
                    client: "172.31.24.3",
                    user: None,
                    ts: ts((2015, 7, 23), (0, 21, 20)),
                    utc_offset_s: 0,
                    method: Some("GET"),
                    path: Some("/"),
                    protocol: Some("HTTP/1.1"),
                    request: "GET / HTTP/1.1",
                    status: 200,
                    bytes: Some(11),
                    referrer: None,
                    user_agent: Some(CURL),
                    forwarded_for: Some("177.72.242.17"),
                },
            ),
            (
                b"172.31.6.201 - - [14/Sep/2022:18:00:04 +0000] \"GET / HTTP/1.1\" 200 2 \"-\" \"ELB-HealthChecker/2.0\" \"-\"",
                AccessLine {
                    client: "172.31.6.201",
                    user: None,
                    ts: ts((2022, 9, 14), (18, 0, 4)),
                    utc_offset_s: 0,
                    method: Some("GET"),
                    path: Some("/"),
                    protocol: Some("HTTP/1.1"),
                    request: "GET / HTTP/1.1",
                    status: 200,
                    bytes: Some(2),
                    referrer: None,
                    user_agent: Some("ELB-HealthChecker/2.0"),
                    forwarded_for: None,
                },
            ),
            // A user, a negative half-hour offset, a query, an escaped quote, a list.
            (
                b"10.0.0.5 - admin [01/Dec/2021:23:59:59 -0930] \"POST /api/x?q=\\x22a\\x22 HTTP/2.0\" 502 157 \"https://example.com/a\" \"Mozilla/5.0\" \"203.0.113.9, 10.0.0.1\"\r\n",
                AccessLine {
                    client: "10.0.0.5",
                    user: Some("admin"),
                    ts: ts((2021, 12, 1), (23, 59, 59)),
                    utc_offset_s: -(9 * 3600 + 30 * 60),
                    method: Some("POST"),
                    path: Some("/api/x?q=\\x22a\\x22"),
                    protocol: Some("HTTP/2.0"),
                    request: "POST /api/x?q=\\x22a\\x22 HTTP/2.0",
                    status: 502,
                    bytes: Some(157),
                    referrer: Some("https://example.com/a"),
                    user_agent: Some("Mozilla/5.0"),
                    forwarded_for: Some("203.0.113.9, 10.0.0.1"),
                },
            ),
            // A TLS ClientHello sent to port 80.
            (
                b"192.0.2.44 - - [14/Sep/2022:18:20:13 +0530] \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\" 400 157 \"-\" \"-\" \"-\"",
                AccessLine {
                    client: "192.0.2.44",
                    user: None,
                    ts: ts((2022, 9, 14), (18, 20, 13)),
                    utc_offset_s: 19_800,
                    method: None,
                    path: None,
                    protocol: None,
                    request: "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03",
                    status: 400,
                    bytes: Some(157),
                    referrer: None,
                    user_agent: None,
                    forwarded_for: None,
                },
            ),
            // An empty request ("-"), bytes "-", and an empty (present) referrer.
            (
                b"192.0.2.44 - - [14/Sep/2022:18:20:13 +0000] \"-\" 408 - \"\" \"-\" \"-\"",
                AccessLine {
                    client: "192.0.2.44",
                    user: None,
                    ts: ts((2022, 9, 14), (18, 20, 13)),
                    utc_offset_s: 0,
                    method: None,
                    path: None,
                    protocol: None,
                    request: "-",
                    status: 408,
                    bytes: None,
                    referrer: Some(""),
                    user_agent: None,
                    forwarded_for: None,
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_access_line(input),
                Some(expected),
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn request_lines_that_are_not_method_path_protocol() {
        for (request, parts) in [
            ("GET / HTTP/1.1", Some(("GET", "/", "HTTP/1.1"))),
            ("M-SEARCH * HTTP/1.1", Some(("M-SEARCH", "*", "HTTP/1.1"))),
            ("GET /x HTTP/2", Some(("GET", "/x", "HTTP/2"))),
            ("GET /", None),
            ("GET / HTTP/1.1 extra", None),
            ("GET  / HTTP/1.1", None),
            ("get / HTTP/1.1", None),
            ("GET / SSH-2.0", None),
            ("GET / HTTP/1.", None),
            ("-", None),
            ("", None),
        ] {
            assert_eq!(split_request(request), parts, "{request:?}");
        }
    }

    #[test]
    fn access_near_misses() {
        for bad in [
            &b""[..],
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"curl\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"curl\" \"-\" \"0.004\"",
            b"172.31.24.3 - - [23/jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/July/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +00:00] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [2015-07-23T00:21:20+00:00] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] GET / HTTP/1.1 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 20 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 x \"-\" \"c\" \"-\"",
            b"172.31.24.3 - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b" - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET / HTTP/1.1\" 200 99999999999999999999 \"-\" \"c\" \"-\"",
            b"172.31.24.3 - - [23/Jul/2015:00:21:20 +0000] \"GET /\xff HTTP/1.1\" 200 11 \"-\" \"c\" \"-\"",
            b"1437609879.311\"/\"200\"0.083\"0.083\"177.72.242.17",
        ] {
            assert_eq!(
                parse_access_line(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn error_header_fixtures() {
        let cases: &[(&[u8], ErrorHeader, &[u8])] = &[
            (
                b"2023/03/11 18:10:12 [error] 4014#4014: *1 connect() failed (111: Connection refused)",
                ErrorHeader {
                    ts: ts((2023, 3, 11), (18, 10, 12)),
                    level: "error",
                    pid: 4014,
                    tid: 4014,
                    connection: Some(1),
                },
                b"connect() failed (111: Connection refused)",
            ),
            (
                b"2022/09/14 17:51:58 [notice] 3011#3011: signal process started",
                ErrorHeader {
                    ts: ts((2022, 9, 14), (17, 51, 58)),
                    level: "notice",
                    pid: 3011,
                    tid: 3011,
                    connection: None,
                },
                b"signal process started",
            ),
            (
                b"2022/09/14 18:41:07 [warn] 3012#3012: *18446744073709551615 a client request body is buffered",
                ErrorHeader {
                    ts: ts((2022, 9, 14), (18, 41, 7)),
                    level: "warn",
                    pid: 3012,
                    tid: 3012,
                    connection: Some(u64::MAX),
                },
                b"a client request body is buffered",
            ),
            (
                b"2022/09/14 18:41:07 [emerg] 1#2:",
                ErrorHeader {
                    ts: ts((2022, 9, 14), (18, 41, 7)),
                    level: "emerg",
                    pid: 1,
                    tid: 2,
                    connection: None,
                },
                b"",
            ),
        ];
        for (input, expected, message) in cases {
            let (rest, h) = parse_error_header(input).unwrap();
            assert_eq!(&h, expected, "{:?}", String::from_utf8_lossy(input));
            assert_eq!(rest, *message);
            assert!(is_error_header(input));
        }
        for level in [
            "debug", "info", "notice", "warn", "error", "crit", "alert", "emerg",
        ] {
            let line = format!("2022/09/14 18:41:07 [{level}] 7#7: x");
            assert_eq!(parse_error_header(line.as_bytes()).unwrap().1.level, level);
        }
    }

    #[test]
    fn error_header_near_misses() {
        for bad in [
            &b""[..],
            b"2022/09/14 18:41:07 [warning] 3012#3012: x",
            b"2022/09/14 18:41:07 [ERROR] 3012#3012: x",
            b"2022/09/14 18:41:07 [error] 3012: x",
            b"2022/09/14 18:41:07 [error] #3012: x",
            b"2022/09/14 18:41:07 [error] 3012#3012 x",
            b"2022/09/14 18:41:07 [error] 99999999999#1: x",
            b"2022-09-14 18:41:07 [error] 3012#3012: x",
            b"2022/09/14 18:41:07.123 [error] 3012#3012: x",
            b"2022/09/14 18:41 [error] 3012#3012: x",
            b"2022/09/14 18:41:07 error 3012#3012: x",
            b"nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
            b"2022/09/14 18:41:07.052817 [INFO] Executing instruction: StopProxy",
        ] {
            assert!(
                parse_error_header(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
            assert!(!is_error_header(bad));
        }
        // An oversized connection number is not taken as one: it stays in the message.
        let (rest, h) =
            parse_error_header(b"2022/09/14 18:41:07 [warn] 7#7: *99999999999999999999 x").unwrap();
        assert_eq!(h.connection, None);
        assert_eq!(rest, b"*99999999999999999999 x");
    }

    fn empty(text: &str) -> ErrorMessage<'_> {
        ErrorMessage {
            text,
            message: text,
            errno: None,
            reason: None,
            action: None,
            upstream_problem: None,
            client: None,
            server: None,
            request: None,
            subrequest: None,
            upstream: None,
            host: None,
            referrer: None,
        }
    }

    #[test]
    fn error_message_fixtures() {
        let cases = [
            (
                "connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.1.23, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8080/\", host: \"x.elasticbeanstalk.com\"",
                ErrorMessage {
                    text: "connect() failed (111: Connection refused) while connecting to upstream",
                    message: "connect() failed",
                    errno: Some(111),
                    reason: Some("Connection refused"),
                    action: Some("connecting to upstream"),
                    upstream_problem: Some(UpstreamProblem::ConnectFailed),
                    client: Some("10.0.1.23"),
                    server: Some("_"),
                    request: Some("GET / HTTP/1.1"),
                    upstream: Some("http://127.0.0.1:8080/"),
                    host: Some("x.elasticbeanstalk.com"),
                    ..empty("")
                },
            ),
            (
                "upstream prematurely closed connection while reading response header from upstream, client: 172.31.44.17, server: , request: \"POST /api/orders HTTP/1.1\", upstream: \"http://127.0.0.1:8080/api/orders\", host: \"a.example.com\", referrer: \"https://a.example.com/checkout\"\n",
                ErrorMessage {
                    text: "upstream prematurely closed connection while reading response header from upstream",
                    message: "upstream prematurely closed connection",
                    action: Some("reading response header from upstream"),
                    upstream_problem: Some(UpstreamProblem::PrematurelyClosed),
                    client: Some("172.31.44.17"),
                    server: Some(""),
                    request: Some("POST /api/orders HTTP/1.1"),
                    upstream: Some("http://127.0.0.1:8080/api/orders"),
                    host: Some("a.example.com"),
                    referrer: Some("https://a.example.com/checkout"),
                    ..empty("")
                },
            ),
            (
                "upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: _, request: \"GET /slow HTTP/1.1\", upstream: \"http://127.0.0.1:8080/slow\", host: \"h\"",
                ErrorMessage {
                    text: "upstream timed out (110: Connection timed out) while reading response header from upstream",
                    message: "upstream timed out",
                    errno: Some(110),
                    reason: Some("Connection timed out"),
                    action: Some("reading response header from upstream"),
                    upstream_problem: Some(UpstreamProblem::TimedOut),
                    client: Some("1.2.3.4"),
                    server: Some("_"),
                    request: Some("GET /slow HTTP/1.1"),
                    upstream: Some("http://127.0.0.1:8080/slow"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 1.2.3.4",
                ErrorMessage {
                    text: "recv() failed (104: Connection reset by peer) while reading response header from upstream",
                    message: "recv() failed",
                    errno: Some(104),
                    reason: Some("Connection reset by peer"),
                    action: Some("reading response header from upstream"),
                    upstream_problem: Some(UpstreamProblem::Reset),
                    client: Some("1.2.3.4"),
                    ..empty("")
                },
            ),
            (
                "connect() to unix:/run/php-fpm/www.sock failed (2: No such file or directory) while connecting to upstream, client: 1.2.3.4, server: , request: \"GET /a, host: b HTTP/1.1\", upstream: \"fastcgi://unix:/run/php-fpm/www.sock:\", host: \"h\"",
                ErrorMessage {
                    text: "connect() to unix:/run/php-fpm/www.sock failed (2: No such file or directory) while connecting to upstream",
                    message: "connect() to unix:/run/php-fpm/www.sock failed",
                    errno: Some(2),
                    reason: Some("No such file or directory"),
                    action: Some("connecting to upstream"),
                    upstream_problem: Some(UpstreamProblem::ConnectFailed),
                    client: Some("1.2.3.4"),
                    server: Some(""),
                    request: Some("GET /a, host: b HTTP/1.1"),
                    upstream: Some("fastcgi://unix:/run/php-fpm/www.sock:"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "no live upstreams while connecting to upstream, client: 1.2.3.4, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://app/\", host: \"h\"",
                ErrorMessage {
                    text: "no live upstreams while connecting to upstream",
                    message: "no live upstreams",
                    action: Some("connecting to upstream"),
                    upstream_problem: Some(UpstreamProblem::NoLiveUpstreams),
                    client: Some("1.2.3.4"),
                    server: Some("_"),
                    request: Some("GET / HTTP/1.1"),
                    upstream: Some("http://app/"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "open() \"/usr/share/nginx/html/robots.txt\" failed (2: No such file or directory), client: 1.2.3.4, server: _, request: \"GET /robots.txt HTTP/1.1\", host: \"h\"",
                ErrorMessage {
                    text: "open() \"/usr/share/nginx/html/robots.txt\" failed (2: No such file or directory)",
                    message: "open() \"/usr/share/nginx/html/robots.txt\" failed",
                    errno: Some(2),
                    reason: Some("No such file or directory"),
                    client: Some("1.2.3.4"),
                    server: Some("_"),
                    request: Some("GET /robots.txt HTTP/1.1"),
                    host: Some("h"),
                    ..empty("")
                },
            ),
            (
                "bind() to 0.0.0.0:80 failed (98: Address already in use)",
                ErrorMessage {
                    text: "bind() to 0.0.0.0:80 failed (98: Address already in use)",
                    message: "bind() to 0.0.0.0:80 failed",
                    errno: Some(98),
                    reason: Some("Address already in use"),
                    ..empty("")
                },
            ),
            // An unterminated quote keeps its quote; a trailing key with no value.
            (
                "x, client: 1.2.3.4, request: \"GET /, host:",
                ErrorMessage {
                    client: Some("1.2.3.4"),
                    request: Some("\"GET /"),
                    host: Some(""),
                    ..empty("x")
                },
            ),
            ("signal process started", empty("signal process started")),
            ("", empty("")),
            // Parentheses that are no errno part.
            (
                "worker process 3012 exited on signal 9 (core dumped)",
                empty("worker process 3012 exited on signal 9 (core dumped)"),
            ),
            ("a (x: y)", empty("a (x: y)")),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_error_message(input), expected, "{input:?}");
        }
    }

    fn sample(name: &str) -> String {
        let path = format!("{}/../samples/al2/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn sample_access_log_matches_the_healthd_log() {
        let access = sample("nginx/access.log");
        let appstat = sample("nginx/healthd/application.log.2022-09-14-18");
        let mut n = 0;
        for (a, h) in access.lines().zip(appstat.lines()) {
            let a = parse_access_line(a.as_bytes()).expect("every access line parses");
            let h = crate::healthd::parse_appstat_line(h.as_bytes()).expect("healthd line");
            // The same request in both logs: time, status, path without query, client.
            let secs = 1_663_178_400 + 60 * i64::from(a.ts.minute) + i64::from(a.ts.second);
            assert_eq!((a.ts.day, a.ts.hour, a.utc_offset_s), (14, 18, 0));
            assert_eq!(h.epoch_ms / 1000, secs);
            assert_eq!(h.status, Some(a.status));
            assert_eq!(
                Some(h.path),
                a.path.map(|p| p.split('?').next().unwrap_or(p))
            );
            assert_eq!(h.forwarded_for, a.forwarded_for);
            n += 1;
        }
        assert_eq!(
            (n, access.lines().count(), appstat.lines().count()),
            (46, 46, 46)
        );
    }

    #[test]
    fn sample_error_log_parses_in_full() {
        let text = sample("nginx/error.log");
        let mut problems = Vec::new();
        for line in text.lines() {
            let (rest, h) = parse_error_header(line.as_bytes()).expect("every line is a header");
            assert_eq!(h.pid, h.tid);
            let m = parse_error_message(std::str::from_utf8(rest).unwrap());
            if h.connection.is_some() {
                assert_eq!((m.server, m.client.is_some()), (Some(""), true), "{line}");
            }
            problems.push(m.upstream_problem);
        }
        assert_eq!(problems.len(), 21);
        let count = |p| problems.iter().filter(|&&q| q == p).count();
        assert_eq!(count(Some(UpstreamProblem::ConnectFailed)), 17);
        assert_eq!(count(Some(UpstreamProblem::PrematurelyClosed)), 1);
        assert_eq!(count(Some(UpstreamProblem::TimedOut)), 1);
        assert_eq!(count(None), 2);
    }

    proptest! {
        #[test]
        fn never_panics(input in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_access_line(&input);
            let _ = parse_error_header(&input);
            let _ = is_error_header(&input);
        }

        #[test]
        fn error_message_never_panics(input in "\\PC*") {
            let _ = parse_error_message(&input);
        }

        #[test]
        fn error_message_never_panics_on_tail_like_text(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just(", client: "), Just(", server: "), Just(", request: "),
                    Just(", upstream: "), Just(", host: "), Just(", referrer: "),
                    Just("\""), Just(" while "), Just(" ("), Just("111: "), Just(")"),
                    Just("é"), Just("x"), Just(", host:"), Just(" "),
                ],
                0..16,
            )
        ) {
            let text: String = pieces.concat();
            let m = parse_error_message(&text);
            prop_assert!(m.text.len() <= text.len());
        }

        #[test]
        fn never_panics_on_mutated_lines(at in 0usize..200, byte in any::<u8>(), cut in 0usize..200) {
            for valid in [
                &b"10.0.0.5 - admin [01/Dec/2021:23:59:59 -0930] \"POST /api/x HTTP/2.0\" 502 157 \"https://example.com/a\" \"Mozilla/5.0\" \"203.0.113.9, 10.0.0.1\""[..],
                b"2023/03/11 18:10:12 [error] 4014#4014: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.1.23, server: , request: \"GET / HTTP/1.1\"",
            ] {
                let mut v = valid.to_vec();
                if let Some(b) = v.get_mut(at) {
                    *b = byte;
                }
                v.truncate(cut);
                let _ = parse_access_line(&v);
                if let Ok((rest, _)) = parse_error_header(&v) {
                    let _ = parse_error_message(&String::from_utf8_lossy(rest));
                }
            }
        }
    }
}
