//! Decoding: one framed span of bytes → one typed [`Record`]. The header grammar gives the
//! envelope; the format's template grammar gives the kind and its fields.
#![forbid(unsafe_code)]

mod activity;
mod cfn_hup;
mod cfn_init;
mod cfn_wire;
mod cmd_processor;
mod engine;
mod generic;
mod web;

use crate::framing::{allows_free_text, Span, SpanKind};
use crate::ids;
use crate::record::{Event, Format, Record};
use crate::time::{rfc3339, Zone};
use eblog_grammars::{
    amzn, eb_cfn_init, engine as engine_grammar, healthd, nginx, ruby_logger, web_stdout,
};
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
    /// The year of syslog-style stamps, which carry none (web.stdout.log): the year the
    /// file was last modified. A stamp whose month is later than `month` is taken from
    /// the year before.
    pub year: Option<(i32, u32)>,
    /// Lines that are not records are expected here (a section of a bundle that holds a
    /// log of no known format): they become `other`, not `unparsed`.
    pub free_text: bool,
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
            year: None,
            free_text: false,
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
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let text = lossy_utf8(&bytes[..end]);
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        text
    }
}

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD. Valid text (nearly all of it) is
/// borrowed after one validation pass, which is several times faster than the
/// chunk-by-chunk walk of `String::from_utf8_lossy`.
pub fn lossy_utf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

struct Header<'a> {
    ts: Option<String>,
    level: Option<&'a str>,
    pid: Option<u32>,
    activity: Option<&'a str>,
    message: &'a [u8],
}

impl<'a> Header<'a> {
    /// A record with no header: the message is the whole text.
    fn bare(message: &'a [u8]) -> Self {
        Header {
            ts: None,
            level: None,
            pid: None,
            activity: None,
            message,
        }
    }
}

fn header<'a>(format: Format, bytes: &'a [u8], ctx: &Context) -> Option<Header<'a>> {
    let zone = ctx.zone;
    let h = match format {
        Format::CfnHup | Format::CfnInit | Format::CfnWire | Format::CfnInitCmd => {
            let (message, h) = amzn::parse_header(bytes).ok()?;
            Header {
                ts: rfc3339(&h.ts, zone),
                level: Some(h.level),
                pid: h.pid,
                activity: None,
                message,
            }
        }
        Format::CmdProcessor | Format::Activity => {
            let (message, h) = ruby_logger::parse_header(bytes).ok()?;
            Header {
                ts: rfc3339(&h.ts, Zone::Utc),
                level: Some(h.level),
                pid: Some(h.pid),
                activity: h.activity,
                message,
            }
        }
        Format::EbTools => match amzn::parse_header(bytes) {
            Ok((message, h)) => Header {
                ts: rfc3339(&h.ts, zone),
                level: Some(h.level),
                pid: h.pid,
                activity: None,
                message,
            },
            Err(_) => header(Format::Engine, bytes, ctx)?,
        },
        Format::AppLog => Header {
            ts: web::leading_stamp(bytes),
            ..Header::bare(bytes)
        },
        Format::Engine | Format::Hooks | Format::DockerProcess => {
            let (message, h) = engine_grammar::parse_header(bytes).ok()?;
            Header {
                ts: rfc3339(&h.ts, Zone::Utc),
                level: Some(h.level),
                pid: None,
                activity: None,
                message,
            }
        }
        Format::EbCfnInit => match eb_cfn_init::parse_header(bytes) {
            Ok((message, h)) => Header {
                ts: rfc3339(&h.ts, Zone::Utc),
                message,
                ..Header::bare(bytes)
            },
            Err(_) => Header::bare(bytes),
        },
        Format::Healthd | Format::NginxAccess => Header::bare(bytes),
        Format::HealthdDaemon => {
            let (message, h) = healthd::parse_daemon_header(bytes).ok()?;
            Header {
                ts: rfc3339(&h.ts, zone),
                level: Some(h.level),
                pid: Some(h.pid),
                activity: None,
                message,
            }
        }
        Format::NginxError => {
            let (message, h) = nginx::parse_error_header(bytes).ok()?;
            Header {
                ts: rfc3339(&h.ts, zone),
                level: Some(h.level),
                pid: Some(h.pid),
                activity: None,
                message,
            }
        }
        Format::WebStdout => {
            let (message, h) = web_stdout::parse_header(bytes).ok()?;
            Header {
                ts: syslog_ts(&h, ctx),
                pid: h.pid,
                message,
                ..Header::bare(bytes)
            }
        }
    };
    Some(h)
}

/// The stamp of a syslog line, with the year the context supplies.
fn syslog_ts(h: &web_stdout::SyslogHeader<'_>, ctx: &Context) -> Option<String> {
    let (year, month) = ctx.year?;
    let year = if u32::from(h.month) > month {
        year - 1
    } else {
        year
    };
    let ts = eblog_grammars::common::Timestamp {
        year: u16::try_from(year).ok()?,
        month: h.month,
        day: h.day,
        hour: h.hour,
        minute: h.minute,
        second: h.second,
        nanos: 0,
        fraction_digits: 0,
    };
    rfc3339(&ts, ctx.zone)
}

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
        (SpanKind::Record, Some(format)) => header(format, bytes, ctx).map(|h| (format, h)),
        _ => None,
    };
    let Some((format, h)) = parsed else {
        record.message = text(bytes).into_owned();
        // A blank line (a wrapper's section separator, a file's leading newline) is not
        // bad input.
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        let free = ctx.free_text || ctx.format.is_some_and(allows_free_text);
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
    let found = match format {
        Format::CfnHup => cfn_hup::event(&msg),
        Format::CmdProcessor => cmd_processor::event(&msg),
        Format::Activity => activity::event(&msg),
        Format::CfnWire => cfn_wire::event(&msg),
        Format::CfnInit => cfn_init::cfn_init(&msg),
        Format::CfnInitCmd => cfn_init::cmd_log(&msg),
        Format::EbCfnInit => cfn_init::script(&msg, h.ts.is_some()),
        Format::Engine | Format::Hooks | Format::DockerProcess => engine::event(&msg, prev),
        // Log publishing names the instance in the S3 keys it uploads to.
        Format::EbTools => {
            let mut found = generic::event(&msg);
            found.instance_id = crate::ids::instance_id(first).map(str::to_owned);
            found
        }
        Format::AppLog => web::app_log(&ctx.source),
        Format::Healthd => web::healthd(first),
        Format::NginxAccess => web::access(first),
        Format::NginxError => web::error(&msg),
        Format::WebStdout => web::app_output(bytes),
        Format::HealthdDaemon => generic::event(&msg),
    };
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

/// What a template decoder found: the event, and an instance id and a time stamp the
/// record names (for formats whose stamp is inside the message).
pub(crate) struct Found {
    pub event: Event,
    pub instance_id: Option<String>,
    pub ts: Option<String>,
}

impl From<Event> for Found {
    fn from(event: Event) -> Self {
        Found {
            event,
            instance_id: None,
            ts: None,
        }
    }
}
