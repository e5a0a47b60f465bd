//! Message templates of cfn-wire.log (docs/formats.md "cfn-wire.log"): the HTTP responses the cfn clients
//! received, logged by the `wire` logger at DEBUG.
//!
//! <pre>
//! message  = response / error
//! response = "Response: " 3DIGIT SP url " [headers: " py-repr "]"
//! error    = "Response error: " raw-body            ; may go on over continuation lines
//! </pre>
//!
//! The URL of a GET request carries its signed query string: redact before storing.

use nom::bytes::complete::{tag, take_till1};
use nom::character::complete::{char, u16 as status};
use nom::combinator::rest;
use nom::{IResult, Parser};

/// A recognised cfn-wire.log message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireMessage<'a> {
    /// `Response: STATUS URL [headers: {...}]`.
    Response {
        /// HTTP status code.
        status: u16,
        /// Full request URL.
        url: &'a str,
        /// The `repr` of the response headers (`{'content-length': '..', ...}`).
        headers: Option<&'a str>,
    },
    /// `Response error: BODY` (first line of the body).
    Error {
        /// The first line of the response body.
        body: &'a str,
    },
}

fn response(i: &str) -> IResult<&str, WireMessage<'_>> {
    let (tail, (_, status, _, url)) = (
        tag("Response: "),
        status,
        char(' '),
        take_till1(|c| c == ' '),
    )
        .parse(i)?;
    let headers = tail
        .strip_prefix(" [headers: ")
        .map(|inner| inner.strip_suffix(']').unwrap_or(inner));
    Ok((
        "",
        WireMessage::Response {
            status,
            url,
            headers,
        },
    ))
}

fn error(i: &str) -> IResult<&str, WireMessage<'_>> {
    let (_, (_, body)) = (tag("Response error:"), rest).parse(i)?;
    let body: &str = body;
    Ok((
        "",
        WireMessage::Error {
            body: body.strip_prefix(' ').unwrap_or(body),
        },
    ))
}

/// Recognises a cfn-wire.log message's first line; `None` for any other text.
pub fn parse_message(first_line: &str) -> Option<WireMessage<'_>> {
    response(first_line)
        .or_else(|_| error(first_line))
        .ok()
        .map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_with_headers() {
        assert_eq!(
            parse_message("Response: 200 https://sqs.us-west-2.amazonaws.com/1/q/?Action=ReceiveMessage [headers: {'content-length': '1358'}]"),
            Some(WireMessage::Response {
                status: 200,
                url: "https://sqs.us-west-2.amazonaws.com/1/q/?Action=ReceiveMessage",
                headers: Some("{'content-length': '1358'}"),
            })
        );
    }

    #[test]
    fn error_body() {
        assert_eq!(
            parse_message("Response error: <?xml version=\"1.0\"?>"),
            Some(WireMessage::Error {
                body: "<?xml version=\"1.0\"?>"
            })
        );
        assert_eq!(parse_message("Response: abc"), None);
    }
}
