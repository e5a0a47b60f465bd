//! Decoding: one framed span of bytes → one typed [`Record`]. The header grammar gives the
//! envelope; the format's template grammar gives the kind and its fields.
#![forbid(unsafe_code)]

//!
//! This module is the decode loop ([`decode`]); what a format's header and template are
//! lives in its [`crate::formats`] module, whose decoders call the template decoders here
//! (one module per family of templates). The pieces both share are in [`parts`].

pub(crate) mod activity;
pub(crate) mod cfn_hup;
pub(crate) mod cfn_init;
pub(crate) mod cfn_wire;
pub(crate) mod cmd_processor;
pub(crate) mod engine;
pub(crate) mod generic;
pub mod parts;
pub(crate) mod web;

pub use parts::{text, Context};
pub(crate) use parts::{Found, Message};

use crate::formats::Decoding;
use crate::framing::{Span, SpanKind};
use crate::record::{Event, Record};
use std::sync::Arc;

/// Decodes the span `span` whose bytes are `bytes` into a record. `prev` is the event of
/// the record before it in the same file, for the one format (eb-engine.log) whose
/// command output records are told by what came before.
pub fn decode(span: &Span, bytes: &[u8], ctx: &Context, prev: Option<&Event>) -> Record {
    let mut record = Record {
        source: Arc::clone(&ctx.source),
        line: span.line,
        end_line: span.end_line,
        offset: span.start,
        bytes: span.end - span.start,
        format: ctx.format,
        ts: None,
        level: None,
        pid: None,
        activity: None,
        event: Event::Unparsed {
            reason: match (span.kind, ctx.format) {
                (SpanKind::TooLarge, _) => "record_too_large",
                (_, None) => "unknown_format",
                (SpanKind::Stray, _) => "not_a_record",
                _ => "before_first_header",
            },
        },
        message: String::new(),
        instance_id: ctx.instance_id.clone(),
        environment_id: ctx.environment_id.clone(),
    };
    let parsed = match (span.kind, ctx.format) {
        (SpanKind::Record, Some(format)) => {
            let spec = format.spec();
            (spec.header)(bytes, ctx).map(|h| (spec, h))
        }
        _ => None,
    };
    let Some((spec, h)) = parsed else {
        record.message = text(bytes).into_owned();
        // A blank line (a wrapper's section separator, a file's leading newline) is not
        // bad input.
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        let free = ctx.free_text || ctx.format.is_some_and(|f| f.spec().framing.free_text);
        if span.kind != SpanKind::TooLarge && (blank || free) {
            record.event = Event::Other;
        }
        return record;
    };
    let message = text(h.message);
    let (first, rest) = match message.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (message.as_ref(), None),
    };
    let msg = Message {
        level: h.level.unwrap_or(""),
        first,
        rest,
    };
    let found = (spec.decode)(&Decoding {
        msg: &msg,
        bytes,
        ctx,
        prev,
        stamped: h.ts.is_some(),
    });
    record.event = found.event;
    if let Some(id) = found.instance_id {
        record.instance_id = Some(id);
    }
    record.ts = found.ts.or(h.ts);
    record.level = h.level.map(str::to_owned);
    record.pid = h.pid;
    record.activity = h.activity.map(str::to_owned);
    record.message = message.into_owned();
    record
}

/// What the next record's decoding needs of this one's event (see [`decode`]'s `prev`):
/// a copy of the event when it is a command run or its output, else nothing.
pub fn lookback(event: &Event) -> Option<Event> {
    matches!(
        event,
        Event::CommandExec { .. } | Event::CommandOutput { .. }
    )
    .then(|| event.clone())
}
