//! Python tracebacks that follow a `log.exception(...)` record (docs/formats.md "cfn-* multi-line rules", rule 1).
//!
//! <pre>
//! traceback = "Traceback (most recent call last):" LF 1*frame exception
//! frame     = "  File " DQUOTE path DQUOTE ", line " 1*DIGIT ", in " name LF
//!             [ "    " source-line LF ]
//! exception = type [ ": " message ] LF *text-line          ; message may span lines
//! </pre>

/// A parsed traceback: the frames, innermost last, and the exception that ended it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Traceback<'a> {
    /// The `File "...", line N, in f` lines, trimmed.
    pub frames: Vec<&'a str>,
    /// The exception type, e.g. `ConnectionError` or `IOError`.
    pub exception: Option<&'a str>,
    /// The exception's message (first line and any lines after it).
    pub message: Option<String>,
}

const HEADER: &str = "Traceback (most recent call last):";

/// Finds the first traceback in `text` and parses it; `None` when `text` has none.
/// Lines before the traceback are ignored.
pub fn parse_traceback(text: &str) -> Option<Traceback<'_>> {
    let start = text.find(HEADER)?;
    let mut tb = Traceback::default();
    let mut lines = text[start + HEADER.len()..].lines().peekable();
    while let Some(line) = lines.peek() {
        if let Some(frame) = line.strip_prefix("  File ") {
            tb.frames.push(frame);
            lines.next();
            if lines.peek().is_some_and(|l| l.starts_with("    ")) {
                lines.next();
            }
        } else if line.is_empty() {
            lines.next();
        } else {
            break;
        }
    }
    let last = lines.next()?;
    let (exception, first_message) = match last.split_once(": ") {
        Some((ty, msg)) if is_type_name(ty) => (ty, Some(msg)),
        _ if is_type_name(last.trim_end_matches(':')) => (last.trim_end_matches(':'), None),
        _ => {
            return Some(Traceback {
                message: Some(last.to_owned()),
                ..tb
            })
        }
    };
    tb.exception = Some(exception);
    let mut message: Vec<&str> = first_message.into_iter().collect();
    message.extend(lines.take_while(|l| !l.starts_with(HEADER)));
    while message.last().is_some_and(|l| l.trim().is_empty()) {
        message.pop();
    }
    if !message.is_empty() {
        tb.message = Some(message.join("\n"));
    }
    Some(tb)
}

fn is_type_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_exception() {
        let text = "Exception caught while processing messages\nTraceback (most recent call last):\n  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/update_hooks.py\", line 281, in process\n    msg = self._sqs_client.receive_message(self._queue_url)\n  File \"/usr/lib/python2.7/dist-packages/cfnbootstrap/util.py\", line 162, in _retry\n    return f(*args, **kwargs)\nConnectionError: HTTPSConnectionPool(host='sqs.us-east-1.amazonaws.com', port=443): Max retries exceeded\n";
        let tb = parse_traceback(text).unwrap();
        assert_eq!(tb.frames.len(), 2);
        assert!(tb.frames[1].contains("util.py\", line 162"));
        assert_eq!(tb.exception, Some("ConnectionError"));
        assert!(tb.message.unwrap().starts_with("HTTPSConnectionPool(host="));
    }

    #[test]
    fn multi_line_message_and_dotted_type() {
        let text = "Traceback (most recent call last):\n  File \"x.py\", line 1, in f\nurllib2.HTTPError: HTTP Error 403 : <?xml version=\"1.0\"?>\n<ErrorResponse/>\n\n";
        let tb = parse_traceback(text).unwrap();
        assert_eq!(tb.exception, Some("urllib2.HTTPError"));
        assert_eq!(
            tb.message.as_deref(),
            Some("HTTP Error 403 : <?xml version=\"1.0\"?>\n<ErrorResponse/>")
        );
    }

    #[test]
    fn no_traceback() {
        assert_eq!(parse_traceback("plain text"), None);
    }
}
