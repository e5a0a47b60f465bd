//! Python 2 and 3 `repr()` literals, as cfn-hup logs them (`Processing message: %s`,
//! `Command message: %s`, `Action environment: %s`), decoded into a [`serde_json::Value`].
//!
//! <pre>
//! repr-text   = ws value ws                 ; parse_py_repr: nothing else may follow
//! repr-prefix = ws value                    ; parse_py_repr_prefix: any text may follow
//!
//! value       = brace / list / tuple / set-call / string / keyword / number
//!
//! brace       = "{" ws "}"                                            ; empty dict
//!             / "{" ws entry *( ws "," ws entry ) [ ws "," ] ws "}"    ; dict
//!             / "{" ws value *( ws "," ws value ) [ ws "," ] ws "}"    ; Python 3 set
//! entry       = value ws ":" ws value
//! list        = "[" ws [ value *( ws "," ws value ) [ ws "," ] ] ws "]"
//! tuple       = "(" ws [ value *( ws "," ws value ) [ ws "," ] ] ws ")"
//!                 ; "(" value ")" without a comma is a parenthesised value, not a tuple
//! set-call    = ( "frozenset" / "set" ) "(" ws [ value ws ] ")"
//!                 ; the argument must be a list, tuple, set or dict literal
//!
//! string      = [ prefix ] ( "'" *( escape / sq-char ) "'"
//!                          / DQUOTE *( escape / dq-char ) DQUOTE )
//! prefix      = 1*2( "u" / "U" / "b" / "B" / "r" / "R" )      ; u, b, r, ur, br, rb, ...
//! sq-char     = %x00-10FFFF except "'" and "\"
//! dq-char     = %x00-10FFFF except DQUOTE and "\"
//! escape      = "\" ( "\" / "'" / DQUOTE / "a" / "b" / "f" / "n" / "r" / "t" / "v"
//!                   / LF                                ; line continuation: dropped
//!                   / 1*3OCTDIGIT                        ; U+0000..U+01FF
//!                   / "x" 2HEXDIG                        ; U+0000..U+00FF (see below)
//!                   / "u" 4HEXDIG / "U" 8HEXDIG          ; not in b'' strings
//!                   / any-char )                         ; unknown: kept verbatim
//!
//! keyword     = "True" / "False" / "None"
//! number      = [ "+" / "-" ] ( "inf" / "nan" )             ; -> JSON string
//!             / [ "+" / "-" ] mantissa [ exponent ]          ; float if "." or exponent
//!             / [ "+" / "-" ] 1*DIGIT [ "L" / "l" ]          ; int (Python 2 long)
//! mantissa    = 1*DIGIT [ "." *DIGIT ] / "." 1*DIGIT
//! exponent    = ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT
//!
//! ws          = *( SP / HTAB / CR / LF )
//! </pre>
//!
//! Mapping to JSON:
//!
//! * dicts become objects in source order; a key that is a string (any prefix) is used as
//!   is, any other key (`1`, `None`, `(1, 2)`) becomes its repr text exactly as written;
//!   a repeated key keeps its first position and its last value;
//! * lists, tuples and sets (`set([..])`, `frozenset({..})`, `{1, 2}`) become arrays;
//! * ints that fit `i64` or `u64` become numbers, larger ones a string of their digits
//!   (sign kept, `L` dropped); finite floats become numbers; `inf`, `-inf`, `nan` and floats
//!   that overflow `f64` become strings of their text;
//! * `True`/`False`/`None` become `true`/`false`/`null`.
//!
//! Escapes: in a Python 2 `str` (and in a `b''` literal) `\xNN` is a *byte*, whose encoding
//! the repr does not say: when the string's bytes form valid UTF-8 they are decoded as
//! UTF-8 (`'caf\xc3\xa9'` is `café`), otherwise each is the character U+00NN (Latin-1),
//! so the byte value stays recoverable. Octal escapes are decoded the same way. A surrogate pair
//! `\uD83D\uDE00` is combined into one character; a lone surrogate, a `\U` beyond
//! U+10FFFF and any unknown escape (`\N{..}`, `\q`, `\x` without two hex digits) are kept
//! verbatim, backslash included. Raw strings (`r''`) keep every backslash.
//!
//! Nesting deeper than [`MAX_DEPTH`](crate::error::MAX_DEPTH) containers is reported as an error rather than
//! recursed into.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while_m_n};
use nom::character::complete::{char, digit0, digit1, one_of};
use nom::combinator::{cut, map, opt};
use nom::error::{context, ErrorKind, ParseError};
use nom::Parser;
use serde_json::{Map, Number, Value};

use crate::error::PayloadError;
use crate::payload::{describe, enter, is_ws, spanned, ws, Error, PResult, Reason};

/// Parses one complete Python `repr()` literal; only whitespace may surround it.
///
/// ```
/// use eblog_grammars::py_repr::parse_py_repr;
/// use serde_json::json;
///
/// let value = parse_py_repr("{u'CommandName': u'CMD-Startup', u'Expiration': 1537227608000L}")
///     .unwrap();
/// assert_eq!(value, json!({"CommandName": "CMD-Startup", "Expiration": 1537227608000_i64}));
/// ```
///
/// # Errors
///
/// A [`PayloadError`] whose `offset` is the byte where the literal stops making sense,
/// including the first non-whitespace byte after a complete literal:
///
/// ```
/// use eblog_grammars::py_repr::parse_py_repr;
///
/// let err = parse_py_repr("[1, 2] and more").unwrap_err();
/// assert_eq!(err.offset, 7);
/// ```
pub fn parse_py_repr(input: &str) -> Result<Value, PayloadError> {
    let (value, used) = parse_py_repr_prefix(input)?;
    let rest = input.get(used..).unwrap_or_default();
    let trailing = rest.trim_start_matches(is_ws);
    if trailing.is_empty() {
        Ok(value)
    } else {
        Err(PayloadError::new(
            input.len() - trailing.len(),
            format!(
                "unexpected {} after the literal",
                describe(trailing).unwrap_or("end of input".into())
            ),
        ))
    }
}

/// Parses one Python `repr()` literal at the start of `input` (after optional whitespace)
/// and returns it with the number of bytes consumed, leading whitespace included and
/// trailing whitespace excluded. Whatever follows is left to the caller.
///
/// ```
/// use eblog_grammars::py_repr::parse_py_repr_prefix;
/// use serde_json::json;
///
/// let (value, used) = parse_py_repr_prefix("('a', 1) is the key").unwrap();
/// assert_eq!(value, json!(["a", 1]));
/// assert_eq!(used, 8);
/// ```
///
/// # Errors
///
/// A [`PayloadError`] with the byte offset where no literal could be read:
///
/// ```
/// use eblog_grammars::py_repr::parse_py_repr_prefix;
///
/// let err = parse_py_repr_prefix("{u'a': }").unwrap_err();
/// assert_eq!(err.offset, 7);
/// ```
pub fn parse_py_repr_prefix(input: &str) -> Result<(Value, usize), PayloadError> {
    match (ws, |i| value(i, 0)).parse(input) {
        Ok((rest, (_, v))) => Ok((v, input.len().saturating_sub(rest.len()))),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_payload_error(input)),
        Err(nom::Err::Incomplete(_)) => {
            Err(PayloadError::new(input.len(), "unexpected end of input"))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------

/// Commits to `c` (after an unambiguous prefix), reporting `what` was expected.
fn expect<'a>(input: &'a str, c: char, what: &'static str) -> PResult<'a, char> {
    cut(context(what, char(c))).parse(input)
}

/// `value`, at nesting `depth` (the number of containers around it).
fn value(input: &str, depth: usize) -> PResult<'_, Value> {
    context(
        "a Python literal",
        alt((
            |i| brace(i, depth),
            |i| list(i, depth),
            |i| tuple(i, depth),
            |i| set_call(i, depth),
            string,
            keyword,
            number,
        )),
    )
    .parse(input)
}

/// The text used as an object key for a dict key: the string itself, or the key's repr.
fn key_string(text: &str, key: Value) -> String {
    match key {
        Value::String(s) => s,
        _ => text.to_owned(),
    }
}

/// `brace`: a dict, an empty dict, or a Python 3 set literal.
fn brace(input: &str, depth: usize) -> PResult<'_, Value> {
    let (rest, _) = char('{').parse(input)?;
    let inner = enter(input, depth)?;
    let (rest, _) = ws(rest)?;
    if let Some(rest) = rest.strip_prefix('}') {
        return Ok((rest, Value::Object(Map::new())));
    }
    let (rest, (first_text, first)) = cut(spanned(|i| value(i, inner))).parse(rest)?;
    let (rest, _) = ws(rest)?;
    if let Some(rest) = rest.strip_prefix(':') {
        return dict_entries(rest, inner, key_string(first_text, first));
    }
    // A set: `{1, 2}`.
    if let Some(rest) = rest.strip_prefix(',') {
        let (rest, (more, _)) = items(rest, '}', "',' or '}'", inner)?;
        let mut all = Vec::with_capacity(more.len() + 1);
        all.push(first);
        all.extend(more);
        return Ok((rest, Value::Array(all)));
    }
    let (rest, _) = expect(rest, '}', "':', ',' or '}'")?;
    Ok((rest, Value::Array(vec![first])))
}

/// The rest of a dict after its first key and `:`.
fn dict_entries(mut rest: &str, depth: usize, first_key: String) -> PResult<'_, Value> {
    let mut map = Map::new();
    let mut key = first_key;
    loop {
        let (r, _) = ws(rest)?;
        let (r, v) = cut(|i| value(i, depth)).parse(r)?;
        map.insert(key, v);
        let (r, _) = ws(r)?;
        let Some(r) = r.strip_prefix(',') else {
            let (r, _) = expect(r, '}', "',' or '}'")?;
            return Ok((r, Value::Object(map)));
        };
        let (r, _) = ws(r)?;
        if let Some(r) = r.strip_prefix('}') {
            return Ok((r, Value::Object(map)));
        }
        let (r, (text, k)) = cut(spanned(|i| value(i, depth))).parse(r)?;
        let (r, _) = ws(r)?;
        let (r, _) = expect(r, ':', "':'")?;
        key = key_string(text, k);
        rest = r;
    }
}

/// Comma-separated values up to and including `close`, starting right after the opening
/// bracket (or after a comma). Returns the values and whether a comma followed the last.
fn items<'a>(
    input: &'a str,
    close: char,
    what: &'static str,
    depth: usize,
) -> PResult<'a, (Vec<Value>, bool)> {
    let mut out = Vec::new();
    let mut trailing_comma = false;
    let (mut rest, _) = ws(input)?;
    loop {
        if let Some(r) = rest.strip_prefix(close) {
            return Ok((r, (out, trailing_comma)));
        }
        let (r, v) = cut(|i| value(i, depth)).parse(rest)?;
        out.push(v);
        let (r, _) = ws(r)?;
        let Some(r) = r.strip_prefix(',') else {
            let (r, _) = expect(r, close, what)?;
            return Ok((r, (out, false)));
        };
        trailing_comma = true;
        rest = ws(r)?.0;
    }
}

/// `list`
fn list(input: &str, depth: usize) -> PResult<'_, Value> {
    let (rest, _) = char('[').parse(input)?;
    let inner = enter(input, depth)?;
    let (rest, (values, _)) = items(rest, ']', "',' or ']'", inner)?;
    Ok((rest, Value::Array(values)))
}

/// `tuple` (or a parenthesised value).
fn tuple(input: &str, depth: usize) -> PResult<'_, Value> {
    let (rest, _) = char('(').parse(input)?;
    let inner = enter(input, depth)?;
    let (rest, (mut values, trailing_comma)) = items(rest, ')', "',' or ')'", inner)?;
    if values.len() == 1 && !trailing_comma {
        if let Some(only) = values.pop() {
            return Ok((rest, only));
        }
    }
    Ok((rest, Value::Array(values)))
}

/// `set-call`: `set([1, 2])`, `set()`, `frozenset({1})`.
fn set_call(input: &str, depth: usize) -> PResult<'_, Value> {
    let opening: PResult<'_, _> = (alt((tag("frozenset"), tag("set"))), char('(')).parse(input);
    let Ok((rest, _)) = opening else {
        return Err(nom::Err::Error(Error::from_error_kind(
            input,
            ErrorKind::Tag,
        )));
    };
    let inner = enter(input, depth)?;
    let (rest, _) = ws(rest)?;
    if let Some(rest) = rest.strip_prefix(')') {
        return Ok((rest, Value::Array(Vec::new())));
    }
    let arg_at = rest;
    let (rest, arg) = cut(|i| value(i, inner)).parse(rest)?;
    let members = match arg {
        Value::Array(values) => values,
        Value::Object(map) => map.into_iter().map(|(k, _)| Value::String(k)).collect(),
        _ => {
            return Err(Error::failure(
                arg_at,
                Reason::Invalid("expected a list, tuple, set or dict inside set(...)"),
            ))
        }
    };
    let (rest, _) = ws(rest)?;
    let (rest, _) = expect(rest, ')', "')'")?;
    Ok((rest, Value::Array(members)))
}

/// `keyword`
fn keyword(input: &str) -> PResult<'_, Value> {
    alt((
        map(tag("True"), |_| Value::Bool(true)),
        map(tag("False"), |_| Value::Bool(false)),
        map(tag("None"), |_| Value::Null),
    ))
    .parse(input)
}

/// `number`
fn number(input: &str) -> PResult<'_, Value> {
    let special = spanned((opt(one_of("+-")), alt((tag("inf"), tag("nan")))));
    let special = map(special, |(text, _): (&str, _)| {
        Value::String(text.trim_start_matches('+').to_owned())
    });
    alt((special, decimal)).parse(input)
}

/// The decimal branch of `number`.
fn decimal(input: &str) -> PResult<'_, Value> {
    let (rest, (text, _)) = spanned((
        opt(one_of("+-")),
        alt((
            map((digit1, opt((char('.'), digit0))), |_| ()),
            map((char('.'), digit1), |_| ()),
        )),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    ))
    .parse(input)?;
    let text = text.strip_prefix('+').unwrap_or(text);
    if text.contains(['.', 'e', 'E']) {
        return Ok((rest, float_value(text)));
    }
    let (rest, _) = opt(one_of("lL")).parse(rest)?;
    Ok((rest, int_value(text)))
}

/// An integer as a JSON number when it fits `i64`/`u64`, else as a string of its digits.
fn int_value(text: &str) -> Value {
    if let Ok(n) = text.parse::<i64>() {
        Value::from(n)
    } else if let Ok(n) = text.parse::<u64>() {
        Value::from(n)
    } else {
        Value::String(text.to_owned())
    }
}

/// A float as a JSON number when finite, else as a string of its text.
fn float_value(text: &str) -> Value {
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or_else(|| Value::String(text.to_owned()), Value::Number)
}

/// `string`: optional prefix, then a quoted body.
fn string(input: &str) -> PResult<'_, Value> {
    let opening: PResult<'_, _> = (
        take_while_m_n(0, 2, |c: char| {
            matches!(c, 'u' | 'U' | 'b' | 'B' | 'r' | 'R')
        }),
        one_of("'\""),
    )
        .parse(input);
    // Not a string: report it at the token's start, not after a would-be prefix.
    let Ok((body, (prefix, quote))) = opening else {
        return Err(nom::Err::Error(Error::from_error_kind(
            input,
            ErrorKind::Char,
        )));
    };
    let raw = prefix.contains(['r', 'R']);
    let bytes = prefix.contains(['b', 'B']);
    let (rest, text) = string_body(input, body, quote, raw, bytes)?;
    let text = if prefix.contains(['u', 'U']) {
        text
    } else {
        utf8_from_byte_escapes(text)
    };
    Ok((rest, Value::String(text)))
}

/// A Python 2 `str` is bytes: its repr writes every non-ASCII byte as `\xNN`, which
/// decodes to U+00NN. When those bytes form valid UTF-8 (`'caf\xc3\xa9'`), the text is
/// decoded as UTF-8 (`café`); otherwise it is left as Latin-1.
fn utf8_from_byte_escapes(text: String) -> String {
    if text.is_ascii() || text.chars().any(|c| u32::from(c) > 0xFF) {
        return text;
    }
    // Every char is at most U+00FF (checked above), so each fits one byte.
    let bytes: Vec<u8> = text.chars().map(|c| u32::from(c) as u8).collect();
    String::from_utf8(bytes).unwrap_or(text)
}

/// The body of a string after its opening quote, through the closing quote. `open` is the
/// literal's start, for the error message.
fn string_body<'a>(
    open: &'a str,
    body: &'a str,
    quote: char,
    raw: bool,
    bytes: bool,
) -> PResult<'a, String> {
    let mut out = String::new();
    let mut rest = body;
    loop {
        // Copy the run of ordinary characters in one go.
        let run = rest.find([quote, '\\']).unwrap_or(rest.len());
        let (plain, tail) = rest.split_at_checked(run).unwrap_or((rest, ""));
        out.push_str(plain);
        let mut chars = tail.chars();
        match chars.next() {
            None => return Err(Error::failure(tail, Reason::Unterminated(open))),
            Some('\\') => {
                let after = chars.as_str();
                let used = if raw {
                    raw_escape(after, &mut out)
                } else {
                    escape(after, bytes, &mut out)
                };
                if used == 0 {
                    return Err(Error::failure(after, Reason::Unterminated(open)));
                }
                // `used` counts whole characters of `after`, so this is a char boundary.
                rest = after.get(used..).unwrap_or_default();
            }
            // The closing quote.
            Some(_) => return Ok((chars.as_str(), out)),
        }
    }
}

/// In a raw string a backslash and the character after it are both kept. Returns the bytes
/// of `after` consumed (0 at the end of input).
fn raw_escape(after: &str, out: &mut String) -> usize {
    match after.chars().next() {
        None => 0,
        Some(c) => {
            out.push('\\');
            out.push(c);
            c.len_utf8()
        }
    }
}

/// `n` ASCII hex digits at the start of `s`, as a number.
fn hex_at(s: &str, n: usize) -> Option<u32> {
    let digits = s.get(..n)?;
    if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(digits, 16).ok()
    } else {
        None
    }
}

/// Decodes the escape after a backslash into `out`; returns the bytes of `after` consumed
/// (0 only at the end of input).
fn escape(after: &str, bytes: bool, out: &mut String) -> usize {
    let Some(c) = after.chars().next() else {
        return 0;
    };
    let simple = match c {
        '\\' | '\'' | '"' => Some(c),
        'a' => Some('\u{07}'),
        'b' => Some('\u{08}'),
        'f' => Some('\u{0c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{0b}'),
        _ => None,
    };
    if let Some(decoded) = simple {
        out.push(decoded);
        return 1;
    }
    match c {
        // Line continuation.
        '\n' => 1,
        '0'..='7' => {
            let n = after
                .bytes()
                .take(3)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .count();
            // At most 0o777 = 511: always a valid scalar value.
            let decoded = after
                .get(..n)
                .and_then(|d| u32::from_str_radix(d, 8).ok())
                .and_then(char::from_u32);
            match decoded {
                Some(ch) => {
                    out.push(ch);
                    n
                }
                None => verbatim(c, out),
            }
        }
        'x' => match hex_at(after.get(1..).unwrap_or_default(), 2).and_then(char::from_u32) {
            Some(ch) => {
                out.push(ch);
                3
            }
            None => verbatim(c, out),
        },
        'u' if !bytes => unicode4(after, out),
        'U' if !bytes => {
            let digits = after.get(1..9).unwrap_or_default();
            match hex_at(digits, 8) {
                Some(code) => {
                    match char::from_u32(code) {
                        Some(ch) => out.push(ch),
                        None => {
                            out.push_str("\\U");
                            out.push_str(digits);
                        }
                    }
                    9
                }
                None => verbatim(c, out),
            }
        }
        _ => verbatim(c, out),
    }
}

/// Keeps an unknown escape as written: the backslash and the character after it.
fn verbatim(c: char, out: &mut String) -> usize {
    out.push('\\');
    out.push(c);
    c.len_utf8()
}

/// `\uNNNN`, combining a surrogate pair written as two escapes.
fn unicode4(after: &str, out: &mut String) -> usize {
    let Some(high) = hex_at(after.get(1..).unwrap_or_default(), 4) else {
        return verbatim('u', out);
    };
    if let Some(ch) = char::from_u32(high) {
        out.push(ch);
        return 5;
    }
    // A surrogate: look for its low half right after it.
    let low = after
        .get(5..)
        .and_then(|s| s.strip_prefix("\\u"))
        .and_then(|s| hex_at(s, 4));
    if let Some(low) = low {
        if (0xD800..0xDC00).contains(&high) && (0xDC00..0xE000).contains(&low) {
            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            if let Some(ch) = char::from_u32(code) {
                out.push(ch);
                return 11;
            }
        }
    }
    // A lone surrogate: keep the escape text.
    out.push('\\');
    out.push_str(after.get(..5).unwrap_or("u"));
    5
}

#[cfg(test)]
mod tests;
