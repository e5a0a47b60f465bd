//! cfn-wire.log messages → events (docs/formats.md "cfn-wire.log").

use super::{Found, Message};
use crate::record::Event;
use eblog_grammars::cfn_wire::{parse_message, WireMessage};
use eblog_grammars::py_repr::parse_py_repr;

/// The event of one cfn-wire.log record.
pub(crate) fn event(msg: &Message<'_>) -> Found {
    match parse_message(msg.first) {
        Some(WireMessage::Response {
            status,
            url,
            headers,
        }) => Event::HttpResponse {
            status,
            url: url.to_owned(),
            headers: headers.and_then(|h| parse_py_repr(h).ok()),
        }
        .into(),
        Some(WireMessage::Error { body }) => Event::HttpError {
            body: msg.tail_from(body),
        }
        .into(),
        None => super::generic::event(msg),
    }
}
