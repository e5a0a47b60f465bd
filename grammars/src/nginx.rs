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
mod tests;
