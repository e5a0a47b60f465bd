//! The line header of cloud-init's own log, `/var/log/cloud-init.log` (docs/formats.md
//! "cloud-init.log"): Python `logging` with cloud-init's format
//! `%(asctime)s - %(filename)s[%(levelname)s]: %(message)s`.
//!
//! <pre>
//! header = python-ts SP "-" SP module "[" level "]:" [ SP ]   ; message follows
//! module = 1*( ALPHA / DIGIT / "_" / "." / "-" )                ; util.py, handlers.py
//! level  = 1*12UPALPHA                                         ; DEBUG / INFO / WARNING ...
//! </pre>
//!
//! A record is a header line plus every following line that is not a header (Python
//! tracebacks that `util.logexc` writes after a `WARNING`, multi-line command output).

use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::combinator::opt;
use nom::{IResult, Parser};

use crate::common::{python_timestamp, Timestamp};

/// The parsed header of one cloud-init.log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloudInitHeader<'a> {
    /// Wall-clock time of the record (the instance's zone, UTC on EC2 images).
    pub ts: Timestamp,
    /// The Python file that logged the line (`util.py`, `cc_scripts_user.py`).
    pub module: &'a str,
    /// The level name as written (`DEBUG`, `WARNING`, ...).
    pub level: &'a str,
}

fn is_module_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Parses the header at the start of `line`; the remaining input is the message text.
pub fn parse_header(line: &[u8]) -> IResult<&[u8], CloudInitHeader<'_>> {
    let (rest, (ts, _, module, _, level, _)) = (
        python_timestamp,
        tag(" - "),
        take_while1(is_module_byte),
        tag("["),
        take_while_m_n(1, 12, |b: u8| b.is_ascii_uppercase()),
        tag("]:"),
    )
        .parse(line)?;
    let (rest, _) = opt(tag(" ")).parse(rest)?;
    // Both runs are ASCII by construction.
    let text = |b| std::str::from_utf8(b).unwrap_or_default();
    Ok((
        rest,
        CloudInitHeader {
            ts,
            module: text(module),
            level: text(level),
        },
    ))
}

/// Whether `line` starts with a cloud-init.log header.
pub fn is_header(line: &[u8]) -> bool {
    // Cheap rejection before the grammar: a header starts with a digit and has '-' at
    // byte 4 and " - " after the 23-byte stamp.
    line.len() >= 30
        && line[0].is_ascii_digit()
        && line[4] == b'-'
        && &line[23..26] == b" - "
        && parse_header(line).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_module_level_and_message() {
        let line = b"2026-11-30 07:14:52,301 - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)";
        let (msg, h) = parse_header(line).unwrap();
        assert_eq!(h.module, "cc_scripts_user.py");
        assert_eq!(h.level, "WARNING");
        assert_eq!(
            (h.ts.year, h.ts.month, h.ts.day, h.ts.hour),
            (2026, 11, 30, 7)
        );
        assert_eq!(h.ts.nanos, 301_000_000);
        assert!(msg.starts_with(b"Failed to run module scripts-user"));
    }

    #[test]
    fn rejects_other_layouts() {
        // cfn-hup's layout has no " - module[LEVEL]:".
        assert!(!is_header(
            b"2026-11-30 07:14:52,301 [INFO] Received command x"
        ));
        // A traceback line continues the record before it.
        assert!(!is_header(b"Traceback (most recent call last):"));
        assert!(!is_header(
            b"2026-11-30 07:14:52,301 - util.py[debug]: lower-case level"
        ));
        assert!(!is_header(b"2026-11-30 07:14:52,301 - "));
        assert!(is_header(b"2026-11-30 07:14:52,301 - util.py[DEBUG]:"));
    }
}
