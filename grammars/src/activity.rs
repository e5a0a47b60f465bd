//! Message templates of eb-activity.log (docs/formats.md "eb-activity.log"): what follows the Ruby logger
//! header and its ` - [activity/path] : ` part.
//!
//! <pre>
//! message  = start / completed / failed-because / failed / timed-out / internal / retry
//! start    = "Starting activity" [ " with a timeout of " 1*DIGIT " seconds" ] "..."
//! completed= "Completed activity." [ " Result:" ]      ; result lines follow, indented "  "
//! failed-because = ( "Activity execution failed, because: "
//!                  / "Activity has unexpected exception, because: " ) exception-chain
//! failed   = "Activity failed."
//! timed-out= "Activity timed out after " 1*DIGIT " seconds." / "Activity timed out."
//! internal = "Activity internal failure."
//! retry    = "Retrying " 1*DIGIT " of " 1*DIGIT "..." / "Reached activity retry limit of " 1*DIGIT "."
//! </pre>

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::combinator::{all_consuming, opt, rest, value};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

/// How an activity ended, as its end line says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityEnd {
    /// `Completed activity.` (with or without a result).
    Completed,
    /// `Activity failed.`
    Failed,
    /// `Activity timed out...`
    TimedOut,
    /// `Activity internal failure.`
    InternalFailure,
}

/// A recognised eb-activity.log message template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityMessage<'a> {
    /// `Starting activity...`, optionally with a timeout in seconds.
    Start {
        /// The timeout, when the activity has one.
        timeout_s: Option<u64>,
    },
    /// An end line.
    End {
        /// How it ended.
        end: ActivityEnd,
        /// Whether `Result:` lines follow (completed activities only).
        has_result: bool,
        /// The timeout in seconds, for `timed out after N seconds`.
        timeout_s: Option<u64>,
    },
    /// `Activity execution failed, because: ...` or `Activity has unexpected exception,
    /// because: ...`; the exception chain goes on over continuation lines.
    Error {
        /// `true` for the unexpected-exception variant.
        unexpected: bool,
        /// The first line of the exception text.
        first_line: &'a str,
    },
    /// `Retrying K of N...` / `Reached activity retry limit of N.`.
    Retry {
        /// Attempt number, for the `Retrying` line.
        attempt: Option<u32>,
        /// The retry limit.
        limit: u32,
    },
}

type Res<'a, T> = IResult<&'a str, T>;

fn start(i: &str) -> Res<'_, ActivityMessage<'_>> {
    (
        tag("Starting activity"),
        opt(delimited(
            tag(" with a timeout of "),
            nom::character::complete::u64,
            tag(" seconds"),
        )),
        tag("..."),
    )
        .map(|(_, timeout_s, _)| ActivityMessage::Start { timeout_s })
        .parse(i)
}

fn end(i: &str) -> Res<'_, ActivityMessage<'_>> {
    let ended = |end, has_result, timeout_s| ActivityMessage::End {
        end,
        has_result,
        timeout_s,
    };
    alt((
        (tag("Completed activity."), opt(tag(" Result:")))
            .map(move |(_, result)| ended(ActivityEnd::Completed, result.is_some(), None)),
        value(
            ended(ActivityEnd::Failed, false, None),
            tag("Activity failed."),
        ),
        delimited(
            tag("Activity timed out after "),
            nom::character::complete::u64,
            tag(" seconds."),
        )
        .map(move |s| ended(ActivityEnd::TimedOut, false, Some(s))),
        value(
            ended(ActivityEnd::TimedOut, false, None),
            tag("Activity timed out."),
        ),
        value(
            ended(ActivityEnd::InternalFailure, false, None),
            tag("Activity internal failure."),
        ),
    ))
    .parse(i)
}

fn error(i: &str) -> Res<'_, ActivityMessage<'_>> {
    alt((
        preceded(tag("Activity execution failed, because:"), rest).map(|t: &str| (false, t)),
        preceded(tag("Activity has unexpected exception, because:"), rest).map(|t: &str| (true, t)),
    ))
    .map(|(unexpected, t)| ActivityMessage::Error {
        unexpected,
        first_line: t.strip_prefix(' ').unwrap_or(t),
    })
    .parse(i)
}

fn retry(i: &str) -> Res<'_, ActivityMessage<'_>> {
    use nom::character::complete::u32 as num;
    alt((
        (tag("Retrying "), num, tag(" of "), num, tag("...")).map(|(_, a, _, l, _)| {
            ActivityMessage::Retry {
                attempt: Some(a),
                limit: l,
            }
        }),
        delimited(tag("Reached activity retry limit of "), num, tag(".")).map(|l| {
            ActivityMessage::Retry {
                attempt: None,
                limit: l,
            }
        }),
    ))
    .parse(i)
}

/// Recognises the template of an eb-activity.log message's first line; `None` for text
/// that matches no known template. Trailing spaces are ignored.
pub fn parse_message(first_line: &str) -> Option<ActivityMessage<'_>> {
    let line = first_line.trim_end();
    match error(line) {
        Ok((_, m)) => Some(m),
        Err(_) => all_consuming(alt((start, end, retry)))
            .parse(line)
            .ok()
            .map(|(_, m)| m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_and_ends() {
        assert_eq!(
            parse_message("Starting activity..."),
            Some(ActivityMessage::Start { timeout_s: None })
        );
        assert_eq!(
            parse_message("Starting activity with a timeout of 600 seconds..."),
            Some(ActivityMessage::Start {
                timeout_s: Some(600)
            })
        );
        assert_eq!(
            parse_message("Completed activity. Result:"),
            Some(ActivityMessage::End {
                end: ActivityEnd::Completed,
                has_result: true,
                timeout_s: None
            })
        );
        assert_eq!(
            parse_message("Completed activity."),
            Some(ActivityMessage::End {
                end: ActivityEnd::Completed,
                has_result: false,
                timeout_s: None
            })
        );
        assert_eq!(
            parse_message("Activity failed."),
            Some(ActivityMessage::End {
                end: ActivityEnd::Failed,
                has_result: false,
                timeout_s: None
            })
        );
        assert_eq!(
            parse_message("Activity timed out after 600 seconds."),
            Some(ActivityMessage::End {
                end: ActivityEnd::TimedOut,
                has_result: false,
                timeout_s: Some(600)
            })
        );
    }

    #[test]
    fn failures_keep_first_line() {
        assert_eq!(
            parse_message(
                "Activity execution failed, because: + exit 1 (Executor::NonZeroExitStatus)"
            ),
            Some(ActivityMessage::Error {
                unexpected: false,
                first_line: "+ exit 1 (Executor::NonZeroExitStatus)"
            })
        );
        assert_eq!(
            parse_message(
                "Activity has unexpected exception, because: No such file (Errno::ENOENT)"
            ),
            Some(ActivityMessage::Error {
                unexpected: true,
                first_line: "No such file (Errno::ENOENT)"
            })
        );
    }

    #[test]
    fn retries_and_unknown() {
        assert_eq!(
            parse_message("Retrying 2 of 3..."),
            Some(ActivityMessage::Retry {
                attempt: Some(2),
                limit: 3
            })
        );
        assert_eq!(parse_message("Completed activity. Extra"), None);
        assert_eq!(parse_message("hello"), None);
    }
}
