//! eb-activity.log messages → events (docs/formats.md "eb-activity.log").

use super::generic::exceptions;
use super::{Found, Message};
use crate::record::{ActivityStatus, Event};
use eblog_grammars::activity::{parse_message, ActivityEnd, ActivityMessage};
use eblog_grammars::ruby_exception::parse_chain;

/// The `Result:` lines with their two-space indentation removed.
fn result_text(rest: &str) -> String {
    let lines: Vec<&str> = rest
        .split('\n')
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect();
    lines.join("\n").trim_end().to_owned()
}

/// The event of one eb-activity.log record.
pub(crate) fn event(msg: &Message<'_>) -> Found {
    let Some(parsed) = parse_message(msg.first) else {
        return super::generic::event(msg);
    };
    match parsed {
        ActivityMessage::Start { timeout_s } => Event::ActivityStart { timeout_s },
        ActivityMessage::End {
            end,
            has_result,
            timeout_s,
        } => Event::ActivityEnd {
            status: match end {
                ActivityEnd::Completed => ActivityStatus::Completed,
                ActivityEnd::Failed => ActivityStatus::Failed,
                ActivityEnd::TimedOut => ActivityStatus::TimedOut,
                ActivityEnd::InternalFailure => ActivityStatus::InternalFailure,
            },
            result: if has_result {
                msg.rest.map(result_text)
            } else {
                None
            },
            timeout_s,
        },
        ActivityMessage::Error {
            unexpected,
            first_line,
        } => {
            let text = msg.tail_from(first_line);
            let chain = parse_chain(&text);
            let error = chain.first().map(|l| l.message.clone()).unwrap_or_default();
            Event::ActivityError {
                unexpected,
                error,
                exceptions: exceptions(chain),
            }
        }
        ActivityMessage::Retry { attempt, limit } => Event::ActivityRetry { attempt, limit },
    }
    .into()
}
