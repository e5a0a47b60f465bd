//! Ruby `Hash#inspect`, `Array#inspect` and `Array#to_s` literals, as the legacy EB command
//! processor logs them (`Received command X: {"command_name"=>"CMD-Startup", ...}`,
//! `Found enabled addons: ["logpublish", "logstreaming"].`), decoded into a
//! [`serde_json::Value`].
//!
//! <pre>
//! inspect-text  = ws value ws                ; nothing else may follow
//!
//! value         = hash / array / string / quoted-symbol / token
//!
//! hash          = "{" ws "}"
//!               / "{" ws pair *( ws "," ws pair ) [ ws "," ] ws "}"
//! pair          = name ":" 1*ws value           ; Ruby >= 3.4 symbol key: `sym: 1`
//!               / string ":" ws value           ; Ruby >= 3.4 quoted symbol key: `"a b": 1`
//!               / value ws "=>" ws value        ; `"k"=>v`, `"k" => v`, `:sym=>v`, `1=>v`
//! name          = 1*( ALPHA / DIGIT / "_" / non-ASCII ) [ "?" / "!" ]
//! array         = "[" ws [ value *( ws "," ws value ) [ ws "," ] ] ws "]"
//!
//! string        = DQUOTE *( escape / char ) DQUOTE       ; char: anything but DQUOTE, "\"
//! escape        = "\" ( DQUOTE / "\" / "#" / "'" / "n" / "t" / "r" / "e" / "s"
//!                     / "a" / "b" / "f" / "v" / LF        ; LF: line continuation, dropped
//!                     / 1*3OCTDIGIT                        ; U+0000..U+01FF
//!                     / "x" 1*2HEXDIG                      ; U+0000..U+00FF (see below)
//!                     / "u" 4HEXDIG
//!                     / "u{" *SP 1*6HEXDIG *( 1*SP 1*6HEXDIG ) *SP "}"
//!                     / any-char )                         ; unknown: kept verbatim
//! quoted-symbol = ":" string
//!
//! token         = 1*( object / token-char )   ; trailing ws is not part of the token
//! token-char    = any char except "," / "}" / "]", and not the start of "=>"
//! object        = "#<" *( object / string / "=>" / "->" / %x00-10FFFF except ">" ) ">"
//!                   ; an unclosed "#<" is just two token characters
//!
//! ws            = *( SP / HTAB / CR / LF )
//! </pre>
//!
//! A token is classified by its whole text: `nil`, `true`, `false`; an integer
//! (`-?[0-9]+`, a number when it fits `i64`/`u64`, else a string of its digits); a float
//! (`-?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?`, a number when finite); a symbol (`:name`, becoming
//! the string `name`); anything else (`Infinity`, `NaN`, `#<Object:0x0000563c>`) stays a
//! string of its text.
//!
//! Hash keys: a string or symbol key is used as is; any other key (`1`, `nil`, `[1, 2]`)
//! becomes its text exactly as written. A repeated key keeps its first position and its
//! last value.
//!
//! Escapes: `\xNN` marks a byte that is not valid UTF-8 (or a byte of a binary string); its
//! encoding is unknown, so it is decoded as the character U+00NN (Latin-1) and the byte
//! value stays recoverable. `\e` is ESC and `\s` a space. A lone surrogate `\uD800` and any
//! unknown escape are kept verbatim, backslash included.
//!
//! Nesting deeper than [`MAX_DEPTH`](crate::error::MAX_DEPTH) containers is reported as an error rather than
//! recursed into.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit1, one_of};
use nom::combinator::{cut, map, opt};
use nom::error::{context, ErrorKind, ParseError};
use nom::sequence::preceded;
use nom::Parser;
use serde_json::{Map, Number, Value};

use crate::error::PayloadError;
use crate::payload::{describe, enter, is_ws, spanned, ws, Error, PResult, Reason};
use crate::result_json::parse_json_value;

/// Parses one Ruby `inspect` literal; only whitespace may surround it.
///
/// ```
/// use eblog_grammars::ruby_hash::parse_ruby_inspect;
/// use serde_json::json;
///
/// let value = parse_ruby_inspect(
///     r#"{"command_name"=>"CMD-TailLogs", "instance_ids"=>["i-0abc1234def567890"], "z"=>nil}"#,
/// )
/// .unwrap();
/// assert_eq!(
///     value,
///     json!({"command_name": "CMD-TailLogs", "instance_ids": ["i-0abc1234def567890"], "z": null})
/// );
/// ```
///
/// # Errors
///
/// A [`PayloadError`] whose `offset` is the byte where the literal stops making sense:
///
/// ```
/// use eblog_grammars::ruby_hash::parse_ruby_inspect;
///
/// let err = parse_ruby_inspect(r#"{"a" 1}"#).unwrap_err();
/// assert_eq!(err.offset, 5);
/// ```
pub fn parse_ruby_inspect(input: &str) -> Result<Value, PayloadError> {
    let parsed = (ws, |i| value(i, 0), ws).parse(input);
    match parsed {
        Ok(("", (_, v, _))) => Ok(v),
        Ok((rest, _)) => Err(PayloadError::new(
            input.len().saturating_sub(rest.len()),
            format!(
                "unexpected {} after the literal",
                describe(rest).unwrap_or("end of input".into())
            ),
        )),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_payload_error(input)),
        Err(nom::Err::Incomplete(_)) => {
            Err(PayloadError::new(input.len(), "unexpected end of input"))
        }
    }
}

/// Parses the payload of `Received command X: <payload>`, which is the raw command JSON in
/// some agent versions and a Ruby `Hash#inspect` in others: JSON first, then Ruby.
///
/// ```
/// use eblog_grammars::ruby_hash::parse_json_or_ruby;
/// use serde_json::json;
///
/// let from_json = parse_json_or_ruby(r#"{"command_name":"CMD-Startup","stage_num":0}"#).unwrap();
/// let from_ruby = parse_json_or_ruby(r#"{"command_name"=>"CMD-Startup", "stage_num"=>0}"#).unwrap();
/// assert_eq!(from_json, json!({"command_name": "CMD-Startup", "stage_num": 0}));
/// assert_eq!(from_json, from_ruby);
/// ```
///
/// # Errors
///
/// When neither grammar accepts the text, the error of the one that got further (the Ruby
/// one on a tie):
///
/// ```
/// use eblog_grammars::ruby_hash::parse_json_or_ruby;
///
/// assert_eq!(parse_json_or_ruby(r#"{"a"=>[1, 2}"#).unwrap_err().offset, 11);
/// ```
pub fn parse_json_or_ruby(input: &str) -> Result<Value, PayloadError> {
    let json_error = match parse_json_value(input) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    parse_ruby_inspect(input).map_err(|ruby_error| {
        if json_error.offset > ruby_error.offset {
            json_error
        } else {
            ruby_error
        }
    })
}

// ---------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------

/// Commits to `expected` (after an unambiguous prefix), reporting `what` was expected.
fn expect<'a>(input: &'a str, expected: &'static str, what: &'static str) -> PResult<'a, &'a str> {
    cut(context(what, tag(expected))).parse(input)
}

/// `value`, at nesting `depth` (the number of containers around it).
fn value(input: &str, depth: usize) -> PResult<'_, Value> {
    context(
        "a Ruby literal",
        alt((
            |i| hash(i, depth),
            |i| array(i, depth),
            map(string, Value::String),
            map(preceded(char(':'), string), Value::String),
            token,
        )),
    )
    .parse(input)
}

/// `hash`
fn hash(input: &str, depth: usize) -> PResult<'_, Value> {
    let (mut rest, _) = char('{').parse(input)?;
    let inner = enter(input, depth)?;
    let mut map = Map::new();
    loop {
        let (r, _) = ws(rest)?;
        if let Some(r) = r.strip_prefix('}') {
            return Ok((r, Value::Object(map)));
        }
        let (r, (key, v)) = pair(r, inner)?;
        map.insert(key, v);
        let (r, _) = ws(r)?;
        match r.strip_prefix(',') {
            Some(r) => rest = r,
            None => {
                let (r, _) = expect(r, "}", "',' or '}'")?;
                return Ok((r, Value::Object(map)));
            }
        }
    }
}

/// `pair`: a label and its value, or `key => value`.
fn pair(input: &str, depth: usize) -> PResult<'_, (String, Value)> {
    if let Ok((rest, key)) = label(input) {
        let (rest, v) = cut(|i| value(i, depth)).parse(rest)?;
        return Ok((rest, (key, v)));
    }
    let (rest, (text, key)) = cut(spanned(|i| value(i, depth))).parse(input)?;
    let (rest, _) = ws(rest)?;
    let (rest, _) = expect(rest, "=>", "'=>'")?;
    let (rest, _) = ws(rest)?;
    let (rest, v) = cut(|i| value(i, depth)).parse(rest)?;
    let key = match key {
        Value::String(s) => s,
        _ => text.to_owned(),
    };
    Ok((rest, (key, v)))
}

/// `name ":" 1*ws` or `string ":" ws`: a Ruby 3.4 symbol key.
fn label(input: &str) -> PResult<'_, String> {
    let name = (
        take_while1(|c: char| c.is_alphanumeric() || c == '_'),
        opt(one_of("?!")),
    );
    let name = map(spanned(name), |(text, _)| text.to_owned());
    alt((
        (name, char(':'), take_while1(is_ws)).map(|(key, _, _)| key),
        (string, char(':'), ws).map(|(key, _, _)| key),
    ))
    .parse(input)
}

/// `array`
fn array(input: &str, depth: usize) -> PResult<'_, Value> {
    let (mut rest, _) = char('[').parse(input)?;
    let inner = enter(input, depth)?;
    let mut out = Vec::new();
    loop {
        let (r, _) = ws(rest)?;
        if let Some(r) = r.strip_prefix(']') {
            return Ok((r, Value::Array(out)));
        }
        let (r, v) = cut(|i| value(i, inner)).parse(r)?;
        out.push(v);
        let (r, _) = ws(r)?;
        match r.strip_prefix(',') {
            Some(r) => rest = r,
            None => {
                let (r, _) = expect(r, "]", "',' or ']'")?;
                return Ok((r, Value::Array(out)));
            }
        }
    }
}

/// `token`: unquoted text up to the next `,` `}` `]` or `=>`, classified by its text.
fn token(input: &str) -> PResult<'_, Value> {
    let mut rest = input;
    // Once one `#<` is found unclosed, later ones are not tried either: each try scans to
    // the end of input, and retrying would make a run of `#<` quadratic.
    let mut objects = true;
    loop {
        if objects && rest.starts_with("#<") {
            match object_len(rest) {
                Some(len) => {
                    rest = rest.get(len..).unwrap_or_default();
                    continue;
                }
                None => objects = false,
            }
        }
        let mut chars = rest.chars();
        match chars.next() {
            None | Some(',' | '}' | ']') => break,
            Some('=') if rest.starts_with("=>") => break,
            Some(_) => rest = chars.as_str(),
        }
    }
    let scanned = input.len().saturating_sub(rest.len());
    let text = input
        .get(..scanned)
        .unwrap_or_default()
        .trim_end_matches(is_ws);
    if text.is_empty() {
        return Err(nom::Err::Error(Error::from_error_kind(
            input,
            ErrorKind::Verify,
        )));
    }
    let rest = input.get(text.len()..).unwrap_or_default();
    Ok((rest, classify(text)))
}

/// The length of the `object` at the start of `s` (which starts with `#<`), or `None` when
/// it is not closed.
fn object_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut rest = s;
    loop {
        if let Some(r) = rest.strip_prefix("#<") {
            depth += 1;
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix("=>").or_else(|| rest.strip_prefix("->")) {
            rest = r;
            continue;
        }
        let mut chars = rest.chars();
        match chars.next()? {
            '>' => {
                rest = chars.as_str();
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(s.len() - rest.len());
                }
            }
            '"' => rest = rest.get(quoted_len(rest)?..)?,
            _ => rest = chars.as_str(),
        }
    }
}

/// The length of the double-quoted string at the start of `s`, quotes included.
fn quoted_len(s: &str) -> Option<usize> {
    let mut escaped = false;
    // Skipping one *byte* after a backslash is safe: the closing quote is ASCII and UTF-8
    // continuation bytes are never `"` or `\`, so the index found is a char boundary.
    for (at, byte) in s.bytes().enumerate().skip(1) {
        if escaped {
            escaped = false;
        } else if byte == b'\\' {
            escaped = true;
        } else if byte == b'"' {
            return Some(at + 1);
        }
    }
    None
}

/// The value a token's text stands for.
fn classify(text: &str) -> Value {
    match text {
        "nil" => return Value::Null,
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return int_value(text);
    }
    if is_float(text) {
        return text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(text.to_owned()), Value::Number);
    }
    if let Some(name) = text.strip_prefix(':') {
        if !name.is_empty() && !name.starts_with(':') && !name.contains(is_ws) {
            return Value::String(name.to_owned());
        }
    }
    Value::String(text.to_owned())
}

/// `-?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?`, the whole text.
fn is_float(text: &str) -> bool {
    let mut float = (
        opt(char::<&str, Error>('-')),
        digit1,
        char('.'),
        digit1,
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    );
    matches!(float.parse(text), Ok(("", _)))
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

/// `string`, decoded.
fn string(input: &str) -> PResult<'_, String> {
    let (body, _) = char('"').parse(input)?;
    let mut out = String::new();
    let mut rest = body;
    loop {
        // Copy the run of ordinary characters in one go.
        let run = rest.find(['"', '\\']).unwrap_or(rest.len());
        let (plain, tail) = rest.split_at_checked(run).unwrap_or((rest, ""));
        out.push_str(plain);
        let mut chars = tail.chars();
        match chars.next() {
            None => return Err(Error::failure(tail, Reason::Unterminated(input))),
            Some('\\') => {
                let after = chars.as_str();
                let used = escape(after, &mut out);
                if used == 0 {
                    return Err(Error::failure(after, Reason::Unterminated(input)));
                }
                // `used` counts whole characters of `after`, so this is a char boundary.
                rest = after.get(used..).unwrap_or_default();
            }
            // The closing quote.
            Some(_) => return Ok((chars.as_str(), out)),
        }
    }
}

/// Up to `max` ASCII hex digits at the start of `s`: their count and value.
fn hex_prefix(s: &str, min: usize, max: usize) -> Option<(usize, u32)> {
    let n = s
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_hexdigit)
        .count();
    if n < min {
        return None;
    }
    let value = u32::from_str_radix(s.get(..n)?, 16).ok()?;
    Some((n, value))
}

/// Decodes the escape after a backslash into `out`; returns the bytes of `after` consumed
/// (0 only at the end of input).
fn escape(after: &str, out: &mut String) -> usize {
    let Some(c) = after.chars().next() else {
        return 0;
    };
    let simple = match c {
        '"' | '\\' | '#' | '\'' => Some(c),
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'e' => Some('\u{1b}'),
        's' => Some(' '),
        'a' => Some('\u{07}'),
        'b' => Some('\u{08}'),
        'f' => Some('\u{0c}'),
        'v' => Some('\u{0b}'),
        _ => None,
    };
    if let Some(decoded) = simple {
        out.push(decoded);
        return 1;
    }
    let decoded = match c {
        // Line continuation.
        '\n' => return 1,
        '0'..='7' => {
            let n = after
                .bytes()
                .take(3)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .count();
            // At most 0o777 = 511: always a valid scalar value.
            after
                .get(..n)
                .and_then(|d| u32::from_str_radix(d, 8).ok())
                .and_then(char::from_u32)
                .map(|ch| (vec![ch], n))
        }
        'x' => hex_prefix(after.get(1..).unwrap_or_default(), 1, 2)
            .and_then(|(n, v)| Some((vec![char::from_u32(v)?], 1 + n))),
        'u' => unicode(after.get(1..).unwrap_or_default()).map(|(chars, n)| (chars, 1 + n)),
        _ => None,
    };
    match decoded {
        Some((chars, used)) => {
            out.extend(chars);
            used
        }
        None => {
            // Unknown or malformed: keep the backslash and the character after it.
            out.push('\\');
            out.push(c);
            c.len_utf8()
        }
    }
}

/// The text after `\u`: `NNNN` or `{N ...}`. Returns the characters and the bytes used.
fn unicode(s: &str) -> Option<(Vec<char>, usize)> {
    let Some(braced) = s.strip_prefix('{') else {
        let (n, v) = hex_prefix(s, 4, 4)?;
        return Some((vec![char::from_u32(v)?], n));
    };
    let close = braced.find('}')?;
    let inside = braced.get(..close)?;
    let mut chars = Vec::new();
    for code in inside.split([' ', '\t']).filter(|c| !c.is_empty()) {
        let (n, v) = hex_prefix(code, 1, 6)?;
        if n != code.len() {
            return None;
        }
        chars.push(char::from_u32(v)?);
    }
    if chars.is_empty() {
        return None;
    }
    // "{" + inside + "}"
    Some((chars, close + 2))
}

#[cfg(test)]
mod tests;
