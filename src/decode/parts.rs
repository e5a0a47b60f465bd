//! The pieces every decoder shares: the per-file [`Context`], the [`Message`] a template
//! decoder reads, the [`Header`] a header grammar gives and what a decoder [`Found`].
//! They sit below both the formats (`crate::formats`) and the decode loop, so that
//! neither reaches up into the other.

use crate::ids;
use crate::record::{Event, Format};
use crate::time::Zone;
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

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD. Valid text (nearly all of it) is
/// borrowed after one validation pass, which is several times faster than the
/// chunk-by-chunk walk of `String::from_utf8_lossy`.
pub fn lossy_utf8(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
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

/// A record's envelope, as its header grammar gives it.
pub(crate) struct Header<'a> {
    /// RFC 3339 stamp.
    pub ts: Option<String>,
    /// The level as written, trimmed.
    pub level: Option<&'a str>,
    /// Process id.
    pub pid: Option<u32>,
    /// eb-activity.log activity path.
    pub activity: Option<&'a str>,
    /// The message after the header, continuation lines included.
    pub message: &'a [u8],
}

impl<'a> Header<'a> {
    /// A record with no header: the message is the whole text.
    pub(crate) fn bare(message: &'a [u8]) -> Self {
        Header {
            ts: None,
            level: None,
            pid: None,
            activity: None,
            message,
        }
    }
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
