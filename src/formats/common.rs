//! Header grammars that several formats share: the cfn-* layout (`amzn`), Ruby's Logger
//! and the Amazon Linux 2 engine's layout.

use crate::decode::parts::{Context, Header};
use crate::time::{rfc3339, Zone};
use eblog_grammars::{amzn, engine, ruby_logger};

/// `2018-03-26 20:13:12,518 [INFO] ...`, local time in the context's zone; the pid where
/// the line has one (`P123`).
pub(crate) fn amzn_header<'a>(bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    let (message, h) = amzn::parse_header(bytes).ok()?;
    Some(Header {
        ts: rfc3339(&h.ts, ctx.zone),
        level: Some(h.level),
        pid: h.pid,
        activity: None,
        message,
    })
}

/// `[2019-03-04T17:22:05.123Z] INFO  [3127]  - [activity] : ...`, in UTC.
pub(crate) fn ruby_header<'a>(bytes: &'a [u8], _: &Context) -> Option<Header<'a>> {
    let (message, h) = ruby_logger::parse_header(bytes).ok()?;
    Some(Header {
        ts: rfc3339(&h.ts, Zone::Utc),
        level: Some(h.level),
        pid: Some(h.pid),
        activity: h.activity,
        message,
    })
}

/// `2020/08/21 10:11:12.123456 [INFO] ...`, in UTC.
pub(crate) fn engine_header<'a>(bytes: &'a [u8], _: &Context) -> Option<Header<'a>> {
    let (message, h) = engine::parse_header(bytes).ok()?;
    Some(Header {
        ts: rfc3339(&h.ts, Zone::Utc),
        level: Some(h.level),
        pid: None,
        activity: None,
        message,
    })
}

/// The cfn-* layout's header, with no message check: whether a line is one.
pub(crate) fn amzn_parts(line: &[u8]) -> Option<(&[u8], bool)> {
    amzn::parse_header(line)
        .ok()
        .map(|(message, h)| (message, h.pid.is_some()))
}

/// Whether `line` is a cfn-* header without a pid whose message starts with one of
/// `markers`.
pub(crate) fn amzn_message_starts(line: &[u8], markers: &[&str]) -> bool {
    amzn_parts(line).is_some_and(|(message, pid)| {
        !pid && markers.iter().any(|m| message.starts_with(m.as_bytes()))
    })
}
