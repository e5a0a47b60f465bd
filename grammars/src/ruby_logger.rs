//! The line header of the legacy command processor's Ruby `Logger` formatter, shared by
//! eb-commandprocessor.log and eb-activity.log (docs/formats.md "The Ruby Logger header").
//!
//! <pre>
//! header    = "[" ruby-ts "]" SP severity SP pidfield ( ": " / "- [" path "] : " )
//! severity  = 1*5UPALPHA *SP          ; Ruby SEV_LABEL left-justified to 5: "INFO ", "WARN "
//! pidfield  = "[" 1*DIGIT "]" *SP     ; "[pid]" left-justified to 7, then one space
//! path      = the activity path, up to the first "] : "   ; may itself contain "]"
//! </pre>
//!
//! eb-commandprocessor.log never writes a path; eb-activity.log always does. A message may
//! continue on the following lines (the result JSON, exception chains, indented results):
//! see docs/formats.md "Ruby multi-line rules".

use nom::bytes::complete::{tag, take_until, take_while, take_while1, take_while_m_n};
use nom::character::complete::char;
use nom::sequence::delimited;
use nom::{IResult, Parser};

use crate::common::{ruby_timestamp, Timestamp};

/// The parsed header of one Ruby logger line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RubyHeader<'a> {
    /// UTC time of the record.
    pub ts: Timestamp,
    /// Severity label, trimmed (`DEBUG`, `INFO`, `WARN`, `ERROR`, ...).
    pub level: &'a str,
    /// Process id of the Ruby process that wrote the line.
    pub pid: u32,
    /// The activity path (`progname`), present in eb-activity.log lines.
    pub activity: Option<&'a str>,
}

fn severity(input: &[u8]) -> IResult<&[u8], &str> {
    let (rest, (label, _)) = (
        take_while_m_n(1, 5, |b: u8| b.is_ascii_uppercase()),
        take_while(|b| b == b' '),
    )
        .parse(input)?;
    // Only ASCII upper-case letters were taken.
    Ok((rest, std::str::from_utf8(label).unwrap_or_default()))
}

fn pid_field(input: &[u8]) -> IResult<&[u8], u32> {
    let (rest, digits) = delimited(
        char('['),
        take_while1(|b: u8| b.is_ascii_digit()),
        char(']'),
    )
    .parse(input)?;
    let value = std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Digit))
        })?;
    let (rest, _) = take_while(|b| b == b' ').parse(rest)?;
    Ok((rest, value))
}

fn activity_path(input: &[u8]) -> IResult<&[u8], &str> {
    let (rest, (_, path, _)) = (tag("- ["), take_until("] :"), tag("] :")).parse(input)?;
    let path = std::str::from_utf8(path).map_err(|_| {
        nom::Err::Error(nom::error::Error::new(input, nom::error::ErrorKind::Verify))
    })?;
    Ok((rest, path))
}

/// Parses the header at the start of `line`; the remaining input is the message text.
pub fn parse_header(line: &[u8]) -> IResult<&[u8], RubyHeader<'_>> {
    let (rest, (_, ts, _, _)) = (char('['), ruby_timestamp, char(']'), char(' ')).parse(line)?;
    let (rest, level) = severity(rest)?;
    let (rest, pid) = pid_field(rest)?;
    let (rest, activity) = match rest.first() {
        Some(b':') => (&rest[1..], None),
        _ => {
            let (rest, path) = activity_path(rest)?;
            (rest, Some(path))
        }
    };
    // Ruby writes " : #{msg}": one space before the message.
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    Ok((
        rest,
        RubyHeader {
            ts,
            level,
            pid,
            activity,
        },
    ))
}

/// Whether `line` starts with a Ruby logger header.
pub fn is_header(line: &[u8]) -> bool {
    line.len() >= 32 && line[0] == b'[' && line[25] == b']' && parse_header(line).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> (RubyHeader<'_>, &str) {
        let (msg, h) = parse_header(line.as_bytes()).unwrap();
        (h, std::str::from_utf8(msg).unwrap())
    }

    #[test]
    fn pid_padding_of_three_to_six_digits() {
        for (line, pid) in [
            ("[2018-09-17T23:29:07.266Z] INFO  [123]   : msg", 123),
            ("[2018-09-17T23:29:07.266Z] INFO  [2273]  : msg", 2273),
            ("[2018-09-17T23:29:07.266Z] DEBUG [16122] : msg", 16122),
            ("[2018-09-17T23:29:07.266Z] INFO  [123456] : msg", 123456),
        ] {
            let (h, msg) = header(line);
            assert_eq!((h.pid, msg, h.activity), (pid, "msg", None), "{line}");
        }
    }

    #[test]
    fn trims_severity_padding() {
        let (h, _) = header("[2018-09-17T23:29:07.266Z] WARN  [2273]  : x");
        assert_eq!(h.level, "WARN");
        let (h, _) = header("[2018-09-17T23:29:07.266Z] ERROR [2273]  : x");
        assert_eq!(h.level, "ERROR");
    }

    #[test]
    fn activity_path_may_contain_brackets() {
        let (h, msg) =
            header("[2020-08-21T04:26:38.760Z] INFO  [6351]  - [Application update v[2]@4/AppDeployStage0] : Starting activity...");
        assert_eq!(
            h.activity,
            Some("Application update v[2]@4/AppDeployStage0")
        );
        assert_eq!(msg, "Starting activity...");
        let (h, msg) = header(
            "[2020-08-21T04:26:38.760Z] INFO  [26103] - [CMD-TailLogs] : Completed activity.",
        );
        assert_eq!(
            (h.pid, h.activity, msg),
            (26103, Some("CMD-TailLogs"), "Completed activity.")
        );
    }

    #[test]
    fn result_line_ends_with_space_before_newline() {
        let (_, msg) = header(
            "[2018-09-17T23:29:30.255Z] INFO  [2273]  : Command processor returning results: ",
        );
        assert_eq!(msg, "Command processor returning results: ");
    }

    #[test]
    fn rejects_non_headers() {
        for line in [
            &b"{\"status\":\"SUCCESS\"}"[..],
            b"  + initctl stop eb-ecs",
            b"\tat /opt/elasticbeanstalk/lib/ruby/x.rb:12",
            b"[2018-09-17T23:29:07.266Z] INFO  2273 : no brackets",
            b"[2018-09-17 23:29:07,266] INFO  [2273]  : python stamp",
            b"",
        ] {
            assert!(!is_header(line), "{:?}", String::from_utf8_lossy(line));
        }
    }
}
