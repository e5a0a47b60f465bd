//! The `amzn` line header that aws-cfn-bootstrap's Python `logging` configuration writes
//! in cfn-hup.log, cfn-init.log and cfn-wire.log, and its `amzn_cmd` variant of
//! cfn-init-cmd.log (docs/formats.md "The cfn-* header").
//!
//! <pre>
//! header     = python-ts SP [ "P" 1*DIGIT SP ] "[" level "]" SP   ; message follows
//! level      = 1*12UPALPHA        ; DEBUG / INFO / WARNING / ERROR / CRITICAL in practice
//! </pre>
//!
//! A record is a header line plus every following line that is not a header (tracebacks,
//! raw command output, empty lines): see docs/formats.md "cfn-* multi-line rules". The grammar accepts any run of
//! upper-case letters as the level so that an unexpected level name still frames a record.

use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::char;
use nom::combinator::opt;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::common::{bracketed_level as level, python_timestamp, Timestamp};

/// The parsed header of one `amzn` or `amzn_cmd` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmznHeader<'a> {
    /// Local wall-clock time of the record.
    pub ts: Timestamp,
    /// `P<pid>` of cfn-init-cmd.log lines; `None` for the plain `amzn` layout.
    pub pid: Option<u32>,
    /// The level name as written (`INFO`, `WARNING`, ...).
    pub level: &'a str,
}

fn pid(input: &[u8]) -> IResult<&[u8], u32> {
    let (rest, digits) =
        preceded(char('P'), take_while1(|b: u8| b.is_ascii_digit())).parse(input)?;
    let value = std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Digit))
        })?;
    Ok((rest, value))
}

/// Parses the header at the start of `line`; the remaining input is the message text.
///
/// The single space after `]` belongs to the header; a record whose message is empty may
/// end right after `]`.
pub fn parse_header(line: &[u8]) -> IResult<&[u8], AmznHeader<'_>> {
    let (rest, (ts, _, pid, level)) = (
        python_timestamp,
        char(' '),
        opt((pid, char(' ')).map(|(p, _)| p)),
        level,
    )
        .parse(line)?;
    let (rest, _) = opt(tag(" ")).parse(rest)?;
    Ok((rest, AmznHeader { ts, pid, level }))
}

/// Whether `line` starts with an `amzn` header (with or without the `P<pid>` field).
pub fn is_header(line: &[u8]) -> bool {
    // Cheap rejection before running the grammar: every header starts with a digit and
    // has '-' at byte 4.
    line.len() >= 27 && line[0].is_ascii_digit() && line[4] == b'-' && parse_header(line).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_level_and_leaves_message() {
        let line = b"2017-07-16 23:09:33,602 [INFO] Received command X (invocation id: y)";
        let (msg, h) = parse_header(line).unwrap();
        assert_eq!(h.level, "INFO");
        assert_eq!(h.pid, None);
        assert_eq!(h.ts.hour, 23);
        assert_eq!(msg, b"Received command X (invocation id: y)");
    }

    #[test]
    fn reads_cmd_log_pid() {
        let (msg, h) =
            parse_header(b"2018-03-26 20:13:12,518 P8946 [INFO] Command 85_clear_yum_cache")
                .unwrap();
        assert_eq!((h.pid, h.level), (Some(8946), "INFO"));
        assert_eq!(msg, b"Command 85_clear_yum_cache");
    }

    #[test]
    fn empty_message_is_a_header() {
        let (msg, h) = parse_header(b"2017-07-16 23:09:33,602 [WARNING]").unwrap();
        assert_eq!((h.level, msg), ("WARNING", &b""[..]));
    }

    #[test]
    fn continuation_lines_are_not_headers() {
        for line in [
            &b"Traceback (most recent call last):"[..],
            b"  File \"/usr/lib/python2.7/site-packages/cfnbootstrap/util.py\", line 162, in _retry",
            b"",
            b"2017-07-16 23:09:33,602 INFO no brackets",
            b"2017-07-16 23:09:33.602 [INFO] dot not comma",
            b"[2018-09-17T23:29:07.266Z] INFO  [2273]  : ruby",
            b"2017-07-16 23:09:33,602 [info] lower case",
        ] {
            assert!(!is_header(line), "{:?}", String::from_utf8_lossy(line));
        }
    }
}
