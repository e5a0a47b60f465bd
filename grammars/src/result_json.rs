//! The command result JSON that EB's command processor returns to cfn-hup (logged after
//! `Command processor returning results: `), and the message cfn-hup sends to the result
//! queue (`Sending %s to queue %s`), whose `Data` carries that result as a JSON string.
//!
//! <pre>
//! command-result = ws "{" members "}" ws          ; a JSON object (RFC 8259), with:
//!   "status"       : string                       ; required: SUCCESS / FAILURE / INST_TIMEOUT
//!   "api_version"  : string                       ; "1.0"
//!   "truncated"    : ( "true" / "false" ) / bool  ; a STRING in 1.x and 2.x
//!   "results"      : "[" [ result *( "," result ) ] "]"
//! result         = "{" members "}", with:
//!   "status"       : string
//!   "msg"          : string                       ; may hold "\n"
//!   "returncode"   : int / numeric-string         ; -2 for INST_TIMEOUT
//!   "events"       : "[" [ event *( "," event ) ] "]"
//!   "config_set"   : string                       ; TemplateCommand failures only
//! event          = "{" members "}", with:
//!   "msg"          : string
//!   "severity"     : string                       ; SYSTEM TRACE DEBUG INFO WARN ERROR FATAL
//!   "timestamp"    : int / float / numeric-string ; epoch seconds OR milliseconds
//!
//! sent-message   = ws "{" members "}" ws          ; json.dumps of a Python 2 dict, any order:
//!   "DispatcherId" / "InvocationId" / "CommandName" / "Status" / "ListenerId"
//!   / "Data" / "Message" : string                 ; Data = the command-result, as a string
//!
//! sending-line   = "Sending " sent-message " to queue " queue-url
//!                    ; split at the LAST " to queue "
//! </pre>
//!
//! Every field but the result's `status` may be missing (it then takes its default);
//! unknown fields are ignored. Values are lenient in their representation (a number where a
//! string is expected is kept as its text, `"1"` is accepted where an int is expected) but
//! strict in their content: a `returncode` of `"abc"` is an error.
//!
//! Event timestamps are normalised to milliseconds: a value below
//! [`SECONDS_BELOW`] is taken as seconds (producers using `Time.new.to_i` or
//! `eventHelper.py`), anything else as milliseconds (`Time.now.to_ms`); the unit seen is
//! kept in [`ResultEvent::timestamp_unit`].
//!
//! Containers nested deeper than [`MAX_DEPTH`] are rejected before `serde_json` sees them.

use serde::de::{Deserializer, Error as _, Unexpected};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{PayloadError, MAX_DEPTH};

/// Event timestamps below this value are epoch seconds, others epoch milliseconds
/// (100 000 000 000 s is in the year 5138; 100 000 000 000 ms is in 1973).
pub const SECONDS_BELOW: i64 = 100_000_000_000;

/// The result EB's command processor returns for one command invocation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CommandResult {
    /// `SUCCESS`, `FAILURE` or `INST_TIMEOUT`.
    pub status: String,
    /// `"1.0"`.
    #[serde(default, deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Whether the processor cut events or the message to stay under 1024 bytes; written as
    /// the string `"true"`/`"false"` (a JSON bool is accepted too).
    #[serde(default, deserialize_with = "opt_bool")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
    /// One entry per command (EB sends one).
    #[serde(default, deserialize_with = "vec_or_null")]
    pub results: Vec<ResultEntry>,
}

/// One entry of [`CommandResult::results`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResultEntry {
    /// Same as the top-level status.
    #[serde(default, deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Empty on success; on failure the root-cause output, a newline, the reason and a tip.
    #[serde(default, deserialize_with = "string_or_null")]
    pub msg: String,
    /// The failing hook's exit status, 1, 0 on success or -2 on `INST_TIMEOUT`.
    #[serde(default, deserialize_with = "opt_i64")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returncode: Option<i64>,
    /// Events the hooks emitted, sorted by timestamp.
    #[serde(default, deserialize_with = "vec_or_null")]
    pub events: Vec<ResultEvent>,
    /// Comma-joined config sets (TemplateCommand failures only).
    #[serde(default, deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_set: Option<String>,
}

/// One event of [`ResultEntry::events`].
///
/// Deserializes from EB's `{"msg", "severity", "timestamp"}` (normalising the timestamp) as
/// well as from its own serialized form (`timestamp_ms`, `timestamp_unit`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RawEvent")]
pub struct ResultEvent {
    /// The event text (at most 512 characters).
    pub msg: String,
    /// `SYSTEM`, `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR` or `FATAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// The timestamp in epoch milliseconds, whatever unit it was written in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_ms: Option<i64>,
    /// The unit the timestamp was written in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp_unit: Option<TimestampUnit>,
}

/// The unit an event timestamp was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimestampUnit {
    /// Epoch seconds (`"s"`).
    #[serde(rename = "s")]
    Seconds,
    /// Epoch milliseconds (`"ms"`).
    #[serde(rename = "ms")]
    Milliseconds,
}

/// The body of cfn-hup's `Sending %s to queue %s` line: the message it posts to the
/// CloudFormation command result queue.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SentMessage {
    /// `DispatcherId`: the stack ARN, logical id and invocation, joined with `|`.
    #[serde(default, alias = "DispatcherId", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dispatcher_id: Option<String>,
    /// `InvocationId`.
    #[serde(default, alias = "InvocationId", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    /// `CommandName`, e.g. `ElasticBeanstalkCommand-AWSEBAutoScalingGroup`.
    #[serde(default, alias = "CommandName", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_name: Option<String>,
    /// `Status`: `SUCCESS` or `FAILURE`.
    #[serde(default, alias = "Status", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `ListenerId`: the instance id.
    #[serde(default, alias = "ListenerId", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_id: Option<String>,
    /// `Data`: the hook's stdout (for EB, the command result JSON), as text.
    #[serde(default, alias = "Data", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `Message`: the hook's stderr or cfn-hup's truncation text (failures).
    #[serde(default, alias = "Message", deserialize_with = "opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `data` decoded with [`parse_result_json`], when it is a command result.
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<CommandResult>,
}

/// Parses a command result JSON (docs/formats.md "Command result JSON") into a [`CommandResult`].
///
/// ```
/// use eblog_grammars::result_json::{parse_result_json, TimestampUnit};
///
/// let result = parse_result_json(
///     r#"{"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE",
///         "msg":"Hook failed.","returncode":1,
///         "events":[{"msg":"npm failed","severity":"ERROR","timestamp":1585322370}]}],
///         "truncated":"true"}"#,
/// )
/// .unwrap();
/// assert_eq!(result.truncated, Some(true));
/// let event = &result.results[0].events[0];
/// assert_eq!(event.timestamp_ms, Some(1_585_322_370_000));
/// assert_eq!(event.timestamp_unit, Some(TimestampUnit::Seconds));
/// ```
///
/// # Errors
///
/// A [`PayloadError`] at the byte where the JSON is malformed, just after a field value of
/// the wrong type, at the end of an object that lacks `status`, or at the start when the
/// top level is not an object:
///
/// ```
/// use eblog_grammars::result_json::parse_result_json;
///
/// assert_eq!(parse_result_json(r#"{"status":"SUCCESS",}"#).unwrap_err().offset, 20);
/// assert_eq!(parse_result_json("[1]").unwrap_err().offset, 0);
/// ```
pub fn parse_result_json(input: &str) -> Result<CommandResult, PayloadError> {
    check_object(input)?;
    serde_json::from_str(input).map_err(|e| json_error(input, &e))
}

/// Parses the JSON body of cfn-hup's `Sending %s to queue %s` line; when its `Data` is a
/// command result (the usual, double-encoded case) it is decoded into `result`.
///
/// ```
/// use eblog_grammars::result_json::parse_sent_message;
///
/// let sent = parse_sent_message(
///     r#"{"Status": "SUCCESS", "ListenerId": "i-0abc1234def567890",
///         "Data": "{\"status\":\"SUCCESS\",\"api_version\":\"1.0\",\"results\":[]}"}"#,
/// )
/// .unwrap();
/// assert_eq!(sent.listener_id.as_deref(), Some("i-0abc1234def567890"));
/// assert_eq!(sent.result.unwrap().status, "SUCCESS");
/// ```
///
/// # Errors
///
/// A [`PayloadError`] at the byte where the JSON is malformed or not an object (a `Data`
/// that is not a command result is no error: `result` is then `None`):
///
/// ```
/// use eblog_grammars::result_json::parse_sent_message;
///
/// assert_eq!(parse_sent_message(r#"{"Status": SUCCESS}"#).unwrap_err().offset, 11);
/// ```
pub fn parse_sent_message(input: &str) -> Result<SentMessage, PayloadError> {
    check_object(input)?;
    let mut sent: SentMessage = serde_json::from_str(input).map_err(|e| json_error(input, &e))?;
    if sent.result.is_none() {
        sent.result = sent
            .data
            .as_deref()
            .and_then(|data| parse_result_json(data).ok());
    }
    Ok(sent)
}

/// Splits the message text `Sending {...} to queue https://...` into the JSON body and the
/// queue URL, at the last ` to queue ` (the body may contain that text itself). Returns
/// `None` when the text does not start with `Sending ` or either part is empty.
///
/// ```
/// use eblog_grammars::result_json::split_sending_line;
///
/// let (json, queue) = split_sending_line(
///     "Sending {\"Data\": \"a to queue b\"} to queue https://sqs.us-west-2.amazonaws.com/1/q",
/// )
/// .unwrap();
/// assert_eq!(json, "{\"Data\": \"a to queue b\"}");
/// assert_eq!(queue, "https://sqs.us-west-2.amazonaws.com/1/q");
/// assert_eq!(split_sending_line("Receiving messages for queue x"), None);
/// ```
pub fn split_sending_line(message: &str) -> Option<(&str, &str)> {
    const SEPARATOR: &str = " to queue ";
    let body = message.trim_start().strip_prefix("Sending ")?;
    let at = body.rfind(SEPARATOR)?;
    let json = body.get(..at)?.trim();
    let queue = body.get(at + SEPARATOR.len()..)?.trim();
    if json.is_empty() || queue.is_empty() {
        None
    } else {
        Some((json, queue))
    }
}

// ---------------------------------------------------------------------------------------
// Shared with the other payload grammars
// ---------------------------------------------------------------------------------------

/// Parses any JSON value with `serde_json`, after checking the nesting depth, and maps its
/// errors to byte offsets.
pub(crate) fn parse_json_value(input: &str) -> Result<Value, PayloadError> {
    check_depth(input)?;
    serde_json::from_str(input).map_err(|e| json_error(input, &e))
}

/// Rejects JSON whose containers nest deeper than [`MAX_DEPTH`], without recursing: a
/// single pass that skips over strings.
pub(crate) fn check_depth(input: &str) -> Result<(), PayloadError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, byte) in input.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(PayloadError::new(
                        at,
                        format!("containers nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Maps a `serde_json` error (line and column) to a byte offset into `input`.
pub(crate) fn json_error(input: &str, error: &serde_json::Error) -> PayloadError {
    PayloadError::new(json_error_offset(input, error), error_message(error))
}

/// The byte offset of a `serde_json` error: the end of input for a premature end, else the
/// byte its line and (one-based, byte-counted) column point at.
fn json_error_offset(input: &str, error: &serde_json::Error) -> usize {
    if error.is_eof() {
        return input.len();
    }
    let line_start = match error.line() {
        0 | 1 => 0,
        line => input
            .match_indices('\n')
            .nth(line - 2)
            .map_or(input.len(), |(at, _)| at + 1),
    };
    line_start
        .saturating_add(error.column().saturating_sub(1))
        .min(input.len())
}

/// `serde_json`'s message without its trailing ` at line L column C`.
fn error_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text.get(..at).unwrap_or(&text).to_owned(),
        None => text,
    }
}

/// Checks the depth and that the first non-whitespace byte opens an object.
fn check_object(input: &str) -> Result<(), PayloadError> {
    check_depth(input)?;
    let body = input.trim_start_matches([' ', '\t', '\r', '\n']);
    if body.starts_with('{') {
        Ok(())
    } else {
        Err(PayloadError::new(
            input.len() - body.len(),
            "expected a JSON object",
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Lenient field deserializers
// ---------------------------------------------------------------------------------------

/// A string, a number or bool (kept as its text), or null.
fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(Value::Array(_)) => Err(D::Error::invalid_type(Unexpected::Seq, &"a string")),
        Some(Value::Object(_)) => Err(D::Error::invalid_type(Unexpected::Map, &"a string")),
    }
}

/// Like [`opt_string`], null becoming the empty string.
fn string_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_string(d).map(Option::unwrap_or_default)
}

/// A list, null becoming the empty list.
fn vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}

/// A bool or the string `"true"`/`"false"` (any case), or null.
fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(D::Error::invalid_value(
                Unexpected::Str(&s),
                &"\"true\" or \"false\"",
            )),
        },
        Some(other) => Err(D::Error::invalid_type(unexpected(&other), &"a bool")),
    }
}

/// An integer, an integral float, or a string holding one; or null.
fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    let parsed = match &value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().and_then(integral)),
        Some(Value::String(s)) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(integral))
        }
        Some(_) => None,
    };
    match (parsed, value) {
        (Some(n), _) => Ok(Some(n)),
        (None, Some(v)) => Err(D::Error::invalid_value(unexpected(&v), &"an integer")),
        (None, None) => Ok(None),
    }
}

/// `f` as an `i64` when it is a whole number in range.
fn integral(f: f64) -> Option<i64> {
    // The range check makes the cast exact (it would saturate, not panic, anyway).
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i64)
}

/// How a JSON value is described in a type error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => n
            .as_i64()
            .map(Unexpected::Signed)
            .or_else(|| n.as_u64().map(Unexpected::Unsigned))
            .unwrap_or_else(|| Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// An event as written: EB's `timestamp`, or this crate's normalised fields.
#[derive(Deserialize)]
struct RawEvent {
    #[serde(default, deserialize_with = "string_or_null")]
    msg: String,
    #[serde(default, deserialize_with = "opt_string")]
    severity: Option<String>,
    #[serde(default)]
    timestamp: Option<Value>,
    #[serde(default)]
    timestamp_ms: Option<i64>,
    #[serde(default)]
    timestamp_unit: Option<TimestampUnit>,
}

impl TryFrom<RawEvent> for ResultEvent {
    type Error = String;

    fn try_from(raw: RawEvent) -> Result<Self, String> {
        let (timestamp_ms, timestamp_unit) = match raw.timestamp {
            None | Some(Value::Null) => (raw.timestamp_ms, raw.timestamp_unit),
            Some(value) => match normalise_timestamp(&value) {
                Some((ms, unit)) => (Some(ms), Some(unit)),
                None => return Err(format!("invalid event timestamp {value}")),
            },
        };
        Ok(ResultEvent {
            msg: raw.msg,
            severity: raw.severity,
            timestamp_ms,
            timestamp_unit,
        })
    }
}

/// An event timestamp (int, float or numeric string, seconds or milliseconds) in epoch
/// milliseconds, with the unit it was written in.
fn normalise_timestamp(value: &Value) -> Option<(i64, TimestampUnit)> {
    let from_int = |n: i64| {
        if n.unsigned_abs() < SECONDS_BELOW.unsigned_abs() {
            // |n| < 1e11, so n * 1000 < 1e14: no overflow.
            Some((n * 1000, TimestampUnit::Seconds))
        } else {
            Some((n, TimestampUnit::Milliseconds))
        }
    };
    let from_float = |f: f64| {
        if !f.is_finite() {
            None
        } else if f.abs() < SECONDS_BELOW as f64 {
            integral((f * 1000.0).round()).map(|ms| (ms, TimestampUnit::Seconds))
        } else {
            integral(f.round()).map(|ms| (ms, TimestampUnit::Milliseconds))
        }
    };
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(i) => from_int(i),
            None => n.as_f64().and_then(from_float),
        },
        Value::String(s) => {
            let s = s.trim();
            match s.parse::<i64>() {
                Ok(i) => from_int(i),
                Err(_) => s.parse::<f64>().ok().and_then(from_float),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
