//! Decoding: one framed span of bytes → one typed [`Record`]. The header grammar gives the
//! envelope; the format's template grammar gives the kind and its fields.

mod activity;
mod cfn_hup;
mod cfn_wire;
mod cmd_processor;
mod generic;

use crate::framing::{Span, SpanKind};
use crate::ids;
use crate::record::{Event, Format, Record};
use crate::time::{rfc3339, Zone};
use eblog_grammars::{amzn, ruby_logger};
use std::borrow::Cow;
use std::sync::Arc;

/// What a decoder needs to know about the file a span came from.
#[derive(Debug, Clone)]
pub struct Context {
    /// The input as the user named it.
    pub source: Arc<str>,
    /// The format of the file, `None` when unknown.
    pub format: Option<Format>,
    /// Zone of local-time stamps (cfn-* logs).
    pub zone: Zone,
    /// Instance id found in the path.
    pub instance_id: Option<String>,
    /// Environment id found in the path.
    pub environment_id: Option<String>,
}

impl Context {
    /// A context for `source` in `format`, with the ids its path names.
    pub fn new(source: &str, format: Option<Format>, zone: Zone) -> Self {
        Self {
            source: Arc::from(source),
            format,
            zone,
            instance_id: ids::instance_id(source).map(str::to_owned),
            environment_id: ids::environment_id(source).map(str::to_owned),
        }
    }
}

/// The parts of a record's message a template decoder looks at.
pub(crate) struct Message<'a> {
    /// The level, trimmed.
    pub level: &'a str,
    /// The first line of the message.
    pub first: &'a str,
    /// The continuation lines, joined with `\n`, when there are any.
    pub rest: Option<&'a str>,
}

impl Message<'_> {
    /// The whole message after `prefix_len` bytes of the first line, continuation included.
    pub fn tail_from(&self, first_tail: &str) -> String {
        match self.rest {
            Some(rest) => format!("{first_tail}\n{rest}"),
            None => first_tail.to_owned(),
        }
    }

    /// Whether the level is an error level.
    pub fn is_error_level(&self) -> bool {
        matches!(self.level, "ERROR" | "CRITICAL" | "FATAL")
    }
}

/// Text of `bytes` with invalid UTF-8 replaced, `\r\n` turned into `\n`, and trailing
/// line terminators removed.
pub(crate) fn text(bytes: &[u8]) -> Cow<'_, str> {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let text = String::from_utf8_lossy(&bytes[..end]);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        text
    }
}

struct Header<'a> {
    ts: Option<String>,
    level: &'a str,
    pid: Option<u32>,
    activity: Option<&'a str>,
    message: &'a [u8],
}

fn header<'a>(format: Format, bytes: &'a [u8], zone: Zone) -> Option<Header<'a>> {
    match format {
        Format::CfnHup | Format::CfnInit | Format::CfnWire | Format::CfnInitCmd => {
            let (message, h) = amzn::parse_header(bytes).ok()?;
            Some(Header {
                ts: rfc3339(&h.ts, zone),
                level: h.level,
                pid: h.pid,
                activity: None,
                message,
            })
        }
        Format::CmdProcessor | Format::Activity => {
            let (message, h) = ruby_logger::parse_header(bytes).ok()?;
            Some(Header {
                ts: rfc3339(&h.ts, Zone::Utc),
                level: h.level,
                pid: Some(h.pid),
                activity: h.activity,
                message,
            })
        }
    }
}

/// Decodes the span `span` whose bytes are `bytes` into a record.
pub fn decode(span: &Span, bytes: &[u8], ctx: &Context) -> Record {
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
            reason: if ctx.format.is_some() {
                "before_first_header"
            } else {
                "unknown_format"
            },
        },
        message: String::new(),
        instance_id: ctx.instance_id.clone(),
        environment_id: ctx.environment_id.clone(),
    };
    let parsed = match (span.kind, ctx.format) {
        (SpanKind::Record, Some(format)) => header(format, bytes, ctx.zone).map(|h| (format, h)),
        _ => None,
    };
    let Some((format, h)) = parsed else {
        record.message = text(bytes).into_owned();
        return record;
    };
    let message = text(h.message);
    let (first, rest) = match message.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (message.as_ref(), None),
    };
    let msg = Message {
        level: h.level,
        first,
        rest,
    };
    let found = match format {
        Format::CfnHup => cfn_hup::event(&msg),
        Format::CmdProcessor => cmd_processor::event(&msg),
        Format::Activity => activity::event(&msg),
        Format::CfnWire => cfn_wire::event(&msg),
        Format::CfnInit | Format::CfnInitCmd => generic::event(&msg),
    };
    record.event = found.event;
    if let Some(id) = found.instance_id {
        record.instance_id = Some(id);
    }
    record.ts = h.ts;
    record.level = Some(h.level.to_owned());
    record.pid = h.pid;
    record.activity = h.activity.map(str::to_owned);
    record.message = message.into_owned();
    record
}

/// What a template decoder found: the event, and an instance id the record names.
pub(crate) struct Found {
    pub event: Event,
    pub instance_id: Option<String>,
}

impl From<Event> for Found {
    fn from(event: Event) -> Self {
        Found {
            event,
            instance_id: None,
        }
    }
}
