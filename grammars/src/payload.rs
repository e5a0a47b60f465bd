//! The error type and small helpers shared by the hand-written payload grammars
//! ([`crate::py_repr`], [`crate::ruby_hash`]): a nom error that remembers where and why a
//! literal stopped making sense, turned into a [`PayloadError`] with a byte offset.

use nom::bytes::complete::take_while;
use nom::error::{ContextError, ErrorKind, ParseError};
use nom::{IResult, Parser};

use crate::error::{PayloadError, MAX_DEPTH};

/// Why a parser stopped; turned into a message only when the error leaves the module.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reason<'a> {
    /// Nothing more specific known: "unexpected X".
    Unexpected,
    /// A `context` said what was wanted here.
    Expected(&'static str),
    /// A string literal opened at this slice never closed.
    Unterminated(&'a str),
    /// A container opened here would exceed [`MAX_DEPTH`].
    TooDeep,
    /// A fixed explanation.
    Invalid(&'static str),
}

/// The nom error: where (as the remaining input) and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Error<'a> {
    pub(crate) input: &'a str,
    pub(crate) reason: Reason<'a>,
}

pub(crate) type PResult<'a, T> = IResult<&'a str, T, Error<'a>>;

impl<'a> Error<'a> {
    pub(crate) fn failure(input: &'a str, reason: Reason<'a>) -> nom::Err<Self> {
        nom::Err::Failure(Error { input, reason })
    }

    pub(crate) fn into_payload_error(self, original: &str) -> PayloadError {
        let offset = original.len().saturating_sub(self.input.len());
        let found = describe(self.input).unwrap_or("end of input".into());
        let message = match self.reason {
            Reason::Unexpected => format!("unexpected {found}"),
            Reason::Expected(what) => format!("expected {what}, found {found}"),
            Reason::Unterminated(open) => format!(
                "unterminated string literal (opened at byte {})",
                original.len().saturating_sub(open.len())
            ),
            Reason::TooDeep => format!("containers nested deeper than {MAX_DEPTH} levels"),
            Reason::Invalid(why) => why.to_owned(),
        };
        PayloadError::new(offset, message)
    }
}

impl<'a> ParseError<&'a str> for Error<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        Error {
            input,
            reason: Reason::Unexpected,
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Keeps the alternative that got furthest; on a tie, the more specific one.
    fn or(self, other: Self) -> Self {
        match other.input.len().cmp(&self.input.len()) {
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Equal if other.reason == Reason::Unexpected => self,
            std::cmp::Ordering::Equal => other,
        }
    }
}

impl<'a> ContextError<&'a str> for Error<'a> {
    fn add_context(_input: &'a str, ctx: &'static str, other: Self) -> Self {
        match other.reason {
            Reason::Unexpected => Error {
                input: other.input,
                reason: Reason::Expected(ctx),
            },
            _ => other,
        }
    }
}

/// `'c'` for the first character of `rest`, `None` at the end of input.
pub(crate) fn describe(rest: &str) -> Option<std::borrow::Cow<'static, str>> {
    rest.chars().next().map(|c| format!("{c:?}").into())
}

pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `ws`
pub(crate) fn ws(input: &str) -> PResult<'_, &str> {
    take_while(is_ws).parse(input)
}

/// Checks the depth budget at the opening token of a container and returns the depth of
/// its children.
pub(crate) fn enter(at: &str, depth: usize) -> Result<usize, nom::Err<Error<'_>>> {
    if depth >= MAX_DEPTH {
        Err(Error::failure(at, Reason::TooDeep))
    } else {
        Ok(depth + 1)
    }
}

/// Runs `parser` and also returns the text it consumed. Measured by lengths rather than with
/// nom's `recognize`/`consumed`, whose pointer arithmetic nom 8.0.0 gets wrong when a
/// `*0` parser ends at the end of input (rust-bakery/nom#1876: `1.5` recognized as `1.`).
pub(crate) fn spanned<'a, O>(
    mut parser: impl Parser<&'a str, Output = O, Error = Error<'a>>,
) -> impl FnMut(&'a str) -> PResult<'a, (&'a str, O)> {
    move |input: &'a str| {
        let (rest, out) = parser.parse(input)?;
        let used = input.len().saturating_sub(rest.len());
        // `rest` is a suffix of `input`, so `used` is a char boundary.
        Ok((rest, (input.get(..used).unwrap_or(input), out)))
    }
}
