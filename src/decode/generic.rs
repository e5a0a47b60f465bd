//! The fallback for messages whose template has no kind of its own: `error` for error
//! levels (with a Python traceback or a Ruby exception chain, when one follows), `other`
//! for the rest.

use super::{Found, Message};
use crate::record::{Event, ExceptionInfo};
use eblog_grammars::py_traceback::parse_traceback;
use eblog_grammars::ruby_exception::ExceptionLink;

/// `error` or `other`, by level.
pub(crate) fn event(msg: &Message<'_>) -> Found {
    if msg.is_error_level() {
        python_error(msg).into()
    } else {
        Event::Other.into()
    }
}

/// An `error` event whose detail comes from a Python traceback in the continuation lines.
pub(crate) fn python_error(msg: &Message<'_>) -> Event {
    let tb = msg.rest.and_then(parse_traceback);
    Event::Error {
        error: msg.first.to_owned(),
        exception: tb.as_ref().and_then(|t| t.exception.map(str::to_owned)),
        detail: match &tb {
            Some(t) => t.message.clone(),
            None => msg.rest.map(str::to_owned),
        },
        traceback: tb
            .map(|t| t.frames.into_iter().map(str::to_owned).collect())
            .unwrap_or_default(),
    }
}

/// Converts a parsed Ruby exception chain into the record's shape.
pub(crate) fn exceptions(chain: Vec<ExceptionLink<'_>>) -> Vec<ExceptionInfo> {
    chain
        .into_iter()
        .map(|link| ExceptionInfo {
            message: link.message,
            class: link.class.map(str::to_owned),
            backtrace: link.backtrace.into_iter().map(str::to_owned).collect(),
        })
        .collect()
}
