//! The small pieces of text the markup is built from.

use super::*;
use std::borrow::Cow;

// ----------------------------------------------------------------------------------------
// Small pieces.

/// Text as the page shows it: control characters other than tab, newline and carriage
/// return become U+FFFD (a log line can hold any byte). This only cleans; the escaping of
/// `<`, `>`, `&` and `"` is maud's, done for every value spliced into the markup.
pub(super) fn clean(text: &str) -> Cow<'_, str> {
    let shown = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if text.chars().all(shown) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if shown(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}

/// `text` cut to at most `limit` bytes (at a character boundary), and whether it was cut.
pub(super) fn truncate(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (&text[..cut], true)
}

/// The CSS class that colours a status.
pub(super) fn status_class(status: Status) -> &'static str {
    match status {
        Status::Success => "st-success",
        Status::Failure => "st-failure",
        Status::Timeout => "st-timeout",
        Status::Incomplete | Status::Running => "st-incomplete",
        Status::Skipped => "st-skipped",
    }
}

/// `st-… bad` for failed or timed-out statuses, `st-…` otherwise.
pub(super) fn status_classes(status: Status) -> String {
    if status.is_failure() {
        format!("{} bad", status_class(status))
    } else {
        status_class(status).to_owned()
    }
}

/// A percentage for inline styles.
pub(super) fn pct(v: f64) -> String {
    format!("{:.3}%", v.clamp(0.0, 100.0))
}

/// "1 execution" / "3 executions".
pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
